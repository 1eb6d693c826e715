"""Offline place recognition and geocoding.

    >>> from dashboard.pipeline.places import find_places
    >>> [(p.text, p.name, p.country_code) for p in find_places("Fighters fled Raqqa for Deir ez-Zor.")]
    [('Raqqa', 'Raqqa', 'SY'), ('Deir ez-Zor', 'Deir ez-Zor', 'SY')]

``find_places`` looks only inside ``spans`` (the article's content sentences) when they are given.
``load_gazetteer`` is the one loader of the index; ``OfflineGazetteer`` is the same data as a geopy
geocoder, and ``make_geocoder`` switches to Nominatim or Photon (rate-limited, cached, retried).
"""
from __future__ import annotations

from collections.abc import Sequence

from dashboard.geocoders.gazetteer import Gazetteer, load_gazetteer, name_key
from dashboard.geocoders.offline import OfflineGazetteer, make_geocoder
from dashboard.pipeline.places.recognise import Recogniser
from dashboard.pipeline.places.resolve import Resolver
from dashboard.records import PlaceMention

__all__ = ["find_places", "load_gazetteer", "OfflineGazetteer", "make_geocoder", "Gazetteer", "name_key"]


def find_places(text: str, spans: Sequence[tuple[int, int]] | None = None, *, gazetteer: Gazetteer | None = None,
                demonyms: bool = True) -> list[PlaceMention]:
    """The place names in ``text`` (inside ``spans`` when given), each resolved to one place.

    Offsets are ``str`` indices into ``text``. Bad input (not a string, empty, binary junk) gives ``[]``
    or the places that can be read, never an exception.
    """
    if not isinstance(text, str) or not text:
        return []
    gazetteer = gazetteer or load_gazetteer()
    if spans is not None:
        spans = _merged(spans)
    matches = Recogniser(gazetteer, demonyms=demonyms).find(text, spans)
    return Resolver(gazetteer).resolve(matches, text)


def _merged(spans) -> list[tuple[int, int]]:
    """Spans in text order, overlapping ones joined (a place is reported once even if two spans hold it)."""
    merged: list[list[int]] = []
    for start, end in sorted((int(a), int(b)) for a, b in spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]
