"""Reviewing the corrections: each one's state after the last build, as ``corrections list`` and the
panel show it.

``review`` joins the log, the status the last build's hook wrote, and the snapshot's articles: a
correction whose article's text changed since it was made is flagged, one whose event no longer exists
is reported, never silently dropped.

>>> # reviews, problems = review(Snapshot.of("data/store"))
>>> # [r.line() for r in reviews]  ->  ['#1 2026-11-21T12:03:10+00:00 5c0e1a... dates -> ...: applied']
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from dashboard.editing.apply import SUPERSEDED, digest
from dashboard.editing.correction_log import Correction, CorrectionLog, corrections_path, status_path, undone_ids
from dashboard.store.generations import Snapshot


@dataclass(frozen=True)
class Review:
    """A correction as the user sees it in ``corrections list`` and the panel."""

    correction: Correction
    state: str  # applied | pending | undone | superseded | missing | failed
    detail: str = ""
    article_changed: tuple[str, ...] = ()  # source articles whose text changed since the correction

    def line(self) -> str:
        c = self.correction
        flag = f" [article changed since: {', '.join(self.article_changed)}]" if self.article_changed else ""
        detail = f" ({self.detail})" if self.detail and self.state != "applied" else ""
        reason = f" -- {c.reason}" if c.reason else ""
        return f"#{c.id} {c.at} {c.event_id} {c.describe()}: {self.state}{detail}{flag}{reason}"


def review(store: Snapshot, *, event_id: str | None = None,
           check_store: bool = True) -> tuple[list[Review], list[str]]:
    """Every correction (undo records excluded) with its state after the last build, and log problems.

    States: ``applied``; ``pending`` (made after the last build, or the store was rebuilt since without
    the corrections); ``undone``; ``superseded`` (an earlier correction merged its event away or marked
    it not an event); ``missing`` (its event no longer exists after a rebuild: reported here,
    never dropped silently); ``failed`` (the change could not be applied). ``article_changed`` names
    source articles whose content hash differs now. ``event_id`` keeps the corrections naming that event
    (as the event or the merge target); ``check_store=False`` skips reading the store's event ids.
    """
    records, problems = CorrectionLog(corrections_path(store.store)).read()
    undone = undone_ids(records)
    records = [c for c in records if c.kind != "undo"]
    if event_id is not None:
        records = [c for c in records if event_id in (c.event_id, c.change.get("into"))]
    if not records:
        return [], problems
    status = _status(store)
    outcomes = status.get("outcomes") if isinstance(status.get("outcomes"), dict) else {}
    stale = check_store and bool(status) and status.get("digest") != _store_digest(store)
    hashes = {r["id"]: r.get("content_hash") or "" for r in store.articles()}
    out = []
    for c in records:
        changed = tuple(a for a, h in c.articles.items() if hashes.get(a) != h)
        outcome = outcomes.get(str(c.id))
        outcome = outcome if isinstance(outcome, str) else None
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


def _status(store: Snapshot) -> dict:
    try:
        status = json.loads(status_path(store.store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


def _store_digest(store: Snapshot) -> str | None:
    flags = store.corrected_flags()
    return None if flags is None else digest(flags)


def unapplied(store: Snapshot) -> list[Review]:
    """Corrections in force that the last build could not apply (their event is gone, or they failed)."""
    reviews, _ = review(store, check_store=False)
    return [r for r in reviews if r.state in ("missing", "failed")]


def corrections_for_event(store: Snapshot, event_id: str) -> list[Review]:
    """The corrections in force that name ``event_id`` (as the event, or as the merge target)."""
    reviews, _ = review(store, event_id=event_id, check_store=False)
    return [r for r in reviews if r.state != "undone"]
