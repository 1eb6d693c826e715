"""Relating dates and places into events, on small real sentences (real date tagger, places placed by
hand at their exact offsets so that these tests pin the event rules alone)."""
import datetime as dt

from dashboard.pipeline.dates import parse_published, tag_dates
from dashboard.pipeline.document import make_document
from dashboard.pipeline.events import extract_events
from dashboard.records import Article, PlaceMention

D = dt.date.fromisoformat
GAZ = {  # name: (lat, lon, cc, precision, geonameid)
    "Raqqa": (35.95, 39.01, "SY", "city", 163915), "Syria": (35.0, 38.5, "SY", "country", 163843),
    "Al Shafah": (34.62, 40.82, "SY", "city", 1), "Iraq": (33.0, 43.7, "IQ", "country", 99237),
    "Euphrates River Valley": (34.8, 40.6, "", "region", None), "Baghdad": (33.34, 44.4, "IQ", "city", 98182),
    "Camp Bucca": (30.07, 47.75, "IQ", "point", None), "Basra": (30.51, 47.81, "IQ", "city", 99532),
    "Washington": (38.9, -77.04, "US", "city", 4140963), "Mosul": (36.34, 43.13, "IQ", "city", 99072),
    "Hasakah": (36.5, 40.75, "SY", "city", 173017),
}


def places_in(text):
    out = []
    for name, (lat, lon, cc, precision, gid) in GAZ.items():
        upper = text.upper()  # datelines are in capitals: "WASHINGTON —"
        start = upper.find(name.upper())
        while start >= 0:
            taken = any(p.start <= start < p.end for p in out)
            if not taken and not text[start + len(name):start + len(name) + 1].isalpha():
                out.append(PlaceMention(text[start:start + len(name)], start, start + len(name), name, lat, lon, cc, "city", gid, precision))
            start = upper.find(name.upper(), start + 1)
    return sorted(out, key=lambda p: p.start)


def events_of(text, published="2018-02-04"):
    article = Article(id="t", text=text, published=parse_published(published))
    doc = make_document(article)
    doc = doc.__class__(**{**doc.__dict__, "published": article.published})
    dates = tag_dates(doc.clean_text, doc.published, doc.sentence_spans)
    retag = lambda t, span: tag_dates(t, doc.published, [span])  # noqa: E731
    return extract_events(doc, dates, places_in(text), retag=retag)


def summary(events):
    return sorted((e.place, e.start_date.isoformat(), e.end_date.isoformat(), e.time_basis, e.place_basis)
                  for e in events)


def test_date_and_place_in_one_clause():
    text = ("Armed Reaper drones carried out a strike on Jan. 20 in Al Shafah, Syria, in the Euphrates River "
            "Valley, that killed about 150 fighters, the American military said.")
    got = summary(events_of(text))
    assert ("Al Shafah", "2018-01-20", "2018-01-20", "stated", "stated") in got
    assert all(start == "2018-01-20" for _, start, _, _, _ in got)


def test_which_fell_in_the_fall():
    text = "Islamic State fighters in Raqqa, the group’s self-proclaimed capital, which fell in the fall, fled."
    (event,) = events_of(text)
    assert (event.place, event.start_date, event.end_date, event.time_precision) == \
        ("Raqqa", D("2017-09-01"), D("2017-11-30"), "season")


def test_each_place_takes_its_nearest_date_in_the_clause():
    text = "Mosul was retaken in July 2017; Raqqa fell in October 2017."
    got = {(e.place, e.start_date.month) for e in events_of(text)}
    assert got == {("Mosul", 7), ("Raqqa", 10)}


def test_place_without_date_takes_the_paragraph_date():
    text = "Al-Baghdadi was captured in 2004. He was held at Camp Bucca near Basra for months.\n\nNothing else."
    got = summary(events_of(text, "2014-07"))
    assert ("Camp Bucca", "2004-01-01", "2004-12-31", "narrative", "stated") in got


def test_narrative_does_not_cross_paragraphs_and_falls_back_to_publication():
    text = "Fighters fled in 2004.\n\nFighters gather near Raqqa."
    got = summary(events_of(text, "2018-02-04"))
    assert ("Raqqa", "2018-02-04", "2018-02-04", "published", "stated") in got


def test_unknown_publication_date_makes_no_undated_event():
    text = "Fighters gather near Raqqa."
    assert events_of(text, "") == []


def test_date_without_place_takes_the_dateline():
    text = "WASHINGTON — Officials met on Jan. 20 to review the campaign.\nThey met again later."
    (event,) = events_of(text)
    assert (event.place, event.place_basis, event.start_date) == ("Washington", "dateline", D("2018-01-20"))


def test_a_date_only_line_is_not_an_event():
    text = "FEB. 4, 2018\nFighters gathered in Raqqa in October."
    got = summary(events_of(text))
    assert got == [("Raqqa", "2017-10-01", "2017-10-31", "stated", "stated")]


def test_since_when_dates_the_when_clause_itself():
    text = ("Security forces have improved since 2014, when Iraq’s military crumbled in the face of an "
            "Islamic State onslaught.")
    (event,) = [e for e in events_of(text, "2022-01-29") if e.place == "Iraq"]
    assert (event.start_date, event.end_date) == (D("2014-01-01"), D("2014-12-31"))


def test_event_carries_type_fatalities_provenance_and_offsets():
    text = "Intro line here.\nTwo suicide bombers killed three dozen people in Baghdad last month."
    (event,) = events_of(text)
    assert event.event_type == "bombing" and event.fatalities == 36
    assert text[event.start:event.end] == event.sentence
    (prov,) = event.provenance
    assert {m.kind: m.text for m in prov.mentions} == {"place": "Baghdad", "date": "last month"}
    assert (event.start_date, event.end_date) == (D("2018-01-01"), D("2018-01-31"))


def test_ids_are_stable_and_content_based():
    text = "Fighters gathered in Raqqa in October."
    a, = events_of(text)
    b, = events_of("Another lead sentence.\n" + text)
    assert a.id == b.id


def test_from_through_is_one_span_for_the_event():
    text = ("U.S. officials note that al Baghdadi was captured and held by the U.S. military for ten months in "
            "2004. From February through December, he was a prisoner at Camp Bucca near Basra in southern Iraq.")
    got = {(e.place, e.start_date.isoformat(), e.end_date.isoformat(), e.time_precision)
           for e in events_of(text, "2014-07") if e.place in ("Camp Bucca", "Basra") and e.place_basis == "stated"}
    assert got == {("Camp Bucca", "2004-02-01", "2004-12-31", "range"), ("Basra", "2004-02-01", "2004-12-31", "range")}


def test_and_without_between_does_not_join():
    text = "Raqqa fell in October and Mosul in July."
    got = {(e.place, e.start_date.month) for e in events_of(text)}
    assert ("Raqqa", 10) in got and ("Raqqa", 7) not in got


def _demonym(text, word, name, lat, lon, cc):
    start = text.index(word)
    return PlaceMention(word, start, start + len(word), name, lat, lon, cc, "country", 1, "country",
                        mention_kind="demonym")


def test_demonyms_stand_for_a_country_only_without_named_places_and_with_a_date():
    published = parse_published("2025-01")

    def run(text):
        article = Article(id="t", text=text, published=published)
        doc = make_document(article)
        doc = doc.__class__(**{**doc.__dict__, "published": published})
        places = places_in(text) + [_demonym(text, w, *v) for w, v in
                                    {"Syrian": ("Syria", 35.0, 38.5, "SY"), "American": ("United States", 39.5, -99.1, "US")}.items()
                                    if w in text]
        return summary(extract_events(doc, tag_dates(doc.clean_text, published, doc.sentence_spans), places))

    assert run("Thousands of fighters emerged from the eastern Syrian deserts in 2024.") == \
        [("Syria", "2024-01-01", "2024-12-31", "stated", "stated")]
    assert [p for p, *_ in run("American officials say fighters are regrouping near Raqqa.")] == ["Raqqa"]
    assert run("American officials say the group is regrouping.") == []


def test_provenance_keeps_the_publication_date_at_its_precision():
    (event,) = events_of("Fighters gathered in Raqqa in October 2013.", "2014-07")
    assert event.provenance[0].published == "2014-07"
    (event,) = events_of("Fighters gathered in Raqqa in October 2013.", "2014-07-15")
    assert event.provenance[0].published == "2014-07-15"
