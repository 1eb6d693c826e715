"""Shared fixtures: real stores (the seed build, synthetic ones) and headless Chromium for the app tests.

Browser tests (marked ``browser``) run under dash[testing]'s ``dash_duo`` with Debian's /usr/bin/chromium
and chromedriver; image-export tests (marked ``chromium``) draw with kaleido in the same Chromium. Both are
skipped only outside CI when Chromium is missing; with ``CI=true`` a missing browser fails them loudly.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard.store.build import build_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1280,800")


def pytest_setup_options():
    """dash[testing] hook: the Chrome options for ``dash_duo`` (headless Chromium, no network chatter)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    if CHROMIUM:
        options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    return options


def pytest_runtest_setup(item):
    """Browser and image-export tests need Chromium: skipped without it locally, failed without it in CI.
    (A hook, not a fixture: it runs before the module-wide fixtures that would start the browser.)"""
    if "browser" in item.keywords:
        missing = [name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not path]
    elif "chromium" in item.keywords:
        missing = [] if (CHROMIUM or os.environ.get("BROWSER_PATH")) else ["chromium"]
    else:
        return
    if not missing:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {' and '.join(missing)} is missing: these tests must run in CI "
                    "(make browser installs Debian's chromium and chromium-driver)")
    pytest.skip(f"{' and '.join(missing)} not installed (outside CI)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def generated_store(folder: Path, n_events: int, seed: int) -> Path:
    """``folder``/store: a synthetic store of ``n_events`` written by the dashboard's own generator."""
    from gen_events import generate_events, write_store

    events, articles = generate_events(n_events, seed=seed)
    return write_store(folder / "store", events, articles)


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory) -> Path:
    """A 3,000-event synthetic store (bench/gen_events.py) in the real layout."""
    from gen_events import generate_events, write_store

    events, articles = generate_events(3000, seed=11)
    return write_store(tmp_path_factory.mktemp("synthetic") / "store", events, articles, part_size=1000)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """The real seed store, built from data/corpus by the pipeline."""
    store = tmp_path_factory.mktemp("seed") / "store"
    build_store(ROOT / "data" / "corpus", store)
    return store


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory) -> Path:
    """A small store whose first event's sentence, title and link are hostile HTML/JS."""
    from gen_events import generate_events, write_store

    events, articles = generate_events(50, seed=3)
    rows = events.to_pylist()
    sentence = 'Militants <script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> seized Mosul.'
    place_at = sentence.index("Mosul")
    rows[0].update(
        id="hostile-1", sentence=sentence, place="Mosul", country_code="IQ", lat=36.34, lon=43.13,
        place_precision="city", event_type="capture_or_seizure",
        provenance=json.dumps([{
            "article_id": "art-0000000", "sentence": sentence, "start": 10, "end": 10 + len(sentence),
            "mentions": [{"kind": "place", "text": "Mosul", "start": 10 + place_at, "end": 15 + place_at}],
            "published": "2016-01-01", "title": "<b onmouseover=alert(1)>Bold title</b>",
            "url": "javascript:window.__pwned=3",
        }]),
    )
    from dashboard.store.schema import EVENTS_SCHEMA

    table = pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA)
    return write_store(tmp_path_factory.mktemp("hostile") / "store", table, articles)
