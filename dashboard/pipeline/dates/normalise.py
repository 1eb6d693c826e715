"""dateparser, used the one safe way: English only, never reading today's date, and cached.

The patterns find the parts of a date (day, month, year) and this module asks dateparser what the
day-and-month text means ("Jan. 20", "5th", "SEPT.", "29/January"). The year never goes to
dateparser: it comes from the text or from an anchor chosen in ``anchoring.py``, so dateparser cannot
fill it in from the clock. Its settings say so explicitly: a fixed leap year as RELATIVE_BASE (so
"29 February" parses), both parts required, absolute parsing only, and the language given (language
detection is slow and guesses wrong on short strings). Results are cached: a corpus repeats the same
few dozen month spellings, and dateparser takes about a millisecond per call.

    >>> day_and_month("20", "Jan.")
    (1, 20)
    >>> day_and_month("31", "April") is None   # no such day
    True
"""
from __future__ import annotations

import calendar
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


def day_and_month(day: str, month: str) -> tuple[int, int] | None:
    """(month number, day) for a day text and a month text as found; None if no such day exists.

    dateparser reads the month (once per spelling: "Jan.", "SEPT", "janvier" are few); the day is a
    number checked against the month's length in a leap year, so "29 February" exists and "31 April"
    does not. A corpus has thousands of day-month combinations but only dozens of month spellings.
    """
    day_digits = re.match(r"\d+", day)
    number = month_number(month.strip())
    if not day_digits or number is None:
        return None
    day_number = int(day_digits.group())
    if not 1 <= day_number <= calendar.monthrange(_BASE.year, number)[1]:
        return None
    return number, day_number


@functools.lru_cache(maxsize=1024)
def month_number(month: str) -> int | None:
    """The month a month name or abbreviation names: "SEPT." -> 9 (dateparser, English)."""
    parsed = _DAY_MONTH_PARSER.get_date_data(f"1 {month.strip()}")
    if parsed is None or parsed.date_obj is None:
        return None
    return parsed.date_obj.month


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
