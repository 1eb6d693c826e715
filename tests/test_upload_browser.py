"""Uploading articles in the real app, in headless Chromium: the new events appear on the map and the
timeline without a restart; files over the limit, binary junk and a zip bomb are refused with a message
and nothing else is lost.

The app is ``create_app(store, upload_dir=...)``, which mounts the upload and correction panels.
"""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from dashboard.web.app import create_app
from dashboard.store.generations import read_event_rows
from dashboard.editing.rebuild import rebuild
from tests.conftest import free_port
from tests.test_app_browser import wait_rendered, wait_until as app_wait_until

pytestmark = pytest.mark.browser
TIMEOUT = 60

RAQQA = """Offensive on Raqqa begins

BEIRUT, June 7, 2017 - Kurdish-led fighters of the Syrian Democratic Forces entered Raqqa on 6 June 2017, the US-led coalition said.

In Palmyra, Islamic State militants destroyed the Roman theatre in January 2017, satellite images showed.
"""
MOSUL = """Iraqi forces retake Mosul

BAGHDAD, July 10, 2017 - Iraqi forces recaptured the old city of Mosul on 9 July 2017 after nine months of fighting against Islamic State militants, the prime minister said.

Separately, a car bomb exploded in Tikrit on 8 July 2017, killing five people, police said.
"""


# ---------------------------------------------------------------------------------------------- helpers
def make_site(root: Path, articles: dict[str, str]) -> tuple[Path, Path]:
    """A corpus folder with ``articles``, an empty uploads folder, and the store built from both."""
    corpus, uploads = root / "corpus", root / "uploads"
    corpus.mkdir(parents=True)
    uploads.mkdir()
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    store = root / "store"
    rebuild(store, [corpus, uploads])
    return store, uploads


def start_app(dash_duo, store: Path, uploads: Path):
    """The real app, as ``serve`` makes it: ``create_app`` with the uploads folder mounts both panels.

    Limits come from the environment (``DASHBOARD_UPLOAD_MAX_FILE_MB``...), set by the test's monkeypatch.
    """
    app = create_app(store, upload_dir=uploads)
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1280, 1500)
    wait_rendered(dash_duo)
    return app


def wait_until(condition, what: str, timeout: float = TIMEOUT):
    return app_wait_until(condition, what, timeout)  # rebuilds take longer than a render: a longer wait


def markers(dash_duo, graph: str) -> set[str]:
    """Event ids drawn on a graph (from the Plotly figure's data)."""
    return set(dash_duo.driver.execute_script(f"""
        const gd = document.querySelector('#{graph} .js-plotly-plot');
        if (!gd || !gd.data) return [];
        return gd.data.filter(t => Array.isArray(t.customdata))
            .flatMap(t => t.customdata).filter(c => typeof c === 'string' && !c.startsWith('bin:'));
    """))


def drop_files(dash_duo, paths: list[Path]):
    """Choose files in the drop zone's file input, as a user's drop does."""
    field = dash_duo.driver.find_element(By.CSS_SELECTOR, "#upload-files input[type=file]")
    field.send_keys("\n".join(str(p) for p in paths))


def upload_finished(dash_duo) -> str:
    return wait_until(lambda: (text := dash_duo.find_element("#upload-state").text).startswith(("Done", "Nothing",
                                                                                                 "The upload"))
                      and text, "the upload job to finish")


def upload_messages(dash_duo) -> dict[str, str]:
    items = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#upload-messages li")
    return {li.text.split(": ", 1)[0]: li.text for li in items}


# ---------------------------------------------------------------------------------------------- tests
def test_uploaded_articles_appear_on_the_map_and_timeline_without_a_restart(dash_duo, tmp_path):
    store, uploads = make_site(tmp_path, {"raqqa.txt": RAQQA})
    before = {e["id"] for e in read_event_rows(store)}
    start_app(dash_duo, store, uploads)
    wait_until(lambda: before <= markers(dash_duo, "timeline"), "the first article's events")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "mosul report.txt").write_text(MOSUL, encoding="utf-8")
    dash_duo.find_element(".upload-metadata summary").click()
    dash_duo.find_element("#upload-published").send_keys("2017-07-10")
    dash_duo.find_element("#upload-title").send_keys("Iraqi forces retake Mosul")
    drop_files(dash_duo, [incoming / "mosul report.txt"])
    state = upload_finished(dash_duo)
    assert state.startswith("Done: 1 file(s) added, 0 refused"), state
    assert "saved as mosul_report.txt (1 article)" in upload_messages(dash_duo)["mosul report.txt"]
    after = {e["id"] for e in read_event_rows(store)}
    new = after - before
    assert new and before <= after
    # the view is drawn again over the reloaded store: the new events are on both graphs
    wait_until(lambda: new <= markers(dash_duo, "map") | set(), "the new events on the map")
    wait_until(lambda: new <= markers(dash_duo, "timeline"), "the new events on the timeline")
    assert before <= markers(dash_duo, "timeline")
    # the link shows only the new article's events; its metadata came from the form
    dash_duo.find_element("#upload-show-new").click()
    wait_until(lambda: "source=mosul_report" in dash_duo.driver.current_url, "the new articles' view")
    wait_rendered(dash_duo)
    wait_until(lambda: markers(dash_duo, "timeline") == {e for e in new}, "only the new events")
    from dashboard.store.generations import read_articles

    article = next(a for a in read_articles(store) if a["id"] == "mosul_report")
    assert article["title"] == "Iraqi forces retake Mosul" and str(article["published_start"]) == "2017-07-10"


def test_oversized_junk_and_zip_bombs_are_refused_with_a_message_and_nothing_is_lost(dash_duo, tmp_path,
                                                                                       monkeypatch):
    store, uploads = make_site(tmp_path, {"raqqa.txt": RAQQA})
    before = {e["id"] for e in read_event_rows(store)}
    corpus = uploads.parent / "corpus"
    files_before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    monkeypatch.setenv("DASHBOARD_UPLOAD_MAX_FILE_MB", "0.0625")  # 64 KB, as a deployer may set it
    start_app(dash_duo, store, uploads)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "huge.txt").write_text(RAQQA * 400, encoding="utf-8")  # ~130 KB: over the 64 KB limit
    (incoming / "junk.txt").write_bytes(bytes(range(256)) * 20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"0" * (30 * 1024 * 1024))
    (incoming / "bomb.zip").write_bytes(buffer.getvalue())
    (incoming / "raqqa.txt").write_text(RAQQA.replace("Roman theatre", "Tetrapylon"), encoding="utf-8")
    (incoming / "mosul.txt").write_text(MOSUL, encoding="utf-8")
    drop_files(dash_duo, [incoming / n for n in ("huge.txt", "junk.txt", "bomb.zip", "raqqa.txt", "mosul.txt")])
    state = upload_finished(dash_duo)
    assert state.startswith("Done: 2 file(s) added, 3 refused"), state
    shown = upload_messages(dash_duo)
    assert "over the 64 KB limit per file" in shown["huge.txt"]
    assert "binary, not text" in shown["junk.txt"]
    assert "zip bomb" in shown["bomb.zip"]
    assert "saved as raqqa-2.txt (an article 'raqqa' exists already)" in shown["raqqa.txt"]
    assert "saved as mosul.txt" in shown["mosul.txt"]
    # nothing else is lost: the earlier file is untouched, its events are all still there and drawn
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == files_before
    assert set(p.name for p in uploads.iterdir()) == {"raqqa-2.txt", "mosul.txt"}
    after = {e["id"] for e in read_event_rows(store)}
    assert before <= after and len(after) > len(before)
    wait_until(lambda: after <= markers(dash_duo, "timeline"), "every event on the timeline")
    # a bad publication date in the form is refused before anything is sent to the job
    dash_duo.find_element(".upload-metadata summary").click()
    dash_duo.find_element("#upload-published").send_keys("the day after")
    drop_files(dash_duo, [incoming / "mosul.txt"])
    wait_until(lambda: "Nothing uploaded: publication date 'the day after' not understood"
               in dash_duo.find_element("#upload-state").text, "the metadata message")
