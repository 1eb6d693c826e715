"""The words of a text as the place rules read them: tokens with their offsets, lower case and capital.

    >>> [(t.text, t.capitalised) for t in tokenise("Iraq's army reached al-Hol.", 0, 27)]
    [("Iraq's", True), ('army', False), ('reached', False), ('al', False), ('Hol', True)]
"""
from __future__ import annotations

import re
from typing import NamedTuple

# A word: letters/digits, with inner apostrophes (O'Hare, Iraq's); or a dotted abbreviation (U.S., D.C.).
# (With combining accents. Read as letters between apostrophes rather than one character at a time with a
# lookahead for an apostrophe's next letter: the same matches, about 15% faster.)
WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W_][\w\u0300-\u036f]*(?:['’]\w[\w\u0300-\u036f]*)*")


class Token(NamedTuple):
    """A word of the text. ``lower`` and ``capitalised`` are computed once: the rules ask for them
    millions of times over a large corpus (a tuple: a hundred thousand are made per MB of text)."""

    start: int
    end: int
    text: str
    lower: str
    capitalised: bool


def tokenise(text: str, start: int, end: int) -> list[Token]:
    # A NamedTuple's own __new__ is a Python function, and attribute look-ups cost on this hot path.
    new, lower, isupper = tuple.__new__, str.lower, str.isupper
    return [new(Token, (s, e, word, lower(word), isupper(word[0])))
            for m in WORD.finditer(text, start, end) for (s, e), word in ((m.span(), m.group()),)]


def strip_possessive(text: str) -> str:
    if text.endswith(("'s", "’s")):
        return text[:-2]
    if text.endswith(("s'", "s’")):
        return text[:-1]
    return text


def joined(text: str, left: Token, right: Token) -> bool:
    """Two tokens belong to one name when only a space or a hyphen separates them."""
    gap = text[left.end:right.start]
    return gap in (" ", "-", "‑", "–") or (0 < len(gap) <= 2 and gap.strip(" -") == "")
