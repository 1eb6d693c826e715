"""Typed records passed between the pipeline's stages.

Data flows one way (see README, "Architecture"):

    Article (corpus.py) -> Document (document.py) -> DateMention (dates/) + PlaceMention (places/)
        -> Event (events.py) -> store (store.py) -> views and exports (query.py, figures.py, app.py, export.py)

Records made in large numbers (mentions, events, their provenance) use ``__slots__``: a build of ten
thousand articles holds a few hundred thousand of them at once.

Every offset is a Python ``str`` index into ``Article.text`` exactly as read from disk (decoded), so that
``article.text[start:end]`` is the mention, whatever cleaning happened in between.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Granularity of a date mention, as the extract contract names it.
GRANULARITIES = ("day", "week", "month", "season", "quarter", "half", "year", "decade", "range")
# What an event's time is known to: a granularity, or "published" when the text gives no time for it and
# the event is dated by its article's publication (it happened by then; drawn and counted as uncertain).
TIME_PRECISIONS = GRANULARITIES + ("published",)

# What a resolved place is precise to, coarsest last (ACLED-style geo precision).
PLACE_PRECISIONS = ("point", "city", "admin", "region", "country")

# The event types (pipeline/taxonomy.py finds them), each in the user's words as the views and exports name it.
EVENT_TYPES = ("prison_break", "airstrike", "bombing", "attack_on_civilians", "capture_or_seizure", "battle",
               "protest", "arrest", "movement_or_flight", "statement_or_report", "other")
EVENT_TYPE_LABELS = {
    "prison_break": "Prison break", "airstrike": "Airstrike", "bombing": "Bombing",
    "attack_on_civilians": "Attack on civilians", "battle": "Battle", "capture_or_seizure": "Capture or seizure",
    "protest": "Protest or riot", "arrest": "Arrest or detention", "movement_or_flight": "Movement or flight",
    "statement_or_report": "Declaration or claim", "other": "Other development",
}


@dataclass(frozen=True)
class PublicationDate:
    """When an article was published, as far as it is known.

    ``source`` says where it came from: "metadata", "text" (a dateline found in the article) or "none"
    (unknown: then ``start_date`` and ``end_date`` are None and publication-relative expressions stay
    unresolved). ``precision`` is "day", "month" or "year"; a month-precise date spans its whole month.
    """

    start_date: dt.date | None
    end_date: dt.date | None
    precision: str  # day | month | year | unknown
    source: str  # metadata | text | none
    start: int | None = None  # offsets of the dateline, when source == "text"
    end: int | None = None

    @property
    def known(self) -> bool:
        return self.start_date is not None

    @classmethod
    def unknown(cls) -> "PublicationDate":
        return cls(None, None, "unknown", "none")


@dataclass(frozen=True)
class Article:
    """One input text with its metadata, as loaded from the corpus folder."""

    id: str
    text: str
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: PublicationDate = field(default_factory=PublicationDate.unknown)
    content_hash: str = ""  # sha256 of the raw bytes (or text), for incremental builds
    source_format: str = "txt"  # txt | md | html | jsonl | csv


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the kept content: offsets into the original text, and its paragraph number.

    ``kind`` is "prose", "headline" (the article's first line when it reads as a title) or "furniture"
    (a caption, menu, player or share label: its mentions are kept, it makes no event).
    """

    start: int
    end: int
    paragraph: int
    kind: str = "prose"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A stretch of the original text that is not content (boilerplate, a repeated block, a bare link)."""

    start: int
    end: int
    reason: str  # boilerplate | repeat | link | markup


@dataclass(frozen=True)
class Document:
    """An article cut into content sentences; nothing of the original text is changed or moved."""

    article: Article
    sentences: tuple[Sentence, ...]
    skipped: tuple[Skipped, ...] = ()
    published: PublicationDate = field(default_factory=PublicationDate.unknown)
    # The original text with every skipped stretch (markup, links, boilerplate, repeats) replaced by
    # spaces: the same length as the original, so an offset into one is an offset into the other.
    clean_text: str = ""
    # The original text with only its markup blanked and entities put as characters (same length): what
    # a reader of the page sees, for the sentences shown to users. "" when the text has no markup.
    readable_text: str = ""

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def sentence_spans(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.sentences]

    def sentence_text(self, sentence: Sentence) -> str:
        return self.article.text[sentence.start:sentence.end]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in the text and the inclusive interval of calendar days it names.

    ``start_date``/``end_date`` are None when the expression needs an anchor that is unknown
    (e.g. "last week" in an article with no publication date).
    """

    text: str
    start: int
    end: int
    start_date: dt.date | None
    end_date: dt.date | None
    granularity: str
    anchor: str  # published | text | none
    rule: str = ""  # the name of the pattern that found it, for debugging and tests

    @property
    def resolved(self) -> bool:
        return self.start_date is not None and self.end_date is not None


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    """One gazetteer entry that a place name could refer to."""

    name: str
    lat: float
    lon: float
    country_code: str
    feature: str  # country | admin1 | admin2 | city | camp | base | prison | valley | river | region | ...
    geonameid: int | None
    population: int = 0
    source: str = ""  # geonames | curated:<ref> | nominatim | photon ...
    distance_km: float | None = None  # from the place the mention was resolved to (in alternatives)
    score: float = 0.0  # how strongly the context favoured it (higher is better)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in the text and the place it was resolved to."""

    text: str
    start: int
    end: int
    name: str
    lat: float
    lon: float
    country_code: str
    feature: str
    geonameid: int | None
    precision: str  # point | city | admin | region | country
    confidence: float = 1.0
    alternatives: tuple[PlaceCandidate, ...] = ()  # other candidates, best first, for corrections
    # "name" for a place name ("Syria"); "demonym" for an adjective standing for the place ("Syrian
    # deserts", "American officials"): it resolves to the country but says less about where things happen
    mention_kind: str = "name"
    # False when an online geocoder could not place the name (lat/lon are then NaN: it makes no event)
    resolved: bool = True
    resolver: str = "offline"  # offline | nominatim:<domain> | photon:<domain>
    # why an unresolved place has no point: "service failed" (worth asking again later) or "not found"
    unresolved_reason: str = ""
    # What the name does in its sentence. Only a "location" can be where an event happened; the others
    # stay mentions (listed by extract, found by search) and never become an event's place:
    # "organisation" (Boko Haram, the New York Times), "person" (al-Baghdadi), "currency" (the US dollar),
    # "comparison" (an area the size of Britain), "nationality" (Indian troops), "title" (the Mayor of X),
    # "speaker" (U.S. officials said, Washington warned), "route" (a checkpoint on the Murree road).
    role: str = "location"
    # The namesakes the text could not tell from the chosen place (another "Lozove" as likely as this
    # one): a collection of articles may tell them apart (``pipeline.theatre``).
    namesakes: tuple[PlaceCandidate, ...] = ()
    # Found only by a variant spelling in a text that names no other place: it stands only where the
    # collection of articles confirms it (``pipeline.theatre``); alone, it makes no event.
    tentative: bool = False


PLACE_ROLES = ("location", "organisation", "person", "currency", "comparison", "nationality", "title", "speaker",
               "route")


@dataclass(frozen=True, slots=True)
class Mention:
    """A highlighted span inside an event's sentence (for the provenance panel)."""

    kind: str  # date | place
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one source article reports an event: the article and the sentence, with its offsets."""

    article_id: str
    sentence: str
    start: int
    end: int
    mentions: tuple[Mention, ...] = ()
    published: str | None = None  # ISO date of the article's publication, when known
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A dated, located happening with its precision and its sources.

    ``time_basis`` says where the date came from: "stated" (in the sentence), "narrative" (the nearest
    preceding date of the paragraph), "published" (the publication date). ``place_basis`` likewise:
    "stated", "dateline" or "focus" (the article's main place).
    """

    id: str
    start_date: dt.date
    end_date: dt.date
    time_precision: str  # one of TIME_PRECISIONS
    lat: float
    lon: float
    place: str
    place_precision: str
    country_code: str
    event_type: str
    fatalities: int | None
    sentence: str
    start: int  # sentence offsets in the first source article
    end: int
    sources: tuple[str, ...]  # article ids, first reporter first
    provenance: tuple[Provenance, ...]
    confidence: float
    time_basis: str = "stated"
    place_basis: str = "stated"
    geonameid: int | None = None
    feature: str = ""
    namesakes: tuple[PlaceCandidate, ...] = ()  # its place's namesakes the text left open (PlaceMention)
    tentative: bool = False  # its place is a tentative mention (PlaceMention): the collection must confirm it
