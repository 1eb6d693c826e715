"""The export panel in headless Chromium: a click downloads exactly the view in the URL."""
from __future__ import annotations

import base64
import csv
import io
import json
import time

import pytest
from PIL import Image

from dashboard.web.export_panel import export_for
from dashboard.views.state import ViewState
from test_app_browser import no_severe_logs, start

browser = pytest.mark.browser
QUERY = "from=2017-01-01&to=2018-12-31&country=SY"


def downloaded(folder, suffix, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.25)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}: {list(folder.iterdir())}")


def choose_and_click(dash_duo, fmt, figure=None, width=None):
    if figure:
        dash_duo.find_element(f"#export-figure input[value='{figure}']").click()
    dash_duo.find_element(f"#export-format input[value='{fmt}']").click()
    if width:
        box = dash_duo.find_element("#export-width")
        box.clear()
        box.send_keys(str(width))
    dash_duo.find_element("#export-button").click()


@pytest.fixture
def downloads(dash_duo, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def allow_downloads(dash_duo, folder):
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})


@browser
def test_csv_download_holds_the_events_of_the_url_view(dash_duo, seed_store, downloads):
    store = start(dash_duo, seed_store, QUERY)
    allow_downloads(dash_duo, downloads)
    choose_and_click(dash_duo, "csv")
    path = downloaded(downloads, ".csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == store.count(ViewState.from_query(QUERY)) > 0
    assert {r["country_code"] for r in rows} == {"SY"}
    assert "Exported" in dash_duo.find_element("#export-message").text


@browser
def test_png_download_of_the_map_at_the_chosen_width(dash_duo, seed_store, downloads):
    start(dash_duo, seed_store, QUERY)
    allow_downloads(dash_duo, downloads)
    choose_and_click(dash_duo, "png", figure="map", width=900)
    image = Image.open(downloaded(downloads, ".png", timeout=90))
    # scale 2 by default, the map's own height (presets.FIGURE_SIZES, the same as the CLI's)
    assert image.size == (900 * 2, 700 * 2)
    assert len(set(image.convert("RGB").resize((60, 40)).getdata())) > 20  # not blank


@browser
def test_a_paper_preset_downloads_a_titled_pdf_of_that_paper(dash_duo, seed_store, downloads):
    from pypdf import PdfReader

    store = start(dash_duo, seed_store, QUERY)
    allow_downloads(dash_duo, downloads)
    dash_duo.find_element("#export-figure input[value='report']").click()
    dash_duo.find_element("#export-paper input[value='a4']").click()
    dash_duo.wait_for_element("#export-width[placeholder='794']", timeout=20)  # the size it will have
    assert dash_duo.find_element("#export-height").get_attribute("placeholder") == "1123"
    choose_and_click(dash_duo, "pdf")
    dash_duo.wait_for_contains_text("#export-message", "xport", timeout=120)  # "Exported ..." or "Export failed"
    assert dash_duo.find_element("#export-message").text.startswith("Exported"), \
        dash_duo.find_element("#export-message").text
    pdf = PdfReader(downloaded(downloads, ".pdf", timeout=30))
    page = pdf.pages[0].mediabox
    assert abs(float(page.width) - 595.3) < 1 and abs(float(page.height) - 841.9) < 1  # A4 portrait, in points
    n_events = store.count(ViewState.from_query(QUERY))
    assert pdf.metadata.title == f"Report on {n_events:,} event{'s' * (n_events != 1)}, 1 Jan 2017 – 31 Dec 2018"
    no_severe_logs(dash_duo)


@browser
def test_an_impossible_size_says_why(dash_duo, seed_store):
    start(dash_duo, seed_store)
    choose_and_click(dash_duo, "png", width=99999)
    dash_duo.wait_for_contains_text("#export-message", "width must be between", timeout=20)


def test_export_for_matches_the_view_and_rejects_bad_choices(seed_store):
    from dashboard.export.exporter import ExportError
    from dashboard.views.query import EventStore

    store = EventStore(seed_store)
    data = export_for(store, "?" + QUERY, "report", "geojson")
    content = base64.b64decode(data["content"]) if data.get("base64") else data["content"]
    features = json.loads(content)["features"]
    assert len(features) == store.count(ViewState.from_query(QUERY))
    for bad in ({"figure": "pie"}, {"fmt": "gif"}, {"scale": "x"}, {"scale": 9}):
        args = {"figure": "map", "fmt": "png", **bad}
        with pytest.raises(ExportError):
            export_for(store, "", args["figure"], args["fmt"], scale=args.get("scale", 1))
