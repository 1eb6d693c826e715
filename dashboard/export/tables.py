"""The filtered events as files: CSV (safe to open in spreadsheets) and GeoJSON (RFC 7946).

    events_csv(store.filter(view), store.articles)      # -> bytes
    events_geojson(store.filter(view), store.articles)  # -> bytes, a FeatureCollection of Points
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from dashboard.core.values import plain_value
from dashboard.export.formats import ExportError

# Columns of an export, in order (those the events table has). ``source_titles``/``source_urls`` come
# from the store's articles; in GeoJSON the coordinates are the geometry instead of properties.
EXPORT_COLUMNS = (
    "id", "start_date", "end_date", "time_precision",
    "place", "place_precision", "country_code", "country", "lat", "lon",
    "event_type", "fatalities", "sentence",
    "sources", "n_sources", "source_titles", "source_urls",
    "confidence", "time_basis", "place_basis", "geonameid", "corrected",
)
REQUIRED_COLUMNS = ("id", "start_date", "end_date", "lat", "lon")
NUMBER_COLUMNS = frozenset({"lat", "lon", "fatalities", "n_sources", "confidence", "geonameid"})
# Whole numbers that pandas turns into floats when a value is missing (12 -> 12.0): written back as 12.
INTEGER_COLUMNS = frozenset({"fatalities", "n_sources", "geonameid"})
# A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection");
# tab and carriage return can hide such a start, and East Asian locales also read the full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

Articles = Mapping[str, Mapping[str, Any]]  # article id -> {"title", "outlet", "url", ...}


def events_csv(events: Any, articles: Articles | None = None) -> bytes:
    """The events as CSV: UTF-8 with a byte-order mark (so spreadsheets read Arabic and accents).

    One row per event, columns ``EXPORT_COLUMNS``; lists (sources, their titles and URLs) are joined
    with "; ". ``articles`` (``EventStore.articles``) adds each source's title and URL. Text that a
    spreadsheet would run as a formula is defused with a leading apostrophe; numbers stay numbers
    (a longitude of -3.7 is not text)::

        =HYPERLINK("http://x")  ->  '=HYPERLINK("http://x")
    """
    columns, rows = _export_rows(events, articles)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(columns)
    cells = [[_csv_cell(name, row[name]) for row in rows] for name in columns]  # column by column
    writer.writerows(zip(*cells))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return defuse_formula(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and column in NUMBER_COLUMNS:
        return repr(value)
    if isinstance(value, list):
        return defuse_formula("; ".join(str(item) for item in value))
    return defuse_formula(str(value))


def defuse_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would evaluate.

    >>> defuse_formula("=1+1"), defuse_formula("-2 dead"), defuse_formula("Mosul")
    ("'=1+1", "'-2 dead", 'Mosul')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def events_geojson(events: Any, articles: Articles | None = None) -> bytes:
    """The events as an RFC 7946 GeoJSON FeatureCollection of Points, coordinates in [lon, lat] order.

    Each feature's ``id`` is the event id; its properties are ``EXPORT_COLUMNS`` but the coordinates,
    with dates as ISO strings and sources as lists. An event without valid coordinates keeps its
    feature with ``"geometry": null`` (RFC 7946, 3.2) rather than being dropped::

        {"type": "Feature", "id": "ev-1", "geometry": {"type": "Point", "coordinates": [43.13, 36.34]},
         "properties": {"start_date": "2014-06-10", "place": "Mosul", "sources": ["a1"], ...}}
    """
    columns, rows = _export_rows(events, articles)
    properties = [name for name in columns if name not in ("lat", "lon")]
    features = [{
        "type": "Feature",
        "id": row["id"],
        "geometry": _point(row["lon"], row["lat"]),
        "properties": {name: row[name] for name in properties},
    } for row in rows]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _point(lon: Any, lat: Any) -> dict[str, Any] | None:
    if not isinstance(lon, (int, float)) or not isinstance(lat, (int, float)):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _export_rows(events: Any, articles: Articles | None) -> tuple[list[str], list[dict[str, Any]]]:
    """The export columns the table has, and its rows as plain Python values (None for missing).

    Converted column by column (dates, whole numbers, lists), so a store of 100,000 events exports in
    seconds.
    """
    present = list(getattr(events, "columns", []))
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    if missing:
        raise ExportError(f"the events table has no {', '.join(missing)} column(s); "
                          f"has: {', '.join(sorted(present)) or 'none'}")
    derived = {"source_titles", "source_urls"} if (articles or "provenance" in present) else set()
    columns = [name for name in EXPORT_COLUMNS if name in present or name in derived]
    values = {name: _column_values(events[name], name) for name in columns if name not in derived}
    if derived:
        sources = values.get("sources") or [[] for _ in range(len(events))]
        provenance = events["provenance"].tolist() if "provenance" in present else [None] * len(events)
        details = [_source_details(ids, record, articles or {}) for ids, record in zip(sources, provenance)]
        values["source_titles"] = [titles for titles, _ in details]
        values["source_urls"] = [urls for _, urls in details]
    rows = [dict(zip(columns, row)) for row in zip(*(values[name] for name in columns))]
    return columns, rows


DATE_COLUMNS = frozenset({"start_date", "end_date"})
LIST_COLUMNS = frozenset({"sources"})


def _column_values(series: Any, name: str) -> list[Any]:
    """One column as plain Python values: ISO dates, ints for whole numbers, lists, None for missing."""
    import pandas as pd

    if name in DATE_COLUMNS:
        stamps = pd.to_datetime(series, errors="coerce")
        return stamps.dt.strftime("%Y-%m-%d").astype(object).where(stamps.notna(), None).tolist()
    if name in INTEGER_COLUMNS:
        numbers = pd.to_numeric(series, errors="coerce").astype("Int64")
        return [None if value is pd.NA else int(value) for value in numbers]
    if name in LIST_COLUMNS:
        return [plain_value(value) or [] for value in series]
    values = series.astype(object).where(series.notna(), None).tolist()
    return [value if value is None or isinstance(value, str) else plain_value(value) for value in values]


def _source_details(sources: list[str], provenance: Any, articles: Articles) -> tuple[list[str], list[str]]:
    """Titles and URLs of an event's sources, in source order: from the store's articles, else from
    the event's provenance JSON (records.Provenance as dicts)."""
    from_provenance: dict[str, Mapping[str, Any]] = {}
    if isinstance(provenance, str) and provenance and any(article_id not in articles for article_id in sources):
        try:
            items = json.loads(provenance)
        except ValueError:
            items = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                from_provenance.setdefault(str(item.get("article_id")), item)
    titles: list[str] = []
    urls: list[str] = []
    for article_id in sources:
        article = articles.get(article_id) or from_provenance.get(article_id) or {}
        if article.get("title") and article["title"] not in titles:
            titles.append(article["title"])
        if article.get("url") and article["url"] not in urls:
            urls.append(article["url"])
    return titles, urls
