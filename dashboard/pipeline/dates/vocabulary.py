"""The words dates are made of, as pattern pieces: months, weekdays, seasons, parts, counts, holidays.

The rule table (``patterns.py``) is written with these pieces, and the trigger words that decide
where each rule runs are read off them. Nothing here resolves anything.

    >>> MONTH_NUMBER["sept"], holiday_key("EID AL FITR"), holiday_key("Thanksgiving Day")
    (9, 'eid_al_fitr', 'thanksgiving')
"""
from __future__ import annotations

import re

from dashboard.core.numbers import NUMBER_WORDS

SP = r"[^\S\n]{1,3}"  # one to three spaces or tabs, never a line break: a date does not span lines
OPT_SP = r"[^\S\n]{0,3}"
DASH = r"[-\u2010\u2011\u2012\u2013\u2014]"

_MONTHS = {
    1: ("January", "Jan"), 2: ("February", "Feb"), 3: ("March", "Mar"), 4: ("April", "Apr"),
    5: ("May", None), 6: ("June", "Jun"), 7: ("July", "Jul"), 8: ("August", "Aug"),
    9: ("September", "Sept", "Sep"), 10: ("October", "Oct"), 11: ("November", "Nov"),
    12: ("December", "Dec"),
}
MONTH_NUMBER: dict[str, int] = {}
for _number, _names in _MONTHS.items():
    for _name in _names:
        if _name:
            MONTH_NUMBER[_name.lower()] = _number


def _alternatives(words: list[str]) -> str:
    # Longest first so that "September" wins over "Sep"; Title and UPPER case only, because "may",
    # "march" and "august" in lower case are a verb, a verb and an adjective.
    forms = sorted({w for word in words for w in (word, word.upper())}, key=len, reverse=True)
    return "|".join(forms)


_FULL_MONTHS = [names[0] for names in _MONTHS.values()]
_ABBREVIATIONS = [a for names in _MONTHS.values() for a in names[1:] if a]
MONTH_FULL = rf"(?:{_alternatives(_FULL_MONTHS)})"
# A month before or after a day number: full name, or abbreviation with or without its full stop.
MONTH = rf"(?:{_alternatives(_FULL_MONTHS)}|(?:{_alternatives(_ABBREVIATIONS)})(?:\.|(?![A-Za-z])))"  # not "Marine"

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY = rf"(?:{_alternatives(list(WEEKDAY_NAMES))}|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.)"

DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
YEAR = r"(?:1[0-9]\d\d|20\d\d)(?!\d|:\d|,\d)"  # 1000-2099: the years a news archive talks about

SEASON = r"(?:spring|summer|fall|autumn|winter|Spring|Summer|Fall|Autumn|Winter)"
PART = (r"(?<![\w-])(?:early|mid|late|Early|Mid|Late|earlier|later|Earlier|Later"  # not "nearly 2000", "amid"
        rf"|(?:the|The){SP}(?:beginning|start|middle|end|turn){SP}of)")  # "late", "the end of"
MID_PREFIX = rf"(?<![\w-])(?:mid|Mid){DASH}?"

# Counts said in words ("three days ago", "a couple of weeks later"): the one number-word table.
COUNT_WORDS = sorted((w for w in NUMBER_WORDS if w not in ("zero", "hundred", "thousand", "million")), key=len, reverse=True)
NUMBER = (r"(?<![\w-])(?:\d{1,3}|"  # a whole word: not the "a" of "Syria days later"
          + "|".join(sorted({w for k in COUNT_WORDS for w in (k, k.capitalize())}, key=len, reverse=True))
          + r")")
APPROX = (rf"(?<![\w-])(?:(?:about|around|nearly|almost|some|roughly|approximately|more{SP}than|less{SP}than"
          rf"|over|under|just|only|barely|at{SP}least|About|Around|Nearly|Almost|Some|Roughly|Just){SP})")
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
QUARTER_ORDINAL = r"(?:first|second|third|fourth|final|last|First|Second|Third|Fourth|Final|Last|1st|2nd|3rd|4th)"

# Words that say "the next/last one": the anchor's direction (see cues.DIRECTIONS).
RELATIVE = (rf"(?:last|this|next|past|coming|current|previous|following|preceding|same|that"
            rf"|Last|This|Next|Past|Coming|Current|Previous|Following|Preceding|Same|That)")
THE = rf"(?:(?:the|The){SP})"

CENTURY_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21,
}
CENTURY_ORDINAL = (r"(?:\d{1,2}(?:st|nd|rd|th)|"
                   + "|".join(sorted({w for k in CENTURY_ORDINALS for w in (k, k.capitalize())}, key=len, reverse=True))
                   + ")")

# The holidays holidays.py can date. Names as written in English news; variants map to one key.
# The holidays holidays.py can date, as written in English news (matched case-insensitively, any
# apostrophe), each mapped to the key holidays.py knows it by.
# A clock time said with a day: "5 p.m. EST Nov. 9", "midnight Friday" (one expression, of that day).
CLOCK = (r"(?:(?:\d{1,2}(?::\d\d)?[^\S\n]{0,2}(?:[ap]\.m\.|[ap]m\b|[AP]M\b)|midnight|noon|Midnight|Noon)"
         r"(?:[^\S\n]{1,3}(?:[ECMP][SD]T|GMT|UTC)\b)?,?[^\S\n]{1,3}(?:on[^\S\n]{1,3})?)")

# Years said in words: "nineteen ninety-six", "twenty fourteen", "two thousand and eight".
_UNIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_TEEN_WORDS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS_WORDS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_BELOW_HUNDRED = rf"(?:(?:{_TENS_WORDS})(?:[-\u2010\u2011]|[^\S\n]{{1,3}})(?:{_UNIT_WORDS})|{_TENS_WORDS}|{_TEEN_WORDS})"
YEAR_IN_WORDS = (rf"(?i:(?:seventeen|eighteen|nineteen|twenty)[^\S\n]{{1,3}}(?:{_BELOW_HUNDRED}(?![-\w])|hundred"
                 rf"|oh[^\S\n]{{1,3}}(?:{_UNIT_WORDS})\b)"
                 rf"|two[^\S\n]{{1,3}}thousand(?:(?:[^\S\n]{{1,3}}and)?[^\S\n]{{1,3}}(?:{_UNIT_WORDS}|{_TEEN_WORDS})\b)?)")
# Decades in words: "the nineties", "the late eighties" (of the century the publication counts back to).
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}
DECADE_WORD = "(?:" + "|".join(w for word in DECADE_WORDS for w in (word, word.capitalize())) + ")"

HOLIDAY_NAMES = {
    "Christmas Day": "christmas", "Christmas": "christmas", "Christmas Eve": "christmas_eve",
    "New Year's Day": "new_year", "New Year's Eve": "new_year_eve", "Bastille Day": "bastille_day",
    "Independence Day": "independence_day", "Fourth of July": "us_independence", "Halloween": "halloween",
    "Valentine's Day": "valentine", "Armistice Day": "armistice_day", "Veterans Day": "armistice_day",
    "Remembrance Day": "armistice_day", "Thanksgiving": "thanksgiving", "Thanksgiving Day": "thanksgiving",
    "Memorial Day": "memorial_day", "Labor Day": "labor_day", "Labour Day": "labor_day",
    "May Day": "may_day", "International Workers' Day": "may_day", "Workers' Day": "may_day",
    "Nowruz": "nowruz", "Newroz": "nowruz",
    "Easter": "easter", "Easter Sunday": "easter", "Easter Day": "easter", "Good Friday": "good_friday",
    "Easter Monday": "easter_monday", "Ramadan": "ramadan", "Eid al-Fitr": "eid_al_fitr",
    "Eid ul-Fitr": "eid_al_fitr", "Eid al-Adha": "eid_al_adha", "Eid ul-Adha": "eid_al_adha",
    "Ashura": "ashura", "Islamic New Year": "islamic_new_year", "Hijri New Year": "islamic_new_year",
    "Mawlid": "mawlid", "Arbaeen": "arbaeen", "Election Day": "election_day", "Boxing Day": "boxing_day",
    "Martin Luther King Day": "martin_luther_king_day", "Martin Luther King Jr. Day": "martin_luther_king_day",
    "Presidents Day": "presidents_day", "Presidents' Day": "presidents_day", "Columbus Day": "columbus_day",
    "Palm Sunday": "palm_sunday",
}
# Holidays whose name is also a common phrase: only capitalised are they the holiday ("an election day").
CAPITALISED_HOLIDAYS = frozenset({"election_day"})


def holiday_key(written: str) -> str | None:
    """The holidays.py key of a holiday name as written: "EID AL FITR" -> "eid_al_fitr"."""
    return _HOLIDAY_KEYS.get(re.sub(r"[\s-]+", " ", written.replace("’", "'")).lower())


_HOLIDAY_KEYS = {re.sub(r"[\s-]+", " ", name).lower(): key for name, key in HOLIDAY_NAMES.items()}
HOLIDAY = "(?i:" + "|".join(
    re.escape(name).replace(r"\ ", SP).replace(r"\-", f"(?:{SP}|-)").replace("'", "['’]")
    for name in sorted(HOLIDAY_NAMES, key=len, reverse=True)
) + ")"


# Trigger words by class, lower case: a rule runs only within a short window around a word of its
# class ("digit" is any number), so most of a text is never scanned by most rules.
TRIGGER_WORDS: dict[str, frozenset[str]] = {
    "month": frozenset(MONTH_NUMBER),
    "weekday": frozenset([w.lower() for w in WEEKDAY_NAMES] + ["mon", "tue", "tues", "wed", "thu", "thur", "thurs",
                                                               "fri", "sat", "sun"]),
    "relative_day": frozenset(["yesterday", "today", "tomorrow", "tonight", "morning", "afternoon", "evening", "night"]),
    "present": frozenset(["now", "currently", "nowadays", "present"]),
    "day": frozenset(["day", "days", "morning", "evening", "night"]),
    "week": frozenset(["week", "weeks", "weekend"]),
    "month_word": frozenset(["month", "months"]),
    "year_word": frozenset(["year", "years", "decade", "decades"]),
    "season": frozenset(["spring", "summer", "fall", "autumn", "winter"]),
    "quarter": frozenset(["quarter", "q"]),
    "half": frozenset(["half"]),
    "century": frozenset(["century"]),
    "holiday": frozenset(re.split(r"[\s'-]+", name.lower().replace("’", "'"))[0] for name in HOLIDAY_NAMES),
    "year_in_words": frozenset(["seventeen", "eighteen", "nineteen", "twenty", "thousand"]),
    "decade_word": frozenset(DECADE_WORDS),
}
# How far a match can reach before and after its trigger word ("the beginning of the following month").
TRIGGER_REACH_BEFORE, TRIGGER_REACH_AFTER = 48, 40



# A season is a date after these words ("in the fall", "that winter"), or when capitalised mid-sentence;
# a lower-case "spring" or "fall" elsewhere is more often a verb or a noun ("a fall in prices").
SEASON_CONTEXT = (r"(?:\b(?:in|In|by|By|since|Since|until|Until|through|Through|throughout|during|During|"
                  r"over|Over|from|From|to|and|or|of|before|Before|after|After|that|That|this|This|"
                  r"last|Last|next|Next|the|The|early|Early|late|Late|mid|Mid|its|their|his|her)[^\S\n]{1,3}|-)$")
