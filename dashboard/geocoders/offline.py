"""The gazetteer as a geopy geocoder, and the switch to Nominatim or Photon.

``OfflineGazetteer`` has geopy's one signature, so swapping in an online service is one setting::

    >>> from dashboard.pipeline.places import make_geocoder
    >>> geocode = make_geocoder("offline")
    >>> location = geocode("Kerman, Iran")
    >>> (location.raw["country_code"], round(location.latitude))
    ('IR', 30)

``make_geocoder("nominatim", domain="nominatim.example.org")`` (or ``"photon"``) returns the same kind of
callable for a service: wrapped in geopy's ``RateLimiter`` (one request per ``min_delay_seconds``;
timeouts, 429 and 5xx retried with exponential backoff, honouring ``Retry-After``), with a persistent
cache on disk (SQLite, one transaction per answer, so a crash never leaves it half-written). A query whose
every retry failed comes back ``None`` (left unresolved) and is not cached, so the next run asks again.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from geopy.exc import (GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges, GeocoderQueryError,
                       GeocoderQuotaExceeded, GeocoderRateLimited, GeocoderServiceError)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Photon
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from dashboard.geocoders.gazetteer import Gazetteer, cache_dir, load_gazetteer, name_key, prior

log = logging.getLogger(__name__)

KINDS = ("offline", "nominatim", "photon")
NOT_RETRIED = (GeocoderQueryError, GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges,
               GeocoderQuotaExceeded)


class OfflineGazetteer(Geocoder):
    """The offline gazetteer behind geopy's ``Geocoder`` interface.

    ``geocode("Mosul")`` gives the most likely Mosul; ``geocode("Palmyra, New York")`` the one in New York
    (everything after the first comma narrows the choice: a country, a state or province);
    ``exactly_one=False`` gives every candidate, best first.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, user_agent: str | None = None):
        super().__init__(user_agent=user_agent or "news-dashboard-offline")
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def geocode(self, query, exactly_one=True, timeout=None, *, country_codes=None):
        if isinstance(query, dict):  # geopy's structured query form
            query = ", ".join(str(v) for v in query.values() if v)
        if not isinstance(query, str) or not query.strip():
            return None if exactly_one else []
        g = self.gazetteer
        parts = [p.strip() for p in query.split(",") if p.strip()]
        entries = g.lookup(name_key(query))
        qualifiers: list[int] = []
        if not entries and parts:
            entries = g.lookup(name_key(parts[0]))
            for part in parts[1:]:
                qualifiers.extend(e for e in g.lookup(name_key(part))
                                  if g.features[e] in ("country", "admin1"))
        if not entries:
            from dashboard.pipeline.places import find_places  # a sentence rather than a name: recognise first

            mentions = find_places(query, gazetteer=g)
            if not mentions:
                return None if exactly_one else []
            entries = g.lookup(name_key(mentions[0].name)) or ()
            if not entries:
                return None if exactly_one else []
        wanted = {c.upper() for c in ([country_codes] if isinstance(country_codes, str) else country_codes or [])}
        if wanted:
            entries = tuple(e for e in entries if g.country_codes[e] in wanted)

        # as in resolution: a bare province name that is also its capital's ("Kerman") means the city
        capitals_of = {g.admin1[e] for e in entries if g.features[e] in ("city", "capital")
                       and g.admin1[e] and g.populations[e] >= 20_000}

        def rank(entry: int) -> float:
            score = prior(g, entry)
            if g.features[entry] == "admin1" and g.admin1[entry] in capitals_of:
                score -= 2.5
            for q in qualifiers:
                if (g.features[q] == "country" and g.country_codes[q] == g.country_codes[entry]) or \
                        (g.features[q] == "admin1" and g.admin1[q] and g.admin1[q] == g.admin1[entry]):
                    score += 10
            return score

        ranked = sorted(entries, key=lambda e: -rank(e))
        locations = [self._location(e) for e in ranked]
        if not locations:
            return None if exactly_one else []
        return locations[0] if exactly_one else locations

    def _location(self, entry: int) -> Location:
        g = self.gazetteer
        country = g.country_entry.get(g.country_codes[entry])
        address = g.names[entry]
        if country is not None and country != entry:
            address = f"{address}, {g.names[country]}"
        raw = {"name": g.names[entry], "lat": g.lats[entry], "lon": g.lons[entry],
               "country_code": g.country_codes[entry], "feature": g.features[entry],
               "geonameid": g.geonameids[entry] or None, "population": g.populations[entry],
               "source": g.sources[entry]}
        return Location(address, (g.lats[entry], g.lons[entry]), raw)


class BackoffRateLimiter(RateLimiter):
    """geopy's RateLimiter, waiting longer after each failure (x2), and as long as a 429 asks."""

    def __call__(self, *args, **kwargs):
        gen = self._retries_gen(args, kwargs)
        wait = self.error_wait_seconds
        for _ in gen:
            self._acquire_request_slot()
            try:
                return self.func(*args, **kwargs)
            except self._retry_exceptions as error:
                if isinstance(error, NOT_RETRIED):  # a bad query or key will not get better by asking again
                    gen.close()
                    return self._handle_exc(args, kwargs)
                if gen.throw(error):
                    return self._handle_exc(args, kwargs)
                retry_after = getattr(error, "retry_after", None) if isinstance(error, GeocoderRateLimited) else None
                self._sleep(max(wait, float(retry_after or 0)))
                wait *= 2
        raise RuntimeError("not reached")  # pragma: no cover


class GeocodeCache:
    """Answers of an online geocoder kept on disk: ``(service, query) -> location or 'not found'``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS answers (service TEXT, query TEXT, answer TEXT, saved REAL,"
                       " PRIMARY KEY (service, query))")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")  # atomic commits; readers never see half an answer
        return db

    def get(self, service: str, query: str):
        """(True, Location or None) when cached, (False, None) when not."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT answer FROM answers WHERE service=? AND query=?", (service, query)).fetchone()
        if row is None:
            return False, None
        answer = json.loads(row[0])
        if answer is None:
            return True, None
        return True, Location(answer["address"], (answer["lat"], answer["lon"]), answer.get("raw") or {})

    def put(self, service: str, query: str, location: Location | None) -> None:
        answer = None if location is None else {
            "address": location.address, "lat": location.latitude, "lon": location.longitude,
            "raw": location.raw if isinstance(location.raw, dict) else {}}
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                       (service, query, json.dumps(answer, default=str), time.time()))


class CachedGeocode:
    """``geocode(query) -> Location | None``: from the cache, else from the (rate-limited) service."""

    def __init__(self, geocoder: Geocoder, service: str, cache: GeocodeCache | None, limiter):
        self.geocoder = geocoder
        self.service = service
        self.cache = cache
        self._limited = limiter

    def __call__(self, query: str, **kwargs) -> Location | None:
        if self.cache is not None:
            hit, location = self.cache.get(self.service, query)
            if hit:
                return location
        location = self._limited(query, **kwargs) if self._limited else self.geocoder.geocode(query, **kwargs)
        if isinstance(location, list):
            location = location[0] if location else None
        if self.cache is not None and not getattr(self._limited, "last_failed", False):
            self.cache.put(self.service, query, location)
        return location


class _FailureAwareLimiter(BackoffRateLimiter):
    """Remembers whether the last call gave up after all retries (so that answer is not cached)."""

    last_failed = False

    def _handle_exc(self, args, kwargs):
        self.last_failed = True
        return super()._handle_exc(args, kwargs)

    def __call__(self, *args, **kwargs):
        self.last_failed = False
        return super().__call__(*args, **kwargs)


def make_geocoder(kind: str | None = None, domain: str | None = None, cache_path: str | Path | None = None, *,
                  scheme: str | None = None, user_agent: str = "news-dashboard (offline-first news geocoding)",
                  min_delay_seconds: float = 1.0, max_retries: int = 3, error_wait_seconds: float = 2.0,
                  timeout: float = 10.0, gazetteer: Gazetteer | None = None) -> CachedGeocode:
    """A ``geocode(query)`` callable: the offline gazetteer (default) or Nominatim / Photon.

    ``domain`` points at a self-hosted service ("localhost:8080", with ``scheme="http"``). Online answers are
    cached in ``cache_path`` (default: ``<cache>/geocode.sqlite``); the offline geocoder needs no cache.
    Without arguments the setting comes from the environment: ``NEWS_DASHBOARD_GEOCODER`` (offline,
    nominatim, photon), ``NEWS_DASHBOARD_GEOCODER_DOMAIN`` and ``NEWS_DASHBOARD_GEOCODER_SCHEME``.
    """
    if kind is None:
        kind = os.environ.get("NEWS_DASHBOARD_GEOCODER", "offline").strip().lower() or "offline"
        domain = domain or os.environ.get("NEWS_DASHBOARD_GEOCODER_DOMAIN") or None
        scheme = scheme or os.environ.get("NEWS_DASHBOARD_GEOCODER_SCHEME") or None
    if kind not in KINDS:
        raise ValueError(f"unknown geocoder {kind!r}: use one of {', '.join(KINDS)}")
    if kind == "offline":
        return CachedGeocode(OfflineGazetteer(gazetteer), "offline", None, None)
    options = {"user_agent": user_agent, "timeout": timeout}
    if scheme:
        options["scheme"] = scheme
    if kind == "nominatim":
        geocoder = Nominatim(domain=domain or "nominatim.openstreetmap.org", **options)
    else:
        geocoder = Photon(domain=domain or "photon.komoot.io", **options)
    limiter = _FailureAwareLimiter(
        geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
        error_wait_seconds=max(error_wait_seconds, min_delay_seconds), swallow_exceptions=True,
        return_value_on_exception=None)
    limiter._retry_exceptions = (GeocoderServiceError,)  # timeouts, 429, 5xx (and other service errors)
    cache = GeocodeCache(cache_path or cache_dir() / "geocode.sqlite")
    service = f"{kind}:{geocoder.domain}"
    return CachedGeocode(geocoder, service, cache, limiter)
