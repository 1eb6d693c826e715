"""Killed at every write step (tests/faults.py): ``build``, ``add`` and ``correct`` each stopped by
SIGKILL just before each of their write steps in turn. After every kill the store reads and holds either
the events of before or those of after, nothing the user gave is lost (the log, the uploaded files and
their metadata), and the next run completes with the same result as a run that was never stopped.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main as run_cli
from dashboard.store.generations import current_generation, generations_dir, read_articles, read_event_rows
from tests.faults import steps

pytestmark = pytest.mark.slow

FERRY = """Mortar fire at the port

BASRA, May 14, 2019 - Mortar rounds hit a port warehouse in Basra on 13 May 2019, killing one guard, port officials said.
"""
CHECKPOINT = """Checkpoint attacked

KIRKUK, August 9, 2016 - Gunmen attacked a police checkpoint south of Kirkuk on 8 August 2016, killing two officers, police said.
"""
MARKET = """Market bombed

FALLUJAH, July 2, 2016 - A suicide bomber struck the main market of Fallujah on 1 July 2016, killing six people, residents said.
"""
PAGE = ('<!doctype html><html><head><title>Sinjar road reopened</title>'
        '<meta property="article:published_time" content="2015-11-15T08:00:00Z"></head><body>'
        '<p>SINJAR - Kurdish forces reopened the road between Sinjar and Dohuk on 14 November 2015, officials said.</p>'
        '</body></html>')


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults-template")
    (root / "corpus").mkdir()
    (root / "corpus" / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (root / "corpus" / "checkpoint.txt").write_text(CHECKPOINT, encoding="utf-8")
    (root / "incoming").mkdir()
    (root / "incoming" / "sinjar.html").write_text(PAGE, encoding="utf-8")
    assert run_cli(["build", "--corpus", str(root / "corpus"), "--store", str(root / "store")]) == 0
    return root


def copier(template: Path, tmp_path: Path, change=None):
    def prepare(step: int) -> Path:
        site = tmp_path / f"step-{step}"
        shutil.copytree(template, site, symlinks=True)
        if change:
            change(site)
        return site
    return prepare


def ids(site: Path) -> frozenset[str]:
    return frozenset(e["id"] for e in read_event_rows(site / "store"))


def where(site: Path) -> list[str]:
    return ["--store", str(site / "store"), "--corpus", str(site / "corpus"), "--uploads", str(site / "uploads")]


def store_reads(site: Path, *allowed: frozenset[str]) -> None:
    """The store is whole: a current generation whose events read, and are one of the allowed sets."""
    assert current_generation(site / "store") is not None
    assert ids(site) in allowed


def no_leftovers(site: Path) -> None:
    """After a completed run: no half-written generation and no upload staging folder remain."""
    assert not list(generations_dir(site / "store").glob("tmp-gen-*"))
    assert not list(site.glob(".uploads.staging-*"))


def test_build_killed_at_each_write_step(template, tmp_path):
    add_market = lambda site: (site / "corpus" / "market.txt").write_text(MARKET, encoding="utf-8")  # noqa: E731
    reference = copier(template, tmp_path / "reference", add_market)(0)
    before = ids(reference)
    assert run_cli(["build", *where(reference)[:2], "--corpus", str(reference / "corpus")]) == 0
    after = ids(reference)
    assert after > before
    killed = 0
    for _, site, _ in steps(lambda s: ["build", "--store", str(s / "store"), "--corpus", str(s / "corpus")],
                            copier(template, tmp_path, add_market)):
        killed += 1
        store_reads(site, before, after)
        assert run_cli(["build", "--store", str(site / "store"), "--corpus", str(site / "corpus")]) == 0
        assert ids(site) == after
        no_leftovers(site)
    assert killed >= 5  # data files, folders, the generation's rename, the link's swap


def test_add_killed_at_each_write_step(template, tmp_path):
    reference = copier(template, tmp_path / "reference")(0)
    before = ids(reference)
    assert run_cli(["add", str(reference / "incoming"), *where(reference)]) == 0
    after = ids(reference)
    killed = 0
    for _, site, _ in steps(lambda s: ["add", str(s / "incoming"), *where(s)], copier(template, tmp_path)):
        killed += 1
        store_reads(site, before, after)
        uploaded = [p.stem for p in (site / "uploads").glob("*.html")] if (site / "uploads").is_dir() else []
        if uploaded:  # a file is never in the uploads folder without its metadata
            rows = json.loads((site / "uploads" / "metadata.json").read_text(encoding="utf-8"))
            assert [r["title"] for r in rows if r["id"] in uploaded] == ["Sinjar road reopened"]
        assert run_cli(["add", str(site / "incoming"), *where(site)]) == 0
        assert ids(site) == after
        (sinjar,) = [a for a in read_articles(site / "store") if a["id"] == "sinjar"]
        assert sinjar["title"] == "Sinjar road reopened" and str(sinjar["published_start"]) == "2015-11-15"
        no_leftovers(site)
    assert killed >= 8  # metadata, the file's link, then the rebuild's steps


def test_correct_killed_at_each_write_step(template, tmp_path):
    reference = copier(template, tmp_path / "reference")(0)
    before = ids(reference)
    target = next(e["id"] for e in read_event_rows(reference / "store") if "Kirkuk" in e["sentence"])
    assert run_cli(["correct", target, "--not-event", "--reason", "a drill", *where(reference)]) == 0
    after = ids(reference)
    assert after == before - {target}
    killed = 0
    for _, site, _ in steps(lambda s: ["correct", target, "--not-event", "--reason", "a drill", *where(s)],
                            copier(template, tmp_path)):
        killed += 1
        store_reads(site, before, after)
        log = site / "store.corrections.jsonl"
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        assert len(lines) <= 1 and all(json.loads(line)["reason"] == "a drill" for line in lines)
        if lines:  # logged before the kill: the next build applies it
            assert run_cli(["build", "--store", str(site / "store"), "--corpus", str(site / "corpus")]) == 0
        else:
            assert run_cli(["correct", target, "--not-event", "--reason", "a drill", *where(site)]) == 0
        assert ids(site) == after
        assert run_cli(["corrections", "list", "--store", str(site / "store")]) == 0  # applied, no bad line
        no_leftovers(site)
    assert killed >= 6  # the log's line, then the rebuild's steps and the status beside the store
