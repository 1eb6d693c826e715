"""Place names in the casing of posts: lower case and shouted, on sentences of our own. A well-known
place is read in any casing, at the very point its capitalised name gives; ordinary words, acronyms,
handles and addresses are not places."""
from __future__ import annotations

import pytest

from dashboard.pipeline.places import find_places, load_gazetteer
from dashboard.pipeline.places.casing import shouted_place


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def located(text, gazetteer):
    return [(p.text, p.name, p.country_code, round(p.lat, 4), round(p.lon, 4))
            for p in find_places(text, gazetteer=gazetteer) if p.role == "location"]


def point_of(name, gazetteer):
    """Where the same place lies when its name is written capitalised in a plain sentence."""
    (found,) = [p for p in find_places(f"The convoy reached {name} at dawn.", gazetteer=gazetteer)]
    return found.name, found.country_code, round(found.lat, 4), round(found.lon, 4)


@pytest.mark.parametrize("text,written,capitalised", [
    ("heavy shelling in east mosul tonight, stay safe", "mosul", "Mosul"),
    ("convoy stuck on the road to kirkuk since morning", "kirkuk", "Kirkuk"),
    ("drones over #idlib again, nobody is sleeping", "idlib", "Idlib"),
    ("my cousin just left raqqa with the kids", "raqqa", "Raqqa"),
    ("power is out across beirut and the port is burning", "beirut", "Beirut"),
    ("Rockets landed near the airport in downtown BAGHDAD this morning.", "BAGHDAD", "Baghdad"),
    ("URGENT: explosions heard across ALEPPO, ambulances everywhere", "ALEPPO", "Aleppo"),
])
def test_a_well_known_place_in_lower_case_or_capitals_is_the_same_point(text, written, capitalised, gazetteer):
    hits = [hit for hit in located(text, gazetteer) if hit[0] == written]
    assert [hit[1:] for hit in hits] == [point_of(capitalised, gazetteer)]


@pytest.mark.parametrize("text", [
    "we cooked a turkey and went for a walk by the rivers",
    "it was a nice day for reading in the bath",
    "the tours were split between two lakes and the springs",
    "a man's job is to deal with the store's stock",
    "winds from the north-east hit the north-central plains",
    "follow @mosul_updates and visit aleppo-news.example.org/raqqa for updates",
    "The MOCA exhibition opened on Friday.",  # a short acronym
    "SANA reported that the ministry had met.",  # a news agency, also another name of Sanaa
    "KAZAKH herders moved the flocks.",  # only an alternate GeoNames name of a town
])
def test_ordinary_words_acronyms_and_handles_are_not_places(text, gazetteer):
    assert located(text, gazetteer) == []


def test_small_places_need_their_capitals(gazetteer):
    # "okay" is a village of 600 in Oklahoma: only a well-known place is read in lower case
    assert located("okay see you in a bit", gazetteer) == []
    assert located("The fair was held in Okay, Oklahoma.", gazetteer)[0][1:3] == ("Okay", "US")


def test_shouted_place_rules(gazetteer):
    from dashboard.geocoders.names import name_key

    def shouted(word):
        key = name_key(word)
        return shouted_place(gazetteer, word, key, gazetteer.lookup(key))

    assert shouted("MOSUL") and shouted("BEIRUT") and shouted("RAQQA")
    assert not shouted("GAZA")  # four letters: most such capitals are acronyms
    assert not shouted("READING") and not shouted("TURKEY")  # ordinary words
