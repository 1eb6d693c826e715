"""The on-disk layout of the events store: one definition that the writer (store.py), the query layer
(query.py), the benchmarks' synthetic generator and the exporter all share.

A store is a directory:

    <store>/manifest.json            what was built, when, from which corpus, with which pipeline version
    <store>/events/part-*.parquet    one row per event (EVENTS_SCHEMA); several parts for large stores
    <store>/articles.parquet         one row per article (ARTICLES_SCHEMA), with its status and error
    <store>/cache/                   per-article extraction results, for incremental rebuilds

Queries read ``<store>/events/*.parquet`` through DuckDB, so a store larger than memory still serves
aggregated views.
"""
from __future__ import annotations

import pyarrow as pa

EVENTS_DIR = "events"
ARTICLES_FILE = "articles.parquet"
MANIFEST_FILE = "manifest.json"
CACHE_DIR = "cache"

EVENTS_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("start_date", pa.date32()),
    ("end_date", pa.date32()),
    ("time_precision", pa.string()),   # day | week | month | season | quarter | half | year | decade | range
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("place", pa.string()),
    ("place_precision", pa.string()),  # point | city | admin | region | country
    ("country_code", pa.string()),     # ISO 3166-1 alpha-2, "" when none (seas, regions across borders)
    ("event_type", pa.string()),       # see dashboard/pipeline/taxonomy.py
    ("fatalities", pa.int32()),        # null when not stated
    ("sentence", pa.string()),
    ("start", pa.int64()),             # sentence offsets in the first source article
    ("end", pa.int64()),
    ("sources", pa.list_(pa.string())),  # article ids
    ("n_sources", pa.int32()),
    ("confidence", pa.float64()),
    ("time_basis", pa.string()),       # stated | narrative | published
    ("place_basis", pa.string()),      # stated | dateline | focus
    ("geonameid", pa.int64()),
    ("feature", pa.string()),
    ("provenance", pa.string()),       # JSON list of records.Provenance as dicts (mentions included)
    ("corrected", pa.bool_()),         # a user's correction was applied to this event
])

ARTICLES_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("title", pa.string()),
    ("outlet", pa.string()),
    ("url", pa.string()),
    ("published_start", pa.date32()),
    ("published_end", pa.date32()),
    ("published_precision", pa.string()),
    ("published_source", pa.string()),  # metadata | text | none
    ("path", pa.string()),
    ("content_hash", pa.string()),
    ("n_events", pa.int32()),
    ("status", pa.string()),            # ok | skipped
    ("error", pa.string()),             # why it was skipped, naming the problem
])
