"""One event reported by several articles becomes one event with all its sources.

Two events are the same when they are at the same place (same GeoNames id, or the same name within
25 km) with overlapping dates, and either
  - one of the sentences that tell one says the same thing as one that tells the other (word-trigram
    Jaccard >= 0.5: a repost, a wire copy, a light edit; an event of ``events.py`` may be told by several
    sentences of its article, and any of them can be the one another outlet copied), or
  - they come from different articles and agree exactly on a day or a week, a specific place (not a
    whole country) and the event type ("Raqqa was captured on Oct. 17" in two outlets' own words).
    Coarser reports merge only by their wording: several clashes in one town in one month are common.
The merged event keeps the most precise date and place of its members, the highest confidence, every
source article (first reporter first) and every source sentence; its id is the smallest member id, so
it stays put across rebuilds of the same corpus.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict
from dataclasses import replace

import numpy as np
from geopy.distance import great_circle

from dashboard.records import Event

SAME_PLACE_KM = 25.0
SAME_TEXT_JACCARD = 0.5
BANDS, ROWS = 8, 2  # locality-sensitive hashing of the sentences' trigram sets (see _band_keys)
_SEEDS = tuple(((0x9E3779B1 * (i + 1)) ^ (0x85EBCA77 * (i + 7))) & 0xFFFFFFFF for i in range(BANDS * ROWS))
_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "half": 4, "year": 5,
                    "range": 6, "decade": 7}
_PLACE_ORDER = {"point": 0, "city": 1, "admin": 2, "region": 3, "country": 4}


def _trigrams(sentence: str) -> frozenset:
    """The sentence's word trigrams, each as a 32-bit hash (small to keep, quick to compare)."""
    words = re.findall(r"\w+", sentence.casefold())
    grams = [" ".join(words[i:i + 3]) for i in range(len(words) - 2)] if len(words) >= 3 else [" ".join(words)]
    return frozenset(zlib.crc32(g.encode("utf-8")) for g in grams)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _same_place(a: Event, b: Event) -> bool:
    if a.geonameid and b.geonameid:
        return a.geonameid == b.geonameid
    return a.place == b.place and great_circle((a.lat, a.lon), (b.lat, b.lon)).km <= SAME_PLACE_KM


def _specific(e: Event) -> bool:
    # A whole month is too coarse: several clashes in one town in one month are common, and chains of
    # loosely similar reports would merge them all.
    return e.time_basis == "stated" and e.place_precision in ("point", "city", "admin") and \
        e.time_precision in ("day", "week")


def _same_text(a: Event, b: Event, grams_a: list[frozenset], grams_b: list[frozenset]) -> bool:
    return _same_place(a, b) and not (a.end_date < b.start_date or b.end_date < a.start_date) \
        and any(_jaccard(x, y) >= SAME_TEXT_JACCARD for x in grams_a for y in grams_b)


def _told_by(e: Event) -> list[str]:
    """Every sentence that tells the event, its lead sentence first."""
    sentences = [e.sentence]
    for p in e.provenance:
        if p.sentence not in sentences:
            sentences.append(p.sentence)
    return sentences


def _band_keys(sentences: list[str], chunk: int = 20_000) -> np.ndarray:
    """Locality-sensitive band keys of every sentence's trigram set, shape (n, BANDS).

    Each band hashes ``ROWS`` minimum hashes together: two sentences with trigram Jaccard J share a band
    with probability 1 - (1 - J**ROWS) ** BANDS (0.90 at J = 0.5, 0.995 at 0.7, 1 when identical), while
    sentences that merely share a common phrase ("the Islamic State") rarely do. Vectorised with numpy,
    a chunk of sentences at a time so that memory stays flat however many events there are.
    """
    seeds = np.array(_SEEDS[:BANDS * ROWS], dtype=np.uint64)
    out = np.zeros((len(sentences), BANDS), dtype=np.uint64)
    for first in range(0, len(sentences), chunk):
        grams = [_trigrams(s) or frozenset([0]) for s in sentences[first:first + chunk]]
        counts = np.fromiter((len(g) for g in grams), dtype=np.int64, count=len(grams))
        flat = np.fromiter((h for g in grams for h in g), dtype=np.uint64, count=int(counts.sum()))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        mixed = ((flat[None, :] ^ seeds[:, None]) * np.uint64(2654435761)) % np.uint64(4294967296)
        minima = np.minimum.reduceat(mixed, starts, axis=1).T  # (chunk, BANDS * ROWS)
        rows = minima.reshape(len(grams), BANDS, ROWS)
        out[first:first + len(grams)] = rows[:, :, 0] * np.uint64(4294967296) + rows[:, :, 1]
    return out


def _shared_blocks(keys: np.ndarray):
    """Groups of row indices that share a key (only groups of two or more), from one sort."""
    flat = keys.ravel()
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    ends = np.concatenate((starts[1:], [len(ordered)]))
    for start, end in zip(starts.tolist(), ends.tolist()):
        if end - start > 1:
            yield (order[start:end] // keys.shape[1]).tolist()


def _merge(members: list[Event], order: dict[str, int]) -> Event:
    members = sorted(members, key=lambda e: (order.get(e.sources[0], 0), e.start))
    best_time = min(members, key=lambda e: (_PRECISION_ORDER.get(e.time_precision, 9), -e.confidence))
    best_place = min(members, key=lambda e: (_PLACE_ORDER.get(e.place_precision, 9), -e.confidence))
    sources: list[str] = []
    provenance = []
    seen_sentences = set()
    for e in members:
        for s in e.sources:
            if s not in sources:
                sources.append(s)
        for p in e.provenance:
            key = (p.article_id, p.start, p.end)
            if key not in seen_sentences:
                seen_sentences.add(key)
                provenance.append(p)
    first = members[0]
    stated = [e.fatalities for e in members if e.fatalities is not None]
    return replace(
        first,
        id=min(e.id for e in members),
        start_date=best_time.start_date, end_date=best_time.end_date, time_precision=best_time.time_precision,
        time_basis=best_time.time_basis,
        lat=best_place.lat, lon=best_place.lon, place=best_place.place, place_precision=best_place.place_precision,
        country_code=best_place.country_code, geonameid=best_place.geonameid, feature=best_place.feature,
        place_basis=best_place.place_basis,
        fatalities=max(stated) if stated else None,
        sources=tuple(sources), provenance=tuple(provenance),
        confidence=round(min(1.0, max(e.confidence for e in members) + 0.05 * (len(sources) - 1)), 3),
    )


def merge_events(events: list[Event], article_order: list[str] | None = None) -> list[Event]:
    """Merge duplicates; ``article_order`` (e.g. by publication date) decides who reported first.

    Pairs are only compared inside small blocks (same place and LSH band of the sentence; or same
    place, interval and type), so the cost grows with the number of real duplicates, not with the
    square of the corpus.
    """
    order = {a: i for i, a in enumerate(article_order or [])}
    n = len(events)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    # Same place, same day or week, same type, reported by two or more articles: one event.
    exact_blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        if _specific(e):
            exact_blocks[(e.geonameid or e.place, e.start_date, e.end_date, e.event_type)].append(i)
    for members in exact_blocks.values():
        if len({events[i].sources[0] for i in members}) > 1:
            for i in members[1:]:
                union(members[0], i)

    # Same place and same wording: candidates from LSH bands (one key per place and band, over every
    # sentence that tells an event), compared greedily.
    if n:
        place_ids: dict = {}
        owner: list[int] = []
        told: list[str] = []
        for i, e in enumerate(events):
            for sentence in _told_by(e):
                owner.append(i)
                told.append(sentence)
        owner_of = np.array(owner, dtype=np.int64)
        place_of = np.fromiter((place_ids.setdefault(events[i].geonameid or events[i].place, len(place_ids))
                                for i in owner), dtype=np.uint64, count=len(owner))
        keys = _band_keys(told)
        del told
        keys ^= (place_of[:, None] + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        keys ^= np.arange(BANDS, dtype=np.uint64)[None, :] * np.uint64(0xC2B2AE3D27D4EB4F)
        grams: dict[int, list[frozenset]] = {}

        def gram(i: int) -> list[frozenset]:
            if i not in grams:
                grams[i] = [_trigrams(s) for s in _told_by(events[i])]
            return grams[i]

        for rows in _shared_blocks(keys):
            members = list(dict.fromkeys(owner_of[rows].tolist()))  # events, in order, once each
            if len(members) < 2:
                continue
            # Greedy: each event meets the clusters already found in this block, not every member.
            heads: list[int] = []
            for i in members:
                for h in heads:
                    if find(h) == find(i):
                        break
                    if events[h].id == events[i].id or _same_text(events[h], events[i], gram(h), gram(i)):
                        # the clusters' first members must agree too: no drift along a chain of small edits
                        rh, ri = find(h), find(i)
                        if rh == h and ri == i or _same_text(events[rh], events[ri], gram(rh), gram(ri)):
                            union(h, i)
                            break
                else:
                    heads.append(i)
    clusters: dict[int, list[Event]] = defaultdict(list)
    for i, e in enumerate(events):
        clusters[find(i)].append(e)
    merged = [_merge(c, order) if len(c) > 1 else c[0] for c in clusters.values()]
    merged.sort(key=lambda e: (e.start_date, e.id))
    return merged
