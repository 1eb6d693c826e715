"""The temporal tagger: date expressions in news text, each resolved to an inclusive interval of days.

    from dashboard.pipeline.dates import tag_dates, find_publication_date, parse_published

    published = parse_published("2018-02-04")            # or find_publication_date(text)
    for mention in tag_dates(text, published, spans):    # spans: the content sentences, or None
        mention.text, mention.start_date, mention.end_date, mention.granularity, mention.anchor

Where things are:

* ``patterns.py``: the rules as data, grouped by granularity, each with its examples (the tests are
  generated from them).
* ``anchors.py``: the one place that resolves a match to days, choosing its anchor (the publication
  date, the previous date in the text, or none). Its docstring states the conventions: weeks start
  on Sunday, seasons are meteorological (northern hemisphere), early/mid/late are thirds.
* ``normalise.py``: dateparser (English, never today, cached) for day-and-month texts.
* ``holidays.py``: fixed, computed (Easter) and Islamic (tabular calendar) holidays.
* ``published.py``: the publication date from metadata or from a dateline.
* ``tagger.py``: runs the rules over the content regions and resolves the kept matches in order.

Not dates, by design: durations ("three years", "a week of gunbattles", "for ten months"), ages
("20-year-old"), money and counts ("$20,000", "2,000 years"), the modal "may", a clock time alone,
and anything inside a URL.
"""
from dashboard.pipeline.dates.published import find_publication_date, parse_published
from dashboard.pipeline.dates.tagger import tag_dates

__all__ = ["tag_dates", "find_publication_date", "parse_published"]
