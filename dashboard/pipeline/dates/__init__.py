"""The temporal tagger: date expressions in news text, each resolved to an inclusive interval of days.

    from dashboard.pipeline.dates import tag_dates, find_publication_date, parse_published

    published = parse_published("2018-02-04")            # or find_publication_date(text)
    for mention in tag_dates(text, published, spans):    # spans: the content sentences, or None
        mention.text, mention.start_date, mention.end_date, mention.granularity, mention.anchor

Where things are (read top-down):

* ``vocabulary.py``: the words dates are made of (months, weekdays, seasons, holidays, counts), as
  pattern pieces, and the trigger words that decide where each rule runs.
* ``patterns.py``: the rules as data, grouped by granularity, each with its examples (the tests are
  generated from them).
* ``cues.py``: what the words around a match say (tense, deadlines, "this is a name"), as data.
* ``anchoring.py``: the anchoring model, which anchor (publication date, the narrative's last date,
  none) and which direction (the clause's tense and modality, by/until/before, next/last), with
  its examples; ``context.py``: what it looks at (publication, dates so far, the clause).
* ``resolve_days.py``, ``resolve_periods.py``: one resolver per kind of rule; ``resolvers.py`` maps
  the rule table's names to them. ``periods.py``: calendar arithmetic and its conventions (weeks
  start on Sunday, seasons are meteorological, early/mid/late are thirds).
* ``normalise.py``: dateparser (English, never today, cached) for month spellings and metadata dates.
* ``holidays.py``: fixed, computed (dateutil's Easter) and Islamic (Umm al-Qura, hijridate) holidays.
* ``published.py``: the publication date from metadata or from a dateline.
* ``tagger.py``: runs the rules over the content regions and resolves the kept matches in order.

Not dates, by design: durations ("three years", "a week of floods", "for ten months", "the past two
months"), sets ("every Monday", "each spring"), ages
("20-year-old"), money and counts ("$20,000", "2,000 years"), the modal "may", a clock time alone,
and anything inside a URL.
"""
from dashboard.pipeline.dates.published import find_publication_date, parse_published
from dashboard.pipeline.dates.tagger import tag_dates

__all__ = ["tag_dates", "find_publication_date", "parse_published"]
