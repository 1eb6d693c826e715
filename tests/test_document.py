"""Document cleaning keeps every offset: real lines of messy scraped articles."""
from pathlib import Path

import pytest

from dashboard.pipeline.document import BOILERPLATE_RULES, boilerplate_reason, make_document, split_sentences
from dashboard.records import Article

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def doc_of(text, fmt="txt"):
    return make_document(Article(id="t", text=text, source_format=fmt))


def sentences_of(text, fmt="txt"):
    doc = doc_of(text, fmt)
    return [doc.text[s.start:s.end] for s in doc.sentences]


@pytest.mark.parametrize("name,pattern,example", BOILERPLATE_RULES)
def test_every_boilerplate_rule_matches_its_example(name, pattern, example):
    assert boilerplate_reason(example) is not None


@pytest.mark.parametrize("line", [
    "Raqqa fell in October after a four-month battle.",
    "Join the fighting in Raqqa, the commander urged his men in a message that ran for several minutes "
    "on the group's channels and was described by analysts as a sign of desperation in the final days.",
    "ad hoc committees met in Baghdad.",
    "Print media in Iraq reported the attack.",
])
def test_prose_is_not_boilerplate(line):
    assert boilerplate_reason(line) is None


def test_clean_text_has_the_same_length_and_offsets():
    text = "IE 11 is not supported. Upgrade your browser to see this page as it was meant.\n\nRaqqa fell."
    doc = doc_of(text)
    assert len(doc.clean_text) == len(text)
    (s,) = doc.sentences
    assert text[s.start:s.end] == "Raqqa fell."
    assert [k.reason for k in doc.skipped] == ["boilerplate"]


def test_repeated_block_keeps_first_occurrence_only():
    block = "Fighters fled Raqqa in October.\nThe strike on Jan. 20 killed about 150 fighters, officials said.\n"
    text = "Headline\n" + block + "[...]\n" + block + "[...]\n" + block
    doc = doc_of(text)
    got = [doc.text[s.start:s.end] for s in doc.sentences]
    assert got == ["Headline", "Fighters fled Raqqa in October.",
                   "The strike on Jan. 20 killed about 150 fighters, officials said."]
    assert sum(1 for k in doc.skipped if k.reason == "repeat") == 4


def test_links_are_blanked_but_prose_around_them_kept():
    text = "Trump spoke [ https://www.example.org/2019/03/12/world/convoy-report-update.html ] last week."
    doc = doc_of(text)
    assert "2019" not in doc.clean_text
    (s,) = doc.sentences
    assert doc.text[s.start:s.end] == text


def test_bare_link_line_is_skipped():
    text = "Raqqa fell.\nhttps://news.example.net/2020/06/21/region/river-towns-after-the-siege.html [with comments]\n"
    assert sentences_of(text) == ["Raqqa fell."]


@pytest.mark.parametrize("text,expected", [
    ("Gen. Paul J. Selva told reporters last week. He left.",
     ["Gen. Paul J. Selva told reporters last week.", "He left."]),
    ("The U.S. military said so. Mr. Iho agreed.", ["The U.S. military said so.", "Mr. Iho agreed."]),
    ("It happened on Feb. 3 in Al Bab. Then they fled.", ["It happened on Feb. 3 in Al Bab.", "Then they fled."]),
    ("“ISIS fighters are fleeing,” she said. “They return home.”",
     ["“ISIS fighters are fleeing,” she said.", "“They return home.”"]),
    ("Is it over? No. It is not!", ["Is it over?", "No.", "It is not!"]),
])
def test_sentences(text, expected):
    assert [text[s.start:s.end] for s in split_sentences(text)] == expected


def test_hard_wrapped_paragraph_joins_lines():
    text = "Fighters of the group fled towards\nthe border with Iraq in October.\n\nA new paragraph."
    doc = doc_of(text)
    assert [s.paragraph for s in doc.sentences] == [0, 1]
    assert doc.text[doc.sentences[0].start:doc.sentences[0].end].endswith("in October.")


def test_html_tags_and_scripts_are_blanked_offsets_kept():
    text = "<html><body><p>Raqqa <b>fell</b> in October.</p><script>var d='2019-01-01';</script>" \
           "<p>Mosul&amp;Baghdad followed.</p></body></html>"
    doc = doc_of(text, "html")
    got = [doc.clean_text[s.start:s.end] for s in doc.sentences]
    assert got[0].split() == ["Raqqa", "fell", "in", "October."]
    assert "2019" not in doc.clean_text
    assert len(doc.clean_text) == len(text)


def test_markdown_marks_and_link_targets_are_blanked():
    text = "# ISIS in Syria\n\nThe **fall** of [Raqqa](https://example.org/2017/10/raqqa) came in October."
    doc = doc_of(text, "md")
    assert "example.org" not in doc.clean_text and "**" not in doc.clean_text
    assert len(doc.clean_text) == len(text)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_seed_articles_clean_without_moving_offsets(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    doc = doc_of(text)
    assert len(doc.clean_text) == len(text)
    assert doc.sentences
    for s in doc.sentences:
        # content is untouched where it is kept
        assert doc.clean_text[s.start:s.end].strip() and text[s.start] == doc.clean_text[s.start]


def test_seed_boilerplate_is_gone():
    def clean(name):
        return doc_of((CORPUS / name).read_text(encoding="utf-8")).clean_text

    assert "IE 11" not in clean("000_a98a3842d31c25a3.txt")
    c1 = clean("001_da67e8c3a399fa6d.txt")
    assert "InvestorsHub" not in c1 and "Register for free" not in c1
    assert c1.count("Thousands of Islamic State foreign fighters") == 1  # repeated blocks kept once
    assert "We Humbly Ask" not in clean("002_635cea4244515c8b.txt")
    c4 = clean("004_75694c099aa59e4f.txt")
    assert "طباعة" not in c4 and "ad a b" not in c4


# --- page furniture: captions, menus, player and share labels, by their shape --------------------------
from dashboard.pipeline.document import FURNITURE_RULES, furniture_reason  # noqa: E402


@pytest.mark.parametrize("name,pattern,example", FURNITURE_RULES)
def test_every_furniture_rule_reads_its_example(name, pattern, example):
    assert furniture_reason(example) == name


@pytest.mark.parametrize("line,reason", [
    ("Middle East", "no sentence"),                       # a site menu
    ("Kirkuk, Iraq", "no sentence"),                      # a map caption
    ("Posted by the desk editor - Lyon", "credit or byline"),
    ("Image: smoke over the old town.", "credit or byline"),
    ("Audio is currently unavailable", "player or share label"),
    ("Share on social media", "player or share label"),
    ("Rebels seized the bridge.", None),                  # prose, however short
    ("Thousands of people fled the valley over the weekend as the army advanced from the north and the west "
     "without stopping", None),                           # long: prose whatever its shape
])
def test_furniture_shapes(line, reason):
    assert furniture_reason(line) == reason


def test_furniture_keeps_its_mentions_and_makes_no_event():
    from dashboard.pipeline.analysis import analyse
    from dashboard.store.corpus import article_from_text
    text = ("Rebels Seize a Bridge Outside Kirkuk\n\nMiddle East\n\nKirkuk, Iraq\n\n"
            "Audio is currently unavailable\n\nRebels seized a bridge outside Kirkuk on Monday, officials said.\n")
    analysis = analyse(article_from_text("t", text, meta={"published": "2019-03-06"}))
    kinds = [s.kind for s in analysis.document.sentences]
    assert kinds == ["headline", "furniture", "furniture", "furniture", "prose"]
    assert sum(p.text == "Kirkuk" for p in analysis.places) == 3  # the caption's mention is kept
    (event,) = analysis.events  # headline and lead tell one occurrence; the caption tells none
    assert event.place == "Kirkuk" and len(event.provenance) == 2


def test_a_caption_repeating_the_lead_is_furniture():
    lead = "Rebels seized a bridge outside the northern city on Monday after a night of heavy fighting."
    caption = "Rebels seized a bridge outside the northern city on Monday."
    doc = make_document(Article(id="t", text=f"{lead}\n\n{caption}\n"))
    assert [s.kind for s in doc.sentences] == ["prose", "furniture"]
