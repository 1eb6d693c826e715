"""The dashboard's figures as plain functions of (events, view): the app and the static exporter share them.

    >>> from dashboard.views.query import EventStore
    >>> store = EventStore("data/store")                     # doctest: +SKIP
    >>> timeline_figure(store, view).write_image("t.png")   # doctest: +SKIP
    >>> map_figure(store.filter(view), view)                 # doctest: +SKIP

``source`` is an ``EventStore`` (then the figure shows exactly what the app shows: the timeline ignores
the brush, the map ignores the map area, large results are aggregated) or a DataFrame of events as
``EventStore.filter`` returns (drawn through the same queries, so the same rules apply).

Drawing rules: colours are Okabe-Ito (colour-blind safe) and every type also has its own marker symbol.
On the timeline only day-precise events are points; anything known to the week, month, season, year,
decade or a range is a faded bar over its whole interval with an open marker at its middle. On the map,
point/city/admin placements are filled markers; region- and country-level ones are hollow with a halo,
because their position is only "somewhere in this area". Under them: first-level boundaries (dotted) once
the map is zoomed past a continent, and with ``layer=density`` (or ``both``) the events per square.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.countries import country_name
from dashboard.records import EVENT_TYPE_LABELS  # not pipeline.taxonomy: its rules and dateparser cost 1 s
from dashboard.views import map_layers
from dashboard.views.aggregates import COARSE_PLACES, NO_COUNTRY_LANE, OTHER_LANE, MapData, TimelineData
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState

# Okabe-Ito palette, one colour and one marker symbol per event type (symbols keep types apart for
# readers who cannot tell two colours apart, and in greyscale prints).
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "battle": ("#D55E00", "circle"),
    "airstrike": ("#0072B2", "triangle-down"),
    "bombing": ("#E69F00", "star"),
    "attack_on_civilians": ("#CC79A7", "diamond"),
    "capture_or_seizure": ("#009E73", "square"),
    "prison_break": ("#000000", "hexagram"),
    "arrest": ("#56B4E9", "pentagon"),
    "movement_or_flight": ("#F0E442", "triangle-up"),
    "statement_or_report": ("#999999", "hexagon"),
    "protest": ("#56B4E9", "x"),
    "other": ("#666666", "cross"),
}
FALLBACK_STYLE = ("#444444", "circle")
SELECTED_COLOUR = "#000000"
BRUSH_COLOUR = "rgba(0, 114, 178, 0.12)"
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=12)
DEFAULT_MAP_CENTER = (40.0, 34.0)  # lon, lat: Syria and Iraq
DEFAULT_MAP_SCALE = 4.0
EMPTY_MESSAGE = "No events match these filters"
HOVER_SENTENCE_CHARS = 160
HOVER_LINE_CHARS = 60  # hover labels wrap, so that they fit beside a point in a narrow graph


def type_label(event_type: str) -> str:
    return EVENT_TYPE_LABELS.get(event_type, event_type.replace("_", " ").capitalize())


def type_style(event_type: str) -> tuple[str, str]:
    return TYPE_STYLE.get(event_type, FALLBACK_STYLE)


def lane_label(kind: str, lane: str) -> str:
    if kind == "type":
        return type_label(lane)
    if lane == OTHER_LANE:
        return OTHER_LANE
    return country_name(lane) if lane else NO_COUNTRY_LANE


def date_label(start: dt.date, end: dt.date, precision: str) -> str:
    """How a date reads at its precision: "12 Mar 2017", "March 2017", "2017", or an interval.

    >>> date_label(dt.date(2017, 3, 1), dt.date(2017, 3, 31), "month")
    'March 2017'
    >>> date_label(dt.date(2017, 6, 1), dt.date(2017, 8, 31), "season")
    '1 Jun 2017 – 31 Aug 2017 (season)'
    >>> date_label(dt.date(2018, 2, 4), dt.date(2018, 2, 4), "published")
    'by 4 Feb 2018 (publication date; the text gives no time)'
    """
    start, end = _as_date(start), _as_date(end)
    if precision == "published":  # an uncertain date: the event happened by the article's publication
        return f"by {date_label(start, end, 'day' if start == end else 'range')} (publication date; the text gives no time)"
    if precision == "day" or start == end:
        return f"{start.day} {start:%b %Y}"
    if precision == "month":
        return f"{start:%B %Y}"
    if precision == "year" and start.year == end.year:
        return str(start.year)
    if precision == "decade":
        return f"{start.year}s"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y} ({precision})"


# ---------------------------------------------------------------------- timeline
def timeline_figure(source: EventStore | pd.DataFrame, view: ViewState) -> go.Figure:
    """Events in lanes (by type or country) over time, with a count histogram by week/month/year above."""
    store = _as_store(source)
    data = store.timeline_data(view)
    return as_figure(draw_timeline(data, view, selected=store.event(view.event_id)))


def draw_timeline(data: TimelineData, view: ViewState, selected: dict | None = None) -> dict:
    """The timeline as a plotly figure dict from already-queried data (what the app's callback sends)."""
    lane_index = {lane: i for i, lane in enumerate(data.lanes)}
    traces: list[dict] = []
    period = {"week": 7 * 86_400_000, "month": "M1", "year": "M12"}[view.bin]
    hist = data.histogram
    for precise, name, colour in ((True, "known to the day", "#555555"),
                                  (False, "known to the week or coarser, or only by publication", "#BBBBBB")):
        part = hist[hist["precise"] == precise] if not hist.empty else hist
        traces.append(dict(type="bar",
            x=_dates(part["bin_start"]) if not part.empty else [], y=part["count"].tolist() if not part.empty else [],
            xperiod=period, xperiodalignment="middle", yaxis="y2", name=name, marker=dict(color=colour),
            legendgroup="histogram", hovertemplate=f"%{{y}} events {name}<extra>%{{x|%b %Y}}</extra>",
            showlegend=False))
    if data.events is not None and not data.events.empty:
        traces += _timeline_event_traces(data.events, view, lane_index)
    elif data.clusters is not None and not data.clusters.empty:
        traces += _timeline_cluster_traces(data.clusters, data.cluster_bin or view.bin, view, lane_index)
    if selected and selected.get("start_date") is not None:
        lane = selected.get("event_type") if view.lanes == "type" else (selected.get("country_code") or "")
        y = lane_index.get(lane, lane_index.get(OTHER_LANE))
        if y is not None:
            middle = _as_date(selected["start_date"]) + (_as_date(selected["end_date"]) - _as_date(selected["start_date"])) / 2
            traces.append(dict(type="scatter", 
                x=[middle], y=[y + _jitter(pd.Series([selected["id"]]))[0]], mode="markers", name="selected",
                marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(width=3, color=SELECTED_COLOUR)),
                hoverinfo="skip", showlegend=False))
    x_end = view.date_to + dt.timedelta(days=1)
    n_lanes = max(len(data.lanes), 1)
    shapes = []
    if view.brush:
        for yref in ("y domain", "y2 domain"):
            shapes.append(dict(type="rect", xref="x", yref=yref, x0=view.brush[0].isoformat(),
                               x1=(view.brush[1] + dt.timedelta(days=1)).isoformat(), y0=0, y1=1,
                               fillcolor=BRUSH_COLOUR, line=dict(width=1, color="#0072B2"), layer="below"))
    annotations = []
    if data.total == 0:
        annotations.append(dict(text=EMPTY_MESSAGE, xref="paper", yref="paper", x=0.5, y=0.4,
                                showarrow=False, font=dict(size=16, color="#555555")))
    elif data.clusters is not None:
        annotations.append(dict(
            text=f"{data.total:,} events: one marker per {data.cluster_bin or view.bin} and lane; "
                 "filter or zoom in to see events",
            xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom", showarrow=False,
            font=dict(size=11, color="#555555"), bgcolor="rgba(255,255,255,0.85)"))
    layout = dict(
        font=FONT, template=_template(), margin=dict(l=140, r=12, t=18, b=22), autosize=True,
        barmode="stack", bargap=0.05, dragmode="select", selectdirection="h", hovermode="closest",
        clickmode="event", showlegend=False, uirevision=f"timeline:{view.date_from}:{view.date_to}:{view.lanes}",
        xaxis=dict(type="date", range=[view.date_from.isoformat(), x_end.isoformat()], showgrid=True,
                   rangeslider=dict(visible=False)),
        hoverlabel=dict(align="left", font=dict(size=12)),
        yaxis=dict(domain=[0, 0.74], range=[n_lanes - 0.5, -0.5], tickmode="array", tickfont=dict(size=11),
                   tickvals=list(range(len(data.lanes))),
                   ticktext=[lane_label(view.lanes, lane) for lane in data.lanes], showgrid=False,
                   zeroline=False, fixedrange=True),
        yaxis2=dict(domain=[0.8, 1], title=dict(text=f"per {view.bin}", font=dict(size=10)), tickfont=dict(size=9),
                    fixedrange=True, rangemode="tozero"),
        shapes=shapes, annotations=annotations,
    )
    return {"data": traces, "layout": layout}


def _timeline_event_traces(events: pd.DataFrame, view: ViewState, lane_index: dict) -> list:
    traces = []
    events = events.assign(y=events["lane"].map(lane_index).astype(float) + _jitter(events["id"]))
    is_point = events["time_precision"].eq("day")
    hover = _hover_text(events)
    for event_type, group in events.groupby("event_type", sort=False):
        colour, symbol = type_style(event_type)
        spans = group[~is_point.loc[group.index]]
        if not spans.empty:
            xs: list = []
            ys: list = []
            for start, end, y in zip(_dates(spans["start_date"]), _dates(spans["end_date"], plus_one=True),
                                     spans["y"].tolist()):
                xs += [start, end, None]
                ys += [y, y, None]
            traces.append(dict(type="scatter", 
                x=xs, y=ys, mode="lines", line=dict(width=5, color=colour), opacity=0.35,
                hoverinfo="skip", showlegend=False, name=f"{type_label(event_type)} (spans)"))
        symbols = np.where(is_point.loc[group.index], symbol, symbol + "-open").tolist()
        x = np.where(is_point.loc[group.index], group["start_date"], group["mid_date"])
        traces.append(dict(type="scatter", 
            x=_dates(pd.Series(x)), y=group["y"].tolist(), mode="markers", name=type_label(event_type),
            marker=dict(color=colour, symbol=symbols, size=9, line=dict(width=1, color=_outline(colour))),
            customdata=group["id"].tolist(), hovertext=hover.loc[group.index].tolist(),
            hovertemplate="%{hovertext}<extra></extra>"))
    return traces


def _timeline_cluster_traces(clusters: pd.DataFrame, unit: str, view: ViewState, lane_index: dict) -> list:
    clusters = clusters[clusters["lane"].isin(lane_index)]
    # Area proportional to the count; the biggest marker spans a couple of periods on the axis (the plot
    # is ~800 px wide at 1280x800), so a busy lane reads as a band and quiet periods stay visible.
    counts = clusters["count"].to_numpy(dtype=float)
    periods = max(1.0, ((view.date_to - view.date_from).days + 1) / {"week": 7, "month": 30.4, "year": 365.25}[unit])
    biggest = float(np.clip(800 / periods * 2.5, 6, 22))
    sizes = (biggest * np.sqrt(counts / max(counts.max(initial=1.0), 1.0))).clip(4, biggest)
    colours = [type_style(t)[0] for t in clusters["event_type"]]
    # A few hundred periods and a dozen lanes, thousands of markers: each period and lane is worked out once.
    periods_of = {}
    for value in clusters["bin_start"].unique():
        start = _as_date(value)
        end = _bin_end(start, unit)
        periods_of[value] = ((start + (end - start) / 2).isoformat(), _bin_label(start, unit),
                             f"bin:{start.isoformat()}..{end.isoformat()}")
    lanes_of = {lane: lane_label(view.lanes, lane) for lane in clusters["lane"].unique()}
    periods = [periods_of[value] for value in clusters["bin_start"]]
    middles = [p[0] for p in periods]
    hover = [f"{n:,} events ({k:,} known to the day)<br>{lanes_of[lane]}<br>{p[1]}<br>click to select this {unit}"
             for n, k, lane, p in zip(clusters["count"].tolist(), clusters["precise"].tolist(),
                                      clusters["lane"].tolist(), periods)]
    custom = [p[2] for p in periods]
    return [dict(type="scatter",
        x=middles, y=clusters["lane"].map(lane_index).tolist(), mode="markers", name="events per bin",
        marker=dict(size=sizes.tolist(), color=colours, opacity=0.75, line=dict(width=0.5, color="#333333")),
        customdata=custom, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>")]


# ---------------------------------------------------------------------- map
def map_figure(source: EventStore | pd.DataFrame, view: ViewState, *, tile_url: str | None = None) -> go.Figure:
    """Events on an offline world map, coloured by type, sized by sources or fatalities.

    ``tile_url`` (an XYZ raster template such as ``https://tile.example.org/{z}/{x}/{y}.png``) draws the
    events over online tiles instead when the view asks for them (``basemap=tiles``); without it the map
    is always the offline one.
    """
    store = _as_store(source)
    return as_figure(map_dict(store, view, store.event(view.event_id), tile_url=tile_url))


def map_dict(store: EventStore, view: ViewState, selected: dict | None = None, *,
             tile_url: str | None = None) -> dict:
    """The map's figure dict as the app's callback sends it: the events (or their clusters) at the
    window's frame, and the density squares of the zoom when the view's layer asks for them."""
    data, frame = store.map_data(view), window_frame(store, view)
    density = None
    if view.map_layer != "events":
        lon, lat, scale = map_viewport(data, view, frame)
        cell = map_layers.density_cell(scale)
        box = map_layers.density_box(map_layers.visible_box(lon, lat, scale))
        density = (store.density(view, cell, box), cell)
    return draw_map(data, view, selected, tile_url=tile_url, frame=frame, density=density)


def draw_map(data: MapData, view: ViewState, selected: dict | None = None, *, tile_url: str | None = None,
             frame: tuple[float, float, float] | None = None, density: tuple[pd.DataFrame, float] | None = None
             ) -> dict:
    """The map as a plotly figure dict from already-queried data.

    ``frame`` (lon, lat, scale) is where the map opens when the view has no viewport of its own (see
    ``window_frame``); without it the map is fitted to ``data``. ``density`` is (``EventStore.density``'s
    squares, their side in degrees), drawn under the events when the view's layer shows it.
    """
    figure = _draw_geo_map(data, view, selected, frame, density)
    if tile_url and view.basemap == "tiles":
        return _on_tiles(figure, tile_url)
    return figure


def _on_tiles(figure: dict, tile_url: str) -> dict:
    """The same traces on a MapLibre map over raster tiles (plotly's ``scattermap``).

    MapLibre markers are circles only: hollow/halo placements become fainter, larger circles, and text
    labels are dropped (they would need a glyph server).
    """
    traces = []
    for trace in figure["data"]:
        if trace.get("name") in ("places", "first-level boundaries"):  # text needs a glyph server; tiles have borders
            continue
        if trace["type"] == "choropleth":
            traces.append(dict(trace, type="choroplethmap"))
            continue
        trace = dict(trace, type="scattermap")
        marker = dict(trace.get("marker") or {})
        symbol = marker.pop("symbol", "circle")
        marker.pop("line", None)
        if isinstance(symbol, str) and symbol.endswith("-open"):
            marker["opacity"] = 0.45
        if marker.get("color") == "rgba(0,0,0,0)" and trace.get("name") != "selected":
            marker["color"] = "#777777"
        if trace.get("name") == "selected":
            marker.update(color="rgba(0,0,0,0.35)")
        trace["marker"] = marker
        trace["mode"] = trace.get("mode", "markers").replace("+text", "")
        trace.pop("text", None)
        trace.pop("textfont", None)
        traces.append(trace)
    layout = dict(figure["layout"])
    geo = layout.pop("geo")
    zoom = max(0.0, math.log2(max(geo["projection"]["scale"], 1.0)) + 0.5)
    layout["map"] = dict(
        center=geo["center"], zoom=zoom,
        style={"version": 8, "sources": {"tiles": {"type": "raster", "tiles": [tile_url], "tileSize": 256}},
               "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}]},
    )
    return {"data": traces, "layout": layout}


def _draw_geo_map(data: MapData, view: ViewState, selected: dict | None = None, frame=None, density=None) -> dict:
    lon, lat, scale = map_viewport(data, view, frame)
    box = map_layers.visible_box(lon, lat, scale)
    traces: list[dict] = []
    if density is not None and not density[0].empty:
        traces.append(map_layers.density_trace(*density))
    # Boundaries and labels come first (under the events); both traces are there even when empty, so that
    # plotly always draws the basemap (a figure without a geo trace has no map at all).
    line_lons, line_lats = map_layers.admin1_lines(box, scale)
    label_lons, label_lats, label_names = map_layers.place_labels(box)
    traces += [dict(type="scattergeo", lon=line_lons, lat=line_lats, mode="lines", name="first-level boundaries",
                    line=dict(width=0.7, color="#a39d92", dash="dot"), hoverinfo="skip", showlegend=False),
               dict(type="scattergeo", lon=label_lons, lat=label_lats, text=label_names,
                    mode="text", name="places", textfont=dict(size=10, color="#6b6b6b"),
                    textposition="middle center", hoverinfo="skip", showlegend=False)]
    hidden = 0
    events_shown = view.map_layer != "density"
    if data.events is not None and not data.events.empty:
        traces += _map_event_traces(data.events, view, scale) if events_shown else []
        hidden = map_layers.outside(data.events["lon"], data.events["lat"], box)
    elif data.clusters is not None and not data.clusters.empty:
        traces += _map_cluster_traces(data.clusters) if events_shown else []
        hidden = map_layers.outside(data.clusters["lon"], data.clusters["lat"], box, data.clusters["count"])
    if view.area:
        ring = list(view.area) + [view.area[0]]
        traces.append(dict(type="scattergeo",
            lon=[p[0] for p in ring], lat=[p[1] for p in ring], mode="lines", name="selected area",
            line=dict(width=2, color="#0072B2", dash="dash"), hoverinfo="skip", showlegend=False))
    if selected and selected.get("lat") is not None and selected.get("lon") is not None:
        traces.append(dict(type="scattergeo",
            lon=[selected["lon"]], lat=[selected["lat"]], mode="markers", name="selected",
            marker=dict(size=24, color="rgba(0,0,0,0)", line=dict(width=3, color=SELECTED_COLOUR)),
            hoverinfo="skip", showlegend=False))
    annotations = []
    note = dict(xref="paper", yref="paper", showarrow=False, font=dict(size=11),
                bgcolor="rgba(255,255,255,0.85)", borderpad=3)
    if data.total == 0:
        annotations.append(dict(note, text=EMPTY_MESSAGE, x=0.5, y=0.5, font=dict(size=16, color="#555555")))
    elif density is not None:
        annotations.append(dict(note, text=f"{data.total - data.unplaced:,} placed events, counted per "
                                           f"{density[1]:g}° square",
                                x=0.01, y=0.01, xanchor="left", yanchor="bottom"))
    elif data.clusters is not None:
        annotations.append(dict(note, text=f"{data.total - data.unplaced:,} placed events, grouped by area",
                                x=0.01, y=0.01, xanchor="left", yanchor="bottom"))
    if hidden:
        annotations.append(dict(note, text=f"{hidden:,} more outside this view: zoom out or “Fit map”",
                                x=0.99, y=0.01, xanchor="right", yanchor="bottom"))
    if view.brush:  # the playback or brushed window the dots belong to
        annotations.append(dict(note, text=f"<b>{date_label(view.brush[0], view.brush[0], 'day')} – "
                                           f"{date_label(view.brush[1], view.brush[1], 'day')}</b>",
                                x=0.01, y=0.99, xanchor="left", yanchor="top", font=dict(size=13)))
    layout = dict(
        font=FONT, template=_template(), margin=dict(l=0, r=0, t=0, b=0), autosize=True, showlegend=False,
        dragmode="pan", clickmode="event", hovermode="closest", annotations=annotations,
        hoverlabel=dict(align="left", font=dict(size=12)),
        # A new fit (other filters, "Fit map") moves the map; the user's own pan and zoom are kept otherwise.
        uirevision=f"map:{lon}:{lat}:{scale}" if not view.viewport else "map",
        geo=dict(
            scope="world", resolution=50, projection=dict(type="natural earth", scale=scale),
            center=dict(lon=lon, lat=lat), showcountries=True, countrycolor="#8c8c8c", countrywidth=0.8,
            showland=True, landcolor="#f4f1ea", showocean=True, oceancolor="#e6eff5", showlakes=True,
            lakecolor="#e6eff5", showcoastlines=True, coastlinecolor="#9a9a9a", coastlinewidth=0.6,
            # Every country's first-level units are drawn from data/boundaries (the basemap has a few only).
            showrivers=True, rivercolor="#c9dcea", riverwidth=0.8, showsubunits=False, showframe=False,
            bgcolor="rgba(0,0,0,0)", **map_layers.frame(lon),
        ),
    )
    return {"data": traces, "layout": layout}


def map_viewport(data: MapData, view: ViewState, frame=None) -> tuple[float, float, float]:
    """The map's (lon, lat, scale): the user's own (in the URL), else the area, the frame or the events fitted."""
    if view.viewport:
        return view.viewport.lon, view.viewport.lat, view.viewport.scale
    if view.area:
        return map_layers.fit_viewport([], [], area=view.area)
    if frame:
        return frame
    if data.events is not None and not data.events.empty:
        return map_layers.fit_viewport(data.events["lon"], data.events["lat"])
    if data.clusters is not None and not data.clusters.empty:
        return map_layers.fit_viewport(data.clusters["lon"], data.clusters["lat"], data.clusters["count"])
    return DEFAULT_MAP_CENTER[0], DEFAULT_MAP_CENTER[1], DEFAULT_MAP_SCALE


def window_frame(store: EventStore, view: ViewState) -> tuple[float, float, float] | None:
    """Where the map opens for a date window: fitted to every event of the window, whatever the other
    filters and the brush, so that filtering or playing through the window does not move the map (and
    plotly redraws only the dots, not the basemap). "Fit map" fits to the filtered events instead."""
    return _window_frame(store, store.total, view.date_from, view.date_to)


@lru_cache(maxsize=64)
def _window_frame(store: EventStore, _total: int, date_from: dt.date, date_to: dt.date):
    window = ViewState(date_from=date_from, date_to=date_to)
    data = store.map_data(window)
    if data.total - data.unplaced == 0:
        return None
    return map_viewport(data, window)


def marker_sizes(events: pd.DataFrame, size_by: str) -> np.ndarray:
    """Marker diameter in px: by number of sources (1 -> 8 px) or by fatalities (none stated -> 6 px)."""
    if size_by == "fatalities":
        deaths = pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy(dtype=float)
        return (6 + 3 * np.sqrt(deaths)).clip(6, 34)
    sources = pd.to_numeric(events["n_sources"], errors="coerce").fillna(1).to_numpy(dtype=float)
    return (4 + 4 * sources).clip(8, 28)


def _map_event_traces(events: pd.DataFrame, view: ViewState, scale: float) -> list:
    traces = []
    # Events at one point are spread around it (a constant size on screen), with their count at the centre.
    lons, lats, stacks = map_layers.spread(events["lon"], events["lat"], scale)
    events = events.assign(lon=lons, lat=lats)
    coarse = events["place_precision"].isin(COARSE_PLACES)
    sizes = pd.Series(marker_sizes(events, view.size), index=events.index)
    hover = _hover_text(events)
    if coarse.any():  # one halo trace under everything: "somewhere in this region/country"
        halo = events[coarse]
        traces.append(dict(type="scattergeo", 
            lon=halo["lon"].tolist(), lat=halo["lat"].tolist(), mode="markers", name="area halo",
            marker=dict(size=(sizes[coarse] * 2.6).tolist(), color="rgba(120,120,120,0.10)", line=dict(width=0)),
            hoverinfo="skip", showlegend=False))
    for event_type, group in events.groupby("event_type", sort=False):
        colour, symbol = type_style(event_type)
        group_coarse = coarse.loc[group.index]
        for is_coarse, part in ((False, group[~group_coarse]), (True, group[group_coarse])):
            if part.empty:
                continue
            traces.append(dict(type="scattergeo", 
                lon=part["lon"].tolist(), lat=part["lat"].tolist(), mode="markers",
                name=type_label(event_type) + (" (region or country)" if is_coarse else ""),
                marker=dict(size=sizes.loc[part.index].tolist(), color=colour,
                            symbol=symbol + "-open" if is_coarse else symbol,
                            opacity=0.9 if is_coarse else 0.8,
                            line=dict(width=2 if is_coarse else 0.6,
                                      color=colour if is_coarse else _outline(colour))),
                customdata=part["id"].tolist(), hovertext=hover.loc[part.index].tolist(),
                hovertemplate="%{hovertext}<extra></extra>"))
    if stacks:
        traces.append(dict(type="scattergeo",
            lon=[s[0] for s in stacks], lat=[s[1] for s in stacks], mode="markers+text", name="events at one place",
            text=[f"{s[2]:,}" for s in stacks], textfont=dict(size=10, color="#111111"),
            marker=dict(size=[14 + 2 * len(str(s[2])) for s in stacks], color="rgba(255,255,255,0.92)",
                        line=dict(width=1, color="#333333")),
            customdata=[f"zoom:{s[0]},{s[1]}" for s in stacks],
            hovertext=[f"{s[2]:,} events at this place (spread around it)<br>click to zoom in" for s in stacks],
            hovertemplate="%{hovertext}<extra></extra>"))
    return traces


def _map_cluster_traces(clusters: pd.DataFrame) -> list:
    traces = []
    most = max(float(clusters["count"].max()), 1.0)
    for is_coarse, part in clusters.groupby("coarse", sort=True):
        # Area proportional to the count, relative to the biggest cluster on the map (at most 30 px).
        sizes = (30 * np.sqrt(part["count"].to_numpy(dtype=float) / most)).clip(6, 30)
        colours = [type_style(t)[0] for t in part["event_type"]]
        hover = [f"{n:,} events around {lat:.1f}, {lon:.1f}<br>mostly {type_label(t).lower()}"
                 + ("<br>placed only to a region or country" if is_coarse else "") + "<br>zoom in or filter to see them"
                 for n, lat, lon, t in zip(part["count"], part["lat"], part["lon"], part["event_type"])]
        traces.append(dict(type="scattergeo", 
            lon=part["lon"].tolist(), lat=part["lat"].tolist(), mode="markers+text",
            # Counts on the big clusters only: small ones would print over each other.
            text=[f"{n:,}" if n >= most / 8 else "" for n in part["count"]], textfont=dict(size=9, color="#222222"),
            name="events grouped by area" + (" (region or country)" if is_coarse else ""),
            marker=dict(size=sizes.tolist(), color="rgba(0,0,0,0)" if is_coarse else colours,
                        opacity=0.7, line=dict(width=2 if is_coarse else 0.5,
                                               color=colours if is_coarse else "#333333")),
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    return traces


# ---------------------------------------------------------------------- helpers
def as_figure(figure: dict) -> go.Figure:
    """A figure dict as a ``go.Figure`` with exactly the same JSON as the app sends.

    The dicts are built from known-good values, so plotly's per-property validation (the slowest part
    of a callback) is skipped; the template is already expanded in the dict.
    """
    return go.Figure(figure, _validate=False)


@lru_cache(maxsize=1)
def _template_json() -> str:
    import plotly.io as pio

    return json.dumps(pio.templates["plotly_white"].to_plotly_json())


def _template() -> dict:
    # plotly.js knows no template names: the template travels expanded, as plotly.py would send it.
    return json.loads(_template_json())


def _as_store(source: EventStore | pd.DataFrame) -> EventStore:
    if isinstance(source, EventStore):
        return source
    if isinstance(source, pd.DataFrame):
        return EventStore.from_events(source)
    raise TypeError(f"expected an EventStore or a DataFrame of events, got {type(source).__name__}")


def _hover_text(events: pd.DataFrame) -> pd.Series:
    """Date, place and sentence for each event, HTML-escaped (plotly renders a subset of HTML)."""
    rows = []
    for start, end, precision, place, country, event_type, sentence in zip(
            events["start_date"], events["end_date"], events["time_precision"], events["place"],
            events["country"], events["event_type"], events["sentence"]):
        sentence = str(sentence or "")
        if len(sentence) > HOVER_SENTENCE_CHARS:
            sentence = sentence[:HOVER_SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"
        where = ", ".join(p for p in (str(place or ""), str(country or "")) if p and p != "None") or "place unknown"
        lines = "<br>".join(html.escape(line) for line in textwrap.wrap(sentence, HOVER_LINE_CHARS))
        rows.append(f"<b>{html.escape(date_label(start, end, precision))}</b> · {html.escape(where)}<br>"
                    f"{html.escape(type_label(event_type))}<br><i>{lines}</i>")
    return pd.Series(rows, index=events.index, dtype=object)


def _jitter(ids: pd.Series) -> np.ndarray:
    """A stable vertical offset per event id inside its lane, so events on the same day do not hide."""
    hashed = pd.util.hash_array(ids.astype(str).to_numpy(dtype=object))
    return (hashed % 1000).astype(float) / 1000 * 0.7 - 0.35


def _as_date(value) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    return dt.date.fromisoformat(str(value)[:10])


def _dates(values: pd.Series, plus_one: bool = False) -> list[str]:
    """ISO strings for plotly (short in JSON); ``plus_one`` makes an inclusive end date exclusive."""
    stamps = pd.to_datetime(values)
    if plus_one:
        stamps = stamps + pd.Timedelta(days=1)
    return stamps.dt.strftime("%Y-%m-%d").tolist()


def _bin_end(start: dt.date, bin_unit: str) -> dt.date:
    if bin_unit == "week":
        return start + dt.timedelta(days=6)
    if bin_unit == "month":
        nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)


def _bin_label(start: dt.date, bin_unit: str) -> str:
    if bin_unit == "week":
        return f"week of {start.day} {start:%b %Y}"
    if bin_unit == "month":
        return f"{start:%B %Y}"
    return str(start.year)


def _outline(colour: str) -> str:
    # Light fills (yellow, sky blue, greys) need a dark edge to stand out on the pale basemap.
    return "#333333" if colour in ("#F0E442", "#56B4E9", "#999999", "#E69F00") else "#ffffff"
