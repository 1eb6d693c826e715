"""Tests generated from the examples every date rule carries (dashboard/pipeline/dates/patterns.py).

Each example is a sentence, the date it was published on, the mention the rule must find and the
interval it must resolve to. A rule cannot change without its examples noticing; a new rule without
an example fails ``test_every_rule_has_examples``.
"""
import datetime as dt
import re

import pytest

from dashboard.pipeline.dates import parse_published, tag_dates
from dashboard.pipeline.dates.patterns import RULES

EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples]


def _interval(text):
    if text is None:
        return None, None
    first, _, last = text.partition("..")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last or first)


def test_every_rule_has_examples():
    assert all(rule.examples for rule in RULES), [rule.name for rule in RULES if not rule.examples]


def test_rule_names_are_unique():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule,example", EXAMPLES,
                         ids=[f"{rule.name}:{example.mention}" for rule, example in EXAMPLES])
def test_rule_example(rule, example):
    text = example.before + example.sentence
    published = parse_published(example.published)
    mentions = tag_dates(text, published)
    found = [m for m in mentions if m.text == example.mention]
    assert found, f"{rule.name} did not find {example.mention!r} in {text!r}: {mentions}"
    mention = found[-1]
    assert mention.rule == rule.name, f"{example.mention!r} was found by {mention.rule}, not {rule.name}"
    assert text[mention.start:mention.end] == mention.text
    assert (mention.start_date, mention.end_date) == _interval(example.interval), mention
    assert mention.granularity in ("day", "week", "month", "season", "quarter", "half", "year", "decade", "range")


def test_patterns_have_only_bounded_repetition():
    """No "+" or "*" in any rule: each match attempt is bounded, so a pass is linear in the text."""
    for rule in RULES:
        unescaped = re.sub(r"\\.", "", rule.pattern)
        assert "+" not in unescaped and not re.search(r"(?<!\()\*", unescaped), rule.name
        assert rule.triggers, rule.name
