"""The Dash app: a linked timeline and map of the store's events, with facets, a summary band, a table and
provenance.

    >>> app = create_app("data/store")          # doctest: +SKIP
    >>> app.run(host="127.0.0.1", port=8050, debug=False)   # doctest: +SKIP

The URL is the single source of view state:

* ``update_view`` turns a user action (a filter control, a brush on the timeline, a box or lasso on the
  map, a click, a table row, a summary bar, the playback slider) into a new query string; when the URL
  itself changes (load, back button, a shared link) it sets the controls from it instead;
* ``render`` / ``render_side`` / ``render_summary`` turn the query string into everything on screen;
* playback has its own two callbacks (the Play button, the timer's tick), see ``playback.py``.

So a reload or a shared link restores exactly the view, and every payload goes through ``ViewState``
parsing: a hostile URL or a malformed graph event gives the default view, never a traceback.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import dash
from dash import Input, Output, State, ctx, html, no_update

from dashboard import settings
from dashboard.core.countries import country_name
from dashboard.editing.limits import max_request_bytes
from dashboard.editing.service import EditingService
from dashboard.settings import ASSETS_DIR
from dashboard.store.generations import current_generation
from dashboard.views import map_layers
from dashboard.views.figures import draw_timeline, map_dict, type_label
from dashboard.views.query import EventStore
from dashboard.views.state import EVENT_TYPES, ViewState
from dashboard.views.summary import summary_data, summary_figures
from dashboard.records import PLACE_PRECISIONS, TIME_PRECISIONS
from dashboard.web import corrections_panel, export_panel, playback, upload_panel
from dashboard.web.actions import (  # noqa: F401 - the payload parsers are part of the app's interface
    apply_action, area_from_selection, brush_from_selection, viewport_from_relayout, window_from_relayout,
)
from dashboard.web.layout import CONTROLS, TIME_PRECISION_LABELS, page
from dashboard.web.provenance import provenance_panel
from dashboard.web import table


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
    follower = GenerationFollower(store, store_path)
    # The map's place labels come from the gazetteer (half a second to read): read while the page loads.
    threading.Thread(target=map_layers.largest_places, daemon=True, name="place-labels").start()
    tile_url = tile_url or settings.tile_url()
    app = dash.Dash(
        __name__, title="News timeline and map", assets_folder=str(ASSETS_DIR), serve_locally=True,
        update_title=None,
        assets_path_ignore=["plotlyjs"],  # the exporter's partial plotly.js: the page keeps the full one
    )
    extra_filters, extra_main = [export_panel.layout()], []
    editing = None
    if upload_dir:
        corpora = None if corpus_dir is None else list(corpus_dir) if isinstance(corpus_dir, (list, tuple)) \
            else [corpus_dir]
        editing = EditingService(store_path, corpora, upload_dir, on_rebuilt=follower.reload)
        extra_filters.append(upload_panel.layout(editing.limits))
        extra_main.append(corrections_panel.layout())
    initial = dict(zip(("country", "type", "source"), _facet_options(store, ViewState())[:3]))
    app.layout = page(app, store, initial, extra_filters, extra_main, tiles=bool(tile_url))
    panel = corrections_panel.panel_with_controls(editing, provenance_panel) if editing else None
    if editing:
        # The correction controls appear with a selected event only: the renderer checks the callbacks'
        # ids against this layout (with one event's controls in it) instead of the empty page.
        app.validation_layout = html.Div([app.layout, corrections_panel.panel_controls({"id": "layout"}, editing)])
    register_callbacks(app, store, panel=panel, tile_url=tile_url)
    export_panel.register_callbacks(app, store)
    app.server.config["MAX_CONTENT_LENGTH"] = max_request_bytes(editing.limits if editing else None)
    app.server.before_request(follower.check)
    app._event_store = store  # for benchmarks and tests
    app._editing = editing  # the panels' service (its runner's jobs), for tests
    if editing:
        upload_panel.register_callbacks(app, editing)
        corrections_panel.register_callbacks(app, editing)
    return app


app_log = logging.getLogger(__name__)
GENERATION_CHECK_S = 1.0  # how often requests look for a generation that another process made


class GenerationFollower:
    """Keeps the app on the store's current generation: a ``build`` from the command line (or another
    gunicorn worker's rebuild) while the app runs makes a new one, and the first request after it
    reloads the events (looked for at most every GENERATION_CHECK_S: a readlink and a stat)."""

    def __init__(self, store: EventStore, store_path: str | Path):
        self.store, self.store_path = store, store_path
        self.generation = current_generation(store_path)
        self.checked_at = time.monotonic()
        self._lock = threading.Lock()

    def check(self) -> None:
        """Before each request; while one request reloads, the others answer from the events they have."""
        if time.monotonic() - self.checked_at < GENERATION_CHECK_S or not self._lock.acquire(blocking=False):
            return
        try:
            self.checked_at = time.monotonic()
            if current_generation(self.store_path) not in (None, self.generation):
                self._reload()
        except Exception as err:  # a new generation that does not read: keep answering from the old events
            self.generation = current_generation(self.store_path)
            app_log.warning("%s: the new store generation was not loaded: %s", self.store_path, err)
        finally:
            self._lock.release()

    def reload(self) -> None:
        """After the app's own rebuild."""
        with self._lock:
            self._reload()

    def _reload(self) -> None:
        generation = current_generation(self.store_path)  # before reading: a build meanwhile is seen next time
        self.store.reload()
        self.generation = generation


# ---------------------------------------------------------------------- callbacks
GRAPH_INPUTS = (("timeline", "selectedData"), ("timeline", "relayoutData"), ("timeline", "clickData"),
                ("map", "selectedData"), ("map", "relayoutData"), ("map", "clickData"),
                ("table", "selectedRows"), ("summary-types", "clickData"), ("summary-countries", "clickData"),
                ("play-slider", "value"))
BUTTONS = ("clear-all", "clear-selection", "full-range", "fit-map")


def register_callbacks(app: dash.Dash, store: EventStore, *, panel=None, tile_url: str | None = None) -> None:
    """The app's own callbacks; ``panel`` replaces ``provenance_panel`` (e.g. with correction controls)."""

    @app.callback(
        Output("url", "search"), *[Output(c, "value") for c in CONTROLS],
        # A dropdown drops a value missing from its options, so the URL's values arrive with their options.
        Output("country", "options", allow_duplicate=True), Output("source", "options", allow_duplicate=True),
        Input("url", "search"), *[Input(c, "value") for c in CONTROLS],
        *[Input(component, prop) for component, prop in GRAPH_INPUTS], *[Input(b, "n_clicks") for b in BUTTONS],
        State("play-window", "value"), State("country", "options"), State("source", "options"),
        State("player", "disabled"), prevent_initial_call="initial_duplicate",
    )
    def update_view(search, *args):
        values = dict(zip(CONTROLS, args[:len(CONTROLS)]))
        graph_values = args[len(CONTROLS):len(CONTROLS) + len(GRAPH_INPUTS)]
        play_window, country_options, source_options, player_disabled = args[-4:]
        trigger = ctx.triggered_id
        view = ViewState.from_query(search)
        keep = [no_update] * len(CONTROLS)
        if trigger in (None, "url"):
            return (no_update, *controls_from_view(view),
                    _with_values(country_options, view.countries, country_name),
                    _with_values(source_options, view.sources, lambda s: (store.articles.get(s) or {}).get("title") or s))
        payloads = dict(zip(("timeline_selected", "timeline_relayout", "timeline_click", "map_selected",
                             "map_relayout", "map_click", "table_selected", "summary-types", "summary-countries",
                             "play_slider"), graph_values))
        if trigger == "play-slider":
            # While playing, the slider only echoes windows the timer already moved past: not a user's drag.
            playing = player_disabled is False
            brush = None if playing else playback.brush_from_slider(view, payloads["play_slider"], play_window)
            new_view = view.replace(brush=brush) if brush else view
        else:
            new_view = apply_action(view, trigger, values, payloads, store)
        url = _search(new_view) if _search(new_view) != (search or "") else no_update
        controls = controls_from_view(new_view) if trigger in ("clear-all", "full-range") else keep
        return (url, *controls, no_update, no_update)

    @app.callback(
        Output("player", "disabled"), Output("play", "children"), Output("url", "search", allow_duplicate=True),
        Input("play", "n_clicks"), State("player", "disabled"), State("url", "search"), State("play-window", "value"),
        prevent_initial_call=True,
    )
    def toggle_playback(_clicks, disabled, search, window):
        if disabled is False:  # playing: pause where it is
            return True, playback.PLAY, no_update
        view = ViewState.from_query(search)
        view = view.replace(brush=playback.start_brush(view, window))
        return False, playback.PAUSE, _search(view)

    @app.callback(
        Output("url", "search", allow_duplicate=True), Output("player", "disabled", allow_duplicate=True),
        Output("play", "children", allow_duplicate=True),
        Input("player", "n_intervals"), State("player", "disabled"), State("url", "search"),
        State("play-window", "value"), prevent_initial_call=True,
    )
    def playback_tick(_tick, disabled, search, window):
        if disabled is not False:
            return no_update, no_update, no_update
        view, going_on = playback.step(ViewState.from_query(search), window)
        stop = (no_update, no_update) if going_on else (True, playback.PLAY)  # the last window: stop there
        return _search(view), *stop

    @app.callback(Output("player", "interval"), Input("play-speed", "value"))
    def playback_speed(speed):
        return playback.interval(speed)

    # Render callbacks on the same URL: the browser requests them in parallel, and the figures do not
    # wait for the facet counts and the table (or the other way round).
    @app.callback(Output("timeline", "figure"), Output("map", "figure"), Input("url", "search"))
    def render(search):
        return render_figures(store, ViewState.from_query(search), tile_url=tile_url)

    @app.callback(
        Output("country", "options"), Output("type", "options"), Output("source", "options"),
        Output("tprec", "options"), Output("pprec", "options"),
        Output("table", "selectedRows"), Output("table", "scrollTo"),
        Output("play-slider", "max"), Output("play-slider", "marks"), Output("play-slider", "value"),
        Output("play-readout", "children"),
        Output("provenance", "children"), Output("summary", "children"),
        Output("message", "children"), Output("message", "className"),
        Input("url", "search"),
    )
    def render_side(search):
        return render_panels(store, ViewState.from_query(search), panel=panel)

    @app.callback(Output("table-key", "data"), Input("url", "search"), State("table-key", "data"))
    def table_key(search, current):
        key = table.rows_key(store, ViewState.from_query(search))
        return key if key != current else no_update  # unchanged rows are not sent again

    @app.callback(Output("table", "rowData"), Output("table-note", "children"), Input("table-key", "data"),
                  State("url", "search"))
    def render_table(_key, search):
        return table.table_rows(store, ViewState.from_query(search))

    @app.callback(Output("summary-deaths", "figure"), Output("summary-types", "figure"),
                  Output("summary-countries", "figure"), Input("url", "search"))
    def render_summary(search):
        view = ViewState.from_query(search)
        return summary_figures(summary_data(store, view), view)


def _search(view: ViewState) -> str:
    query = view.to_query()
    return "?" + query if query else ""


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
            f"{view.min_confidence:g}", view.lanes, view.bin, view.size, view.basemap, view.map_layer]


# ---------------------------------------------------------------------- rendering
def render_view(store: EventStore, view: ViewState) -> tuple:
    """Everything on screen for a view: the outputs of ``render`` then ``render_side``."""
    return render_figures(store, view) + render_panels(store, view)


def render_figures(store: EventStore, view: ViewState, *, tile_url: str | None = None) -> tuple[dict, dict]:
    """The ``render`` callback: the timeline and the map (figure dicts, as the exporter's figures)."""
    selected = store.event(view.event_id)
    return draw_timeline(store.timeline_data(view), view, selected), map_dict(store, view, selected, tile_url=tile_url)


def render_panels(store: EventStore, view: ViewState, *, panel=None) -> tuple:
    """The ``render_side`` callback: facet options with counts, table, slider, provenance, summary, message."""
    selected = store.event(view.event_id)
    facets = store.facets(view)
    matching = store.count(view)
    options = _facet_options(store, view, facets)
    chosen, scroll = table.selection(view)
    summary = [html.Strong(f"{matching:,}"), f" of {store.total:,} events",
               f" · {view.date_from} to {view.date_to}"]
    if view.brush:
        summary.append(f" · window {view.brush[0]} to {view.brush[1]}")
    if view.area:
        summary.append(" · map area selected")
    if matching == 0:
        message = ("No events match this view. Try removing a filter, widening the dates "
                   "(“Full range”) or “Clear all”.")
        message_class = "message message-empty"
    else:
        message, message_class = "", "message"
    return (*options, chosen, scroll, *playback.slider(view),
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
