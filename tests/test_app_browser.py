"""The real app in headless Chromium: linked timeline and map, provenance, URL state, hostile input.

Each test starts the app over a real store (the seed build, or a synthetic/hostile store made with
bench/gen_events.py), drives it like a user (drag a brush, draw a lasso, click a point, open a link) and
checks what the page shows. Screenshots of the seed dashboard for the README (1280x800) are written only
by ``make screenshots``, which names the folder in ``DASHBOARD_SCREENSHOTS``; a test run changes no file.
"""
from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from dashboard.web.app import create_app
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState


browser = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = os.environ.get("DASHBOARD_SCREENSHOTS")  # a folder: set by `make screenshots` only
TIMEOUT = 20


# ---------------------------------------------------------------------- helpers
def free_port() -> int:
    with socket.socket() as sock:  # each test server on its own port: other suites may run alongside
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(dash_duo, store_path, query: str = ""):
    app = create_app(store_path)
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1280, 1500)
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/?" + query.lstrip("?"))
    wait_rendered(dash_duo)
    return app._event_store


def wait_until(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except Exception as error:  # the page may be re-rendering: try again
            last = error
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def wait_rendered(dash_duo):
    """Wait until the render callback has finished (summary filled, no pending callbacks)."""
    wait_until(lambda: dash_duo.driver.execute_script(
        "return !!document.querySelector('#summary strong') && "
        "!document.querySelector('[data-dash-is-loading=\"true\"]') && "
        "!!document.querySelector('#timeline .main-svg') && !!document.querySelector('#map .main-svg')"),
        "the dashboard to render")
    time.sleep(0.6)  # let plotly finish drawing the new figures


def points(dash_duo, graph: str) -> int:
    """Event markers drawn on a graph (scatter points; histogram bars are not points)."""
    return dash_duo.driver.execute_script(f"return document.querySelectorAll('#{graph} path.point').length")


def event_markers(dash_duo, graph: str) -> list[str]:
    """The event ids drawn as markers on a graph (from the figure's data, halos and rings excluded)."""
    return dash_duo.driver.execute_script(f"""
        const gd = document.querySelector('#{graph} .js-plotly-plot');
        return gd.data.filter(t => Array.isArray(t.customdata))
            .flatMap(t => t.customdata).filter(c => typeof c === 'string' && !c.startsWith('bin:') && !c.startsWith('zoom:'));
    """)


def url_view(dash_duo) -> ViewState:
    return ViewState.from_query(urlparse(dash_duo.driver.current_url).query)


def matching(dash_duo) -> int:
    text = dash_duo.find_element("#summary strong").text
    return int(text.replace(",", ""))


def drag(driver, path: list[tuple[float, float]]):
    """Press, move through ``path`` (viewport pixels) and release, like a mouse drag."""
    actions = ActionBuilder(driver)
    pointer = actions.pointer_action
    pointer.move_to_location(int(path[0][0]), int(path[0][1]))
    pointer.pointer_down()
    for x, y in path[1:]:
        pointer.move_to_location(int(x), int(y))
    pointer.pointer_up()
    actions.perform()


def scroll_into_view(dash_duo, selector: str):
    dash_duo.driver.execute_script(
        f"document.querySelector('{selector}').scrollIntoView({{block: 'center'}})")
    time.sleep(0.3)


def timeline_pixels(dash_duo, dates: list[str]) -> tuple[list[float], float, float]:
    """Viewport x of dates on the timeline and the y range of the lanes plot."""
    return dash_duo.driver.execute_script("""
        const gd = document.querySelector('#timeline .js-plotly-plot');
        const box = gd.getBoundingClientRect();
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const xs = arguments[0].map(d => box.left + xa._offset + xa.d2p(d));
        return [xs, box.top + ya._offset + 5, box.top + ya._offset + ya._length - 5];
    """, dates)


def point_centres(dash_duo, graph: str) -> list[tuple[float, float]]:
    return dash_duo.driver.execute_script(f"""
        return Array.from(document.querySelectorAll('#{graph} path.point')).map(p => {{
            const r = p.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];
        }}).filter(c => c[0] > 0 && c[1] > 0);
    """)


def screenshot(dash_duo, name: str):
    """A 1280x800 screenshot of the current page for the README, when ``make screenshots`` asks for it."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        time.sleep(1.0)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(SCREENSHOTS) / name))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def no_severe_logs(dash_duo):
    severe = [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]
    assert not severe, severe


# ---------------------------------------------------------------------- tests
@browser
def test_loads_with_points_on_both_graphs_offline(dash_duo, seed_store):
    store = start(dash_duo, seed_store)
    assert points(dash_duo, "timeline") > 0
    assert points(dash_duo, "map") > 0
    assert matching(dash_duo) == store.count(ViewState())
    # Boundaries and plotly.js come from this server, never a CDN.
    sources = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert any(s.endswith("/assets/topojson/world_50m.json") for s in sources)
    external = [s for s in sources if not s.startswith(dash_duo.server_url)]
    assert not external, external
    no_severe_logs(dash_duo)
    screenshot(dash_duo, "dashboard.png")


@browser
def test_brush_on_timeline_filters_the_map(dash_duo, seed_store):
    store = start(dash_duo, seed_store)
    before = points(dash_duo, "map")
    events = store.filter(ViewState()).dropna(subset=["lat"])
    day_precise = events[events["time_precision"] == "day"].sort_values("start_date")
    assert len(day_precise) >= 1, "the store needs a day-precise placed event to brush"
    # Brush a short window around one event: most others fall outside it.
    target = day_precise.iloc[len(day_precise) // 2]["start_date"]
    start_day = (target - __import__("pandas").Timedelta(days=3)).strftime("%Y-%m-%d")
    end_day = (target + __import__("pandas").Timedelta(days=3)).strftime("%Y-%m-%d")
    scroll_into_view(dash_duo, "#timeline")
    (x0, x1), y_top, y_bottom = timeline_pixels(dash_duo, [start_day, end_day])
    x0, x1 = min(x0, x1 - 6), max(x1, x0 + 6)  # at least a few pixels wide
    drag(dash_duo.driver, [(x0, y_top + 10), ((x0 + x1) / 2, (y_top + y_bottom) / 2), (x1, y_bottom - 10)])
    wait_until(lambda: url_view(dash_duo).brush is not None, "the brush in the URL")
    wait_rendered(dash_duo)
    view = url_view(dash_duo)
    after = wait_until(lambda: (lambda n: n if n < before else None)(points(dash_duo, "map")),
                       "fewer map points after brushing")
    assert 0 < after < before
    # The map draws exactly the brushed, placed events; the timeline keeps all (it shows the brush).
    brushed = store.filter(view).dropna(subset=["lat", "lon"])
    assert sorted(event_markers(dash_duo, "map")) == sorted(brushed["id"])
    assert points(dash_duo, "timeline") > 0  # the timeline itself is not filtered by its own brush


@browser
def test_lasso_on_map_filters_the_timeline(dash_duo, seed_store):
    start(dash_duo, seed_store)
    before = points(dash_duo, "timeline")
    scroll_into_view(dash_duo, "#map")
    button = dash_duo.find_element('#map .modebar-btn[data-val="lasso"]')
    dash_duo.driver.execute_script("arguments[0].click()", button)
    centres = point_centres(dash_duo, "map")
    assert centres
    cx, cy = centres[0]
    ring = [(cx - 30, cy - 30), (cx + 30, cy - 30), (cx + 30, cy + 30), (cx - 30, cy + 30), (cx - 30, cy - 29)]
    drag(dash_duo.driver, ring)
    wait_until(lambda: url_view(dash_duo).area is not None, "the lasso area in the URL")
    wait_rendered(dash_duo)
    after = wait_until(lambda: (lambda n: n if n < before else None)(points(dash_duo, "timeline")),
                       "fewer timeline points after the lasso")
    assert 0 < after < before
    assert "map area selected" in dash_duo.find_element("#summary").text
    store = EventStore(seed_store)
    assert sorted(event_markers(dash_duo, "timeline")) == sorted(store.filter(url_view(dash_duo))["id"])


@browser
def test_click_opens_provenance_with_highlighted_sentence(dash_duo, seed_store):
    store = start(dash_duo, seed_store)
    scroll_into_view(dash_duo, "#timeline")
    marker = dash_duo.driver.find_elements("css selector", "#timeline path.point")[0]
    ActionChains(dash_duo.driver).move_to_element(marker).pause(0.3).click().perform()
    wait_until(lambda: url_view(dash_duo).event_id, "the selected event in the URL")
    wait_rendered(dash_duo)
    event = store.event(url_view(dash_duo).event_id)
    sentence = event["provenance"][0]["sentence"] if event["provenance"] else event["sentence"]
    panel = wait_until(lambda: dash_duo.find_element("#provenance .sentence"), "the provenance panel")
    assert " ".join(panel.text.split()) == " ".join(sentence.split())
    marks = dash_duo.driver.find_elements("css selector", "#provenance mark.mention")
    assert marks, "date/place mentions are highlighted"
    assert all(m.text in sentence for m in marks)
    # Highlighted everywhere: a ring on both graphs and the row in the table.
    ring_traces = dash_duo.driver.execute_script(
        "return ['timeline', 'map'].map(id => document.querySelector('#' + id + ' .js-plotly-plot')"
        ".data.filter(t => t.name === 'selected').length)")
    assert ring_traces == [1, 1] if event.get("lat") is not None else ring_traces[0] == 1
    screenshot(dash_duo, "provenance.png")


@browser
def test_url_restores_the_view(dash_duo, seed_store):
    store = EventStore(seed_store)
    sample = store.filter(ViewState()).dropna(subset=["lat"]).iloc[0]
    word = max(re.findall(r"[A-Za-z]{5,}", sample["sentence"]), key=len).lower()
    query = (f"from=2000-01-01&to=2025-12-31&q={word}&country={sample['country_code']}&lanes=country&bin=year"
             f"&size=fatalities&event={sample['id']}&map=40,34,6")
    start(dash_duo, seed_store, query)
    view = ViewState.from_query(query)
    assert url_view(dash_duo) == view
    assert dash_duo.find_element("#search").get_attribute("value") == word
    assert dash_duo.find_element("#date-from").get_attribute("value") == "2000-01-01"
    assert dash_duo.driver.execute_script("return document.querySelector('#lanes input[value=country]').checked")
    assert dash_duo.driver.execute_script("return document.querySelector('#bin input[value=year]').checked")
    assert matching(dash_duo) == store.count(view) > 0
    assert dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot')._fullLayout.geo.projection.scale") == 6
    assert sample["place"] in dash_duo.find_element("#provenance").text
    # A control change writes the URL, and reloading that URL gives the same page.
    dash_duo.find_element("#bin input[value=month]").click()
    wait_until(lambda: "bin=" not in dash_duo.driver.current_url, "bin=month (the default) in the URL")
    dash_duo.driver.refresh()
    wait_rendered(dash_duo)
    assert dash_duo.driver.execute_script("return document.querySelector('#bin input[value=month]').checked")
    wait_until(lambda: dash_duo.find_element("#search").get_attribute("value") == word, "the search from the URL")


@browser
def test_empty_result_shows_a_friendly_message(dash_duo, seed_store):
    start(dash_duo, seed_store, "q=zzqxxnothingmatches")
    message = wait_until(lambda: dash_duo.find_element("#message").text, "the empty message")
    assert "No events match" in message
    assert points(dash_duo, "timeline") == 0 and points(dash_duo, "map") == 0
    dash_duo.find_element("#clear-all").click()
    wait_until(lambda: dash_duo.find_element("#message").text == "", "the message to go after Clear all")
    assert "q=" not in dash_duo.driver.current_url


@browser
def test_full_range_reaches_events_outside_2014_2025(dash_duo, seed_store):
    store = start(dash_duo, seed_store)
    first, last = store.date_extent()
    dash_duo.find_element("#full-range").click()
    wait_until(lambda: url_view(dash_duo).date_from == first, "the window to open to the first event")
    wait_rendered(dash_duo)
    assert url_view(dash_duo).date_to == last
    assert matching(dash_duo) == store.total
    assert dash_duo.find_element("#date-from").get_attribute("value") == first.isoformat()


@browser
def test_script_in_an_article_is_text_and_never_runs(dash_duo, hostile_store):
    start(dash_duo, hostile_store, "event=hostile-1")
    panel = wait_until(lambda: dash_duo.find_element("#provenance .sentence"), "the provenance panel")
    assert "<script>window.__pwned = 1</script>" in panel.text
    assert '<img src=x onerror="window.__pwned=2">' in panel.text
    assert "<b onmouseover=alert(1)>Bold title</b>" in dash_duo.find_element("#provenance").text
    assert dash_duo.driver.execute_script("return typeof window.__pwned") == "undefined"
    assert not dash_duo.driver.find_elements("css selector", "#provenance script, #provenance img, #provenance a")
    # The hover text of the same event is escaped too (plotly renders a subset of HTML).
    hover = dash_duo.driver.execute_script(
        "return document.querySelector('#timeline .js-plotly-plot').data"
        ".flatMap(t => t.hovertext || []).filter(h => h.includes('pwned'))")
    assert hover and all("<script>" not in h and "&lt;script&gt;" in h for h in hover)
    assert dash_duo.driver.execute_script("return typeof window.__pwned") == "undefined"


@browser
def test_hostile_url_gives_the_default_view(dash_duo, seed_store):
    store = EventStore(seed_store)
    start(dash_duo, seed_store,
          "from=9999-99-99&to=<script>&area=1,2;x&map=nan,nan,1e9&country=<script>alert(1)</script>"
          "&type=bogus&event=%3Cscript%3E&lanes=%00&brush=2020-01-01..garbage&q=" + "a" * 5000)
    assert matching(dash_duo) == store.count(ViewState(text="a" * 200))
    assert dash_duo.driver.execute_script("return typeof window.alert_called") == "undefined"
    no_severe_logs(dash_duo)
    start_url = dash_duo.server_url + "/?from=2016-13-45&lanes=country"
    dash_duo.driver.get(start_url)
    wait_rendered(dash_duo)
    assert matching(dash_duo) == store.count(ViewState())
    no_severe_logs(dash_duo)


@browser
def test_playback_moves_the_brush_through_the_window(dash_duo, seed_store):
    start(dash_duo, seed_store, "from=2014-01-01&to=2016-12-31")
    dash_duo.find_element("#play").click()
    first = wait_until(lambda: url_view(dash_duo).brush, "playback to set a brush")
    assert first[0] == url_view(dash_duo).date_from and (first[1] - first[0]).days == 91  # a 3-month window
    later = wait_until(lambda: (lambda b: b if b and b[0] > first[0] else None)(url_view(dash_duo).brush),
                       "the brush to move on")
    assert (later[1] - later[0]) == (first[1] - first[0])
    assert "Pause" in dash_duo.find_element("#play").text
    dash_duo.find_element("#play").click()
    wait_until(lambda: "Play" in dash_duo.find_element("#play").text, "playback to stop")
    stopped = url_view(dash_duo).brush
    time.sleep(2.5)  # longer than a tick: the brush stays where it stopped
    assert url_view(dash_duo).brush == stopped


# ---------------------------------------------------------------------- callbacks without a browser
from dashboard.web.app import (  # noqa: E402
    area_from_selection, brush_from_selection, render_view, viewport_from_relayout, window_from_relayout,
)


@pytest.mark.parametrize("payload", [None, 3, "x", [], {}, {"range": None}, {"range": {"x": ["a"]}},
                                     {"range": {"x": ["2016-01-01", "garbage"]}}, {"lassoPoints": {"geo": "x"}}])
def test_malformed_graph_payloads_are_ignored(payload):
    assert brush_from_selection(payload) is None
    assert window_from_relayout(payload) is None
    assert viewport_from_relayout(payload, ViewState()) is None
    try:
        area = area_from_selection(payload)
    except (TypeError, ValueError):
        area = None
    assert area is None


def test_graph_payloads_become_view_parts():
    assert brush_from_selection({"range": {"x": ["2016-01-01 12:00", "2016-02-01"]}}) == (
        ViewState.from_query("brush=2016-01-01..2016-02-01").brush)
    assert window_from_relayout({"xaxis.range[0]": "2015-01-01", "xaxis.range[1]": "2016-01-01 05:00"})[1].year == 2016
    box = area_from_selection({"range": {"geo": [[38, 37], [41, 35]]}})
    assert box == ((38.0, 35.0), (41.0, 35.0), (41.0, 37.0), (38.0, 37.0))
    lasso = area_from_selection({"lassoPoints": {"geo": [[i / 10, (i % 7) / 10] for i in range(500)]}})
    assert 3 <= len(lasso) <= 100
    assert viewport_from_relayout({"geo.projection.scale": 8}, ViewState()).scale == 8


def test_render_view_for_hostile_and_empty_views(synthetic_store):
    store = EventStore(synthetic_store)
    outputs = render_view(store, ViewState.from_query("event=<script>&q=zzzz-none&area=1,1;2,1;2,2"))
    timeline, geo, *_, panel, summary, message, message_class = outputs
    assert "No events match" in message and message_class.endswith("message-empty")
    assert "Click an event" in panel[0].children
    outputs = render_view(store, ViewState())
    assert outputs[-2] == "" and outputs[0]["data"]


def test_upload_dir_mounts_the_upload_and_correction_panels(synthetic_store, tmp_path):
    app = create_app(synthetic_store, upload_dir=tmp_path / "uploads", corpus_dir=ROOT / "data" / "corpus")
    client = app.server.test_client()
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "upload-files" in layout and "correct-status" in layout
    plain = create_app(synthetic_store).server.test_client().get("/_dash-layout").get_data(as_text=True)
    assert "upload-files" not in plain


def test_tile_map_payloads():
    assert area_from_selection({"range": {"map": [[38, 37], [41, 35]]}}) == (
        (38.0, 35.0), (41.0, 35.0), (41.0, 37.0), (38.0, 37.0))
    viewport = viewport_from_relayout({"map.center": {"lon": 43.1, "lat": 36.3}, "map.zoom": 4.5}, ViewState())
    assert (viewport.lon, viewport.lat, viewport.scale) == (43.1, 36.3, 16.0)


HOSTILE_VALUES = [None, 0, -1.5, "", "<script>alert(1)</script>", "?from=9999-99-99&area=x", [], [None, 3, {"a": 1}],
                  {"points": [{"customdata": {"x": 1}}]}, {"range": {"x": [1, None]}, "lassoPoints": {"geo": [[1]]}},
                  {"xaxis.range[0]": [], "geo.projection.scale": "nan", "map.zoom": "big"}, "a" * 10000]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_hostile_payloads_to_every_callback_never_give_a_server_error(synthetic_store, value):
    """Whatever a client posts as any input of any callback, the server answers without a traceback."""
    app = create_app(synthetic_store)
    client = app.server.test_client()
    for dependency in client.get("/_dash-dependencies").get_json():
        outputs = [dict(zip(("id", "property"), item.rsplit(".", 1)))
                   for item in dependency["output"].strip(".").split("...")]
        if "..." not in dependency["output"]:
            outputs = outputs[0]  # a single output is sent alone, as the browser does
        inputs = [dict(item, value=value) for item in dependency["inputs"]]
        for changed in dependency["inputs"]:
            response = client.post("/_dash-update-component", json={
                "output": dependency["output"], "outputs": outputs, "inputs": inputs,
                "state": [dict(item, value=value) for item in dependency["state"]],
                "changedPropIds": [f"{changed['id']}.{changed['property']}"]})
            assert response.status_code in (200, 204), (dependency["output"][:60], changed, response.data[:300])
