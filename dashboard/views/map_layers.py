"""What the map adds to the events: the opening view fitted to them, events at one place spread around it
with their count, and place labels for the zoom (the gazetteer's largest places in view).

    >>> fit_viewport([36.2, 43.1, 44.4], [36.2, 36.3, 33.3])        # Aleppo, Mosul, Baghdad
    (40.3, 34.8, 24.2)

The map fills its box, whose size the server does not know: the geo frame is given the shape of a typical
map (FRAME_ASPECT, through the longitude range it spans at scale 1), and the visible box of a (centre,
scale) is computed for that shape; plotly keeps the centre and the scale exactly.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from dashboard.geocoders.gazetteer import load_gazetteer

FRAME_ASPECT = 1.4       # width / height of the map at 1280x800 (and near it at other sizes)
WORLD_ASPECT = 1.95      # the natural earth projection of the whole world
LON_RANGE = 360.0 * FRAME_ASPECT / WORLD_ASPECT  # degrees of longitude across the map at scale 1
LAT_RANGE = 180.0 * 0.8  # degrees of latitude down the map at scale 1 (mid latitudes are drawn larger)
MAP_WIDTH_PX = 700       # the map's typical width, for sizes on screen
MIN_SPAN_DEGREES = 3.0   # a fit never zooms closer than this (one town would fill the screen)
MAX_SCALE = 64.0
FIT_SHARE = 0.7          # the opening view shows the densest 70% of the events; a note counts the others
SPREAD_PX = 6            # distance between neighbours when events at one place are spread around it
LABEL_PLACES = 6000      # the largest places kept for labels
LABELS_IN_VIEW = 18      # labels drawn at any zoom: the largest places inside the view


def degrees_per_px(scale: float) -> float:
    """Degrees of longitude per screen pixel at a projection scale, on a map of the typical width."""
    return LON_RANGE / max(scale, 1e-6) / MAP_WIDTH_PX


def frame(lon: float) -> dict:
    """The geo axes that give the map its shape, centred on ``lon`` (so the projection is not rotated)."""
    return {"lonaxis": {"range": [lon - LON_RANGE / 2, lon + LON_RANGE / 2]}, "lataxis": {"range": [-90, 90]}}


def visible_box(lon: float, lat: float, scale: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) seen around a centre at a scale."""
    half_lon, half_lat = LON_RANGE / scale / 2, LAT_RANGE / scale / 2
    return lon - half_lon, max(-90.0, lat - half_lat), lon + half_lon, min(90.0, lat + half_lat)


def fit_viewport(lons, lats, weights=None, area=None) -> tuple[float, float, float]:
    """The (lon, lat, scale) that shows the events (their densest FIT_SHARE), or an area's polygon.

    >>> fit_viewport([], [])
    (0.0, 20.0, 1.0)
    """
    share = FIT_SHARE
    if area:
        lons, lats, weights, share = [p[0] for p in area], [p[1] for p in area], None, 1.0
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if lons.size == 0:
        return 0.0, 20.0, 1.0
    weights = np.ones_like(lons) if weights is None else np.asarray(weights, dtype=float)
    west, east = _densest_interval(lons, weights, share)
    south, north = _densest_interval(lats, weights, share)
    lon_span = max(east - west, MIN_SPAN_DEGREES) * 1.3  # a margin around the events
    lat_span = max(north - south, MIN_SPAN_DEGREES) * 1.3
    scale = float(np.clip(min(LON_RANGE / lon_span, LAT_RANGE / lat_span), 1.0, MAX_SCALE))
    return round((west + east) / 2, 1), round((south + north) / 2, 1), round(scale, 1)


def _densest_interval(values: np.ndarray, weights: np.ndarray, share: float) -> tuple[float, float]:
    """The shortest interval holding ``share`` of the weight: far-away events do not widen it.

    >>> _densest_interval(np.array([-90, -89, 36, 37, 38, 40, 43, 44]), np.ones(8), 0.75)
    (36.0, 44.0)
    """
    order = np.argsort(values, kind="stable")
    values, cumulative = values[order], np.cumsum(weights[order])
    total = cumulative[-1]
    if share >= 1.0 or values.size == 1:
        return float(values[0]), float(values[-1])
    before = np.concatenate([[0.0], cumulative[:-1]])  # weight before each start
    ends = np.searchsorted(cumulative, before + share * total - 1e-9)  # first end holding the share
    starts = np.flatnonzero(total - before >= share * total - 1e-9)  # starts with enough weight after them
    ends = ends[starts]
    best = int(starts[np.argmin(values[ends] - values[starts])])
    ends = dict(zip(starts.tolist(), ends.tolist()))
    return float(values[best]), float(values[ends[best]])


def outside(lons, lats, box: tuple[float, float, float, float], weights=None) -> int:
    """How many events (weighted by ``weights``, e.g. cluster counts) lie outside the visible box."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    west, south, east, north = box
    out = (lons < west) | (lons > east) | (lats < south) | (lats > north)
    if weights is None:
        return int(out.sum())
    return int(np.asarray(weights, dtype=float)[out].sum())


def spread(lons, lats, scale: float) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float, int]]]:
    """Events sharing one point moved onto a small sunflower around it (a constant size on screen).

    Returns the new longitudes and latitudes and, for each shared point, (lon, lat, how many).

    >>> lon, lat, stacks = spread([40, 40, 41], [35, 35, 36], scale=8)
    >>> stacks
    [(40.0, 35.0, 2)]
    """
    lons, lats = np.asarray(lons, dtype=float).copy(), np.asarray(lats, dtype=float).copy()
    if lons.size < 2:
        return lons, lats, []
    keys = np.round(lons, 3) * 1e4 + np.round(lats, 3)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    stacks = []
    step = degrees_per_px(scale) * SPREAD_PX
    for group in np.flatnonzero(counts > 1):
        members = np.flatnonzero(inverse == group)
        lon0, lat0 = float(lons[members[0]]), float(lats[members[0]])
        stacks.append((lon0, lat0, int(members.size)))
        i = np.arange(members.size) + 2.0  # the first ring clears the count at the centre
        radius = step * np.sqrt(i)
        angle = i * 2.39996  # the golden angle: neighbours never line up
        lons[members] = lon0 + radius * np.cos(angle) / max(math.cos(math.radians(lat0)), 0.2)
        lats[members] = lat0 + radius * np.sin(angle)
    return lons, lats, stacks


@lru_cache(maxsize=1)
def largest_places() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """(lon, lat, population, name) of the gazetteer's largest towns and capitals, largest first."""
    gazetteer = load_gazetteer()
    towns = [i for i, feature in enumerate(gazetteer.features) if feature in ("city", "capital")]
    populations = np.asarray([gazetteer.populations[i] for i in towns], dtype=float)
    keep = [towns[i] for i in np.argsort(-populations, kind="stable")[:LABEL_PLACES]]
    return (np.asarray([gazetteer.lons[i] for i in keep]), np.asarray([gazetteer.lats[i] for i in keep]),
            np.asarray([gazetteer.populations[i] for i in keep], dtype=float),
            tuple(gazetteer.names[i] for i in keep))


def place_labels(box: tuple[float, float, float, float], limit: int = LABELS_IN_VIEW) -> tuple[list, list, list]:
    """The ``limit`` largest places inside the box: (lons, lats, names). Zooming in shows smaller ones."""
    try:
        lons, lats, _, names = largest_places()
    except Exception:  # noqa: BLE001 - no gazetteer: a map without labels is still a map
        return [], [], []
    west, south, east, north = box
    inside = np.flatnonzero((lons >= west) & (lons <= east) & (lats >= south) & (lats <= north))[:limit * 4]
    chosen: list[int] = []
    min_gap = (east - west) / 14  # labels closer than this would print over each other
    for i in inside:
        if all(abs(lons[i] - lons[j]) > min_gap or abs(lats[i] - lats[j]) > min_gap / 2 for j in chosen):
            chosen.append(int(i))
        if len(chosen) >= limit:
            break
    return [float(lons[i]) for i in chosen], [float(lats[i]) for i in chosen], [names[i] for i in chosen]
