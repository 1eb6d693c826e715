"""An upload's metadata (publication date, title, URL): from the form, from the file itself, and the
``metadata.json`` of the uploads folder that keeps it.

The form's values are checked (``check_metadata``); an HTML page's head (``<title>``,
``article:published_time``, canonical link) or a Markdown front matter (``title:``, ``date:``, ``url:``)
gives the same fields; the form wins where both give one.
"""
from __future__ import annotations

import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

from dashboard.core.files import atomic_write
from dashboard.core.links import safe_link
from dashboard.editing.limits import UploadError
from dashboard.pipeline.dates import parse_published

FOLDER_METADATA = "metadata.json"


def check_metadata(published: str | None = None, title: str | None = None, url: str | None = None) -> dict:
    """The form's metadata, checked: a publication date the corpus understands, an http(s) URL.

    Raises UploadError naming the bad value; empty values are left out. Anything but text (a list or a
    dict sent in place of a field) is refused, never turned into text.

    >>> check_metadata(" 2017-06 ", "  Raqqa   offensive ", "")
    {'published': '2017-06', 'title': 'Raqqa offensive'}
    """
    for label, value in (("publication date", published), ("title", title), ("URL", url)):
        if value is not None and not isinstance(value, str):
            raise UploadError(f"the {label} is not text")
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


# ---------------------------------------------------------------------------------------------- the folder's file
def read_folder_metadata(folder: Path) -> list[dict]:
    """The rows of the uploads folder's metadata.json; an unreadable one is kept aside, never overwritten."""
    path = folder / FOLDER_METADATA
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        shutil.copyfile(path, folder.parent / f".{folder.name}.metadata-unreadable-{int(time.time())}.json")
        return []
    if isinstance(rows, dict):
        rows = rows.get("articles", [])
    return [r for r in rows if isinstance(r, dict) and r.get("id")]


def write_folder_metadata(folder: Path, updates: dict[str, dict]) -> None:
    """Merge ``updates`` (article id -> fields) into the folder's metadata.json, replacing it whole."""
    rows = {str(r["id"]): r for r in read_folder_metadata(folder)}
    for article_id, meta in updates.items():
        rows[article_id] = {**rows.get(article_id, {}), **meta, "id": article_id}
    with atomic_write(folder / FOLDER_METADATA) as out:
        json.dump(list(rows.values()), out, ensure_ascii=False, indent=1)


# ---------------------------------------------------------------------------------------------- in the file
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
