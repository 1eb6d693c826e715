"""Names read with the names beside them: a list before a plural kind of area, and a qualifier.

A name listed before a plural kind of area is that kind of area.

"Storms hit Walton and Oconee counties" names Walton County and Oconee County, not the towns of Walton
and Oconee; "clashes in Idlib and Hama provinces" names two provinces. The gazetteer holds such areas
under their full name ("Walton County", "Idlib province" as another name of the governorate), so each
listed name is looked up with the kind word added::

    >>> from dashboard.pipeline.places import find_places
    >>> [(p.text, p.name) for p in find_places("Crews cleared roads in Walton and Oconee counties.")]
    [('Walton', 'Walton County'), ('Oconee counties', 'Oconee County')]
"""
from __future__ import annotations

import re
from collections.abc import Callable

from dashboard.geocoders.index import Gazetteer
from dashboard.geocoders.names import cyrillic_family_key, family_key, transliteration_skeleton
from dashboard.pipeline.places.vocabulary import AREA_KINDS, KIND_WORDS

# Plural kinds of area and the singular the gazetteer's names use.
PLURAL_AREAS = {
    "counties": "county", "provinces": "province", "governorates": "governorate", "districts": "district",
    "states": "state", "regions": "region", "oblasts": "oblast", "prefectures": "prefecture",
    "departments": "department", "parishes": "parish", "municipalities": "municipality", "lgas": "LGA",
}
_WORD = r"[A-Z][\w'’.]*(?:-[A-Za-z][\w'’.]*)*"
_ITEM = rf"{_WORD}(?: {_WORD}){{0,3}}"
_JOIN = r"(?:,\s+(?:and\s+)?|\s+and\s+|\s+&\s+)"
# A list that ends right before the plural word (searched in the text just before it).
_LIST = re.compile(rf"(?:{_ITEM}{_JOIN})+{_ITEM}\s+$")
# Written in lower case only ("the United States" is a name, not a kind): matched as written, which is
# several times faster than matching without case and keeping the lower-case matches.
_KINDS = re.compile(r"\b(" + "|".join(PLURAL_AREAS) + r")\b")
_ITEMS = re.compile(_ITEM)
REACH = 200  # characters before the plural word that a list may take


Listed = tuple[int, int, str, tuple[int, ...]]  # start, end, name key, entries


def listed_areas(text: str, regions, lookup: Callable[[str], tuple[str, tuple[int, ...]]]) -> list[Listed]:
    """(start, end, key, entries) for each name of a list before a plural kind of area that the gazetteer
    holds with the kind word added ("Walton" + "county"), spanning the name alone; the last one with the
    kind word ("Oconee counties"), as "Anbar province" spans its kind."""
    out = []
    for start, end in regions:
        for kind in _KINDS.finditer(text, start, end):
            singular = PLURAL_AREAS[kind.group().lower()]
            left = max(start, kind.start() - REACH)
            found = _LIST.search(text, left, kind.start())
            if found is None:
                continue
            for item in _ITEMS.finditer(text, found.start(), found.end()):
                name = item.group()
                # "In Walton": a capitalised word before the list is no part of the first name
                for cut in (0, 1):
                    words = name.split(" ")[cut:]
                    if not words:
                        break
                    written = " ".join(words)
                    key, entries = lookup(f"{written} {singular}")
                    if entries:  # the last name takes the kind word along, as a name and its kind do
                        last = not text[item.end():kind.start()].strip()
                        out.append((item.end() - len(written), kind.end() if last else item.end(), key, entries))
                        break
    return out


def attach_qualifiers(text: str, matches: list, gazetteer: Gazetteer) -> None:
    """'Zabol, Iran', 'Peoria, Illinois', 'Kisii village (Rafi, Niger State)', 'the Hodan neighbourhood of
    Mogadishu': the second name narrows the first (see resolve)."""
    for a, b, after in zip(matches, matches[1:], [*matches[2:], None]):
        if b.kind == "name" and b.role == "location" and b.start - a.end <= 60 and not (
                b.text.isupper() and len(b.text) <= 3 and b.text not in gazetteer.abbreviations
                and b.text not in gazetteer.state_abbreviations) \
                and (QUALIFIER_GAP.match(text, a.end, b.start) or _OF_AFTER_KIND.fullmatch(text, a.end, b.start)
                     and a.text.rsplit(None, 1)[-1].lower() in KIND_WORDS) and "\n" not in text[a.end:b.start]:
            a.qualifier = b
            if after is not None and LIST_GAP.fullmatch(text, a.end, b.start) \
                    and LIST_GAP.fullmatch(text, b.end, after.start):
                a.notes.append("listed")  # "Indianapolis, Louisville, Tampa": maybe a list, not a chain


LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")  # between the names of a list
# What may stand between a name and the name that qualifies it: a comma, an opening bracket (with an
# unknown district and a comma inside), "of"/"in" after a kind of place ("village of", "district in"),
# up to two kind words ("Kalyan sector area (Thane)"), as written ("Rafi LGA (Niger)").
_KIND = r"\s+(?:" + "|".join(sorted(KIND_WORDS - {"border", "crossing", "river"})) + r")"
QUALIFIER_GAP = re.compile(
    r"(?:" + _KIND + r"){0,2}(?:\s*,\s*|\s*\((?:[^(),]{1,30},\s*)?)$|" + _KIND + r"\s+(?:of|in)\s+(?:the\s+)?$"
    r"|\s+(?:residents|villagers|inhabitants|locals)\s*\($",  # "Kunda residents (Mesa, Borno)"
    re.IGNORECASE)
# ... and "of"/"in" alone after a name that holds its kind word ("Desnianskyi district of Kyiv")
_OF_AFTER_KIND = re.compile(r"\s+(?:of|in)\s+(?:the\s+)?", re.IGNORECASE)


def respell_within_qualifier(matches: list, gazetteer: Gazetteer) -> None:
    """'Vodyane, Donetsk' where the gazetteer's Vodyane lie in other provinces and a Vodiane lies in
    Donetsk's: a name qualified by a province that holds none of its entries gets the entries of its
    spelling families (Arabic, Cyrillic, consonant skeleton) that the province holds, ahead of its own.
    (Without them, resolve finds the qualifier contradicted and drops the name.)"""
    g = gazetteer
    for match in matches:
        qualifier = match.qualifier
        if qualifier is None or match.key.startswith("~") or qualifier.key == match.key or match.kind != "name":
            continue
        provinces = {(g.country_codes[e], g.admin1[e]) for e in qualifier.entries
                     if g.features[e] == "admin1" and g.admin1[e]}
        if not provinces or any((g.country_codes[e], g.admin1[e]) in provinces for e in match.entries):
            continue
        loose = set(g.lookup_family(family_key(match.text))) | set(g.lookup_cyrillic_family(
            cyrillic_family_key(match.text))) | set(g.lookup_skeleton(transliteration_skeleton(match.text)))
        within = sorted((e for e in loose if (g.country_codes[e], g.admin1[e]) in provinces
                         and g.features[e] in ("city", "admin2")), key=lambda e: -g.populations[e])
        if within:
            match.entries = tuple(within) + tuple(e for e in match.entries if e not in within)
            match.notes.append("respelled in its province")


def said_to_be_a_place(match) -> bool:
    """'near Svitlodarsk', 'Reasi city': the sentence itself says the name is a place."""
    return "located" in match.notes or "settlement" in match.notes


def said_to_be_an_area(match) -> bool:
    """'Ahmadabad district', 'Lara state': the text says the name is a district, province or state."""
    return "area" in match.notes or match.text.rsplit(None, 1)[-1].lower() in AREA_KINDS


def states_that_qualify(matches: list, g: Gazetteer) -> list:
    """A state's abbreviation stands only where it qualifies a name with a place in that state ("Salem
    (TN)"), or a district or village of its country that the text says is one ("Kalan district, KPK",
    where the gazetteer lacks it); elsewhere ("BAGHDAD (AP)", "Jane Doe (MP)") it is another word, and
    qualifies nothing."""
    def stands(m, state: int) -> bool:
        said = said_to_be_an_area(m) or "settlement" in m.notes
        return any(g.country_codes[e] == g.country_codes[state] and (said or g.admin1[e] == g.admin1[state])
                   for e in m.entries)
    kept = {id(m.qualifier) for m in matches if m.qualifier is not None
            and "state abbreviation" in m.qualifier.notes and stands(m, m.qualifier.entries[0])}
    for match in matches:
        if match.qualifier is not None and "state abbreviation" in match.qualifier.notes \
                and id(match.qualifier) not in kept:
            match.qualifier = None
    return [m for m in matches if "state abbreviation" not in m.notes or id(m) in kept]
