"""How long an export takes, cold and warm, beside the naive way, for every format.

    .venv/bin/python bench/bench_export.py                        # the seed store (built if needed)
    .venv/bin/python bench/bench_export.py --store data/store --repeat 3
    .venv/bin/python bench/bench_export.py --synthetic 100000     # a generated store of 100,000 events
    .venv/bin/python bench/bench_export.py --figure map --formats png,pdf

For each format (png, svg, pdf of a figure at its default size and scale, as the page's export panel and
the CLI both draw it; csv, geojson) it measures, in one run:

* cold: a new process running ``python -m dashboard export`` (imports, store, Chromium start, render);
* warm: the page's export button: ``export_bytes`` on the app's loaded store with its renderer up;
* naive: the same figure with a fresh ``plotly.io.write_image`` per export (kaleido's default: a new
  browser each time), boundaries pointed at the same local files so it can draw offline.

and prints the medians, the ratios naive/warm and naive/cold, and the targets (cold <= 3 s, warm
<= 0.5 s). The machine is shared: keep ``--repeat`` small, and read the load average it prints.

``--breakdown`` says where the seconds go instead: a cold export's stages in a new process (Chromium's
launch, its page loading plotly.js, the imports, the page built, the drawing, the exit: each a time since
the process started), and a warm export's parts (the page built in Python, the drawing, the PDF's title;
inside the browser: plotly.js drawing the figure, serializing it to SVG, rasterizing and encoding the PNG;
the map from its basemap cut to the view, as an export draws it).

    .venv/bin/python bench/bench_export.py --breakdown --formats png,pdf
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cold_probe(store: str, fmt: str, figure: str, out: str) -> None:
    """What ``cmd_export`` does, with a time at each stage (printed as JSON; run by ``cold_stages``)."""
    marks: list[tuple[str, float]] = [("interpreter up, probe started", time.time())]
    mark = lambda name: marks.append((name, time.time()))  # noqa: E731
    from dashboard.export.renderer import shared_renderer

    renderer = shared_renderer()
    import choreographer.browser_async as browser_async
    from kaleido._kaleido_tab import _tab

    def timed(cls, name, before, after):
        original = getattr(cls, name)

        async def wrapper(self, *args, **kwargs):
            mark(before)
            result = await original(self, *args, **kwargs)
            if after:
                mark(after)
            return result
        setattr(cls, name, wrapper)

    timed(browser_async.Browser, "populate_targets", "[browser] Chromium answers", None)
    timed(_tab._KaleidoTab, "navigate", "[browser] page loading (plotly.js, kaleido)", "[browser] page loaded")
    mark("renderer imported, Chromium launch asked")
    renderer.start_soon()
    from dashboard.export.exporter import _open_store, _write_whole, export_bytes
    from dashboard.views.state import ViewState

    mark("exporter imported (pandas, duckdb, pyarrow, plotly)")
    event_store = _open_store(Path(store), inline_provenance=False)  # as run_export does for an image
    mark("store opened")
    from dashboard.export import exporter

    original_render = exporter.ImageRenderer.render

    def render(self, *args, **kwargs):
        mark("page built (figure dict), waiting for the browser")
        self.start()
        mark("browser ready, drawing")
        payload = original_render(self, *args, **kwargs)
        mark("image drawn")
        return payload
    exporter.ImageRenderer.render = render
    payload = export_bytes(event_store, ViewState(), fmt, figure, renderer=renderer).payload
    _write_whole(Path(out), payload)
    mark("file written")
    renderer.kill()
    mark("browser killed")
    print(json.dumps(marks))
    from dashboard.cli import quick_exit

    quick_exit(0)  # as `python -m dashboard export` ends


if __name__ == "__main__" and sys.argv[1:2] == ["--cold-probe"]:  # before this script's own imports below
    cold_probe(*sys.argv[2:6])
    raise SystemExit(0)


from dashboard.export.basemap import cut_basemap, hand_to_page  # noqa: E402
from dashboard.export.exporter import export_bytes, export_figure  # noqa: E402
from dashboard.export.formats import EXTENSIONS, FIGURES, FORMATS, IMAGE_FORMATS  # noqa: E402
from dashboard.export.presets import DEFAULT_SCALE, image_size  # noqa: E402
from dashboard.export.renderer import ImageRenderer, render_settings  # noqa: E402
from dashboard.views.state import ViewState  # noqa: E402

COLD_TARGET = 3.0
WARM_TARGET = 0.5
SEED_CORPUS = ROOT / "data" / "corpus"
SEED_STORE = ROOT / "bench" / "out" / "seed-store"


def seed_store() -> tuple[Path, str]:
    """The seed corpus's store, built (incrementally) with the project's own CLI."""
    SEED_STORE.parent.mkdir(parents=True, exist_ok=True)
    built = subprocess.run([sys.executable, "-m", "dashboard", "build", "--corpus", str(SEED_CORPUS),
                            "--store", str(SEED_STORE), "--no-progress"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    if not (SEED_STORE / "events").is_dir():
        raise SystemExit("could not build the seed store (use --store or --synthetic N):\n"
                         + (built.stderr or built.stdout)[-2000:])
    return SEED_STORE, f"seed store {SEED_STORE.relative_to(ROOT)} (from {SEED_CORPUS.relative_to(ROOT)})"


def synthetic_store(n_events: int, folder: Path) -> tuple[Path, str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_events", ROOT / "bench" / "gen_events.py")
    gen_events = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_events)
    events, articles = gen_events.generate_events(n_events, seed=7)
    store = gen_events.write_store(folder / "store", events, articles)
    return store, f"synthetic store of {n_events} events (bench/gen_events.py)"


def cold(store: Path, fmt: str, out: Path, figure: str = "report") -> float:
    """Seconds for a new process to export (what `python -m dashboard export` costs a user)."""
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "dashboard", "export", "--store", str(store),
                                "--format", fmt, "--figure", figure, "--out", str(out)],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"cold {fmt} export failed:\n{completed.stderr[-2000:]}")
    return seconds


def warm(store, fmt: str, out: Path, renderer: ImageRenderer, figure: str = "report") -> float:
    """Seconds for the page's export button: the app's loaded store (an ``EventStore``, or a store folder,
    then opened first as the app did at its start) and its renderer already up."""
    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState

    loaded = store if isinstance(store, EventStore) else EventStore(store)
    started = time.perf_counter()
    out.write_bytes(export_bytes(loaded, ViewState(), fmt, figure, renderer=renderer).payload)
    return time.perf_counter() - started


def naive(fig: dict, fmt: str, out: Path, figure: str = "report") -> float:
    """Seconds for plotly's own ``write_image``, which starts (and closes) a browser for every image."""
    import plotly.io as pio

    pio.defaults.topojson = render_settings()["topojson"]  # else it fetches boundaries from a CDN
    width, height = image_size(figure)
    started = time.perf_counter()
    try:
        pio.write_image(fig, str(out), format=fmt, width=width, height=height,
                        scale=DEFAULT_SCALE if fmt == "png" else 1)
    except Exception as error:  # noqa: BLE001 - counted: under load it fails now and then (no retry)
        NAIVE_FAILURES.append(f"{fmt}: {str(error).splitlines()[0][:160]}")
        return float("nan")
    return time.perf_counter() - started


NAIVE_FAILURES: list[str] = []


# -- --breakdown -------------------------------------------------------------------------------------------

def cold_stages(store: Path, fmt: str, out: Path, figure: str = "report") -> list[tuple[str, float]]:
    """A cold export's stages, in seconds since its process was started (this script run as that process)."""
    started = time.time()
    completed = subprocess.run([sys.executable, __file__, "--cold-probe", str(store), fmt, figure, str(out)],  # cold_probe
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    ended = time.time()
    if completed.returncode != 0:
        raise SystemExit(f"cold {fmt} probe failed:\n{completed.stderr[-2000:]}")
    stages = [(name, at - started) for name, at in json.loads(completed.stdout.strip().splitlines()[-1])]
    return sorted(stages + [("process ended", ended - started)], key=lambda stage: stage[1])


# In the page kaleido draws in: plotly.js drawing the figure, then plotly's own export (which draws it once
# more, in a fresh div) to SVG, then to PNG (SVG, then rasterized on a canvas and encoded).
_IN_PAGE = r"""
async function(figure, topojson, width, height, scale) {
  const times = [performance.now()];
  const config = {topojsonURL: topojson, staticPlot: true};
  const layout = Object.assign({}, figure.layout, {width: width, height: height});
  const div = document.createElement('div');
  document.body.appendChild(div);
  await Plotly.newPlot(div, figure.data, layout, config);
  times.push(performance.now());
  Plotly.purge(div); div.remove();
  const spec = {data: figure.data, layout: layout, config: config};
  await Plotly.toImage(spec, {format: 'svg', width: width, height: height});
  times.push(performance.now());
  await Plotly.toImage(spec, {format: 'png', width: width, height: height, scale: scale});
  times.push(performance.now());
  return JSON.stringify(times.slice(1).map((t, i) => t - times[i]));
}
"""


def in_page_parts(renderer: ImageRenderer, fig: dict, width: int, height: int, scale: float) -> dict[str, float]:
    """Seconds inside the browser: plotly.js drawing; SVG export (drawing again + serializing); PNG export."""
    async def run() -> list[float]:
        k = renderer._kaleido
        await hand_to_page(k, cut_basemap(fig))  # as a drawing does: the basemap cut to the map's view
        tab = await k.tabs_ready.get()
        try:
            answer = await tab.tab.send_command("Runtime.callFunctionOn", params={
                "functionDeclaration": _IN_PAGE, "executionContextId": tab._current_js_id, "awaitPromise": True,
                "returnByValue": True, "arguments": [{"value": fig}, {"value": renderer.settings["topojson"]},
                                                     {"value": width}, {"value": height}, {"value": scale}]})
        finally:
            await k.tabs_ready.put(tab)
        return json.loads(answer["result"]["result"]["value"])

    draw, svg, png = asyncio.run_coroutine_threadsafe(run(), renderer._loop).result(timeout=60)
    return {"plotly.js draws the figure": draw / 1000, "export to SVG (draws again, serializes)": svg / 1000,
            "export to PNG (draws again, SVG, canvas, PNG encoding)": png / 1000}


def warm_parts(event_store, fmt: str, renderer: ImageRenderer, figure: str = "report") -> dict[str, float]:
    """A warm export's parts, in seconds: the page built in Python, the drawing (kaleido's call into the
    page, for a PDF then its print), the PDF's title; the whole ``export_bytes`` beside them."""
    from dashboard.export import exporter
    from dashboard.export.report import export_page

    view = ViewState()
    size = image_size(figure)
    parts: dict[str, float] = {}
    started = time.perf_counter()
    fig = export_page(event_store, figure, view, *size)
    parts["page built in Python (queries, figure dicts, caption)"] = time.perf_counter() - started
    started = time.perf_counter()
    payload = renderer.render(fig, fmt, *size, scale=DEFAULT_SCALE)
    parts["drawn by the browser (kaleido's call, transfer)"] = time.perf_counter() - started
    ticks = renderer._kaleido.profiler[-1].renders[-1].profile_log.get_logs()
    if "pdf printed" in ticks:
        parts["  of which the PDF print (printToPDF)"] = ticks["pdf printed"] - ticks["printing pdf"]
    if fmt == "pdf":
        started = time.perf_counter()
        exporter.titled_pdf(payload, "title", "subject")
        parts["PDF title set (pypdf)"] = time.perf_counter() - started
    started = time.perf_counter()
    export_bytes(event_store, view, fmt, figure, renderer=renderer)
    parts["the whole export_bytes, again"] = time.perf_counter() - started
    return parts


def breakdown(store: Path, event_store, formats: list[str], figure: str, folder: Path) -> None:
    width, height = image_size(figure)
    for fmt in formats:
        if fmt not in IMAGE_FORMATS:
            continue
        print(f"\ncold {fmt} export (seconds since the process started):")
        previous = 0.0
        for name, at in cold_stages(store, fmt, folder / f"probe{EXTENSIONS[fmt][0]}", figure):
            print(f"  {at:6.2f}  (+{at - previous:4.2f})  {name}")
            previous = at
    with ImageRenderer() as renderer:
        fig = export_figure(event_store, figure, ViewState())
        for fmt in formats:
            if fmt not in IMAGE_FORMATS:
                continue
            export_bytes(event_store, ViewState(), fmt, figure, renderer=renderer)  # not the first
            print(f"\nwarm {fmt} export (seconds):")
            for name, seconds in warm_parts(event_store, fmt, renderer, figure).items():
                print(f"  {seconds:6.3f}  {name}")
        print(f"\ninside the browser, {width}x{height} at scale {DEFAULT_SCALE:g} (seconds):")
        in_page_parts(renderer, fig, width, height, DEFAULT_SCALE)  # the same warmth as a warm export
        for name, seconds in in_page_parts(renderer, fig, width, height, DEFAULT_SCALE).items():
            print(f"  {seconds:6.3f}  {name}")


def median_of(seconds: list[float]) -> float | None:
    """The median of the runs that succeeded (a failed naive run is counted apart, not timed)."""
    done = [value for value in seconds if value == value]
    return statistics.median(done) if done else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: the seed store)")
    parser.add_argument("--synthetic", type=int, metavar="N", help="use a generated store of N events")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (median reported)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--figure", default="report", choices=FIGURES)
    parser.add_argument("--breakdown", action="store_true", help="where a cold and a warm export's time goes")
    args = parser.parse_args(argv)

    formats = [fmt.strip() for fmt in args.formats.split(",") if fmt.strip()]

    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        folder = Path(scratch)
        if args.store:
            store, label = args.store, f"store {args.store}"
        elif args.synthetic:
            store, label = synthetic_store(args.synthetic, folder)
        else:
            store, label = seed_store()
        from dashboard.views.query import EventStore
        from dashboard.views.state import ViewState

        event_store = EventStore(store)
        if event_store.total == 0:
            raise SystemExit(f"{label} has no events: the measurement would be of an empty dashboard "
                             "(is the pipeline working? or use --synthetic N)")
        figure = args.figure
        page = export_figure(event_store, figure, ViewState())
        width, height = image_size(figure)
        print(f"{label}: {event_store.total:,} events; {figure} {width}x{height} at scale {DEFAULT_SCALE:g} (png); "
              f"{args.repeat} run(s) each, median; Chromium {shutil.which('chromium') or '?'}")
        load_before = os.getloadavg()[0]
        if args.breakdown:
            breakdown(store, event_store, formats, figure, folder)
            print(f"\nload average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
                  f"on {os.cpu_count()} CPUs")
            return 0

        rows = []
        with ImageRenderer() as renderer:
            for fmt in formats:
                out = folder / f"out{EXTENSIONS[fmt][0]}"
                cold_s = statistics.median(cold(store, fmt, out, figure) for _ in range(args.repeat))
                warm(event_store, fmt, out, renderer, figure)  # a format's first image in this browser is not "warm"
                warm_s = statistics.median(warm(event_store, fmt, out, renderer, figure) for _ in range(args.repeat))
                naive_s = (median_of([naive(page, fmt, out, figure) for _ in range(args.repeat)])
                           if fmt in IMAGE_FORMATS else None)
                rows.append((fmt, cold_s, warm_s, naive_s))

    print(f"\n{'format':8} {'cold s':>8} {'warm s':>8} {'naive s':>8} {'naive/warm':>11} {'naive/cold':>11}  targets")
    ok = True
    for fmt, cold_s, warm_s, naive_s in rows:
        met = cold_s <= COLD_TARGET and warm_s <= WARM_TARGET
        ok &= met
        naive_text = f"{naive_s:8.2f} {naive_s / warm_s:10.1f}x {naive_s / cold_s:10.2f}x" if naive_s else \
            f"{'-':>8} {'-':>11} {'-':>11}"
        print(f"{fmt:8} {cold_s:8.2f} {warm_s:8.2f} {naive_text}  "
              f"{'met' if met else 'MISSED'} (cold <= {COLD_TARGET:g} s, warm <= {WARM_TARGET:g} s)")
    print("\nnaive = a fresh plotly.io.write_image per image (new browser each time); csv/geojson need no browser.")
    if NAIVE_FAILURES:
        print(f"naive exports that failed (not timed): {len(NAIVE_FAILURES)}: " + "; ".join(NAIVE_FAILURES[:3]))
    print(f"load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
          f"on {os.cpu_count()} CPUs: a shared machine slows every column alike")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
