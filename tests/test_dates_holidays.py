"""Holidays: Easter from dateutil, US computed holidays, and Ramadan and the Eids from the Umm al-Qura
calendar (hijridate), each checked against the date announced in Saudi Arabia."""
import datetime as dt

import pytest

from dashboard.pipeline.dates import parse_published, tag_dates
from dashboard.pipeline.dates.holidays import election_day, holiday_interval

D = dt.date


@pytest.mark.parametrize("year,day", [(2000, D(2000, 4, 23)), (2008, D(2008, 3, 23)), (2011, D(2011, 4, 24)),
                                      (2016, D(2016, 3, 27)), (2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)),
                                      (2025, D(2025, 4, 20)), (2038, D(2038, 4, 25))])
def test_easter_and_good_friday(year, day):
    assert holiday_interval("easter", year) == (day, day)
    assert holiday_interval("good_friday", year) == (day - dt.timedelta(days=2),) * 2


# Announced first days in Saudi Arabia (Eid al-Fitr 2023 began on 21 April; Ramadan 2017 on 27 May).
@pytest.mark.parametrize("key,year,day", [
    ("eid_al_fitr", 2015, D(2015, 7, 17)), ("eid_al_fitr", 2017, D(2017, 6, 25)), ("eid_al_fitr", 2018, D(2018, 6, 15)),
    ("eid_al_fitr", 2020, D(2020, 5, 24)), ("eid_al_fitr", 2023, D(2023, 4, 21)), ("eid_al_fitr", 2024, D(2024, 4, 10)),
    ("eid_al_adha", 2014, D(2014, 10, 4)), ("eid_al_adha", 2017, D(2017, 9, 1)), ("eid_al_adha", 2019, D(2019, 8, 11)),
    ("eid_al_adha", 2023, D(2023, 6, 28)),
    ("ramadan", 2014, D(2014, 6, 28)), ("ramadan", 2017, D(2017, 5, 27)), ("ramadan", 2021, D(2021, 4, 13)),
])
def test_islamic_holidays_on_the_announced_date(key, year, day):
    start, end = holiday_interval(key, year)
    assert start == day
    assert (end - start).days == (0 if key != "ramadan" else (end - start).days)
    if key == "ramadan":
        assert (end - start).days in (28, 29)  # a lunar month of 29 or 30 days
        assert holiday_interval("eid_al_fitr", year)[0] == end + dt.timedelta(days=1)


def test_outside_the_umm_al_qura_tables_an_islamic_holiday_is_unknown():
    assert holiday_interval("ramadan", 1900) is None
    assert holiday_interval("eid_al_adha", 2090) is None
    found = [m for m in tag_dates("Markets closed for Ramadan 1900.", parse_published(None)) if m.text == "Ramadan 1900"]
    assert found == []


def test_a_gregorian_year_can_hold_two_ramadans_and_the_nearest_is_taken():
    first = holiday_interval("ramadan", 2030)
    second = holiday_interval("ramadan", 2030, near=D(2030, 12, 1))
    assert first == (D(2030, 1, 5), D(2030, 2, 3))
    assert second[0].month == 12


@pytest.mark.parametrize("key,year,day", [("thanksgiving", 2017, D(2017, 11, 23)), ("memorial_day", 2019, D(2019, 5, 27)),
                                          ("labor_day", 2020, D(2020, 9, 7)), ("bastille_day", 2016, D(2016, 7, 14)),
                                          ("election_day", 2016, D(2016, 11, 8)), ("election_day", 2020, D(2020, 11, 3)),
                                          ("election_day", 2022, D(2022, 11, 8))])
def test_computed_and_fixed_holidays(key, year, day):
    assert holiday_interval(key, year) == (day, day)
    if key == "election_day":
        assert election_day(year) == day


def test_holiday_without_a_year_takes_the_latest_before_a_past_tense_report():
    found = [m for m in tag_dates("Shops stayed shut during Ramadan.", parse_published("2018-02-04")) if m.resolved]
    assert [(m.text, str(m.start_date), str(m.end_date), m.granularity) for m in found] == [
        ("Ramadan", "2017-05-27", "2017-06-24", "range")]


# Holidays named alike in many countries are the day of the country the text is about.
@pytest.mark.parametrize("key,year,country,day", [
    ("labor_day", 2020, "CO", D(2020, 5, 1)), ("labor_day", 2019, "IQ", D(2019, 5, 1)),
    ("labor_day", 2020, "US", D(2020, 9, 7)), ("labor_day", 2020, "CA", D(2020, 9, 7)),
    ("labor_day", 2020, None, D(2020, 9, 7)),
    ("independence_day", 2021, "SY", D(2021, 4, 17)), ("independence_day", 2018, "UA", D(2018, 8, 24)),
    ("independence_day", 2018, "MX", D(2018, 9, 16)), ("independence_day", 2018, "US", D(2018, 7, 4)),
    ("thanksgiving", 2019, "IQ", D(2019, 11, 28)),  # no Thanksgiving there: US troops keep theirs
    ("labor_day", 2020, "XK", D(2020, 5, 1)),  # a calendar outside the ISO list still answers
    ("labor_day", 2020, "IN", D(2020, 5, 1)),  # no national holiday of the name: May 1, not September
])
def test_a_holiday_of_many_countries_is_the_texts_countrys(key, year, country, day):
    assert holiday_interval(key, year, country=country) == (day, day)


@pytest.mark.parametrize("text,published,expected", [
    ("On Labor Day, thousands of workers marched through Medellin, Colombia.", "2021-05-03", "2021-05-01"),
    ("Union members in Basra, Iraq, rallied on Labour Day to demand their wages.", "2022-05-02", "2022-05-01"),
    ("Union members marched in Toledo, Ohio, on Labor Day.", "2021-09-08", "2021-09-06"),
    ("Crowds gathered in Kyiv, Ukraine, on Independence Day.", "2019-08-26", "2019-08-24"),
    ("Dockers went on strike in Mombasa on May Day.", "2018-05-03", "2018-05-01"),
])
def test_the_pipeline_dates_a_holiday_by_the_texts_places(text, published, expected):
    from dashboard.pipeline.analysis import analyse
    from dashboard.store.corpus import article_from_text

    analysis = analyse(article_from_text("t", text, meta={"published": published}))
    (holiday,) = [d for d in analysis.dates if "Day" in d.text]
    assert (str(holiday.start_date), str(holiday.end_date)) == (expected, expected)
    assert [str(e.start_date) for e in analysis.events] == [expected]


def test_the_fourth_of_july_is_the_us_holiday_whatever_the_country():
    from dashboard.pipeline.dates import parse_published

    found = [m for m in tag_dates("The embassy in Damascus closed on the Fourth of July.", parse_published("2015-07-06"),
                                  country="SY") if m.resolved]
    assert [(m.text, str(m.start_date)) for m in found] == [("Fourth of July", "2015-07-04")]
