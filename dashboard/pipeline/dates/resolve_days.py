"""Resolvers of days and weeks: one per kind of rule, each turning a match into a ``Resolution``.

A resolver gets the match's named parts and the ``Context``; it chooses its anchor through
``anchoring.py`` (or counts from the one its words name: "yesterday", "two days later") and returns
the interval, or None when the match is no date after all (a "now" that narrates the past).

    >>> from dashboard.pipeline.dates import parse_published, tag_dates
    >>> [(m.text, str(m.start_date)) for m in tag_dates("The crew will travel Thursday.", parse_published("2019-05-15"))]
    [('Thursday', '2019-05-16')]
    >>> [m.text for m in tag_dates("The fort stood on what was now the border.", parse_published("2019-05-15"))]
    []
"""
from __future__ import annotations

import datetime as dt

from dashboard.core import numbers
from dashboard.pipeline.dates import normalise
from dashboard.pipeline.dates.anchoring import month_of, relative_word, safe, year_of, yearless
from dashboard.pipeline.dates.context import ERA_BREAK, Resolution
from dashboard.pipeline.dates.cues import (
    DIRECTIONS, NOW_AS_NAME_AFTER, NOW_AS_NAME_BEFORE, NOW_IN_THE_PAST, WEEKDAY_INDEX,
)
from dashboard.pipeline.dates.periods import (
    ONE_DAY, month_interval, part_of_period, part_word, shift_unit, unit_interval, week_start,
)
from dashboard.pipeline.dates.vocabulary import ORDINAL_WORDS

D = dt.date


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
    year = year_of(groups.get("year") or groups.get("year2"))
    if year:
        try:
            return Resolution(D(year, *start_md), D(year, *end_md), "range", "none")
        except ValueError:
            return None
    found = yearless(ctx, safe(lambda y: (D(y, *start_md), D(y, *end_md))), "day")
    return Resolution(found.start_date, found.end_date, "range", found.anchor)


def month_day(groups, ctx, granularity):
    found = normalise.day_and_month(groups["day"], groups["month"])
    if not found:
        return None
    month, day = found
    resolved = yearless(ctx, safe(lambda y: (D(y, month, day), D(y, month, day))), "day")
    return Resolution(resolved.start_date, resolved.end_date, "day", resolved.anchor)


def weekday(groups, ctx, granularity):
    target = WEEKDAY_INDEX[(groups.get("weekday") or groups["weekday2"])[:3].lower()]
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
        tense = ctx.direction()
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
    year = year_of(groups.get("year") or groups.get("year2"))
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


def present(groups, ctx, granularity):
    # A "now" of a past verb is the narrative's moment ("the army was now exhausted"), not the
    # publication's; it names no date we can give. In a history any past-tense sentence says so; in
    # news only the verb at its side does ("up from 90 million now", said in a past sentence, is today).
    if NOW_IN_THE_PAST.search(ctx.text, max(0, ctx.match_start - 30), ctx.match_start):
        return None
    sentence_start = ctx.sentence_bounds()[0]
    opening = not ctx.text[sentence_start:ctx.match_start].strip(" \t\"'“‘")
    # "now holds" binds to the verb right after it; "Now, the firm ... is confident" is the present.
    if ctx.is_history and ctx.tense(after_penalty=0) == "past" and not opening:
        return None
    if NOW_AS_NAME_BEFORE.search(ctx.text, max(0, ctx.match_start - 20), ctx.match_start) \
            or NOW_AS_NAME_AFTER.match(ctx.text, ctx.match_end):
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
    if unit == "decade":
        unit, n = "year", 10 * n  # "a decade ago": the year ten years back
    direction = groups["direction"].lower()
    sign = 1 if direction in ("later", "after", "hence") or direction.startswith("from") else -1
    if direction == "ago" or direction == "hence" or direction.startswith("from"):
        pivot, anchor = ctx.publication_anchor(unit), "published"
        reference = ctx.narrative_reference() if ctx.is_history and not ctx.quoted_in_history() else None
        if reference is not None and reference is not ERA_BREAK and (unit != "day" or reference.granularity == "day"):
            # A history's "ago" is its teller's: "he said he had signed it two years ago" (two years before then).
            pivot, anchor = reference.start_date, "text"
    else:
        reference = ctx.previous()
        pivot, anchor = (reference.start_date if sign < 0 else reference.end_date, "text") if reference else (None, "text")
        if reference is not None and unit == "day" and reference.granularity not in ("day", "range"):
            pivot = None  # "two days later" after "in 2004" names no day
        if reference is None and sign < 0:
            # "up from $3 million a year earlier" with no date before: the comparison is with the publication's time
            pivot, anchor = ctx.publication_anchor(unit), "published"
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
    shift += {"before": -1, "after": 1, "following": 1, "": 0}[direction]
    if that == "this" and not word:
        return None  # "this morning" is relative_day's; "this day" is too vague
    reference = ctx.previous()
    if reference is None and shift < 0:
        # "against 700 the day before" with no date before it: the day before the publication's
        pivot = ctx.publication_day
        day = pivot + dt.timedelta(days=shift) if pivot else None
        return Resolution(day, day, "day", "published")
    if reference is None or reference.granularity not in ("day", "range"):
        return Resolution(None, None, "day", "text")  # "the next day" after "in 2004" names no day
    day = (reference.end_date if shift > 0 else reference.start_date) + dt.timedelta(days=shift)
    return Resolution(day, day, "day", "text")


def relative_unit(groups, ctx, granularity):
    """ "last week", "late last month", "the following year", "earlier this year"."""
    unit = granularity
    relative = relative_word(groups, ctx)
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
