"""Gazetteer candidates for a place correction: the places a typed name may mean, ranked, with their
distance from the event's current point.

>>> found = place_candidates("Palmyra", (35.95, 39.01), country_code="SY")
>>> candidate_label(found[0])  # doctest: +ELLIPSIS
'Palmyra, SY (...) · ... km away'
"""
from __future__ import annotations

import functools
import math

from geopy.distance import geodesic

from dashboard.geocoders.gazetteer import PRECISION_OF_FEATURE
from dashboard.geocoders.offline import OfflineGazetteer
from dashboard.records import PlaceCandidate


def candidate_change(candidate: PlaceCandidate) -> dict:
    """The change of a place correction that picks this candidate (``correction_log.place_change`` checks it)."""
    return {"place": candidate.name, "lat": candidate.lat, "lon": candidate.lon,
            "country_code": candidate.country_code, "feature": candidate.feature, "geonameid": candidate.geonameid,
            "place_precision": PRECISION_OF_FEATURE.get(candidate.feature, "point")}


def candidate_label(candidate: PlaceCandidate) -> str:
    """A candidate in words: 'Palmyra, SY (city, pop. 51,323) · 245 km away'."""
    c = candidate
    where = f"{c.name}, {c.country_code}" if c.country_code else c.name
    far = "" if c.distance_km is None else f" · {c.distance_km:,.0f} km away"
    return f"{where} ({c.feature}{', pop. ' + format(c.population, ',') if c.population else ''}){far}"


@functools.lru_cache(maxsize=1)
def _geocoder() -> OfflineGazetteer:
    return OfflineGazetteer()


def place_candidates(query: str, near: tuple[float, float] | None = None, limit: int = 10, *,
                     country_code: str = "") -> list[PlaceCandidate]:
    """The places a typed name may mean, from the offline geocoder (``OfflineGazetteer.geocode`` with
    ``exactly_one=False``, so an online geopy geocoder could stand in), each with its distance from
    ``near`` (the event's current point).

    The geocoder's order (what follows a comma narrows it: "Palmyra, New York"), except that, unless the
    query names its own country or province, candidates in the event's country (``country_code``) come
    first; and within that, the name exactly as typed ("Palmyra" before "Tadmur", the same town under
    its GeoNames name).
    """
    query = " ".join(str(query or "").split())[:200]
    if not query:
        return []
    locations = _geocoder().geocode(query, exactly_one=False) or []
    typed = query.split(",")[0].strip().casefold()
    qualified = "," in query

    def rank(location) -> tuple:
        raw = location.raw
        return (not qualified and bool(country_code) and raw.get("country_code") != country_code,
                str(raw.get("name", "")).casefold() != typed)

    ranked = []
    for location in sorted(locations, key=rank)[:limit]:  # stable: the geocoder's order within each rank
        raw = location.raw
        lat, lon = float(location.latitude), float(location.longitude)
        distance = None
        if near is not None and all(v is not None and math.isfinite(v) for v in near):
            distance = geodesic(near, (lat, lon)).km
        ranked.append(PlaceCandidate(str(raw.get("name") or location.address), lat, lon,
                                     str(raw.get("country_code") or ""), str(raw.get("feature") or ""),
                                     raw.get("geonameid"), int(raw.get("population") or 0),
                                     source=str(raw.get("source") or ""), distance_km=distance))
    return ranked


def event_place_candidates(event: dict, limit: int = 10) -> list[PlaceCandidate]:
    """Other places an event's place could be: the gazetteer candidates of each place mention of its
    source sentences and of its place name, those in the event's country first, with their distances
    from the current point; the current place itself is left out."""
    near = (event.get("lat"), event.get("lon"))
    country = str(event.get("country_code") or "")
    names = [m.get("text") for p in event.get("provenance") or [] for m in p.get("mentions") or []
             if m.get("kind") == "place"] + [event.get("place")]
    out: list[PlaceCandidate] = []
    seen = set()
    for name in dict.fromkeys(n for n in names if n):
        for cand in place_candidates(name, near, limit, country_code=country):
            key = (cand.name, round(cand.lat, 3), round(cand.lon, 3))
            current = cand.name == event.get("place") and cand.distance_km is not None and cand.distance_km < 1
            if key in seen or current:
                continue
            seen.add(key)
            out.append(cand)
    out.sort(key=lambda c: bool(country) and c.country_code != country)  # stable: mention order within
    return out[:limit]
