"""Nothing lost (issue 18, case 15): an HTML article's sentences as its reader sees them. Scripts, styles,
noscript and template contents and every tag (attributes holding '>' too) are no text; entities are the
characters they stand for; every offset still indexes the page exactly as given (CONTRACT.md). Pages of
the project's own.
"""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.pipeline.analysis import analyse
from dashboard.pipeline.document import make_document
from dashboard.records import Article
from dashboard.store.corpus import article_from_text

PAGE = (
    '<!doctype html><html><head><title>Bridge bombed</title><style>p { color: red } /* 4 June 2016 */</style>'
    '<script>var seen = "Raqqa on 3 May 2016";</script></head><body><!-- built 7 July 2015 in Homs -->'
    '<p>MOSUL, April 20, 2018 - A roadside bomb <img src="x" onerror="if (1 > 0) alert(\'Aleppo 2 June 2016\')">'
    'exploded near the old bridge in Mosul on 19 April 2018, wounding three people &amp; a child, police said.</p>'
    '<noscript><p>Turn on scripts to read about Tikrit on 5 August 2016.</p></noscript>'
    '<template><p>Fallujah was shelled on 6 September 2016.</p></template>'
    '<p>Later, gunmen attacked a checkpoint in Kirkuk on 21 April 2018 &mdash; killing two officers, '
    'officials&nbsp;said.</p><script>track("Hama on 9 October 2016")'
)
MARKUP = ("<", ">", "onerror", "alert", "script", "&amp;", "&mdash;", "&nbsp;", "noscript")


def analysed(page: str = PAGE, published: str = "2018-04-20"):
    return analyse(article_from_text("bridge", page, meta={"published": published}, source_format="html"))


def test_an_html_articles_event_sentences_hold_its_words_not_its_markup():
    analysis = analysed()
    sentences = sorted(e.sentence for e in analysis.events)
    assert sentences == [
        "Later, gunmen attacked a checkpoint in Kirkuk on 21 April 2018 — killing two officers, officials said.",
        "MOSUL, April 20, 2018 - A roadside bomb exploded near the old bridge in Mosul on 19 April 2018, "
        "wounding three people & a child, police said.",
    ]
    for event in analysis.events:
        assert PAGE[event.start:event.end].startswith(event.sentence[:20])  # offsets index the page as given
        for record in event.provenance:
            assert len(record.sentence) == record.end - record.start  # same length: mention offsets fit
            assert not any(mark in record.sentence for mark in MARKUP), record.sentence
            for mention in record.mentions:
                assert PAGE[mention.start:mention.end] == mention.text
                assert record.sentence[mention.start - record.start:mention.end - record.start] == mention.text


def test_script_style_noscript_template_and_comment_contents_give_no_dates_or_places():
    analysis = analysed()
    days = {(d.start_date, d.end_date) for d in analysis.dates}
    assert days == {(dt.date(2018, 4, 20), dt.date(2018, 4, 20)), (dt.date(2018, 4, 19), dt.date(2018, 4, 19)),
                    (dt.date(2018, 4, 21), dt.date(2018, 4, 21))}
    assert all(PAGE[d.start:d.end] == d.text for d in analysis.dates)
    named = {p.text for p in analysis.places}
    assert {"Mosul", "Kirkuk"} <= named
    assert not named & {"Raqqa", "Aleppo", "Tikrit", "Fallujah", "Homs", "Hama"}


@pytest.mark.parametrize("page, words", [
    ("<p>Troops &#39;held&#39; the line.</p>", "Troops 'held' the line."),
    ("<p>The caf&eacute; reopened in Erbil.</p>", "The café reopened in Erbil."),
    ("<p>Two&nbsp;&amp;&nbsp;three &#x2014; and more.</p>", "Two & three — and more."),
    ("<p>Aid <b title='a > b'>reached</b> Sinjar.</p>", "Aid reached Sinjar."),
    ('<p>Roads <span data-x="<b>">closed</span> at dusk.</p>', "Roads closed at dusk."),
    ("<p>Snow fell &bogus; twice &#0; here.</p>", "Snow fell twice here."),
    ("<p>Shops shut.<script>var a = '<p>Rumour</p>';", "Shops shut."),
    ("<p>Calm returned.</p><style>", "Calm returned."),
    ("<p>Markets <!-- hidden -->opened.</p><!-- an unclosed comment <p>Old text.", "Markets opened."),
])
def test_tags_entities_and_hidden_contents_become_what_a_reader_sees(page, words):
    document = make_document(Article(id="page", text=page, source_format="html"))
    assert len(document.readable_text) == len(page)
    assert " ".join(document.readable_text.split()) == words
    assert len(document.clean_text) == len(page)


def test_a_text_article_that_mentions_script_tags_keeps_what_follows():
    text = ("<p>Hackers put a <script> tag into the page of a ministry in Baghdad on 4 May 2017.</p>\n"
            "<p>The <script> ran for a day before it was found, officials said.</p>")
    document = make_document(Article(id="plain", text=text, source_format="txt"))
    assert " ".join(document.readable_text.split()) == (
        "Hackers put a tag into the page of a ministry in Baghdad on 4 May 2017. "
        "The ran for a day before it was found, officials said.")


def test_a_plain_text_article_keeps_its_sentences_as_they_are():
    text = "Aid & water reached Sinjar on 4 May 2017, officials said. A <b> tag in prose stays."
    document = make_document(Article(id="plain", text=text))
    assert document.readable_text == ""  # no markup: the text itself is what readers see


def test_the_provenance_panel_shows_the_words_of_an_html_article(tmp_path):
    from dashboard.store.build import build_store
    from dashboard.store.generations import read_event_rows
    from dashboard.views.query import EventStore
    from dashboard.web.provenance import provenance_panel

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bridge.html").write_text(PAGE, encoding="utf-8")
    build_store(corpus, tmp_path / "store", progress=False)
    store = EventStore(tmp_path / "store")
    (row,) = [r for r in read_event_rows(tmp_path / "store") if "Mosul" in r["sentence"]]
    panel = str(provenance_panel(store.event(row["id"]), store.articles))
    assert "roadside bomb" in panel and "Mosul" in panel
    assert not any(mark in panel for mark in ("onerror", "alert", "&amp;"))
