"""What the app's panels ask of the editing side, in one place: upload files, correct or undo, look up
places, follow the background job. The panels call this service; it reads one snapshot of the store per
request and hands it down, so one click reads the current generation once.

    >>> # service = EditingService("data/store", None, "data/uploads", on_rebuilt=event_store.reload)
    >>> # record, job = service.correct(event_id, "dates", {"start_date": "2017-06-01", "end_date": "2017-06-30"})
    >>> # service.job(job.id).state  ->  'analysing' ... 'done'

Everything the browser sends is checked here before it is used: ids and texts must be text, numbers must
be numbers; anything else is a ``CorrectionError`` or ``UploadError`` in words, never a server error.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from dashboard.editing.correction_log import MAX_REASON_CHARS, Correction, CorrectionError, CorrectionLog, \
    corrections_path, plain_text
from dashboard.editing.corrections import correct_event, find_event
from dashboard.editing.jobs import Job, runner_for
from dashboard.editing.limits import UploadLimits, configured_limits
from dashboard.editing.place_candidates import event_place_candidates, place_candidates
from dashboard.editing.review import Review, corrections_for_event, unapplied
from dashboard.records import PlaceCandidate
from dashboard.store.generations import Snapshot


class EditingService:
    """The editing side of one app: its store, the folders it is rebuilt from, its uploads folder.

    ``corpora`` None: the folders the store records, read again for every rebuild. ``on_rebuilt`` is
    called after every successful rebuild (the app reloads its events there).
    """

    def __init__(self, store: str | Path, corpora: list[str | Path] | None, uploads_dir: str | Path, *,
                 limits: UploadLimits | None = None, on_rebuilt: Callable[[], None] | None = None):
        self.store = Path(store)
        self.limits = limits or configured_limits()
        self.runner = runner_for(self.store, corpora, uploads_dir, limits=self.limits, on_rebuilt=on_rebuilt)

    def snapshot(self) -> Snapshot:
        return Snapshot.of(self.store)

    # ------------------------------------------------------------------------------------------ jobs
    def upload(self, files: list, metadata: dict) -> Job:
        return self.runner.submit_upload(files, metadata)

    def job(self, job_id) -> Job | None:
        return self.runner.job(job_id)

    # ------------------------------------------------------------------------------------------ corrections
    def correct(self, event_id, kind: str, change: dict, reason) -> tuple[Correction, Job]:
        """Log one correction of the event and start the rebuild that applies it."""
        record = correct_event(self.snapshot(), _text(event_id, "event id"), kind, change, _reason(reason))
        return record, self.runner.submit_rebuild()

    def undo(self, correction_id, reason) -> tuple[Correction, Job]:
        if isinstance(correction_id, bool) or not isinstance(correction_id, int):
            raise CorrectionError("the request was not understood (no correction number)")
        record = CorrectionLog(corrections_path(self.store)).undo(correction_id, _reason(reason))
        return record, self.runner.submit_rebuild()

    def corrections_for_event(self, event_id: str, snapshot: Snapshot | None = None) -> list[Review]:
        return corrections_for_event(snapshot or self.snapshot(), event_id)

    def unapplied_notice(self) -> str:
        """A line about corrections the last build could not apply (their events are gone), '' if none."""
        lost = unapplied(self.snapshot())
        if not lost:
            return ""
        listed = "; ".join(f"#{r.correction.id} {r.correction.describe()} ({r.state})" for r in lost[:5])
        return (f"{len(lost)} correction(s) no longer apply, their events changed: {listed}. "
                f"See `python -m dashboard corrections list`.")

    # ------------------------------------------------------------------------------------------ places
    def candidates_for(self, event_row: dict) -> list[PlaceCandidate]:
        return event_place_candidates(event_row)

    def look_up(self, text, event_id) -> list[PlaceCandidate]:
        """The places a typed name may mean, ranked for the event (its country first, its distance)."""
        event = find_event(self.snapshot(), event_id) if isinstance(event_id, str) else None
        event = event or {}
        return place_candidates(_text(text, "place"), (event.get("lat"), event.get("lon")),
                                country_code=event.get("country_code") or "")


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise CorrectionError(f"the request was not understood (the {what} is not text)")
    return value


def _reason(value) -> str:
    return plain_text(_text(value if value is not None else "", "reason"), MAX_REASON_CHARS)
