"""ViewState: the whole view in the URL; round trips, defaults omitted, hostile links give the default."""
from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dashboard.views.state as view_module
from dashboard.records import GRANULARITIES, PLACE_PRECISIONS
from dashboard.views.state import (
    BINS, DEFAULT_FROM, EVENT_TYPES, LANES, SIZES, MapViewport, ViewState, area_from_box,
    point_in_area,
)


def test_docstring_examples():
    assert doctest.testmod(view_module).failed == 0


def test_brief_example_parses_with_or_without_question_mark():
    query = "?from=2017-01-01&to=2018-12-31&q=raqqa&country=SY,IQ&type=airstrike"
    view = ViewState.from_query(query)
    assert view == ViewState.from_query(query[1:])
    assert (view.date_from, view.date_to) == (dt.date(2017, 1, 1), dt.date(2018, 12, 31))
    assert view.text == "raqqa" and view.countries == ("IQ", "SY") and view.event_types == ("airstrike",)


def test_default_view_is_the_empty_query_and_opens_on_2014_2025():
    assert ViewState().to_query() == ""
    assert ViewState.from_query("") == ViewState()
    assert (ViewState().date_from, ViewState().date_to) == (dt.date(2014, 1, 1), dt.date(2025, 12, 31))


def test_every_part_of_the_view_round_trips():
    view = ViewState(
        date_from=dt.date(2004, 1, 1), date_to=dt.date(2019, 6, 30), text="car bomb", countries=("IQ", "SY"),
        event_types=("bombing", "battle"), sources=("art-1", "nbc:42"), time_precisions=("day", "month"),
        place_precisions=("city",), brush=(dt.date(2016, 1, 1), dt.date(2016, 3, 31)),
        area=((38.5, 35.0), (40.25, 35.0), (40.25, 36.5)), viewport=MapViewport(lon=40.0, lat=34.5, scale=6.5),
        lanes="country", bin="week", size="fatalities", event_id="e1f2a3",
    )
    again = ViewState.from_query(view.to_query())
    assert again == view.replace(event_types=("battle", "bombing"))  # lists are kept sorted
    assert "from=2004-01-01" in view.to_query() and "brush=2016-01-01..2016-03-31" in view.to_query()


@pytest.mark.parametrize("query", [
    "from=2017-13-45", "to=yesterday", "from=0001-01-01", "country=Syria,<script>", "type=massacre",
    "tprec=fortnight", "pprec=street", "brush=2017-01-01..", "brush=garbage", "area=1,2;3,4",
    "area=1,2;3,x;5,6", "area=200,2;3,4;5,6", "map=nan,inf,3", "map=40,34,100000", "lanes=%00", "bin=hour",
    "size=huge", "event=<script>alert(1)</script>", "event=" + "x" * 500, "%ZZ%%&&==", "q=",
])
def test_a_bad_value_falls_back_to_its_default(query):
    assert ViewState.from_query(query) == ViewState()


def test_bad_values_do_not_cost_the_good_ones():
    view = ViewState.from_query("from=bad&to=2016-12-31&country=SY,xx1,iq&type=battle,nonsense&event=ok-1")
    assert view.date_from == DEFAULT_FROM and view.date_to == dt.date(2016, 12, 31)
    assert view.countries == ("IQ", "SY") and view.event_types == ("battle",) and view.event_id == "ok-1"


def test_reversed_dates_are_swapped_and_long_text_is_bounded():
    view = ViewState.from_query("from=2019-01-01&to=2015-01-01&brush=2018-05-01..2018-02-01&q=" + "word " * 100)
    assert (view.date_from, view.date_to) == (dt.date(2015, 1, 1), dt.date(2019, 1, 1))
    assert view.brush == (dt.date(2018, 2, 1), dt.date(2018, 5, 1))
    assert len(view.text) <= view_module.MAX_QUERY_CHARS


def test_not_a_string_gives_the_default():
    assert ViewState.from_query(None) == ViewState()
    assert ViewState.from_query(42) == ViewState()  # type: ignore[arg-type]


def test_time_range_is_the_window_narrowed_by_the_brush():
    view = ViewState.from_query("from=2016-01-01&to=2016-12-31&brush=2015-06-01..2016-02-01")
    assert view.time_range == (dt.date(2016, 1, 1), dt.date(2016, 2, 1))


def test_without_and_cleared():
    view = ViewState.from_query("q=x&country=SY&brush=2016-01-01..2016-02-01&area=1,1;2,1;2,2&lanes=country&event=a")
    assert view.without("brush").brush is None and view.without("brush").area is not None
    assert view.without("countries").countries == ()
    cleared = view.cleared()
    assert cleared.lanes == "country" and not cleared.is_filtered and view.is_filtered
    with pytest.raises(ValueError):
        view.without("nonsense")


def test_box_is_a_polygon_and_point_in_area():
    box = area_from_box(40, 36, 38, 35)
    assert box == ((38, 35), (40, 35), (40, 36), (38, 36))
    assert point_in_area(39, 35.5, box) and not point_in_area(41, 35.5, box)
    triangle = ((0.0, 0.0), (10.0, 0.0), (0.0, 10.0))
    assert point_in_area(2, 2, triangle) and not point_in_area(8, 8, triangle)


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé0123456789&=?#%+", min_size=1, max_size=8)


@st.composite
def views(draw):
    date_from, date_to = sorted((draw(dates), draw(dates)))
    brush = tuple(sorted((draw(dates), draw(dates)))) if draw(st.booleans()) else None
    subset = lambda values: tuple(sorted(draw(st.sets(st.sampled_from(values), max_size=3))))  # noqa: E731
    return ViewState(
        date_from=date_from, date_to=date_to, text=" ".join(draw(st.lists(words, max_size=3))),
        countries=subset(("SY", "IQ", "LY", "FR")), event_types=subset(EVENT_TYPES),
        time_precisions=subset(GRANULARITIES), place_precisions=subset(PLACE_PRECISIONS),
        sources=subset(("a-1", "b.2", "c:3")), brush=brush,
        lanes=draw(st.sampled_from(LANES)), bin=draw(st.sampled_from(BINS)), size=draw(st.sampled_from(SIZES)),
        event_id=draw(st.none() | st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)),
    )


@settings(max_examples=200, deadline=None)
@given(views())
def test_any_view_round_trips_through_its_url(view):
    assert ViewState.from_query(view.to_query()) == view
    assert ViewState.from_query("?" + view.to_query()) == view


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_string_parses_without_error(query):
    view = ViewState.from_query(query)
    assert view.date_from <= view.date_to
    assert ViewState.from_query(view.to_query()) == view
