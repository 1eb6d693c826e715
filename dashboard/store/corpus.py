"""Loading articles: the one place that reads article files and their metadata.

A corpus is a folder of article files with an optional metadata file beside them:

    data/corpus/
        000_a98a3842d31c25a3.txt       one article per .txt, .md or .html file (id = the file's stem)
        more.jsonl                     one article per line: {"id", "text", "published", "title", "url", "outlet"}
        more.csv                       one article per row, with a "text" column (and the same optional columns)
        metadata.json                  optional: [{"id", "title", "outlet", "url", "published", ...}, ...]
                                       (or metadata.csv with the same columns)

An article without metadata still loads, with its publication date unknown. A file that cannot be read
(binary junk, an empty file, an undecodable encoding, a malformed line) becomes a ``LoadProblem`` naming
the file and the problem; it never stops the other articles from loading.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from dashboard.pipeline.dates import parse_published
from dashboard.records import Article, PublicationDate
from dashboard.settings import DEFAULT_CORPUS, DEFAULT_UPLOADS

ARTICLE_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
                    ".htm": "html"}
TABLE_SUFFIXES = {".jsonl": "jsonl", ".csv": "csv"}
METADATA_NAMES = ("metadata.json", "metadata.csv")
MAX_ARTICLE_BYTES = 64 * 1024 * 1024  # larger files are refused, not loaded half-way
_ID_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class LoadProblem:
    """A file (or a line/row of one) that could not be loaded, and why, in words a user can act on."""

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def corpus_folders(given: list[str] | None) -> list[str]:
    """The --corpus folders; by default the seed corpus plus the uploads folder when it exists."""
    if given:
        return given
    return [str(DEFAULT_CORPUS)] + ([str(DEFAULT_UPLOADS)] if DEFAULT_UPLOADS.is_dir() else [])


def content_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def safe_id(raw: str) -> str:
    """An article id usable in file names and URLs: "My file (2).txt" -> "My_file_2_.txt"."""
    cleaned = _ID_SAFE.sub("_", raw.strip()).strip("._") or "article"
    return cleaned[:120]


def decode_bytes(data: bytes, path: str) -> str:
    """Decode an article's bytes: UTF-8 (with or without BOM) first, else the detected encoding.

    Raises ValueError with the reason when the bytes are not text at all (NUL bytes, control characters).
    """
    if not data.strip():
        raise ValueError("the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_detected(data, path)
    if _looks_binary(text):
        raise ValueError("the file is binary, not text")
    return text


def _decode_detected(data: bytes, path: str) -> str:
    if b"\x00" in data[:4096]:
        raise ValueError("the file is binary, not text")
    from charset_normalizer import from_bytes  # loaded only for a file that is not UTF-8 (few are)

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        raise ValueError("the file's encoding could not be detected (not UTF-8, not a known text encoding)")
    if best.encoding in _LATIN_CODE_PAGES:
        # Short Latin-script texts fit several code pages equally well; Windows-1252 is the web's
        # legacy default (WHATWG maps ISO-8859-1 to it), so it wins when it reads as plain letters.
        try:
            latin = data.decode("cp1252")
        except UnicodeDecodeError:
            latin = None
        if latin is not None and all(_plain_latin(ch) for ch in latin if ord(ch) > 127):
            return latin
    return data.decode(best.encoding, errors="replace")


_LATIN_CODE_PAGES = {"cp1250", "cp1252", "cp1257", "cp1254", "mac_roman", "mac_latin2", "cp850", "cp852",
                     "cp775", "cp437", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9",
                     "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16"}


def _plain_latin(ch: str) -> bool:
    return ("\u00c0" <= ch <= "\u00ff" and ch not in "\u00d7\u00f7") or ch in "“”‘’–—…€•«»°£©®™"


def _looks_binary(text: str) -> bool:
    """Text has few control, unassigned, private-use or replacement characters; bytes read as text
    (binary junk, or junk behind a UTF-16 byte-order mark) have many."""
    sample = text[:8192]
    if "\x00" in sample:
        return True
    odd = len(_CONTROL.findall(sample))
    if not sample.isascii():  # only characters beyond ASCII can be unassigned, private or replaced
        odd += sum(1 for ch in _NON_ASCII.findall(sample)
                   if ch == "\ufffd" or unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return odd > max(8, len(sample) // 100)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _published(value, path: str, problems: list[LoadProblem]) -> PublicationDate:
    if value in (None, ""):
        return PublicationDate.unknown()
    try:
        return parse_published(str(value))
    except ValueError as err:
        problems.append(LoadProblem(path, f"publication date {value!r} not understood ({err}); treated as unknown"))
        return PublicationDate.unknown()


def read_metadata(folder: Path, problems: list[LoadProblem]) -> dict[str, dict]:
    """metadata.json or metadata.csv in the folder, keyed by article id; {} when there is none."""
    for name in METADATA_NAMES:
        path = folder / name
        if not path.exists():
            continue
        try:
            if name.endswith(".json"):
                rows = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(rows, dict):
                    rows = rows.get("articles", [])
            else:
                rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
            return {str(r["id"]): r for r in rows if isinstance(r, dict) and r.get("id")}
        except (OSError, ValueError, KeyError, UnicodeDecodeError) as err:
            problems.append(LoadProblem(str(path), f"metadata not readable ({err}); articles load without it"))
    return {}


def article_from_text(article_id: str, text: str, *, path: str | None = None, meta: dict | None = None,
                      source_format: str = "txt", raw: bytes | None = None,
                      problems: list[LoadProblem] | None = None) -> Article:
    """Build an Article from text and a metadata dict (keys: title, outlet, url, published)."""
    meta = meta or {}
    problems = problems if problems is not None else []
    return Article(
        id=article_id,
        text=text,
        path=path,
        title=(meta.get("title") or None),
        outlet=(meta.get("outlet") or None),
        url=(meta.get("url") or None),
        published=_published(meta.get("published"), path or article_id, problems),
        content_hash=content_hash(raw if raw is not None else text),
        source_format=source_format,
    )


def read_article_file(path: Path, meta: dict | None = None) -> tuple[list[Article], list[LoadProblem]]:
    """One file -> its articles (one for .txt/.md/.html, many for .jsonl/.csv) and the problems met."""
    problems: list[LoadProblem] = []
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return [], [LoadProblem(str(path), f"the file is {size // 1_048_576} MB, over the "
                                               f"{MAX_ARTICLE_BYTES // 1_048_576} MB limit")]
        data = path.read_bytes()
        text = decode_bytes(data, str(path))
    except (OSError, ValueError, UnicodeDecodeError) as err:
        return [], [LoadProblem(str(path), str(err))]
    if suffix in ARTICLE_SUFFIXES:
        article = article_from_text(safe_id(path.stem), text, path=str(path), meta=meta,
                                    source_format=ARTICLE_SUFFIXES[suffix], raw=data, problems=problems)
        return [article], problems
    rows = _jsonl_rows(text, path, problems) if suffix == ".jsonl" else _csv_rows(text, path, problems)
    articles = []
    for number, row in rows:
        body = row.get("text")
        where = f"{path} line {number}" if suffix == ".jsonl" else f"{path} row {number}"
        if not isinstance(body, str) or not body.strip():
            problems.append(LoadProblem(where, "no text"))
            continue
        article_id = safe_id(str(row.get("id") or f"{path.stem}-{number}"))
        articles.append(article_from_text(article_id, body, path=where, meta=row,
                                          source_format=TABLE_SUFFIXES[suffix], problems=problems))
    return articles, problems


def _jsonl_rows(text: str, path: Path, problems: list[LoadProblem]) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as err:
            problems.append(LoadProblem(f"{path} line {number}", f"not valid JSON ({err.args[0]})"))
            continue
        if not isinstance(row, dict):
            problems.append(LoadProblem(f"{path} line {number}", "not a JSON object"))
            continue
        yield number, row


def _csv_rows(text: str, path: Path, problems: list[LoadProblem]) -> Iterator[tuple[int, dict]]:
    csv.field_size_limit(MAX_ARTICLE_BYTES)
    try:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            problems.append(LoadProblem(str(path), f"no 'text' column (columns: {reader.fieldnames})"))
            return
        for number, row in enumerate(reader, 2):
            yield number, row
    except csv.Error as err:
        problems.append(LoadProblem(str(path), f"not valid CSV ({err})"))


def iter_corpus(folder: str | Path) -> Iterator[Article | LoadProblem]:
    """Every article of a corpus folder (recursively, sorted by path), or a LoadProblem for what fails.

    Duplicate ids (two files with the same stem) keep the first and report the second.
    """
    folder = Path(folder)
    if not folder.is_dir():
        yield LoadProblem(str(folder), "no such corpus folder")
        return
    problems: list[LoadProblem] = []
    metadata = read_metadata(folder, problems)
    yield from problems
    seen: set[str] = set()
    inside = folder.resolve()
    for path in sorted(folder.rglob("*")):
        refusal = _path_refusal(path, folder, inside)
        if refusal:
            yield LoadProblem(str(path), refusal)
            continue
        suffix = path.suffix.lower()
        if not path.is_file() or path.name in METADATA_NAMES or path.name.startswith("."):
            continue
        if suffix not in ARTICLE_SUFFIXES and suffix not in TABLE_SUFFIXES:
            if path.name.lower() not in ("readme", "readme.md", "license"):
                yield LoadProblem(str(path), f"not an article file (expected one of "
                                             f"{', '.join(sorted({**ARTICLE_SUFFIXES, **TABLE_SUFFIXES}))})")
            continue
        meta = metadata.get(safe_id(path.stem))
        articles, file_problems = read_article_file(path, meta)
        yield from file_problems
        for article in articles:
            if article.id in seen:
                yield LoadProblem(article.path or article.id, f"duplicate article id {article.id!r}; skipped")
                continue
            seen.add(article.id)
            if article.id in metadata and meta is None:
                article = _with_metadata(article, metadata[article.id])
            yield article


def _path_refusal(path: Path, folder: Path, corpus: Path) -> str:
    """Why a corpus entry is not read ('' when it is): a name that is not text, or a symbolic link that
    leaves the corpus folder (``passwd.txt -> /etc/passwd``) or points at a folder (never followed)."""
    if _UNDECODED.search(str(path.relative_to(folder))):
        return "the file name is not valid UTF-8; rename the file to load it"
    if not path.is_symlink():
        return ""
    target = path.resolve()
    if not target.exists():
        return "a symbolic link to nothing; skipped"
    if not target.is_relative_to(corpus):
        return f"a symbolic link to {target}, outside the corpus folder; not read"
    if target.is_dir():
        return "a symbolic link to a folder of the corpus; not followed (its files are read where they are)"
    return ""


_UNDECODED = re.compile("[\udc80-\udcff]")  # the bytes of a file name that were not UTF-8 (surrogateescape)


def _with_metadata(article: Article, meta: dict) -> Article:
    problems: list[LoadProblem] = []
    published = _published(meta.get("published"), article.path or article.id, problems)
    return replace(article, title=meta.get("title") or article.title, outlet=meta.get("outlet") or article.outlet,
                   url=meta.get("url") or article.url,
                   published=published if published.known else article.published)


def load_corpus(folder: str | Path) -> tuple[list[Article], list[LoadProblem]]:
    articles, problems = [], []
    for item in iter_corpus(folder):
        (articles if isinstance(item, Article) else problems).append(item)
    return articles, problems


def articles_from_jsonl_lines(lines: Iterable[str], source: str = "<stdin>") -> Iterator[Article | LoadProblem]:
    """The extract contract's --stdin-jsonl input: {"id", "text", "published"} per line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            row = json.loads(line)
        except ValueError as err:
            yield LoadProblem(where, f"not valid JSON ({err.args[0]})")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield LoadProblem(where, "expected an object with a 'text' string")
            continue
        problems: list[LoadProblem] = []
        article = article_from_text(str(row.get("id") or number), row["text"], path=where, meta=row,
                                    source_format="jsonl", problems=problems)
        yield from problems
        yield article
