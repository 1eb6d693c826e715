"""Small builders shared by the tests (real records, no mocks)."""
import datetime as dt

from dashboard.pipeline.events import event_id
from dashboard.records import Event, Mention, PlaceMention, Provenance

D = dt.date.fromisoformat


def place(name="Raqqa", lat=35.95, lon=39.01, cc="SY", geonameid=163915, precision="city", start=0, text=None):
    return PlaceMention(text=text or name, start=start, end=start + len(text or name), name=name, lat=lat, lon=lon,
                        country_code=cc, feature="city", geonameid=geonameid, precision=precision)


def event(sentence, article="a1", start="2017-10-01", end="2017-10-31", precision="month", p=None,
          event_type=None, offset=0, basis="stated"):
    from dashboard.pipeline.taxonomy import classify_event

    p = p or place()
    s, e = D(start), D(end)
    prov = Provenance(article_id=article, sentence=sentence, start=offset, end=offset + len(sentence),
                      mentions=(Mention("place", p.text, offset + sentence.find(p.text),
                                        offset + sentence.find(p.text) + len(p.text)),))
    return Event(id=event_id(sentence, p, s, e), start_date=s, end_date=e, time_precision=precision, lat=p.lat,
                 lon=p.lon, place=p.name, place_precision=p.precision, country_code=p.country_code,
                 event_type=event_type or classify_event(sentence), fatalities=None, sentence=sentence,
                 start=offset, end=offset + len(sentence), sources=(article,), provenance=(prov,), confidence=0.8,
                 time_basis=basis, place_basis="stated", geonameid=p.geonameid, feature=p.feature)
