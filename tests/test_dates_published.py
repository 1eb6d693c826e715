"""The publication date: from metadata strings, else from a dateline in the text, else unknown."""
import datetime as dt
import pathlib

import pytest

from dashboard.pipeline.dates import find_publication_date, parse_published, tag_dates

D = dt.date


@pytest.mark.parametrize("value,start,end,precision", [
    ("2018-02-04", D(2018, 2, 4), D(2018, 2, 4), "day"),
    ("2014-07", D(2014, 7, 1), D(2014, 7, 31), "month"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
    ("2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("2018-02-04T10:30:00Z", D(2018, 2, 4), D(2018, 2, 4), "day"),
    ("Sun, 04 Feb 2018 10:00:00 GMT", D(2018, 2, 4), D(2018, 2, 4), "day"),
])
def test_parse_published(value, start, end, precision):
    published = parse_published(value)
    assert (published.start_date, published.end_date, published.precision, published.source) == \
        (start, end, precision, "metadata")


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_published_empty_is_unknown(value):
    published = parse_published(value)
    assert not published.known and published.source == "none"


@pytest.mark.parametrize("value", ["2018-02-30", "2018-13", "soon", "n/a"])
def test_parse_published_rejects_non_dates_naming_the_value(value):
    with pytest.raises(ValueError, match=value):
        parse_published(value)


def test_dateline_beats_forum_timestamp():
    text = ("Monday, February 05, 2018 07:15:02 PM\nThousands of Swallows Return Early\n"
            "Birds resting on the wires in October.\nFEB. 4, 2018\nLISBON — Thousands of swallows ...")
    published = find_publication_date(text)
    assert (published.start_date, published.precision, published.source) == (D(2018, 2, 4), "day", "text")
    assert text[published.start:published.end] == "FEB. 4, 2018"


def test_dateline_with_slashes_and_clock_time():
    text = "Issued by the Harbour Desk - Porto\nad a b\n\nSaturday 29/January/2022 - 09:15 AM\nThe Gazette\n"
    published = find_publication_date(text)
    assert published.start_date == D(2022, 1, 29)
    assert text[published.start:published.end] == "Saturday 29/January/2022"


def test_forum_timestamp_alone_is_used():
    text = "Monday, February 05, 2018 07:15:02 PM\nA repost of an article.\n"
    assert find_publication_date(text).start_date == D(2018, 2, 5)


def test_no_dateline_is_unknown_and_a_date_in_the_body_is_not_one():
    text = ("According to a report, thousands of fighters emerged in 2024, and on 12 March 2024 a long sentence "
            "in the body of the article went on to describe events at length, which is no dateline at all.\n")
    published = find_publication_date(text)
    assert not published.known and published.source == "none" and published.start is None


def test_dates_in_links_are_no_dateline():
    text = "https://news.example.org/2018/02/04/region/harbour-reopens.html\nText follows.\n"
    assert not find_publication_date(text).known


def test_text_dateline_anchors_relative_dates():
    text = "FEB. 4, 2018\nOfficials said last week that fighters fled."
    published = find_publication_date(text)
    last_week = [m for m in tag_dates(text, published) if m.text == "last week"][0]
    assert (last_week.start_date, last_week.end_date) == (D(2018, 1, 28), D(2018, 2, 3))


SEEDS = pathlib.Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("name,expected", [("001_da67e8c3a399fa6d", D(2018, 2, 4)),
                                           ("004_75694c099aa59e4f", D(2022, 1, 29)),
                                           ("000_a98a3842d31c25a3", None), ("002_635cea4244515c8b", None)])
def test_seed_articles(name, expected):
    found = list(SEEDS.rglob(f"{name}.txt"))
    if not found:
        pytest.skip("seed corpus not in data/")
    published = find_publication_date(found[0].read_text(encoding="utf-8"))
    assert published.start_date == expected


def test_byline_with_date_is_a_dateline_but_a_short_sentence_is_not():
    assert find_publication_date("Report\nBy Jane Doe | March 12, 2018\nText.").start_date == D(2018, 3, 12)
    assert not find_publication_date("Title\nThe battle began on 12 March 2016.\nMore text.").known
