"""The map's own layers in headless Chromium at 1280x800: first-level (admin-1) boundaries that show when
zoomed in and not at world zoom, and the density layer switched on from its control or the URL. Every test
also reads the browser's log and fails on any SEVERE entry.
"""
from __future__ import annotations

import math
import os
import re
import time
from pathlib import Path

import pytest

from dashboard.views import map_layers
from dashboard.views.state import ViewState
from test_app_browser import no_severe_logs, screenshot, url_view, wait_rendered, wait_until
from test_dashboard_browser import click_at, map_pixels, open_page

browser = pytest.mark.browser
LOOK = os.environ.get("DASHBOARD_LOOK")  # a folder: screenshots to look at while developing (no test needs them)

FIGURE = "document.querySelector('#map .js-plotly-plot')"


def map_trace(dash_duo, name: str) -> dict | None:
    return dash_duo.driver.execute_script(
        f"const t = {FIGURE}.data.find(t => t.name === arguments[0]); "
        "return t ? {type: t.type, lon: t.lon, lat: t.lat, locations: t.locations, hovertext: t.hovertext, "
        "customdata: t.customdata} : null;", name)


def look(dash_duo, name: str) -> None:
    if LOOK:
        Path(LOOK).mkdir(parents=True, exist_ok=True)
        dash_duo.driver.save_screenshot(str(Path(LOOK) / name))


def drawn_line_length(dash_duo) -> float:
    """The on-screen length of the boundary trace's SVG path (0 when nothing is drawn)."""
    return dash_duo.driver.execute_script("""
        for (const trace of document.querySelectorAll('#map .trace.scattergeo')) {
            if (trace.__data__[0].trace.name === 'first-level boundaries') {
                return Array.from(trace.querySelectorAll('path.js-line')).reduce((sum, p) => sum + p.getTotalLength(), 0);
            }
        }
        return 0;""")


# ---------------------------------------------------------------------- boundaries
@browser
def test_first_level_boundaries_show_zoomed_in_and_not_at_world_zoom(dash_duo, seed_store):
    open_page(dash_duo, seed_store, "map=43.5,33.5,6")  # Iraq fills the map
    lines = wait_until(lambda: map_trace(dash_duo, "first-level boundaries"), "the boundary trace")
    points = [(lon, lat) for lon, lat in zip(lines["lon"], lines["lat"]) if lon is not None]
    inside_iraq = [(lon, lat) for lon, lat in points if 40 < lon < 47 and 30 < lat < 37]
    assert len(inside_iraq) >= 100, "the lines between Iraq's governorates are drawn"
    assert None in lines["lon"], "one trace of broken lines (null between two lines)"
    assert drawn_line_length(dash_duo) > 2000, "and they are on screen"
    # A line between two governorates passes between Baghdad and Mosul on screen (not only at the borders).
    baghdad, mosul = map_pixels(dash_duo, [[44.4, 33.3], [43.1, 36.3]])
    between = [(lon, lat) for lon, lat in inside_iraq if 33.5 < lat < 36.0 and 42.5 < lon < 45.0]
    assert between and baghdad[1] > mosul[1]
    look(dash_duo, "boundaries-iraq.png")
    # Zoomed in closer: the finer lines (more points in a smaller box).
    dash_duo.driver.get(dash_duo.server_url + "/?map=43.2,36.3,24")
    wait_rendered(dash_duo)
    close = map_trace(dash_duo, "first-level boundaries")
    assert len([v for v in close["lon"] if v is not None]) > 50
    # The world: no mesh of lines over it.
    dash_duo.driver.get(dash_duo.server_url + "/?map=20,20,1")
    wait_rendered(dash_duo)
    world = map_trace(dash_duo, "first-level boundaries")
    assert world is not None and not world["lon"], "at world zoom the trace is there but empty"
    assert drawn_line_length(dash_duo) == 0
    no_severe_logs(dash_duo)


# ---------------------------------------------------------------------- density
def _expected_cells(store, view: ViewState, cell: float, box) -> dict[str, int]:
    """Placed events per square, counted here with pandas (not with the store's SQL)."""
    events = store.filter(view.without("area")).dropna(subset=["lat", "lon"])
    west, south, east, north = box
    events = events[(events["lon"] >= west) & (events["lon"] <= east) & (events["lat"] >= south)
                     & (events["lat"] <= north)]
    cells: dict[str, int] = {}
    for lon, lat in zip(events["lon"], events["lat"]):
        key = f"{math.floor(lat / cell)}:{math.floor(lon / cell)}"
        cells[key] = cells.get(key, 0) + 1
    return cells


@browser
def test_density_layer_switches_on_from_its_control_and_the_url(dash_duo, seed_store):
    store = open_page(dash_duo, seed_store, "map=40.5,34.8,8")  # Syria and Iraq fill the map
    assert map_trace(dash_duo, "density") is None
    events_before = dash_duo.driver.execute_script(
        f"return {FIGURE}.data.filter(t => Array.isArray(t.customdata) && t.type === 'scattergeo').length")
    assert events_before > 0
    dash_duo.find_element("#map-layer input[value='density']").click()
    wait_until(lambda: url_view(dash_duo).map_layer == "density", "layer=density in the URL")
    wait_rendered(dash_duo)
    density = wait_until(lambda: map_trace(dash_duo, "density"), "the density squares")
    assert density["type"] == "choropleth"
    # Exactly the events of the view, per square of the zoom's size, inside the drawn part of the world.
    cell = map_layers.density_cell(8)
    box = map_layers.density_box(map_layers.visible_box(40.5, 34.8, 8))
    expected = _expected_cells(store, url_view(dash_duo), cell, box)
    drawn = {key: int(re.match(r"([\d,]+) event", text).group(1).replace(",", ""))
             for key, text in zip(density["locations"], density["hovertext"])}
    assert drawn == expected and len(drawn) >= 3
    squares = dash_duo.driver.execute_script("return document.querySelectorAll('#map .choroplethlayer path').length")
    assert squares == len(drawn), "every square is drawn"
    # Density alone: no event markers; the layer survives a reload (it is in the URL).
    assert dash_duo.driver.execute_script(
        f"return {FIGURE}.data.filter(t => Array.isArray(t.customdata) && t.type === 'scattergeo').length") == 0
    look(dash_duo, "density.png")
    screenshot(dash_duo, "density.png")  # the README's, with `make screenshots`
    dash_duo.driver.refresh()
    wait_rendered(dash_duo)
    assert dash_duo.find_element("#map-layer input[value='density']").is_selected()
    # A filter changes the squares (the layer follows every filter, as the dots do).
    dash_duo.driver.get(dash_duo.server_url + "/?map=40.5,34.8,8&layer=both&type=airstrike")
    wait_rendered(dash_duo)
    both = map_trace(dash_duo, "density")
    filtered = _expected_cells(store, ViewState.from_query("type=airstrike"), cell, box)
    assert sorted(both["locations"]) == sorted(filtered)
    assert dash_duo.driver.execute_script(
        f"return {FIGURE}.data.filter(t => Array.isArray(t.customdata) && t.type === 'scattergeo').length") > 0
    no_severe_logs(dash_duo)


@browser
def test_a_click_on_a_density_square_zooms_in_on_it(dash_duo, seed_store):
    open_page(dash_duo, seed_store, "map=41,34.5,4&layer=density")
    density = wait_until(lambda: map_trace(dash_duo, "density"), "the density squares")
    target = density["customdata"][0]
    lon, lat = (float(v) for v in target[5:].split(","))
    graph = dash_duo.driver.execute_script(
        f"const r = {FIGURE}.getBoundingClientRect(); return [r.left, r.top];")
    x, y = map_pixels(dash_duo, [[lon, lat]])[0]
    # The map's own pixels are inside its plot area (its margins are 0).
    click_at(dash_duo.driver, graph[0] + x, graph[1] + y)
    wait_until(lambda: url_view(dash_duo).viewport and url_view(dash_duo).viewport.scale > 4, "a zoom on the square")
    viewport = url_view(dash_duo).viewport
    assert abs(viewport.lon - lon) < 2 and abs(viewport.lat - lat) < 2
    time.sleep(0.5)
    no_severe_logs(dash_duo)
