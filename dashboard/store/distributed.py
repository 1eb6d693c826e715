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

The per-article time limit in workers is the in-process build's (``dashboard.core.timelimit``): each
worker analyses in a child process of its own, killed and replaced when an article passes the limit, so a
runaway article is reported by name with the same words and the worker goes on with the next one. A
worker may only have children when it is not a daemon process: the local cluster is started so
(``distributed.worker.daemon: false``); workers of an existing cluster must be started with
``DASK_DISTRIBUTED__WORKER__DAEMON=False``, and ``check_workers`` names those that were not.
"""
from __future__ import annotations

import logging
import os
import pickle
import time
from pathlib import Path
from typing import Iterator

from dashboard.core.timelimit import NoChildProcess
from dashboard.geocoders.gazetteer import load_gazetteer
from dashboard.pipeline import analysis
from dashboard.records import Article
from dashboard.store.build import ANALYSIS, ARTICLE_TIME_LIMIT_S, BuildReport, analyse_within_limit, build_store

log = logging.getLogger(__name__)

BATCH_CHARACTERS = 200_000  # about 40 news articles: large enough that scheduling costs little
BATCHES_PER_WORKER = 4  # at least this many batches per worker, for balance
WORKER_START_TIMEOUT_S = 120.0



# --- what runs in a worker -------------------------------------------------------------------------------
def warm_up_worker() -> dict:
    """Start this worker's analysis process (it loads the gazetteer and warms every stage); returns what
    the worker reports about itself, or why it cannot analyse (a daemon worker may not have children)."""
    started = time.perf_counter()
    try:
        state = worker_state()
    except NoChildProcess as error:
        return {"pid": os.getpid(), "pipeline_version": analysis.PIPELINE_VERSION, "error": str(error)}
    return {**state, "warm_up_s": time.perf_counter() - started}


def worker_state() -> dict:
    """What a worker holds: its pipeline version, and its analysis process with how many times that
    process has loaded the gazetteer."""
    return {"pid": os.getpid(), "pipeline_version": analysis.PIPELINE_VERSION, **ANALYSIS.call(None, _analysis_state)}


def _analysis_state() -> dict:
    return {"analysis_pid": os.getpid(), "gazetteer_loads": load_gazetteer.cache_info().misses}


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
    return [(article.id, _portable(analyse_within_limit(article, time_limit_s))) for article in articles]


def _portable(outcome: dict | Exception) -> dict | Exception:
    """A result, or the exception itself if it can travel back to the client, else one that says the same."""
    err = outcome
    if not isinstance(err, Exception):
        return outcome
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:
        return RuntimeError(f"{type(err).__name__}: {err}")


# --- the client side ---------------------------------------------------------------------------------------
def batches(articles: list[Article], n_workers: int, *, batch_characters: int = BATCH_CHARACTERS) -> list[list[Article]]:
    """Consecutive batches of about ``batch_characters`` of text, at least ``BATCHES_PER_WORKER`` per worker.

    >>> ten = [Article(id=str(i), text="x" * 10) for i in range(10)]
    >>> [len(b) for b in batches(ten, 1, batch_characters=30)]  # one worker: 4 batches or more, of 25 characters
    [2, 2, 2, 2, 2]
    >>> [len(b) for b in batches(ten * 4, 1, batch_characters=30)]  # now 30 characters bind
    [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1]
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
    """Every worker's state; raises RuntimeError naming the workers that cannot run the time limit or
    whose pipeline version differs."""
    states = client.run(warm_up_worker)
    unable = sorted(addr for addr, state in states.items() if state.get("error"))
    if unable:
        raise RuntimeError("Dask workers that are daemon processes cannot start their analysis process (the "
                           f"per-article time limit): {', '.join(unable)}; start them with "
                           "DASK_DISTRIBUTED__WORKER__DAEMON=False")
    version = analysis.PIPELINE_VERSION
    wrong = {addr: s["pipeline_version"] for addr, s in states.items() if s["pipeline_version"] != version}
    if wrong:
        raise RuntimeError(f"Dask workers run a different pipeline version than this client ({version}): "
                           + ", ".join(f"{addr} has {v}" for addr, v in sorted(wrong.items()))
                           + "; install the same version of the dashboard package on every worker")
    return states


def start_client(scheduler: str | None = None, n_workers: int | None = None):
    """(client, cluster): a client of the scheduler at ``scheduler``, or of a new local cluster.

    The local cluster has one single-threaded worker process per core (or ``n_workers``): the analysis
    is pure Python, so threads would share one interpreter lock while processes run side by side.
    """
    from distributed import Client

    if scheduler:
        client = Client(scheduler, timeout=WORKER_START_TIMEOUT_S)
        if n_workers:
            client.wait_for_workers(n_workers, timeout=WORKER_START_TIMEOUT_S)
        return client, None
    cluster = local_cluster(n_workers or os.cpu_count() or 1, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def local_cluster(n_workers: int, **options):
    """A Dask ``LocalCluster`` of ``n_workers`` single-threaded worker processes that may start the
    analysis process (not daemons; a worker the nanny restarts later is started the same way)."""
    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.worker.daemon": False})  # for good: the nanny reads it at every restart
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        **options)


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
