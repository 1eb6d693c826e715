"""The map's layers on real data: first-level boundaries from data/boundaries (by zoom, near the view), the
density of events per square counted by the store (exact counts, every filter), the view state that
switches it on, the summary band's public query, and an exported image that shows the density.
"""
from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard.export.exporter import export_figure, run_export
from dashboard.export.renderer import ImageRenderer
from dashboard.store.schema import EVENTS_SCHEMA
from dashboard.views import map_layers
from dashboard.views.figures import map_dict, map_figure
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState
from dashboard.views.summary import summary_data
from tests.conftest import generated_store

needs_chromium = pytest.mark.chromium


def make_store(points: list[tuple[float, float, str, int | None]]) -> EventStore:
    """A store of events at (lon, lat) of a type, with a stated toll or None, all on one day."""
    rows = []
    for i, (lon, lat, event_type, deaths) in enumerate(points):
        rows.append({"id": f"e{i}", "start_date": "2017-05-02", "end_date": "2017-05-02", "time_precision": "day",
                     "lat": lat, "lon": lon, "place": f"place {i}", "place_precision": "city", "country_code": "IQ",
                     "event_type": event_type, "fatalities": deaths, "n_sources": 1, "sources": ["a1"],
                     "sentence": f"Sentence {i}.", "confidence": 0.9})
    frame = pd.DataFrame(rows)
    return EventStore.from_events(frame[[c for c in EVENTS_SCHEMA.names if c in frame.columns]])


# ---------------------------------------------------------------------- density counts
def test_density_counts_each_square_exactly():
    store = make_store([(43.2, 36.4, "battle", 3), (43.9, 36.1, "battle", None), (43.1, 36.9, "airstrike", 2),
                        (44.4, 33.3, "bombing", 10), (-0.5, 51.5, "protest", None), (-0.2, -0.3, "arrest", 1)])
    cells = store.density(ViewState(), 1.0)
    got = {(r, c): (n, d) for r, c, n, d in cells[["row", "col", "count", "fatalities"]].itertuples(index=False)}
    # 36-37 N 43-44 E holds three (5 killed); negative coordinates fall in the square west or south of 0
    assert got == {(36, 43): (3, 5), (33, 44): (1, 10), (51, -1): (1, 0), (-1, -1): (1, 1)}
    half = store.density(ViewState(), 0.5)
    assert set(zip(half["row"], half["col"])) == {(72, 86), (72, 87), (73, 86), (66, 88), (103, -1), (-1, -1)}


def test_density_follows_the_filters_and_the_box_but_not_the_map_area():
    store = make_store([(43.2, 36.4, "battle", 3), (43.9, 36.1, "airstrike", None), (44.4, 33.3, "battle", 1),
                        (10.0, 10.0, "battle", None)])
    only = store.density(ViewState(event_types=("airstrike",)), 1.0)
    assert only[["row", "col", "count"]].values.tolist() == [[36, 43, 1]]
    boxed = store.density(ViewState(), 1.0, box=(40.0, 30.0, 50.0, 40.0))  # west, south, east, north
    assert boxed[["row", "col", "count"]].values.tolist() == [[33, 44, 1], [36, 43, 2]]
    # The map draws its own area: the squares ignore it (as the dots do).
    area = ViewState.from_query("area=43,36;44,36;44,37;43,37")
    assert store.density(area, 1.0)["count"].sum() == 4


def test_density_squares_are_drawn_where_they_are_counted():
    cells = pd.DataFrame({"row": [36, -1], "col": [43, -2], "count": [120, 1], "fatalities": [7, 0]})
    trace = map_layers.density_trace(cells, 0.5)
    assert trace["type"] == "choropleth" and trace["locations"] == ["36:43", "-1:-2"]
    first, second = (f["geometry"]["coordinates"][0] for f in trace["geojson"]["features"])
    assert first == [[21.5, 18.0], [21.5, 18.5], [22.0, 18.5], [22.0, 18.0], [21.5, 18.0]]  # clockwise
    assert second == [[-1.0, -0.5], [-1.0, 0.0], [-0.5, 0.0], [-0.5, -0.5], [-1.0, -0.5]]
    assert trace["customdata"] == ["zoom:21.75,18.25", "zoom:-0.75,-0.25"]  # a click zooms on the centre
    assert trace["hovertext"][0].startswith("120 events in 18°N–18.5°N, 21.5°E–22°E<br>7 killed")
    assert trace["hovertext"][1].startswith("1 event in 0.5°S–0°N, 1°W–0.5°W")
    assert trace["z"] == [round(np.log10(120), 3), 0.0]
    assert trace["colorbar"]["ticktext"] == ["1", "10", "120"]  # log scale, topped by the busiest square


@pytest.mark.parametrize("scale, side", [(1.0, 4.0), (2.0, 2.0), (4.0, 1.0), (8.0, 0.5), (28.0, 0.25),
                                         (64.0, 0.0625)])
def test_the_square_follows_the_zoom(scale, side):
    assert map_layers.density_cell(scale) == side


# ---------------------------------------------------------------------- view state
@pytest.mark.parametrize("query, layer, back", [
    ("layer=density", "density", "layer=density"), ("layer=both&size=fatalities", "both", "size=fatalities&layer=both"),
    ("layer=heat", "events", ""), ("layer=", "events", ""), ("", "events", ""),
])
def test_the_layer_is_in_the_url(query, layer, back):
    view = ViewState.from_query(query)
    assert view.map_layer == layer and view.to_query() == back
    assert view.cleared().map_layer == layer  # a layout choice, kept by "Clear all"


# ---------------------------------------------------------------------- boundaries
@pytest.mark.parametrize("scale, name", [(1.0, None), (2.4, None), (2.5, "admin1_lines_6km.geojson.gz"),
                                         (7.9, "admin1_lines_6km.geojson.gz"), (8.0, "admin1_lines_1500m.geojson.gz"),
                                         (64.0, "admin1_lines_1500m.geojson.gz")])
def test_boundaries_by_zoom(scale, name):
    assert map_layers.boundary_file(scale) == name


def _points(lons, lats):
    return [(lon, lat) for lon, lat in zip(lons, lats) if lon is not None]


def test_boundaries_near_the_view_only():
    iraq = _points(*map_layers.admin1_lines(map_layers.visible_box(43.5, 33.5, 8.0), 8.0))
    assert len(iraq) > 300
    west, south, east, north = map_layers.visible_box(43.5, 33.5, 8.0)
    width, height = east - west, north - south
    # Every line crosses the view or the quarter around it (a line is kept whole).
    assert all(west - width < lon < east + width and south - height < lat < north + height for lon, lat in iraq)
    assert any(42.5 < lon < 45 and 33.5 < lat < 36 for lon, lat in iraq)  # between Baghdad and Mosul
    ocean = map_layers.admin1_lines(map_layers.visible_box(-130.0, -40.0, 8.0), 8.0)  # the South Pacific
    assert ocean == ([], [])
    assert map_layers.admin1_lines(map_layers.visible_box(20.0, 20.0, 1.0), 1.0) == ([], [])


def test_closer_zoom_draws_finer_lines_and_the_small_units():
    box = map_layers.visible_box(14.8, 46.1, 8.0)  # Slovenia: some 200 small first-level units
    coarse = _points(*map_layers.admin1_lines(box, 3.0))
    coarse_here = [p for p in coarse if box[0] < p[0] < box[2] and box[1] < p[1] < box[3]]
    fine = _points(*map_layers.admin1_lines(box, 8.0))
    fine_here = [p for p in fine if box[0] < p[0] < box[2] and box[1] < p[1] < box[3]]
    assert len(fine_here) > 2 * len(coarse_here) > 0


def test_every_line_is_one_broken_polyline():
    lons, lats = map_layers.admin1_lines(map_layers.visible_box(40.0, 35.0, 6.0), 6.0)
    assert len(lons) == len(lats) and lons[-1] is None and lats[-1] is None
    assert [i for i, v in enumerate(lons) if v is None] == [i for i, v in enumerate(lats) if v is None]
    assert all(-180 <= v <= 180 for v in lons if v is not None)


def test_a_missing_boundary_file_is_named_and_the_map_still_draws(tmp_path, monkeypatch, caplog):
    (tmp_path / "admin1_lines_6km.geojson.gz").write_bytes(b"not gzip")
    monkeypatch.setattr(map_layers, "BOUNDARIES_DATA", tmp_path)
    map_layers._boundary_lines.cache_clear()
    map_layers._lines_near.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="dashboard.views.map_layers"):
            assert map_layers.admin1_lines(map_layers.visible_box(40.0, 35.0, 4.0), 4.0) == ([], [])
            assert map_layers.admin1_lines(map_layers.visible_box(40.0, 35.0, 20.0), 20.0) == ([], [])
        messages = " ".join(r.getMessage() for r in caplog.records)
        assert "admin1_lines_6km.geojson.gz" in messages and "admin1_lines_1500m.geojson.gz" in messages
        store = make_store([(43.2, 36.4, "battle", 3)])
        figure = json.loads(map_figure(store, ViewState.from_query("map=43,36,4")).to_json())
        assert any(t["type"] == "scattergeo" and t.get("customdata") == ["e0"] for t in figure["data"])
    finally:
        map_layers._boundary_lines.cache_clear()
        map_layers._lines_near.cache_clear()


def test_labels_and_boundaries_are_read_back_from_the_cache_folder_without_the_gazetteer(tmp_path, monkeypatch):
    # A new process that draws a map (a CLI export) reads two small files instead of loading the gazetteer
    # and parsing the GeoJSON; a damaged file is computed again and rewritten.
    monkeypatch.setenv("NEWS_DASHBOARD_CACHE", str(tmp_path))
    name = "admin1_lines_6km.geojson.gz"
    try:
        map_layers.largest_places.cache_clear()
        map_layers._boundary_lines.cache_clear()
        computed, lines = map_layers.largest_places(), map_layers._boundary_lines(name)
        assert computed[3][:2] and len(computed[3]) == map_layers.LABEL_PLACES and lines[0].size > 1000
        saved = sorted(path.name for path in tmp_path.glob("*.npz"))
        assert len(saved) == 2 and saved[0].startswith("admin1_lines_6km-") and saved[1].startswith("map-labels-")

        def no_gazetteer():
            raise AssertionError("the gazetteer was loaded")

        monkeypatch.setattr(map_layers, "load_gazetteer", no_gazetteer)
        monkeypatch.setattr(map_layers.json, "load", lambda handle: no_gazetteer())
        map_layers.largest_places.cache_clear()
        map_layers._boundary_lines.cache_clear()
        read, read_lines = map_layers.largest_places(), map_layers._boundary_lines(name)
        assert read[3] == computed[3] and all(isinstance(place, str) for place in read[3])
        for before, after in zip((*computed[:3], *lines), (*read[:3], *read_lines)):
            np.testing.assert_array_equal(before, after)
        monkeypatch.undo()
        monkeypatch.setenv("NEWS_DASHBOARD_CACHE", str(tmp_path))
        labels_file = next(tmp_path.glob("map-labels-*.npz"))
        labels_file.write_bytes(labels_file.read_bytes()[:500])  # a truncated copy
        map_layers.largest_places.cache_clear()
        assert map_layers.largest_places()[3] == computed[3]
        assert np.load(labels_file)["names"].size == map_layers.LABEL_PLACES  # written whole again
    finally:
        map_layers.largest_places.cache_clear()
        map_layers._boundary_lines.cache_clear()
        map_layers._lines_near.cache_clear()


# ---------------------------------------------------------------------- the figure, the summary, the export
def test_the_map_figure_holds_both_layers_when_asked():
    store = make_store([(43.2, 36.4, "battle", 3), (43.3, 36.3, "battle", 1), (44.4, 33.3, "airstrike", None)])
    names = lambda query: [t.get("name") for t in json.loads(map_figure(store, ViewState.from_query(query))  # noqa: E731
                                                               .to_json())["data"]]
    events_only = names("map=43,35,6")
    assert "density" not in events_only and "Battle" in events_only and "first-level boundaries" in events_only
    density = names("map=43,35,6&layer=density")
    assert density[0] == "density" and "Battle" not in density
    both = names("map=43,35,6&layer=both")
    assert both[0] == "density" and "Battle" in both


def test_an_image_export_draws_the_boundaries_and_the_density():
    store = make_store([(43.2, 36.4, "battle", 3), (43.3, 36.3, "battle", 1), (44.4, 33.3, "airstrike", None)])
    figure = export_figure(store, "map", ViewState.from_query("map=43,35,6&layer=both"))
    traces = {t.get("name"): t for t in figure["data"]}
    lines = traces["first-level boundaries"]
    assert len([v for v in lines["lon"] if v is not None]) > 100
    assert sorted(traces["density"]["locations"]) == ["33:44", "36:43"]


def test_on_online_tiles_the_density_is_a_maplibre_layer_and_the_tiles_bring_their_boundaries():
    store = make_store([(43.2, 36.4, "battle", 3), (44.4, 33.3, "airstrike", None)])
    view = ViewState.from_query("map=43,35,6&layer=density&basemap=tiles")
    figure = map_dict(store, view, tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    types = {t.get("name"): t["type"] for t in figure["data"]}
    assert types["density"] == "choroplethmap" and "first-level boundaries" not in types


def test_summary_counts_come_from_the_stores_public_query():
    store = make_store([(43.2, 36.4, "battle", 3), (43.3, 36.3, "battle", None), (44.4, 33.3, "airstrike", 4)])
    view = ViewState.from_query("type=battle")
    counts = summary_data(store, view).counts
    assert counts.equals(store.period_counts(view))
    assert counts[["event_type", "country_code", "events", "deaths", "stated"]].values.tolist() == [
        ["battle", "IQ", 2, 3, 1]]
    assert str(counts["bin_start"].iloc[0])[:10] == "2017-05-01"


@needs_chromium
def test_an_exported_map_shows_the_density(tmp_path):
    store = generated_store(tmp_path, 400, seed=5)  # the dashboard's own synthetic store generator
    with ImageRenderer() as renderer:
        plain = run_export(store, "png", tmp_path / "plain.png", figure="map", view_query="map=42,35,5",
                           width=900, height=600, renderer=renderer)
        dense = run_export(store, "png", tmp_path / "dense.png", figure="map",
                           view_query="map=42,35,5&layer=density", width=900, height=600, renderer=renderer)

    def warm_share(path):  # pixels far warmer than the pale land, the blue sea and the grey lines
        pixels = np.asarray(Image.open(path).convert("RGB"), dtype=int)
        return (pixels[:, :, 0] - pixels[:, :, 2] > 80).mean()
    # The density's yellow-to-red squares are in the image: several times the warm pixels of the markers.
    assert warm_share(dense.path) > 3 * warm_share(plain.path) > 0
