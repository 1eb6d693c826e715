"""The Dask engine of ``build``: the same build, with the articles analysed on a Dask cluster.

    python -m dashboard build --engine dask                      # a local cluster, one worker per core
    python -m dashboard build --engine dask --scheduler tcp://host:8786   # an existing cluster

>>> # report = build_store_dask("data/corpus", "data/store")            # LocalCluster, started and stopped here
>>> # report = build_store_dask("data/corpus", "data/store", scheduler="tcp://10.0.0.5:8786")

Only the analysis moves: reading the corpus, the per-article cache, merging duplicate events and writing
the store (a new generation of Parquet parts, swapped in atomically) stay in ``dashboard.store.build``, so the
Dask build and the in-process build give the same store. Merging duplicates needs every article's events
at once, which is why it runs in the client process; the per-article results it needs are small.

How the work is shared out:

* Articles go out in batches of about ``BATCH_CHARACTERS`` of text (at least one article per batch, and
  at least a few batches per worker so that a slow batch does not leave the other workers idle).
* Every worker loads the gazetteer once, when it joins: ``WarmPipeline`` is a Dask worker plugin whose
  ``setup`` runs the pipeline on one short sentence, which loads the gazetteer (``load_gazetteer`` is
  cached per process) and warms the date parser. A worker that joins later gets the plugin too.
* Workers must run the same code as the client (the ``dashboard`` package installed in their
  environment, with ``data/gazetteer``): the build stops with a clear message naming the workers whose
  pipeline version differs, since their cached results would be wrong.

The per-article time limit in workers. ``build.time_limit`` uses SIGALRM, which Python only delivers to
the main thread, and Dask runs tasks in a worker's thread pool. Here one watchdog thread per worker
(``call_with_deadline``) raises ``DeadlinePassed`` inside the analysing thread when the limit passes,
through CPython's ``PyThreadState_SetAsyncExc``, again every 50 ms while that thread is still in the
analysis. Like the signal, it takes effect between two Python bytecodes: it stops analysis in Python
code (the pipeline's loops, dateparser), not a single C call that never returns (one regular-expression
match), which the signal-based limit cannot stop either. A timed-out article is reported by name with
the in-process build's words, and the worker goes on with the next one.
"""
from __future__ import annotations

import ctypes
import logging
import os
import pickle
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from dashboard.store.build import ARTICLE_TIME_LIMIT_S, ArticleTimeout, BuildReport, analyse_to_result, build_store
from dashboard.records import Article

log = logging.getLogger(__name__)

BATCH_CHARACTERS = 200_000  # about 40 news articles: large enough that scheduling costs little
BATCHES_PER_WORKER = 4  # at least this many batches per worker, for balance
WORKER_START_TIMEOUT_S = 120.0

# One short article that passes through every stage: analysing it loads the gazetteer and warms the
# date parser, so the first real batch of a worker is not slowed by either.
WARM_UP_TEXT = "BEIRUT, 3 March 2017 - Fighters entered the city of Raqqa in northern Syria last week."


# --- the per-article limit in a worker thread ------------------------------------------------------------
class DeadlinePassed(BaseException):
    """Raised inside the analysing thread when its article's time is up.

    A BaseException, like KeyboardInterrupt, so that a library's ``except Exception`` does not swallow it;
    ``analyse_batch`` turns it into the build's ``ArticleTimeout``.
    """


@dataclass(eq=False)
class _Deadline:
    thread_id: int
    due: float
    fired: bool = False


class _Watchdog:
    """One thread per process that raises ``DeadlinePassed`` in threads whose deadline has passed.

    It raises only while the thread is inside ``_within_deadline`` (its frame is on that thread's
    stack), and again every ``REPEAT_S`` while it stays there: code that cannot pass an exception on
    (a finaliser or weakref callback running at that moment only prints "Exception ignored") would
    otherwise lose it. ``forget`` withdraws a raise still on its way, under the same lock as the raising,
    so once ``call_with_deadline`` has returned nothing more can arrive.
    """

    REPEAT_S = 0.05

    def __init__(self):
        self._condition = threading.Condition()
        self._deadlines: set[_Deadline] = set()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: _Deadline) -> None:
        with self._condition:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="article-deadlines", daemon=True)
                self._thread.start()
            self._deadlines.add(deadline)
            self._condition.notify()

    def forget(self, deadline: _Deadline) -> None:
        with self._condition:
            self._deadlines.discard(deadline)
            if deadline.fired:
                _raise_in_thread(deadline.thread_id, None)

    def _run(self) -> None:
        while True:
            with self._condition:
                now = time.monotonic()
                frames = None
                for deadline in self._deadlines:
                    if now >= deadline.due:
                        frames = frames if frames is not None else sys._current_frames()
                        if _inside(frames.get(deadline.thread_id)):
                            deadline.fired = True
                            _raise_in_thread(deadline.thread_id, DeadlinePassed)
                        deadline.due = now + self.REPEAT_S
                wait = min((d.due for d in self._deadlines), default=now + 3600) - now
                self._condition.wait(timeout=max(wait, 0.001))


_WATCHDOG = _Watchdog()


def _within_deadline(function, args):
    return function(*args)


def _inside(frame) -> bool:
    while frame is not None:
        if frame.f_code is _within_deadline.__code__:
            return True
        frame = frame.f_back
    return False


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    target = None if exception is None else ctypes.py_object(exception)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target)


def call_with_deadline(seconds: float, function, *args):
    """``function(*args)``, stopped with ``DeadlinePassed`` if it runs longer than ``seconds``; any thread.

    The exception arrives between two bytecodes of the calling thread (as a signal handler's would).

    >>> call_with_deadline(60, sum, [1, 2, 3])
    6
    """
    if seconds <= 0:
        return function(*args)
    deadline = _Deadline(threading.get_ident(), time.monotonic() + seconds)
    try:
        _WATCHDOG.watch(deadline)
        try:
            return _within_deadline(function, args)
        finally:
            _WATCHDOG.forget(deadline)
    except DeadlinePassed:
        _WATCHDOG.forget(deadline)  # it may have landed inside the first forget
        raise


# --- what runs in a worker -------------------------------------------------------------------------------
def warm_up_worker() -> dict:
    """Load the gazetteer and warm every stage in this process; returns what a worker reports about itself."""
    from dashboard.pipeline.analysis import PIPELINE_VERSION, analyse
    from dashboard.geocoders.gazetteer import load_gazetteer

    started = time.perf_counter()
    load_gazetteer()
    analyse(Article(id="warm-up", text=WARM_UP_TEXT))
    return {"pid": os.getpid(), "pipeline_version": PIPELINE_VERSION, "warm_up_s": time.perf_counter() - started}


def worker_state() -> dict:
    """What a worker holds: its pipeline version and how many times it has loaded the gazetteer."""
    from dashboard.pipeline.analysis import PIPELINE_VERSION
    from dashboard.geocoders.gazetteer import load_gazetteer

    return {"pid": os.getpid(), "pipeline_version": PIPELINE_VERSION,
            "gazetteer_loads": load_gazetteer.cache_info().misses}


try:
    from distributed import WorkerPlugin
except ImportError:  # the Dask engine is optional; the in-process build needs none of this
    WorkerPlugin = object


class WarmPipeline(WorkerPlugin):
    """Dask worker plugin: load the gazetteer once per worker process, before its first task."""

    idempotent = True  # registering it again (a second build on the same cluster) changes nothing
    name = "news-dashboard-warm-pipeline"

    async def setup(self, worker) -> None:
        import asyncio

        # In the worker's thread pool, not its event loop, so the worker keeps answering heartbeats.
        await asyncio.get_running_loop().run_in_executor(None, warm_up_worker)


def analyse_batch(articles: list[Article], time_limit_s: float) -> list[tuple[str, dict | Exception]]:
    """Analyse a batch in a worker: (article id, result or the exception that stopped it), in order."""
    outcomes: list[tuple[str, dict | Exception]] = []
    for article in articles:
        try:
            # time_limit_s=0: the in-process (signal) limit does nothing here; this deadline is the limit
            outcomes.append((article.id, call_with_deadline(time_limit_s, analyse_to_result, article, 0)))
        except DeadlinePassed:  # in the in-process build's words
            message = f"{article.path or article.id}: analysis took longer than {time_limit_s:g} s; skipped"
            outcomes.append((article.id, ArticleTimeout(message)))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # one broken article never stops the batch
            outcomes.append((article.id, _portable(err)))
    return outcomes


def _portable(err: Exception) -> Exception:
    """The exception itself if it can travel back to the client, else one that says the same."""
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:
        return RuntimeError(f"{type(err).__name__}: {err}")


# --- the client side ---------------------------------------------------------------------------------------
def batches(articles: list[Article], n_workers: int, *, batch_characters: int = BATCH_CHARACTERS) -> list[list[Article]]:
    """Consecutive batches of about ``batch_characters`` of text, at least ``BATCHES_PER_WORKER`` per worker.

    >>> [len(b) for b in batches([Article(id=str(i), text="x" * 10) for i in range(10)], 1, batch_characters=30)]
    [3, 3, 3, 1]
    """
    if not articles:
        return []
    total = sum(len(a.text) for a in articles)
    target = max(1, min(batch_characters, total // max(1, n_workers * BATCHES_PER_WORKER)))
    out: list[list[Article]] = [[]]
    size = 0
    for article in articles:
        if out[-1] and size + len(article.text) > target:
            out.append([])
            size = 0
        out[-1].append(article)
        size += len(article.text)
    return out


class ClusterAnalysis:
    """The ``analyse_many`` hook of ``build_store``, running the batches on a Dask cluster's workers.

    The cluster is connected to (or started) on the first batch of work, so a build with nothing to
    analyse (an unchanged corpus) never starts one; ``close`` stops what was started.
    """

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None,
                 time_limit_s: float = ARTICLE_TIME_LIMIT_S):
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.time_limit_s = time_limit_s
        self.client = None
        self.cluster = None

    def connect(self):
        """The Dask client, its workers warmed (gazetteer loaded) and checked."""
        if self.client is None:
            self.client, self.cluster = start_client(self.scheduler, self.n_workers)
            self.client.register_plugin(WarmPipeline(), name=WarmPipeline.name)
            check_workers(self.client)
        return self.client

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def __call__(self, articles: list[Article]) -> Iterator[tuple[Article, dict | Exception]]:
        from distributed import as_completed

        if not articles:
            return
        client = self.connect()
        by_id = {a.id: a for a in articles}
        n_workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        futures = {}
        for number, batch in enumerate(batches(articles, n_workers)):
            future = client.submit(analyse_batch, batch, self.time_limit_s, pure=False,
                                   key=f"analyse-batch-{number}-{os.getpid()}-{time.time_ns()}")
            futures[future] = batch
        for future in as_completed(futures):
            batch = futures.pop(future)
            try:
                outcomes = future.result()
            except Exception as err:  # the worker died (e.g. out of memory) on this batch every time it was tried
                reason = RuntimeError(f"the Dask worker analysing it failed ({type(err).__name__}: {err})")
                for article in batch:
                    yield article, reason
                continue
            finally:
                future.release()
            for article_id, outcome in outcomes:
                yield by_id[article_id], outcome


def check_workers(client) -> dict[str, dict]:
    """Every worker's state; raises RuntimeError naming the workers whose pipeline version differs."""
    from dashboard.pipeline.analysis import PIPELINE_VERSION

    states = client.run(worker_state)
    wrong = {addr: s["pipeline_version"] for addr, s in states.items() if s["pipeline_version"] != PIPELINE_VERSION}
    if wrong:
        raise RuntimeError(f"Dask workers run a different pipeline version than this client ({PIPELINE_VERSION}): "
                           + ", ".join(f"{addr} has {v}" for addr, v in sorted(wrong.items()))
                           + "; install the same version of the dashboard package on every worker")
    return states


def start_client(scheduler: str | None = None, n_workers: int | None = None):
    """(client, cluster): a client of the scheduler at ``scheduler``, or of a new local cluster.

    The local cluster has one single-threaded worker process per core (or ``n_workers``): the analysis
    is pure Python, so threads would share one interpreter lock while processes run side by side.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout=WORKER_START_TIMEOUT_S)
        if n_workers:
            client.wait_for_workers(n_workers, timeout=WORKER_START_TIMEOUT_S)
        return client, None
    cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def build_store_dask(corpus: str | Path | list[str | Path], store: str | Path, scheduler: str | None = None,
                     progress: bool | None = None, n_workers: int | None = None, *,
                     time_limit_s: float = ARTICLE_TIME_LIMIT_S, corrections=None) -> BuildReport:
    """``build_store`` with the analysis on a Dask cluster (``scheduler`` = its address; None = a local one).

    The report and the store are the same as the in-process build's. A cluster is only started (or
    connected to) when some article needs analysing: rebuilding an unchanged corpus starts none.
    """
    analysis = ClusterAnalysis(scheduler, n_workers, time_limit_s)
    try:
        return build_store(corpus, store, progress=progress, time_limit_s=time_limit_s, analyse_many=analysis,
                           corrections=corrections)
    finally:
        analysis.close()
