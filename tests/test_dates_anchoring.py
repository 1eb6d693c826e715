"""The anchoring model (dashboard/pipeline/dates/anchoring.py), one error class at a time.

Each case is a small sentence of our own, the publication date, the mention and the exact interval it
must resolve to (None: found but unresolved), and the anchor. The classes are those of issue 15: the
yearless date in news, deadlines and schedules, the past perfect, "this year" after a historical year,
business time, present references, a day with a clock time, years, decades and holidays in words, the
direction of a bare weekday, and spans that are durations.
"""
import datetime as dt

import pytest

from dashboard.pipeline.dates import parse_published, tag_dates

# (sentence, published, mention, interval "start..end" or "day" or None, anchor)
CASES = {
    "yearless date in news takes the publication year": [
        ("The monastery was founded in July 1204. Pilgrims still come. Its new roof was finished on June 6.",
         "2017-07-10", "June 6", "2017-06-06", "published"),
        ("The strike of 1998 is remembered.\nThe ferry company cut its timetable on March 3.",
         "2017-07-10", "March 3", "2017-03-03", "published"),
        ("Back in 2009 the square flooded. The council says it has cleaned the drains several times since.\n"
         "Workers finished the last one in May.", "2017-07-10", "May", "2017-05-01..2017-05-31", "published"),
        ("The depot was built in 1962 and the trams that ran on March 5 were new.", "2017-07-10",
         "March 5", "1962-03-05", "text"),
        ("The bridge was shut for most of 2004. From February through December, ferries carried the traffic.",
         "2014-07", "December", "2004-12-01..2004-12-31", "text"),
        ("The orchard was planted in October 2003. In June, the first apricots were picked.", "2017-07-10",
         "June", "2017-06-01..2017-06-30", "published"),
    ],
    "a story told from a day after its publication date": [
        ("Around 5 June 2021 (as reported), rangers arrived on June 3 and left on June 1.", "2021-05-30",
         "June 3", "2021-06-03", "text"),
        ("Around 5 June 2021 (as reported), rangers arrived on June 3 and left on June 1.", "2021-05-30",
         "June 1", "2021-06-01", "text"),
        # the publication's own time when no later day is told
        ("On 2 May 2021 the quay reopened; it had closed on June 3.", "2021-05-30", "June 3", "2020-06-03",
         "published"),
    ],
    "explicit narrative: that month, days later, the following month": [
        ("The dam burst on 4 May 2011. Two days later the valley was evacuated.", "2017-07-10",
         "Two days later", "2011-05-06", "text"),
        ("The dam burst on 4 May 2011. The following month the village was rebuilt.", "2017-07-10",
         "The following month", "2011-06-01..2011-06-30", "text"),
        ("The orchestra toured in 2008. That June it played in the hills.", "2017-07-10",
         "That June", "2008-06-01..2008-06-30", "text"),
        ("She still recalls that January day in 2011 when the river froze.", "2017-07-10",
         "that January", "2011-01-01..2011-01-31", "text"),
        ("The ferry sank one March morning of 1990.", "2017-07-10", "March", "1990-03-01..1990-03-31", "text"),
    ],
    "deadlines and schedules look ahead": [
        ("The dividend is payable Dec. 7 to holders of record.", "2017-08-20", "Dec. 7", "2017-12-07", "published"),
        ("Bids must arrive by Jan. 14.", "2017-08-20", "Jan. 14", "2018-01-14", "published"),
        ("Tenants have until Feb. 2 to object.", "2017-08-20", "Feb. 2", "2018-02-02", "published"),
        ("Lawmakers must act before the Aug. 31 deadline.", "2017-08-25", "Aug. 31", "2017-08-31", "published"),
        ("The board will meet Thursday.", "2017-08-20", "Thursday", "2017-08-24", "published"),
        ("The new bridge opens Friday, the city said.", "2017-08-21", "Friday", "2017-08-25", "published"),
        ("Talks resume on Monday.", "2017-08-23", "Monday", "2017-08-28", "published"),
        ("The tax return is due in April.", "2017-08-20", "April", "2018-04-01..2018-04-30", "published"),
        ("From Jan. 4 the ferry runs twice a day.", "2017-08-20", "Jan. 4", "2018-01-04", "published"),
    ],
    "a future seen from the past still looks ahead": [
        ("The co-op said it would pay farmers by Dec. 7.", "2017-08-20", "Dec. 7", "2017-12-07", "published"),
        ("The mayor said the pool was to reopen before Sept. 4.", "2017-08-20", "Sept. 4", "2017-09-04",
         "published"),
        ("The council has hired two firms to run the ferries through June.", "2017-03-20", "June",
         "2017-06-01..2017-06-30", "published"),
    ],
    "since looks back, and so does a present perfect": [
        ("Since the flood of the valley in March, the farms have recovered.", "2019-11-10", "March",
         "2019-03-01..2019-03-31", "published"),
        ("The bakery has reopened on Monday.", "2019-11-13", "Monday", "2019-11-11", "published"),
    ],
    "a past clause keeps a deadline in the past": [
        ("The rent had been paid by Jan. 14.", "2017-08-20", "Jan. 14", "2017-01-14", "published"),
        ("The museum opened on Friday, visitors said.", "2017-08-23", "Friday", "2017-08-18", "published"),
        ("From 12 June to 14 June, the ferries stopped running.", "2017-06-20", "12 June", "2017-06-12",
         "published"),
        ("Starting 2 March, the bakery sold its bread at cost.", "2017-03-10", "2 March", "2017-03-02",
         "published"),
        ("By Jan. 14 the tenants had paid the rent.", "2017-08-20", "Jan. 14", "2017-01-14", "published"),
    ],
    "past perfect looks back": [
        ("In January, gunmen had attacked the depot.", "2017-11-20", "January", "2017-01-01..2017-01-31",
         "published"),
        ("By then the river had risen in March.", "2017-11-20", "March", "2017-03-01..2017-03-31", "published"),
        ("She had left on Oct. 2, neighbours said.", "2017-11-20", "Oct. 2", "2017-10-02", "published"),
    ],
    "this year is the publication's, whatever year came before": [
        ("The town hall was built in 1820. This year the festival moved there.", "2017-11-20",
         "This year", "2017-01-01..2017-12-31", "published"),
        ("The well was dug in 1001. In January this year its cover cracked.", "2017-11-20",
         "January this year", "2017-01-01..2017-01-31", "published"),
        ("The abbey dates from 1150. In March last year it closed for repairs.", "2017-11-20",
         "March last year", "2016-03-01..2016-03-31", "published"),
    ],
    "business time": [
        ("Profits rose in the third quarter.", "2017-11-20", "the third quarter", "2017-07-01..2017-09-30",
         "published"),
        ("Revenue fell in the fourth quarter, the bakery said.", "2018-02-04", "the fourth quarter",
         "2017-10-01..2017-12-31", "published"),
        ("Sales fell in the latest quarter.", "2017-11-20", "the latest quarter", "2017-07-01..2017-09-30",
         "published"),
        ("Sales fell last quarter.", "2017-11-20", "last quarter", "2017-07-01..2017-09-30", "published"),
        ("Sales fell in the last quarter of 2016.", "2017-11-20", "the last quarter of 2016",
         "2016-10-01..2016-12-31", "none"),
        ("Third-quarter profit at the dairy rose.", "2017-11-20", "Third-quarter", "2017-07-01..2017-09-30",
         "published"),
        ("Profit beat the year-ago second quarter.", "2017-11-20", "the year-ago second quarter",
         "2016-04-01..2016-06-30", "published"),
        ("Net income rose from the year-ago quarter.", "2017-11-20", "the year-ago quarter",
         "2016-07-01..2016-09-30", "published"),
        ("Sales in the second quarter beat the year-earlier quarter.", "2017-11-20", "the year-earlier quarter",
         "2016-04-01..2016-06-30", "text"),
        ("Revenue in fiscal 1989 rose.", "1989-11-20", "fiscal 1989", "1989-01-01..1989-12-31", "none"),
        ("The debt will be repaid by year-end.", "2017-03-02", "year-end", "2017-09-01..2017-12-31", "published"),
        ("Profit was $5 million, up from $3 million a year earlier.", "2017-11-20", "a year earlier",
         "2016-01-01..2016-12-31", "published"),
    ],
    "present references are the publication day": [
        ("Prices are high now.", "2017-11-20", "now", "2017-11-20", "published"),
        ("The mill is currently closed.", "2017-11-20", "currently", "2017-11-20", "published"),
        ("At present the road is shut.", "2017-11-20", "At present", "2017-11-20", "published"),
        ("These days the square is quiet.", "2017-11-20", "These days", "2017-11-20", "published"),
        ("The ferry now runs twice a day.", "2017-11", "now", "2017-11-01..2017-11-30", "published"),
        ("Visitors reached 90,000 last year, up from 40,000 a decade ago and 120,000 now.", "2017-11-20",
         "now", "2017-11-20", "published"),
        ("While he ran the depot, its manager - now the mayor - had his office searched.", "2017-11-20",
         "now", "2017-11-20", "published"),
    ],
    "a day with a clock time is one expression": [
        ("Entries close at 5 p.m. EST Nov. 9.", "2017-11-06", "5 p.m. EST Nov. 9", "2017-11-09", "published"),
        ("The ballot closes at midnight Friday.", "2017-11-06", "midnight Friday", "2017-11-10", "published"),
        ("The hearing opened Monday, Oct. 26, in the capital.", "2015-10-28", "Monday, Oct. 26", "2015-10-26",
         "published"),
        ("The lifeboat left at 4:40 a.m. on June 2, 1931.", None, "4:40 a.m. on June 2, 1931", "1931-06-02", "none"),
        ("The polls open at 7 a.m. Tuesday.", "2017-11-06", "7 a.m. Tuesday", "2017-11-07", "published"),
    ],
    "years, decades and holidays in words": [
        ("The cannery opened in nineteen ninety-six.", None, "nineteen ninety-six", "1996-01-01..1996-12-31", "none"),
        ("The charter dates from seventeen seventy-six.", None, "seventeen seventy-six", "1776-01-01..1776-12-31",
         "none"),
        ("The rule was passed in twenty fourteen.", None, "twenty fourteen", "2014-01-01..2014-12-31", "none"),
        ("The band was famous in the nineties.", "2017-11-06", "the nineties", "1990-01-01..1999-12-31", "published"),
        ("The mill closed in the late seventies.", "2017-11-06", "the late seventies", "1977-01-01..1979-12-31",
         "published"),
        ("Shops close on Thanksgiving Day.", "2017-11-06", "Thanksgiving Day", "2017-11-23", "published"),
        ("Turnout was high on Election Day.", "2016-11-10", "Election Day", "2016-11-08", "published"),
        ("Parades were held on Memorial Day 2019.", None, "Memorial Day 2019", "2019-05-27", "none"),
        ("The shops reopened after Boxing Day.", "2018-01-10", "Boxing Day", "2017-12-26", "published"),
    ],
    "a bare weekday goes the way of its clause": [
        ("The envoy is traveling Thursday.", "2017-11-08", "Thursday", "2017-11-09", "published"),
        ("The envoy traveled Thursday.", "2017-11-08", "Thursday", "2017-11-02", "published"),
        ("The envoy will travel on Monday.", "2017-11-08", "Monday", "2017-11-13", "published"),
        ("The envoy arrived on Monday.", "2017-11-08", "Monday", "2017-11-06", "published"),
        ("Rain is forecast for Saturday.", "2017-11-08", "Saturday", "2017-11-11", "published"),
    ],
    "a history: its story carries, plans do not move it, its ago is its teller's": [
        ("The canal was begun in 1821. Work stopped in 1823 and resumed in 1825. On 3 May 1827 the first "
         "barge passed, with a second section planned for 1829. On 9 June the locks flooded.", "2009-12-19",
         "9 June", "1827-06-09", "text"),
        ("The canal was planned in 1819 and begun in 1821. Work stopped in 1822, again in 1823, and resumed in "
         "1825. On 3 May 1827 the engineer wrote that the survey had been made two years ago.", "2009-12-19",
         "two years ago",
         "1825-01-01..1825-12-31", "text"),
        ("The canal was begun in 1821. Work stopped in 1823 and resumed in 1825. On 3 September 1827 the "
         "first barge passed. In February the ice closed it.", "2009-12-19", "February", "1828-02-01..1828-02-29",
         "text"),
        ("The canal was begun in 1821. Work stopped in 1823 and resumed in 1825. On 3 May 1827 the first "
         "barge passed. In March a flood had damaged the locks.", "2009-12-19", "March", "1827-03-01..1827-03-31",
         "text"),
        # the year after a day and its aside is that day's: the story is in late 1827, not at its start
        ("The canal was begun in 1821. Work stopped in 1823 and resumed in 1825. On 3 November (4 November "
         "by the old calendar), 1827, the first barge passed. In February the ice closed it.", "2009-12-19",
         "February", "1828-02-01..1828-02-29", "text"),
    ],
    "unknown publication date: unresolved, never today": [
        ("The ferry sailed two days later.", None, "two days later", None, "text"),
        ("The ferry sails on Friday.", None, "Friday", None, "published"),
        ("The depot reopened last week.", None, "last week", None, "published"),
        ("Rents rose in the latest quarter.", None, "the latest quarter", None, "published"),
    ],
}
FLAT = [(kind, *case) for kind, cases in CASES.items() for case in cases]


def _interval(text):
    if text is None:
        return None, None
    first, _, last = text.partition("..")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last or first)


@pytest.mark.parametrize("kind,sentence,published,mention,interval,anchor", FLAT,
                         ids=[f"{kind}: {mention}" for kind, _, _, mention, _, _ in FLAT])
def test_anchoring(kind, sentence, published, mention, interval, anchor):
    found = [m for m in tag_dates(sentence, parse_published(published)) if m.text == mention]
    assert found, f"{mention!r} not found in {sentence!r}: {tag_dates(sentence, parse_published(published))}"
    assert (found[0].start_date, found[0].end_date) == _interval(interval), found[0]
    assert found[0].anchor == anchor, found[0]


# Durations and counts: no date at all.
DURATIONS = [
    "Prices rose over the past two months.",
    "In the past two months alone, prices doubled.",
    "The past three years were hard for the farm.",
    "The repairs took two weeks.",
    "The library has been shut for ten months.",
    "He served twenty years on the council.",
    "A fall in prices hit the farmers.",
    "Nineteen people came to the meeting.",
    "Twenty twenty-one-year-olds signed up.",
    "An election day was never set for the club.",
    "The market opens every Monday.",
    "Each spring the river floods the meadow.",
    "After a long siege the garrison was now exhausted.",
    "Nearly 2000 dock workers walked out at dawn.",
    "More than 1500 fishing boats stayed in the harbour.",
    "Supplies reached some 2010 displaced families in the valley.",
    "Prices rose amid fears of a drought.",
    "Between 600-1200 pilgrims camped by the shrine.",
    "Fishermen sheltered at the Nowruz beach resort.",
]


@pytest.mark.parametrize("sentence", DURATIONS)
def test_durations_and_counts_are_no_dates(sentence):
    assert tag_dates(sentence, parse_published("2017-11-08")) == []


@pytest.mark.parametrize("sentence,day", [
    ("Gunmen stopped a minibus on 2 June.", dt.date(2021, 6, 2)),  # a report dated a day early
    ("Gunmen stopped a minibus on 9 June.", dt.date(2020, 6, 9)),  # a week later: last year's
])
def test_a_past_day_just_after_the_publication_is_of_its_year(sentence, day):
    (found,) = tag_dates(sentence, parse_published("2021-06-01"))
    assert (found.start_date, found.end_date) == (day, day)
