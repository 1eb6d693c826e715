"""Holidays as inclusive day intervals for a given Gregorian year: fixed, computed and Islamic.

    >>> holiday_interval("bastille_day", 2016)
    (datetime.date(2016, 7, 14), datetime.date(2016, 7, 14))
    >>> holiday_interval("easter", 2019)
    (datetime.date(2019, 4, 21), datetime.date(2019, 4, 21))

Islamic holidays follow the arithmetical (tabular) Islamic calendar, the civil epoch of 16 July 622
(Julian) with the usual 30-year leap cycle (years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29). The
tabular date can be a day or two from the announced date, which depends on moon sighting and
country; for a news timeline that is within the precision of "on Eid". A Gregorian year holds one
occurrence of each Islamic holiday, or two when the lunar year (354 or 355 days) fits twice; the
first is taken unless the caller gives a reference day, then the nearest one.
"""
from __future__ import annotations

import datetime as dt

D = dt.date

_FIXED = {  # key -> (month, day)
    "christmas": (12, 25), "christmas_eve": (12, 24), "new_year": (1, 1), "new_year_eve": (12, 31),
    "bastille_day": (7, 14), "us_independence": (7, 4), "halloween": (10, 31), "valentine": (2, 14),
    "armistice_day": (11, 11), "nowruz": (3, 21),
}
# Islamic holidays: (hijri month, first day, last day)
_ISLAMIC = {
    "ramadan": (9, 1, None), "eid_al_fitr": (10, 1, 1), "eid_al_adha": (12, 10, 10), "ashura": (1, 10, 10),
    "islamic_new_year": (1, 1, 1), "muharram": (1, 1, None), "mawlid": (3, 12, 12),
    "laylat_al_qadr": (9, 27, 27), "arbaeen": (2, 20, 20),
}

ISLAMIC_EPOCH = 1948440  # Julian Day Number of 1 Muharram 1 AH (civil epoch)


def easter_sunday(year: int) -> dt.date:
    """Western Easter by the anonymous Gregorian computus (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return D(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday (Monday=0) of a month; n=-1 for the last one."""
    if n > 0:
        first = D(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (D(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Tabular Islamic date -> Gregorian date: 1 Shawwal 1439 (Eid al-Fitr) -> 2018-06-15."""
    jdn = (day + 29 * (month - 1) + month // 2  # days before the month: months alternate 30, 29
           + (year - 1) * 354 + (3 + 11 * year) // 30 + ISLAMIC_EPOCH - 1)
    return D.fromordinal(jdn - 1721425)


def _hijri_month_length(year: int, month: int) -> int:
    return (hijri_to_gregorian(year + month // 12, month % 12 + 1, 1) - hijri_to_gregorian(year, month, 1)).days


def _islamic_occurrences(key: str, year: int) -> list[tuple[dt.date, dt.date]]:
    month, first_day, last_day = _ISLAMIC[key]
    approx_hijri_year = int((year - 622) * 33 / 32)
    found = []
    for hijri_year in range(approx_hijri_year - 1, approx_hijri_year + 3):
        start = hijri_to_gregorian(hijri_year, month, first_day)
        end = hijri_to_gregorian(hijri_year, month, last_day or _hijri_month_length(hijri_year, month))
        if start.year == year:
            found.append((start, end))
    return found


def holiday_interval(key: str, year: int, near: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The holiday ``key`` (see patterns.HOLIDAY_NAMES) in Gregorian ``year``; None if it is unknown."""
    if key in _FIXED:
        month, day = _FIXED[key]
        return D(year, month, day), D(year, month, day)
    if key in ("easter", "good_friday", "easter_monday"):
        shift = {"easter": 0, "good_friday": -2, "easter_monday": 1}[key]
        day = easter_sunday(year) + dt.timedelta(days=shift)
        return day, day
    if key == "thanksgiving":
        day = _nth_weekday(year, 11, 3, 4)
        return day, day
    if key == "memorial_day":
        day = _nth_weekday(year, 5, 0, -1)
        return day, day
    if key == "labor_day":
        day = _nth_weekday(year, 9, 0, 1)
        return day, day
    if key in _ISLAMIC:
        occurrences = _islamic_occurrences(key, year)
        if not occurrences:
            return None
        if near is not None:
            return min(occurrences, key=lambda iv: abs((iv[0] - near).days))
        return occurrences[0]
    return None
