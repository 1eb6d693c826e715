"""The gazetteer as a geopy geocoder, and the switch to Nominatim or Photon.

``OfflineGazetteer`` has geopy's one signature (the query is a place name, optionally followed by a
qualifier: "Palmyra, New York"), so swapping in an online service is one setting::

    >>> geocode = make_geocoder("offline")
    >>> location = geocode("Kerman, Iran")
    >>> (location.raw["country_code"], round(location.latitude))
    ('IR', 30)

``make_geocoder("nominatim", domain="nominatim.example.org")`` (or ``"photon"``) returns the same kind of
callable for a service, made of wrappers that compose (as geopy's own ``RateLimiter`` does): geopy's
``RateLimiter`` (one request per ``min_delay_seconds``), inside ``RetryingGeocode`` (tenacity: timeouts,
429 and 5xx retried with exponential backoff, honouring ``Retry-After``), inside ``CachedGeocode`` (a
persistent cache on disk (SQLite, one transaction per answer, so a crash never leaves it half-written)). A query whose
every retry failed comes back ``None`` (left unresolved) and is not cached, so the next run asks again.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.exc import (GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges, GeocoderQueryError,
                       GeocoderQuotaExceeded, GeocoderRateLimited, GeocoderServiceError)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Photon
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from dashboard import settings
from dashboard.geocoders.gazetteer import Gazetteer, load_gazetteer, name_key, prior

log = logging.getLogger(__name__)

KINDS = settings.GEOCODER_KINDS
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
        if not entries:  # a name the gazetteer does not know (a sentence is not a query: recognise places first)
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


def is_worth_retrying(error: BaseException) -> bool:
    """Timeouts, 429 and 5xx are asked again; a bad query or key would not get better by asking again."""
    if isinstance(error, GeocoderRateLimited):  # a 429 is a kind of GeocoderQuotaExceeded, but passes
        return True
    return isinstance(error, GeocoderServiceError) and not isinstance(error, NOT_RETRIED)


def retry_wait(first_wait_seconds: float) -> Callable[[RetryCallState], float]:
    """tenacity's exponential wait (``first_wait_seconds``, then x2 each time), or longer if a 429 asks."""
    exponential = wait_exponential(multiplier=first_wait_seconds, exp_base=2)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = getattr(error, "retry_after", None) if isinstance(error, GeocoderRateLimited) else None
        return max(exponential(state), float(asked or 0))

    return wait


class RetryingGeocode:
    """``geocode(query)`` asked again on a failure worth retrying (``is_worth_retrying``), at most
    ``max_retries`` more times; the last failure is raised. It wraps any geocode callable, such as geopy's
    ``RateLimiter``, which then spaces every attempt::

        RetryingGeocode(RateLimiter(Nominatim(user_agent="me").geocode, min_delay_seconds=1), max_retries=3)
    """

    def __init__(self, geocode: Callable[..., Any], *, max_retries: int = 3, first_wait_seconds: float = 2.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.geocode = geocode
        self._retrying = Retrying(retry=retry_if_exception(is_worth_retrying), stop=stop_after_attempt(max_retries + 1),
                                  wait=retry_wait(first_wait_seconds), sleep=sleep, reraise=True)

    def __call__(self, query: str, **options) -> Any:
        return self._retrying(self.geocode, query, **options)


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
    """``geocode(query) -> Location | None``: from the cache, else from ``ask`` (the wrapped service).

    A service error that ``ask`` lets through (every retry failed, or a bad query) is logged and answered
    ``None`` with ``last_failed`` set; that answer is not cached, so the next run asks again.
    """

    def __init__(self, geocoder: Geocoder, service: str, cache: GeocodeCache | None = None,
                 ask: Callable[..., Any] | None = None):
        self.geocoder = geocoder
        self.service = service
        self.cache = cache
        self.ask = ask or geocoder.geocode
        self.last_failed = False  # whether the last call's service failed (a cache hit did not ask)

    def __call__(self, query: str, **options) -> Location | None:
        self.last_failed = False
        if self.cache is not None:
            hit, location = self.cache.get(self.service, query)
            if hit:
                return location
        try:
            location = self.ask(query, **options)
        except GeocoderServiceError as error:
            log.warning("%s could not answer %r: %s", self.service, query, error)
            self.last_failed = True
            return None
        if isinstance(location, list):
            location = location[0] if location else None
        if self.cache is not None:
            self.cache.put(self.service, query, location)
        return location


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
        setting = settings.geocoder_setting()
        kind, domain, scheme = setting.kind, domain or setting.domain, scheme or setting.scheme
    if kind not in KINDS:
        raise ValueError(f"unknown geocoder {kind!r}: use one of {', '.join(KINDS)}")
    if kind == "offline":
        return CachedGeocode(OfflineGazetteer(gazetteer), "offline")
    options = {"user_agent": user_agent, "timeout": timeout}
    if scheme:
        options["scheme"] = scheme
    if kind == "nominatim":
        geocoder = Nominatim(domain=domain or "nominatim.openstreetmap.org", **options)
    else:
        geocoder = Photon(domain=domain or "photon.komoot.io", **options)
    # geopy's RateLimiter only spaces requests (its own retries off); tenacity retries through it
    spaced = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0,
                         swallow_exceptions=False)
    ask = RetryingGeocode(spaced, max_retries=max_retries,
                          first_wait_seconds=max(error_wait_seconds, min_delay_seconds))
    cache = GeocodeCache(cache_path or settings.cache_dir() / "geocode.sqlite")
    return CachedGeocode(geocoder, f"{kind}:{geocoder.domain}", cache, ask)
