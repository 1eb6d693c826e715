"""Places recognised offline, resolved by an online geocoder (Nominatim or Photon), when the setting asks.

Off by default: the offline gazetteer both recognises and resolves. With

    NEWS_DASHBOARD_GEOCODER=nominatim NEWS_DASHBOARD_GEOCODER_DOMAIN=nominatim.example.org \\
        python -m dashboard build

names are still RECOGNISED offline (the gazetteer knows what is a place name in running text), then each
distinct name of an article is RESOLVED once through the online geocoder (``make_geocoder``: rate-limited,
retried on timeouts, 429 and 5xx, cached on disk), with the article's country as a bias::

    >>> # mentions = find_places(text); geocode = make_geocoder("nominatim", domain="...")
    >>> # resolve_online(mentions, geocode, country_hint="SY")
    >>> # -> "Palmyra" asked as "Palmyra, Syria" (the article is about Syria), then bare if that finds nothing

A name the service cannot answer (every retry failed, or it knows no such place) is kept but marked
``resolved=False``: it has no honest point, so it makes no event, and ``extract`` lists it with null
coordinates. The failure is not cached, so the next build asks again.

Further settings (a self-hosted service can take more than the public one's 1 request/s):
``NEWS_DASHBOARD_GEOCODER_CACHE`` (the SQLite cache file), ``NEWS_DASHBOARD_GEOCODER_MIN_DELAY`` (seconds
between requests, default 1), ``NEWS_DASHBOARD_GEOCODER_RETRIES`` (default 3),
``NEWS_DASHBOARD_GEOCODER_RETRY_WAIT`` (first wait after a failure, doubled each time, default 2) and
``NEWS_DASHBOARD_GEOCODER_TIMEOUT`` (seconds per request, default 10).
"""
from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from geopy.location import Location

from dashboard import settings
from dashboard.core.countries import country_name
from dashboard.geocoders.offline import make_geocoder
from dashboard.records import PlaceCandidate, PlaceMention

log = logging.getLogger(__name__)

# What an online answer's type says about its precision (Nominatim's addresstype/type, Photon's type).
_PRECISION_OF_TYPE = {
    "country": "country",
    "state": "admin", "province": "admin", "region": "admin", "county": "admin", "state_district": "admin",
    "administrative": "admin", "district": "admin", "municipality": "admin",
    "city": "city", "town": "city", "village": "city", "hamlet": "city", "suburb": "city",
    "neighbourhood": "city", "quarter": "city", "borough": "city", "locality": "city",
}
_FEATURE_OF_PRECISION = {"country": "country", "admin": "admin1", "city": "city", "point": "point"}


def _answer_details(location: Location) -> tuple[str, str | None, str]:
    """(name, country code or None, type) from a Nominatim or Photon answer's raw record."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    properties = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}  # Photon (GeoJSON)
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}  # Nominatim, addressdetails
    name = (raw.get("name") or properties.get("name") or (location.address or "").split(",")[0]).strip()
    country = (address.get("country_code") or properties.get("countrycode") or raw.get("country_code") or "")
    kind = (raw.get("addresstype") or properties.get("type") or raw.get("type") or "").lower()
    return name, (country.upper() or None), kind


def unresolved(mention: PlaceMention, resolver: str, reason: str) -> PlaceMention:
    """The mention without a point: kept (it is a place name in the text) but placing nothing.
    ``reason`` is "service failed" (every retry failed: worth asking again) or "not found"."""
    return replace(mention, lat=math.nan, lon=math.nan, resolved=False, resolver=resolver, confidence=0.0,
                   unresolved_reason=reason)


def _online_mention(mention: PlaceMention, location: Location, resolver: str,
                    asked_country: str | None) -> PlaceMention:
    name, country, kind = _answer_details(location)
    if not kind:  # the answer does not say what it is: as precise as the name recognised offline
        precision = mention.precision
    else:
        precision = _PRECISION_OF_TYPE.get(kind, "country" if mention.precision == "country" else "point")
    offline_choice = PlaceCandidate(name=mention.name, lat=mention.lat, lon=mention.lon,
                                    country_code=mention.country_code, feature=mention.feature,
                                    geonameid=mention.geonameid, source="geonames")
    return replace(mention, name=name or mention.name, lat=float(location.latitude), lon=float(location.longitude),
                   # a bare answer without its country: the one the query named, else the offline one's
                   country_code=country or asked_country or mention.country_code,
                   feature=_FEATURE_OF_PRECISION[precision] if kind else mention.feature,
                   geonameid=None,  # an online place has no GeoNames id; the event id then uses its point
                   precision=precision, resolved=True, resolver=resolver,
                   alternatives=(offline_choice,) + tuple(mention.alternatives))


def article_country(mentions: Sequence[PlaceMention]) -> str | None:
    """The country an article names most (by its places' countries), the bias for its online queries."""
    counts = Counter(m.country_code for m in mentions if m.country_code and m.resolved)
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [(None, 0)]
    return best if n > rest[0][1] else None  # a tie is no bias


def resolve_online(mentions: Sequence[PlaceMention], geocode: Callable[..., Location | None],
                   country_hint: str | None = None) -> list[PlaceMention]:
    """Each recognised place resolved through ``geocode`` (one query per distinct name in the article).

    ``country_hint`` (an ISO code) biases the query: "Palmyra" in an article about Syria is asked as
    "Palmyra, Syria" first and bare only if that finds nothing. Names the service does not answer come
    back with ``resolved=False`` and no coordinates.
    """
    resolver = getattr(geocode, "service", "online")
    hint_name = country_name(country_hint)
    answers: dict[str, tuple[Location | None, str | None, bool]] = {}
    failed: list[str] = []
    for mention in mentions:
        key = " ".join(mention.name.split()).casefold()
        if key in answers:
            continue
        location, asked_country, failures_before = None, None, len(failed)
        biased = hint_name and mention.feature != "country" and key != hint_name.casefold()
        if biased:
            location, asked_country = _ask(geocode, f"{mention.name}, {hint_name}", failed), country_hint.upper()
        if location is None:
            location, asked_country = _ask(geocode, mention.name, failed), None
        answers[key] = (location, asked_country, len(failed) > failures_before)
    out = []
    for mention in mentions:
        location, asked_country, service_failed = answers[" ".join(mention.name.split()).casefold()]
        if location is not None:
            out.append(_online_mention(mention, location, resolver, asked_country))
        else:
            out.append(unresolved(mention, resolver, "service failed" if service_failed else "not found"))
    lost = sorted({m.name for m in out if m.unresolved_reason == "service failed"})
    if lost:
        log.warning("%s failed after every retry: %d place name(s) left unresolved (asked again next time): %s",
                    resolver, len(lost), ", ".join(lost[:10]))
    return out


def _ask(geocode, query: str, failed: list[str]) -> Location | None:
    # Nominatim names the answer's country only when asked (it does not change which place is found)
    options = {"addressdetails": True} if str(getattr(geocode, "service", "")).startswith("nominatim:") else {}
    try:
        location = geocode(query, **options)
    except Exception as err:  # a geocoder that raises (not one of ours) costs this name, not the article
        log.warning("geocoding %r failed: %s", query, err)
        failed.append(query)
        return None
    if isinstance(location, list):
        location = location[0] if location else None
    if getattr(geocode, "last_failed", False):  # CachedGeocode: the service failed on this very query
        failed.append(query)
    if location is not None and not (math.isfinite(location.latitude) and math.isfinite(location.longitude)):
        return None
    return location


_GEOCODERS: dict[settings.GeocoderSetting, Callable] = {}


def geocoder_setting() -> str:
    """Which resolver the environment selects ("offline", "nominatim:host"): part of the pipeline version,
    so switching geocoders re-analyses the articles instead of reusing results resolved the other way."""
    return settings.geocoder_setting().resolver


def online_geocoder() -> Callable[..., Location | None] | None:
    """The online geocoder the environment asks for (made once per setting), or None when offline."""
    setting = settings.geocoder_setting()
    if setting.kind == "offline":
        return None
    if setting not in _GEOCODERS:
        _GEOCODERS[setting] = make_geocoder(
            setting.kind, domain=setting.domain, scheme=setting.scheme, cache_path=setting.cache,
            min_delay_seconds=setting.min_delay, max_retries=setting.retries,
            error_wait_seconds=setting.retry_wait, timeout=setting.timeout)
    return _GEOCODERS[setting]
