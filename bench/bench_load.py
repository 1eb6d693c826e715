"""Many users at once: concurrent filter callbacks against the production server (gunicorn).

    .venv/bin/python bench/gen_events.py bench/out/store-100k --events 100000
    .venv/bin/python bench/bench_load.py bench/out/store-100k --clients 50 --requests 2000 --workers 2 --threads 4
    .venv/bin/python bench/bench_load.py bench/out/store-100k --baseline    # and the dev server, for ratios

It starts ``gunicorn -w WORKERS --threads THREADS -b 127.0.0.1:PORT dashboard.wsgi:server`` over the store
(``--url`` uses a server that is already running instead), then CLIENTS threads post REQUESTS filter
callbacks in total to ``/_dash-update-component``, each the request the browser sends when the URL
changes (bench_callbacks.render_requests builds the bodies). The views are varied and drawn from the
store itself: date windows inside its extent, its common countries and event types, text searches for
its common place names, map boxes around its places, timeline brushes, lanes and bins, and mixes of
them. Every response must be HTTP 200 with a JSON body answering every output the callback declares;
anything else is an error, counted and sampled.

It prints one JSON summary: requests sent and answered, errors, latency p50/p95/p99/max (ms, request to
last byte as a client sees it, queueing included), throughput (requests/s over the wall time), the
server's shape and the machine's load. ``--baseline`` loads the naive alternative too, the development
server (``python -m dashboard serve``: one process, Flask's threaded server) with the same views, and
reports the ratios. ``--max-seconds`` stops sending new requests after that long
(the test uses it to stay around a minute); the summary says whether it cut the run short.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyarrow.compute as pc  # noqa: E402
import pyarrow.dataset as ds  # noqa: E402

from bench_callbacks import free_port, percentile, render_requests  # noqa: E402
from dashboard.views.state import EVENT_TYPES  # noqa: E402


# ---------------------------------------------------------------------- the server
def start_gunicorn(store: Path, port: int, workers: int = 2, threads: int = 4,
                   log_path: Path | None = None) -> subprocess.Popen:
    """The documented production command, over ``store`` (its own process group, so it stops whole)."""
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--timeout", "120", "dashboard.wsgi:server"]
    env = dict(os.environ, DASHBOARD_STORE=str(store), PYTHONPATH=str(ROOT))
    env.pop("DASHBOARD_UPLOAD_DIR", None)  # a read-only dashboard
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def start_dev_server(store: Path, port: int, log_path: Path | None = None) -> subprocess.Popen:
    """The naive alternative: ``python -m dashboard serve`` (Flask's threaded server, one process)."""
    command = [sys.executable, "-m", "dashboard", "serve", "--store", str(store), "--port", str(port), "--no-uploads"]
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    return subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_serving(base_url: str, process: subprocess.Popen | None = None, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode} before serving")
        try:
            with urllib.request.urlopen(base_url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base_url} did not answer within {timeout:g} s")


def stop(process: subprocess.Popen, timeout: float = 30) -> int:
    """SIGTERM to the server's process group (gunicorn's master stops its workers), then wait."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


class RemoteApp:
    """Just enough of a Dash app for ``bench_callbacks.render_requests``: its dependencies, over HTTP."""

    class _Response:
        def __init__(self, data: bytes):
            self._data = data

        def get_json(self):
            return json.loads(self._data)

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.server = self

    def test_client(self):
        return self

    def get(self, path: str):
        with urllib.request.urlopen(self.base_url + path, timeout=60) as response:
            return self._Response(response.read())


# ---------------------------------------------------------------------- the views
def store_profile(store: Path) -> dict:
    """What realistic views of this store look like: its date extent, common countries, places, points."""
    table = ds.dataset(Path(store) / "events", format="parquet").to_table(
        columns=["start_date", "end_date", "country_code", "place", "lat", "lon"])
    countries = [c for c, _ in Counter(table["country_code"].to_pylist()).most_common(8) if c]
    places = [p for p, _ in Counter(table["place"].to_pylist()).most_common(30) if p]
    lats, lons = table["lat"].to_pylist(), table["lon"].to_pylist()
    rng = random.Random(7)
    points = [(lat, lon) for lat, lon in rng.sample(list(zip(lats, lons)), min(500, len(lats)))
              if lat is not None and lon is not None]
    first, last = pc.min(table["start_date"]).as_py(), pc.max(table["end_date"]).as_py()
    return {"first": first, "last": last, "countries": countries, "places": places, "points": points}


def view_queries(profile: dict, n: int, seed: int = 1) -> list[str]:
    """``n`` URL query strings a population of users would produce, each mixing one to three filters."""
    rng = random.Random(seed)
    first, last = profile["first"], profile["last"]
    span = max(1, (last - first).days)

    def window():
        start = first + (last - first) * rng.random()
        days = rng.choice([30, 90, 365, 730])
        end = min(last, start + dt.timedelta(days=days))
        return f"from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"

    def brush():
        start = first + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.choice([7, 31, 92]))
        return f"brush={start:%Y-%m-%d}..{end:%Y-%m-%d}"

    def countries():
        return "country=" + ",".join(rng.sample(profile["countries"], rng.randint(1, min(3, len(profile["countries"])))))

    def types():
        return "type=" + ",".join(rng.sample(EVENT_TYPES, rng.randint(1, 3)))

    def search():
        words = [rng.choice(profile["places"]).split()[0]] if profile["places"] else []
        words += rng.sample(["killed", "attack", "forces", "strike", "fighters", "zzzz-nothing"], rng.randint(0, 1))
        return "q=" + urllib.request.quote(" ".join(words))

    def box():
        lat, lon = rng.choice(profile["points"])
        half = rng.choice([0.5, 1.5, 3.0])
        corners = [(lon - half, lat - half), (lon + half, lat - half), (lon + half, lat + half), (lon - half, lat + half)]
        return "area=" + ";".join(f"{x:.3f},{y:.3f}" for x, y in corners)

    def layout():
        return rng.choice(["lanes=country&bin=week", "lanes=type&bin=month", "bin=day&size=fatalities",
                           "tprec=day,week&pprec=city,point"])

    filters = [window, brush, countries, types, search, box, layout]
    queries = []
    for _ in range(n):
        chosen = rng.sample(filters, rng.choice([1, 1, 2, 2, 3]))
        queries.append("&".join(f() for f in chosen))
    return queries


# ---------------------------------------------------------------------- the load
def check_answer(body: dict, data: bytes) -> str | None:
    """None when ``data`` is the JSON answer to ``body``'s callback (every declared output present)."""
    try:
        answer = json.loads(data)
    except ValueError as err:
        return f"not JSON: {err}"
    response = answer.get("response") if isinstance(answer, dict) else None
    if not isinstance(response, dict):
        return "no 'response' object"
    for output in body["outputs"]:
        props = response.get(output["id"])
        if not isinstance(props, dict) or output["property"] not in props:
            return f"no {output['id']}.{output['property']} in the answer"
    return None


def post(base_url: str, body: dict, query: str, timeout: float = 120) -> tuple[float, str | None]:
    """One callback request as the browser sends it: (seconds to the last byte, problem or None)."""
    payload = dict(body, inputs=[{"id": "url", "property": "search", "value": "?" + query}])
    request = urllib.request.Request(base_url + "/_dash-update-component", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        return time.perf_counter() - started, f"HTTP {err.code}"
    except OSError as err:
        return time.perf_counter() - started, f"{type(err).__name__}: {err}"
    elapsed = time.perf_counter() - started
    if status != 200:
        return elapsed, f"HTTP {status}"
    return elapsed, check_answer(body, data)


def run_load(base_url: str, queries: list[str], bodies: dict, clients: int = 50,
             max_seconds: float | None = None) -> dict:
    """``clients`` threads share the queries (each one request; figures and panels callbacks alternate)."""
    jobs = [(query, ("figures", "panels")[i % 2]) for i, query in enumerate(queries)]
    lock = threading.Lock()
    next_job = iter(range(len(jobs)))
    times_ms: list[float] = []
    problems: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    deadline = started + max_seconds if max_seconds else None
    cut_short = threading.Event()

    def client():
        while True:
            with lock:
                if deadline is not None and time.perf_counter() > deadline:
                    cut_short.set()
                    return
                i = next(next_job, None)
            if i is None:
                return
            query, callback = jobs[i]
            elapsed, problem = post(base_url, bodies[callback], query)
            with lock:
                times_ms.append(elapsed * 1000)
                if problem:
                    problems.append((callback, query, problem))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients, "planned": len(jobs), "sent": len(times_ms), "errors": len(problems),
        "error_samples": [{"callback": c, "query": q, "problem": p} for c, q, p in problems[:10]],
        "cut_short_by_max_seconds": cut_short.is_set(), "wall_s": round(wall, 2),
        "throughput_rps": round(len(times_ms) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(times_ms, 50), 1) if times_ms else None,
        "p95_ms": round(percentile(times_ms, 95), 1) if times_ms else None,
        "p99_ms": round(percentile(times_ms, 99), 1) if times_ms else None,
        "max_ms": round(max(times_ms), 1) if times_ms else None,
    }


def load_server(process: subprocess.Popen | None, base_url: str, queries: list[str], clients: int,
                max_seconds: float | None) -> dict:
    """Wait for the server, load it, stop it (when this run started it)."""
    try:
        if process is not None:
            started = time.perf_counter()
            wait_until_serving(base_url, process)
            print(f"{base_url} up in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        bodies = render_requests(RemoteApp(base_url))
        return run_load(base_url, queries, bodies, clients=clients, max_seconds=max_seconds)
    finally:
        if process is not None:
            stop(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--max-seconds", type=float, default=None, help="stop sending new requests after this")
    parser.add_argument("--url", help="load a server that is already running (over the same store)")
    parser.add_argument("--baseline", action="store_true",
                        help="also load `python -m dashboard serve` (one process) with the same views, for ratios")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    queries = view_queries(store_profile(args.store), args.requests, seed=args.seed)
    load_before = os.getloadavg()[0]
    if args.url:
        summary = load_server(None, args.url, queries, args.clients, args.max_seconds)
        summary["server"] = args.url
    else:
        port = free_port()
        process = start_gunicorn(args.store, port, args.workers, args.threads)
        summary = load_server(process, f"http://127.0.0.1:{port}", queries, args.clients, args.max_seconds)
        summary["server"] = f"gunicorn -w {args.workers} --threads {args.threads}"
    if args.baseline:
        port = free_port()
        baseline = load_server(start_dev_server(args.store, port), f"http://127.0.0.1:{port}", queries,
                               args.clients, args.max_seconds)
        baseline["server"] = "python -m dashboard serve (one process, threaded)"
        summary["baseline"] = baseline
        if baseline["sent"] and summary["sent"]:
            summary["p95_ratio_baseline_over_ours"] = round(baseline["p95_ms"] / summary["p95_ms"], 2)
            summary["throughput_ratio_ours_over_baseline"] = round(
                summary["throughput_rps"] / baseline["throughput_rps"], 2)
    summary.update(store=str(args.store), cpus=os.cpu_count(),
                   load_average={"start": load_before, "end": os.getloadavg()[0]})
    print(json.dumps(summary, indent=2, default=str))
    return 0 if summary["errors"] == 0 and summary.get("baseline", {}).get("errors", 0) == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
