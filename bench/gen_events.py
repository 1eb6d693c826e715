"""Write a synthetic events store of N realistic events, for the dashboard's tests and benchmarks.

    .venv/bin/python bench/gen_events.py bench/out/store-100k --events 100000
    .venv/bin/python bench/gen_events.py bench/out/store-1m --events 1000000 --part-size 250000

The store has the real layout (``dashboard/store/schema.py``): ``events/part-*.parquet`` in EVENTS_SCHEMA,
``articles.parquet`` in ARTICLES_SCHEMA and a ``manifest.json``. Events are mostly in Syria and Iraq
(2014-2019 heaviest) with other theatres, a few background events before 2014, every time precision
(day ... decade, range), every place precision (point ... country, plus a few unplaced events), every
event type, 1-3 sources each, and a sentence per event whose date and place mentions carry offsets
into the (synthetic) article text, exactly like the pipeline's provenance records.

``generate_events(n, seed)`` returns the events as a pyarrow Table for in-process use (tests).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dashboard.store.schema import (  # noqa: E402
    ARTICLES_FILE, ARTICLES_SCHEMA, EVENTS_DIR, EVENTS_SCHEMA, MANIFEST_FILE,
)
from dashboard.views.state import EVENT_TYPES  # noqa: E402

# Synthetic places: (name, lat, lon, country code, weight within its theatre). Theatres are weighted
# below; the names are ordinary world places so the map looks plausible, nothing more.
PLACES = {
    "SY": [("Raqqa", 35.95, 39.01, 9), ("Deir ez-Zor", 35.34, 40.14, 7), ("Aleppo", 36.20, 37.16, 6),
           ("Palmyra", 34.56, 38.28, 4), ("Kobani", 36.89, 38.35, 4), ("Manbij", 36.53, 37.95, 3),
           ("Al-Bab", 36.37, 37.52, 3), ("Homs", 34.73, 36.72, 3), ("Idlib", 35.93, 36.63, 3),
           ("Al-Hasakah", 36.50, 40.75, 3), ("Abu Kamal", 34.45, 40.92, 3), ("Damascus", 33.51, 36.29, 3)],
    "IQ": [("Mosul", 36.34, 43.13, 9), ("Fallujah", 33.35, 43.78, 5), ("Ramadi", 33.42, 43.30, 5),
           ("Tikrit", 34.60, 43.68, 4), ("Baghdad", 33.31, 44.37, 5), ("Kirkuk", 35.47, 44.39, 4),
           ("Sinjar", 36.32, 41.87, 3), ("Tal Afar", 36.37, 42.45, 3), ("Baiji", 34.93, 43.49, 3),
           ("Samarra", 34.20, 43.87, 3), ("Erbil", 36.19, 44.01, 2), ("Hit", 33.64, 42.83, 2)],
    "LY": [("Sirte", 31.21, 16.59, 5), ("Derna", 32.77, 22.64, 3), ("Benghazi", 32.12, 20.07, 2)],
    "NG": [("Maiduguri", 11.85, 13.16, 4), ("Baga", 13.11, 13.84, 2)],
    "AF": [("Jalalabad", 34.43, 70.45, 4), ("Kabul", 34.53, 69.17, 3)],
    "EG": [("Arish", 31.13, 33.80, 4), ("Rafah", 31.28, 34.24, 2)],
    "PH": [("Marawi", 8.00, 124.29, 3)],
    "FR": [("Paris", 48.86, 2.35, 2), ("Nice", 43.70, 7.27, 1)],
    "BE": [("Brussels", 50.85, 4.35, 2)],
    "TR": [("Istanbul", 41.01, 28.98, 2), ("Gaziantep", 37.07, 37.38, 1)],
    "YE": [("Aden", 12.79, 45.03, 2)],
    "SO": [("Bosaso", 11.28, 49.18, 1)],
    "MZ": [("Palma", -10.78, 40.47, 1)],
}
COUNTRY_CENTRES = {
    "SY": ("Syria", 35.0, 38.5), "IQ": ("Iraq", 33.0, 43.7), "LY": ("Libya", 27.0, 17.0),
    "NG": ("Nigeria", 9.1, 8.7), "AF": ("Afghanistan", 33.9, 67.7), "EG": ("Egypt", 26.8, 30.8),
    "PH": ("Philippines", 12.9, 121.8), "FR": ("France", 46.2, 2.2), "BE": ("Belgium", 50.5, 4.5),
    "TR": ("Turkey", 39.0, 35.2), "YE": ("Yemen", 15.6, 48.5), "SO": ("Somalia", 5.2, 46.2),
    "MZ": ("Mozambique", -18.7, 35.5),
}
REGIONS = {  # regions inside one country, drawn at their centre
    "SY": [("eastern Syria", 35.2, 39.8), ("northern Syria", 36.3, 38.0)],
    "IQ": [("Anbar province", 33.4, 42.0), ("Nineveh plains", 36.4, 43.4), ("northern Iraq", 36.0, 43.5)],
}
THEATRE_WEIGHTS = {"SY": 40, "IQ": 36, "LY": 4, "NG": 4, "AF": 4, "EG": 3, "PH": 2, "FR": 1.5, "BE": 0.5,
                   "TR": 2, "YE": 1.5, "SO": 0.7, "MZ": 0.8}
TYPE_WEIGHTS = {"battle": 22, "airstrike": 20, "bombing": 12, "attack_on_civilians": 10,
                "capture_or_seizure": 9, "prison_break": 1.5, "arrest": 6, "movement_or_flight": 5,
                "statement_or_report": 9, "other": 5.5, "protest": 2}
TIME_PRECISION_WEIGHTS = {"day": 52, "week": 8, "month": 15, "season": 4, "quarter": 3, "half": 2,
                          "year": 9, "decade": 1, "range": 6}
PLACE_PRECISION_WEIGHTS = {"point": 8, "city": 58, "admin": 14, "region": 8, "country": 11, "none": 1}
SEASONS = {"winter": (12, 2), "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
OUTLETS = ["Wire Service", "Daily Courier", "Evening Standard-Times", "Regional Monitor", "Field Report"]

# Sentence patterns per event type: {place} and {date} are the mentions whose offsets are recorded.
SENTENCES = {
    "battle": "Fighting broke out in {place} {date} as government forces pushed into the militants' lines{toll}.",
    "airstrike": "Coalition aircraft struck positions near {place} {date}{toll}, officials said.",
    "bombing": "A car bomb exploded in a market in {place} {date}{toll}.",
    "attack_on_civilians": "Gunmen attacked villagers in {place} {date}{toll}, residents said.",
    "capture_or_seizure": "Militants seized control of {place} {date} after government troops withdrew.",
    "prison_break": "Dozens of inmates escaped from the prison in {place} {date} after an assault on its gates.",
    "arrest": "Security forces arrested a suspected cell leader in {place} {date}.",
    "movement_or_flight": "Thousands of families fled {place} {date} toward camps to the south.",
    "statement_or_report": "A monitoring group reported {date} that the situation in {place} had worsened{toll}.",
    "other": "Local officials in {place} described {date} a shortage of water and fuel.",
    "protest": "Hundreds of residents protested in {place} {date} against the power cuts.",
}
ARTICLE_LEAD = "This is a synthetic article written by bench/gen_events.py for tests and benchmarks. "


# Every type of the taxonomy appears (a renamed or added type must be given a weight here).
assert set(TYPE_WEIGHTS) == set(EVENT_TYPES) == set(SENTENCES), "gen_events.py is out of step with the taxonomy"


def _choice(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _year_weights() -> tuple[np.ndarray, np.ndarray]:
    years = np.arange(2014, 2026)
    # The caliphate years dominate, then a long insurgent tail.
    weights = np.array([10, 14, 16, 16, 9, 8, 5, 4, 3.5, 3, 2.5, 2], dtype=float)
    return years, weights / weights.sum()


def _interval(rng: np.random.Generator, precision: str, day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The date interval an expression of this precision names around ``day``, and the expression."""
    y, m = day.year, day.month
    if precision == "day":
        return day, day, f"on {day.day} {MONTHS[m - 1]} {y}"
    if precision == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6), f"in the week of {start.day} {MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        end = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
        return dt.date(y, m, 1), end, f"in {MONTHS[m - 1]} {y}"
    if precision == "season":
        name = ["winter", "winter", "spring", "spring", "spring", "summer", "summer", "summer",
                "autumn", "autumn", "autumn", "winter"][m - 1]
        first, last = SEASONS[name]
        if name == "winter":
            start_year = y if m == 12 else y - 1
            start = dt.date(start_year, 12, 1)
            end = dt.date(start_year + 1, 3, 1) - dt.timedelta(days=1)
            return start, end, f"in the winter of {start_year}-{(start_year + 1) % 100:02d}"
        return dt.date(y, first, 1), dt.date(y, last + 1, 1) - dt.timedelta(days=1), f"in the {name} of {y}"
    if precision == "quarter":
        q = (m - 1) // 3
        start = dt.date(y, 3 * q + 1, 1)
        end = dt.date(y + (q == 3), (3 * q + 3) % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end, f"in the {['first', 'second', 'third', 'fourth'][q]} quarter of {y}"
    if precision == "half":
        if m <= 6:
            return dt.date(y, 1, 1), dt.date(y, 6, 30), f"in the first half of {y}"
        return dt.date(y, 7, 1), dt.date(y, 12, 31), f"in the second half of {y}"
    if precision == "year":
        return dt.date(y, 1, 1), dt.date(y, 12, 31), f"in {y}"
    if precision == "decade":
        d = y - y % 10
        return dt.date(d, 1, 1), dt.date(d + 9, 12, 31), f"in the {d}s"
    # range: a stated span of 3 to 120 days
    length = int(rng.integers(3, 120))
    end = day + dt.timedelta(days=length)
    return day, end, (f"between {day.day} {MONTHS[m - 1]} {y} and "
                      f"{end.day} {MONTHS[end.month - 1]} {end.year}")


def generate_events(n: int, seed: int = 7, *, id_prefix: str = "ev") -> tuple[pa.Table, pa.Table]:
    """``n`` synthetic events and their articles, as (events, articles) tables in the store schemas."""
    rng = np.random.default_rng(seed)
    years, year_p = _year_weights()
    n_articles = max(1, n // 3)
    article_dates = [dt.date(int(y), 1, 1) + dt.timedelta(days=int(d))
                     for y, d in zip(rng.choice(years, size=n_articles, p=year_p),
                                     rng.integers(0, 365, size=n_articles))]
    article_ids = [f"art-{i:07d}" for i in range(n_articles)]

    countries = _choice(rng, THEATRE_WEIGHTS, n)
    types = _choice(rng, TYPE_WEIGHTS, n)
    time_precisions = _choice(rng, TIME_PRECISION_WEIGHTS, n)
    place_precisions = _choice(rng, PLACE_PRECISION_WEIGHTS, n)
    n_sources = rng.choice([1, 2, 3], size=n, p=[0.62, 0.26, 0.12])
    first_article = rng.integers(0, n_articles, size=n)
    day_offsets = rng.integers(0, 400, size=n)  # days before the reporting article's publication
    early = rng.random(n) < 0.004  # background events reported long after (e.g. a 2004 detention)
    jitter = rng.normal(0, 1, size=(n, 2))
    has_toll = rng.random(n) < 0.45
    tolls = rng.geometric(0.12, size=n)
    place_pick = rng.random(n)
    confidence = np.round(rng.uniform(0.45, 1.0, size=n), 3)

    columns: dict[str, list] = {name: [] for name in EVENTS_SCHEMA.names}
    article_events = np.zeros(n_articles, dtype=np.int32)
    for i in range(n):
        cc = countries[i]
        art = int(first_article[i])
        published = article_dates[art]
        day = published - dt.timedelta(days=int(day_offsets[i]))
        if early[i]:
            day = dt.date(int(rng.integers(1995, 2014)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        precision = time_precisions[i]
        start_date, end_date, date_text = _interval(rng, precision, day)

        place_precision = place_precisions[i]
        if place_precision == "none":  # an event whose place could not be resolved: timeline only
            place, lat, lon, cc_out, place_precision, feature = "", None, None, "", "country", ""
            place_text = "the area"
        elif place_precision == "country":
            place, lat, lon = COUNTRY_CENTRES[cc]
            cc_out, feature, place_text = cc, "country", place
        elif place_precision == "region" and cc in REGIONS:
            region = REGIONS[cc][int(place_pick[i] * len(REGIONS[cc]))]
            place, lat, lon = region
            cc_out, feature, place_text = cc, "region", place
        else:
            if place_precision == "region":
                place_precision = "admin"
            towns = PLACES[cc]
            weights = np.array([t[3] for t in towns], dtype=float)
            town = towns[int(np.searchsorted(np.cumsum(weights) / weights.sum(), place_pick[i]))]
            place, lat, lon = town[0], town[1], town[2]
            spread = {"point": 0.02, "city": 0.04, "admin": 0.35}[place_precision]
            lat, lon = lat + jitter[i, 0] * spread, lon + jitter[i, 1] * spread
            cc_out, place_text = cc, place
            feature = {"point": "site", "city": "city", "admin": "admin2"}[place_precision]

        toll = int(tolls[i]) if has_toll[i] else None
        toll_text = f", killing {toll} people" if toll is not None and "{toll}" in SENTENCES[types[i]] else ""
        template = SENTENCES[types[i]]
        sentence = template.replace("{toll}", toll_text)
        # Offsets of the two mentions inside the sentence, found after substitution.
        before_place, _, rest = sentence.partition("{place}")
        sentence = before_place + place_text + rest
        place_at = len(before_place)
        date_at = sentence.index("{date}")
        sentence = sentence.replace("{date}", date_text)
        if date_at < place_at:
            place_at += len(date_text) - len("{date}")
        sentence_start = len(ARTICLE_LEAD) + int(i % 7) * 61
        sentence = sentence[0].upper() + sentence[1:]

        sources = [article_ids[art]]
        for extra in range(1, int(n_sources[i])):
            sources.append(article_ids[(art + extra * 7919) % n_articles])
        sources = list(dict.fromkeys(sources))
        provenance = []
        for source in sources:
            idx = int(source[4:])
            article_events[idx] += 1
            provenance.append({
                "article_id": source,
                "sentence": sentence,
                "start": sentence_start,
                "end": sentence_start + len(sentence),
                "mentions": [
                    {"kind": "date", "text": date_text, "start": sentence_start + date_at,
                     "end": sentence_start + date_at + len(date_text)},
                    {"kind": "place", "text": place_text, "start": sentence_start + place_at,
                     "end": sentence_start + place_at + len(place_text)},
                ],
                "published": article_dates[idx].isoformat(),
                "title": f"Synthetic report {idx} from {COUNTRY_CENTRES[cc][0]}",
                "url": f"https://example.org/news/{source}",
            })
        columns["id"].append(f"{id_prefix}-{i:07d}")
        columns["start_date"].append(start_date)
        columns["end_date"].append(end_date)
        columns["time_precision"].append(precision)
        columns["lat"].append(None if lat is None else round(float(lat), 5))
        columns["lon"].append(None if lon is None else round(float(lon), 5))
        columns["place"].append(place)
        columns["place_precision"].append(place_precision)
        columns["country_code"].append(cc_out)
        columns["event_type"].append(types[i])
        columns["fatalities"].append(toll if toll_text else None)
        columns["sentence"].append(sentence)
        columns["start"].append(sentence_start)
        columns["end"].append(sentence_start + len(sentence))
        columns["sources"].append(sources)
        columns["n_sources"].append(len(sources))
        columns["confidence"].append(float(confidence[i]))
        columns["time_basis"].append("stated")
        columns["place_basis"].append("stated" if place else "focus")
        columns["geonameid"].append(None)
        columns["feature"].append(feature)
        columns["provenance"].append(json.dumps(provenance, ensure_ascii=False))
        columns["corrected"].append(False)
    events = pa.Table.from_pydict(columns, schema=EVENTS_SCHEMA)
    articles = pa.Table.from_pydict({
        "id": article_ids,
        "title": [f"Synthetic report {i}" for i in range(n_articles)],
        "outlet": [OUTLETS[i % len(OUTLETS)] for i in range(n_articles)],
        "url": [f"https://example.org/news/{a}" for a in article_ids],
        "published_start": article_dates,
        "published_end": article_dates,
        "published_precision": ["day"] * n_articles,
        "published_source": ["metadata"] * n_articles,
        "path": [f"synthetic/{a}.txt" for a in article_ids],
        "content_hash": [""] * n_articles,
        "n_events": article_events.tolist(),
        "status": ["ok"] * n_articles,
        "error": [None] * n_articles,
    }, schema=ARTICLES_SCHEMA)
    return events, articles


def write_store(store_dir: str | Path, events: pa.Table, articles: pa.Table, *, part_size: int = 100_000,
                note: str = "synthetic") -> Path:
    """Write tables as a store directory (events split in parts of ``part_size`` rows)."""
    store = Path(store_dir)
    events_dir = store / EVENTS_DIR
    events_dir.mkdir(parents=True, exist_ok=True)
    for old in events_dir.glob("part-*.parquet"):
        old.unlink()
    for part, offset in enumerate(range(0, max(events.num_rows, 1), part_size)):
        pq.write_table(events.slice(offset, part_size), events_dir / f"part-{part:05d}.parquet")
    pq.write_table(articles, store / ARTICLES_FILE)
    (store / MANIFEST_FILE).write_text(json.dumps({
        "generator": "bench/gen_events.py", "note": note, "n_events": events.num_rows,
        "n_articles": articles.num_rows, "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }, indent=2))
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", help="output store directory")
    parser.add_argument("--events", type=int, default=100_000, help="number of events (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--part-size", type=int, default=100_000, help="events per parquet part")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")
    chunks = []
    # Generate in chunks so a million events never build one giant Python list per column.
    for index, offset in enumerate(range(0, args.events, args.part_size)):
        size = min(args.part_size, args.events - offset)
        events, articles = generate_events(size, args.seed + index, id_prefix=f"ev{index:03d}")
        chunks.append((events, articles))
        print(f"generated {offset + size:,}/{args.events:,} events", file=sys.stderr)
    events = pa.concat_tables([c[0] for c in chunks])
    articles = chunks[0][1] if len(chunks) == 1 else _merge_articles([c[1] for c in chunks])
    store = write_store(args.store, events, articles, part_size=args.part_size)
    print(f"wrote {events.num_rows:,} events to {store}", file=sys.stderr)
    return 0


def _merge_articles(tables: list[pa.Table]) -> pa.Table:
    # Chunks share article ids (each chunk numbers from zero), so keep one row per id, summing events.
    first = tables[0].to_pydict()
    index = {article_id: row for row, article_id in enumerate(first["id"])}
    for table in tables[1:]:
        other = table.to_pydict()
        for row, article_id in enumerate(other["id"]):
            if article_id in index:
                first["n_events"][index[article_id]] += other["n_events"][row]
            else:
                index[article_id] = len(first["id"])
                for key in first:
                    first[key].append(other[key][row])
    return pa.Table.from_pydict(first, schema=ARTICLES_SCHEMA)


if __name__ == "__main__":
    raise SystemExit(main())
