"""The date rules: the table ``rules.toml`` read into ``Rule`` records, each with the examples it must handle.

The table is data, read like HeidelTime's rule files, grouped by granularity. A rule says what to find (``pattern``, built from the words of
``vocabulary.py``), what it names (``granularity``), how it is resolved (``resolve``: the name of a
resolver in ``resolvers.py``) and when a match is no date after all (``before``: a word that must
precede it; ``not_after``: a word that must not follow it).

Every ``Example`` is a sentence of the project's own, the publication date it was written on, the
mention the rule must find and the inclusive interval it must resolve to; ``tests/test_dates_rules.py``
turns each one into a test, so a rule cannot change without its examples noticing (and
``tests/test_rule_examples_are_our_own.py`` checks that no example comes from an evaluation text).

Patterns stay linear: every repetition is bounded (``SP`` is one to three spaces, not ``\\s+``; no
``+`` or ``*`` anywhere, which ``tests/test_dates_rules.py`` checks), so a match attempt at any
position costs at most a constant and a pass costs time proportional to the text, whatever the text.
Each rule runs only in short windows around its ``triggers`` (``vocabulary.TRIGGER_WORDS``), which is
what makes the tagger fast: most rules never see most of a text.
"""
from __future__ import annotations

import pathlib
import re
import tomllib
from dataclasses import dataclass, field

from dashboard.core.regex_prefix import with_first_characters
from dashboard.pipeline.dates import vocabulary


@dataclass(frozen=True)
class Example:
    """A sentence, the publication date it was written on, the mention to find and its interval.

    ``interval`` is "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (inclusive), or None when the mention must
    be found but stay unresolved. ``before`` is text that precedes the sentence (the narrative so far),
    for rules that anchor on the previous date in the text.
    """

    sentence: str
    published: str | None
    mention: str
    interval: str | None
    before: str = ""


@dataclass(frozen=True)
class Rule:
    name: str
    granularity: str
    pattern: str
    resolve: str
    examples: tuple[Example, ...]
    before: str | None = None  # regex the text just before the match must end with
    not_after: str | None = None  # regex the text just after the match must not start with
    flags: int = 0
    # The words one of which every match contains (see TRIGGER_WORDS): the rule only runs near them.
    triggers: tuple[str, ...] = ()
    compiled: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Behind a lookahead for the characters a match can begin with: the same matches, and the positions
        # where the rule cannot start are rejected in one step instead of by its optional words and lookbehinds.
        object.__setattr__(self, "compiled", re.compile(with_first_characters(self.pattern, self.flags), self.flags))


def E(sentence, published, mention, interval, before=""):
    return Example(sentence, published, mention, interval, before)


# "two days after the attack" counts from an event we cannot date; "a month earlier than usual" compares.
OFFSET_NOT_AFTER = r"(?:[^\S\n]{1,3}than\b|(?<=after|efore)[^\S\n]{1,3}[A-Za-z0-9])"

TABLE = pathlib.Path(__file__).with_name("rules.toml")
# The names a rule's regular expressions may use: the vocabulary's words and the shared clauses above.
WORDS = {name: value for name, value in vars(vocabulary).items() if name.isupper() and isinstance(value, str)}
WORDS["OFFSET_NOT_AFTER"] = OFFSET_NOT_AFTER


def regex(template: str | list[str] | None, rule: str) -> str | None:
    """A template of the table made a regular expression: "(?P<month>{MONTH}){SP}" with the words filled in."""
    if template is None:
        return None
    try:
        return "".join(template if isinstance(template, list) else [template]).format_map(WORDS)
    except (KeyError, ValueError, IndexError) as error:
        raise ValueError(f"{TABLE}: rule {rule!r}: bad template ({error!r}); a literal brace is doubled") from error


def load_rules(path: pathlib.Path = TABLE) -> tuple[Rule, ...]:
    """The rules of the table, in its order (which is the order in which overlapping matches are preferred)."""
    rules = []
    for row in tomllib.loads(path.read_text(encoding="utf-8"))["rule"]:
        name = row["name"]
        examples = tuple(Example(e["sentence"], e.get("published"), e["mention"], e.get("interval"), e.get("before", ""))
                         for e in row["examples"])
        rules.append(Rule(name, row["granularity"], regex(row["pattern"], name), row["resolve"], examples,
                          before=regex(row.get("before"), name), not_after=regex(row.get("not_after"), name),
                          triggers=tuple(row["triggers"])))
    return tuple(rules)


RULES: tuple[Rule, ...] = load_rules()

RULE_BY_NAME = {rule.name: rule for rule in RULES}
