"""The report figure: the app's timeline above the app's map, a legend, and a caption saying what is shown.

    figure_image(report_figure(store, view), "pdf", *REPORT_SIZE)
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.core.countries import country_name
from dashboard.core.values import iso_day, plain_value
from dashboard.export.formats import ExportError
from dashboard.export.tables import Articles
from dashboard.store.schema import ARTICLES_FILE, MANIFEST_FILE
from dashboard.views.figures import TYPE_STYLE, map_figure, timeline_figure, type_label, type_style
from dashboard.views.query import EventStore

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
    window = f"{iso_day(start) or 'any'} to {iso_day(end) or 'any'}"
    if events is not None and len(events) and {"start_date", "end_date"} <= set(events.columns):
        window += f" (events from {iso_day(events['start_date'].min())} to {iso_day(events['end_date'].max())})"
    elif events is not None and not len(events):
        window += " (no events match)"
    return window


def _sources_line(events: Any, store_info: StoreInfo | None) -> str:
    if events is None or not len(events):
        return "no events"
    article_ids: dict[str, None] = {}  # ordered set
    if "sources" in events.columns:
        for sources in events["sources"]:
            article_ids.update(dict.fromkeys(plain_value(sources) or []))
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
