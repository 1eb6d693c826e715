"""Calendar arithmetic on inclusive day intervals: months, weeks, seasons, and their parts.

Conventions:

* Weeks start on Sunday (the US news convention: a Sunday paper's "last week" is the seven days
  Sunday-Saturday just ended). The TempEval scorer uses ISO weeks (Monday start) and accepts one
  day's difference, so intervals still match it.
* Seasons are northern-hemisphere meteorological seasons: spring March-May, summer June-August,
  fall/autumn September-November, winter December-February (the winter of 2014 is December 2014 to
  February 2015).
* Early / mid / late (and the beginning / middle / end of) take a third of the period: days 1-10,
  11-20 and 21-end of a month; January-April, May-August and September-December of a year; the
  first, middle and last months of a season; years 0-3, 4-6 and 7-9 of a decade.
* "Earlier this year" said in March is January to the publication date; "later that year" in a story
  is that whole year.

    >>> shift_unit(dt.date(2018, 3, 31), "month", -1)
    datetime.date(2018, 2, 28)
    >>> part_of_period(dt.date(2018, 1, 1), dt.date(2018, 1, 31), "month", "late")
    (datetime.date(2018, 1, 21), datetime.date(2018, 1, 31))
    >>> season_interval(2014, "winter")
    (datetime.date(2014, 12, 1), datetime.date(2015, 2, 28))
"""
from __future__ import annotations

import calendar
import datetime as dt

from dashboard.pipeline.dates.cues import PART_WORDS, SEASON_START_MONTH

D = dt.date
ONE_DAY = dt.timedelta(days=1)

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

