"""The page: a header with the view's summary, the filters on the left, and on the right the timeline,
the playback bar, the map (it takes the height left in the window) with the provenance panel beside it,
then the summary band and the event table below the fold.

    >>> app.layout = page(app, store, extra_filters=[ui_export.layout()])   # doctest: +SKIP

Every control here mirrors a part of the URL (``CONTROLS``); the callbacks in ``app.py`` keep them in step.
"""
from __future__ import annotations

from dash import dcc, html

from dashboard.records import PLACE_PRECISIONS, TIME_PRECISIONS
from dashboard.views.figures import type_label, type_style
from dashboard.views.query import EventStore
from dashboard.views.state import EVENT_TYPES
from dashboard.web import playback, summary_band, table

# Controls that mirror a part of the view; order matters (outputs of update_view follow it).
CONTROLS = ("search", "date-from", "date-to", "country", "type", "source", "tprec", "pprec", "conf", "lanes", "bin",
            "size", "basemap", "map-layer")
CONFIDENCE_CHOICES = [{"label": "any", "value": "0"}, {"label": "≥ 0.3", "value": "0.3"},
                      {"label": "≥ 0.5", "value": "0.5"}, {"label": "≥ 0.7", "value": "0.7"}]

# A publication-date fallback is no precision of the text: the facet says so ("uncertain").
TIME_PRECISION_LABELS = {"published": "publication date only (uncertain)"}

# plotly's modebar without "Edit in Chart Studio"/"Share": nothing the user drew may be sent to a cloud.
GRAPH_CONFIG = {"displaylogo": False, "scrollZoom": True, "responsive": True, "showSendToCloud": False,
                "showEditInChartStudio": False, "showLink": False, "linkText": "",
                "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "toImage"]}


FILL = {"height": "100%", "width": "100%"}  # a graph fills its box; the CSS sizes the boxes


def graph_config(app) -> dict:
    """The graphs' config; boundaries come from this server (honouring a path prefix), never a CDN."""
    return dict(GRAPH_CONFIG, topojsonURL=app.get_asset_url("topojson/"))


def page(app, store: EventStore, facet_options: dict, extra_filters: list = (), extra_main: list = (), *,
         tiles: bool = False) -> html.Div:
    config = graph_config(app)
    extent = store.date_extent()
    extent_text = f"{extent[0]} to {extent[1]}" if extent else "no events"
    return html.Div([
        dcc.Location(id="url", refresh=False),
        html.Header([
            html.H1("News timeline and map"),
            html.Div(id="summary", className="summary", role="status"),
            html.Div([
                html.Button("Fit map", id="fit-map", title="zoom the map to the events shown (or the selected area)"),
                html.Button("Full range", id="full-range", title=f"show every event ({extent_text})"),
                html.Button("Clear selection", id="clear-selection", title="drop the time brush and map area"),
                html.Button("Clear all", id="clear-all", title="remove every filter and selection"),
            ], className="header-buttons"),
        ], className="header"),
        html.Div([
            html.Aside(_filters(facet_options, tiles) + list(extra_filters) + [_legend()],
                       className="filters", **{"aria-label": "filters"}),
            html.Main([
                html.Div(id="message", className="message", role="alert"),
                html.Div(dcc.Graph(id="timeline", config=config, style=FILL), className="timeline-graph"),
                playback.bar(),
                html.Div([
                    html.Div(dcc.Graph(id="map", config=config, style=FILL), className="map-cell map-graph"),
                    html.Section(id="provenance", className="provenance", **{"aria-live": "polite",
                                                                             "aria-label": "provenance"}),
                ], className="map-row"),
                summary_band.band(config),
                table.grid(),
                *extra_main,
            ], className="main"),
        ], className="body"),
    ], className="app")


def _filters(facet_options: dict, tiles: bool) -> list:
    check = lambda values: [{"label": v, "value": v} for v in values]  # noqa: E731
    return [
        html.Label("Search", htmlFor="search"),
        dcc.Input(id="search", type="search", debounce=True, placeholder="words in the sentence or place",
                  maxLength=200),
        # A date applies as soon as it is a whole date (no debounce: Dash's debounce on a date field
        # calls setSelectionRange, which date inputs refuse, and it waited for Enter).
        html.Div([
            html.Div([html.Label("From", htmlFor="date-from"), dcc.Input(id="date-from", type="date")]),
            html.Div([html.Label("To", htmlFor="date-to"), dcc.Input(id="date-to", type="date")]),
        ], className="dates"),
        html.Label("Country", htmlFor="country"),
        dcc.Dropdown(id="country", multi=True, placeholder="any country", options=facet_options["country"]),
        html.Fieldset([html.Legend("Event type"), dcc.Checklist(id="type", options=facet_options["type"])]),
        html.Label("Source article", htmlFor="source"),
        dcc.Dropdown(id="source", multi=True, placeholder="any source", options=facet_options["source"]),
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
        html.Fieldset([html.Legend("Map shows"), dcc.RadioItems(id="map-layer", inline=True, options=[
            {"label": "events", "value": "events"}, {"label": "density", "value": "density"},
            {"label": "both", "value": "both"}])]),
        html.Fieldset([html.Legend("Marker size"),
                       dcc.RadioItems(id="size", options=check(["sources", "fatalities"]), inline=True)]),
        html.Fieldset([html.Legend("Basemap"), dcc.RadioItems(id="basemap", inline=True, options=[
            {"label": "offline", "value": "offline"},
            {"label": "online tiles" if tiles else "online tiles (not configured)", "value": "tiles",
             "disabled": not tiles}])]),
    ]


def _legend() -> html.Div:
    items = []
    for event_type in EVENT_TYPES:
        colour, _ = type_style(event_type)
        items.append(html.Li([html.Span(className="swatch", style={"backgroundColor": colour}),
                              type_label(event_type)]))
    return html.Div([
        html.H2("Legend"),
        html.Ul(items, className="legend-types"),
        html.P("Filled marker: placed to a point or city. Hollow with halo: only the region or country is "
               "known. A number on the map: that many events at one place, spread around it. On the "
               "timeline, bars are dates known only to the week, month, season or year. Dotted lines: "
               "first-level boundaries (governorates, provinces). Density: events per square of the map, on a "
               "log scale (the colour bar on the map).",
               className="hint"),
    ], className="legend")
