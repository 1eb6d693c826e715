"""What a place name does in its sentence: the rules that read the words around a gazetteer match.

Two questions, both answered from the words next to the match within its capitalised run:

- Is the match the place at all, or only part of a longer name the gazetteer does not hold? Longest
  name first: a run that goes on past the name with words that are not place words is another name
  ("Boko" of "Boko Haram", "Stade" of "Stade de France", "Auckland" of "Auckland Park", "Zawiya" of
  "Jabal al-Zawiya"): ``verdict`` says "drop".
- If it is a place, is it where something is, or does it stand for something else? ``verdict`` gives the
  role of ``records.PlaceMention``: "organisation" ("Leeds Police", "forces of Armenia", "US-led"),
  "title" ("the Texas Governor", "Iraq's Prime Minister"), "currency" ("the US dollar"), "comparison"
  ("an area the size of Belgium"), "route" ("the Murree road"), or "location".

    >>> from dashboard.pipeline.places import find_places
    >>> [(p.text, p.role) for p in find_places("Prices rose against the US dollar in Lebanon.")]
    [('US', 'currency'), ('Lebanon', 'location')]
"""
from __future__ import annotations

import re

from dashboard.geocoders.index import Gazetteer
from dashboard.geocoders.names import name_key
from dashboard.pipeline.places.vocabulary import (
    ACTOR_SUFFIXES, ARABIC_ARTICLES, BODY_WORDS, DISEASE_WORDS, ROUTE_WORDS, COMPARISON_BEFORE, CONNECTORS, CURRENCY_WORDS, GENERIC_WORDS, INSTITUTION_WORDS,
    KIND_WORDS, LOCATIVE_PREPOSITIONS, MONTHS_AND_DAYS, PLACE_PREFIXES, ROLE_WORDS, SETTLEMENT_WORDS, TITLE_CASE_WORDS,
    TITLES)

DROP = "drop"
# Names that start a new place after this one in one run ("Aleppo-Hama-Raqqa"): big enough to be sure.
STRONG_NEIGHBOUR = frozenset({"country", "admin1", "capital", "continent", "region", "sea", "river"})
_COMPARISON = re.compile(r"(?:" + "|".join(re.escape(p) for p in COMPARISON_BEFORE) + r")\s+(?:the\s+)?$",
                         re.IGNORECASE)
_LAST_WORDS_BEFORE = frozenset(p.split()[-1] for p in COMPARISON_BEFORE) | {"the"}
_BODY_OF = re.compile(r"\b(?:" + "|".join(sorted(BODY_WORDS)) + r")\s+(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)
# "the forces of India and Pakistan": the second name is in the body's name too
_BODY_OF_TWO = re.compile(r"\b(?:" + "|".join(sorted(BODY_WORDS)) + r")\s+(?:of|from)\s+(?:the\s+)?"
                          r"(?:[A-Z][\w'’-]*\s+){1,3}and\s+(?:the\s+)?$", re.IGNORECASE)
_TITLE_OF = re.compile(r"\b(?:" + "|".join(sorted(TITLES - {"st"})) + r")\s+of\s+(?:the\s+)?$", re.IGNORECASE)


# "cleared Kukawa of the rebels", "rid the town of Kalongo of its gangs": the verb takes a place and, after
# "of", what was driven out of it
_CLEARED = re.compile(r"\b(?:clear|rid|free|purge|cleanse|liberate|empty|flush|sweep)(?:s|ed|d|ing)?\b"
                      r"[^.;:!?]{0,60}$", re.IGNORECASE)


def _strong(g: Gazetteer, entries) -> bool:
    return any(g.features[e] in STRONG_NEIGHBOUR or g.populations[e] >= 100_000 for e in entries[:3])


def _lies_near(g: Gazetteer, entries, others) -> bool:
    """Whether a town of ``entries`` lies within about 100 km of one of ``others`` in its country ("Stade de France"
    does not: the German Stade is no town of France)."""
    return any(g.country_codes[a] == g.country_codes[b] and g.features[a] in ("city", "admin2")
               and abs(g.lats[a] - g.lats[b]) < 0.9 and abs(g.lons[a] - g.lons[b]) < 1.2
               for a in entries[:8] for b in others[:8])


def _common(g: Gazetteer, word) -> bool:
    lower = word.lower[:-2] if word.lower.endswith(("'s", "’s")) else word.lower
    return lower in g.common_words or lower in GENERIC_WORDS or lower in MONTHS_AND_DAYS


def verdict(g: Gazetteer, text: str, tokens, run, k: int, m: int, free_from: int, lookup,
            sentence_initial: bool = False) -> str:
    """DROP, or the role of the match of tokens[k:m] in the run tokens[i:j].

    ``free_from``: the first token of the run not taken by an earlier match or a title, so that only
    words of the same unknown name count before the match. ``lookup(text)`` -> (key, entries);
    ``sentence_initial``: the run starts a sentence.
    """
    i, j = run
    last = tokens[m - 1]
    possessive = last.text.endswith(("'s", "’s"))
    after = text[last.end:last.end + 12]
    before = text[max(0, tokens[k].start - 40):tokens[k].start]
    # Roles read from the words outside the run (the patterns only where their last word is there).
    ending = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    if ending in _LAST_WORDS_BEFORE and _COMPARISON.search(before):
        return "comparison"
    nxt = tokens[m] if m < len(tokens) else None
    if police_station(tokens, m):
        return "location"  # "the Kunda police station": where the police are, not the police
    if nxt is not None and nxt.lower in CURRENCY_WORDS and text[last.end:nxt.start] in (" ", "-"):
        return "currency"
    if nxt is not None and nxt.lower in DISEASE_WORDS and text[last.end:nxt.start] in (" ", "-") and m == j:
        return DROP  # "the Marburg virus", "Lassa fever": a disease's name
    if after.startswith(("-", "‑")) and nxt is not None and nxt.lower in ACTOR_SUFFIXES:
        return "organisation"  # "US-led coalition", "Iran-backed militias"
    if ending in ("of", "from", "the") and _BODY_OF.search(before) or ending == "and" and _BODY_OF_TWO.search(before):
        return "organisation"  # "the military forces of Armenia", "the government of Iraq"
    if ending in ("of", "the") and _TITLE_OF.search(before):
        return "title"  # "the Governor of Kirkuk"
    if nxt is not None and (possessive or m == j) and text[last.end:nxt.start] == " " and not nxt.capitalised:
        if nxt.lower in BODY_WORDS:
            return "organisation"  # "Nigeria's army", "Iraq police"
        if nxt.lower in TITLES:
            return "title"  # "Iraq's president"
        if nxt.lower in ROUTE_WORDS and not possessive:
            return "route"  # "a checkpoint on the Murree road": the road, not the town
    if any(t.capitalised and t.lower in TITLE_CASE_WORDS for t in tokens[i + 1:j]):
        return "location"  # a headline: where a name ends cannot be read from its capitals
    # The words of the run before the match: the tail of an unknown longer name is not this place.
    if k > free_from:
        # only the words after the run's last lower-case connector: "University of Zambia" is a place
        # after "of", but "Haram" of "Kukawa of Boko Haram" is still the tail of "Boko Haram"
        start = max((t + 1 for t in range(free_from, k) if not tokens[t].capitalised
                     and tokens[t].lower not in ARABIC_ARTICLES), default=free_from)
        previous = next((t for t in reversed(tokens[start:k]) if t.capitalised and t.lower not in CONNECTORS),
                        None)
        if text[tokens[k - 1].end:tokens[k].start] in ("-", "‑", "–") and tokens[k - 1].capitalised:
            previous = None  # "Obafemi-Owode": the name after "-" is a place
        if previous is not None and previous.text.endswith(("'s", "’s")):
            previous = None  # "Dow's West Virginia plant": a possessive before a name is no part of it
        if previous is tokens[i] and sentence_initial and not lookup(previous.text)[1]:
            previous = None  # "Rethinking Egypt-US relations": a capital at a sentence start says nothing
        if previous is not None and previous.text.isupper() and len(previous.text) > 1:
            return "organisation"  # "CBC Toronto", "HSBC Malta": a body's branch named for the place
        if previous is not None and (previous.lower in PLACE_PREFIXES or
                                     previous.lower in ("new", "old", "fort", "port", "san", "santa", "saint")
                                     or not _common(g, previous)):
            return DROP
    # The words of the run after the match.
    if m >= j:
        return "location"
    following = tokens[m]
    if following.lower in CONNECTORS and not following.capitalised:
        # "the Ohio Department of Transportation" is a body of Ohio; "Stade de France" is no Stade; "the
        # Somali Region of Ethiopia" is a region
        if last.lower in KIND_WORDS and last.lower not in INSTITUTION_WORDS:
            return "location"
        if following.lower == "of" and _CLEARED.search(before):
            return "location"  # "troops cleared Kukawa of the insurgents"
        _, entries = lookup(text[tokens[k].start:last.end])
        if following.lower == "of" and m + 1 < j and tokens[m + 1].capitalised \
                and _lies_near(g, entries, lookup(tokens[m + 1].text)[1]):
            return "location"  # "rioters in Arnissa of Pella": a village of the district that it lies in
        return "organisation" if _strong(g, entries) else DROP
    if text[last.end:following.start] in ("-", "‑", "–"):
        return "location"  # "Mogadishu-Hodan", "Pemba-Metuge": a place and a part of it
    word = following.lower
    rest = {t.lower for t in tokens[m:j]} | {t.lower[:-1] for t in tokens[m:j]}
    if rest & (BODY_WORDS | INSTITUTION_WORDS) or (following.text.isupper() and word not in KIND_WORDS):
        return "organisation"  # "Leeds Police", "Kabul University", "the Derna Shura Council", "Kano SEMA"
    if word in KIND_WORDS or word[:-1] in KIND_WORDS or rest & KIND_WORDS:
        return "location"  # "Raqqa City", "Mosul Dam", "Sabuwa LGA", "Donetsk Water Station"
    if rest & TITLES:
        return "title"  # "the Harris County deputy clerk", "Decatur McLean County Coroner"
    if word in TITLES or word in ROLE_WORDS:
        return "title"  # "Texas Governor Greg Abbott", "Iraqi Prime Minister"
    if word in SETTLEMENT_WORDS:
        return DROP  # "Auckland Park", "Morton's Ford": another place
    for end in range(min(j, m + 3), m, -1):
        _, entries = lookup(text[following.start:tokens[end - 1].end])
        if entries and (_strong(g, entries) or end - m >= 2):
            return "location"  # "Aleppo-Hama-Raqqa", "Syria Iraq border", "Decatur McLean County"
    if possessive or _common(g, following):
        return "location"  # "Syria's Assad", "Iraq Says It Will ..."
    return DROP  # "Boko Haram", "Sud-Kivu": a name the gazetteer does not hold


def demonym_role(following_lower: str, note: str) -> str:
    """An adjective of nationality: "Syrian deserts" is a place; "Syrian troops" a nationality; "Iraqi
    Prime Minister" a title."""
    if note == "place-noun":
        return "location"
    if following_lower in TITLES or following_lower in ROLE_WORDS:
        return "title"
    return "nationality"


def police_station(tokens, m: int) -> bool:
    """'the Porsura police station', 'Kunda Police Post': the station is in the town, and says it is a place."""
    return m + 1 < len(tokens) and tokens[m].lower == "police" and tokens[m + 1].lower in ("station", "post", "outpost")


def a_place_is_said(tokens, k: int, m: int) -> bool:
    """'the area of Bara', 'the village of Kunda': a kind of place and "of" before the name, or a police
    station after it: the name is a place even where it is also a given name."""
    if k >= 2 and tokens[k - 1].lower == "of" and (tokens[k - 2].lower in KIND_WORDS
                                                   or tokens[k - 2].lower[:-1] in KIND_WORDS):
        return True
    return police_station(tokens, m)


# Places known only from a list of districts (geoBoundaries) or villages (OpenStreetMap, Ukraine's KATOTTG,
# India's post offices), by name and point: read only where a place is expected
LISTED_ONLY = ("geoboundaries", "osm:", "katottg:", "indiapost:")


def district_placed(g: Gazetteer, text: str, tokens, k: int, m: int, entries) -> bool:
    """False when tokens[k:m] name only districts the gazetteer knows from their boundaries (geoBoundaries)
    and stand where no place is expected. A district is read after "in", "near" ... or "the village of",
    before a kind of place ("Kalehe territory"), or as a qualifier ("Lumbishi (Kalehe, Sud-Kivu)",
    "Bubamba, Kalehe"): many are named like people ("Jansen said"), newspapers ("told Al-Ahram") or
    buildings ("at Windsor Castle", a district of Jamaica)."""
    if not all(g.sources[e].startswith(LISTED_ONLY) for e in entries[:5]):
        return True
    before = tokens[k - 1].lower if k > 0 else ""
    if before in LOCATIVE_PREPOSITIONS or text[:tokens[k].start].rstrip().endswith("("):
        return True
    if k > 0 and tokens[k - 1].capitalised and text[tokens[k - 1].end:tokens[k].start].strip() == ",":
        return True  # "Bubamba, Kalehe": after another name
    if a_place_is_said(tokens, k, m):
        return True
    if m < len(tokens) and text[tokens[m - 1].end:tokens[m].start].strip() == "(" \
            and not text[:tokens[k].start].endswith("-"):  # (not "Azagba" of "Issele-Azagba")
        # "raided Kunda (Mesa, Borno)": a bracket that names a place the gazetteer knows, after the name
        inside = [t for t in tokens[m:m + 6] if ")" not in text[tokens[m].start:t.start]]
        return any(t.capitalised and g.lookup(name_key(t.text)) for t in inside)
    return (m < len(tokens) and tokens[m].lower in KIND_WORDS) or listed_before_kind(text, tokens, m)


_LISTED_KINDS = frozenset("villages towns settlements communities localities districts lgas".split())


def listed_before_kind(text: str, tokens, m: int) -> bool:
    """'a patrol of Kunda, Maiwa and Gasi villages', 'between Tumakpal and Tetam villages': a name in a list
    that ends in a plural kind of place is one of them."""
    for t in range(m, min(len(tokens), m + 16)):
        token = tokens[t]
        if token.lower in _LISTED_KINDS:
            return t > m
        if text[tokens[t - 1].end:token.start].strip() not in ("", ",") \
                or not (token.capitalised or token.lower in ("and", "or")):
            return False  # only names, commas and "and" / "or" stand between the name and the kind
    return False
