"""A name read spelling-blind: the gazetteer's places whose spelling family or consonant skeleton a
written name shares ("Tal Tamir" for GeoNames' "Tall Tamr", "Gorlovka" for "Horlivka"), for a run the
gazetteer does not know by its own spelling. Such a match weighs as an other name (see resolve)."""
from __future__ import annotations

from dashboard.geocoders.index import Gazetteer
from dashboard.geocoders.names import (cyrillic_family_key, family_key, name_key, one_edit_variants,
                                       transliteration_skeleton)
from dashboard.pipeline.places.tokens import strip_possessive
from dashboard.pipeline.places.vocabulary import ARABIC_ARTICLES, PERSON_PARTICLES, PLACE_PREFIXES, TITLES

MAX_NEAR_CANDIDATES = 25  # namesakes within one edit kept, the most populous
# English words that begin the names of regions ("Middle Juba", "Lower Dir", "Upper Nile"): before a
# transliterated word they are part of its name, not the English word that rules a transliteration out
POSITION_WORDS = frozenset("upper lower middle north south east west northern southern eastern western central".split())


def spelling_blind_entries(g: Gazetteer, run_tokens, run_text: str,
                           kind_said: bool = False) -> tuple[str, tuple[int, ...]]:
    """(skeleton, entries) of a run read spelling-blind, or ("", ()) when it cannot be a name (a person's,
    unless a kind of place follows: "Al Hamra airbase")."""
    words = [t for t in run_tokens if t.capitalised]
    if not words or len(words) > 4 or any(t.text.isupper() for t in words):
        return "", ()
    positioned = len(words) > 1 and words[0].lower in POSITION_WORDS  # "Lower Shabelle" ~ "Lower Shabele"
    if any((g.word_frequency.get(name_key(strip_possessive(t.text)), 0.0) >= 3.0 or t.lower in g.common_words)
           and t.lower not in PLACE_PREFIXES and not (kind_said and t.lower in ARABIC_ARTICLES)
           and not (positioned and t is words[0]) for t in words) \
            or any(t.lower in g.demonyms for t in words):
        return "", ()  # English words ("Ministry" is no village) and adjectives are no transliterations
    if (words[0].lower in g.given_names and words[0].lower not in PLACE_PREFIXES and not kind_said) or \
            words[0].lower in PERSON_PARTICLES or words[0].lower in TITLES:
        return "", ()  # "Yusuf Darwish", "Abu Karim", "Haji Salem": people, whatever village shares the name
    # From the tightest key to the loosest: the spelling family ("Nassriya" ~ "Nasiriyah"), the
    # consonant skeleton, then the Cyrillic spelling family ("Gorlovka" ~ "Horlivka") and the
    # skeleton within one edit ("Tal Abyadh" ~ "Tall Abyad").
    family = family_key(run_text)
    entries = g.lookup_family(family) if len(family) >= 4 else ()
    if entries:
        return "f" + family, entries
    skeleton = transliteration_skeleton(run_text)
    entries = g.lookup_skeleton(skeleton) if len(skeleton) >= 5 else ()
    if entries:
        return "s" + skeleton, entries
    family = cyrillic_family_key(run_text)  # "Dolomytne" ~ "Dolomitne", "Gorlovka" ~ "Horlivka"
    cyrillic = g.lookup_cyrillic_family(family) if len(family) >= 4 else ()
    near: set[int] = set()
    if len(skeleton) >= 5:
        near.update(g.lookup_near_skeleton(skeleton))
        for variant in one_edit_variants(skeleton):
            near.update(g.lookup_skeleton(variant))
            near.update(g.lookup_near_skeleton(variant))
    ranked = sorted(near, key=lambda e: -g.populations[e])[:MAX_NEAR_CANDIDATES]
    if cyrillic:  # both where both meet: the countries the text is about choose (resolve)
        return "c" + family, tuple(cyrillic) + tuple(e for e in ranked if e not in cyrillic)
    return ("e" + skeleton, tuple(ranked)) if ranked else ("", ())
