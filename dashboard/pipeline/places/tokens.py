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


# Lower-case words a gazetteer name may hold inside it ("Gracias a Dios", "Poienile de sub Munte",
# "Stratford upon Avon", "Rabat-e Sangi-ye Pain"): this many at most, each this short, and this many
# capitalised words after them.
INNER_LOWER_WORDS = 3
INNER_LOWER_LETTERS = 4
AFTER_LOWER_WORDS = 2


def run_through_lower_case(text: str, tokens: list[Token], i: int, j: int, holds) -> int:
    """The end of the capitalised run ``tokens[i:j]`` carried on over short lower-case words when the
    gazetteer holds the whole name (``holds(written_name)``), else ``j``: longest name first, so a name
    is not cut at its first lower-case word ("in Gracias a Dios" is one place, not "Gracias")."""
    n = len(tokens)
    if j >= n or tokens[j].capitalised:
        return j
    end, k, lower, capitals = j, j, 0, 0
    while k < n and text[tokens[k - 1].end:tokens[k].start] in (" ", "-"):  # ("Rabat-e Sangi-ye Pain")
        token = tokens[k]
        if token.capitalised:
            capitals += 1
            if lower and any(tokens[s].capitalised and holds(text[tokens[s].start:token.end]) for s in range(i, j)):
                end = k + 1
            if capitals >= AFTER_LOWER_WORDS:
                break
        elif capitals or lower >= INNER_LOWER_WORDS or len(token.text) > INNER_LOWER_LETTERS \
                or not token.text.isalpha():
            break
        else:
            lower += 1
        k += 1
    return end
