"""The world's boundaries cut to what a map's view shows, for the export browser to draw faster.

plotly.js draws a geo map from one topojson file of the whole world (``assets/topojson/world_50m.json``):
every country, coast, lake and river is projected and clipped, the ones off the map included; at the
report's zoom on Syria and Iraq that is most of the drawing. ``cut_basemap`` keeps only the shapes whose
box meets the window the view shows (with a margin), and the renderer hands that smaller topojson to the
page under the same name, so plotly.js draws it instead of fetching the whole world. Nothing inside the
view changes: a shape is dropped only when all of it lies outside the window, and what is drawn is still
clipped to the view (the images are byte-identical, ``tests/test_export.py`` compares them).

Only world maps in the natural earth projection (the app's and the exports') zoomed in enough to gain are
cut, never a figure whose traces look shapes up in the topojson by name (``locations`` without a
``geojson`` of their own); anything else is drawn from the whole file.

>>> fig = {"data": [{"type": "scattergeo", "lon": [40], "lat": [35]}], "layout": {"geo": {
...     "resolution": 50, "projection": {"type": "natural earth", "scale": 8}, "center": {"lon": 40, "lat": 35},
...     "lonaxis": {"range": [-89, 169]}, "lataxis": {"range": [-90, 90]}}}}
>>> basemap = cut_basemap(fig)
>>> basemap.name, basemap.window, len(json.loads(basemap.text)["objects"]["countries"]["geometries"])
('world_50m', (18.3, 21.9, 61.7, 48.1), 48)
"""
from __future__ import annotations

import functools
import json
import math
from typing import TYPE_CHECKING, Any, NamedTuple

from dashboard.settings import TOPOJSON_DIR

if TYPE_CHECKING:
    import numpy as np

RESOLUTIONS = (50, 110)  # plotly.js's names: world_50m.json, world_110m.json
# Degrees added around the window, and its share: beyond the projection's exact window, for the slight
# bulge of an edge between two points (a great circle) and d3's resampling.
MARGIN_DEGREES = 2.0
MARGIN_SHARE = 0.1
POLAR_LATITUDE = 80.0  # a ring reaching past it may hold a pole: d3 then decides what is inside by it
# Degrees of longitude: a wider window (the map at scale 3 or less) keeps so much that handing it to the
# page costs more than drawing it saves (measured: no gain at scale 2.5, 0.1-0.5 s saved from scale 4 on)
MIN_CUT_SPAN = 120.0


class Basemap(NamedTuple):
    """A cut topology for plotly.js's ``name`` (e.g. world_50m), for the view ``window``, as JSON text."""
    name: str
    window: tuple[float, float, float, float]
    text: str


def cut_basemap(fig: Any) -> Basemap | None:
    """The figure's basemap cut to its map's view, or None to draw from the whole file."""
    fig = fig if isinstance(fig, dict) else fig.to_plotly_json()
    layout, data = fig.get("layout"), fig.get("data")
    geos = [key for key in (layout or {}) if key == "geo" or (key.startswith("geo") and key[3:].isdigit())]
    if len(geos) != 1 or any(_looks_up_names(trace or {}) for trace in data or ()):
        return None
    geo = layout[geos[0]] or {}
    window = view_window(geo)
    resolution = geo.get("resolution", 110)
    if window is None or resolution not in RESOLUTIONS:
        return None
    return _cut_text(f"world_{resolution}m", window)


def _looks_up_names(trace: dict) -> bool:
    """Whether a trace finds its shapes or points in the basemap by name (countries by ISO code ...): a
    choropleth with its own ``geojson`` (the density layer's squares) does not."""
    return trace.get("locations") is not None and trace.get("geojson") is None


@functools.lru_cache(maxsize=8)
def _cut_text(name: str, window: tuple[float, float, float, float]) -> Basemap:
    return Basemap(name, window, json.dumps(_cut(name, window), separators=(",", ":")))


def view_window(geo: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees that hold everything a natural earth world map shows, or None
    when the view is not one this module can bound (another projection or scope, fitted bounds, a rotation
    of its own) or shows nearly the whole world. West may be below -180 and east above 180.

    plotly.js fits the lon/lat ranges' box to the map at scale 1 and clips the drawing to that box; at
    scale ``s`` the box shows 1/s of it around the centre (in the projection's own x and y).

    >>> view_window({"projection": {"type": "natural earth", "scale": 8}, "center": {"lon": 40, "lat": 35},
    ...              "lonaxis": {"range": [-89, 169]}, "lataxis": {"range": [-90, 90]}})
    (18.3, 21.9, 61.7, 48.1)
    """
    projection = geo.get("projection") or {}
    if (projection.get("type") != "natural earth" or geo.get("scope", "world") != "world" or geo.get("fitbounds")
            or (projection.get("rotation") or {}).get("lat") or (projection.get("rotation") or {}).get("roll")):
        return None
    lon_range = (geo.get("lonaxis") or {}).get("range")
    lat_range = (geo.get("lataxis") or {}).get("range")
    scale = projection.get("scale") or 1.0
    if not (lon_range and lat_range and scale >= 1.0):
        return None
    centre = geo.get("center") or {}
    lon = centre.get("lon", (lon_range[0] + lon_range[1]) / 2)
    lat = centre.get("lat", (lat_range[0] + lat_range[1]) / 2)
    rotation_lon = (projection.get("rotation") or {}).get("lon", (lon_range[0] + lon_range[1]) / 2)
    if abs(rotation_lon - (lon_range[0] + lon_range[1]) / 2) > 1e-9 or abs(lon - rotation_lon) > 1e-9:
        return None  # a centre off the rotation moves the view in ways not bounded here
    south_range, north_range = sorted(math.radians(value) for value in lat_range)
    widest = min(max(0.0, south_range), north_range) if north_range > 0 else north_range
    half_width = math.radians(abs(lon_range[1] - lon_range[0])) / 2 * _x_factor(widest) / scale
    half_height = (_y(north_range) - _y(south_range)) / 2 / scale
    y_centre = _y(math.radians(lat))
    south, north = _latitude_at(y_centre - half_height), _latitude_at(y_centre + half_height)
    farthest = max(abs(south), abs(north))
    half_lon = math.degrees(half_width / _x_factor(math.radians(min(farthest, 90.0))))
    half_lon = half_lon * (1 + MARGIN_SHARE) + MARGIN_DEGREES
    if 2 * half_lon >= MIN_CUT_SPAN:
        return None
    pad = (north - south) * MARGIN_SHARE / 2 + MARGIN_DEGREES
    return (round(lon - half_lon, 1), round(max(-90.0, south - pad), 1), round(lon + half_lon, 1),
            round(min(90.0, north + pad), 1))


# natural earth (d3-geo-projection's naturalEarth1Raw): x = lambda * _x_factor(phi), y = _y(phi)
def _x_factor(phi: float) -> float:
    p2 = phi * phi
    p4 = p2 * p2
    return 0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))


def _y(phi: float) -> float:
    p2 = phi * phi
    p4 = p2 * p2
    return phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))


def _latitude_at(y: float) -> float:
    """Degrees of latitude whose natural earth y is ``y`` (clamped to the poles); y rises with latitude."""
    low, high = -math.pi / 2, math.pi / 2
    if y <= _y(low):
        return -90.0
    if y >= _y(high):
        return 90.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if _y(middle) < y else (low, middle)
    return math.degrees((low + high) / 2)


@functools.lru_cache(maxsize=2)
def _world(name: str) -> tuple[dict, np.ndarray]:
    """The vendored topology and each arc's (west, south, east, north) in degrees."""
    import numpy as np  # here, not at the top: a CLI export imports the renderer before starting Chromium

    topology = json.loads((TOPOJSON_DIR / f"{name}.json").read_text(encoding="utf-8"))
    arcs = topology["arcs"]
    lengths = np.fromiter((len(arc) for arc in arcs), dtype=np.int64, count=len(arcs))
    points = np.array([point[:2] for arc in arcs for point in arc], dtype=np.float64).reshape(-1, 2)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    transform = topology.get("transform")
    if transform:  # quantized: each arc's points are deltas from the one before, from the arc's start
        totals = np.cumsum(points, axis=0)
        before = np.where(starts[:, None] > 0, totals[np.maximum(starts - 1, 0)], 0.0)
        points = totals - np.repeat(before, lengths, axis=0)
        points = points * np.array(transform["scale"]) + np.array(transform["translate"])
    boxes = np.column_stack([np.minimum.reduceat(points[:, 0], starts), np.minimum.reduceat(points[:, 1], starts),
                             np.maximum.reduceat(points[:, 0], starts), np.maximum.reduceat(points[:, 1], starts)])
    return topology, boxes


def _cut(name: str, window: tuple[float, float, float, float]) -> dict:
    topology, arc_boxes = _world(name)
    west, south, east, north = window

    def box(arc_ids: list[int]) -> tuple[float, float, float, float]:
        chosen = arc_boxes[[index if index >= 0 else ~index for index in arc_ids]]
        return chosen[:, 0].min(), chosen[:, 1].min(), chosen[:, 2].max(), chosen[:, 3].max()

    def outside(arc_ids: list[int]) -> bool:
        b = box(arc_ids)
        if b[1] < -POLAR_LATITUDE or b[3] > POLAR_LATITUDE:
            return False
        if b[3] < south or b[1] > north:
            return True
        return not any(b[0] <= east + shift and b[2] >= west + shift for shift in (-360.0, 0.0, 360.0))

    def polygon(rings: list[list[int]]) -> list[list[int]] | None:
        # Any ring off the view goes, not only holes: on the sphere no ring is "the outer one" (in these
        # files the Caspian comes before the coast of Afro-Eurasia that it is a hole in). Dropping a ring
        # changes the filled area only inside the ring's box, off the view; rings that may hold a pole stay,
        # as d3 decides by the south pole which side of a clipped polygon is inside.
        kept = [ring for ring in rings if not outside(ring)]
        return kept or None

    def geometry(shape: dict) -> dict | None:
        kind, arcs = shape.get("type"), shape.get("arcs")
        if kind == "LineString":
            kept: Any = None if outside(arcs) else arcs
        elif kind == "MultiLineString":
            kept = [line for line in arcs if not outside(line)] or None
        elif kind == "Polygon":
            kept = polygon(arcs)
        elif kind == "MultiPolygon":
            kept = [part for part in map(polygon, arcs) if part] or None
        else:  # points, collections: kept as they are
            return shape
        return None if kept is None else dict(shape, arcs=kept)

    objects = {}
    for key, collection in topology["objects"].items():
        if collection.get("type") == "GeometryCollection":  # plotly.js's files: one per layer (land, rivers ...)
            collection = dict(collection, geometries=[cut for cut in map(geometry, collection["geometries"])
                                                      if cut is not None])
        objects[key] = collection
    return _keep_used_arcs(topology, objects)


def _keep_used_arcs(topology: dict, objects: dict) -> dict:
    """The topology with only the arcs its objects use, renumbered (~i is arc i reversed)."""
    used: dict[int, int] = {}

    def renumber(node: Any) -> Any:
        if isinstance(node, int):
            arc = node if node >= 0 else ~node
            new = used.setdefault(arc, len(used))
            return new if node >= 0 else ~new
        return [renumber(child) for child in node]

    def walk(shape: dict) -> dict:
        if shape.get("type") == "GeometryCollection":
            return dict(shape, geometries=[walk(child) for child in shape["geometries"]])
        return dict(shape, arcs=renumber(shape["arcs"])) if "arcs" in shape else shape

    renumbered = {key: walk(collection) for key, collection in objects.items()}
    arcs = topology["arcs"]
    return dict(topology, objects=renumbered, arcs=[arcs[index] for index in used])


# Puts a cut basemap where plotly.js looks before fetching a topojson file (its cache, by name), or, with
# null, removes any such cut so that the next map fetches the whole file again.
_HAND_BASEMAP = """function(names, name, text) {
  const assets = window.PlotlyGeoAssets || (window.PlotlyGeoAssets = {topojson: {}});
  for (const each of names) delete assets.topojson[each];
  if (text !== null) assets.topojson[name] = JSON.parse(text);
  return 'ok';
}"""


async def hand_to_page(k: Any, basemap: Basemap | None) -> None:
    """Hand kaleido's page (``k``, a running kaleido.Kaleido) the map's cut boundaries, or take any cut
    back (None) so that the next map fetches the whole file."""
    tab = await k.tabs_ready.get()
    try:
        answer = await tab.tab.send_command("Runtime.callFunctionOn", params={
            "functionDeclaration": _HAND_BASEMAP, "executionContextId": tab._current_js_id, "returnByValue": True,
            "arguments": [{"value": [f"world_{resolution}m" for resolution in RESOLUTIONS]},
                          {"value": basemap and basemap.name}, {"value": basemap and basemap.text}]})
    finally:
        await k.tabs_ready.put(tab)
    if ((answer.get("result") or {}).get("result") or {}).get("value") != "ok":
        raise RuntimeError(f"the page did not take the map's boundaries: {answer.get('error') or answer.get('result')}")
