"""The one table of English number words, and the one reader of numbers written in words.

    >>> parse_number("three dozen"), parse_number("two hundred and five"), parse_number("a couple of")
    (36, 205, 2)
    >>> parse_number("nineteen ninety-six", year=True), parse_number("twenty fourteen", year=True)
    (1996, 2014)
    >>> parse_number("dozens") is None   # vague: no number
    True

The dates read counts ("three days ago", "a couple of weeks later") and spelled-out years; the
event taxonomy reads fatalities ("killed two hundred people"). Both use this table, so a word added
here is known to both.
"""
from __future__ import annotations

import re

UNITS = {"zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
# Words that stand for a number in a phrase of their own ("a couple of days", "a few weeks" is vague).
PHRASES = {"a couple of": 2, "a dozen": 12, "half a dozen": 6}
NUMBER_WORDS = {**UNITS, **TENS, **SCALES, **PHRASES}

_SPLIT = re.compile(r"[\s-]+")


def _below_hundred(tokens: list[str]) -> int | None:
    """ "ninety six" -> 96, "fourteen" -> 14, "oh five" -> 5 (the "oh" of a year); None otherwise."""
    if tokens[:1] == ["oh"]:
        tokens = tokens[1:]
    if len(tokens) == 1 and tokens[0] in UNITS and tokens[0] not in ("a", "an"):
        return UNITS[tokens[0]]
    if tokens and tokens[0] in TENS and (len(tokens) == 1 or (len(tokens) == 2 and tokens[1] in UNITS
                                                                and 0 < UNITS[tokens[1]] < 10)):
        return TENS[tokens[0]] + (UNITS[tokens[1]] if len(tokens) == 2 else 0)
    return None


def parse_number(words: str, year: bool = False) -> int | None:
    """A number written in digits or English words -> int; None when it is vague or no number.

    ``year=True`` also reads years said in pairs ("nineteen ninety-six", "twenty twenty-one",
    "two thousand and eight").
    """
    words = words.strip().lower().replace(",", "")
    if words.isdigit():
        return int(words)
    if words in PHRASES:
        return PHRASES[words]
    tokens = [t for t in _SPLIT.split(words) if t]
    if year:
        for split in (1, 2):  # "nineteen | ninety six", "twenty one | oh five"
            century, rest = _below_hundred(tokens[:split]), tokens[split:]
            tail = _below_hundred(rest) if rest and rest[0] not in SCALES else None
            if century is not None and 10 <= century <= 20 and tail is not None and (tail >= 10 or rest[0] == "oh"):
                return century * 100 + tail
    total, current, seen = 0, 0, False
    for token in tokens:
        if token == "and":
            continue
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            current = max(current, 1) * SCALES[token]
            if SCALES[token] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None
