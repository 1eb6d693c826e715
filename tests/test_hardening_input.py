"""Dirty input never costs good data: a fuzz corpus through the real build, and generated text through
the whole pipeline (hypothesis). Offsets stay exact whatever the text holds."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.pipeline.analysis import analyse
from dashboard.records import Article

ROOT = Path(__file__).resolve().parent.parent

GOOD = {  # file -> (text, a place and month every build must show from it)
    "mosul.txt": ("Iraqi forces retook Mosul in July 2017 after a nine-month battle.", ("Mosul", "2017-07")),
    "kirkuk.md": ("# Kirkuk\n\nKurdish forces withdrew from **Kirkuk** in October 2017.", ("Kirkuk", "2017-10")),
    "palmyra.html": ("<html><body><script>alert('x')</script><p>Islamic State fighters seized Palmyra in "
                     "May 2015.</p></body></html>", ("Palmyra", "2015-05")),
    "rtl.txt": ("\u200fقالت مصادر محلية\u200f. Fighters fled Deir ez-Zor in November 2017.\u200b", ("Deir", "2017-11")),
}


def write_fuzz_corpus(folder: Path) -> dict[str, str]:
    """Good articles and every kind of bad file; returns {bad file name: what its problem says}."""
    folder.mkdir()
    for name, (text, _) in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Les combattants ont fui Raqqa en octobre 2017, déjà.".encode("cp1252"))
    (folder / "bad-utf8.txt").write_bytes(b"Fighters \xff\xfe\xfd reached Hasakah in January 2022. \xc3\x28")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("   \n\t\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "punctuation.txt").write_text("!?.,;:—–-'\"()[]{}" * 20000 + "\n" + "." * 100000, encoding="utf-8")
    (folder / "dates.txt").write_text(" ".join(f"{d % 28 + 1}/{d % 12 + 1}/{1990 + d % 40}" for d in range(100_000)),
                                      encoding="utf-8")
    (folder / "zero-width.txt").write_text("Ra\u200bqqa\u200d fe\u2060ll in Oct\ufeffober." * 2000, encoding="utf-8")
    return {"empty.txt": "empty", "blank.txt": "empty", "binary.txt": "binary", "image.png": "not an article file"}


def test_fuzz_corpus_build_keeps_good_articles_and_names_bad_files(tmp_path):
    corpus = tmp_path / "corpus"
    bad = write_fuzz_corpus(corpus)
    proc = subprocess.run([sys.executable, "-m", "dashboard", "build", "--corpus", str(corpus), "--store",
                           str(tmp_path / "store"), "--time-limit", "30"], capture_output=True, text=True,
                          cwd=ROOT, timeout=900)
    assert proc.returncode == 1, proc.stderr  # something was skipped, and the status says so
    for name, problem in bad.items():
        line = next((l for l in proc.stderr.splitlines() if name in l), "")
        assert problem in line, (name, proc.stderr[-3000:])
    out = subprocess.run([sys.executable, "-m", "dashboard", "events", "--store", str(tmp_path / "store")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    events = [json.loads(l) for l in out.stdout.splitlines()]
    for name, (_, (place, month)) in GOOD.items():
        article = Path(name).stem
        assert any(article in e["sources"] and e["place"].startswith(place) and e["start_date"].startswith(month)
                   for e in events), (name, [(e["place"], e["start_date"]) for e in events if article in e["sources"]])
    # the script in the HTML article is never part of an event's sentence
    assert not any("alert(" in e["sentence"] for e in events)


@pytest.mark.slow
def test_a_50_mb_article_is_skipped_by_the_time_limit_not_a_hang(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD["mosul.txt"][0], encoding="utf-8")
    paragraph = ("Convoys crossed between Raqqa and Deir ez-Zor in 2017, officials said, while the campaign "
                 "against the militants pressed on down the river, town by town, toward the eastern frontier.\n")
    (corpus / "huge.txt").write_text(paragraph * (50_000_000 // len(paragraph)), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "dashboard", "build", "--corpus", str(corpus), "--store",
                           str(tmp_path / "store"), "--time-limit", "5"], capture_output=True, text=True,
                          cwd=ROOT, timeout=900)
    assert proc.returncode == 1
    assert "huge.txt" in proc.stderr and "longer than 5 s" in proc.stderr
    out = subprocess.run([sys.executable, "-m", "dashboard", "events", "--store", str(tmp_path / "store")],
                         capture_output=True, text=True, cwd=ROOT)
    assert any(json.loads(l)["place"] == "Mosul" for l in out.stdout.splitlines())


# --- generated text through the whole pipeline ---------------------------------------------------------
WORDS = ["Raqqa", "fell", "in", "October", "2017", "last", "week", "Mosul", "Iraq's", "al-Baghdadi", "said",
         "May", "may", "$20,000", "three years", "Jan. 20", "the fall", "U.S.", "WASHINGTON —", "Syria",
         "Deir ez-Zor", "http://example.com/2018/01/02/x", "<b>", "</p>", "&amp;", "**", "[...]", "Ramadan",
         "\u200b", "\u200f", "\u202e", "الرقة", "\ufeff", "—", "“", "”", "’s", "\n", "\n\n", ".", ",", "?!"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=80).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, fmt=st.sampled_from(["txt", "md", "html"]), published=st.sampled_from([None, "2018-02-04", "2014"]))
def test_any_text_analyses_with_exact_offsets(text, fmt, published):
    from dashboard.pipeline.dates import parse_published

    article = Article(id="fuzz", text=text, source_format=fmt,
                      published=parse_published(published) if published else Article(id="x", text="").published)
    analysis = analyse(article)
    assert len(analysis.document.clean_text) == len(text)
    for m in (*analysis.dates, *analysis.places):
        assert text[m.start:m.end] == m.text
    for e in analysis.events:
        assert text[e.start:e.end] == e.sentence and e.start_date <= e.end_date


def test_kill_9_in_the_middle_of_a_real_build_leaves_the_previous_store_whole(tmp_path):
    """`python -m dashboard build` killed with SIGKILL while it analyses a corpus: the store it replaces
    is still whole and readable, and the next build completes."""
    import os
    import shutil
    import signal
    import time

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus

    store = tmp_path / "store"
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "data" / "corpus", seeds)
    first = subprocess.run([sys.executable, "-m", "dashboard", "build", "--corpus", str(seeds), "--store", str(store)],
                           capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert first.returncode == 0, first.stderr
    before = subprocess.run([sys.executable, "-m", "dashboard", "events", "--store", str(store)],
                            capture_output=True, text=True, cwd=ROOT).stdout
    big = write_corpus(tmp_path / "big", 400, seed=3)
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "build", "--corpus", str(big), "--store", str(store)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # kill it once it is writing its new generation's cache (analysis under way), well before the end
    while time.monotonic() < deadline and not any(store.parent.glob("store.generations/tmp-gen-*/cache/*.json")):
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = subprocess.run([sys.executable, "-m", "dashboard", "events", "--store", str(store)],
                           capture_output=True, text=True, cwd=ROOT).stdout
    assert after == before  # the previous store, whole
    again = subprocess.run([sys.executable, "-m", "dashboard", "build", "--corpus", str(big), "--store", str(store)],
                           capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert again.returncode == 0, again.stderr
    assert "from 400 articles" in again.stderr
    assert not list(store.parent.glob("store.generations/tmp-gen-*"))
