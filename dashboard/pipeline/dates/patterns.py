"""The rule table, grouped by granularity; every rule carries the examples it must handle.

Read it like HeidelTime's rule files. A rule says what to find (``pattern``, built from the words of
``vocabulary.py``), what it names (``granularity``), how it is resolved (``resolve``: the name of a
resolver in ``resolvers.py``) and when a match is no date after all (``before``: a word that must
precede it; ``not_after``: a word that must not follow it).

Every ``Example`` is a sentence of the project's own, the publication date it was written on, the
mention the rule must find and the inclusive interval it must resolve to; ``tests/test_dates_rules.py``
turns each one into a test, so a rule cannot change without its examples noticing (and
``tests/test_rule_examples_are_our_own.py`` checks that no example comes from an evaluation text).

Patterns stay linear: every repetition is bounded (``SP`` is one to three spaces, not ``\\s+``; no
``+`` or ``*`` anywhere, which ``tests/test_dates_rules.py`` checks), so a match attempt at any
position costs at most a constant and a pass costs time proportional to the text, whatever the text.
Each rule runs only in short windows around its ``triggers`` (``vocabulary.TRIGGER_WORDS``), which is
what makes the tagger fast: most rules never see most of a text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.pipeline.dates.vocabulary import (
    APPROX, CENTURY_ORDINAL, CLOCK, DAY, DASH, DECADE_WORD, HOLIDAY, MID_PREFIX, MONTH, MONTH_FULL, NUMBER, OPT_SP,
    PART, QUARTER_ORDINAL, RELATIVE, SEASON, SP, THE, WEEKDAY, YEAR, YEAR_IN_WORDS,
)
# ---- the rule table -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    """A sentence, the publication date it was written on, the mention to find and its interval.

    ``interval`` is "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (inclusive), or None when the mention must
    be found but stay unresolved. ``before`` is text that precedes the sentence (the narrative so far),
    for rules that anchor on the previous date in the text.
    """

    sentence: str
    published: str | None
    mention: str
    interval: str | None
    before: str = ""


@dataclass(frozen=True)
class Rule:
    name: str
    granularity: str
    pattern: str
    resolve: str
    examples: tuple[Example, ...]
    before: str | None = None  # regex the text just before the match must end with
    not_after: str | None = None  # regex the text just after the match must not start with
    flags: int = 0
    # The words one of which every match contains (see TRIGGER_WORDS): the rule only runs near them.
    triggers: tuple[str, ...] = ()
    compiled: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))


def E(sentence, published, mention, interval, before=""):
    return Example(sentence, published, mention, interval, before)


# "two days after the attack" counts from an event we cannot date; "a month earlier than usual" compares.
OFFSET_NOT_AFTER = r"(?:[^\S\n]{1,3}than\b|(?<=after|efore)[^\S\n]{1,3}[A-Za-z0-9])"

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- day
    Rule("day_month_year", "day",
         rf"(?:{CLOCK})?(?:(?P<weekday>{WEEKDAY}),?{SP})?(?:{THE})?(?P<day>{DAY})(?:{SP}of{SP}|{SP}|{OPT_SP}[/.-]{OPT_SP})"
         rf"(?P<month>{MONTH})(?:,?{SP}|{OPT_SP}[/.-]{OPT_SP})(?P<year>{YEAR})",
         "calendar_date", (
             E("The bridge over the river reopened on 12 March 1944.", "2009-12-19", "12 March 1944", "1944-03-12"),
             E("Saturday 29/January/2022 - 09:15 AM | Harbour news desk", None, "Saturday 29/January/2022", "2022-01-29"),
             E("The charter bears the date of the 4th of July, 1776.", None, "the 4th of July, 1776", "1776-07-04"),
         ), triggers=("month",)),
    Rule("month_day_year", "day",
         rf"(?:{CLOCK})?(?:(?P<weekday>{WEEKDAY}),?{SP})?(?P<month>{MONTH}){SP}(?P<day>{DAY})(?:,?{SP}|{SP}of{SP})(?P<year>{YEAR})",
         "calendar_date", (
             E("The lifeboat was launched at 4:40 a.m. on June 2, 1931, in heavy seas.", None,
               "4:40 a.m. on June 2, 1931", "1931-06-02"),
             E("FEB. 4, 2018 | City desk", None, "FEB. 4, 2018", "2018-02-04"),
             E("Monday, February 05, 2018 08:03:51 PM (repost)", None, "Monday, February 05, 2018", "2018-02-05"),
             E("The garrison sailed away on March 17, 1776, bound for the north.", "2009-12-19", "March 17, 1776",
               "1776-03-17"),
             E("Blackout rules began on Sept. 3rd 1939.", None, "Sept. 3rd 1939", "1939-09-03"),
         ), triggers=("month",)),
    Rule("iso_date", "day",
         r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)-(?P<month_number>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\d])",
         "calendar_date", (
             E("The audit, dated 2018-02-04, reached the council.", None, "2018-02-04", "2018-02-04"),
         ), triggers=("digit",)),
    Rule("numeric_date", "day",
         r"(?<![\d/.-])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])",
         "numeric_date", (
             E("Comment 29/01/2022 from a reader", None, "29/01/2022", "2022-01-29"),
             E("Comment 01/29/2022 from a reader", None, "01/29/2022", "2022-01-29"),
             E("Comment 02/03/2022 from a reader", None, "02/03/2022", None),  # day and month order unknown
         ), triggers=("digit",)),
    Rule("day_range", "range",
         rf"(?P<month>{MONTH}){SP}(?P<day>{DAY}){OPT_SP}(?:{DASH}|to|and){OPT_SP}(?P<day_end>{DAY})"
         rf"(?:,?{SP}(?P<year>{YEAR}))?|(?P<day2>{DAY}){OPT_SP}(?:{DASH}|to|and){OPT_SP}(?P<day_end2>{DAY}){SP}"
         rf"(?P<month2>{MONTH})(?:,?{SP}(?P<year2>{YEAR}))?",
         "day_range", (
             E("The chess festival ran March 3-5, 2014, in the old town.", None, "March 3-5, 2014", "2014-03-03..2014-03-05"),
             E("The chess festival ran 3–5 March 2014 in the old town.", None, "3\u20135 March 2014", "2014-03-03..2014-03-05"),
         ), triggers=("month",)),
    Rule("month_day", "day",
         rf"(?:{CLOCK})?(?:(?P<weekday>{WEEKDAY}),?{SP})?(?P<month>{MONTH}){SP}(?P<day>{DAY})(?!{OPT_SP}(?:,\d|\d|%))",
         "month_day", (
             E("Nominations close at 5 p.m. EST Nov. 9, the party said.", "2017-11-06", "5 p.m. EST Nov. 9",
               "2017-11-09"),
             E("A landslide cut the mountain road on Jan. 20 near the pass.", "2018-02-04", "Jan. 20", "2018-01-20"),
             E("The marathon will start on April 7.", "2013-03-22", "April 7", "2013-04-07"),
             E("The union voted on Friday, March 22.", "2013-03-25", "Friday, March 22", "2013-03-22"),
             E("The dam was closed on 17 June 1940; on June 22 the valley flooded.", None, "June 22", "1940-06-22"),
         ),
         triggers=("month",)),
    Rule("day_month", "day",
         rf"(?:(?P<weekday>{WEEKDAY}),?{SP})?(?:{THE})?(?P<day>{DAY})(?:{SP}of)?{SP}(?P<month>{MONTH})(?!{SP}\d)",
         "month_day", (
             E("Ferry service resumed on 22 June.", "2009-12-19", "22 June", "2009-06-22"),
             E("The old mill burned in 1939, and on 17 September the owners sold the land.", "2009-12-19",
               "17 September", "1939-09-17"),
             E("On the 17th of March the swallows returned.", "2018-06-01", "the 17th of March", "2018-03-17"),
         ), triggers=("month",)),
    Rule("weekday", "day",
         rf"(?:(?:{THE})?(?P<relative>last|this|next|Last|This|Next|past|coming|following|previous|preceding){SP})?"
         rf"(?:(?P<part>early|late|Early|Late){SP})?"
         rf"(?P<weekday>{WEEKDAY})(?:{SP}(?P<daytime>morning|afternoon|evening|night))?"
         rf"|(?:{CLOCK})(?P<weekday2>{WEEKDAY})",
         "weekday", (
             E("The online ballot closes at midnight Friday.", "2017-11-06", "midnight Friday", "2017-11-10"),
             E("The envoy is traveling Thursday to the coast.", "2017-11-08", "Thursday", "2017-11-09"),
             E("The harbour master made the announcement Friday.", "2013-03-22", "Friday", "2013-03-22"),
             E("The club said on Thursday that the coach had resigned.", "2013-03-22", "Thursday", "2013-03-21"),
             E("A water main broke early Monday.", "2018-02-04", "early Monday", "2018-01-29"),
             E("A fire broke out in the warehouse on Friday night.", "2018-02-04", "Friday night", "2018-02-02"),
             E("The new library will open on Tuesday.", "2018-02-04", "Tuesday", "2018-02-06"),
             E("The parcel came last Friday, she said.", "2018-02-04", "last Friday", "2018-02-02"),
             E("Entries close at 15:00 GMT Saturday.", "2013-03-22", "Saturday", "2013-03-23"),
             E("As of Tuesday, 300 homes had lost power.", "2018-02-07", "Tuesday", "2018-02-06"),
             E("The strike ended on 3 March 2016. The following Monday the trams ran again.", None,
               "The following Monday", "2016-03-07"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:the[^\S\n]{1,3})?\d|[^\S\n]{1,3}prayers?\b|['’]s[^\S\n]{1,3}prayers?\b)", triggers=("weekday",)),
    Rule("relative_day", "day",
         r"\b(?P<word>yesterday|Yesterday|today|Today|tomorrow|Tomorrow|tonight|Tonight)\b"
         rf"|\b(?P<this>this|This|last|Last){SP}(?P<daytime>morning|afternoon|evening|night)\b",
         "relative_day", (
             E("The mayor cut the ribbon yesterday.", "2018-02-04", "yesterday", "2018-02-03"),
             E("The storm reached the coast last night.", "2018-02-04", "last night", "2018-02-03"),
             E("The jury will deliver its verdict tomorrow.", "2018-02-04", "tomorrow", "2018-02-05"),
         ),
         triggers=("relative_day",)),
    Rule("present", "day",
         r"\b(?:(?:right[^\S\n]{1,3})?(?P<now>now|Now)|currently|Currently|nowadays|Nowadays|[Aa]t[^\S\n]{1,3}present"
         r"|(?P<these>[Tt]hese[^\S\n]{1,3}days))\b",
         "present", (
             E("The cooperative now runs the village bakery.", "2018-02-04", "now", "2018-02-04"),
             E("The stadium currently seats 10,000 fans.", "2022-01-29", "currently", "2022-01-29"),
             E("The choir, founded in 1991, now has 60 singers.", "2022-01-29", "now", "2022-01-29"),
             E("At present the north road is shut to lorries.", "2017-11-20", "At present", "2017-11-20"),
             E("These days the market square is quiet after dark.", "2017-11-20", "These days", "2017-11-20"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:that|on|and[^\S\n]{1,3}then|known|called|named)\b|-)", triggers=("present", "day")),
    Rule("days_ago", "day",
         rf"(?:{APPROX})?(?P<number>{NUMBER}){SP}(?P<unit>days?){SP}(?P<direction>ago|earlier|later|before|after|previously|from{SP}now|hence)\b",
         "offset", (
             E("The bridge was closed to lorries three days ago.", "2018-02-04", "three days ago", "2018-02-01"),
             E("The results will be published ten days from now.", "2018-02-04", "ten days from now", "2018-02-14"),
             E("The canal froze on 14 June 1940. Two days later the barges stopped.", None, "Two days later",
               "1940-06-16"),
         ),
         not_after=OFFSET_NOT_AFTER, triggers=("day",)),
    Rule("day_relative", "day",
         rf"(?:{THE}|(?P<that>that|That|this|This){SP})(?:(?P<relative>next|following|previous|preceding|same|Next|Following|Same)"
         rf"{SP})?(?P<unit>day|morning|evening|night)(?:{SP}(?P<direction>before|after|following))?\b",
         "day_relative", (
             E("The expedition left port on 8 February 1904. The next day a gale scattered its boats.", None, "The next day",
               "1904-02-09"),
             E("The school opened on 11 November 1918. That same day the town held a parade.", None,
               "That same day", "1918-11-11"),
             E("The flood peaked on 14 June 1940; the day before, the levee had broken.", None, "the day before",
               "1940-06-13"),
             E("Ferries carried 900 cars, against 700 the day before.", "2017-05-02", "the day before", "2017-05-01"),
             E("The pier reopened on 2 May 1950, and the day following the first steamer called.", None,
               "the day following", "1950-05-03"),
         ),
         not_after=OFFSET_NOT_AFTER, triggers=("day",)),
    # ---------------------------------------------------------------- week
    Rule("week_of_month", "week",
         rf"(?:{THE})?(?P<ordinal>first|second|third|fourth|last|final|First|Second|Third|Fourth|Last|Final){SP}"
         rf"week{SP}of{SP}(?P<month>{MONTH_FULL})(?:,?{SP}(?P<year>{YEAR}))?"
         rf"|(?:{THE})week{SP}of{SP}(?P<month2>{MONTH}){SP}(?P<day>{DAY})(?:,?{SP}(?P<year2>{YEAR}))?",
         "week_of_month", (
             E("Ticket sales peaked in the last week of August 2014.", None, "the last week of August 2014",
               "2014-08-25..2014-08-31"),
             E("The roof repairs are set for the first week of March.", "2018-02-04", "the first week of March",
               "2018-03-01..2018-03-07"),
             E("The tram trial started the week of Jan. 15, 2018.", None, "the week of Jan. 15, 2018",
               "2018-01-14..2018-01-20"),
         ), triggers=("month",)),
    Rule("week_relative", "week",
         rf"(?:(?P<part>earlier|later|Earlier|Later|early|late|Early|Late){SP}(?:(?:in|this){SP})?)?"
         rf"(?:{THE})?(?P<relative>{RELATIVE}){SP}week(?!s|end)\b",
         "relative_unit", (
             E("The bakery changed owners last week, neighbours said.", "2018-02-04", "last week",
               "2018-01-28..2018-02-03"),
             E("Then last week, some 200 volunteers cleaned the beach.", "2022-01-29", "last week",
               "2022-01-16..2022-01-22"),
             E("Four of the break-ins were reported in the last week.", "2013-03-22", "the last week",
               "2013-03-10..2013-03-16"),
             E("Rehearsals resume next week.", "2018-02-04", "next week", "2018-02-11..2018-02-17"),
             E("The crew rested in mid-May 1940; the following week it set off again.", None,
               "the following week", "1940-05-26..1940-06-01"),
         ),
         not_after=r"(?:['’]s[^\\S\\n]{1,3}(?:end|beginning|start)\b|[^\S\n]{1,3}of\b)", triggers=("week",)),
    Rule("weekend", "week",
         rf"(?:{THE})?(?:(?P<relative>last|this|next|past|coming|Last|This|Next|Past){SP})?weekend\b",
         "weekend", (
             E("Hikers crowded the trails over the weekend.", "2018-02-05", "the weekend", "2018-02-03..2018-02-04"),
             E("The fair closes next weekend.", "2018-02-05", "next weekend", "2018-02-10..2018-02-11"),
         ),
         not_after=r"(?:['’]s[^\\S\\n]{1,3}(?:end|beginning|start)\b|[^\S\n]{1,3}of\b)", triggers=("week",)),
    Rule("weeks_ago", "week",
         rf"(?:{APPROX})?(?P<number>{NUMBER}){SP}(?P<unit>weeks?){SP}(?P<direction>ago|earlier|later|before|after|previously|from{SP}now|hence)\b",
         "offset", (
             E("The road works began two weeks ago.", "2018-02-04", "two weeks ago", "2018-01-21..2018-01-27"),
         ),
         not_after=OFFSET_NOT_AFTER, triggers=("week",)),
    # ---------------------------------------------------------------- month
    Rule("month_year", "month",
         rf"(?:(?P<part>{PART}){SP}|(?P<mid>{MID_PREFIX}))?(?P<month>{MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
         rf"(?:,?{SP}|{SP}of{SP})(?P<year>{YEAR})",
         "month", (
             E("The inspector found the leak in April 2021 during a visit.", "2022-01-29", "April 2021", "2021-04-01..2021-04-30"),
             E("In early March 1776, the first printing press reached the colony.", None, "early March 1776",
               "1776-03-01..1776-03-10"),
             E("The harvest was in by the end of May 1940.", None, "the end of May 1940", "1940-05-21..1940-05-31"),
         ), triggers=("month",)),
    Rule("month_of_that_year", "month",
         rf"(?:(?P<part>{PART}){SP}|(?P<mid>{MID_PREFIX}))?(?:(?P<day>{DAY}){SP}(?:of{SP})?)?(?P<month>{MONTH_FULL})"
         rf"(?:{SP}(?P<day2>{DAY}))?(?:{SP}of)?{SP}(?P<relative>that|the{SP}same|the{SP}following|the{SP}previous|the{SP}next|"
         rf"last|this|next){SP}year\b",
         "month_of_year", (
             E("The railway was finished by 1940. In August of that year, the first train ran.", None,
               "August of that year", "1940-08-01..1940-08-31"),
             E("The lighthouse was automated in 1955. On January 24 of the same year, its keeper retired.", None,
               "January 24 of the same year", "1955-01-24"),
             E("The new terminal is due in April of next year.", "2018-02-04", "April of next year", "2019-04-01..2019-04-30"),
             E("The town hall was built in 1820. In January this year its roof fell in.", "2017-11-20",
               "January this year", "2017-01-01..2017-01-31"),
         ), triggers=("month",)),
    Rule("month_relative", "month",
         rf"(?:(?P<part>{PART}){SP}|(?P<mid>{MID_PREFIX}))?(?:{THE})?(?P<relative>{RELATIVE}){SP}month(?!s)\b",
         "relative_unit", (
             E("The museum reported a theft last month.", "2018-02-04", "last month", "2018-01-01..2018-01-31"),
             E("Asked late last month by a local paper, the mayor declined to comment.", "2018-02-04", "late last month",
               "2018-01-21..2018-01-31"),
             E("Bus fares went up this month.", "2013-03-21", "this month", "2013-03-01..2013-03-31"),
         ),
         not_after=r"(?:['’]s[^\\S\\n]{1,3}(?:end|beginning|start)\b|[^\S\n]{1,3}of\b)", triggers=("month_word",)),
    Rule("months_ago", "month",
         rf"(?:{APPROX})?(?P<number>{NUMBER}){SP}(?P<unit>months?){SP}(?P<direction>ago|earlier|later|before|after|previously|from{SP}now|hence)\b",
         "offset", (
             E("About nine months ago, the two bakers split up.", "2014-07", "About nine months ago",
               "2013-10-01..2013-10-31"),
             E("The mine closed in April 2003; three months later the shops followed.", None, "three months later",
               "2003-07-01..2003-07-31"),
         ),
         not_after=OFFSET_NOT_AFTER, triggers=("month_word",)),
    Rule("month_name", "month",
         rf"(?:(?P<part>{PART}){SP}|(?P<mid>{MID_PREFIX}))?(?:(?P<relative>last|next|this|that|Last|Next|This|That|"
         rf"previous|following){SP})?(?P<month>{MONTH_FULL})\b",
         "month", (
             E("The pier was rebuilt in October after months of delay.", "2018-02-04", "October",
               "2017-10-01..2017-10-31"),
             E("In December, the fire chief said in a statement that the blaze was arson.", "2018-02-04", "December",
               "2017-12-01..2017-12-31"),
             E("In November, the council said it had balanced the budget.", "2022-01-29", "November", "2021-11-01..2021-11-30"),
             E("A ranger told reporters in January that the trail was safe.", "2025-01", "January",
               "2025-01-01..2025-01-31"),
             E("The planning board will decide in June.", "2013-03-18", "June", "2013-06-01..2013-06-30"),
             E("The bridge was shut for most of 2004. From February through December, ferries carried the traffic.",
               "2014-07", "February", "2004-02-01..2004-02-29"),
             E("The bridge was shut for most of 2004. From February through December, ferries carried the traffic.",
               "2014-07", "December", "2004-12-01..2004-12-31"),
             E("Snowfall peaked in early December.", "2013-03-22", "early December", "2012-12-01..2012-12-10"),
             E("The drought began late last July.", "2013-03-22", "late last July", "2012-07-21..2012-07-31"),
             E("The head teacher retired last May.", "2013-03-21", "last May", "2012-05-01..2012-05-31"),
         ),
         not_after=r"(?:[^\S\n]{0,3}\d|[^\S\n]{1,3}of[^\S\n])", triggers=("month",)),
    # ---------------------------------------------------------------- season
    Rule("season_year", "season",
         rf"(?:{THE})?(?:(?P<part>early|mid|late|Early|Mid|Late){DASH}?{OPT_SP})?(?P<season>{SEASON})"
         rf"(?:{SP}of|,)?{SP}(?P<year>{YEAR})",
         "season", (
             E("Tourists crowded the island in the summer of 2014.", "2018-02-04", "the summer of 2014",
               "2014-06-01..2014-08-31"),
             E("The excavation ended in summer 2007.", None, "summer 2007", "2007-06-01..2007-08-31"),
             E("The winter of 1914 froze the harbour solid.", None, "The winter of 1914", "1914-12-01..1915-02-28"),
         ), triggers=("season",)),
    Rule("season_of_relative_year", "season",
         rf"(?:{THE})?(?:(?P<part>early|mid|late|Early|Mid|Late){DASH}?{OPT_SP})?(?P<season>{SEASON}){SP}of{SP}"
         rf"(?P<relative>last|this|next|that|the{SP}same|the{SP}following|the{SP}previous|the{SP}next){SP}year\b",
         "season_of_year", (
             E("The circus is to return during the spring of next year.", "2018-02-04", "the spring of next year",
               "2019-03-01..2019-05-31"),
             E("The orchestra was rebuilt in 1942. In the summer of that year it toured.", None, "the summer of that year",
               "1942-06-01..1942-08-31"),
         ), triggers=("season",)),
    Rule("year_season", "season",
         rf"(?:{THE})?(?P<year>{YEAR}){SP}(?P<season>{SEASON})\b",
         "season", (
             E("After the flop of its 1982 summer catalogue, the firm changed course.", None, "1982 summer",
               "1982-06-01..1982-08-31"),
         ), triggers=("season",)),
    Rule("season_relative", "season",
         rf"(?:{THE})?(?:(?P<part>early|mid|late|Early|Mid|Late){SP})?(?P<relative>{RELATIVE}){SP}(?P<season>{SEASON})\b",
         "season", (
             E("Wildfires hit the region last summer.", "2013-03-22", "last summer", "2012-06-01..2012-08-31"),
             E("A new timetable is expected this spring.", "2010-03-02", "this spring", "2010-03-01..2010-05-31"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:of|months|offensive|campaign|session|term|break|holidays?)\b)", triggers=("season",)),
    Rule("season", "season",
         rf"(?:(?:the|The){SP})?(?:(?P<part>early|mid|late|Early|Mid|Late){DASH}?{OPT_SP})?(?P<season>{SEASON})\b",
         "season", (
             E("The old oak, which came down in the fall, was cut into benches.", "2018-02-04",
               "the fall", "2017-09-01..2017-11-30"),
             E("The number of visitors grew over the summer when the new wing opened.", "2018-02-04",
               "the summer", "2017-06-01..2017-08-31"),
             E("The choir will reconvene in the autumn.", "2018-02-04", "the autumn", "2018-09-01..2018-11-30"),
             E("The mill stopped in September 1941. During the winter, the village went without bread.", None,
               "the winter", "1941-12-01..1942-02-28"),
             E("Ferries ran all through the summer in the southern bays.", "2018-02-04", "the summer",
               "2017-06-01..2017-08-31"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:of|from|to|back|out|off|down|up)\b)", triggers=("season",)),
    # ---------------------------------------------------------------- quarter and half
    Rule("quarter", "quarter",
         rf"(?:{THE})?(?:(?P<ago>year{DASH}(?:ago|earlier)){SP})?(?P<ordinal>{QUARTER_ORDINAL})(?:{SP}|{DASH})quarter"
         rf"(?:{SP}of{SP}(?:(?P<year>{YEAR})|(?:{THE})?"
         rf"(?P<relative>last|this|next|the|that|the{SP}same|the{SP}following|the{SP}previous){SP}year))?"
         rf"|\b(?P<q>Q[1-4]){SP}(?P<qyear>{YEAR})"
         rf"|(?:{THE})(?P<recent>latest|most{SP}recent|past|previous|current|same|year{DASH}ago|year{DASH}earlier"
         rf"|comparable){SP}quarter\b",
         "quarter", (
             E("Ferry bookings fell in the first quarter of 2014.", None, "the first quarter of 2014", "2014-01-01..2014-03-31"),
             E("Burglaries rose in the fourth quarter of last year.", "2018-02-04", "the fourth quarter of last year",
               "2017-10-01..2017-12-31"),
             E("Q3 2019 sales figures came out late.", None, "Q3 2019", "2019-07-01..2019-09-30"),
             E("The brewery said sales rose in the fourth quarter.", "2018-02-04", "the fourth quarter",
               "2017-10-01..2017-12-31"),
             E("Third-quarter revenue at the ferry line rose 4%.", "2017-11-20", "Third-quarter",
               "2017-07-01..2017-09-30"),
             E("The mill earned more than in the year-earlier third quarter.", "2017-11-20",
               "the year-earlier third quarter", "2016-07-01..2016-09-30"),
             E("Margins narrowed in the latest quarter, the bakery chain said.", "2017-11-20", "the latest quarter",
               "2017-07-01..2017-09-30"),
             E("Net income rose in the third quarter from $4 million in the year-ago quarter.", "2017-11-20",
               "the year-ago quarter", "2016-07-01..2016-09-30"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:of[^\S\n]{1,3}(?:a|an|the)[^\S\n]{1,3}(?:century|mile|million))|[^\S\n]{1,3}(?:mile|century|final)\b)", triggers=("quarter",)),
    Rule("half", "half",
         rf"(?:{THE})?(?P<ordinal>first|second|latter|First|Second|Latter){SP}half{SP}of{SP}(?:(?P<year>{YEAR})|(?:{THE})?"
         rf"(?P<relative>last|this|next|that|the|the{SP}same|the{SP}following|the{SP}previous){SP}year)",
         "half", (
             E("Rents eased in the second half of 2019.", None, "the second half of 2019", "2019-07-01..2019-12-31"),
             E("Tourism will recover in the first half of next year.", "2018-02-04", "the first half of next year",
               "2019-01-01..2019-06-30"),
         ), triggers=("half",)),
    # ---------------------------------------------------------------- year
    Rule("year_part", "year",
         rf"(?:(?P<part>{PART}){SP}|(?P<mid>{MID_PREFIX}))(?:{THE}year{SP})?(?P<year>{YEAR})\b",
         "year", (
             E("The council repaved the square in late 2021.", None, "late 2021", "2021-09-01..2021-12-31"),
             E("The leak was fixed by mid-2007.", None, "mid-2007", "2007-05-01..2007-08-31"),
             E("Most of the miners had moved away by the end of 1958.", None, "the end of 1958", "1958-09-01..1958-12-31"),
         ),
         not_after=r"(?:[^\S\n]{0,3}(?:%|[-/]\d))", triggers=("digit",)),
    Rule("bc_year", "year",
         rf"(?P<year>\d{{1,4}}){SP}(?P<era>BC|B\.C\.|BCE|B\.C\.E\.)(?![\w])",
         "bc_year", (
             E("The temple was raised around 490 BC.", None, "490 BC", None),
         ), triggers=("digit",)),
    Rule("year_ad", "year",
         rf"(?:AD|A\.D\.){SP}(?P<year>\d{{1,4}})\b|(?P<year2>\d{{1,4}}){SP}(?:AD|A\.D\.|CE|C\.E\.)(?![\w])",
         "year", (
             E("The abbey was founded in AD 732.", None, "AD 732", "0732-01-01..0732-12-31"),
         ), triggers=("digit",)),
    Rule("year_adjective", "year",
         rf"(?P<year>{YEAR})(?=[^\S\n]{{1,3}}[a-z])",
         "year", (
             E("It was the wettest of the 1777 harvests.", None, "1777", "1777-01-01..1777-12-31"),
         ),
         before=r"\b(?:the|its|his|her|their|The|Its|His|Her|Their)[^\S\n]$",
         not_after=r"[^\S\n]{1,3}(?:men|people|troops|soldiers|fighters|casualties|dead|killed|prisoners)\b", triggers=("digit",)),
    Rule("year", "year",
         rf"(?<![\d$£€.,/:#])(?:(?P<fiscal>fiscal|Fiscal|FY){SP})?(?P<year>{YEAR})\b(?!s\b)",
         "year", (
             E("The eagles returned to the cliffs in 2024.", "2025-01", "2024", "2024-01-01..2024-12-31"),
             E("The ferryman lost his licence in 1775.", None, "1775", "1775-01-01..1775-12-31"),
             E("The team has improved since 2014, when its stadium burned.", "2022-01-29", "2014",
               "2014-01-01..2014-12-31"),
         ),
         # A number followed by a plural noun is a count ("1500 troops"), not a year ("a 2009 analysis").
         not_after=r"(?:[^\S\n]{0,3}(?:%|[.,]\d)|[^\S\n]{1,3}(?:(?!(?:has|was|as|does|goes|sees|marks|saw)\b)[a-z]*[^\Wsiu]s|men|people|police|personnel|"
                   r"infantry|cavalry|artillery|strong|tons|feet|foot|km|kilometres|kilometers|miles|metres|meters)\b"
                   # an address: "1160 W. Avenue P", "1146 Main Street"
                   r"|[^\S\n]{1,3}(?:[NSEW]\.|North\b|South\b|East\b|West\b|[A-Z][a-z]+[^\S\n]{1,3}(?:Street|St\.|Avenue|"
                   r"Ave\.|Road|Rd\.|Boulevard|Blvd\.|Drive|Dr\.|Lane|Way)\b))", triggers=("digit",)),
    Rule("year_range_end", "year",
         rf"(?<=\d\d[-\u2013])(?P<short>\d\d)(?![\d%])",
         "year_range_end", (
             E("The polar voyage of 1915-16 went badly.", None, "16", "1916-01-01..1916-12-31"),
         ),
         before=r"(?<![\d.,$])(?:1[0-9]|20)\d\d[-\u2013]$", triggers=("digit",)),
    Rule("the_past_span", "range",
         rf"(?:{THE})(?P<relative>past|last){SP}year\b",
         "past_span", (
             E("The shelter took in hundreds of dogs in the last year alone.", "2014-07", "the last year", "2013-07-01..2014-07-31"),
             E("Over the past year, the bakery has doubled its sales.", "2022-01-29", "the past year",
               "2021-01-01..2022-01-29"),
         ),
         not_after=r"[^\S\n]{1,3}of\b",
         before=r"\b(?:in|In|over|Over|during|During|within|Within)[^\S\n]{1,3}$", triggers=("year_word", "month_word")),
    Rule("part_of_the_year", "year",
         rf"(?P<part>{PART}|(?:the|The){SP}(?:latter|last|first|early|later){SP}(?:part|months|weeks|days){SP}of"
         rf"|(?:late|early|later|earlier|Late|Early|Later|Earlier){SP}in){SP}(?:(?:the|that){SP})?(?P<unit>year|month|day)\b"
         rf"(?![-\u2013])|(?P<unit2>month|year)['’]s{SP}(?P<part2>end|beginning|start)\b"
         rf"|\b(?P<unit3>year|month|Year|Month){DASH}(?P<part3>end)\b",
         "part_of_the_unit", (
             E("The school opened in April 1776. By the end of the year, it had forty pupils.", None,
               "the end of the year", "1776-09-01..1776-12-31"),
             E("Late in the year the geese flew south.", "2018-02-04", "Late in the year", "2018-09-01..2018-12-31"),
             E("Sales of skates peaked by the end of year.", "2013-03-22", "the end of year", "2013-09-01..2013-12-31"),
             E("The dam filled on 12 October 1951. At month's end, the turbines turned.", None, "month's end",
               "1951-10-21..1951-10-31"),
             E("The strike began in March 1946. Later in the year, the owners gave in.", None, "Later in the year",
               "1946-01-01..1946-12-31"),
             E("The fair opened in June 1940. By the end of the month, it had closed again.", None,
               "the end of the month", "1940-06-21..1940-06-30"),
             E("A pipe burst at the school on Jan. 15, 2018. Later in the day a second one gave way.", None,
               "Later in the day", "2018-01-15"),
             E("The loan will be repaid by year-end, the treasurer said.", "2017-03-02", "year-end",
               "2017-09-01..2017-12-31"),
         ), triggers=("year_word", "month_word", "day")),
    Rule("year_relative", "year",
         rf"(?:(?P<part>{PART}){SP}(?:(?:in|this){SP})?|(?P<mid>{MID_PREFIX}))?(?:{THE})?(?P<relative>{RELATIVE})"
         rf"(?:{SP}(?:fiscal|calendar))?{SP}year(?!s)\b",
         "relative_unit", (
             E("A cold spring made matters worse last year.", "2022-01-29", "last year", "2021-01-01..2021-12-31"),
             E("After a lull in orders late last year, the factory hired again.", "2022-01-29", "late last year",
               "2021-09-01..2021-12-31"),
             E("Egg prices rose early this year.", "2013-03-21", "early this year", "2013-01-01..2013-04-30"),
             E("The strike ended in 1918. The following year, the union grew.", "2009-12-19",
               "The following year", "1919-01-01..1919-12-31"),
             E("Ticket sales will recover next year.", "2013-03-22", "next year", "2014-01-01..2014-12-31"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:of|old)\b|[-\u2013]old)", triggers=("year_word",)),
    Rule("years_ago", "year",
         rf"(?:{APPROX})?(?P<number>{NUMBER}){SP}(?P<unit>years?|decades?){SP}(?P<direction>ago|earlier|later|before|after|previously|from{SP}now|hence)\b",
         "offset", (
             E("The shop lost its lease nearly three years ago.", "2022-01-29", "nearly three years ago",
               "2019-01-01..2019-12-31"),
             E("The co-op was founded a decade ago by six farmers.", "2017-05-02", "a decade ago",
               "2007-01-01..2007-12-31"),
             E("The club was founded in 2004. Two years later it had three teams.", None, "Two years later",
               "2006-01-01..2006-12-31"),
             E("The quay was rebuilt in 2012, where a crane had collapsed six years previously.", None,
               "six years previously", "2006-01-01..2006-12-31"),
         ),
         not_after=OFFSET_NOT_AFTER, triggers=("year_word",)),
    # ---------------------------------------------------------------- decade and century
    Rule("year_in_words", "year",
         rf"(?P<words>{YEAR_IN_WORDS})",
         "year_in_words", (
             E("The cannery opened in nineteen ninety-six.", None, "nineteen ninety-six", "1996-01-01..1996-12-31"),
             E("The statue has stood there since eighteen oh five.", None, "eighteen oh five", "1805-01-01..1805-12-31"),
             E("The plan dates from two thousand and eight.", None, "two thousand and eight", "2008-01-01..2008-12-31"),
         ),
         before=r"\b(?:in|In|of|since|Since|by|By|until|from|From|to|during|During|year|early|late|mid)[^\S\n]{1,3}$",
         triggers=("year_in_words",)),
    Rule("decade_in_words", "decade",
         rf"(?:{THE})(?:(?P<part>early|mid|late|Early|Mid|Late){DASH}?{OPT_SP})?(?P<decade_word>{DECADE_WORD})\b",
         "decade", (
             E("The band was famous in the nineties.", "2017-11-06", "the nineties", "1990-01-01..1999-12-31"),
             E("The mill closed in the late seventies.", "2017-11-06", "the late seventies", "1977-01-01..1979-12-31"),
         ), triggers=("decade_word",)),
    Rule("decade", "decade",
         rf"(?:{THE})?(?:(?P<part>early|mid|late|Early|Mid|Late){DASH}?{OPT_SP})?(?P<decade>1[0-9]\d0|20\d0|['’]\d0)['’]?s\b",
         "decade", (
             E("The festival has roots in the 1990s.", None, "the 1990s", "1990-01-01..1999-12-31"),
             E("The murals date from the late 1980s.", None, "the late 1980s", "1987-01-01..1989-12-31"),
         ), triggers=("digit",)),
    Rule("century", "range",
         rf"(?:{THE})?(?:(?P<part>early|mid|late|Early|Mid|Late){DASH}?{OPT_SP})?(?P<ordinal>{CENTURY_ORDINAL})"
         rf"{OPT_SP}{DASH}?{OPT_SP}(?:century|Century)(?:{SP}(?P<era>BC|B\.C\.|BCE))?\b",
         "century", (
             E("The bridge was built in the 12th century.", None, "the 12th century", "1101-01-01..1200-12-31"),
             E("Rail travel in the 20th century changed the valley.", None, "the 20th century", "1901-01-01..2000-12-31"),
         ), triggers=("century",)),
    # ---------------------------------------------------------------- holidays
    Rule("holiday", "day",
         rf"(?P<holiday>{HOLIDAY})(?:(?:,|{SP}of)?{SP}(?P<year>{YEAR}))?\b",
         "holiday", (
             E("Fireworks lit the bay on Bastille Day 2016.", None, "Bastille Day 2016", "2016-07-14"),
             E("The power cut came on Christmas.", "2018-02-04", "Christmas", "2017-12-25"),
             E("The choir sang on Easter Sunday 2019.", None, "Easter Sunday 2019", "2019-04-21"),
             E("Markets stayed open through Eid al-Fitr 2018.", None, "Eid al-Fitr 2018", "2018-06-15"),
             E("Night markets flourished during Ramadan 2017.", None, "Ramadan 2017", "2017-05-27..2017-06-24"),
         ),
         not_after=r"(?:[^\S\n]{1,3}(?:tree|card|gift|market|party|parties|dinner|carol|prayers?)s?\b)", triggers=("holiday",)),
)

RULE_BY_NAME = {rule.name: rule for rule in RULES}
