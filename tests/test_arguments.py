"""Where an occurrence happened, on sentences of our own through the real pipeline (real gazetteer, real
date tagger): qualifier chains, lists, route ends, the scene a sentence opens on, namesakes the other
places of the sentence contradict, and the lead sentence's occurrence first."""
import pytest

from dashboard.pipeline.analysis import analyse
from dashboard.pipeline.arguments import _outlier
from dashboard.records import PlaceMention
from dashboard.store.corpus import article_from_text


def places_of(text, published="2019-03-06"):
    return [e.place for e in analyse(article_from_text("t", text, meta={"published": published})).events]


@pytest.mark.parametrize("text,expected", [
    # "X, Y": Y only says where X is; it is not a second dot
    ("On 3 May gunmen attacked a bakery in Hajin, Deir ez-Zor.", ["Hajīn"]),
    # "X, Y and Z" is a list: each is a place of the occurrence
    ("On 3 May gunmen attacked bakeries in Tikrit, Samarra and Baiji.", ["Tikrit", "Samarra", "Baiji"]),
    # a province followed by a town it does not hold is a village of that name: the town is what is known
    ("On 3 May, in Anbar, Kirkuk, militants burned a truck.", ["Kirkuk"]),
    # "in X's Y": the district of the town, where it lies within the town's reach
    ("On 1 May 2016, a bomber blew himself up at a mosque in Baghdad's Sadr City district.", ["Sadr City"]),
    # a facility in its town: the facility, whichever trigger of the sentence is nearer the town
    ("On 4 March 2016, the rebels held the Mezzeh Air Base in Damascus after a week of fighting.",
     ["Mezzeh Air Base"]),
    # "X, north of Y": Y only says where X is, for every occurrence of the sentence
    ("On 8 May 2021, gunmen attacked a checkpoint near Balad, north of Baghdad, killing two guards.", ["Balad"]),
    # the district of a village we do not know stands in for it: a place named later in the sentence does not
    ("On 3 May 2020, gunmen attacked a market in Kelvo (Kaga LGA, Borno) and a camp near Lake Chad.", ["Kaga"]),
])
def test_qualifier_chains_and_lists(text, expected):
    assert places_of(text) == expected


def test_the_first_end_of_a_road_is_not_the_place():
    assert places_of("Gunmen ambushed a convoy on the Kirkuk-Tikrit highway near Baiji on Monday.") == ["Baiji"]


@pytest.mark.parametrize("text", [
    "On 3 May, in the old quarter of Mosul, gunmen shot a shopkeeper in Springfield.",
    "On 3 May, in the old quarter of Mosul, gunmen shot a shopkeeper on Springfield street.",
])
def test_the_town_a_sentence_opens_on_wins_over_a_far_namesake(text):
    assert places_of(text) == ["Mosul"]


def test_an_area_of_the_town_named_first_still_opens_on_the_town():
    text = "On 3 May, in Zahra village (Tikrit, Salahuddin), gunmen shot a shopkeeper near Springfield."
    assert places_of(text) == ["Tikrit"]


def test_a_namesake_far_from_a_town_and_its_province_is_not_chosen():
    # Kirkuk and Kirkuk province agree; "Springfield" resolves on another continent
    assert places_of("On 3 May, prisoners rioted in a jail in Springfield, Kirkuk (Kirkuk province).") == ["Kirkuk"]


def test_the_first_sentences_occurrence_leads_a_paragraph():
    text = ("Gunmen burned a bus in Kirkuk on Monday. There were two attacks in Diyala this year. "
            "The attacks in Diyala were claimed by no group.")
    assert places_of(text)[0] == "Kirkuk"


def test_where_people_come_from_is_not_where_it_happened():
    text = "On 4 May, gunmen shot and killed five merchants from Diyala as they drove toward Samarra in the Tikrit district."
    assert "Diyala" not in places_of(text)


def test_a_town_after_a_name_we_do_not_know_is_the_place_not_its_qualifier():
    # "Zahra Village" is no place we know: Tikrit is the most specific place; Samarra only qualifies it
    assert places_of("On 4 May, women demonstrated at Zahra Village in Tikrit (City of Samarra, Salahuddin), "
                     "demanding water.") == ["Tikrit"]


def test_a_telling_without_a_place_keeps_its_paragraphs_town_when_it_joins_a_country_wide_telling():
    text = ("On 3 May, in Tikrit, armed men landed from boats. Troops clashed with them and killed four. "
            "The clashes in Iraq left eight dead.")
    assert places_of(text) == ["Tikrit"]


def test_a_drug_seizure_is_an_occurrence():
    assert places_of("On 4 May, police discovered two tonnes of cannabis in a truck in Tikrit.") == ["Tikrit"]


@pytest.mark.parametrize("text,expected", [
    ("Militants shelled army posts on the Kirkuk-Erbil front line near Dibis.", ["Dibis"]),
    ("On 4 May, drivers held a protest at the Kirkuk-Tikrit stretch of the highway near Dibis.", ["Dibis"]),
    # with no other place, the ends of the line are all there is
    ("Troops carried out operations along the Tikrit-Baiji axis, leaving six militants dead.", ["Tikrit"]),
])
def test_the_ends_of_a_front_or_a_border_give_way_to_another_place(text, expected):
    assert places_of(text) == expected


@pytest.mark.parametrize("text", [
    # a country the town is not in, named later in the sentence, is not where it happened
    "On 4 May, in Rutba, drivers stopped their lorries on the highway to protest against the customs officers of Jordan.",
    "On 4 May, around Rutba (Anbar), drivers partially blocked the highway that heads to the border, to protest "
    "against the customs officers of Jordan.",
])
def test_the_opening_town_wins_over_a_country_that_does_not_hold_it(text):
    got = places_of(text)
    assert len(got) == 1 and "Jordan" not in got


def test_a_direction_before_the_trigger_belongs_to_another_verb():
    text = "On 4 May, at least 300 migrants, hoping to travel to Baghdad, blocked the road at Zahra village (Tikrit), demanding buses."
    assert places_of(text) == ["Tikrit"]


def test_an_arrival_happens_where_it_ends_not_where_it_began():
    assert places_of("On 4 May, 180 families arrived from Mosul at the camp near Tikrit.") == ["Tikrit"]
    # a flight is told from where it began
    assert places_of("On 4 May, 180 families fled from Mosul to the camp near Tikrit.") == ["Mosul"]


def test_where_a_road_leads_is_not_where_it_happened():
    assert places_of("On 3 May, in Kirkuk, two men were found dead on the road towards Dibis.") == ["Kirkuk"]
    # with no other place, the road's destination is all the sentence says
    assert places_of("On 3 May, gunmen ambushed a truck on the road to Samarra.") == ["Samarra"]


def test_a_place_named_twice_is_not_an_outlier():
    # Farpoint lies far from Townsville and the province that holds it; named once it is a suspect namesake,
    # named twice ("Farpoint city (Farpoint") it is a place the sentence insists on
    def place(name, start, lat, lon, precision="city"):
        return PlaceMention(name, start, start + len(name), name, lat, lon, "XX", "town", None, precision)
    town, province = place("Townsville", 100, 10.0, 10.0), place("Upland", 120, 10.3, 10.2, "admin")
    far, far_again = place("Farpoint", 10, 20.0, 20.0), place("Farpoint", 30, 20.0, 20.0)
    assert _outlier(far, [far, town, province])
    assert not _outlier(far, [far, far_again, town, province])


def test_a_country_that_did_it_is_not_the_scene_of_a_sentence_without_a_place():
    # "a U.S. airstrike": the United States struck; the sentence names no place where, so it makes no dot
    assert places_of("The commander died last spring in a U.S. airstrike, and his aides have hidden in the hills "
                     "ever since.") == []


@pytest.mark.parametrize("text", [
    "Amid protests in Kirkuk, gunmen attacked a bus near Tikrit on Monday.",
    "In a week of clashes around Mosul, militants stormed a checkpoint near Tikrit on Monday.",
])
def test_the_main_clause_leads_its_opening_phrase(text):
    assert places_of(text)[0] == "Tikrit"


def test_a_district_is_where_it_happened_not_the_town_that_says_where_the_district_is():
    # Zhari is a district ("admin2"); "Kandahar" after it names its province, resolved to the province's capital
    assert places_of("On 2 May, a bomb wounded two farmers in Zhari district, Kandahar.") == ["Zhari"]
    # the province named in parentheses after the district says where the district is
    assert places_of("On 2 May, a roadside bomb killed two farmers in Zhari (Kandahar).") == ["Zhari"]


def test_a_facility_named_after_a_town_is_where_the_text_says_it_is():
    assert places_of("On 2 May 2020, gunmen attacked the Nairobi Hospital in Kisumu.") == ["Kisumu"]
    assert places_of("On 2 May 2020, gunmen attacked the Uitenhage Provincial Hospital.") == ["Kariega"]
