"""Each event keeps a confidence, and the dashboard filters on it: the URL's ``conf`` keeps the events
at least that sure, in the map, the timeline, the facets and the table alike (the one ``where``)."""
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState


def test_the_url_keeps_a_minimum_confidence_and_drops_bad_values():
    assert ViewState.from_query("conf=0.5").min_confidence == 0.5
    assert ViewState.from_query("conf=0.5").to_query() == "conf=0.5"
    for bad in ("conf=2", "conf=-1", "conf=abc", "conf=nan", ""):
        assert ViewState.from_query(bad).min_confidence == 0.0
    assert ViewState.from_query("conf=0.5").without("min_confidence") == ViewState()
    assert not ViewState.from_query("conf=0.5").cleared().min_confidence


def test_a_minimum_confidence_keeps_only_the_surer_events(seed_store):
    store = EventStore(seed_store)
    every = store.filter(ViewState())
    sure = store.filter(ViewState.from_query("conf=0.5"))
    assert 0 < len(sure) < len(every)  # the seeds have both: the filter is seen to work
    assert (sure["confidence"] >= 0.5).all()
    assert set(sure["id"]) == set(every[every["confidence"] >= 0.5]["id"])
    assert store.count(ViewState.from_query("conf=0.5")) == len(sure)
