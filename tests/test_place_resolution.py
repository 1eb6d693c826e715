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
    ("together", "The fair drew families from Paris and the rest of Bourbon County.", "Paris", "US", 38.21, -84.25),
    ("together", "The fair drew families from Paris and the rest of Bourbon County.", "Bourbon County", "US", 38.21,
     -84.25),
    ("together", "Volunteers from Athens and Limestone County cleaned the river banks.", "Athens", "US", 34.80,
     -86.97),
    ("together", "Buses ran between Lebanon and Mount Juliet all week.", "Lebanon", "US", 36.21, -86.29),
    ("together", "Storms hit Dublin and Laurens County overnight.", "Dublin", "US", 32.54, -82.90),
    # Two big cities abroad stay themselves: their small namesakes near each other do not outweigh them.
    ("together", "The orchestra toured Paris and London in May.", "Paris", "FR", 48.85, 2.35),
    ("together", "The orchestra toured Paris and London in May.", "London", "GB", 51.51, -0.13),
    # A small town abroad that nothing else is near is no evidence: it does not pull its big namesake's
    # qualifier ("Donetsk") to a Russian Donetsk.
    ("alone-abroad", "Shells hit a farm near Pervomayka, Donetsk.", "Donetsk", "UA", 48.02, 37.80),
    ("alone-abroad", "Rockets fell on Kramatorsk and in the area of Pervomayka, Donetsk.", "Donetsk", "UA", 48.02,
     37.80),
    # Known only by another spelling ("Svitlodarsk" for GeoNames' "Svetlodarsk"), a small town is kept
    # when the sentence says it is a place: after "near", or with "city".
    ("said-a-place", "Artillery fire was reported near Sievierodonetsk overnight.", "Sievierodonetsk", "UA", 48.94,
     38.49),
    ("said-a-place", "Students rallied at Udhampur city on Monday.", "Udhampur", "IN", 32.92, 75.14),
    ("said-a-place", "Mortar rounds landed near Lydia at night.", "Lydia", "US", 29.92, -91.78),
    # A name ending in -i that is the town itself ("Bolnisi", also spelled "Bolnis"), not a nisba.
    ("not-a-nisba", "Medics were attacked in Zugdidi on Tuesday.", "Zugdidi", "GE", 42.51, 41.87),
    # Names listed before a plural kind of area are each that kind of area.
    ("listed-areas", "Crews cleared roads in Putnam and Pickett counties.", "Putnam", "US", 36.17, -85.58),
    ("listed-areas", "Crews cleared roads in Putnam and Pickett counties.", "Pickett counties", "US", 36.57, -85.13),
    ("listed-areas", "Schools closed in Wadena, Todd, Morrison and Benton counties.", "Todd", "US", 45.97, -94.87),
    ("listed-areas", "Fighting spread across Idlib and Hama governorates.", "Idlib", "SY", 35.80, 36.60),
    # "de la" inside a name: the whole name is the city.
    ("de-la", "Nurses marched in Villa de la Paz on Tuesday.", "Villa de la Paz", "MX", 23.68, -100.71),
    ("de-la", "In Ciudad de la Costa, armed men opened fire.", "Ciudad de la Costa", "UY", -34.81, -55.95),
    # A country's name is the country, even where its capital is also called so ("Mexico" for Mexico City).
    ("country-name", "Schools closed across Mexico, and Mexico City emptied.", "Mexico", "MX", 23.0, -102.0),
    # The qualifier of a town that does not lie near its city reading is the state.
    ("qualifier-area", "A nurse from Buffalo, New York, was the first case.", "New York", "US", 43.02, -75.59),
    # A name listed among a country's states is a state.
    ("listed-with-areas", "Cases rose in Utah, Virginia and Washington.", "Washington", "US", 47.38, -120.41),
    # A big city known by a short form of its name is kept beside a place abroad.
    ("short-name", "The airline flies between New York and Moscow.", "New York", "US", 40.71, -74.01),
    # "X city": the towns called X too, not only the one the gazetteer also calls "X City".
    ("x-city", "Traders protested in Carson city (Carson, California) on Friday.", "Carson city", "US", 33.83,
     -118.28),
    ("x-city", "Farmers marched in Dodge city (Dodge, Nebraska) on Friday.", "Dodge city", "US", 41.72, -96.88),
    # The qualifier is read first: a village or district it qualifies does not pull it to the district's
    # namesake abroad, and a district abroad is not the one meant.
    ("qualifier-first", "Two militants were killed in the Sangisar village of Panjwayi district, Kandahar.",
     "Kandahar", "AF", 31.61, 65.71),
    # The qualifier is the area that holds its town ("Ropar (Punjab)": India's Punjab, not Pakistan's).
    ("qualifier-holds", "A protest was held in Bathinda city (Punjab) on Friday.", "Punjab", "IN", 31.14, 75.68),
    ("qualifier-holds", "Protests spread in Multan (Punjab) on Friday.", "Punjab", "PK", 31.44, 72.68),
    # A name that may be the same place ("Dublin City" beside "Dublin") is no witness for it.
    ("same-place", "The Dublin City Council met on Monday. Dublin officials and the Laurens County engineer "
     "agreed to repave the road.", "Dublin", "US", 32.54, -82.90),
    ("same-place", "Dublin City Council voted to close the quays; Dublin pubs stayed open.", "Dublin", "IE", 53.33,
     -6.25),
    # A qualifier is not called abroad by the names it qualifies: Tillabery is kept beside a district and a
    # village of its own.
    ("qualifier-first", "Gunmen attacked the village of Toukounous (Ouallam, Tillabery) at dawn.", "Tillabery",
     "NE", 14.21, 1.45),
    # A district qualified by its province is the one there.
    ("qualifier-first", "An IED hit forces in Khoshi district, Logar.", "Khoshi", "AF", 34.00, 69.22),
    # A chain of qualifiers down from the province outweighs a famous namesake abroad.
    ("qualifier-chain", "Police broke up a rally in Boston (Lincolnshire, England).", "Boston", "GB", 52.98,
     -0.02),
    # A romanisation in lower case keeps its article: "an man" (Amman) does not make "Man" Amman.
    ("alone", "Teachers marched in Man on Monday.", "Man", "CI", 7.41, -7.55),
    # A district holds its division (that of its nearest town): "Niger" after a Nigerian LGA is the state,
    # whatever kind words stand between ("LGA", "town area").
    ("qualifier-holds", "Bandits raided a market in Mariga LGA (Niger) on Friday.", "Niger", "NG", 9.80, 5.61),
    ("qualifier-holds", "Bandits raided a market in Mariga LGA (Niger) on Friday.", "Mariga", "NG", 10.69, 5.81),
    ("qualifier-holds", "Bandits raided Mashegu town area (Niger) on Friday.", "Niger", "NG", 9.80, 5.61),
    # An adjective of nationality before a kind of area is the division named so, where there is one.
    ("division-by-people", "Clan clashes killed five in Degehabur zone (Somali region).", "Somali", "ET", 7.76,
     44.35),
    ("division-by-people", "Somali troops crossed the border on Monday.", "Somali", "SO", 6.0, 48.0),
    # The Persian "i" joins a name as "de" does ("Qala i Naw", "Mazar i Sharif").
    ("ezafe", "Shops closed in Qala i Naw on Monday.", "Qala i Naw", "AF", 34.99, 63.13),
    ("ezafe", "Fighting was reported near Mazar i Sharif on Monday.", "Mazar i Sharif", "AF", 36.71, 67.11),
    # A name of three letters is a place when a kind of place follows it.
    ("short-name-kind", "Indian troops returned fire at Uri sector in Kashmir on Monday.", "Uri", "IN", 34.09, 74.03),
    # "X countryside" is the province around the town, also with a side between ("Hama northern countryside").
    ("countryside", "Shelling hit villages in the Raqqa countryside on Monday.", "Raqqa", "SY", 36.18, 38.76),
    ("countryside", "Militias raided farms in the Hama northern countryside.", "Hama", "SY", 35.18, 36.73),
    ("countryside", "Shelling hit Raqqa on Monday.", "Raqqa", "SY", 35.95, 39.01),
    # A name the gazetteer holds whole is no nisba because its last word ends in -i.
    ("not-a-nisba", "Rockets hit Al Jabal al Gharbi overnight.", "Al Jabal al Gharbi", "LY", 31.81, 12.43),
    # Alone, the best-known namesake.
    ("alone", "Volunteers from Athens cleaned the river banks.", "Athens", "GR", 37.98, 23.73),
    # A qualifier of one country with the big city in it: the city ("Valencia, Couva" is not: see below).
    ("qualifier", "Gunmen shot a shopkeeper in Valencia, Carabobo, overnight.", "Valencia", "VE", 10.16, -68.00),
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
    ("Shells hit a farm near Pervomayka, Donetsk.", "Pervomayka"),  # a village abroad that nothing points to
    ("Cases of Lassa fever were found in Jos.", "Lassa"),  # a disease's name
    # two qualifiers of one country say the famous Windsor is not meant: the gazetteer lacks this one
    ("Gunmen killed two traders in Windsor (Kisii, Nyanza).", "Windsor"),
    # a town of the same country far from the district the writer names is not this one (the gazetteer
    # lacks it); only a city of 100,000 or more outweighs the qualifier
    ("Two men were shot in Una, Pratapgarh district, on Monday.", "Una"),
    # a chain through the city's own district ("Surat city (Surat, Gujarat)"): the far town is not this area
    ("Workers protested in Mehsana area of Surat city (Surat, Gujarat).", "Mehsana"),
    # a qualifier whose every reading lies in one country rules out even a big city abroad
    ("Gunmen shot a shopkeeper in Valencia, Couva, overnight.", "Valencia"),
    # a name said to be a district of a Nigerian state is no Peruvian region
    ("Gunmen raided Dagashla (Lima LGA, Borno) at night.", "Lima"),
])
def test_not_the_place(gazetteer, text, name):
    assert name not in resolved(text, gazetteer)


def test_a_listed_area_spans_its_name_and_is_an_area(gazetteer):
    found = resolved("Crews cleared roads in Putnam and Pickett counties.", gazetteer)
    assert [(p.text, p.name, p.feature) for p in found.values()] == [
        ("Putnam", "Putnam County", "admin2"), ("Pickett counties", "Pickett County", "admin2")]
    assert "States" not in resolved("The United States and other states agreed.", gazetteer)


def test_the_second_of_two_bodies_is_no_location(gazetteer):
    found = resolved("The armies of Armenia and Azerbaijan traded shots near Tavush.", gazetteer)
    assert (found["Armenia"].role, found["Azerbaijan"].role, found["Tavush"].role) == (
        "organisation", "organisation", "location")
