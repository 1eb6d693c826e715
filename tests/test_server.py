"""The production server (gunicorn, 2 workers) and the development one (``python -m dashboard serve``),
started as a user starts them, over real stores; and 50 clients loading the production server at once.

    DASHBOARD_STORE=data/store gunicorn -w 2 -b 127.0.0.1:8050 'dashboard.wsgi:server'
"""
from __future__ import annotations

import html as html_lib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_callbacks import free_port, render_requests  # noqa: E402
from bench_load import (RemoteApp, check_answer, post, run_load, start_gunicorn, stop, store_profile,  # noqa: E402
                        view_queries, wait_until_serving)

CDN_HOSTS = ("cdn.", "unpkg.com", "jsdelivr", "cdnjs", "cdn.plot.ly", "googleapis", "mapbox.com")


def get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def gunicorn_seed(seed_store, tmp_path_factory):
    """gunicorn with 2 workers over the store built from the seed corpus; stopped after the module."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    process = start_gunicorn(seed_store, port, workers=2, threads=1, log_path=log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url, process)
    except RuntimeError:
        stop(process)
        raise AssertionError(log.read_text(errors="replace")[-3000:]) from None
    yield base_url, process
    assert stop(process) == 0, log.read_text(errors="replace")[-3000:]  # a clean shutdown on SIGTERM


def absolute_urls(page: str) -> list[str]:
    """Every absolute URL in a page, including those inside its JSON config (where "/" is escaped)."""
    text = html_lib.unescape(page.replace("\\u002f", "/").replace("\\/", "/"))
    return re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>]*", text)


def values_of(key: str, tree) -> list:
    """Every value of ``key`` anywhere in a JSON tree (the layout nests each graph's config deep)."""
    if isinstance(tree, dict):
        return ([tree[key]] if key in tree else []) + [v for value in tree.values() for v in values_of(key, value)]
    if isinstance(tree, list):
        return [v for value in tree for v in values_of(key, value)]
    return []


def test_gunicorn_serves_the_app_with_everything_local(gunicorn_seed):
    base_url, process = gunicorn_seed
    workers = psutil.Process(process.pid).children()
    assert len(workers) == 2  # -w 2: the master and two workers

    status, body = get(base_url + "/")
    page = body.decode()
    assert status == 200 and 'id="react-entry-point"' in page and "<title>News timeline and map</title>" in page
    urls = absolute_urls(page)
    # the one absolute URL Dash writes is its version check, which only the dev tools (off: ui=false) fetch
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page,
                                  re.S).group(1))
    assert config["ui"] is False and config["serve_locally"] is True
    assert [u for u in urls if u not in config.get("dash_version_url", "")] == []
    assert not any(host in page.replace("\\u002f", "/") for host in CDN_HOSTS)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert scripts and all(s.startswith("/") and not s.startswith("//") for s in scripts)
    for script in scripts:  # every script the page names is served by this server
        assert get(base_url + script)[0] == 200

    # plotly.js itself: dcc's Graph loads it on demand from the server's component suites, not a CDN
    status, bundle = get(base_url + "/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert status == 200 and len(bundle) > 1_000_000 and b"plotly" in bundle[:5000].lower()

    # the map's boundaries: the layout names a local topojson folder, and the server has the files
    status, layout = get(base_url + "/_dash-layout")
    topojson_urls = set(values_of("topojsonURL", json.loads(layout)))
    assert topojson_urls and all(u.startswith("/") for u in topojson_urls)
    for folder in topojson_urls:
        status, data = get(base_url + folder + "world_110m.json")
        assert status == 200 and json.loads(data)["type"] == "Topology"

    # a filter callback, as the browser posts it when the URL changes
    bodies = render_requests(RemoteApp(base_url))
    for name, body in bodies.items():
        elapsed, problem = post(base_url, body, "from=2014-01-01&to=2019-12-31&q=syria")
        assert problem is None, (name, problem)


def test_the_answer_check_rejects_wrong_answers():
    """The load test's validator must be able to fail: a bare error, a missing output, HTML."""
    body = {"outputs": [{"id": "timeline", "property": "figure"}, {"id": "map", "property": "figure"}]}
    good = json.dumps({"multi": True, "response": {"timeline": {"figure": {}}, "map": {"figure": {}}}}).encode()
    assert check_answer(body, good) is None
    assert "map.figure" in check_answer(body, json.dumps({"response": {"timeline": {"figure": {}}}}).encode())
    assert "not JSON" in check_answer(body, b"<html>Internal Server Error</html>")
    assert "response" in check_answer(body, b'{"error": "boom"}')


def reloader(process: psutil.Process) -> bool:
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:  # gone already (a short-lived helper): not a server
        return False
    return "dashboard" in command and "serve" in command


def test_python_m_dashboard_serve_binds_localhost_with_debug_off(seed_store, tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "dashboard", "serve", "--store", str(seed_store), "--port", str(port),
               "--no-uploads"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process)
        serving = psutil.Process(process.pid)
        listening = [c.laddr for c in serving.net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == port]
        assert [a.ip for a in listening] == ["127.0.0.1"]  # this machine only, not 0.0.0.0 or ::
        # debug mode would restart the server in a reloader child running the same command
        assert not [child for child in serving.children(recursive=True) if reloader(child)]
        page = get(f"http://127.0.0.1:{port}/")[1].decode()
        config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page,
                                      re.S).group(1))
        assert config["ui"] is False and config["props_check"] is False  # Dash's debug mode is off
        assert "Serving the dashboard on http://127.0.0.1:" in log.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


# --- load ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def store_100k(tmp_path_factory) -> Path:
    """A 100,000-event synthetic store (bench/gen_events.py; about 5 s on this 2-core machine)."""
    from gen_events import generate_events, write_store

    started = time.perf_counter()
    events, articles = generate_events(100_000, seed=21)
    store = write_store(tmp_path_factory.mktemp("load") / "store-100k", events, articles)
    print(f"\n100k-event store generated in {time.perf_counter() - started:.1f} s")
    return store


def test_fifty_clients_2000_filter_callbacks_without_an_error(store_100k, tmp_path):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_gunicorn(store_100k, port, workers=2, threads=4, log_path=tmp_path / "gunicorn.log")
    try:
        wait_until_serving(base_url, process)
        bodies = render_requests(RemoteApp(base_url))
        queries = view_queries(store_profile(store_100k), 2000, seed=3)
        assert len(set(queries)) > 1500  # varied views, not one request repeated
        summary = run_load(base_url, queries, bodies, clients=50, max_seconds=60)
    finally:
        stop(process)
    print("\nload:", json.dumps(summary))
    assert summary["errors"] == 0, summary["error_samples"]  # every answer was 200 and the right JSON shape
    assert summary["sent"] >= 200  # bounded to about a minute; it went through a real share of the 2,000
    assert summary["sent"] == summary["planned"] or summary["cut_short_by_max_seconds"]
    assert "gunicorn" in (tmp_path / "gunicorn.log").read_text() and \
        "Traceback" not in (tmp_path / "gunicorn.log").read_text()
