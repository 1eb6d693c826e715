"""The corrections log: one JSON object per line beside the store, appended, never rewritten.

The log is ``<store>.corrections.jsonl`` next to the store link (``corrections_path``), outside the
store's generations, so no rebuild ever loses it:

    {"id": 3, "at": "2026-11-21T12:03:10+00:00", "kind": "place", "event_id": "5c0e1a...",
     "change": {"place": "Tabqa", "lat": 35.83, "lon": 38.54, ...}, "reason": "the dam, not the town",
     "before": {"place": "Raqqa", ...}, "articles": {"000_a98a...": "<sha256 of the article>"}}
    {"id": 4, "at": "...", "kind": "undo", "undoes": 3, "reason": "wrong dam"}

Kinds: ``place`` (another place: a gazetteer candidate or a typed name), ``point`` (coordinates),
``dates`` (the date interval), ``not_event``, ``merge`` (into another event) and ``split`` (each source
article becomes its own event). Undo appends an ``undo`` record; the correction stays in the log.

Every record is checked when it is made and again when it is read (types, finite numbers on the globe,
ids in range): a line that fails (hand-edited, damaged, torn by a crash) is reported with its number and
skipped, by every reader alike, and never reaches a build.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.core.files import file_lock
from dashboard.records import PLACE_PRECISIONS

KINDS = ("place", "point", "dates", "not_event", "merge", "split")
MAX_REASON_CHARS = 500
MAX_GEONAMEID = 2**31 - 1  # GeoNames ids are positive 32-bit integers
DEFAULT_PLACE_PRECISION = "city"


class CorrectionError(ValueError):
    """A correction that cannot be made, with the reason in words."""


def corrections_path(store: str | Path) -> Path:
    """The log of a store: ``data/store`` -> ``data/store.corrections.jsonl`` (beside the link)."""
    store = Path(store)
    return store.parent / f"{store.name}.corrections.jsonl"


def status_path(store: str | Path) -> Path:
    store = Path(store)
    return store.parent / f"{store.name}.corrections.status.json"


# ---------------------------------------------------------------------------------------------- checking values
def plain_text(value, limit: int) -> str:
    """Text on one line, at most ``limit`` characters; bytes the terminal could not decode become U+FFFD.

    >>> plain_text("  a   headline,\\nnot an event ", 500), plain_text("caf\\udce9", 10)
    ('a headline, not an event', 'caf\\ufffd')
    """
    text = str(value or "").encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())[:limit]


def coordinates(lat, lon) -> tuple[float, float]:
    """(lat, lon) as finite floats on the globe, else ValueError (numbers or numeric strings only)."""
    if any(isinstance(v, bool) or not isinstance(v, (int, float, str)) for v in (lat, lon)):
        raise ValueError("coordinates must be numbers")
    lat, lon = float(lat), float(lon)
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"point {lat},{lon} is off the globe")
    return lat, lon


def place_change(change: dict) -> dict:
    """A place change in the store's types, whatever the log or the browser sent: raises ValueError
    for what cannot be a place, so that a bad record can never break a build.

    >>> change = place_change({"place": " Tabqa ", "lat": "35.83", "lon": 38.54, "geonameid": "163345"})
    >>> change["place"], change["lat"], change["geonameid"], change["place_precision"]
    ('Tabqa', 35.83, 163345, 'city')
    >>> place_change({"place": "Tabqa", "lat": 35.8, "lon": 38.5, "geonameid": 1e30})
    Traceback (most recent call last):
    ValueError: geonameid 1e+30 is not a GeoNames id (a whole number from 1 to 2147483647)
    """
    if not isinstance(change, dict) or not isinstance(change.get("place"), str):
        raise ValueError("a place needs a name")
    name = plain_text(change["place"], 200)
    lat, lon = coordinates(change.get("lat"), change.get("lon"))
    if not name:
        raise ValueError("a place needs a name")
    country = str(change.get("country_code") or "").upper()
    precision = str(change.get("place_precision") or "")
    return {"place": name, "lat": lat, "lon": lon,
            "country_code": country if re.fullmatch(r"[A-Z]{2}", country) else "",
            "feature": re.sub(r"[^a-z0-9_:\-]", "", str(change.get("feature") or "").lower())[:40],
            "geonameid": _geonameid(change.get("geonameid")),
            "place_precision": precision if precision in PLACE_PRECISIONS else DEFAULT_PLACE_PRECISION}


def _geonameid(value) -> int | None:
    if value in (None, ""):
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 1 <= number <= MAX_GEONAMEID:
        raise ValueError(f"geonameid {value!r} is not a GeoNames id (a whole number from 1 to {MAX_GEONAMEID})")
    return number


def checked_change(kind: str, change) -> dict:
    """The change of one record in the store's types, or ValueError (see ``place_change``)."""
    if not isinstance(change, dict):
        raise ValueError("its change is not an object")
    if kind == "place":
        return place_change(change)
    if kind == "point":
        lat, lon = coordinates(change.get("lat"), change.get("lon"))
        return {"lat": lat, "lon": lon}
    if kind == "dates":
        if not all(isinstance(change.get(k), str) for k in ("start_date", "end_date")):
            raise ValueError("dates must be YYYY-MM-DD text")
        start, end = (dt.date.fromisoformat(change[k]) for k in ("start_date", "end_date"))
        return {"start_date": start.isoformat(), "end_date": end.isoformat()}  # the order is checked on applying
    if kind == "merge":
        if not isinstance(change.get("into"), str) or not change["into"].strip():
            raise ValueError("a merge needs the id of the event to merge into")
        return {"into": change["into"].strip()}
    return {}


# ---------------------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Correction:
    """One line of the log."""

    id: int
    at: str
    kind: str  # one of KINDS, or "undo"
    event_id: str = ""
    change: dict = field(default_factory=dict)
    reason: str = ""
    before: dict = field(default_factory=dict)  # the event's fields before, for showing what changed
    articles: dict = field(default_factory=dict)  # source article id -> content hash when corrected
    undoes: int | None = None

    def to_json(self) -> dict:
        out = {"id": self.id, "at": self.at, "kind": self.kind}
        if self.kind == "undo":
            out["undoes"] = self.undoes
        else:
            out.update(event_id=self.event_id, change=self.change, before=self.before, articles=self.articles)
        out["reason"] = self.reason
        return out

    @classmethod
    def from_json(cls, d) -> "Correction":
        """A record read back, every field checked; ValueError says what is wrong with it."""
        if not isinstance(d, dict) or not _is_id(d.get("id")) or d.get("kind") not in (*KINDS, "undo"):
            raise ValueError("not a correction record")
        kind = d["kind"]
        if kind == "undo" and not _is_id(d.get("undoes")):
            raise ValueError("an undo without the correction it undoes")
        if kind != "undo" and (not isinstance(d.get("event_id"), str) or not d["event_id"]):
            raise ValueError("a correction without an event id")
        before, articles = d.get("before") or {}, d.get("articles") or {}
        if not isinstance(before, dict) or not isinstance(articles, dict):
            raise ValueError("its before/articles are not objects")
        return cls(id=d["id"], at=plain_text(d.get("at"), 40), kind=kind,
                   event_id=d.get("event_id") or "" if kind != "undo" else "",
                   change={} if kind == "undo" else checked_change(kind, d.get("change") or {}),
                   reason=plain_text(d.get("reason"), MAX_REASON_CHARS), before=_shown_before(before),
                   articles={str(k): str(v) for k, v in articles.items()},
                   undoes=d.get("undoes") if kind == "undo" else None)

    def describe(self) -> str:
        """What the correction does, in a line: 'place -> Tabqa (35.8300, 38.5400), was Raqqa'."""
        c, b = self.change, self.before
        if self.kind == "place":
            was = f", was {b['place']}" if b.get("place") else ""
            return f"place -> {c.get('place')} ({c.get('lat'):.4f}, {c.get('lon'):.4f}){was}"
        if self.kind == "point":
            was = f", was {b['lat']:.4f}, {b['lon']:.4f}" if isinstance(b.get("lat"), float) \
                and isinstance(b.get("lon"), float) else ""
            return f"point -> {c.get('lat'):.4f}, {c.get('lon'):.4f}{was}"
        if self.kind == "dates":
            was = f", was {b['start_date']}..{b['end_date']}" if b.get("start_date") else ""
            return f"dates -> {c.get('start_date')}..{c.get('end_date')}{was}"
        if self.kind == "merge":
            return f"merged into {c.get('into')}"
        if self.kind == "split":
            return "split into one event per source"
        if self.kind == "not_event":
            return "marked as not an event"
        return f"undo #{self.undoes}"


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2**53


def _shown_before(before: dict) -> dict:
    """The 'before' fields kept for showing only: text, finite floats and lists of text."""
    out = {}
    for key, value in before.items():
        if isinstance(value, float) and math.isfinite(value) or isinstance(value, str):
            out[str(key)] = value
        elif isinstance(value, list):
            out[str(key)] = [str(v) for v in value]
    return out


# ---------------------------------------------------------------------------------------------- the log
class CorrectionLog:
    """The append-only log file. Appends hold an exclusive lock and are fsynced, so two writers (the app
    and the CLI) never interleave and a crash loses at most the line being written; an append after a
    torn last line starts on a line of its own; a damaged line is reported by ``read`` and skipped."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return file_lock(self.path.parent / f".{self.path.name}.lock")

    def read(self) -> tuple[list[Correction], list[str]]:
        """Every readable record in order, and a message per line that could not be read."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return [], []
        except OSError as err:
            return [], [f"{self.path}: not readable ({err.strerror or err})"]
        records: list[Correction] = []
        problems: list[str] = []
        seen: set[int] = set()
        for number, raw in enumerate(data.split(b"\n"), 1):
            if not raw.strip():
                continue
            try:
                record = Correction.from_json(json.loads(raw.decode("utf-8")))
            except (ValueError, TypeError, OverflowError) as err:  # UnicodeDecodeError and JSON errors too
                problems.append(f"{self.path} line {number}: skipped, {str(err).splitlines()[0][:200]}")
                continue
            if record.id in seen:
                problems.append(f"{self.path} line {number}: skipped, correction #{record.id} appears twice")
                continue
            seen.add(record.id)
            records.append(record)
        return records, problems

    def records(self) -> list[Correction]:
        return self.read()[0]

    def _append(self, make) -> Correction:
        with self._locked():
            records = self.records()
            record = make(max((r.id for r in records), default=0) + 1, records)
            line = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"
            with open(self.path, "ab") as handle:
                torn = handle.tell() > 0 and not _ends_with_newline(self.path)
                handle.write((("\n" if torn else "") + line).encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        return record

    def append(self, kind: str, event_id: str, change: dict | None = None, *, reason: str = "",
               before: dict | None = None, articles: dict | None = None) -> Correction:
        if kind not in KINDS:
            raise CorrectionError(f"unknown correction kind {kind!r} (one of {', '.join(KINDS)})")
        try:
            change = checked_change(kind, dict(change or {}))
        except (TypeError, ValueError) as err:
            raise CorrectionError(f"that is not a {kind} correction ({err})") from None
        return self._append(lambda next_id, _records: Correction(
            id=next_id, at=_now(), kind=kind, event_id=plain_text(event_id, 200), change=change,
            reason=plain_text(reason, MAX_REASON_CHARS), before=_shown_before(dict(before or {})),
            articles=dict(articles or {})))

    def undo(self, correction_id: int, reason: str = "") -> Correction:
        """Append an undo of correction ``correction_id``; an unknown or already undone one is an error."""
        def make(next_id: int, records: list[Correction]) -> Correction:
            target = next((r for r in records if r.id == correction_id), None)
            if target is None:
                raise CorrectionError(f"there is no correction #{correction_id}")
            if target.kind == "undo":
                raise CorrectionError(f"#{correction_id} is itself an undo; make the correction again instead")
            if correction_id in undone_ids(records):
                raise CorrectionError(f"correction #{correction_id} is already undone")
            return Correction(id=next_id, at=_now(), kind="undo", undoes=correction_id,
                              reason=plain_text(reason, MAX_REASON_CHARS))
        return self._append(make)

    def active(self) -> list[Correction]:
        """The corrections in force: every non-undo record that no undo names, in log order."""
        records = self.records()
        undone = undone_ids(records)
        return [r for r in records if r.kind != "undo" and r.id not in undone]


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def undone_ids(records: list[Correction]) -> set[int]:
    return {r.undoes for r in records if r.kind == "undo" and r.undoes is not None}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
