"""Natural Earth's first-level divisions in the gazetteer: the names GeoNames' divisions lack, the
divisions it lacks, and never a second reading of a town or of a word. Sentences are our own."""
from __future__ import annotations

from pathlib import Path

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


# --- districts, communes, LGAs and payams (geoBoundaries) ------------------------------------------
def test_the_district_source_is_read_and_a_bad_row_named(tmp_path):
    import gzip

    from dashboard.geocoders.sources import admin_units

    assert len(admin_units()) > 100_000
    bad = tmp_path / "units.csv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as handle:
        handle.write("country_code,name,lat,lon,province\nCD,Alpha,-2,28,Sud-Kivu\nCD,,-2,28,Sud-Kivu\n")
    with pytest.raises(ValueError, match=r"units.csv.gz: row 3: bad country, name or point"):
        admin_units(bad)


@pytest.mark.parametrize("sentence,written,code,lat,lon", [
    # a village the gazetteer lacks, qualified by its district: the event lands in the district
    ("Gunmen burned two houses in Ndoki village (Masisi, Nord-Kivu) on 3 May 2020.", "Masisi", "CD", -1.40, 28.82),
    ("Soldiers clashed with raiders near Kiburu, Kalehe on Sunday.", "Kalehe", "CD", -2.05, 28.64),
    ("Herders fought over water in Mayendit county on Friday.", "Mayendit", "SS", 8.2, 29.9),
])
def test_a_district_gives_the_place_where_the_village_is_unknown(sentence, written, code, lat, lon, g):
    (found,) = [p for p in find_places(sentence, gazetteer=g) if p.text == written]
    assert (found.country_code, found.precision, found.role) == (code, "admin", "location")
    assert great_circle((found.lat, found.lon), (lat, lon)).km < 60


@pytest.mark.parametrize("sentence,written", [
    ("In her statement, Jansen said the vote had been rushed.", "Jansen"),      # a Canadian district's name
    ("At least nine people died, Al-Ahram reported, citing doctors.", "Al-Ahram"),  # an Egyptian one's
    ("The wedding was held at Windsor Castle on Saturday.", "Windsor Castle"),  # a district of Jamaica
])
def test_a_district_named_like_a_person_or_a_paper_is_read_only_where_a_place_is_expected(sentence, written, g):
    assert [p.text for p in find_places(sentence, gazetteer=g) if p.text == written] == []


def test_a_district_never_takes_the_name_of_a_town_of_its_country(g):
    # the towns keep their names: no district of the same country is added under them
    for town in ("Mosul", "Goma", "Bukavu", "Maiduguri"):
        entries = g.lookup(name_key(town))
        code = g.country_codes[entries[0]]
        assert not [e for e in entries if g.sources[e].startswith("geoboundaries") and g.country_codes[e] == code]


def test_a_congolese_name_ending_in_i_is_no_arabic_nisba(g):
    # "Masisi" is no nisba of Masis (Armenia); "al-Baghdadi" still is one of Baghdad
    assert [p.text for p in find_places("Fighting spread across Masisi territory.", gazetteer=g)] == ["Masisi"]
    assert [p.text for p in find_places("A cousin of al-Baghdadi was detained.", gazetteer=g)
            if p.role == "location"] == []


@pytest.mark.parametrize("key,code,division", [
    ("baghran", "AF", "AF.41"),  # filed under Bermuda by the redistributed file: its towns are Afghan
    ("rafi", "NG", "NG.31"),  # an LGA of Niger State: "Rafi LGA (Niger)" is read as the state
])
def test_a_district_lies_in_the_country_and_division_of_the_towns_around_it(g, key, code, division):
    districts = [e for e in g.lookup(key) if g.sources[e].startswith("geoboundaries")]
    assert [(g.country_codes[e], g.admin1[e]) for e in districts] == [(code, division)]


@pytest.mark.parametrize("key,code", [
    ("hpapun", "MM"),  # filed under Thailand, with Thai and Burmese towns around: the boundary holds it in Myanmar
    ("maungdaw", "MM"),  # filed under Bangladesh, across the Naf river
])
def test_a_border_district_lies_in_the_country_whose_boundary_holds_it(g, key, code):
    districts = [e for e in g.lookup(key) if g.sources[e].startswith("geoboundaries")]
    assert [g.country_codes[e] for e in districts] == [code]


def test_the_boundaries_say_which_country_holds_a_point():
    from dashboard.geocoders.borders import Borders

    borders = Borders.load()
    assert borders.country_at(36.20, 37.16) == "SY" and borders.country_at(36.34, 43.13) == "IQ"  # Aleppo, Mosul
    assert borders.country_at(37.07, 37.38) == "TR" and borders.country_at(35.93, 36.63) == "SY"  # Gaziantep, Idlib
    assert borders.country_at(35.0, 18.0) is None  # the Mediterranean
    assert Borders.load(Path("/nonexistent/world.json")).country_at(36.2, 37.16) is None  # no file: no opinion


# --- villages (OpenStreetMap, villages.csv.gz) -----------------------------------------------------
def test_the_village_source_is_read_and_a_bad_row_named(tmp_path):
    import gzip

    from dashboard.geocoders.sources import villages

    assert len(villages()) > 20_000
    bad = tmp_path / "villages.csv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as handle:
        handle.write("country_code,name,lat,lon,province,district\nNG,Alpha,11,13,Borno,Bama\nNG,Beta,91,13,Borno,Bama\n")
    with pytest.raises(ValueError, match=r"villages.csv.gz: row 3: bad country, name or point"):
        villages(bad)


@pytest.mark.parametrize("sentence,written,lat,lon", [
    # villages of the list that cities500 lacks, each at its own point
    ("On 3 May 2020, gunmen attacked Bagajau village in Askira-Uba LGA, Borno.", "Bagajau", 10.73477, 13.30399),
    ("Herders and farmers clashed near Bagargar on Tuesday.", "Bagargar", 11.2859, 11.266),
    ("Two traders were abducted in Bagarawa (Bodinga LGA, Sokoto) overnight.", "Bagarawa", 12.88565, 5.23669),
])
def test_a_listed_village_is_found_at_its_point(sentence, written, lat, lon, g):
    (found,) = [p for p in find_places(sentence, gazetteer=g) if p.text == written]
    assert (found.country_code, found.precision, found.role, found.lat, found.lon) == ("NG", "city", "location", lat, lon)


def test_a_listed_village_is_read_only_where_a_place_is_expected(g):
    assert [p.text for p in find_places("Bagajau said the talks would resume.", gazetteer=g)] == []


def test_a_village_takes_the_state_its_list_gives_near_a_state_line(g):
    # Bagajau lies in Borno, a few kilometres from Adamawa's nearest towns
    (entry,) = g.lookup(name_key("Bagajau"))
    assert g.admin1[entry] == g.admin1[g.lookup(name_key("Maiduguri"))[0]]


def test_a_village_never_takes_the_name_of_a_town_of_its_state(g):
    # a namesake in another state is kept: each state has its own villages of common names
    for town in ("Maiduguri", "Bama", "Gwoza", "Kano"):
        entries = g.lookup(name_key(town))
        states = {g.admin1[e] for e in entries if not g.sources[e].startswith("osm:")}
        assert not [e for e in entries if g.sources[e].startswith("osm:") and g.admin1[e] in states]


# --- Ukraine's settlements (KATOTTG, settlements_ua.csv.gz) ------------------------------------------
def test_the_ukrainian_settlements_are_read_romanised_and_a_bad_row_named(tmp_path):
    import gzip
    import re

    from dashboard.geocoders.sources import settlements_ua

    rows = settlements_ua()
    assert len(rows) > 20_000 and not [name for _, name, *_ in rows if re.search("[\u0400-\u04ff]", name)]
    bad = tmp_path / "ua.csv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as handle:
        handle.write("country_code,name,lat,lon,province,district\nUA,Alpha,48,37,Donetska,Alpha\nUA,Beta,48,,Donetska,Beta\n")
    with pytest.raises(ValueError, match=r"ua.csv.gz: row 3"):
        settlements_ua(bad)


@pytest.mark.parametrize("sentence,lat,lon", [
    # one name, a village in each of several oblasts: the oblast written says which community's centre
    ("Observers heard shelling near Berestky, Donetsk region, overnight.", 48.0245, 37.3778),
    ("Observers heard shelling near Berestky, Kharkiv region, overnight.", 48.7458, 36.3391),
])
def test_a_ukrainian_village_lands_at_its_community_in_the_oblast_written(sentence, lat, lon, g):
    (found,) = [p for p in find_places(sentence, gazetteer=g) if p.text == "Berestky"]
    # the centre of its community, not the village's own point: drawn as an area, never as exact
    assert (found.country_code, found.precision, found.lat, found.lon) == ("UA", "admin", lat, lon)


def test_a_ukrainian_village_is_read_only_where_a_place_is_expected(g):
    assert [p.text for p in find_places("Berestky told reporters the count was wrong.", gazetteer=g)] == []


def test_a_ukrainian_village_never_takes_the_name_of_a_town_of_its_oblast(g):
    for town in ("Zolote", "Vasylivka", "Avdiivka", "Mariupol"):
        entries = g.lookup(name_key(town))
        oblasts = {g.admin1[e] for e in entries if not g.sources[e].startswith("katottg:")}
        assert not [e for e in entries if g.sources[e].startswith("katottg:") and g.admin1[e] in oblasts]


def test_a_ukrainian_village_named_like_a_town_of_another_oblast_is_kept(g):
    # "near Slavne, Donetsk region": the town of that name lies in another oblast
    (found,) = [p for p in find_places("Mortar fire was reported near Slavne, Donetsk region.", gazetteer=g)
                if p.text == "Slavne"]
    assert found.precision == "admin" and 46.8 < found.lat < 49.3 and 36.5 < found.lon < 39.0  # in Donetsk oblast
    assert [p for p in find_places("Mortar fire was reported near Slavne, Crimea.", gazetteer=g)
            if p.text == "Slavne"][0].lat < 46.3  # and the town of the name, in Crimea


# --- India's post offices (villages_in.csv.gz) ------------------------------------------------------
def test_the_indian_post_offices_are_read_without_their_office_kind(g):
    from dashboard.geocoders.sources import VILLAGES_IN_CSV, villages

    rows = villages(VILLAGES_IN_CSV)
    assert len(rows) > 100_000 and {code for code, *_ in rows} == {"IN"}
    assert not [name for _, name, *_ in rows if name.endswith((" BO", " SO", " HO", " B.O", " S.O"))]


def test_an_indian_village_with_a_post_office_is_found_at_its_point(g):
    (found,) = [p for p in find_places("Police fired tear gas at protesters in Mankattha village on Sunday.",
                                       gazetteer=g) if p.text == "Mankattha"]
    assert (found.country_code, found.precision, found.lat, found.lon) == ("IN", "city", 25.20615, 86.05356)


@pytest.mark.parametrize("district,kept", [
    ("Samastipur", True),   # 42 km from the only Baghauni the gazetteer knows: that village
    ("Nalanda", False),     # 133 km from it: another Baghauni, which the gazetteer lacks
])
def test_a_village_far_from_the_district_written_with_it_is_a_namesake(g, district, kept):
    sentence = f"Two farmers were beaten in Baghauni village, {district} district, on Friday."
    found = {p.text for p in find_places(sentence, gazetteer=g)}
    assert ("Baghauni" in found) is kept and district in found


def test_no_village_takes_the_name_of_a_lake_a_region_or_a_country(g):
    # a village list's "LakeChad" (one word) would stand for Lake Chad wherever it is written
    for name in ("Lake Chad", "Nigeria", "Borno", "Kano"):
        entries = g.lookup(name_key(name))
        kept = [e for e in entries if g.sources[e].startswith(("osm:", "indiapost:", "katottg:"))]
        assert not [e for e in kept if any(g.features[o] not in ("city", "capital", "admin2") for o in entries)]


@pytest.mark.parametrize("sentence,written,name,code,seat", [
    # divisions created or renamed since GeoNames' town table named them, found by their seats
    ("Militiamen attacked a village in Ituri province on Monday.", "Ituri province", "Ituri", "CD", (1.56, 30.25)),
    ("Miners rioted near Kolwezi, Lualaba, on Friday.", "Lualaba", "Lualaba", "CD", (-10.72, 25.47)),
    ("Rebels clashed with soldiers in Tanganyika province.", "Tanganyika province", "Tanganyika", "CD",
     (-5.95, 29.19)),
    ("Traders closed their shops in Bono East Region on Tuesday.", "Bono East Region", "Bono East", "GH",
     (7.58, -1.94)),
    ("Youths blocked a road in Sidama region overnight.", "Sidama region", "Sidama", "ET", (7.06, 38.48)),
])
def test_a_division_created_since_is_found_by_its_current_name(sentence, written, name, code, seat, g):
    (found,) = [p for p in find_places(sentence, gazetteer=g) if p.text == written]
    assert (found.name, found.country_code, found.feature) == (name, code, "admin1")
    assert great_circle((found.lat, found.lon), seat).km < 250  # its seat lies in it


def test_an_old_division_name_is_still_read(g):
    # the four provinces carved from Katanga keep the old name reachable (Natural Earth's Katanga)
    (found,) = find_places("Protests spread across Katanga on Monday.", gazetteer=g)
    assert (found.country_code, found.feature) == ("CD", "admin1")


def test_the_current_divisions_source_is_read_and_a_bad_row_named(tmp_path):
    from dashboard.geocoders.sources import admin1_current

    assert ("CD", "Bunia", "Ituri", []) in admin1_current()
    bad = tmp_path / "current.csv"
    bad.write_text("country_code,seat,name,aliases\nCD,Bunia,Ituri,\nCDX,,Nowhere,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"current.csv: row 3: a country code, a seat and a name"):
        admin1_current(bad)
