"""Mentions -> events: one event per occurrence an article reports, at the place where it happened.

1. Occurrences, not sentences. A sentence makes an event only where it reports an occurrence (a trigger
   of the table in taxonomy.py, outside the frames that make it modal, negated, generic, an opinion or a
   prediction). A sentence without one keeps its date and place mentions and makes no dot; so do lines of
   page furniture (captions, menus, labels: ``Sentence.kind`` from document.py).
2. Arguments (arguments.py): the place is the one the trigger governs; speakers, organisations and the
   other non-locations are never an event's place. The time is the occurrence's own date (the date of its
   clause nearest the trigger, ``time_basis`` "stated"), else the narrative's (the paragraph's last date,
   "narrative"), else the publication date ("published": then the event is drawn as uncertain).
3. One event per occurrence within an article: tellings of the same occurrence (same kind of event,
   compatible times, places that contain one another: "a prison in Syria" ... "the prison in Hasakah" ...
   "the prison break") become one event at the most precise place and the narrowest time, with every
   sentence in its provenance. A telling that names no place ("The attack sparked a week of gunbattles")
   joins the occurrence it tells again, or makes no dot.
4. ``extract_events`` returns the events by prominence: the headline and the lead weigh most, then the
   number of sentences that tell the event; each event has a confidence in [0, 1] that falls with every
   inference (attachment, time basis, precision).

An event's id is a hash of what it says (normalised lead sentence, place, interval): the same across
rebuilds and across articles that print the same sentence (which is how a repost merges with its source).
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from dashboard.pipeline.arguments import (
    ATTACHMENT_CONFIDENCE, attach, candidate_places, contains, dateline_scene, is_dateline, named_facilities,
    own_forces,
)
from dashboard.pipeline.taxonomy import Occurrence, find_occurrences, most_specific
from dashboard.pipeline.fatalities import fatalities
from dashboard.records import DateMention, Document, Event, Mention, PlaceMention, Provenance, Sentence

# How far (in characters) a clause break pushes a date away from a trigger when choosing the event's date.
CLAUSE_BREAK_COST = 120
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s--\s|\b(?:but|while|whereas|although|though|however)\b", re.IGNORECASE)
_DEFINITE = re.compile(r"^\W*(?:The|This|That|These|Those)\s")  # a sentence that starts by pointing back
_SINCE_WHEN = re.compile(r"^(?:since|from)\s+(?P<inner>.+)$", re.IGNORECASE)

# Between two events told as prominently, the one in the country the article's places agree on comes first:
# "in the Atlantic University in Barranquilla, Atlantico" is in Colombia, whatever else "Atlantic" names.
COUNTRY_AGREEMENT = 0.03
TIME_CONFIDENCE = {"stated": 1.0, "narrative": 0.75, "published": 0.45}
PRECISION_WEIGHT = {"day": 1.0, "week": 0.95, "month": 0.9, "season": 0.8, "quarter": 0.8, "half": 0.75,
                    "year": 0.7, "decade": 0.5, "range": 0.6, "published": 1.0}
PLACE_WEIGHT = {"point": 1.0, "city": 1.0, "admin": 0.9, "region": 0.8, "country": 0.7}
# Kinds of event that one occurrence may be told as: "the attack on the prison" is the prison break.
VIOLENT = frozenset({"prison_break", "airstrike", "bombing", "attack_on_civilians", "battle"})
_PLACE_RANK = {"point": 0, "city": 1, "admin": 2, "region": 3, "country": 4}
_BASIS_RANK = {"stated": 0, "narrative": 1, "published": 2}


@dataclass
class _Telling:
    """One sentence telling one occurrence at one place (or at none)."""

    index: int  # sentence number
    sentence: Sentence
    occurrences: list[Occurrence]  # absolute offsets
    place: PlaceMention | None
    attachment: str
    date: DateMention | None
    interval: tuple[dt.date, dt.date, str]
    time_basis: str
    narrative_place: PlaceMention | None = None  # where the paragraph is, for a telling that names no place

    @property
    def types(self) -> set[str]:
        return {o.event_type for o in self.occurrences}

    @functools.cached_property
    def kind(self) -> str:
        """The main type, read once the sentence's occurrences are all gathered (merging reads it)."""
        return most_specific(self.types)


@dataclass
class _Occurrence:
    """Tellings merged into one occurrence of the article."""

    tellings: list[_Telling] = field(default_factory=list)
    number: int = 0  # the order it was made in

    @property
    def located(self) -> list[_Telling]:
        return [t for t in self.tellings if t.place is not None]

    def best_place(self) -> _Telling:
        return min(self.located, key=lambda t: (_PLACE_RANK.get(t.place.precision, 9),
                                                -ATTACHMENT_CONFIDENCE.get(t.attachment, 0.5), t.index))

    def best_time(self) -> _Telling:
        return min(self.tellings, key=lambda t: (_BASIS_RANK[t.time_basis], (t.interval[1] - t.interval[0]).days,
                                                 t.index))


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


def _distance(text: str, a_start: int, a_end: int, b) -> int:
    lo_end, hi_start = (a_end, b.start) if a_start <= b.start else (b.end, a_start)
    gap = text[lo_end:hi_start] if lo_end <= hi_start else ""
    return max(0, hi_start - lo_end) + CLAUSE_BREAK_COST * len(_CLAUSE_BREAK.findall(gap))


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


def extract_events(doc: Document, dates: list[DateMention], places: list[PlaceMention],
                   retag=None) -> list[Event]:
    """The events of one article (sources = that article), most prominent first. ``retag(text, span)``
    re-tags a sub-span with the article's anchors; it is needed only for "since X, when ..." and may be None."""
    tellings = _tellings(doc, dates, places, retag)
    occurrences = _merge_tellings(tellings)
    home = _main_country(places)
    events = [(_prominence(doc, o) + (COUNTRY_AGREEMENT if o.best_place().place.country_code == home else 0.0),
               -o.tellings[0].sentence.start, _make_event(doc, o)) for o in occurrences]
    events.sort(key=lambda t: (-t[0], -t[1]))
    return [e for _, _, e in events]


def _tellings(doc: Document, dates: list[DateMention], places: list[PlaceMention], retag) -> list[_Telling]:
    clean = doc.clean_text or doc.text
    resolved = join_ranges(clean, sorted((d for d in dates if d.resolved), key=lambda d: d.start))
    dates_in = _by_sentence(doc.sentences, resolved)
    places_in = _by_sentence(doc.sentences, [p for p in places if p.resolved])
    published = doc.published
    out: list[_Telling] = []
    last_date: DateMention | None = None
    last_place: PlaceMention | None = None
    filed: DateMention | None = None  # the dateline's date: the report's, so its occurrences happened by then
    last_paragraph = -1
    for i, sentence in enumerate(doc.sentences):
        if sentence.paragraph != last_paragraph:
            last_date, last_place, last_paragraph = None, None, sentence.paragraph
        ds = [d for d in dates_in.get(i, []) if not _dateline_date(clean, sentence, d)]
        filed = next((d for d in dates_in.get(i, []) if _dateline_date(clean, sentence, d)), filed)
        if sentence.kind == "furniture" or (ds and _date_only(clean, sentence, ds)):
            if ds and sentence.kind != "furniture":
                last_date = ds[-1]
            continue
        # a sentence that names no place tells an occurrence placed elsewhere ("The attack ..."), where its
        # paragraph is ("A man was arrested.") or where the next sentence says: others are not read, which
        # keeps the table off many sentences
        body = clean[sentence.start:sentence.end]
        placed_next = i + 1 in places_in and doc.sentences[i + 1].paragraph == sentence.paragraph
        found = find_occurrences(body) if i in places_in or last_place is not None or placed_next \
            or _DEFINITE.search(body) else ()
        if found:
            shift = sentence.start
            found = [Occurrence(o.event_type, o.start + shift, o.end + shift, o.trigger, o.anaphoric) for o in found]
            candidates = _with_demonyms(candidate_places(clean, places_in.get(i, []), found), bool(ds)) \
                or own_forces(clean, places_in.get(i, []))
            # a town named in a facility's name ("the Uitenhage Provincial Hospital") is more specific than
            # the province the sentence also names: it goes first among the candidates
            candidates = named_facilities(clean, places_in.get(i, [])) + candidates
            groups: dict[int | None, _Telling] = {}
            # for "the battle" told first in a clause of its own ("a U.S. airstrike" does not set it in the US)
            own_scene = _scene(clean, places_in.get(i, []), found)
            for occurrence in found:
                chosen, kind = attach(clean, sentence.start, occurrence, candidates)
                chosen, kind = dateline_scene(clean, sentence.start, sentence.end, chosen, candidates) \
                    or (chosen, kind)
                date, interval, basis = _time_of(clean, occurrence, ds, last_date, published, retag, filed,
                                                 sentence.start)
                if interval is None:
                    continue  # no date at all and no publication date: nothing honest to put on the timeline
                for place in chosen or [None]:
                    key = id(place) if place is not None else None
                    if key in groups:
                        groups[key].occurrences.append(occurrence)
                    else:
                        groups[key] = _Telling(i, sentence, [occurrence], place, kind, date, interval, basis,
                                               None if place is not None else last_place or own_scene)
            if any(k is not None for k in groups):
                groups.pop(None, None)  # an unplaced trigger beside placed ones is told by them
            out.extend(groups.values())
        scene = _scene(clean, places_in.get(i, []), found) if i in places_in else None
        if scene is not None:
            last_place = scene
            _place_told_after(out, i, sentence, clean, scene)
        if ds:
            last_date = ds[-1]
    return out


def _place_told_after(tellings: list[_Telling], i: int, sentence: Sentence, text: str, scene: PlaceMention) -> None:
    """"Arsonists burned a lorry. The incident took place in Tartus." A telling that names no place and has
    no scene before it in its paragraph is where the next sentence is, when that sentence tells no other
    occurrence of its own (one pointing back, "the attack", is the same one)."""
    waiting = [t for t in itertools.takewhile(lambda t: t.index >= i - 1, reversed(tellings))
               if t.index == i - 1 and t.place is None and t.narrative_place is None
               and t.sentence.paragraph == sentence.paragraph]
    if not waiting or sentence.kind == "furniture" \
            or any(not o.anaphoric for o in find_occurrences(text[sentence.start:sentence.end])):
        return  # (the sentence's own occurrences are read only when a telling waits for a place)
    for t in waiting:
        t.narrative_place = scene


def _scene(text: str, places: list[PlaceMention], triggers=()) -> PlaceMention | None:
    """Where a sentence is: its most specific place that can be an event's place, the first of those."""
    # a dateline's place ("BEIRUT, June 6 -") is where the report was filed, not where the story is
    candidates = [p for p in candidate_places(text, places, triggers) if p.mention_kind != "demonym"
                  and not (is_dateline(text, p) or p.text.isupper() and len(p.text) > 3 and (
                      _DATELINE_DATE_AFTER.match(text[p.end:p.end + 4]) or text[p.end:p.end + 1] == ","))]
    return min(candidates, key=lambda p: (_PLACE_RANK.get(p.precision, 9), p.start)) if candidates else None


def _with_demonyms(places: list[PlaceMention], dated: bool) -> list[PlaceMention]:
    """A demonym ("Syrian", "American") stands for its country only in a sentence that names no place and
    has a date of its own: "herders crossed the Syrian steppe in 2023" is in Syria; "American officials
    say" is not in the United States."""
    named = [p for p in places if p.mention_kind != "demonym"]
    return named or (places if dated else [])


# "BAGHDAD, July 10, 2017 - Iraqi forces recaptured ...": a date in the dateline says when the report was
# filed, not when its occurrence happened.
_DATELINE_DATE_AFTER = re.compile(r"^\s*(?:[-—–]{1,2}|\(\w+\)\s*[-—–])\s")
DATELINE_REACH = 60  # characters from the start of the sentence a dateline's date can end by


def _dateline_date(text: str, sentence: Sentence, d: DateMention) -> bool:
    return d.end - sentence.start <= DATELINE_REACH and bool(_DATELINE_DATE_AFTER.match(text[d.end:d.end + 8]))


# "On 3 May, workers who were hired in 2019 protested over their March wages.": a date that opens the
# sentence before a comma frames its whole main clause; a date inside it wins only when it stands closer
# to the trigger than this many characters (the clause-break costs still count).
FRAME_DISTANCE = 40
_FRAME_BEFORE = re.compile(r"^\W*(?:(?:on|around|about|as reported on|reported on|by|in|during|since|between|late on"
                           r"|early on)\s+)?$", re.IGNORECASE)
_FRAME_AFTER = re.compile(r"^\s*(?:\([^()]{0,40}\)\s*)?,")


# a relative clause open before the date ("who were hired in 2019"), not closed by a comma before it
_RELATIVE_OPEN = re.compile(r"\b(?:who|whom|whose|which)\b[^,;()]*$", re.IGNORECASE)
# a date that is part of a name ("the 25 March bridge", "the 6th of October district") or describes a noun
# after a possessive ("their March wages", "its 2019 budget")
_NAME_AFTER = re.compile(r"^\s+(?:[A-Z]\w+\s+)?(?:bridge|street|square|avenue|road|sector|district|neighbou?rhood"
                         r"|camp|brigade|movement|revolution|stadium|hospital|school|university|city|town|village"
                         r"|salar(?:y|ies)|wages?|pay|pensions?|rent|bills?|budget|subsid(?:y|ies)|elections?|polls?"
                         r"|referendum)\b", re.IGNORECASE)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:their|his|her|its|our|my|your)\s+$", re.IGNORECASE)


# "the deadliest attack in the city since 2017", "the first such strike since March": a yardstick
_COMPARED_SINCE = re.compile(
    r"\bthe\s+(?:(?!(?:protest|arrest|west|interest|rest|request|forest|conquest|contest|test|quest|inquest|guest"
    r"|unrest|harvest)\b)\w+est|worst|first|most|only)\b[^.;:]{0,80}\bsince\s+(?:the\s+)?$", re.IGNORECASE)


def _names_or_qualifies(text: str, d: DateMention) -> bool:
    if _COMPARED_SINCE.search(text, max(0, d.start - 100), d.start):
        return True
    return bool(_NAME_AFTER.match(text[d.end:d.end + 40]) or _POSSESSIVE_BEFORE.search(text[max(0, d.start - 8):d.start])
                or re.match(r"^['’]s?\s", text[d.end:d.end + 3]) and _POSSESSIVE_BEFORE.search(text[max(0, d.start - 8):d.start]))


def _frames(text: str, sentence_start: int, d: DateMention) -> bool:
    return bool(_FRAME_BEFORE.match(text[sentence_start:d.start]) and _FRAME_AFTER.match(text[d.end:d.end + 50]))


def _time_of(text: str, occurrence: Occurrence, dates: list[DateMention], last_date, published, retag,
             filed: DateMention | None = None, sentence_start: int | None = None):
    # "the 25 March bridge", "their March wages", "the May 3 elections": no time of anything that happened
    dates = [d for d in dates if not _names_or_qualifies(text, d)]
    if dates:
        def cost(d: DateMention) -> int:
            near = _distance(text, occurrence.start, occurrence.end, d)
            if sentence_start is not None and d.end <= occurrence.start and _RELATIVE_OPEN.search(
                    text, max(sentence_start, d.start - 60), d.start):
                near += CLAUSE_BREAK_COST  # "teachers who were hired in 2019 protested": the hiring's date
            if sentence_start is not None and _frames(text, sentence_start, d):
                return min(near, FRAME_DISTANCE + CLAUSE_BREAK_COST * len(_CLAUSE_BREAK.findall(
                    text, d.end, occurrence.start)))
            return near
        d = min(dates, key=cost)
        return d, _event_interval(text, d, retag), "stated"
    if last_date is not None:
        return last_date, _event_interval(text, last_date, retag), "narrative"
    if published.known:
        return None, (published.start_date, published.end_date, published.precision), "published"
    if filed is not None:  # no publication date known, but the dateline says when the report was filed
        return None, (filed.start_date, filed.end_date, filed.granularity), "published"
    return None, None, ""


def _same_kind(a: _Telling, b: _Telling) -> bool:
    """The same kind of event: the same main type, or "the attack" told again of a bombing or a prison break."""
    ta, tb = a.kind, b.kind
    if ta == tb:
        return True
    generic = (a, tb) if ta == "battle" else (b, ta) if tb == "battle" else None
    return generic is not None and generic[1] in VIOLENT and all(o.anaphoric for o in generic[0].occurrences
                                                                   if o.event_type == "battle")


def _kinds_joining(kind: str) -> frozenset[str]:
    """The kinds a telling of ``kind`` may be merged with (what _same_kind can accept)."""
    if kind == "battle":
        return VIOLENT
    return frozenset({kind, "battle"}) if kind in VIOLENT else frozenset({kind})


def _times_agree(a: _Telling, b: _Telling) -> bool:
    if "published" in (a.time_basis, b.time_basis):
        return True  # a publication-date fallback says only "by then"
    # one within the other: "in January" and "on Jan. 20" agree, "last month" and "last week" across it do not
    (a0, a1), (b0, b1) = a.interval[:2], b.interval[:2]
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


def _places_agree(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None:
        return True
    same = (a.geonameid and a.geonameid == b.geonameid) or (a.name == b.name and a.country_code == b.country_code)
    return bool(same) or contains(a, b) or contains(b, a)


def _joins(group: _Occurrence, t: _Telling) -> bool:
    return all(_same_kind(m, t) and _times_agree(m, t) and _places_agree(m.place, t.place)
               for m in group.tellings)


class _Groups:
    """The occurrences being merged, in the order they were made, indexed by their tellings' kinds and
    countries: a telling is checked only against the groups it could join (places in two countries never
    agree, nor do kinds _same_kind refuses), so a digest of thousands of reports is not quadratic."""

    def __init__(self) -> None:
        self.groups: list[_Occurrence] = []
        self._index: dict[str, dict[str, set[int]]] = {}  # kind -> country code ("" for none) -> groups

    def add(self, t: _Telling, group: _Occurrence | None = None) -> None:
        if group is None:
            group = _Occurrence([])
            group.number = len(self.groups)
            self.groups.append(group)
        group.tellings.append(t)
        country = t.place.country_code if t.place is not None else ""
        self._index.setdefault(t.kind, {}).setdefault(country or "", set()).add(group.number)

    def candidates(self, t: _Telling) -> list[_Occurrence]:
        """Every group ``t`` might join (a superset of those _joins accepts), in the order they were made."""
        country = t.place.country_code if t.place is not None else ""
        found: set[int] = set()
        for kind in _kinds_joining(t.kind):
            by_country = self._index.get(kind, {})
            if country:
                found.update(by_country.get(country, ()), by_country.get("", ()))
            else:
                for numbers in by_country.values():
                    found.update(numbers)
        return [self.groups[i] for i in sorted(found)]

    def first_joined(self, t: _Telling) -> _Occurrence | None:
        return next((g for g in self.candidates(t) if _joins(g, t)), None)


def _narrower_scene(g: _Occurrence, t: _Telling) -> bool:
    """True when the paragraph an unplaced telling is in stands inside every place its occurrence was told
    at: "On Monday, in Townsville, gunmen landed. Troops clashed with them. ... The clash in Ruritania was
    the third this year." is a clash in Townsville, not a dot on the whole country."""
    scene = t.narrative_place
    return scene is not None and all(contains(m.place, scene) for m in g.located)


def _merge_tellings(tellings: list[_Telling]) -> list[_Occurrence]:
    """Tellings of one occurrence become one: located ones in text order, then each unplaced one joins the
    nearest occurrence it agrees with (or is dropped: a dot needs a place)."""
    merged = _Groups()
    for t in tellings:
        if t.place is not None:
            merged.add(t, merged.first_joined(t))
    for t in tellings:
        if t.place is not None:
            continue
        near = sorted(merged.candidates(t), key=lambda g: min(abs(m.index - t.index) + (0.5 if m.index > t.index else 0)
                                                              for m in g.tellings))
        for g in near:
            # an unplaced telling joins an occurrence of its kind ("the prison break", "the assault" of a
            # bombing), and only one that has a date of its own if it brings one
            if _joins(g, t) and (t.time_basis == "published" or any(m.time_basis != "published" for m in g.tellings)):
                if _narrower_scene(g, t):  # "Clashes in Ruritania. ... In Townsville, troops clashed with them."
                    t.place, t.attachment = t.narrative_place, "narrative"
                merged.add(t, g)
                break
        else:
            if t.narrative_place is not None:  # told where the paragraph already is: "A man was arrested."
                t.place, t.attachment = t.narrative_place, "narrative"
                merged.add(t, merged.first_joined(t))
    for g in merged.groups:
        g.tellings.sort(key=lambda m: m.sentence.start)
    return merged.groups


def _main_country(places: list[PlaceMention]) -> str:
    """The country most of an article's locations are in (weighted by how sure each is), or ""."""
    votes: dict[str, float] = {}
    for p in places:
        if p.role == "location" and p.resolved and p.country_code:
            votes[p.country_code] = votes.get(p.country_code, 0.0) + p.confidence
    return max(votes, key=votes.get) if votes else ""


# How much less each later sentence of the lead weighs: more than a second telling adds (0.04 in
# _prominence), so "Gunmen burned a bus in Townsville. ... There were two attacks in the province this
# year. Attacks in the province are frequent." leads with the bus, not with the attacks told twice after it.
LEAD_STEP = 0.06


def _sentence_weight(doc: Document, t: _Telling) -> float:
    """Headline and lead weigh most: an article is about what it says first, and its first sentence first."""
    if t.sentence.kind == "headline":
        return 1.0
    generic = 0.3 + 0.6 / (1.0 + t.index / 6.0)
    if t.index <= 1 or t.sentence.paragraph == doc.sentences[0].paragraph:
        first = next((i for i, s in enumerate(doc.sentences) if s.kind != "headline"), 0)
        return max(generic, 0.95 - LEAD_STEP * max(0, t.index - first))
    return generic


# "Amid protests in Townsville, gunmen attacked a bus near Hamlet.": an occurrence told only in the phrase
# that opens the sentence is its background; the main clause's occurrence is the news.
_BACKGROUND_OPENING = re.compile(r"^\W*(?:in|amid|amidst|during|after|following|despite|since|before|as part of)\s"
                                 r"[^,;]{3,120},\s", re.IGNORECASE)
BACKGROUND_COST = 0.03


def _background(text: str, t: _Telling) -> bool:
    m = _BACKGROUND_OPENING.match(text, t.sentence.start, t.sentence.end)
    return m is not None and all(o.end <= m.end() for o in t.occurrences)


def _prominence(doc: Document, o: _Occurrence) -> float:
    sentences = {t.index for t in o.tellings}
    text = doc.clean_text or doc.text
    return max(_sentence_weight(doc, t) - (BACKGROUND_COST if _background(text, t) else 0.0) for t in o.tellings) \
        + 0.04 * (len(sentences) - 1) + 0.02 * ATTACHMENT_CONFIDENCE.get(o.best_place().attachment, 0.5)


def _as_known(published) -> str | None:
    """The publication date at its own precision: "2018-02-04", "2014-07" (month only), "2022"."""
    if not published.known:
        return None
    iso = published.start_date.isoformat()
    return {"month": iso[:7], "year": iso[:4]}.get(published.precision, iso)


def _provenance(doc: Document, tellings: list[_Telling]) -> tuple[Provenance, ...]:
    text, article = doc.text, doc.article
    out = []
    by_sentence: dict[int, list[_Telling]] = {}
    for t in tellings:
        by_sentence.setdefault(t.index, []).append(t)
    for members in by_sentence.values():
        sentence = members[0].sentence
        spans = set()
        for t in members:
            if t.place is not None and sentence.start <= t.place.start and t.place.end <= sentence.end:
                spans.add(("place", t.place.start, t.place.end))
            if t.date is not None and sentence.start <= t.date.start and t.date.end <= sentence.end:
                spans.add(("date", t.date.start, t.date.end))
            spans.update(("trigger", o.start, o.end) for o in t.occurrences)
        mentions = tuple(Mention(kind, text[a:b], a, b) for kind, a, b in sorted(spans, key=lambda s: (s[1], s[2], s[0])))  # a total order: set order varies by process
        out.append(Provenance(article_id=article.id, sentence=(doc.readable_text or text)[sentence.start:sentence.end],
                              start=sentence.start, end=sentence.end, mentions=mentions,
                              published=_as_known(doc.published), title=article.title, url=article.url))
    return tuple(out)


def _make_event(doc: Document, o: _Occurrence) -> Event:
    text = doc.text
    where, when = o.best_place(), o.best_time()
    lead = max(o.tellings, key=lambda t: (_sentence_weight(doc, t), -t.index))
    place = where.place
    start, end, precision = when.interval
    if when.time_basis == "published":
        precision = "published"  # never "known to the day": the text says only that it happened by then
    sentence_text = text[lead.sentence.start:lead.sentence.end]
    # the words a reader of the page sees: no markup, its blanks closed up (the offsets still index the text)
    shown = " ".join(doc.readable_text[lead.sentence.start:lead.sentence.end].split()) if doc.readable_text \
        else sentence_text
    sentences = {t.index for t in o.tellings}
    confidence = (ATTACHMENT_CONFIDENCE.get(where.attachment, 0.5) * TIME_CONFIDENCE[when.time_basis]
                  * PRECISION_WEIGHT.get(precision, 0.6) * PLACE_WEIGHT.get(place.precision, 0.7) * place.confidence
                  * (1.0 + 0.05 * (len(sentences) - 1)))
    stated = [n for n in (fatalities(text[t.sentence.start:t.sentence.end]) for t in o.tellings) if n is not None]
    return Event(
        id=event_id(sentence_text, place, start, end),
        start_date=start, end_date=end, time_precision=precision,
        lat=place.lat, lon=place.lon, place=place.name, place_precision=place.precision,
        country_code=place.country_code or "",
        event_type=most_specific(ty for t in o.tellings for ty in t.types),
        fatalities=max(stated) if stated else None,
        sentence=shown, start=lead.sentence.start, end=lead.sentence.end,
        sources=(doc.article.id,), provenance=_provenance(doc, o.tellings),
        confidence=round(min(1.0, confidence), 3), time_basis=when.time_basis,
        place_basis="narrative" if where.attachment == "narrative" else "stated",
        geonameid=place.geonameid, feature=place.feature, namesakes=place.namesakes,
        tentative=place.tentative,
    )
