"""EventStore: every filter checked against an independent pandas reading of the raw Parquet."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.core.countries import country_name
from dashboard.views.aggregates import OTHER_LANE
from dashboard.views.filters import where
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState, point_in_area


@pytest.fixture(scope="module")
def store(synthetic_store) -> EventStore:
    return EventStore(synthetic_store)


@pytest.fixture(scope="module")
def raw(synthetic_store) -> pd.DataFrame:
    """The store's events read straight from Parquet with pyarrow (no DuckDB, no query.py)."""
    frame = pq.read_table(synthetic_store / "events").to_pandas()
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def expected_ids(raw: pd.DataFrame, view: ViewState, ignore=()) -> list[str]:
    """What a view should keep, written out plainly in Python from the ViewState docstring."""
    keep = []
    for row in raw.itertuples():
        if row.end_date < view.date_from or row.start_date > view.date_to:
            continue
        if view.brush and "brush" not in ignore and (row.end_date < view.brush[0] or row.start_date > view.brush[1]):
            continue
        haystack = f"{row.sentence} {row.place} {country_name(row.country_code) if row.country_code else ''}".lower()
        if view.text and not all(word in haystack for word in view.text.lower().split()):
            continue
        if view.countries and row.country_code not in view.countries:
            continue
        if view.event_types and row.event_type not in view.event_types:
            continue
        if view.time_precisions and row.time_precision not in view.time_precisions:
            continue
        if view.place_precisions and row.place_precision not in view.place_precisions:
            continue
        if view.sources and not set(row.sources) & set(view.sources):
            continue
        if view.area and "area" not in ignore and (
                pd.isna(row.lat) or not point_in_area(row.lon, row.lat, view.area)):
            continue
        keep.append(row.id)
    return sorted(keep)


QUERIES = [
    "",
    "from=2016-03-20&to=2016-04-10",
    "from=1990-01-01&to=2013-12-31",
    "q=car bomb",
    "q=MOSUL",
    "q=syria",  # matches the country name as well as the sentence
    "country=SY,LY",
    "type=airstrike,prison_break",
    "tprec=month,season,decade",
    "pprec=region,country",
    "source=art-0000001,art-0000002,art-0000500",
    "brush=2017-01-01..2017-01-31",
    "area=38,35;41,35;41,37;38,37",
    "area=42,35;45,35;43.5,37.5",  # a triangle (lasso) around Mosul
    "from=2015-01-01&to=2018-12-31&q=fled&country=IQ&pprec=city&brush=2016-01-01..2017-12-31",
    "q=zzzz-nothing",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filter_matches_an_independent_reading(store, raw, query):
    view = ViewState.from_query(query)
    assert sorted(store.filter(view)["id"]) == expected_ids(raw, view)
    assert store.count(view) == len(expected_ids(raw, view))


def test_a_month_known_event_matches_a_window_that_starts_inside_its_month(store, raw):
    month = raw[raw["time_precision"] == "month"].iloc[0]
    inside = month["start_date"] + dt.timedelta(days=10)
    view = ViewState(date_from=inside, date_to=inside + dt.timedelta(days=3))
    assert month["id"] in set(store.filter(view)["id"])


def test_filter_is_ordered_by_date_and_limit_takes_the_first(store):
    events = store.filter(ViewState())
    assert events["start_date"].is_monotonic_increasing
    assert list(store.filter(ViewState(), limit=5)["id"]) == list(events["id"][:5])


def test_timeline_ignores_the_brush_and_map_ignores_the_area(store, raw):
    view = ViewState.from_query("brush=2016-01-01..2016-06-30&area=38,35;41,35;41,37;38,37")
    timeline = store.timeline_data(view, point_limit=10**6)
    assert sorted(timeline.events["id"]) == expected_ids(raw, view, ignore=("brush",))
    assert timeline.total == len(timeline.events) == int(timeline.histogram["count"].sum())
    geo = store.map_data(view, point_limit=10**6)
    placed = raw[raw["lat"].notna()]
    assert sorted(geo.events["id"]) == expected_ids(placed, view, ignore=("area",))
    assert geo.total - geo.unplaced == len(geo.events)


def test_facets_ignore_their_own_filter(store, raw):
    view = ViewState.from_query("country=SY&type=battle")
    facets = store.facets(view)
    countries = dict(facets["country"])
    assert countries["SY"] == len(expected_ids(raw, view))
    assert countries["IQ"] == len(expected_ids(raw, view.replace(countries=("IQ",))))
    types = dict(facets["type"])
    assert types["airstrike"] == len(expected_ids(raw, view.replace(event_types=("airstrike",))))
    precisions = dict(facets["time_precision"])
    assert sum(precisions.values()) == len(expected_ids(raw, view))


def test_large_results_are_aggregated_with_counts_that_add_up(store):
    view = ViewState()
    timeline = store.timeline_data(view, point_limit=100)
    assert timeline.events is None and timeline.clusters is not None
    assert int(timeline.clusters["count"].sum()) == timeline.total == store.count(view)
    geo = store.map_data(view, point_limit=100)
    assert geo.events is None
    assert int(geo.clusters["count"].sum()) == geo.total - geo.unplaced
    assert len(geo.clusters) < geo.total - geo.unplaced


def test_country_lanes_fold_the_rare_countries(store):
    data = store.timeline_data(ViewState.from_query("lanes=country"), point_limit=10**6)
    assert data.lanes[0] in ("SY", "IQ")
    if OTHER_LANE in data.lanes:
        assert set(data.events["lane"]) <= set(data.lanes)


def test_event_has_its_provenance(store, raw):
    row = raw[raw["n_sources"] == 3].iloc[0]
    event = store.event(row["id"])
    assert event["sentence"] == row["sentence"] and len(event["provenance"]) == 3
    assert event["provenance"] == json.loads(row["provenance"])
    assert store.event("no-such-event") is None and store.event(None) is None


def test_in_memory_store_from_a_frame_gives_the_same_answers(store):
    view = ViewState.from_query("q=raqqa&brush=2016-01-01..2016-12-31")
    frame = store.filter(ViewState.from_query("q=raqqa"))
    again = EventStore.from_events(frame)
    assert list(again.filter(view)["id"]) == list(store.filter(view)["id"])


def test_where_never_inlines_user_text():
    sql, params = where(ViewState.from_query("q=x'); DROP TABLE events; --&country=SY"))
    assert "DROP" not in sql and "x');" in params


def test_empty_and_missing_stores(tmp_path):
    (tmp_path / "empty" / "events").mkdir(parents=True)
    empty = EventStore(tmp_path / "empty")
    assert empty.total == 0 and empty.filter(ViewState()).empty and empty.date_extent() is None
    assert empty.timeline_data(ViewState()).total == 0 and empty.map_data(ViewState()).total == 0
    with pytest.raises(FileNotFoundError, match="no-store"):
        EventStore(tmp_path / "no-store")


def test_reload_swaps_in_a_rebuilt_store(tmp_path):
    from gen_events import generate_events, write_store

    events, articles = generate_events(200, seed=1)
    path = write_store(tmp_path / "store", events, articles)
    store = EventStore(path)
    search = ViewState.from_query("q=mosul")
    before = store.count(search)  # also caches the text match of the old data
    events, articles = generate_events(300, seed=2)
    write_store(path, events, articles)
    store.reload()
    assert store.total == 300
    assert store.count(search) == EventStore(path).count(search) != before


def test_filter_values_absent_from_the_store_match_nothing(store, raw):
    assert store.count(ViewState.from_query("country=ZZ")) == 0
    assert store.count(ViewState.from_query("country=ZZ,SY")) == len(expected_ids(raw, ViewState.from_query("country=SY")))
    assert store.facets(ViewState.from_query("country=ZZ"))["type"] == []


def test_source_facet_of_huge_results_is_the_whole_stores_top(store, monkeypatch):
    import dashboard.views.query as query

    monkeypatch.setattr(query, "SOURCE_FACET_ROWS", 10)
    whole = store.facets(ViewState.from_query("from=1990-01-01&to=2030-12-31"))["source"]
    assert whole == store._all_sources() and len(whole) == query.SOURCE_FACET_LIMIT


@pytest.mark.parametrize("query", ["", "country=SY,LY", "q=MOSUL", "q=zzzz-nothing",
                                   "brush=2017-01-01..2017-01-31&area=38,35;41,35;41,37;38,37"])
def test_span_outlets_and_types_match_an_independent_reading(store, raw, synthetic_store, query):
    view = ViewState.from_query(query)
    kept = raw[raw["id"].isin(expected_ids(raw, view))]
    n, first, last, n_articles, outlets, n_outlets = store.span_and_outlets(view, shown=3)
    assert n == len(kept)
    assert (first, last) == ((kept["start_date"].min(), kept["end_date"].max()) if len(kept) else (None, None))
    counts = pd.Series([s for row in kept["sources"] for s in row], dtype=object).value_counts()
    by_count = sorted(counts.index, key=lambda s: (-counts[s], s))
    assert n_articles == len(by_count)
    outlet_of = dict(zip(*pq.read_table(synthetic_store / "articles.parquet", columns=["id", "outlet"])
                         .to_pydict().values()))
    expected = list(dict.fromkeys(outlet_of[s] for s in by_count if outlet_of.get(s)))  # by first appearance
    assert outlets == tuple(expected[:3]) and n_outlets == len(expected)
    loose = raw[raw["id"].isin(expected_ids(raw, view, ignore=("brush", "area")))]
    assert store.event_types(view, ignore=("brush", "area")) == sorted(set(loose["event_type"]))
