"""The app's background jobs: an upload (save, then rebuild) or a rebuild after a correction, one after
another on one thread per store, so the app stays responsive and two rebuilds never race.

>>> # runner = runner_for("data/store", None, "data/uploads")
>>> # job = runner.wait(runner.submit_upload([("report.txt", data)], {"published": "2017-06-06"}).id)
>>> # job.state, job.summary  ->  ('done', '... 120 events ...')
"""
from __future__ import annotations

import contextlib
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dashboard.editing.limits import LIMITS, FileMessage, UploadLimits
from dashboard.editing.rebuild import rebuild, rebuild_folders, taken_article_ids
from dashboard.editing.uploads import save_uploads
from dashboard.store.generations import Snapshot


@dataclass
class Job:
    """One background task of the app: an upload (save + rebuild) or a rebuild after a correction."""

    id: str
    kind: str  # upload | rebuild
    state: str = "queued"  # queued | saving | analysing | writing | done | failed
    done: int = 0
    total: int = 0
    messages: list[FileMessage] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    summary: str = ""
    error: str = ""
    events_before: int | None = None
    events_after: int | None = None
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.state in ("queued", "saving"):
            return 5 if self.state == "saving" else 0
        if self.state == "writing":
            return 95
        if self.finished:
            return 100
        return 10 + int(80 * self.done / self.total) if self.total else 50


class JobRunner:
    """Runs uploads and rebuilds one after another on a background thread, so the app stays responsive
    and two rebuilds of the same store never race. ``on_rebuilt`` is called after each successful
    rebuild (the app reloads its events there)."""

    def __init__(self, store: str | Path, corpora: list[str | Path] | None, uploads_dir: str | Path | None = None,
                 *, limits: UploadLimits = LIMITS, on_rebuilt: Callable[[], None] | None = None,
                 build_wait_s: float = 120.0):
        self.store = Path(store)
        self.build_wait_s = build_wait_s  # how long a job waits for another build of the store to finish
        # None: the folders the store records, read again for every job (a `build` from the command line
        # with other folders meanwhile is followed, never undone)
        self.corpora = None if corpora is None else [str(c) for c in corpora]
        self.uploads_dir = Path(uploads_dir) if uploads_dir else None
        self.limits = limits
        self.listeners: list[Callable[[], None]] = [on_rebuilt] if on_rebuilt else []
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="upload-jobs", daemon=True)
        self._thread.start()

    def submit_upload(self, files: list, metadata: dict | None = None) -> Job:
        return self._submit(Job(id=uuid.uuid4().hex[:12], kind="upload"), (files, metadata or {}))

    def submit_rebuild(self) -> Job:
        return self._submit(Job(id=uuid.uuid4().hex[:12], kind="rebuild"), None)

    def _submit(self, job: Job, payload) -> Job:
        with self._lock:
            self._jobs[job.id] = job
            for old in [j for j in self._jobs.values() if j.finished and j.finished_at
                        and j.finished_at < time.time() - 3600]:
                del self._jobs[old.id]
        self._queue.put((job, payload))
        return job

    def job(self, job_id: str | None) -> Job | None:
        """The job of that id; None for an unknown id or anything that is not an id (the browser's data)."""
        if not isinstance(job_id, str):
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float = 300.0) -> Job:
        """Block until a job finishes (for tests and the CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job is None or job.finished:
                return job
            time.sleep(0.1)
        raise TimeoutError(f"job {job_id} still running after {timeout} s")

    def _work(self) -> None:
        while True:
            job, payload = self._queue.get()
            try:
                self._run(job, payload)
            except Exception as err:  # a failed job is reported, the runner keeps going
                job.error = f"{type(err).__name__}: {err}"
                if any(m.saved_as for m in job.messages):
                    job.error = (f"the files are saved in {self.uploads_dir} and the next build will add them, "
                                 f"but the store was not rebuilt ({job.error})")
                job.state = "failed"
            finally:
                job.finished_at = time.time()

    def folders(self) -> list[str]:
        """The folders the next rebuild reads (the uploads folder included)."""
        return rebuild_folders(self.store, self.corpora, self.uploads_dir)

    def _run(self, job: Job, payload) -> None:
        snapshot = Snapshot.of(self.store)
        job.events_before = snapshot.manifest().get("n_events")
        if job.kind == "upload":
            files, metadata = payload
            job.state = "saving"
            result = save_uploads(files, self.uploads_dir, metadata=metadata, limits=self.limits,
                                  taken_ids=taken_article_ids(snapshot, self.folders(), self.uploads_dir))
            job.messages = result.messages
            job.article_ids = result.article_ids
            if not result.saved:
                job.summary = "Nothing new to add."
                job.events_after = job.events_before
                job.state = "done"
                return
        job.state = "analysing"

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total
            if total and done == total:
                job.state = "writing"

        report = rebuild(self.store, self.folders(), on_progress=progress, wait_s=self.build_wait_s)
        job.events_after = report.events
        job.summary = report.summary()
        for problem in report.problems:
            if job.kind == "upload" and self.uploads_dir and _inside(problem.path, self.uploads_dir):
                job.messages.append(FileMessage(Path(problem.path.split(" line ")[0].split(" row ")[0]).name,
                                                False, f"not loaded by the build: {problem.problem}"))
        for listener in list(self.listeners):
            try:
                listener()
            except Exception as err:  # a listener (an app's reload) failing does not fail the rebuild
                job.error = f"the store was rebuilt, but reloading it failed: {type(err).__name__}: {err}"
        job.state = "done"


_RUNNERS: dict[tuple, JobRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def runner_for(store: str | Path, corpora: list[str | Path] | None, uploads_dir: str | Path | None = None, *,
               limits: UploadLimits = LIMITS, on_rebuilt: Callable[[], None] | None = None) -> JobRunner:
    """The one JobRunner of a store in this process (uploads and corrections share it, so their
    rebuilds queue up instead of racing); ``on_rebuilt`` is added to its listeners. ``corpora`` None:
    the folders the store records."""
    key = (str(Path(store).absolute()), None if corpora is None else tuple(str(Path(c).absolute()) for c in corpora),
           str(Path(uploads_dir).absolute()) if uploads_dir else None)
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = JobRunner(store, corpora, uploads_dir, limits=limits)
        if on_rebuilt is not None:
            runner.listeners.append(on_rebuilt)
    return runner


def _inside(path: str, folder: Path) -> bool:
    with contextlib.suppress(OSError, ValueError):
        return str(Path(path.split(" line ")[0].split(" row ")[0]).resolve()).startswith(str(folder.resolve()))
    return False
