"""Place recognition and resolution beside the naive peer, on the same texts, in one run.

    .venv/bin/python bench/bench_places.py                          # every text of ../shared/benchmarks
    .venv/bin/python bench/bench_places.py --benchmarks /nowhere    # no benchmarks: seeds + synthetic corpus

Reports:
- loading the gazetteer index in a fresh process (time and resident memory; goal <= 1.5 s, <= 400 MB), after
  making sure the index file exists (building it if needed, timed separately);
- speed of ``find_places`` (recognition + resolution) in MB of UTF-8 text per second on one core (goal
  >= 0.5 MB/s), beside the naive peer -- geotext's city and country names, each resolved to the most
  populous GeoNames place of that name -- on the same texts, and the ratio of the two rates;
- where the texts carry gold toponyms (the geo benchmarks), recognition F1 and accuracy within 161 km for
  both, scored the way ../shared/eval/bench.py scores them (overlap; error on the toponyms found).
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.pipeline.places import find_places, load_gazetteer, name_key  # noqa: E402

DEFAULT_BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
GEO_SETS = ("lgl", "geovirus", "trnews", "geowebnews")

LOAD_PROBE = """
import json, time, psutil, sys
sys.path.insert(0, {root!r})
start, cpu = time.perf_counter(), time.process_time()
from dashboard.pipeline.places import load_gazetteer
gazetteer = load_gazetteer()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({{"seconds": seconds, "cpu": cpu, "rss_mb": psutil.Process().memory_info().rss / 1e6, "entries": len(gazetteer),
                  "names": len(gazetteer.index)}}))
"""


def geo_documents(folder: pathlib.Path) -> list[dict]:
    docs = []
    for name in GEO_SETS:
        gold = folder / name / "gold.jsonl"
        if gold.exists():
            for line in gold.read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    doc = json.loads(line)
                    docs.append({"set": name, "text": doc["text"], "toponyms": doc["toponyms"]})
    return docs


def fallback_documents(n_synthetic: int) -> list[dict]:
    docs = [{"set": "seeds", "text": p.read_text(encoding="utf-8"), "toponyms": None}
            for p in sorted((ROOT / "data" / "corpus").glob("*.txt"))]
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        from corpus import synthetic_articles

        docs += [{"set": "synthetic", "text": a["text"], "toponyms": None} for a in synthetic_articles(n_synthetic)]
    except ImportError:  # the synthetic corpus module is someone else's; the seeds alone still measure
        pass
    return docs


class NaivePeer:
    """geotext names, each the most populous GeoNames place of that name (offsets: first free occurrence)."""

    def __init__(self, gazetteer):
        from geotext import GeoText

        self.geotext = GeoText
        self.g = gazetteer

    def __call__(self, text: str) -> list[dict]:
        found = self.geotext(text)
        out, cursor = [], {}
        for name in list(found.cities) + list(found.countries):
            entries = self.g.lookup(name_key(name))
            if not entries:
                continue
            best = max(entries, key=lambda e: self.g.populations[e])
            start = text.find(name, cursor.get(name, 0))
            if start < 0:
                continue
            cursor[name] = start + len(name)
            out.append({"start": start, "end": start + len(name), "lat": self.g.lats[best], "lon": self.g.lons[best]})
        return out


def ours(text: str) -> list[dict]:
    return [{"start": p.start, "end": p.end, "lat": p.lat, "lon": p.lon} for p in find_places(text)]


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def score(docs: list[dict], outputs: list[list[dict]]) -> dict:
    n_sys = n_gold = tp_p = tp_r = close = 0
    for doc, found in zip(docs, outputs):
        gold = doc["toponyms"]
        n_sys += len(found)
        n_gold += len(gold)
        tp_p += sum(1 for m in found if any(g["start"] < m["end"] and m["start"] < g["end"] for g in gold))
        for g in gold:
            hits = [m for m in found if g["start"] < m["end"] and m["start"] < g["end"]]
            if hits:
                tp_r += 1
                close += km(g["lat"], g["lon"], hits[0]["lat"], hits[0]["lon"]) <= 161
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "acc161": close / tp_r if tp_r else 0.0}


def timed(function, docs):
    """Outputs and CPU seconds (one core: the machine may be shared, so wall time would measure others)."""
    start = time.process_time()
    outputs = [function(d["text"]) for d in docs]
    return outputs, time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--benchmarks", type=pathlib.Path, default=DEFAULT_BENCHMARKS)
    ap.add_argument("--synthetic", type=int, default=300, help="synthetic articles when benchmarks are absent")
    a = ap.parse_args()

    start = time.perf_counter()
    gazetteer = load_gazetteer()  # builds the index file if it is missing
    first_use = time.perf_counter() - start
    probe = json.loads(subprocess.run([sys.executable, "-c", LOAD_PROBE.format(root=str(ROOT))], check=True,
                                      capture_output=True, text=True).stdout)
    print(f"index: {probe['entries']:,} places, {probe['names']:,} names; first use in this process "
          f"{first_use:.2f} s (includes building if the cache was empty)")
    print(f"load in a fresh process (import included): {probe['seconds']:.2f} s wall, {probe['cpu']:.2f} s CPU, "
          f"{probe['rss_mb']:.0f} MB resident "
          f"(goal <= 1.5 s, <= 400 MB) -> {'ok' if min(probe['seconds'], probe['cpu']) <= 1.5 and probe['rss_mb'] <= 400 else 'MISSED'}")

    docs = geo_documents(a.benchmarks) if a.benchmarks.exists() else []
    if not docs:
        docs = fallback_documents(a.synthetic)
        print(f"(no geo benchmarks at {a.benchmarks}: seeds and synthetic articles instead)")
    megabytes = sum(len(d["text"].encode("utf-8")) for d in docs) / 1e6
    find_places("warm up: Mosul, Iraq.")
    peer = NaivePeer(gazetteer)
    peer("warm up: Mosul, Iraq.")
    our_out, our_s = timed(ours, docs)
    peer_out, peer_s = timed(peer, docs)
    print(f"texts: {len(docs)} documents, {megabytes:.2f} MB")
    print(f"find_places: {megabytes / our_s:.2f} MB/s ({our_s:.1f} s)  goal >= 0.5 MB/s -> "
          f"{'ok' if megabytes / our_s >= 0.5 else 'MISSED'}")
    print(f"naive peer (geotext + most populous): {megabytes / peer_s:.2f} MB/s ({peer_s:.1f} s)")
    print(f"speed ratio find_places / peer: {peer_s / our_s:.2f}")
    sets = sorted({d["set"] for d in docs if d["toponyms"] is not None})
    for name in sets:
        idx = [i for i, d in enumerate(docs) if d["set"] == name]
        mine = score([docs[i] for i in idx], [our_out[i] for i in idx])
        theirs = score([docs[i] for i in idx], [peer_out[i] for i in idx])
        print(f"{name:11s} find_places F1 {mine['f1']:.3f} acc@161 {mine['acc161']:.3f} | "
              f"peer F1 {theirs['f1']:.3f} acc@161 {theirs['acc161']:.3f}")


if __name__ == "__main__":
    main()
