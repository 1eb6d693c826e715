"""Fatalities: the number of people a sentence says were killed, read by rules that each carry their example."""
from __future__ import annotations

import functools
import re

from dashboard.core.numbers import SCALES, TENS, UNITS, parse_number

_NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
_NUMBER = rf"(?:\d[\d,]{{0,12}}|(?:(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?)?){{1,4}})"
_VICTIMS = (r"(?:people|persons|civilians|fighters|militants|soldiers|troops|members|police(?:men| officers)?"
            r"|officers|guards|insurgents|jihadists|children|women|men|inmates|prisoners|worshippers|others|"
            r"security forces|service members|americans|iraqis|syrians|kurds)")
_QUALIFIER = r"(?:about|around|approximately|at least|more than|over|nearly|almost|some|roughly|up to|an estimated)\s+"
# (pattern, example): the number is group "n"
FATALITY_RULES: list[tuple[str, str]] = [
    (rf"\b(?:killed|killing|kill|killing off|massacred|executed|left)\s+(?:{_QUALIFIER})?(?P<n>{_NUMBER})\s+"
     rf"(?:\w+\s+){{0,2}}{_VICTIMS}(?:\s+dead)?\b",
     "Drones hit the camp at dusk, killing about 60 fighters."),
    (rf"\b(?:{_QUALIFIER})?(?P<n>{_NUMBER})\s+(?:\w+\s+){{0,2}}{_VICTIMS}\s+(?:were|have been|had been|are|was)\s+"
     rf"(?:\w+\s+)?(?:killed|dead|executed|slain)\b",
     "At least 30 people were killed in the blast."),
    (rf"\b(?:death toll|toll)\s+(?:\w+\s+){{0,3}}(?:of|to|at|reached|rose to)\s+(?:{_QUALIFIER})?(?P<n>{_NUMBER})\b",
     "The death toll rose to 45."),
    (rf"\b(?P<n>{_NUMBER})\s+(?:dead|deaths|killed|fatalities)\b",
     "The attack left 12 dead."),
]
_FATALITY_PATTERNS = [re.compile(p, re.IGNORECASE) for p, _ in FATALITY_RULES]


_FATALITY_WORDS = re.compile(r"kill|dead|death|toll|slain|execut|massacr|fatalit", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def fatalities(sentence: str) -> int | None:
    """The number of people a sentence says were killed, or None when it states none.

    >>> fatalities("Two suicide bombers killed three dozen people in Baghdad."), fatalities("He fled.")
    (36, None)
    """
    if not _FATALITY_WORDS.search(sentence):  # most sentences count no dead: skip the number patterns
        return None
    for pattern in _FATALITY_PATTERNS:
        m = pattern.search(sentence)
        if m:
            n = parse_number(m.group("n"))
            if n is not None and 0 < n < 10_000_000:
                return n
    return None
