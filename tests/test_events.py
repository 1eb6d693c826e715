"""Events on small sentences of our own, through the real pipeline (real gazetteer, real date tagger):
occurrences not sentences, the place the trigger governs, the occurrence's own time, one event per
occurrence, and events ordered by prominence."""
import datetime as dt

import pytest

from dashboard.pipeline.analysis import analyse
from dashboard.pipeline.dates import parse_published, tag_dates
from dashboard.pipeline.document import make_document
from dashboard.pipeline.events import extract_events, join_ranges
from dashboard.records import Article, PlaceMention
from dashboard.store.corpus import article_from_text

D = dt.date.fromisoformat


def run(text, published="2019-03-06"):
    return analyse(article_from_text("t", text, meta={"published": published}))


def events(text, published="2019-03-06"):
    return [(e.place, e.start_date.isoformat(), e.end_date.isoformat(), e.time_basis)
            for e in run(text, published).events]


# --- occurrences, not sentences ---------------------------------------------------------------------
@pytest.mark.parametrize("kind,text", [
    ("modality", "Militants could attack Kirkuk in the spring."),
    ("modality", "In May the rebels may attack Kirkuk again."),
    ("hypothetical", "The group has threatened to storm the prison in Hasakah on Friday."),
    ("intention", "Commanders are preparing for an offensive on Mosul next month."),
    ("negation", "No one was killed in Kirkuk on Monday."),
    ("negation", "The army has not retaken Tikrit since March."),
    ("generic", "Kidnappings are common on the roads around Mosul."),
    ("habitual", "Smugglers often cross into Turkey from Idlib at night."),
    ("opinion", "Officials fear a new offensive on Aleppo in April."),
    ("prediction", "Analysts expect clashes in Deir ez-Zor this summer."),
    ("statement", "The governor of Kirkuk said on Monday that the province is calm."),
    ("no trigger", "Mosul is the second city of Iraq."),
])
def test_sentences_without_an_occurrence_make_no_event_but_keep_their_mentions(kind, text):
    analysis = run(text)
    assert analysis.events == (), kind
    assert analysis.places  # the mentions stay: extract lists them, search finds them


def test_a_statement_that_is_the_news_is_an_event():
    (event,) = run("On Sunday the group claimed responsibility for the bombing of a bus station in Kirkuk.").events
    assert (event.place, event.start_date) == ("Kirkuk", D("2019-03-03"))


# --- the place: what the trigger governs; never a speaker, an organisation, a comparison ... ---------
@pytest.mark.parametrize("text,place", [
    ("U.S. officials said militants attacked a checkpoint near Kirkuk on Monday.", "Kirkuk"),
    ("Washington warned on Tuesday that fighters had seized a village outside Mosul.", "Mosul"),
    ("A U.S. airstrike hit a convoy in Raqqa on Monday.", "Raqqa"),
    ("Forces of Turkey shelled a village near Afrin on Monday.", "Afrin"),
    ("Protesters chanted anti-Iran slogans in Basra on Monday.", "Basrah"),
])
def test_speakers_and_actors_are_never_the_place(text, place):
    assert [e[0] for e in events(text)] == [place]


def test_a_government_named_by_its_capital_is_a_speaker():
    analysis = run("Ankara accused the militia on Monday of shelling a market in Afrin.")
    roles = {p.text: p.role for p in analysis.places}
    assert roles["Ankara"] == "speaker" and roles["Afrin"] == "location"
    assert [e.place for e in analysis.events] == ["Afrin"]


def _with_role(text, word, name, lat, lon, cc, role, precision="country"):
    start = text.index(word)
    return PlaceMention(word, start, start + len(word), name, lat, lon, cc, "country", 1, precision, role=role)


@pytest.mark.parametrize("text,word,role", [
    ("Militants seized an area the size of Belgium in Syria in 2014.", "Belgium", "comparison"),
    ("Boko Haram attacked a market in Maiduguri on Monday.", "Boko Haram", "organisation"),
    ("The group stole millions of US dollars from a bank in Mosul in 2014.", "US", "currency"),
    ("Indian troops clashed with rebels in Kashmir in May 2019.", "Indian", "nationality"),
])
def test_places_recognition_gives_another_role_never_become_event_places(text, word, role):
    published = parse_published("2019-06-01")
    doc = make_document(Article(id="t", text=text, published=published))
    doc = doc.__class__(**{**doc.__dict__, "published": published})
    other = _with_role(text, word, "Elsewhere", 10.0, 10.0, "ZZ", role)
    real = [p for p in run(text, "2019-06-01").places if p.role == "location" and not (other.start <= p.start < other.end)]
    got = extract_events(doc, tag_dates(doc.clean_text, published, doc.sentence_spans), [other, *real])
    assert got and all(e.place != "Elsewhere" for e in got)


def test_the_most_specific_place_not_its_country_or_valley():
    got = events("On March 2 a depot was bombed in Hajin, deep in the Euphrates River Valley of Syria.", "2019-03-06")
    assert got == [("Hajin", "2019-03-02", "2019-03-02", "stated")]


def test_places_listed_together_are_each_a_place_of_the_occurrence():
    got = sorted(e[0] for e in events("On Monday, rebels attacked army posts in Kirkuk and Tikrit."))
    assert got == ["Kirkuk", "Tikrit"]


def test_a_locative_wins_over_a_place_in_another_clause():
    got = events("Although Baghdad has been quiet, militants stormed a police station in Kirkuk on Monday.")
    assert [e[0] for e in got] == ["Kirkuk"]


@pytest.mark.parametrize("text,expected", [
    # the next sentence says where, and tells nothing else
    ("On March 3 arsonists set fire to a lorry owned by a charity. The incident took place in Tartus.",
     [("Ţarţūs", "2019-03-03", "2019-03-03", "stated")]),
    ("On March 4 a grenade was thrown at a parked truck. The truck stood outside a bakery in Kirkuk.",
     [("Kirkuk", "2019-03-04", "2019-03-04", "stated")]),
    # the next sentence tells an occurrence of its own: its place is that one's, not the first's
    ("On March 3 gunmen kidnapped two engineers. On March 5 troops raided a farm in Kirkuk.",
     [("Kirkuk", "2019-03-05", "2019-03-05", "stated")]),
])
def test_a_place_told_in_the_next_sentence(text, expected):
    assert events(text) == expected


# --- the time: the occurrence's own, else the narrative's, else the publication date (uncertain) -----
def test_the_occurrences_own_date():
    assert events("Militants overran a checkpoint near Kirkuk on March 1.") == \
        [("Kirkuk", "2019-03-01", "2019-03-01", "stated")]


def test_the_narratives_date_when_the_sentence_has_none():
    got = events("The fighting began on March 1. Rebels seized a bridge in Kirkuk.")
    assert ("Kirkuk", "2019-03-01", "2019-03-01", "narrative") in got


def test_the_publication_date_is_a_fallback_and_says_so():
    (event,) = run("Rebels seized a bridge in Kirkuk.").events
    assert (event.start_date, event.time_basis) == (D("2019-03-06"), "published")
    assert event.confidence < 0.5  # never as sure as a stated day


def test_no_publication_date_and_no_date_makes_no_event():
    assert run("Rebels seized a bridge in Kirkuk.", "").events == ()


def test_a_superlative_since_a_date_is_a_yardstick_not_the_time():
    assert events("A car bomb killed nine people in Kirkuk, the worst attack there since 2016.") == \
        [("Kirkuk", "2019-03-06", "2019-03-06", "published")]


def test_since_when_dates_the_when_clause_itself():
    got = events("Markets have recovered since 2015, when Iraq's army crumbled in the north.", "2022-01-29")
    assert got == [("Iraq", "2015-01-01", "2015-12-31", "stated")]


def test_from_through_is_one_span_for_the_event():
    text = "From March 2006 through October 2006, the driver was held in custody at Camp Bucca."
    assert events(text, "2006-12-31") == [("Camp Bucca", "2006-03-01", "2006-10-31", "stated")]


def test_and_without_between_does_not_join():
    text = "Raqqa fell in October and Mosul in July."
    doc = make_document(Article(id="t", text=text, published=parse_published("2017-12-01")))
    dates = tag_dates(doc.clean_text, parse_published("2017-12-01"), doc.sentence_spans)
    assert [d.granularity for d in join_ranges(text, dates)] == ["month", "month"]


# --- one event per occurrence ------------------------------------------------------------------------
def test_one_occurrence_told_three_ways_is_one_event():
    text = ("Militants attacked a prison in Syria last week.\n\n"
            "The assault on the prison in Hasakah on Jan. 20 freed hundreds of inmates.\n\n"
            "The prison break was the group's boldest operation in years, officials in Washington said.")
    analysis = run(text, "2022-01-29")
    (event,) = analysis.events
    assert (event.place, event.start_date, event.end_date) == ("Hasakah", D("2022-01-20"), D("2022-01-20"))
    assert event.event_type == "prison_break"
    assert len(event.provenance) == 3  # every sentence that tells it


def test_two_occurrences_at_two_places_stay_two():
    got = events("On Monday, rebels attacked Kirkuk. On Tuesday, troops attacked Mosul.")
    assert sorted(got) == [("Kirkuk", "2019-03-04", "2019-03-04", "stated"),
                           ("Mosul", "2019-03-05", "2019-03-05", "stated")]


def test_different_times_stay_apart():
    got = events("Rebels attacked Kirkuk in January. Rebels attacked Kirkuk again in February.")
    assert len(got) == 2


# --- prominence and provenance ------------------------------------------------------------------------
def test_the_lead_comes_first():
    text = ("Rebels stormed a police station in Kirkuk on Monday.\n\n"
            "In an earlier report, the group said it had attacked a checkpoint in Mosul in 2017.\n\n"
            "Last year militants also ambushed a convoy near Tikrit.")
    assert [e.place for e in run(text).events][0] == "Kirkuk"


def test_event_carries_type_fatalities_provenance_and_offsets():
    text = "Intro line here.\nTwo car bombs killed four dozen people in Baghdad last month."
    (event,) = run(text, "2018-02-04").events
    assert event.event_type == "bombing" and event.fatalities == 48
    assert text[event.start:event.end] == event.sentence
    (prov,) = event.provenance
    assert {m.kind: m.text for m in prov.mentions if m.kind != "trigger"} == {"place": "Baghdad", "date": "last month"}
    assert (event.start_date, event.end_date) == (D("2018-01-01"), D("2018-01-31"))


def test_ids_are_stable_and_content_based():
    a, = run("Fighters seized a village near Raqqa in October.").events
    b, = run("Another lead sentence.\nFighters seized a village near Raqqa in October.").events
    assert a.id == b.id


def test_provenance_keeps_the_publication_date_at_its_precision():
    (event,) = run("Fighters seized a village near Raqqa in October 2013.", "2014-07").events
    assert event.provenance[0].published == "2014-07"


def test_a_telling_without_a_place_is_where_its_paragraph_is():
    got = events("On Monday, police raided a house in Kirkuk. Two men were arrested.")
    assert {place for place, *_ in got} == {"Kirkuk"}
    (arrest,) = [e for e in run("On Monday, police raided a house in Kirkuk. Two men were arrested.").events
                 if e.event_type == "arrest"]
    assert arrest.confidence < 0.6  # the place is the narrative's, not stated: less sure


def test_a_telling_without_a_place_does_not_cross_paragraphs():
    assert events("On Monday, police raided a house in Kirkuk.\n\nTwo men were arrested.") == \
        [("Kirkuk", "2019-03-04", "2019-03-04", "stated")]


def test_a_town_wins_over_the_country_the_sentence_also_names():
    assert [e[0] for e in events("On Monday, in Tikrit, teachers protested over wages paid late in Iraq.")] == ["Tikrit"]


def test_a_town_named_by_its_hospital_is_where_it_happened():
    got = events("On Monday, nurses demonstrated outside the Tikrit Teaching Hospital, Salah ad Din.")
    assert [e[0] for e in got] == ["Tikrit"]


def test_a_dateline_date_is_when_the_report_was_filed_not_the_occurrence():
    assert events("KIRKUK, March 5, 2019 - Gunmen stormed a police station in Kirkuk on March 3.") == \
        [("Kirkuk", "2019-03-03", "2019-03-03", "stated")]


def test_the_merge_index_offers_every_occurrence_a_telling_could_join():
    """_Groups.candidates narrows the groups a telling is checked against (by kind and country): it must
    never leave out one that _joins accepts, in a digest of many reports of a few kinds in a few countries."""
    from dashboard.pipeline.events import _Groups, _joins, _tellings

    places = ["Kirkuk", "Mosul", "Raqqa", "Maiduguri", "Aleppo", "the province"]
    reports = [f"On {day} May 2020, {who} {what} in {where}. The attack was the third this month."
               for day, (who, what) in zip(range(1, 29), [("gunmen", "attacked a checkpoint"),
                                                           ("an airstrike", "hit a house"),
                                                           ("protesters", "blocked a road"),
                                                           ("a car bomb", "exploded near a market")] * 7)
               for where in places[day % 3: day % 3 + 3]]
    analysis = run("\n\n".join(reports), published="2020-05-30")
    doc = analysis.document
    tellings = _tellings(doc, list(analysis.dates), list(analysis.places), None)
    assert len(tellings) > 100 and {t.kind for t in tellings} >= {"battle", "airstrike", "protest"}
    merged = _Groups()
    checked = 0
    for t in tellings:
        offered = {id(g) for g in merged.candidates(t)}
        for g in merged.groups:
            if _joins(g, t):
                checked += 1
                assert id(g) in offered, (t.sentence, [m.sentence for m in g.tellings])
        merged.add(t, next((g for g in merged.groups if id(g) in offered and _joins(g, t)), None))
    assert checked > 20 and len(merged.groups) < len(tellings)


@pytest.mark.parametrize("text", [
    # a date in a relative clause dates that clause, not the protest
    "On 3 May, teachers who were hired in 2019 protested in Tikrit over their March wages.",
    "Teachers who were hired in 2019 protested in Tikrit on 3 May.",
    # a date that names a district, or the wages a possessive owns, is no time of anything
    "On 3 May, in the 14 July district of Tikrit, residents protested to demand water.",
    "On 3 May, workers demanding their March wages protested in Tikrit.",
])
def test_the_date_that_frames_the_main_clause(text):
    assert events(text) == [("Tikrit", "2018-05-03", "2018-05-03", "stated")]


@pytest.mark.parametrize("text", [
    "Teachers in Tikrit went on strike over their March wages.",
    "Crowds in Tikrit protested against the candidates of the May 3 elections.",
])
def test_a_date_that_only_describes_a_noun_leaves_the_occurrence_undated(text):
    assert events(text) == [("Tikrit", "2019-03-06", "2019-03-06", "published")]


# --- the dateline: where the report was filed ---------------------------------------------------------
def test_a_dateline_gives_way_to_the_scene_the_sentence_names():
    got = [e.place for e in run("BAGHDAD (Reuters) - Drones struck militants in the Hamrin Mountains on Sunday.").events]
    assert got == ["Hamrin Mountains"]


def test_a_dateline_alone_places_the_event_but_less_surely():
    (filed,) = run("MOSUL (AP) - A car bomb killed ten people on Sunday, police said.").events
    (told,) = run("A car bomb killed ten people in Mosul on Sunday, police said.").events
    assert (filed.place, told.place) == ("Mosul", "Mosul") and filed.confidence < told.confidence


def test_a_dateline_is_no_place_for_a_scene_the_gazetteer_lacks():
    assert run("ERBIL (Reuters) - Drones struck a camp in the Zaraw mountains on Sunday.").events == ()
