"""Bring your own articles: check uploaded files and save them into the uploads corpus.

The uploads corpus (default ``data/uploads/``) is a corpus folder like ``data/corpus/``: article files
plus a ``metadata.json`` (publication date, title, URL per article id, see ``editing.metadata``). The build
reads both folders. Every file gets a message of its own, saved or refused, naming the file and the problem:

    >>> # result = save_uploads([("report.txt", data)], "data/uploads", metadata={"published": "2017-06-06"})
    >>> # [str(m) for m in result.messages]
    >>> # ['report.txt: saved as report.txt (1 article)']

What is refused, and why:

* a name that is not an article file (``.txt .md .html .jsonl .csv``, a ``.zip`` of them, or a
  ``metadata.json``/``metadata.csv``); a name is reduced to its last part and to safe characters first,
  so ``../../etc/passwd`` can only ever become ``passwd`` inside the uploads folder (and is refused as
  not an article file);
* a file over ``max_file_bytes``; files beyond ``max_files`` or ``max_batch_bytes`` in one upload
  (``editing.limits``);
* bytes that are not text (``decode_bytes`` raises), a CSV without a ``text`` column, a JSONL without
  one readable line: nothing to load;
* zips that are bombs, and zip entries that climb out, are links or are encrypted (``editing.zips``).

A saved file never replaces another: a same-named file with other content is saved as ``name-2.txt``
(and the message says so); the same content again is reported as already there (and its metadata is
recorded again, so a re-run after a crash repairs what the crash cut short).
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import itertools
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterable, Iterator

from dashboard.core.files import file_lock
from dashboard.editing.limits import LIMITS, FileMessage, UploadLimits, UploadResult, over_file_limit, size_text
from dashboard.editing.metadata import metadata_in_file, write_folder_metadata
from dashboard.editing.zips import ZIP_SUFFIX, zip_entries
from dashboard.store.corpus import (ARTICLE_SUFFIXES, METADATA_NAMES, TABLE_SUFFIXES, LoadProblem, content_hash,
                                    read_article_file, read_metadata, safe_id)

ACCEPTED_SUFFIXES = tuple(sorted({*ARTICLE_SUFFIXES, *TABLE_SUFFIXES, ZIP_SUFFIX}))
MAX_NAME_CHARS = 100


# ---------------------------------------------------------------------------------------------- names
def sanitise_name(name: str) -> str:
    """The last part of a client-given name, in safe characters, never empty, never hidden.

    >>> sanitise_name("../../etc/passwd"), sanitise_name("C:\\\\Users\\\\x\\\\Report (2).TXT"), sanitise_name("..")
    ('passwd', 'Report_2.txt', 'upload')
    """
    # accents dropped (résumé -> resume) so that the name is also the article id the corpus derives
    text = unicodedata.normalize("NFKD", str(name or "")).replace("\x00", "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    last = PureWindowsPath(PurePosixPath(text.replace("\\", "/")).name).name
    stem, dot, suffix = last.rpartition(".")
    if not dot:
        stem, suffix = last, ""
    stem = re.sub(r"[^\w\-]+", "_", stem, flags=re.ASCII).strip("._-")
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix).lower()[:10]
    stem = stem[:MAX_NAME_CHARS] or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def _names(safe: str) -> Iterator[str]:
    stem, suffix = Path(safe).stem, Path(safe).suffix
    yield safe
    for n in range(2, 1000):
        yield f"{stem}-{n}{suffix}"


def _strip_path(problem: LoadProblem, staged: Path) -> str:
    """A loader problem without the staging path (the user knows the file by its own name)."""
    where = problem.path.replace(str(staged), "").strip()
    return f"{where} {problem.problem}".strip() if where else problem.problem


# ---------------------------------------------------------------------------------------------- saving
BATCH_FILES = 200  # files staged before their metadata is written and they are linked into the folder


@dataclass
class _Planned:
    """A checked file waiting in the staging folder for its name in the uploads folder."""

    staged: Path
    target: Path
    digest: str
    message_index: int


class _Saver:
    """One upload under the folder's lock. Files are staged, then written in batches: the batch's
    metadata first (atomically), then each file linked under its free name. So a crash at any point
    never leaves a file without its metadata, and a re-run (which records the metadata of files already
    there) completes what was cut short."""

    def __init__(self, folder: Path, staging: Path, form_meta: dict, limits: UploadLimits, taken: set[str]):
        self.folder, self.staging, self.form_meta, self.limits = folder, staging, form_meta, limits
        self.taken = taken | {safe_id(p.stem) for p in folder.iterdir() if _suffix(p.name) in ARTICLE_SUFFIXES}
        self.result = UploadResult()
        self.meta_updates: dict[str, dict] = {}
        self.planned: list[_Planned] = []
        self.reserved: dict[str, str] = {}  # file name -> content hash of a planned file
        self.files = self.bytes = 0

    def add(self, item: tuple[str, bytes] | FileMessage) -> None:
        if isinstance(item, FileMessage):
            self.result.messages.append(item)
            return
        name, data = item
        if _suffix(sanitise_name(name)) != ZIP_SUFFIX:
            self._take(name, data)
            return
        too_big = over_file_limit(name, len(data), self.limits)
        if too_big:
            self.result.messages.append(too_big)
            return
        entries, refused = zip_entries(name, data, self.limits)
        self.result.messages.extend(refused)
        for entry, content in entries:
            self._take(entry, content)

    def _take(self, name: str, data: bytes) -> None:
        safe = sanitise_name(name)
        self.files += 1
        if self.files > self.limits.max_files:
            message = FileMessage(name, False, f"refused: over the limit of {self.limits.max_files} files per upload")
        else:
            message = _check_one(name, safe, data, self.limits, self.bytes)
        if message is None:
            self.bytes += len(data)
            if safe.lower() in METADATA_NAMES:
                message = _take_metadata_file(name, safe, data, self.staging, self.meta_updates)
            else:
                message = self._plan(name, safe, data)
        self.result.messages.append(message)
        if len(self.planned) >= BATCH_FILES:
            self.commit()

    def _plan(self, name: str, safe: str, data: bytes) -> FileMessage:
        staged = Path(tempfile.mkdtemp(dir=self.staging)) / safe
        staged.write_bytes(data)
        articles, problems = read_article_file(staged, self.form_meta or None)
        if not articles:
            why = "; ".join(_strip_path(p, staged) for p in problems) or "nothing to load"
            return FileMessage(name, False, f"refused: {why}")
        single = _suffix(safe) in ARTICLE_SUFFIXES
        found, notes = metadata_in_file(articles[0].text, _suffix(safe)) if single else ({}, [])
        meta = {**found, **self.form_meta}  # what the user typed in the form wins over the file
        digest = content_hash(data)
        candidate, renamed = self._free_name(safe, digest, single)
        if candidate is None:
            return FileMessage(name, False, "refused: no free file name left for it in the uploads folder")
        ids = (safe_id(Path(candidate).stem),) if single else tuple(a.id for a in articles)
        if renamed is None:  # the same content is there already: its metadata is recorded (again)
            if meta:
                self.meta_updates[ids[0]] = {**self.meta_updates.get(ids[0], {}), **meta}
            return FileMessage(name, True, f"already uploaded as {candidate}; not added again")
        self.taken.update(ids)
        self.reserved[candidate] = digest
        if meta:
            self.meta_updates[ids[0]] = meta
        self.planned.append(_Planned(staged, self.folder / candidate, digest, len(self.result.messages)))
        warnings = "".join(f"; {_strip_path(p, staged)}" for p in problems) + "".join(f"; {n}" for n in notes)
        from_file = [k for k in found if k not in self.form_meta]
        what = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
        if from_file:
            what += f"; {', '.join(from_file)} from the file"
        return FileMessage(name, True, f"saved as {candidate}{renamed} ({what}){warnings}", candidate, ids)

    def _free_name(self, safe: str, digest: str, single: bool) -> tuple[str | None, str | None]:
        """(file name, note on a rename); the note is None when the same content is there already."""
        renamed = ""
        for candidate in _names(safe):
            target = self.folder / candidate
            if candidate in self.reserved or target.exists():
                existing = self.reserved.get(candidate)
                if existing is None:
                    with contextlib.suppress(OSError):
                        existing = content_hash(target.read_bytes())
                if existing == digest:
                    return candidate, None
                renamed = renamed or f" (a different {candidate} is there already)"
                continue
            if single and safe_id(Path(candidate).stem) in self.taken:
                # the article id is used by another file: the build would skip this one as a duplicate
                renamed = renamed or f" (an article {safe_id(Path(candidate).stem)!r} exists already)"
                continue
            return candidate, renamed
        return None, ""

    def commit(self) -> None:
        """The batch's metadata, then its files: a file never appears in the folder without its metadata."""
        if self.meta_updates:
            write_folder_metadata(self.folder, self.meta_updates)
            self.meta_updates = {}
        for planned in self.planned:
            try:
                os.link(planned.staged, planned.target)  # fails if the name was taken meanwhile: never overwrites
            except FileExistsError:
                shown = self.result.messages[planned.message_index].name
                self.result.messages[planned.message_index] = FileMessage(
                    shown, False, f"refused: {planned.target.name} appeared in the uploads folder meanwhile; "
                                  f"add it again")
            self.reserved.pop(planned.target.name, None)
        self.planned = []


def save_uploads(files: Iterable[tuple[str, bytes] | FileMessage], uploads_dir: str | Path, *,
                 metadata: dict | None = None, limits: UploadLimits = LIMITS,
                 taken_ids: Iterable[str] = ()) -> UploadResult:
    """Check and save uploaded files into ``uploads_dir``; one message per file (and per zip entry).

    ``files`` are (name as given, bytes); a FileMessage among them (a file that could not even be read)
    is passed through. ``metadata`` (from ``check_metadata``: published, title, url) is recorded for
    each single-article file of this upload. ``taken_ids`` are article ids already used by other corpora:
    a file whose id would clash is saved under a new name instead of being skipped by the build.
    """
    folder = Path(uploads_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with file_lock(folder.parent / f".{folder.name}.lock"):  # one writer per folder: the app's jobs, `add`
        for abandoned in folder.parent.glob(f".{folder.name}.staging-*"):  # left by a killed upload
            shutil.rmtree(abandoned, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-", dir=folder.parent))
        try:
            saver = _Saver(folder, staging, dict(metadata or {}), limits, set(taken_ids))
            for item in files:  # consumed one by one: a folder of the command line is never all in memory
                saver.add(item)
            saver.commit()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return saver.result


def _check_one(name: str, safe: str, data: bytes, limits: UploadLimits, batch_bytes: int) -> FileMessage | None:
    suffix = _suffix(safe)
    if safe.lower() not in METADATA_NAMES and suffix not in ARTICLE_SUFFIXES and suffix not in TABLE_SUFFIXES:
        return FileMessage(name, False, f"refused: not an article file (expected {', '.join(ACCEPTED_SUFFIXES)})")
    too_big = over_file_limit(name, len(data), limits)
    if too_big:
        return too_big
    if batch_bytes + len(data) > limits.max_batch_bytes:
        return FileMessage(name, False, f"refused: the upload would pass {size_text(limits.max_batch_bytes)} in all")
    return None


def _take_metadata_file(name: str, safe: str, data: bytes, staging: Path,
                        meta_updates: dict[str, dict]) -> FileMessage:
    """An uploaded metadata.json/.csv: its rows become metadata of the uploads corpus."""
    folder = Path(tempfile.mkdtemp(dir=staging))
    (folder / safe.lower()).write_bytes(data)
    problems: list[LoadProblem] = []
    rows = read_metadata(folder, problems)
    if problems or not rows:
        why = problems[0].problem if problems else "no rows with an 'id'"
        return FileMessage(name, False, f"refused: metadata not readable ({why})")
    for article_id, row in rows.items():
        meta = {k: row[k] for k in ("published", "title", "url", "outlet") if row.get(k)}
        meta_updates[safe_id(article_id)] = {**meta_updates.get(safe_id(article_id), {}), **meta}
    return FileMessage(name, True, f"metadata for {len(rows)} article(s) recorded")


# ---------------------------------------------------------------------------------------------- inputs
def files_from_paths(paths: Iterable[str | Path]) -> Iterator[tuple[str, bytes] | FileMessage]:
    """Files, folders (every file inside, recursively) and zips named on the command line."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not inside:
                yield FileMessage(str(path), False, "refused: the folder has no files")
            for file in inside:
                yield from _read_path(file)
        elif path.exists():
            yield from _read_path(path)
        else:
            yield FileMessage(str(path), False, "refused: no such file or folder")


def _read_path(path: Path) -> Iterator[tuple[str, bytes] | FileMessage]:
    try:
        size = path.stat().st_size
        too_big = over_file_limit(str(path), size, LIMITS)  # do not read a huge file only to refuse it
        if too_big:
            yield too_big
            return
        yield str(path), path.read_bytes()
    except OSError as err:
        yield FileMessage(str(path), False, f"refused: not readable ({err.strerror or err})")


def files_from_browser(contents, filenames,
                       max_bytes: int = LIMITS.max_file_bytes) -> list[tuple[str, bytes] | FileMessage]:
    """``dcc.Upload``'s ``contents`` (data URLs, base64) and ``filename`` lists as (name, bytes)."""
    if isinstance(contents, str):
        contents, filenames = [contents], [filenames]
    if not isinstance(contents, list):
        return []
    names = filenames if isinstance(filenames, list) else []
    out: list[tuple[str, bytes] | FileMessage] = []
    for content, name in itertools.zip_longest(contents, names[:len(contents)]):
        shown = str(name or "unnamed file")
        if not isinstance(content, str) or "," not in content:
            out.append(FileMessage(shown, False, "refused: the browser sent no readable content"))
            continue
        encoded = content.split(",", 1)[1]
        too_big = over_file_limit(shown, len(encoded) * 3 // 4, UploadLimits(max_file_bytes=max_bytes))
        if too_big:
            out.append(too_big)
            continue
        try:
            out.append((shown, base64.b64decode(encoded, validate=True)))
        except (binascii.Error, ValueError):
            out.append(FileMessage(shown, False, "refused: the browser sent damaged content (not base64)"))
    return out
