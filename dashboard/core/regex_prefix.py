"""Regular expressions that fail fast where they cannot start: the same matches, fewer wasted attempts.

Python's ``re`` tries a pattern at every position of the text. A date rule that opens with optional
words and a dozen lookbehinds ("(?<!nearly )(?<!some )...(?:fiscal )?(?P<year>...)") runs them all at
every character before it fails. The characters a match can begin with are known from the pattern
itself; a lookahead for them in front rejects every other position in one step:

    >>> sorted(first_characters(r"(?:(?P<fiscal>fiscal|FY)\\s)?(?P<year>1\\d{3}|20\\d\\d)"))
    ['1', '2', 'F', 'f']
    >>> with_first_characters(r"(?<!\\d)(?:19|20)\\d\\d")
    '(?=[12])(?:(?<!\\\\d)(?:19|20)\\\\d\\\\d)'

Nothing changes where the first characters cannot be told (a pattern that may match the empty string,
starts with ``\\w``, a negated class or a case-insensitive part): the pattern is returned as it is.
"""
from __future__ import annotations

import re
import string

try:  # Python 3.11 moved the parser; 3.10 has the old names
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _parser

_ANY = None  # any character may come first: no prefix can be added
_MAX_RANGE = 300  # a class wider than this ("[^...]", "[\u0000-\uffff]") is as good as any character
_REPEATS = tuple(op for op in (getattr(_c, "MAX_REPEAT", None), getattr(_c, "MIN_REPEAT", None),
                               getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None)
_ZERO_WIDTH = (_c.ASSERT, _c.ASSERT_NOT, _c.AT)


def _class(items) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] <= _MAX_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            chars.update(string.digits)
        else:  # a negated class, \w, \s, a wide range
            return _ANY
    return chars


def _item(op, av) -> tuple[set[str] | None, bool]:
    """(the characters one parsed item can begin with, or _ANY; whether it can match nothing)."""
    if op is _c.LITERAL:
        return {chr(av)}, False
    if op is _c.IN:
        return _class(av), False
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, items = av
        return (_ANY, False) if add_flags & re.IGNORECASE else _sequence(items)
    if op is _c.BRANCH:
        chars, empty = set(), False
        for alternative in av[1]:
            first, may_be_empty = _sequence(alternative)
            if first is _ANY:
                return _ANY, False
            chars |= first
            empty |= may_be_empty
        return chars, empty
    if op in _REPEATS:
        low, _high, items = av
        first, may_be_empty = _sequence(items)
        return first, may_be_empty or low == 0
    if op in _ZERO_WIDTH:
        return set(), True  # lookarounds and anchors consume nothing: what follows comes first
    return _ANY, False  # back-references, "." and whatever else


def _sequence(items) -> tuple[set[str] | None, bool]:
    chars: set[str] = set()
    for op, av in items:
        first, may_be_empty = _item(op, av)
        if first is _ANY:
            return _ANY, False
        chars |= first
        if not may_be_empty:
            return chars, False
    return chars, True


def first_characters(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters every match of ``pattern`` begins with, or None when they cannot be told."""
    if flags & re.IGNORECASE:
        return None
    chars, may_be_empty = _sequence(_parser.parse(pattern, flags))
    if chars is _ANY or may_be_empty or not chars:
        return None
    return frozenset(chars)


def with_first_characters(pattern: str, flags: int = 0) -> str:
    """``pattern`` behind a lookahead for its first characters (the same matches and groups)."""
    chars = first_characters(pattern, flags)
    if chars is None:
        return pattern
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])(?:" + pattern + ")"


def by_first_character(alternatives: list[str], flags: int = 0) -> str:
    """One pattern for ``alternatives``, tried in their order as ``"|".join`` would be, that at each
    position tries only those that can begin with the character there (a small tree of lookaheads picks
    them): a table of two hundred trigger phrases is read as a dozen at each word. An alternative left
    out at a position could not have matched there, so the matches are the plain alternation's.

        >>> pattern = re.compile(by_first_character([r"\\bair ?strikes?", r"\\bbomb(?:ing)?s?", r"\\barmy"]))
        >>> [m.group() for m in pattern.finditer("an airstrike, then the army's bombings")]
        ['airstrike', 'army', 'bombings']
    """
    word_start = all(a.startswith("\\b") for a in alternatives)  # then checked once, in front
    bodies = [a[2:] if word_start else a for a in alternatives]
    firsts = [first_characters(a, flags) for a in alternatives]
    chars = sorted(set().union(*(f for f in firsts if f is not None)))
    buckets = {c: "|".join(f"(?:{b})" for b, f in zip(bodies, firsts) if f is None or c in f) for c in chars}
    unknown = [f"(?:{b})" for b, f in zip(bodies, firsts) if f is None]
    pattern = "|".join(([_tree(chars, buckets)] if chars else []) + unknown)
    return "\\b(?:" + pattern + ")" if word_start else pattern


def _tree(chars: list[str], buckets: dict[str, str]) -> str:
    """Halve the characters with a lookahead for each half, down to a few, each before its bucket."""
    if len(chars) <= 4:
        return "|".join(f"(?={re.escape(c)})(?:{buckets[c]})" for c in chars)
    left, right = chars[:len(chars) // 2], chars[len(chars) // 2:]
    return "|".join(f"(?=[{''.join(re.escape(c) for c in half)}])(?:{_tree(half, buckets)})" for half in (left, right))
