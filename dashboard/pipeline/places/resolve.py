"""Choose, for each recognised name, which place it is, from the rest of the article.

Each candidate gets a score: a prior (population on a log scale, and the kind of place: a country beats a
village called "Georgia" in Illinois; a capital beats a state of the same name), plus what the article
says: its countries and provinces (counted over all its mentions), a qualifier right after the name
("Zabol, Iran", "Perth, Ontario"), the article's first place (the dateline), and the distance to the other
places it names (``geopy.distance``). Two passes: the first guesses every mention from its prior, the
second rescores with the context those guesses give. One sense per article: the same name resolves the
same way throughout.

    >>> from dashboard.pipeline.places import find_places
    >>> [p.country_code for p in find_places("Palmyra's ruins lie in the Syrian desert near Homs.")][:1]
    ['SY']
    >>> [p.country_code for p in find_places("Palmyra, a village near Rochester in upstate New York.")][:1]
    ['US']
"""
from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from dataclasses import replace

from geopy.distance import EARTH_RADIUS as EARTH_RADIUS_KM

from dashboard.geocoders.index import PRECISION_OF_FEATURE, Gazetteer, prior
from dashboard.geocoders.names import CYRILLIC_COUNTRIES, name_key
from dashboard.pipeline.places.recognise import Match
from dashboard.pipeline.places.distance import great_circle_km, nearest_km
from dashboard.pipeline.places.kinds import BIG_TOWN, tentative_reading
from dashboard.pipeline.places.lists import LIST_GAP, said_to_be_a_place, said_to_be_an_area
from dashboard.pipeline.places.vocabulary import DISTRICT_KINDS
from dashboard.records import PlaceCandidate, PlaceMention

OTHER_NAME_PENALTY = 1.5  # named by an old or foreign alternate only ("Augusta" for Augsburg)
COUNTRY_WEIGHT = 3.5  # times the share of the article's evidence in the candidate's country
ADMIN1_WEIGHT = 1.5
NEAR_KM, NEAR_BONUS = 150.0, 1.5
AROUND_KM, AROUND_BONUS = 400.0, 0.6
QUALIFIER_BONUS = 6.0
QUALIFIER_TOWN_KM = 100.0  # "Wentworth, Durban": a town qualified by a town lies this near it
QUALIFIER_FAR_KM = 200.0  # farther than this from its qualifier, a namesake is another place
DISTRICT_FAR_KM = 100.0  # ... from a district (a few tens of kilometres across) that qualifies it
PROVINCE_REACH, PROVINCE_MIN_KM = 1.5, 50.0  # ... from a province: 1.5 times its spacing, 50 km at least
NEARBY_CHARS, NEARBY_COUNTRY_BONUS = 150, 1.0  # a country named within about a sentence
MAX_ALTERNATIVES = 5
# Namesakes the text leaves open: scored within the weight of one place named nearby (NEAR_BONUS) of the
# chosen one, and far enough apart to be other places; a collection of articles may decide (theatre.py).
NAMESAKE_MARGIN, NAMESAKE_APART_KM, MAX_NAMESAKES = 1.5, 25.0, 16
FOCUS_SHARE = 0.5  # a country with half the weight of the most named one is a focus of the text too
FOCUS_MIN_WEIGHT = 1.0  # a focus that clear: one located name at least
SMALL_TOWN = 20_000
KIND_SAID_PENALTY = 4.0  # a namesake of another kind than the text says ("X village", "X province")
_SETTLEMENTS = frozenset({"city", "capital"})
CAPITAL_SHARE = 0.05  # a city with this share of its province's people may have given the province its name
ROLE_EVIDENCE = 0.25  # the weight, as evidence of where, of a name that is not a location here
# "Paris and Henry County": of the many Parises and Henry Counties, one of each lie together; a reading
# that another name of the text can share is likelier than one no other name comes near.
TOGETHER_KM, TOGETHER_BONUS = 50.0, 1.5
_POINTS = frozenset({"city", "capital", "admin2"})


def _contains(g: Gazetteer, area: int, entry: int, town_reach_km: float = QUALIFIER_TOWN_KM) -> bool:
    """Whether entry lies in the country or first-level division ``area``, or near the town ``area``."""
    if g.features[area] == "country":
        return g.country_codes[entry] == g.country_codes[area]
    if g.features[area] == "admin1":
        return bool(g.admin1[entry]) and g.admin1[entry] == g.admin1[area]
    if g.features[area] == "continent" or entry == area:
        return False
    if g.country_codes[entry] != g.country_codes[area]:
        return False
    # An equirectangular distance: exact enough within a hundred kilometres, and cheap.
    lat1, lat2 = g.lats[entry], g.lats[area]
    dx = math.radians(g.lons[entry] - g.lons[area]) * math.cos(math.radians((lat1 + lat2) / 2))
    return EARTH_RADIUS_KM * math.hypot(dx, math.radians(lat1 - lat2)) <= town_reach_km


def _town_reach_km(g: Gazetteer, town: int) -> float:
    """How far a town's surroundings reach: ``QUALIFIER_TOWN_KM``, or as far as its province is wide where
    provinces are smaller (Burundi's, 30-40 km apart: "Ruhororo (Ngozi)" is no Ruhororo two provinces off)."""
    province = g.admin1_entry.get(g.admin1[town]) if g.admin1[town] else None
    if province is None:
        return QUALIFIER_TOWN_KM
    return min(QUALIFIER_TOWN_KM, max(PROVINCE_MIN_KM, PROVINCE_REACH * province_spacing_km(g, province)))


def _areas(g: Gazetteer, qualifier: Match, chosen: int) -> list[int]:
    """What a qualifier may mean: each country or province it names, and the place chosen for it."""
    return [e for e in qualifier.entries if g.features[e] in ("country", "admin1")] + [chosen]


def province_spacing_km(g: Gazetteer, province: int) -> float:
    """How far the centre of ``province`` lies from the nearest centre of another province of its country:
    about its width (Burundi's are 30-40 km apart, India's states hundreds)."""
    spacing = vars(g).setdefault("_province_spacing", {})
    if province not in spacing:
        centres = vars(g).get("_province_centres")
        if centres is None:
            centres = defaultdict(dict)
            for e in range(len(g.names)):
                if g.features[e] == "admin1" and g.admin1[e]:
                    centres[g.country_codes[e]].setdefault(g.admin1[e], (g.lats[e], g.lons[e]))
            vars(g)["_province_centres"] = centres
        others = [point for code, point in centres[g.country_codes[province]].items() if code != g.admin1[province]]
        spacing[province] = min((great_circle_km(g.lats[province], g.lons[province], lat, lon)
                                 for lat, lon in others), default=math.inf)
    return spacing[province]


class Resolver:
    def __init__(self, gazetteer: Gazetteer):
        self.g = gazetteer
        # An entry's prior depends on the gazetteer alone: computed once per process, kept on the gazetteer.
        self.priors: dict[int, float] = vars(gazetteer).setdefault("_resolve_priors", {})

    def resolve(self, matches: list[Match], text: str = "") -> list[PlaceMention]:
        if not matches:
            return []
        g = self.g
        # One sense per article: group the mentions by their name key.
        groups: dict[str, list[Match]] = defaultdict(list)
        for match in matches:
            groups[match.key].append(match)
        self.other_name = {key: ({e for e, other in g.lookup_names(key) if other} if not key.startswith("~")
                                 else set(group[0].entries)) for key, group in groups.items()}
        choice = {key: max(group[0].entries, key=lambda e, k=key: self._prior(k, e)) for key, group in groups.items()}
        for qualified in (m for m in matches if m.qualifier is not None):
            areas = _areas(g, qualified.qualifier, choice[qualified.qualifier.key])
            narrowed = [e for e in qualified.entries if any(_contains(g, q, e) for q in areas)] or \
                [e for e in qualified.entries if g.country_codes[e] == g.country_codes[areas[-1]]]
            if narrowed:
                choice[qualified.key] = max(narrowed, key=lambda e: self._prior(qualified.key, e))
        self.qualified_by: dict[str, set[str]] = defaultdict(set)
        self.qualifies: dict[str, set[str]] = defaultdict(set)
        for match in matches:
            if match.qualifier is not None and match.qualifier.key != match.key and not match.key.startswith("~"):
                self.qualifies[match.qualifier.key].add(match.key)
        for match in matches:  # only villages and districts: "Ludhiana (Punjab)" still says which Punjab
            if match.qualifier is not None and match.qualifier.key != match.key and max(
                    (g.populations[e] for e in match.entries if g.features[e] in _SETTLEMENTS), default=0) < SMALL_TOWN:
                self.qualified_by[match.qualifier.key].add(match.key)
        # Names that are no location here ("forces of Armenia", "the US dollar") weigh little as evidence.
        self.not_located = {key for key, group in groups.items() if all(m.role != "location" for m in group)}
        self.same = self._same_places(groups)
        self.together = self._together(groups)
        scores: dict[str, dict[int, float]] = {}
        for _ in range(2):
            countries, admin1s = Counter(), Counter()
            self.weights = {}
            chosen_in = Counter(g.country_codes[e] for e in choice.values())
            for key, group in groups.items():
                entry = choice[key]
                weight = len(group) ** 0.5 * (1.5 if g.features[entry] in ("country", "admin1") else 1.0)
                if groups[key][0] is matches[0]:
                    weight += 1.0  # the dateline or first place sets the scene
                if key in self.not_located:
                    weight *= ROLE_EVIDENCE  # "forces of Armenia" says little about where things are
                if key.startswith("~"):
                    weight = 0.0  # a name read spelling-blind is kept only where the rest points: no evidence itself
                elif self._alone(entry, chosen_in):
                    weight = 0.0  # "Shakhta, Donetsk": a village abroad that nothing else is near may be a namesake
                self.weights[key] = weight
                if g.country_codes[entry]:
                    countries[g.country_codes[entry]] += weight
                if g.admin1[entry]:
                    admin1s[g.admin1[entry]] += weight

            # Where the other names lie says where this one is; an area's centre does not.
            points = {key: (g.lats[e], g.lons[e]) for key, e in choice.items()
                      if g.features[e] not in ("admin1", "country", "continent")}
            self.nearby = self._countries_nearby(matches, choice)
            for key, group in groups.items():
                scores[key] = self._score(key, group, choice, countries, admin1s, points)
                choice[key] = max(scores[key], key=scores[key].get)
        self._areas_by_company(matches, choice, text)
        together = self._spelled_together(matches, choice)
        # The countries the text is about: where its located names (those found by their own spelling)
        # put most of their weight.
        evidence: Counter = Counter()
        located: Counter = Counter()  # the part of it from names that locate something
        for key, group in groups.items():
            if not key.startswith("~") and g.country_codes[choice[key]]:
                evidence[g.country_codes[choice[key]]] += self.weights[key]
                if key not in self.not_located:
                    located[g.country_codes[choice[key]]] += self.weights[key]
        top = max(evidence.values(), default=0.0)
        focus = {code for code, weight in evidence.items() if weight >= FOCUS_SHARE * top}
        # Whether any name the text locates something at sets a focus: an actor's nationality or a
        # speaker's country alone ("Ethiopian troops were ambushed near X") says whose forces, not where.
        located_focus = bool(located)
        # A village known here only by a variant spelling, in a country the article never otherwise names
        # (a company called like an Iranian village), is dropped; so is a name found spelling-blind
        # outside the countries the text is about, and a small town abroad that nothing else in a
        # text with a clear focus points to (a village the gazetteer lacks, matched to a namesake).
        named = Counter(g.country_codes[choice[m.key]] for m in matches)
        self._rankings: dict[tuple[str, int], tuple[float, tuple[PlaceCandidate, ...]]] = {}
        self._open: dict[tuple[str, int], tuple[PlaceCandidate, ...]] = {}
        kept = []
        for match in matches:
            entry = choice[match.key]
            code = g.country_codes[entry]
            said = said_to_be_a_place(match) or said_to_be_an_area(match)  # "near X", "X village", "X district"
            doubtful = entry in self.other_name[match.key] and g.populations[entry] < 15_000 and \
                g.features[entry] in ("city", "admin2") and not said
            # A text that names nothing else ("shelling near Dolomytne"): a village's name of a spelling
            # family, said to be a place, is kept tentatively; it stands only where the collection happens
            # (theatre.py). (A city is known by its own spelling: a variant that only meets one of its
            # foreign names is no reading of it.)
            tentative = match.key.startswith("~") and not located_focus and match.key[1] in "fc" \
                and said and match.key not in together
            if tentative and match.key[1] == "c":  # the family read, not the skeletons that also met it
                family = [e for e in match.entries if g.country_codes[e] in CYRILLIC_COUNTRIES]
                if family:
                    entry = max(family, key=lambda e: scores[match.key].get(e, float("-inf")))
                    code = g.country_codes[entry]
                else:  # only the one-edit skeletons met the name: no family reading to hold on to
                    tentative = False
            elif tentative:  # an Arabic family's villages, towns and provinces, not a city's foreign name
                small = [e for e in match.entries if tentative_reading(g, match, e)]
                if small:
                    entry = max(small, key=lambda e: scores[match.key].get(e, float("-inf")))
                    code = g.country_codes[entry]
            tentative = tentative and tentative_reading(g, match, entry)
            if match.key.startswith("~") and code not in focus and not tentative and match.key not in together:
                continue
            if doubtful and named[code] <= len(groups[match.key]):
                continue
            if match.qualifier is not None and self._contradicted(match, entry, choice):
                continue
            if "settlement" in match.notes and g.features[entry] in ("admin1", "country", "continent"):
                continue  # "Kandal village" where the gazetteer knows only the province: a village it lacks
            own = 0.0 if match.key.startswith("~") else self.weights[match.key]
            if code and evidence.get(code, 0) - own <= 0 and match.role == "location" \
                    and g.features[entry] in ("city", "admin2") \
                    and (g.populations[entry] < SMALL_TOWN
                         or (entry in self.other_name[match.key] and not self._short_for(match.key, entry)
                             and not self._own_name_in(match, code))) \
                    and not g.sources[entry].startswith("curated") \
                    and self._abroad(match, evidence, located, code, own, choice):
                continue
            mention = self._mention(match, entry, scores[match.key])
            kept.append(replace(mention, tentative=True, confidence=round(mention.confidence * 0.5, 3),
                                namesakes=tuple(c for c in mention.namesakes if c.population < BIG_TOWN))
                        if tentative else mention)  # (the collection may settle it at one of them: theatre)
        return kept

    def _spelled_together(self, matches: list[Match], choice: dict[str, int]) -> set[str]:
        """Names read by their spelling family whose readings hold each other: "Baled Weyn (Hiiraan)" where
        a Beledweyne lies in a Hiraan province. The pair is evidence of itself, as a name of the text's own
        spelling is; the readings that fit are chosen."""
        g, out = self.g, set()
        for match in matches:
            qualifier = match.qualifier
            if qualifier is None or qualifier.key == match.key or not (
                    match.key.startswith("~") or qualifier.key.startswith("~")):
                continue
            if g.features[choice[match.key]] in _POINTS and _contains(g, choice[qualifier.key], choice[match.key]):
                out |= {match.key, qualifier.key}  # the readings chosen already hold each other
                continue
            pairs = [(a, b) for b in qualifier.entries if g.features[b] in ("admin1", "country", *_POINTS)
                     for a in match.entries if g.features[a] in _POINTS and _contains(g, b, a)]
            if pairs:
                choice[match.key], choice[qualifier.key] = max(pairs, key=lambda p: self._prior(match.key, p[0]))
                out |= {match.key, qualifier.key}
        return out

    def _areas_by_company(self, matches: list[Match], choice: dict[str, int], text: str) -> None:
        """A name read as a town where the company it keeps says it is an area: the qualifier of a town
        that its town does not lie near ("Buffalo, New York" is the state) or in ("Ropar (Punjab)" is the
        Indian Punjab), and a name listed among areas of one country ("Utah, Virginia and Washington")."""
        g = self.g
        for match in matches:
            qualifier = match.qualifier
            if qualifier is None or qualifier.key == match.key or qualifier.key.startswith("~"):
                continue
            town, here = choice[match.key], choice[qualifier.key]
            if g.features[here] in (*_SETTLEMENTS, "admin1", "country") and g.features[town] in _POINTS \
                    and not _contains(g, here, town):
                areas = [e for e in qualifier.entries if g.features[e] in ("admin1", "country") and _contains(g, e, town)] \
                    or [e for e in qualifier.entries if g.features[e] == "admin1"  # a town filed in the next province
                        and g.country_codes[e] == g.country_codes[town] and g.country_codes[here] != g.country_codes[town]
                        and great_circle_km(g.lats[e], g.lons[e], g.lats[town], g.lons[town]) <= DISTRICT_FAR_KM]
                if areas:
                    choice[qualifier.key] = max(areas, key=lambda e: self._prior(qualifier.key, e))
        if not text:
            return
        lists: list[list[Match]] = []
        for a, b in zip(matches, matches[1:]):
            if LIST_GAP.fullmatch(text, a.end, b.start):
                if lists and lists[-1][-1] is a:
                    lists[-1].append(b)
                else:
                    lists.append([a, b])
        for members in (m for m in lists if len(m) >= 3):
            kinds = Counter((g.features[choice[m.key]], g.country_codes[choice[m.key]]) for m in members)
            for member in members:
                entry = choice[member.key]
                if g.features[entry] not in _SETTLEMENTS:
                    continue
                for feature in ("admin1", "country"):
                    wanted = [e for e in member.entries if g.features[e] == feature
                              and kinds[(feature, g.country_codes[e])] >= 2]
                    if wanted:
                        choice[member.key] = max(wanted, key=lambda e: self._prior(member.key, e))
                        break

    def _short_for(self, key: str, entry: int) -> bool:
        """Whether the name written is the entry's own name without its last word "City" ("New York" for
        New York City, "Quebec" for Quebec City): a short form of its name, not a foreign or old one."""
        words = self.g.names[entry].split()
        return len(words) >= 2 and words[-1].lower() == "city" and name_key(" ".join(words[:-1])) == key

    def _alone(self, entry: int, chosen_in: Counter) -> bool:
        """A small town that no other name of the text lies near or shares a country with: the gazetteer
        may hold only a namesake of the village meant, so it is no evidence of where the text is."""
        g = self.g
        return g.features[entry] in ("city", "admin2") and g.populations[entry] < SMALL_TOWN \
            and chosen_in[g.country_codes[entry]] <= 1 and entry not in self.together

    def _same_places(self, groups: dict[str, list[Match]]) -> dict[str, set[str]]:
        """For each name, the other names that share a candidate with it ("Dublin City", "Dublin"): they may
        name the same place, so neither is evidence of where the other is."""
        named_by: dict[int, list[str]] = defaultdict(list)
        for key, group in groups.items():
            for entry in group[0].entries:
                named_by[entry].append(key)
        same: dict[str, set[str]] = defaultdict(set)
        for keys in (k for k in named_by.values() if len(k) > 1):
            for key in keys:
                same[key].update(k for k in keys if k != key)
        return same

    def _together(self, groups: dict[str, list[Match]]) -> dict[int, int]:
        """For each candidate of a name, how many other names have a candidate within
        ``TOGETHER_KM`` of it. The candidates sit in one-degree cells (about 111 km), so each looks only at
        the cells around it."""
        g = self.g
        keys = [key for key, group in groups.items() if not key.startswith("~")]
        if len(keys) < 2:
            return {}
        cells: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
        for key in keys:
            for entry in groups[key][0].entries:
                if g.features[entry] in _POINTS:
                    cells[(math.floor(g.lats[entry]), math.floor(g.lons[entry]))].append((key, entry))
        together: dict[int, int] = {}
        for key in keys:
            same = self.same.get(key, ())  # "Dublin City" lies by Dublin because it may be Dublin
            for entry in groups[key][0].entries:
                if g.features[entry] not in _POINTS:
                    continue
                lat, lon = g.lats[entry], g.lons[entry]
                row, column = math.floor(lat), math.floor(lon)
                near = {other for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                        for other, there in cells.get((row + dr, column + dc), ())
                        if other != key and there != entry and other not in same
                        and great_circle_km(lat, lon, g.lats[there], g.lons[there]) <= TOGETHER_KM}
                if near:
                    together[entry] = len(near)
        return together

    def _abroad(self, match: Match, evidence: Counter, located: Counter, code: str, own: float,
                choice: dict[str, int]) -> bool:
        """Whether the rest of the text has a clear focus elsewhere that none of the name's places lies in.
        The names this one qualifies are no part of that rest ("Dessa, Tillabery": Tillabery says where
        Dessa is, not the other way round), and a focus that no located name is part of is none: the
        troops' nationality and their government ("Burundi troops ... a Burundian soldier") say whose
        forces fought, not where."""
        rest, rest_located = evidence.copy(), located.copy()
        rest[code] -= own
        rest_located[code] -= own
        for other in self.qualifies.get(match.key, ()):
            rest[self.g.country_codes[choice[other]]] -= self.weights[other]
            rest_located[self.g.country_codes[choice[other]]] -= self.weights[other]
        top = max(rest.values(), default=0.0)
        focus = {c for c, weight in rest.items() if weight >= FOCUS_SHARE * top and weight > 0}
        return top >= FOCUS_MIN_WEIGHT and any(rest_located[c] > 0 for c in focus) \
            and not any(self.g.country_codes[e] in focus for e in match.entries)

    def _own_name_in(self, match: Match, code: str) -> bool:
        """Whether the name written is the own name of a place of country ``code`` ("Tucuman", the province,
        beside San Miguel de Tucuman the city): the city read by its other name is then no guess abroad."""
        return any(self.g.country_codes[e] == code and e not in self.other_name[match.key] for e in match.entries)

    def _contradicted(self, match: Match, entry: int, choice: dict[str, int]) -> bool:
        """'Daman district, Kandahar' where no Daman lies in Kandahar's province (or near the town): the
        gazetteer lacks this place, and its namesakes elsewhere are not it."""
        g = self.g
        qualifier = match.qualifier
        if (qualifier.key == match.key or qualifier.key.startswith("~")) and qualifier.qualifier is not None:
            # "Kunda area (Kunda, Mesa)", and a qualifier read spelling-blind: the chain's next link rules
            return self._contradicted(replace(match, qualifier=qualifier.qualifier), entry, choice)
        if qualifier.key == match.key or qualifier.key.startswith("~") or g.features[entry] in ("country", "continent"):
            return False  # (a qualifier read spelling-blind may be any namesake: it rules nothing out)
        if g.features[entry] == "admin1":  # "Lima LGA, Borno": a province abroad is no district of a state
            return said_to_be_an_area(match) and g.country_codes[entry] not in {g.country_codes[e] for e in qualifier.entries}
        further = qualifier.qualifier  # "Kunda (Mesa LGA, Borno)": the chain's end holds it, a misread Mesa aside
        if further is not None and further.key not in (match.key, qualifier.key) \
                and g.country_codes[choice[qualifier.key]] != g.country_codes[choice[further.key]] and any(
                _contains(g, area, entry) for area in _areas(g, further, choice[further.key])):
            return False
        areas = _areas(g, qualifier, choice[qualifier.key])
        codes = {g.country_codes[e] for e in areas}
        if not any(g.country_codes[e] in codes for e in match.entries):
            # "Martinez (Buenos Aires)" with no Martinez in Argentina: a town abroad is not it, unless it is
            # a city the qualifier is more likely wrong about, or the qualifier is a town that may itself be
            # a namesake ("Djugu, Ituri" where the gazetteer's only Ituri lies elsewhere)
            # ("Ahmadabad district, Paktia", "Rio Claro, Lara state": a district, or a qualifier said to be a
            # state, leaves no doubt; so does a qualifier that names places of one country only: "Valencia,
            # Couva" is no Spanish or Venezuelan city when every Couva is in Trinidad)
            big = BIG_TOWN
            if len({g.country_codes[e] for e in qualifier.entries}) == 1 or self._insisted(match, codes, choice):
                big = math.inf  # "Brighton (Eastern Cape)", "Oxford, Kilifi, Coast": the writer rules out the famous one
            return g.populations[entry] < big or g.features[entry] not in _SETTLEMENTS \
                or said_to_be_an_area(match) or said_to_be_an_area(qualifier)
        if g.populations[entry] >= BIG_TOWN and not self._insisted(match, codes, choice) \
                and not said_to_be_an_area(match):  # ("Kremenchuk district, Kharkiv" is no city's district)
            return False  # a well-known place outweighs a qualifier the gazetteer may not know
        # "Sosnivka, Kherson" where every Sosnivka lies in other provinces, far off: a village the
        # gazetteer lacks, whose province (a mention of its own) says where it is. Near the province's
        # border it is more likely the gazetteer's or the writer's province that is off.
        if any(_contains(g, area, e, QUALIFIER_TOWN_KM if "listed" in match.notes else _town_reach_km(g, area))
               for area in areas for e in match.entries):
            return False  # (items of a list may lie farther apart than a town's surroundings)
        here = choice[qualifier.key]
        # "Kanfo village, Dapelo district" where the gazetteer's only Kanfo lies 150 km from that district
        said_district = "district" in qualifier.notes or qualifier.text.rsplit(None, 1)[-1].lower() in DISTRICT_KINDS
        far = DISTRICT_FAR_KM if said_district else QUALIFIER_FAR_KM
        # "near the border" is as far as the province is wide: the qualifier's, or the province of the
        # qualifier's name ("Ruhororo commune (Ngozi)": Ngozi the town and its province)
        province = here if g.features[here] == "admin1" else next((
            e for e in qualifier.entries if g.features[e] == "admin1" and g.country_codes[e] == g.country_codes[here]), None)
        if province is not None:
            far = min(far, max(PROVINCE_MIN_KM, PROVINCE_REACH * province_spacing_km(g, province)))
        # A qualifier that is only a town may stand for its district, in its province ("Dinar (Emirdag)");
        # outside that, its places lie around it ("Gediz (Emirdag)"), unless the two may be items of a list.
        # A namesake across a border is no other.
        # (a division of the qualifier's name counts where it may be the one meant: near the town chosen,
        # not a namesake community 300 km off), unless the text says the qualifier is the town ("Cusco city")
        town = g.features[here] in _SETTLEMENTS and "listed" not in match.notes and (
            "settlement" in qualifier.notes or not any(
                g.features[e] in ("admin1", "admin2") and g.country_codes[e] == g.country_codes[here]
                and _contains(g, here, e) for e in qualifier.entries))
        return all(great_circle_km(g.lats[e], g.lons[e], g.lats[here], g.lons[here])
                   > (QUALIFIER_TOWN_KM if town and (g.admin1[e] != g.admin1[here] or "settlement" in qualifier.notes)
                      else far)  # (a qualifier said to be a town is the town, not its district: "X quarter of Kasganj town")
                   for e in match.entries if g.country_codes[e] in codes)

    def _insisted(self, match: Match, codes: set[str], choice: dict[str, int]) -> bool:
        """Whether the writer took pains to say where the place is: its qualifier qualified in turn by a
        place of the same country ("Oxford (Kilifi, Coast)", a chain down from the province). One
        qualifier alone may be a namesake itself ("Lome (Golfe)" read as a place in Angola)."""
        qualifier = match.qualifier
        further = qualifier.qualifier
        while further is not None and further.key == qualifier.key:
            further = further.qualifier  # "Surat city (Surat, Gujarat)": the city's own district, then its state
        return further is not None and self.g.country_codes[choice[further.key]] in codes

    def _countries_nearby(self, matches: list[Match], choice: dict[str, int]) -> dict[str, set[str]]:
        """Countries (and provinces' countries) named within a sentence's reach of each name: "In
        Mozambique, insurgents hit Palma" places Palma in Mozambique whatever else the article covers."""
        g = self.g
        areas = [(m.start, g.country_codes[choice[m.key]]) for m in matches
                 if g.features[choice[m.key]] in ("country", "admin1") and g.country_codes[choice[m.key]]
                 and m.role == "location"]
        areas.sort()
        starts = [start for start, _ in areas]
        nearby: dict[str, set[str]] = defaultdict(set)
        for match in matches:  # a window over the sorted areas: linear in the article, however long
            low = bisect.bisect_left(starts, match.start - NEARBY_CHARS)
            high = bisect.bisect_right(starts, match.start + NEARBY_CHARS)
            for start, code in areas[low:high]:
                if start != match.start and len(nearby[match.key]) < 8:
                    nearby[match.key].add(code)
        return nearby

    def _prior(self, key: str, entry: int) -> float:
        known = self.priors.get(entry)
        if known is None:
            known = self.priors[entry] = prior(self.g, entry)
        return known - (OTHER_NAME_PENALTY if entry in self.other_name.get(key, ()) else 0.0)

    def _score(self, key, group, choice, countries, admin1s, points) -> dict[int, float]:
        g = self.g
        entries = group[0].entries
        if len(entries) == 1:  # nothing to choose: the context cannot change the choice or the confidence
            return {entries[0]: self._prior(key, entries[0])}
        own = choice[key]
        # The evidence without this name's own vote.
        own_weight = self.weights[key]
        # A qualifier ("Donetsk" in "Sosnovskoye, Donetsk") is the better-known place: the small places
        # it qualifies are no evidence for it, or a village's namesake abroad would drag it along.
        qualified = self.qualified_by.get(key, set())
        # "Dublin City" beside "Dublin": a name read as a place this one may be is no witness of where it is
        same = {other for other in self.same.get(key, ()) if choice[other] in entries}
        if qualified or same:
            countries, admin1s = countries.copy(), admin1s.copy()
            for other in qualified | same:
                countries[g.country_codes[choice[other]]] -= self.weights[other]
            for other in same:
                admin1s[g.admin1[choice[other]]] -= self.weights[other]
            qualified = qualified | same
        country_total = sum(countries.values()) - own_weight
        # "Veracruz, Veracruz" and "Tiruppur (Tiruppur district)": the town in the province named after it;
        # the qualifier is the area, so the area itself gets no bonus (an area does not lie in itself)
        # "Colon (Colon)", "Florida (Florida)": the town in its province of that name, where there is one (an
        # area does not lie in itself)
        self_qualified = any(m.qualifier is not None and m.qualifier.key == key for m in group)
        own_provinces = {(g.country_codes[a], g.admin1[a]) for a in entries if g.features[a] == "admin1"} \
            if self_qualified else set()
        towns_in_own_province = any(g.features[e] in _SETTLEMENTS and (g.country_codes[e], g.admin1[e]) in own_provinces
                                    for e in entries) if own_provinces else False
        qualifier_entries = [q for m in group if m.qualifier is not None
                             for q in (_areas(g, m.qualifier, choice[m.qualifier.key]) if m.qualifier.key != key
                                       else [e for e in m.qualifier.entries if g.features[e] in ("admin1", "admin2")])]
        # "Dodge city (Dodge, Nebraska)": the chain goes on to the state, which holds the one meant
        qualifier_entries += [q for m in group if m.qualifier is not None and m.qualifier.qualifier is not None
                              and m.qualifier.qualifier.key not in (key, m.qualifier.key)
                              for q in _areas(g, m.qualifier.qualifier, choice[m.qualifier.qualifier.key])]
        others = [p for k, p in points.items() if k != key and k not in self.not_located and k not in qualified]
        if qualifier_entries and not any(_contains(g, q, e) for q in qualifier_entries for e in entries):
            # "Slavne, Donetsk region" with no Slavne inside it: the one nearest the province is meant
            others = [(g.lats[q], g.lons[q]) for q in qualifier_entries if g.features[q] == "admin1"] + others
        # A small town named after its state or country ("Iowa", Louisiana; "Mexico", New York) is rarely meant
        areas = {(g.country_codes[e], g.admin1[e] if g.features[e] == "admin1" else ""): g.populations[e]
                 for e in entries if g.features[e] in ("admin1", "country")}
        namesakes = {}
        for entry in entries:  # (a capital too where only another of its names is the country's: "Mexico")
            if g.features[entry] in ("city", "admin2") or (
                    g.features[entry] == "capital" and entry in self.other_name.get(key, ())):
                for (code, admin1), population in areas.items():
                    if g.country_codes[entry] == code and g.populations[entry] * 10 < population \
                            and not (admin1 and g.admin1[entry] == admin1 and g.populations[entry] >= SMALL_TOWN):
                        namesakes[entry] = 2.0
        # A province named after its capital ("Raqqa", "Zabol"): the bare name means the city, even where
        # the gazetteer spells the city otherwise (the province's name is the city's too); the province is
        # written "Raqqa province", which is a name of its own.
        # A capital is a city of the province large enough to have named it, not any town that shares a word
        # ("Bihar Sharif" is not what "Bihar" means).
        provinces = {g.admin1[e]: g.populations[e] for e in entries if g.features[e] == "admin1" and g.admin1[e]}
        capitals = [e for e in entries if g.features[e] in ("city", "capital") and g.admin1[e] in provinces
                    and g.populations[e] >= max(20_000, CAPITAL_SHARE * provinces[g.admin1[e]])]
        named_areas = {g.admin1[e] for e in capitals}
        for entry in entries:
            if g.features[entry] == "admin1" and g.admin1[entry] in named_areas:
                namesakes[entry] = 2.5
        for entry in capitals:
            if entry in self.other_name.get(key, ()):
                namesakes[entry] = -OTHER_NAME_PENALTY
        nearest_of = nearest_km(g, entries, others[:30])
        said = {note for m in group for note in m.notes if note in ("settlement", "area")}
        out = {}
        for entry in entries:
            score = self._prior(key, entry) - namesakes.get(entry, 0.0)
            if said and (g.features[entry] in _SETTLEMENTS) != ("settlement" in said) and len(said) == 1:
                score -= KIND_SAID_PENALTY  # "Kandal village" is not Kandal province
            code = g.country_codes[entry]
            if code and country_total > 0:
                evidence = countries[code] - (own_weight if g.country_codes[own] == code else 0)
                score += COUNTRY_WEIGHT * max(evidence, 0) / max(country_total, 1.0)
            if g.admin1[entry] and g.features[entry] != "admin1":
                evidence = admin1s[g.admin1[entry]] - (own_weight if g.admin1[own] == g.admin1[entry] else 0)
                if evidence > 0:
                    score += ADMIN1_WEIGHT
            if self_qualified and g.features[entry] in ("admin1", "admin2"):
                score -= KIND_SAID_PENALTY if towns_in_own_province else 0.0
            elif qualifier_entries and any(_contains(g, q, entry) for q in qualifier_entries):
                score += QUALIFIER_BONUS
            elif qualifier_entries and any(g.country_codes[q] == code for q in qualifier_entries):
                score += QUALIFIER_BONUS / 2  # "Kamianka, Donetsk": in the qualifier's country at least
            if code and code in self.nearby.get(key, ()) and g.features[entry] not in ("country", "continent"):
                score += NEARBY_COUNTRY_BONUS
            if entry in self.together and len(entries) > 1:
                score += TOGETHER_BONUS
            if others and g.features[entry] not in ("country", "continent"):
                nearest = nearest_of[entry]
                if nearest <= NEAR_KM:
                    score += NEAR_BONUS
                elif nearest <= AROUND_KM:
                    score += AROUND_BONUS
            out[entry] = score
        return out

    def _ranking(self, entry: int, scores: dict[int, float]) -> tuple[float, tuple[PlaceCandidate, ...]]:
        """The confidence in ``entry`` (its margin over the runner-up) and the other candidates, best first,
        with their distance from it: the list a user picks from to correct the place."""
        g = self.g
        ranked = sorted(scores, key=lambda e: -scores[e])
        best = scores[entry]
        runner_up = scores[ranked[1]] if len(ranked) > 1 else best - 5.0
        confidence = round(1.0 / (1.0 + math.exp(-(best - runner_up))), 3)
        alternatives = []
        seen = {(round(g.lats[entry], 2), round(g.lons[entry], 2))}
        for other in ranked:
            where = (round(g.lats[other], 2), round(g.lons[other], 2))
            if other == entry or where in seen:
                continue  # the same place twice (a town and its curated row)
            seen.add(where)
            distance = great_circle_km(g.lats[entry], g.lons[entry], g.lats[other], g.lons[other])
            alternatives.append(PlaceCandidate(  # g.candidate(other) with its distance and score, made once
                name=g.names[other], lat=g.lats[other], lon=g.lons[other], country_code=g.country_codes[other],
                feature=g.features[other], geonameid=g.geonameids[other] or None, population=g.populations[other],
                source=g.sources[other], distance_km=round(distance, 1), score=round(scores[other], 2)))
            if len(alternatives) >= MAX_ALTERNATIVES:
                break
        return confidence, tuple(alternatives)

    def _namesakes(self, key: str, entry: int, scores: dict[int, float]) -> tuple[PlaceCandidate, ...]:
        """The towns and villages of this name that the text could not tell from ``entry``: what the text
        says for them (their score less their prior) within ``NAMESAKE_MARGIN`` of what it says for
        ``entry``, and farther than ``NAMESAKE_APART_KM`` (nearer, it is the same place). A city of
        ``BIG_TOWN`` people or more is what its bare name means: it leaves nothing open."""
        if (key, entry) in self._open:
            return self._open[(key, entry)]
        g = self.g
        out: list[PlaceCandidate] = []
        if g.features[entry] in _POINTS and len(scores) > 1 and g.populations[entry] < BIG_TOWN:
            # what the text says for each, its prior aside: a village's missing census figure is no evidence
            said = scores[entry] - self._prior(key, entry)
            for other in sorted(scores, key=lambda e: -scores[e]):
                if other == entry or g.features[other] not in _POINTS or \
                        scores[other] - self._prior(key, other) < said - NAMESAKE_MARGIN:
                    continue
                distance = great_circle_km(g.lats[entry], g.lons[entry], g.lats[other], g.lons[other])
                if distance > NAMESAKE_APART_KM:
                    out.append(PlaceCandidate(
                        name=g.names[other], lat=g.lats[other], lon=g.lons[other],
                        country_code=g.country_codes[other], feature=g.features[other],
                        geonameid=g.geonameids[other] or None, population=g.populations[other],
                        source=g.sources[other], distance_km=round(distance, 1), score=round(scores[other], 2)))
                if len(out) >= MAX_NAMESAKES:
                    break
        self._open[(key, entry)] = tuple(out)
        return self._open[(key, entry)]

    def _mention(self, match: Match, entry: int, scores: dict[int, float]) -> PlaceMention:
        g = self.g
        if (match.key, entry) not in self._rankings:  # once per name: the article may repeat it often
            self._rankings[(match.key, entry)] = self._ranking(entry, scores)
        confidence, alternatives = self._rankings[(match.key, entry)]
        feature = g.features[entry]
        if feature == "capital":
            feature = "city"
        if match.kind == "demonym":
            confidence = round(confidence * 0.8, 3)
        return PlaceMention(
            text=match.text, start=match.start, end=match.end, name=g.names[entry], lat=g.lats[entry],
            lon=g.lons[entry], country_code=g.country_codes[entry], feature=feature,
            geonameid=g.geonameids[entry] or None, precision=PRECISION_OF_FEATURE.get(feature, "point"),
            confidence=confidence, alternatives=alternatives, mention_kind=match.kind,
            role=match.role, namesakes=self._namesakes(match.key, entry, scores))
