"""The one place that turns a matched date expression into an inclusive interval of days.

Each rule in ``patterns.py`` names a resolver here. A resolver gets the match's named parts and a
``Context`` (the text, the publication date, the dates found so far) and returns a ``Resolution``:
the interval, the granularity and the anchor it used, or None when the match turns out not to be a
date at all (a modal "may", a narrative "now").

Anchors are chosen explicitly, never by accident:

* ``none``: the expression names its own year ("12 March 1944", "late 2021", "the 1990s").
* ``published``: relative to the publication date: "last week", "late last year", "three days ago",
  "on Friday night", "now", and a month, day or season without a year ("in November") when the text
  has not just been narrating some other time. The sentence's tense picks the side: "In November,
  the SDF said ..." in an article of 29 January 2022 is November 2021; "the vote will be held on
  April 7" is the coming April 7.
* ``text``: relative to the previous date in the text, for narrative: "two days later", "the
  following month", "that same day", and a yearless month or day right after an explicit year from
  another time ("The bridge was shut for most of 2004. From February through December ..." is
  February-December 2004, not the months before publication).

What "narrating some other time" means depends on the text. In news, a yearless date counts from
the previous date only within its paragraph, and only if that date was not itself relative to the
publication ("... said last week. In November, ..." stays with the publication). A text whose
four-digit years are mostly far from its publication date is a history (a background piece, an
encyclopedia article; HeidelTime's "narratives"): there the story's latest date carries across
paragraphs; a bare year that interrupts a day-by-day story ("declassified in 2005") does not move
it; quoted speech ("we will strike tomorrow") is not anchored on the publication date; and after a
date before the Common Era, what follows stays unresolved. A narrative moves forward: after
"December 11, 1941", "in January" is January 1942 (a step back of up to four months is a flashback).

When the publication date is unknown, publication-relative expressions stay unresolved
(``start_date`` None) rather than being resolved against today. A publication date known only to
the month resolves month-, season- and year-relative expressions but not "yesterday" or "last week".

Conventions:

* Weeks start on Sunday (the US news convention: a Sunday paper's "last week" is the seven days
  Sunday-Saturday just ended). The TempEval scorer uses ISO weeks (Monday start) and accepts one
  day's difference, so intervals still match it; the seed gold accepts both.
* Seasons are northern-hemisphere meteorological seasons: spring March-May, summer June-August,
  fall/autumn September-November, winter December-February (the winter of 2014 is December 2014 to
  February 2015).
* Early / mid / late (and the beginning / middle / end of) take a third of the period: days 1-10,
  11-20 and 21-end of a month; January-April, May-August and September-December of a year; the
  first, middle and last months of a season; years 0-3, 4-6 and 7-9 of a decade. (TimeML gold keeps
  the whole period with a modifier instead, so benchmark value scores count these as misses.)
* "Earlier this year" said in March is January to the publication date; "later that year" in a story
  is that whole year.

    >>> import datetime as dt
    >>> shift_unit(dt.date(2018, 2, 4), "month", -1)
    datetime.date(2018, 1, 4)
    >>> part_of_period(dt.date(2018, 1, 1), dt.date(2018, 1, 31), "month", "late")
    (datetime.date(2018, 1, 21), datetime.date(2018, 1, 31))
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dashboard.core import numbers
from dashboard.pipeline.dates import holidays, normalise
from dashboard.pipeline.dates.patterns import CENTURY_ORDINALS, ORDINAL_WORDS, SEASON_CONTEXT, holiday_key
from dashboard.records import DateMention, PublicationDate

D = dt.date
ONE_DAY = dt.timedelta(days=1)

SEASON_START_MONTH = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
# Which way a relative word points, and whether it counts from the publication date or from the
# previous date in the text.
DIRECTIONS = {
    "last": (-1, "published"), "past": (-1, "published"), "this": (0, "published"),
    "current": (0, "published"), "next": (1, "published"), "coming": (1, "published"),
    "previous": (-1, "text"), "preceding": (-1, "text"), "same": (0, "text"), "that": (0, "text"),
    "following": (1, "text"),
}
PART_WORDS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
              "late": "late", "end": "late", "earlier": "earlier", "later": "later", "turn": "turn"}

# Tense markers, nearest to the mention wins ("said Friday that it will ..." is past for Friday).
_TENSE = re.compile(
    r"(?P<future>\b(?:(?:going|due|expected|set|scheduled|planning|plans?|intends?)[^\S\n]{1,3}to"
    r"(?:[^\S\n]{1,3}be)?(?:[^\S\n]{1,3}[a-z]{1,20}ed)?|(?:will|won['’]t|shall)(?:[^\S\n]{1,3}(?:not|also|then|now|soon))?"
    r"(?:[^\S\n]{1,3}be)?(?:[^\S\n]{1,3}[a-z]{1,20})?"
    r"|planned|upcoming)\b|['’]ll\b)"
    r"|(?P<past>\b(?:was|were|had|did|ago|said|told|held|took|began|fell|came|saw|went|left|led|fought|"
    r"won|lost|met|made|gave|sent|became|ran|struck|rose|grew|fled|broke|drove|sought|brought|bought|caught|"
    r"thought|stood|spoke|wrote|rode|chose|arose|overran|withdrew|drew|threw|blew|flew|knew|shot|spent|built|"
    r"felt|kept|swept|paid|laid|sold|found|hung|sank|overcame|forgave|shook|undertook|woke|stole|wore|tore|"
    r"swore|got|sat|hid|heard|understood|withstood|ate|[a-z]{2,20}ed)\b)"
    r"|(?P<present>(?:\b(?:has|have)|\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]here|[Ww]ho|[Tt]hat)['’]s|['’]ve)[^\S\n]{1,3}"
    r"(?:\w{1,20}[^\S\n]{1,3})?\w{1,20}ed\b"
    r"|\b(?:is|are|has|have|remains?|continues?|says|controls?|holds?|does|do)\b)")
_LOOK_BACK_RULES = {"days_ago", "weeks_ago", "months_ago", "years_ago", "year_relative", "month_relative",
                    "week_relative", "day_relative"}
_PUBLICATION_RELATIVE = re.compile(
    r"\b(?:yesterday|tomorrow|tonight|(?:last|this|next|past)[^\S\n]{1,3}(?:week|month|year|night|weekend)"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|ago)\b")
_RANGE_PARTNER_YEAR = re.compile(
    r"[^\S\n]{0,3}(?:[-\u2013\u2014/]|to\b|and\b|or\b|through\b|until\b|till\b)[^.;()\n\d]{0,25}?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?[^\S\n]{1,3})?(?:[A-Z][a-z]{2,8}\.?[^\S\n]{1,3})?(?:\d{1,2}(?:st|nd|rd|th)?,?[^\S\n]{1,3})?"
    r"(?P<year>1[0-9]\d\d|20\d\d)(?!\d|,\d)")
_YEAR = re.compile(r"(?<![\d,.$])(1[0-9]\d\d|20\d\d)(?!\d|,\d)|\b\d{1,4}[^\S\n]?(B\.?C\.?)")


# How far (in characters, within a paragraph) a news text's previous date anchors a yearless one.
NEWS_NARRATIVE_REACH = 200

# The narrative's reference is a date before the Common Era: what counts from it stays unresolved.
ERA_BREAK = DateMention("", -1, -1, None, None, "year", "none", "era_break")


@dataclass(frozen=True)
class Resolution:
    start_date: dt.date | None
    end_date: dt.date | None
    granularity: str
    anchor: str  # published | text | none


# ---- calendar arithmetic --------------------------------------------------------------------------

def month_end(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


def month_interval(year: int, month: int) -> tuple[dt.date, dt.date]:
    return D(year, month, 1), month_end(year, month)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def shift_unit(day: dt.date, unit: str, n: int) -> dt.date:
    """``day`` moved by n units (day, week, month, year), clamping the day of month."""
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    months = n if unit == "month" else 12 * n
    year, month = add_months(day.year, day.month, months)
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def week_start(day: dt.date) -> dt.date:
    """The Sunday that starts ``day``'s week (see the module docstring)."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def unit_interval(day: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The day, week, month or year that contains ``day``."""
    if unit == "day":
        return day, day
    if unit == "week":
        start = week_start(day)
        return start, start + dt.timedelta(days=6)
    if unit == "month":
        return month_interval(day.year, day.month)
    return D(day.year, 1, 1), D(day.year, 12, 31)


def season_interval(year: int, season: str) -> tuple[dt.date, dt.date]:
    first = SEASON_START_MONTH[season]
    last_year, last_month = add_months(year, first, 2)
    return D(year, first, 1), month_end(last_year, last_month)


def season_of(day: dt.date) -> tuple[int, str]:
    """The (year, season) a day falls in; January and February belong to the previous year's winter."""
    if day.month in (1, 2):
        return day.year - 1, "winter"
    return day.year, {3: "spring", 4: "spring", 5: "spring", 6: "summer", 7: "summer", 8: "summer",
                      9: "fall", 10: "fall", 11: "fall", 12: "winter"}[day.month]


def part_of_period(start: dt.date, end: dt.date, unit: str, part: str | None,
                   anchor_day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The early / mid / late third of a period (see the module docstring for the thirds).

    "earlier" and "later" ("earlier this month") split the period at ``anchor_day`` when it falls inside,
    and are the whole period otherwise ("later that year" in a story names that year).
    """
    if not part or part == "turn":
        return start, end
    if part in ("earlier", "later"):
        # "earlier this year" said in March: January to March; "later that year" in a story: that year.
        if anchor_day is not None and start <= anchor_day <= end:
            return (start, anchor_day) if part == "earlier" else (anchor_day, end)
        return start, end
    index = {"early": 0, "mid": 1, "late": 2}[part]
    if unit == "month":
        bounds = [(1, 10), (11, 20), (21, end.day)][index]
        return D(start.year, start.month, bounds[0]), D(start.year, start.month, bounds[1])
    if unit == "year":
        first, last = [(1, 4), (5, 8), (9, 12)][index]
        return D(start.year, first, 1), month_end(start.year, last)
    if unit == "season":
        year, month = add_months(start.year, start.month, index)
        return month_interval(year, month)
    if unit == "decade":
        first, last = [(0, 3), (4, 6), (7, 9)][index]
        return D(start.year + first, 1, 1), D(start.year + last, 12, 31)
    days = (end - start).days + 1
    third = max(1, days // 3)
    if index == 0:
        return start, start + dt.timedelta(days=third - 1)
    if index == 2:
        return end - dt.timedelta(days=third - 1), end
    return start + dt.timedelta(days=third), end - dt.timedelta(days=third)


def part_word(text: str | None) -> str | None:
    if not text:
        return None
    words = text.lower().replace("-", " ").split()
    for word in reversed(words):
        if word in PART_WORDS:
            return PART_WORDS[word]
    return None


# ---- the context: publication date, previous dates, sentences and tense ------------------------

class Context:
    """What a resolver may look at: the text, the publication date and the dates found before."""

    def __init__(self, text: str, published: PublicationDate, spans=None):
        self.text = text
        self.published = published
        self.spans = spans
        self.mentions: list[DateMention] = []  # resolved mentions so far, in text order
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.match_start = 0
        self.match_end = 0
        self.era_break = -1  # where the last date before the Common Era was found

    # -- publication
    @property
    def publication_day(self) -> dt.date | None:
        """The publication date when known to the day; None otherwise (and in quoted speech of a history)."""
        if self.published.precision != "day" or self.quoted_in_history():
            return None
        return self.published.start_date

    def quoted_in_history(self) -> bool:
        """Inside quotation marks in a history: "tonight" and "next summer" are the speaker's, not ours."""
        if not self.is_history:
            return False
        paragraph_start = self.text.rfind("\n", 0, self.match_start) + 1
        before = self.text[max(paragraph_start, self.match_start - 2000):self.match_start]
        return (before.count('"') % 2 == 1) or before.count("“") > before.count("”")

    @property
    def publication_month(self) -> dt.date | None:
        """The first day of the publication month, when the month is known."""
        if self.published.start_date is None or self.published.precision == "year":
            return None
        return self.published.start_date.replace(day=1)

    def publication_anchor(self, unit: str) -> dt.date | None:
        """The publication date if it is precise enough to count ``unit``s from it."""
        if unit in ("day", "week", "weekday"):
            return self.publication_day
        if self.quoted_in_history():
            return None
        if unit in ("month", "season", "quarter", "half"):
            return self.published.start_date if self.published.precision in ("day", "month") else None
        return self.published.start_date

    # -- narrative
    def paragraph(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset)

    def previous(self) -> DateMention | None:
        """The previous resolved date in the text (whatever its anchor)."""
        if not self.mentions:
            return ERA_BREAK if self.era_break >= 0 else None
        return ERA_BREAK if self.mentions[-1].start < self.era_break else self.mentions[-1]

    def narrative_reference(self) -> DateMention | None:
        """The previous date, when the text is narrating a time other than its publication.

        That is the case when the previous date names its own year or was itself found from the
        narrative, and it is in the same paragraph, or far (two years or more) from the publication
        date, or the publication date is unknown. A previous "last week" means the text is talking
        about the publication's own time, so yearless dates then count from the publication date.
        """
        if self.is_history:
            # A history names the publication's time only in passing, and a look back ("a year
            # earlier", "the previous year") does not move the story: look past both. After a date
            # before the Common Era ("in 480 BC"), the story is somewhere no calendar day can say.
            for index in range(len(self.mentions) - 1, -1, -1):
                if self.mentions[index].start < self.era_break:
                    return ERA_BREAK
                previous = self.mentions[index]
                if previous.anchor == "published":
                    if self.paragraph(previous.start) == self.paragraph(self.match_start):
                        return None  # "... said last week. In November, ...": the paragraph is in the present
                    continue
                if previous.anchor == "text" and index > 0 and previous.start_date < self.mentions[index - 1].start_date \
                        and previous.rule in _LOOK_BACK_RULES:
                    continue
                if previous.granularity in ("year", "decade") and self._is_digression(index):
                    continue
                return previous
            return None
        previous = self.previous()
        if previous is None or previous.anchor == "published":
            return None
        if self.published.start_date is None:
            return previous
        # In news the story's own time holds only close by: "... most of 2004. From February through December".
        if self.paragraph(previous.start) == self.paragraph(self.match_start) \
                and self.match_start - previous.end <= NEWS_NARRATIVE_REACH:
            return previous
        return None

    def _is_digression(self, index: int) -> bool:
        """Whether a bare year interrupts a day-by-day story ("... the diary, printed in 1990, shows that
        the ship left on 4 May"): the dated story just before it is more than a year away."""
        year = self.mentions[index].start_date.year
        for earlier in reversed(self.mentions[max(0, index - 4):index]):
            if earlier.granularity in ("day", "month", "range") and earlier.anchor != "published":
                return abs(earlier.start_date.year - year) > 1
        return False

    @property
    def is_history(self) -> bool:
        """Whether the text narrates a past far from its publication, like HeidelTime's "narratives".

        True when it names at least four years far (two or more) from the publication, more far years
        than near ones, and few words that count from the publication ("last week", "Friday", "ago"):
        fewer than one for every five far years. A news report with background years ("declared its
        caliphate in 2014") still says "last week" and "on Friday", and stays news.
        """
        if not hasattr(self, "_is_history"):
            years = [int(year) if year else -1 for year, bc in _YEAR.findall(self.text)]  # BC: -1, far enough
            published = self.published.start_date
            near = sum(1 for y in years if published and abs(y - published.year) <= 1)
            far = len(years) - near
            self._is_history = (published is not None and far >= 4 and near < far
                                and len(_PUBLICATION_RELATIVE.findall(self.text)) * 5 < far)
        return self._is_history

    # -- tense
    def sentence_bounds(self) -> tuple[int, int]:
        start, end = self.match_start, self.match_end
        if self.spans:
            i = bisect.bisect_right(self.span_starts, start) - 1
            if i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]:
                return self.spans[i]
        text = self.text
        left = max(text.rfind(". ", max(0, start - 300), start), text.rfind("\n", max(0, start - 300), start))
        left = max(left + 1, start - 300, 0)
        candidates = [i for i in (text.find(". ", end, end + 300), text.find("\n", end, end + 300)) if i >= 0]
        right = min(candidates) if candidates else min(len(text), end + 300)
        return left, right

    def tense(self, after_penalty: int = 10) -> str | None:
        """past, future, present or None: the tense marker nearest to the mention in its sentence.

        A marker after the mention counts ``after_penalty`` characters farther ("said Friday that ...").
        """
        left, right = self.sentence_bounds()
        best, best_distance = None, None
        for found in _TENSE.finditer(self.text, left, right):
            if self.match_start <= found.start() < self.match_end:
                continue
            distance = self.match_start - found.end() if found.end() <= self.match_start else found.start() - self.match_end
            # A marker before the mention binds a little more than one after it ("said Friday that ...").
            distance = distance if found.end() <= self.match_start else distance + after_penalty
            if best_distance is None or distance < best_distance:
                best, best_distance = found.lastgroup, distance
        return best

    @property
    def span_starts(self):
        if not hasattr(self, "_span_starts"):
            self._span_starts = [s for s, _ in self.spans]
        return self._span_starts


# ---- choosing a year for a yearless month, day, season or holiday ---------------------------------

def _pick(candidates: list[tuple[dt.date, dt.date]], pivot: dt.date, tense: str | None,
          strict: bool = False) -> tuple[dt.date, dt.date]:
    """Of intervals around ``pivot`` (in time order), the one the tense points to.

    past: the latest that starts on or before the pivot; future: the earliest that ends on or after
    it; otherwise the nearest, ties going to the past. ``strict`` leaves out the interval holding
    the pivot ("last May" said in May is a year ago).
    """
    if strict:
        candidates = [iv for iv in candidates if not (iv[0] <= pivot <= iv[1])]
    if tense == "past":
        before = [iv for iv in candidates if iv[0] <= pivot]
        if before:
            return before[-1]
    if tense == "future":
        after = [iv for iv in candidates if iv[1] >= pivot]
        if after:
            return after[0]

    def distance(iv):
        if iv[0] <= pivot <= iv[1]:
            return (0, 0)
        return (min(abs((iv[0] - pivot).days), abs((iv[1] - pivot).days)), 0 if iv[1] < pivot else 1)
    return min(candidates, key=distance)


def yearless(ctx: Context, make, unit: str, relative: str | None = None):
    """Resolve an expression that names no year: ``make(year)`` gives its interval in a given year.

    ``relative`` is a word like "last", "next", "this", "that" or "following" said with it.
    Returns a Resolution with the anchor used, or an unresolved one.
    """
    direction, anchor_kind = DIRECTIONS.get((relative or "").lower(), (None, None))
    if anchor_kind is None:
        # "February-March 1794", "from May 15 to August 16, 1988": the year that closes the range.
        partner = _RANGE_PARTNER_YEAR.match(ctx.text, ctx.match_end, min(len(ctx.text), ctx.match_end + 45))
        if partner:
            found = make(int(partner.group("year")))
            if found:
                return Resolution(found[0], found[1], "", "text")
    reference = ctx.narrative_reference() if anchor_kind != "published" else None
    if reference is not None and anchor_kind is None and ctx.tense() == "future":
        reference = None  # "due to be published in May": the publication's time, not the story's
    if anchor_kind == "text":
        reference = ctx.previous()
    if reference is ERA_BREAK:
        return Resolution(None, None, "", "text")
    if reference is not None and reference.start_date is not None:
        pivot = reference.start_date
        candidates = [iv for iv in (make(y) for y in range(pivot.year - 1, pivot.year + 2)) if iv]
        if direction == -1:
            chosen = [iv for iv in candidates if iv[1] < pivot][-1:]
        elif direction == 1:
            chosen = [iv for iv in candidates if iv[0] > reference.end_date][:1]
        else:
            # A narrative moves forward: after "December 11, 1941", "in January" is January 1942.
            same_year = make(pivot.year)
            # A step back of a few weeks is a flashback; one of more than four months is the next year.
            if (same_year and reference.granularity in ("day", "month", "range")
                    and (reference.start_date - same_year[1]).days > 120):
                same_year = make(pivot.year + 1) or same_year
            chosen = [same_year] if same_year else []
        if chosen:
            return Resolution(chosen[0][0], chosen[0][1], "", "text")
    pivot = ctx.publication_anchor(unit)
    if pivot is None:
        return Resolution(None, None, "", "published")
    candidates = [iv for iv in (make(y) for y in range(pivot.year - 2, pivot.year + 3)) if iv]
    if direction == -1:
        iv = [c for c in candidates if c[1] < pivot and not (c[0] <= pivot <= c[1])][-1]
    elif direction == 1:
        iv = [c for c in candidates if c[0] > pivot][0]
    elif direction == 0:
        iv = _pick(candidates, pivot, None)
    else:
        iv = _pick(candidates, pivot, ctx.tense())
    return Resolution(iv[0], iv[1], "", "published")


def _safe(make):
    def wrapped(year):
        try:
            return make(year)
        except ValueError:
            return None
    return wrapped


# ---- resolvers, one per kind of rule ---------------------------------------------------------------

def _month_of(groups) -> int | None:
    if groups.get("month_number"):
        return int(groups["month_number"])
    month = groups.get("month") or groups.get("month2")
    return normalise.month_number(month) if month else None


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    digits = re.search(r"\d+", text)
    return int(digits.group()) if digits else None


def calendar_date(groups, ctx, granularity):
    found = normalise.day_and_month(groups["day"], groups.get("month") or str(groups.get("month_number")))
    if groups.get("month_number"):
        found = (int(groups["month_number"]), int(groups["day"]))
    if not found:
        return None
    try:
        day = D(int(groups["year"]), found[0], found[1])
    except ValueError:
        return None
    return Resolution(day, day, "day", "none")


def numeric_date(groups, ctx, granularity):
    first, second, year = int(groups["first"]), int(groups["second"]), int(groups["year"])
    if first > 12 and second <= 12:
        month, day = second, first
    elif second > 12 and first <= 12:
        month, day = first, second
    elif first == second and first <= 12:
        month, day = first, first
    else:
        return Resolution(None, None, "day", "none") if first <= 31 and second <= 31 else None
    try:
        found = D(year, month, day)
    except ValueError:
        return None
    return Resolution(found, found, "day", "none")


def day_range(groups, ctx, granularity):
    month = groups.get("month") or groups.get("month2")
    first = groups.get("day") or groups.get("day2")
    last = groups.get("day_end") or groups.get("day_end2")
    start_md, end_md = normalise.day_and_month(first, month), normalise.day_and_month(last, month)
    if not start_md or not end_md or end_md[1] <= start_md[1]:
        return None
    year = _year_of(groups.get("year") or groups.get("year2"))
    if year:
        try:
            return Resolution(D(year, *start_md), D(year, *end_md), "range", "none")
        except ValueError:
            return None
    found = yearless(ctx, _safe(lambda y: (D(y, *start_md), D(y, *end_md))), "day")
    return Resolution(found.start_date, found.end_date, "range", found.anchor)


def month_day(groups, ctx, granularity):
    found = normalise.day_and_month(groups["day"], groups["month"])
    if not found:
        return None
    month, day = found
    resolved = yearless(ctx, _safe(lambda y: (D(y, month, day), D(y, month, day))), "day")
    return Resolution(resolved.start_date, resolved.end_date, "day", resolved.anchor)


WEEKDAY_INDEX = {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def weekday(groups, ctx, granularity):
    target = WEEKDAY_INDEX[groups["weekday"][:3].lower()]
    relative = {"past": "last", "coming": "next"}.get((groups.get("relative") or "").lower(),
                                                       (groups.get("relative") or "").lower())
    if relative in ("following", "previous", "preceding"):
        # "the following Monday": the first Monday after the previous date in the text.
        reference = ctx.previous()
        if reference is None or reference is ERA_BREAK or reference.granularity not in ("day", "range"):
            return Resolution(None, None, "day", "text")
        if relative == "following":
            day = reference.end_date + dt.timedelta(days=(target - reference.end_date.weekday() - 1) % 7 + 1)
        else:
            day = reference.start_date - dt.timedelta(days=(reference.start_date.weekday() - target - 1) % 7 + 1)
        return Resolution(day, day, "day", "text")
    reference = ctx.narrative_reference()
    if reference is ERA_BREAK:
        return Resolution(None, None, "day", "text")
    # News names weekdays of the publication's week; only a history counts them from its story.
    if reference is not None and ctx.is_history and not relative and reference.granularity in ("day", "week"):
        # "On Monday" in a narrative: the first such weekday after the previous date.
        day = reference.start_date + dt.timedelta(days=(target - reference.start_date.weekday()) % 7)
        return Resolution(day, day, "day", "text")
    pivot = ctx.publication_day
    if pivot is None:
        return Resolution(None, None, "day", "published")
    back = (pivot.weekday() - target) % 7  # days back to the latest such weekday, 0 if today
    ahead = (target - pivot.weekday()) % 7
    if relative == "last":
        delta = -(back or 7)
    elif relative == "next":
        delta = ahead or 7
    elif relative == "this":
        delta = (week_start(pivot) + dt.timedelta(days=(target + 1) % 7) - pivot).days  # in this week
    else:
        tense = ctx.tense()
        if tense == "future":
            delta = ahead
        elif tense == "past":
            delta = -back
        else:
            delta = ahead if ahead < back else -back
    day = pivot + dt.timedelta(days=delta)
    return Resolution(day, day, "day", "published")


def week_of_month(groups, ctx, granularity):
    """ "the last week of August" (its last seven days), "the week of Jan. 15" (the week holding it)."""
    month_text = groups.get("month") or groups.get("month2")
    number = normalise.month_number(month_text)
    if number is None:
        return None
    year = _year_of(groups.get("year") or groups.get("year2"))
    if year:
        month_start, month_last = month_interval(year, number)
        anchor = "none"
    else:
        found = yearless(ctx, lambda y: month_interval(y, number), "month")
        if found.start_date is None:
            return Resolution(None, None, "week", found.anchor)
        (month_start, month_last), anchor = (found.start_date, found.end_date), found.anchor
    if groups.get("day"):
        found_day = normalise.day_and_month(groups["day"], month_text)
        if not found_day:
            return None
        try:
            start, end = unit_interval(D(month_start.year, *found_day), "week")
        except ValueError:
            return None
        return Resolution(start, end, "week", anchor)
    ordinal = groups["ordinal"].lower()
    if ordinal in ("last", "final"):
        return Resolution(month_last - dt.timedelta(days=6), month_last, "week", anchor)
    index = ORDINAL_WORDS[ordinal] - 1
    start = month_start + dt.timedelta(days=7 * index)
    return Resolution(start, start + dt.timedelta(days=6), "week", anchor)


def relative_day(groups, ctx, granularity):
    pivot = ctx.publication_day
    word = (groups.get("word") or groups.get("this") or "").lower()
    offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "this": 0, "last": -1}[word]
    if word == "last" and (groups.get("daytime") or "").lower() != "night":
        return None  # "last morning" is no date; "last night" is yesterday's
    if pivot is None:
        return Resolution(None, None, "day", "published")
    day = pivot + dt.timedelta(days=offset)
    return Resolution(day, day, "day", "published")


_NOW_AS_NAME_BEFORE = re.compile(r"(?:\(|\b(?:what|which|who|where)[^\S\n]{1,3}(?:is|are|was|were)[^\S\n]{1,3}"
                                 r"|\b(?:until|till|by|from|up[^\S\n]{1,3}to)[^\S\n]{1,3})$")
_NOW_AS_NAME_AFTER = re.compile(r"[^\S\n]{1,3}(?:[A-Z]|on\b|part\b)")


def present(groups, ctx, granularity):
    # A "now" in a past-tense sentence is the narrative's moment ("the army was now exhausted"), not
    # the publication's; it names no date we can give.
    sentence_start = ctx.sentence_bounds()[0]
    opening = not ctx.text[sentence_start:ctx.match_start].strip(" \t\"'“‘")
    # "now holds" binds to the verb right after it; "Now, Lockheed Martin ... is confident" is the present.
    if ctx.tense(after_penalty=0) == "past" and not opening:
        return None
    if _NOW_AS_NAME_BEFORE.search(ctx.text, max(0, ctx.match_start - 20), ctx.match_start) \
            or _NOW_AS_NAME_AFTER.match(ctx.text, ctx.match_end):
        return None  # "what is now Lyndhurst", "(now Volgograd)", "until now": no date of an event
    published = ctx.published
    if published.start_date is None or ctx.quoted_in_history():
        return Resolution(None, None, "day", "published")
    # Known only to the month (or year), "now" is that month (or year).
    granularity = published.precision if published.precision in ("month", "year") else "day"
    return Resolution(published.start_date, published.end_date, granularity, "published")


def offset(groups, ctx, granularity):
    """ "three days ago" (publication), "two days later" (previous date in the text)."""
    n = numbers.parse_number(groups.get("number"))
    if n is None or n > 500:
        return None
    unit = groups["unit"].lower().rstrip("s")
    direction = groups["direction"].lower()
    sign = 1 if direction in ("later", "after", "hence") or direction.startswith("from") else -1
    if direction == "ago" or direction == "hence" or direction.startswith("from"):
        pivot, anchor = ctx.publication_anchor(unit), "published"
    else:
        reference = ctx.previous()
        pivot, anchor = (reference.start_date if sign < 0 else reference.end_date, "text") if reference else (None, "text")
        if reference is not None and unit == "day" and reference.granularity not in ("day", "range"):
            pivot = None  # "two days later" after "in 2004" names no day
    if pivot is None:
        return Resolution(None, None, unit, anchor)
    start, end = unit_interval(shift_unit(pivot, unit, sign * n), unit)
    return Resolution(start, end, unit, anchor)


def day_relative(groups, ctx, granularity):
    """ "the next day", "that same day", "the day before" (previous date in the text)."""
    word = (groups.get("relative") or "").lower()
    direction = (groups.get("direction") or "").lower()
    that = (groups.get("that") or "").lower()
    if not word and not direction and not that:
        return None  # "the day" alone is too vague
    shift = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0, "": 0}[word]
    shift += {"before": -1, "after": 1, "": 0}[direction]
    if that == "this" and not word:
        return None  # "this morning" is relative_day's; "this day" is too vague
    reference = ctx.previous()
    if reference is None or reference.granularity not in ("day", "range"):
        return Resolution(None, None, "day", "text")  # "the next day" after "in 2004" names no day
    day = (reference.end_date if shift > 0 else reference.start_date) + dt.timedelta(days=shift)
    return Resolution(day, day, "day", "text")


_THE_NEXT = re.compile(r"\b[Tt]he[^\S\n]{1,3}next\b")


def _relative_word(groups, ctx) -> str | None:
    """The relative word said with the expression; "the next" in a narrative is "the following"."""
    relative = (groups.get("relative") or "").lower() or None
    if relative == "next" and _THE_NEXT.search(ctx.text, ctx.match_start, ctx.match_end) \
            and ctx.narrative_reference() is not None:
        return "following"
    return relative


def relative_unit(groups, ctx, granularity):
    """ "last week", "late last month", "the following year", "earlier this year"."""
    unit = granularity
    relative = _relative_word(groups, ctx)
    if relative == "the":
        relative = "this"
    direction, anchor = DIRECTIONS[relative]
    part = part_word(groups.get("part") or groups.get("mid"))
    if anchor == "text":
        reference = ctx.previous()
        if reference is None:
            # "the following year" with nothing before: count from the publication date instead.
            pivot, anchor = ctx.publication_anchor(unit), "published"
        else:
            pivot = reference.end_date if direction > 0 else reference.start_date
    else:
        pivot = ctx.publication_anchor(unit)
    if pivot is None:
        return Resolution(None, None, unit, anchor)
    start, end = unit_interval(shift_unit(pivot, unit, direction), unit)
    publication = ctx.published.start_date if anchor == "published" and direction == 0 else None
    start, end = part_of_period(start, end, unit, part, publication)
    return Resolution(start, end, unit, anchor)


def weekend(groups, ctx, granularity):
    pivot = ctx.publication_day
    relative = (groups.get("relative") or "").lower()
    if pivot is None:
        return Resolution(None, None, "week", "published")
    # The Saturday of the weekend that has just happened or is under way.
    saturday = pivot - dt.timedelta(days=(pivot.weekday() - 5) % 7)
    if relative in ("next", "coming") or (not relative and ctx.tense() == "future") or (
            relative == "this" and ctx.tense() == "future"):
        saturday = saturday + dt.timedelta(days=7) if saturday + ONE_DAY < pivot else saturday
    elif relative in ("last", "past") and saturday + ONE_DAY >= pivot:
        saturday -= dt.timedelta(days=7) if pivot.weekday() in (5, 6) else dt.timedelta(days=0)
    return Resolution(saturday, saturday + ONE_DAY, "week", "published")


def month(groups, ctx, granularity):
    number = _month_of(groups)
    if number is None:
        return None
    part = part_word(groups.get("part") or groups.get("mid"))
    year = _year_of(groups.get("year"))
    if year:
        start, end = part_of_period(*month_interval(year, number), "month", part)
        return Resolution(start, end, "month", "none")
    relative = _relative_word(groups, ctx)
    if not relative and not part and not _month_context(ctx):
        if number == 5:
            return None  # "May" alone is the modal verb more often than the month
        if _NAME_AFTER.match(ctx.text, ctx.match_end) or _NAME_BEFORE.search(ctx.text, max(0, ctx.match_start - 30),
                                                                               ctx.match_start):
            return None  # "June Carter", "the February Revolution", "the Long March": a name
    resolved = yearless(ctx, lambda y: month_interval(y, number), "month", relative)
    if resolved.start_date is None:
        return Resolution(None, None, "month", resolved.anchor)
    start, end = part_of_period(resolved.start_date, resolved.end_date, "month", part)
    return Resolution(start, end, "month", resolved.anchor)


_MONTH_CONTEXT = re.compile(r"(?:\b(?:in|In|on|On|by|By|since|Since|until|Until|till|through|during|During|from|"
                            r"From|to|of|before|Before|after|After|early|late|mid|and|or|between|last|next|this|"
                            r"that|end|start|beginning|middle)[^\S\n]{1,3}(?:the[^\S\n]{1,3})?|-)$")


_HOLIDAY_CONTEXT = re.compile(r"(?:\b(?:on|On|in|In|by|By|since|Since|until|Until|till|through|during|During|"
                              r"before|Before|after|After|of|for|For|over|Over|around|ahead[^\S\n]{1,3}of|the|The|"
                              r"this|This|last|Last|next|Next|that|holy[^\S\n]{1,3}month[^\S\n]{1,3}of)[^\S\n]{1,3})$")


_NAME_AFTER = re.compile(r"[^\S\n]{1,3}(?:[A-Z][a-z]|(?:to|on)[^\S\n]{1,3}(?:the\b|[A-Z]))")
_FUNCTION_WORDS = r"(?:The|A|An|In|On|By|During|Over|Since|Until|Through|From|After|Before|Last|Next|This|That|Early|Late)\b"
_NAME_BEFORE = re.compile(rf"(?:['’]s|\b(?!{_FUNCTION_WORDS})[A-Z][a-z]+)[^\S\n]{{1,3}}$")


def _month_context(ctx) -> bool:
    return bool(_MONTH_CONTEXT.search(ctx.text, max(0, ctx.match_start - 25), ctx.match_start))


_SEASON_CONTEXT = re.compile(SEASON_CONTEXT)
_VERB_BEFORE = re.compile(r"\b(?:to|will|would|could|can|cannot|may|might|must|should|not|did|does|do|n['’]t)"
                          r"[^\S\n]{1,3}$")
_CAPITALISED_BEFORE = re.compile(rf"\b(?!{_FUNCTION_WORDS})[A-Z][\w.]{{0,30}}[^\S\n]{{1,3}}$")


def season(groups, ctx, granularity):
    name = groups["season"].lower()
    written = groups["season"]
    if written[0].isupper() and not groups.get("year") and (
            _CAPITALISED_BEFORE.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start)
            or _NAME_AFTER.match(ctx.text, ctx.match_end)):
        return None  # "the Arab Spring", "the Winter Olympics": a name
    if written in ("spring", "fall") and not groups.get("year") and not groups.get("relative") and not groups.get("part") \
            and not _SEASON_CONTEXT.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start) \
            and not ctx.text.startswith(("the", "The"), ctx.match_start):
        return None  # "prices fall", "rebels spring an ambush"
    if written in ("spring", "fall") and _VERB_BEFORE.search(ctx.text, max(0, ctx.match_start - 20), ctx.match_start):
        return None  # "began to fall apart", "could spring up"
    part = part_word(groups.get("part"))
    year = _year_of(groups.get("year"))
    if year:
        start, end = part_of_period(*season_interval(year, name), "season", part)
        return Resolution(start, end, "season", "none")
    relative = _relative_word(groups, ctx)
    if relative == "this":
        pivot = ctx.publication_anchor("season")
        if pivot is None:
            return Resolution(None, None, "season", "published")
        # "this winter" in January is the winter under way; "this summer" in March is the coming one.
        current_year, current_season = season_of(pivot)
        year = current_year if name != "winter" or current_season == "winter" else pivot.year
        start, end = part_of_period(*season_interval(year, name), "season", part)
        return Resolution(start, end, "season", "published")
    resolved = yearless(ctx, lambda y: season_interval(y, name), "season", relative)
    if resolved.start_date is None:
        return Resolution(None, None, "season", resolved.anchor)
    start, end = part_of_period(resolved.start_date, resolved.end_date, "season", part)
    return Resolution(start, end, "season", resolved.anchor)


def _relative_year(groups, ctx) -> tuple[int | None, str]:
    year = _year_of(groups.get("year") or groups.get("qyear"))
    if year:
        return year, "none"
    relative = (groups.get("relative") or "").lower().split()
    word = relative[-1] if relative else None
    if word is None:
        reference = ctx.narrative_reference()
        if reference is ERA_BREAK:
            return None, "text"
        if reference is not None:
            return reference.start_date.year, "text"
        pivot = ctx.publication_anchor("year")
        return (pivot.year if pivot else None), "published"
    if word == "the":
        word = "this"
    direction, anchor = DIRECTIONS[word]
    if anchor == "text":
        reference = ctx.previous()
        if reference is ERA_BREAK:
            return None, "text"
        if reference is not None:
            return reference.start_date.year + direction, "text"
        anchor = "published"
    pivot = ctx.publication_anchor("year")
    return (pivot.year + direction if pivot else None), anchor


def part_of_the_unit(groups, ctx, granularity):
    """ "the end of the year", "late in the month", "later in the day": of the story's year (month, day),
    else the publication's."""
    unit = (groups.get("unit") or groups["unit2"]).lower()
    reference = ctx.narrative_reference() if unit != "day" else ctx.previous()
    if unit == "day" and (reference is None or reference.granularity not in ("day", "range")):
        reference = None  # "later in the day" after "in 2004": no day to give; fall back to the publication
    if reference is not None:
        pivot, anchor = reference.start_date, "text"
    else:
        pivot, anchor = ctx.publication_anchor(unit), "published"
    if pivot is None:
        return Resolution(None, None, unit, anchor)
    written = (groups.get("part") or groups["part2"]).lower()
    part = part_word(written) or ("late" if "latter" in written or "last" in written else "early")
    start, end = part_of_period(*unit_interval(pivot, unit), unit, part)
    return Resolution(start, end, unit, anchor)


def season_of_year(groups, ctx, granularity):
    """ "the spring of next year", "the summer of that year"."""
    words = groups["relative"].lower().split()
    relative = words[-1]
    if words[0] == "the" and relative == "next" and ctx.narrative_reference() is not None:
        relative = "following"  # "the summer of the next year" in a story
    year, anchor = _relative_year({"relative": relative}, ctx)
    if year is None:
        return Resolution(None, None, "season", anchor)
    name = groups["season"].lower()
    start, end = part_of_period(*season_interval(year, name), "season", part_word(groups.get("part")))
    return Resolution(start, end, "season", anchor)


def quarter(groups, ctx, granularity):
    if groups.get("q"):
        index = int(groups["q"][1])
    else:
        word = groups["ordinal"].lower()
        index = 4 if word in ("final", "last") else ORDINAL_WORDS[word]
    year, anchor = _relative_year(groups, ctx)
    if year is None:
        return Resolution(None, None, "quarter", anchor)
    return Resolution(D(year, 3 * index - 2, 1), month_end(year, 3 * index), "quarter", anchor)


def half(groups, ctx, granularity):
    second = groups["ordinal"].lower() in ("second", "latter")
    year, anchor = _relative_year(groups, ctx)
    if year is None:
        return Resolution(None, None, "half", anchor)
    return (Resolution(D(year, 7, 1), D(year, 12, 31), "half", anchor) if second
            else Resolution(D(year, 1, 1), D(year, 6, 30), "half", anchor))


_NOT_A_YEAR_BEFORE = re.compile(r"\b(?:[Rr]esolution|No\.?|Nos\.?|[Nn]umber|Article|Section|Highway|Route|Flight|"
                                r"[Ee]xt\.?|Suite|Box|Apt\.?|at|At|"
                                r"Room|Chapter|Vol\.?|[Pp]age|pp?\.|Law|Decree|Order|Code|Model|Type|Hill|Height|"
                                r"[Pp]oint|[Bb]us|[Ll]ine)[^\S\n]{1,3}$")


def year(groups, ctx, granularity):
    number = _year_of(groups.get("year") or groups.get("year2"))
    if not number or number < 1:
        return None
    if _NOT_A_YEAR_BEFORE.search(ctx.text, max(0, ctx.match_start - 20), ctx.match_start):
        return None  # "Resolution 1483", "Flight 2014", "page 1999"
    part = part_word(groups.get("part") or groups.get("mid"))
    start, end = part_of_period(D(number, 1, 1), D(number, 12, 31), "year", part)
    return Resolution(start, end, "year", "none")


def bc_year(groups, ctx, granularity):
    # Before the Common Era: a real date, but outside what a calendar-day interval can hold.
    return Resolution(None, None, "year", "none")


def year_range_end(groups, ctx, granularity):
    """The "16" of "1915-16": the same century as the year before the dash, after it."""
    first = int(ctx.text[ctx.match_start - 5:ctx.match_start - 1])
    number = first // 100 * 100 + int(groups["short"])
    if number <= first:
        return None
    return Resolution(D(number, 1, 1), D(number, 12, 31), "year", "none")


def past_span(groups, ctx, granularity):
    """ "in the past year": the twelve months up to the publication (a range, not a calendar year);
    "over the past 12 months" likewise, from the first day of the month it reaches back to."""
    unit = "month" if groups.get("unit2") else "year"
    number = groups.get("number") or groups.get("number2")
    n = (numbers.parse_number(number) if number else None) or 1
    if number and unit == "year" and not groups["unit"].lower().endswith("s"):
        return None  # "the past two year" is no English
    pivot = ctx.publication_anchor("month")
    if pivot is None:
        return Resolution(None, None, "range", "published")
    start = shift_unit(pivot, unit, -n).replace(day=1)
    return Resolution(start, ctx.published.end_date, "range", "published")


def decade(groups, ctx, granularity):
    text = groups["decade"]
    if text[0] in "'’":
        reference = ctx.publication_anchor("year") or (ctx.previous().start_date if ctx.previous() else None)
        if reference is None:
            return Resolution(None, None, "decade", "published")
        century = reference.year // 100 * 100
        first = century + int(text[1:])
        if first > reference.year:
            first -= 100
        anchor = "published"
    else:
        first, anchor = int(text), "none"
    start, end = part_of_period(D(first, 1, 1), D(first + 9, 12, 31), "decade", part_word(groups.get("part")))
    return Resolution(start, end, "decade", anchor)


def century(groups, ctx, granularity):
    word = groups["ordinal"].lower()
    number = int(re.match(r"\d+", word).group()) if word[0].isdigit() else CENTURY_ORDINALS.get(word)
    if not number or number > 21:
        return None
    if groups.get("era"):
        return Resolution(None, None, "range", "none")
    start, end = D((number - 1) * 100 + 1, 1, 1), D(number * 100, 12, 31)
    part = part_word(groups.get("part"))
    if part:
        start, end = part_of_period(start, end, "century", part)
    return Resolution(start, end, "range", "none")


def month_of_year(groups, ctx, granularity):
    """ "August of that year", "January 24 of the same year"."""
    number = _month_of(groups)
    year, anchor = _relative_year({"relative": groups["relative"].replace("the", "").strip() or "that"}, ctx)
    if number is None or year is None:
        return Resolution(None, None, "month", anchor)
    day_text = groups.get("day") or groups.get("day2")
    if day_text:
        found = normalise.day_and_month(day_text, groups["month"])
        try:
            day = D(year, *found) if found else None
        except ValueError:
            day = None
        return Resolution(day, day, "day", anchor) if day else None
    start, end = part_of_period(*month_interval(year, number), "month", part_word(groups.get("part") or groups.get("mid")))
    return Resolution(start, end, "month", anchor)


def holiday(groups, ctx, granularity):
    key = holiday_key(groups["holiday"])
    if key is None:
        return None
    year = _year_of(groups.get("year"))
    if year:
        found = holidays.holiday_interval(key, year)
        if not found:
            return None
        gran = "day" if found[0] == found[1] else "range"
        return Resolution(found[0], found[1], gran, "none")
    if not _HOLIDAY_CONTEXT.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start):
        return None  # "Ahmad Ramadan said": a name; a holiday comes after "on", "during", "the" ...
    resolved = yearless(ctx, lambda y: holidays.holiday_interval(key, y), "day")
    if resolved.start_date is None:
        return Resolution(None, None, "day", resolved.anchor)
    gran = "day" if resolved.start_date == resolved.end_date else "range"
    return Resolution(resolved.start_date, resolved.end_date, gran, resolved.anchor)


RESOLVERS = {
    "calendar_date": calendar_date, "numeric_date": numeric_date, "day_range": day_range,
    "month_day": month_day, "weekday": weekday, "relative_day": relative_day, "present": present,
    "offset": offset, "day_relative": day_relative, "relative_unit": relative_unit, "weekend": weekend,
    "month": month, "season": season, "quarter": quarter, "half": half, "year": year, "bc_year": bc_year,
    "year_range_end": year_range_end, "past_span": past_span, "decade": decade, "century": century,
    "holiday": holiday, "month_of_year": month_of_year,
    "part_of_the_unit": part_of_the_unit, "week_of_month": week_of_month, "season_of_year": season_of_year,
}


def resolve(resolver: str, groups: dict, ctx: Context, granularity: str) -> Resolution | None:
    try:
        found = RESOLVERS[resolver](groups, ctx, granularity)
    except (ValueError, OverflowError):
        # Counting past the calendar's ends ("two years before AD 1"): a date, but no day to give.
        return Resolution(None, None, granularity, "none")
    if found is None:
        return None
    return Resolution(found.start_date, found.end_date, found.granularity or granularity, found.anchor)
