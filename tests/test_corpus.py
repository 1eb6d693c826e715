"""Loading a corpus folder: metadata optional, every bad file named, nothing else lost."""
import json
from pathlib import Path

from dashboard.store.corpus import LoadProblem, decode_bytes, iter_corpus, load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def test_seed_corpus_loads_with_metadata():
    articles, problems = load_corpus(CORPUS)
    assert problems == []
    by_id = {a.id: a for a in articles}
    assert sorted(by_id) == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert by_id["003_47e041bf37adf57a"].outlet == "The New York Times"
    p0 = by_id["000_a98a3842d31c25a3"].published
    assert (p0.start_date.isoformat(), p0.end_date.isoformat(), p0.precision, p0.source) == \
        ("2014-07-01", "2014-07-31", "month", "metadata")
    # the text is exactly the file's bytes decoded
    for a in articles:
        assert a.text == (CORPUS / f"{a.id}.txt").read_bytes().decode("utf-8")


def test_article_without_metadata_loads_with_unknown_date(tmp_path):
    (tmp_path / "story.txt").write_text("Raqqa fell in October.", encoding="utf-8")
    (article,), problems = load_corpus(tmp_path)
    assert problems == [] and article.id == "story" and not article.published.known


def test_bad_files_are_named_and_cost_nothing_else(tmp_path):
    (tmp_path / "good.txt").write_text("Mosul was retaken in July 2017.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "feed.jsonl").write_text('{"id": "j1", "text": "Kirkuk, 2016."}\nnot json\n{"id": "j2"}\n',
                                         encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert sorted(a.id for a in articles) == ["good", "j1"]
    messages = {Path(p.path.split(" line ")[0]).name + (" line" if " line " in p.path else ""): p.problem
                for p in problems}
    assert messages["empty.txt"] == "the file is empty"
    assert "binary" in messages["junk.txt"]
    assert "not an article file" in messages["photo.png"]
    assert any("not valid JSON" in p.problem for p in problems if p.path.endswith("line 2"))
    assert any(p.problem == "no text" for p in problems if p.path.endswith("line 3"))


def test_other_encodings_are_detected(tmp_path):
    text = "Les combattants ont fui Raqqa en octobre. Déjà, à Deir ez-Zor, l'armée avançait à grands pas."
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    articles, problems = load_corpus(tmp_path)
    assert problems == []
    assert {a.text for a in articles} == {text}


def test_csv_with_text_column_and_metadata_columns(tmp_path):
    (tmp_path / "items.csv").write_text('id,title,published,text\nc1,Fall,2017-10-20,"Raqqa fell, officials said."\n'
                                        'c2,,,\n', encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    (a,) = articles
    assert a.id == "c1" and a.title == "Fall" and a.published.start_date.isoformat() == "2017-10-20"
    assert [p.problem for p in problems] == ["no text"]


def test_unreadable_metadata_is_reported_and_articles_still_load(tmp_path):
    (tmp_path / "a.txt").write_text("Raqqa fell.", encoding="utf-8")
    (tmp_path / "metadata.json").write_text("{broken", encoding="utf-8")
    items = list(iter_corpus(tmp_path))
    assert [type(i).__name__ for i in items] == ["LoadProblem", "Article"]
    assert "metadata not readable" in items[0].problem


def test_bad_publication_date_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Raqqa fell.", encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps([{"id": "a", "published": "sometime"}]), encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert not articles[0].published.known
    assert len(problems) == 1 and "sometime" in problems[0].problem


def test_missing_folder():
    (problem,) = list(iter_corpus("/no/such/folder"))
    assert isinstance(problem, LoadProblem) and problem.problem == "no such corpus folder"


def test_decode_rejects_nul_bytes():
    import pytest

    with pytest.raises(ValueError, match="binary"):
        decode_bytes(b"Raqqa\x00\x00\x00fell" * 100, "x")
