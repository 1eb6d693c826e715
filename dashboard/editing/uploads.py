"""Bring your own articles: check uploaded files, save them into the uploads corpus, rebuild the store.

The uploads corpus (default ``data/uploads/``) is a corpus folder like ``data/corpus/``: article files
plus a ``metadata.json`` (publication date, title, URL per article id) that this module keeps. The build
reads both folders. Every file gets a message of its own, saved or refused, naming the file and the problem:

    >>> # result = save_uploads([("report.txt", data)], "data/uploads", metadata={"published": "2017-06-06"})
    >>> # [str(m) for m in result.messages]
    >>> # ['report.txt: saved as report.txt (1 article)']

What is refused, and why:

* a name that is not an article file (``.txt .md .html .jsonl .csv``, a ``.zip`` of them, or a
  ``metadata.json``/``metadata.csv``); a name is reduced to its last part and to safe characters first,
  so ``../../etc/passwd`` can only ever become ``passwd`` inside the uploads folder (and is refused as
  not an article file);
* a file over ``max_file_bytes``; files beyond ``max_files`` or ``max_batch_bytes`` in one upload;
* bytes that are not text (``decode_bytes`` raises), a CSV without a ``text`` column, a JSONL without
  one readable line: nothing to load;
* zips: more than ``max_zip_entries`` entries, a total uncompressed size over ``max_unzipped_bytes``,
  a compression ratio over ``max_zip_ratio`` (a zip bomb: the whole zip is refused before anything is
  unpacked, and an entry that inflates past its declared size stops it too); entries that are zips,
  symlinks, encrypted, or whose path is absolute or climbs out with ``..`` are refused one by one.

Metadata comes from the form (``check_metadata``), or from the file itself: JSONL/CSV columns, an
uploaded ``metadata.json``, an HTML page's head (``<title>``, ``article:published_time``, canonical
link) or a Markdown front matter (``title:``, ``date:``, ``url:``); the form wins where both give one.

A saved file never replaces another: a same-named file with other content is saved as ``name-2.txt``
(and the message says so); the same content again is reported as already there.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import io
import itertools
import json
import os
import queue
import re
import shutil
import stat
import tempfile
import threading
import time
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Callable, Iterable, Iterator

from dashboard.core.files import atomic_write, file_lock
from dashboard.store.corpus import (ARTICLE_SUFFIXES, METADATA_NAMES, TABLE_SUFFIXES, LoadProblem, content_hash,
                              read_article_file, safe_id)

DEFAULT_UPLOADS = Path("data/uploads")
ZIP_SUFFIX = ".zip"
ACCEPTED_SUFFIXES = tuple(sorted({*ARTICLE_SUFFIXES, *TABLE_SUFFIXES, ZIP_SUFFIX}))
MAX_NAME_CHARS = 100
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@dataclass(frozen=True)
class UploadLimits:
    """Size and count limits of one upload (the browser form or one ``add`` command)."""

    max_file_bytes: int = 20 * 1024 * 1024      # one article file (or one zip)
    max_files: int = 200                        # files in one upload, zip entries included
    max_batch_bytes: int = 200 * 1024 * 1024    # all files of one upload, unpacked
    max_zip_entries: int = 1000
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: float = 100.0                # uncompressed / compressed; text zips at 3-10x


LIMITS = UploadLimits()
# The deployer's overrides of the browser's limits, read when the app is made (see ``configured_limits``)
LIMIT_SETTINGS = {"DASHBOARD_UPLOAD_MAX_FILE_MB": "max_file_bytes", "DASHBOARD_UPLOAD_MAX_FILES": "max_files",
                  "DASHBOARD_UPLOAD_MAX_TOTAL_MB": "max_batch_bytes"}


def configured_limits() -> UploadLimits:
    """The browser upload limits: the defaults, or the environment's settings where given.

    >>> # DASHBOARD_UPLOAD_MAX_FILE_MB=5 DASHBOARD_UPLOAD_MAX_FILES=20 python -m dashboard serve

    A setting that is not a positive number is an error naming it (a typo never lifts a limit).
    """
    changes = {}
    for variable, field_name in LIMIT_SETTINGS.items():
        raw = os.environ.get(variable, "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
            if not value > 0 or value != value:
                raise ValueError
        except ValueError:
            raise UploadError(f"{variable}={raw!r}: expected a positive number") from None
        changes[field_name] = int(value * 1_048_576) if variable.endswith("_MB") else int(value)
    return dataclasses.replace(LIMITS, **changes)
# `add` on the command line: the same per-file and zip limits, but a folder may hold many articles
CLI_LIMITS = UploadLimits(max_files=1_000_000, max_batch_bytes=1 << 62)


def size_text(n: int) -> str:
    """A size in words: '64 KB', '1.5 MB', '200 MB'."""
    if n < 1_048_576:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1_048_576:.1f} MB" if n < 10 * 1_048_576 else f"{n // 1_048_576} MB"


@dataclass(frozen=True)
class FileMessage:
    """What happened to one uploaded file (or zip entry): saved or refused, in words."""

    name: str  # as the user gave it ("batch.zip/reports/a.txt")
    ok: bool
    message: str
    saved_as: str | None = None  # file name inside the uploads folder
    article_ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass
class UploadResult:
    messages: list[FileMessage] = field(default_factory=list)

    @property
    def saved(self) -> list[FileMessage]:
        return [m for m in self.messages if m.ok and m.saved_as]

    @property
    def refused(self) -> list[FileMessage]:
        return [m for m in self.messages if not m.ok]

    @property
    def article_ids(self) -> list[str]:
        return [a for m in self.messages if m.ok for a in m.article_ids]


class UploadError(ValueError):
    """An upload that cannot be taken as a whole (e.g. a publication date that is no date)."""


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


# ---------------------------------------------------------------------------------------------- metadata
def check_metadata(published: str | None = None, title: str | None = None, url: str | None = None) -> dict:
    """The form's metadata, checked: a publication date the corpus understands, an http(s) URL.

    Raises UploadError naming the bad value; empty values are left out.
    """
    from dashboard.pipeline.dates import parse_published
    from dashboard.web.provenance import safe_link

    meta: dict = {}
    published = (published or "").strip()
    if published:
        try:
            parse_published(published)
        except ValueError as err:
            raise UploadError(f"publication date {published!r} not understood ({err})") from None
        meta["published"] = published
    title = " ".join((title or "").split())
    if title:
        meta["title"] = title[:300]
    url = (url or "").strip()
    if url:
        if not safe_link(url):
            raise UploadError(f"URL {url!r} is not an http(s) link")
        meta["url"] = url
    return meta


def _folder_lock(folder: Path):
    """One writer at a time per uploads folder (the app's job thread and an ``add`` command)."""
    return file_lock(folder.parent / f".{folder.name}.lock")


def _read_folder_metadata(folder: Path) -> list[dict]:
    path = folder / "metadata.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        # never overwrite a metadata file we cannot read: keep it aside, start a new one
        shutil.copyfile(path, folder.parent / f".{folder.name}.metadata-unreadable-{int(time.time())}.json")
        return []
    if isinstance(rows, dict):
        rows = rows.get("articles", [])
    return [r for r in rows if isinstance(r, dict) and r.get("id")]


def _write_folder_metadata(folder: Path, updates: dict[str, dict]) -> None:
    rows = {str(r["id"]): r for r in _read_folder_metadata(folder)}
    for article_id, meta in updates.items():
        rows[article_id] = {**rows.get(article_id, {}), **meta, "id": article_id}
    with atomic_write(folder / "metadata.json") as out:
        json.dump(list(rows.values()), out, ensure_ascii=False, indent=1)


# ---------------------------------------------------------------------------------------------- zips
def _zip_entries(name: str, data: bytes, limits: UploadLimits) -> tuple[list[tuple[str, bytes]], list[FileMessage]]:
    """A zip's article entries as (display name, bytes), and a message per refused entry.

    A zip bomb (too many entries, too large unpacked, too high a ratio) gives no entries and one message.
    """
    refused: list[FileMessage] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        return [], [FileMessage(name, False, f"refused: not a readable zip ({err})")]
    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.max_zip_entries:
        return [], [FileMessage(name, False, f"refused: the zip has {len(files)} entries, over the limit of "
                                             f"{limits.max_zip_entries}")]
    declared = sum(i.file_size for i in files)
    if declared > limits.max_unzipped_bytes:
        return [], [FileMessage(name, False, f"refused as a zip bomb: it unpacks to {size_text(declared)}, over the "
                                             f"{size_text(limits.max_unzipped_bytes)} limit")]
    if declared > 1_048_576 and declared / max(1, len(data)) > limits.max_zip_ratio:
        return [], [FileMessage(name, False, f"refused as a zip bomb: it unpacks {declared / max(1, len(data)):,.0f} "
                                             f"times its size (limit {limits.max_zip_ratio:g}x)")]
    entries: list[tuple[str, bytes]] = []
    unpacked = 0
    for info in files:
        shown = f"{name}/{info.filename}"
        parts = info.filename.replace("\\", "/").split("/")
        mode = info.external_attr >> 16
        if info.filename.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", info.filename) or ".." in parts:
            refused.append(FileMessage(shown, False, "refused: its path leaves the zip's folder (absolute or '..')"))
            continue
        if stat.S_ISLNK(mode):
            refused.append(FileMessage(shown, False, "refused: a symbolic link, not a file"))
            continue
        if parts[0] == "__MACOSX" or parts[-1].startswith("."):
            refused.append(FileMessage(shown, False, "skipped: a hidden or macOS resource file"))
            continue
        if info.flag_bits & 0x1:
            refused.append(FileMessage(shown, False, "refused: the entry is encrypted"))
            continue
        if _suffix(info.filename) == ZIP_SUFFIX:
            refused.append(FileMessage(shown, False, "refused: zips inside zips are not opened"))
            continue
        if info.file_size > limits.max_file_bytes:
            refused.append(FileMessage(shown, False, f"refused: {size_text(info.file_size)}, over the "
                                                     f"{size_text(limits.max_file_bytes)} limit per file"))
            continue
        try:
            content = _read_bounded(archive, info, min(limits.max_file_bytes, info.file_size))
        except _Inflated:
            return [], [FileMessage(name, False, f"refused as a zip bomb: {info.filename} inflates past its "
                                                 f"declared size")]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as err:
            refused.append(FileMessage(shown, False, f"refused: the entry cannot be unpacked ({err})"))
            continue
        unpacked += len(content)
        if unpacked > limits.max_unzipped_bytes:
            return [], [FileMessage(name, False, f"refused as a zip bomb: it unpacks past the "
                                                 f"{size_text(limits.max_unzipped_bytes)} limit")]
        if content.startswith(ZIP_MAGIC):
            refused.append(FileMessage(shown, False, "refused: zips inside zips are not opened"))
            continue
        entries.append((shown, content))
    return entries, refused


class _Inflated(Exception):
    pass


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read an entry, never more than ``limit`` bytes: a header that lies about the size cannot fill memory."""
    chunks, total = [], 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(65536)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise _Inflated()
            chunks.append(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------------------------------------- saving
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
    result = UploadResult()
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-", dir=folder.parent))
    taken = set(taken_ids) | {safe_id(p.stem) for p in folder.iterdir() if _suffix(p.name) in ARTICLE_SUFFIXES}
    form_meta = dict(metadata or {})
    meta_updates: dict[str, dict] = {}
    counted = {"files": 0, "bytes": 0}

    def take(name: str, data: bytes) -> FileMessage:
        safe = sanitise_name(name)
        counted["files"] += 1
        if counted["files"] > limits.max_files:
            return FileMessage(name, False, f"refused: over the limit of {limits.max_files} files per upload")
        refused = _check_one(name, safe, data, limits, counted["bytes"])
        if refused is not None:
            return refused
        counted["bytes"] += len(data)
        if safe.lower() in METADATA_NAMES:
            return _take_metadata_file(name, safe, data, staging, meta_updates)
        return _save_one(name, safe, data, folder, staging, form_meta, taken, meta_updates)

    try:
        with _folder_lock(folder):
            for item in files:  # consumed one by one: a folder of the command line is never all in memory
                if isinstance(item, FileMessage):
                    result.messages.append(item)
                    continue
                name, data = item
                if _suffix(sanitise_name(name)) != ZIP_SUFFIX:
                    result.messages.append(take(name, data))
                elif len(data) > limits.max_file_bytes:
                    too_big = f"{size_text(limits.max_file_bytes)} limit per file"
                    result.messages.append(FileMessage(name, False, f"refused: {size_text(len(data))}, over the "
                                                                    f"{too_big}"))
                else:
                    entries, refused = _zip_entries(name, data, limits)
                    result.messages.extend(refused)
                    result.messages.extend(take(entry, content) for entry, content in entries)
            if meta_updates:
                _write_folder_metadata(folder, meta_updates)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _check_one(name: str, safe: str, data: bytes, limits: UploadLimits, batch_bytes: int) -> FileMessage | None:
    suffix = _suffix(safe)
    if safe.lower() not in METADATA_NAMES and suffix not in ARTICLE_SUFFIXES and suffix not in TABLE_SUFFIXES:
        return FileMessage(name, False, f"refused: not an article file (expected {', '.join(ACCEPTED_SUFFIXES)})")
    if len(data) > limits.max_file_bytes:
        return FileMessage(name, False, f"refused: {size_text(len(data))}, over the "
                                        f"{size_text(limits.max_file_bytes)} limit per file")
    if batch_bytes + len(data) > limits.max_batch_bytes:
        return FileMessage(name, False, f"refused: the upload would pass {size_text(limits.max_batch_bytes)} in all")
    return None


def _take_metadata_file(name: str, safe: str, data: bytes, staging: Path,
                        meta_updates: dict[str, dict]) -> FileMessage:
    """An uploaded metadata.json/.csv: its rows become metadata of the uploads corpus."""
    from dashboard.store.corpus import read_metadata

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


def _save_one(name: str, safe: str, data: bytes, folder: Path, staging: Path, form_meta: dict,
              taken: set[str], meta_updates: dict[str, dict]) -> FileMessage:
    staged = Path(tempfile.mkdtemp(dir=staging)) / safe
    staged.write_bytes(data)
    articles, problems = read_article_file(staged, form_meta or None)
    if not articles:
        why = "; ".join(_strip_path(p, staged) for p in problems) or "nothing to load"
        return FileMessage(name, False, f"refused: {why}")
    digest = content_hash(data)
    single = _suffix(safe) in ARTICLE_SUFFIXES
    renamed = ""
    for candidate in _names(safe):
        target = folder / candidate
        if target.exists():
            with contextlib.suppress(OSError):
                if content_hash(target.read_bytes()) == digest:
                    return FileMessage(name, True, f"already uploaded as {candidate}; not added again")
            renamed = renamed or f" (a different {candidate} is there already)"
            continue
        if single and safe_id(Path(candidate).stem) in taken:
            # the article id is used by another file: the build would skip this one as a duplicate
            renamed = renamed or f" (an article {safe_id(Path(candidate).stem)!r} exists already)"
            continue
        try:
            os.link(staged, target)  # fails if the name was taken meanwhile: never overwrites
        except FileExistsError:
            continue
        break
    else:
        return FileMessage(name, False, "refused: no free file name left for it in the uploads folder")
    ids = (safe_id(target.stem),) if single else tuple(a.id for a in articles)
    taken.update(ids)
    found: dict = {}
    notes: list[str] = []
    if single:
        found, notes = metadata_in_file(articles[0].text, _suffix(safe))
        meta = {**found, **form_meta}  # what the user typed in the form wins over the file
        if meta:
            meta_updates[ids[0]] = meta
    warnings = "".join(f"; {_strip_path(p, staged)}" for p in problems) + "".join(f"; {n}" for n in notes)
    from_file = [k for k in found if k not in form_meta]
    what = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
    if from_file:
        what += f"; {', '.join(from_file)} from the file"
    return FileMessage(name, True, f"saved as {candidate}{renamed} ({what}){warnings}", candidate, ids)


class _HeadReader(HTMLParser):
    """The <title> and the <meta>/<link> tags of an HTML page's head (the body is not needed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"].strip()
        elif tag == "link" and "canonical" in values.get("rel", "").lower():
            self.canonical = values.get("href", "").strip()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)


# Where pages and notes carry their metadata, most specific first
HTML_PUBLISHED = ("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "pubdate",
                  "publish-date", "og:published_time")
HTML_TITLE = ("og:title", "twitter:title", "headline", "dc.title")
HTML_URL = ("og:url",)
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def metadata_in_file(text: str, suffix: str) -> tuple[dict, list[str]]:
    """Publication date, title and URL that an HTML page (its head) or a Markdown note (its front matter)
    states, checked like the form's; and a note per value that was not usable.

    >>> metadata_in_file('<html><head><title>Raqqa falls</title><meta property="article:published_time" '
    ...                  'content="2017-10-17T09:00:00Z"></head><body>...</body></html>', ".html")
    ({'published': '2017-10-17T09:00:00Z', 'title': 'Raqqa falls'}, [])
    >>> metadata_in_file("---\\ntitle: Mosul\\ndate: 2017-07-10\\n---\\nIraqi forces ...", ".md")
    ({'published': '2017-07-10', 'title': 'Mosul'}, [])
    """
    raw: dict[str, str] = {}
    if suffix in (".html", ".htm"):
        reader = _HeadReader()
        try:
            reader.feed(text[:200_000])  # the head is at the top; a huge body need not be parsed
        except Exception:  # markup too broken to read a head from: no metadata, the text still loads
            return {}, []
        raw["published"] = next((reader.meta[k] for k in HTML_PUBLISHED if reader.meta.get(k)), "")
        raw["title"] = next((reader.meta[k] for k in HTML_TITLE if reader.meta.get(k)), "") or \
            " ".join("".join(reader.title).split())
        raw["url"] = next((reader.meta[k] for k in HTML_URL if reader.meta.get(k)), "") or reader.canonical
    elif suffix in (".md", ".markdown"):
        front = FRONT_MATTER.match(text)
        if not front:
            return {}, []
        fields = {}
        for line in front.group(1).splitlines():
            key, colon, value = line.partition(":")
            if colon and key.strip() and not key.startswith((" ", "\t")):
                fields[key.strip().lower()] = value.strip().strip("'\"")
        raw = {"published": fields.get("published") or fields.get("date") or "", "title": fields.get("title", ""),
               "url": fields.get("url") or fields.get("link") or ""}
    meta: dict = {}
    notes: list[str] = []
    for key, value in raw.items():
        if not value:
            continue
        try:
            meta.update(check_metadata(**{key: value}))
        except UploadError as err:
            notes.append(f"the file's {err}; left out")
    return meta, notes


def _names(safe: str) -> Iterator[str]:
    stem, suffix = Path(safe).stem, Path(safe).suffix
    yield safe
    for n in range(2, 1000):
        yield f"{stem}-{n}{suffix}"


def _strip_path(problem: LoadProblem, staged: Path) -> str:
    """A loader problem without the staging path (the user knows the file by its own name)."""
    where = problem.path.replace(str(staged), "").strip()
    return f"{where} {problem.problem}".strip() if where else problem.problem


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
        if size > LIMITS.max_file_bytes:  # do not read a huge file only to refuse it
            yield FileMessage(str(path), False, f"refused: {size_text(size)}, over the "
                                                f"{size_text(LIMITS.max_file_bytes)} "
                                                f"limit per file")
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
        if len(encoded) * 3 // 4 > max_bytes:
            out.append(FileMessage(shown, False, f"refused: {size_text(len(encoded) * 3 // 4)}, over the "
                                                 f"{size_text(max_bytes)} limit per file"))
            continue
        try:
            out.append((shown, base64.b64decode(encoded, validate=True)))
        except (binascii.Error, ValueError):
            out.append(FileMessage(shown, False, "refused: the browser sent damaged content (not base64)"))
    return out


# ---------------------------------------------------------------------------------------------- rebuilding
def taken_article_ids(store: str | Path, corpora: Iterable[str | Path], uploads_dir: str | Path) -> set[str]:
    """Article ids used outside the uploads folder: those in the store that come from elsewhere, and the
    stems of the article files in the other corpus folders (built or not yet)."""
    from dashboard.store.generations import read_articles

    uploads = Path(uploads_dir).resolve()
    ids = set()
    for row in read_articles(store):
        path = Path(str(row.get("path") or "").split(" line ")[0].split(" row ")[0])
        if not (row.get("path") and path.resolve().is_relative_to(uploads)):
            ids.add(row["id"])
    for folder in corpora:
        folder = Path(folder)
        if folder.is_dir() and folder.resolve() != uploads:
            ids.update(safe_id(p.stem) for p in folder.rglob("*") if _suffix(p.name) in ARTICLE_SUFFIXES)
    return ids


def rebuild(store: str | Path, corpora: list[str | Path], *,
            on_progress: Callable[[int, int], None] | None = None, wait_s: float = 120.0,
            time_limit_s: float | None = None):
    """Rebuild the store incrementally from the corpus folders, re-applying the corrections log.

    ``on_progress(done, total)`` is called as new articles are analysed (cached ones are not counted).
    Each article is analysed under the build's time limit, which holds in any thread (the app runs this
    on a background thread). When another build holds the
    store's lock, waits for it (up to ``wait_s``) instead of failing.
    """
    from dashboard.store.build import ARTICLE_TIME_LIMIT_S, analyse_within_limit, build_store
    from dashboard.editing.corrections import CorrectionHook
    from dashboard.store.generations import StoreError

    limit = ARTICLE_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    # each folder once, however it is spelled (the manifest keeps absolute paths, the CLI relative ones)
    folders = list({Path(c).resolve(): Path(c) for c in corpora if Path(c).is_dir()}.values())
    if not folders:
        raise StoreError(f"no corpus folder to build from ({', '.join(str(c) for c in corpora)})")

    def analyse_many(articles):
        total = len(articles)
        if on_progress:
            on_progress(0, total)
        for done, article in enumerate(articles, 1):
            outcome = analyse_within_limit(article, limit)  # an exception is returned, not raised
            if on_progress:
                on_progress(done, total)
            yield article, outcome

    corpus = folders[0] if len(folders) == 1 else folders
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return build_store(corpus, store, progress=False, analyse_many=analyse_many,
                               corrections=CorrectionHook(store))
        except StoreError as err:
            if "another build" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# ---------------------------------------------------------------------------------------------- background jobs
@dataclass
class Job:
    """One background task of the app: an upload (save + rebuild) or a rebuild after a correction."""

    id: str
    kind: str  # upload | rebuild
    state: str = "queued"  # queued | saving | analysing | writing | done | failed
    done: int = 0
    total: int = 0
    messages: list[FileMessage] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    summary: str = ""
    error: str = ""
    events_before: int | None = None
    events_after: int | None = None
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.state in ("queued", "saving"):
            return 5 if self.state == "saving" else 0
        if self.state == "writing":
            return 95
        if self.finished:
            return 100
        return 10 + int(80 * self.done / self.total) if self.total else 50


class JobRunner:
    """Runs uploads and rebuilds one after another on a background thread, so the app stays responsive
    and two rebuilds of the same store never race. ``on_rebuilt`` is called after each successful
    rebuild (the app reloads its events there)."""

    def __init__(self, store: str | Path, corpora: list[str | Path], uploads_dir: str | Path | None = None, *,
                 limits: UploadLimits = LIMITS, on_rebuilt: Callable[[], None] | None = None,
                 build_wait_s: float = 120.0):
        self.store = Path(store)
        self.build_wait_s = build_wait_s  # how long a job waits for another build of the store to finish
        self.corpora = [Path(c) for c in corpora]
        self.uploads_dir = Path(uploads_dir) if uploads_dir else None
        if self.uploads_dir and self.uploads_dir not in self.corpora:
            self.corpora.append(self.uploads_dir)
        self.limits = limits
        self.listeners: list[Callable[[], None]] = [on_rebuilt] if on_rebuilt else []
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="upload-jobs", daemon=True)
        self._thread.start()

    def submit_upload(self, files: list, metadata: dict | None = None) -> Job:
        return self._submit(Job(id=uuid.uuid4().hex[:12], kind="upload"), (files, metadata or {}))

    def submit_rebuild(self) -> Job:
        return self._submit(Job(id=uuid.uuid4().hex[:12], kind="rebuild"), None)

    def _submit(self, job: Job, payload) -> Job:
        with self._lock:
            self._jobs[job.id] = job
            for old in [j for j in self._jobs.values() if j.finished and j.finished_at
                        and j.finished_at < time.time() - 3600]:
                del self._jobs[old.id]
        self._queue.put((job, payload))
        return job

    def job(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id or "")

    def wait(self, job_id: str, timeout: float = 300.0) -> Job:
        """Block until a job finishes (for tests and the CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job is None or job.finished:
                return job
            time.sleep(0.1)
        raise TimeoutError(f"job {job_id} still running after {timeout} s")

    def _work(self) -> None:
        while True:
            job, payload = self._queue.get()
            try:
                self._run(job, payload)
            except Exception as err:  # a failed job is reported, the runner keeps going
                job.error = f"{type(err).__name__}: {err}"
                if any(m.saved_as for m in job.messages):
                    job.error = (f"the files are saved in {self.uploads_dir} and the next build will add them, "
                                 f"but the store was not rebuilt ({job.error})")
                job.state = "failed"
            finally:
                job.finished_at = time.time()

    def _run(self, job: Job, payload) -> None:
        from dashboard.store.generations import read_manifest

        job.events_before = read_manifest(self.store).get("n_events")
        if job.kind == "upload":
            files, metadata = payload
            job.state = "saving"
            result = save_uploads(files, self.uploads_dir, metadata=metadata, limits=self.limits,
                                  taken_ids=taken_article_ids(self.store, self.corpora, self.uploads_dir))
            job.messages = result.messages
            job.article_ids = result.article_ids
            if not result.saved:
                job.summary = "Nothing new to add."
                job.events_after = job.events_before
                job.state = "done"
                return
        job.state = "analysing"

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total
            if total and done == total:
                job.state = "writing"

        report = rebuild(self.store, self.corpora, on_progress=progress, wait_s=self.build_wait_s)
        job.events_after = report.events
        job.summary = report.summary()
        for problem in report.problems:
            if job.kind == "upload" and self.uploads_dir and _inside(problem.path, self.uploads_dir):
                job.messages.append(FileMessage(Path(problem.path.split(" line ")[0].split(" row ")[0]).name,
                                                False, f"not loaded by the build: {problem.problem}"))
        for listener in list(self.listeners):
            try:
                listener()
            except Exception as err:  # a listener (an app's reload) failing does not fail the rebuild
                job.error = f"the store was rebuilt, but reloading it failed: {type(err).__name__}: {err}"
        job.state = "done"


_RUNNERS: dict[tuple, JobRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def runner_for(store: str | Path, corpora: list[str | Path], uploads_dir: str | Path | None = None, *,
               limits: UploadLimits = LIMITS, on_rebuilt: Callable[[], None] | None = None) -> JobRunner:
    """The one JobRunner of a store in this process (uploads and corrections share it, so their
    rebuilds queue up instead of racing); ``on_rebuilt`` is added to its listeners."""
    key = (str(Path(store).absolute()), tuple(str(Path(c).absolute()) for c in corpora),
           str(Path(uploads_dir).absolute()) if uploads_dir else None)
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = JobRunner(store, corpora, uploads_dir, limits=limits)
        if on_rebuilt is not None:
            runner.listeners.append(on_rebuilt)
    return runner


def _inside(path: str, folder: Path) -> bool:
    with contextlib.suppress(OSError, ValueError):
        return str(Path(path.split(" line ")[0].split(" row ")[0]).resolve()).startswith(str(folder.resolve()))
    return False


# ---------------------------------------------------------------------------------------------- command line
def cmd_add(args) -> int:
    """``add PATH...``: copy files, folders or zips into the uploads corpus and rebuild the store.

    Prints one line per file; exit 1 when anything was refused, 2 when the store could not be built.
    """
    import sys

    from dashboard.store.generations import StoreError

    uploads = Path(args.uploads)
    result = save_uploads(files_from_paths(args.paths), uploads, limits=CLI_LIMITS,
                          taken_ids=taken_article_ids(args.store, cli_corpora(args), uploads))
    for message in result.messages:
        print(("added " if message.ok else "") + str(message), file=sys.stdout if message.ok else sys.stderr)
    if result.saved:
        try:
            report = rebuild(args.store, cli_corpora(args))
        except StoreError as err:
            print(f"dashboard: {err}", file=sys.stderr)
            return 2
        for problem in report.problems:
            print(f"dashboard: skipped {problem}", file=sys.stderr)
        print(report.summary(), file=sys.stderr)
    return 1 if result.refused else 0


def store_corpora(store: str | Path) -> list[str]:
    """The corpus folders the store was last built from (its manifest), [] when unknown."""
    from dashboard.store.generations import read_manifest

    corpus = read_manifest(store).get("corpus")
    return [corpus] if isinstance(corpus, str) else [str(c) for c in corpus or []]


def cli_corpora(args) -> list[str]:
    """The folders a command rebuilds the store from: the --corpus folders, else those the store was built
    from, else ``build``'s defaults; plus the uploads folder. (Rebuilding from other folders than the
    store's would drop their articles.)"""
    from dashboard.cli import corpus_folders

    folders = args.corpus or store_corpora(args.store) or corpus_folders(None)
    return list(dict.fromkeys([*folders, str(args.uploads)]))


def add_subcommands(sub) -> None:
    """Register ``add``, ``correct`` and ``corrections`` on the CLI's subparsers."""
    from dashboard.editing.corrections import cmd_correct, cmd_corrections
    from dashboard.store.generations import DEFAULT_STORE

    def places(p):
        p.add_argument("--store", default=str(DEFAULT_STORE))
        p.add_argument("--corpus", action="append", metavar="DIR",
                       help="a corpus folder the store is built from; repeat for several (default: the folders "
                            "the store was last built from)")
        p.add_argument("--uploads", default=str(DEFAULT_UPLOADS), help="the uploads corpus folder")

    a = sub.add_parser("add", help="add article files, folders or zips to the uploads corpus and rebuild")
    a.add_argument("paths", nargs="+", metavar="PATH")
    places(a)
    a.set_defaults(func=cmd_add)

    c = sub.add_parser("correct", help="correct one event (kept across rebuilds)")
    c.add_argument("event_id", metavar="EVENT_ID")
    what = c.add_mutually_exclusive_group(required=True)
    what.add_argument("--place", metavar="NAME", help="another place, looked up in the gazetteer")
    what.add_argument("--point", metavar="LAT,LON", help="exact coordinates")
    what.add_argument("--dates", metavar="START..END", help="the date interval, YYYY-MM-DD..YYYY-MM-DD")
    what.add_argument("--not-event", action="store_true", help="this is not an event: hide it")
    what.add_argument("--merge-into", metavar="OTHER_ID", help="the same event as OTHER_ID: merge into it")
    what.add_argument("--split", action="store_true", help="give each source article its own event")
    c.add_argument("--reason", metavar="TEXT", default="")
    places(c)
    c.set_defaults(func=cmd_correct)

    k = sub.add_parser("corrections", help="list the corrections, or undo one")
    k.add_argument("action", nargs="?", choices=["list", "undo"], default="list")
    k.add_argument("id", nargs="?", metavar="ID", help="the correction's number (for undo)")
    k.add_argument("--reason", metavar="TEXT", default="")
    places(k)
    k.set_defaults(func=cmd_corrections)
