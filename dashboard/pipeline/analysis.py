"""One article through every stage: text -> document -> date and place mentions -> events.

``analyse`` is what both ``extract`` (one JSON line per document) and ``build`` (the store) run, so the
events a user sees in the dashboard are exactly the ones ``extract`` prints for that article.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.pipeline.dates import find_publication_date, tag_dates
from dashboard.pipeline.document import make_document
from dashboard.pipeline.arguments import mark_speakers
from dashboard.pipeline.events import extract_events
from dashboard.pipeline.places import find_places
from dashboard.pipeline.places.online import article_country, geocoder_setting, online_geocoder, resolve_online
from dashboard.records import Article, DateMention, Document, Event, PlaceMention, PublicationDate

def _stages_fingerprint() -> str:
    """A hash of every stage's code and data: any change to how articles are analysed invalidates the
    cached per-article results, so a rebuild can never mix old and new analyses."""
    package = Path(__file__).resolve().parent
    files = sorted(package.glob("*.py")) + [package.parent / "records.py"]
    files += sorted((package / "dates").glob("*.py")) + sorted((package / "places").glob("*.py"))
    files += sorted((package / "dates").glob("*.toml"))  # the date rule table is data beside the code
    files += sorted((package.parent / "data" / "gazetteer").glob("*"))
    digest = hashlib.sha256()
    for library in ("dateparser", "holidays", "hijridate", "english-words", "wordfreq"):  # their tables are data too
        digest.update(f"{library}={importlib.metadata.version(library)}".encode())
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PIPELINE_VERSION = f"2-{_stages_fingerprint()}"
if geocoder_setting() != "offline":  # results resolved online are not the offline ones: never mixed
    PIPELINE_VERSION += f"-{geocoder_setting()}"


@dataclass(frozen=True)
class Analysis:
    """Everything the pipeline found in one article."""

    document: Document
    dates: tuple[DateMention, ...]
    places: tuple[PlaceMention, ...]
    events: tuple[Event, ...]

    @property
    def published(self) -> PublicationDate:
        return self.document.published


def resolve_publication(document: Document) -> Document:
    """Metadata first; else a dateline or timestamp in the text; else unknown (said so, never today)."""
    if document.article.published.known:
        return replace(document, published=document.article.published)
    found = find_publication_date(document.clean_text, document.sentence_spans)
    return replace(document, published=found)


def _original_text(article: Article, mentions):
    """Mentions are found in the cleaned text; report their text as it stands in the original."""
    text = article.text
    return tuple(m if text[m.start:m.end] == m.text else replace(m, text=text[m.start:m.end]) for m in mentions)


def analyse(article: Article, *, gazetteer=None) -> Analysis:
    document = resolve_publication(make_document(article))
    spans = document.sentence_spans
    places = _original_text(article, find_places(document.clean_text, spans, gazetteer=gazetteer))
    geocode = online_geocoder()
    if geocode is not None:  # NEWS_DASHBOARD_GEOCODER=nominatim|photon: recognised offline, resolved online
        places = tuple(resolve_online(places, geocode, country_hint=article_country(places)))
    places = tuple(mark_speakers(document.clean_text, places))  # "U.S. officials said": listed, never an event's place
    country = article_country(places)  # whose Labor Day or Independence Day the text means
    dates = _original_text(article, tag_dates(document.clean_text, document.published, spans, country))

    def retag(text: str, span: tuple[int, int]) -> list[DateMention]:
        return tag_dates(text, document.published, [span], country)

    events = tuple(extract_events(document, list(dates), list(places), retag=retag))
    return Analysis(document=document, dates=dates, places=places, events=events)
