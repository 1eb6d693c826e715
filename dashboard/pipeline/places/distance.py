"""Great-circle distances between gazetteer entries and points, exact as geopy's and cheap enough for
every candidate of every name."""
from __future__ import annotations

import math

import numpy as np
from geopy.distance import EARTH_RADIUS as EARTH_RADIUS_KM

from dashboard.geocoders.index import Gazetteer


def nearest_km(g: Gazetteer, entries, others) -> dict[int, float]:
    """For each candidate entry, the great-circle distance to the nearest of the article's other places.
    Most names have a candidate or two and a few other places: plain floats then; one numpy matrix past
    ``SMALL_MATRIX`` pairs (the numbers are only compared with ``NEAR_KM`` and ``AROUND_KM``)."""
    if not others or not entries:
        return {}
    if len(entries) * len(others) <= SMALL_MATRIX:
        return _nearest_km_small(g, entries, others)
    lat1 = np.radians(np.fromiter((g.lats[e] for e in entries), dtype=float, count=len(entries)))[:, None]
    lon1 = np.radians(np.fromiter((g.lons[e] for e in entries), dtype=float, count=len(entries)))[:, None]
    lat2 = np.radians(np.array([lat for lat, _ in others], dtype=float))[None, :]
    lon2 = np.radians(np.array([lon for _, lon in others], dtype=float))[None, :]
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return dict(zip(entries, km.min(axis=1).tolist()))


SMALL_MATRIX = 64  # pairs of places below which Python floats beat numpy's call overhead


def _nearest_km_small(g: Gazetteer, entries, others) -> dict[int, float]:
    """The haversine of the matrix below, pair by pair; the other places' radians and cosines once."""
    sin, cos, radians = math.sin, math.cos, math.radians
    there = [(radians(lat), radians(lon)) for lat, lon in others]
    there = [(lat, lon, cos(lat)) for lat, lon in there]
    out = {}
    for e in entries:
        lat1, lon1 = radians(g.lats[e]), radians(g.lons[e])
        cos1 = cos(lat1)
        a = min(sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * sin((lon2 - lon1) / 2) ** 2 for lat2, lon2, cos2 in there)
        out[e] = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))  # the nearest: haversine grows with a
    return out


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """geopy's ``great_circle(a, b).km``, the same formula and the same floats, without making two geopy
    Points per pair (this runs for every alternative of every name).

    >>> from geopy.distance import great_circle
    >>> great_circle_km(36.2, 37.16, 35.95, 39.01) == great_circle((36.2, 37.16), (35.95, 39.01)).km
    True
    """
    lat1, lng1, lat2, lng2 = math.radians(lat1), math.radians(lon1), math.radians(lat2), math.radians(lon2)
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    sin_lat2, cos_lat2 = math.sin(lat2), math.cos(lat2)
    delta_lng = lng2 - lng1
    cos_delta_lng, sin_delta_lng = math.cos(delta_lng), math.sin(delta_lng)
    d = math.atan2(math.sqrt((cos_lat2 * sin_delta_lng) ** 2 + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2),
                   sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng)
    return EARTH_RADIUS_KM * d
