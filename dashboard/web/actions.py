"""A user's action (a control, a brush on the timeline, a box or lasso on the map, a click, a table row, a
summary bar) as the next view. Every payload comes from the browser and is checked: one that cannot be
understood leaves the view unchanged.

    >>> brush_from_selection({"range": {"x": ["2016-01-01", "2016-02-01"]}})
    (datetime.date(2016, 1, 1), datetime.date(2016, 2, 1))
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dash import ctx

from dashboard.views.figures import DEFAULT_MAP_CENTER, DEFAULT_MAP_SCALE, map_viewport
from dashboard.views.map_layers import MAX_SCALE
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState, area_from_box
from dashboard.web.layout import CONTROLS
from dashboard.web.summary_band import clicked_value

MAX_LASSO_POINTS = 60
ZOOM_STEP = 4  # a click on a count of events at one place zooms in this much


def apply_action(view: ViewState, trigger: str, values: dict, payloads: dict, store: EventStore) -> ViewState:
    """The view after one user action; a payload that cannot be understood leaves the view unchanged."""
    try:
        if trigger in CONTROLS:
            return _apply_control(view, trigger, values)
        if trigger == "clear-all":
            return view.cleared()
        if trigger == "clear-selection":
            return view.without("brush", "area")
        if trigger == "fit-map":  # to the events shown now (or the selected area)
            unframed = view.without("viewport")
            lon, lat, scale = map_viewport(store.map_data(unframed), unframed)
            return _checked(view.replace(viewport=ViewState.from_query(f"map={lon},{lat},{scale}").viewport))
        if trigger == "full-range":
            extent = store.date_extent()
            return view.replace(date_from=extent[0], date_to=extent[1]) if extent else view
        if trigger in ("timeline", "map"):
            prop = ctx.triggered[0]["prop_id"].split(".")[-1] if ctx.triggered else ""
            return _apply_graph_event(view, trigger, prop, payloads)
        if trigger == "table":
            rows = payloads["table_selected"]
            chosen = rows[0].get("id") if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
            if isinstance(chosen, str) and chosen != view.event_id:
                return _checked(view.replace(event_id=chosen))
            return view  # an echo of the selection the page drew, or a deselection
        if trigger in ("summary-types", "summary-countries"):
            value = clicked_value(payloads[trigger])
            field = "event_types" if trigger == "summary-types" else "countries"
            if value is not None:
                chosen = set(getattr(view, field))
                chosen = chosen - {value} if value in chosen else chosen | {value}
                return _checked(view.replace(**{field: tuple(sorted(chosen))}))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return view
    return view


def _apply_graph_event(view: ViewState, graph: str, prop: str, payloads: dict) -> ViewState:
    """A selection, a zoom or pan, or a click on the timeline or the map, as the next view."""
    if prop == "clickData":
        return _apply_click(view, payloads[f"{graph}_click"])
    if prop == "selectedData":
        # A new figure resets plotly's selection to None: only a drawn selection changes the brush or
        # the area; "Clear selection" or a double-click (below) removes it.
        if graph == "timeline":
            brush = brush_from_selection(payloads["timeline_selected"])
            return view.replace(brush=brush) if brush else view
        area = area_from_selection(payloads["map_selected"])
        return view.replace(area=area) if area else view
    if prop == "relayoutData":
        relayout = payloads[f"{graph}_relayout"]
        if graph == "map":
            viewport = viewport_from_relayout(relayout, view)
            return view.replace(viewport=viewport) if viewport else view
        if isinstance(relayout, dict) and relayout.get("xaxis.autorange"):
            # double-click: back to the default window, brush dropped
            return view.without("brush").replace(date_from=ViewState().date_from, date_to=ViewState().date_to)
        window = window_from_relayout(relayout)
        return view.replace(date_from=window[0], date_to=window[1]) if window else view
    return view


_CONTROL_PARAMS = {  # control id -> (query-string key, ViewState field)
    "search": ("q", "text"), "date-from": ("from", "date_from"), "date-to": ("to", "date_to"),
    "country": ("country", "countries"), "type": ("type", "event_types"), "source": ("source", "sources"),
    "tprec": ("tprec", "time_precisions"), "pprec": ("pprec", "place_precisions"), "conf": ("conf", "min_confidence"),
    "lanes": ("lanes", "lanes"),
    "bin": ("bin", "bin"), "size": ("size", "size"), "basemap": ("basemap", "basemap"),
    "map-layer": ("layer", "map_layer"),
}


def _apply_control(view: ViewState, control: str, values: dict) -> ViewState:
    """One control's new value, parsed by the same rules as the URL (so a bad value is simply dropped)."""
    key, field = _CONTROL_PARAMS[control]
    value = values.get(control)
    if field in ("date_from", "date_to") and isinstance(value, str) and value:
        if getattr(ViewState.from_query(_encode(key, value)), field).isoformat() != value:
            return view  # a date being typed ("0201-..." on the way to 2016): wait for a whole, valid one
    if isinstance(value, list):
        value = ",".join(str(v) for v in value if isinstance(v, str))
    elif not isinstance(value, str):
        value = ""
    parsed = ViewState.from_query(_encode(key, value)) if value else ViewState()
    new = view.replace(**{field: getattr(parsed, field)})
    if new.date_from > new.date_to:  # the user set one end past the other: keep a valid window
        new = new.replace(date_from=new.date_to, date_to=new.date_from)
    return new


def _encode(key: str, value: str) -> str:
    return urlencode([(key, value)])


def _checked(view: ViewState) -> ViewState:
    return ViewState.from_query(view.to_query())  # revalidate an id or value that came from the browser


def _apply_click(view: ViewState, click) -> ViewState:
    point = click["points"][0]
    custom = point.get("customdata")
    if isinstance(custom, list):
        custom = custom[0] if custom else None
    if not isinstance(custom, str):
        return view
    if custom.startswith("zoom:"):  # the count of events at one place: zoom in on it (they spread apart)
        lon, lat = (float(v) for v in custom[5:].split(","))
        scale = min(MAX_SCALE, max(ZOOM_STEP * (view.viewport.scale if view.viewport else DEFAULT_MAP_SCALE), 16.0))
        return _checked(view.replace(viewport=ViewState.from_query(f"map={lon},{lat},{scale}").viewport))
    if custom.startswith("bin:"):  # an aggregated marker: select its period
        return _checked(view).replace(brush=ViewState.from_query("brush=" + custom[4:]).brush)
    return _checked(view.replace(event_id=custom)) if custom != view.event_id else view.without("event")


def brush_from_selection(selected) -> tuple[dt.date, dt.date] | None:
    """A timeline selection (``selectedData``) as a date range; None clears the brush."""
    if not isinstance(selected, dict):
        return None
    ranges = selected.get("range") or {}
    for key, value in ranges.items():
        if key.startswith("x") and isinstance(value, list) and len(value) == 2:
            brush = ViewState.from_query(f"brush={str(value[0])[:10]}..{str(value[1])[:10]}").brush
            return brush
    return None


def window_from_relayout(relayout) -> tuple[dt.date, dt.date] | None:
    """A zoom or pan of the timeline as the new date window (None when the event is not a zoom)."""
    if not isinstance(relayout, dict):
        return None
    start = relayout.get("xaxis.range[0]")
    end = relayout.get("xaxis.range[1]")
    if start is None and isinstance(relayout.get("xaxis.range"), list) and len(relayout["xaxis.range"]) == 2:
        start, end = relayout["xaxis.range"]
    if start is None or end is None:
        return None
    view = ViewState.from_query(f"from={str(start)[:10]}&to={str(end)[:10]}")
    return (view.date_from, view.date_to) if view.to_query() else None


def area_from_selection(selected) -> tuple[tuple[float, float], ...] | None:
    """A map box or lasso (``selectedData``) as a polygon of (lon, lat); None clears the area."""
    if not isinstance(selected, dict):
        return None
    lasso = (selected.get("lassoPoints") or {}).get("geo") or (selected.get("lassoPoints") or {}).get("map")
    if isinstance(lasso, list) and len(lasso) >= 3:
        step = max(1, len(lasso) // MAX_LASSO_POINTS)
        points = lasso[::step]
        query = "area=" + ";".join(f"{float(p[0])},{float(p[1])}" for p in points)
        return ViewState.from_query(query).area
    box = (selected.get("range") or {}).get("geo") or (selected.get("range") or {}).get("map")
    if isinstance(box, list) and len(box) == 2:
        (lon0, lat0), (lon1, lat1) = box
        polygon = area_from_box(float(lon0), float(lat0), float(lon1), float(lat1))
        return ViewState.from_query("area=" + ";".join(f"{x},{y}" for x, y in polygon)).area
    return None


def viewport_from_relayout(relayout, view: ViewState):
    """A map pan or zoom as the new viewport (centre and scale)."""
    if not isinstance(relayout, dict):
        return None
    if isinstance(relayout.get("map.center"), dict) or "map.zoom" in relayout:  # the tile map (MapLibre)
        center = relayout.get("map.center") or {}
        relayout = {"geo.center.lon": center.get("lon"), "geo.center.lat": center.get("lat"),
                    "geo.projection.scale": 2 ** (float(relayout["map.zoom"]) - 0.5) if "map.zoom" in relayout
                    else None}
        relayout = {k: v for k, v in relayout.items() if v is not None}
    keys = ("geo.center.lon", "geo.center.lat", "geo.projection.scale")
    if not any(k in relayout for k in keys):
        return None
    current = view.viewport
    lon = relayout.get("geo.center.lon", current.lon if current else DEFAULT_MAP_CENTER[0])
    lat = relayout.get("geo.center.lat", current.lat if current else DEFAULT_MAP_CENTER[1])
    scale = relayout.get("geo.projection.scale", current.scale if current else DEFAULT_MAP_SCALE)
    return ViewState.from_query(f"map={float(lon)},{float(lat)},{float(scale)}").viewport


