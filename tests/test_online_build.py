"""Online geocoding in the build, against a local Nominatim-speaking server that answers, stalls and fails.

The build runs as a user runs it (``python -m dashboard build`` in a subprocess, the setting in the
environment); the server is a thread of this test process on 127.0.0.1, so nothing leaves the machine.
"""
from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyarrow.parquet as pq
import pytest
from geopy.location import Location

from dashboard.pipeline.places import find_places
from dashboard.geocoders.offline import GeocodeCache
from dashboard.pipeline.places.online import article_country, resolve_online
from dashboard.store.generations import current_generation

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# The online service's answers: deliberately NOT the gazetteer's points, so an event shows which one it got.
ONLINE_POINTS = {"Mosul": (36.401, 43.201), "Raqqa": (35.901, 39.101), "Tikrit": (34.551, 43.701),
                 "Hajin": (34.701, 40.801), "Iraq": (33.101, 43.901), "Syria": (34.901, 38.901)}
ONLINE_COUNTRIES = {"Mosul": "IQ", "Raqqa": "SY", "Tikrit": "IQ", "Hajin": "SY", "Iraq": "IQ", "Syria": "SY"}
CLIENT_TIMEOUT_S = 0.5

ARTICLES = {
    "iraq.txt": "On 12 March 2017, coalition airstrikes hit Mosul, killing 12 fighters.\n\n"
                "On 3 April 2017, Iraqi forces entered Tikrit after a week of fighting.\n\n"
                "Mosul was quiet again on 20 April 2017, officials in Iraq said.\n",
    "syria.txt": "On 5 June 2017, the offensive on Raqqa began with heavy shelling.\n\n"
                 "On 9 December 2018, fighters were driven from Hajin in eastern Syria.\n",
}


class ScriptedNominatim(BaseHTTPRequestHandler):
    """Nominatim's /search: a point per known name; ``script[name]`` lists faults to play first
    ("timeout" stalls past the client's timeout, a number is that HTTP status); ``forever[name]`` is
    a status returned every time."""

    script: dict[str, list] = {}
    forever: dict[str, int] = {}
    calls: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        type(self).calls.append(query)
        name = query.split(",")[0].strip()
        faults = type(self).script.get(name, [])
        fault = faults.pop(0) if faults else type(self).forever.get(name)
        if fault == "timeout":
            time.sleep(CLIENT_TIMEOUT_S * 3)
            fault = 200
        if fault not in (None, 200):
            self.send_response(fault)
            if fault == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(b"unavailable")
            return
        body = []
        if name in ONLINE_POINTS:
            lat, lon = ONLINE_POINTS[name]
            kind = "country" if name in ("Iraq", "Syria") else "city"
            body = [{"place_id": 1, "lat": str(lat), "lon": str(lon), "name": name, "addresstype": kind,
                     "display_name": query, "class": "place", "type": kind, "importance": 0.6}]
            if parse_qs(urlparse(self.path).query).get("addressdetails") == ["1"]:
                body[0]["address"] = {"country_code": ONLINE_COUNTRIES[name].lower()}
        payload = json.dumps(body).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout case): that is the point

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim():
    ScriptedNominatim.script, ScriptedNominatim.forever, ScriptedNominatim.calls = {}, {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedNominatim)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def online_env(domain: str, cache: Path) -> dict:
    env = dict(os.environ, NEWS_DASHBOARD_GEOCODER="nominatim", NEWS_DASHBOARD_GEOCODER_DOMAIN=domain,
               NEWS_DASHBOARD_GEOCODER_SCHEME="http", NEWS_DASHBOARD_GEOCODER_CACHE=str(cache),
               NEWS_DASHBOARD_GEOCODER_MIN_DELAY="0", NEWS_DASHBOARD_GEOCODER_RETRIES="2",
               NEWS_DASHBOARD_GEOCODER_RETRY_WAIT="0.05", NEWS_DASHBOARD_GEOCODER_TIMEOUT=str(CLIENT_TIMEOUT_S))
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(corpus: Path, store: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "dashboard", "build", "--corpus", str(corpus), "--store", str(store)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def stored_events(store: Path) -> list[dict]:
    return pq.read_table(current_generation(store) / "events").to_pylist()


def near(a: float, b: float) -> bool:
    return abs(a - b) < 1e-3


def test_the_build_resolves_online_retries_faults_and_marks_what_failed(nominatim, corpus, tmp_path):
    ScriptedNominatim.script = {"Raqqa": [429, 503], "Tikrit": ["timeout"]}  # each succeeds on the last retry
    ScriptedNominatim.forever = {"Hajin": 500}
    env = online_env(nominatim, tmp_path / "geocode.sqlite")
    done = build(corpus, tmp_path / "store", env)
    assert done.returncode == 0, done.stderr  # unresolved places are not skipped input: the build went through
    assert "Hajin" in done.stderr and "unresolved" in done.stderr  # ... but the user is told

    events = stored_events(tmp_path / "store")
    by_place = {}
    for e in events:
        by_place.setdefault(e["place"], []).append(e)
    for name in ("Mosul", "Raqqa", "Tikrit"):
        assert name in by_place, (name, sorted(by_place))
        for e in by_place[name]:  # the online point, not the gazetteer's
            assert near(e["lat"], ONLINE_POINTS[name][0]) and near(e["lon"], ONLINE_POINTS[name][1]), e
            assert e["country_code"] == ONLINE_COUNTRIES[name]
    assert "Hajin" not in by_place and not any(near(e["lat"], ONLINE_POINTS["Hajin"][0]) for e in events)
    assert any(str(e["start_date"]) == "2017-03-12" for e in by_place["Mosul"])

    calls = ScriptedNominatim.calls
    assert calls.count("Mosul, Iraq") == 1  # one query per distinct name per article, biased by its country
    assert calls.count("Raqqa, Syria") == 3 and calls.count("Tikrit, Iraq") == 2  # retried until answered
    assert calls.count("Hajin, Syria") == 3 and calls.count("Hajin") == 3  # every retry of both forms failed

    # extract lists the failed place with no point, and makes no event of it
    extracted = subprocess.run([PYTHON, "-m", "dashboard", "extract", str(corpus / "syria.txt")], env=env,
                               cwd=ROOT, capture_output=True, text=True, timeout=300)
    line = json.loads(extracted.stdout)
    hajin = [p for p in line["places"] if p["name"] == "Hajin"]
    assert hajin and all(p["lat"] is None and p["lon"] is None and p["unresolved"] is True for p in hajin)
    assert hajin[0]["reason"] == "service failed"
    raqqa = [p for p in line["places"] if p["name"] == "Raqqa"]
    assert raqqa and near(raqqa[0]["lat"], ONLINE_POINTS["Raqqa"][0]) and raqqa[0]["resolver"].startswith("nominatim:")
    assert line["events"] and all(e["place"] != "Hajin" for e in line["events"])


def test_a_second_build_asks_the_service_nothing_it_already_answered(nominatim, corpus, tmp_path):
    ScriptedNominatim.forever = {"Hajin": 500}
    env = online_env(nominatim, tmp_path / "geocode.sqlite")
    assert build(corpus, tmp_path / "first", env).returncode == 0
    first_calls = list(ScriptedNominatim.calls)
    ScriptedNominatim.calls.clear()
    ScriptedNominatim.forever = {}  # the service has recovered
    assert build(corpus, tmp_path / "second", env).returncode == 0  # a fresh store: every article analysed
    answered = {q for q in first_calls if not q.startswith("Hajin")}
    assert answered and not answered & set(ScriptedNominatim.calls)  # all from the cache
    assert "Hajin, Syria" in ScriptedNominatim.calls  # the failure was not remembered: asked again
    hajin = [e for e in stored_events(tmp_path / "second") if e["place"] == "Hajin"]
    assert hajin and near(hajin[0]["lat"], ONLINE_POINTS["Hajin"][0])


def test_resolve_online_one_query_per_name_and_unresolved_mentions():
    text = "Raqqa fell. Later Raqqa was rebuilt, and Palmyra in Syria was retaken."
    mentions = find_places(text)
    asked: list[str] = []

    def geocode(query):
        asked.append(query)
        if query.startswith("Palmyra"):
            return None
        return Location(query, (1.5, 2.5), {"name": "X", "type": "city", "address": {"country_code": "tr"}})

    assert article_country(mentions) == "SY"
    out = resolve_online(mentions, geocode, country_hint="SY")
    assert asked.count("Raqqa, Syria") == 1 and "Syria" in asked
    palmyra_asked = [q for q in asked if q.startswith("Palmyra")]
    assert palmyra_asked == ["Palmyra, Syria", "Palmyra"]  # the biased form first, then the bare name
    assert [m.start for m in out] == [m.start for m in mentions]  # every mention kept, in place
    palmyra = [m for m in out if m.text == "Palmyra"][0]
    assert not palmyra.resolved and math.isnan(palmyra.lat) and palmyra.unresolved_reason == "not found"
    raqqa = [m for m in out if m.text == "Raqqa"]
    assert len(raqqa) == 2 and all(m.resolved and (m.lat, m.lon) == (1.5, 2.5) for m in raqqa)
    assert raqqa[0].country_code == "TR" and raqqa[0].precision == "city"  # what the answer says, not the guess
    assert raqqa[0].alternatives[0].source == "geonames"  # the offline choice stays, for corrections


# --- the cache: never corrupted ------------------------------------------------------------------------
WRITER = """
import sys
from geopy.location import Location
from dashboard.geocoders.offline import GeocodeCache
cache = GeocodeCache(sys.argv[1])
tag, n = sys.argv[2], int(sys.argv[3])
print("ready", flush=True)
for i in range(n):
    cache.put("nominatim:test", f"{tag}-{i}", Location(f"{tag} {i}" + " padding" * 200, (i % 90, i % 180), {"i": i}))
"""


def check_cache(path: Path) -> dict[str, dict]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT query, answer FROM answers").fetchall()
    answers = {query: json.loads(answer) for query, answer in rows}  # every stored answer is whole JSON
    for query, answer in answers.items():
        i = int(query.rsplit("-", 1)[1])
        assert answer["raw"] == {"i": i} and answer["lat"] == i % 90
    return answers


def writer(path: Path, tag: str, n: int) -> subprocess.Popen:
    process = subprocess.Popen([PYTHON, "-c", WRITER, str(path), tag, str(n)], stdout=subprocess.PIPE,
                               text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert process.stdout.readline().strip() == "ready"
    return process


def test_the_cache_survives_kill_9_during_writes(tmp_path):
    path = tmp_path / "geocode.sqlite"
    for attempt in range(3):
        process = writer(path, f"k{attempt}", 100_000)
        time.sleep(0.4 + 0.2 * attempt)  # mid-stream: thousands of commits in flight
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        answers = check_cache(path)
        assert any(q.startswith(f"k{attempt}-") for q in answers)
    cache = GeocodeCache(path)  # and it is still usable
    cache.put("nominatim:test", "after-1", Location("after", (1, 1), {"i": 1}))
    assert cache.get("nominatim:test", "after-1")[0]


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "geocode.sqlite"
    GeocodeCache(path)
    processes = [writer(path, f"w{k}", 300) for k in range(4)]
    for process in processes:
        assert process.wait(timeout=120) == 0
    answers = check_cache(path)
    for k in range(4):
        assert {q for q in answers if q.startswith(f"w{k}-")} == {f"w{k}-{i}" for i in range(300)}


def test_switching_to_online_reanalyses_a_store_built_offline(nominatim, corpus, tmp_path):
    offline_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWS_DASHBOARD_GEOCODER")}
    offline_env["PYTHONPATH"] = str(ROOT)
    assert build(corpus, tmp_path / "store", offline_env).returncode == 0
    mosul = [e for e in stored_events(tmp_path / "store") if e["place"] == "Mosul"]
    assert mosul and not near(mosul[0]["lat"], ONLINE_POINTS["Mosul"][0])  # the gazetteer's point
    assert not ScriptedNominatim.calls  # offline is the default: nothing asked
    done = build(corpus, tmp_path / "store", online_env(nominatim, tmp_path / "geocode.sqlite"))
    assert done.returncode == 0, done.stderr
    mosul = [e for e in stored_events(tmp_path / "store") if e["place"] == "Mosul"]
    assert mosul and all(near(e["lat"], ONLINE_POINTS["Mosul"][0]) for e in mosul)  # not the cached offline result


def test_photon_answers_give_their_country_and_type():
    mentions = find_places("Shelling hit Palmyra on Monday.")
    photon = Location("Palmyra, Syria", (34.55, 38.27), {"type": "Feature", "properties": {
        "name": "Tadmur", "countrycode": "SY", "type": "city", "osm_value": "town"}})
    [palmyra] = resolve_online(mentions, lambda query: photon)
    assert palmyra.resolved and palmyra.name == "Tadmur" and palmyra.country_code == "SY"
    assert palmyra.precision == "city" and (palmyra.lat, palmyra.lon) == (34.55, 38.27)
    assert palmyra.geonameid is None and palmyra.alternatives[0].geonameid is not None
