"""When was an article published: from its metadata, else from a dateline in its text, else unknown.

    >>> parse_published("2014-07")
    PublicationDate(start_date=datetime.date(2014, 7, 1), end_date=datetime.date(2014, 7, 31), precision='month', source='metadata', start=None, end=None)
    >>> find_publication_date("Saturday 29/January/2022 - 01:40 PM\\nThe Reference\\n").start_date
    datetime.date(2022, 1, 29)

A dateline is a short line near the top that holds a full date (day, month and year). Where there
are several, a line that is only a date ("FEB. 4, 2018") beats one with a clock time or other words
("Monday, February 05, 2018 11:42:28 AM" is how forums stamp a repost), and then the first wins: the
article's own date is what its "last week" counts from.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from dashboard.pipeline.dates import normalise, resolvers
from dashboard.pipeline.dates.context import Context
from dashboard.pipeline.dates.patterns import RULE_BY_NAME
from dashboard.pipeline.dates.periods import month_end
from dashboard.records import PublicationDate

HEAD_LINES = 30  # a dateline sits above the article body
HEAD_CHARS = 4000
MAX_DATELINE = 120

_FULL_DATE_RULES = [RULE_BY_NAME[name] for name in ("day_month_year", "month_day_year", "iso_date", "numeric_date")]
_TIME = re.compile(r"\d{1,2}:\d\d(?::\d\d)?[^\S\n]{0,2}(?:[AaPp]\.?[Mm]\.?)?(?:[^\S\n]{1,2}\(?[A-Z]{2,5}\)?)?")
_LABEL = re.compile(r"\b(?:published|posted|updated|last\s+updated|date|on|at|first\s+published|issued)\b:?",
                    re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_SEPARATORS = re.compile(r"[\s\-\u2013\u2014|,/•·:()\[\]]+")


def parse_published(value: str | None) -> PublicationDate:
    """A metadata date -> PublicationDate: "2018-02-04" (day), "2014-07" (month), "2014" (year).

    ""/None give ``PublicationDate.unknown()``. Other spellings a feed may carry ("Sun, 04 Feb 2018
    10:00:00 GMT", "2018-02-04T10:00:00Z") are read by dateparser. Raises ValueError naming the value
    when it is no date.
    """
    if value is None or not str(value).strip():
        return PublicationDate.unknown()
    value = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return PublicationDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "metadata")
        found = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if found:
            year, month = int(found.group(1)), int(found.group(2))
            return PublicationDate(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]),
                                   "month", "metadata")
        found = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", value)
        if found:
            day = dt.date(*map(int, found.groups()))
            return PublicationDate(day, day, "day", "metadata")
    except ValueError as error:
        raise ValueError(f"publication date {value!r} is not a calendar date ({error})") from None
    parsed = normalise.full_date(value)
    if parsed is None:
        raise ValueError(f"publication date {value!r} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    day, precision = parsed
    if precision == "day":
        return PublicationDate(day, day, "day", "metadata")
    if precision == "month":
        return PublicationDate(day.replace(day=1), month_end(day.year, day.month), "month", "metadata")
    return PublicationDate(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year", "metadata")


def _datelines(text: str):
    """(rank, start, end, day) for each full date on a short line near the top of the text."""
    offset = 0
    for number, line in enumerate(text[:HEAD_CHARS].split("\n")):
        if number >= HEAD_LINES:
            break
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip() or len(line.strip()) > MAX_DATELINE or "://" in line or not _DIGIT.search(line):
            continue  # (each full-date rule ends in a year: a line without a digit holds none)
        for rule in _FULL_DATE_RULES:
            for match in rule.compiled.finditer(line):
                ctx = Context(line, PublicationDate.unknown())
                ctx.match_start, ctx.match_end = match.span()
                resolution = resolvers.resolve(rule.resolve, match.groupdict(), ctx, rule.granularity)
                if resolution is None or resolution.start_date is None:
                    continue
                rest = line[:match.start()] + " " + line[match.end():]
                has_time = bool(_TIME.search(rest))
                words = _LABEL.sub(" ", _TIME.sub(" ", rest)).split()
                words = [w for w in words if _SEPARATORS.sub("", w)]
                if not words:
                    rank = 1 if has_time else 0
                elif len(words) <= 8 and not line.rstrip().endswith((".", '"', "”", ":")):
                    rank = 2  # a byline or a place and date: "By Jane Doe | March 12, 2018"
                else:
                    continue  # a sentence of the article that happens to hold a date
                yield rank, line_start + match.start(), line_start + match.end(), resolution.start_date


def find_publication_date(text: str, spans=None) -> PublicationDate:
    """The dateline's date (source "text", offsets of the date in ``text``), else unknown.

    ``spans`` is accepted for symmetry with ``tag_dates`` and not used: a dateline usually sits
    outside the content sentences, so the head of the whole text is searched (links excepted).
    """
    found = sorted(_datelines(text), key=lambda d: (d[0], d[1]))
    if not found:
        return PublicationDate.unknown()
    rank, start, end, day = found[0]
    return PublicationDate(day, day, "day", "text", start, end)
