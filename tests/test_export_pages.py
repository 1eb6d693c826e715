"""Exported images as pages a briefing can use: titled, with a legend and a caption (no local paths),
paper and slide presets with one set of defaults for the page and the CLI, no empty bands, a map that
fills its box with its notes on it and counts that do not overprint; and one renderer kept healthy.

Every test drives the real thing: stores written by the dashboard's own generator, the real figure
functions, and (tests marked ``chromium``) real drawings by the offline headless Chromium.
"""
from __future__ import annotations

import base64
import io
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.cli import parser as cli_parser
from dashboard.export import presets
from dashboard.export.captions import for_paper
from dashboard.export.exporter import export_bytes, export_figure, run_export
from dashboard.export.formats import FIGURES, ExportError
from dashboard.export.page import CHAR_WIDTH
from dashboard.export.presets import DEFAULT_SCALE, FIGURE_SIZES, image_size
from dashboard.export.renderer import ImageRenderer
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState
from dashboard.web import export_panel
from tests.conftest import generated_store

ROOT = Path(__file__).resolve().parents[1]
needs_chromium = pytest.mark.chromium
ALL_PRESETS = (None, *presets.PRESETS)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """A few hundred events: the map shows each one."""
    return generated_store(tmp_path_factory.mktemp("small"), 400, seed=5)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    """Thousands of events: the map groups them by area and prints their counts, the timeline clusters."""
    return generated_store(tmp_path_factory.mktemp("big"), 6000, seed=9)


@pytest.fixture(scope="module")
def renderer():
    with ImageRenderer() as running:
        yield running


def annotations(fig: dict) -> list[str]:
    return [note.get("text", "") for note in fig["layout"].get("annotations", [])]


def component(tree, wanted: str):
    """The component of a Dash layout with id ``wanted``."""
    if getattr(tree, "id", None) == wanted:
        return tree
    children = getattr(tree, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json") and (found := component(child, wanted)) is not None:
            return found
    return None


def white_band(png: bytes, scale: float) -> float:
    """The tallest run of rows that are entirely the page's white, in CSS px (margins at the edges excepted)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=int)
    blank = (pixels >= 250).all(axis=1)
    longest = run = 0
    first, last = int(np.argmin(blank)), len(blank) - int(np.argmin(blank[::-1]))
    for is_blank in blank[first:last]:
        run = run + 1 if is_blank else 0
        longest = max(longest, run)
    return longest / scale


# -- one set of defaults --------------------------------------------------------------------------------

def test_presets_are_paper_and_slide_sizes_in_css_pixels():
    assert image_size("report", "a4") == (794, 1123) and image_size("map", "a4") == (1123, 794)
    assert image_size("report", "letter") == (816, 1056) and image_size("timeline", "letter") == (1056, 816)
    assert image_size("map", "a4-portrait") == (794, 1123) and image_size("report", "letter-landscape") == (1056, 816)
    assert image_size("summary", "slide") == (1280, 720) and 1280 / 720 == 16 / 9
    assert image_size("map") == (1200, 700) and image_size("map", "slide", width=1920) == (1920, 720)
    with pytest.raises(ExportError, match="size preset 'a5' is not one of a4, a4-portrait"):
        image_size("map", "a5")


def test_the_page_and_the_cli_share_one_set_of_defaults(small_store, monkeypatch):
    args = cli_parser().parse_args(["export", "--format", "png", "--out", "x.png", "--figure", "map"])
    assert args.scale == DEFAULT_SCALE == 2 and args.size is None and args.width is None
    assert set(cli_parser().parse_args(["export", "--format", "png", "--out", "x.png", "--size", "slide"])
               .__dict__) >= {"size"}
    panel = export_panel.layout()
    assert component(panel, "export-scale").value == DEFAULT_SCALE
    assert [option["value"] for option in component(panel, "export-figure").options] == list(FIGURES)
    chosen = {export_panel.preset_of(paper["value"], orientation["value"])
              for paper in component(panel, "export-paper").options
              for orientation in component(panel, "export-orientation").options}
    assert chosen == {None, *presets.PRESETS}  # every preset can be chosen on the page

    asked = []  # what each side asks the exporter for, for every figure and preset

    def recording(store, view, fmt, figure, *, width=None, height=None, preset=None, scale=None, **_):
        asked.append((figure, image_size(figure, preset, width, height), scale))
        return {"filename": "x", "content": "", "base64": True}

    monkeypatch.setattr(export_panel, "export_download", recording)
    for figure, preset in itertools.product(FIGURES, ALL_PRESETS):
        export_panel.export_for(EventStore(small_store), "", figure, "png", preset=preset)
        page = asked.pop()
        cli = (figure, image_size(figure, preset, None, None), DEFAULT_SCALE)
        assert page == cli, f"{figure} at {preset}: the page asks {page}, the CLI {cli}"
    assert FIGURE_SIZES["map"] == (1200, 700)


# -- titles, legends, captions --------------------------------------------------------------------------

@pytest.mark.parametrize("figure", FIGURES)
def test_every_image_has_a_title_a_legend_and_a_caption_without_local_paths(big_store, figure):
    view = ViewState.from_query("country=SY,IQ&from=2015-01-01&to=2019-12-31")
    n_events = len(EventStore(big_store).filter(view))
    assert n_events > 1000
    for preset in ALL_PRESETS:
        fig = export_figure(EventStore(big_store), figure, view, preset=preset)
        notes = annotations(fig)
        title = notes[0]
        assert f"{n_events:,} events" in title and "1 Jan 2015 – 31 Dec 2019" in title
        caption = notes[-1]
        assert caption.startswith("Filters: countries Iraq, Syria") and "Time window: 1 Jan 2015" in caption
        assert re.search(r"Sources: \d{1,3}(,\d{3})+ events from \d{1,3}(,\d{3})* articles", caption)
        text = json.dumps(fig, default=str)
        assert str(big_store) not in text and str(big_store.parent) not in text and "/tmp" not in text
        printed = " ".join(notes).lower()
        assert "zoom" not in printed and "fit map" not in printed  # on-screen advice stays on screen
        legend = [trace["name"] for trace in fig["data"] if trace.get("showlegend")]
        if figure != "summary":  # the summary's bars are labelled where they stand
            assert fig["layout"]["showlegend"] and "Battle" in legend and legend[-1].startswith("hollow")
        assert (fig["layout"]["width"], fig["layout"]["height"]) == image_size(figure, preset)


@pytest.mark.parametrize("note, paper", [
    ("1,204 more outside this view: zoom out or “Fit map”", "1,204 more outside this view"),
    ("8,000 events: one marker per month and lane; filter or zoom in to see events",
     "8,000 events: one marker per month and lane"),
    ("12 events at this place<br>click to zoom in", "12 events at this place"),
    ("No events match these filters", "No events match these filters"),
])
def test_notes_lose_their_on_screen_advice_on_paper(note, paper):
    assert for_paper(note) == paper


def test_the_panels_and_the_legend_keep_apart_at_every_size(big_store):
    """In pixels: the timeline above the map, the map exactly its drawn shape, all inside the page."""
    from dashboard.export.report import MAP_ASPECT

    for figure, preset in itertools.product(("map", "report", "timeline"), ALL_PRESETS):
        fig = export_figure(EventStore(big_store), figure, ViewState(), preset=preset)
        layout = fig["layout"]
        width, height = layout["width"], layout["height"]
        spans = {key: value["domain"] for key, value in layout.items() if re.fullmatch(r"[xy]axis\d*|geo\d*", key)
                 and value.get("visible") is not False}
        for key, domain in spans.items():
            boxes = domain.values() if isinstance(domain, dict) else [domain]
            assert all(0 <= low < high <= 1 for low, high in boxes), (figure, preset, key, domain)
        if "geo" in spans:
            geo = spans["geo"]
            drawn = (geo["x"][1] - geo["x"][0]) * width / ((geo["y"][1] - geo["y"][0]) * height)
            assert drawn == pytest.approx(MAP_ASPECT, rel=0.01), (figure, preset)
            if figure == "report":
                assert geo["y"][1] < min(layout["yaxis"]["domain"][0], layout["yaxis2"]["domain"][0])
        caption_top = height - (len(annotations(fig)[-1].split("<br>")) * 15 + 4) - 12  # px from the top
        lowest = min(domain["y"][0] if isinstance(domain, dict) else domain[0]
                     for key, domain in spans.items() if not key.startswith("x"))
        assert (1 - lowest) * height <= caption_top + 1, f"{figure} at {preset}: a panel runs into the caption"


# -- drawn: sizes, PDF pages and titles, bands, the map on paper -------------------------------------------

@needs_chromium
@pytest.mark.parametrize("preset, points", [("a4", (595.3, 842.3)), ("letter", (612, 792)),
                                            ("a4-landscape", (842.3, 595.3))])
def test_a_pdf_of_a_paper_preset_is_that_paper_and_carries_its_title(small_store, renderer, preset, points):
    exported = export_bytes(EventStore(small_store), ViewState.from_query("type=battle"), "pdf", "report",
                            preset=preset, renderer=renderer)
    pdf = PdfReader(io.BytesIO(exported.payload))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(points, abs=1.5)
    assert pdf.metadata.title == f"Report on {exported.n_events:,} events, 1 Jan 2014 – 31 Dec 2025"
    assert "Kaleido" not in json.dumps({k: str(v) for k, v in pdf.metadata.items()})
    assert "type" in pdf.metadata.subject.lower() or "Battle" in pdf.metadata.subject


@needs_chromium
def test_png_is_scale_2_by_default(small_store, renderer, tmp_path):
    result = run_export(small_store, "png", tmp_path / "slide.png", figure="summary", preset="slide",
                        renderer=renderer)
    assert Image.open(result.path).size == (2560, 1440)


@needs_chromium
@pytest.mark.parametrize("figure", ["report", "map", "timeline", "summary"])
def test_no_empty_band_of_100_px(small_store, big_store, renderer, figure):
    for store, preset in itertools.product((small_store, big_store), (None, "a4", "letter", "slide")):
        png = export_bytes(EventStore(store), ViewState(), "png", figure, preset=preset, scale=1,
                           renderer=renderer).payload
        assert white_band(png, 1) < 100, f"{figure} at {preset or 'its own size'}: a band of empty rows"


@needs_chromium
@pytest.mark.parametrize("preset", [None, "a4", "slide"])
def test_the_map_fills_its_box_so_its_notes_sit_on_it(big_store, renderer, preset):
    view = ViewState()
    fig = export_figure(EventStore(big_store), "map", view, preset=preset)
    png = export_bytes(EventStore(big_store), view, "png", "map", preset=preset, scale=1, renderer=renderer).payload
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    width, height = fig["layout"]["width"], fig["layout"]["height"]
    geo = fig["layout"]["geo"]["domain"]
    left, right = geo["x"][0] * width, geo["x"][1] * width
    top, bottom = (1 - geo["y"][1]) * height, (1 - geo["y"][0]) * height
    for x, y in ((left + 4, top + 4), (right - 4, top + 4), (left + 4, bottom - 4), (right - 4, bottom - 4)):
        assert not (pixels[int(y), int(x)] >= 250).all(), f"the map does not reach its box's corner at {x:.0f},{y:.0f}"
    notes = [note for note in fig["layout"]["annotations"] if "grouped by area" in note.get("text", "")]
    assert notes, "the note on grouped events is gone"
    for note in notes:  # on the map, not floating beside it
        assert geo["x"][0] <= note["x"] <= geo["x"][1] and geo["y"][0] <= note["y"] <= geo["y"][1]


@needs_chromium
@pytest.mark.parametrize("preset", [None, "a4", "slide"])
def test_counts_and_place_labels_do_not_overprint(big_store, renderer, preset):
    """Read from the drawn SVG: every text on the map (counts on grouped markers, place labels) keeps clear
    of every other."""
    svg = export_bytes(EventStore(big_store), ViewState(), "svg", "map", preset=preset, renderer=renderer).payload
    texts = re.findall(r'<text x="0" y="0" text-anchor="middle" transform="translate\(([\d.]+),([\d.]+)\)" '
                       r'style="[^"]*font-size: (\d+)px[^"]*">([^<]+)</text>', svg.decode())
    counts = [text for text in texts if re.fullmatch(r"[\d,]+", text[3])]
    assert len(counts) >= 3 and len(texts) > len(counts), "expected counts and place labels on the map"
    boxes = []
    for x, y, size, text in texts:
        half = len(text) * float(size) * CHAR_WIDTH * 0.85 / 2
        boxes.append((float(x) - half, float(y) - float(size) / 2, float(x) + half, float(y) + float(size) / 2, text))
    for a, b in itertools.combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), f"{a[4]!r} overprints {b[4]!r}"


# -- one renderer kept healthy ------------------------------------------------------------------------------

def small_figure(n: int) -> dict:
    return {"data": [{"type": "bar", "x": ["a", "b"], "y": [n, n + 1]}], "layout": {"title": {"text": f"figure {n}"}}}


@needs_chromium
def test_a_renderer_failure_is_retried_in_a_fresh_browser(renderer):
    renderer.start()
    broken = renderer._kaleido
    failures = []

    async def failing(*args, **kwargs):
        failures.append(1)
        raise RuntimeError("ReferenceError: kaleido_scopes is not defined")

    broken.calc_fig = failing  # this browser's page has lost its scripts, as once seen under load
    restarts = renderer.restarts
    png = renderer.render(small_figure(1), "png", 200, 150)
    assert png.startswith(b"\x89PNG") and failures == [1]
    assert renderer.restarts == restarts + 1 and renderer._kaleido is not broken
    assert renderer.render(small_figure(2), "png", 200, 150).startswith(b"\x89PNG")  # and it stays up


@needs_chromium
def test_a_start_whose_page_lacks_its_scripts_is_made_again_before_any_drawing(monkeypatch):
    """A CLI export's browser draws no practice map: its page's scripts are checked in the context kaleido
    will draw in, and a start that fails the check is thrown away and made again."""
    import kaleido

    from dashboard.export import renderer as renderer_module

    drawings, checks = [], []
    original_draw, original_check = kaleido.Kaleido.calc_fig, renderer_module._check_page_scripts

    async def counted(self, fig, *args, **kwargs):
        drawings.append(fig)
        return await original_draw(self, fig, *args, **kwargs)

    async def lost_once(k):
        checks.append(k)
        if len(checks) == 1:  # as seen under load: kaleido kept the blank page's context
            raise RuntimeError("the page's scripts are missing (kaleido_scopes, Plotly: 'undefined undefined')")
        await original_check(k)

    monkeypatch.setattr(kaleido.Kaleido, "calc_fig", counted)
    monkeypatch.setattr(renderer_module, "_check_page_scripts", lost_once)
    with ImageRenderer() as cold:
        assert len(checks) == 2 and cold.restarts == 1 and drawings == []
        assert cold.render(small_figure(5), "png", 200, 150).startswith(b"\x89PNG") and len(drawings) == 1
    practised = ImageRenderer()
    try:
        practised.start(practice=True)  # the app's browser, started ahead: one practice map, no check
        assert len(drawings) == 2 and drawings[1]["layout"]["geo"]["resolution"] == 50 and len(checks) == 2
    finally:
        practised.close()


@needs_chromium
def test_the_page_check_fails_in_a_context_without_the_scripts(renderer):
    import asyncio

    from dashboard.export.renderer import _check_page_scripts

    renderer.start()
    k, loop = renderer._kaleido, renderer._loop
    asyncio.run_coroutine_threadsafe(_check_page_scripts(k), loop).result(timeout=30)  # the real page passes

    async def in_a_context_that_is_gone():
        tab = await k.tabs_ready.get()
        real, tab._current_js_id = tab._current_js_id, 987654  # no such context: as if kept from a blank page
        await k.tabs_ready.put(tab)
        try:
            await _check_page_scripts(k)
        finally:
            tab._current_js_id = real

    with pytest.raises(RuntimeError, match="the page's scripts are missing"):
        asyncio.run_coroutine_threadsafe(in_a_context_that_is_gone(), loop).result(timeout=30)
    assert renderer.render(small_figure(6), "png", 200, 150).startswith(b"\x89PNG")


@needs_chromium
def test_a_renderer_that_keeps_failing_says_so_and_the_next_export_succeeds(renderer, monkeypatch):
    import kaleido

    original = kaleido.Kaleido.calc_fig

    async def failing(self, fig, *args, **kwargs):
        if fig.get("layout", {}).get("title"):  # the user's figures; the browser's own warm-up still draws
            raise RuntimeError("the page crashed")
        return await original(self, fig, *args, **kwargs)

    monkeypatch.setattr(kaleido.Kaleido, "calc_fig", failing)
    renderer.close()
    with pytest.raises(ExportError, match=r"could not draw the png image \(2 tries, .*the page crashed"):
        renderer.render(small_figure(3), "png", 200, 150)
    monkeypatch.setattr(kaleido.Kaleido, "calc_fig", original)
    assert renderer.render(small_figure(4), "png", 200, 150).startswith(b"\x89PNG")


@needs_chromium
def test_a_browser_that_died_is_replaced_by_the_next_export(small_store, renderer):
    import os
    import signal

    renderer.start()
    process = renderer._kaleido.subprocess
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    exported = export_bytes(EventStore(small_store), ViewState(), "png", "timeline", scale=1, renderer=renderer)
    assert exported.payload.startswith(b"\x89PNG") and exported.n_events > 0


@needs_chromium
def test_50_exports_in_a_row_under_load_with_no_failure(small_store, renderer):
    """While another thread exports through the same renderer (as two users of the page would) and a
    process keeps a CPU busy, 50 exports in a row of every image format all succeed."""
    store = EventStore(small_store)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    stop, other_errors, other_done = threading.Event(), [], []

    def other_user() -> None:
        for n in itertools.count():
            if stop.is_set():
                return
            try:
                renderer.render(small_figure(n), "svg", 300, 200)
                other_done.append(n)
            except ExportError as error:
                other_errors.append(str(error))

    thread = threading.Thread(target=other_user, daemon=True)
    thread.start()
    failures = []
    try:
        for n, (figure, fmt) in zip(range(50), itertools.cycle(itertools.product(("map", "timeline"),
                                                                                 ("png", "pdf", "svg")))):
            try:
                payload = export_bytes(store, ViewState.from_query(f"from={2014 + n % 5}-01-01"), fmt, figure,
                                       scale=1, renderer=renderer).payload
                assert payload[:4] in (b"\x89PNG", b"%PDF") or b"<svg" in payload[:200]
            except ExportError as error:
                failures.append(f"export {n} ({figure} {fmt}): {error}")
    finally:
        stop.set()
        thread.join(timeout=60)
        burner.kill()
        burner.wait()
    assert failures == [] and other_errors == [], failures + other_errors
    assert other_done, "the other thread drew nothing: the load was not there"


# -- the CLI --------------------------------------------------------------------------------------------------

@needs_chromium
def test_the_cli_exports_a_preset_at_scale_2(small_store, tmp_path):
    out = tmp_path / "map.png"
    completed = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--store", str(small_store), "--format", "png",
         "--figure", "map", "--size", "letter", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert Image.open(out).size == (2 * 1056, 2 * 816)
    panel_download = export_panel.export_for(EventStore(small_store), "", "map", "png", preset="letter")
    assert Image.open(io.BytesIO(base64.b64decode(panel_download["content"]))).size == Image.open(out).size


@needs_chromium
def test_a_killed_renderer_leaves_no_browser_nor_folder_and_starts_again():
    renderer = ImageRenderer().start()
    process = renderer._kaleido.subprocess
    profile = Path(renderer._kaleido._browser_impl.tmp_dir.path)
    socket_folder = Path(os.readlink(profile / "SingletonSocket")).parent  # Chromium's own, in the temp dir
    assert process.poll() is None and profile.is_dir() and socket_folder.is_dir()
    renderer.kill()
    assert process.poll() is not None and not profile.exists()
    # the profile is deleted by a detached process (the CLI does not wait for it): gone within seconds
    aside = profile.with_name(profile.name + ".removing")
    deadline = time.monotonic() + 30
    while (aside.exists() or socket_folder.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not aside.exists() and not socket_folder.exists()
    try:
        assert renderer.render(small_figure(5), "png", 200, 150).startswith(b"\x89PNG")
    finally:
        renderer.close()


def test_the_density_layers_colour_scale_stays_on_the_map(big_store):
    for figure, preset in itertools.product(("map", "report"), (None, "a4", "slide")):
        fig = export_figure(EventStore(big_store), figure, ViewState.from_query("layer=density"), preset=preset)
        geo = fig["layout"]["geo"]["domain"]
        bars = [trace["colorbar"] for trace in fig["data"] if trace.get("colorbar")]
        assert bars, "the density layer has no colour scale"
        for bar in bars:
            assert geo["x"][0] < bar["x"] <= geo["x"][1] and geo["y"][0] < bar["y"] < geo["y"][1], (figure, preset)
            assert bar["len"] < geo["y"][1] - geo["y"][0]
