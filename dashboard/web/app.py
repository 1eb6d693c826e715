"""The Dash app: a linked timeline and map of the store's events, with facets, a table and provenance.

    >>> app = create_app("data/store")          # doctest: +SKIP
    >>> app.run(host="127.0.0.1", port=8050, debug=False)   # doctest: +SKIP

The URL is the single source of view state. Two callbacks:

* ``update_view`` turns a user action (a filter control, a brush on the timeline, a box or lasso on the
  map, a click, playback) into a new query string; when the URL itself changes (load, back button, a
  shared link) it sets the controls from it instead;
* ``render`` turns the query string into everything on screen (figures, facet counts, table, panel).

So a reload or a shared link restores exactly the view, and every payload goes through ``ViewState``
parsing: a hostile URL or a malformed graph event gives the default view, never a traceback.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import dash
from dash import Input, Output, State, ctx, dash_table, dcc, html, no_update

from dashboard.editing.limits import max_request_bytes
from dashboard.editing.service import EditingService
from dashboard.views.figures import draw_map, draw_timeline, type_label
from dashboard.web import corrections_panel, export_panel, upload_panel
from dashboard.web.provenance import provenance_panel
from dashboard.core.countries import country_name
from dashboard.views.query import EventStore
from dashboard.views.state import EVENT_TYPES, ViewState, area_from_box
from dashboard.records import PLACE_PRECISIONS, TIME_PRECISIONS
from dashboard import settings
from dashboard.settings import ASSETS_DIR

PLAYBACK_WINDOWS = {"1m": ("1 month", 31), "3m": ("3 months", 92), "1y": ("1 year", 366)}
PLAYBACK_SPEEDS = {"0.5": "slow", "1": "normal", "2": "fast", "4": "fastest"}
PLAY_TICK_MS = 1500
MAX_LASSO_POINTS = 60

# Controls that mirror a part of the view; order matters (outputs of update_view follow it).
# A publication-date fallback is no precision of the text: the facet says so ("uncertain").
TIME_PRECISION_LABELS = {"published": "publication date only (uncertain)"}
CONTROLS = ("search", "date-from", "date-to", "country", "type", "source", "tprec", "pprec", "conf", "lanes", "bin",
            "size", "basemap")
CONFIDENCE_CHOICES = [{"label": "any", "value": "0"}, {"label": "≥ 0.3", "value": "0.3"},
                      {"label": "≥ 0.5", "value": "0.5"}, {"label": "≥ 0.7", "value": "0.7"}]


def create_app(store_path: str | Path, *, upload_dir: str | Path | None = None,
               corpus_dir: str | Path | list | None = None, store: EventStore | None = None,
               tile_url: str | None = None) -> dash.Dash:
    """Build the app over a store directory.

    The map is offline (boundaries from ``assets/topojson``). ``tile_url`` (or the environment variable
    ``DASHBOARD_TILE_URL``), an XYZ raster template, offers online tiles as a second basemap; it is off
    unless configured, and even then only used when the user picks it.

    ``upload_dir`` mounts the "Add articles" and correction panels (``upload_panel``, ``corrections_panel``,
    both served by one ``editing.service.EditingService``): uploaded articles are saved there and the store
    is rebuilt from ``corpus_dir`` (default: the folders the store records) plus the uploads, then
    reloaded in place. ``store`` lets tests and benchmarks pass an already loaded ``EventStore``.
    """
    store = store or EventStore(store_path)
    tile_url = tile_url or settings.tile_url()
    app = dash.Dash(
        __name__, title="News timeline and map", assets_folder=str(ASSETS_DIR), serve_locally=True,
        update_title=None,
    )
    extra_filters, extra_main = [export_panel.layout()], []
    editing = None
    if upload_dir:
        corpora = None if corpus_dir is None else list(corpus_dir) if isinstance(corpus_dir, (list, tuple)) \
            else [corpus_dir]
        editing = EditingService(store_path, corpora, upload_dir, on_rebuilt=store.reload)
        extra_filters.append(upload_panel.layout(editing.limits))
        extra_main.append(corrections_panel.layout())
    app.layout = _layout(app, store, extra_filters, extra_main, tiles=bool(tile_url))
    panel = corrections_panel.panel_with_controls(editing, provenance_panel) if editing else None
    register_callbacks(app, store, panel=panel, tile_url=tile_url)
    export_panel.register_callbacks(app, store)
    app.server.config["MAX_CONTENT_LENGTH"] = max_request_bytes(editing.limits if editing else None)
    app._event_store = store  # for benchmarks and tests
    app._editing = editing  # the panels' service (its runner's jobs), for tests
    if editing:
        upload_panel.register_callbacks(app, editing)
        corrections_panel.register_callbacks(app, editing)
    return app


# ---------------------------------------------------------------------- layout
def _layout(app: dash.Dash, store: EventStore, extra_filters: list = (), extra_main: list = (), *,
            tiles: bool = False) -> html.Div:
    graph_config = {
        "topojsonURL": app.get_asset_url("topojson/"),  # offline boundaries, honouring the path prefix
        "displaylogo": False, "scrollZoom": True, "responsive": True,
    }
    extent = store.date_extent()
    extent_text = f"{extent[0]} to {extent[1]}" if extent else "no events"
    initial = dict(zip(("country", "type", "source"), _facet_options(store, ViewState())[:3]))
    check = lambda values, labels=None: [{"label": (labels or {}).get(v, v), "value": v} for v in values]  # noqa: E731
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Interval(id="player", interval=PLAY_TICK_MS, disabled=True),
        html.Header([
            html.H1("News timeline and map"),
            html.Div(id="summary", className="summary", role="status"),
            html.Div([
                html.Button("Full range", id="full-range", title=f"show every event ({extent_text})"),
                html.Button("Clear selection", id="clear-selection", title="drop the time brush and map area"),
                html.Button("Clear all", id="clear-all", title="remove every filter and selection"),
            ], className="header-buttons"),
        ], className="header"),
        html.Div([
            html.Aside([
                html.Label("Search", htmlFor="search"),
                dcc.Input(id="search", type="search", debounce=True, placeholder="words in the sentence or place",
                          maxLength=200),
                html.Label("From", htmlFor="date-from"),
                dcc.Input(id="date-from", type="date", debounce=True),
                html.Label("To", htmlFor="date-to"),
                dcc.Input(id="date-to", type="date", debounce=True),
                html.Label("Country", htmlFor="country"),
                dcc.Dropdown(id="country", multi=True, placeholder="any country", options=initial["country"]),
                html.Fieldset([html.Legend("Event type"),
                               dcc.Checklist(id="type", options=initial["type"], inline=False)]),
                html.Label("Source article", htmlFor="source"),
                dcc.Dropdown(id="source", multi=True, placeholder="any source", options=initial["source"]),
                html.Fieldset([html.Legend("Time known to the"),
                               dcc.Checklist(id="tprec", options=check(TIME_PRECISIONS), inline=True)]),
                html.Fieldset([html.Legend("Place known to the"),
                               dcc.Checklist(id="pprec", options=check(PLACE_PRECISIONS), inline=True)]),
                html.Fieldset([html.Legend("Confidence"),
                               dcc.RadioItems(id="conf", options=CONFIDENCE_CHOICES, inline=True)]),
                html.Fieldset([html.Legend("Timeline lanes"),
                               dcc.RadioItems(id="lanes", options=check(["type", "country"]), inline=True)]),
                html.Fieldset([html.Legend("Histogram per"),
                               dcc.RadioItems(id="bin", options=check(["week", "month", "year"]), inline=True)]),
                html.Fieldset([html.Legend("Marker size"),
                               dcc.RadioItems(id="size", options=check(["sources", "fatalities"]), inline=True)]),
                html.Fieldset([html.Legend("Basemap"), dcc.RadioItems(id="basemap", inline=True, options=[
                    {"label": "offline", "value": "offline"},
                    {"label": "online tiles" if tiles else "online tiles (not configured)", "value": "tiles",
                     "disabled": not tiles}])]),
                html.Fieldset([
                    html.Legend("Playback"),
                    html.Button("▶ Play", id="play", title="move the time brush through the window"),
                    html.Label("Window", htmlFor="play-window"),
                    dcc.Dropdown(id="play-window", clearable=False, value="3m", searchable=False,
                                 options=[{"label": label, "value": key}
                                          for key, (label, _) in PLAYBACK_WINDOWS.items()]),
                    html.Label("Speed", htmlFor="play-speed"),
                    dcc.Dropdown(id="play-speed", clearable=False, value="1", searchable=False,
                                 options=[{"label": label, "value": key} for key, label in PLAYBACK_SPEEDS.items()]),
                ], className="playback"),
                *extra_filters,
                _legend(),
            ], className="filters", **{"aria-label": "filters"}),
            html.Main([
                html.Div(id="message", className="message", role="alert"),
                dcc.Loading(dcc.Graph(id="timeline", config=graph_config, className="timeline-graph",
                                      style={"height": "400px"}),
                            type="default", delay_show=300),
                html.Div([
                    dcc.Loading(dcc.Graph(id="map", config=graph_config, className="map-graph",
                                              style={"height": "420px"}),
                                type="default", delay_show=300, parent_className="map-cell"),
                    html.Section(id="provenance", className="provenance", **{"aria-live": "polite",
                                                                             "aria-label": "provenance"}),
                ], className="map-row"),
                dash_table.DataTable(
                    id="table", page_size=10, sort_action="none", cell_selectable=True,
                    columns=[{"name": n, "id": i} for n, i in (
                        ("Start", "start_date"), ("End", "end_date"), ("Known to", "time_precision"),
                        ("Place", "place"), ("Country", "country"), ("Type", "event_type"),
                        ("Deaths", "fatalities"), ("Sources", "n_sources"), ("Sentence", "sentence"))],
                    style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                                "fontFamily": "inherit", "fontSize": "13px", "padding": "4px 6px"},
                    style_cell_conditional=[{"if": {"column_id": "sentence"}, "minWidth": "360px"}],
                    style_table={"overflowX": "auto"},
                ),
                *extra_main,
            ], className="main"),
        ], className="body"),
    ], className="app")


def _legend() -> html.Div:
    from dashboard.views.figures import type_style

    items = []
    for event_type in EVENT_TYPES:
        colour, _ = type_style(event_type)
        items.append(html.Li([html.Span(className="swatch", style={"backgroundColor": colour}),
                              type_label(event_type)]))
    return html.Div([
        html.H2("Legend"),
        html.Ul(items, className="legend-types"),
        html.P("Filled marker: placed to a point or city. Hollow with halo: only the region or country is "
               "known. On the timeline, bars are dates known only to the week, month, season or year.",
               className="hint"),
    ], className="legend")


# ---------------------------------------------------------------------- callbacks
def register_callbacks(app: dash.Dash, store: EventStore, *, panel=None, tile_url: str | None = None) -> None:
    """The app's own callbacks; ``panel`` replaces ``provenance_panel`` (e.g. with correction controls)."""
    control_outputs = [Output(c, "value") for c in CONTROLS]

    @app.callback(
        Output("url", "search"), *control_outputs,
        Output("player", "disabled"), Output("player", "interval"), Output("play", "children"),
        # A dropdown drops a value missing from its options, so the URL's values arrive with their options.
        Output("country", "options", allow_duplicate=True), Output("source", "options", allow_duplicate=True),
        Input("url", "search"), *[Input(c, "value") for c in CONTROLS],
        Input("timeline", "selectedData"), Input("timeline", "relayoutData"), Input("timeline", "clickData"),
        Input("map", "selectedData"), Input("map", "relayoutData"), Input("map", "clickData"),
        Input("table", "active_cell"), Input("clear-all", "n_clicks"), Input("clear-selection", "n_clicks"),
        Input("full-range", "n_clicks"), Input("play", "n_clicks"), Input("player", "n_intervals"),
        Input("play-speed", "value"),
        State("player", "disabled"), State("play-window", "value"),
        State("country", "options"), State("source", "options"),
        prevent_initial_call="initial_duplicate",
    )
    def update_view(search, *args):
        values = dict(zip(CONTROLS, args[:len(CONTROLS)]))
        (timeline_selected, timeline_relayout, timeline_click, map_selected, map_relayout, map_click,
         active_cell, _clear, _clear_sel, _full, _play, _tick, speed, player_disabled, play_window,
         country_options, source_options) = args[len(CONTROLS):]
        trigger = ctx.triggered_id
        view = ViewState.from_query(search)
        interval = _play_interval(speed)
        keep = [no_update] * len(CONTROLS)
        if trigger in (None, "url"):
            return (no_update, *controls_from_view(view), no_update, interval, no_update,
                    _with_values(country_options, view.countries, country_name),
                    _with_values(source_options, view.sources, lambda s: (store.articles.get(s) or {}).get("title") or s))
        if trigger == "play-speed":
            return (no_update, *keep, no_update, interval, no_update, no_update, no_update)
        playing = not player_disabled
        if trigger == "play":
            playing = not playing
            if playing and not view.brush:
                view = view.replace(brush=_play_brush(view.date_from, play_window))
        elif trigger == "player":
            view, playing = _advance_playback(view, play_window, playing)
        else:
            view = apply_action(view, trigger, values, {
                "timeline_selected": timeline_selected, "timeline_relayout": timeline_relayout,
                "timeline_click": timeline_click, "map_selected": map_selected, "map_relayout": map_relayout,
                "map_click": map_click, "active_cell": active_cell,
            }, store)
        new_search = "?" + view.to_query() if view.to_query() else ""
        url = new_search if new_search != (search or "") else no_update
        controls = controls_from_view(view) if trigger in ("clear-all", "full-range", "play", "player") else keep
        return (url, *controls, not playing, interval, "❚❚ Pause" if playing else "▶ Play", no_update, no_update)

    # Two render callbacks on the same URL: the browser requests them in parallel, and the figures do
    # not wait for the facet counts and the table (or the other way round).
    @app.callback(Output("timeline", "figure"), Output("map", "figure"), Input("url", "search"))
    def render(search):
        return render_figures(store, ViewState.from_query(search), tile_url=tile_url)

    @app.callback(
        Output("country", "options"), Output("type", "options"), Output("source", "options"),
        Output("tprec", "options"), Output("pprec", "options"),
        Output("table", "data"), Output("table", "style_data_conditional"),
        Output("provenance", "children"), Output("summary", "children"),
        Output("message", "children"), Output("message", "className"),
        Input("url", "search"),
    )
    def render_side(search):
        return render_panels(store, ViewState.from_query(search), panel=panel)



def _with_values(options, values, label) -> list:
    """Options extended with any selected value they lack (labelled; counts come with the next render)."""
    options = [o for o in (options if isinstance(options, list) else [])
               if isinstance(o, dict) and isinstance(o.get("value"), str)]
    present = {o["value"] for o in options}
    return options + [{"label": label(v), "value": v} for v in values if v not in present]


def controls_from_view(view: ViewState) -> list:
    """Control values for a view, in CONTROLS order."""
    return [view.text, view.date_from.isoformat(), view.date_to.isoformat(), list(view.countries),
            list(view.event_types), list(view.sources), list(view.time_precisions), list(view.place_precisions),
            f"{view.min_confidence:g}", view.lanes, view.bin, view.size, view.basemap]


def apply_action(view: ViewState, trigger: str, values: dict, payloads: dict, store: EventStore) -> ViewState:
    """The view after one user action; a payload that cannot be understood leaves the view unchanged."""
    try:
        if trigger in CONTROLS:
            return _apply_control(view, trigger, values)
        if trigger == "clear-all":
            return view.cleared()
        if trigger == "clear-selection":
            return view.without("brush", "area")
        if trigger == "full-range":
            extent = store.date_extent()
            return view.replace(date_from=extent[0], date_to=extent[1]) if extent else view
        if trigger == "timeline":
            triggered = ctx.triggered[0]["prop_id"].split(".")[-1] if ctx.triggered else ""
            if triggered == "selectedData":
                # A new figure resets plotly's selection to None: only a drawn selection changes the
                # brush; "Clear selection" or a double-click (below) removes it.
                brush = brush_from_selection(payloads["timeline_selected"])
                return view.replace(brush=brush) if brush else view
            if triggered == "relayoutData":
                relayout = payloads["timeline_relayout"]
                if isinstance(relayout, dict) and relayout.get("xaxis.autorange"):
                    # double-click: back to the default window, brush dropped
                    return view.without("brush").replace(date_from=ViewState().date_from,
                                                         date_to=ViewState().date_to)
                window = window_from_relayout(relayout)
                return view.replace(date_from=window[0], date_to=window[1]) if window else view
            if triggered == "clickData":
                return _apply_click(view, payloads["timeline_click"])
        if trigger == "map":
            triggered = ctx.triggered[0]["prop_id"].split(".")[-1] if ctx.triggered else ""
            if triggered == "selectedData":
                area = area_from_selection(payloads["map_selected"])
                return view.replace(area=area) if area else view
            if triggered == "relayoutData":
                viewport = viewport_from_relayout(payloads["map_relayout"], view)
                return view.replace(viewport=viewport) if viewport else view
            if triggered == "clickData":
                return _apply_click(view, payloads["map_click"])
        if trigger == "table":
            cell = payloads["active_cell"]
            if isinstance(cell, dict) and isinstance(cell.get("row_id"), str):
                return _checked(view.replace(event_id=cell["row_id"]))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return view
    return view


_CONTROL_PARAMS = {  # control id -> (query-string key, ViewState field)
    "search": ("q", "text"), "date-from": ("from", "date_from"), "date-to": ("to", "date_to"),
    "country": ("country", "countries"), "type": ("type", "event_types"), "source": ("source", "sources"),
    "tprec": ("tprec", "time_precisions"), "pprec": ("pprec", "place_precisions"), "conf": ("conf", "min_confidence"),
    "lanes": ("lanes", "lanes"),
    "bin": ("bin", "bin"), "size": ("size", "size"), "basemap": ("basemap", "basemap"),
}


def _apply_control(view: ViewState, control: str, values: dict) -> ViewState:
    """One control's new value, parsed by the same rules as the URL (so a bad value is simply dropped)."""
    key, field = _CONTROL_PARAMS[control]
    value = values.get(control)
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
    from urllib.parse import urlencode

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
    from dashboard.views.figures import DEFAULT_MAP_CENTER, DEFAULT_MAP_SCALE

    current = view.viewport
    lon = relayout.get("geo.center.lon", current.lon if current else DEFAULT_MAP_CENTER[0])
    lat = relayout.get("geo.center.lat", current.lat if current else DEFAULT_MAP_CENTER[1])
    scale = relayout.get("geo.projection.scale", current.scale if current else DEFAULT_MAP_SCALE)
    return ViewState.from_query(f"map={float(lon)},{float(lat)},{float(scale)}").viewport


def _play_interval(speed) -> int:
    factor = float(speed) if isinstance(speed, str) and speed in PLAYBACK_SPEEDS else 1.0
    return int(PLAY_TICK_MS / factor)


def _window_days(window_key) -> int:
    """The playback window in days; anything but a known key is the 3-month default."""
    key = window_key if isinstance(window_key, str) and window_key in PLAYBACK_WINDOWS else "3m"
    return PLAYBACK_WINDOWS[key][1]


def _play_brush(start: dt.date, window_key) -> tuple[dt.date, dt.date]:
    return start, start + dt.timedelta(days=_window_days(window_key) - 1)


def _advance_playback(view: ViewState, window_key, playing: bool) -> tuple[ViewState, bool]:
    """Move the brush forward by half a window; stop at the end of the date window."""
    if not playing:
        return view, False
    days = _window_days(window_key)
    start = view.brush[0] + dt.timedelta(days=max(1, days // 2)) if view.brush else view.date_from
    if start > view.date_to:
        return view, False
    return view.replace(brush=_play_brush(start, window_key)), True


def render_view(store: EventStore, view: ViewState) -> tuple:
    """Everything on screen for a view: the outputs of ``render`` then ``render_side``."""
    return render_figures(store, view) + render_panels(store, view)


def render_figures(store: EventStore, view: ViewState, *, tile_url: str | None = None) -> tuple[dict, dict]:
    """The ``render`` callback: the timeline and the map (figure dicts, as the exporter's figures)."""
    selected = store.event(view.event_id)
    return (draw_timeline(store.timeline_data(view), view, selected),
            draw_map(store.map_data(view), view, selected, tile_url=tile_url))


def render_panels(store: EventStore, view: ViewState, *, panel=None) -> tuple:
    """The ``render_side`` callback: facet options with counts, table, provenance panel, summary, message."""
    selected = store.event(view.event_id)
    facets = store.facets(view)
    matching = store.count(view)
    table = store.table(view)
    country_options, type_options, source_options, tprec_options, pprec_options = _facet_options(store, view, facets)
    rows = table.to_dict("records")
    for row in rows:
        row["event_type"] = type_label(row["event_type"])
        if row.get("fatalities") is not None and row["fatalities"] == row["fatalities"]:
            row["fatalities"] = int(row["fatalities"])
        else:
            row["fatalities"] = None
        row["n_sources"] = int(row["n_sources"]) if row.get("n_sources") is not None else None
    table_style = [{"if": {"filter_query": f'{{id}} = "{view.event_id}"'},
                    "backgroundColor": "#fff3c4", "fontWeight": "600"}] if view.event_id else []
    summary = [html.Strong(f"{matching:,}"), f" of {store.total:,} events",
               f" · {view.date_from} to {view.date_to}"]
    if view.brush:
        summary.append(f" · brushed {view.brush[0]} to {view.brush[1]}")
    if view.area:
        summary.append(" · map area selected")
    if matching == 0:
        message = ("No events match this view. Try removing a filter, widening the dates "
                   "(“Full range”) or “Clear all”.")
        message_class = "message message-empty"
    else:
        message, message_class = "", "message"
    return (country_options,
            type_options, source_options, tprec_options, pprec_options, rows, table_style,
            (panel or provenance_panel)(selected, store.articles), summary, message, message_class)


def _facet_options(store: EventStore, view: ViewState, facets: dict | None = None) -> tuple:
    """Options with counts for the country, type, source and precision filters."""
    facets = facets or store.facets(view)
    country_counts = dict(facets["country"])
    countries = sorted(set(country_counts) | set(view.countries), key=lambda c: (-country_counts.get(c, 0), c))
    country_options = [{"label": f"{country_name(c) if c else 'no country'} ({country_counts.get(c, 0):,})",
                        "value": c} for c in countries if c]
    type_counts = dict(facets["type"])
    type_options = [{"label": f"{type_label(t)} ({type_counts.get(t, 0):,})", "value": t} for t in EVENT_TYPES]
    source_counts = dict(facets["source"])
    sources = list(source_counts) + [s for s in view.sources if s not in source_counts]
    source_options = [{"label": f"{(store.articles.get(s) or {}).get('title') or s} ({source_counts.get(s, 0):,})",
                       "value": s} for s in sources]
    tprec_counts = dict(facets["time_precision"])
    tprec_options = [{"label": f"{TIME_PRECISION_LABELS.get(g, g)} ({tprec_counts.get(g, 0):,})", "value": g}
                     for g in TIME_PRECISIONS]
    pprec_counts = dict(facets["place_precision"])
    pprec_options = [{"label": f"{p} ({pprec_counts.get(p, 0):,})", "value": p} for p in PLACE_PRECISIONS]
    return country_options, type_options, source_options, tprec_options, pprec_options
