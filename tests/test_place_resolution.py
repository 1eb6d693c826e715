"""Which namesake a name resolves to, rule by rule: each example a sentence of our own with the exact point."""
from __future__ import annotations

import pytest
from geopy.distance import great_circle

from dashboard.pipeline.places import find_places, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def resolved(text, gazetteer):
    return {p.text: p for p in find_places(text, gazetteer=gazetteer)}


# (rule, sentence, mention, country, lat, lon): the point within 25 km
EXAMPLES = [
    # Names that lie together: of the many readings, the one another name of the text shares.
    ("together", "The fair drew families from Paris and the rest of Henry County.", "Paris", "US", 36.30, -88.33),
    ("together", "The fair drew families from Paris and the rest of Henry County.", "Henry County", "US", 36.30,
     -88.33),
    ("together", "Volunteers from Athens and Clarke County cleaned the river banks.", "Athens", "US", 33.96, -83.38),
    ("together", "Buses ran between Lebanon and Zionsville all week.", "Lebanon", "US", 40.05, -86.47),
    ("together", "Storms hit Dublin and Franklin County overnight.", "Dublin", "US", 40.10, -83.11),
    # Two big cities abroad stay themselves: their small namesakes near each other do not outweigh them.
    ("together", "The orchestra toured Paris and London in May.", "Paris", "FR", 48.85, 2.35),
    ("together", "The orchestra toured Paris and London in May.", "London", "GB", 51.51, -0.13),
    # A small town abroad that nothing else is near is no evidence: it does not pull its big namesake's
    # qualifier ("Donetsk") to a Russian Donetsk.
    ("alone-abroad", "Shells hit a farm near Shakhta, Donetsk.", "Donetsk", "UA", 48.02, 37.80),
    ("alone-abroad", "Rockets fell on Horlivka and in the area of Shakhta, Donetsk.", "Donetsk", "UA", 48.02, 37.80),
    # Known only by another spelling ("Svitlodarsk" for GeoNames' "Svetlodarsk"), a small town is kept
    # when the sentence says it is a place: after "near", or with "city".
    ("said-a-place", "Artillery fire was reported near Svitlodarsk overnight.", "Svitlodarsk", "UA", 48.43, 38.22),
    ("said-a-place", "Students rallied at Reasi city on Monday.", "Reasi", "IN", 33.08, 74.83),
    ("said-a-place", "Mortar rounds landed near Marinka at night.", "Marinka", "UA", 47.95, 37.51),
    # A name ending in -i that is the town itself ("Bolnisi", also spelled "Bolnis"), not a nisba.
    ("not-a-nisba", "Medics were attacked in Bolnisi on Tuesday.", "Bolnisi", "GE", 41.45, 44.54),
    # Names listed before a plural kind of area are each that kind of area.
    ("listed-areas", "Crews cleared roads in Walton and Oconee counties.", "Walton", "US", 33.73, -83.81),
    ("listed-areas", "Crews cleared roads in Walton and Oconee counties.", "Oconee counties", "US", 33.86, -83.53),
    ("listed-areas", "Schools closed in Becker, Clay, Douglas and Grant counties.", "Clay", "US", 46.77, -96.60),
    ("listed-areas", "Fighting spread across Raqqah and Deir Ezzor governorates.", "Raqqah", "SY", 35.90, 38.90),
    # "de la" inside a name: the whole name is the city.
    ("de-la", "Nurses marched in Santa Cruz de la Sierra on Tuesday.", "Santa Cruz de la Sierra", "BO", -17.79,
     -63.18),
    ("de-la", "In San Pedro de la Paz, Biobio, armed men opened fire.", "San Pedro de la Paz", "CL", -36.84, -73.10),
    # A country's name is the country, even where its capital is also called so ("Mexico" for Mexico City).
    ("country-name", "Schools closed across Mexico, and Mexico City emptied.", "Mexico", "MX", 23.0, -102.0),
    # The qualifier of a town that does not lie near its city reading is the state.
    ("qualifier-area", "A nurse from Buffalo, New York, was the first case.", "New York", "US", 43.02, -75.59),
    # A name listed among a country's states is a state.
    ("listed-with-areas", "Cases rose in Utah, Virginia and Washington.", "Washington", "US", 47.38, -120.41),
    # A big city known by a short form of its name is kept beside a place abroad.
    ("short-name", "The airline flies between New York and Moscow.", "New York", "US", 40.71, -74.01),
    # "X city": the towns called X too, not only the one the gazetteer also calls "X City".
    ("x-city", "Bus drivers went on strike in Hyderabad city (Hyderabad, TS) last week.", "Hyderabad city", "IN", 17.38,
     78.46),
    ("x-city", "Weavers protested in Salem city (Salem, TN) on Friday.", "Salem city", "IN", 11.65, 78.16),
    # The qualifier is read first: a village or district it qualifies does not pull it to the district's
    # namesake abroad, and a district abroad is not the one meant.
    ("qualifier-first", "A bomb went off in a farming village of Daman district, Kandahar, on Monday.",
     "Kandahar", "AF", 31.61, 65.71),
    # The qualifier is the area that holds its town ("Ropar (Punjab)": India's Punjab, not Pakistan's).
    ("qualifier-holds", "A protest was held in Rupnagar city (Punjab) on Friday.", "Punjab", "IN", 31.14, 75.68),
    ("qualifier-holds", "Protests spread in Lahore (Punjab) on Friday.", "Punjab", "PK", 31.44, 72.68),
    # A name that may be the same place ("Dublin City" beside "Dublin") is no witness for it.
    ("same-place", "The Dublin City Council met on Monday. Dublin officials and the Franklin County engineer "
     "agreed to repave the road.", "Dublin", "US", 40.10, -83.11),
    ("same-place", "Dublin City Council voted to close the quays; Dublin pubs stayed open.", "Dublin", "IE", 53.33,
     -6.25),
    # A qualifier is not called abroad by the names it qualifies ("Dessa, Tillabery": Tillabery is kept
    # though Dessa spells a town in Ethiopia).
    ("qualifier-first", "Gunmen attacked the village of Gaigorou (Dessa, Tillabery) at dawn.", "Tillabery", "NE",
     14.21, 1.45),
    # A district qualified by its province is the one there, not the big Indian city ("Ahmadabad district").
    ("qualifier-first", "An IED hit forces in Ahmadabad district, Paktia.", "Ahmadabad", "AF", 33.77, 69.34),
    # Alone, the best-known namesake.
    ("alone", "Volunteers from Athens cleaned the river banks.", "Athens", "GR", 37.98, 23.73),
]


@pytest.mark.parametrize("rule,text,mention,country,lat,lon", EXAMPLES,
                         ids=[f"{e[0]}:{e[2]}:{e[1][:30]}" for e in EXAMPLES])
def test_the_namesake_chosen(gazetteer, rule, text, mention, country, lat, lon):
    found = resolved(text, gazetteer)
    assert mention in found, (text, list(found))
    place = found[mention]
    assert place.country_code == country, (place.name, place.country_code, place.lat, place.lon)
    assert great_circle((place.lat, place.lon), (lat, lon)).km <= 25, (place.name, place.lat, place.lon)


@pytest.mark.parametrize("text,name", [
    ("Svitlodarsk Holdings reported higher profits.", "Svitlodarsk"),  # no place word: still a company
    ("The fighters of al-Baghdadi regrouped.", "al-Baghdadi"),  # a nisba: from Baghdad, not Baghdad
    ("Shells hit a farm near Shakhta, Donetsk.", "Shakhta"),  # a village abroad that nothing points to
    ("Cases of the Marburg virus were found in Uige.", "Marburg"),  # a disease's name
    ("A blackout hit Rio Claro, Lara state, for a day.", "Rio Claro"),  # Lara state holds no Rio Claro
])
def test_not_the_place(gazetteer, text, name):
    assert name not in resolved(text, gazetteer)


def test_a_listed_area_spans_its_name_and_is_an_area(gazetteer):
    found = resolved("Crews cleared roads in Walton and Oconee counties.", gazetteer)
    assert [(p.text, p.name, p.feature) for p in found.values()] == [
        ("Walton", "Walton County", "admin2"), ("Oconee counties", "Oconee County", "admin2")]
    assert "States" not in resolved("The United States and other states agreed.", gazetteer)


def test_the_second_of_two_bodies_is_no_location(gazetteer):
    found = resolved("The armies of India and Pakistan traded shots near Poonch.", gazetteer)
    assert (found["India"].role, found["Pakistan"].role, found["Poonch"].role) == (
        "organisation", "organisation", "location")
