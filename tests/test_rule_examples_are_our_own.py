"""Every rule example (and every other sentence written in the package) is the project's own.

The date, place and event rules carry example sentences from which their tests are generated; the
texts under ``../shared/`` (the seed articles and the public benchmarks) are development sets whose
licences forbid copying, and an example copied from them would also make the scores on them a measure
of memory. This test reads every sentence-like string literal of ``dashboard/`` (the rule tables'
examples, docstrings, messages), every string of its ``.toml`` rule tables, and the literals of the
tests and of ``bench/``, and fails when one occurs in a text under ``../shared/``, whole (for a short
one) or by a long run of words in common, after normalising case, punctuation and spaces.

It is skipped when ``../shared/`` is not beside the clone (the project passes its tests without it);
in CI it is there and the test runs.
"""
from __future__ import annotations

import ast
import json
import pathlib
import re
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OVERLAP_WORDS = 8  # a run of eight words in common is a copy, not a turn of phrase
SHORTEST_SENTENCE = 5  # a sentence of five words or more found whole in a text is a copy too

_WORD = re.compile(r"[^\W_]+")
_REGEX_HINT = re.compile(r"\\|\(\?|\[\^|\{\d")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?\s*$")


def words(text: str) -> list[str]:
    """Lower-case words, with apostrophes and punctuation dropped: "Jan. 20, it's" -> [jan, 20, it, s]."""
    return _WORD.findall(text.lower())


# The tests and the benchmarks' generators are written in sentences too: they are held to the same rule.
OWN_SCRIPTS = ("tests", "bench")


def package_sentences() -> list[tuple[str, str]]:
    """(where, text) of every string literal of the package, the tests and bench/ that reads as prose."""
    found = []
    paths = sorted((ROOT / "dashboard").rglob("*.py"))
    paths += sorted(path for folder in OWN_SCRIPTS for path in (ROOT / folder).rglob("*.py"))
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if _REGEX_HINT.search(text) or len(words(text)) < SHORTEST_SENTENCE:
                    continue
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", text))
    for path in sorted((ROOT / "dashboard").rglob("*.toml")):  # rule tables kept as data
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        found += [(f"{path.relative_to(ROOT)}:{where}", text) for where, text in table_strings(table, "")
                  if not _REGEX_HINT.search(text) and len(words(text)) >= SHORTEST_SENTENCE]
    return found


def table_strings(value, where: str) -> list[tuple[str, str]]:
    """(key path, text) of every string in a parsed table: ("rule[3].examples[0].sentence", "...")."""
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in table_strings(item, f"{where}.{key}".lstrip("."))]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in table_strings(item, f"{where}[{i}]")]
    return []


def shared_texts() -> list[tuple[str, str]]:
    """(name, text) of every seed article and every benchmark document under ../shared/."""
    texts = [(f"seeds/{path.name}", path.read_text(encoding="utf-8"))
             for path in sorted((SHARED / "seeds").glob("*.txt"))]
    for gold in sorted((SHARED / "benchmarks").glob("*/gold.jsonl")):
        for number, line in enumerate(gold.read_text(encoding="utf-8").split("\n")):
            if line.strip():
                document = json.loads(line)
                texts.append((f"{gold.parent.name}/{document.get('id', number)}", document.get("text") or ""))
    return texts


def copies(sentences: list[tuple[str, str]], texts: list[tuple[str, str]]) -> list[str]:
    """Where a string shares a run of OVERLAP_WORDS words with a text, or a short sentence occurs in one whole.

    A short string that is no sentence ("the end of the year", "Republic of the Congo") is a mention or
    a name, which any text may hold; a short sentence ("Officials said it on Friday.") is an example.

    The sentences' word runs go into sets (they are few); each text is then read once, one window
    per length, so the check is linear in the size of the shared texts.
    """
    runs: dict[int, dict[tuple[str, ...], str]] = {}
    for where, text in sentences:
        tokens = words(text)
        if SHORTEST_SENTENCE <= len(tokens) < OVERLAP_WORDS and _SENTENCE_END.search(text):
            runs.setdefault(len(tokens), {})[tuple(tokens)] = where
        for i in range(len(tokens) - OVERLAP_WORDS + 1):
            runs.setdefault(OVERLAP_WORDS, {}).setdefault(tuple(tokens[i:i + OVERLAP_WORDS]), where)
    firsts = {length: {run[0] for run in table} for length, table in runs.items()}
    found = {}
    for name, text in texts:
        tokens = words(text)
        for i, token in enumerate(tokens):
            for length, table in runs.items():
                if token in firsts[length]:
                    run = tuple(tokens[i:i + length])
                    if run in table and table[run] not in found:
                        found[table[run]] = f"{table[run]}: {' '.join(run)!r} is in {name}"
    return sorted(found.values())


def test_words_normalise_case_punctuation_and_spaces():
    assert words("On  Jan. 20,\nthe U.S.-led") == ["on", "jan", "20", "the", "u", "s", "led"]


def test_a_copied_sentence_is_found_whole_or_by_a_long_run_of_words():
    texts = [("doc", "Yesterday the  council met. The ferry to the island will run again on Monday, "
                     "officials of the port authority said in a statement.")]
    sentences = [("a", "Yesterday the council met."),  # four words: too short to tell
                 ("b", "THE FERRY to the island will run."),  # a sentence, whole, in another case
                 ("e", "the island will run again"),  # a phrase: a mention, not an example
                 ("c", "They said the island will run again on Monday, officials of the army said."),
                 ("d", "The ferry to the mainland runs on Tuesday.")]
    assert copies(sentences, texts) == [
        "b: 'the ferry to the island will run' is in doc",
        "c: 'the island will run again on monday officials' is in doc",
    ]


def test_the_package_holds_sentences_to_check():
    sentences = package_sentences()
    assert len(sentences) > 200
    assert sum("pipeline/dates/rules.toml" in where for where, _ in sentences) > 100
    assert any("pipeline/taxonomy.py" in where for where, _ in sentences)
    assert any(where.startswith("tests/test_events.py") for where, _ in sentences)
    assert any(where.startswith("bench/") for where, _ in sentences)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir() or not (SHARED / "benchmarks").is_dir(),
                    reason="../shared/ (seeds and benchmarks) is not beside the clone")
def test_no_rule_example_or_sentence_of_the_package_comes_from_the_shared_texts():
    found = copies(package_sentences(), shared_texts())
    assert not found, "sentences copied from ../shared/ texts:\n" + "\n".join(found)
