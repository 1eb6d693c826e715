"""Where a collection of articles happens: the namesakes one text leaves open, decided by the others.

A pile of articles is about a theatre: most of its texts name their towns so that only one place fits
("shelling hit Avdiivka", "a raid near Kramatorsk, Donetsk region"). A text that names only "Lozove", of
which the gazetteer holds fourteen, cannot say which it means; where the other articles settle place after
place around one of them and none near the others, that one is meant. The rule decides only what the text
itself left open, between the namesakes its own evidence scored alike (``PlaceMention.namesakes``), and
only where the collection is clear: ``MIN_ARTICLES`` articles or more settle a place in one candidate's
cell, ``RATIO`` times more than in any other's. One article alone, or a pile with no theatre, keeps every
place as its text chose it; so does any place the text decided (by a qualifier, a province, a town nearby).
A variant spelling in a text that names nothing else is tentative: it stands where the collection settles
places in its cell, or at the one namesake of its spelling family in whose region (``AROUND_CELLS`` each
way) the collection happens, and nowhere else.

    >>> from dashboard.records import PlaceCandidate
    >>> here = PlaceCandidate("Here", 48.4, 38.2, "UA", "city", None)
    >>> Theatre({cell_of(48.4, 38.2): 6}).articles_near(here.lat, here.lon)
    6
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from dashboard.records import Event, PlaceCandidate, PlaceMention

CELL_DEGREES = 0.25  # about 25 km: the size of a district, the span of one front-line sector
MIN_ARTICLES = 5  # articles that settle a place in the winning cell, at least
RATIO = 5.0  # ... and this many times more than in any other namesake's cell
AROUND_CELLS = 4  # a variant spelling's region: this many cells each way
_POINTS = frozenset({"city", "capital", "admin2"})


def cell_of(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


@dataclass(frozen=True)
class Theatre:
    """How many articles of the collection settle a place (name it so that only one place fits) in each
    cell of ``CELL_DEGREES``."""

    articles_by_cell: Mapping[tuple[int, int], int]
    articles_by_country: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable[Event]) -> Theatre:
        articles: dict[tuple[int, int], set[str]] = defaultdict(set)
        countries: dict[str, set[str]] = defaultdict(set)
        for e in events:
            if settled(e):
                articles[cell_of(e.lat, e.lon)].update(e.sources[:1])
                countries[e.country_code].update(e.sources[:1])
        return cls({cell: len(ids) for cell, ids in articles.items()},
                   {code: len(ids) for code, ids in countries.items() if code})

    def articles_near(self, lat: float, lon: float) -> int:
        return self.articles_by_cell.get(cell_of(lat, lon), 0)

    def articles_around(self, lat: float, lon: float) -> int:
        """Articles settling a place within ``AROUND_CELLS`` cells each way (about a degree): the region."""
        row, column = cell_of(lat, lon)
        return sum(self.articles_by_cell.get((r, c), 0) for r in range(row - AROUND_CELLS, row + AROUND_CELLS + 1)
                   for c in range(column - AROUND_CELLS, column + AROUND_CELLS + 1))

    def region_of(self, event: Event) -> PlaceCandidate | Event | None:
        """For a variant spelling in a text that names nothing else: its place or the one namesake in
        whose region the collection happens (``MIN_ARTICLES`` or more, ``RATIO`` times any other's)."""
        candidates = [event, *(c for c in event.namesakes)]
        counts = sorted(((self.articles_around(c.lat, c.lon), i) for i, c in enumerate(candidates)), reverse=True)
        best, index = counts[0]
        runner_up = counts[1][0] if len(counts) > 1 else 0
        return candidates[index] if best >= MIN_ARTICLES and best >= RATIO * max(runner_up, 1) else None

    def decide(self, event: Event) -> PlaceCandidate | None:
        """The namesake the collection says the event's text meant, if not the one chosen; else None."""
        if not event.namesakes:
            return None
        here = self.articles_near(event.lat, event.lon)
        counts = sorted(((self.articles_near(c.lat, c.lon), i) for i, c in enumerate(event.namesakes)), reverse=True)
        best, index = counts[0]
        runner_up = max([here] + [n for n, _ in counts[1:]])
        if best >= MIN_ARTICLES and best >= RATIO * max(runner_up, 1):
            return event.namesakes[index]
        return self._country_of(event)

    def _country_of(self, event: Event) -> PlaceCandidate | None:
        """Where no cell settles it: the namesake in the country the collection happens in, when the one
        chosen lies in a country where it does not at all ("Tawila" among reports from Darfur is not Yemen's
        At Tawilah): ``MIN_ARTICLES`` or more settled there, ``RATIO`` times any other namesake's country's."""
        if self.articles_by_country.get(event.country_code, 0):
            return None  # the collection happens there too: the text's own choice stands
        best_of: dict[str, PlaceCandidate] = {}
        for candidate in event.namesakes:  # (in the order the text scored them)
            if candidate.country_code and candidate.country_code != event.country_code:
                best_of.setdefault(candidate.country_code, candidate)
        if not best_of:
            return None
        counts = sorted(((self.articles_by_country.get(code, 0), code) for code in best_of), reverse=True)
        best, code = counts[0]
        runner_up = max([n for n, _ in counts[1:]], default=0)
        return best_of[code] if best >= MIN_ARTICLES and best >= RATIO * max(runner_up, 1) else None


def settled(event: Event) -> bool:
    """A town or village the text itself placed: stated in the event's sentence, no namesake left open."""
    return not event.namesakes and not event.tentative and event.place_basis == "stated" and event.feature in _POINTS


def confirmed(theatre: Theatre | None, lat: float, lon: float) -> bool:
    """Whether a tentative place (a variant spelling in a text naming nothing else) lies where the
    collection happens: ``MIN_ARTICLES`` articles or more settle a place in its cell."""
    return theatre is not None and theatre.articles_near(lat, lon) >= MIN_ARTICLES


def settle(events: Sequence[Event], theatre: Theatre | None) -> list[Event]:
    """``events`` with every place the text left open decided by the collection, where it is clear; an
    event at a tentative place is kept only where the collection confirms it (with no collection, never)."""
    out = []
    for e in events:
        if e.tentative:  # where the collection happens: at its place, or in the region of one namesake
            where = e if confirmed(theatre, e.lat, e.lon) else theatre.region_of(e) if theatre is not None else None
            if where is not None:
                out.append(replace(e if where is e else _moved(e, where), tentative=False))
            continue
        chosen = theatre.decide(e) if theatre is not None else None
        out.append(e if chosen is None else _moved(e, chosen))
    return out


def settle_places(places: Sequence[PlaceMention], before: Sequence[Event], after: Sequence[Event],
                  theatre: Theatre | None) -> list[PlaceMention]:
    """The article's place mentions moved as its events were (a mention of a moved event's place goes with
    it), and its tentative ones kept only where the collection confirms them."""
    now = {e.id: e for e in after}  # (a moved event keeps its id)
    moves = {(b.place, round(b.lat, 5), round(b.lon, 5)): now[b.id] for b in before
             if b.id in now and (now[b.id].lat, now[b.id].lon) != (b.lat, b.lon)}
    kept = {(b.place, round(b.lat, 5), round(b.lon, 5)) for b in before if b.tentative and b.id in now}
    out = []
    for p in places:
        moved = moves.get((p.name, round(p.lat, 5), round(p.lon, 5)))
        if p.tentative:
            if confirmed(theatre, p.lat, p.lon) or moved is not None or (p.name, round(p.lat, 5), round(p.lon, 5)) in kept:
                p = replace(p, tentative=False)
            else:
                continue
        out.append(p if moved is None else replace(
            p, name=moved.place, lat=moved.lat, lon=moved.lon, country_code=moved.country_code,
            feature=moved.feature, geonameid=moved.geonameid, namesakes=()))
    return out


def _moved(event: Event, chosen: PlaceCandidate) -> Event:
    """The event at ``chosen``; its id stays the one its text gave (corrections and links keep to it)."""
    old = PlaceCandidate(name=event.place, lat=event.lat, lon=event.lon, country_code=event.country_code,
                         feature=event.feature, geonameid=event.geonameid)
    others = tuple(c for c in event.namesakes if c is not chosen) + (old,)
    return replace(event, lat=chosen.lat, lon=chosen.lon, place=chosen.name,
                   country_code=chosen.country_code, feature="city" if chosen.feature == "capital" else chosen.feature,
                   geonameid=chosen.geonameid,
                   namesakes=others)
