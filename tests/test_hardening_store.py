"""Nothing lost (issue 18), the store's side: damaged Parquet files, a file system that refuses a write,
a store path with glob characters. Each test drives the real command line over a real store built from
the small corpus of ``test_hardening_editing`` (the project's own sentences).
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main as run_cli
from dashboard.store.generations import current_generation, generations_dir, read_articles
from tests.test_hardening_editing import BRIDGE, PAGE, an_event, build, cli, ids, messages, site, template  # noqa: F401


def truncate(path: Path) -> None:
    """Cut a file in half, as a full disk or a copy stopped half-way leaves it."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def the_part(site: Path) -> Path:
    (part,) = sorted((current_generation(site / "store") / "events").glob("part-*.parquet"))
    return part


# ---------------------------------------------------------------------------------------------- 8: damaged Parquet
@pytest.mark.parametrize("damaged", ["events", "articles"])
def test_every_command_names_a_damaged_parquet_file_in_one_line(site, tmp_path, capsys, damaged):
    dam = an_event(site, "Tabqa")
    file = the_part(site) if damaged == "events" else current_generation(site / "store") / "articles.parquet"
    truncate(file)
    page = tmp_path / "ramadi.html"
    page.write_text(PAGE, encoding="utf-8")
    capsys.readouterr()
    commands = [["events", "--store", str(site / "store")],
                ["serve", "--store", str(site / "store"), "--port", "1"],
                ["add", str(page), "--store", str(site / "store"), "--uploads", str(site / "uploads"),
                 "--corpus", str(site / "corpus")],
                ["correct", dam["id"], "--not-event", "--store", str(site / "store"), "--uploads",
                 str(site / "uploads"), "--corpus", str(site / "corpus")],
                ["corrections", "list", "--store", str(site / "store")]]
    for argv in commands:
        assert run_cli(argv) == 2, argv
        out, err = capsys.readouterr()
        (line,) = messages(err)
        assert line.startswith("dashboard: ") and str(file.relative_to(site)) in line, (argv, err)
        assert "damaged" in line and "build" in line and "Traceback" not in err
    from dashboard.store.generations import StoreError
    from dashboard.wsgi import make_server

    with pytest.raises(StoreError, match=re.escape(str(file)) + r": damaged"):  # gunicorn's start: the same line
        make_server(str(site / "store"))
    assert not (site / "uploads").exists()  # nothing was saved by the refused `add`
    assert not (site / "store.corrections.jsonl").exists()  # nor logged by the refused `correct`


@pytest.mark.parametrize("damaged", ["events", "articles"])
def test_build_rebuilds_a_damaged_generation_from_the_per_article_cache(site, capsys, damaged):
    assert build(site) == 0  # the store records this copy's folders: the next build would have nothing to do
    before = ids(site)
    articles = read_articles(site / "store")
    gen = current_generation(site / "store")
    truncate(the_part(site) if damaged == "events" else gen / "articles.parquet")
    capsys.readouterr()
    assert build(site) == 0
    err = capsys.readouterr().err
    assert "already up to date" not in err and "damaged" in err
    assert "(0 analysed, 3 unchanged)" in err  # from the cache, not analysed again
    assert current_generation(site / "store") != gen
    assert ids(site) == before and read_articles(site / "store") == articles
    capsys.readouterr()
    assert build(site) == 0 and "already up to date" in capsys.readouterr().err


def test_a_damaged_file_with_an_intact_footer_is_found_by_its_checksum(site, capsys):
    assert build(site) == 0
    part = the_part(site)
    data = bytearray(part.read_bytes())
    data[len(data) // 3] ^= 0xFF  # one flipped byte inside the data: the footer still reads
    part.write_bytes(bytes(data))
    capsys.readouterr()
    assert build(site) == 0
    err = capsys.readouterr().err
    assert "already up to date" not in err and f"{part.name}: damaged" in err


# ---------------------------------------------------------------------------------------------- 9: writes refused
def test_a_read_only_store_folder_is_one_line_naming_it(site, capsys, monkeypatch):
    # Tests run as root here, for whom chmod does not stop a write: the refusal is what the kernel would
    # answer a user on a read-only folder (EACCES from mkdir), raised where the build makes its folder.
    real_mkdir = os.mkdir

    def refuse(path, *args, **kwargs):
        if Path(path).parent == generations_dir(site / "store"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    (site / "corpus" / "more.txt").write_text(BRIDGE.replace("iron", "rail"), encoding="utf-8")
    monkeypatch.setattr(os, "mkdir", refuse)
    before = ids(site)
    capsys.readouterr()
    assert build(site) == 2
    (line,) = messages(capsys.readouterr().err)
    assert line.startswith(f"dashboard: {generations_dir(site / 'store')}/tmp-gen-") and "Permission denied" in line
    assert ids(site) == before


@pytest.mark.parametrize("refused", ["symlink", "replace"])
def test_a_link_folder_that_refuses_the_swap_leaves_no_orphan_generation(site, capsys, monkeypatch, refused):
    # As root, a read-only parent does not stop symlink/rename: the kernel's refusal is raised instead.
    gens = generations_dir(site / "store")
    real = getattr(os, refused)

    def refuse(*args, **kwargs):
        if Path(args[-1]).parent == site:
            raise PermissionError(13, "Permission denied", str(args[-1]))
        return real(*args, **kwargs)

    (site / "corpus" / "more.txt").write_text(BRIDGE.replace("iron", "rail"), encoding="utf-8")
    before, generations = ids(site), sorted(p.name for p in gens.iterdir())
    monkeypatch.setattr(os, refused, refuse)
    capsys.readouterr()
    assert build(site) == 2
    (line,) = messages(capsys.readouterr().err)
    assert line.startswith(f"dashboard: {site}/") and "Permission denied" in line
    assert ids(site) == before and sorted(p.name for p in gens.iterdir()) == generations
    assert not [p for p in site.iterdir() if p.name.startswith(".store.link")]


def test_a_later_build_removes_orphan_generations_and_keeps_the_one_before(site, capsys):
    gens = generations_dir(site / "store")
    current = current_generation(site / "store")
    orphan = gens / "gen-20990101T000000-000000001-1"  # left by a build killed between its rename and swap
    shutil.copytree(current, orphan)
    later = current.stat().st_mtime + 60
    os.utime(orphan, (later, later))  # the newest folder, as an orphan is
    stranger = gens / "notes"  # not a generation: never touched
    stranger.mkdir()
    (site / "corpus" / "more.txt").write_text(BRIDGE.replace("iron", "rail"), encoding="utf-8")
    assert build(site) == 0
    assert sorted(p.name for p in gens.iterdir() if p.is_dir()) == sorted(
        [current.name, current_generation(site / "store").name, "notes"])


# ---------------------------------------------------------------------------------------------- 10: glob characters
def test_a_store_path_with_glob_characters_serves_and_exports(site, tmp_path, capsys, monkeypatch):
    from dashboard.views import query
    from dashboard.views.query import EventStore
    from dashboard.views.state import ViewState
    from dashboard.web.app import create_app

    home = tmp_path / "Reports [2024] *?"
    home.mkdir()
    store = home / "store"
    assert run_cli(["build", "--corpus", str(site / "corpus"), "--store", str(store)]) == 0
    expected = ids(site)
    dam = an_event(site, "Tabqa")
    for inline_rows, memory_limit in ((1000, None), (0, None), (0, "200MB")):  # provenance read from disk too
        monkeypatch.setattr(query, "INLINE_PROVENANCE_ROWS", inline_rows)
        events = EventStore(store, memory_limit=memory_limit)
        assert set(events.filter(ViewState())["id"]) == expected
        assert events.event(dam["id"])["provenance"][0]["sentence"] == dam["sentence"]
    lean = EventStore(store, inline_provenance=False)  # an image export's store: provenance stays on disk
    assert "provenance" not in lean.filter(ViewState()).columns or lean.filter(ViewState())["provenance"].isna().all()
    assert lean.event(dam["id"])["provenance"][0]["sentence"] == dam["sentence"]
    app = create_app(store)
    assert app.server.test_client().get("/").status_code == 200
    out = home / "events [all].csv"
    capsys.readouterr()
    assert run_cli(["export", "--store", str(store), "--format", "csv", "--out", str(out)]) == 0
    assert all(event_id in out.read_text(encoding="utf-8") for event_id in expected)
