"""The ``extract`` output: one JSON object per document, as ``CONTRACT.md`` (the scorers' contract) says.

    {"id", "published": {"start_date", "end_date", "source"},
     "dates": [{"text", "start", "end", "start_date", "end_date", "granularity", "anchor"}],
     "places": [{"text", "start", "end", "name", "lat", "lon", "country_code", "feature", "geonameid"}],
     "events": [{"start_date", "end_date", "lat", "lon", "place", "sentence", "start", "end", ...}]}

``events`` are ordered by prominence: the first is the occurrence the text is about (the dot a one-line
notice would show). An event dated only by the publication has ``time_precision`` "published" and
``time_basis`` "published"; ``confidence`` in [0, 1] says how sure the placement is, ``provenance`` lists
every sentence that tells it.

Offsets index the text exactly as given. Dates that need an anchor the article does not have (no
publication date known) are listed with null start_date/end_date rather than guessed from today.
"""
from __future__ import annotations

from dashboard.pipeline.analysis import Analysis
from dashboard.records import DateMention, Event, PlaceMention


def _iso(value):
    return value.isoformat() if value is not None else None


def date_json(d: DateMention) -> dict:
    return {"text": d.text, "start": d.start, "end": d.end, "start_date": _iso(d.start_date),
            "end_date": _iso(d.end_date), "granularity": d.granularity, "anchor": d.anchor}


def place_json(p: PlaceMention) -> dict:
    if not p.resolved:  # an online geocoder could not place it: listed, with no point (the scorers skip it)
        return {"text": p.text, "start": p.start, "end": p.end, "name": p.name, "lat": None, "lon": None,
                "country_code": p.country_code or None, "feature": p.feature, "geonameid": None,
                "precision": None, "confidence": 0.0, "unresolved": True, "resolver": p.resolver,
                "reason": p.unresolved_reason or None}
    out = {"text": p.text, "start": p.start, "end": p.end, "name": p.name, "lat": round(p.lat, 5),
           "lon": round(p.lon, 5), "country_code": p.country_code, "feature": p.feature,
           "geonameid": p.geonameid, "precision": p.precision, "confidence": round(p.confidence, 3),
           "mention": p.mention_kind, "role": p.role}  # only a "location" can be an event's place
    if p.resolver != "offline":
        out["resolver"] = p.resolver
    return out


def event_json(e: Event) -> dict:
    return {"id": e.id, "start_date": e.start_date.isoformat(), "end_date": e.end_date.isoformat(),
            "time_precision": e.time_precision, "lat": round(e.lat, 5), "lon": round(e.lon, 5), "place": e.place,
            "place_precision": e.place_precision, "country_code": e.country_code, "event_type": e.event_type,
            "fatalities": e.fatalities, "sentence": e.sentence, "start": e.start, "end": e.end,
            "sources": list(e.sources), "confidence": e.confidence, "time_basis": e.time_basis,
            "place_basis": e.place_basis,
            "provenance": [{"sentence": p.sentence, "start": p.start, "end": p.end,
                            "triggers": [m.text for m in p.mentions if m.kind == "trigger"]} for p in e.provenance]}


def analysis_json(doc_id: str, analysis: Analysis) -> dict:
    published = analysis.published
    return {
        "id": doc_id,
        "published": {"start_date": _iso(published.start_date), "end_date": _iso(published.end_date),
                      "source": published.source, "precision": published.precision},
        "dates": [date_json(d) for d in analysis.dates],
        "places": [place_json(p) for p in analysis.places],
        "events": [event_json(e) for e in analysis.events],
    }


def error_json(doc_id: str, problem: str) -> dict:
    """A document that could not be analysed still gets its line (the scorers match lines by id)."""
    return {"id": doc_id, "published": {"start_date": None, "end_date": None, "source": "none"},
            "dates": [], "places": [], "events": [], "error": problem}
