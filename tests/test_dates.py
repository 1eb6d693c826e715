"""The temporal tagger on small real sentences: exact intervals, granularity and anchor; negatives that
must produce nothing; offsets, content spans, links, unknown publication dates and hostile input."""
import datetime as dt
import doctest
import importlib
import random

import pytest

from dashboard.pipeline.dates import parse_published, tag_dates
from dashboard.records import PublicationDate

D = dt.date


def mentions(text, published="2018-02-04", spans=None):
    return tag_dates(text, parse_published(published), spans)


def only(text, published="2018-02-04"):
    found = [m for m in mentions(text, published) if m.resolved]
    assert len(found) == 1, found
    return found[0]


# (sentence, published, mention, start, end, granularity, anchor)
CASES = [
    ("The old pier, which collapsed in the fall, was rebuilt.", "2018-02-04",
     "the fall", "2017-09-01", "2017-11-30", "season", "published"),
    ("Questioned late last month by a radio host, the mayor said nothing.", "2018-02-04",
     "late last month", "2018-01-21", "2018-01-31", "month", "published"),
    ("A rockfall closed the coast road on Jan. 20 near the harbour.", "2018-02-04",
     "Jan. 20", "2018-01-20", "2018-01-20", "day", "published"),
    ("The audit found the error in April 2021 in a ledger worth $1.7 million.", "2022-01-29",
     "April 2021", "2021-04-01", "2021-04-30", "month", "none"),
    ("The club lost its ground nearly three years ago.", "2022-01-29",
     "nearly three years ago", "2019-01-01", "2019-12-31", "year", "published"),
    ("The choir has improved its range since 2014, when its old conductor retired.", "2022-01-29",
     "2014", "2014-01-01", "2014-12-31", "year", "none"),
    ("The harbour master said in remarks to fishermen last week.", "2018-02-04",
     "last week", "2018-01-28", "2018-02-03", "week", "published"),
    ("In November, the council said it had found a buyer for the old mill.", "2022-01-29",
     "November", "2021-11-01", "2021-11-30", "month", "published"),
    ("After a lull in bookings late last year, the hotel predicted a busy spring.", "2022-01-29",
     "late last year", "2021-09-01", "2021-12-31", "year", "published"),
    ("A gale tore down a barn on Friday night, scattering hay.", "2018-02-04",
     "Friday night", "2018-02-02", "2018-02-02", "day", "published"),
    ("Hail hit the market early Monday.", "2018-02-07",
     "early Monday", "2018-02-05", "2018-02-05", "day", "published"),
    ("The ferryman said trade picked up over the summer when the bridge closed.", "2018-02-04",
     "the summer", "2017-06-01", "2017-08-31", "season", "published"),
    ("Tourists poured into the old town in the summer of 2014.", "2018-02-04",
     "the summer of 2014", "2014-06-01", "2014-08-31", "season", "none"),
    ("About nine months ago, the partners had a falling out over money.", "2014-07",
     "About nine months ago", "2013-10-01", "2013-10-31", "month", "published"),
    ("Thousands of cranes returned to the marshes in 2024, unharmed.", "2025-01",
     "2024", "2024-01-01", "2024-12-31", "year", "none"),
    ("Protesters marched on Bastille Day.", "2018-02-04",
     "Bastille Day", "2017-07-14", "2017-07-14", "day", "published"),
    ("Churches were bombed on Easter Sunday 2019.", None,
     "Easter Sunday 2019", "2019-04-21", "2019-04-21", "day", "none"),
    ("The truce held through Ramadan 2017.", None,
     "Ramadan 2017", "2017-05-27", "2017-06-24", "range", "none"),
    ("Fighting eased during Eid al-Adha.", "2015-03-01",
     "Eid al-Adha", "2014-10-04", "2014-10-04", "day", "published"),
    ("The cease-fire was signed on Christmas Eve.", "2017-01-10",
     "Christmas Eve", "2016-12-24", "2016-12-24", "day", "published"),
    ("Officials confirmed the deaths yesterday.", "2018-02-04",
     "yesterday", "2018-02-03", "2018-02-03", "day", "published"),
    ("The prison holds 5,000 inmates now.", "2018-02-04",
     "now", "2018-02-04", "2018-02-04", "day", "published"),
    ("Attacks rose in the first quarter of 2019.", None,
     "the first quarter of 2019", "2019-01-01", "2019-03-31", "quarter", "none"),
    ("Violence fell in the second half of last year.", "2018-02-04",
     "the second half of last year", "2017-07-01", "2017-12-31", "half", "published"),
    ("The movement grew out of the 1980s.", None,
     "the 1980s", "1980-01-01", "1989-12-31", "decade", "none"),
    ("Fighting resumed on 5 March 2015 near Tikrit.", None,
     "5 March 2015", "2015-03-05", "2015-03-05", "day", "none"),
    ("The report is dated 2018-02-04.", None,
     "2018-02-04", "2018-02-04", "2018-02-04", "day", "none"),
    ("Talks were held March 3-5, 2014, in Geneva.", None,
     "March 3-5, 2014", "2014-03-03", "2014-03-05", "range", "none"),
    ("Elections are due in June.", "2018-02-04",
     "June", "2018-06-01", "2018-06-30", "month", "published"),
    ("A new offensive began this winter.", "2018-01-20",
     "this winter", "2017-12-01", "2018-02-28", "season", "published"),
    ("The group regrouped in mid-2016.", None,
     "mid-2016", "2016-05-01", "2016-08-31", "year", "none"),
    ("Shares fell earlier this month.", "2018-02-14",
     "earlier this month", "2018-02-01", "2018-02-14", "month", "published"),
]


@pytest.mark.parametrize("text,published,mention,start,end,granularity,anchor", CASES,
                         ids=[c[2] for c in CASES])
def test_sentence(text, published, mention, start, end, granularity, anchor):
    found = only(text, published)
    assert found.text == mention
    assert text[found.start:found.end] == mention
    assert (found.start_date, found.end_date) == (D.fromisoformat(start), D.fromisoformat(end))
    assert found.granularity == granularity
    assert found.anchor == anchor


def test_range_after_an_explicit_year_anchors_on_that_year_not_the_publication():
    text = ("The keeper was posted to the island for most of 2008. From February "
            "through November, she kept the lamp alone.")
    found = [(m.text, m.start_date, m.end_date, m.anchor) for m in mentions(text, "2014-07")]
    assert found == [("2008", D(2008, 1, 1), D(2008, 12, 31), "none"),
                     ("February", D(2008, 2, 1), D(2008, 2, 29), "text"),
                     ("November", D(2008, 11, 1), D(2008, 11, 30), "text")]


def test_narrative_offsets_count_from_the_previous_date():
    text = "Paris fell on 14 June 1940. Two days later the government left. The following month, Vichy ruled."
    found = [(m.text, m.start_date, m.end_date, m.anchor) for m in mentions(text, "2009-12-19")]
    assert found == [("14 June 1940", D(1940, 6, 14), D(1940, 6, 14), "none"),
                     ("Two days later", D(1940, 6, 16), D(1940, 6, 16), "text"),
                     ("The following month", D(1940, 7, 1), D(1940, 7, 31), "text")]


def test_past_tense_month_is_the_latest_before_publication_and_future_the_next():
    assert only("The city fell in October.", "2018-02-04").start_date == D(2017, 10, 1)
    assert only("The vote will take place in October.", "2018-02-04").start_date == D(2018, 10, 1)


def test_week_starts_on_sunday():
    # Published on a Wednesday: "this week" is the Sunday before to the Saturday after.
    found = only("Prices rose this week.", "2018-02-07")
    assert (found.start_date, found.end_date) == (D(2018, 2, 4), D(2018, 2, 10))
    assert found.start_date.weekday() == 6


@pytest.mark.parametrize("text", [
    "Some 4,000 volunteers joined the clean-up over more than three years of work.",
    "The strike was one of the largest in three years.",
    "The survey drew on samples taken over about a week.",
    "The storm brought a week of floods to the coast.",
    "He was held for ten months before his release.",
    "The fighters had participated in this fight for over two years.",
    "A 20-year-old man was arrested.",
    "Collectors paid $15,000 to $25,000 for a single stamp.",
    "Many owners paid the builders tens of thousands of pounds.",
    "They razed walls dating back 1,800 years.",
    "Many sheep may have strayed into the hills.",
    "We know that the regime has given them leeway.",
    "The militia has held its ground and maybe building a refuge.",
    "The meeting ended at 01:40 PM.",
    "The group was 1500 strong and 2000 men joined later.",
    "Samir Ramadan, the director of the clinic, said the militia was still active.",
    "The Arab Spring swept the region.",
    "Athletes gathered for the Winter Olympics.",
    "Oil prices fall when supply rises, and rebels spring ambushes.",
    "The fall of Mosul shocked the army.",
    "The army began to fall apart under the assault.",
    "Survivors of the Long March reached Yan'an.",
    "Sherman's March to the Sea laid waste to Georgia.",
    "The troops crossed what is now northern Maine.",
    "The city of Tsaritsyn (now Volgograd) held out.",
    "Security Council Resolution 1483 lifted the sanctions.",
    "The 3rd Marine Commando Division attacked.",
    "Thousands gathered after Friday prayers.",
    "Each crew kept its shift for about a week before moving on.",
    "Call police at 905-453-2121, ext. 1133.",
    "The sheds at 1187 and 1193 N. Avenue K were repainted.",
])
def test_not_dates(text):
    assert [m for m in mentions(text) if m.resolved] == [], mentions(text)


def test_dates_inside_links_are_not_tagged():
    text = ("The mayor praised the new tram line [ https://news.example.org/2018/01/30/city/"
            "tram-line-opens.html ] in her speech to the council last week, residents disagree.")
    found = mentions(text)
    assert [m.text for m in found] == ["last week"]


def test_only_spans_are_tagged_and_offsets_stay_in_the_original_text():
    text = "IE 11 is not supported since 2014.\n\nIn December, officials said the camp grew.\n[...] In 2004 it began."
    content = (text.index("In December"), text.index("grew.") + 5)
    found = mentions(text, "2018-02-04", spans=[content])
    assert [(m.text, text[m.start:m.end]) for m in found] == [("December", "December")]
    assert found[0].start_date == D(2017, 12, 1)


def test_unknown_publication_date_leaves_relative_dates_unresolved():
    found = tag_dates("The army retreated last week, after fighting in 2017.", PublicationDate.unknown())
    by_text = {m.text: m for m in found}
    assert by_text["last week"].start_date is None and by_text["last week"].anchor == "published"
    assert by_text["2017"].start_date == D(2017, 1, 1)


def test_month_precise_publication_resolves_months_but_not_days():
    found = {m.text: m for m in mentions("Fighting stopped last month, and resumed yesterday.", "2014-07")}
    assert (found["last month"].start_date, found["last month"].end_date) == (D(2014, 6, 1), D(2014, 6, 30))
    assert found["yesterday"].start_date is None


def test_before_the_common_era_is_found_but_has_no_calendar_interval():
    found = mentions("The Persians landed at Marathon in 490 BC. In September the fleet sailed.", "2009-12-19")
    assert [(m.text, m.start_date) for m in found] == [("490 BC", None), ("September", None)]


def test_every_offset_is_exact_on_seed_like_text():
    text = ("Monday, February 05, 2018 07:15:02 PM\nFEB. 4, 2018\nLISBON — Officials said last week that "
            "the ferries stopped in October, and on Jan. 20 a storm hit the port; late last month more left.")
    found = mentions(text)
    assert len(found) == 6
    assert all(text[m.start:m.end] == m.text for m in found)


def test_many_date_like_tokens_and_punctuation_runs_finish():
    rng = random.Random(7)
    tokens = ["March", "2014", "12", "May", "late", "last", "week", "the", "of", "-", "/", ",", "summer",
              "Friday", "1999s", "Q3", "ago", "three", "days", "29/01/2022", "Jan.", "(", "BC", "'90s"]
    text = " ".join(rng.choice(tokens) for _ in range(100_000))
    found = tag_dates(text, parse_published("2018-02-04"))
    assert found and all(text[m.start:m.end] == m.text for m in found)
    for run in ("." * 50_000, "-" * 50_000, " " * 50_000, "1" * 50_000, "March " * 20_000, "/" * 50_000):
        tag_dates(run + " in 2014", parse_published("2018-02-04"))


def test_quoted_speech_in_a_history_is_not_anchored_on_the_publication_date():
    text = ("In 1939 Poland fell. In 1940 the war spread. In 1941 it reached Russia. In 1942 Stalingrad was "
            "besieged. In 1943 the tide turned. In 1944 France was invaded. The war in Europe ended in 1945, "
            "after the battles of 1944 and the bombing raids of 1943 and 1942.\n"
            "In a radio address he said: \"We will strike tomorrow and win by next summer.\"")
    found = {m.text: m for m in mentions(text, "2009-12-19")}
    assert found["tomorrow"].start_date is None
    assert found["next summer"].start_date is None


def test_a_bare_year_mentioned_in_passing_does_not_re_anchor_the_story():
    text = ("Saigon was threatened on 10 March 1975. A report declassified in 2005 revealed more. "
            "On 11 March, the army collapsed. In 1960 and 1965 it had been stronger.")
    found = {m.text: m for m in mentions(text, "2009-12-19")}
    assert found["11 March"].start_date == D(1975, 3, 11) and found["11 March"].anchor == "text"


@pytest.mark.parametrize("module", ["anchoring", "context", "cues", "holidays", "normalise", "periods", "published", "resolvers", "resolve_days", "resolve_periods", "tagger", "vocabulary"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(f"dashboard.pipeline.dates.{module}"))
    assert result.attempted and not result.failed


def test_news_weekday_counts_from_the_publication_even_after_another_date():
    text = "The loan was signed on July 1, 2010, he said. Rates were available Friday at 4.75 percent."
    found = {m.text: m for m in mentions(text, "2009-03-30")}
    assert found["Friday"].start_date == D(2009, 3, 27) and found["Friday"].anchor == "published"


def test_news_yearless_date_far_from_an_earlier_year_counts_from_the_publication():
    text = ("The inquiry looked back to 2007, when the depot first flooded. Engineers mapped the drains. "
            "Residents gave evidence for weeks. The council then met on Jan. 13 and shelved the plan.")
    found = {m.text: m for m in mentions(text, "2009-03-19")}
    assert found["Jan. 13"].start_date == D(2009, 1, 13) and found["Jan. 13"].anchor == "published"


def test_a_news_report_with_background_years_is_still_news():
    text = ("Islamic State declared its caliphate in 2014, grew out of a group founded in 2004, lost Mosul in 2017 "
            "and Baghdadi in 2019.\n\"We will strike tomorrow,\" a commander said on Friday.")
    found = {m.text: m for m in mentions(text, "2022-01-29")}
    assert found["tomorrow"].start_date == D(2022, 1, 30)
    assert found["Friday"].start_date == D(2022, 1, 28) and found["Friday"].anchor == "published"


def test_characters_that_change_length_when_lower_cased_do_not_shift_offsets():
    text = "İ" * 100 + " İstanbul was bombed last week, and again on 12 March 2016."
    found = mentions(text, "2018-02-04")
    assert [m.text for m in found] == ["last week", "12 March 2016"]
    assert all(text[m.start:m.end] == m.text for m in found)


def test_a_word_ending_in_a_is_no_number():
    text = "The coalition formed in September 2014 and began airstrikes in Syria days later."
    assert [m.text for m in mentions(text)] == ["September 2014"]
