"""The page an analyst opens, in headless Chromium at 1280x800 (and 1024 wide): one test per defect found
by trying it as a new user (issue 17). Every test also reads the browser's log and fails on any SEVERE
entry (a console error, a failed request, an id missing from the layout).
"""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.keys import Keys

from dashboard.views.query import EventStore
from dashboard.views.state import ViewState
from dashboard.web.app import create_app
from test_app_browser import (
    event_markers, free_port, matching, no_severe_logs, points, url_view, wait_rendered, wait_until,
)

browser = pytest.mark.browser


def open_page(dash_duo, store_path, query: str = "", *, width: int = 1280, height: int = 800, **app_options):
    """The app over a store, in a window of exactly ``width`` x ``height`` CSS pixels."""
    app = create_app(store_path, **app_options)
    dash_duo.start_server(app, port=free_port())
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.get(dash_duo.server_url + "/" + ("?" + query.lstrip("?") if query else ""))
    wait_rendered(dash_duo)
    return app._event_store


def box(dash_duo, selector: str) -> dict:
    return dash_duo.driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};",
        selector)


def click_at(driver, x: float, y: float):
    """A mouse click at a viewport pixel (after a short hover, as a user's)."""
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(x), int(y)).pause(0.3).click()
    actions.perform()


def map_pixels(dash_duo, lonlats) -> list:
    """Where (lon, lat) points are drawn on the map, in the map's own pixels (for distances between them)."""
    return dash_duo.driver.execute_script(
        "const proj = document.querySelector('#map .js-plotly-plot')._fullLayout.geo._subplot.projection;"
        "return arguments[0].map(p => proj(p));", lonlats)


# ---------------------------------------------------------------------- layout
@browser
def test_map_fills_the_height_left_above_the_fold_and_opens_on_the_events(dash_duo, seed_store):
    store = open_page(dash_duo, seed_store)
    graph = box(dash_duo, "#map .js-plotly-plot")
    assert graph["height"] >= 0.55 * 800 and graph["bottom"] <= 800, graph
    assert box(dash_duo, "#play")["bottom"] <= 800  # Play is above the fold too
    # The geo frame fills the graph (no blank bands), and most placed events are inside the opening view.
    frame = dash_duo.driver.execute_script(
        "const r = document.querySelector('#map .geo .bg, #map .geolayer .bg');"
        "const b = document.querySelector('#map .geo').getBBox(); return [b.width, b.height];")
    assert frame[1] >= 0.9 * graph["height"], (frame, graph)
    inside = dash_duo.driver.execute_script("""
        const frame = document.querySelector('#map .js-plotly-plot').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#map path.point')).map(p => {
            const r = p.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
            return x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom;
        });""")
    assert sum(inside) >= 0.6 * len(inside), f"{sum(inside)} of {len(inside)} markers in the opening view"
    xs = [p[0] for p in map_pixels(dash_duo, [[36.2, 36.2], [44.4, 33.3]])]  # Aleppo to Baghdad
    assert abs(xs[1] - xs[0]) >= 150, "Syria and Iraq are more than a blob"
    # Events left outside the view are counted on the map.
    notes = dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot').layout.annotations.map(a => a.text)")
    placed = store.filter(ViewState()).dropna(subset=["lat", "lon"])
    fitted = url_view(dash_duo).viewport is None and dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot')._fullLayout.geo.projection.scale") > 2
    assert fitted and len(placed) > sum(inside) / 2
    assert any("outside this view" in n for n in notes), notes  # the seed store has events far away
    no_severe_logs(dash_duo)


@browser
def test_the_page_works_1024_pixels_wide(dash_duo, seed_store):
    open_page(dash_duo, seed_store, width=1024, height=768)
    width = dash_duo.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"horizontal scrolling: {width}"
    for selector in ("#clear-all", "#provenance", "#play-speed", "#map .js-plotly-plot", "#table"):
        assert box(dash_duo, selector)["right"] <= 1024, selector
    assert box(dash_duo, "#map .js-plotly-plot")["bottom"] <= 768
    no_severe_logs(dash_duo)


@browser
def test_place_labels_follow_the_zoom(dash_duo, seed_store):
    open_page(dash_duo, seed_store, "map=40,34,3")
    wide = dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot').data.find(t => t.name === 'places').text")
    dash_duo.driver.get(dash_duo.server_url + "/?map=38.2,36.2,40")
    wait_rendered(dash_duo)
    close = dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot').data.find(t => t.name === 'places').text")
    assert len(wide) >= 8 and len(close) >= 3
    assert set(close) - set(wide), "zooming in shows smaller places"
    drawn = dash_duo.driver.execute_script("return document.querySelectorAll('#map .trace.scattergeo text').length")
    assert drawn >= 3
    no_severe_logs(dash_duo)


@browser
def test_the_map_has_a_scale_that_follows_the_zoom(dash_duo, seed_store):
    def scale_bar():
        bar = wait_until(lambda: dash_duo.find_element(".map-scale"), "the scale bar")
        return int(bar.text.replace(",", "").split()[0]), bar.text.split()[1], bar.rect["width"]

    open_page(dash_duo, seed_store, "map=40,34,3")
    wide = scale_bar()
    dash_duo.driver.get(dash_duo.server_url + "/?map=40,34,30")
    wait_rendered(dash_duo)
    close = scale_bar()
    assert wide[1] == close[1] == "km" and 20 <= wide[2] <= 125 and 20 <= close[2] <= 125
    assert close[0] < wide[0] / 4, (wide, close)  # ten times the zoom: about a tenth of the distance
    no_severe_logs(dash_duo)


@browser
def test_events_at_one_place_show_a_count_and_spread_and_zoom_on_click(dash_duo, seed_store):
    store = open_page(dash_duo, seed_store)
    placed = store.filter(ViewState()).dropna(subset=["lat", "lon"])
    shared = placed.groupby(["lat", "lon"]).size()
    assert (shared > 1).any(), "the seed store has events at one place"
    stacks = dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot').data.find(t => t.name === 'events at one place')")
    assert sorted(int(t.replace(",", "")) for t in stacks["text"]) == sorted(shared[shared > 1].tolist())
    # Spread: no two event markers of the map are drawn on the same pixel.
    centres = dash_duo.driver.execute_script("""
        const gd = document.querySelector('#map .js-plotly-plot'), proj = gd._fullLayout.geo._subplot.projection;
        return gd.data.filter(t => Array.isArray(t.customdata) && typeof t.customdata[0] === 'string'
                                   && !t.customdata[0].startsWith('zoom:'))
            .flatMap(t => t.lon.map((lon, i) => proj([lon, t.lat[i]]).map(Math.round).join(',')));""")
    biggest = shared.idxmax()
    assert len(set(centres)) > 0.8 * len(centres)
    before = url_view(dash_duo).viewport
    badge = dash_duo.driver.execute_script("""
        const text = Array.from(document.querySelectorAll('#map .trace.scattergeo text'))
            .find(t => t.textContent === arguments[0]);
        const r = text.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];
    """, f"{shared.max():,}")
    click_at(dash_duo.driver, badge[0], badge[1])
    viewport = wait_until(lambda: url_view(dash_duo).viewport, "a click on the count to zoom in")
    assert before is None and viewport.scale >= 16
    assert abs(viewport.lon - biggest[1]) < 0.01 and abs(viewport.lat - biggest[0]) < 0.01
    no_severe_logs(dash_duo)


@browser
def test_an_empty_result_keeps_the_map(dash_duo, seed_store):
    open_page(dash_duo, seed_store, "q=zzqxxnothingmatches")
    assert points(dash_duo, "map") == 0
    assert dash_duo.driver.execute_script("return document.querySelectorAll('#map .geo path.countries, "
                                          "#map .geo .countries path').length") > 0, "the basemap is drawn"
    assert not dash_duo.driver.find_elements("css selector", "#map .ytick"), "no empty cartesian axes"
    assert "No events match" in dash_duo.find_element("#message").text
    no_severe_logs(dash_duo)


@browser
def test_hover_labels_stay_inside_their_graph(dash_duo, seed_store):
    open_page(dash_duo, seed_store)
    for graph in ("timeline", "map"):
        area = box(dash_duo, f"#{graph} .js-plotly-plot")
        markers = [m for m in dash_duo.driver.find_elements("css selector", f"#{graph} .scatterlayer path.point")
                   if area["left"] + 2 < m.rect["x"] + m.rect["width"] / 2 < area["right"] - 30
                   and area["top"] + 30 < m.rect["y"] + m.rect["height"] / 2 < area["bottom"] - 5]
        # the markers at both ends of the graph are the ones whose label could be cut off
        ends = sorted(markers, key=lambda m: m.rect["x"])
        for marker in (ends[0], ends[-1]):
            ActionChains(dash_duo.driver).move_to_element(marker).pause(0.4).perform()
            label = wait_until(lambda: box(dash_duo, f"#{graph} .hoverlayer .hovertext"), f"a hover label on {graph}")
            assert label["left"] >= area["left"] - 1 and label["right"] <= area["right"] + 1, (graph, label, area)
            if graph == "timeline":  # the lane labels stay readable
                lanes = box(dash_duo, "#timeline .yaxislayer-above, #timeline .yaxislayer")
                assert label["left"] >= lanes["right"] - 2 or label["right"] <= lanes["left"], (label, lanes)
    no_severe_logs(dash_duo)


@browser
def test_modebar_offers_no_cloud_upload(dash_duo, seed_store):
    open_page(dash_duo, seed_store)
    titles = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))")
    assert titles and not [t for t in titles if t and any(w in t.lower() for w in ("share", "cloud", "studio", "edit"))]
    assert not dash_duo.driver.find_elements("css selector", ".modebar a[href*='plot']")
    no_severe_logs(dash_duo)


# ---------------------------------------------------------------------- controls
@browser
def test_dates_apply_when_typed_and_left(dash_duo, seed_store):
    store = open_page(dash_duo, seed_store)
    field = dash_duo.find_element("#date-from")
    field.click()
    field.send_keys("03152017")  # month, day, year as Chromium's date field takes them (en-US)
    field.send_keys(Keys.TAB)    # leave the field: no Enter
    wait_until(lambda: url_view(dash_duo).date_from.isoformat() == "2017-03-15", "the typed date in the URL")
    wait_rendered(dash_duo)
    assert matching(dash_duo) == store.count(ViewState.from_query("from=2017-03-15"))
    to_field = dash_duo.find_element("#date-to")
    to_field.click()
    to_field.send_keys("06302019")
    dash_duo.find_element("#search").click()  # blur by clicking elsewhere
    wait_until(lambda: url_view(dash_duo).date_to.isoformat() == "2019-06-30", "the second date in the URL")
    no_severe_logs(dash_duo)


@browser
def test_country_dropdown_opens_above_the_graphs(dash_duo, seed_store):
    open_page(dash_duo, seed_store)
    dash_duo.find_element("#country").click()
    options = wait_until(lambda: dash_duo.driver.find_elements("css selector", ".dash-dropdown-option, "
                                                               "[role=option]"), "the country options")
    visible = dash_duo.driver.execute_script("""
        return arguments[0].filter(o => {
            const r = o.getBoundingClientRect();
            if (r.height === 0 || r.bottom > innerHeight) return false;
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return top && (o === top || o.contains(top) || top.contains(o));
        }).length;""", options)
    assert visible >= min(6, len(options)), f"{visible} of {len(options)} options visible"
    no_severe_logs(dash_duo)


@browser
def test_playback_shows_its_window_stops_at_the_end_and_never_loses_a_pause(dash_duo, seed_store):
    open_page(dash_duo, seed_store, "from=2014-01-01&to=2017-12-31")  # 31 steps of half a 3-month window
    dash_duo.find_element("#play-speed").click()
    dash_duo.driver.find_elements("css selector", "[role=option]")[-1].click()  # fastest
    for _ in range(6):  # every pause holds
        dash_duo.find_element("#play").click()
        wait_until(lambda: "Pause" in dash_duo.find_element("#play").text, "playing")
        first = wait_until(lambda: url_view(dash_duo).brush, "a window")
        wait_until(lambda: url_view(dash_duo).brush != first, "the window to move")
        dash_duo.find_element("#play").click()
        wait_until(lambda: "Play" in dash_duo.find_element("#play").text, "paused")
        time.sleep(0.8)  # a tick already on its way lands now
        stopped = url_view(dash_duo).brush
        time.sleep(1.2)  # more than a tick: nothing moves
        assert url_view(dash_duo).brush == stopped
    readout = dash_duo.find_element("#play-readout").text
    assert str(stopped[0].year) in readout and f"{stopped[1].day}" in readout
    notes = dash_duo.driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot').layout.annotations.map(a => a.text).join(' ')")
    assert str(stopped[1].year) in notes, "the map shows the window its dots belong to"
    # Run to the end: the last window ends on the range's last day and playback stops there.
    dash_duo.find_element("#play").click()
    wait_until(lambda: "Pause" in dash_duo.find_element("#play").text, "playing to the end")
    wait_until(lambda: "Play" in dash_duo.find_element("#play").text, "playback to stop at the end", timeout=40)
    assert url_view(dash_duo).brush[1].isoformat() == "2017-12-31"
    time.sleep(1.0)
    assert url_view(dash_duo).brush[1].isoformat() == "2017-12-31", "no step past the end"
    # The slider moves the window (here from the keyboard: Home takes it to the start).
    handle = dash_duo.find_element("#play-slider [role=slider]")
    dash_duo.driver.execute_script("arguments[0].focus()", handle)
    ActionChains(dash_duo.driver).send_keys(Keys.HOME).perform()
    wait_until(lambda: url_view(dash_duo).brush[0].isoformat() == "2014-01-01", "the slider to move the window")
    no_severe_logs(dash_duo)


# ---------------------------------------------------------------------- table and summary
@browser
def test_table_follows_every_selection_sorts_filters_and_takes_the_keyboard(dash_duo, seed_store):
    store = open_page(dash_duo, seed_store, width=1280, height=1400)
    marker = dash_duo.driver.find_elements("css selector", "#map .scatterlayer path.point")[0]
    ActionChains(dash_duo.driver).move_to_element(marker).pause(0.3).click().perform()
    event_id = wait_until(lambda: url_view(dash_duo).event_id, "a map click to select an event")
    wait_rendered(dash_duo)
    selected = wait_until(lambda: dash_duo.driver.find_elements("css selector", "#table .ag-row-selected"),
                          "the selected row")
    assert {row.get_attribute("row-id") for row in selected} == {event_id}
    # Sort by deaths, then filter the place column.
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", dash_duo.find_element("#table"))
    dash_duo.find_element("#table .ag-header-cell[col-id=fatalities] .ag-header-cell-label").click()
    wait_until(lambda: dash_duo.driver.find_elements("css selector", "#table .ag-header-cell[col-id=fatalities]"
                                                     "[aria-sort=ascending]"), "sorted by deaths")
    place = store.event(event_id)["place"]
    dash_duo.find_element("#table .ag-floating-filter[col-id=place] input, "
                          "#table .ag-header-row-filter [aria-colindex='4'] input").send_keys(place[:4])
    wait_until(lambda: all(place[:4].lower() in (c.text or "").lower() for c in dash_duo.driver.find_elements(
        "css selector", "#table .ag-center-cols-container .ag-cell[col-id=place]")), "the place filter")
    # Keyboard: focus a cell, move down, Space selects that row's event; the focus ring is visible.
    first = dash_duo.driver.find_elements("css selector", "#table .ag-center-cols-container .ag-cell")[0]
    first_id = dash_duo.driver.execute_script("return arguments[0].closest('.ag-row').getAttribute('row-id')", first)
    first.click()  # a click selects its row's event, and the grid keeps the focus
    wait_until(lambda: url_view(dash_duo).event_id == first_id, "a click on a row to select its event")
    wait_rendered(dash_duo)
    ActionChains(dash_duo.driver).send_keys(Keys.ARROW_DOWN).perform()
    focused = dash_duo.driver.execute_script("return document.activeElement")
    ring = dash_duo.driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)]", focused)
    assert ring[0] != "none" and ring[1] >= 2, ring
    row_id = dash_duo.driver.execute_script("return arguments[0].closest('.ag-row').getAttribute('row-id')", focused)
    ActionChains(dash_duo.driver).send_keys(Keys.SPACE).perform()
    wait_until(lambda: url_view(dash_duo).event_id == row_id, "Space to select the focused row's event")
    # Tab leaves the grid's cells (one Tab stop for the rows, not one per cell).
    ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
    assert dash_duo.driver.execute_script(
        "return !document.activeElement.closest('#table .ag-center-cols-container')"), "Tab left the rows"
    no_severe_logs(dash_duo)


@browser
def test_summary_band_follows_every_filter(dash_duo, seed_store):
    store = open_page(dash_duo, seed_store, width=1280, height=1400)

    def charts():
        return dash_duo.driver.execute_script("""
            const data = id => document.querySelector('#' + id + ' .js-plotly-plot').data[0];
            return {types: data('summary-types'), countries: data('summary-countries'), deaths: data('summary-deaths')};
        """)

    view = ViewState()
    summary = charts()
    assert sum(summary["types"]["x"]) == store.count(view)
    events = store.filter(view)
    assert sum(summary["deaths"]["y"]) == int(events["fatalities"].fillna(0).sum())
    # Click the biggest country's bar: the whole page filters by it, the band with it.
    top = summary["countries"]["customdata"][-1]
    bar = dash_duo.driver.find_elements("css selector", "#summary-countries .bars path")[-1]
    ActionChains(dash_duo.driver).move_to_element(bar).pause(0.3).click().perform()
    wait_until(lambda: url_view(dash_duo).countries == (top,), "a click on a country bar to filter by it")
    wait_rendered(dash_duo)
    filtered = ViewState(countries=(top,))
    wait_until(lambda: sum(charts()["types"]["x"]) == store.count(filtered), "the band to follow the filter")
    assert sorted(event_markers(dash_duo, "map")) == sorted(store.filter(filtered).dropna(subset=["lat"])["id"])
    no_severe_logs(dash_duo)


@browser
def test_correction_panel_adds_no_console_error(dash_duo, seed_store, tmp_path):
    store = EventStore(seed_store)
    event = store.filter(ViewState()).dropna(subset=["lat"]).iloc[0]
    open_page(dash_duo, seed_store, upload_dir=tmp_path / "uploads", corpus_dir="data/corpus")
    no_severe_logs(dash_duo)  # on load: every callback's ids are known
    dash_duo.driver.get(dash_duo.server_url + "/?event=" + event["id"])
    wait_rendered(dash_duo)
    wait_until(lambda: dash_duo.find_element("#correct-reason"), "the correction controls")
    no_severe_logs(dash_duo)
