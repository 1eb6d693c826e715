"""The events store on disk: the one place that writes it.

A store path ``P`` (default ``data/store``) is a symbolic link to one complete *generation*, a directory
in ``P.generations/`` laid out as ``dashboard/store/schema.py`` describes (events as Parquet parts, articles,
manifest, per-article cache). A build writes a new generation beside the current one and then swaps the
link with one atomic ``rename``: a failed or killed build leaves the previous store whole, and readers
never see half a store. Builds take a lock, so two cannot interleave. Old generations are pruned.

Per-article results are cached by a key of (text hash, metadata, pipeline version), so a rebuild
processes only new or changed articles and copies (hard-links) the rest.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from dashboard.core.files import fsync_folder
from dashboard.records import Event, Mention, PlaceCandidate, Provenance
from dashboard.store.schema import (ARTICLES_FILE, ARTICLES_SCHEMA, CACHE_DIR, EVENTS_DIR, EVENTS_SCHEMA,
                              MANIFEST_FILE)

ROWS_PER_PART = 250_000  # rows per Parquet part
ROW_BATCH = 20_000  # rows converted from dicts at a time


class StoreError(Exception):
    """A store that cannot be read or written, with the reason in words."""


# --- events <-> rows ---------------------------------------------------------------------------------
def provenance_to_dict(p: Provenance) -> dict:
    return {"article_id": p.article_id, "sentence": p.sentence, "start": p.start, "end": p.end,
            "mentions": [{"kind": m.kind, "text": m.text, "start": m.start, "end": m.end} for m in p.mentions],
            "published": p.published, "title": p.title, "url": p.url}


def _shared(value):
    """One string object per distinct short value (article ids, titles, urls, place names): a build
    holds them for hundreds of thousands of events."""
    return sys.intern(value) if isinstance(value, str) and len(value) < 500 else value


def provenance_from_dict(d: dict, sentence: str | None = None) -> Provenance:
    text = d["sentence"]
    return Provenance(article_id=_shared(d["article_id"]), sentence=sentence if sentence == text else text,
                      start=d["start"], end=d["end"],
                      mentions=tuple(Mention(_shared(m["kind"]), m["text"], m["start"], m["end"])
                                     for m in d.get("mentions", [])),
                      published=_shared(d.get("published")), title=_shared(d.get("title")),
                      url=_shared(d.get("url")))


def event_to_row(e: Event, corrected: bool = False) -> dict:
    return {
        "id": e.id, "start_date": e.start_date, "end_date": e.end_date, "time_precision": e.time_precision,
        "lat": e.lat, "lon": e.lon, "place": e.place, "place_precision": e.place_precision,
        "country_code": e.country_code, "event_type": e.event_type, "fatalities": e.fatalities,
        "sentence": e.sentence, "start": e.start, "end": e.end, "sources": list(e.sources),
        "n_sources": len(e.sources), "confidence": e.confidence, "time_basis": e.time_basis,
        "place_basis": e.place_basis, "geonameid": e.geonameid, "feature": e.feature,
        "provenance": json.dumps([provenance_to_dict(p) for p in e.provenance], ensure_ascii=False),
        "corrected": corrected,
    }


def event_from_row(row: dict) -> Event:
    def day(value):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])

    sentence = row["sentence"]
    return Event(
        id=row["id"], start_date=day(row["start_date"]), end_date=day(row["end_date"]),
        time_precision=_shared(row["time_precision"]), lat=float(row["lat"]), lon=float(row["lon"]),
        place=_shared(row["place"]), place_precision=_shared(row["place_precision"]),
        country_code=_shared(row["country_code"] or ""), event_type=_shared(row["event_type"]),
        fatalities=row.get("fatalities"), sentence=sentence, start=int(row["start"]), end=int(row["end"]),
        sources=tuple(_shared(s) for s in row["sources"]),
        provenance=tuple(provenance_from_dict(p, sentence) for p in _provenance_list(row["provenance"])),
        confidence=float(row["confidence"]), time_basis=_shared(row["time_basis"]),
        place_basis=_shared(row["place_basis"]), geonameid=row.get("geonameid"),
        feature=_shared(row.get("feature") or ""),
    )


def _provenance_list(value) -> list:
    return value if isinstance(value, list) else json.loads(value or "[]")


def event_to_json(e: Event) -> dict:
    """An event as plain JSON (dates as ISO strings, provenance as objects): for caches and the CLI."""
    row = event_to_row(e)
    row["start_date"], row["end_date"] = e.start_date.isoformat(), e.end_date.isoformat()
    row["provenance"] = json.loads(row["provenance"])
    if e.namesakes:  # kept in the cache for the build's theatre (pipeline/theatre.py), not in the store
        row["namesakes"] = [[c.name, c.lat, c.lon, c.country_code, c.feature, c.geonameid] for c in e.namesakes]
    if e.tentative:
        row["tentative"] = True
    return row


def event_from_json(d: dict) -> Event:
    event = event_from_row(d)  # provenance already a list: no round trip through a JSON string
    if d.get("tentative"):
        event = replace(event, tentative=True)
    if d.get("namesakes"):
        event = replace(event, namesakes=tuple(
            PlaceCandidate(name=n, lat=float(la), lon=float(lo), country_code=cc, feature=f, geonameid=gid)
            for n, la, lo, cc, f, gid in d["namesakes"]))
    return event


# --- locations ---------------------------------------------------------------------------------------
def generations_dir(store: Path) -> Path:
    return store.parent / f"{store.name}.generations"


def current_generation(store: str | Path) -> Path | None:
    """The directory holding the current store, or None when there is no store yet.

    A plain directory at ``store`` (for instance one made by bench/gen_events.py) is read as it is.
    """
    store = Path(store)
    if store.is_symlink():
        target = store.resolve()
        return target if target.is_dir() else None
    if store.is_dir() and (store / EVENTS_DIR).is_dir():
        return store
    return None


def read_manifest(store: str | Path) -> dict:
    gen = current_generation(store)
    if gen is None:
        return {}
    try:
        return json.loads((gen / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- reading -------------------------------------------------------------------------------------------
def read_events(store: str | Path) -> list[Event]:
    return [event_from_row(r) for r in read_event_rows(store)]


def read_event_rows(store: str | Path) -> list[dict]:
    gen = current_generation(store)
    if gen is None:
        raise StoreError(f"{store}: no events store here; run `python -m dashboard build` first")
    rows = []
    for part in sorted((gen / EVENTS_DIR).glob("*.parquet")):
        rows.extend(read_parquet(part).to_pylist())
    return rows


def read_articles(store: str | Path) -> list[dict]:
    gen = current_generation(store)
    if gen is None or not (gen / ARTICLES_FILE).exists():
        return []
    return read_parquet(gen / ARTICLES_FILE).to_pylist()


def read_parquet(path: Path) -> pa.Table:
    """One Parquet file of the store; a file that does not read is a ``StoreError`` naming it."""
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as err:
        raise StoreError(damage_message(path, _first_line(err))) from None


# --- damage --------------------------------------------------------------------------------------------
# A generation's manifest records each Parquet file's size and SHA-256 ("files"), so a file truncated or
# changed after the build is found: by its size and footer at every command, by its checksum at `build`.
def damage_message(path: Path, why: str) -> str:
    return (f"{path}: damaged ({why}); run `python -m dashboard build` to rebuild the store from its "
            f"per-article cache")


def file_records(generation: Path) -> dict[str, dict]:
    """{path inside the generation: {"bytes", "sha256"}} of every Parquet file, for the manifest."""
    return {name: {"bytes": (generation / name).stat().st_size, "sha256": _sha256(generation / name)}
            for name in _parquet_names(generation)}


def damaged_files(generation: Path, *, checksums: bool = False) -> list[tuple[Path, str]]:
    """(file, why) for each Parquet file of the generation that is missing, of another size than the
    manifest records, without a readable footer or (``checksums``) of another SHA-256; [] when whole."""
    try:
        recorded = json.loads((generation / MANIFEST_FILE).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        recorded = None
    recorded = recorded if isinstance(recorded, dict) else {}  # a store built before checksums: footers only
    recorded = {name: value for name, value in recorded.items() if _RECORDED_NAME.fullmatch(name)}
    found = []
    for name in sorted(set(recorded) | set(_parquet_names(generation))):
        path, expected = generation / name, recorded.get(name)
        expected = expected if isinstance(expected, dict) else {}
        if not (isinstance(expected.get("bytes"), int) and isinstance(expected.get("sha256"), str)):
            expected = {}  # a hand-edited manifest: the footer check still holds
        try:
            size = path.stat().st_size
            if expected.get("bytes") not in (None, size):
                found.append((path, f"{size:,} bytes where the build wrote {expected['bytes']:,}"))
                continue
            pq.ParquetFile(path).metadata  # the footer, which a truncated file has lost
            if checksums and expected.get("sha256") not in (None, _sha256(path)):
                found.append((path, "its checksum differs from the one the build recorded"))
        except FileNotFoundError:
            found.append((path, "the file is missing"))
        except (OSError, pa.ArrowException) as err:
            found.append((path, _first_line(err)))
    return found


_RECORDED_NAME = re.compile(rf"{EVENTS_DIR}/[\w.-]{{1,100}}\.parquet|{re.escape(ARTICLES_FILE)}")  # never '../x'


def check_store(store: str | Path) -> Path:
    """The current generation when every Parquet file of it reads (sizes and footers); else a
    ``StoreError`` naming the first damaged file (and how many others are)."""
    gen = current_generation(store)
    if gen is None:
        raise StoreError(f"{store}: no events store here; run `python -m dashboard build --store {store}` first")
    damaged = damaged_files(gen)
    if damaged:
        more = f" ({len(damaged) - 1} more damaged file(s))" if len(damaged) > 1 else ""
        raise StoreError(damage_message(*damaged[0]) + more)
    return gen


def _parquet_names(generation: Path) -> list[str]:
    names = [f"{EVENTS_DIR}/{p.name}" for p in sorted((generation / EVENTS_DIR).glob("*.parquet"))]
    return names + ([ARTICLES_FILE] if (generation / ARTICLES_FILE).exists() else [])


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__).replace(" Either the file is corrupted or this is not a "
                                                               "parquet file.", "")


def cached_result(store: str | Path, key: str) -> dict | None:
    """The cached per-article result for ``key`` in the current generation, if any."""
    gen = current_generation(store)
    if gen is None:
        return None
    path = gen / CACHE_DIR / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: the article is simply processed again


# --- writing -------------------------------------------------------------------------------------------
@contextlib.contextmanager
def build_lock(store: str | Path) -> Iterator[None]:
    """Hold the store's build lock; a second concurrent build fails at once with a clear message."""
    gens = generations_dir(Path(store))
    gens.mkdir(parents=True, exist_ok=True)
    with open(gens / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{store}: another build is writing this store right now") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class GenerationWriter:
    """Writes one new generation; ``commit()`` makes it the store, anything else leaves no trace.

    >>> # with build_lock(store):
    >>> #     writer = GenerationWriter(store); writer.put_cache(key, result); ...
    >>> #     writer.commit(events, articles, manifest)
    """

    def __init__(self, store: str | Path):
        self.store = Path(store)
        self.gens = generations_dir(self.store)
        self.gens.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(self.gens)
        stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}-{os.getpid()}"
        self.name = f"gen-{stamp}"
        self.tmp = self.gens / f"tmp-{self.name}"
        (self.tmp / EVENTS_DIR).mkdir(parents=True)
        (self.tmp / CACHE_DIR).mkdir()
        self.previous = current_generation(self.store)

    def put_cache(self, key: str, result: dict) -> None:
        path = self.tmp / CACHE_DIR / f"{key}.json"
        path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")

    def reuse_cache(self, key: str) -> bool:
        """Carry an unchanged article's cached result over from the previous generation."""
        if self.previous is None:
            return False
        source = self.previous / CACHE_DIR / f"{key}.json"
        target = self.tmp / CACHE_DIR / f"{key}.json"
        try:
            os.link(source, target)  # cache files are never modified in place, so sharing is safe
        except FileExistsError:
            return True
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError:
                return False
        return True

    def commit(self, event_rows: Iterable[dict], article_rows: list[dict], manifest: dict) -> Path:
        """Write the generation and make it the store. Rows are written in bounded batches, so the
        rows of a large corpus never all sit in memory as Python dicts at once."""
        self._write_events(event_rows)
        pq.write_table(pa.Table.from_pylist(article_rows, schema=ARTICLES_SCHEMA), self.tmp / ARTICLES_FILE)
        manifest = {**manifest, "files": file_records(self.tmp)}
        (self.tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1, default=str), encoding="utf-8")
        _fsync_tree(self.tmp)
        final = self.gens / self.name
        os.rename(self.tmp, final)
        try:
            previous = self._swap_link(final)
        except BaseException:
            if current_generation(self.store) != final.resolve():  # never made current: it would be an orphan
                shutil.rmtree(final, ignore_errors=True)
            raise
        _prune(self.gens, keep={final.name, previous.name if previous else final.name})
        return final

    def _write_events(self, event_rows: Iterable[dict]) -> None:
        """Parts of up to ROWS_PER_PART rows, each filled ROW_BATCH rows at a time (always one part,
        even an empty one, so that readers find the schema)."""
        part, in_part, writer, batch = 0, 0, None, []

        def flush() -> None:
            nonlocal writer, part, in_part, batch
            if writer is None:
                writer = pq.ParquetWriter(self.tmp / EVENTS_DIR / f"part-{part:05d}.parquet", EVENTS_SCHEMA)
            writer.write_table(pa.Table.from_pylist(batch, schema=EVENTS_SCHEMA))
            in_part, batch = in_part + len(batch), []
            if in_part >= ROWS_PER_PART:
                writer.close()
                writer, part, in_part = None, part + 1, 0

        try:
            for row in event_rows:
                batch.append(row)
                if len(batch) >= min(ROW_BATCH, ROWS_PER_PART - in_part):
                    flush()
            if batch or (writer is None and part == 0):
                flush()
        finally:
            if writer is not None:
                writer.close()

    def _swap_link(self, final: Path) -> Path | None:
        """Point the store link at ``final``; returns the generation it pointed at before (None if none)."""
        previous = self.previous
        if self.store.exists() and not self.store.is_symlink():
            # a plain directory store (e.g. a synthetic one): keep it as an old generation
            previous = self.gens / f"gen-legacy-{time.time_ns()}"
            os.rename(self.store, previous)
        link_tmp = self.store.parent / f".{self.store.name}.link-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link_tmp.unlink()
        try:
            os.symlink(os.path.relpath(final, self.store.parent), link_tmp)
            os.replace(link_tmp, self.store)  # atomic: readers see the old store or the new one
        except BaseException:
            with contextlib.suppress(OSError):
                link_tmp.unlink()
            raise
        fsync_folder(self.store.parent)
        return previous

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*.parquet"):
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())
    for path in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        fsync_folder(path)


def _remove_abandoned(gens: Path) -> None:
    """Half-written generations of builds that were killed (we hold the lock, so none is live)."""
    for path in gens.glob("tmp-gen-*"):
        shutil.rmtree(path, ignore_errors=True)


def _prune(gens: Path, keep: set[str]) -> None:
    """Remove every generation but ``keep`` (the new one and the one before it): older ones, and orphans
    that a build killed between its rename and its link swap left behind (we hold the build lock)."""
    for path in gens.glob("gen-*"):
        if path.is_dir() and not path.is_symlink() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def iter_rows_jsonable(rows: Iterable[dict]) -> Iterator[dict]:
    """Event rows with dates as ISO strings and provenance decoded, for JSON output."""
    for row in rows:
        out = dict(row)
        for key in ("start_date", "end_date"):
            if isinstance(out.get(key), dt.date):
                out[key] = out[key].isoformat()
        if isinstance(out.get("provenance"), str):
            out["provenance"] = json.loads(out["provenance"])
        yield out


# --- one generation, found once ------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """The store's current generation, found once: every read of one request or command sees the same
    generation, even if a build swaps the link meanwhile.

    >>> # snapshot = Snapshot.of("data/store"); snapshot.event_row("5c0e1a..."), snapshot.articles()
    """

    store: Path
    generation: Path | None

    @classmethod
    def of(cls, store: str | Path) -> "Snapshot":
        return cls(Path(store), current_generation(store))

    def manifest(self) -> dict:
        try:
            return json.loads((self.generation / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, TypeError, ValueError):
            return {}

    def articles(self) -> list[dict]:
        if self.generation is None or not (self.generation / ARTICLES_FILE).exists():
            return []
        return read_parquet(self.generation / ARTICLES_FILE).to_pylist()

    def _events(self, **scan) -> pa.Table | None:
        """The events table (``scan``: pyarrow's columns/filter), None when there is no store."""
        files = sorted((self.generation / EVENTS_DIR).glob("*.parquet")) if self.generation else []
        if not files:
            return None
        try:
            return ds.dataset([str(f) for f in files], format="parquet").to_table(**scan)
        except (OSError, pa.ArrowException) as err:
            damaged = damaged_files(self.generation) or [(files[0].parent, _first_line(err))]
            raise StoreError(damage_message(*damaged[0])) from None

    def event_row(self, event_id: str) -> dict | None:
        """One event row (provenance still a JSON string), or None."""
        events = self._events(filter=ds.field("id") == event_id)
        rows = events.to_pylist() if events is not None else []
        return rows[0] if rows else None

    def corrected_flags(self) -> list[tuple[str, bool]] | None:
        """(event id, corrected) of every event, None when there is no store."""
        table = self._events(columns=["id", "corrected"])
        if table is None:
            return None
        return list(zip(table.column("id").to_pylist(), table.column("corrected").to_pylist()))
