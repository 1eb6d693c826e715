"""Holidays as inclusive day intervals for a given Gregorian year: fixed, computed and Islamic.

    >>> holiday_interval("bastille_day", 2016)
    (datetime.date(2016, 7, 14), datetime.date(2016, 7, 14))
    >>> holiday_interval("easter", 2019)
    (datetime.date(2019, 4, 21), datetime.date(2019, 4, 21))
    >>> holiday_interval("eid_al_fitr", 2023)
    (datetime.date(2023, 4, 21), datetime.date(2023, 4, 21))

Easter is ``dateutil.easter`` (Western). Islamic holidays follow the Umm al-Qura calendar of Saudi
Arabia (``hijridate``), which is what most Gulf and Levant reporting dates them by; other countries
that wait for a local moon sighting may be a day later. The calendar is tabulated for 1343-1500 AH
(August 1924 to November 2077): outside it, an Islamic holiday stays unresolved. A Gregorian year
holds one occurrence of each Islamic holiday, or two when the lunar year (354 or 355 days) fits
twice; the first is taken unless the caller gives a reference day, then the nearest one.

Some names mean another day in each country: Labor Day is the first Monday of September in the United
States and May 1 in most of the world, Independence Day is July 4 only in the US. Given the country the
text is about, such a name is looked up in that country's calendar (the ``holidays`` package, by its
English name); the US day stays when the country has no holiday of that name (Thanksgiving in a report
on US troops abroad), except Labour Day, which outside North America is May 1 where the calendar has no
national holiday of the name (India's is kept by the states).

    >>> holiday_interval("labor_day", 2020, country="CO"), holiday_interval("labor_day", 2020)
    ((datetime.date(2020, 5, 1), datetime.date(2020, 5, 1)), (datetime.date(2020, 9, 7), datetime.date(2020, 9, 7)))
    >>> holiday_interval("labor_day", 2020, country="IN")
    (datetime.date(2020, 5, 1), datetime.date(2020, 5, 1))
"""
from __future__ import annotations

import datetime as dt

import functools
import re

import holidays as national_calendars
from dateutil.easter import easter
from hijridate import Gregorian, Hijri

D = dt.date
_DAY = dt.timedelta(days=1)

_FIXED = {  # key -> (month, day)
    "christmas": (12, 25), "christmas_eve": (12, 24), "new_year": (1, 1), "new_year_eve": (12, 31),
    "bastille_day": (7, 14), "us_independence": (7, 4), "independence_day": (7, 4), "halloween": (10, 31),
    "valentine": (2, 14),
    "armistice_day": (11, 11), "nowruz": (3, 21), "boxing_day": (12, 26), "may_day": (5, 1),
}
# Holidays whose day depends on the country, and how the country's calendar names them.
_NATIONAL = {
    "labor_day": re.compile(r"\blabou?r\b|\bworkers'? day\b", re.I),
    "independence_day": re.compile(r"^independence day\b", re.I),  # "Fourth of July" stays the US's
    "thanksgiving": re.compile(r"^thanksgiving\b", re.I),
    "memorial_day": re.compile(r"^memorial day\b", re.I),
}
_SEPTEMBER_LABOUR_DAY = frozenset({"US", "CA"})  # the rest of the world keeps May 1 unless its calendar says
_EASTER_SHIFT = {"easter": 0, "good_friday": -2, "easter_monday": 1, "palm_sunday": -7}
# (month, weekday Monday=0, n-th; -1 the last, or a day of the month the weekday comes after)
_NTH_WEEKDAY = {
    "thanksgiving": (11, 3, 4), "memorial_day": (5, 0, -1), "labor_day": (9, 0, 1),
    "martin_luther_king_day": (1, 0, 3), "presidents_day": (2, 0, 3), "columbus_day": (10, 0, 2),
}
# Islamic holidays: (hijri month, first day, last day; None for the whole month)
_ISLAMIC = {
    "ramadan": (9, 1, None), "eid_al_fitr": (10, 1, 1), "eid_al_adha": (12, 10, 10), "ashura": (1, 10, 10),
    "islamic_new_year": (1, 1, 1), "muharram": (1, 1, None), "mawlid": (3, 12, 12),
    "laylat_al_qadr": (9, 27, 27), "arbaeen": (2, 20, 20),
}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday (Monday=0) of a month; n=-1 for the last one."""
    if n > 0:
        first = D(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = D(year + month // 12, month % 12 + 1, 1) - _DAY
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def election_day(year: int) -> dt.date:
    """US Election Day: the Tuesday after the first Monday of November (2016 -> Nov. 8)."""
    return _nth_weekday(year, 11, 0, 1) + _DAY


def _islamic_occurrences(key: str, year: int) -> list[tuple[dt.date, dt.date]]:
    month, first_day, last_day = _ISLAMIC[key]
    try:
        around = Gregorian(year, 1, 1).to_hijri().year
    except OverflowError:
        return []
    found = []
    for hijri_year in range(around, around + 2):
        try:
            start = Hijri(hijri_year, month, first_day).to_gregorian()
            last = last_day or Hijri(hijri_year, month, 1).month_length()
            end = Hijri(hijri_year, month, last).to_gregorian()
        except OverflowError:
            continue
        if start.year == year:
            found.append((D(start.year, start.month, start.day), D(end.year, end.month, end.day)))
    return found


@functools.lru_cache(maxsize=512)
def _national_day(key: str, year: int, country: str) -> dt.date | None:
    """The day the holiday ``key`` falls on in ``country``'s calendar in ``year``, or None (no such
    holiday there, or a country the calendars do not cover)."""
    try:
        calendar = national_calendars.country_holidays(country, years=year, language="en_US")
    except NotImplementedError:
        return None
    named = _NATIONAL[key]
    days = sorted(day for day, names in calendar.items() for name in names.split("; ")
                  if named.search(name) and "observed" not in name.lower())
    return days[0] if days else None


def holiday_interval(key: str, year: int, near: dt.date | None = None,
                     country: str | None = None) -> tuple[dt.date, dt.date] | None:
    """The holiday ``key`` (see patterns.HOLIDAY_NAMES) in Gregorian ``year``, in the calendar of
    ``country`` (ISO code of the country the text is about) for the names that differ by country; None
    if it is unknown."""
    if country and country != "US" and key in _NATIONAL:
        day = _national_day(key, year, country)
        if day is None and key == "labor_day" and country not in _SEPTEMBER_LABOUR_DAY:
            day = D(year, 5, 1)  # International Workers' Day
        if day is not None:
            return day, day
    if key in _FIXED:
        month, day = _FIXED[key]
        return D(year, month, day), D(year, month, day)
    if key in _EASTER_SHIFT:
        day = easter(year) + dt.timedelta(days=_EASTER_SHIFT[key])
        return day, day
    if key in _NTH_WEEKDAY:
        day = _nth_weekday(year, *_NTH_WEEKDAY[key])
        return day, day
    if key == "election_day":
        day = election_day(year)
        return day, day
    if key in _ISLAMIC:
        occurrences = _islamic_occurrences(key, year)
        if not occurrences:
            return None
        if near is not None:
            return min(occurrences, key=lambda iv: abs((iv[0] - near).days))
        return occurrences[0]
    return None
