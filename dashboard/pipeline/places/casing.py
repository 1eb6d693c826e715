"""Place names in the casing of posts and chat: "shelling in east mosul", "#idlib", "downtown BEIRUT".

News capitalises names; posts often do not, or shout. A lower-case or all-capital word is a place only
when it names a well-known place (a country, a first-level division, a capital, a city of 100,000 people
or more) by that very name, not by one of GeoNames' many alternate names ("SANA", a news agency, is only
another name of Sanaa), and is not an ordinary English word when written in lower case ("turkey",
"nice", "reading", "split", "chad", "rivers", "north-east": the common words of Webster's Second
International, from the ``english-words`` package). An all-capital word has five letters or more:
shorter ones are mostly acronyms ("MOCA", a museum).

    >>> from dashboard.pipeline.places import find_places
    >>> [(p.text, p.name) for p in find_places("heavy shelling in east mosul tonight")]
    [('mosul', 'Mosul')]
    >>> find_places("we had turkey and rice in a nice cafe")
    []
"""
from __future__ import annotations

import functools
import re

from dashboard.geocoders.index import Gazetteer
from dashboard.geocoders.names import name_key
from dashboard.pipeline.places.vocabulary import GENERIC_WORDS, MONTHS_AND_DAYS

WELL_KNOWN_POPULATION = 100_000
WELL_KNOWN_FEATURES = frozenset({"country", "admin1", "capital"})
MEMO_SIZE = 50_000  # lower-case words judged and remembered per process, then the memo starts afresh

@functools.lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """The lower-case words of Webster's Second International (about 210,000): "turkey", "cork", "bath"."""
    from english_words import get_english_words_set  # 0.2 s: read once, when a text first needs it

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


def well_known(g: Gazetteer, entries: tuple[int, ...], key: str) -> bool:
    """Whether one of the first candidates is a country, a province, a capital or a big city known by
    that very name: its own name, or a spelling the project's supplement gives ("Raqqa"), not one of the
    many alternate names GeoNames lists ("Kazakh" for Petropavl, "Man" for Amman)."""
    for e in entries[:3]:
        if name_key(g.names[e]) != key and not g.sources[e].startswith("curated"):
            continue
        if g.features[e] in WELL_KNOWN_FEATURES or (g.features[e] == "city"
                                                    and g.populations[e] >= WELL_KNOWN_POPULATION):
            return True
    return False


_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def _plain(word: str) -> bool:
    """An ordinary word, or an inflection or a compound of ordinary words: "rivers", "tours", "man's",
    "north-central"."""
    lower = word.lower().replace("’", "'")
    if lower.endswith("'s"):
        lower = lower[:-2]
    parts = [p for p in lower.split("-") if p]
    return bool(parts) and all(_ordinary(p) for p in parts)


def _ordinary(word: str) -> bool:
    words = ordinary_words()
    if word in words or word in MONTHS_AND_DAYS or word in GENERIC_WORDS:
        return True
    return any(word.endswith(ending) and len(word) > len(ending) + 2 and word[:-len(ending)] + stem in words
               for ending, stem in _ENDINGS)


def lowercase_places(g: Gazetteer, text: str, tokens, lookup) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """(start, end, key, entries) of each lower-case token (the recogniser's, with ``lookup(written) ->
    (key, entries)``, a function of the written form and ``g`` alone: verdicts are remembered) that is a well-known place's name and no ordinary word. A word inside a handle, an
    address, a file name or a hyphenated compound is not written as a name: "@mosul_eye",
    "aleppo.example.org", "north-east"."""
    found = []
    index = g.index
    # the verdict on a written word depends on it and the gazetteer alone: judged once per process
    memo = vars(g).setdefault("_lower_case_places", {})
    if len(memo) > MEMO_SIZE:
        memo.clear()
    # most words are no name at all: a plain lower-case word is its own key ("mosul's" is Mosul's)
    for token in [t for t in tokens if not t.capitalised and len(t.text) >= 4
                  and (t.text in index or (t.text[-2:] in ("'s", "’s") and t.text[:-2] in index))]:
        word = token.text
        before, after = text[token.start - 1] if token.start else " ", text[token.end:token.end + 2]
        if before in "@/.-" or before.isalnum() or after[:1] in ("@", "/", "_", "-") \
                or (after[:1] == "." and after[1:2].isalnum()):
            continue
        place = memo.get(word)
        if place is None:
            key, entries = lookup(word)
            place = memo[word] = (key, entries) if entries and well_known(g, entries, key) and not _plain(word) else ()
        if place:
            found.append((token.start, token.end, *place))
    return found


def shouted_place(g: Gazetteer, written: str, key: str, entries: tuple[int, ...]) -> bool:
    """Whether an all-capital word is a well-known place ("MOSUL", "GAZA"), not an acronym ("SANA")."""
    return len(written) >= 5 and written.isalpha() and not _plain(written) and well_known(g, entries, key)
