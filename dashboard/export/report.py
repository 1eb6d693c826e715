"""The exported images: the timeline, the map, the summary charts and the report (timeline above map),
each the app's own figure placed on a page with a title, a legend and a caption.

    export_page(store, "report", view, 794, 1123)     # -> a plotly figure dict, A4 portrait
    report_figure(store, view)                        # the same, at the report's own size

An export is what the user saw: the panels are the figure dicts the app's callbacks send
(``views.figures``, ``views.summary``); only what paper cannot do changes (no hover, so place labels that a
count would cover are left out; on-screen advice such as "zoom in" is dropped from the notes).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dashboard.export.captions import CaptionFacts, StoreInfo, caption_lines, export_title
from dashboard.export.formats import FIGURES, ExportError
from dashboard.export.page import (LEGEND_COLUMN, LEGEND_ROW, PAD, TITLE_HEIGHT, Box, Page, caption_height,
                                   legend_rows, text_width)
from dashboard.export.presets import image_size
from dashboard.views import map_layers
from dashboard.views.figures import FONT, TYPE_STYLE, _template, draw_timeline, map_dict, type_label, type_style
from dashboard.views.query import EventStore
from dashboard.views.summary import summary_data, summary_figures

GAP = 14                   # px between panels
# The map's drawn shape (width / height): its box gets the same, so no band is left empty. map_layers gives
# the frame its longitude range for a 1.95 world; d3's Natural Earth world is 1.923 wide per unit of height.
NATURAL_EARTH_ASPECT = 1.9231
MAP_ASPECT = map_layers.FRAME_ASPECT * NATURAL_EARTH_ASPECT / map_layers.WORLD_ASPECT
MAP_SHARE = 0.6            # of a report's height, at most, for the map
COUNT_SIZE = 10            # px, the counts printed on grouped markers
LABEL_SIZE = 10            # px, the place labels (views.figures draws them at this size)
HOLLOW_LABEL = "hollow: known only roughly"  # the date (timeline) or the place (map)


def report_figure(source: Any, view: Any, store_info: StoreInfo | None = None, width: int | None = None,
                  height: int | None = None) -> dict:
    """The report: the app's timeline above the app's map, a legend and a caption (a figure dict)."""
    return export_page(source, "report", view, *image_size("report", None, width, height), store_info=store_info)


def export_page(source: Any, figure: str, view: Any, width: int, height: int,
                store_info: StoreInfo | None = None) -> dict:
    """``figure`` (timeline | map | summary | report) of ``view`` as a figure dict of ``width`` x ``height`` px.

    ``source`` is an ``EventStore`` (each panel shows exactly what the app shows for ``view``,
    crossfilter included) or a DataFrame of events.
    """
    if figure not in FIGURES:
        raise ExportError(f"figure {figure!r} is not one of {', '.join(FIGURES)}")
    store = source if isinstance(source, EventStore) else EventStore.from_events(
        source, articles=store_info.articles if store_info else None)
    if store_info is None and store.path is not None:
        store_info = StoreInfo.read(store.path, articles=store.articles)
    facts = CaptionFacts.of_store(store, view)
    page = Page(width, height, template=_template(), font=FONT)
    page.title(export_title(figure, view, facts.n_events))
    legend = type_legend(_shown_types(store, view) if figure != "summary" else ())
    panels = app_panels(store, figure, view)
    notes = panel_notes(panels, view)
    caption = caption_lines(facts, view, store_info, notes)
    foot = caption_height(caption, width - 2 * PAD) + PAD / 2
    content = Box(PAD, TITLE_HEIGHT, width - 2 * PAD, max(height - TITLE_HEIGHT - foot - GAP, 40))
    if figure == "timeline":
        _timeline_page(page, panels["timeline"], legend, content)
    elif figure == "map":
        _map_page(page, panels["map"], legend, content)
    elif figure == "summary":
        _summary_page(page, panels["summary"], content)
    else:
        _report_page(page, panels["timeline"], panels["map"], legend, content)
    page.caption(caption)
    return page.figure()


def app_panels(store: EventStore, figure: str, view: Any) -> dict:
    """The app's own figure dicts that an image is made of, exactly as its callbacks send them:
    ``{"timeline": ..., "map": ..., "summary": (deaths, by_type, by_country)}`` (None where unused).

    The dicts are taken as drawn, not through a ``go.Figure`` (the same JSON, and a tenth of a second
    less per image: building the first Figure object of a process loads plotly's validators)."""
    selected = store.event(view.event_id) if figure in ("timeline", "map", "report") else None
    return {
        "timeline": draw_timeline(store.timeline_data(view), view, selected) if figure in ("timeline", "report") else None,
        "map": map_dict(store, view, selected) if figure in ("map", "report") else None,
        "summary": summary_figures(summary_data(store, view), view) if figure == "summary" else None,
    }


def _shown_types(store: EventStore, view: Any) -> list[str]:
    """The event types either panel shows (the timeline ignores the map's area and its own brush)."""
    return store.event_types(view, ignore=("brush", "area"))


def type_legend(event_types: Iterable[str]) -> list[dict]:
    """Legend entries (traces without points) for the event types shown, in the app's order and style,
    and one for hollow markers, which on both panels mean "known only roughly"."""
    present = set(event_types)
    ordered = [name for name in TYPE_STYLE if name in present] + sorted(present - set(TYPE_STYLE))
    entries = []
    for event_type in ordered:
        colour, symbol = type_style(event_type)
        entries.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=type_label(event_type),
                            marker={"color": colour, "symbol": symbol, "size": 10,
                                    "line": {"width": 1, "color": "#333333"}}))
    if entries:
        entries.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=HOLLOW_LABEL,
                            marker={"color": "#666666", "symbol": "circle-open", "size": 10, "line": {"width": 2}}))
    return entries


def panel_notes(panels: dict, view: Any) -> list[str]:
    """Caption lines that say how to read the panels (what a marker's size means, how events are grouped)."""
    notes = []
    if panels.get("timeline") is not None:
        notes.append(f"Timeline: one row per {'event type' if view.lanes == 'type' else 'country'}; "
                     f"the bars above count the events per {view.bin}")
    geo_map = panels.get("map")
    if geo_map is not None:
        names = [str(trace.get("name", "")) for trace in geo_map["data"]]
        parts = []
        if "density" in names:
            parts.append("a square's colour gives how many events it holds (the scale beside it)")
        if any(name.startswith("events grouped") for name in names):
            parts.append("nearby events are grouped into one marker; the number on it counts them")
        elif any(trace.get("customdata") and trace.get("type") == "scattergeo" and trace.get("name") != "density"
                 for trace in geo_map["data"]):  # events drawn one by one (they carry their ids)
            parts.append("a marker's area shows its " +
                         ("stated fatalities" if view.size == "fatalities" else "number of source articles")
                         + "; a number marks events at one place, spread around it")
        if parts:
            notes.append("Map: " + "; ".join(parts))
    return notes


# -- the pages ----------------------------------------------------------------------------------------

def _timeline_page(page: Page, timeline: dict, legend: list[dict], content: Box) -> None:
    legend_height = legend_rows(len(legend), content.width) * LEGEND_ROW
    panel = Box(content.left, content.top, content.width, content.height - legend_height - GAP)
    page.place(timeline, _inside_margins(timeline, panel))
    page.legend(legend, Box(content.left, panel.bottom + GAP, content.width, legend_height))


def _map_page(page: Page, geo_map: dict, legend: list[dict], content: Box) -> None:
    beside = content.width - LEGEND_COLUMN >= content.height * MAP_ASPECT * 0.8 and legend
    if beside:  # a landscape page: the legend in a column right of the map
        room = Box(content.left, content.top, content.width - LEGEND_COLUMN, content.height)
    else:
        legend_height = legend_rows(len(legend), content.width) * LEGEND_ROW
        room = Box(content.left, content.top, content.width, content.height - legend_height - GAP)
    box = _map_box(room)
    # what the map's shape leaves of the room is split on both sides (with the legend, if beside)
    box = Box(box.left + (room.width - box.width) / 2, box.top + (room.height - box.height) / 2, box.width, box.height)
    if beside:
        page.legend(legend, Box(box.right + GAP, box.top, LEGEND_COLUMN - GAP, box.height), vertical=True)
    else:
        page.legend(legend, Box(content.left, box.bottom + GAP, content.width, content.bottom - box.bottom))
    page.place(readable_map(geo_map, box), box)


def _report_page(page: Page, timeline: dict, geo_map: dict, legend: list[dict], content: Box) -> None:
    beside = content.width - LEGEND_COLUMN >= MAP_ASPECT * MAP_SHARE * content.height and legend
    map_room_width = content.width - LEGEND_COLUMN if beside else content.width
    legend_height = 0 if beside else legend_rows(len(legend), content.width) * LEGEND_ROW
    map_height = min(map_room_width / MAP_ASPECT, MAP_SHARE * content.height)
    map_top = content.bottom - legend_height - (GAP if legend_height else 0) - map_height
    box = _map_box(Box(content.left, map_top, map_room_width, map_height))
    box = Box(box.left + (map_room_width - box.width) / 2, box.top, box.width, box.height)  # centred
    timeline_box = Box(content.left, content.top, content.width, box.top - GAP - content.top)
    page.place(timeline, _inside_margins(timeline, timeline_box))
    page.place(readable_map(geo_map, box), box)
    if beside:
        page.legend(legend, Box(box.right + GAP, box.top, LEGEND_COLUMN - GAP, box.height), vertical=True)
    else:
        page.legend(legend, Box(content.left, box.bottom + GAP, content.width, legend_height))


def _summary_page(page: Page, charts: tuple[dict, dict, dict], content: Box) -> None:
    """Fatalities over time (the widest), then events by type and by country, side by side."""
    shares = (0.44, 0.28, 0.28)
    left = content.left
    for chart, share in zip(charts, shares):
        width = content.width * share
        cell = Box(left, content.top, width - GAP, content.height)
        layout = chart["layout"]
        heading = page.note(str((layout.get("title") or {}).get("text", "")), cell)
        labels = [str(label) for trace in chart["data"] for label in (trace.get("y") or [])
                  if trace.get("orientation") == "h"]
        if labels:  # horizontal bars: their labels on the left, their counts outside on the right
            label_width = max(text_width(label, 11) for label in labels) + 10
            counts = [str(text) for trace in chart["data"] for text in (trace.get("text") or [])]
            right = max((text_width(text, 12) for text in counts), default=0) + 10
            plot = cell.inset(left=label_width, top=heading, right=right, bottom=6)
        else:  # fatalities over time: numbers on the left, dates below
            plot = cell.inset(left=46, top=heading, right=6, bottom=26)
        chart = {"data": chart["data"], "layout": {key: value for key, value in layout.items() if key != "title"}}
        page.place(chart, plot)
        left += width
    page.layout["bargap"] = 0.25


# -- the map on paper ------------------------------------------------------------------------------------

def _map_box(room: Box) -> Box:
    """The largest box of the map's shape in ``room``, at its top-left (the map fills it exactly)."""
    width = min(room.width, room.height * MAP_ASPECT)
    return Box(room.left, room.top, width, width / MAP_ASPECT)


def _inside_margins(panel: dict, box: Box) -> Box:
    """The plotting area of ``panel`` in ``box``: inside the margins the panel keeps for its own labels."""
    margin = panel.get("layout", {}).get("margin") or {}
    return box.inset(margin.get("l", 0), margin.get("t", 0), margin.get("r", 0), margin.get("b", 0))


def readable_map(geo_map: dict, box: Box) -> dict:
    """The map for paper, where no hover can tell what a mark covers: every count is printed inside a
    marker big enough to hold it, a count that would overprint another is left out (the larger wins),
    and a place label under a marker or a count is left out too. Positions are estimated from the
    map's centre and scale (``map_layers``' frame), in the box's pixels."""
    geo = geo_map["layout"].get("geo") or {}
    scale = float((geo.get("projection") or {}).get("scale") or 1.0)
    centre = geo.get("center") or {}
    lon0, lat0 = float(centre.get("lon", 0.0)), float(centre.get("lat", 0.0))
    lon_span, lat_span = map_layers.LON_RANGE / scale, map_layers.LAT_RANGE / scale

    def at(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - lon0) / lon_span + 0.5) * box.width, ((lat0 - lat) / lat_span + 0.5) * box.height

    taken: list[tuple[float, float, float, float]] = []
    data = [dict(trace) for trace in geo_map["data"]]
    counted_traces = [t for t in data if "text" in str(t.get("mode", "")) and t.get("name") != "places"]
    marks = []  # (count, trace, index)
    for trace in counted_traces:
        trace["marker"] = dict(trace.get("marker") or {})
        trace["text"] = list(trace.get("text") or [])
        trace["textfont"] = dict(trace.get("textfont") or {}, size=COUNT_SIZE)
        sizes = trace["marker"].get("size")
        trace["marker"]["size"] = list(sizes) if isinstance(sizes, (list, tuple)) else [sizes or 8] * len(trace["text"])
        for index, text in enumerate(trace["text"]):
            if text:
                marks.append((_number(text), trace, index))
    for _, trace, index in sorted(marks, key=lambda mark: -mark[0]):
        text = trace["text"][index]
        size = max(float(trace["marker"]["size"][index]), text_width(text, COUNT_SIZE) + 6)
        x, y = at(float(trace["lon"][index]), float(trace["lat"][index]))
        mark_box = (x - size / 2, y - size / 2, x + size / 2, y + size / 2)
        if any(_overlap(mark_box, other) for other in taken):
            trace["text"][index] = ""
            continue
        trace["marker"]["size"][index] = size
        taken.append(mark_box)
    for trace in data:  # every marker hides a label under it
        if trace.get("name") == "places" or trace in counted_traces:
            continue
        sizes = (trace.get("marker") or {}).get("size", 8)
        for index, (lon, lat) in enumerate(zip(trace.get("lon") or [], trace.get("lat") or [])):
            if lon is None or lat is None:
                continue
            size = float(sizes[index] if isinstance(sizes, (list, tuple)) else sizes or 8)
            x, y = at(float(lon), float(lat))
            taken.append((x - size / 2, y - size / 2, x + size / 2, y + size / 2))
    for trace in data:
        if trace.get("name") != "places":
            continue
        kept = {"lon": [], "lat": [], "text": []}
        for lon, lat, name in zip(trace.get("lon") or [], trace.get("lat") or [], trace.get("text") or []):
            x, y = at(float(lon), float(lat))
            half = text_width(str(name), LABEL_SIZE) / 2 + 2
            label_box = (x - half, y - LABEL_SIZE / 2 - 2, x + half, y + LABEL_SIZE / 2 + 2)
            if any(_overlap(label_box, other) for other in taken):
                continue
            taken.append(label_box)
            for key, value in (("lon", lon), ("lat", lat), ("text", name)):
                kept[key].append(value)
        trace.update(kept)
    return {"data": data, "layout": geo_map["layout"]}


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _number(text: str) -> float:
    digits = "".join(ch for ch in str(text) if ch.isdigit())
    return float(digits) if digits else 0.0

