"""Where an occurrence happened, on sentences of our own through the real pipeline (real gazetteer, real
date tagger): qualifier chains, lists, route ends, the scene a sentence opens on, namesakes the other
places of the sentence contradict, and the lead sentence's occurrence first."""
import pytest

from dashboard.pipeline.analysis import analyse
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
