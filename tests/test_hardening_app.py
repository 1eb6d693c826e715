"""Nothing lost (issue 18, case 3): a running app and the command line on one store. A ``build`` from the
command line (with another --corpus) makes a new generation: the app serves it from the next request on,
and an upload in the app rebuilds from the folders the store records now, never from those it read at
start-up. Driven through the real app's callbacks (Flask's test client), as the browser sends them.
"""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from dashboard.cli import main as run_cli
from dashboard.store.generations import current_generation, read_articles
from dashboard.web import app as app_module
from tests.test_hardening_editing import BRIDGE, SIEGE, call, ids, site, template  # noqa: F401

MARKET = SIEGE.replace("Kobani", "Manbij").replace("shelled the town of", "attacked the market of")


def shown(app, search: str = "") -> tuple[int, set[str]]:
    """What the page shows for a URL: the total in its summary line and the ids of the table's rows."""
    side = call(app, "summary.children", {"url.search": search}, "url.search")
    assert side.status_code == 200, side.get_data(as_text=True)[:500]
    (total,) = re.findall(r" of ([\d,]+) events", side.get_data(as_text=True))
    table = call(app, "table.rowData", {"url.search": search, "table-key.data": "any"}, "table-key.data")
    assert table.status_code == 200, table.get_data(as_text=True)[:500]
    rows = json.loads(table.get_data(as_text=True))["response"]["table"]["rowData"]
    return int(total.replace(",", "")), {row["id"] for row in rows}


@pytest.fixture
def served(site, monkeypatch):
    """The app as ``serve`` makes it (uploads on, no --corpus), looking for new generations at every request."""
    monkeypatch.setattr(app_module, "GENERATION_CHECK_S", 0.0)
    return app_module.create_app(site / "store", upload_dir=site / "uploads")


def add_folder(site: Path) -> Path:
    more = site / "more"
    more.mkdir()
    (more / "market.txt").write_text(MARKET, encoding="utf-8")
    return more


def test_the_app_serves_the_generation_a_command_line_build_made(site, served):
    before = ids(site)
    assert shown(served) == (len(before), before)
    more = add_folder(site)
    assert run_cli(["build", "--corpus", str(site / "corpus"), "--corpus", str(more), "--store",
                    str(site / "store")]) == 0
    after = ids(site)
    assert after > before
    assert shown(served) == (len(after), after)  # the very next request, without a restart


def test_the_app_looks_for_a_new_generation_only_every_few_seconds(site, served, monkeypatch):
    monkeypatch.setattr(app_module, "GENERATION_CHECK_S", 3600.0)
    served.server.test_client().get("/")  # looked now: the next hour's requests do not look again
    before = ids(site)
    more = add_folder(site)
    assert run_cli(["build", "--corpus", str(site / "corpus"), "--corpus", str(more), "--store",
                    str(site / "store")]) == 0
    assert shown(served)[1] == before
    monkeypatch.setattr(app_module, "GENERATION_CHECK_S", 0.0)
    assert shown(served)[1] == ids(site) > before


def test_an_upload_in_the_app_rebuilds_from_the_folders_the_store_records_now(site, served):
    more = add_folder(site)
    assert run_cli(["build", "--corpus", str(site / "corpus"), "--corpus", str(more), "--store",
                    str(site / "store")]) == 0  # the command line adds a folder while the app runs
    built = ids(site)
    data = "data:text/plain;base64," + base64.b64encode(BRIDGE.replace("iron", "rail").encode()).decode()
    response = call(served, "upload-job.data", {"upload-files.contents": [data],
                                                "upload-files.filename": ["bridge-2.txt"]}, "upload-files.contents")
    assert response.status_code == 200
    job_id = json.loads(response.get_data(as_text=True))["response"]["upload-job"]["data"]
    job = served._editing.runner.wait(job_id)
    assert job.state == "done", job.error
    assert {a["id"] for a in read_articles(site / "store")} == {"dam", "bridge", "siege", "market", "bridge-2"}
    assert job.events_after >= job.events_before == len(built)
    total, rows = shown(served)
    assert total == len(ids(site)) >= len(built) and rows == ids(site)  # (the two bridge reports may merge)


def test_a_new_generation_that_does_not_read_keeps_the_old_events_on_screen(site, served):
    before = ids(site)
    more = add_folder(site)
    assert run_cli(["build", "--corpus", str(site / "corpus"), "--corpus", str(more), "--store",
                    str(site / "store")]) == 0
    (part,) = (current_generation(site / "store") / "events").glob("part-*.parquet")
    part.write_bytes(part.read_bytes()[:100])
    assert shown(served) == (len(before), before)  # no error page: the events it had
