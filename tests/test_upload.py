"""Uploads: every refusal (size, count, zip bomb, traversal, binary) with its message, and nothing lost.

The checks run on real bytes written to real folders; the build-related tests run the real pipeline.
"""
from __future__ import annotations

import base64
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from dashboard.store.corpus import load_corpus
from dashboard.cli import main as run_cli
from dashboard.editing.jobs import JobRunner
from dashboard.editing.limits import LIMITS, FileMessage, UploadError, UploadLimits, configured_limits
from dashboard.editing.metadata import check_metadata
from dashboard.editing.rebuild import rebuild
from dashboard.editing.uploads import files_from_browser, files_from_paths, sanitise_name, save_uploads

ARTICLE = ("BEIRUT, June 6, 2017 - Kurdish-led fighters entered Raqqa on Tuesday, a monitoring group said. "
           "The offensive on the city began after months of air strikes.\n").encode()
OTHER = ("Iraqi forces retook the old city of Mosul on 9 July 2017, the prime minister said in a statement "
         "broadcast from the city.\n").encode()


def messages(result) -> dict[str, FileMessage]:
    return {m.name: m for m in result.messages}


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def make_zip(entries: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- saving
def test_a_text_file_is_saved_with_the_form_metadata_and_loads_as_an_article(tmp_path):
    uploads = tmp_path / "uploads"
    meta = check_metadata(published="2017-06-06", title="Raqqa offensive", url="https://example.org/raqqa")
    result = save_uploads([("raqqa report.txt", ARTICLE)], uploads, metadata=meta)
    (saved,) = result.saved
    assert saved.saved_as == "raqqa_report.txt" and saved.article_ids == ("raqqa_report",)
    assert "saved as raqqa_report.txt (1 article)" in str(saved)
    assert (uploads / "raqqa_report.txt").read_bytes() == ARTICLE
    articles, problems = load_corpus(uploads)
    assert not problems
    (article,) = articles
    assert article.title == "Raqqa offensive" and article.url == "https://example.org/raqqa"
    assert article.published.start_date.isoformat() == "2017-06-06"


def test_bad_form_metadata_is_refused_naming_the_value():
    with pytest.raises(UploadError, match="'next tuesdayish'"):
        check_metadata(published="next tuesdayish")
    with pytest.raises(UploadError, match="not an http"):
        check_metadata(url="javascript:alert(1)")
    assert check_metadata(published=" ", title="  A   title ") == {"title": "A title"}


def test_a_file_over_the_size_limit_is_refused_and_the_others_are_saved(tmp_path):
    uploads = tmp_path / "uploads"
    limits = UploadLimits(max_file_bytes=len(ARTICLE) + 10)
    result = save_uploads([("big.txt", ARTICLE * 3), ("small.txt", ARTICLE)], uploads, limits=limits)
    by_name = messages(result)
    assert not by_name["big.txt"].ok and "over the" in by_name["big.txt"].message
    assert "limit per file" in by_name["big.txt"].message
    assert by_name["small.txt"].ok
    assert files_in(uploads) == {"small.txt"}


def test_files_over_the_count_limit_are_refused_one_by_one(tmp_path):
    uploads = tmp_path / "uploads"
    files = [(f"a{i}.txt", ARTICLE + str(i).encode()) for i in range(4)]
    result = save_uploads(files, uploads, limits=UploadLimits(max_files=2))
    assert [m.ok for m in result.messages] == [True, True, False, False]
    assert all("over the limit of 2 files" in m.message for m in result.refused)
    assert files_in(uploads) == {"a0.txt", "a1.txt"}


def test_the_batch_size_limit_refuses_what_would_pass_it(tmp_path):
    uploads = tmp_path / "uploads"
    limits = UploadLimits(max_batch_bytes=int(len(ARTICLE) * 1.5))
    result = save_uploads([("one.txt", ARTICLE), ("two.txt", OTHER + b" " * len(ARTICLE))], uploads, limits=limits)
    assert [m.ok for m in result.messages] == [True, False]
    assert "in all" in result.messages[1].message


def test_binary_junk_is_refused_as_not_text(tmp_path):
    uploads = tmp_path / "uploads"
    junk = bytes(range(256)) * 40
    result = save_uploads([("junk.txt", junk), ("fine.txt", ARTICLE)], uploads)
    by_name = messages(result)
    assert not by_name["junk.txt"].ok and "binary" in by_name["junk.txt"].message
    assert files_in(uploads) == {"fine.txt"}


def test_empty_files_csv_without_text_and_unknown_types_are_refused_with_reasons(tmp_path):
    uploads = tmp_path / "uploads"
    result = save_uploads([
        ("empty.txt", b"   \n"),
        ("table.csv", b"title,body\nA,Some words\n"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 not really"),
        ("mixed.jsonl", json.dumps({"id": "j1", "text": OTHER.decode()}).encode() + b"\n{broken\n"),
    ], uploads)
    by_name = messages(result)
    assert "empty" in by_name["empty.txt"].message and not by_name["empty.txt"].ok
    assert "no 'text' column" in by_name["table.csv"].message and not by_name["table.csv"].ok
    assert "not an article file" in by_name["photo.jpg"].message
    # a table with one broken line is saved, and the message says which line was not read
    assert by_name["mixed.jsonl"].ok and by_name["mixed.jsonl"].article_ids == ("j1",)
    assert "line 2" in by_name["mixed.jsonl"].message and "not valid JSON" in by_name["mixed.jsonl"].message
    assert files_in(uploads) == {"mixed.jsonl"}


def test_path_traversal_names_stay_inside_the_uploads_folder(tmp_path):
    uploads = tmp_path / "deep" / "uploads"
    result = save_uploads([("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"),
                           ("../../outside.txt", ARTICLE), ("..\\..\\win.txt", OTHER)], uploads)
    by_name = messages(result)
    assert not by_name["../../etc/passwd"].ok and "not an article file" in by_name["../../etc/passwd"].message
    assert by_name["../../outside.txt"].saved_as == "outside.txt"
    assert by_name["..\\..\\win.txt"].saved_as == "win.txt"
    assert files_in(uploads) == {"outside.txt", "win.txt"}
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "etc").exists()
    assert files_in(tmp_path / "deep") == {"uploads", ".uploads.lock"}  # no staging left behind


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"), ("/abs/path/a.TXT", "a.txt"), ("", "upload"), ("...", "upload"),
    ("résumé (final).md", "resume_final.md"), ("a\x00b.txt", "ab.txt"), (".hidden.txt", "hidden.txt"),
])
def test_sanitised_names(raw, safe):
    assert sanitise_name(raw) == safe


def test_a_saved_file_is_never_overwritten(tmp_path):
    uploads = tmp_path / "uploads"
    save_uploads([("report.txt", ARTICLE)], uploads)
    again = save_uploads([("report.txt", ARTICLE), ("report.txt", OTHER)], uploads)
    first, second = again.messages
    assert first.ok and first.saved_as is None and "already uploaded as report.txt" in first.message
    assert second.saved_as == "report-2.txt" and "a different report.txt is there already" in second.message
    assert (uploads / "report.txt").read_bytes() == ARTICLE
    assert (uploads / "report-2.txt").read_bytes() == OTHER


def test_an_id_taken_by_another_corpus_gets_a_new_name(tmp_path):
    uploads = tmp_path / "uploads"
    result = save_uploads([("seed.txt", ARTICLE)], uploads, taken_ids={"seed"})
    assert result.saved[0].saved_as == "seed-2.txt" and result.article_ids == ["seed-2"]


def test_an_uploaded_metadata_file_gives_the_articles_their_dates(tmp_path):
    uploads = tmp_path / "uploads"
    meta = json.dumps([{"id": "mosul", "published": "2017-07-10", "title": "Mosul retaken"}]).encode()
    result = save_uploads([("mosul.txt", OTHER), ("metadata.json", meta)], uploads)
    assert all(m.ok for m in result.messages)
    (article,), _ = load_corpus(uploads)
    assert article.title == "Mosul retaken" and article.published.start_date.isoformat() == "2017-07-10"
    bad = save_uploads([("metadata.json", b"{not json")], uploads)
    assert not bad.messages[0].ok and "metadata not readable" in bad.messages[0].message
    (article,), _ = load_corpus(uploads)
    assert article.title == "Mosul retaken"  # the earlier metadata is not lost


# ---------------------------------------------------------------------------------------------- zips
def test_a_zip_of_articles_is_unpacked(tmp_path):
    uploads = tmp_path / "uploads"
    data = make_zip({"batch/raqqa.txt": ARTICLE, "batch/more.jsonl": json.dumps(
        {"id": "m1", "text": OTHER.decode(), "published": "2017-07-10"}).encode() + b"\n"})
    result = save_uploads([("batch.zip", data)], uploads)
    assert sorted(m.saved_as for m in result.saved) == ["more.jsonl", "raqqa.txt"]
    assert sorted(result.article_ids) == ["m1", "raqqa"]
    assert result.messages[0].name.startswith("batch.zip/batch/")


def test_a_zip_bomb_is_refused_before_unpacking_and_nothing_else_is_lost(tmp_path):
    uploads = tmp_path / "uploads"
    bomb = make_zip({"zeros.txt": b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    result = save_uploads([("bomb.zip", bomb), ("fine.txt", ARTICLE)], uploads)
    by_name = messages(result)
    assert not by_name["bomb.zip"].ok and "zip bomb" in by_name["bomb.zip"].message
    assert by_name["fine.txt"].ok
    assert files_in(uploads) == {"fine.txt"}


def test_a_zip_over_the_unpacked_size_or_entry_count_is_refused(tmp_path):
    uploads = tmp_path / "uploads"
    data = make_zip({f"a{i}.txt": ARTICLE + str(i).encode() for i in range(5)})
    by_count = save_uploads([("many.zip", data)], uploads, limits=UploadLimits(max_zip_entries=3))
    assert "5 entries, over the limit of 3" in by_count.messages[0].message
    by_size = save_uploads([("many.zip", data)], uploads, limits=UploadLimits(max_unzipped_bytes=len(ARTICLE) * 2))
    assert "zip bomb" in by_size.messages[0].message and "unpacks to" in by_size.messages[0].message
    assert files_in(uploads) == set()


def test_a_zip_whose_header_lies_about_the_size_is_refused(tmp_path):
    honest = make_zip({"a.txt": b"A" * 200_000})
    # shrink the declared uncompressed size in the local header and the central directory
    declared = (200_000).to_bytes(4, "little")
    lying = honest.replace(declared, (150).to_bytes(4, "little"))
    assert lying != honest
    result = save_uploads([("liar.zip", lying)], tmp_path / "uploads")
    assert not result.messages[0].ok
    assert "zip bomb" in result.messages[0].message or "cannot be unpacked" in result.messages[0].message
    assert files_in(tmp_path / "uploads") == set()


def test_dangerous_zip_entries_are_refused_one_by_one(tmp_path):
    uploads = tmp_path / "uploads"
    data = make_zip({"../evil.txt": ARTICLE, "/abs.txt": ARTICLE, "inner.zip": make_zip({"x.txt": ARTICLE}),
                     "disguised.txt": make_zip({"y.txt": OTHER}), "__MACOSX/._good.txt": b"\x00\x05",
                     "good.txt": OTHER}, symlinks={"link.txt": "/etc/passwd"})
    result = save_uploads([("mixed.zip", data)], uploads)
    by_name = messages(result)
    assert "leaves the zip's folder" in by_name["mixed.zip/../evil.txt"].message
    assert "leaves the zip's folder" in by_name["mixed.zip//abs.txt"].message
    assert "zips inside zips" in by_name["mixed.zip/inner.zip"].message
    assert "zips inside zips" in by_name["mixed.zip/disguised.txt"].message
    assert "symbolic link" in by_name["mixed.zip/link.txt"].message
    assert not by_name["mixed.zip/__MACOSX/._good.txt"].ok
    assert by_name["mixed.zip/good.txt"].ok
    assert files_in(uploads) == {"good.txt"}
    assert not (tmp_path / "evil.txt").exists()


def test_a_damaged_zip_is_refused(tmp_path):
    result = save_uploads([("broken.zip", b"PK\x03\x04 this is not really a zip")], tmp_path / "uploads")
    assert not result.messages[0].ok and "not a readable zip" in result.messages[0].message


# ---------------------------------------------------------------------------------------------- inputs
def test_browser_contents_are_decoded_and_damaged_ones_refused():
    good = "data:text/plain;base64," + base64.b64encode(ARTICLE).decode()
    files = files_from_browser([good, "data:text/plain;base64,@@@not base64@@@", None], ["a.txt", "b.txt", "c.txt"])
    assert files[0] == ("a.txt", ARTICLE)
    assert isinstance(files[1], FileMessage) and "not base64" in files[1].message
    assert isinstance(files[2], FileMessage) and "no readable content" in files[2].message
    big = "data:text/plain;base64," + "A" * 2000
    (refused,) = files_from_browser([big], ["big.txt"], max_bytes=1000)
    assert "over the" in refused.message


def test_paths_folders_and_missing_paths_from_the_command_line(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(ARTICLE)
    (folder / "sub" / "b.md").write_bytes(OTHER)
    (folder / ".DS_Store").write_bytes(b"\x00")
    items = list(files_from_paths([folder, tmp_path / "nope.txt"]))
    names = [i[0] if isinstance(i, tuple) else i.name for i in items]
    assert names == [str(folder / "a.txt"), str(folder / "sub" / "b.md"), str(tmp_path / "nope.txt")]
    assert "no such file" in items[-1].message
    result = save_uploads(items, tmp_path / "uploads")
    assert [m.ok for m in result.messages] == [True, True, False]
    assert os.listdir(tmp_path / "uploads").count("metadata.json") == 0


# ---------------------------------------------------------------------------------------------- the add command
def test_cli_add_copies_rebuilds_and_exits_1_when_something_was_refused(tmp_path, capsys):
    from dashboard.store.generations import read_articles, read_event_rows

    corpus, uploads, store = tmp_path / "corpus", tmp_path / "uploads", tmp_path / "store"
    corpus.mkdir()
    (corpus / "seed.txt").write_bytes(ARTICLE)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "mosul.txt").write_bytes(OTHER)
    (incoming / "junk.txt").write_bytes(bytes(range(256)) * 10)
    (incoming / "bundle.zip").write_bytes(make_zip({"seed.txt": ARTICLE + b"More later.\n",
                                                    "../escape.txt": ARTICLE}))

    def add(*paths) -> int:
        return run_cli(["add", *map(str, paths), "--store", str(store), "--uploads", str(uploads),
                        "--corpus", str(corpus)])

    assert add(incoming) == 1
    out, err = capsys.readouterr()
    assert "added" in out and "mosul.txt: saved as mosul.txt (1 article)" in out
    assert "seed.txt: saved as seed-2.txt (an article 'seed' exists already) (1 article)" in out
    assert "junk.txt: refused: the file is binary, not text" in err
    assert "escape.txt: refused: its path leaves the zip's folder" in err
    assert {a["id"] for a in read_articles(store)} == {"seed", "seed-2", "mosul"}  # the corpus and the uploads
    sources = {s for e in read_event_rows(store) for s in e["sources"]}
    assert {"seed", "seed-2", "mosul"} <= sources  # every article gave events
    assert all(a["n_events"] > 0 and a["status"] == "ok" for a in read_articles(store))
    assert add(incoming / "mosul.txt") == 0  # the same file again: nothing refused, nothing duplicated
    assert "already uploaded as mosul.txt" in capsys.readouterr().out
    assert {a["id"] for a in read_articles(store)} == {"seed", "seed-2", "mosul"}
    assert add(tmp_path / "missing.txt") == 1


def test_a_job_whose_rebuild_fails_keeps_the_files_and_says_so(tmp_path):
    from dashboard.store.generations import build_lock

    store, uploads = tmp_path / "store", tmp_path / "uploads"
    runner = JobRunner(store, [], uploads, build_wait_s=0.5)
    with build_lock(store):  # another build holds the store for longer than the job waits
        job = runner.wait(runner.submit_upload([("mosul.txt", OTHER), ("junk.txt", b"\x00" * 64)]).id)
    assert job.state == "failed"
    assert "the files are saved" in job.error and "another build" in job.error
    assert [m.ok for m in job.messages] == [True, False] and (uploads / "mosul.txt").read_bytes() == OTHER
    job = runner.wait(runner.submit_rebuild().id)  # the lock is free again: the next job builds them
    assert job.state == "done" and job.events_after > 0


def test_the_time_limit_holds_on_the_apps_background_thread(tmp_path):
    import threading

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # 400 different reports (~60 KB): far longer to analyse than the limit, even in a warm child whose
    # caches would make 3,000 copies of one report quick
    line = ARTICLE.decode()
    (corpus / "slow.txt").write_text("".join(line.replace("a monitoring group", f"monitoring group {i}")
                                             for i in range(400)))
    reports = []
    worker = threading.Thread(target=lambda: reports.append(rebuild(tmp_path / "store", [corpus],
                                                                    time_limit_s=0.001)))
    worker.start()
    worker.join(120)
    (report,) = reports
    (problem,) = report.problems
    assert "slow.txt" in problem.path and "took longer than 0.001 s; skipped" in problem.problem


def test_the_deployer_sets_the_browser_limits_and_a_typo_is_an_error(monkeypatch):
    assert configured_limits() == LIMITS
    monkeypatch.setenv("DASHBOARD_UPLOAD_MAX_FILE_MB", "0.5")
    monkeypatch.setenv("DASHBOARD_UPLOAD_MAX_FILES", "3")
    limits = configured_limits()
    assert (limits.max_file_bytes, limits.max_files, limits.max_zip_entries) == (524288, 3, LIMITS.max_zip_entries)
    monkeypatch.setenv("DASHBOARD_UPLOAD_MAX_FILES", "lots")
    with pytest.raises(UploadError, match="DASHBOARD_UPLOAD_MAX_FILES='lots': expected a positive number"):
        configured_limits()


def test_metadata_stated_in_an_html_head_or_markdown_front_matter_is_used(tmp_path):
    uploads = tmp_path / "uploads"
    page = ('<!doctype html><html><head><title>Site | Raqqa falls</title>'
            '<meta property="og:title" content="Raqqa falls to the SDF">'
            '<meta property="article:published_time" content="2017-10-17T09:00:00Z">'
            '<link rel="canonical" href="https://example.org/raqqa-falls"></head>'
            f'<body><p>{ARTICLE.decode()}</p></body></html>').encode()
    note = b"---\ntitle: 'Mosul retaken'\ndate: soon\n---\n" + OTHER
    result = save_uploads([("raqqa.html", page), ("mosul.md", note)], uploads)
    by_name = messages(result)
    assert "published, title, url from the file" in by_name["raqqa.html"].message
    assert by_name["mosul.md"].ok and "title from the file" in by_name["mosul.md"].message
    assert "the file's publication date 'soon' not understood" in by_name["mosul.md"].message
    articles = {a.id: a for a in load_corpus(uploads)[0]}
    raqqa, mosul = articles["raqqa"], articles["mosul"]
    assert (raqqa.title, raqqa.url, str(raqqa.published.start_date)) == \
        ("Raqqa falls to the SDF", "https://example.org/raqqa-falls", "2017-10-17")
    assert mosul.title == "Mosul retaken" and not mosul.published.known
    # what the user types in the form wins over what the file says
    form = check_metadata(published="2017-10-20", title="Typed title")
    save_uploads([("again.html", page)], uploads, metadata=form)
    again = {a.id: a for a in load_corpus(uploads)[0]}["again"]
    assert (again.title, str(again.published.start_date), again.url) == \
        ("Typed title", "2017-10-20", "https://example.org/raqqa-falls")
