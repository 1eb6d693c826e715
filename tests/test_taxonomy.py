"""Event types and fatalities on small real sentences; every rule's own example is a test."""
import pytest

from dashboard.pipeline.taxonomy import EVENT_TYPES, FATALITY_RULES, TYPE_RULES, classify_event, fatalities, parse_number


@pytest.mark.parametrize("event_type,pattern,example", TYPE_RULES)
def test_every_type_rule_classifies_its_example(event_type, pattern, example):
    assert classify_event(example) == event_type


@pytest.mark.parametrize("pattern,example", FATALITY_RULES)
def test_every_fatality_rule_reads_its_example(pattern, example):
    assert fatalities(example) is not None


@pytest.mark.parametrize("sentence,expected", [
    ("Armed Reaper drones and Navy F/A-18 fighters carried out a strike on Jan. 20 in Al Shafah, Syria, "
     "that killed about 150 fighters, the American military said.", "airstrike"),
    ("Mr. Iho cited an attack by two suicide bombers in Baghdad last month that killed three dozen people.", "bombing"),
    ("Then last week, some 200 militants, including suicide bombers, attacked a prison holding thousands "
     "of Islamic State members in Syria.", "prison_break"),
    ("It cited the seizure in April 2021 in Mosul of a sum equivalent to $1.7 million.", "other"),
    ("The group moved fighters from central Syria into the northeast and to Iraq late last year.", "movement_or_flight"),
    ("A Turkish offensive against the Kurdish-dominated Syrian Democratic Forces in Afrin began.", "battle"),
    ("The weather was mild in Damascus.", "other"),
    ("The question is the intentions of ISIS, whose leader has called for attacks on the West.", "other"),
    ("Any serious effort to strike at the ability of ISIS to launch attacks on the United States would "
     "have to focus on these areas, officials said.", "statement_or_report"),
    ("The group would pick up violent attacks again, the agency predicted.", "statement_or_report"),
    ("The attack sparked a week of gunbattles with American and Syrian troops.", "battle"),
    ("The fight against ISIS must clearly be a regional effort, he said.", "statement_or_report"),
])
def test_sentence_types(sentence, expected):
    assert classify_event(sentence) == expected


@pytest.mark.parametrize("sentence,expected", [
    ("The strike killed about 150 fighters, the American military said.", 150),
    ("Two suicide bombers killed three dozen people in Baghdad.", 36),
    ("At least 30 civilians were killed.", 30),
    ("The death toll rose to 1,200 on Sunday.", 1200),
    ("Others are paying smugglers tens of thousands of dollars.", None),
    ("Some 200 militants attacked a prison.", None),
    ("He was captured and held for ten months in 2004.", None),
])
def test_fatalities(sentence, expected):
    assert fatalities(sentence) == expected


@pytest.mark.parametrize("words,value", [("150", 150), ("three dozen", 36), ("two hundred and five", 205),
                                         ("1,000", 1000), ("dozens", None), ("twenty-one", 21)])
def test_parse_number(words, value):
    assert parse_number(words) == value


def test_types_are_documented_in_order():
    assert [t for t, _, _ in TYPE_RULES] == [t for t in EVENT_TYPES if t != "other"]
