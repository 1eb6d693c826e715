"""Making a correction: checked against one snapshot of the store, then appended to the log.

    >>> # store = Snapshot.of("data/store")
    >>> # correct_event(store, "5c0e1a...", "dates", {"start_date": "2017-06-06", "end_date": "2017-10-17"})
    >>> # rebuild("data/store", folders)     # the next build applies it (editing.apply.CorrectionHook)

``change`` by kind: place {"place", "lat", "lon", "country_code", "feature", "geonameid",
"place_precision"}; point {"lat", "lon"}; dates {"start_date", "end_date"} (ISO); merge {"into"};
not_event and split: {}.
"""
from __future__ import annotations

import datetime as dt
import json

from dashboard.editing.correction_log import (KINDS, Correction, CorrectionError, CorrectionLog, coordinates,
                                              corrections_path)
from dashboard.store.generations import Snapshot


def find_event(store: Snapshot, event_id: str) -> dict | None:
    """One event row of the snapshot (provenance decoded), or None."""
    if not isinstance(event_id, str) or not event_id:
        return None
    row = store.event_row(event_id)
    if row is not None:
        row["provenance"] = json.loads(row.get("provenance") or "[]")
    return row


def article_hashes(store: Snapshot, article_ids) -> dict[str, str]:
    wanted = set(article_ids)
    return {r["id"]: r.get("content_hash") or "" for r in store.articles() if r["id"] in wanted}


def parse_point(text: str) -> tuple[float, float]:
    """'36.34,43.13' -> (36.34, 43.13); a latitude outside -90..90 or longitude outside -180..180 is refused.

    >>> parse_point(" 36.34, 43.13 ")
    (36.34, 43.13)
    """
    try:
        lat_text, lon_text = str(text).replace(" ", "").split(",")
        float(lat_text), float(lon_text)
    except ValueError:
        raise CorrectionError(f"point {text!r} is not LAT,LON (e.g. 36.34,43.13)") from None
    try:
        return coordinates(lat_text, lon_text)
    except ValueError:
        raise CorrectionError(f"point {text!r} is off the globe (latitude -90..90, longitude -180..180)") from None


def parse_interval(text: str) -> tuple[dt.date, dt.date]:
    """'2017-06-06..2017-10-17' (or one day '2017-06-06') -> (start, end), start <= end."""
    parts = str(text).strip().split("..")
    try:
        if len(parts) == 1:
            start = end = dt.date.fromisoformat(parts[0].strip())
        elif len(parts) == 2:
            start, end = dt.date.fromisoformat(parts[0].strip()), dt.date.fromisoformat(parts[1].strip())
        else:
            raise ValueError
    except ValueError:
        raise CorrectionError(f"dates {text!r} are not START..END as YYYY-MM-DD..YYYY-MM-DD") from None
    if start > end:
        raise CorrectionError(f"dates {text!r}: the start is after the end")
    return start, end


def correct_event(store: Snapshot, event_id: str, kind: str, change: dict | None = None,
                  reason: str = "") -> Correction:
    """Check a correction against the snapshot and append it to the store's log (the next build applies it)."""
    event = find_event(store, event_id)
    if event is None:
        raise CorrectionError(f"there is no event {event_id!r} in {store.store}")
    change = dict(change or {})
    if kind == "place":
        if not str(change.get("place") or "").strip():
            raise CorrectionError("a place correction needs the place's name")
        parse_point(f"{change.get('lat')},{change.get('lon')}")
    elif kind == "point":
        change = dict(zip(("lat", "lon"), parse_point(f"{change.get('lat')},{change.get('lon')}")))
    elif kind == "dates":
        start, end = parse_interval(f"{change.get('start_date')}..{change.get('end_date')}")
        change = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    elif kind == "merge":
        into = str(change.get("into") or "").strip()
        if into == event_id:
            raise CorrectionError("an event cannot be merged into itself")
        if find_event(store, into) is None:
            raise CorrectionError(f"there is no event {into!r} to merge into")
        change = {"into": into}
    elif kind == "split":
        if len(set(event.get("sources") or [])) < 2:
            raise CorrectionError(f"event {event_id} has one source; there is nothing to split")
        change = {}
    elif kind == "not_event":
        change = {}
    else:
        raise CorrectionError(f"unknown correction kind {kind!r} (one of {', '.join(KINDS)})")
    before = {k: _jsonable(event.get(k)) for k in ("place", "lat", "lon", "start_date", "end_date",
                                                   "time_precision", "place_precision", "sources")}
    log = CorrectionLog(corrections_path(store.store))
    return log.append(kind, event_id, change, reason=reason, before=before,
                      articles=article_hashes(store, event.get("sources") or []))


def _jsonable(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
