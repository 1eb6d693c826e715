"""One event reported by several articles becomes one event with all its sources.

Two events are the same when they are at the same place (same GeoNames id, or the same name within
25 km) with overlapping dates, and either
  - their sentences say the same thing (word-trigram Jaccard >= 0.5: a repost, a wire copy, a light
    edit), or
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
    words = re.findall(r"\w+", sentence.casefold())
    return frozenset(zip(words, words[1:], words[2:])) if len(words) >= 3 else frozenset([tuple(words)])


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


def _same_text(a: Event, b: Event, grams: dict[int, frozenset], i: int, j: int) -> bool:
    return _same_place(a, b) and not (a.end_date < b.start_date or b.end_date < a.start_date) \
        and _jaccard(grams[i], grams[j]) >= SAME_TEXT_JACCARD


def _band_keys(grams: list[frozenset]) -> np.ndarray:
    """Locality-sensitive band keys of every sentence's trigram set, shape (n, BANDS).

    Each band hashes ``ROWS`` minimum hashes together: two sentences with trigram Jaccard J share a band
    with probability 1 - (1 - J**ROWS) ** BANDS (0.90 at J = 0.5, 0.995 at 0.7, 1 when identical), while
    sentences that merely share a common phrase ("the Islamic State") rarely do. Vectorised: one pass of
    numpy over all trigrams of all sentences.
    """
    n = len(grams)
    counts = np.fromiter((max(len(g), 1) for g in grams), dtype=np.int64, count=n)
    flat = np.fromiter((zlib.crc32(" ".join(t).encode("utf-8")) for g in grams for t in (g or [("",)])),
                       dtype=np.uint64, count=int(counts.sum()))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    seeds = np.array(_SEEDS[:BANDS * ROWS], dtype=np.uint64)
    mixed = ((flat[None, :] ^ seeds[:, None]) * np.uint64(2654435761)) % np.uint64(4294967296)
    minima = np.minimum.reduceat(mixed, starts, axis=1).T  # (n, BANDS * ROWS)
    rows = minima.reshape(n, BANDS, ROWS)
    return rows[:, :, 0] * np.uint64(4294967296) + rows[:, :, 1]


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
    grams = [_trigrams(e.sentence) for e in events]
    band_keys = _band_keys(grams) if events else np.zeros((0, BANDS), dtype=np.uint64)
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    text_blocks: dict[tuple, list[int]] = defaultdict(list)
    exact_blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        place_key = e.geonameid or e.place
        for band, key in enumerate(band_keys[i].tolist()):
            text_blocks[(place_key, band, key)].append(i)
        if _specific(e):
            exact_blocks[(place_key, e.start_date, e.end_date, e.event_type)].append(i)
    for members in exact_blocks.values():
        if len({events[i].sources[0] for i in members}) < 2:  # only one article reports it
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                if events[a].sources[0] != events[b].sources[0] and find(a) != find(b) \
                       :
                    union(a, b)
    for members in text_blocks.values():
        # Greedy within the block: each event meets the clusters already found here, not every member,
        # so a block of many near-identical reports costs one pass.
        heads: list[int] = []
        for i in members:
            for h in heads:
                if find(h) == find(i):
                    break
                if events[h].id == events[i].id or _same_text(events[h], events[i], grams, h, i):
                    # the clusters' first members must agree too: no drift along a chain of small edits
                    rh, ri = find(h), find(i)
                    if rh == h and ri == i or _same_text(events[rh], events[ri], grams, rh, ri):
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
