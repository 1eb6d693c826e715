"""Name keys join the spelling families of transliterated names, and the fallback finds them in text.

Pairs of the project's own: each says two spellings one reader would take for one place (or not).
"""
from __future__ import annotations

import pytest

from dashboard.geocoders.names import (cyrillic_family_key, family_key, name_key, one_edit_variants,
                                       transliteration_skeleton)
from dashboard.pipeline.places import find_places

SAME_FAMILY = [
    ("Deir Ezzor", "Deir ez-Zor"), ("Deir ez-Zor", "Dayr az Zawr"), ("Deir el-Zour", "Dayr az-Zawr"),
    ("Idleb", "Idlib"), ("Nasiriyah", "Nassiriya"), ("Tikrit", "Tekreet"), ("Mosul", "Mawsil"),
    ("al-Qaim", "Al Kaim"), ("Ras al-Ain", "Ras el Ayn"), ("Raqqah", "Raqqa"), ("Ar Raqqah", "Raqqa"),
    ("Qamishli", "Kamishli"), ("Shaddadi", "ash-Shaddadi"), ("Kobani", "Kobane"), ("Hasakah", "Hassakeh"),
    ("Dhi Qar", "Thi Qar"), ("Fallujah", "Faluja"), ("Ramadi", "ar-Ramadi"), ("Jalalabad", "Jelalabad"),
    ("Sirte", "Sirt"), ("Benghazi", "Bengazi"), ("Al Bab", "el-Bab"), ("Zawiya", "Zawiyah"),
    ("Shabwa", "Shabwah"), ("Bani Walid", "Beni Walid"), ("Kirkuk", "Kerkuk"),
    # a final h in any word, not only the last: "Hamrah Air Base" ~ "Hamra Air Base"
    ("Hamrah Air Base", "Hamra Air Base"), ("Tall Abyadh Road", "Tal Abyad Road"),
]
OTHER_FAMILIES = [
    ("Homs", "Hama"), ("Idlib", "Adana"), ("Mosul", "Misrata"), ("Raqqa", "Riyadh"), ("Deir ez-Zor", "Dara"),
    ("Tikrit", "Tartus"), ("Kirkuk", "Karak"[:4] + "bala"), ("Sirte", "Sinai"), ("Aden", "Amman"),
]


@pytest.mark.parametrize("one, other", SAME_FAMILY)
def test_spellings_of_one_name_share_a_family_key(one, other):
    assert family_key(one) == family_key(other)


@pytest.mark.parametrize("one, other", OTHER_FAMILIES)
def test_different_names_keep_different_family_keys(one, other):
    assert family_key(one) != family_key(other)


def test_name_key_keeps_only_letters_and_digits():
    assert name_key("Sheikh Maqsoud") == name_key("SHEIKH-MAQSOUD") == "sheikhmaqsoud"
    assert name_key("Ḩamāh") == "hamah"


def test_one_edit_variants_meet_within_one_edit():
    near, far = transliteration_skeleton("Tall Kayf"), transliteration_skeleton("Tel Keppe")
    assert near != far and one_edit_variants(near) & one_edit_variants(far)
    assert not one_edit_variants("mnbj") & one_edit_variants("hsk")


# (sentence, the name as written, GeoNames' name of the place it must resolve to, its country)
IN_TEXT = [
    ("Protesters gathered in Nassriya, in southern Iraq.", "Nassriya", "Nasiriyah", "IQ"),
    ("Shelling hit Deir Ezzor and Idleb in Syria.", "Deir Ezzor", "Deir ez-Zor", "SY"),
    ("Shelling hit Deir Ezzor and Idleb in Syria.", "Idleb", "Idlib", "SY"),
    ("A car bomb went off in Tekreet, Iraq, on Friday.", "Tekreet", "Tikrit", "IQ"),
    ("Clashes were reported in Tal Abyadh in northern Syria near Raqqa.", "Tal Abyadh", "Tal Abyad", "SY"),
]


@pytest.mark.parametrize("sentence, written, name, country", IN_TEXT)
def test_a_spelling_the_gazetteer_lacks_is_found_by_its_family(sentence, written, name, country):
    found = {p.text: p for p in find_places(sentence)}
    assert written in found, (sentence, list(found))
    assert (found[written].name, found[written].country_code) == (name, country)


@pytest.mark.parametrize("sentence, written, name", [
    # an unknown spelling with the kind of place after it: the gazetteer's "X Air Base" by its family
    ("Drones struck Al Watiyah airbase in western Libya on Tuesday.", "Al Watiyah airbase", "Al-Watiya Air Base"),
    ("Jets bombed the Al Watiya air base in western Libya.", "Al Watiya air base", "Al-Watiya Air Base"),
])
def test_a_variant_spelling_with_its_kind_word_is_found_by_its_family(sentence, written, name):
    found = {p.text: p for p in find_places(sentence)}
    assert found[written].name == name and found[written].country_code == "LY"


@pytest.mark.parametrize("sentence, written, name, point", [
    # a run whose words are places apart ("Khas", a town of another province) but which the gazetteer
    # holds whole in a spelling of its family is that one place
    ("Gunmen stopped a bus in Khas Urozgan on Sunday.", "Khas Urozgan", "Khas Uruzgan", (33.0, 66.69)),
    ("Troops entered Nawa-e Barakzayi district, Helmand, at dawn.", "Nawa-e Barakzayi", "Nawa-I- Barak Zayi",
     (31.34, 64.1)),
])
def test_a_run_held_whole_by_its_spelling_family_is_one_place(sentence, written, name, point):
    found = {p.text: p for p in find_places(sentence)}
    assert found[written].name == name and (round(found[written].lat, 2), round(found[written].lon, 2)) == point
    assert "Khas" not in found


def test_a_given_name_before_an_unknown_word_stays_a_person():
    assert [p.text for p in find_places("Al Watiyah spoke to reporters in Tripoli, Libya.")] == ["Tripoli", "Libya"]


def test_the_loose_fallback_needs_the_country_in_the_text():
    # The same spelling with no word of Syria around it is no place: the fallback is for the countries
    # the text is about.
    assert not [p for p in find_places("Tal Abyadh said the vote would go ahead.") if p.text == "Tal Abyadh"]


# Romanised from Ukrainian, Russian or Belarusian: the official Ukrainian spelling and the older or
# Russian-derived one a report may use
SAME_CYRILLIC_FAMILY = [
    ("Horlivka", "Gorlovka"), ("Kharkiv", "Kharkov"), ("Orikhove", "Orekhovo"), ("Vodiane", "Vodyanoye"),
    ("Pervomaisk", "Pervomaysk"), ("Yasynuvata", "Yasinovataya"), ("Zhytomyr", "Zhitomir"),
    ("Kamianka", "Kamyanka"), ("Mykolaiv", "Mykolayiv"), ("Novoselivka", "Novoselovka"),
    ("Shchastia", "Schastye"), ("Sievierodonetsk", "Severodonetsk"), ("Hirske", "Gorskoye"),
]
OTHER_CYRILLIC_FAMILIES = [
    ("Kharkiv", "Kherson"), ("Horlivka", "Hostomel"), ("Lozove", "Lazurne"),
    ("Zhytomyr", "Zaporizhzhia"), ("Sumy", "Siversk"), ("Bakhmut", "Brovary"),
]


@pytest.mark.parametrize("one, other", SAME_CYRILLIC_FAMILY)
def test_romanisations_of_one_cyrillic_name_share_a_key(one, other):
    assert cyrillic_family_key(one) == cyrillic_family_key(other)


@pytest.mark.parametrize("one, other", OTHER_CYRILLIC_FAMILIES)
def test_different_cyrillic_names_keep_different_keys(one, other):
    assert cyrillic_family_key(one) != cyrillic_family_key(other)


def test_a_russian_derived_spelling_is_found_where_the_text_is_about_ukraine():
    found = {p.text: p for p in find_places("Shelling was reported near Dolomytne, in Donetsk region.")}
    assert (found["Dolomytne"].name, found["Dolomytne"].country_code) == ("Dolomitne", "UA")
    assert (round(found["Dolomytne"].lat, 2), round(found["Dolomytne"].lon, 2)) == (48.43, 38.22)
    # The same spelling in a text about somewhere else is no place
    assert "Dolomytne" not in {p.text for p in find_places("Dolomytne, the band from Lagos, played in Accra.")}


def test_a_variant_spelling_alone_is_tentative_and_makes_no_event_by_itself():
    (place,) = [p for p in find_places("Explosions were heard near Dolomytne overnight.") if p.text == "Dolomytne"]
    assert place.tentative and place.country_code == "UA"


def test_the_cyrillic_families_never_meet_an_arabic_family():
    # Somali writes ʿayn as "c" ("Ceelbuur", "Caluula"): the Arabic family of such a name starts with
    # "c", and a Cyrillic lookup of the rest of it must still find only Ukrainian, Russian or Belarusian
    # places.
    from dashboard.geocoders.gazetteer import load_gazetteer
    from dashboard.geocoders.names import CYRILLIC_COUNTRIES

    g = load_gazetteer()
    arabic = [key for key in g.families if key.startswith("c")]
    assert arabic
    for key in arabic:
        assert all(g.country_codes[e] in CYRILLIC_COUNTRIES for e in g.lookup_cyrillic_family(key[1:])), key


def test_a_name_alone_whose_family_is_somali_is_read_without_error():
    # A Somali village's spelling without its "C", in a text naming nothing else: no Cyrillic reading
    # of it, no error, no tentative place.
    places = find_places("Three herders were shot dead in Eelbuur on Sunday, elders said.")
    assert not [p for p in places if p.tentative]


def test_a_spelling_whose_namesakes_lie_in_other_provinces_is_read_in_its_province():
    # The gazetteer's "Vodyane" spellings are in Lviv and Zaporizhzhia; Mykolaiv's village is spelt "Vodiane"
    for sentence in ("Grain stores burned near Vodyane, Mykolaiv, on Tuesday.",
                     "Grain stores burned near Vodyane, Mykolaiv Oblast, on Tuesday."):
        found = {p.text: p for p in find_places(sentence)}
        place = found["Vodyane"]
        assert (place.name, place.country_code, round(place.lat, 2), round(place.lon, 2)) == \
            ("Vodiane", "UA", 47.71, 31.89), sentence


# An Indian or Pakistani state's abbreviation after a town: (sentence, town, its point, the state's
# mention or None)
STATE_ABBREVIATIONS = [
    ("Workers protested in Salem (TN) over wages.", "Salem", (11.65, 78.16), "Tamil Nadu"),
    ("Fishermen protested in Nellore, AP on Sunday.", "Nellore", (14.45, 79.99), "Andhra Pradesh"),
    ("Police dispersed traders in Bannu (KPK) on Friday.", "Bannu", (32.99, 70.6), "Khyber Pakhtunkhwa"),
    ("A shell hit a house in Kotli (AJK) at dawn.", "Kotli", (33.52, 73.9), "Azad Kashmir"),
    ("Sales rose in Leeds, GB, and York.", "Leeds", (53.8, -1.55), None),
    ("BAGHDAD (AP) - A bomb killed five people in a market.", "BAGHDAD", (33.34, 44.4), None),
    ("Protesters met Jane Doe (MP) in Leeds.", "Leeds", (53.8, -1.55), None),
    # Canada's provinces, AP style and postal ("Nelson" alone is the New Zealand city)
    ("Loggers marched in Nelson, B.C., on Sunday.", "Nelson", (49.5, -117.29), "British Columbia"),
    ("A new clinic opened in Kingston, Ont., this week.", "Kingston", (44.23, -76.48), "Ontario"),
    ("Volunteers cleared trails near Nelson, BC, on Saturday.", "Nelson", (49.5, -117.29), "British Columbia"),
]


@pytest.mark.parametrize("sentence, town, point, state", STATE_ABBREVIATIONS)
def test_a_state_abbreviation_counts_only_after_a_town_of_that_state(sentence, town, point, state):
    found = {p.text: p for p in find_places(sentence)}
    assert (round(found[town].lat, 2), round(found[town].lon, 2)) == point
    states = [p.name for p in found.values() if p.feature == "admin1"]
    assert states == ([state] if state else [])
