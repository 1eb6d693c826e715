"""Corpus -> events store: analyse every new or changed article, merge duplicates, write atomically.

>>> # report = build_store("data/corpus", "data/store")
>>> # report.events, report.processed, report.reused, [str(p) for p in report.problems]

Articles whose text, metadata and pipeline version are unchanged since the last build are not analysed
again: their cached results are carried over, so rebuilding an unchanged corpus only re-reads the files.
An article that cannot be read or analysed (bad bytes, an exception, longer than the time limit) is
reported by name in ``BuildReport.problems`` and costs nothing else.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tqdm import tqdm

from dashboard.core.timelimit import TimeLimit, TimeLimitExceeded
from dashboard.geocoders.gazetteer import load_gazetteer
from dashboard.pipeline.analysis import PIPELINE_VERSION, analyse
from dashboard.pipeline.theatre import Theatre, settle
from dashboard.pipeline.dedup import merge_events
from dashboard.records import Article
from dashboard.store.corpus import LoadProblem, iter_corpus
from dashboard.store.generations import (GenerationWriter, build_lock, cached_result, current_generation,
                                        damaged_files, event_from_json, event_to_json, event_to_row, read_manifest)

ARTICLE_TIME_LIMIT_S = 60.0

# One short article that passes through every stage: analysing it loads the gazetteer and warms the
# date parser, so the first real article is not slowed (nor timed out) by either.
WARM_UP_TEXT = "BEIRUT, 3 March 2017 - Fighters entered the city of Raqqa in northern Syria last week."


class ArticleTimeout(Exception):
    pass


@dataclass
class BuildReport:
    store: Path
    articles: int = 0
    processed: int = 0
    reused: int = 0
    events: int = 0
    up_to_date: bool = False
    seconds: float = 0.0
    problems: list[LoadProblem] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)  # the store's damaged files this build replaced

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        state = "already up to date" if self.up_to_date else f"{self.events} events"
        return (f"{self.store}: {state} from {self.articles} articles ({self.processed} analysed, "
                f"{self.reused} unchanged), {self.skipped} problem(s), {self.seconds:.2f} s")


def article_key(article: Article) -> str:
    """What an article's cached result depends on: its text, its metadata, and the pipeline version."""
    published = article.published
    parts = [PIPELINE_VERSION, article.id, article.content_hash, article.title or "", article.url or "",
             str(published.start_date), str(published.end_date), published.precision, published.source]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def article_row(article: Article, n_events: int, status: str = "ok", error: str | None = None) -> dict:
    p = article.published
    return {"id": article.id, "title": article.title, "outlet": article.outlet, "url": article.url,
            "published_start": p.start_date, "published_end": p.end_date, "published_precision": p.precision,
            "published_source": p.source, "path": article.path, "content_hash": article.content_hash,
            "n_events": n_events, "status": status, "error": error}


def warm_up_analysis() -> None:
    """Load the gazetteer and warm every stage: what a new analysis process does before its first article."""
    load_gazetteer()
    analyse(Article(id="warm-up", text=WARM_UP_TEXT))


# The process that analyses articles under the time limit (see core/timelimit.py): one per process that
# builds, so the CLI, the app's background rebuilds and each Dask worker all stop a runaway article alike.
ANALYSIS = TimeLimit(warm_up=warm_up_analysis, preload=("dashboard.store.build",))


def analyse_within_limit(article: Article, time_limit_s: float = ARTICLE_TIME_LIMIT_S) -> dict | Exception:
    """``analyse_to_result`` under the time limit, in the analysis process: the result, or the exception
    that stopped it (``ArticleTimeout`` past the limit), named by the article's file."""
    where = article.path or article.id
    try:
        return ANALYSIS.call(time_limit_s, analyse_to_result, article, what=f"{where}: analysis")
    except TimeLimitExceeded:
        return ArticleTimeout(f"{where}: analysis took longer than {time_limit_s:g} s; skipped")
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as err:  # one broken article never stops a build
        return err


def analyse_to_result(article: Article) -> dict:
    """One article -> its cacheable result (JSON-able): events and what was found, or the error."""
    analysis = analyse(article)
    published = analysis.published
    return {
        "article_id": article.id,
        "published": {"start_date": published.start_date.isoformat() if published.known else None,
                      "end_date": published.end_date.isoformat() if published.known else None,
                      "precision": published.precision, "source": published.source},
        "n_dates": len(analysis.dates), "n_places": len(analysis.places),
        # an online geocoder that failed this time: analyse the article again next build, not from cache
        "retry_later": any(getattr(p, "unresolved_reason", "") == "service failed" for p in analysis.places),
        "events": [event_to_json(e) for e in analysis.events],
    }


def _progress(total: int | None, enabled: bool | None):
    disable = (not sys.stderr.isatty()) if enabled is None else not enabled
    return tqdm(total=total, unit="article", desc="build", disable=disable, file=sys.stderr)


def _order_key(article: Article) -> tuple:
    start = article.published.start_date or dt.date.max
    return (start, article.id)


def build_store(corpus: str | Path | list[str | Path], store: str | Path, *, progress: bool | None = None,
                time_limit_s: float = ARTICLE_TIME_LIMIT_S,
                analyse_many: Callable[[list[Article]], Iterable[tuple[Article, dict | Exception]]] | None = None,
                corrections=None) -> BuildReport:
    """Build (or incrementally rebuild) the store at ``store`` from one corpus folder or several.

    ``analyse_many`` runs the analysis of the articles that need it (default: in this process, one by
    one, under the time limit); the Dask engine passes its own. ``corrections`` (a callable taking and
    returning the merged events) re-applies the user's corrections after every build.
    """
    started = time.perf_counter()
    store = Path(store)
    report = BuildReport(store=store)
    folders = [Path(corpus)] if isinstance(corpus, (str, Path)) else [Path(c) for c in corpus]
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for folder in folders:
        for item in iter_corpus(folder):
            if isinstance(item, LoadProblem):
                report.problems.append(item)
            elif item.id in seen:
                report.problems.append(LoadProblem(item.path or item.id, f"article id {item.id!r} is already "
                                                   f"used by {seen[item.id]}; skipped"))
            else:
                seen[item.id] = item.path or item.id
                articles.append(item)
    report.articles = len(articles)
    keys = {a.id: article_key(a) for a in articles}
    with build_lock(store):
        manifest = read_manifest(store)
        current = current_generation(store)
        # a damaged Parquet file (truncated, changed) is rebuilt from the per-article cache, never kept
        report.damaged = [f"{path}: damaged ({why})" for path, why in
                          (damaged_files(current, checksums=True) if current is not None else [])]
        if (current is not None and manifest.get("article_keys") == keys and not report.damaged
                and manifest.get("pipeline_version") == PIPELINE_VERSION and not manifest.get("problems")
                and not report.problems and corrections is None
                and manifest.get("corpus") == [str(f.resolve()) for f in folders]):  # the folders it records too
            report.up_to_date, report.reused, report.events = True, len(articles), manifest.get("n_events", 0)
            report.seconds = time.perf_counter() - started
            return report
        writer = GenerationWriter(store)
        try:
            # each article's events, kept as compact records (not its JSON result) while the rest are read
            results: dict[str, list] = {}
            todo: list[Article] = []
            for article in articles:
                cached = cached_result(store, keys[article.id])
                if cached is not None and writer.reuse_cache(keys[article.id]):
                    results[article.id] = [event_from_json(e) for e in cached["events"]]
                    report.reused += 1
                else:
                    todo.append(article)
            bar = _progress(len(todo), progress)
            runner = analyse_many or (lambda batch: _analyse_in_process(batch, time_limit_s))
            failed: dict[str, str] = {}
            retry: set[str] = set()  # analysed, but with places an online service failed to resolve
            for article, outcome in runner(todo):
                bar.update(1)
                if isinstance(outcome, Exception):
                    failed[article.id] = _describe(outcome)
                    report.problems.append(LoadProblem(article.path or article.id, failed[article.id]))
                    continue
                if outcome.get("retry_later"):
                    retry.add(article.id)
                else:
                    writer.put_cache(keys[article.id], outcome)
                results[article.id] = [event_from_json(e) for e in outcome["events"]]
                report.processed += 1
            bar.close()
            _release_analysis_memory()
            ordered = sorted(articles, key=_order_key)
            events = [e for a in ordered for e in results.pop(a.id, ())]
            # the namesakes one article left open, decided by where the others happen (as extract does)
            events = settle(events, Theatre.of(events))
            merged = merge_events(events, [a.id for a in ordered])
            corrected_ids: set[str] = set()
            if corrections is not None:
                merged, corrected_ids = corrections(merged)
            per_article: dict[str, int] = {}
            for e in merged:
                for s in e.sources:
                    per_article[s] = per_article.get(s, 0) + 1
            article_rows = [article_row(a, per_article.get(a.id, 0), "skipped" if a.id in failed else "ok",
                                        failed.get(a.id)) for a in ordered]
            report.events = len(merged)
            new_manifest = {
                "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "corpus": [str(f.resolve()) for f in folders], "pipeline_version": PIPELINE_VERSION,
                # the same folders from the folder that holds the store link: found again after a move
                "corpus_from_store": [os.path.relpath(f.resolve(), store.absolute().parent) for f in folders],
                "n_events": len(merged), "n_articles": len(articles),
                "article_keys": {a.id: keys[a.id] for a in articles if a.id not in failed and a.id not in retry},
                "problems": [str(p) for p in report.problems],
            }
            writer.commit((event_to_row(e, e.id in corrected_ids) for e in merged), article_rows, new_manifest)
        except BaseException:
            writer.abort()
            raise
    report.seconds = time.perf_counter() - started
    return report


def _release_analysis_memory() -> None:
    """The analysis process and its gazetteer (some 150 MB) are not needed to merge and write events: let
    that memory serve them. The next analysis starts a new one (a fork and the gazetteer, about a second)."""
    ANALYSIS.close()
    load_gazetteer.cache_clear()
    gc.collect()


def _describe(err: Exception) -> str:
    if isinstance(err, ArticleTimeout):
        return str(err).split(": ", 1)[-1]
    return f"analysis failed: {type(err).__name__}: {err}"


def _analyse_in_process(articles: list[Article], time_limit_s: float):
    for article in articles:
        yield article, analyse_within_limit(article, time_limit_s)
