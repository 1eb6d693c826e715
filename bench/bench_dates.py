"""Speed of the temporal tagger beside the naive alternative, dateparser.search_dates, on the same texts.

    .venv/bin/python bench/bench_dates.py                     # every text of ../shared/benchmarks
    .venv/bin/python bench/bench_dates.py --budget 20         # give search_dates at most ~20 s
    .venv/bin/python bench/bench_dates.py --benchmarks /nowhere   # no benchmarks: seeds + synthetic text

The tagger runs over all the texts, on one core, from cold caches (its dateparser cache starts empty),
and the figure is MB (UTF-8) of text per second. ``search_dates`` (English, the publication date as
RELATIVE_BASE, the way one would use it naively) is much slower, so it runs on the texts in order
until its time budget is spent; the tagger is timed again on exactly that prefix, and the ratio is of
the two rates on the same texts. The goal is at least 2 MB/s for the tagger alone; on a shared machine
the CPU time of the process (also printed) is the fairer measure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import random
import sys
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.pipeline.dates import normalise, parse_published, tag_dates  # noqa: E402

DEFAULT_BENCHMARKS = ROOT.parent / "shared" / "benchmarks"


def benchmark_texts(folder: pathlib.Path) -> list[tuple[str, str, str | None]]:
    """(name, text, publication date) of every document of every gold.jsonl under ``folder``."""
    texts = []
    for gold in sorted(folder.glob("*/gold.jsonl")):
        # Split on "\n" only: texts may hold U+2028, which str.splitlines would cut at.
        for number, line in enumerate(gold.read_text(encoding="utf-8").split("\n")):
            if line.strip():
                doc = json.loads(line)
                texts.append((f"{gold.parent.name}/{doc.get('id', number)}", doc["text"], doc.get("dct")))
    return texts


def seed_texts() -> list[tuple[str, str, str | None]]:
    corpus = ROOT / "data" / "corpus"
    published = {}
    metadata = corpus / "metadata.json"
    if metadata.exists():
        published = {item["id"]: item.get("published") for item in json.loads(metadata.read_text())}
    return [(f"seed/{path.stem}", path.read_text(encoding="utf-8"), published.get(path.stem))
            for path in sorted(corpus.glob("*.txt"))]


def synthetic_texts(n_docs: int = 200, seed: int = 3) -> list[tuple[str, str, str | None]]:
    """News-like paragraphs with dates, durations and numbers in the proportions of real reporting."""
    rng = random.Random(seed)
    dates = ["last week", "on Friday", "in October", "late last month", "on Jan. 20", "in April 2021",
             "three years ago", "in the fall", "since 2014", "yesterday", "on 12 March 2019", "in early 2016"]
    fillers = ["officials said", "fighters fled across the border", "the coalition carried out a strike",
               "more than 3,000 people were displaced", "for three years the group held the city",
               "a spokesman for the Syrian Democratic Forces said", "bribes of $20,000 were paid"]
    texts = []
    for number in range(n_docs):
        sentences = []
        for _ in range(rng.randint(15, 40)):
            words = [rng.choice(fillers), rng.choice(dates) if rng.random() < 0.4 else "", rng.choice(fillers)]
            sentences.append(" ".join(w for w in words if w).capitalize() + ".")
        published = (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))).isoformat()
        texts.append((f"synthetic/{number}", " ".join(sentences), published))
    return texts


def _published(value):
    try:
        return parse_published(value)
    except ValueError:
        return parse_published(None)


def time_tagger(texts) -> tuple[float, int]:
    started = time.perf_counter()
    found = sum(len(tag_dates(text, _published(published))) for _, text, published in texts)
    return time.perf_counter() - started, found


def cpu_time_tagger(texts) -> float:
    """CPU seconds of the tagger over ``texts``: on a shared machine, wall time measures the neighbours."""
    started = time.process_time()
    for _, text, published in texts:
        tag_dates(text, _published(published))
    return time.process_time() - started


def time_search_dates(texts, budget: float) -> tuple[float, int, int]:
    """Seconds, documents done and dates found by dateparser.search_dates within ``budget`` seconds."""
    from dateparser.search import search_dates
    started = time.perf_counter()
    done = found = 0
    for _, text, published in texts:
        base = _published(published).start_date
        settings = {"RELATIVE_BASE": dt.datetime.combine(base, dt.time())} if base else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found += len(search_dates(text, languages=["en"], settings=settings) or [])
        done += 1
        if time.perf_counter() - started > budget:
            break
    return time.perf_counter() - started, done, found


def megabytes(texts) -> float:
    return sum(len(text.encode("utf-8")) for _, text, _ in texts) / 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmarks", type=pathlib.Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds for dateparser.search_dates")
    args = parser.parse_args(argv)

    if args.benchmarks.is_dir() and any(args.benchmarks.glob("*/gold.jsonl")):
        texts, corpus = benchmark_texts(args.benchmarks), f"benchmark texts in {args.benchmarks}"
    else:
        texts = seed_texts() + synthetic_texts()
        corpus = f"seed articles and synthetic news ({args.benchmarks} not found)"
    size = megabytes(texts)
    print(f"corpus: {corpus}: {len(texts)} documents, {size:.2f} MB")

    normalise.month_number.cache_clear()
    seconds, found = time_tagger(texts)
    print(f"tagger (cold caches):  {size / seconds:6.3f} MB/s  ({seconds:.2f} s, {found} date mentions)")
    cpu_seconds = cpu_time_tagger(texts)
    print(f"tagger (warm, CPU time of this process): {size / cpu_seconds:6.3f} MB/s")

    # The same prefix for both, in a shuffled order so that no one corpus decides the comparison.
    sample = texts[:]
    random.Random(1).shuffle(sample)
    naive_seconds, done, naive_found = time_search_dates(sample, args.budget)
    prefix = sample[:done]
    tagger_seconds, tagger_found = time_tagger(prefix)
    prefix_size = megabytes(prefix)
    naive_rate, tagger_rate = prefix_size / naive_seconds, prefix_size / tagger_seconds
    print(f"on the same {done} documents ({prefix_size:.2f} MB):")
    print(f"  dateparser.search_dates: {naive_rate:6.3f} MB/s  ({naive_found} dates)")
    print(f"  tagger:                  {tagger_rate:6.3f} MB/s  ({tagger_found} date mentions)")
    print(f"  ratio tagger / search_dates: {tagger_rate / naive_rate:.1f}x")
    goal = size / min(seconds, cpu_seconds) >= 2.0
    print(f"goal >= 2 MB/s over all texts: {'met' if goal else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
