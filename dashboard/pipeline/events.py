"""Mentions -> events: tie each place to the date the text relates it to, sentence by sentence.

Rules, in the order they apply to one sentence of an article:

1. A sentence that is only a date (a dateline or a timestamp line) makes no event.
2. A sentence with dates and places: each place takes the date nearest to it in the same clause
   (clause breaks - ";", dashes, "but", "while" - count as distance), and each date not taken by any
   place takes its nearest place: "a landslide cut the road on Jan. 20 near Bosra, Syria" gives one event
   at Bosra and one at Syria, both on 20 January. ``time_basis`` = "stated".
3. A sentence with places but no date takes the nearest preceding date of its paragraph when the
   narrative carries one (``time_basis`` = "narrative"), else the publication date ("published"); with
   the publication date unknown it makes no event (there is nothing honest to put on the timeline).
4. A demonym ("Syrian", "American") stands for its country only in a sentence that names no place and
   has a date of its own: "shepherds crossed the Syrian steppe in 2024" is an event in
   Syria; "American officials say" is not one in the United States.
5. A sentence with dates but no place takes the article's dateline place ("WASHINGTON —") or else its
   focus place, the one it names most (``place_basis`` = "dateline" or "focus").

Each event is typed (taxonomy.py), carries stated fatalities, the sentence and its offsets, the mentions
to highlight, its time and place precision and a confidence in [0, 1] that falls with every inference.
Its id is a hash of what it says (normalised sentence, place, interval), so it is the same across
rebuilds and across articles that print the same sentence (which is how a repost merges with its source).
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from dashboard.records import DateMention, Document, Event, Mention, PlaceMention, Provenance, Sentence
from dashboard.pipeline.taxonomy import classify_event, fatalities

# How far (in characters) a clause break pushes two mentions apart when pairing them.
CLAUSE_BREAK_COST = 120
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s--\s|\b(?:but|while|whereas|although|though|however)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*([A-Z][A-Z.'’\- ]{1,40}?)(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?\s*(?:—|–|--|\(\w[\w ]*\)\s*[-—–])")
_SINCE_WHEN = re.compile(r"^(?:since|from)\s+(?P<inner>.+)$", re.IGNORECASE)

# Confidence factors for each inference a placement makes.
CONFIDENCE = {"stated": 1.0, "narrative": 0.7, "published": 0.5, "dateline": 0.7, "focus": 0.5}
PRECISION_WEIGHT = {"day": 1.0, "week": 0.95, "month": 0.9, "season": 0.8, "quarter": 0.8, "half": 0.75,
                    "year": 0.7, "decade": 0.5, "range": 0.6}


@dataclass(frozen=True)
class _Placement:
    date: DateMention | None
    place: PlaceMention
    time_basis: str
    place_basis: str
    date_interval: tuple[dt.date, dt.date, str]  # start, end, precision


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def event_id(sentence: str, place: PlaceMention, start: dt.date, end: dt.date) -> str:
    """A content hash: the same sentence, place and interval give the same id in any article, any build."""
    place_key = str(place.geonameid) if place.geonameid else f"{place.name}|{place.lat:.2f}|{place.lon:.2f}"
    key = f"{_normalise(sentence)}|{place_key}|{start.isoformat()}|{end.isoformat()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _by_sentence(sentences: tuple[Sentence, ...], mentions) -> dict[int, list]:
    starts = [s.start for s in sentences]
    grouped: dict[int, list] = {}
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.end <= sentences[i].end:
            grouped.setdefault(i, []).append(m)
    return grouped


def _distance(text: str, a, b) -> int:
    lo, hi = (a, b) if a.start <= b.start else (b, a)
    gap = text[lo.end:hi.start] if lo.end <= hi.start else ""
    return max(0, hi.start - lo.end) + CLAUSE_BREAK_COST * len(_CLAUSE_BREAK.findall(gap))


def _date_only(text: str, sentence: Sentence, dates: list[DateMention]) -> bool:
    body = re.sub(r"\W", "", text[sentence.start:sentence.end])
    covered = sum(len(re.sub(r"\W", "", d.text)) for d in dates)
    return bool(body) and covered >= 0.6 * len(body)


def _event_interval(text: str, date: DateMention, published_tagger) -> tuple[dt.date, dt.date, str]:
    """The interval an event happened in: the mention's, except "since 2014, when Iraq's army crumbled",
    where the "when" clause is dated to 2014 itself, not to the whole span since."""
    if date.granularity == "range" and published_tagger is not None:
        m = _SINCE_WHEN.match(date.text)
        follows = text[date.end:date.end + 8]
        if m and re.match(r"\s*,?\s*when\b", follows):
            inner_start = date.start + m.start("inner")
            inner = [d for d in published_tagger(text, (inner_start, date.end)) if d.resolved]
            if inner:
                return inner[0].start_date, inner[0].end_date, inner[0].granularity
    return date.start_date, date.end_date, date.granularity


_RANGE_LINK = re.compile(r"\s{0,10}(?:through|thru|to|until|till|and|[-–—])\s{0,10}", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"(?:\bfrom|\bbetween)\s*$", re.IGNORECASE)


def join_ranges(text: str, dates: list[DateMention]) -> list[DateMention]:
    """Two dates the text joins into one span ("From February through December", "between March and
    May 2017") become one range mention for the event, from the start of the first to the end of the last.

    The tagger reports the two ends separately (each is a date in its own right); an event that the
    sentence dates "from February through December" happened over the whole span, not in December.
    """
    out: list[DateMention] = []
    i = 0
    while i < len(dates):
        d = dates[i]
        if i + 1 < len(dates):
            e = dates[i + 1]
            gap = text[d.end:e.start]
            opened = _RANGE_OPEN.search(text[max(0, d.start - 10):d.start])
            joins = _RANGE_LINK.fullmatch(gap) and (opened or not re.search(r"\band\b", gap, re.IGNORECASE))
            if joins and d.resolved and e.resolved and d.start_date <= e.end_date:
                out.append(DateMention(text=text[d.start:e.end], start=d.start, end=e.end,
                                       start_date=d.start_date, end_date=e.end_date, granularity="range",
                                       anchor=d.anchor, rule="joined range"))
                i += 2
                continue
        out.append(d)
        i += 1
    return out


def _focus_place(doc: Document, places: list[PlaceMention]) -> tuple[PlaceMention | None, str]:
    """The article's dateline place ("WASHINGTON — ..."), else the place it names most, preferring
    towns and points over whole countries."""
    text = doc.clean_text or doc.text
    for sentence in doc.sentences[:6]:
        m = _DATELINE.match(text[sentence.start:sentence.end])
        if m:
            line_places = [p for p in places if sentence.start <= p.start < sentence.start + m.end()]
            if line_places:
                return line_places[0], "dateline"
    if not places:
        return None, "focus"
    counts = Counter((p.name, p.country_code) for p in places)
    specific = [p for p in places if p.precision in ("point", "city", "admin")]
    pool = specific or places
    best = max(pool, key=lambda p: (counts[(p.name, p.country_code)], -p.start))
    return best, "focus"


def extract_events(doc: Document, dates: list[DateMention], places: list[PlaceMention],
                   retag=None) -> list[Event]:
    """The events of one article (sources = that article). ``retag(text, span)`` re-tags a sub-span
    with the article's anchors; it is needed only for "since X, when ..." and may be None."""
    text = doc.text
    clean = doc.clean_text or text
    places = [p for p in places if p.resolved]  # a name no geocoder could place has no honest point
    resolved = join_ranges(clean, sorted((d for d in dates if d.resolved), key=lambda d: d.start))
    dates_in = _by_sentence(doc.sentences, resolved)
    places_in = _by_sentence(doc.sentences, places)
    focus, focus_basis = _focus_place(doc, places)
    published = doc.published
    placements_by_sentence: list[tuple[Sentence, list[_Placement]]] = []
    last_date: DateMention | None = None
    last_paragraph = -1
    for i, sentence in enumerate(doc.sentences):
        if sentence.paragraph != last_paragraph:
            last_date, last_paragraph = None, sentence.paragraph
        ds, ps = dates_in.get(i, []), places_in.get(i, [])
        if focus_basis == "dateline":
            # "WASHINGTON — ..." says where the report was filed, not where its sentence happened
            ps = [p for p in ps if p is not focus]
        named = [p for p in ps if p.mention_kind != "demonym"]
        # "American officials said ..." is not an event in the United States: a demonym stands for its
        # country only when the sentence names no place, and only with a date of its own
        ps = named or (ps if ds else [])
        placements: list[_Placement] = []
        if ds and _date_only(clean, sentence, ds) and not ps:
            last_date = ds[-1]
            continue
        if ds and ps:
            taken: set[int] = set()
            for p in ps:
                d = min(ds, key=lambda d: _distance(clean, d, p))
                taken.add(id(d))
                placements.append(_Placement(d, p, "stated", "stated", _event_interval(clean, d, retag)))
            for d in ds:
                if id(d) not in taken:
                    p = min(ps, key=lambda p: _distance(clean, d, p))
                    placements.append(_Placement(d, p, "stated", "stated", _event_interval(clean, d, retag)))
        elif ps:
            if last_date is not None:
                interval = _event_interval(clean, last_date, retag)
                placements.extend(_Placement(None, p, "narrative", "stated", interval) for p in ps)
            elif published.known:
                interval = (published.start_date, published.end_date, published.precision)
                placements.extend(_Placement(None, p, "published", "stated", interval) for p in ps)
        elif ds and focus is not None:
            for d in ds:
                placements.append(_Placement(d, focus, "stated", focus_basis, _event_interval(clean, d, retag)))
        if ds:
            last_date = ds[-1]
        if placements:
            placements_by_sentence.append((sentence, placements))
    return [_make_event(doc, sentence, pl) for sentence, pls in placements_by_sentence for pl in _unique(pls)]


def _unique(placements: list[_Placement]) -> list[_Placement]:
    seen, out = set(), []
    for pl in placements:
        key = (pl.place.name, pl.place.lat, pl.place.lon, pl.date_interval[:2])
        if key not in seen:
            seen.add(key)
            out.append(pl)
    return out


def _as_known(published) -> str | None:
    """The publication date at its own precision: "2018-02-04", "2014-07" (month only), "2022"."""
    if not published.known:
        return None
    iso = published.start_date.isoformat()
    return {"month": iso[:7], "year": iso[:4]}.get(published.precision, iso)


def _make_event(doc: Document, sentence: Sentence, pl: _Placement) -> Event:
    text = doc.text
    sentence_text = text[sentence.start:sentence.end]
    start, end, precision = pl.date_interval
    mentions = [Mention("place", text[pl.place.start:pl.place.end], pl.place.start, pl.place.end)]
    if pl.date is not None and sentence.start <= pl.date.start and pl.date.end <= sentence.end:
        mentions.append(Mention("date", text[pl.date.start:pl.date.end], pl.date.start, pl.date.end))
    if pl.place_basis != "stated" and not (sentence.start <= pl.place.start < sentence.end):
        mentions = [m for m in mentions if m.kind == "date"]
    mentions.sort(key=lambda m: m.start)
    article = doc.article
    provenance = Provenance(
        article_id=article.id, sentence=sentence_text, start=sentence.start, end=sentence.end,
        mentions=tuple(mentions),
        published=_as_known(doc.published),
        title=article.title, url=article.url,
    )
    confidence = (CONFIDENCE[pl.time_basis] * CONFIDENCE[pl.place_basis] * pl.place.confidence
                  * PRECISION_WEIGHT.get(precision, 0.6))
    if pl.place.precision == "country":
        confidence *= 0.85
    return Event(
        id=event_id(sentence_text, pl.place, start, end),
        start_date=start, end_date=end, time_precision=precision,
        lat=pl.place.lat, lon=pl.place.lon, place=pl.place.name, place_precision=pl.place.precision,
        country_code=pl.place.country_code or "", event_type=classify_event(sentence_text),
        fatalities=fatalities(sentence_text), sentence=sentence_text, start=sentence.start, end=sentence.end,
        sources=(article.id,), provenance=(provenance,), confidence=round(min(1.0, confidence), 3),
        time_basis=pl.time_basis, place_basis=pl.place_basis, geonameid=pl.place.geonameid,
        feature=pl.place.feature,
    )
