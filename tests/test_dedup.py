"""Deduplication across articles: one event, all its sources."""
from dashboard.pipeline.dedup import _jaccard, _trigrams, merge_events
from tests.helpers import event, place

RAQQA_FELL = "Militants dug in around Raqqa, their main stronghold in the north, until it was retaken in the fall."


def test_identical_sentence_in_two_articles_is_one_event_with_two_sources():
    a = event(RAQQA_FELL, article="003", start="2017-09-01", end="2017-11-30", precision="season")
    b = event(RAQQA_FELL, article="001", start="2017-09-01", end="2017-11-30", precision="season")
    (merged,) = merge_events([a, b], article_order=["003", "001"])
    assert merged.sources == ("003", "001")
    assert len(merged.provenance) == 2
    assert merged.id == a.id == b.id


def test_lightly_edited_repost_merges():
    a = event("Two suicide bombers killed three dozen people in Baghdad last month, officials said.",
              article="x", p=place("Baghdad", 33.34, 44.4, "IQ", 98182), start="2018-01-01", end="2018-01-31")
    b = event("Two suicide bombers killed three dozen people in Baghdad last month, officials told reporters.",
              article="y", p=place("Baghdad", 33.34, 44.4, "IQ", 98182), start="2018-01-01", end="2018-01-31")
    (merged,) = merge_events([a, b])
    assert set(merged.sources) == {"x", "y"}


def test_same_specific_date_place_and_type_from_two_outlets_merges():
    a = event("Raqqa fell to the Syrian Democratic Forces on Oct. 17.", article="x", start="2017-10-17",
              end="2017-10-17", precision="day")
    b = event("The SDF captured Raqqa, the capital of the caliphate, on Tuesday, ending a four-month siege.",
              article="y", start="2017-10-17", end="2017-10-17", precision="day")
    assert a.event_type == b.event_type == "capture_or_seizure"
    (merged,) = merge_events([a, b])
    assert merged.sources == ("x", "y")


def test_different_places_or_times_stay_apart():
    a = event("Raqqa fell to the Syrian Democratic Forces in October.", article="x")
    b = event("Mosul fell to Iraqi forces in July.", article="y", p=place("Mosul", 36.34, 43.13, "IQ", 99072),
              start="2017-07-01", end="2017-07-31")
    c = event("Raqqa fell to the Syrian Democratic Forces in October.", article="z", start="2016-10-01", end="2016-10-31")
    assert len(merge_events([a, b, c])) == 3


def test_country_level_statements_do_not_merge_on_date_alone():
    syria = place("Syria", 35.0, 38.5, "SY", 163843, precision="country")
    a = event("Officials said the group was weakened in Syria this year.", article="x", p=syria,
              start="2017-01-01", end="2017-12-31", precision="year")
    b = event("Analysts said recruitment rose in Syria over the year.", article="y", p=syria,
              start="2017-01-01", end="2017-12-31", precision="year")
    assert len(merge_events([a, b])) == 2


def test_merged_event_keeps_the_most_precise_date():
    a = event(RAQQA_FELL, article="x", start="2017-09-01", end="2017-11-30", precision="season")
    b = event(RAQQA_FELL.replace("in the fall", "on Oct. 17"), article="y", start="2017-10-17", end="2017-10-17",
              precision="day")
    (merged,) = merge_events([a, b])
    assert (merged.start_date.isoformat(), merged.time_precision) == ("2017-10-17", "day")


def test_month_reports_in_other_words_stay_apart():
    a = event("Fierce clashes erupted in Raqqa between Kurdish forces and jihadists in March.", article="x")
    b = event("Gunmen ambushed an army convoy outside Raqqa in March.", article="z")
    assert len(merge_events([a, b])) == 2


def test_many_distinct_events_of_one_place_and_month_stay_distinct():
    import random

    rng = random.Random(7)
    words = "convoy ambush militants checkpoint village bridge mortar sniper patrol tunnel market mosque " \
            "hospital school oilfield truck commander tribe bakery pipeline".split()
    events = [event(f"Clashes hit the {' '.join(rng.sample(words, 6))} sector near Raqqa in March.", article=f"a{i}",
                    start="2017-03-01", end="2017-03-31") for i in range(1500)]
    merged = merge_events(events)
    assert len(merged) > 1400
    for m in merged:
        # no drift along a chain of small edits: some member is within the threshold of every other one
        grams = [_trigrams(p.sentence) for p in m.provenance]
        assert any(all(_jaccard(center, g) >= 0.5 for g in grams) for center in grams), \
            [p.sentence for p in m.provenance]
