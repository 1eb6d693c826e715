"""Gazetteer candidates for a place correction: the places a typed name may mean, ranked, with their
distance from the event's current point.

>>> [c.label() for c in place_candidates("Palmyra", (35.95, 39.01), country_code="SY")][:1]  # doctest: +ELLIPSIS
['Palmyra, SY (...) · ... km away']
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from geopy.distance import geodesic

from dashboard.geocoders.gazetteer import PRECISION_OF_FEATURE
from dashboard.geocoders.offline import OfflineGazetteer


@dataclass(frozen=True)
class RankedPlace:
    """A gazetteer candidate for a correction, with its distance from the event's current point."""

    name: str
    lat: float
    lon: float
    country_code: str
    feature: str
    geonameid: int | None
    population: int
    distance_km: float | None

    @property
    def place_precision(self) -> str:
        return PRECISION_OF_FEATURE.get(self.feature, "point")

    def change(self) -> dict:
        return {"place": self.name, "lat": self.lat, "lon": self.lon, "country_code": self.country_code,
                "feature": self.feature, "geonameid": self.geonameid, "place_precision": self.place_precision}

    def label(self) -> str:
        where = f"{self.name}, {self.country_code}" if self.country_code else self.name
        far = "" if self.distance_km is None else f" · {self.distance_km:,.0f} km away"
        return f"{where} ({self.feature}{', pop. ' + format(self.population, ',') if self.population else ''}){far}"


@functools.lru_cache(maxsize=1)
def _geocoder() -> OfflineGazetteer:
    return OfflineGazetteer()


def place_candidates(query: str, near: tuple[float, float] | None = None, limit: int = 10, *,
                     country_code: str = "") -> list[RankedPlace]:
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
        ranked.append(RankedPlace(str(raw.get("name") or location.address), lat, lon,
                                  str(raw.get("country_code") or ""), str(raw.get("feature") or ""),
                                  raw.get("geonameid"), int(raw.get("population") or 0), distance))
    return ranked


def event_place_candidates(event: dict, limit: int = 10) -> list[RankedPlace]:
    """Other places an event's place could be: the gazetteer candidates of each place mention of its
    source sentences and of its place name, those in the event's country first, with their distances
    from the current point; the current place itself is left out."""
    near = (event.get("lat"), event.get("lon"))
    country = str(event.get("country_code") or "")
    names = [m.get("text") for p in event.get("provenance") or [] for m in p.get("mentions") or []
             if m.get("kind") == "place"] + [event.get("place")]
    out: list[RankedPlace] = []
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
