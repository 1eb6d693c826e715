"""Longest name first and what a place name does in its sentence, on sentences of the project's own.

Each case: a sentence, the name as written, and what must come of it -- the role of the mention
(records.PlaceMention.role) and its country, or None when the words are no place at all.
"""
from __future__ import annotations

import pytest

from dashboard.pipeline.places import find_places

# (sentence, name as written, role or None for "not a place", country code when a place)
CASES = [
    # A run that goes on past a gazetteer name with words that are not place words is another name.
    ("Boko Haram gunmen burned a market near Maiduguri.", "Boko", None, None),
    ("Boko Haram gunmen burned a market near Maiduguri.", "Haram", None, None),
    ("Boko Haram gunmen burned a market near Maiduguri.", "Maiduguri", "location", "NG"),
    ("The band played at the Stade de France last night.", "Stade", None, None),
    ("Her family moved to Auckland Park in Johannesburg.", "Auckland", None, None),
    ("Drones struck Jabal al-Zawiya south of Idlib.", "Zawiya", None, None),
    ("Drones struck Jabal al-Zawiya south of Idlib.", "Idlib", "location", "SY"),
    ("The cavalry crossed at Morton's Ford before dawn.", "Morton", None, None),
    # ... after "of" too: the name after it begins there ("University of Zambia"), so its first words count
    ("Troops cleared Kukawa of Boko Haram on Sunday.", "Haram", None, None),
    ("A unit of Boko Haram fighters was seen near Bama.", "Haram", None, None),
    ("Officials at the University of Zambia closed the campus.", "Zambia", "location", "ZM"),
    # "cleared X of Y": the verb takes the place, and after "of" what was driven out of it
    ("Troops cleared Kukawa of Boko Haram on Sunday.", "Kukawa", "location", "NG"),
    ("The army purged Damasak of the insurgents.", "Damasak", "location", "NG"),
    ("Gunmen shot a farmer in Lumbishi (Kalehe, Sud-Kivu) overnight.", "Sud-Kivu", "location", "CD"),  # whole, not "Sud"
    # ... but a kind-of-place word, a second place or Title Case keep it.
    ("Engineers inspected the Mosul Dam on Tuesday.", "Mosul Dam", "location", "IQ"),
    ("Militias attacked farms in Sabuwa LGA in Katsina.", "Katsina", "location", "NG"),
    # a kind of place after a name that is also a given name, an acronym kind among them: the area
    ("Bandits raided a village in Rafi LGA on Monday.", "Rafi", "location", "NG"),
    ("Rafi said the village had been raided.", "Rafi", None, None),
    ("Artillery hit the Homs-Hama-Idlib Corridor again.", "Hama", "location", "SY"),
    ("Artillery hit the Homs-Hama-Idlib Corridor again.", "Idlib", "location", "SY"),
    ("Iraq Says It Will Retake Mosul", "Mosul", "location", "IQ"),
    ("Shells fell in Mogadishu-Hodan district overnight.", "Mogadishu", "location", "SO"),
    # Roles: a place inside an organisation, currency, comparison, nationality or title.
    ("A man was arrested by Leeds Police on Friday.", "Leeds", "organisation", "GB"),
    ("Nurses marched outside Kabul University in the rain.", "Kabul", "organisation", "AF"),
    ("The Ohio Department of Transportation closed a bridge.", "Ohio Department", "organisation", "US"),
    ("Traders in Beirut sold goods against the US dollar.", "US", "currency", "US"),
    ("Traders in Beirut sold goods against the US dollar.", "Beirut", "location", "LB"),
    ("Wages are paid in Egyptian pounds in Aswan.", "Egyptian", "nationality", "EG"),
    ("The fire burned an area the size of Belgium in Siberia.", "Belgium", "comparison", "BE"),
    ("The flooded plain is larger than Wales, officials said.", "Wales", "comparison", "GB"),
    ("The military forces of Armenia shelled a post near Tovuz.", "Armenia", "organisation", "AM"),
    ("The military forces of Armenia shelled a post near Tovuz.", "Tovuz", "location", "AZ"),
    ("US-led aircraft bombed a bridge in Raqqa.", "US", "organisation", "US"),
    ("Russian troops shelled the outskirts of Kharkiv.", "Russian", "nationality", "RU"),
    ("Russian troops shelled the outskirts of Kharkiv.", "Kharkiv", "location", "UA"),
    ("Patrols moved along the Syrian border at dawn.", "Syrian", "location", "SY"),
    ("Nigerian President Tinubu flew to Abuja.", "Nigerian", "title", "NG"),
    ("Texas Governor Greg Abbott spoke in El Paso.", "Texas", "title", "US"),
    ("Iraq's president met Turkey's army chief in Ankara.", "Iraq", "title", "IQ"),
    ("Iraq's president met Turkey's army chief in Ankara.", "Turkey", "organisation", "TR"),
    ("The Governor of Kirkuk visited Baghdad.", "Kirkuk", "title", "IQ"),
    ("The CBC Toronto newsroom was evacuated.", "Toronto", "organisation", "CA"),
]


@pytest.mark.parametrize("sentence, written, role, country", CASES)
def test_what_a_place_name_does_in_its_sentence(sentence, written, role, country):
    found = {p.text: p for p in find_places(sentence)}
    if role is None:
        assert not any(written in text for text in found), (sentence, list(found))
        return
    assert written in found, (sentence, list(found))
    assert (found[written].role, found[written].country_code) == (role, country)


@pytest.mark.parametrize("text,roles", [
    ("Journalists protested outside a newspaper office on Murree road in Rawalpindi.",
     [("Murree", "route"), ("Rawalpindi", "location")]),
    ("Gunmen stopped a bus on the Kirkuk highway near Tikrit.", [("Kirkuk", "route"), ("Tikrit", "location")]),
    ("The convoy reached Kirkuk by road.", [("Kirkuk", "location")]),
    ("Workers staged a protest near the Kisumu bypass in Kakamega.", [("Kisumu", "route"), ("Kakamega", "location")]),
])
def test_a_road_named_after_a_town_is_not_the_town(text, roles):
    assert [(p.text, p.role) for p in find_places(text)] == roles
