"""The whole dashboard view as one value, read from and written to the URL query string.

The URL is the single source of view state (as in datasette): every filter, the time brush, the map
selection, viewport and layer (events or their density), the timeline lanes and bin, and the selected
event live in the query string, so reloading or sharing a link restores exactly what was on screen.
The app and the static exporter both start from a ``ViewState``.

    >>> view = ViewState.from_query("?from=2017-01-01&to=2018-12-31&q=raqqa&country=sy,IQ&type=airstrike")
    >>> view.date_from, view.countries, view.event_types
    (datetime.date(2017, 1, 1), ('IQ', 'SY'), ('airstrike',))
    >>> view.to_query()
    'from=2017-01-01&to=2018-12-31&q=raqqa&country=IQ,SY&type=airstrike'
    >>> ViewState().to_query()    # the default view has no parameters
    ''

Parsing never raises: a value that cannot be understood (a hostile or truncated link) is dropped and
the default is used for it, so a bad URL gives the default view, never a traceback.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from dashboard.records import EVENT_TYPES, PLACE_PRECISIONS, TIME_PRECISIONS

DEFAULT_FROM = dt.date(2014, 1, 1)
DEFAULT_TO = dt.date(2025, 12, 31)
# The widest window a link may ask for; far enough back for pre-2014 background events (e.g. 2004).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

LANES = ("type", "country")          # what the timeline's lanes are
BINS = ("week", "month", "year")     # the histogram's bin
SIZES = ("sources", "fatalities")    # what a map marker's size shows
BASEMAPS = ("offline", "tiles")      # tiles only when a tile URL is configured
MAP_LAYERS = ("events", "density", "both")  # what the map draws: the events, their density per square, or both

# Longest free-text search kept from a URL: enough for any real query, bounded for hostile links.
MAX_QUERY_CHARS = 200
MAX_LIST_ITEMS = 300
MAX_AREA_POINTS = 200
_ISO2 = re.compile(r"^[A-Z]{2}$")
_SOURCE_ID = re.compile(r"^[\w.:\-]{1,200}$")
_EVENT_ID = re.compile(r"^[\w.:\-]{1,200}$")


@dataclass(frozen=True)
class MapViewport:
    """Where the map looks: the centre and the projection scale (1 = whole world)."""

    lon: float
    lat: float
    scale: float


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the dashboard shows.

    ``date_from``/``date_to`` are the date window: it filters every view and is the timeline's x range.
    ``brush`` is a time range selected on the timeline inside that window: it filters the map, the table
    and the facets (crossfilter: a view is never filtered by its own selection). ``area`` is a polygon of
    (lon, lat) selected on the map (a box is stored as its four corners): it filters the timeline, the
    table and the facets. An event matches a date range when its own interval overlaps it, so "March
    2017" matches a window that starts on 2017-03-20.
    """

    date_from: dt.date = DEFAULT_FROM
    date_to: dt.date = DEFAULT_TO
    text: str = ""
    countries: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    time_precisions: tuple[str, ...] = ()
    place_precisions: tuple[str, ...] = ()
    min_confidence: float = 0.0  # events at least this sure (see pipeline/events.py); 0 keeps every one
    brush: tuple[dt.date, dt.date] | None = None
    area: tuple[tuple[float, float], ...] | None = None
    viewport: MapViewport | None = None
    lanes: str = "type"
    bin: str = "month"
    size: str = "sources"
    basemap: str = "offline"
    map_layer: str = "events"
    event_id: str | None = None

    # ------------------------------------------------------------------ URL
    @classmethod
    def from_query(cls, query: str | None) -> "ViewState":
        """Parse a query string (leading ``?`` optional); unknown keys and bad values are ignored."""
        if not isinstance(query, str):
            return cls()
        params: dict[str, str] = {}
        try:
            for key, value in parse_qsl(query.lstrip("?")[:20_000], keep_blank_values=False):
                params.setdefault(key, value)  # the first occurrence wins, like most web frameworks
        except (ValueError, UnicodeError):
            return cls()
        changes: dict[str, object] = {}
        date_from = _parse_date(params.get("from"))
        date_to = _parse_date(params.get("to"))
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        if date_from:
            changes["date_from"] = date_from
        if date_to:
            changes["date_to"] = date_to
        text = " ".join(params.get("q", "").split())[:MAX_QUERY_CHARS]
        if text:
            changes["text"] = text
        changes["countries"] = _parse_list(params.get("country"), lambda v: v.upper(), _ISO2.match)
        changes["event_types"] = _parse_list(params.get("type"), str.lower, lambda v: v in EVENT_TYPES)
        changes["sources"] = _parse_list(params.get("source"), str, _SOURCE_ID.match)
        changes["time_precisions"] = _parse_list(params.get("tprec"), str.lower, lambda v: v in TIME_PRECISIONS)
        changes["place_precisions"] = _parse_list(params.get("pprec"), str.lower,
                                                  lambda v: v in PLACE_PRECISIONS)
        changes["min_confidence"] = _parse_confidence(params.get("conf"))
        changes["brush"] = _parse_brush(params.get("brush"))
        changes["area"] = _parse_area(params.get("area"))
        changes["viewport"] = _parse_viewport(params.get("map"))
        for key, name, allowed in (("lanes", "lanes", LANES), ("bin", "bin", BINS), ("size", "size", SIZES),
                                   ("basemap", "basemap", BASEMAPS), ("layer", "map_layer", MAP_LAYERS)):
            if params.get(key) in allowed:
                changes[name] = params[key]
        event_id = params.get("event")
        if event_id and _EVENT_ID.match(event_id):
            changes["event_id"] = event_id
        return cls(**changes)  # type: ignore[arg-type]

    def to_query(self) -> str:
        """The query string for this view, without ``?``; parameters equal to the default are omitted."""
        default = ViewState()
        pairs: list[tuple[str, str]] = []
        if self.date_from != default.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to != default.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.text:
            pairs.append(("q", self.text))
        for key, values in (("country", self.countries), ("type", self.event_types), ("source", self.sources),
                            ("tprec", self.time_precisions), ("pprec", self.place_precisions)):
            if values:
                pairs.append((key, ",".join(values)))
        if self.min_confidence:
            pairs.append(("conf", f"{self.min_confidence:g}"))
        if self.brush:
            pairs.append(("brush", f"{self.brush[0].isoformat()}..{self.brush[1].isoformat()}"))
        if self.area:
            pairs.append(("area", ";".join(f"{_num(lon)},{_num(lat)}" for lon, lat in self.area)))
        if self.viewport:
            v = self.viewport
            pairs.append(("map", f"{_num(v.lon)},{_num(v.lat)},{_num(v.scale)}"))
        for key, name in (("lanes", "lanes"), ("bin", "bin"), ("size", "size"), ("basemap", "basemap"),
                          ("layer", "map_layer")):
            if getattr(self, name) != getattr(default, name):
                pairs.append((key, getattr(self, name)))
        if self.event_id:
            pairs.append(("event", self.event_id))
        return urlencode(pairs, safe=",;:")  # keep lists and coordinates readable in the link

    # ------------------------------------------------------------------ helpers
    def replace(self, **changes: object) -> "ViewState":
        """A copy with some fields changed (validated again through the URL round trip rules)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def without(self, *selections: str) -> "ViewState":
        """The view with some selections dropped: ``view.without("brush")`` is what the timeline shows.

        Names: "brush", "area", "event", and filter names "text", "countries", "event_types", "sources",
        "time_precisions", "place_precisions" (used by facets, which ignore their own filter).
        """
        changes: dict[str, object] = {}
        for name in selections:
            if name == "event":
                changes["event_id"] = None
            elif name in ("brush", "area", "viewport"):
                changes[name] = None
            elif name == "text":
                changes["text"] = ""
            elif name == "min_confidence":
                changes["min_confidence"] = 0.0
            elif name in ("countries", "event_types", "sources", "time_precisions", "place_precisions"):
                changes[name] = ()
            else:
                raise ValueError(f"unknown selection {name!r}")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @property
    def time_range(self) -> tuple[dt.date, dt.date]:
        """The dates an event must overlap: the window, narrowed by the brush when there is one."""
        if self.brush:
            return max(self.date_from, self.brush[0]), min(self.date_to, self.brush[1])
        return self.date_from, self.date_to

    @property
    def is_filtered(self) -> bool:
        """True when anything besides layout narrows the events (used for "clear all")."""
        return self.cleared() != self

    def cleared(self) -> "ViewState":
        """All filters and selections removed; layout choices (lanes, bin, size, basemap, layer, map) kept."""
        return ViewState(lanes=self.lanes, bin=self.bin, size=self.size, basemap=self.basemap,
                         map_layer=self.map_layer, viewport=self.viewport)


# ---------------------------------------------------------------------- parsing
def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        date = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return date if EARLIEST <= date <= LATEST else None


def _parse_list(value: str | None, normalise, valid) -> tuple[str, ...]:
    if not value:
        return ()
    items = []
    for raw in value.split(",")[:MAX_LIST_ITEMS]:
        item = normalise(raw.strip())
        if item and valid(item) and item not in items:
            items.append(item)
    return tuple(sorted(items))


def _parse_brush(value: str | None) -> tuple[dt.date, dt.date] | None:
    if not value or ".." not in value:
        return None
    start, _, end = value.partition("..")
    start_date, end_date = _parse_date(start), _parse_date(end)
    if not start_date or not end_date:
        return None
    return (start_date, end_date) if start_date <= end_date else (end_date, start_date)


def _finite(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _parse_area(value: str | None) -> tuple[tuple[float, float], ...] | None:
    if not value:
        return None
    points = []
    for pair in value.split(";")[:MAX_AREA_POINTS]:
        parts = pair.split(",")
        if len(parts) != 2:
            return None
        lon, lat = _finite(parts[0]), _finite(parts[1])
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return None
        points.append((lon, lat))
    return tuple(points) if len(points) >= 3 else None


def _parse_viewport(value: str | None) -> MapViewport | None:
    if not value:
        return None
    parts = [_finite(p) for p in value.split(",")]
    if len(parts) != 3 or any(p is None for p in parts):
        return None
    lon, lat, scale = parts  # type: ignore[misc]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90 and 0.5 <= scale <= 500):
        return None
    return MapViewport(lon=lon, lat=lat, scale=scale)


def _num(value: float) -> str:
    """Short, stable text for a coordinate (about 10 m precision is plenty for a selection)."""
    return f"{round(value, 4):g}"


def area_from_box(lon0: float, lat0: float, lon1: float, lat1: float) -> tuple[tuple[float, float], ...]:
    """A box selection as the polygon of its corners, so boxes and lassos are one thing downstream."""
    west, east = sorted((lon0, lon1))
    south, north = sorted((lat0, lat1))
    return ((west, south), (east, south), (east, north), (west, north))


def point_in_area(lon: float, lat: float, area: tuple[tuple[float, float], ...]) -> bool:
    """Ray casting; the same rule as the SQL in query.py, for pure-Python callers (tests, exporter)."""
    inside = False
    n = len(area)
    for i in range(n):
        x1, y1 = area[i]
        x2, y2 = area[(i + 1) % n]
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x_cross:
                inside = not inside
    return inside


def _parse_confidence(value: str | None) -> float:
    """ "0.5" -> 0.5; anything that is not a number in [0, 1] -> 0.0 (every event)."""
    try:
        number = float(value) if value else 0.0
    except ValueError:
        return 0.0
    return round(number, 2) if 0.0 < number <= 1.0 else 0.0
