"""The collection decides the namesakes one article leaves open (pipeline/theatre.py): in extract and in
build, on the real gazetteer, with sentences of our own."""
import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard.pipeline.theatre import MIN_ARTICLES, Theatre, settle
from dashboard.records import Event, PlaceCandidate
from dashboard.store.build import build_store
from dashboard.store.generations import event_from_json, event_to_json, read_events

ROOT = Path(__file__).resolve().parent.parent
# Svitlodarsk, and the village of Lozove whose community has its centre there (of fourteen Lozoves)
SVITLODARSK = (48.4337, 38.22)
LOZOVE_ALONE = "On 4 May 2020, mortar fire was heard near Lozove."
# a spelling the gazetteer lacks (it has "Dolomitne", at the same community centre), in a text naming nothing else
DOLOMYTNE_ALONE = "On 6 May 2020, explosions were heard near Dolomytne."
FRONT = ["On {} May 2020, shelling damaged two houses in Svitlodarsk.",
         "On {} May 2020, a drone struck a fuel depot outside Svitlodarsk.",
         "On {} May 2020, two soldiers were wounded by sniper fire in Svitlodarsk.",
         "On {} May 2020, artillery hit a school in Svitlodarsk.",
         "On {} May 2020, a mine exploded on a road near Svitlodarsk.",
         "On {} May 2020, a water station in Svitlodarsk was shelled."]


def _articles(extra):
    front = [{"id": f"front{i}", "text": t.format(i + 1), "published": "2020-05-09"} for i, t in enumerate(FRONT)]
    return front + [{"id": f"x{i}", "text": t, "published": "2020-05-09"} for i, t in enumerate(extra)]


def _extract(articles, *options):
    proc = subprocess.run([sys.executable, "-m", "dashboard", "extract", "--stdin-jsonl", *options],
                          input="".join(json.dumps(a) + "\n" for a in articles), capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {d["id"]: d for d in map(json.loads, proc.stdout.splitlines())}


def _near(lat, lon, point, km=10.0):
    return abs(lat - point[0]) * 111 < km and abs(lon - point[1]) * 74 < km


@pytest.fixture(scope="module")
def batch():
    return _extract(_articles([LOZOVE_ALONE, "On 5 May 2020, shelling hit Orikhove, Luhansk region.",
                               DOLOMYTNE_ALONE]))


def test_a_village_the_text_leaves_open_goes_where_the_collection_happens(batch):
    doc = batch["x0"]
    (event,) = doc["events"]
    assert event["place"] == "Lozove" and _near(event["lat"], event["lon"], SVITLODARSK), event
    (place,) = [p for p in doc["places"] if p["text"] == "Lozove"]
    assert (place["lat"], place["lon"]) == (event["lat"], event["lon"])  # the mention moves with its event


def test_each_article_alone_keeps_the_texts_own_choice(batch):
    alone = _extract([{"id": "x0", "text": LOZOVE_ALONE, "published": "2020-05-09"}])["x0"]
    (event,) = alone["events"]
    assert event["place"] == "Lozove" and not _near(event["lat"], event["lon"], SVITLODARSK, km=100)
    streamed = _extract(_articles([LOZOVE_ALONE]), "--each-alone")["x0"]
    assert streamed["events"][0]["lat"] == event["lat"]  # --each-alone: no document decides for another
    assert batch["x0"]["events"][0]["id"] == event["id"]  # the id stays the one the text gave


def test_a_place_the_text_decided_is_not_moved(batch):
    # "Orikhove, Luhansk region": the qualifier leaves only Luhansk's Orikhoves; the collection's towns
    # lie in Donetsk region and cannot pull it there
    (event,) = batch["x1"]["events"]
    assert event["place"] == "Orikhove" and event["lat"] > 48.1 and event["lon"] > 38.4, event
    for doc in (batch[f"front{i}"] for i in range(len(FRONT))):  # and the settled towns stay where they are
        assert all(_near(e["lat"], e["lon"], SVITLODARSK) for e in doc["events"]), doc["events"]


def test_a_variant_spelling_alone_stands_only_where_the_collection_happens(batch):
    (event,) = batch["x2"]["events"]
    assert event["place"] == "Dolomitne" and _near(event["lat"], event["lon"], SVITLODARSK), event
    assert [p["name"] for p in batch["x2"]["places"]] == ["Dolomitne"]
    alone = _extract([{"id": "x2", "text": DOLOMYTNE_ALONE, "published": "2020-05-09"}])["x2"]
    assert alone["events"] == [] and alone["places"] == []  # alone, nothing confirms it
    elsewhere = _extract([{"id": f"w{i}", "text": f"On {i + 1} May 2020, a bomb exploded in Mogadishu.",
                           "published": "2020-05-09"} for i in range(6)]
                         + [{"id": "x2", "text": DOLOMYTNE_ALONE, "published": "2020-05-09"}])["x2"]
    assert elsewhere["events"] == []  # a collection about Somalia does not confirm a Ukrainian village


def _event(article, lat, lon, namesakes=()):
    return Event(id=article, start_date=dt.date(2020, 5, 1), end_date=dt.date(2020, 5, 1), time_precision="day",
                 lat=lat, lon=lon, place="P", place_precision="city", country_code="UA", event_type="attack",
                 fatalities=None, sentence="s", start=0, end=1, sources=(article,), provenance=(), confidence=0.5,
                 feature="city", namesakes=tuple(PlaceCandidate("P", a, b, "UA", "city", None) for a, b in namesakes))


def test_the_collection_decides_only_when_it_is_clear():
    open_one = _event("open", 46.0, 30.0, namesakes=[(48.4, 38.2), (47.0, 35.0)])
    settled = [_event(f"a{i}", 48.41, 38.21) for i in range(MIN_ARTICLES)]
    (moved,) = settle([open_one], Theatre.of(settled))
    assert (moved.lat, moved.lon, moved.id) == (48.4, 38.2, "open")
    assert {(c.lat, c.lon) for c in moved.namesakes} == {(46.0, 30.0), (47.0, 35.0)}  # the others stay listed
    # one article short, or as many near another namesake: the text's own choice stands
    assert settle([open_one], Theatre.of(settled[1:])) == [open_one]
    rival = [_event(f"b{i}", 47.01, 35.01) for i in range(MIN_ARTICLES)]
    assert settle([open_one], Theatre.of(settled + rival)) == [open_one]
    # articles count, not events: one article's many events are one witness
    many = [_event("same", 48.41, 38.21) for _ in range(3 * MIN_ARTICLES)]
    assert settle([open_one], Theatre.of(many)) == [open_one]
    # events whose own place was left open are no witnesses
    assert settle([open_one], Theatre.of([open_one] * 10)) == [open_one]
    # a tentative place: kept where MIN_ARTICLES articles settle places in its cell, else dropped, and
    # always dropped with no collection at all
    unsure = replace(_event("unsure", 48.42, 38.22), tentative=True)
    assert [e.tentative for e in settle([unsure], Theatre.of(settled))] == [False]
    assert settle([unsure], Theatre.of(settled[1:])) == [] and settle([unsure], None) == []


def test_namesakes_survive_the_build_cache():
    event = replace(_event("open", 46.0, 30.0, namesakes=[(48.4, 38.2)]), tentative=True)
    again = event_from_json(json.loads(json.dumps(event_to_json(event))))
    assert again.namesakes == event.namesakes and again.lat == event.lat and again.tentative


def test_build_decides_as_extract_does(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for a in _articles([LOZOVE_ALONE, DOLOMYTNE_ALONE]):
        (corpus / f"{a['id']}.txt").write_text(a["text"] + "\n", encoding="utf-8")
    build_store(corpus, tmp_path / "store", progress=False)
    events = read_events(tmp_path / "store")
    (lozove,) = [e for e in events if e.place == "Lozove"]
    (dolomitne,) = [e for e in events if e.place == "Dolomitne"]
    assert _near(lozove.lat, lozove.lon, SVITLODARSK) and _near(dolomitne.lat, dolomitne.lon, SVITLODARSK)
    assert not dolomitne.tentative


# An Arabic spelling the gazetteer lacks ("Ghariyan"), whose family holds Gharyan in Libya, two Al Qurayns
# and Kairouan (a city, known by its own spelling: no reading of it), in a text that names nothing else
GHARIYAN_ALONE = "On 6 May 2020, shells fell in Ghariyan."
GHARYAN = (32.17, 13.02)
TARHUNA_FRONT = ["On {} May 2020, shelling hit a market in Tarhuna.", "On {} May 2020, a drone struck a depot in Tarhuna.",
                 "On {} May 2020, two fighters were killed in clashes in Tarhuna.",
                 "On {} May 2020, artillery hit a school in Tarhuna.", "On {} May 2020, a mine exploded in Tarhuna.",
                 "On {} May 2020, a clinic in Tarhuna was shelled."]


def test_a_variant_spelling_alone_goes_to_the_namesake_in_whose_region_the_collection_happens():
    front = [{"id": f"t{i}", "text": t.format(i + 1), "published": "2020-05-09"} for i, t in enumerate(TARHUNA_FRONT)]
    doc = _extract(front + [{"id": "g", "text": GHARIYAN_ALONE, "published": "2020-05-09"}])["g"]
    (event,) = doc["events"]
    assert event["place"] == "Gharyan" and _near(event["lat"], event["lon"], GHARYAN), event  # 65 km from Tarhuna
    assert [(p["name"], p["lat"], p["lon"]) for p in doc["places"]] == [("Gharyan", event["lat"], event["lon"])]
    alone = _extract([{"id": "g", "text": GHARIYAN_ALONE, "published": "2020-05-09"}])["g"]
    assert alone["events"] == [] and alone["places"] == []


def test_a_tentative_place_moves_only_to_a_clear_region():
    unsure = replace(_event("unsure", 30.0, 30.0, namesakes=[(32.2, 13.0), (35.7, 10.1)]), tentative=True)
    region = [_event(f"a{i}", 32.45, 13.6) for i in range(MIN_ARTICLES)]  # 60 km from the namesake: its region
    (moved,) = settle([unsure], Theatre.of(region))
    assert (moved.lat, moved.lon, moved.tentative) == (32.2, 13.0, False)
    rival = [_event(f"b{i}", 35.8, 10.3) for i in range(MIN_ARTICLES)]
    assert settle([unsure], Theatre.of(region + rival)) == []  # two regions as busy: nothing is clear
    assert settle([unsure], Theatre.of(region[1:])) == []  # one article short


def _in(article, code, lat, lon, namesakes=()):
    return replace(_event(article, lat, lon), country_code=code, namesakes=tuple(
        PlaceCandidate("P", a, b, c, "city", None) for c, a, b in namesakes))


def test_a_namesake_in_a_country_the_collection_never_visits_yields_to_one_where_it_happens():
    # the text chose a namesake in a country where no article of the collection settles a place; the
    # collection's towns lie in another namesake's country, though in no namesake's cell
    open_one = _in("open", "YE", 14.9, 48.0, namesakes=[("SD", 13.5, 24.9), ("EG", 27.0, 31.0)])
    sudan = [_in(f"s{i}", "SD", 12.0 + i * 0.3, 25.0 + i * 0.4) for i in range(MIN_ARTICLES)]
    (moved,) = settle([open_one], Theatre.of(sudan))
    assert (moved.country_code, moved.lat, moved.lon) == ("SD", 13.5, 24.9)
    # one article short, one article in the chosen's own country, or as many in a rival's: it stays
    assert settle([open_one], Theatre.of(sudan[1:])) == [open_one]
    assert settle([open_one], Theatre.of(sudan + [_in("y", "YE", 15.3, 44.2)])) == [open_one]
    egypt = [_in(f"e{i}", "EG", 30.0 + i * 0.3, 31.0) for i in range(MIN_ARTICLES)]
    assert settle([open_one], Theatre.of(sudan + egypt)) == [open_one]


def test_extract_moves_an_open_name_to_the_collections_country():
    darfur = [{"id": f"d{i}", "text": f"On {i + 1} June 2016, gunmen attacked a market in {town}, Sudan.",
               "published": "2016-06-20"} for i, town in enumerate(["Nyala", "El Fasher", "Zalingei", "Geneina",
                                                                     "Kutum", "Kabkabiya"])]
    alone = {"id": "t", "text": "Gunmen beat and robbed farmers near Tawila on Monday.", "published": "2016-06-20"}
    (event,) = _extract(darfur + [alone])["t"]["events"]
    assert event["country_code"] == "SD", event
    assert _extract([alone])["t"]["events"][0]["country_code"] != "SD"  # alone, the text's own choice
