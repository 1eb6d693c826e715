"""Natural Earth's first-level divisions in the gazetteer: the names GeoNames' divisions lack, the
divisions it lacks, and never a second reading of a town or of a word. Sentences are our own."""
from __future__ import annotations

import pytest
from geopy.distance import great_circle

from dashboard.geocoders.gazetteer import load_gazetteer, name_key
from dashboard.geocoders.sources import natural_earth_admin1
from dashboard.pipeline.places import find_places


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def divisions(g, name):
    return [e for e in g.lookup(name_key(name)) if g.features[e] == "admin1"]


def test_the_source_holds_every_country_s_divisions():
    units = natural_earth_admin1()
    assert len(units) > 4000
    assert {u["country_code"] for u in units} >= {"SY", "IQ", "SS", "CD", "BF", "NG", "YE", "AF", "UA"}


def test_a_bad_row_is_reported_with_file_and_row(tmp_path):
    import gzip

    bad = tmp_path / "admin1.csv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as handle:
        handle.write("iso_3166_2,country_code,kind,lat,lon,name,name_en,name_fr,name_es,name_pt,other_names\n"
                     "XX-A,XX,State,1,2,Alpha,Alpha,,,,\n"
                     "XX-B,XX,State,100,2,Beta,Beta,,,,\n")
    with pytest.raises(ValueError, match=r"admin1.csv.gz: row 3: .*100"):
        natural_earth_admin1(bad)


@pytest.mark.parametrize("name,code,lat,lon", [
    ("Sud-Kivu", "CD", -3.1, 28.1),          # the French name of South Kivu
    ("Extreme-Nord", "CM", 10.7, 14.5),      # Cameroon's Far North, as French reports write it
    ("Jonglei state", "SS", 7.2, 32.6),      # a state GeoNames' town table gives no name
    ("Yagha province", "BF", 13.5, 0.5),
])
def test_a_division_is_found_by_its_other_names(g, name, code, lat, lon):
    (first, *_) = divisions(g, name)
    assert g.country_codes[first] == code
    assert great_circle((g.lats[first], g.lons[first]), (lat, lon)).km < 120


@pytest.mark.parametrize("sentence,written,name,precision", [
    ("Gunmen burned a school in Kibale village (Walungu, Sud-Kivu) on 3 May 2020.", "Sud-Kivu", "South Kivu", "admin"),
    ("Cattle raiders struck a camp in Jonglei state on Sunday.", "Jonglei state", "Jonglei", "admin"),
    ("Dockers marched through Paris on Monday.", "Paris", "Paris", "city"),  # not the Paris department
    ("The bridge in Mosul reopened on Monday.", "Mosul", "Mosul", "city"),   # not Nineveh, called Mosul too
])
def test_divisions_in_sentences(sentence, written, name, precision, g):
    (found,) = [p for p in find_places(sentence, gazetteer=g) if p.text == written]
    assert (found.name, found.precision) == (name, precision)


def test_a_word_that_a_division_is_named_with_is_no_place(g):
    # "Free" of "Free State" (a Natural Earth name stripped of "State"): never added as the division's name
    assert divisions(g, "Free") == [] and divisions(g, "Free State")
    assert [p.text for p in find_places("The Free Syrian Army held the north of the town.", gazetteer=g)
            if p.role == "location"] == []
