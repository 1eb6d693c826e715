"""What the timeline and the map draw of a filter result: the records ``EventStore`` answers with, and
the folding of many events into lanes and clusters (so a million events stay interactive).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.views.state import EVENT_TYPES, ViewState

MAX_LANES = 12  # country lanes beyond this are folded into "other countries"
OTHER_LANE = "other countries"
NO_COUNTRY_LANE = "no country"
COARSE_PLACES = ("region", "country")  # drawn hollow on the map


@dataclass(frozen=True)
class TimelineData:
    """What the timeline draws: a histogram, and either events (``events``) or (lane, bin) counts."""

    histogram: pd.DataFrame   # bin_start, precise (bool), count
    events: pd.DataFrame | None  # one row per event (when there are at most POINT_LIMIT)
    clusters: pd.DataFrame | None  # lane, bin_start, count, precise, event_type ("" in country lanes)
    lanes: list[str]          # lane keys, top to bottom
    total: int
    cluster_bin: str = ""     # the period of one cluster marker (the view's bin, or coarser)


@dataclass(frozen=True)
class MapData:
    """What the map draws: events (at most POINT_LIMIT) or grid-cell clusters, plus the total."""

    events: pd.DataFrame | None
    clusters: pd.DataFrame | None  # lat, lon, count, event_type (commonest), coarse, n_sources, fatalities
    total: int
    unplaced: int  # matching events with no coordinates (shown on the timeline only)


def lanes_of(kind: str, keys_by_count: list[str]) -> tuple[list[str], str]:
    """Lane keys top to bottom and the SQL expression giving each event its lane."""
    if kind == "type":
        present = set(keys_by_count)
        lanes = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
        return lanes, "event_type"
    kept = keys_by_count[:MAX_LANES]
    lanes = list(kept)
    folded = len(keys_by_count) > MAX_LANES
    if folded:
        lanes.append(OTHER_LANE)
    quoted = ", ".join("'" + k.replace("'", "''") + "'" for k in kept) or "''"
    expr = (f"CASE WHEN coalesce(country_code, '') IN ({quoted}) THEN coalesce(country_code, '') "
            f"ELSE '{OTHER_LANE}' END")
    return lanes, expr


def lane_clusters(counts: pd.DataFrame, lanes: list[str], view: ViewState,
                   point_limit: int) -> tuple[pd.DataFrame, str]:
    """One marker per (lane, period): the view's bin, or a coarser one if that would be too many markers."""
    counts = counts.copy()
    counts["lane"] = counts["lane"].where(counts["lane"].isin(lanes), OTHER_LANE)
    days = (view.date_to - view.date_from).days + 1
    unit = view.bin
    for unit in ("week", "month", "year")[("week", "month", "year").index(view.bin):]:
        periods = days / {"week": 7, "month": 30.4, "year": 365.25}[unit]
        if periods * max(len(lanes), 1) <= point_limit:
            break
    starts = pd.to_datetime(counts["bin_start"])
    if unit == "month" and view.bin == "week":
        starts = starts.dt.to_period("M").dt.start_time
    elif unit == "year":
        starts = starts.dt.to_period("Y").dt.start_time
    counts["bin_start"] = starts.dt.date
    counts["precise_count"] = counts["count"].where(counts["precise"], 0)
    clusters = counts.groupby(["lane", "bin_start"], as_index=False).agg(
        count=("count", "sum"), precise=("precise_count", "sum"))
    # A marker has a type colour only in type lanes; a country lane's marker mixes types (neutral colour).
    clusters["event_type"] = clusters["lane"] if view.lanes == "type" else ""
    return clusters.sort_values(["lane", "bin_start"], ignore_index=True), unit


def grid_clusters(cells: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Grid cells (one row per type) as cluster markers: centroid, count, the commonest type."""
    keys = ["cell", "coarse"]
    # DuckDB's groups come in any order: sorted in full, so equal counts always break the same way
    cells = cells.sort_values(["count", "cell", "coarse", "event_type"], ascending=[False, True, True, True],
                              kind="stable")
    commonest = cells.drop_duplicates(keys)
    clusters = cells.groupby(keys, as_index=False).agg(
        count=("count", "sum"), lat_sum=("lat_sum", "sum"), lon_sum=("lon_sum", "sum"),
        n_sources=("n_sources", "sum"), fatalities=("fatalities", "sum"))
    clusters = clusters.merge(commonest[keys + ["event_type"]], on=keys)
    clusters["lat"] = clusters["lat_sum"] / clusters["count"]
    clusters["lon"] = clusters["lon_sum"] / clusters["count"]
    clusters = clusters.sort_values(["count", "cell", "coarse"], ascending=[False, True, True], kind="stable",
                                    ignore_index=True).head(limit)
    return clusters[["lat", "lon", "count", "event_type", "coarse", "n_sources", "fatalities"]]


def cluster_cell_degrees(view: ViewState) -> float:
    """Grid cell size for map clusters: about 1/32 of the world's width at this zoom (2.8 degrees on the
    opening view of Syria and Iraq), finer as the map zooms in."""
    scale = view.viewport.scale if view.viewport else DEFAULT_MAP_SCALE
    return round(max(0.02, 360.0 / (scale * 32.0)), 4)


DEFAULT_MAP_SCALE = 4.0  # the map opens on Syria and Iraq
