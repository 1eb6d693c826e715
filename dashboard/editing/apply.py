"""Applying the corrections log to the merged events of a build, in log order.

Every build calls a ``CorrectionHook`` on the merged events: the active corrections are applied by event
id (ids are content hashes, stable across rebuilds of unchanged articles), and what happened to each one
(applied, or its event is gone) is written to ``<store>.corrections.status.json`` (read by ``review``).

>>> # build_store(corpus, "data/store", corrections=CorrectionHook("data/store"))
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.core.files import atomic_write
from dashboard.editing.correction_log import (Correction, CorrectionLog, coordinates, corrections_path,
                                              place_change, status_path)
from dashboard.records import Event, Provenance

SUPERSEDED = "superseded"  # an outcome: an earlier correction removed the event (merged it, or not an event)
CORRECTED_BASIS = "corrected"  # time_basis / place_basis of a corrected date or place


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
        except (KeyError, TypeError, ValueError, ArithmeticError) as err:  # a hand-edited or damaged record
            outcomes[c.id] = f"could not be applied ({type(err).__name__}: {err})"
            continue
        outcomes[c.id] = "applied"
    kept = [by_id[i] for i in order if i in by_id]
    kept.sort(key=lambda e: (e.start_date, e.id))
    return Applied(kept, corrected & set(by_id), outcomes)


def changed_event(event: Event, kind: str, change: dict) -> Event:
    """The event with one place, point or dates correction applied."""
    if kind == "place":
        place = place_change(change)
        return replace(event, place=place["place"], lat=place["lat"], lon=place["lon"],
                       country_code=place["country_code"], place_precision=place["place_precision"],
                       feature=place["feature"], geonameid=place["geonameid"], place_basis=CORRECTED_BASIS)
    if kind == "point":
        lat, lon = coordinates(change["lat"], change["lon"])
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
        status = {"applied_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                  "n_events": len(applied.events),
                  "digest": digest([(e.id, e.id in applied.corrected_ids) for e in applied.events]),
                  "outcomes": {str(k): v for k, v in applied.outcomes.items()}}
        with atomic_write(status_path(self.store)) as out:
            json.dump(status, out, ensure_ascii=False, indent=1)
        return applied.events, applied.corrected_ids


def digest(events: list[tuple[str, bool]]) -> str:
    """A fingerprint of a store's events and their corrected flags (what the hook produced)."""
    fingerprint = hashlib.sha256()
    for event_id, corrected in sorted(events):
        fingerprint.update(f"{event_id}:{int(bool(corrected))}\n".encode("utf-8"))
    return fingerprint.hexdigest()[:32]
