"""Find the date expressions of a text and resolve each to an inclusive interval of days.

The engine knows no English: it runs the rules of ``patterns.py`` over the content regions, keeps
the longest match where matches overlap (the first rule of the table wins a tie), and hands each
kept match, in text order, to ``resolvers.resolve``, so that each expression can lean on the dates
before it. A match its resolver rejects (a modal "May", a past-tense "now") gives way to the next
shorter match at that place, if any.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from dashboard.pipeline.dates import resolvers
from dashboard.pipeline.dates.context import Context
from dashboard.pipeline.dates.cues import SET_BEFORE
from dashboard.pipeline.dates.patterns import RULES
from dashboard.pipeline.dates.vocabulary import TRIGGER_REACH_AFTER, TRIGGER_REACH_BEFORE, TRIGGER_WORDS
from dashboard.records import DateMention, PublicationDate

# A link, up to the first space or closing bracket: dates inside URLs are not mentions.
URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]{1,10}://|\bwww\.)[^\s\]\)>\"'<]{1,2000}", re.IGNORECASE)

_DIGITS = re.compile(r"\d+")
_CLASSES_OF: dict[str, tuple[str, ...]] = {}
for _name, _words in TRIGGER_WORDS.items():
    for _word in _words:
        _CLASSES_OF[_word] = _CLASSES_OF.get(_word, ()) + (_name,)
# Trigger words are plain lower-case words: the text's words are looked up in a set, one pass.
_WORD = re.compile(r"[a-z]+")
assert all(_WORD.fullmatch(word) for word in _CLASSES_OF), "a trigger word must be letters a-z only"
_BEFORE_COMMON_ERA = re.compile(r"\bB\.?C\.?")
_BEFORE = {rule.name: re.compile(rule.before) for rule in RULES if rule.before}
_NOT_AFTER = {rule.name: re.compile(rule.not_after) for rule in RULES if rule.not_after}


def _links(text: str) -> list[tuple[int, int]]:
    """The spans of links ("https://...", "www..."), found from their "://" or "www." (fast on long texts)."""
    links = []
    for marker in ("://", "www."):
        at = text.find(marker)
        while at >= 0:
            match = URL.search(text, max(0, at - 12), at + 2000)
            if match and match.start() <= at < match.end():
                links.append(match.span())
            at = text.find(marker, at + len(marker))
    return sorted(set(links))


def _regions(text: str, spans: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The content regions to search, sorted, with touching sentences merged into one region."""
    if spans is None:
        return [(0, len(text))]
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and not text[merged[-1][1]:start].strip(" \t"):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _windows(text: str, regions: list[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
    """For each trigger class, the stretches of the regions near one of its words, merged.

    Reading the lower-cased text's words once and looking each up in a set is several times faster
    in Python than searching for the trigger words one by one or as one alternation.
    """
    lower = text.lower()
    if len(lower) != len(text):  # "İ" lower-cases to two characters; keep offsets aligned
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # Search the whole text at once unless the regions are a small part of it (one sentence retagged).
    covered = sum(e - s for s, e in regions)
    searched = regions if covered * 2 < len(text) else [(0, len(text))]
    spans_by_class: dict[str, list[tuple[int, int]]] = {name: [] for name in TRIGGER_WORDS}
    spans_by_class["digit"] = [m.span() for s, e in searched for m in _DIGITS.finditer(text, s, e)]
    for s, e in searched:
        for match in _WORD.finditer(lower, s, e):
            classes = _CLASSES_OF.get(match.group())
            if classes is None:
                continue
            start = match.start()
            if start and lower[start - 1].isalpha():
                continue  # inside a longer word ("émay")
            for name in classes:
                spans_by_class[name].append(match.span())
    windows = {}
    for name, spans in spans_by_class.items():
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            s, e = s - TRIGGER_REACH_BEFORE, e + TRIGGER_REACH_AFTER
            if merged and s <= merged[-1][1]:
                merged[-1][1] = e
            else:
                merged.append([s, e])
        windows[name] = _clip(merged, regions)
    return windows


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted windows with overlapping ones joined, so that no stretch is searched from its middle."""
    merged: list[list[int]] = []
    for s, e in windows:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _clip(windows: list[list[int]], regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The windows cut to the content regions (both sorted)."""
    region_starts = [s for s, _ in regions]
    clipped = []
    for s, e in windows:
        i = max(0, bisect.bisect_right(region_starts, s) - 1)
        while i < len(regions) and regions[i][0] < e:
            a, b = max(s, regions[i][0]), min(e, regions[i][1])
            if a < b:
                clipped.append((a, b))
            i += 1
    return clipped


def candidates(text: str, spans: Sequence[tuple[int, int]] | None = None):
    """Every rule match inside the content regions and outside links: (start, end, rule order, match)."""
    links = _links(text)
    link_starts = [s for s, _ in links]
    windows = _windows(text, _regions(text, spans))
    found = []
    windows_of: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # rules share their triggers
    for order, rule in enumerate(RULES):
        rule_windows = windows_of.get(rule.triggers)
        if rule_windows is None:
            rule_windows = windows_of[rule.triggers] = (
                windows[rule.triggers[0]] if len(rule.triggers) == 1
                else _merge(sorted(w for name in rule.triggers for w in windows[name])))
        if not rule_windows:
            continue
        before, not_after = _BEFORE.get(rule.name), _NOT_AFTER.get(rule.name)
        for start, end in rule_windows:
            for match in rule.compiled.finditer(text, start, end):
                s, e = match.span()
                if e == end and end < len(text):
                    # The window may end inside a word, where a lookahead cannot see ("the 3rd Mar|ine"):
                    # match again with the text beyond in view.
                    match = rule.compiled.match(text, s, min(len(text), end + TRIGGER_REACH_AFTER))
                    if match is None:
                        continue
                    s, e = match.span()
                if s == e:
                    continue
                if before is not None and not before.search(text, max(0, s - 40), s):
                    continue
                if SET_BEFORE.search(text, max(0, s - 8), s):
                    continue  # "every summer": a set, not a date
                if not_after is not None and not_after.match(text, e, min(len(text), e + 40)):
                    continue
                i = bisect.bisect_right(link_starts, e) - 1
                if i >= 0 and links[i][1] > s:
                    continue
                found.append((s, e, order, match))
    found.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
    return found


def tag_dates(text: str, published: PublicationDate,
              spans: Sequence[tuple[int, int]] | None = None, country: str | None = None) -> list[DateMention]:
    """The date mentions of ``text`` inside ``spans`` (None: everywhere), in text order. ``country`` is
    the ISO code of the country the text is about, if known: Labor Day there is its own.

        >>> import datetime as dt
        >>> pub = PublicationDate(dt.date(2018, 2, 4), dt.date(2018, 2, 4), "day", "metadata")
        >>> [(m.text, str(m.start_date), str(m.end_date), m.anchor)
        ...  for m in tag_dates("Asked late last month, the command replied.", pub)]
        [('late last month', '2018-01-21', '2018-01-31', 'published')]
    """
    ctx = Context(text, published, sorted(spans) if spans is not None else None, country)
    mentions: list[DateMention] = []
    taken_until = -1
    for start, end, order, match in candidates(text, spans):
        if start < taken_until:
            continue
        rule = RULES[order]
        ctx.match_start, ctx.match_end = start, end
        resolution = resolvers.resolve(rule.resolve, match.groupdict(), ctx, rule.granularity)
        if resolution is None:
            continue
        mention = DateMention(text=text[start:end], start=start, end=end, start_date=resolution.start_date,
                              end_date=resolution.end_date, granularity=resolution.granularity,
                              anchor=resolution.anchor, rule=rule.name)
        mentions.append(mention)
        if mention.resolved:
            ctx.mentions.append(mention)
        elif _BEFORE_COMMON_ERA.search(mention.text):
            ctx.era_break = start  # "480 BC": what follows cannot count from the dates before it
        taken_until = end
    return mentions
