"""The gazetteer index: place entries in parallel arrays, and name keys -> entry numbers.

Built by ``builder.build_gazetteer`` and loaded (cached per machine) by ``gazetteer.load_gazetteer``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from dashboard.geocoders.names import CYRILLIC_FAMILY_PREFIX
from dashboard.records import PlaceCandidate

# Feature -> the precision a mention resolved to it has (records.PLACE_PRECISIONS).
PRECISION_OF_FEATURE = {
    "country": "country", "continent": "region", "region": "region", "admin1": "admin", "admin2": "admin",
    "city": "city", "capital": "city", "valley": "region", "river": "region", "desert": "region",
    "mountains": "region", "sea": "region", "lake": "region",
}


def _entries(hit) -> tuple[int, ...]:
    if hit is None:
        return ()
    return (hit,) if isinstance(hit, int) else hit


@dataclass
class Gazetteer:
    """Place entries in parallel lists, and name keys -> entry numbers (most populous first)."""

    names: list[str]
    lats: Sequence[float]  # array("d")
    lons: Sequence[float]
    country_codes: list[str]
    features: list[str]
    geonameids: Sequence[int]  # array("q"); 0 when none
    populations: Sequence[int]
    admin1: list[str]  # "SY.07": which first-level division an entry lies in ("" when unknown)
    sources: list[str]
    index: dict[str, object]  # name_key -> int or tuple[int, ...] (negative: known by an other name only)
    word_frequency: dict[str, float]  # key -> wordfreq zipf of the name as an English word (>= 3 only)
    given_names: dict[str, int]  # lower-case given name -> how common in Britain, Ireland, the US (0-13)
    demonyms: dict[str, int]  # lower-case demonym ("syrian") -> entry number of its country/region
    country_entry: dict[str, int]  # "SY" -> entry number of the country
    admin1_entry: dict[str, int] = field(default_factory=dict)  # "SY.07" -> entry number
    abbreviations: dict[str, int] = field(default_factory=dict)  # "Ga." -> Georgia (after "City, ")
    # "TN" -> Tamil Nadu: after a town ("Salem (TN)"), and only where the town has a place in the state
    state_abbreviations: dict[str, int] = field(default_factory=dict)
    skeletons: dict[str, object] = field(default_factory=dict)  # transliteration skeleton -> entries
    # names.family_key -> entries, for places of the transliterated countries ("Dayr az Zawr" family)
    families: dict[str, object] = field(default_factory=dict)
    # a skeleton with one letter deleted -> entries whose skeleton that is (edit distance one)
    near_skeletons: dict[str, object] = field(default_factory=dict)
    # English words at least as common as "army" or "village" (wordfreq zipf >= 3.5), lower case: a
    # capitalised one after a place is read as Title Case, not as the rest of an unknown name
    common_words: frozenset = frozenset()
    version: str = ""

    def lookup(self, key: str) -> tuple[int, ...]:
        """Entry numbers named ``key``, most likely first (by their name or by another of their names)."""
        hit = self.index.get(key)
        if hit is None:  # most look-ups (every capitalised word is tried): no generator for them
            return ()
        if isinstance(hit, int):
            return (hit if hit >= 0 else -hit - 1,)
        return tuple(e if e >= 0 else -e - 1 for e in hit)

    def lookup_names(self, key: str) -> tuple[tuple[int, bool], ...]:
        """(entry, by_other_name): ``by_other_name`` when ``key`` is only a historical or foreign-language
        alternate of the entry's name ("Augusta" is an old name of Augsburg), which weighs less."""
        return tuple((e, False) if e >= 0 else (-e - 1, True) for e in _entries(self.index.get(key)))

    def lookup_skeleton(self, skeleton: str) -> tuple[int, ...]:
        return _entries(self.skeletons.get(skeleton))

    def lookup_family(self, key: str) -> tuple[int, ...]:
        return _entries(self.families.get(key))

    def lookup_cyrillic_family(self, key: str) -> tuple[int, ...]:
        """Entries of UA, RU and BY whose names share a ``cyrillic_family_key``; kept in the families'
        table under a prefix no family key can start with ("Cawaday", a Somali spelling, has the Arabic
        family "cawadai", which a letter prefix on "awadai" would meet)."""
        return _entries(self.families.get(CYRILLIC_FAMILY_PREFIX + key))

    def lookup_near_skeleton(self, variant: str) -> tuple[int, ...]:
        return _entries(self.near_skeletons.get(variant))

    def candidate(self, entry: int) -> PlaceCandidate:
        return PlaceCandidate(
            name=self.names[entry], lat=self.lats[entry], lon=self.lons[entry],
            country_code=self.country_codes[entry], feature=self.features[entry],
            geonameid=self.geonameids[entry] or None, population=self.populations[entry],
            source=self.sources[entry])

    def __len__(self) -> int:
        return len(self.names)


# How likely a name means a given entry before the text is read: population on a log scale, and the kind
# of place (a country beats a town of the same name).
FEATURE_PRIOR = {"country": 2.5, "continent": 2.5, "capital": 2.0, "admin1": 0.8, "admin2": -1.0,
                 "region": 1.0, "sea": 1.0, "river": 0.5}
CURATED_PRIOR = 1.0


def prior(g: Gazetteer, entry: int) -> float:
    """The score of ``entry`` before the text is read (``resolve`` adds what the article says)."""
    score = math.log10(g.populations[entry] + 10)
    score += FEATURE_PRIOR.get(g.features[entry], 0.0)
    if g.sources[entry].startswith("curated"):
        score += CURATED_PRIOR
    return score
