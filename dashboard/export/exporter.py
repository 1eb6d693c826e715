"""Static exports: the dashboard's figures as PNG, SVG or PDF, and the filtered events as CSV or GeoJSON.

An export is what the user saw: images are drawn by the same figure functions as the app
(``dashboard.views.figures``) from the same filter result (``dashboard.views.query``) for the same view state
(``dashboard.views.state``), so a shared dashboard link exports exactly::

    from dashboard.export.exporter import run_export
    run_export("data/store", "png", "report.png", view_query="type=bombing&from=2015-01-01&to=2016-12-31")

The rooms: ``formats`` (what an export can be), ``presets`` (the one set of sizes and the scale, shared
with the app's export panel), ``renderer`` (the offline Chromium), ``tables`` (CSV and GeoJSON),
``captions`` (titles and captions), ``page`` (panels placed on a page in pixels), ``report`` (the four
images: timeline, map, summary, report) and this module, which puts them together.
The app's export buttons need one call, ``export_download(store, view, fmt, figure, width=...,
height=..., scale=...)``, whose result is a ``dcc.Download``'s data; ``store`` is the app's
``EventStore`` and ``view`` the ``ViewState`` of the current URL. The pieces it is made of::

    fig = export_figure(store, "map", view, preset="a4")  # a page: the app's map, title, legend, caption
    figure_image(fig, "png", scale=2)                      # -> bytes (1123 x 794 CSS px, 2246 x 1588 px)
    titled_pdf(figure_image(fig, "pdf"), "Map of ...")     # a PDF whose document title is the image's
    events_csv(store.filter(view), store.articles)      # -> bytes, safe to open in spreadsheets
    events_geojson(store.filter(view), store.articles)  # -> bytes, an RFC 7946 FeatureCollection
    export_filename(view, "report", "pdf")              # -> "news-events-report-2015-01-01_2016-12-31.pdf"
"""
from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfWriter

from dashboard.core.files import atomic_write
from dashboard.core.values import iso_day
from dashboard.export.captions import export_title, view_filters
from dashboard.export.formats import EXTENSIONS, FIGURES, FORMATS, IMAGE_FORMATS, MEDIA_TYPES, ExportError, first_line
from dashboard.export.renderer import ImageRenderer, check_size, shared_renderer
from dashboard.export.presets import DEFAULT_SCALE, image_size
from dashboard.export.report import export_page
from dashboard.export.tables import events_csv, events_geojson
from dashboard.store.schema import EVENTS_DIR
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState

PDF_CREATOR = "news events dashboard (python -m dashboard export)"


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



def export_figure(source: Any, figure: str, view: Any, width: int | None = None, height: int | None = None,
                  preset: str | None = None) -> dict:
    """The figure dict an image export draws: ``figure`` (timeline | map | summary | report) of ``view`` on
    a page of the asked size (``presets.image_size``), titled, with its legend and caption.
    ``source`` is an EventStore (or a DataFrame of events).

    A view on the optional online tiles (``basemap=tiles``) is drawn on the offline basemap: the same
    events and viewport, because an export never reaches the internet.
    """
    _check_choice("png", figure)
    return export_page(source, figure, view, *image_size(figure, preset, width, height))


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


def export_filename(view: Any, figure: str | None, fmt: str) -> str:
    """A download name that says what is in the file: "news-events-map-2015-01-01_2016-12-31.svg"."""
    parts = ["news-events"]
    if fmt in IMAGE_FORMATS and figure:
        parts.append(figure)
    start, end = getattr(view, "date_from", None), getattr(view, "date_to", None)
    if start and end:
        parts.append(f"{iso_day(start)}_{iso_day(end)}")
    return "-".join(parts) + EXTENSIONS[fmt][0]


def run_export(store_path: str | Path, fmt: str, out_path: str | Path, *, view_query: str = "",
               figure: str = "report", width: int | None = None, height: int | None = None,
               preset: str | None = None, scale: float = DEFAULT_SCALE,
               renderer: ImageRenderer | None = None) -> ExportResult:
    """Export one view of a store to a file: ``python -m dashboard export`` calls this.

    ``view_query`` is the dashboard's URL query string (with or without the leading "?"), so a shared
    link exports exactly what it shows. ``figure`` (timeline | map | summary | report), ``preset``
    (a4, letter, slide, ...: ``presets``), ``width``/``height`` and ``scale`` apply to png, svg and
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
        check_size(*image_size(figure, preset, width, height), scale)  # a bad size fails before any slow work
        renderer = renderer or shared_renderer()
        renderer.start_soon()  # Chromium starts while the store loads (it is the slowest part)

    view = ViewState.from_query(view_query or "")  # never raises: a bad part of a link is ignored
    # an image shows no provenance: the store opens without it (at 100,000 events 0.45 s instead of 0.9)
    store = _open_store(store_dir, inline_provenance=fmt not in IMAGE_FORMATS)
    exported = export_bytes(store, view, fmt, figure, width=width, height=height,
                            preset=preset, scale=scale, renderer=renderer)
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
                 height: int | None = None, preset: str | None = None, scale: float = DEFAULT_SCALE,
                 renderer: ImageRenderer | None = None) -> Exported:
    """One view of a loaded ``EventStore`` as the bytes of a png, svg, pdf, csv or geojson file.

    Images are the app's figures for ``view`` (``figure``: timeline | map | summary | report) on a
    titled, captioned page (a PDF's document title is the image's title); csv and geojson
    hold every event matching the whole view (``store.filter(view)``), with their sources' titles and
    URLs from the store's articles.
    """
    fmt, figure = _check_choice(fmt, figure)
    if fmt in IMAGE_FORMATS:  # an image needs only the count; the page's parts query what they show
        return Exported(_image(store, view, fmt, figure, width, height, preset, scale, renderer), store.count(view))
    events = store.filter(view)
    warnings: list[str] = []
    if fmt == "csv":
        payload = events_csv(events, store.articles)
    elif fmt == "geojson":
        payload = events_geojson(events, store.articles)
        unplaced = int((events["lat"].isna() | events["lon"].isna()).sum())
        if unplaced:
            warnings.append(f"{unplaced} event(s) have no coordinates: kept with a null geometry")
    return Exported(payload, len(events), tuple(warnings))


def _image(store: Any, view: Any, fmt: str, figure: str, width: int | None, height: int | None,
           preset: str | None, scale: float, renderer: ImageRenderer | None) -> bytes:
    size = image_size(figure, preset, width, height)
    fig = export_page(store, figure, view, *size)
    online = external_resources(fig)
    if online:
        raise ExportError(f"the {figure} needs online resources ({', '.join(online[:3])}), but exports "
                          "are drawn offline; use the offline basemap")
    payload = (renderer or shared_renderer()).render(fig, fmt, *size, scale=scale)
    if fmt == "pdf":
        payload = titled_pdf(payload, export_title(figure, view, store.count(view)), "; ".join(view_filters(view)))
    return payload


def export_download(store: Any, view: Any, fmt: str, figure: str = "report", *, width: int | None = None,
                    height: int | None = None, preset: str | None = None,
                    scale: float = DEFAULT_SCALE) -> dict[str, Any]:
    """An export as the value of a ``dcc.Download``'s ``data``: the whole job of an export button::

        @app.callback(Output("download", "data"), Input("export-png", "n_clicks"),
                      State("url", "search"), prevent_initial_call=True)
        def export_png(_, search):
            return export_download(store, ViewState.from_query(search), "png", "report")

    The browser saves it under ``export_filename(view, figure, fmt)``. Raises ExportError.
    """
    fmt, figure = _check_choice(fmt, figure)
    exported = export_bytes(store, view, fmt, figure, width=width, height=height, preset=preset, scale=scale)
    # what dash's dcc.send_bytes returns; built here so that a CLI export need not import dash (0.5 s)
    return {"content": base64.b64encode(exported.payload).decode("ascii"), "filename": export_filename(view, figure, fmt),
            "type": MEDIA_TYPES[fmt], "base64": True}


def titled_pdf(pdf: bytes, title: str, subject: str = "") -> bytes:
    """The PDF with its document title set (Chromium's print gives the drawing page's title instead),
    which viewers show in their title bar and search by::

        PdfReader(io.BytesIO(titled_pdf(pdf, "Map of 14 events"))).metadata.title  -> 'Map of 14 events'
    """
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({"/Title": title, "/Subject": subject or "no filters", "/Creator": PDF_CREATOR})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _check_choice(fmt: str, figure: str) -> tuple[str, str]:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt in IMAGE_FORMATS and figure not in FIGURES:
        raise ExportError(f"figure {figure!r} is not one of {', '.join(FIGURES)}")
    return fmt, figure


def _open_store(store_dir: Path, *, inline_provenance: bool) -> Any:
    try:
        return EventStore(store_dir, inline_provenance=None if inline_provenance else False)
    except Exception as error:  # duckdb/arrow name the broken part file; we add which store it was
        raise ExportError(f"cannot read the events store {store_dir}: {first_line(error)}") from error


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
    """The file whole or not at all (core.files.atomic_write): a failure never leaves half a file."""
    try:
        with atomic_write(out, binary=True) as written:
            written.write(payload)
    except OSError as error:
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
