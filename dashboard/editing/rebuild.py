"""Rebuilding the store after an upload or a correction: from the folders the store records, never fewer.

The store's manifest names the corpus folders it was built from (absolute, and relative to the folder
that holds the store link, so that moving the whole project folder keeps them). A rebuild reads all of
them plus the uploads folder; a folder that is gone is an error naming it, never a silent drop of its
articles (a rebuild without it would delete their events).

>>> # rebuild("data/store", rebuild_folders("data/store", None, "data/uploads"))
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable

from dashboard.editing.apply import CorrectionHook
from dashboard.store.build import ARTICLE_TIME_LIMIT_S, analyse_within_limit, build_store
from dashboard.store.corpus import ARTICLE_SUFFIXES, corpus_folders, safe_id
from dashboard.store.generations import Snapshot, StoreError


def store_corpora(store: str | Path) -> list[str]:
    """The corpus folders the store was last built from (its manifest), [] when unknown.

    Each folder is looked for first where it sits relative to the folder of the store link (so a moved
    or copied project rebuilds from its own folders), then at its recorded absolute path; when it is in
    neither place it is returned as recorded, so that the rebuild names it.
    """
    manifest = Snapshot.of(store).manifest()
    recorded = manifest.get("corpus")
    recorded = [recorded] if isinstance(recorded, str) else [str(c) for c in recorded or []]
    relative = manifest.get("corpus_from_store")
    relative = [str(c) for c in relative] if isinstance(relative, list) and len(relative) == len(recorded) else []
    folders = []
    for number, folder in enumerate(recorded):
        moved = Path(store).absolute().parent / relative[number] if relative else None
        folders.append(str(moved) if moved is not None and moved.is_dir() else folder)
    return folders


def rebuild_folders(store: str | Path, given: list[str] | None, uploads: str | Path | None) -> list[str]:
    """The folders a rebuild reads: the ``given`` ones (None: not given), else those the store was built
    from, else ``build``'s defaults; plus the uploads folder. (Rebuilding from other folders than the store's
    would drop their articles.)"""
    recorded = store_corpora(store)
    folders = list(given) if given is not None else list(recorded or corpus_folders(None))
    if uploads is not None and (Path(uploads).is_dir() or _spelled(uploads) in map(_spelled, recorded)):
        folders.append(str(uploads))  # an uploads folder nobody has uploaded into yet is not an error
    return list(dict.fromkeys(folders))


def _spelled(folder: str | Path) -> str:
    return os.path.normpath(str(Path(folder).absolute()))


def taken_article_ids(store: Snapshot, corpora: Iterable[str | Path], uploads_dir: str | Path) -> set[str]:
    """Article ids used outside the uploads folder: those in the store that come from elsewhere, and the
    stems of the article files in the other corpus folders (built or not yet)."""
    uploads = Path(uploads_dir).resolve()
    ids = set()
    for row in store.articles():
        path = Path(str(row.get("path") or "").split(" line ")[0].split(" row ")[0])
        if not (row.get("path") and path.resolve().is_relative_to(uploads)):
            ids.add(row["id"])
    for folder in corpora:
        folder = Path(folder)
        if folder.is_dir() and folder.resolve() != uploads:
            ids.update(safe_id(p.stem) for p in folder.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES)
    return ids


def rebuild(store: str | Path, corpora: list[str | Path], *,
            on_progress: Callable[[int, int], None] | None = None, wait_s: float = 120.0,
            time_limit_s: float | None = None):
    """Rebuild the store incrementally from the corpus folders, re-applying the corrections log.

    ``on_progress(done, total)`` is called as new articles are analysed (cached ones are not counted).
    Each article is analysed under the build's time limit, which holds in any thread (the app runs this
    on a background thread). When another build holds the store's lock, waits for it (up to ``wait_s``)
    instead of failing. A folder that is gone stops the rebuild with its name.
    """
    limit = ARTICLE_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    folders: dict[Path, Path] = {}  # each folder once, however it is spelled
    for corpus in map(Path, corpora):
        if not corpus.is_dir():
            raise StoreError(f"{corpus}: the corpus folder is gone (moved or renamed?); the store was not rebuilt, "
                             f"so its articles are kept. Give the folders with --corpus DIR")
        folders.setdefault(corpus.resolve(), corpus)
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

    corpus = list(folders.values())
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return build_store(corpus[0] if len(corpus) == 1 else corpus, store, progress=False,
                               analyse_many=analyse_many, corrections=CorrectionHook(store))
        except StoreError as err:
            if "another build" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
