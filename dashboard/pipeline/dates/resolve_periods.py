"""Resolvers of months, seasons, quarters, halves, years, decades, centuries and holidays.

Each turns a match into a ``Resolution``; a yearless one ("in October", "the summer", "at Easter")
takes its year from ``anchoring.yearless``. A match that is a name ("June Carter", "the Arab Spring",
"Resolution 1483") or a verb ("prices fall") is no date: the resolver returns None.

    >>> from dashboard.pipeline.dates import parse_published, tag_dates
    >>> [(m.text, str(m.start_date), str(m.end_date)) for m in tag_dates(
    ...     "Leaves fall early here; the fair opens in the fall.", parse_published("2019-05-15"))]
    [('the fall', '2019-09-01', '2019-11-30')]
"""
from __future__ import annotations

import datetime as dt
import re

from dashboard.core import numbers
from dashboard.pipeline.dates import holidays, normalise
from dashboard.pipeline.dates.anchoring import month_of, relative_word, relative_year, year_of, yearless
from dashboard.pipeline.dates.context import Resolution
from dashboard.pipeline.dates.cues import (
    CAPITALISED_BEFORE, HOLIDAY_CONTEXT, MONTH_CONTEXT, NAME_AFTER, NAME_BEFORE, NOT_A_YEAR_BEFORE, NOUN_AFTER,
    VERB_BEFORE,
)
from dashboard.pipeline.dates.periods import (
    month_end, month_interval, part_of_period, part_word, season_interval, season_of, shift_unit, unit_interval,
)
from dashboard.pipeline.dates.vocabulary import CAPITALISED_HOLIDAYS, CENTURY_ORDINALS, DECADE_WORDS, ORDINAL_WORDS, SEASON_CONTEXT, holiday_key

D = dt.date
_SEASON_CONTEXT = re.compile(SEASON_CONTEXT)


def month(groups, ctx, granularity):
    number = month_of(groups)
    if number is None:
        return None
    part = part_word(groups.get("part") or groups.get("mid"))
    year = year_of(groups.get("year"))
    if year:
        start, end = part_of_period(*month_interval(year, number), "month", part)
        return Resolution(start, end, "month", "none")
    relative = relative_word(groups, ctx)
    if not relative and not part and not _month_context(ctx):
        if number == 5:
            return None  # "May" alone is the modal verb more often than the month
        if NAME_AFTER.match(ctx.text, ctx.match_end) or NAME_BEFORE.search(ctx.text, max(0, ctx.match_start - 30),
                                                                               ctx.match_start):
            return None  # "June Carter", "the February Revolution", "the Long March": a name
    resolved = yearless(ctx, lambda y: month_interval(y, number), "month", relative)
    if resolved.start_date is None:
        return Resolution(None, None, "month", resolved.anchor)
    start, end = part_of_period(resolved.start_date, resolved.end_date, "month", part)
    return Resolution(start, end, "month", resolved.anchor)


def _month_context(ctx) -> bool:
    return bool(MONTH_CONTEXT.search(ctx.text, max(0, ctx.match_start - 25), ctx.match_start))


def season(groups, ctx, granularity):
    name = groups["season"].lower()
    written = groups["season"]
    if written[0].isupper() and not groups.get("year") and (
            CAPITALISED_BEFORE.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start)
            or NAME_AFTER.match(ctx.text, ctx.match_end)):
        return None  # "the Arab Spring", "the Winter Olympics": a name
    if written in ("spring", "fall") and not groups.get("year") and not groups.get("relative") and not groups.get("part") \
            and not _SEASON_CONTEXT.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start) \
            and not ctx.text.startswith(("the", "The"), ctx.match_start):
        return None  # "prices fall", "rebels spring an ambush"
    if written in ("spring", "fall") and VERB_BEFORE.search(ctx.text, max(0, ctx.match_start - 20), ctx.match_start):
        return None  # "began to fall apart", "could spring up"
    if written in ("spring", "fall") and NOUN_AFTER.match(ctx.text, ctx.match_end):
        return None  # "the fall in prices", "the spring in his step": nouns
    part = part_word(groups.get("part"))
    year = year_of(groups.get("year"))
    if year:
        start, end = part_of_period(*season_interval(year, name), "season", part)
        return Resolution(start, end, "season", "none")
    relative = relative_word(groups, ctx)
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


def part_of_the_unit(groups, ctx, granularity):
    """ "the end of the year", "late in the month", "later in the day": of the story's year (month, day),
    else the publication's."""
    unit = (groups.get("unit") or groups.get("unit2") or groups["unit3"]).lower()
    reference = ctx.narrative_reference() if unit != "day" else ctx.previous()
    if unit == "day" and (reference is None or reference.granularity not in ("day", "range")):
        reference = None  # "later in the day" after "in 2004": no day to give; fall back to the publication
    if reference is not None:
        pivot, anchor = reference.start_date, "text"
    else:
        pivot, anchor = ctx.publication_anchor(unit), "published"
    if pivot is None:
        return Resolution(None, None, unit, anchor)
    written = (groups.get("part") or groups.get("part2") or groups["part3"]).lower()
    part = part_word(written) or ("late" if "latter" in written or "last" in written else "early")
    start, end = part_of_period(*unit_interval(pivot, unit), unit, part)
    if anchor == "published" and unit in ("month", "year") and start > pivot and ctx.direction() == "past":
        # told in the past, a part still to come is the last year's ("sales peaked by the end of the year"
        # in March) or the last month's
        earlier = D(pivot.year - 1, 1, 1) if unit == "year" else D(pivot.year, pivot.month, 1) - dt.timedelta(days=1)
        start, end = part_of_period(*unit_interval(earlier, unit), unit, part)
    return Resolution(start, end, unit, anchor)


def season_of_year(groups, ctx, granularity):
    """ "the spring of next year", "the summer of that year"."""
    words = groups["relative"].lower().split()
    relative = words[-1]
    if words[0] == "the" and relative == "next" and ctx.narrative_reference() is not None:
        relative = "following"  # "the summer of the next year" in a story
    year, anchor = relative_year({"relative": relative}, ctx)
    if year is None:
        return Resolution(None, None, "season", anchor)
    name = groups["season"].lower()
    start, end = part_of_period(*season_interval(year, name), "season", part_word(groups.get("part")))
    return Resolution(start, end, "season", anchor)


def _quarter_interval(year: int, index: int) -> tuple[dt.date, dt.date]:
    return D(year, 3 * index - 2, 1), month_end(year, 3 * index)


def quarter(groups, ctx, granularity):
    """ "the first quarter of 2014", "Q3 2019", "the fourth quarter" (the tense picks its year),
    "the latest quarter" (the one a report is about: the last quarter named, else the last one ended
    before the publication), "the year-ago quarter" (that quarter a year before)."""
    recent = (groups.get("recent") or "").lower().replace("\u2013", "-")
    if recent:
        return _reporting_quarter(ctx, year_before=recent.startswith(("year", "comparable")) or recent == "same")
    has_year = groups.get("year") or groups.get("qyear") or groups.get("relative")
    if groups.get("q"):
        index = int(groups["q"][1])
    else:
        word = groups["ordinal"].lower()
        if word == "last" and not has_year:
            return _reporting_quarter(ctx, year_before=bool(groups.get("ago")))  # "last quarter": the latest one
        index = 4 if word in ("final", "last") else ORDINAL_WORDS[word]
    if has_year:
        year, anchor = relative_year(groups, ctx)
        if year is None:
            return Resolution(None, None, "quarter", anchor)
        return Resolution(*_quarter_interval(year, index), "quarter", anchor)
    found = yearless(ctx, lambda y: _quarter_interval(y, index), "quarter", untensed="past")
    if groups.get("ago") and found.start_date is not None:  # "the year-ago third quarter"
        return Resolution(*_quarter_interval(found.start_date.year - 1, index), "quarter", found.anchor)
    return Resolution(found.start_date, found.end_date, "quarter", found.anchor)


def _reporting_quarter(ctx, year_before: bool) -> Resolution:
    named = [m for m in ctx.mentions if m.granularity == "quarter"]
    if named:
        start, anchor = named[-1].start_date, "text"
    else:
        pivot = ctx.publication_anchor("quarter")
        if pivot is None:
            return Resolution(None, None, "quarter", "published")
        start, anchor = shift_unit(D(pivot.year, (pivot.month - 1) // 3 * 3 + 1, 1), "month", -3), "published"
    if year_before:
        start = shift_unit(start, "year", -1)
    return Resolution(*_quarter_interval(start.year, (start.month - 1) // 3 + 1), "quarter", anchor)


def half(groups, ctx, granularity):
    second = groups["ordinal"].lower() in ("second", "latter")
    year, anchor = relative_year(groups, ctx)
    if year is None:
        return Resolution(None, None, "half", anchor)
    return (Resolution(D(year, 7, 1), D(year, 12, 31), "half", anchor) if second
            else Resolution(D(year, 1, 1), D(year, 6, 30), "half", anchor))


def year(groups, ctx, granularity):
    number = year_of(groups.get("year") or groups.get("year2"))
    if not number or number < 1:
        return None
    if NOT_A_YEAR_BEFORE.search(ctx.text, max(0, ctx.match_start - 20), ctx.match_start):
        return None  # "Resolution 1483", "Flight 2014", "page 1999"
    part = part_word(groups.get("part") or groups.get("mid"))
    start, end = part_of_period(D(number, 1, 1), D(number, 12, 31), "year", part)
    return Resolution(start, end, "year", "none")


def year_in_words(groups, ctx, granularity):
    """ "nineteen ninety-six", "two thousand and eight": a year said in words."""
    number = numbers.parse_number(groups["words"], year=True)
    if number is None or not 1000 <= number <= 2099:
        return None
    return Resolution(D(number, 1, 1), D(number, 12, 31), "year", "none")


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
    """ "in the past year": the twelve months up to the publication (a range, not a calendar year),
    from the first day of the month it reaches back to. ("The past two months" is a duration.)"""
    pivot = ctx.publication_anchor("month")
    if pivot is None:
        return Resolution(None, None, "range", "published")
    start = shift_unit(pivot, "year", -1).replace(day=1)
    return Resolution(start, ctx.published.end_date, "range", "published")


def decade(groups, ctx, granularity):
    """ "the 1990s", "the late '80s" and "the nineties" (the latest such decade up to the publication)."""
    text = groups.get("decade") or f"'{DECADE_WORDS[groups['decade_word'].lower()]}0"
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
    number = month_of(groups)
    year, anchor = relative_year({"relative": groups["relative"].replace("the", "").strip() or "that"}, ctx)
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
    if key is None or (key in CAPITALISED_HOLIDAYS and not groups["holiday"][0].isupper()):
        return None
    year = year_of(groups.get("year"))
    if year:
        found = holidays.holiday_interval(key, year, country=ctx.country)
        if not found:
            return None
        gran = "day" if found[0] == found[1] else "range"
        return Resolution(found[0], found[1], gran, "none")
    if not HOLIDAY_CONTEXT.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start):
        return None  # "Ahmad Ramadan said": a name; a holiday comes after "on", "during", "the" ...
    resolved = yearless(ctx, lambda y: holidays.holiday_interval(key, y, country=ctx.country), "day")
    if resolved.start_date is None:
        return Resolution(None, None, "day", resolved.anchor)
    gran = "day" if resolved.start_date == resolved.end_date else "range"
    return Resolution(resolved.start_date, resolved.end_date, gran, resolved.anchor)
