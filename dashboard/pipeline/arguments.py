"""Arguments of an occurrence: where it happened, read off the words around its trigger.

Rules over the project's own tokens, not a dependency parse: spaCy's small English model parses about
0.02-0.05 MB/s on these cores, while the whole pipeline must keep 0.7 MB/s per core, so even a parse of
the few sentences the rules cannot decide would cost more than every other stage together.

- Only a place whose ``role`` is "location" can be where something happened. Recognition sets the roles
  it sees (organisations, people, currencies, comparisons, nationalities, titles); this module adds
  "speaker": a country or capital that speaks or acts as its government ("U.S. officials said",
  "Washington warned", "the U.S.-led coalition", "forces of Ruritania", "Paris has insisted").
- The place of an occurrence is the one its trigger governs: a locative ("in", "at", "near", "outside",
  "the town of"), "X, where ..." / "X, which fell", or the subject or object next to the trigger ("the
  town fell", "stormed Ruritania's prison"), in the trigger's own clause before any other.
- Places listed together ("in X and Y") are each a place of the occurrence; a place that only qualifies
  another ("X near Y", "X, Syria") or contains it ("the prison in Hasakah, Syria") is not a second dot.

>>> sentence = "Gunmen attacked a checkpoint near Rivertown on Monday, officials in Capital said."
>>> sentence.index("Rivertown"), sentence.index("Capital")
(34, 68)
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

from dashboard.pipeline.taxonomy import Occurrence, find_occurrences
from dashboard.records import PlaceMention

# A government or its people acting or speaking, after the place: "U.S. officials", "Iraq's army",
# "the U.S.-led coalition", "Washington warned", "the U.S. is limited in what it can do".
_ACTOR_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:-|\s)?(?:led|backed|based|funded|trained|allied|sponsored|supported|made)\b"
    r"|^(?:['’]s)?\s+(?:(?:senior|top|former|local|federal|state|chief|foreign|own|new|interim|central|special"
    r"|military|defen[cs]e|intelligence|security|counter-?terrorism|naval|air|armed|government|top)\s+){0,3}"
    r"(?:officials?|military|forces|troops|army|navy|air force|government|administration|authorities|regime"
    r"|intelligence|diplomats?|embassy|ministry|ministers?|envoys?|spokes(?:man|woman|person)|president|leaders?"
    r"|commanders?|lawmakers|senators?|congress|parliament|cabinet|coalition|soldiers|officers|agents|police"
    r"|aircraft|warplanes|jets|drones|special|homeland|department|state department|counterparts?|allies"
    r"|partners?|policy|strategy|citizens|nationals|interests|diplomacy|sanctions|support|aid|assistance"
    r"|analysts?|experts?|operatives?|personnel|service members|contractors|prosecutors|courts?|judges?)\b", re.IGNORECASE)
_SPEAKS_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:has|have|had|also|again|now|then|later|quickly|publicly)\s+)*(?:said|says|warned|warns|announced"
    r"|accused|accuses|denied|denies|claimed|claims|urged|urges|insisted|insists|demanded|condemned|condemns"
    r"|rejected|threatened|responded|stated|declared|believes|fears|wants|sought|seeks|asked|called|told"
    r"|argued|argues|hopes|pledged|promised|vowed|blamed|blames|welcomed|confirmed|agreed|decided|supports)\b"
    r"|^\s+(?:is|was|are|were|has|have|had|will|would|may|might|must|should|could|can|cannot|remains)\b", re.IGNORECASE)
_ACTOR_BEFORE = re.compile(
    r"\b(?:forces|troops|army|military|government|authorities|ministry|embassy|president|parliament|police"
    r"|officials|leaders?|envoys?|ambassadors?|diplomats|regime|king|prime minister|people)\s+of\s+(?:the\s+)?$"
    r"|\b(?:according to|said|told)\s+(?:the\s+)?$", re.IGNORECASE)
_STANCE_BEFORE = re.compile(r"\b(?:anti|pro)[- ]$", re.IGNORECASE)
# "Iraq's army crumbled": a country whose own forces are the subject stands for where it happened, when
# the sentence names no other place (never "U.S. forces", which fight abroad as often as at home).
_OWN_FORCES_AFTER = re.compile(r"^['’]s\s+(?:\w+\s+)?(?:army|military|forces|police|troops|security forces|soldiers)\b",
                               re.IGNORECASE)

# A locative governing the place: "in", "near", "the outskirts of", "the village of", "north of".
_PLACE_NOUN = (r"(?:city|town|village|province|district|region|area|areas|outskirts|suburbs?|neighbou?rhoods?|border"
               r"|desert|deserts|countryside|part|parts|centre|center|heart|streets|capital|governorate|county"
               r"|municipality|state|camp|prison|base|valley|mountains|hills|coast|south|north|east|west|west bank"
               r"|(?:north|south)(?:east|west)|vicinity|environs|locality|department|commune|region|zone|sub-?district)")
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|nearby|outside|inside|around|across|throughout|into|onto|on|off|toward|towards|to|from"
    r"|between|within|along|through|over|of|against|targeting|targeted|hit|struck|stormed|attacked|shelled"
    r"|bombed|seized|captured|retook|overran|entered|besieged|raided|fled|left|reached|(?:north|south|east|west"
    r"|northeast|northwest|southeast|southwest)(?:ern)?(?: of)?)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:(?:[\w-]+\s+){0,3}" + _PLACE_NOUN + r"\s+of\s+(?:the\s+)?)?"
    r"(?:(?:northern|southern|eastern|western|central|north|south|east|west|north-?eastern|north-?western"
    r"|south-?eastern|south-?western|rural|greater|occupied|besieged|embattled|upper|lower)\s+)*$", re.IGNORECASE)
# "merchants from Upland", "residents of Hamlet": where people come from, not where the occurrence is.
_ORIGIN_BEFORE = re.compile(r"\b(?:residents|people|villagers|inhabitants|natives|locals|merchants|traders|farmers|herders"
                            r"|workers|labou?rers|members|families|migrants|refugees|pilgrims|students|youths|men|women"
                            r"|fishermen|tribesmen|community|communities|delegation)\s+(?:of|from)\s+(?:the\s+)?(?:\w+\s+)?$",
                            re.IGNORECASE)
# "looking to proceed to Upland, they blocked the road": a direction before the trigger is another verb's
_DIRECTION_BEFORE = re.compile(r"\b(?:to|towards?|into)\s+(?:the\s+)?$", re.IGNORECASE)
# "found on the road towards Upland", "turned back in the direction of Upland": where a road or a
# movement leads, not where the occurrence is (it stays a place when the sentence names no other)
_HEADING_BEFORE = re.compile(r"\b(?:road|highway|route|way|direction|en route|heading|headed|bound)\s+(?:\w+\s+){0,2}?"
                             r"(?:to|towards?|of|for)\s+(?:the\s+)?$", re.IGNORECASE)
# "refugees arrived in Townsville from Upland": an arrival is where it ends, "from" is where it began
_ARRIVAL = re.compile(r"\b(?:arriv|return|came|deport|repatriat)", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_QUALIFIER_BEFORE = re.compile(r"(?:,\s*|\s+(?:near|outside|north of|south of|east of|west of|in)\s+)$", re.IGNORECASE)
_RELATIVE_AFTER = re.compile(r"^\s*,?\s*(?:where|which|whose|when)\b|^(?:,\s*[A-Z][\w.]*)?\s+(?:[\w’']+\s+){0,3}?"
                             r"(?:the|a|an)\s+(?:\w+\s+)?(?:city|town|village|place|site|area|country|region|prison"
                             r"|camp|base)\s+(?:where|in which)\b")
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s--\s|\b(?:but|while|whereas|although|though|however|because|after"
                           r"|before|since|as|that)\b|[\"“”]", re.IGNORECASE)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)(?:the\s+)?$", re.IGNORECASE)

# How a place is tied to its trigger, and how much an event at it can be trusted (events.py confidence).
ATTACHMENT_CONFIDENCE = {"locative": 1.0, "relative": 0.95, "adjacent": 0.9, "clause": 0.75, "sentence": 0.6,
                         "dateline": 0.6, "narrative": 0.5}
# "On 3 May, in Townsville, Province, gunmen attacked a bar in Harbour district": the sentence opens on
# the town it happened in; a quarter named later that resolves far from it is a namesake, not the place.
# The opening may name an area of the town first ("in the old quarter of Townsville", "in Hamlet village
# (Townsville, Province)", "in Hamlet, Townsville"): the town is still the scene the sentence opens on.
_SCENE_OPENING = re.compile(r"^\W*(?:(?:on|around|as reported on|reported on|between|by|in the (?:night|morning|evening)"
                            r" of)\b[^,;]{0,40},\s*)?(?:in|at|near|around|outside)\s+(?:the\s+)?"
                            r"(?:(?:[\w-]+\s+){1,3}of\s+(?:the\s+)?"
                            r"|(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:\s+[a-z]+)?)\s*(?:\(|,\s*))?$", re.IGNORECASE)
SCENE_KM = 50.0
OUTLIER_KM = 150.0  # farther than this from every other place of its sentence, a place is suspect
# how far a containing area reaches (a town holds its own prison, airport or quarter)
CONTAINS_KM = {"country": math.inf, "admin": 250.0, "region": 350.0, "city": 20.0}
DISTRICT_KM = 30.0  # a district (feature "admin2") holds the towns near its centre, not its province's capital


def mark_speakers(text: str, places: list[PlaceMention] | tuple[PlaceMention, ...]) -> list[PlaceMention]:
    """Places that speak or act as a government get ``role`` "speaker"; the others are returned as they are.

    Only countries, capitals and other seats of government are read this way: "Baghdad police said"
    makes Baghdad a speaker, "a Baghdad market was bombed" keeps it a location.
    """
    out = []
    for p in places:
        if p.role == "location" and _speaks_or_acts(text, p):
            p = replace(p, role="speaker")
        out.append(p)
    return out


def _speaks_or_acts(text: str, p: PlaceMention) -> bool:
    after = text[p.end:p.end + 80]
    before = text[max(0, p.start - 40):p.start]
    if _STATION_AFTER.match(after):
        return False  # "the Kunda police station was attacked": a building of the town, no government
    if _ACTOR_AFTER.match(after) or _ACTOR_BEFORE.search(before):
        return True
    if _SPEAKS_AFTER.match(after):
        # "Raqqa was retaken" is where it happened; "the U.S. is limited in what it can do" is an actor
        passive = find_occurrences(after[:40])
        return not (passive and passive[0].start < 20) and p.precision in ("country", "city", "admin")
    return False


_STATION_AFTER = re.compile(r"\s+police\s+(?:station|post|outpost)\b", re.IGNORECASE)
# "outside the Uitenhage Provincial Hospital", "Bungudu LGA": a place named by its town is in that town.
_FACILITY_AFTER = re.compile(r"^\s+(?:[A-Z][\w.'’-]*\s+){0,3}(?:Hospital|University|College|School|Prison|Jail|Airport"
                             r"|Stadium|Market|Camp|Base|Mosque|Church|Cathedral|Station|Port|Hotel|Mall|Bazaar|Square"
                             r"|Bridge|Barracks|LGA|Local Government Area|District|Municipality|Township|County)\b")


_PLACED_AFTER = re.compile(r"(?:[^\S\n]*,)?[^\S\n]+(?:in|at|near|outside)[^\S\n]+(?:the[^\S\n]+)?[A-Z]")


def named_facilities(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Towns named in the name of a facility or an area of theirs, as locations (when nothing else is);
    not when the text says where the facility is ("the Nairobi Hospital in Kisumu")."""
    out = []
    for p in places:
        if p.role in ("organisation", "title") and p.precision in ("city", "point") and p.resolved:
            facility = _FACILITY_AFTER.match(text[p.end:p.end + 60])
            if facility and not _PLACED_AFTER.match(text, p.end + facility.end()):
                out.append(replace(p, role="location"))
    return out


def own_forces(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Countries named as the owners of the forces in a sentence ("Iraq's military"), as locations."""
    return [replace(p, role="location") for p in places
            if p.precision == "country" and p.mention_kind == "name" and _OWN_FORCES_AFTER.match(text[p.end:p.end + 40])]


# "BAGHDAD (Reuters) -", "MOSUL, Iraq —": where the report was filed, at the start of a line.
_DATELINE_AFTER = re.compile(r"^(?:,[^\n]{0,40}?)?\s*(?:\([\w .]+\)\s*)?[-—–]{1,2}\s")
# "in the Hamrin mountains", "near Tall Hamid village": a scene the gazetteer does not know.
_UNKNOWN_SCENE = re.compile(r"\b(?:in|near|outside|around|inside)\s+(?:the\s+)?(?:[A-Z][\w'’-]+\s+){1,3}"
                            r"(?:mountains?|hills?|desert|valley|village|town|district|area|region|camp|base|neighbou?rhood"
                            r"|suburb|countryside)\b")


def is_dateline(text: str, p: PlaceMention) -> bool:
    """An all-capital place that opens a line and is followed by a dateline's dash."""
    return p.text.isupper() and len(p.text) > 3 and (p.start == 0 or text[p.start - 1] == "\n") \
        and bool(_DATELINE_AFTER.match(text[p.end:p.end + 60]))


def dateline_scene(text: str, sentence_start: int, sentence_end: int, chosen: list[PlaceMention],
                   places: list[PlaceMention]) -> tuple[list[PlaceMention], str] | None:
    """When the only place an occurrence gets is the dateline: the dateline, marked as such, or nothing when
    the sentence names a scene we cannot place ("BAGHDAD - ... an air strike in the Hamrin mountains")."""
    if not chosen or not all(is_dateline(text, p) for p in chosen):
        return None
    for unknown in _UNKNOWN_SCENE.finditer(text, sentence_start, sentence_end):
        if not any(p.start < unknown.end() and unknown.start() < p.end for p in places):
            return [], ""
    return chosen, "dateline"


def candidate_places(text: str, places: list[PlaceMention], triggers=()) -> list[PlaceMention]:
    """The places of a sentence that can be where something happened (``triggers``: its occurrences)."""
    out = []
    trigger_starts = {o.start for o in triggers}
    for p in places:
        if p.role != "location" or not p.resolved:
            continue
        if p.precision == "country" and text[p.end:p.end + 1] in (" ", "-") and p.end + 1 in trigger_starts:
            continue  # "a U.S. airstrike", "a Turkish offensive": the country right before the trigger did it
        if _STANCE_BEFORE.search(text[max(0, p.start - 5):p.start]):
            continue  # "anti-Ruritania slogans" are not in Ruritania
        out.append(p)
    # "the Townsville-Harbour road", "on the Upland-Lowland border": the ends of a road, a border or a front
    # are where it runs, not where the occurrence is, while the sentence names any other place
    ends = [p for p in out if _line_end(text, p, places)]
    return [p for p in out if p not in ends] or out


_LINE_AFTER = re.compile(r"^\s+(?:\w+\s+)?(?:border|borders|frontier|boundary|axis|front|corridor|road|highway|motorway"
                         r"|expressway|route|railway|line|stretch|section|segment)\b", re.IGNORECASE)


def _line_end(text: str, p: PlaceMention, places) -> bool:
    """True for "Townsville" and "Harbour" in "the Townsville-Harbour road" (one end named, the other
    recognised as the road's, or both followed by what joins them)."""
    other = next((q for q in places if q.start == p.end + 1), None) if text[p.end:p.end + 1] == "-" else None
    if other is not None:
        return other.role == "route" or bool(_LINE_AFTER.match(text[other.end:other.end + 40]))
    before = next((q for q in places if q.end == p.start - 1), None) if text[p.start - 1:p.start] == "-" else None
    return before is not None and bool(_LINE_AFTER.match(text[p.end:p.end + 40]))


def contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    """True when ``outer`` is an area that holds ``inner``: a country its towns, a province or a valley the
    towns near its centre. Same names are not containment."""
    reach = DISTRICT_KM if outer.feature == "admin2" else CONTAINS_KM.get(outer.precision)
    if reach is None or outer.precision == inner.precision and outer.precision != "admin":
        return False
    if (outer.geonameid and outer.geonameid == inner.geonameid) or (outer.name == inner.name):
        return False
    if _PRECISION_RANK[inner.precision] >= _PRECISION_RANK[outer.precision]:
        return False
    if outer.precision == "country":
        return bool(outer.country_code) and outer.country_code == inner.country_code
    same_country = not outer.country_code or not inner.country_code or outer.country_code == inner.country_code
    return same_country and _km(outer, inner) <= reach


_PRECISION_RANK = {"point": 0, "city": 1, "admin": 2, "region": 3, "country": 4}
_BREADTH_COST = {"admin": 0.2, "region": 0.3, "country": 0.4}


def _km(a: PlaceMention, b: PlaceMention) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _breaks_between(text: str, a: int, b: int) -> int:
    lo, hi = min(a, b), max(a, b)
    return len(_CLAUSE_BREAK.findall(text, lo, hi)) if hi > lo else 0


def _tie(text: str, occurrence: Occurrence, p: PlaceMention, sentence_start: int,
         places: list[PlaceMention] = ()) -> tuple[str, float]:
    """How ``p`` is tied to the occurrence's trigger (offsets absolute), and a score: higher is closer."""
    t_start, t_end = occurrence.start, occurrence.end
    before = text[max(sentence_start, p.start - 48):p.start]
    breaks = _breaks_between(text, t_end if p.start >= t_end else p.end, p.start if p.start >= t_end else t_start)
    gap = p.start - t_end if p.start >= t_end else t_start - p.end
    if t_start <= p.start < t_end:  # inside the trigger phrase: "stormed the Hasakah prison"
        kind, score = "adjacent", 4.0
    elif _LOCATIVE.search(before) and not _ORIGIN_BEFORE.search(before) \
            and not (p.end <= t_start and _DIRECTION_BEFORE.search(before)) and not _HEADING_BEFORE.search(before) \
            and not (p.start >= t_end and _ARRIVAL.search(occurrence.trigger) and _FROM_BEFORE.search(before)):
        kind, score = "locative", 3.0
    elif _stands_in(text, p, before, places):
        kind, score = "locative", 2.9  # "in Hamlet (Townsville district)": the district says where Hamlet is
    elif p.end <= t_start and _RELATIVE_AFTER.match(text[p.end:p.end + 60]):
        kind, score = "relative", 2.8
    elif gap <= 25:
        kind, score = "adjacent", 2.2
    elif breaks == 0:
        kind, score = "clause", 1.2
    else:
        kind, score = "sentence", 0.5
    if _QUALIFIER_BEFORE.search(before) and kind == "locative" and _place_right_before(text, p, before, places):
        score -= 1.5  # "Camp Bucca near Basra", "Al Shafah, Syria": Basra and Syria only say where the first is
    score -= 1.0 * breaks + max(0, gap) / 120.0
    if p.start >= t_end:
        score += 0.3  # locatives mostly follow their trigger ("attacked X", "fled to X")
    score -= _BREADTH_COST.get(p.precision, 0.0)  # "in Townsville ... in Ruritania": the town is where
    return kind, score


# A name the gazetteer lacks, after a locative, then the bracket or comma of its qualifier.
_UNKNOWN_QUALIFIED = re.compile(r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*(?:\s+(?:village|town|city|area|camp|locality"
                                r"|hill|neighbou?rhood|settlement|district|sector))*\s*[(,]\s*$")


def _stands_in(text: str, p: PlaceMention, before: str, places) -> bool:
    """True when ``p`` qualifies a name we do not know that a locative introduces ("clashes in Hamlet
    (Townsville district)"): the qualifier is the nearest we can place the scene."""
    unknown = _UNKNOWN_QUALIFIED.search(before)
    if unknown is None or not _LOCATIVE.search(before[:unknown.start()]):
        return False
    head_start = p.start - (len(before) - unknown.start())
    return not any(q is not p and head_start <= q.start < p.start for q in places)


def _outlier(p: PlaceMention, places: list[PlaceMention], text: str = "") -> bool:
    """A place far from every other place the sentence names, when those agree with one another, was
    most likely resolved to the wrong namesake ("in Fresnillo, Zacatecas, ... in Colonia Del Valle" with the
    neighbourhood put in another state; "a jail in Hamlet, Townsville (Province)" with Hamlet on another
    continent while Townsville lies in its province): it is not chosen while a coherent place is there."""
    if p.precision not in ("city", "point") or any(q is not p and q.name == p.name for q in places):
        return False  # (a place the sentence names twice is one it insists on)
    # towns and the provinces that hold them, each name once (a country says nothing about which town)
    others = list({o.name: o for o in places if o.precision in ("city", "point", "admin") and o.name != p.name}.values())
    if any(_agree(p, o) for o in others):
        return False
    # a name that qualifies itself ("Townsville (Townsville)", "Townsville, Townsville") is a town and the
    # province named after it: two places that agree
    if any(q is not o and q.name == o.name and q.start > o.end and _QUALIFIER_GAP.fullmatch(text[o.end:q.start])
           for o in places if o.name != p.name for q in places):
        return True
    return any(_agree(a, b) for i, a in enumerate(others) for b in others[i + 1:])


def _agree(a: PlaceMention, b: PlaceMention) -> bool:
    """Two places of one sentence that can be told together: towns near each other, a province and its town."""
    if a.precision in ("city", "point") and b.precision in ("city", "point"):
        return _km(a, b) <= OUTLIER_KM
    return contains(a, b) or contains(b, a)


def _place_right_before(text: str, p: PlaceMention, before: str, places=()) -> bool:
    """True when the words right before ``p`` are another place and a qualifier: "Al Shafah, |Syria", "Camp
    Bucca near |Basra". A name we do not know ("at Hamlet Village in |Townsville") leaves the town the most
    specific place there is."""
    head = re.sub(r"(?:,\s*|\s+(?:near|outside|north of|south of|east of|west of|in)\s+)$", "", before)
    if re.search(r",\s*(?:north|south|east|west) of\s+$", before):
        head = re.sub(r",\s*$", "", head)  # "Tarmiyah, north of |Baghdad": the comma before the direction too
    if not re.search(r"[A-Z][\w.'’-]*\)?$", head):
        return False
    head_end = p.start - (len(before) - len(head))
    return any(q is not p and q.start < head_end <= q.end + 1 for q in places)


def attach(text: str, sentence_start: int, occurrence: Occurrence,
           places: list[PlaceMention]) -> tuple[list[PlaceMention], str]:
    """The places where one occurrence happened (most specific first) and how they are tied to it.

    One place, and the places listed with it ("in X and Y"); a place that contains another candidate of
    the same clause gives way to it ("in Syria, in the town of X" -> X).
    """
    if not places:
        return [], ""
    scored = sorted(((_tie(text, occurrence, p, sentence_start, places), i, p) for i, p in enumerate(places)),
                    key=lambda t: (-t[0][1], t[1]))
    coherent = [t for t in scored if not _outlier(t[2], places, text)]
    (kind, score), _, best = (coherent or scored)[0]
    opening = min(places, key=lambda p: p.start)
    elsewhere = _km(best, opening) > SCENE_KM if best.precision in ("city", "point") else not contains(best, opening)
    if best is not opening and opening.end <= occurrence.start and elsewhere \
            and opening.precision in ("city", "point") and not is_dateline(text, opening) \
            and _SCENE_OPENING.match(text[sentence_start:opening.start]) and not _outlier(opening, places, text):
        best, kind = opening, "locative"
    if occurrence.anaphoric and (kind == "sentence" or _breaks_between(text, occurrence.end, best.start) > 0):
        return [], ""  # "The prison break was a warning ... in Iraq": told again, placed where first told
    # the most specific place the best one contains, in the same clause
    inner = [(s, p) for (_, s), _, p in scored if contains(best, p) and _breaks_between(text, best.start, p.start) == 0
             and not _qualifies(text, places, best, p) and not is_dateline(text, p)]
    if inner:
        best = max(inner, key=lambda t: (-_PRECISION_RANK[t[1].precision], t[0]))[1]
    ordered = sorted(places, key=lambda p: p.start)
    best = _qualified(text, ordered, best, places)
    # "in Baghdad's Sadr City district": the possessive's place lies in the town before it
    inside = next((q for q in places if q.start == best.end + 3 and text[best.end:q.start] in ("'s ", "’s ")
                   and (contains(best, q) or _km(best, q) <= DISTRICT_KM)), None)
    best = inside or best
    chosen = [best]
    run = _list_around(text, ordered, ordered.index(best))
    i = run.index(best)
    for step in (1, -1):  # "in X, Y and Z": each is a place of the occurrence
        j = i
        while 0 <= j + step < len(run):
            nxt = run[j + step]
            if contains(nxt, best) or contains(best, nxt) or any(contains(c, nxt) or contains(nxt, c) for c in chosen) \
                    or nxt.precision != best.precision:  # "Kaimur, Bihar": the province qualifies the town
                break
            chosen.append(nxt)
            j += step
    return chosen, kind


# ", " or " (" between a place and the one that says where it is, maybe through the area's kind: "Hamlet
# (City of Townsville", "Hamlet, municipality of Townsville"
_QUALIFIER_GAP = re.compile(r"\s*(?:,|\()\s*(?:(?:the\s+)?(?:city|municipality|district|province|county|state|region"
                            r"|department|governorate)\s+of\s+)?", re.IGNORECASE)


# "Hamlet district, Townsville", "Hamlet district in Townsville": the kind of area, then where it is
_KIND_QUALIFIER_GAP = re.compile(r"\s+(?:district|sub-?district|province|township|prefecture|county|municipality|commune"
                                 r"|tehsil|circle|area|town|village|LGA|department|governorate)(?:\s+(?:centre|center))?"
                                 r"\s*(?:,|\s+in|\s+of)\s+(?:the\s+)?", re.IGNORECASE)


def _is_qualifier_gap(gap: str) -> bool:
    return bool(_QUALIFIER_GAP.fullmatch(gap) or _KIND_QUALIFIER_GAP.fullmatch(gap))


def _qualifies(text: str, places: list[PlaceMention], place: PlaceMention, later: PlaceMention) -> bool:
    """True when ``later`` is in the comma chain after ``place`` ("Townsville, Province"): it says where
    ``place`` is, so it is never a place inside it."""
    ordered = sorted(places, key=lambda q: q.start)
    i = ordered.index(place)
    # commas only: "Province (Town)" names the town inside the province, in the other order
    while i + 1 < len(ordered) and "(" not in text[ordered[i].end:ordered[i + 1].start] \
            and (_QUALIFIER_GAP.fullmatch(text[ordered[i].end:ordered[i + 1].start])
                 or _KIND_QUALIFIER_GAP.fullmatch(text[ordered[i].end:ordered[i + 1].start])):
        i += 1
        if ordered[i] is later:
            return True
    return False


def _qualified(text: str, ordered: list[PlaceMention], best: PlaceMention, places=()) -> PlaceMention:
    """The place a qualifier chain is about: "in Hamlet, Townsville, Province" is in Hamlet, the names after
    it only say where Hamlet is; and "in Upland, Townsville" with Upland read as a province that does not
    hold Townsville is a village of that name, known here only by the town that qualifies it.

    >>> from dashboard.records import PlaceMention as P
    >>> text = "in Hamlet, Townsville"
    >>> hamlet = P("Hamlet", 3, 9, "Hamlet", 10.0, 10.0, "XX", "village", None, "city")
    >>> town = P("Townsville", 11, 21, "Townsville", 10.2, 10.1, "XX", "town", None, "city")
    >>> _qualified(text, [hamlet, town], town).name
    'Hamlet'
    """
    i = ordered.index(best)
    # walk back over ", " and " (" to the head of the chain, when the chain is not a list ("X, Y and Z")
    while i > 0 and _is_qualifier_gap(text[ordered[i - 1].end:ordered[i].start]) \
            and (_PRECISION_RANK[ordered[i - 1].precision] <= _PRECISION_RANK[ordered[i].precision]
                 or ordered[i - 1].feature == "admin2" and ordered[i].precision in ("city", "point")) \
            and not _is_list(text, ordered, i) and not _outlier(ordered[i - 1], list(places), text):
        i -= 1  # (a district before a town: "Hamlet district, Townsville" is in the district)
    head = ordered[i]
    if head.precision in ("admin", "region") and head.feature != "admin2" and i + 1 < len(ordered) \
            and _QUALIFIER_GAP.fullmatch(text[head.end:ordered[i + 1].start]) \
            and ordered[i + 1].precision in ("city", "point") and not contains(head, ordered[i + 1]):
        return ordered[i + 1]
    return head


def _is_list(text: str, ordered: list[PlaceMention], i: int) -> bool:
    """True when the names joined around ``ordered[i]`` by commas end in "and"/"or": a list, not qualifiers."""
    j = i
    while j + 1 < len(ordered) and _LIST_JOIN.match(text[ordered[j].end:ordered[j + 1].start]):
        if re.search(r"\b(?:and|or)\b", text[ordered[j].end:ordered[j + 1].start]):
            return True
        j += 1
    j = i
    while j > 0 and _LIST_JOIN.match(text[ordered[j - 1].end:ordered[j].start]):
        if re.search(r"\b(?:and|or)\b", text[ordered[j - 1].end:ordered[j].start]):
            return True
        j -= 1
    return False


def _list_around(text: str, ordered: list[PlaceMention], i: int) -> list[PlaceMention]:
    """The places listed with ``ordered[i]`` ("in X, Y and Z"), itself included; commas alone ("X, Y") join
    a place and its qualifiers, not a list."""
    if not _is_list(text, ordered, i):
        return [ordered[i]]
    lo = hi = i
    while lo > 0 and _LIST_JOIN.match(text[ordered[lo - 1].end:ordered[lo].start]):
        lo -= 1
    while hi + 1 < len(ordered) and _LIST_JOIN.match(text[ordered[hi].end:ordered[hi + 1].start]):
        hi += 1
    return ordered[lo:hi + 1]
