"""What an exported image says about itself: its title, and a caption naming the filters, the time
window, the sources and the counts (with thousands separators), never a local folder path.

    >>> view = ViewState.from_query("from=2015-01-01&to=2016-12-31&country=SY")   # doctest: +SKIP
    >>> export_title("map", view, 14)                                           # doctest: +SKIP
    'Map of 14 events, 1 Jan 2015 – 31 Dec 2016'
    >>> caption_lines(events, view, store_info)                                 # doctest: +SKIP
    ['Filters: countries Syria', 'Time window: 1 Jan 2015 – 31 Dec 2016 (events from ...)',
     'Sources: 14 events from 6 articles (Wire Service, Daily Courier)', 'Store built 2026-11-21 10:00 UTC']
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.core.countries import country_name
from dashboard.core.values import plain_value
from dashboard.export.formats import ExportError
from dashboard.export.tables import Articles
from dashboard.store.schema import ARTICLES_FILE, MANIFEST_FILE
from dashboard.views.figures import type_label

# What each image is called at its top (the time window and the count follow).
TITLES = {
    "timeline": "Timeline of {events}, {window}",
    "map": "Map of {events}, {window}",
    "summary": "Summary of {events}, {window}: fatalities, types, countries",
    "report": "Report on {events}, {window}",
}
OUTLETS_SHOWN = 8


@dataclass(frozen=True)
class CaptionFacts:
    """What a caption counts, from the store's own query (one aggregate, whatever the number of events)."""

    n_events: int = 0
    first_date: Any = None
    last_date: Any = None
    article_ids: tuple[str, ...] = ()  # the matching events' source articles, most reporting first
    n_articles: int | None = None  # len(article_ids) unless counted in the store's query
    outlets: tuple[str, ...] | None = None  # the first OUTLETS_SHOWN, when the store's query named them
    n_outlets: int = 0

    @classmethod
    def of_store(cls, store: Any, view: Any) -> "CaptionFacts":
        """For the events of ``view`` in an ``EventStore``, in SQL, outlets included (a Python loop over
        100,000 events' source lists took 3 s; mapping their 30,000 articles to outlets, 35 ms)."""
        n_events, first, last, n_articles, outlets, n_outlets = store.span_and_outlets(view, OUTLETS_SHOWN)
        return cls(n_events, first, last, n_articles=n_articles, outlets=outlets, n_outlets=n_outlets)

    @classmethod
    def of_events(cls, events: Any) -> "CaptionFacts":
        """For a DataFrame of events (a table the caller already holds)."""
        if events is None or not len(events):
            return cls()
        article_ids: dict[str, None] = {}  # ordered set
        if "sources" in events.columns:
            for sources in events["sources"]:
                article_ids.update(dict.fromkeys(plain_value(sources) or []))
        first = events["start_date"].min() if "start_date" in events.columns else None
        last = events["end_date"].max() if "end_date" in events.columns else None
        return cls(len(events), first, last, tuple(article_ids))


@dataclass(frozen=True)
class StoreInfo:
    """What a caption says about the store: when it was built and who published its articles.

    The store's folder and its corpus folders are never shown: a briefing must not carry local paths.
    """

    built_at: str = ""
    articles: Articles = field(default_factory=dict)  # id -> {"title", "outlet", "url", ...}

    @classmethod
    def read(cls, store_path: str | Path, articles: Articles | None = None) -> "StoreInfo":
        """Read a store's ``manifest.json`` (and ``articles.parquet`` unless ``articles`` is given,
        e.g. ``EventStore.articles``); either file may be absent."""
        store = Path(store_path)
        manifest: dict[str, Any] = {}
        manifest_path = store / MANIFEST_FILE
        if manifest_path.is_file():
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise ExportError(f"{manifest_path}: not valid JSON ({error})") from None
        if articles is None:
            articles = {}
            articles_path = store / ARTICLES_FILE
            if articles_path.is_file():
                import pyarrow.parquet as pq

                table = pq.read_table(articles_path)
                wanted = [name for name in ("id", "title", "outlet", "url") if name in table.column_names]
                articles = {str(row["id"]): row for row in table.select(wanted).to_pylist()}
        return cls(built_at=str(manifest.get("built_at") or manifest.get("built") or ""), articles=articles)


def day_label(value: Any) -> str:
    """A date as people write it on a briefing: "1 Jan 2015"; "any" when missing."""
    value = plain_value(value)
    if isinstance(value, str) and value:
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return "any"
    return f"{value.day} {value:%b %Y}"


def window_label(view: Any) -> str:
    return f"{day_label(getattr(view, 'date_from', None))} – {day_label(getattr(view, 'date_to', None))}"


def counted(n: int, noun: str) -> str:
    """``counted(94118, "event")`` -> "94,118 events"."""
    return f"{n:,} {noun}{'s' * (n != 1)}"


def export_title(figure: str, view: Any, n_events: int) -> str:
    """The image's title: what it shows, how many events, and the time window."""
    return TITLES[figure].format(events=counted(n_events, "event"), window=window_label(view))


def caption_lines(events: Any, view: Any, store_info: StoreInfo | None = None, notes: Iterable[str] = ()) -> list[str]:
    """The caption of ``events`` (``CaptionFacts``, or a DataFrame of events), one line per subject (plain
    text; ``wrap`` fits them to the page)::

        Filters: countries Syria, Iraq; types Airstrike; text "raqqa"
        Time window: 1 Jan 2015 – 31 Dec 2016 (events from 3 Feb 2015 to 30 Nov 2016)
        Sources: 1,234 events from 96 articles (Wire Service, Daily Courier)
        Map: 1,180 placed events, grouped by area. Marker area: number of sources
        Store built 2026-11-21 10:00; exported 2026-12-02 01:20 UTC
    """
    facts = events if isinstance(events, CaptionFacts) else CaptionFacts.of_events(events)
    lines = [
        "Filters: " + ("; ".join(view_filters(view)) or "none"),
        "Time window: " + _date_window(facts, view),
        "Sources: " + _sources_line(facts, store_info),
        *notes,
    ]
    stamp = f"exported {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    if store_info and store_info.built_at:
        stamp = f"Store built {store_info.built_at[:16].replace('T', ' ')}; " + stamp
    lines.append(stamp[0].upper() + stamp[1:])
    return lines


def view_filters(view: Any) -> list[str]:
    """The view's active filters and selections in words (``dashboard.views.state.ViewState``)::

        ViewState.from_query("country=SY&type=airstrike&q=raqqa&brush=2017-01-01..2017-06-30")
        -> ['text "raqqa"', 'countries Syria', 'types Airstrike', 'time selection 1 Jan 2017 – 30 Jun 2017']

    The date window is not here: the caption gives it a line of its own.
    """

    def listed(values: Iterable[str], most: int = 10) -> str:
        values = list(values)
        more = f" and {len(values) - most:,} more" if len(values) > most else ""
        return ", ".join(values[:most]) + more

    filters = []
    if getattr(view, "text", ""):
        filters.append(f'text "{view.text}"')
    if getattr(view, "countries", ()):
        filters.append("countries " + listed(country_name(code) for code in view.countries))
    if getattr(view, "event_types", ()):
        filters.append("types " + listed(type_label(name) for name in view.event_types))
    if getattr(view, "sources", ()):
        filters.append("sources " + listed(view.sources))
    if getattr(view, "time_precisions", ()):
        filters.append("dates known to the " + ", ".join(view.time_precisions))
    if getattr(view, "place_precisions", ()):
        filters.append("places known to the " + ", ".join(view.place_precisions))
    if getattr(view, "min_confidence", None):
        filters.append(f"confidence at least {view.min_confidence:g}")
    if getattr(view, "brush", None):
        filters.append(f"time selection {day_label(view.brush[0])} – {day_label(view.brush[1])}")
    if getattr(view, "area", None):
        lons, lats = [p[0] for p in view.area], [p[1] for p in view.area]
        filters.append(f"map selection {min(lats):g}..{max(lats):g}°N, {min(lons):g}..{max(lons):g}°E")
    if getattr(view, "event_id", None):
        filters.append(f"event {view.event_id} highlighted")
    return filters


def _date_window(facts: CaptionFacts, view: Any) -> str:
    window = window_label(view)
    if facts.n_events and facts.first_date is not None:
        window += f" (events from {day_label(facts.first_date)} to {day_label(facts.last_date)})"
    elif not facts.n_events:
        window += " (no events match)"
    return window


def _sources_line(facts: CaptionFacts, store_info: StoreInfo | None) -> str:
    if not facts.n_events:
        return "no events"
    n_articles = len(facts.article_ids) if facts.n_articles is None else facts.n_articles
    line = f"{counted(facts.n_events, 'event')} from {counted(n_articles, 'article')}"
    if facts.outlets is not None:
        shown, n_outlets = list(facts.outlets[:OUTLETS_SHOWN]), facts.n_outlets
    else:
        articles = store_info.articles if store_info else {}
        # by C-level map/filter: a view of 100,000 events cites some 30,000 articles (25 ms as a Python loop)
        outlet_of = {article_id: article["outlet"] for article_id, article in articles.items()
                     if article and article.get("outlet")}
        outlets = list(dict.fromkeys(filter(None, map(outlet_of.get, facts.article_ids))))
        shown, n_outlets = outlets[:OUTLETS_SHOWN], len(outlets)
    if shown:
        more = f", and {n_outlets - len(shown):,} more" if n_outlets > len(shown) else ""
        line += f" ({', '.join(shown)}{more})"
    return line


def escape(text: str) -> str:
    """Plotly text is HTML-like: a filter value like "<b>" must show, not format."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap(line: str, width: int) -> list[str]:
    """A caption line cut at spaces into lines of at most ``width`` characters (continuations indented)."""
    lines, current = [], ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = "    " + word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


# Advice that only makes sense on the screen (a figure's notes say how to zoom or click); paper drops it.
SCREEN_ONLY = re.compile(r"(?:[:;,]\s*|<br>)(?:filter or zoom|zoom (?:in|out)|click)[^<]*$", re.IGNORECASE)


def for_paper(note: str) -> str:
    """A figure's note without its on-screen advice::

        >>> for_paper("21,747 more outside this view: zoom out or “Fit map”")
        '21,747 more outside this view'
    """
    return SCREEN_ONLY.sub("", note).strip()
