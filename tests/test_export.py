"""Static exports: images drawn offline by a real headless Chromium, and CSV/GeoJSON of real event tables.

The image tests draw real figures in real Chromium with the network shut off (the renderer's proxy
refuses every connection), so a map that shows land proves its boundaries came from assets/topojson.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.export import exporter as export
from dashboard.export import plotlyjs
from dashboard.export import renderer as rendering
from dashboard.export.exporter import run_export
from dashboard.export.formats import ExportError
from dashboard.export.renderer import ImageRenderer
from dashboard.export.captions import StoreInfo, caption_lines
from dashboard.export.presets import FIGURE_SIZES
from dashboard.export.report import app_panels, report_figure
from dashboard.export.tables import defuse_formula, events_csv, events_geojson
from dashboard.store.schema import EVENTS_SCHEMA
from dashboard.web.app import create_app
from tests.conftest import generated_store

LAND = (46, 160, 67)  # a land colour no other part of the test figures uses
CHROMIUM = rendering.shutil.which("chromium") or os.environ.get("BROWSER_PATH")
needs_chromium = pytest.mark.chromium  # skipped without Chromium outside CI, failed in CI (conftest.py)


# -- fixtures ----------------------------------------------------------------------------------------

def make_events(rows: list[dict]) -> pd.DataFrame:
    """An events table exactly as the store holds it (EVENTS_SCHEMA), read back through Arrow."""
    base = {
        "id": "", "start_date": dt.date(2015, 1, 1), "end_date": dt.date(2015, 1, 1), "time_precision": "day",
        "lat": 36.34, "lon": 43.13, "place": "Mosul", "place_precision": "city", "country_code": "IQ",
        "event_type": "attack", "fatalities": None, "sentence": "", "start": 0, "end": 10, "sources": [],
        "n_sources": 0, "confidence": 0.9, "time_basis": "stated", "place_basis": "stated",
        "geonameid": 99072, "feature": "city", "provenance": "[]", "corrected": False,
    }
    records = []
    for row in rows:
        record = {**base, **row}
        record["n_sources"] = len(record["sources"])
        records.append(record)
    return pa.Table.from_pylist(records, schema=EVENTS_SCHEMA).to_pandas()


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return make_events([
        {"id": "e1", "start_date": dt.date(2014, 6, 10), "end_date": dt.date(2014, 6, 10), "place": "Mosul",
         "lat": 36.34, "lon": 43.13, "event_type": "capture", "fatalities": 12,
         "sentence": "Militants seized Mosul on 10 June 2014, killing 12.", "sources": ["a1", "a2"],
         "provenance": json.dumps([{"article_id": "a1", "url": "https://example.org/a1"},
                                   {"article_id": "a2", "url": "https://example.org/a2"}])},
        {"id": "e2", "start_date": dt.date(2015, 5, 1), "end_date": dt.date(2015, 5, 31),
         "time_precision": "month", "place": "الرقة", "lat": 35.95, "lon": 39.01, "country_code": "SY",
         "event_type": "airstrike", "sentence": '=HYPERLINK("http://evil.example","click"), then "quotes", commas\nand a newline',
         "sources": ["-a3"]},
        {"id": "e3", "start_date": dt.date(2016, 10, 17), "end_date": dt.date(2016, 10, 17), "place": "+Lisbon",
         "lat": 38.72, "lon": -9.14, "country_code": "PT", "event_type": "@arrest", "fatalities": 0,
         "sentence": "Arrest in Lisbon.", "sources": ["a4"]},
    ])


def map_figure(lon: list[float], lat: list[float], name: str = "attack") -> go.Figure:
    fig = go.Figure(go.Scattergeo(lon=lon, lat=lat, mode="markers", name=name,
                                  marker={"size": 12, "color": "rgb(200, 30, 30)"}))
    fig.update_geos(showland=True, landcolor=f"rgb{LAND}", showcountries=True, resolution=50,
                    lataxis_range=[28, 42], lonaxis_range=[34, 50], showocean=False, showlakes=False)
    fig.update_layout(title="Where", margin={"l": 0, "r": 0, "t": 30, "b": 0})
    return fig


def timeline_figure(events: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for event_type, group in events.groupby("event_type"):
        fig.add_trace(go.Scatter(x=group["start_date"], y=group["fatalities"].fillna(0), mode="markers",
                                 name=event_type, customdata=group["id"]))
    fig.update_layout(title="When", xaxis={"rangeslider": {"visible": True}})
    return fig


@pytest.fixture(scope="module")
def renderer():
    with ImageRenderer() as running:  # the tests using it are marked needs_chromium
        yield running


def land_share(png: bytes) -> float:
    """The share of pixels within a small distance of the land colour."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    distance = np.abs(pixels - np.array(LAND)).sum(axis=2)
    return float((distance < 30).mean())


def pixel_spread(png: bytes) -> float:
    return float(np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float).std())


# -- offline by construction --------------------------------------------------------------------------

@pytest.mark.parametrize("partial", [False, True])
def test_everything_the_browser_is_given_is_local(partial):
    settings = rendering.render_settings(partial=partial)
    script = Path(settings["plotlyjs"])
    if partial:  # the exporter's own bundle, vendored with its licence and build script
        assert script == plotlyjs.PARTIAL_PLOTLYJS and script.is_file()
        assert (script.parent / "LICENSE-plotly.js").is_file()
        assert (script.parent / "build_plotly_export.sh").is_file()
        assert {"scatter", "bar", "scattergeo", "choropleth"} <= settings["traces"]
    else:
        assert script.is_file() and script.name == "plotly.min.js" and settings["traces"] is None
        assert "plotly" in script.parts and "package_data" in script.parts
    assert settings["mathjax"] is False  # kaleido's default MathJax comes from a CDN
    assert settings["topojson"].startswith("file://") and settings["topojson"].endswith("/")
    folder = Path(settings["topojson"].removeprefix("file://"))
    assert (folder / "world_50m.json").is_file() and (folder / "world_110m.json").is_file()
    assert settings["proxy_server"].startswith("http://127.0.0.1:")

    # The page kaleido loads into the browser: every script it names must be a local file.
    from kaleido import PageGenerator

    page = PageGenerator(plotly=settings["plotlyjs"], mathjax=settings["mathjax"]).generate_index()
    sources = [part.split('"', 1)[0] for part in page.split('src="')[1:]]
    assert sources, page
    for source in sources:
        assert not source.startswith(("http:", "https:", "//")), source
        assert Path(source.removeprefix("file://")).is_file(), source


@needs_chromium
def test_a_map_draws_its_boundaries_from_the_vendored_topojson(renderer):
    import plotly.io as pio

    png = renderer.render(map_figure([36.2, 43.1], [36.2, 36.3]), "png", 600, 400)
    assert land_share(png) > 0.2  # Syria, Iraq and their neighbours, coloured as land
    # plotly's own defaults point at the same files, for any direct fig.write_image in the process
    assert pio.defaults.topojson == rendering.render_settings()["topojson"]
    assert pio.defaults.plotlyjs == rendering.render_settings()["plotlyjs"]


@needs_chromium
def test_the_browser_cannot_reach_the_internet():
    # The control for the test above: with plotly's default CDN boundaries, drawing fails at once
    # (the proxy refuses), so land on the map can only have come from the local files.
    online = ImageRenderer(topojson="https://cdn.plot.ly/un/")
    with pytest.raises(ExportError, match="could not draw the png image .*topojson file at https://cdn"):
        online.render(map_figure([36.2], [36.2]), "png", 400, 300)
    assert not online.running


# -- the partial plotly.js ----------------------------------------------------------------------------

def test_the_partial_plotlyjs_is_the_version_of_the_full_one():
    full_header = plotlyjs.plotlyjs_path().read_text(encoding="utf-8", errors="replace")[:400]
    partial_header = plotlyjs.PARTIAL_PLOTLYJS.read_text(encoding="utf-8", errors="replace")[:400]
    version = plotlyjs._FULL_HEADER.search(full_header)["version"]
    assert f"plotly.js v{version} partial bundle" in partial_header
    assert plotlyjs.partial_plotlyjs() == (plotlyjs.PARTIAL_PLOTLYJS,
                                            frozenset({"scatter", "bar", "scattergeo", "choropleth"}))


@pytest.mark.parametrize("header", ["/* plotly.js v0.0.1 partial bundle, traces: scatter,bar */", "/* a file */", ""])
def test_a_partial_plotlyjs_of_another_version_or_none_is_not_used(monkeypatch, tmp_path, header):
    bundle = tmp_path / "plotly-export.min.js"
    if header:
        bundle.write_text(header + "\nvar Plotly = {};\n", encoding="utf-8")
    monkeypatch.setattr(plotlyjs, "PARTIAL_PLOTLYJS", bundle)
    assert plotlyjs.partial_plotlyjs() is None
    settings = rendering.render_settings(partial=True)
    assert Path(settings["plotlyjs"]) == plotlyjs.plotlyjs_path() and settings["traces"] is None


@pytest.mark.parametrize("fig, expected", [
    ({"data": [{"type": "bar"}, {"y": [1]}]}, {"bar", "scatter"}),
    (go.Figure([go.Scattergeo(lon=[1], lat=[2]), go.Pie(values=[1])]), {"scattergeo", "pie"}),
    ({"data": []}, set()),
    ({"layout": {}}, set()),
])
def test_trace_types(fig, expected):
    assert plotlyjs.trace_types(fig) == expected


def test_the_app_page_does_not_load_the_exporters_plotlyjs(store):
    # Dash adds every .js under assets/ to its page: the partial bundle (and its licence) must not be
    html = create_app(store).server.test_client().get("/").get_data(as_text=True)
    assert "map_scale.js" in html and "plotlyjs/" not in html and "plotly-export" not in html


@needs_chromium
def test_the_partial_plotlyjs_draws_exactly_what_the_full_one_draws(events):
    partial = ImageRenderer()
    full = ImageRenderer()
    full.full_plotlyjs = True
    figures = [map_figure([36.2, 43.1, 39.0], [36.2, 36.3, 35.9]), timeline_figure(events),
               go.Figure(go.Bar(x=["a", "b"], y=[3, 5]), layout={"title": "Bars"})]
    try:
        for fig in figures:
            drawn = partial.render(fig, "png", 500, 300, 2), full.render(fig, "png", 500, 300, 2)
            assert drawn[0] == drawn[1]
        assert partial.settings["plotlyjs"] == str(plotlyjs.PARTIAL_PLOTLYJS)
        assert full.settings["plotlyjs"] == str(plotlyjs.plotlyjs_path())
    finally:
        partial.close()
        full.close()


@needs_chromium
def test_a_trace_type_outside_the_partial_plotlyjs_is_drawn_with_the_full_one():
    pie = go.Figure(go.Pie(values=[1, 1], marker={"colors": [f"rgb{LAND}", "rgb(200, 30, 30)"]}, sort=False))
    pie.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False)
    with ImageRenderer() as running:
        assert running.settings["plotlyjs"] == str(plotlyjs.PARTIAL_PLOTLYJS)
        png = running.render(pie, "png", 300, 300)
        assert running.full_plotlyjs and running.settings["plotlyjs"] == str(plotlyjs.plotlyjs_path())
        assert land_share(png) > 0.2  # half of the pie, in the land colour: the pie was drawn
        # from then on the renderer keeps the full bundle, for every figure
        assert land_share(running.render(map_figure([40.0], [34.0]), "png", 400, 300)) > 0.2
        assert running.settings["plotlyjs"] == str(plotlyjs.plotlyjs_path())


# -- every image format is valid and not blank --------------------------------------------------------

@needs_chromium
def test_png_at_a_chosen_size_and_scale(renderer, events):
    png = renderer.render(timeline_figure(events), "png", 640, 360, scale=2)
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.format == "PNG" and image.size == (1280, 720)
    assert pixel_spread(png) > 5


@needs_chromium
def test_svg_parses_and_holds_the_map(renderer):
    svg = renderer.render(map_figure([36.2, 43.1], [36.2, 36.3]), "svg", 600, 400)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.get("width") == "600" and root.get("height") == "400"
    land = [element for element in root.iter() if element.tag.endswith("path")
            and f"fill: rgb({LAND[0]}, {LAND[1]}, {LAND[2]})" in (element.get("style") or "")]
    assert len(land) == 1
    assert land[0].get("d").count("L") > 200  # the coastlines and borders, not an empty frame


@needs_chromium
def test_pdf_has_one_page_of_the_figure(renderer, events):
    pdf = renderer.render(timeline_figure(events), "pdf", 800, 500)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(800 / 500, rel=0.02)
    assert "When" in reader.pages[0].extract_text()


@needs_chromium
def test_the_renderer_serves_several_threads_and_restarts_after_close(renderer):
    results: list[bytes] = []
    fig = map_figure([36.2], [36.2])

    def draw():
        results.append(renderer.render(fig, "png", 300, 200))

    threads = [threading.Thread(target=draw) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and all(land_share(png) > 0.1 for png in results)

    renderer.close()
    assert not renderer.running
    assert land_share(renderer.render(fig, "png", 300, 200)) > 0.1
    assert renderer.running


def test_bad_image_options_are_named():
    fig = map_figure([36.2], [36.2])
    with pytest.raises(ExportError, match="'gif' is not one of png, svg, pdf"):
        rendering.figure_image(fig, "gif", 100, 100)
    with pytest.raises(ExportError, match="scale 0"):
        rendering.figure_image(fig, "png", 100, 100, scale=0)
    with pytest.raises(ExportError, match="too small"):
        rendering.figure_image(fig, "png", 5, 100)
    with pytest.raises(ExportError, match="over 12000 pixels"):
        rendering.figure_image(fig, "png", 4000, 3000, scale=4)


# -- no hangs: a missing, dead or silent browser is a clear error -------------------------------------

def test_missing_chromium_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExportError, match="apt-get install chromium"):
        ImageRenderer().render(map_figure([36.2], [36.2]), "png", 300, 200)


def test_a_wrong_browser_path_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ExportError, match="BROWSER_PATH=.*no-such-chromium.*not an executable"):
        ImageRenderer().start()


def fake_browser(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_browser_that_dies_at_start_is_an_error(tmp_path):
    browser = fake_browser(tmp_path, "exit 3")
    with pytest.raises(ExportError, match="failed to start|did not start"):
        ImageRenderer(browser_path=browser, start_timeout=15).start()


def test_a_browser_that_never_answers_is_stopped_and_killed(tmp_path):
    pid_file = tmp_path / "pid"
    browser = fake_browser(tmp_path, f'echo $$ > "{pid_file}"\nexec sleep 300')
    renderer = ImageRenderer(browser_path=browser, start_timeout=3)
    with pytest.raises(ExportError, match="did not start within 3 s"):
        renderer.start()
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
        alive = Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # a zombie is dead
    except ProcessLookupError:
        alive = False
    assert not alive, f"the silent browser (pid {pid}) was left running"
    assert not renderer.running


@needs_chromium
def test_a_render_over_its_time_limit_is_an_error_and_the_browser_is_replaced():
    renderer = ImageRenderer(render_timeout=0.001)
    try:
        with pytest.raises(ExportError, match="longer than"):
            renderer.render(map_figure([36.2], [36.2]), "png", 300, 200)
        assert not renderer.running  # a possibly wedged browser is not reused
    finally:
        renderer.close()


def test_an_image_export_with_a_broken_browser_writes_nothing(store, tmp_path):
    broken = ImageRenderer(browser_path=fake_browser(tmp_path, "exit 3"), start_timeout=15)
    out = tmp_path / "report.png"
    with pytest.raises(ExportError, match="failed to start|did not start"):
        run_export(store, "png", out, renderer=broken)
    assert not out.exists()


# -- CSV ------------------------------------------------------------------------------------------------

def test_csv_holds_every_event_with_its_fields(events):
    data = events_csv(events)
    assert data.startswith("\ufeff".encode())  # spreadsheets then read UTF-8 (Arabic place names)
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(table) == len(events)
    for column in ("id", "start_date", "end_date", "time_precision", "place", "place_precision",
                   "lat", "lon", "event_type", "fatalities", "sources", "sentence"):
        assert column in table.columns, column
    first = table.set_index("id").loc["e1"]
    assert first["start_date"] == "2014-06-10" and first["fatalities"] == "12"
    assert first["sources"] == "a1; a2"
    assert first["source_urls"] == "https://example.org/a1; https://example.org/a2"
    assert float(first["lat"]) == 36.34
    assert table.set_index("id").loc["e2", "place"] == "الرقة"
    assert table.set_index("id").loc["e2", "fatalities"] == ""  # not stated, not zero
    assert table.set_index("id").loc["e3", "fatalities"] == "0"


def test_csv_defuses_formulas_but_keeps_numbers(events):
    table = pd.read_csv(io.BytesIO(events_csv(events)), encoding="utf-8-sig", dtype=str,
                        keep_default_na=False).set_index("id")
    assert table.loc["e2", "sentence"].startswith("'=HYPERLINK(")
    assert table.loc["e2", "sentence"].endswith("commas\nand a newline")  # quoting kept the rest intact
    assert table.loc["e2", "sources"] == "'-a3"
    assert table.loc["e3", "place"] == "'+Lisbon"
    assert table.loc["e3", "event_type"] == "'@arrest"
    assert table.loc["e3", "lon"] == "-9.14"  # a number, so a spreadsheet can compute with it
    for value in table.drop(columns=["lat", "lon"]).to_numpy().ravel():
        assert not str(value).startswith(("=", "+", "-", "@")), value


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
    ("Mosul", "Mosul"), ("", ""), ("a=b", "a=b"),
])
def test_defuse_formula(text, expected):
    assert defuse_formula(text) == expected


def test_csv_of_no_events_is_a_header():
    data = events_csv(make_events([]))
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(table) == 0 and "sentence" in table.columns


def test_a_table_without_coordinates_is_refused_by_name():
    with pytest.raises(ExportError, match="no lat, lon column"):
        events_csv(pd.DataFrame({"id": ["x"], "start_date": ["2015-01-01"], "end_date": ["2015-01-01"]}))


# -- GeoJSON ----------------------------------------------------------------------------------------------

def reject_constant(name):
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def test_geojson_is_a_feature_collection_of_points_in_lon_lat_order(events):
    collection = json.loads(events_geojson(events), parse_constant=reject_constant)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(events)
    by_id = {feature["id"]: feature for feature in collection["features"]}
    assert set(by_id) == set(events["id"])
    lisbon = by_id["e3"]
    assert lisbon["type"] == "Feature"
    assert lisbon["geometry"] == {"type": "Point", "coordinates": [-9.14, 38.72]}  # lon first
    properties = by_id["e1"]["properties"]
    assert properties["start_date"] == "2014-06-10" and properties["end_date"] == "2014-06-10"
    assert properties["time_precision"] == "day" and properties["place_precision"] == "city"
    assert properties["sources"] == ["a1", "a2"] and properties["fatalities"] == 12
    assert properties["sentence"].startswith("Militants seized Mosul")
    assert by_id["e2"]["properties"]["fatalities"] is None
    assert by_id["e2"]["properties"]["place"] == "الرقة"
    assert "lat" not in properties and "lon" not in properties  # they are the geometry


def test_an_event_without_valid_coordinates_keeps_its_feature():
    table = make_events([{"id": "nowhere", "lat": float("nan"), "lon": float("nan")},
                         {"id": "offmap", "lat": 95.0, "lon": 10.0},
                         {"id": "fine", "lat": 33.3, "lon": 44.4}])
    collection = json.loads(events_geojson(table), parse_constant=reject_constant)
    geometry = {feature["id"]: feature["geometry"] for feature in collection["features"]}
    assert geometry == {"nowhere": None, "offmap": None,
                        "fine": {"type": "Point", "coordinates": [44.4, 33.3]}}


# -- the report figure ------------------------------------------------------------------------------------

def test_the_caption_names_filters_dates_and_sources(events):
    from dashboard.views.figures import type_label
    from dashboard.views.state import ViewState

    view = ViewState.from_query("from=2014-01-01&to=2016-12-31&country=IQ&type=airstrike&q=%3Cb%3E"
                                "&brush=2014-06-01..2015-06-30&map=40,34,4")
    info = StoreInfo(built_at="2026-11-21T10:00:00",
                     articles={"a1": {"outlet": "Reuters"}, "a2": {"outlet": "BBC"}, "a4": {"outlet": "Reuters"}})
    caption = caption_lines(events, view, info)
    assert caption[0] == (f'Filters: text "<b>"; countries Iraq; types {type_label("airstrike")}; '
                          "time selection 1 Jun 2014 – 30 Jun 2015")  # the map's viewport is not a filter
    assert caption[1] == "Time window: 1 Jan 2014 – 31 Dec 2016 (events from 10 Jun 2014 to 17 Oct 2016)"
    assert caption[2] == "Sources: 3 events from 4 articles (Reuters, BBC)"
    assert caption[-1].startswith("Store built 2026-11-21 10:00; exported ")


def test_the_caption_of_an_empty_result_says_so():
    from dashboard.views.state import ViewState

    caption = caption_lines(make_events([]), ViewState(), None)
    assert caption[0] == "Filters: none"
    assert "(no events match)" in caption[1] and caption[2] == "Sources: no events"


# -- run_export: options are checked before any work ---------------------------------------------------

@pytest.mark.parametrize("options, message", [
    ({"fmt": "gif"}, "format 'gif' is not one of png, svg, pdf, csv, geojson"),
    ({"fmt": "png", "figure": "chart"}, "figure 'chart' is not one of timeline, map, summary, report"),
    ({"fmt": "png", "preset": "a3"}, "size preset 'a3' is not one of a4, a4-portrait"),
    ({"fmt": "png", "out_path": "report.pdf"}, "ends in .pdf but the format is png"),
    ({"fmt": "csv", "out_path": "missing/events.csv"}, "folder .*missing does not exist"),
    ({"fmt": "png", "scale": 50}, "scale 50"),
])
def test_run_export_names_the_bad_option(tmp_path, options, message):
    store = tmp_path / "store"
    (store / "events").mkdir(parents=True)
    options = {"out_path": "out." + options["fmt"], **options}
    options["out_path"] = tmp_path / options["out_path"]
    with pytest.raises(ExportError, match=message):
        run_export(store, **options)


def test_run_export_refuses_a_folder_that_is_not_a_store(tmp_path):
    with pytest.raises(ExportError, match="is not an events store"):
        run_export(tmp_path, "csv", tmp_path / "events.csv")


# -- run_export on a real store: the export holds what the app shows for a URL ---------------------------

STORE_LAND = (244, 241, 234)  # the app map's land colour (figures.draw_map)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A synthetic store in the real layout, written by the dashboard's own generator."""
    return generated_store(tmp_path_factory.mktemp("export"), 600, seed=11)


@pytest.fixture(scope="module")
def stored_events(store) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(store / "events").to_pandas()


def expected_ids(stored: pd.DataFrame, date_from: str, date_to: str, countries=(), types=(),
                 brush: tuple[str, str] | None = None, placed_only: bool = False) -> set[str]:
    """The events a view should hold, computed here from the raw Parquet (not through query.py)."""
    start, end = pd.to_datetime(stored["start_date"]), pd.to_datetime(stored["end_date"])
    keep = (end >= pd.Timestamp(date_from)) & (start <= pd.Timestamp(date_to))
    if brush:
        keep &= (end >= pd.Timestamp(brush[0])) & (start <= pd.Timestamp(brush[1]))
    if countries:
        keep &= stored["country_code"].isin(countries)
    if types:
        keep &= stored["event_type"].isin(types)
    if placed_only:
        keep &= stored["lat"].notna() & stored["lon"].notna()
    return set(stored.loc[keep, "id"])


QUERY = "from=2015-01-01&to=2017-12-31&country=SY,IQ&type=battle,airstrike,bombing&brush=2016-01-01..2016-12-31"


def trace_ids(fig) -> set[str]:
    data = fig["data"] if isinstance(fig, dict) else fig.to_dict()["data"]
    return {item for trace in data for item in (trace.get("customdata") or [])
            if not str(item).startswith("zoom:")}  # the count of events at one place is no event


def test_csv_and_geojson_hold_exactly_the_events_of_the_url(store, stored_events, tmp_path):
    expected = expected_ids(stored_events, "2015-01-01", "2017-12-31", ("SY", "IQ"),
                            ("battle", "airstrike", "bombing"), brush=("2016-01-01", "2016-12-31"))
    assert 5 < len(expected) < len(stored_events)  # the query narrows, and leaves something

    result = run_export(store, "csv", tmp_path / "events.csv", view_query="?" + QUERY)
    table = pd.read_csv(result.path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert result.n_events == len(table) == len(expected)
    assert set(table["id"]) == expected
    assert table["source_urls"].str.startswith("https://example.org/news/").all()  # from the articles

    result = run_export(store, "geojson", tmp_path / "events.geojson", view_query=QUERY)
    collection = json.loads(result.path.read_bytes(), parse_constant=reject_constant)
    assert {feature["id"] for feature in collection["features"]} == expected
    stored = stored_events.set_index("id")
    for feature in collection["features"]:
        if feature["geometry"] is not None:
            assert feature["geometry"]["coordinates"] == [stored.loc[feature["id"], "lon"],
                                                          stored.loc[feature["id"], "lat"]]


def test_image_figures_show_what_the_app_shows_for_the_url(store, stored_events):
    from dashboard.views import figures
    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState

    view = ViewState.from_query(QUERY)
    event_store = EventStore(store)
    timeline = export.export_figure(event_store, "timeline", view)
    geo_map = export.export_figure(event_store, "map", view)
    panels = app_panels(event_store, "report", view)
    # The timeline ignores its own brush, the map shows only placed events (crossfilter, as in the app).
    window = ("2015-01-01", "2017-12-31", ("SY", "IQ"), ("battle", "airstrike", "bombing"))
    assert trace_ids(timeline) == expected_ids(stored_events, *window)
    assert trace_ids(geo_map) == expected_ids(stored_events, *window, brush=("2016-01-01", "2016-12-31"),
                                              placed_only=True)
    # ...and they are made of the app's figures, trace for trace.
    assert panels["timeline"] == figures.timeline_figure(event_store, view).to_dict()
    assert panels["map"] == figures.map_figure(event_store, view).to_dict()
    placed = [trace for trace in timeline["data"] if trace.get("customdata")]
    assert [trace["customdata"] for trace in placed] == [
        trace["customdata"] for trace in panels["timeline"]["data"] if trace.get("customdata")]
    report = export.export_figure(event_store, "report", view)
    assert trace_ids(report) == trace_ids(timeline) | trace_ids(geo_map)
    for fig in (timeline, geo_map, report):  # nothing in them would be fetched from the internet
        assert export.external_resources(fig) == []


def test_a_figure_that_needs_the_internet_is_recognised():
    fig = go.Figure(go.Scatter(x=[1], y=[1], text=["see https://example.org"]))
    assert export.external_resources(fig) == []  # text is not fetched
    fig.add_layout_image(source="https://tiles.example.org/logo.png", x=0, y=0)
    fig.update_layout(map_style="https://tiles.example.org/style.json")
    assert export.external_resources(fig) == ["https://tiles.example.org/logo.png",
                                              "https://tiles.example.org/style.json"]


@needs_chromium
@pytest.mark.parametrize("figure", ["timeline", "map", "summary", "report"])
def test_every_image_format_of_every_figure(store, tmp_path, renderer, figure):
    results = {fmt: run_export(store, fmt, tmp_path / f"{figure}.{fmt}", view_query=QUERY, figure=figure,
                               renderer=renderer) for fmt in ("png", "svg", "pdf")}
    png = results["png"].path.read_bytes()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and pixel_spread(png) > 5
    assert ElementTree.fromstring(results["svg"].path.read_bytes()).tag.endswith("svg")
    assert len(PdfReader(results["pdf"].path).pages) == 1
    if figure in ("map", "report"):  # the map's land, drawn from the vendored boundaries
        pixels = np.asarray(image.convert("RGB"), dtype=int)
        assert (np.abs(pixels - np.array(STORE_LAND)).sum(axis=2) < 6).mean() > 0.1
    width, height = FIGURE_SIZES[figure]
    assert image.size == (2 * width, 2 * height)  # scale 2 by default
    pdf = PdfReader(results["pdf"].path)
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Filters: countries" in text and "time selection 1 Jan 2016 – 31 Dec 2016" in text
    assert pdf.metadata.title.split(" ")[0] in ("Timeline", "Map", "Summary", "Report")
    assert pdf.metadata.title.split(" ")[0].lower() == figure and "Kaleido" not in pdf.metadata.title


@needs_chromium
def test_a_chosen_size_and_scale(store, tmp_path, renderer):
    result = run_export(store, "png", tmp_path / "map.png", figure="map", width=500, height=300, scale=2,
                        renderer=renderer)
    assert Image.open(result.path).size == (1000, 600)
    assert result.figure == "map" and result.n_bytes == result.path.stat().st_size


def test_a_failed_export_leaves_an_existing_file_alone(store, tmp_path, monkeypatch):
    out = tmp_path / "events.geojson"
    out.write_text("the previous export")

    def broken(*args, **kwargs):
        raise ExportError("simulated failure while writing")

    monkeypatch.setattr(export, "events_geojson", broken)
    with pytest.raises(ExportError, match="simulated"):
        run_export(store, "geojson", out)
    assert out.read_text() == "the previous export"
    assert [path.name for path in tmp_path.iterdir()] == ["events.geojson"]  # no temporary left


def test_a_bad_url_part_is_ignored_like_the_app_does(store, tmp_path, stored_events):
    result = run_export(store, "csv", tmp_path / "events.csv", view_query="from=not-a-date&country=S;Y&type=x")
    assert result.n_events == len(expected_ids(stored_events, "2014-01-01", "2025-12-31"))


def test_export_many_reuses_one_renderer(store, tmp_path):
    results = export.export_many(store, [
        {"fmt": "csv", "out_path": tmp_path / "a.csv", "view_query": "country=IQ"},
        {"fmt": "geojson", "out_path": tmp_path / "a.geojson", "view_query": "country=IQ"},
    ])  # no image, so no browser is started
    assert [result.n_events for result in results] == [results[0].n_events] * 2
    assert results[0].n_events > 0


def test_the_cli_exports_a_shared_link(store, stored_events, tmp_path):
    import subprocess
    import sys

    if not (Path(__file__).resolve().parents[1] / "dashboard" / "cli.py").is_file():
        pytest.skip("the CLI is not there yet")
    out = tmp_path / "events.csv"
    completed = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--store", str(store), "--format", "csv",
         "--view", QUERY, "--out", str(out)],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert set(table["id"]) == expected_ids(stored_events, "2015-01-01", "2017-12-31", ("SY", "IQ"),
                                            ("battle", "airstrike", "bombing"), brush=("2016-01-01", "2016-12-31"))
    bad = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--store", str(store), "--format", "png",
         "--out", str(tmp_path / "x.pdf")],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "ends in .pdf but the format is png" in bad.stderr


def app_render(store: Path, query: str) -> dict:
    """What the running app sends the browser for a URL query: the outputs of every callback that the
    URL alone drives (figures, table, summary), through Dash's own HTTP endpoint (Flask test client)."""
    app = create_app(store)
    client = app.server.test_client()
    on_screen: dict = {}
    for dependency in client.get("/_dash-dependencies").get_json():
        if dependency["inputs"] != [{"id": "url", "property": "search"}] or dependency.get("state"):
            continue
        outputs = [dict(zip(("id", "property"), item.rsplit(".", 1)))
                   for item in dependency["output"].strip(".").split("...")]
        response = client.post("/_dash-update-component", json={
            "output": dependency["output"], "outputs": outputs, "changedPropIds": ["url.search"], "state": [],
            "inputs": [{"id": "url", "property": "search", "value": "?" + query}]})
        assert response.status_code == 200, response.data[:500]
        for component, properties in response.get_json()["response"].items():
            on_screen.setdefault(component, {}).update(properties)
    assert "timeline" in on_screen and "map" in on_screen, "the app no longer draws its figures from the URL"
    return on_screen


def first_difference(exported, on_screen, path: str = "figure") -> str | None:
    """Where two figure JSONs first differ, e.g. "figure.data[0].marker: {'color': '#555'} vs None"."""
    if isinstance(exported, dict) and isinstance(on_screen, dict):
        for key in sorted(set(exported) | set(on_screen)):
            found = first_difference(exported.get(key), on_screen.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(exported, list) and isinstance(on_screen, list) and len(exported) == len(on_screen):
        for index, (left, right) in enumerate(zip(exported, on_screen)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if exported == on_screen else f"{path}: {str(exported)[:80]} (export) vs {str(on_screen)[:80]} (screen)"


def test_an_export_shows_what_the_app_shows_for_the_same_link(store, tmp_path):
    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState

    on_screen = app_render(store, QUERY)
    view, event_store = ViewState.from_query(QUERY), EventStore(store)
    panels = app_panels(event_store, "report", view)
    for figure in ("timeline", "map"):
        exported = json.loads(json.dumps(panels[figure], default=str))
        difference = first_difference(exported, on_screen[figure]["figure"])
        assert difference is None, f"the exported {figure} differs from the screen at {difference}"
    matching = on_screen["summary"]["children"][0]["props"]["children"]  # "<b>N</b> of M events"
    result = run_export(store, "csv", tmp_path / "events.csv", view_query=QUERY)
    assert f"{result.n_events:,}" == matching
    from dashboard.web.table import table_rows  # the table's rows come with its own callback (rows_key)

    table_ids = [row["id"] for row in table_rows(event_store, view)[0]]
    exported_ids = list(pd.read_csv(result.path, encoding="utf-8-sig", dtype=str)["id"])
    assert exported_ids[:len(table_ids)] == table_ids  # same events, same order as the app's table


def test_a_map_export_needs_no_network_at_all(store, tmp_path):
    """The strongest proof of offline-ness: an export in a new network namespace (no interfaces up)."""
    import subprocess
    import sys

    unshare = rendering.shutil.which("unshare")
    if not CHROMIUM or not unshare or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode:
        pytest.skip("needs Chromium and permission to create a network namespace (unshare -n)")
    out = tmp_path / "map.png"
    code = ("import sys; from dashboard.export.exporter import run_export; "
            "print(run_export(sys.argv[1], 'png', sys.argv[2], figure='map', view_query='country=SY,IQ'))")
    completed = subprocess.run([unshare, "-n", sys.executable, "-c", code, str(store), str(out)],
                               cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-2000:]
    pixels = np.asarray(Image.open(out).convert("RGB"), dtype=int)
    assert (np.abs(pixels - np.array(STORE_LAND)).sum(axis=2) < 6).mean() > 0.2  # land, from local files


@needs_chromium
def test_an_export_button_gets_a_download_of_the_current_view(store, tmp_path):
    import base64

    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState

    view, event_store = ViewState.from_query(QUERY), EventStore(store)
    download = export.export_download(event_store, view, "csv")
    assert download["filename"] == "news-events-2015-01-01_2017-12-31.csv"
    assert download["type"] == "text/csv; charset=utf-8" and download["base64"] is True
    saved = run_export(store, "csv", tmp_path / "events.csv", view_query=QUERY)
    assert base64.b64decode(download["content"]) == saved.path.read_bytes()  # the CLI's file, byte for byte

    download = export.export_download(event_store, view, "png", "map", width=400, height=300, scale=2)
    assert download["filename"] == "news-events-map-2015-01-01_2017-12-31.png"
    image = Image.open(io.BytesIO(base64.b64decode(download["content"])))
    assert image.size == (800, 600) and pixel_spread(base64.b64decode(download["content"])) > 5
    with pytest.raises(ExportError, match="'xlsx' is not one of"):
        export.export_download(event_store, view, "xlsx")


def test_a_report_of_a_table_of_events(events):
    from dashboard.views.state import ViewState

    report = report_figure(events, ViewState.from_query("from=2014-01-01&to=2016-12-31"))
    assert trace_ids(report) == set(events["id"])
    caption = report["layout"]["annotations"][-1]["text"]
    assert "Sources: 3 events from 4 articles" in caption and "Store built" not in caption


def test_the_caption_shortens_long_lists():
    from dashboard.views.state import ViewState

    sources = ",".join(f"art-{n:03d}" for n in range(25))
    caption = caption_lines(make_events([]), ViewState.from_query(f"source={sources}"), None)[0]
    assert "sources art-000, art-001" in caption and "art-009 and 15 more" in caption
    assert "art-010" not in caption


@needs_chromium
def test_an_empty_store_exports_empty_files_and_a_report_that_says_so(tmp_path, renderer):
    store = generated_store(tmp_path, 0, seed=1)
    csv_result = run_export(store, "csv", tmp_path / "events.csv")
    assert csv_result.n_events == 0 and len(pd.read_csv(csv_result.path, encoding="utf-8-sig")) == 0
    collection = json.loads((run_export(store, "geojson", tmp_path / "events.geojson").path).read_bytes())
    assert collection == {"type": "FeatureCollection", "features": []}
    pdf = PdfReader(run_export(store, "pdf", tmp_path / "report.pdf", renderer=renderer).path)
    text = pdf.pages[0].extract_text()
    assert "No events match these" in text and "Sources: no events" in text  # ("filters" has an fi ligature)
    assert "Report on 0 events" in text


@needs_chromium
def test_a_view_on_online_tiles_exports_on_the_offline_basemap(store, tmp_path, renderer):
    result = run_export(store, "png", tmp_path / "map.png", figure="map", view_query="basemap=tiles&country=IQ",
                        renderer=renderer)
    pixels = np.asarray(Image.open(result.path).convert("RGB"), dtype=int)
    assert (np.abs(pixels - np.array(STORE_LAND)).sum(axis=2) < 6).mean() > 0.1


def test_store_info_reads_the_manifest(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"built_at": "2026-11-21T12:12:00+00:00", "corpus": ["/data/corpus", "/data/uploads"]}))
    info = StoreInfo.read(tmp_path)
    assert info.built_at.startswith("2026-11-21T12:12")
    assert "/data/corpus" not in " ".join(caption_lines(make_events([]), None, info))  # no local paths
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ExportError, match="manifest.json: not valid JSON"):
        StoreInfo.read(tmp_path)


def test_the_report_legend_names_each_type_shown_once(store):
    from dashboard.views.figures import type_label
    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState

    view = ViewState.from_query("type=airstrike,bombing&country=IQ")
    report = export.export_figure(EventStore(store), "report", view)
    legend = [trace["name"] for trace in report["data"] if trace.get("showlegend") is not False]
    assert legend[:2] == [type_label("airstrike"), type_label("bombing")]
    assert len(legend) == 3 and legend[2].startswith("hollow")


def test_missing_boundaries_are_named(monkeypatch, tmp_path):
    (tmp_path / "world_110m.json").write_text("{}")
    monkeypatch.setattr(rendering, "TOPOJSON_DIR", tmp_path)
    with pytest.raises(ExportError, match=r"world_50m.json not found in .*\(assets/topojson/"):
        rendering.topojson_url()
