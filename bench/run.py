"""Every speed and memory figure of the project, measured in one run on this machine.

    .venv/bin/python bench/run.py              # the full run (several minutes; builds a 1M-event store once)
    .venv/bin/python bench/run.py --quick      # a smoke test in about two minutes (subsets, smaller stores)
    .venv/bin/python bench/run.py --json       # one JSON object instead of the table

What it measures, each beside what it is compared with:

* pipeline throughput: ``dashboard.pipeline.analysis.analyse`` (document, dates, places, events) over the benchmark
  texts (every ``text`` of ``../shared/benchmarks/*/gold.jsonl``; the synthetic articles of
  ``bench/corpus.py`` when that folder is absent), in MB of UTF-8 and articles per CPU-second of one core,
  beside the libraries-alone peer on the same texts: dateparser's ``search_dates`` plus ``geotext``
  (dates and place names; no geocoding, no events). Each stage alone too (``bench/bench_dates.py``'s
  ``time_tagger``, ``bench/bench_places.py``'s ``ours``).
* start-up: a new process importing the app, loading the gazetteer and creating the Dash app.
* peak memory of a build of 10,000 synthetic articles (``bench/corpus.py``) by the in-process engine,
  the largest sum of resident memory over the build's process tree (the build and the child that analyses
  the articles), sampled every 0.2 s; its throughput too.
* the Dask build (local cluster, one worker per core) beside the in-process build (full run only).
* filter-callback latency over synthetic stores (``bench/gen_events.py``) of 10k, 100k and 1M events:
  each of the app's two render callbacks requested over HTTP for every view of
  ``bench/bench_callbacks.py`` (its functions), in a new process per store so that its memory can be read.
* export: ``bench/bench_export.py``'s ``cold`` (a new ``python -m dashboard export`` process) and ``warm``
  (the browser already running).

Throughput is per CPU-second because the machine is shared: wall time would also count the other
programs running (both are in the JSON). Generated stores and corpora are kept in ``--workdir`` (default:
the system temp folder) and reused by the next run, so only the first full run pays for the 1M-event
store. Ratios measured in the same run are the comparable numbers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))



def _default_benchmarks() -> Path:
    """``../shared/benchmarks`` beside the checkout; for a git worktree (whose ``.git`` is a file naming
    ``<main>/.git/worktrees/<name>``), beside the main checkout: otherwise a worktree would silently
    measure the synthetic corpus and its figures would not compare with main's."""
    beside = ROOT.parent / "shared" / "benchmarks"
    dot_git = ROOT / ".git"
    if beside.is_dir() or not dot_git.is_file():
        return beside
    gitdir = dot_git.read_text(encoding="utf-8").partition("gitdir:")[2].strip()
    main = Path(gitdir).parents[2] if gitdir else None  # <main>/.git/worktrees/<name> -> <main>
    found = main.parent / "shared" / "benchmarks" if main else beside
    return found if found.is_dir() else beside


DEFAULT_BENCHMARKS = _default_benchmarks()
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "news-dashboard-bench"

# The targets printed beside the figures: issue 9's speed-up over the peer; issues 14 and 16's pipeline
# speed and peak memory of the 10,000-article build (the whole process tree).
TARGET_MB_PER_S_PER_CORE = 0.7
TARGET_SPEEDUP = 4.0
TARGET_PEAK_RSS_MB = 1300


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_module(name: str):
    """Another bench script (bench/NAME.py) as a module, or None when it is not there."""
    path = BENCH / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"bench_{name}_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the texts --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BenchText:
    id: str
    text: str
    published: str | None  # ISO date of the document when the dataset gives one (TimeML's DCT)

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


def benchmark_texts(folder: Path | None) -> tuple[list[BenchText], str]:
    """Every ``text`` of ``folder/*/gold.jsonl``; the synthetic corpus's articles when there is none."""
    texts: list[BenchText] = []
    if folder is not None and folder.is_dir():
        for gold in sorted(folder.glob("*/gold.jsonl")):
            with gold.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    doc = json.loads(line)
                    texts.append(BenchText(f"{gold.parent.name}/{doc.get('id', number)}", doc["text"], doc.get("dct")))
    if texts:
        return texts, f"{len(texts)} texts of {folder}/*/gold.jsonl"
    synthetic = bench_module("corpus")
    articles = synthetic.synthetic_articles(1200, seed=5)
    return ([BenchText(a["id"], a["text"], a["published"]) for a in articles],
            f"{len(articles)} synthetic articles of bench/corpus.py ({folder} absent)")


def subset(texts: list[BenchText], max_bytes: int) -> list[BenchText]:
    """Every k-th text, so that a subset keeps the mix of datasets, up to about ``max_bytes``."""
    total = sum(t.size for t in texts)
    if total <= max_bytes:
        return texts
    step = max(1, round(total / max_bytes))
    return texts[::step]


# --- pipeline and peer ------------------------------------------------------------------------------------
class Clock:
    """Wall and CPU seconds of a block. Throughput per core is of CPU time: the machine is shared, so
    wall time would also count the other programs running; both are reported."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def rates(texts: list[BenchText], clock: Clock) -> dict:
    size = sum(t.size for t in texts) / 1e6
    return {"mb": size, "articles": len(texts), "wall_s": clock.wall, "cpu_s": clock.cpu,
            "mb_per_s": size / clock.cpu, "articles_per_s": len(texts) / clock.cpu,
            "mb_per_s_wall": size / clock.wall}


def measure_pipeline(texts: list[BenchText]) -> dict:
    """dashboard.pipeline.analysis.analyse on every text, one core, after the gazetteer is loaded."""
    from dashboard.pipeline.dates import parse_published
    from dashboard.pipeline.analysis import analyse
    from dashboard.geocoders.gazetteer import load_gazetteer
    from dashboard.records import Article, PublicationDate

    load_gazetteer()
    analyse(Article(id="warm-up", text="On 3 March 2017 fighters entered Raqqa, Syria."))
    articles = [Article(id=t.id, text=t.text,
                        published=parse_published(t.published) if t.published else PublicationDate.unknown())
                for t in texts]
    failures, events, per_text = 0, 0, []
    with Clock() as clock:
        for article in articles:
            began = time.process_time()
            try:
                events += len(analyse(article).events)
            except Exception as err:  # counted and shown, never hidden
                failures += 1
                log(f"pipeline failed on {article.id}: {type(err).__name__}: {err}")
            per_text.append((time.process_time() - began, article.id, len(article.text)))
    slowest = sorted(per_text, reverse=True)[:5]
    return {**rates(texts, clock), "events": events, "failures": failures,
            "slowest": [{"id": i, "chars": n, "cpu_s": round(s, 3)} for s, i, n in slowest]}


def measure_peer(texts: list[BenchText]) -> dict:
    """The libraries alone: dateparser's search_dates (English, the document date as RELATIVE_BASE) plus
    geotext's city and country names, on the same texts."""
    import warnings

    from dateparser.search import search_dates
    from geotext import GeoText

    search_dates("on 3 March 2017", languages=["en"])  # load dateparser's data outside the timing
    GeoText("Raqqa")
    failures, dates, places = 0, 0, 0
    with Clock() as clock:
        for t in texts:
            settings = {"RELATIVE_BASE": dt.datetime.fromisoformat(t.published[:10])} if t.published else {}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    dates += len(search_dates(t.text, languages=["en"], settings=settings) or [])
            except Exception:
                failures += 1
            found = GeoText(t.text)
            places += len(found.cities) + len(found.countries)
    return {**rates(texts, clock), "dates": dates, "places": places, "failures": failures}


# Where each stage starts (module path suffix, function): their cumulative time in a profile is the stage's.
STAGE_ENTRY_POINTS = {
    "document": ("dashboard/pipeline/document.py", "make_document"),
    "publication date": ("dashboard/pipeline/analysis.py", "resolve_publication"),
    "dates": ("dashboard/pipeline/dates/tagger.py", "tag_dates"),
    "places": ("dashboard/pipeline/places/__init__.py", "find_places"),
    "  places: recognise": ("dashboard/pipeline/places/recognise.py", "find"),
    "  places: resolve": ("dashboard/pipeline/places/resolve.py", "resolve"),
    "events": ("dashboard/pipeline/events.py", "extract_events"),
    "  events: type": ("dashboard/pipeline/taxonomy.py", "classify_event"),
    "  events: fatalities": ("dashboard/pipeline/taxonomy.py", "fatalities"),
}


def profile_pipeline(texts: list[BenchText], top: int = 25) -> str:
    """cProfile of ``analyse`` over the texts: each stage's share, then the functions with the most own
    time (profiling slows everything about twofold; the shares are what count)."""
    import cProfile
    import pstats

    from dashboard.pipeline.dates import parse_published
    from dashboard.pipeline.analysis import analyse
    from dashboard.geocoders.gazetteer import load_gazetteer
    from dashboard.records import Article, PublicationDate

    load_gazetteer()
    analyse(Article(id="warm-up", text="On 3 March 2017 fighters entered Raqqa, Syria."))
    articles = [Article(id=t.id, text=t.text,
                        published=parse_published(t.published) if t.published else PublicationDate.unknown())
                for t in texts]
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        analyse(article)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max((ct for (path, _, name), (_, _, _, ct, _) in stats.stats.items()
                 if path.endswith("dashboard/pipeline/analysis.py") and name == "analyse"), default=0.0)
    lines = [f"analyse: {total:.2f} s profiled over {len(texts)} texts ({sum(t.size for t in texts) / 1e6:.2f} MB)",
             "stage (cumulative; dates includes its re-tagging inside events):"]
    for stage, (suffix, function) in STAGE_ENTRY_POINTS.items():
        seconds = sum(ct for (path, _, name), (_, _, _, ct, _) in stats.stats.items()
                      if path.endswith(suffix) and name == function)
        lines.append(f"  {stage:22} {seconds:7.2f} s  {100 * seconds / total if total else 0:5.1f} %")
    lines.append(f"functions with the most own time (tottime), in the project and below it:")
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]
    for (path, line, name), (_, calls, own, cumulative, _) in ranked:
        where = path.split("/work/main/")[-1].split("site-packages/")[-1]
        lines.append(f"  {own:6.2f} s own {cumulative:6.2f} s cum {calls:>9,} calls  {where}:{line} {name}")
    return "\n".join(lines)


def measure_stages(texts: list[BenchText]) -> dict:
    """Each stage alone on the same texts, with the date and place engineers' own bench functions."""
    out = {}
    bench_dates = bench_module("bench_dates")
    if bench_dates is not None:
        triples = [(t.id, t.text, t.published) for t in texts]
        with Clock() as clock:
            bench_dates.time_tagger(triples)
        out["dates_mb_per_s"] = rates(texts, clock)["mb_per_s"]
    bench_places = bench_module("bench_places")
    if bench_places is not None:
        _, cpu = bench_places.timed(bench_places.ours, [{"text": t.text} for t in texts])
        out["places_mb_per_s"] = sum(t.size for t in texts) / 1e6 / cpu
    return out


# --- child processes --------------------------------------------------------------------------------------
def run_child(args: list[str], timeout: float, rss_ceiling_mb: float | None = None) -> dict:
    """Run ``bench/run.py --child ...`` in a new process; its last stdout line is a JSON object.

    With ``rss_ceiling_mb`` the child is watched and stopped once its memory passes the ceiling (the
    machine is shared: a build that would take many gigabytes is measured as "over the ceiling", not
    allowed to push everyone into swap); the result then says so.
    """
    import psutil

    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", *args], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched, seen_mb = psutil.Process(child.pid), 0.0
    while child.poll() is None:
        try:
            seen_mb = max(seen_mb, tree_rss_mb(watched))
        except psutil.NoSuchProcess:
            break
        elapsed = time.perf_counter() - started
        if (rss_ceiling_mb and seen_mb > rss_ceiling_mb) or elapsed > timeout:
            child.kill()
            child.wait()
            why = f"over the {rss_ceiling_mb:.0f} MB ceiling" if seen_mb > (rss_ceiling_mb or seen_mb) else "timed out"
            log(f"  stopped child {args[0]} after {elapsed:.0f} s: {why}")
            return {"stopped": why, "seconds": elapsed, "peak_rss_mb": seen_mb, "wall_s": elapsed}
        time.sleep(0.2)
    stdout, stderr = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed (exit {child.returncode}):\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    # The articles are analysed in a child of the build (core/timelimit.py): its own ru_maxrss misses
    # them, so the peak is the largest sum seen over the whole process tree (shared pages counted twice).
    result["peak_rss_self_mb"] = result.get("peak_rss_mb", 0.0)
    result["peak_rss_mb"] = max(result["peak_rss_self_mb"], seen_mb)
    return result


def tree_rss_mb(process) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    import psutil

    total = process.memory_info().rss
    for descendant in process.children(recursive=True):
        try:
            total += descendant.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1048576


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child_startup(store: str) -> dict:
    """In a new process: import the app, load the gazetteer, create the Dash app; seconds of each."""
    t0 = time.perf_counter()
    import dashboard.web.app as app_module
    t1 = time.perf_counter()
    from dashboard.geocoders.gazetteer import load_gazetteer

    load_gazetteer()
    t2 = time.perf_counter()
    app_module.create_app(store)
    t3 = time.perf_counter()
    return {"import_s": t1 - t0, "gazetteer_s": t2 - t1, "create_app_s": t3 - t2, "startup_s": t3 - t0,
            "peak_rss_mb": max_rss_mb()}


def child_build(corpus: str, store: str, engine: str) -> dict:
    """In a new process: build a store as ``python -m dashboard build`` does; time and peak memory."""
    started = time.perf_counter()
    if engine == "dask":
        from dashboard.store.distributed import build_store_dask

        report = build_store_dask(corpus, store, progress=False)
    else:
        from dashboard.store.build import build_store

        report = build_store(corpus, store, progress=False)
    return {"seconds": time.perf_counter() - started, "articles": report.articles, "processed": report.processed,
            "events": report.events, "problems": len(report.problems), "peak_rss_mb": max_rss_mb()}


def child_callbacks(store: str, repeat: str) -> dict:
    """In a new process: the app over the store, served on 127.0.0.1, and each of its two render
    callbacks requested over HTTP for every view of ``bench/bench_callbacks.py`` (its functions)."""
    bench_callbacks = bench_module("bench_callbacks")
    from dashboard.web.app import create_app
    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState

    started = time.perf_counter()
    event_store = EventStore(store)
    load_s = time.perf_counter() - started
    rss_after_load = _current_rss_mb()
    app = create_app(store, store=event_store)
    base_url, server = bench_callbacks.serve(app)
    bodies = bench_callbacks.render_requests(app)
    sample = event_store.filter(ViewState.from_query("q=raqqa"), limit=1)["id"]
    sample_event = sample.iloc[0] if len(sample) else ""
    samples, by_view = [], {}
    try:
        for name, query in bench_callbacks.VIEWS:
            query = query.format(event=sample_event)
            for body in bodies.values():
                timed = bench_callbacks.measure(lambda q: bench_callbacks.http_render(base_url, body, q), query,
                                                int(repeat))
                samples += timed["times_ms"]
                by_view[name] = max(by_view.get(name, 0), round(timed["p50_ms"], 1))
    finally:
        server.shutdown()
    return {"events": event_store.total, "load_s": load_s, "samples": len(samples),
            "p50_ms": statistics.median(samples), "p95_ms": percentile(samples, 95), "max_ms": max(samples),
            "slowest_callback_p50_ms_by_view": by_view, "rss_after_load_mb": rss_after_load,
            "peak_rss_mb": max_rss_mb(), "load_average": os.getloadavg()[0]}


def _current_rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1048576


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


CHILDREN = {"startup": child_startup, "build": child_build, "callbacks": child_callbacks}


# --- stores and corpora -------------------------------------------------------------------------------------
def synthetic_corpus(workdir: Path, n_articles: int) -> Path:
    folder = workdir / f"corpus-{n_articles}"
    if not (folder / "metadata.json").exists():
        log(f"writing a synthetic corpus of {n_articles:,} articles to {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        bench_module("corpus").write_corpus(folder, n_articles, seed=11)
    return folder


def synthetic_store(workdir: Path, n_events: int) -> Path:
    """A store of ``n_events`` generated events (bench/gen_events.py), made once and reused."""
    store = workdir / f"events-{n_events}"
    if (store / "manifest.json").exists():
        return store
    log(f"generating a synthetic store of {n_events:,} events in {store} (once; reused by later runs)")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "gen_events.py"), str(store), "--events", str(n_events)],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    log(f"  generated in {time.perf_counter() - started:.0f} s")
    return store


# --- the run ----------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict:
    quick = args.quick
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {"quick": quick, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    notes: list[str] = []

    texts, described = benchmark_texts(args.benchmarks)
    if quick:
        texts = subset(texts, 350_000)
        described += f" (quick: every k-th, {len(texts)} texts)"
    results["texts"] = described
    log(f"pipeline on {described}")
    pipeline = measure_pipeline(texts)
    log(f"  {pipeline['mb_per_s']:.3f} MB/s, {pipeline['articles_per_s']:.1f} articles/s (CPU time)")
    log("peer (dateparser search_dates + geotext) on the same texts")
    peer = measure_peer(texts)
    log(f"  {peer['mb_per_s']:.3f} MB/s")
    log("each stage alone (bench_dates.time_tagger, bench_places.ours) on the same texts")
    stages = measure_stages(texts)
    results.update({
        "pipeline_mb_per_s": pipeline["mb_per_s"], "pipeline_articles_per_s": pipeline["articles_per_s"],
        "peer_mb_per_s": peer["mb_per_s"], "peer_articles_per_s": peer["articles_per_s"],
        "speedup": pipeline["mb_per_s"] / peer["mb_per_s"], "benchmark_mb": pipeline["mb"],
        "pipeline": pipeline, "peer": peer, **stages,
    })

    small_store = synthetic_store(workdir, 10_000)
    log("start-up (new process: import + gazetteer + create_app), twice; the second is reported")
    run_child(["startup", str(small_store)], timeout=900)  # the first may build the gazetteer index
    startup = run_child(["startup", str(small_store)], timeout=300)
    results.update({"startup_s": startup["startup_s"], "startup": startup})

    n_build = 300 if quick else 10_000
    corpus = synthetic_corpus(workdir, n_build)
    log(f"peak memory of an in-process build of {n_build:,} articles")
    build_store_dir = workdir / f"build-{n_build}"
    _remove_store(build_store_dir)
    build = run_child(["build", str(corpus), str(build_store_dir), "local"], timeout=7200,
                      rss_ceiling_mb=args.rss_ceiling_mb)
    if "stopped" in build:
        notes.append(f"the {n_build:,}-article build was stopped {build['stopped']} after {build['seconds']:.0f} s: "
                     f"its peak memory is more than {build['peak_rss_mb']:.0f} MB")
    else:
        log(f"  {build['peak_rss_mb']:.0f} MB peak, {build['seconds']:.1f} s, {build['events']} events")
    results.update({"peak_rss_mb": build["peak_rss_mb"], "peak_rss_articles": n_build, "build": build,
                    "peak_rss_over_ceiling": "stopped" in build})
    if quick:
        notes.append(f"quick: peak memory is of a {n_build:,}-article build, not 10,000")

    if not quick and not args.skip_dask:
        n_dask = 1_000
        dask_corpus = synthetic_corpus(workdir, n_dask)
        log(f"Dask build (local cluster, one worker per core) beside the in-process build, {n_dask:,} articles")
        local_dir, dask_dir = workdir / "dask-cmp-local", workdir / "dask-cmp-dask"
        _remove_store(local_dir)
        _remove_store(dask_dir)
        local = run_child(["build", str(dask_corpus), str(local_dir), "local"], timeout=3600)
        dask = run_child(["build", str(dask_corpus), str(dask_dir), "dask"], timeout=3600)
        results.update({"dask_build_s": dask["seconds"], "local_build_s": local["seconds"],
                        "dask_build_speedup": local["seconds"] / dask["seconds"],
                        "dask_equals_local": _same_events(local_dir, dask_dir)})

    sizes = [10_000, 100_000] + ([1_000_000] if not quick or (workdir / "events-1000000" / "manifest.json").exists()
                                 else [])
    repeat = 2 if quick else 5
    callbacks = {}
    for n in sizes:
        store = synthetic_store(workdir, n)
        log(f"callback latency at {n:,} events (bench_callbacks.VIEWS x 2 callbacks x {repeat})")
        callbacks[n] = run_child(["callbacks", str(store), str(repeat)], timeout=1800)
        log(f"  p95 {callbacks[n]['p95_ms']:.0f} ms; store opened in {callbacks[n]['load_s']:.1f} s, "
            f"{callbacks[n]['rss_after_load_mb']:.0f} MB")
    for n, key in ((10_000, "10k"), (100_000, "100k"), (1_000_000, "1m")):
        results[f"callback_p95_ms_{key}"] = callbacks[n]["p95_ms"] if n in callbacks else None
        results[f"callback_p50_ms_{key}"] = callbacks[n]["p50_ms"] if n in callbacks else None
    if 1_000_000 not in callbacks:
        notes.append("quick: no 1M-event store in the workdir yet, so no 1M callback figure (run the full bench once)")
    results["callbacks"] = {str(n): c for n, c in callbacks.items()}

    try:
        results.update(measure_exports(workdir, synthetic_store(workdir, 100_000 if not quick else 10_000), quick))
    except (Exception, SystemExit) as err:  # bench_export exits on a failed export; the other figures stand
        results.update({"export_png_s": None, "export_store": "-"})
        notes.append(f"export not measured: {str(err).strip()[:300]}")
    results["notes"] = notes
    return results


def measure_exports(workdir: Path, store: Path, quick: bool) -> dict:
    """With ``bench/bench_export.py``'s functions: a PNG report exported by a new process (as a user runs
    ``python -m dashboard export``: imports, store, Chromium start, render), then one with the browser
    already running (the app's export buttons); CSV and GeoJSON by a new process (full run)."""
    from dashboard.export.renderer import ImageRenderer

    bench_export = bench_module("bench_export")
    out_dir = workdir / "exports"
    out_dir.mkdir(exist_ok=True)
    log(f"export of the report figure from {store.name}")
    figures = {"export_store": store.name,
               "export_png_s": bench_export.cold(store, "png", out_dir / "report.png")}
    with ImageRenderer() as renderer:
        bench_export.warm(store, "png", out_dir / "report.png", renderer)  # first image of a new browser
        figures["export_png_warm_s"] = bench_export.warm(store, "png", out_dir / "report.png", renderer)
    if not quick:
        figures["export_csv_s"] = bench_export.cold(store, "csv", out_dir / "events.csv")
        figures["export_geojson_s"] = bench_export.cold(store, "geojson", out_dir / "events.geojson")
    log(f"  png {figures['export_png_s']:.2f} s new process, {figures['export_png_warm_s']:.2f} s warm")
    return figures


def _same_events(one: Path, other: Path) -> bool:
    """Whether two stores hold the same events, every column compared."""
    from dashboard.store.generations import read_event_rows

    return sorted(read_event_rows(one), key=lambda r: r["id"]) == sorted(read_event_rows(other), key=lambda r: r["id"])


def _remove_store(store: Path) -> None:
    if store.is_symlink():
        store.unlink()
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.parent / f"{store.name}.generations", ignore_errors=True)


# --- output -------------------------------------------------------------------------------------------------
def table(results: dict) -> str:
    cores = os.cpu_count() or 1

    def fmt(value, spec=".2f", unit=""):
        return "n/a" if value is None else f"{value:{spec}}{unit}"

    p, q = results["pipeline"], results["peer"]
    rows = [
        ("Full pipeline (dates + places + events), per core", f"{p['mb_per_s']:.2f} MB/s, {p['articles_per_s']:.1f} articles/s",
         f">= {TARGET_MB_PER_S_PER_CORE} MB/s per core"),
        ("Peer: dateparser search_dates + geotext, same texts", f"{q['mb_per_s']:.2f} MB/s, {q['articles_per_s']:.1f} articles/s", ""),
        ("Speed-up over the peer", f"{results['speedup']:.1f}x", f">= {TARGET_SPEEDUP:g}x"),
    ]
    if "dates_mb_per_s" in results or "places_mb_per_s" in results:
        rows.append(("Stages alone: dates (tag_dates) / places (find_places)",
                     f"{fmt(results.get('dates_mb_per_s'))} / {fmt(results.get('places_mb_per_s'))} MB/s", ""))
    rows += [
        ("Start-up (import + gazetteer + app), new process", fmt(results["startup_s"], ".2f", " s"), ""),
        (f"Peak memory, build of {results['peak_rss_articles']:,} articles",
         ("> " if results["peak_rss_over_ceiling"] else "") + fmt(results["peak_rss_mb"], ".0f", " MB")
         + (" (stopped)" if results["peak_rss_over_ceiling"] else ""), f"<= {TARGET_PEAK_RSS_MB} MB"),
    ]
    if not results["peak_rss_over_ceiling"]:
        build = results["build"]
        rows.append((f"Build of {results['peak_rss_articles']:,} synthetic articles, in-process (wall)",
                     f"{build['seconds']:.0f} s, {build['articles'] / build['seconds']:.1f} articles/s", ""))
    if "dask_build_speedup" in results:
        rows.append((f"Dask build ({cores} workers) vs in-process, 1,000 articles",
                     f"{results['dask_build_s']:.1f} s vs {results['local_build_s']:.1f} s "
                     f"({results['dask_build_speedup']:.2f}x); same events: {results['dask_equals_local']}", ""))
    for key, label in (("10k", "10k"), ("100k", "100k"), ("1m", "1M")):
        rows.append((f"Filter callback (one render request) p50 / p95, {label} events",
                     f"{fmt(results.get(f'callback_p50_ms_{key}'), '.0f')} / {fmt(results.get(f'callback_p95_ms_{key}'), '.0f')} ms", ""))
    rows.append((f"Export PNG report, new process ({results['export_store']})", fmt(results["export_png_s"], ".2f", " s"), ""))
    if "export_png_warm_s" in results:
        rows.append(("Export PNG report, browser running", fmt(results["export_png_warm_s"], ".2f", " s"), ""))
    for key, label in (("export_csv_s", "CSV"), ("export_geojson_s", "GeoJSON")):
        if key in results:
            rows.append((f"Export {label}, new process ({results['export_store']})", fmt(results[key], ".2f", " s"), ""))
    lines = ["| measure | this machine | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append("")
    lines.append(f"Texts: {results['texts']}. Machine: {results['machine']}. {results['date']}.")
    lines += [f"Note: {n}" for n in results["notes"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke test of about two minutes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS,
                        help=f"folder of */gold.jsonl texts (default {DEFAULT_BENCHMARKS})")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help=f"where generated corpora and stores are kept (default {DEFAULT_WORKDIR})")
    parser.add_argument("--skip-dask", action="store_true", help="leave out the Dask build comparison")
    parser.add_argument("--rss-ceiling-mb", type=float, default=4096,
                        help="stop the memory-measured build past this (default 4096 MB; the machine is shared)")
    parser.add_argument("--profile", action="store_true",
                        help="only profile the pipeline on the texts (per stage, hot functions) and stop")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        name, *rest = args.child
        print(json.dumps(CHILDREN[name](*rest)))
        return 0
    if args.profile:
        texts, described = benchmark_texts(args.benchmarks)
        texts = subset(texts, 350_000) if args.quick else texts
        print(f"{described}\n{profile_pipeline(texts)}")
        return 0
    results = run(args)
    if args.json:
        print(json.dumps(results, default=str))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
