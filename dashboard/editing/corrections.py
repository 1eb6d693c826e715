"""A user's corrections to events: an append-only log beside the store, re-applied after every build.

The log is ``<store>.corrections.jsonl`` next to the store link (``corrections_path``), outside the
store's generations, so no rebuild ever loses it. One JSON object per line, never rewritten:

    {"id": 3, "at": "2026-11-21T12:03:10+00:00", "kind": "place", "event_id": "5c0e1a...",
     "change": {"place": "Tabqa", "lat": 35.83, "lon": 38.54, ...}, "reason": "the dam, not the town",
     "before": {"place": "Raqqa", ...}, "articles": {"000_a98a...": "<sha256 of the article>"}}
    {"id": 4, "at": "...", "kind": "undo", "undoes": 3, "reason": "wrong dam"}

Kinds: ``place`` (another place: a gazetteer candidate or a typed name), ``point`` (coordinates),
``dates`` (the date interval), ``not_event``, ``merge`` (into another event) and ``split`` (each source
article becomes its own event). Undo appends an ``undo`` record; the correction stays in the log.

Every build calls a ``CorrectionHook`` on the merged events: the active corrections are applied in log
order by event id (ids are content hashes, stable across rebuilds of unchanged articles), and what
happened to each one (applied, or its event is gone) is written to ``<store>.corrections.status.json``.
``review`` joins the log, that status and the store's articles: a correction whose article's text changed
since it was made is flagged, one whose event no longer exists is reported, never silently dropped.

>>> # log = CorrectionLog(corrections_path("data/store"))
>>> # correct_event("data/store", "5c0e1a...", "dates", {"start_date": "2017-06-06", "end_date": "2017-10-17"})
>>> # build_store(corpus, "data/store", corrections=CorrectionHook("data/store"))
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from dashboard.core.files import atomic_write, file_lock
from dashboard.records import Event, Provenance

KINDS = ("place", "point", "dates", "not_event", "merge", "split")
KIND_LABELS = {"place": "place changed", "point": "point moved", "dates": "dates changed",
               "not_event": "not an event", "merge": "merged", "split": "split", "undo": "undo"}
SUPERSEDED = "superseded"  # an outcome: an earlier correction removed the event (merged it, or not an event)
CORRECTED_BASIS = "corrected"  # time_basis / place_basis of a corrected date or place
MAX_REASON_CHARS = 500
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
    def from_json(cls, d: dict) -> "Correction":
        if not isinstance(d, dict) or not isinstance(d.get("id"), int) or d.get("kind") not in (*KINDS, "undo"):
            raise ValueError("not a correction record")
        if d["kind"] == "undo" and not isinstance(d.get("undoes"), int):
            raise ValueError("an undo without the correction it undoes")
        if d["kind"] != "undo" and not isinstance(d.get("event_id"), str):
            raise ValueError("a correction without an event id")
        return cls(id=d["id"], at=str(d.get("at") or ""), kind=d["kind"], event_id=d.get("event_id") or "",
                   change=dict(d.get("change") or {}), reason=str(d.get("reason") or ""),
                   before=dict(d.get("before") or {}), articles=dict(d.get("articles") or {}),
                   undoes=d.get("undoes"))

    def describe(self) -> str:
        """What the correction does, in a line: 'place -> Tabqa (35.8300, 38.5400), was Raqqa'."""
        c, b = self.change, self.before
        if self.kind == "place":
            was = f", was {b['place']}" if b.get("place") else ""
            return f"place -> {c.get('place')} ({c.get('lat'):.4f}, {c.get('lon'):.4f}){was}"
        if self.kind == "point":
            was = f", was {b['lat']:.4f}, {b['lon']:.4f}" if isinstance(b.get("lat"), float) else ""
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


# ---------------------------------------------------------------------------------------------- the log
class CorrectionLog:
    """The append-only log file. Appends hold an exclusive lock and are fsynced, so two writers (the app
    and the CLI) never interleave and a crash loses at most the line being written; a damaged line is
    reported by ``read`` and skipped, never fatal."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return file_lock(self.path.parent / f".{self.path.name}.lock")

    def read(self) -> tuple[list[Correction], list[str]]:
        """Every record in order, and a message per line that could not be read."""
        records: list[Correction] = []
        problems: list[str] = []
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return [], []
        except (OSError, UnicodeDecodeError) as err:
            return [], [f"{self.path}: not readable ({err})"]
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                records.append(Correction.from_json(json.loads(line)))
            except ValueError as err:
                problems.append(f"{self.path} line {number}: skipped, {err}")
        return records, problems

    def records(self) -> list[Correction]:
        return self.read()[0]

    def _append(self, make) -> Correction:
        with self._locked():
            records = self.records()
            record = make(max((r.id for r in records), default=0) + 1, records)
            line = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        return record

    def append(self, kind: str, event_id: str, change: dict | None = None, *, reason: str = "",
               before: dict | None = None, articles: dict | None = None) -> Correction:
        if kind not in KINDS:
            raise CorrectionError(f"unknown correction kind {kind!r} (one of {', '.join(KINDS)})")
        return self._append(lambda next_id, _records: Correction(
            id=next_id, at=_now(), kind=kind, event_id=event_id, change=dict(change or {}),
            reason=_clean_reason(reason), before=dict(before or {}), articles=dict(articles or {})))

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
            return Correction(id=next_id, at=_now(), kind="undo", undoes=correction_id, reason=_clean_reason(reason))
        return self._append(make)

    def active(self) -> list[Correction]:
        """The corrections in force: every non-undo record that no undo names, in log order."""
        records = self.records()
        undone = undone_ids(records)
        return [r for r in records if r.kind != "undo" and r.id not in undone]


def undone_ids(records: list[Correction]) -> set[int]:
    return {r.undoes for r in records if r.kind == "undo" and r.undoes is not None}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _clean_reason(reason: str | None) -> str:
    text = " ".join(str(reason or "").split())
    return text[:MAX_REASON_CHARS]


# ---------------------------------------------------------------------------------------------- applying
@dataclass
class Applied:
    """Events after the corrections, the ids of corrected events, and each correction's outcome."""

    events: list[Event]
    corrected_ids: set[str]
    outcomes: dict[int, str]  # correction id -> "applied" or the reason it could not be


def apply_corrections(events: list[Event], corrections: list[Correction]) -> Applied:
    """Apply ``corrections`` (active ones, in log order) to the merged events of a build.

    An event is found by id; a merge needs both ids, a split gives each source article its own event
    (the first keeps the id; the others get ids made from it and the article id, stable across builds):

    >>> # apply_corrections(events, log.active()).outcomes  ->  {1: "applied", 2: "event ... no longer exists"}
    """
    by_id: dict[str, Event] = {}
    order: list[str] = []
    for e in events:
        if e.id not in by_id:
            order.append(e.id)
        by_id[e.id] = e
    corrected: set[str] = set()
    outcomes: dict[int, str] = {}
    removed_by: dict[str, str] = {}  # event id -> what an earlier correction did to it

    def gone(event_id: str, role: str = "event") -> str:
        if event_id in removed_by:
            return f"{SUPERSEDED}: {role} {event_id} was {removed_by[event_id]}"
        return f"{role} {event_id} no longer exists (its article changed or was removed)"

    for c in corrections:
        event = by_id.get(c.event_id)
        if event is None:
            outcomes[c.id] = gone(c.event_id)
            continue
        try:
            if c.kind == "not_event":
                del by_id[c.event_id]
                removed_by[c.event_id] = f"marked as not an event by #{c.id}"
            elif c.kind == "merge":
                into = by_id.get(str(c.change.get("into")))
                if into is None:
                    outcomes[c.id] = gone(str(c.change.get("into")), "the event to merge into,")
                    continue
                if into.id == event.id:
                    outcomes[c.id] = "an event cannot be merged into itself"
                    continue
                by_id[into.id] = merge_into(event, into)
                del by_id[event.id]
                removed_by[event.id] = f"merged into {into.id} by #{c.id}"
                corrected.add(into.id)
            elif c.kind == "split":
                pieces = split_event(event)
                if len(pieces) == 1:
                    outcomes[c.id] = "nothing to split: the event has one source"
                    continue
                by_id[event.id] = pieces[0]
                for piece in pieces[1:]:
                    if piece.id not in by_id:
                        order.append(piece.id)
                    by_id[piece.id] = piece
                    corrected.add(piece.id)
                corrected.add(event.id)
            else:
                by_id[event.id] = changed_event(event, c.kind, c.change)
                corrected.add(event.id)
        except (KeyError, TypeError, ValueError) as err:  # a hand-edited or damaged record
            outcomes[c.id] = f"could not be applied ({type(err).__name__}: {err})"
            continue
        outcomes[c.id] = "applied"
    kept = [by_id[i] for i in order if i in by_id]
    kept.sort(key=lambda e: (e.start_date, e.id))
    return Applied(kept, corrected & set(by_id), outcomes)


def place_change(change: dict) -> dict:
    """A place change in the store's types, whatever the log or the browser sent: raises ValueError
    (or TypeError) for what cannot be a place, so that a bad record can never break a build.

    >>> change = place_change({"place": " Tabqa ", "lat": "35.83", "lon": 38.54, "geonameid": "163345"})
    >>> change["place"], change["lat"], change["geonameid"], change["place_precision"]
    ('Tabqa', 35.83, 163345, 'city')
    """
    from dashboard.records import PLACE_PRECISIONS

    name = " ".join(str(change["place"]).split())[:200]
    lat, lon = float(change["lat"]), float(change["lon"])
    if not name or not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("a place needs a name and coordinates on the globe")
    country = str(change.get("country_code") or "").upper()
    geonameid = change.get("geonameid")
    precision = str(change.get("place_precision") or "")
    return {"place": name, "lat": lat, "lon": lon,
            "country_code": country if re.fullmatch(r"[A-Z]{2}", country) else "",
            "feature": re.sub(r"[^a-z0-9_:\-]", "", str(change.get("feature") or "").lower())[:40],
            "geonameid": int(geonameid) if geonameid not in (None, "") else None,
            "place_precision": precision if precision in PLACE_PRECISIONS else DEFAULT_PLACE_PRECISION}


def changed_event(event: Event, kind: str, change: dict) -> Event:
    """The event with one place, point or dates correction applied."""
    if kind == "place":
        place = place_change(change)
        return replace(event, place=place["place"], lat=place["lat"], lon=place["lon"],
                       country_code=place["country_code"], place_precision=place["place_precision"],
                       feature=place["feature"], geonameid=place["geonameid"], place_basis=CORRECTED_BASIS)
    if kind == "point":
        lat, lon = float(change["lat"]), float(change["lon"])
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"point {lat},{lon} is off the globe")
        return replace(event, lat=lat, lon=lon, place_precision="point", place_basis=CORRECTED_BASIS)
    if kind == "dates":
        start, end = dt.date.fromisoformat(change["start_date"]), dt.date.fromisoformat(change["end_date"])
        if start > end:
            raise ValueError(f"the start {start} is after the end {end}")
        return replace(event, start_date=start, end_date=end, time_precision=interval_precision(start, end),
                       time_basis=CORRECTED_BASIS)
    raise ValueError(f"{kind} is not a change of one event")


def merge_into(event: Event, into: Event) -> Event:
    """``into`` with ``event``'s sources and source sentences added (each article and sentence once)."""
    sources = tuple(dict.fromkeys((*into.sources, *event.sources)))
    seen = {(p.article_id, p.start, p.end) for p in into.provenance}
    provenance = list(into.provenance)
    for p in event.provenance:
        if (p.article_id, p.start, p.end) not in seen:
            seen.add((p.article_id, p.start, p.end))
            provenance.append(p)
    fatalities = into.fatalities if into.fatalities is not None else event.fatalities
    return replace(into, sources=sources, provenance=tuple(provenance), fatalities=fatalities)


def split_event(event: Event) -> list[Event]:
    """One event per source article, each with that article's sentence; the first keeps the id.

    >>> # split_event(merged_of_a1_a2) -> [Event(id=merged.id, sources=("a1",)), Event(id=<hash>, sources=("a2",))]
    """
    by_article: dict[str, list[Provenance]] = {}
    for p in event.provenance:
        by_article.setdefault(p.article_id, []).append(p)
    articles = [a for a in event.sources if a in by_article] + [a for a in by_article if a not in event.sources]
    if len(articles) <= 1:
        return [event]
    pieces = []
    for number, article_id in enumerate(articles):
        records = tuple(by_article[article_id])
        first = records[0]
        piece_id = event.id if number == 0 else split_id(event.id, article_id)
        pieces.append(replace(event, id=piece_id, sources=(article_id,), provenance=records, sentence=first.sentence,
                              start=first.start, end=first.end))
    return pieces


def split_id(event_id: str, article_id: str) -> str:
    return hashlib.sha1(f"{event_id}|split|{article_id}".encode("utf-8")).hexdigest()[:16]


def interval_precision(start: dt.date, end: dt.date) -> str:
    """The granularity a corrected interval names: a day, a whole month, a whole year, or a range.

    >>> interval_precision(dt.date(2017, 6, 1), dt.date(2017, 6, 30))
    'month'
    >>> interval_precision(dt.date(2017, 6, 6), dt.date(2017, 10, 17))
    'range'
    """
    if start == end:
        return "day"
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and start.month == end.month and start.year == end.year and next_day.day == 1:
        return "month"
    if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31) and start.year == end.year:
        return "year"
    return "range"


class CorrectionHook:
    """The ``corrections`` callable for ``build_store``: applies the store's log to the merged events and
    records each correction's outcome beside the store (read by ``review``)."""

    def __init__(self, store: str | Path):
        self.store = Path(store)
        self.log = CorrectionLog(corrections_path(self.store))
        self.outcomes: dict[int, str] = {}

    def __call__(self, events: list[Event]) -> tuple[list[Event], set[str]]:
        applied = apply_corrections(events, self.log.active())
        self.outcomes = applied.outcomes
        _write_json_atomically(status_path(self.store), {
            "applied_at": _now(), "n_events": len(applied.events),
            "digest": _digest([(e.id, e.id in applied.corrected_ids) for e in applied.events]),
            "outcomes": {str(k): v for k, v in applied.outcomes.items()}})
        return applied.events, applied.corrected_ids


def _write_json_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as out:
        json.dump(data, out, ensure_ascii=False, indent=1)


# ---------------------------------------------------------------------------------------------- making one
def find_event(store: str | Path, event_id: str) -> dict | None:
    """One event row of the current store (provenance decoded), or None."""
    import pyarrow.dataset as ds

    from dashboard.store.schema import EVENTS_DIR
    from dashboard.store.generations import current_generation

    gen = current_generation(store)
    if gen is None:
        return None
    files = sorted((gen / EVENTS_DIR).glob("*.parquet"))
    if not files:
        return None
    rows = ds.dataset([str(f) for f in files], format="parquet").to_table(
        filter=ds.field("id") == event_id).to_pylist()
    if not rows:
        return None
    row = rows[0]
    row["provenance"] = json.loads(row.get("provenance") or "[]")
    return row


def article_hashes(store: str | Path, article_ids) -> dict[str, str]:
    from dashboard.store.generations import read_articles

    wanted = set(article_ids)
    return {r["id"]: r.get("content_hash") or "" for r in read_articles(store) if r["id"] in wanted}


def parse_point(text: str) -> tuple[float, float]:
    """'36.34,43.13' -> (36.34, 43.13); a latitude outside -90..90 or longitude outside -180..180 is refused."""
    try:
        lat_text, lon_text = str(text).replace(" ", "").split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise CorrectionError(f"point {text!r} is not LAT,LON (e.g. 36.34,43.13)") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError(f"point {text!r} is off the globe (latitude -90..90, longitude -180..180)")
    return lat, lon


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


def correct_event(store: str | Path, event_id: str, kind: str, change: dict | None = None,
                  reason: str = "") -> Correction:
    """Check a correction against the current store and append it to the log (the next build applies it).

    ``change`` by kind: place {"place", "lat", "lon", "country_code", "feature", "geonameid",
    "place_precision"}; point {"lat", "lon"}; dates {"start_date", "end_date"} (ISO); merge {"into"};
    not_event and split: {}.
    """
    event = find_event(store, event_id)
    if event is None:
        raise CorrectionError(f"there is no event {event_id!r} in {store}")
    change = dict(change or {})
    if kind == "place":
        if not str(change.get("place") or "").strip():
            raise CorrectionError("a place correction needs the place's name")
        parse_point(f"{change.get('lat')},{change.get('lon')}")
        try:
            change = place_change(change)
        except (KeyError, TypeError, ValueError) as err:
            raise CorrectionError(f"that is not a place ({err})") from None
    elif kind == "point":
        change["lat"], change["lon"] = parse_point(f"{change.get('lat')},{change.get('lon')}")
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
    log = CorrectionLog(corrections_path(store))
    return log.append(kind, event_id, change, reason=reason, before=before,
                      articles=article_hashes(store, event.get("sources") or []))


def _jsonable(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


# ---------------------------------------------------------------------------------------------- reviewing
@dataclass(frozen=True)
class Review:
    """A correction as the user sees it in ``corrections list`` and the panel."""

    correction: Correction
    state: str  # applied | pending | undone | missing | failed
    detail: str = ""
    article_changed: tuple[str, ...] = ()  # source articles whose text changed since the correction

    def line(self) -> str:
        c = self.correction
        flag = f" [article changed since: {', '.join(self.article_changed)}]" if self.article_changed else ""
        detail = f" ({self.detail})" if self.detail and self.state != "applied" else ""
        reason = f" -- {c.reason}" if c.reason else ""
        return f"#{c.id} {c.at} {c.event_id} {c.describe()}: {self.state}{detail}{flag}{reason}"


def review(store: str | Path, *, event_id: str | None = None,
           check_store: bool = True) -> tuple[list[Review], list[str]]:
    """Every correction (undo records excluded) with its state after the last build, and log problems.

    States: ``applied``; ``pending`` (made after the last build, or the store was rebuilt since without
    the corrections); ``undone``; ``superseded`` (an earlier correction merged its event away or marked
    it not an event); ``missing`` (its event no longer exists after a rebuild: reported here,
    never dropped silently); ``failed`` (the change could not be applied). ``article_changed`` names
    source articles whose content hash differs now. ``event_id`` keeps the corrections naming that event
    (as the event or the merge target); ``check_store=False`` skips reading the store's event ids.
    """
    records, problems = CorrectionLog(corrections_path(store)).read()
    undone = undone_ids(records)
    records = [c for c in records if c.kind != "undo"]
    if event_id is not None:
        records = [c for c in records if event_id in (c.event_id, c.change.get("into"))]
    if not records:
        return [], problems
    try:
        status = json.loads(status_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        status = {}
    outcomes = status.get("outcomes") or {}
    stale = check_store and bool(status) and status.get("digest") != _store_digest(store)
    from dashboard.store.generations import read_articles

    hashes = {r["id"]: r.get("content_hash") or "" for r in read_articles(store)}
    out = []
    for c in records:
        changed = tuple(a for a, h in c.articles.items() if hashes.get(a) != h)
        outcome = outcomes.get(str(c.id))
        if c.id in undone:
            state, detail = "undone", ""
        elif outcome is None:
            state, detail = "pending", "not yet applied by a build"
        elif stale and outcome == "applied":
            state, detail = "pending", "the store was rebuilt without the corrections since; rebuild to apply them"
        elif outcome == "applied":
            state, detail = "applied", ""
        elif outcome.startswith(SUPERSEDED):
            state, detail = SUPERSEDED, outcome.split(": ", 1)[-1]
        elif "no longer exists" in outcome:
            state, detail = "missing", outcome
        else:
            state, detail = "failed", outcome
        out.append(Review(c, state, detail, changed))
    return out, problems


def _digest(events: list[tuple[str, bool]]) -> str:
    """A fingerprint of a store's events and their corrected flags (what the hook produced)."""
    digest = hashlib.sha256()
    for event_id, corrected in sorted(events):
        digest.update(f"{event_id}:{int(bool(corrected))}\n".encode("utf-8"))
    return digest.hexdigest()[:32]


def _store_digest(store: str | Path) -> str | None:
    import pyarrow.dataset as ds

    from dashboard.store.schema import EVENTS_DIR
    from dashboard.store.generations import current_generation

    gen = current_generation(store)
    files = sorted((gen / EVENTS_DIR).glob("*.parquet")) if gen else []
    if not files:
        return None
    table = ds.dataset([str(f) for f in files], format="parquet").to_table(columns=["id", "corrected"])
    return _digest(list(zip(table.column("id").to_pylist(), table.column("corrected").to_pylist())))


def unapplied(store: str | Path) -> list[Review]:
    """Corrections in force that the last build could not apply (their event is gone, or they failed)."""
    reviews, _ = review(store, check_store=False)
    return [r for r in reviews if r.state in ("missing", "failed")]


def corrections_for_event(store: str | Path, event_id: str) -> list[Review]:
    """The corrections in force that name ``event_id`` (as the event, or as the merge target)."""
    reviews, _ = review(store, event_id=event_id, check_store=False)
    return [r for r in reviews if r.state != "undone"]


# ---------------------------------------------------------------------------------------------- places
@dataclass(frozen=True)
class RankedPlace:
    """A gazetteer candidate for a correction, with its distance from the event's current point."""

    name: str
    lat: float
    lon: float
    country_code: str
    feature: str
    geonameid: int | None
    population: int
    distance_km: float | None

    @property
    def place_precision(self) -> str:
        from dashboard.geocoders.gazetteer import PRECISION_OF_FEATURE

        return PRECISION_OF_FEATURE.get(self.feature, "point")

    def change(self) -> dict:
        return {"place": self.name, "lat": self.lat, "lon": self.lon, "country_code": self.country_code,
                "feature": self.feature, "geonameid": self.geonameid, "place_precision": self.place_precision}

    def label(self) -> str:
        where = f"{self.name}, {self.country_code}" if self.country_code else self.name
        far = "" if self.distance_km is None else f" · {self.distance_km:,.0f} km away"
        return f"{where} ({self.feature}{', pop. ' + format(self.population, ',') if self.population else ''}){far}"


@functools.lru_cache(maxsize=1)
def _geocoder():
    from dashboard.pipeline.places import OfflineGazetteer

    return OfflineGazetteer()


def place_candidates(query: str, near: tuple[float, float] | None = None, limit: int = 10, *,
                     country_code: str = "") -> list[RankedPlace]:
    """The places a typed name may mean, from the offline geocoder (``OfflineGazetteer.geocode`` with
    ``exactly_one=False``, so an online geopy geocoder could stand in), each with its distance from
    ``near`` (the event's current point).

    The geocoder's order (what follows a comma narrows it: "Palmyra, New York"), except that, unless the
    query names its own country or province, candidates in the event's country (``country_code``) come
    first; and within that, the name exactly as typed ("Palmyra" before "Tadmur", the same town under
    its GeoNames name).
    """
    from geopy.distance import geodesic

    query = " ".join(str(query or "").split())[:200]
    if not query:
        return []
    locations = _geocoder().geocode(query, exactly_one=False) or []
    typed = query.split(",")[0].strip().casefold()
    qualified = "," in query

    def rank(location) -> tuple:
        raw = location.raw
        return (not qualified and bool(country_code) and raw.get("country_code") != country_code,
                str(raw.get("name", "")).casefold() != typed)

    ranked = []
    for location in sorted(locations, key=rank)[:limit]:  # stable: the geocoder's order within each rank
        raw = location.raw
        lat, lon = float(location.latitude), float(location.longitude)
        distance = None
        if near is not None and all(v is not None and math.isfinite(v) for v in near):
            distance = geodesic(near, (lat, lon)).km
        ranked.append(RankedPlace(str(raw.get("name") or location.address), lat, lon,
                                  str(raw.get("country_code") or ""), str(raw.get("feature") or ""),
                                  raw.get("geonameid"), int(raw.get("population") or 0), distance))
    return ranked


def event_place_candidates(event: dict, limit: int = 10) -> list[RankedPlace]:
    """Other places an event's place could be: the gazetteer candidates of each place mention of its
    source sentences and of its place name, those in the event's country first, with their distances
    from the current point; the current place itself is left out."""
    near = (event.get("lat"), event.get("lon"))
    country = str(event.get("country_code") or "")
    names = [m.get("text") for p in event.get("provenance") or [] for m in p.get("mentions") or []
             if m.get("kind") == "place"] + [event.get("place")]
    out: list[RankedPlace] = []
    seen = set()
    for name in dict.fromkeys(n for n in names if n):
        for cand in place_candidates(name, near, limit, country_code=country):
            key = (cand.name, round(cand.lat, 3), round(cand.lon, 3))
            current = cand.name == event.get("place") and cand.distance_km is not None and cand.distance_km < 1
            if key in seen or current:
                continue
            seen.add(key)
            out.append(cand)
    out.sort(key=lambda c: bool(country) and c.country_code != country)  # stable: mention order within
    return out[:limit]


# ---------------------------------------------------------------------------------------------- command line
def _warn(message: str) -> None:
    import sys

    print(f"dashboard: {message}", file=sys.stderr)


def _reapply(args) -> int:
    """Rebuild the store (cached articles are reused) so that the log is applied to it now."""
    from dashboard.store.generations import StoreError
    from dashboard.editing.uploads import cli_corpora, rebuild

    try:
        report = rebuild(args.store, cli_corpora(args))
    except StoreError as err:
        _warn(f"the correction is logged but the store was not rebuilt: {err}")
        return 1
    import sys

    for problem in report.problems:
        _warn(f"skipped {problem}")
    print(report.summary(), file=sys.stderr)
    return 0


def cmd_correct(args) -> int:
    """``correct EVENT_ID (--place NAME | --point LAT,LON | --dates START..END | --not-event | --merge-into ID
    | --split) [--reason TEXT]``: log one correction, then rebuild so the store shows it."""
    from dashboard.store.generations import current_generation

    if current_generation(args.store) is None:
        _warn(f"{args.store}: no events store here; run `python -m dashboard build` first")
        return 2
    try:
        if args.place is not None:
            event = find_event(args.store, args.event_id)
            if event is None:
                raise CorrectionError(f"there is no event {args.event_id!r} in {args.store}")
            found = place_candidates(args.place, (event.get("lat"), event.get("lon")),
                                     country_code=event.get("country_code") or "")
            if not found:
                raise CorrectionError(f"no place called {args.place!r} in the gazetteer; give --point LAT,LON instead")
            kind, change = "place", found[0].change()
        elif args.point is not None:
            lat, lon = parse_point(args.point)
            kind, change = "point", {"lat": lat, "lon": lon}
        elif args.dates is not None:
            start, end = parse_interval(args.dates)
            kind, change = "dates", {"start_date": start.isoformat(), "end_date": end.isoformat()}
        elif args.merge_into is not None:
            kind, change = "merge", {"into": args.merge_into}
        elif args.split:
            kind, change = "split", {}
        else:
            kind, change = "not_event", {}
        record = correct_event(args.store, args.event_id, kind, change, args.reason or "")
    except CorrectionError as err:
        _warn(str(err))
        return 2
    print(f"logged correction #{record.id}: {record.event_id} {record.describe()}")
    if kind == "place":
        print(f"  chosen: {found[0].label()}")
        for other in found[1:5]:
            print(f"  also possible (use --point LAT,LON for one of these): {other.label()} "
                  f"at {other.lat:.4f},{other.lon:.4f}")
    return _reapply(args)


def cmd_corrections(args) -> int:
    """``corrections [list]``: every correction and its state; ``corrections undo ID``: undo one."""
    if args.action == "undo":
        if not args.id:
            _warn("corrections undo needs the correction's number, e.g. `corrections undo 3`")
            return 2
        try:
            record = CorrectionLog(corrections_path(args.store)).undo(int(str(args.id).lstrip("#")),
                                                                      args.reason or "")
        except ValueError as err:  # CorrectionError, or a number that is not one
            _warn(str(err) if isinstance(err, CorrectionError) else f"{args.id!r} is not a correction number")
            return 2
        print(f"logged #{record.id}: undo of #{record.undoes}")
        return _reapply(args)
    reviews, problems = review(args.store)
    for problem in problems:
        _warn(problem)
    if not reviews:
        print(f"no corrections for {args.store}")
    for item in reviews:
        print(item.line())
    return 1 if problems or any(r.state in ("missing", "failed") for r in reviews) else 0
