"""The rule table's resolver names -> the functions that turn a match into days.

    >>> sorted(RESOLVERS)[:3]
    ['bc_year', 'calendar_date', 'century']
"""
from __future__ import annotations

from dashboard.pipeline.dates.context import Context, Resolution
from dashboard.pipeline.dates.resolve_days import (
    calendar_date, day_range, day_relative, month_day, numeric_date, offset, present, relative_day, relative_unit,
    week_of_month, weekday, weekend,
)
from dashboard.pipeline.dates.resolve_periods import (
    bc_year, century, decade, half, holiday, month, month_of_year, part_of_the_unit, past_span, quarter, season,
    season_of_year, year, year_in_words, year_range_end,
)

RESOLVERS = {
    "calendar_date": calendar_date, "numeric_date": numeric_date, "day_range": day_range,
    "month_day": month_day, "weekday": weekday, "relative_day": relative_day, "present": present,
    "offset": offset, "day_relative": day_relative, "relative_unit": relative_unit, "weekend": weekend,
    "month": month, "season": season, "quarter": quarter, "half": half, "year": year, "bc_year": bc_year, "year_in_words": year_in_words,
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
