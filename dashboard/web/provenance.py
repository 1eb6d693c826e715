"""The provenance panel: where a selected event comes from, with its date and place mentions highlighted.

Everything from an article is rendered as TEXT (Dash components never inject HTML), so a ``<script>``
inside an article shows up as characters and never runs; links are only made for http(s) URLs.
"""
from __future__ import annotations

from dash import html

from dashboard.core.links import safe_link
from dashboard.views.figures import date_label, type_label
from dashboard.core.countries import country_name

MAX_SOURCES_SHOWN = 10


def highlight(sentence: str, sentence_start: int, mentions: list[dict]) -> list:
    """The sentence as spans, with each date/place mention wrapped in a <mark> of its kind.

    Mention offsets point into the ARTICLE; subtracting the sentence's own start gives the position in
    the sentence. A mention whose offsets do not fit (an edited sentence) is found by its text instead,
    and skipped when it cannot be found, so a bad record never hides the sentence.

    >>> [getattr(p, "children", p) for p in highlight("Raqqa fell in 2017.", 100,
    ...     [{"kind": "place", "text": "Raqqa", "start": 100, "end": 105}])]
    ['Raqqa', ' fell in 2017.']
    """
    spans: list[tuple[int, int, str]] = []
    for mention in mentions or []:
        if not isinstance(mention, dict):
            continue
        kind = mention.get("kind") if mention.get("kind") in ("date", "place") else "other"
        text = str(mention.get("text") or "")
        try:
            start = int(mention.get("start")) - int(sentence_start)
            end = int(mention.get("end")) - int(sentence_start)
        except (TypeError, ValueError):
            start = end = -1
        if not (0 <= start < end <= len(sentence)) or (text and sentence[start:end] != text):
            found = sentence.find(text) if text else -1
            if found < 0:
                continue
            start, end = found, found + len(text)
        if any(start < e and s < end for s, e, _ in spans):
            continue  # overlapping mentions: keep the first
        spans.append((start, end, kind))
    spans.sort()
    parts: list = []
    cursor = 0
    for start, end, kind in spans:
        if start > cursor:
            parts.append(sentence[cursor:start])
        parts.append(html.Mark(sentence[start:end], className=f"mention mention-{kind}",
                               title=f"{kind} mention"))
        cursor = end
    if cursor < len(sentence):
        parts.append(sentence[cursor:])
    return parts


def provenance_panel(event: dict | None, articles: dict[str, dict] | None = None) -> list:
    """The panel's children for one event (as ``EventStore.event`` returns it), or a hint when none."""
    if not event:
        return [html.P("Click an event on the timeline, the map or the table to see where it comes from.",
                       className="hint")]
    articles = articles or {}
    start, end = event.get("start_date"), event.get("end_date")
    when = date_label(start, end, event.get("time_precision") or "") if start and end else "date unknown"
    place = event.get("place") or "place unknown"
    country = country_name(event.get("country_code")) if event.get("country_code") else ""
    facts = [
        ("Date", when if event.get("time_precision") == "published" else
                 f"{when} (known to the {event.get('time_precision')}; from the {event.get('time_basis')} date)"),
        ("Place", f"{place}{', ' + country if country and country != place else ''} "
                  f"(known to the {event.get('place_precision')}; {event.get('place_basis')})"),
        ("Type", type_label(event.get("event_type") or "other")),
        ("Fatalities", "not stated" if event.get("fatalities") is None else str(event.get("fatalities"))),
        ("Sources", str(event.get("n_sources") or len(event.get("sources") or []))),
    ]
    if event.get("lat") is not None and event.get("lon") is not None:
        facts.append(("Coordinates", f"{event['lat']:.4f}, {event['lon']:.4f}"))
    children: list = [
        html.H3(f"{type_label(event.get('event_type') or 'other')} · {when}", className="panel-title"),
        html.Dl([item for label, value in facts for item in (html.Dt(label), html.Dd(value))], className="facts"),
    ]
    records = event.get("provenance") or []
    if not records:  # a store without provenance records still shows the event's own sentence
        records = [{"article_id": (event.get("sources") or [""])[0], "sentence": event.get("sentence") or "",
                    "start": event.get("start") or 0, "mentions": []}]
    for record in records[:MAX_SOURCES_SHOWN]:
        article_id = str(record.get("article_id") or "")
        article = articles.get(article_id, {})
        title = record.get("title") or article.get("title") or article_id or "untitled article"
        published = record.get("published") or article.get("published") or "publication date unknown"
        link = safe_link(record.get("url") or article.get("url"))
        heading = html.A(title, href=link, target="_blank", rel="noopener noreferrer") if link else html.Span(title)
        sentence = str(record.get("sentence") or "")
        children.append(html.Article([
            html.H4(heading, className="source-title"),
            html.P([html.Span(article.get("outlet") or "", className="outlet"),
                    html.Span(f"published {published}", className="published"),
                    html.Span(article_id, className="article-id")], className="source-meta"),
            html.Blockquote(highlight(sentence, record.get("start") or 0, record.get("mentions") or []),
                            className="sentence"),
        ], className="source"))
    if len(records) > MAX_SOURCES_SHOWN:
        children.append(html.P(f"and {len(records) - MAX_SOURCES_SHOWN} more sources", className="hint"))
    return children
