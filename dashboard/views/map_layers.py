"""What the map adds to the events: the opening view fitted to them, events at one place spread around it
with their count, place labels for the zoom (the gazetteer's largest places in view), first-level
(admin-1) boundaries near the view at a detail fitting the zoom (``data/boundaries``), and the density
layer: events counted per square of the zoom's size (``EventStore.density``), drawn as squares.

    >>> fit_viewport([36.2, 43.1, 44.4], [36.2, 36.3, 33.3])        # Aleppo, Mosul, Baghdad
    (40.3, 34.8, 24.2)

The map fills its box, whose size the server does not know: the geo frame is given the shape of a typical
map (FRAME_ASPECT, through the longitude range it spans at scale 1), and the visible box of a (centre,
scale) is computed for that shape; plotly keeps the centre and the scale exactly.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from dashboard import settings
from dashboard.core.files import atomic_write
from dashboard.geocoders.gazetteer import index_version, load_gazetteer
from dashboard.settings import BOUNDARIES_DATA

log = logging.getLogger(__name__)

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
# First-level boundaries by zoom: none at world or continent zoom (a mesh), then finer as the map zooms
# in, each level simplified to about a pixel at the scale it starts from. (scale from, file)
BOUNDARY_LEVELS = ((8.0, "admin1_lines_1500m.geojson.gz"), (2.5, "admin1_lines_6km.geojson.gz"))
MIN_LINE_PX = 4          # boundary lines shorter than this on screen are left out
DENSITY_CELL_PX = 10     # a density square is at least this wide on screen (a power of two of a degree)
# Events per square, on a log scale: pale yellow (one) to dark red (the most), over the basemap.
DENSITY_COLOURS = [[0.0, "#ffffb2"], [0.25, "#fecc5c"], [0.5, "#fd8d3c"], [0.75, "#f03b20"], [1.0, "#bd0026"]]


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
    """(lon, lat, population, name) of the gazetteer's largest towns and capitals, largest first.

    Kept in a small file of the cache folder, named by the gazetteer's version: loading the whole
    gazetteer for them took 0.8 s of every new process that draws a map (a CLI image export)."""
    saved = _saved_arrays(settings.cache_dir() / f"map-labels-{index_version()}-{LABEL_PLACES}.npz", _largest_places)
    return saved["lons"], saved["lats"], saved["populations"], tuple(saved["names"].tolist())


def _largest_places() -> dict[str, np.ndarray]:
    gazetteer = load_gazetteer()
    towns = [i for i, feature in enumerate(gazetteer.features) if feature in ("city", "capital")]
    populations = np.asarray([gazetteer.populations[i] for i in towns], dtype=float)
    keep = [towns[i] for i in np.argsort(-populations, kind="stable")[:LABEL_PLACES]]
    return {"lons": np.asarray([gazetteer.lons[i] for i in keep], dtype=float),
            "lats": np.asarray([gazetteer.lats[i] for i in keep], dtype=float),
            "populations": np.asarray([gazetteer.populations[i] for i in keep], dtype=float),
            "names": np.asarray([gazetteer.names[i] for i in keep], dtype=str)}


def _saved_arrays(path: Path, compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Arrays read from ``path`` (an .npz written by an earlier call), else computed and saved there.

    A file that does not read is computed again; a cache folder that cannot be written only costs the
    computation next time. Empty results are not saved (a source that failed is retried and reported)."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {name: saved[name] for name in saved.files}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # absent or damaged
        pass
    arrays = compute()
    if all(len(values) for values in arrays.values()):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(path, binary=True) as out:
                np.savez(out, **arrays)
        except OSError as error:
            log.warning("could not save %s (%s): it is computed again next time", path, error)
    return arrays


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


def boundary_file(scale: float) -> str | None:
    """The admin-1 file drawn at a projection scale, or None when the map shows too much of the world.

    >>> boundary_file(1.0), boundary_file(4.0), boundary_file(20.0)
    (None, 'admin1_lines_6km.geojson.gz', 'admin1_lines_1500m.geojson.gz')
    """
    return next((name for start, name in BOUNDARY_LEVELS if scale >= start), None)


def admin1_lines(box: tuple[float, float, float, float], scale: float) -> tuple[list, list]:
    """The first-level boundary lines crossing the box and a margin around it (so a small pan still shows
    them), at the zoom's detail: (lons, lats) with None between lines, as plotly draws a broken line.

    >>> lons, lats = admin1_lines((38.0, 32.0, 46.0, 38.0), 8.0)     # Iraq's and Syria's governorates
    >>> len(lons) == len(lats) > 100 and None in lons
    True
    >>> admin1_lines((-180.0, -90.0, 180.0, 90.0), 1.0)              # the whole world: none
    ([], [])
    """
    name = boundary_file(scale)
    if name is None:
        return [], []
    west, south, east, north = box
    # The box rounded to a tenth of its size: a filter change redraws the same frame from the cache.
    step = max((east - west) / 10, 1e-3)
    rounded = tuple(round(v / step) * step for v in box)
    lons, lats = _lines_near(name, rounded, east - west, north - south, round(degrees_per_px(scale) * MIN_LINE_PX, 4))
    return list(lons), list(lats)  # copies: the cached lists go into figures that callers may change


@lru_cache(maxsize=32)
def _lines_near(name: str, box: tuple, width: float, height: float, shortest: float) -> tuple[list, list]:
    lons, lats, bounds, starts, ends = _boundary_lines(name)
    if not starts.size:
        return [], []
    west, south, east, north = box
    west, east, south, north = west - width / 4, east + width / 4, south - height / 4, north + height / 4
    # Lines of a few pixels (the many small units of some countries) would only darken the map.
    longest_side = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    near = np.flatnonzero((bounds[:, 0] <= east) & (bounds[:, 2] >= west) & (bounds[:, 1] <= north)
                          & (bounds[:, 3] >= south) & (longest_side >= shortest))
    if not near.size:
        return [], []
    # Each line's points and the NaN after it, in one gather; NaN becomes JSON null (a break in the line).
    index = np.concatenate([np.arange(starts[i], ends[i] + 1) for i in near])
    to_list = lambda values: [None if v != v else v for v in values[index].tolist()]  # noqa: E731
    return to_list(lons), to_list(lats)


@lru_cache(maxsize=len(BOUNDARY_LEVELS))
def _boundary_lines(name: str):
    """One level's lines as flat arrays (a NaN after each line), each line's bounds, start and end.

    Read once from the GeoJSON, then from an .npz of the arrays in the cache folder, named by the file's
    content (parsing the GeoJSON took 0.6 s of every new process that draws a zoomed map)."""
    path = BOUNDARIES_DATA / name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError as error:
        log.warning("admin-1 boundaries %s unreadable (%s): the map is drawn without them", path, error)
        return _line_arrays([])
    saved = _saved_arrays(settings.cache_dir() / f"{name.split('.')[0]}-{digest}.npz", lambda: _read_lines(path))
    return saved["lons"], saved["lats"], saved["bounds"], saved["starts"], saved["ends"]


def _read_lines(path: Path) -> dict[str, np.ndarray]:
    parts: list[list] = []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for geometry in json.load(handle)["geometries"]:
                lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
                parts += [line for line in lines if len(line) >= 2]
    except (OSError, ValueError, KeyError, TypeError) as error:  # a map without them is still a map
        log.warning("admin-1 boundaries %s unreadable (%s): the map is drawn without them", path, error)
        parts = []
    return dict(zip(("lons", "lats", "bounds", "starts", "ends"), _line_arrays(parts)))


def _line_arrays(parts: list[list]) -> tuple[np.ndarray, ...]:
    points = [np.asarray(line, dtype=float) for line in parts]
    sizes = np.asarray([len(line) + 1 for line in points], dtype=int)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int) if points else np.zeros(0, dtype=int)
    flat = np.concatenate([np.vstack([line, [np.nan, np.nan]]) for line in points]) if points else np.zeros((0, 2))
    bounds = (np.asarray([[*line.min(axis=0), *line.max(axis=0)] for line in points])
              if points else np.zeros((0, 4)))
    return flat[:, 0], flat[:, 1], bounds, starts, starts + sizes - 1


def density_cell(scale: float) -> float:
    """The density square's side in degrees at a projection scale: DENSITY_CELL_PX on screen or up to
    twice that, a power of two of a degree, so that the squares stay put while the user zooms a little
    (and a view never holds more than a few thousand of them).

    >>> density_cell(1.0), density_cell(4.0), density_cell(28.0)
    (4.0, 1.0, 0.25)
    """
    return float(2.0 ** math.ceil(math.log2(degrees_per_px(scale) * DENSITY_CELL_PX)))


def density_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The part of the world whose squares are drawn: the view and an eighth of it on each side (a pan
    draws the squares of the new view)."""
    west, south, east, north = box
    width, height = (east - west) / 8, (north - south) / 8
    return west - width, max(-90.0, south - height), east + width, min(90.0, north + height)


def density_trace(cells, cell: float) -> dict:
    """The density squares as one plotly choropleth over its own GeoJSON (exact squares at any zoom);
    a click on a square zooms in on it (``zoom:`` as the count of events at one place)."""
    rows, cols = cells["row"].to_numpy(dtype=int), cells["col"].to_numpy(dtype=int)
    counts = cells["count"].to_numpy(dtype=float)
    features, ids, custom, hover = [], [], [], []
    for row, col, n, deaths in zip(rows.tolist(), cols.tolist(), counts.astype(int).tolist(),
                                   cells["fatalities"].fillna(0).astype(int).tolist()):
        south, west = row * cell, col * cell
        north, east = south + cell, west + cell
        key = f"{row}:{col}"
        # Clockwise (d3-geo's outside is the rest of the globe otherwise).
        ring = [[west, south], [west, north], [east, north], [east, south], [west, south]]
        features.append({"type": "Feature", "id": key, "geometry": {"type": "Polygon", "coordinates": [ring]}})
        ids.append(key)
        custom.append(f"zoom:{round(west + cell / 2, 4)},{round(south + cell / 2, 4)}")
        square = (f"{_degrees(south, 'N', 'S')}–{_degrees(north, 'N', 'S')}, "
                  f"{_degrees(west, 'E', 'W')}–{_degrees(east, 'E', 'W')}")
        hover.append(f"{n:,} event{'s' if n != 1 else ''} in {square}<br>{deaths:,} killed (stated)<br>click to zoom in")
    most = float(np.log10(max(counts.max(initial=1.0), 1.0)))
    ticks = [v for v in (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000) if math.log10(v) < most - 0.15]
    ticks.append(int(counts.max(initial=1.0)))  # the busiest square's count tops the scale
    return dict(type="choropleth", name="density", geojson={"type": "FeatureCollection", "features": features},
                locations=ids, z=np.log10(np.maximum(counts, 1.0)).round(3).tolist(), featureidkey="id",
                zmin=0.0, zmax=max(most, 0.5), colorscale=DENSITY_COLOURS, marker=dict(opacity=0.65,
                line=dict(width=0.3, color="rgba(255,255,255,0.6)")),
                colorbar=dict(title=dict(text="events per square", side="right", font=dict(size=10)),
                              tickvals=[math.log10(v) for v in ticks], ticktext=[f"{v:,}" for v in ticks],
                              thickness=10, len=0.45, x=0.995, xanchor="right", y=0.55, yanchor="middle",
                              tickfont=dict(size=9), bgcolor="rgba(255,255,255,0.8)"),
                customdata=custom, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=False)


def _degrees(value: float, positive: str, negative: str) -> str:
    """'36°N', '2.5°W': a square's edge for a hover label."""
    return f"{abs(value):g}°{positive if value >= 0 else negative}"
