"""Nothing lost (issue 18): the corrections log, the uploads and the CLI against bad input, moves and
crashes. Each test drives the real command line (``dashboard.cli.main``) or the real app's callbacks
over a real store built from a small corpus of the project's own sentences.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main as run_cli
from dashboard.store.generations import read_articles, read_event_rows

DAM = """Dam attack repelled

TABQA, March 3, 2017 - Fighters of the Syrian Democratic Forces repelled an attack on the Tabqa dam on 2 March 2017, a spokesman said.

Later that week, an air strike hit a market in Deir ez-Zor on 5 March 2017, killing four people, medics said.
"""
BRIDGE = """Bomb near the bridge

MOSUL, April 20, 2018 - A roadside bomb exploded near the old iron bridge in Mosul on 19 April 2018, wounding three people, police said.
"""
SIEGE = """Kobani shelled

KOBANI, January 27, 2015 - Islamic State militants shelled the town of Kobani on 26 January 2015, killing two civilians, a monitoring group said.
"""
PAGE = ('<!doctype html><html><head><title>Ramadi retaken</title>'
        '<meta property="article:published_time" content="2015-12-28T10:00:00Z"></head><body>'
        '<p>RAMADI - Iraqi troops retook the government compound in Ramadi on 27 December 2015, the army said.</p>'
        '</body></html>')


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hardening-template")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in (("dam.txt", DAM), ("bridge.txt", BRIDGE), ("siege.txt", SIEGE)):
        (corpus / name).write_text(text, encoding="utf-8")
    assert run_cli(["build", "--corpus", str(corpus), "--store", str(root / "store")]) == 0
    return root


@pytest.fixture
def site(template, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(template, copy, symlinks=True)  # the store link is relative: the copy stands alone
    return copy


def cli(site: Path, *argv: str, corpus: bool = True) -> int:
    where = ["--store", str(site / "store"), "--uploads", str(site / "uploads")]
    return run_cli([*argv, *where, *(["--corpus", str(site / "corpus")] if corpus else [])])


def build(site: Path) -> int:
    return run_cli(["build", "--corpus", str(site / "corpus"), "--store", str(site / "store")])


def ids(site: Path) -> set[str]:
    return {e["id"] for e in read_event_rows(site / "store")}


def an_event(site: Path, word: str) -> dict:
    found = [e for e in read_event_rows(site / "store") if word in e["sentence"]]
    assert found, f"the small corpus no longer gives an event about {word}"
    return found[0]


def log_of(site: Path) -> Path:
    return site / "store.corrections.jsonl"


def messages(err: str) -> list[str]:
    """stderr as lines: each one message, each one starting with the program's name or a summary."""
    return [line for line in err.splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------- 1, 14, 15: names
def test_a_file_name_that_is_not_utf8_is_named_and_every_build_completes(site, capsys):
    before = ids(site)
    with open(os.path.join(os.fsencode(site / "corpus"), b"r\xe9sum\xe9.txt"), "wb") as handle:
        handle.write(BRIDGE.replace("iron", "stone").encode())
    capsys.readouterr()
    for _ in range(2):  # the next build is not blocked either
        assert run_cli(["build", "--corpus", str(site / "corpus"), "--store", str(site / "store")]) == 1
        err = capsys.readouterr().err
        assert "r\\udce9sum\\udce9.txt: the file name is not valid UTF-8; rename the file to load it" in err
    assert ids(site) == before and {a["id"] for a in read_articles(site / "store")} == {"dam", "bridge", "siege"}


def test_a_newline_in_a_file_name_keeps_its_message_on_one_line(site, capsys):
    (site / "corpus" / "two\nlines.txt").write_bytes(bytes(range(256)) * 4)
    capsys.readouterr()
    assert build(site) == 1
    lines = messages(capsys.readouterr().err)
    problem = [line for line in lines if "lines.txt" in line]
    assert len(problem) == 1 and problem[0].startswith("dashboard: skipped ")
    assert "two\\nlines.txt: the file is binary, not text" in problem[0]


def test_a_symbolic_link_leaving_the_corpus_is_refused_by_name(site, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text(SIEGE.replace("Kobani", "Manbij"), encoding="utf-8")
    (site / "corpus" / "passwd.txt").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.txt").write_text(BRIDGE, encoding="utf-8")
    (site / "corpus" / "linked").symlink_to(outside, target_is_directory=True)
    (site / "corpus" / "alias.txt").symlink_to(site / "corpus" / "dam.txt")  # inside the corpus: read
    capsys.readouterr()
    assert build(site) == 1
    err = capsys.readouterr().err
    assert f"passwd.txt: a symbolic link to {secret.resolve()}, outside the corpus folder; not read" in err
    assert f"linked: a symbolic link to {outside.resolve()}, outside the corpus folder; not read" in err
    articles = {a["id"] for a in read_articles(site / "store")}
    assert "passwd" not in articles and "more" not in articles and "alias" in articles


def test_a_reason_in_bytes_that_are_not_utf8_is_kept_readable(site, capsys):
    siege = an_event(site, "Kobani")
    undecodable = os.fsdecode(b"caf\xe9 owner")  # what Python makes of such bytes in argv
    assert cli(site, "correct", siege["id"], "--not-event", "--reason", undecodable) == 0
    (record,) = [json.loads(line) for line in log_of(site).read_text(encoding="utf-8").splitlines()]
    assert record["reason"] == "caf\ufffd owner" and siege["id"] not in ids(site)


# ---------------------------------------------------------------------------------------------- 13: csv
def test_events_as_csv_defuse_formulas_like_the_export(site, capsys):
    siege = an_event(site, "Kobani")
    record = {"id": 1, "at": "2026-01-01T00:00:00+00:00", "kind": "place", "event_id": siege["id"],
              "change": {"place": '=HYPERLINK("http://example.org","open")', "lat": 36.89, "lon": 38.35}}
    log_of(site).write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert build(site) == 0
    capsys.readouterr()
    assert run_cli(["events", "--store", str(site / "store"), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'=HYPERLINK(" in out and '\n=HYPERLINK' not in out and ',=HYPERLINK' not in out
    assert ",36.89,38.35," in out  # numbers stay numbers


# ---------------------------------------------------------------------------------------------- 4, 5, 6: the log
@pytest.mark.parametrize("bad_record, why", [
    ({"kind": "place", "change": {"place": "Tabqa", "lat": 35.8, "lon": 38.5, "geonameid": 1e30}}, "not a GeoNames id"),
    ({"kind": "dates", "change": 5}, "its change is not an object"),
    ({"kind": "place", "change": {"place": "Tabqa", "lon": 38.5}}, "coordinates must be numbers"),
    ({"kind": "point", "change": {"lat": float("nan"), "lon": 1.0}}, "off the globe"),
    ({"kind": "not_event", "event_id": ["a", "list"]}, "without an event id"),
    ({"kind": "undo", "undoes": True}, "without the correction it undoes"),
])
def test_a_bad_log_line_is_reported_and_skipped_by_every_command(site, capsys, bad_record, why):
    dam, siege = an_event(site, "Tabqa"), an_event(site, "Kobani")
    bad = {"id": 1, "at": "2026-01-01T00:00:00+00:00", "event_id": dam["id"], **bad_record}
    good = {"id": 2, "at": "2026-01-01T00:00:00+00:00", "kind": "not_event", "event_id": siege["id"]}
    log_of(site).write_text(json.dumps(bad) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert build(site) == 0  # the build goes on, with the good correction
    assert siege["id"] not in ids(site) and dam["id"] in ids(site)
    assert cli(site, "corrections", "list") == 1
    out, err = capsys.readouterr()
    assert f"store.corrections.jsonl line 1: skipped, " in err and why in err
    assert "#2 " in out and ": applied" in out
    assert cli(site, "correct", dam["id"], "--dates", "2017-03-01..2017-03-31") == 0
    assert an_event(site, "Tabqa")["time_precision"] == "month"


def test_an_append_after_a_torn_line_starts_a_line_of_its_own(site, capsys):
    dam = an_event(site, "Tabqa")
    log_of(site).write_text('{"id": 1, "at": "2026-01-01T00:00:00+00:00", "kind": "not_ev', encoding="utf-8")
    assert cli(site, "correct", dam["id"], "--not-event") == 0
    assert "logged correction #1" in capsys.readouterr().out  # the torn line never was a correction
    assert dam["id"] not in ids(site)
    assert cli(site, "corrections", "list") == 1  # the torn line is still reported
    out, err = capsys.readouterr()
    assert "line 1: skipped" in err and "#1 " in out and ": applied" in out


# ---------------------------------------------------------------------------------------------- 2: moves
def test_after_moving_the_whole_folder_correct_and_add_keep_every_event(tmp_path, capsys):
    project = tmp_path / "project"
    (project / "corpus").mkdir(parents=True)
    for name, text in (("dam.txt", DAM), ("siege.txt", SIEGE)):
        (project / "corpus" / name).write_text(text, encoding="utf-8")
    assert build(project) == 0
    before = ids(project)
    moved = tmp_path / "moved elsewhere"
    project.rename(moved)  # nothing is left at the paths the store was built from
    siege = an_event(moved, "Kobani")
    assert cli(moved, "correct", siege["id"], "--not-event", corpus=False) == 0
    assert ids(moved) == before - {siege["id"]}
    page = tmp_path / "ramadi.html"
    page.write_text(PAGE, encoding="utf-8")
    assert cli(moved, "add", str(page), corpus=False) == 0
    assert ids(moved) > before - {siege["id"]}
    assert {a["id"] for a in read_articles(moved / "store")} == {"dam", "siege", "ramadi"}


def test_a_corpus_folder_that_is_gone_stops_the_rebuild_with_its_name(site, capsys):
    assert build(site) == 0  # the store now records this copy's folders
    before = ids(site)
    (site / "corpus").rename(site / "renamed")
    dam = an_event(site, "Tabqa")
    capsys.readouterr()
    assert cli(site, "correct", dam["id"], "--not-event", corpus=False) == 1  # logged, not applied yet
    err = capsys.readouterr().err
    assert "the correction is logged but the store was not rebuilt" in err
    assert f"{site / 'corpus'}: the corpus folder is gone" in err
    assert ids(site) == before  # nothing dropped
    assert cli(site, "correct", dam["id"], "--point", "35.9,38.6", corpus=False) == 1
    assert ids(site) == before
    assert run_cli(["build", "--corpus", str(site / "renamed"), "--store", str(site / "store")]) == 0
    assert dam["id"] not in ids(site)  # given the folder again, the correction applies


# ---------------------------------------------------------------------------------------------- 7: add, interrupted
def test_a_rerun_of_add_records_the_metadata_a_crash_cut_short(site, tmp_path, capsys):
    page = tmp_path / "ramadi.html"
    page.write_text(PAGE, encoding="utf-8")
    uploads = site / "uploads"
    uploads.mkdir()
    shutil.copyfile(page, uploads / "ramadi.html")  # saved by an `add` that was killed before its metadata
    (site / ".uploads.staging-killed").mkdir()  # and its staging folder
    assert cli(site, "add", str(page)) == 0
    assert "already uploaded as ramadi.html" in capsys.readouterr().out
    rows = json.loads((uploads / "metadata.json").read_text(encoding="utf-8"))
    assert rows == [{"published": "2015-12-28T10:00:00Z", "title": "Ramadi retaken", "id": "ramadi"}]
    article = next(a for a in read_articles(site / "store") if a["id"] == "ramadi")  # and it is built now
    assert article["title"] == "Ramadi retaken"
    assert not (site / ".uploads.staging-killed").exists()


# ---------------------------------------------------------------------------------------------- 4, 5, 11, 12: the app
@pytest.fixture
def app(site, monkeypatch):
    from dashboard.web.app import create_app

    monkeypatch.setenv("DASHBOARD_UPLOAD_MAX_TOTAL_MB", "1")  # a small request limit to test against
    return create_app(site / "store", upload_dir=site / "uploads", corpus_dir=[site / "corpus"])


def call(app, output: str, values: dict, changed: str):
    """POST one callback the way the browser does: the callback whose outputs include ``output``, its
    inputs and states set from ``values`` ("id.property" -> value; the rest None)."""
    key = next(k for k in app.callback_map if output in k)
    spec = app.callback_map[key]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in key.strip(".").split("...")]
    fill = lambda items: [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]  # noqa: E731
    payload = {"output": key, "outputs": outputs, "inputs": fill(spec["inputs"]), "state": fill(spec["state"]),
               "changedPropIds": [changed]}
    return app.server.test_client().post("/_dash-update-component", json=payload)


@pytest.mark.parametrize("field", ["upload-published.value", "upload-title.value", "upload-url.value"])
@pytest.mark.parametrize("sent", [{"$gt": ""}, ["2017", "06"], 12])
def test_upload_form_fields_of_the_wrong_type_are_refused_in_words(app, field, sent):
    data = "data:text/plain;base64," + __import__("base64").b64encode(BRIDGE.encode()).decode()
    response = call(app, "upload-job.data", {"upload-files.contents": [data], "upload-files.filename": ["a.txt"],
                                             field: sent}, "upload-files.contents")
    assert response.status_code == 200
    assert "Nothing uploaded: the" in response.get_data(as_text=True) and "is not text" in response.get_data(True)


@pytest.mark.parametrize("job", [["a"], {"job": "x"}, 7, {"job": ["a"]}, "no such job"])
def test_job_data_of_the_wrong_type_answers_that_the_job_is_gone(app, job):
    upload = call(app, "upload-poll.disabled@", {"upload-job.data": job, "upload-poll.n_intervals": 1},
                  "upload-poll.n_intervals")
    assert upload.status_code == 200 and "job is gone" in upload.get_data(as_text=True)
    correct = call(app, "correct-poll.disabled@", {"correct-job.data": job, "correct-poll.n_intervals": 1},
                   "correct-poll.n_intervals")
    assert correct.status_code == 200 and "job is gone" in correct.get_data(as_text=True)


def test_a_place_from_the_browser_with_an_impossible_geonames_id_is_not_logged(app, site):
    dam = an_event(site, "Tabqa")
    buttons = {f"{b}.n_clicks": 0 for b in ("correct-apply-point", "correct-apply-dates", "correct-apply-merge",
                                            "correct-split", "correct-not-event")}
    for geonameid in (1e30, -5, 2**40, True, "12ab"):
        choice = json.dumps({"place": "Tabqa", "lat": 35.84, "lon": 38.55, "geonameid": geonameid})
        response = call(app, "correct-job.data", {**buttons, "correct-apply-place.n_clicks": 1, "correct-event.data":
                                                  dam["id"], "correct-place-choice.value": choice},
                        "correct-apply-place.n_clicks")
        assert response.status_code == 200 and "Not corrected" in response.get_data(as_text=True)
    assert not log_of(site).exists()


def test_the_event_panel_shows_with_a_damaged_log(app, site):
    from dashboard.web.corrections_panel import panel_controls

    dam = an_event(site, "Tabqa")
    log_of(site).write_text(json.dumps({"id": 1, "kind": "dates", "event_id": dam["id"], "change": 5}) + "\n"
                            + json.dumps({"id": 2, "kind": "place", "event_id": dam["id"],
                                          "change": {"place": "Tabqa"}}) + "\n", encoding="utf-8")
    section = panel_controls(dam, app._editing)
    assert section is not None and "Correct this event" in str(section)


def test_a_request_over_the_limit_is_refused_before_it_is_read(app):
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    assert limit == 8 * 1_048_576 + 1_048_576 * 4 // 3  # 1 MB of files in base64, and room for the rest
    body = b'{"output": "x", "inputs": [' + b" " * (limit + 1) + b"]}"
    response = app.server.test_client().post("/_dash-update-component", data=body,
                                             headers={"Content-Type": "application/json"})
    assert response.status_code == 413


# ---------------------------------------------------------------------------------------------- 3: the app's rebuild
def test_the_apps_rebuild_reads_the_folders_the_store_records_now(site, tmp_path):
    from dashboard.editing.service import EditingService

    service = EditingService(site / "store", None, site / "uploads")  # as `serve` makes it, at start-up
    more = tmp_path / "more"
    more.mkdir()
    (more / "market.txt").write_text(SIEGE.replace("Kobani", "Manbij").replace("shelled", "attacked"), encoding="utf-8")
    assert run_cli(["build", "--corpus", str(site / "corpus"), "--corpus", str(more), "--store",
                    str(site / "store")]) == 0  # the command line adds a folder while the app runs
    job = service.runner.wait(service.upload([("bridge-2.txt", BRIDGE.replace("iron", "rail").encode())], {}).id)
    assert job.state == "done", job.error
    assert {a["id"] for a in read_articles(site / "store")} == {"dam", "bridge", "siege", "market", "bridge-2"}
    assert job.events_after >= job.events_before


# ---------------------------------------------------------------------------------------------- 9: the file system says no
def test_a_folder_the_store_cannot_write_is_one_line_naming_it(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "dam.txt").write_text(DAM, encoding="utf-8")
    (tmp_path / "store.generations").write_text("not a folder")  # as unwritable as a read-only folder, even for root
    assert run_cli(["build", "--corpus", str(tmp_path / "corpus"), "--store", str(tmp_path / "store")]) == 2
    (line,) = messages(capsys.readouterr().err)
    assert line.startswith(f"dashboard: {tmp_path / 'store.generations'}: ")
