"""dateparser, used the one safe way: English only, never reading today's date, and cached.

The patterns find the parts of a date (day, month, year) and this module asks dateparser what the
day-and-month text means ("Jan. 20", "5th", "SEPT.", "29/January"). The year never goes to
dateparser: it comes from the text or from an anchor chosen in ``anchors.py``, so dateparser cannot
fill it in from the clock. Its settings say so explicitly: a fixed leap year as RELATIVE_BASE (so
"29 February" parses), both parts required, absolute parsing only, and the language given (language
detection is slow and guesses wrong on short strings). Results are cached: a corpus repeats the same
few hundred day-month strings, and dateparser takes a fraction of a millisecond per call.

    >>> day_and_month("20", "Jan.")
    (1, 20)
    >>> day_and_month("31", "April") is None   # no such day
    True
"""
from __future__ import annotations

import datetime as dt
import functools
import re

import dateparser
from dateparser.date import DateDataParser

# A leap year far from any real anchor: dateparser's "current year" is this one, never the clock's.
_BASE = dt.datetime(2000, 1, 1)

_DAY_MONTH_PARSER = DateDataParser(languages=["en"], settings={
    "RELATIVE_BASE": _BASE,
    "REQUIRE_PARTS": ["day", "month"],
    "PARSERS": ["absolute-time"],
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
})
_FULL_DATE_SETTINGS = {
    "RELATIVE_BASE": _BASE,
    "REQUIRE_PARTS": ["year"],
    "PARSERS": ["absolute-time", "timestamp"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@functools.lru_cache(maxsize=8192)
def day_and_month(day: str, month: str) -> tuple[int, int] | None:
    """(month number, day) for a day text and a month text as found; None if no such day exists."""
    day_digits = re.match(r"\d+", day)
    if not day_digits:
        return None
    parsed = _DAY_MONTH_PARSER.get_date_data(f"{int(day_digits.group())} {month.strip()}")
    if parsed is None or parsed.date_obj is None:
        return None
    return parsed.date_obj.month, parsed.date_obj.day


@functools.lru_cache(maxsize=256)
def month_number(month: str) -> int | None:
    """The month a month name or abbreviation names: "SEPT." -> 9."""
    found = day_and_month("1", month)
    return found[0] if found else None


@functools.lru_cache(maxsize=1024)
def full_date(value: str) -> tuple[dt.date, str] | None:
    """A free-form metadata date ("Sun, 04 Feb 2018 10:00:00 GMT") -> (date, precision), or None.

    Precision is "day" when the text names a day, "month" when it names only a month and a year,
    else "year". Only for metadata strings, where any format may come; the tagger uses the patterns.
    """
    for precision, parts in (("day", ["day", "month", "year"]), ("month", ["month", "year"]), ("year", ["year"])):
        settings = dict(_FULL_DATE_SETTINGS, REQUIRE_PARTS=parts)
        try:
            parsed = dateparser.parse(value, languages=["en"], settings=settings)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is not None:
            return parsed.date(), precision
    return None
