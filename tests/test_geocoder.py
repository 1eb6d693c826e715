"""The gazetteer as a geopy geocoder, and the online path against a local Nominatim-speaking server."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.distance import great_circle
from geopy.geocoders.base import Geocoder
from geopy.exc import GeocoderQueryError, GeocoderRateLimited, GeocoderUnavailable
from geopy.location import Location

from dashboard.geocoders.gazetteer import load_gazetteer
from dashboard.geocoders.offline import GeocodeCache, OfflineGazetteer, RetryingGeocode, make_geocoder


@pytest.fixture(scope="module")
def offline():
    return OfflineGazetteer(load_gazetteer())


def test_offline_geocoder_is_a_geopy_geocoder(offline):
    assert isinstance(offline, Geocoder)
    location = offline.geocode("Mosul")
    assert isinstance(location, Location)
    assert great_circle(location.point, (36.34, 43.12)).km < 10
    assert location.raw["country_code"] == "IQ" and location.raw["geonameid"] == 99072
    assert "Iraq" in location.address


def test_offline_geocoder_qualifiers_and_lists(offline):
    assert offline.geocode("Kerman, Iran").raw["country_code"] == "IR"
    palmyra = offline.geocode("Palmyra, New York")
    assert palmyra.raw["country_code"] == "US" and great_circle(palmyra.point, (43.06, -77.23)).km < 30
    assert offline.geocode("Palmyra").raw["country_code"] == "SY"
    many = offline.geocode("Palmyra", exactly_one=False)
    assert isinstance(many, list) and len(many) > 3 and all(isinstance(x, Location) for x in many)
    assert offline.geocode("Washington").raw["feature"] == "capital"
    assert offline.geocode("Camp Bucca").raw["feature"] == "prison"
    assert offline.geocode("Mosul", country_codes=["SY"]) is None


def test_offline_geocoder_unknown_and_bad_queries(offline):
    assert offline.geocode("Xqzzyville Nowhere") is None
    assert offline.geocode("") is None
    assert offline.geocode(None) is None
    assert offline.geocode("", exactly_one=False) == []


def test_make_geocoder_offline_is_the_default():
    geocode = make_geocoder()
    assert geocode("Raqqa").raw["country_code"] == "SY"
    with pytest.raises(ValueError, match="unknown geocoder"):
        make_geocoder("google")


class NominatimStub(BaseHTTPRequestHandler):
    """Speaks enough of the Nominatim /search API; a script of status codes per query drives faults."""

    script: dict[str, list[int]] = {}
    calls: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        type(self).calls.append(query)
        statuses = type(self).script.get(query, [])
        status = statuses.pop(0) if statuses else 200
        if url.path != "/search":
            status = 404
        if status != 200:
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(b"busy")
            return
        body = [] if query == "Nowhere" else [{
            "place_id": 1, "lat": "36.335", "lon": "43.11889", "display_name": f"{query}, Nineveh, Iraq",
            "class": "place", "type": "city", "importance": 0.7}]
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    NominatimStub.script, NominatimStub.calls = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), NominatimStub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def online(server, tmp_path, **options):
    return make_geocoder("nominatim", domain=server, scheme="http", cache_path=tmp_path / "geocode.sqlite",
                         min_delay_seconds=0.01, error_wait_seconds=0.01, timeout=5, **options)


def test_nominatim_answers_are_cached_on_disk(server, tmp_path):
    geocode = online(server, tmp_path)
    location = geocode("Mosul")
    assert isinstance(location, Location) and round(location.latitude, 2) == 36.34
    assert geocode("Mosul").address == location.address
    assert NominatimStub.calls == ["Mosul"]  # the second answer came from the cache
    again = online(server, tmp_path)  # a new process would read the same file
    assert again("Mosul").address == location.address
    assert NominatimStub.calls == ["Mosul"]
    assert again("Nowhere") is None and again("Nowhere") is None
    assert NominatimStub.calls == ["Mosul", "Nowhere"]  # "not found" is an answer, cached too


def test_rate_limits_and_server_errors_are_retried(server, tmp_path):
    NominatimStub.script = {"Raqqa": [429, 503, 500]}
    geocode = online(server, tmp_path, max_retries=3)
    location = geocode("Raqqa")
    assert location is not None and NominatimStub.calls == ["Raqqa"] * 4


def test_when_every_retry_fails_the_place_stays_unresolved_and_uncached(server, tmp_path):
    NominatimStub.script = {"Hajin": [503, 503, 503]}
    geocode = online(server, tmp_path, max_retries=2)
    assert geocode("Hajin") is None
    assert NominatimStub.calls == ["Hajin"] * 3
    assert geocode("Hajin") is not None  # asked again: the failure was not remembered
    assert NominatimStub.calls == ["Hajin"] * 4


def test_a_bad_request_is_not_retried(server, tmp_path):
    NominatimStub.script = {"Mosul": [400]}
    geocode = online(server, tmp_path, max_retries=3)
    assert geocode("Mosul") is None
    assert NominatimStub.calls == ["Mosul"]


def test_the_cache_survives_a_second_writer(tmp_path):
    first, second = GeocodeCache(tmp_path / "c.sqlite"), GeocodeCache(tmp_path / "c.sqlite")
    first.put("nominatim:x", "Mosul", Location("Mosul, Iraq", (36.3, 43.1), {"a": 1}))
    hit, location = second.get("nominatim:x", "Mosul")
    assert hit and location.address == "Mosul, Iraq" and location.raw == {"a": 1}
    assert second.get("nominatim:x", "Raqqa") == (False, None)


class PhotonStub(BaseHTTPRequestHandler):
    """Speaks enough of Photon's /api (GeoJSON features)."""

    def do_GET(self):  # noqa: N802
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        payload = json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [38.28, 34.56]},
            "properties": {"name": query, "country": "Syria", "countrycode": "SY"}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_photon_is_one_setting_away(tmp_path, monkeypatch):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PhotonStub)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("NEWS_DASHBOARD_GEOCODER", "photon")
        monkeypatch.setenv("NEWS_DASHBOARD_GEOCODER_DOMAIN", f"127.0.0.1:{httpd.server_address[1]}")
        monkeypatch.setenv("NEWS_DASHBOARD_GEOCODER_SCHEME", "http")
        geocode = make_geocoder(cache_path=tmp_path / "g.sqlite", min_delay_seconds=0.01, error_wait_seconds=0.01)
        location = geocode("Palmyra")
        assert geocode.service.startswith("photon:")
        assert round(location.latitude, 2) == 34.56 and round(location.longitude, 2) == 38.28
    finally:
        httpd.shutdown()
        httpd.server_close()


class FlakyService:
    """A geocode callable that fails with the given errors, in order, then answers."""

    def __init__(self, *errors):
        self.errors, self.queries = list(errors), []

    def __call__(self, query, **options):
        self.queries.append(query)
        if self.errors:
            raise self.errors.pop(0)
        return Location(f"{query}, Iraq", (36.3, 43.1), {})


def test_retries_wait_longer_each_time_and_as_long_as_a_429_asks():
    waits = []
    service = FlakyService(GeocoderUnavailable("503"), GeocoderUnavailable("503"),
                           GeocoderRateLimited("429", retry_after=7), GeocoderUnavailable("timeout"))
    geocode = RetryingGeocode(service, max_retries=4, first_wait_seconds=0.5, sleep=waits.append)
    assert geocode("Tal Afar").address == "Tal Afar, Iraq"
    assert waits == [0.5, 1.0, 7.0, 4.0] and service.queries == ["Tal Afar"] * 5


def test_the_last_failure_is_raised_and_a_bad_query_is_asked_once():
    waits = []
    with pytest.raises(GeocoderUnavailable, match="third"):
        RetryingGeocode(FlakyService(*(GeocoderUnavailable(n) for n in ("first", "second", "third"))),
                        max_retries=2, first_wait_seconds=1, sleep=waits.append)("Baiji")
    assert waits == [1, 2]
    bad = FlakyService(GeocoderQueryError("400"))
    with pytest.raises(GeocoderQueryError):
        RetryingGeocode(bad, max_retries=5, sleep=waits.append)("Baiji")
    assert bad.queries == ["Baiji"]
