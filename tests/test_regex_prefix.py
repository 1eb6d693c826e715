"""The first-character lookahead of core/regex_prefix.py: which characters it finds, and that a pattern
behind it finds exactly what the pattern alone finds (the date rules, over every rule's own examples)."""
import re

import pytest

from dashboard.core.regex_prefix import first_characters, with_first_characters
from dashboard.pipeline.dates.patterns import RULES


@pytest.mark.parametrize("pattern, expected", [
    (r"abc", "a"),
    (r"(?:ab|cd)e", "ac"),
    (r"x?y", "xy"),
    (r"(?<![\d.])(?:19|20)\d\d", "12"),
    (r"\b(?:Mon|Tue)day", "MT"),
    (r"[0-3]?\d/", "0123456789"),
    (r"(?:the\s+)?(?P<n>\d+) days", "t0123456789"),
    (r"(?:’|')\d0s", "'’"),
])
def test_first_characters_are_found(pattern, expected):
    assert first_characters(pattern) == frozenset(expected)


@pytest.mark.parametrize("pattern", [
    r"\w+day",            # any word character
    r"[^\d]x",            # a negated class
    r"(?:a)?",            # may match nothing
    r"(?i:spring)",       # case-insensitive part
    r"(a)\1",             # fine: starts with a; but "." below is unknown
    r".x",
])
def test_unknown_first_characters_leave_the_pattern_alone(pattern):
    if pattern == r"(a)\1":
        assert first_characters(pattern) == frozenset("a")
    else:
        assert first_characters(pattern) is None
        assert with_first_characters(pattern) == pattern


def test_case_insensitive_flag_leaves_the_pattern_alone():
    assert first_characters("may", re.IGNORECASE) is None


SENTENCES = sorted({example.before + " " + example.sentence for rule in RULES for example in rule.examples})


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_a_date_rule_behind_its_lookahead_finds_the_same_matches(rule):
    plain = re.compile(rule.pattern, rule.flags)
    for sentence in SENTENCES:
        assert [(m.span(), m.groupdict()) for m in rule.compiled.finditer(sentence)] == \
            [(m.span(), m.groupdict()) for m in plain.finditer(sentence)], sentence


def test_alternatives_read_by_first_character_find_what_their_alternation_finds():
    from dashboard.core.regex_prefix import by_first_character

    alternatives = [r"\bair ?strikes?\b", r"\b(?:was|were)?\s*shelled\b", r"\bambush(?:ed)?\b", r"\b\d+ dead\b",
                    r"\b(?:army|armed) (?:units?|men)\b", r"\bair\b", r"\bblasts?\b"]
    text = ("an airstrike and an ambush; the armed men were shelled at dawn, 12 dead, army units hit by a blast "
            "in the air over the hills, then two air strikes were   shelled")
    plain = re.compile("|".join(f"(?:{a})" for a in alternatives))
    grouped = re.compile(by_first_character(alternatives))
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(list(plain.finditer(text))) >= 8


def test_the_event_triggers_read_by_first_character_are_found_as_before():
    from dashboard.pipeline import taxonomy

    plain = re.compile(taxonomy._ALL_TRIGGERS)
    sentences = [example.lower() for trigger in taxonomy.TRIGGERS for example in trigger.examples]
    text = " ".join(sentences)
    assert [m.span() for m in taxonomy._TRIGGER_PATTERN.finditer(text)] == [m.span() for m in plain.finditer(text)]
    for sentence in sentences:
        assert [m.span() for m in taxonomy._TRIGGER_PATTERN.finditer(sentence)] == \
            [m.span() for m in plain.finditer(sentence)], sentence
