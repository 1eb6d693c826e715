"""Figures and the provenance panel: what is drawn for which event, from a real (synthetic) store."""
from __future__ import annotations

import datetime as dt
import doctest
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

import dashboard.views.figures as figures_module
import dashboard.web.provenance as provenance_module
from dashboard.views.figures import (
    EMPTY_MESSAGE, TYPE_STYLE, draw_map, draw_timeline, map_figure, marker_sizes, timeline_figure,
)
from dashboard.web.provenance import highlight, provenance_panel, safe_link
from dashboard.views.query import EventStore
from dashboard.views.state import EVENT_TYPES, ViewState

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
             "#999999", "#666666"}


@pytest.fixture(scope="module")
def store(synthetic_store) -> EventStore:
    return EventStore(synthetic_store)


def marker_traces(figure: go.Figure) -> list:
    return [t for t in figure.data if t.customdata is not None and "markers" in (getattr(t, "mode", "") or "")
            and t.name != "events at one place"]


def drawn_ids(figure: go.Figure) -> list[str]:
    return sorted(c for t in marker_traces(figure) for c in t.customdata if not str(c).startswith("bin:"))


def test_docstring_examples():
    from dashboard.views import map_layers
    from dashboard.web import actions, playback

    for module in (figures_module, provenance_module, map_layers, actions, playback):
        assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0, module.__name__


def test_every_type_has_a_colour_blind_safe_colour_and_its_own_symbol():
    assert set(TYPE_STYLE) == set(EVENT_TYPES)
    assert {colour for colour, _ in TYPE_STYLE.values()} <= OKABE_ITO
    assert len({symbol for _, symbol in TYPE_STYLE.values()}) == len(EVENT_TYPES)


def test_timeline_points_only_for_day_precise_events_and_spans_for_the_rest(store):
    view = ViewState.from_query("country=IQ&from=2016-01-01&to=2016-12-31")
    figure = timeline_figure(store, view)
    events = store.filter(view).set_index("id")
    assert drawn_ids(figure) == sorted(events.index)
    for trace in marker_traces(figure):
        for event_id, symbol in zip(trace.customdata, trace.marker.symbol):
            assert symbol.endswith("-open") == (events.loc[event_id, "time_precision"] != "day")
    # Each coarse event has a bar over its whole interval (inclusive end -> exclusive plot end).
    span_ends = {(x0, x1) for t in figure.data if getattr(t, "mode", None) == "lines"
                 for x0, x1 in zip(t.x[0::3], t.x[1::3])}
    coarse = events[events["time_precision"] != "day"]
    for start, end in zip(coarse["start_date"], coarse["end_date"]):
        assert (start.strftime("%Y-%m-%d"), (end + pd.Timedelta(days=1)).strftime("%Y-%m-%d")) in span_ends
    assert figure.layout.xaxis.range == ("2016-01-01", "2017-01-01")


def test_timeline_histogram_follows_the_filters_and_the_bin(store):
    view = ViewState.from_query("type=battle&bin=year")
    figure = timeline_figure(store, view)
    bars = [t for t in figure.data if isinstance(t, go.Bar)]
    assert sum(sum(t.y) for t in bars) == store.count(view)
    assert {t.xperiod for t in bars} == {"M12"}


def test_timeline_ignores_the_brush_and_draws_it(store):
    view = ViewState.from_query("country=IQ&from=2016-01-01&to=2016-12-31&brush=2016-03-01..2016-03-31")
    figure = timeline_figure(store, view)
    assert drawn_ids(figure) == sorted(store.filter(view.without("brush"))["id"])
    assert [s.x0 for s in figure.layout.shapes] == ["2016-03-01", "2016-03-01"]


def test_map_ignores_the_area_draws_it_and_keeps_unplaced_events_off(store):
    view = ViewState.from_query("country=SY&from=2017-01-01&to=2017-12-31&area=38,35;41,35;41,37")
    figure = map_figure(store, view)
    expected = store.filter(view.without("area")).dropna(subset=["lat", "lon"])
    assert drawn_ids(figure) == sorted(expected["id"])
    outline = [t for t in figure.data if t.name == "selected area"][0]
    assert list(zip(outline.lon, outline.lat))[0] == list(zip(outline.lon, outline.lat))[-1]


def test_map_draws_region_and_country_placements_hollow_with_a_halo(store):
    view = ViewState.from_query("from=2016-01-01&to=2016-12-31&country=SY")
    figure = map_figure(store, view)
    events = store.filter(view).set_index("id")
    for trace in marker_traces(figure):
        coarse = events.loc[list(trace.customdata), "place_precision"].isin(["region", "country"])
        assert coarse.all() or not coarse.any()
        assert trace.marker.symbol.endswith("-open") == bool(coarse.all())
    halo = [t for t in figure.data if t.name == "area halo"]
    assert halo and len(halo[0].lon) == int(events["place_precision"].isin(["region", "country"]).sum())


def test_marker_sizes_by_sources_or_fatalities():
    events = pd.DataFrame({"n_sources": [1, 2, 3], "fatalities": [None, 4, 100]})
    by_sources = marker_sizes(events, "sources")
    by_deaths = marker_sizes(events, "fatalities")
    assert by_sources[0] < by_sources[1] < by_sources[2]
    assert by_deaths[0] < by_deaths[1] < by_deaths[2]


def test_the_map_uses_local_boundaries_only(store):
    figure = map_figure(store, ViewState())
    assert figure.layout.geo.resolution == 50 and figure.layout.geo.showcountries
    assert "mapbox" not in figure.to_json() and "http" not in json.dumps(figure.layout.to_plotly_json())


def test_many_events_are_aggregated_on_both_views(store):
    view = ViewState()
    timeline = go.Figure(draw_timeline(store.timeline_data(view, point_limit=100), view))
    geo = go.Figure(draw_map(store.map_data(view, point_limit=100), view))
    assert not drawn_ids(timeline)  # no individual events: one marker per (lane, bin)
    assert sum(len(t.lon) for t in geo.data if t.mode != "lines") < store.count(view) / 5  # boundaries are no events
    assert "events" in timeline.layout.annotations[0].text


@pytest.mark.parametrize("query", ["", "q=mosul&event=ev-0000010&brush=2016-01-01..2016-03-01&area=38,35;41,35;41,37",
                                   "lanes=country&bin=week&size=fatalities", "q=zzzz-none"])
def test_figure_dicts_pass_plotly_validation(store, query):
    """The app sends the dicts unvalidated (for speed): plotly's validators must accept every property."""
    view = ViewState.from_query(query)

    def keys(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)
        elif isinstance(node, list):
            for value in node:
                yield from keys(value)

    for points in (10**6, 50):
        for figure in (draw_timeline(store.timeline_data(view, point_limit=points), view, store.event(view.event_id)),
                       draw_map(store.map_data(view, point_limit=points), view, store.event(view.event_id))):
            go.Figure(figure)
            # plotly.py's magic underscores ("marker_color") mean nothing to plotly.js in a raw dict
            data_and_layout = {"data": figure["data"], "layout": {k: v for k, v in figure["layout"].items()
                                                                  if k != "template"}}
            assert not [k for k in keys(data_and_layout) if "_" in k]


def test_nothing_matches_gives_the_message(store):
    view = ViewState.from_query("q=zzzz-no-such-word")
    for figure in (timeline_figure(store, view), map_figure(store, view)):
        assert figure.layout.annotations[0].text == EMPTY_MESSAGE
        assert not drawn_ids(figure)


def test_selected_event_is_ringed_on_both(store):
    event_id = store.filter(ViewState.from_query("pprec=city")).iloc[0]["id"]
    view = ViewState(event_id=event_id)
    for figure in (timeline_figure(store, view), map_figure(store, view)):
        assert [t.name for t in figure.data].count("selected") == 1


def test_a_frame_of_events_draws_like_the_store(store):
    view = ViewState.from_query("q=mosul&from=2015-01-01&to=2016-12-31")
    events = store.filter(view)
    assert timeline_figure(events, view).to_json() == timeline_figure(store, view).to_json()
    # The same dots; where the map opens is the window's frame, which a frame of events has less of.
    framed = ("places", "first-level boundaries")  # drawn for the frame, not for the events
    dots = lambda fig: [t for t in json.loads(fig.to_json())["data"] if t.get("name") not in framed]  # noqa: E731
    assert dots(map_figure(events, view)) == dots(map_figure(store, view))
    with pytest.raises(TypeError):
        timeline_figure([1, 2, 3], view)  # type: ignore[arg-type]


def test_hover_text_is_escaped():
    events = pd.DataFrame([{
        "id": "x1", "start_date": dt.date(2016, 5, 1), "end_date": dt.date(2016, 5, 1), "time_precision": "day",
        "lat": 36.3, "lon": 43.1, "place": "Mosul", "place_precision": "city", "country_code": "IQ",
        "event_type": "bombing", "fatalities": 3, "sentence": "A <script>alert(1)</script> blast.",
        "sources": ["a"], "n_sources": 1,
    }])
    view = ViewState.from_query("from=2016-01-01&to=2016-12-31")
    for figure in (timeline_figure(events, view), map_figure(events, view)):
        texts = [h for t in marker_traces(figure) for h in t.hovertext]
        assert texts and all("<script>" not in h and "&lt;script&gt;" in h for h in texts)
        assert all("1 May 2016" in h and "Mosul, Iraq" in h for h in texts)


# ---------------------------------------------------------------------- provenance panel
def texts(parts) -> list:
    return [getattr(p, "children", p) for p in parts]


def test_highlight_uses_article_offsets_minus_the_sentence_start():
    sentence = "On 3 May 2016 militants seized Mosul."
    mentions = [{"kind": "date", "text": "3 May 2016", "start": 503, "end": 513},
                {"kind": "place", "text": "Mosul", "start": 531, "end": 536}]
    parts = highlight(sentence, 500, mentions)
    assert texts(parts) == ["On ", "3 May 2016", " militants seized ", "Mosul", "."]
    assert [p.className for p in parts if not isinstance(p, str)] == ["mention mention-date", "mention mention-place"]


def test_highlight_survives_bad_offsets_and_overlaps():
    sentence = "Mosul fell. Mosul was retaken."
    mentions = [{"kind": "place", "text": "Mosul", "start": 9999, "end": 10004},  # wrong: found by text
                {"kind": "place", "text": "Mosul", "start": "x", "end": None},
                {"kind": "date", "text": "not there", "start": 1, "end": 3},
                "garbage"]
    assert texts(highlight(sentence, 0, mentions)) == ["Mosul", " fell. Mosul was retaken."]


def test_panel_shows_text_never_markup_and_only_http_links():
    event = {
        "id": "e", "start_date": dt.date(2016, 5, 3), "end_date": dt.date(2016, 5, 3), "time_precision": "day",
        "place": "Mosul", "country_code": "IQ", "place_precision": "city", "event_type": "bombing",
        "fatalities": None, "n_sources": 2, "lat": 36.3, "lon": 43.1, "time_basis": "stated",
        "place_basis": "stated",
        "provenance": [
            {"article_id": "a1", "sentence": "<script>alert(1)</script> in Mosul", "start": 0,
             "mentions": [], "title": "<b>bold</b>", "url": "javascript:alert(1)", "published": "2016-05-04"},
            {"article_id": "a2", "sentence": "Second source.", "start": 0, "mentions": [],
             "url": "https://example.org/a2"},
        ],
    }
    panel = provenance_panel(event, {"a2": {"title": "Wire story", "outlet": "Wire", "published": "2016-05-05"}})
    flat = json.dumps([c.to_plotly_json() for c in panel], default=lambda o: o.to_plotly_json())
    assert "<script>alert(1)</script> in Mosul" in flat and "<b>bold</b>" in flat
    assert "javascript:" not in flat.replace('"javascript:alert(1)"', "")  # never as an href
    assert '"href": "https://example.org/a2"' in flat and "Wire story" in flat and "2016-05-05" in flat
    assert "3 May 2016" in flat and "not stated" in flat


def test_safe_link():
    assert safe_link("https://example.org/x") == "https://example.org/x"
    assert safe_link("javascript:alert(1)") is None and safe_link("data:text/html,x") is None
    assert safe_link(None) is None and safe_link("//evil") is None


def test_panel_without_an_event_is_a_hint():
    assert "Click an event" in provenance_panel(None)[0].children


def test_online_tiles_only_when_configured_and_chosen(store):
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    chosen = ViewState.from_query("basemap=tiles&country=SY&from=2016-01-01&to=2016-12-31")
    offline = draw_map(store.map_data(chosen), chosen)  # chosen but not configured: offline
    assert "geo" in offline["layout"] and tiles not in json.dumps(offline, default=str)
    assert "map" not in draw_map(store.map_data(ViewState()), ViewState(), tile_url=tiles)["layout"]
    online = draw_map(store.map_data(chosen), chosen, tile_url=tiles)
    go.Figure(online)  # valid plotly
    assert {t["type"] for t in online["data"]} == {"scattermap"}
    assert online["layout"]["map"]["style"]["sources"]["tiles"]["tiles"] == [tiles]
    assert drawn_ids(go.Figure(online)) == drawn_ids(map_figure(store, chosen))


# ---------------------------------------------------------------------- the map's layers and the summary band
from dashboard.views import map_layers  # noqa: E402
from dashboard.views.summary import summary_data, summary_figures  # noqa: E402


def test_the_opening_view_fits_the_dense_events_not_the_far_ones():
    # forty events between Aleppo and Baghdad, eight in the United States
    lons = [36.2 + 8.2 * i / 39 for i in range(40)] + [-77.0, -87.6, -95.4, -118.2] * 2
    lats = [36.2 - 2.9 * i / 39 for i in range(40)] + [38.9, 41.9, 29.8, 34.1] * 2
    lon, lat, scale = map_layers.fit_viewport(lons, lats)
    west, south, east, north = map_layers.visible_box(lon, lat, scale)
    assert west <= 36.2 and east >= 44.4 and south <= 33.3 and north >= 36.2  # the dense part is all in view
    assert west > -20 and scale >= 8  # the far events do not shrink it to the whole world
    assert map_layers.outside(lons, lats, (west, south, east, north)) == 8


def test_an_area_is_fitted_whole():
    area = ((38.0, 35.0), (41.0, 35.0), (41.0, 37.0), (38.0, 37.0))
    west, south, east, north = map_layers.visible_box(*map_layers.fit_viewport([], [], area=area))
    assert west <= 38 and east >= 41 and south <= 35 and north >= 37 and east - west < 12


def test_events_at_one_place_are_spread_with_their_count():
    lons, lats, stacks = map_layers.spread([43.13] * 5 + [44.0], [36.34] * 5 + [33.0], scale=20)
    assert stacks == [(43.13, 36.34, 5)]
    assert len({(round(x, 6), round(y, 6)) for x, y in zip(lons[:5], lats[:5])}) == 5
    assert (lons[5], lats[5]) == (44.0, 33.0)  # alone: not moved
    step = map_layers.degrees_per_px(20) * map_layers.SPREAD_PX
    assert all(abs(x - 43.13) < 6 * step and abs(y - 36.34) < 6 * step for x, y in zip(lons[:5], lats[:5]))
    closer = map_layers.spread([43.13] * 5, [36.34] * 5, scale=40)[0]
    assert abs(closer - 43.13).max() < abs(lons[:5] - 43.13).max()  # the same size on screen when zoomed in


def test_place_labels_are_the_largest_places_in_view_and_follow_the_zoom():
    wide = map_layers.place_labels(map_layers.visible_box(40, 34, 2))[2]
    close = map_layers.place_labels(map_layers.visible_box(38.2, 36.2, 40))[2]
    assert "Baghdad" in wide or "Cairo" in wide or "Istanbul" in wide
    assert "Aleppo" in close and set(close) - set(wide)
    assert map_layers.place_labels((0.0, 0.0, 0.01, 0.01)) == ([], [], [])  # the open sea


def test_an_empty_map_keeps_its_basemap(store):
    figure = draw_map(store.map_data(ViewState(text="zzqx-nothing")), ViewState(text="zzqx-nothing"))
    assert any(t["type"] == "scattergeo" for t in figure["data"]) and figure["layout"]["geo"]["showland"]
    assert figure["layout"]["annotations"][0]["text"] == EMPTY_MESSAGE


@pytest.mark.parametrize("query", ["", "country=IQ", "type=airstrike&bin=year", "brush=2016-01-01..2016-06-30",
                                   "area=38,35;41,35;41,37;38,37", "q=zzqx-nothing"])
def test_summary_band_counts_exactly_the_events_in_view(store, query):
    view = ViewState.from_query(query)
    deaths, by_type, by_country = summary_figures(summary_data(store, view), view)
    events = store.filter(view)
    assert sum(by_type["data"][0]["x"]) == len(events)
    assert sum(deaths["data"][0]["y"]) == int(events["fatalities"].fillna(0).sum())
    counts = events["country_code"].fillna("").value_counts()
    shown = dict(zip(by_country["data"][0]["customdata"], by_country["data"][0]["x"]))
    assert all(counts[code] == n for code, n in shown.items())
    assert f"{len(events):,}" in by_type["layout"]["title"]["text"]
    for figure in (deaths, by_type, by_country):
        go.Figure(figure)  # valid plotly
