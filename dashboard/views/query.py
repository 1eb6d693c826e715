"""DuckDB over the store's Parquet: filtering, facets and the aggregations the views draw.

One ``EventStore`` per store. Every query is built from a ``ViewState`` by one function
(``dashboard.views.filters.where``), so the map, the timeline, the facets, the table and the exporter
agree on what "matching" means.

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
import hashlib
import json
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import settings
from dashboard.core.countries import country_names
from dashboard.core.values import plain_value
from dashboard.store.schema import ARTICLES_FILE, EVENTS_DIR, EVENTS_SCHEMA
from dashboard.views.aggregates import (COARSE_PLACES, MapData, TimelineData, cluster_cell_degrees, grid_clusters,
                                        lane_clusters, lanes_of)
from dashboard.views.filters import conditions, where
from dashboard.views.state import ViewState

# Beyond this many events a view is aggregated (see module docstring); keeps responses well under 2 MB.
POINT_LIMIT = 1500
TABLE_LIMIT = 200
INLINE_PROVENANCE_ROWS = 300_000  # larger stores read an event's provenance from Parquet on demand
ON_DISK_ROWS = 5_000_000  # larger stores are queried from a DuckDB file with a bounded memory
ON_DISK_MEMORY_LIMIT = "1GB"
SOURCE_FACET_LIMIT = 200
# Beyond this many candidate rows the source facet shows the whole store's top sources (computed once):
# unnesting every source of a million events per request would dominate the response time.
SOURCE_FACET_ROWS = 50_000
CATEGORY_COLUMNS = ("country_code", "event_type", "time_precision", "place_precision")
TEXT_CACHE = 32  # text searches whose matching rows are kept (see EventStore._text_matches)

BIN_SQL = {"week": "week", "month": "month", "year": "year"}


class SpanAndOutlets(NamedTuple):
    """A view's events as an export's caption counts them (``EventStore.span_and_outlets``)."""

    n_events: int
    first_date: dt.date | None
    last_date: dt.date | None
    n_articles: int
    outlets: tuple[str, ...]  # the first ones, by their most reporting article
    n_outlets: int


class EventStore:
    """The events of one store, queryable by view.

        >>> store = EventStore("data/store")            # doctest: +SKIP
        >>> store.filter(ViewState.from_query("q=raqqa&country=SY"))[["start_date", "place"]]  # doctest: +SKIP
    """

    def __init__(self, store_path: str | Path | None = None, *, events: pd.DataFrame | pa.Table | None = None,
                 memory_limit: str | None = None, inline_provenance: bool | None = None):
        # inline_provenance: keep the provenance column in memory (True), read an event's from Parquet when
        # it is asked for (False: an image export, which never shows one, opens a store in half the time),
        # or decide by the store's size (None).
        self.path = Path(store_path) if store_path is not None else None
        self._keep_provenance = inline_provenance
        memory_limit = memory_limit or settings.query_memory_limit()
        rows = self._parquet_rows() if events is None else 0
        # Insertion order is kept: the table is stored by date, so "first N by date" streams without a sort.
        config = {"threads": 2, "preserve_insertion_order": True}
        self._spill_dir = None
        if memory_limit or rows > ON_DISK_ROWS:
            # A store larger than memory: DuckDB keeps the table in a database file of its own and pages
            # it through a bounded buffer, so aggregated views still work (more slowly).
            self._spill_dir = tempfile.TemporaryDirectory(prefix="news-dashboard-query-")
            config.update(memory_limit=memory_limit or ON_DISK_MEMORY_LIMIT, temp_directory=self._spill_dir.name)
            self._db = duckdb.connect(str(Path(self._spill_dir.name) / "events.duckdb"), config=config)
        else:
            self._db = duckdb.connect(config=config)
        self._local = threading.local()
        # The part files by name, never a glob: a store path may hold glob characters ('Reports [2024]').
        self._parquet_files: list[str] | None = None
        self._text_tables: dict[str, str] = {}
        self._top_sources: list[tuple[str, int]] | None = None
        self._text_lock = threading.Lock()
        if events is not None:
            table = events if isinstance(events, pa.Table) else _frame_to_arrow(events)
        elif self._spill_dir is not None:
            table = self._parquet_relation()  # straight from Parquet into the database file, never all in Python
        else:
            table = self._read_events()
        self._load(table)
        self.articles = self._read_articles()

    @classmethod
    def from_events(cls, events: pd.DataFrame | pa.Table, articles: dict[str, dict] | None = None) -> "EventStore":
        """An in-memory store over given events (the exporter's and tests' way to reuse the queries), with
        their articles by id ({"title", "outlet", "url", ...}) when known."""
        store = cls(None, events=events)
        if articles:
            store.articles = dict(articles)
            outlets = [(str(key), str(article["outlet"])) for key, article in articles.items()
                       if article and article.get("outlet")]
            if outlets:
                store._db.executemany("INSERT INTO article_outlet VALUES (?, ?)", outlets)
        return store

    def reload(self) -> None:
        """Read the store again (after a rebuild or an upload) and swap it in, in place.

        The app's callbacks hold this object, so the new events show without a restart; a query in
        flight finishes on its old cursor and the old data.
        """
        if self.path is None:
            return
        fresh = EventStore(self.path, inline_provenance=self._keep_provenance)
        with self._text_lock:
            self.__dict__.update(fresh.__dict__)

    # ------------------------------------------------------------------ loading
    def _read_events(self) -> pa.Table:
        if self.path is None or not self.path.is_dir():
            raise FileNotFoundError(f"store {self.path}: no such directory (build it with `build` first)")
        files = sorted((self.path / EVENTS_DIR).glob("*.parquet"))
        if not files:
            return EVENTS_SCHEMA.empty_table()
        self._parquet_files = [str(f) for f in files]
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        # Provenance (the bulkiest column) stays in memory for ordinary stores and on disk for huge ones.
        keep_provenance = rows <= INLINE_PROVENANCE_ROWS if self._keep_provenance is None else self._keep_provenance
        columns = ", ".join(f'"{name}"' for name in EVENTS_SCHEMA.names if keep_provenance or name != "provenance")
        return self._db.sql(f"SELECT {columns} FROM read_parquet($files, union_by_name=true)",
                            params={"files": self._parquet_files}).to_arrow_table()

    def _parquet_rows(self) -> int:
        if self.path is None or not (self.path / EVENTS_DIR).is_dir():
            return 0
        return sum(pq.ParquetFile(f).metadata.num_rows for f in (self.path / EVENTS_DIR).glob("*.parquet"))

    def _parquet_relation(self) -> "duckdb.DuckDBPyRelation":
        files = sorted((self.path / EVENTS_DIR).glob("*.parquet"))
        if not files:
            return self._db.from_arrow(EVENTS_SCHEMA.empty_table())
        self._parquet_files = [str(f) for f in files]
        columns = ", ".join(f'"{name}"' for name in EVENTS_SCHEMA.names if name != "provenance")
        return self._db.sql(f"SELECT {columns} FROM read_parquet($files, union_by_name=true)",
                            params={"files": self._parquet_files})

    def _load(self, table) -> None:
        names = set(table.columns if isinstance(table, duckdb.DuckDBPyRelation) else table.column_names)
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
        self._db.execute("CREATE TEMP TABLE country_name(code VARCHAR, name VARCHAR)")
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
            ORDER BY e.start_date, e.id
        """)
        self._db.unregister("incoming")
        self._categories = self._make_enums()
        self._inline_provenance = self._parquet_files is None or has_provenance
        self.total = self._db.execute("SELECT count(*) FROM events").fetchone()[0]

    def _make_enums(self) -> dict[str, frozenset[str]]:
        """Store the few-valued columns as ENUMs: filters and group-bys compare small integers, not strings
        (a million-row facet query is several times faster). Returns each column's values."""
        categories = {}
        for column in CATEGORY_COLUMNS:
            values = [row[0] for row in self._db.execute(
                f"SELECT DISTINCT {column} FROM events WHERE {column} IS NOT NULL ORDER BY 1").fetchall()]
            categories[column] = frozenset(values)
            if not values:
                continue
            literal = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
            self._db.execute(f"CREATE TYPE {column}_enum AS ENUM ({literal})")
            self._db.execute(f"ALTER TABLE events ALTER {column} TYPE {column}_enum")
        return categories

    def _read_articles(self) -> dict[str, dict]:
        """The articles by id; their outlets also go to a table of the database (``article_outlet``), so
        that a caption names the outlets of 100,000 events' sources in one query."""
        self._db.execute("CREATE OR REPLACE TABLE article_outlet(id VARCHAR, outlet VARCHAR)")
        if self.path is None or not (self.path / ARTICLES_FILE).exists():
            return {}
        rows = self._db.execute(
            "SELECT id, title, outlet, url, CAST(published_start AS VARCHAR) AS published "
            "FROM read_parquet(?)", [[str(self.path / ARTICLES_FILE)]]).fetchall()
        self._db.execute("INSERT INTO article_outlet SELECT id, outlet FROM read_parquet(?) "
                         "WHERE outlet IS NOT NULL AND outlet <> ''", [[str(self.path / ARTICLES_FILE)]])
        return {row[0]: {"title": row[1], "outlet": row[2], "url": row[3], "published": row[4]} for row in rows}

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # A DuckDB connection is not safe to share between threads (the server is threaded): one cursor
        # per thread over the same database.
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._db.cursor()
        return cursor

    def _where(self, view: ViewState, ignore: tuple[str, ...] = ()) -> tuple[str, list]:
        text_table = self._text_matches(view.text) if view.text and "text" not in ignore else None
        return where(view, ignore, text_table=text_table, categories=self._categories)

    def _text_matches(self, text: str) -> str:
        """A table of the rows whose search text contains every word of ``text``, made once per text.

        Substring search is the costliest condition and one render asks it a dozen times (views, facets,
        table); the cache makes it one scan per new search. The newest TEXT_CACHE searches are kept.
        """
        with self._text_lock:
            name = self._text_tables.get(text)
            if name:
                self._text_tables[text] = self._text_tables.pop(text)  # most recently used last
                return name
            name = "text_" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
            words = text.lower().split()
            self._db.execute(
                f"CREATE OR REPLACE TABLE {name} AS SELECT rowid AS rid FROM events WHERE "
                + " AND ".join("contains(search_text, ?)" for _ in words), words)
            self._text_tables[text] = name
            while len(self._text_tables) > TEXT_CACHE:
                oldest = next(iter(self._text_tables))
                self._db.execute(f"DROP TABLE IF EXISTS {self._text_tables.pop(oldest)}")
            return name

    def _df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self._cursor().execute(sql, params or []).fetch_df()

    # ------------------------------------------------------------------ filtering
    def filter(self, view: ViewState, *, ignore: tuple[str, ...] = (), limit: int | None = None) -> pd.DataFrame:
        """The events matching every filter and selection of ``view`` (minus ``ignore``), by date.

        Every matching row unless ``limit`` is given (then the first ``limit`` by date). Columns are the
        store's (EVENTS_SCHEMA without ``provenance``) plus ``country`` (the country's name).
        """
        sql, params = self._where(view, ignore)
        columns = ", ".join(f'"{n}"' for n in EVENTS_SCHEMA.names if n != "provenance") + ", country"
        query = f"SELECT {columns} FROM events WHERE {sql}"  # the table is stored in (start_date, id) order
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return self._df(query, params)

    def count(self, view: ViewState, *, ignore: tuple[str, ...] = ()) -> int:
        sql, params = self._where(view, ignore)
        return self._cursor().execute(f"SELECT count(*) FROM events WHERE {sql}", params).fetchone()[0]

    def span_and_outlets(self, view: ViewState, shown: int) -> SpanAndOutlets:
        """What an export's caption says of a view's events, in two aggregates whatever their number: how
        many, their first and last day, how many source articles, and the outlets of those articles in the
        order of their most reporting article (the first ``shown`` of them, and how many in all)."""
        sql, params = self._where(view)
        cursor = self._cursor()
        n, first, last = cursor.execute(
            f"SELECT count(*), min(start_date), max(end_date) FROM events WHERE {sql}", params).fetchone()
        n_articles, n_outlets, outlets = cursor.execute(f"""
            WITH counted AS (
                SELECT source, count(*) AS n FROM (SELECT unnest(sources) AS source FROM events WHERE {sql})
                GROUP BY source),
            ranked AS (SELECT source, row_number() OVER (ORDER BY n DESC, source) AS rank FROM counted),
            outlets AS (SELECT o.outlet, min(r.rank) AS rank FROM ranked r JOIN article_outlet o ON o.id = r.source
                        GROUP BY o.outlet)
            SELECT (SELECT count(*) FROM counted), (SELECT count(*) FROM outlets),
                   (SELECT list(outlet ORDER BY rank) FROM (SELECT * FROM outlets ORDER BY rank LIMIT ?))
        """, [*params, int(shown)]).fetchone()
        return SpanAndOutlets(int(n or 0), first, last, int(n_articles or 0), tuple(outlets or ()), int(n_outlets or 0))

    def event_types(self, view: ViewState, *, ignore: tuple[str, ...] = ()) -> list[str]:
        """The event types among a view's events (``ignore``: conditions of the view left out)."""
        sql, params = self._where(view, ignore)
        return sorted(str(t) for (t,) in self._cursor().execute(
            f"SELECT DISTINCT event_type FROM events WHERE {sql}", params).fetchall())

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
        record = {k: plain_value(v) for k, v in rows.iloc[0].to_dict().items()}
        raw = record.pop("provenance", None)
        if not self._inline_provenance and self._parquet_files:
            found = self._cursor().execute(
                "SELECT provenance FROM read_parquet(?) WHERE id = ? LIMIT 1", [self._parquet_files, event_id]
            ).fetchone()
            raw = found[0] if found else None
        record["provenance"] = _parse_provenance(raw)
        return record

    # ------------------------------------------------------------------ views
    def facets(self, view: ViewState) -> dict[str, list[tuple[str, int]]]:
        """Counts per value of each facet; a facet ignores its own filter, so other values stay choosable.

        Two scans whatever the store's size: one counts every combination of the facet columns, one
        counts the sources (see below).
        """
        own = {"country": "countries", "type": "event_types", "time_precision": "time_precisions",
               "place_precision": "place_precisions", "source": "sources"}
        columns = {"country": "country_code", "type": "event_type", "time_precision": "time_precision",
                   "place_precision": "place_precision"}
        # The facet columns have few values: one query counts every combination of them (a few thousand
        # rows at most) under the other conditions, and each facet sums the combinations its sibling
        # filters allow. The source filter (a list column) is a FILTER on the counts.
        common_sql, common_params = self._where(view, tuple(own.values()))
        source = conditions(view, categories=self._categories).get("sources")
        counted = f"count(*) FILTER (WHERE {source[0]})" if source else "count(*)"
        cube = self._df(
            f"SELECT {', '.join(f'{c} AS {f}' for f, c in columns.items())}, {counted} AS n, "
            f"count(*) AS n_all FROM events WHERE {common_sql} GROUP BY ALL",
            (source[1] if source else []) + common_params)
        for facet in columns:
            cube[facet] = cube[facet].astype(object).where(cube[facet].notna(), "")
        chosen = {facet: set(getattr(view, own[facet])) for facet in columns}
        rows = []
        for facet in columns:
            keep = pd.Series(True, index=cube.index)
            for other, values in chosen.items():
                if other != facet and values:
                    keep &= cube[other].isin(values)
            counts = cube[keep].groupby(facet)["n"].sum()
            rows += [(facet, value, int(n)) for value, n in counts.items()]
        allowed = pd.Series(True, index=cube.index)
        for facet, values in chosen.items():
            if values:
                allowed &= cube[facet].isin(values)
        source_rows = int(cube.loc[allowed, "n_all"].sum())  # the rows the source facet would unnest
        # The source list is a separate scan, and only the SOURCE_FACET_LIMIT most reporting articles are
        # offered (stores have thousands); above SOURCE_FACET_ROWS candidates, the whole store's list.
        if source_rows > SOURCE_FACET_ROWS:
            rows += [("source", value, n) for value, n in self._all_sources()]
        else:
            source_sql, source_params = self._where(view, ("sources",))
            rows += self._cursor().execute(
                f"SELECT 'source', s, count(*) AS n FROM (SELECT unnest(sources) AS s FROM events "
                f"WHERE {source_sql}) GROUP BY 2 ORDER BY n DESC, s LIMIT {SOURCE_FACET_LIMIT}",
                source_params).fetchall()
        result: dict[str, list[tuple[str, int]]] = {facet: [] for facet in own}
        for facet, value, n in rows:
            if n:
                result[facet].append((value, int(n)))
        for facet in result:
            result[facet].sort(key=lambda item: (-item[1], item[0]))
        return result

    def _all_sources(self) -> list[tuple[str, int]]:
        """The most reporting sources of the whole store (cached: it only changes with a rebuild)."""
        if self._top_sources is None:
            self._top_sources = self._cursor().execute(
                f"SELECT s, count(*) AS n FROM (SELECT unnest(sources) AS s FROM events) "
                f"GROUP BY 1 ORDER BY n DESC, s LIMIT {SOURCE_FACET_LIMIT}").fetchall()
        return self._top_sources

    def table(self, view: ViewState, limit: int = TABLE_LIMIT) -> pd.DataFrame:
        """The first ``limit`` events matching the whole view, by date, for the event table."""
        sql, params = self._where(view)
        return self._df(
            "SELECT id, CAST(start_date AS VARCHAR) AS start_date, CAST(end_date AS VARCHAR) AS end_date, "
            "time_precision, place, place_precision, country, event_type, fatalities, n_sources, sentence "
            f"FROM events WHERE {sql} LIMIT {int(limit)}", params)  # stored by date: the first rows stream

    def timeline_data(self, view: ViewState, *, point_limit: int = POINT_LIMIT) -> TimelineData:
        """The timeline's input: every filter except the brush (the timeline shows the brush itself).

        One aggregate query gives the histogram, the lanes and (for large results) the per-lane markers;
        events are read one by one only when there are at most ``point_limit`` of them.
        """
        sql, params = self._where(view, ("brush",))
        lane_column = "event_type" if view.lanes == "type" else "coalesce(country_code, '')"
        counts = self._df(
            f"SELECT {lane_column} AS lane, CAST(date_trunc('{BIN_SQL[view.bin]}', mid_date) AS DATE) AS bin_start, "
            f"time_precision = 'day' AS precise, count(*) AS count "
            f"FROM events WHERE {sql} GROUP BY 1, 2, 3", params)
        histogram = (counts.groupby(["bin_start", "precise"], as_index=False)["count"].sum()
                     .sort_values(["bin_start", "precise"], ignore_index=True))
        total = int(counts["count"].sum()) if not counts.empty else 0
        by_lane = counts.groupby("lane")["count"].sum().sort_values(ascending=False, kind="stable")
        ordered = sorted(by_lane.items(), key=lambda item: (-item[1], item[0]))
        lanes, lane_sql = lanes_of(view.lanes, [lane for lane, _ in ordered])
        if total <= point_limit:
            events = self._df(
                f"SELECT id, start_date, end_date, mid_date, time_precision, place, place_precision, country, "
                f"country_code, event_type, fatalities, n_sources, sentence, {lane_sql} AS lane "
                f"FROM events WHERE {sql} ORDER BY start_date, id", params)
            return TimelineData(histogram, events, None, lanes, total)
        clusters, unit = lane_clusters(counts, lanes, view, point_limit)
        return TimelineData(histogram, None, clusters, lanes, total, unit)

    def map_data(self, view: ViewState, *, point_limit: int = POINT_LIMIT) -> MapData:
        """The map's input: every filter except the map area (the map draws the area itself).

        One grid aggregate (cell x placement precision x type) gives the totals and, for large results,
        the cluster markers; events are read one by one only when at most ``point_limit`` are placed.
        """
        sql, params = self._where(view, ("area",))
        cell = cluster_cell_degrees(view)
        # One integer per grid cell (row * 100000 + column) groups faster than two rounded doubles.
        cells = self._df(
            f"SELECT CAST(round(lat / {cell}) AS BIGINT) * 100000 + CAST(round(lon / {cell}) AS BIGINT) AS cell, "
            f"place_precision IN {COARSE_PLACES} AS coarse, event_type, count(*) AS count, "
            # fsum: compensated sums, so the centroids do not depend on the order threads add rows in
            f"fsum(lat) AS lat_sum, fsum(lon) AS lon_sum, sum(n_sources) AS n_sources, "
            f"sum(coalesce(fatalities, 0)) AS fatalities "
            f"FROM events WHERE {sql} GROUP BY 1, 2, 3", params)
        unplaced_rows = cells["cell"].isna()
        unplaced = int(cells.loc[unplaced_rows, "count"].sum())
        total = int(cells["count"].sum())
        cells = cells[~unplaced_rows]
        if total - unplaced <= point_limit:
            events = self._df(
                "SELECT id, start_date, end_date, time_precision, lat, lon, place, place_precision, country, "
                "event_type, fatalities, n_sources, sentence "
                f"FROM events WHERE ({sql}) AND lat IS NOT NULL AND lon IS NOT NULL "
                f"ORDER BY n_sources DESC, start_date, id", params)
            return MapData(events, None, total, unplaced)
        return MapData(None, grid_clusters(cells, 4 * point_limit), total, unplaced)


    def density(self, view: ViewState, cell_degrees: float,
                box: tuple[float, float, float, float] | None = None) -> pd.DataFrame:
        """Placed events per square of ``cell_degrees`` (every filter except the map area, as the map),
        inside ``box`` (west, south, east, north) when given: row, col (the square's south-west corner is
        at row * cell_degrees, col * cell_degrees), count, fatalities. One aggregate, whatever the store's size.

            >>> store.density(ViewState(), 1.0).head(1)        # 36-37 N, 43-44 E: around Mosul  # doctest: +SKIP
               row  col  count  fatalities
            0   36   43     12           5
        """
        sql, params = self._where(view, ("area",))
        cell = float(cell_degrees)
        inside = ""
        if box is not None:
            inside = " AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?"
            params = params + [float(box[0]), float(box[2]), float(box[1]), float(box[3])]
        cells = self._df(
            f"SELECT CAST(floor(lat / {cell}) AS BIGINT) AS row, CAST(floor(lon / {cell}) AS BIGINT) AS col, "
            f"count(*) AS count, sum(coalesce(fatalities, 0)) AS fatalities "
            f"FROM events WHERE ({sql}) AND lat IS NOT NULL AND lon IS NOT NULL{inside} GROUP BY 1, 2", params)
        # DuckDB's groups come in any order: sorted, so the same view always draws the same figure
        return cells.sort_values(["row", "col"], ignore_index=True)

    def period_counts(self, view: ViewState) -> pd.DataFrame:
        """Events and stated fatalities per (type, country, period of ``view.bin``) of the events matching
        the whole view (brush and map area included): event_type, country_code ("" when none), bin_start,
        events, deaths, stated (how many state a toll). The summary band's one query."""
        sql, params = self._where(view)
        counts = self._df(
            f"SELECT event_type, coalesce(country_code, '') AS country_code, "
            f"CAST(date_trunc('{BIN_SQL[view.bin]}', mid_date) AS DATE) AS bin_start, count(*) AS events, "
            f"sum(coalesce(fatalities, 0)) AS deaths, count(fatalities) AS stated "
            f"FROM events WHERE {sql} GROUP BY ALL", params)
        counts["event_type"] = counts["event_type"].astype(str)
        counts["country_code"] = counts["country_code"].astype(str)
        return counts


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
