"""Every setting in one place: the project's folders and the environment variables that change them.

Nothing else in the package reads ``os.environ`` or works out a folder from ``__file__``. Variables are
read when asked for (a test or a deployer may change them after import); a value that cannot be used is
a ``SettingError`` naming the variable, never a silent default.

| variable | what | default |
| --- | --- | --- |
| ``DASHBOARD_STORE`` | the store that ``dashboard.wsgi`` serves | ``data/store`` |
| ``DASHBOARD_UPLOAD_DIR`` | where ``dashboard.wsgi`` saves articles added in the browser | uploads off |
| ``DASHBOARD_UPLOAD_MAX_FILE_MB``, ``_MAX_FILES``, ``_MAX_TOTAL_MB`` | the browser's upload limits | see editing/limits.py |
| ``DASHBOARD_QUERY_MEMORY_LIMIT`` | DuckDB's memory for the queries ("2GB"): the store is paged from disk | all in memory |
| ``DASHBOARD_TILE_URL`` | an XYZ tile template offered as a second, online basemap | offline map only |
| ``BROWSER_PATH`` | the Chromium or Chrome that draws image exports | the first on PATH |
| ``NEWS_DASHBOARD_CACHE`` | the cache folder (gazetteer index, online answers) | ``$XDG_CACHE_HOME/news-dashboard`` |
| ``NEWS_DASHBOARD_GEOCODER`` | offline, nominatim or photon | offline |
| ``NEWS_DASHBOARD_GEOCODER_DOMAIN``, ``_SCHEME``, ``_CACHE``, ``_MIN_DELAY``, ``_RETRIES``, ``_RETRY_WAIT``, ``_TIMEOUT`` | the online geocoder | see ``GeocoderSetting`` |

>>> import os
>>> os.environ["NEWS_DASHBOARD_GEOCODER_RETRIES"] = "many"
>>> geocoder_setting("nominatim")
Traceback (most recent call last):
...
dashboard.settings.SettingError: NEWS_DASHBOARD_GEOCODER_RETRIES='many': expected a number of zero or more
>>> del os.environ["NEWS_DASHBOARD_GEOCODER_RETRIES"]
>>> geocoder_setting("photon").retries
3
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS_DIR = REPO_ROOT / "assets"
TOPOJSON_DIR = ASSETS_DIR / "topojson"
GAZETTEER_DATA = REPO_ROOT / "data" / "gazetteer"
BOUNDARIES_DATA = REPO_ROOT / "data" / "boundaries"  # admin-1 lines the map draws
DEFAULT_STORE = Path("data/store")  # the events store `build` writes and the app reads
DEFAULT_CORPUS = Path("data/corpus")  # the articles `build` reads when no --corpus is given
DEFAULT_UPLOADS = Path("data/uploads")  # articles added in the browser or with `add`

GEOCODER_KINDS = ("offline", "nominatim", "photon")
UPLOAD_LIMIT_VARIABLES = ("DASHBOARD_UPLOAD_MAX_FILE_MB", "DASHBOARD_UPLOAD_MAX_FILES", "DASHBOARD_UPLOAD_MAX_TOTAL_MB")


class SettingError(ValueError):
    """An environment variable whose value cannot be used; the message names it and its value."""


def environment(name: str) -> str | None:
    """The variable's value without surrounding blanks; None when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None


def number(name: str, default: float, *, positive: bool = False) -> float:
    """The variable as a number of zero or more (above zero with ``positive``), else ``default``."""
    raw = environment(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        expected = "a positive number" if positive else "a number of zero or more"
        raise SettingError(f"{name}={raw!r}: expected {expected}")
    return value


def store_path() -> Path:
    return Path(environment("DASHBOARD_STORE") or DEFAULT_STORE)


def upload_dir() -> Path | None:
    folder = environment("DASHBOARD_UPLOAD_DIR")
    return Path(folder) if folder else None


def upload_limit_overrides() -> dict[str, float]:
    """The upload limits the deployer set, by variable (each a positive number)."""
    return {name: number(name, 0, positive=True) for name in UPLOAD_LIMIT_VARIABLES if environment(name)}


def query_memory_limit() -> str | None:
    return environment("DASHBOARD_QUERY_MEMORY_LIMIT")


def tile_url() -> str | None:
    return environment("DASHBOARD_TILE_URL")


def browser_path() -> str | None:
    return environment("BROWSER_PATH")


def cache_dir() -> Path:
    """The folder for caches that can be rebuilt (the gazetteer index, online geocoder answers)."""
    configured = environment("NEWS_DASHBOARD_CACHE")
    if configured:
        return Path(configured)
    return Path(environment("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-dashboard"


@dataclass(frozen=True)
class GeocoderSetting:
    """Which geocoder resolves places, and how an online one is asked (a self-hosted service can take
    more than the public one's 1 request/s)."""

    kind: str = "offline"
    domain: str | None = None  # e.g. "nominatim.example.org" or "localhost:8080"
    scheme: str | None = None  # "http" for a local service
    cache: str | None = None  # the SQLite file of online answers; None: <cache_dir>/geocode.sqlite
    min_delay: float = 1.0  # seconds between requests
    retries: int = 3
    retry_wait: float = 2.0  # seconds after the first failure, doubled each time
    timeout: float = 10.0  # seconds per request

    @property
    def resolver(self) -> str:
        """"offline" or "nominatim:<domain>": part of the pipeline version, so switching re-analyses."""
        return self.kind if self.kind == "offline" else f"{self.kind}:{self.domain or 'default'}"


def geocoder_setting(kind: str | None = None) -> GeocoderSetting:
    """The geocoder the environment selects (``kind`` overrides ``NEWS_DASHBOARD_GEOCODER``)."""
    kind = (kind or environment("NEWS_DASHBOARD_GEOCODER") or "offline").lower()
    if kind not in GEOCODER_KINDS:
        raise SettingError(f"NEWS_DASHBOARD_GEOCODER={kind!r}: use one of {', '.join(GEOCODER_KINDS)}")
    prefix = "NEWS_DASHBOARD_GEOCODER_"
    return GeocoderSetting(
        kind=kind, domain=environment(prefix + "DOMAIN"), scheme=environment(prefix + "SCHEME"),
        cache=environment(prefix + "CACHE"), min_delay=number(prefix + "MIN_DELAY", 1.0),
        retries=int(number(prefix + "RETRIES", 3)), retry_wait=number(prefix + "RETRY_WAIT", 2.0),
        timeout=number(prefix + "TIMEOUT", 10.0))
