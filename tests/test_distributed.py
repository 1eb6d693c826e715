"""The Dask engine of ``build``, on a real local cluster: same store as the in-process build, the
gazetteer loaded once per worker, the per-article time limit inside workers."""
import importlib.util
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import distributed
import pytest

from dashboard.records import Article
from dashboard.store.build import ArticleTimeout, build_store
from dashboard.store.distributed import (analyse_batch, batches, build_store_dask, check_workers, local_cluster,
                                         warm_up_worker, worker_state)
from dashboard.store.generations import read_articles, read_event_rows, read_manifest

ROOT = Path(__file__).resolve().parents[1]
SEED_CORPUS = ROOT / "data" / "corpus"


def _synthetic_articles(n):
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_articles(n, seed=3)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seed articles, 24 synthetic ones (so each worker gets several batches) and one broken file."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in SEED_CORPUS.iterdir():
        shutil.copy(path, folder / path.name)
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    for article in _synthetic_articles(24):
        (folder / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
        metadata.append({k: article[k] for k in ("id", "title", "outlet", "url", "published")})
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 not text \x00" * 40)
    return folder


@pytest.fixture(scope="module")
def cluster():
    import dask

    # The machine is shared: give a slow start room instead of failing on Dask's default timeouts.
    with dask.config.set({"distributed.comm.timeouts.connect": "120s", "distributed.comm.timeouts.tcp": "120s"}):
        with local_cluster(2) as cluster:
            yield cluster


def _huge_text(n_articles=800):
    """Hundreds of different articles run together (about 2 MB): many seconds of analysis."""
    return "\n\n".join(a["text"] for a in _synthetic_articles(n_articles + 3)[3:])


@pytest.fixture(scope="module")
def local_store(corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("local") / "store"
    report = build_store(corpus, store, progress=False)
    assert report.processed > 20 and report.events > 0
    return store


def _rows(store):
    return sorted(read_event_rows(store), key=lambda row: row["id"])


def _articles(store):
    return sorted(read_articles(store), key=lambda row: row["id"])


def test_dask_build_equals_in_process_build(corpus, cluster, local_store, tmp_path):
    store = tmp_path / "store"
    report = build_store_dask(corpus, store, scheduler=cluster.scheduler_address, progress=False)

    assert report.processed == report.articles > 20
    assert [str(p) for p in report.problems] == [f"{corpus / 'broken.txt'}: the file is binary, not text"]
    dask_rows, local_rows = _rows(store), _rows(local_store)
    assert len(dask_rows) == report.events > 0
    assert dask_rows == local_rows  # every column of every event, provenance included
    assert _articles(store) == _articles(local_store)
    assert read_manifest(store)["article_keys"] == read_manifest(local_store)["article_keys"]


def test_each_worker_loads_the_gazetteer_once(corpus, cluster, tmp_path):
    build_store_dask(corpus, tmp_path / "one", scheduler=cluster.scheduler_address, progress=False)
    build_store_dask(corpus, tmp_path / "two", scheduler=cluster.scheduler_address, progress=False)

    with distributed.Client(cluster) as client:
        states = client.run(worker_state)
    assert len(states) == 2
    assert {s["gazetteer_loads"] for s in states.values()} == {1}
    assert len({s["pid"] for s in states.values()}) == 2  # two processes, not threads of one


def test_cli_build_with_engine_dask_and_scheduler(corpus, cluster, local_store, tmp_path):
    store = tmp_path / "store"
    done = subprocess.run([sys.executable, "-m", "dashboard", "build", "--engine", "dask", "--scheduler",
                           cluster.scheduler_address, "--corpus", str(corpus), "--store", str(store),
                           "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert done.returncode == 1, done.stderr  # 1: the broken file was skipped, and named
    assert "broken.txt: the file is binary, not text" in done.stderr
    assert _rows(store) == _rows(local_store)


def test_rebuild_with_dask_reuses_unchanged_articles(corpus, cluster, tmp_path):
    store = tmp_path / "store"
    build_store_dask(corpus, store, scheduler=cluster.scheduler_address, progress=False)
    changed = tmp_path / "corpus"
    shutil.copytree(corpus, changed)
    (changed / "broken.txt").unlink()
    first = sorted(changed.glob("synthetic-*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOn 2 May 2017 a car bomb exploded in Mosul.\n",
                     encoding="utf-8")

    report = build_store_dask(changed, store, scheduler=cluster.scheduler_address, progress=False)

    assert report.processed == 1 and report.reused == report.articles - 1 and not report.problems
    assert any("car bomb exploded in Mosul" in row["sentence"] for row in read_event_rows(store))


def test_unchanged_corpus_needs_no_cluster(corpus, local_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(corpus, tmp_path / "corpus")
    (tmp_path / "corpus" / "broken.txt").unlink()  # a corpus with a problem is always rebuilt
    build_store(tmp_path / "corpus", store, progress=False)

    # Nothing listens on port 1: any attempt to reach a cluster would fail.
    report = build_store_dask(tmp_path / "corpus", store, scheduler="tcp://127.0.0.1:1", progress=False)

    assert report.up_to_date and report.processed == 0


def test_article_over_the_time_limit_is_skipped_by_name_in_a_worker(cluster, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    articles = _synthetic_articles(3)
    for article in articles:
        (corpus / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
    (corpus / "huge.txt").write_text(_huge_text(), encoding="utf-8")

    report = build_store_dask(corpus, tmp_path / "store", scheduler=cluster.scheduler_address, progress=False,
                              time_limit_s=3.0)

    assert [str(p) for p in report.problems] == [f"{corpus / 'huge.txt'}: analysis took longer than 3 s; skipped"]
    assert report.processed == 3 and report.events > 0
    skipped = [row for row in read_articles(tmp_path / "store") if row["status"] == "skipped"]
    assert [row["id"] for row in skipped] == ["huge"]
    # The worker is still good for more work after the timeout.
    again = build_store_dask(corpus, tmp_path / "again", scheduler=cluster.scheduler_address, progress=False,
                             time_limit_s=3.0)
    assert again.processed == 3


def test_workers_with_another_pipeline_version_are_named(cluster):
    with distributed.Client(cluster) as client:
        workers = sorted(client.scheduler_info(n_workers=-1)["workers"])
        client.run(_set_pipeline_version, "not-this-one", workers=[workers[0]])
        try:
            with pytest.raises(RuntimeError, match=f"{workers[0]} has not-this-one"):
                check_workers(client)
        finally:
            client.run(_restore_pipeline_version, workers=[workers[0]])
        check_workers(client)


def test_a_daemon_worker_is_named_with_how_to_start_it():
    import multiprocessing

    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    daemon = context.Process(target=lambda: answers.put(warm_up_worker()), daemon=True)
    daemon.start()
    state = answers.get(timeout=120)
    daemon.join(30)
    assert "daemon process" in state["error"] and state["pid"] == daemon.pid


def _set_pipeline_version(version):
    import dashboard.pipeline.analysis

    dashboard.pipeline.analysis._saved_version = dashboard.pipeline.analysis.PIPELINE_VERSION
    dashboard.pipeline.analysis.PIPELINE_VERSION = version


def _restore_pipeline_version():
    import dashboard.pipeline.analysis

    dashboard.pipeline.analysis.PIPELINE_VERSION = dashboard.pipeline.analysis._saved_version


# --- the worker-side time limit and batching, without a cluster ------------------------------------------
def _in_thread(function):
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as err:  # handed back to the test
            outcome["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    return outcome


def test_analyse_batch_reports_each_article_in_a_worker_thread():
    warm_up_worker()  # as the worker plugin does: the gazetteer is loaded before the first article
    articles = [Article(id="ok", text="On 3 March 2017 fighters entered Raqqa, Syria.", path="c/ok.txt"),
                Article(id="slow", text=_huge_text(), path="c/slow.txt")]

    outcome = _in_thread(lambda: analyse_batch(articles, 3.0))

    (first_id, first), (second_id, second) = outcome["value"]
    assert first_id == "ok" and first["article_id"] == "ok"
    assert second_id == "slow" and isinstance(second, ArticleTimeout)
    assert str(second) == "c/slow.txt: analysis took longer than 3 s; skipped"


def test_batches_keep_order_and_share_work_between_workers():
    articles = [Article(id=str(i), text="x" * (100 + i)) for i in range(40)]

    parts = batches(articles, n_workers=2)

    assert [a.id for part in parts for a in part] == [a.id for a in articles]
    assert len(parts) >= 8  # at least four batches per worker
    assert batches([], 2) == []
    assert batches(articles[:1], 4) == [articles[:1]]
