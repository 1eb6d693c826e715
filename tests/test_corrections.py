"""Corrections: the append-only log, each kind of correction on a real store built from a small real
corpus, re-applied after every rebuild, flagged when the article changed, reported when the event is gone.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main as run_cli
from dashboard.editing.apply import CorrectionHook, apply_corrections, interval_precision, split_id
from dashboard.editing.correction_log import Correction, CorrectionError, CorrectionLog, corrections_path
from dashboard.editing.corrections import correct_event, find_event, parse_interval, parse_point
from dashboard.editing.place_candidates import (candidate_change, candidate_label, event_place_candidates,
                                                place_candidates)
from dashboard.editing.rebuild import rebuild
from dashboard.editing.review import review
from dashboard.store.generations import Snapshot, read_event_rows
from tests.helpers import event as make_event

MOSUL_A = """Iraqi forces retake Mosul

BAGHDAD, July 10, 2017 - Iraqi forces recaptured the old city of Mosul on 9 July 2017 after nine months of fighting against Islamic State militants, the prime minister said.

Separately, a car bomb exploded in Tikrit on 8 July 2017, killing five people, police said.
"""
MOSUL_B = """Mosul declared liberated

ERBIL, July 11, 2017 - Iraqi forces recaptured the old city of Mosul on 9 July 2017 after months of fighting against Islamic State militants, officials said.
"""
RAQQA = """Offensive on Raqqa begins

BEIRUT, June 7, 2017 - Kurdish-led units of the SDF entered Raqqa on 6 June 2017, a coalition spokesman said.

In Palmyra, Islamic State militants destroyed the Roman theatre in January 2017, satellite images showed.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A corpus of three short articles and its store, built once; each test works on a copy."""
    root = tmp_path_factory.mktemp("corrections-template")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in (("mosul_a.txt", MOSUL_A), ("mosul_b.txt", MOSUL_B), ("raqqa.txt", RAQQA)):
        (corpus / name).write_text(text, encoding="utf-8")
    rebuild(root / "store", [corpus])
    return root


@pytest.fixture
def site(built, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built, copy, symlinks=True)  # the store link is relative: the copy is self-contained
    return copy


def events(site: Path) -> list[dict]:
    return read_event_rows(site / "store")


def by_id(site: Path) -> dict[str, dict]:
    return {e["id"]: e for e in events(site)}


TIKRIT, MOSUL = (34.61, 43.68), (36.34, 43.13)


def at(event: dict, town: tuple[float, float]) -> bool:
    """The event is placed within 30 km of the town (whatever name the gazetteer gives it)."""
    from geopy.distance import geodesic

    return geodesic(town, (event["lat"], event["lon"])).km < 30


def one(site: Path, predicate) -> dict:
    found = [e for e in events(site) if predicate(e)]
    assert found, "the small corpus no longer gives the event this test needs"
    return found[0]


def rebuild_site(site: Path):
    return rebuild(site / "store", [site / "corpus"])


# ---------------------------------------------------------------------------------------------- the log
def test_the_log_is_append_only_and_undo_appends(tmp_path):
    log = CorrectionLog(corrections_path(tmp_path / "store"))
    assert log.path == tmp_path / "store.corrections.jsonl"
    first = log.append("not_event", "e1", reason="  a   headline,\nnot an event ")
    second = log.append("dates", "e2", {"start_date": "2017-01-01", "end_date": "2017-01-31"})
    before = log.path.read_bytes()
    undo = log.undo(first.id, "changed my mind")
    after = log.path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 3  # nothing rewritten, one line added
    assert (first.id, second.id, undo.id, undo.undoes) == (1, 2, 3, 1)
    assert first.reason == "a headline, not an event"
    assert [c.id for c in log.active()] == [2]
    records = log.records()
    assert [r.kind for r in records] == ["not_event", "dates", "undo"]
    assert all(dt.datetime.fromisoformat(r.at).tzinfo is not None for r in records)
    with pytest.raises(CorrectionError, match="already undone"):
        log.undo(1)
    with pytest.raises(CorrectionError, match="no correction #9"):
        log.undo(9)
    with pytest.raises(CorrectionError, match="itself an undo"):
        log.undo(3)
    with pytest.raises(CorrectionError, match="unknown correction kind"):
        log.append("rename", "e1")


def test_a_damaged_line_is_reported_and_skipped_never_fatal(tmp_path):
    log = CorrectionLog(tmp_path / "store.corrections.jsonl")
    log.append("not_event", "e1")
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write('{"id": 2, "kind": "not_ev')  # a crash in the middle of a write
    records, problems = log.read()
    assert [r.id for r in records] == [1] and "line 2" in problems[0]
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert log.append("split", "e2").id == 2
    assert [r.id for r in log.records()] == [1, 2]


def test_apply_in_log_order_and_report_what_could_not_be_applied():
    raqqa = make_event("Fighters entered Raqqa on 6 June 2017.", article="a1", start="2017-06-06", end="2017-06-06",
                       precision="day")
    other = make_event("Another Raqqa sentence about the offensive.", article="a2", start="2017-06-07",
                       end="2017-06-07", precision="day")
    log_records = [
        _record(1, "dates", raqqa.id, {"start_date": "2017-06-01", "end_date": "2017-06-30"}),
        _record(2, "merge", other.id, {"into": raqqa.id}),
        _record(3, "not_event", "gone-id"),
        _record(4, "split", raqqa.id),
        _record(5, "point", split_id(raqqa.id, "a2"), {"lat": 36.0, "lon": 39.0}),
        _record(6, "dates", other.id, {"start_date": "2017-06-01", "end_date": "2017-06-01"}),
    ]
    applied = apply_corrections([raqqa, other], log_records)
    assert applied.outcomes[1] == applied.outcomes[2] == applied.outcomes[4] == applied.outcomes[5] == "applied"
    assert "gone-id no longer exists" in applied.outcomes[3]
    assert applied.outcomes[6] == f"superseded: event {other.id} was merged into {raqqa.id} by #2"
    first, second = sorted(applied.events, key=lambda e: e.sources)
    assert (first.id, first.sources, first.time_precision, first.time_basis) == \
        (raqqa.id, ("a1",), "month", "corrected")
    assert second.id == split_id(raqqa.id, "a2") and second.sources == ("a2",)
    assert (second.lat, second.lon, second.place_precision) == (36.0, 39.0, "point")
    assert second.sentence == "Another Raqqa sentence about the offensive."
    assert applied.corrected_ids == {first.id, second.id}


def _record(cid, kind, event_id, change=None):
    return Correction(id=cid, at="2026-01-01T00:00:00+00:00", kind=kind, event_id=event_id, change=change or {})


@pytest.mark.parametrize("start, end, precision", [
    ("2017-06-06", "2017-06-06", "day"), ("2017-06-01", "2017-06-30", "month"), ("2016-02-01", "2016-02-29", "month"),
    ("2017-01-01", "2017-12-31", "year"), ("2017-06-06", "2017-10-17", "range"), ("2017-06-01", "2017-07-31", "range"),
])
def test_interval_precision(start, end, precision):
    assert interval_precision(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == precision


def test_bad_points_and_intervals_are_refused_in_words():
    assert parse_point(" 36.34, 43.13 ") == (36.34, 43.13)
    assert parse_interval("2017-06-06") == (dt.date(2017, 6, 6), dt.date(2017, 6, 6))
    for bad in ("36.3", "north,east", "91,0", "0,181", "nan,1"):
        with pytest.raises(CorrectionError):
            parse_point(bad)
    for bad in ("2017-13-01..2017-12-01", "2017-06-07..2017-06-01", "last week", "a..b..c"):
        with pytest.raises(CorrectionError):
            parse_interval(bad)


# ---------------------------------------------------------------------------------------------- on a real store
def test_pick_another_candidate_place_persists_across_rebuilds(site):
    palmyra = one(site, lambda e: "Palmyra" in e["sentence"])
    event = find_event(Snapshot.of(site / "store"), palmyra["id"])
    candidates = event_place_candidates(event)
    assert candidates, "the gazetteer offers other places for the sentence's mentions"
    choice = next(c for c in candidates if c.name == "Palmyra" or "Palmyra" in c.name) \
        if any("Palmyra" in c.name for c in candidates) else candidates[0]
    assert choice.distance_km is not None and choice.distance_km > 1
    assert "km away" in candidate_label(choice)
    record = correct_event(Snapshot.of(site / "store"), palmyra["id"], "place", candidate_change(choice), "the theatre is in Palmyra")
    assert record.articles == {"raqqa": palmyra_hash(site)} and record.before["place"] == palmyra["place"]
    for _ in range(2):  # applied by the next build, and again by every build after it
        rebuild_site(site)
        row = by_id(site)[palmyra["id"]]
        assert (row["place"], round(row["lat"], 3), row["corrected"], row["place_basis"]) == \
            (choice.name, round(choice.lat, 3), True, "corrected")
    reviews, problems = review(Snapshot.of(site / "store"))
    assert not problems and [(r.state, r.article_changed) for r in reviews] == [("applied", ())]
    assert sum(e["corrected"] for e in events(site)) == 1


def palmyra_hash(site):
    from dashboard.store.corpus import content_hash

    return content_hash((site / "corpus" / "raqqa.txt").read_bytes())


def test_a_typed_place_and_a_point(site):
    tikrit = one(site, lambda e: at(e, TIKRIT))
    typed = place_candidates("Samarra, Iraq", (tikrit["lat"], tikrit["lon"]))
    assert typed and typed[0].country_code == "IQ" and typed[0].distance_km < 150
    correct_event(Snapshot.of(site / "store"), tikrit["id"], "place", candidate_change(typed[0]))
    mosul = one(site, lambda e: at(e, MOSUL) and len(e["sources"]) == 2)
    correct_event(Snapshot.of(site / "store"), mosul["id"], "point", {"lat": 36.34, "lon": 43.13}, "the old city")
    rebuild_site(site)
    rows = by_id(site)
    assert rows[tikrit["id"]]["place"] == typed[0].name and rows[tikrit["id"]]["country_code"] == "IQ"
    assert (rows[mosul["id"]]["lat"], rows[mosul["id"]]["lon"], rows[mosul["id"]]["place_precision"]) == \
        (36.34, 43.13, "point")
    assert rows[mosul["id"]]["place"] == mosul["place"]  # a point keeps the name


def test_change_the_dates(site):
    palmyra = one(site, lambda e: "Palmyra" in e["sentence"])
    correct_event(Snapshot.of(site / "store"), palmyra["id"], "dates", {"start_date": "2017-01-18", "end_date": "2017-01-20"})
    rebuild_site(site)
    row = by_id(site)[palmyra["id"]]
    assert (row["start_date"], row["end_date"], row["time_precision"], row["time_basis"]) == \
        (dt.date(2017, 1, 18), dt.date(2017, 1, 20), "range", "corrected")


def test_not_an_event_hides_it_and_undo_brings_it_back(site):
    tikrit = one(site, lambda e: at(e, TIKRIT))
    n = len(events(site))
    record = correct_event(Snapshot.of(site / "store"), tikrit["id"], "not_event", reason="test")
    rebuild_site(site)
    assert tikrit["id"] not in by_id(site) and len(events(site)) == n - 1
    CorrectionLog(corrections_path(site / "store")).undo(record.id)
    rebuild_site(site)
    assert by_id(site)[tikrit["id"]]["corrected"] is False and len(events(site)) == n
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["undone"]


def test_merge_two_events_into_one(site):
    target = one(site, lambda e: at(e, MOSUL) and len(e["sources"]) == 2)
    known = {p["sentence"] for p in json.loads(target["provenance"])}
    other = one(site, lambda e: e["id"] != target["id"] and e["sentence"] not in known)
    n = len(events(site))
    correct_event(Snapshot.of(site / "store"), other["id"], "merge", {"into": target["id"]})
    rebuild_site(site)
    rows = by_id(site)
    assert other["id"] not in rows and len(rows) == n - 1
    merged = rows[target["id"]]
    assert merged["corrected"] and set(merged["sources"]) == {"mosul_a", "mosul_b", *other["sources"]}
    sentences = [p["sentence"] for p in json.loads(merged["provenance"])]
    assert other["sentence"] in sentences and len(sentences) == len(json.loads(target["provenance"])) + 1
    with pytest.raises(CorrectionError, match="into itself"):
        correct_event(Snapshot.of(site / "store"), target["id"], "merge", {"into": target["id"]})
    with pytest.raises(CorrectionError, match="no event 'nope'"):
        correct_event(Snapshot.of(site / "store"), target["id"], "merge", {"into": "nope"})


def test_split_gives_each_source_its_own_event_with_stable_ids(site):
    merged = one(site, lambda e: len(e["sources"]) == 2)
    correct_event(Snapshot.of(site / "store"), merged["id"], "split", reason="two different days")
    rebuild_site(site)
    first_ids = set(by_id(site))
    pieces = [e for e in events(site) if e["id"] in (merged["id"], split_id(merged["id"], merged["sources"][1]))]
    assert sorted(p["sources"][0] for p in pieces) == sorted(merged["sources"])
    assert all(len(p["sources"]) == 1 and p["corrected"] for p in pieces)
    # a correction of a split-off piece is re-applied too: its id is the same after every rebuild
    piece = split_id(merged["id"], merged["sources"][1])
    correct_event(Snapshot.of(site / "store"), piece, "dates", {"start_date": "2017-07-10", "end_date": "2017-07-10"})
    rebuild_site(site)
    assert set(by_id(site)) == first_ids and by_id(site)[piece]["start_date"] == dt.date(2017, 7, 10)
    single = one(site, lambda e: len(e["sources"]) == 1 and e["id"] not in (merged["id"], piece))
    with pytest.raises(CorrectionError, match="nothing to split"):
        correct_event(Snapshot.of(site / "store"), single["id"], "split")


def test_a_changed_article_is_flagged_and_a_vanished_event_reported(site):
    mosul = one(site, lambda e: at(e, MOSUL) and len(e["sources"]) == 2)
    tikrit = one(site, lambda e: at(e, TIKRIT))
    correct_event(Snapshot.of(site / "store"), mosul["id"], "point", {"lat": 36.34, "lon": 43.13})
    correct_event(Snapshot.of(site / "store"), tikrit["id"], "dates", {"start_date": "2017-07-07", "end_date": "2017-07-08"})
    rebuild_site(site)
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["applied", "applied"]
    # mosul_b gains a paragraph (the event's sentence is unchanged); the Tikrit sentence is rewritten
    b = site / "corpus" / "mosul_b.txt"
    b.write_text(b.read_text() + "\nResidents began returning to the city.\n", encoding="utf-8")
    a = site / "corpus" / "mosul_a.txt"
    a.write_text(a.read_text().replace("killing five people", "killing seven people"), encoding="utf-8")
    rebuild_site(site)
    (moved, dated), problems = review(Snapshot.of(site / "store"))
    assert moved.state == "applied" and moved.article_changed == ("mosul_a", "mosul_b")  # both its sources
    assert "article changed since" in moved.line()
    assert dated.state == "missing" and "no longer exists" in dated.detail
    assert dated.article_changed == ("mosul_a",)
    assert by_id(site)[mosul["id"]]["lat"] == 36.34


def test_a_correction_needs_an_existing_event(site):
    with pytest.raises(CorrectionError, match="no event 'nope'"):
        correct_event(Snapshot.of(site / "store"), "nope", "not_event")
    assert not corrections_path(site / "store").exists()


def test_hook_writes_the_outcomes_beside_the_store(site):
    tikrit = one(site, lambda e: at(e, TIKRIT))
    correct_event(Snapshot.of(site / "store"), tikrit["id"], "not_event")
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["pending"]
    hook = CorrectionHook(site / "store")
    from dashboard.store.build import build_store

    build_store(site / "corpus", site / "store", corrections=hook)
    assert hook.outcomes == {1: "applied"}
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["applied"]


# ---------------------------------------------------------------------------------------------- command line
def cli(site: Path, *argv: str) -> int:
    return run_cli([*argv, "--store", str(site / "store"), "--corpus", str(site / "corpus"),
                    "--uploads", str(site / "uploads")])


def test_cli_correct_list_and_undo(site, capsys):
    tikrit = one(site, lambda e: at(e, TIKRIT))
    palmyra = one(site, lambda e: "Palmyra" in e["sentence"])
    assert cli(site, "correct", tikrit["id"], "--dates", "2017-07-01..2017-07-31", "--reason", "month only") == 0
    assert by_id(site)[tikrit["id"]]["time_precision"] == "month"
    assert cli(site, "correct", palmyra["id"], "--place", "Palmyra") == 0
    assert by_id(site)[palmyra["id"]]["place"] == "Palmyra"
    assert cli(site, "correct", tikrit["id"], "--point", "95,1") == 2
    assert cli(site, "correct", "nope", "--not-event") == 2
    assert "no event 'nope'" in capsys.readouterr().err
    assert cli(site, "corrections", "list") == 0
    out = capsys.readouterr().out
    was = f"was {tikrit['start_date']}..{tikrit['end_date']}"
    assert "#1 " in out and f"dates -> 2017-07-01..2017-07-31, {was}: applied" in out and "month only" in out
    assert "#2" in out and "place -> Palmyra" in out
    assert cli(site, "corrections", "undo", "1") == 0
    assert by_id(site)[tikrit["id"]]["time_precision"] == tikrit["time_precision"]
    assert cli(site, "corrections", "undo", "1") == 2
    assert "already undone" in capsys.readouterr().err
    cli(site, "corrections")
    first_line = capsys.readouterr().out.split("\n")[0]
    assert first_line.startswith("#1 ") and ": undone" in first_line
    # an event that disappears after a rebuild is reported by `corrections list`, with exit status 1
    assert cli(site, "correct", tikrit["id"], "--not-event") == 0
    a = site / "corpus" / "mosul_a.txt"
    a.write_text(a.read_text().replace("Tikrit", "Baiji"), encoding="utf-8")
    rebuild_site(site)
    capsys.readouterr()
    assert cli(site, "corrections", "list") == 1
    assert "#4" in (out := capsys.readouterr().out) and "missing" in out and tikrit["id"] in out


def test_a_build_without_the_corrections_is_noticed(site):
    from dashboard.store.build import build_store

    tikrit = one(site, lambda e: at(e, TIKRIT))
    correct_event(Snapshot.of(site / "store"), tikrit["id"], "dates", {"start_date": "2017-07-01", "end_date": "2017-07-31"})
    rebuild_site(site)
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["applied"]
    assert build_store(site / "corpus", site / "store").up_to_date  # nothing changed: the store is kept
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["applied"]
    raqqa = site / "corpus" / "raqqa.txt"
    raqqa.write_text(raqqa.read_text() + "\nMore later.\n", encoding="utf-8")
    build_store(site / "corpus", site / "store")  # someone rebuilds a changed corpus without the hook
    (item,), _ = review(Snapshot.of(site / "store"))
    assert item.state == "pending" and "rebuilt without the corrections" in item.detail
    rebuild_site(site)
    assert [r.state for r in review(Snapshot.of(site / "store"))[0]] == ["applied"]


def test_a_malformed_place_never_breaks_a_build(site):
    tikrit = one(site, lambda e: at(e, TIKRIT))
    with pytest.raises(CorrectionError, match="not a place"):
        correct_event(Snapshot.of(site / "store"), tikrit["id"], "place",
                      {"place": "Somewhere", "lat": 34.6, "lon": 43.7, "geonameid": "not a number"})
    record = correct_event(Snapshot.of(site / "store"), tikrit["id"], "place",
                           {"place": "<b>Samarra</b>", "lat": 34.2, "lon": 43.87, "country_code": "iq; drop",
                            "feature": "city<script>", "geonameid": "99347", "place_precision": "galaxy"})
    assert record.change["geonameid"] == 99347 and record.change["country_code"] == ""
    assert record.change["feature"] == "cityscript" and record.change["place_precision"] == "city"
    # a hand-edited log line with an impossible value fails alone; the build and the other corrections go on
    with open(corrections_path(site / "store"), "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": 2, "at": "2026-01-01T00:00:00+00:00", "kind": "dates",
                                 "event_id": tikrit["id"], "change": {"start_date": "2017-08-01",
                                                                      "end_date": "2017-07-01"}}) + "\n")
    rebuild_site(site)
    states = {r.correction.id: (r.state, r.detail) for r in review(Snapshot.of(site / "store"))[0]}
    assert states[1] == ("applied", "") and states[2][0] == "failed" and "after the end" in states[2][1]
    assert by_id(site)[tikrit["id"]]["place"] == "<b>Samarra</b>"  # shown as text by the panel


def test_cli_rebuilds_from_the_folders_the_store_was_built_from(site, monkeypatch, capsys):
    from dashboard.store.generations import read_articles

    rebuild_site(site)  # the manifest now names this copy's corpus folder
    monkeypatch.chdir(site)  # no data/corpus here: the defaults of `build` would find nothing
    tikrit = one(site, lambda e: at(e, TIKRIT))
    assert run_cli(["correct", tikrit["id"], "--not-event", "--store", "store"]) == 0
    assert {a["id"] for a in read_articles(site / "store")} == {"mosul_a", "mosul_b", "raqqa"}
    assert tikrit["id"] not in by_id(site)


# ---------------------------------------------------------------------------------------------- the app's callback
def test_the_correction_callback_refuses_hostile_payloads_and_applies_good_ones(site):
    from dashboard.web import corrections_panel as ui_corrections
    from dashboard.web.app import create_app

    store = site / "store"
    app = create_app(store, upload_dir=site / "uploads", corpus_dir=[site / "corpus"])
    client = app.server.test_client()
    tikrit = one(site, lambda e: at(e, TIKRIT))
    outputs = [("correct-status", "children"), ("correct-job", "data"), ("correct-poll", "disabled")]

    def press(button, *, undo_index=None, choice=None):
        inputs = [{"id": b, "property": "n_clicks", "value": 1 if b == button else 0}
                  for b in ui_corrections.APPLY_BUTTONS]
        undo = [{"id": {"type": "correct-undo", "index": undo_index}, "property": "n_clicks", "value": 1}] \
            if undo_index is not None else []
        changed = (json.dumps({"index": undo_index, "type": "correct-undo"}, separators=(",", ":"))
                   if undo_index is not None else button) + ".n_clicks"
        states = dict(zip(("correct-event", "correct-place-choice", "correct-point", "correct-start", "correct-end",
                           "correct-merge-into", "correct-reason"),
                          (tikrit["id"], choice, None, None, None, None, "via the callback")))
        payload = {
            "output": "..correct-status.children...correct-job.data...correct-poll.disabled..",
            "outputs": [{"id": i, "property": p} for i, p in outputs],
            "inputs": [*inputs, undo], "changedPropIds": [changed],
            "state": [{"id": i, "property": "data" if i == "correct-event" else "value", "value": v}
                      for i, v in states.items()],
        }
        response = client.post("/_dash-update-component", json=payload)
        assert response.status_code in (200, 204), response.data[:300]
        return response.get_json()["response"] if response.status_code == 200 else {}

    assert "not understood" in press(None, undo_index="1; drop table")["correct-status"]["children"]
    bad = json.dumps({"place": "X", "lat": 34.6, "lon": 43.7, "geonameid": "abc"})
    assert "Not corrected: that is not a place" in press("correct-apply-place", choice=bad)["correct-status"]["children"]
    assert not corrections_path(store).exists()  # nothing logged
    good = json.dumps({"place": "Samarra", "lat": 34.2, "lon": 43.87, "country_code": "IQ", "feature": "city"})
    reply = press("correct-apply-place", choice=good)
    assert reply["correct-status"]["children"].startswith("Correction #1: place -> Samarra")
    job = app._editing.runner.wait(reply["correct-job"]["data"]["job"])
    assert job.state == "done", job.error
    assert by_id(site)[tikrit["id"]]["place"] == "Samarra"
    assert CorrectionLog(corrections_path(store)).records()[0].reason == "via the callback"


def test_candidates_are_ranked_by_the_named_country_then_the_events_country_then_the_name():
    raqqa = (35.95, 39.01)
    in_syria = place_candidates("Palmyra", raqqa, country_code="SY")
    assert in_syria[0].country_code == "SY" and in_syria[0].name == "Palmyra"
    assert all(c.distance_km < 600 for c in in_syria if c.country_code == "SY")  # Syria is ~800 km across
    assert all(a.country_code == "SY" or b.country_code != "SY" for a, b in zip(in_syria, in_syria[1:]))
    in_us = place_candidates("Palmyra, United States", raqqa, country_code="SY")
    assert in_us and in_us[0].country_code == "US" and in_us[0].distance_km > 5000
    assert place_candidates("Xqzzyville", raqqa) == [] and place_candidates("   ") == []


def test_a_folder_spelled_two_ways_is_read_once(site, monkeypatch):
    monkeypatch.chdir(site)
    report = rebuild(site / "store", [site / "corpus", "corpus", "./corpus/"])
    assert not report.problems and report.articles == 3
