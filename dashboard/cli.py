"""The command line: ``python -m dashboard COMMAND``.

    extract [--published DATE] FILE...     one JSON line per file (dates, places, events), see CONTRACT
    extract --stdin-jsonl                  the same for {"id", "text", "published"} lines on stdin
    build [--corpus DIR]... [--store PATH] corpus folders -> events store (incremental, atomic)
    events [--store PATH] [--format jsonl|csv]   the stored events with their sources
    serve [--store PATH] [--port N]        the dashboard on http://127.0.0.1:N (uploads into data/uploads)
    export --format png|svg|pdf|csv|geojson [--view QUERY] [--figure timeline|map|report] --out FILE
    add PATH...                            add articles (files, folders, zips) and rebuild
    correct EVENT_ID (--place NAME | --point LAT,LON | --dates START..END | --not-event | --merge-into ID | --split) [--reason TEXT]
    corrections [list | undo ID]           the correction log (append-only; re-applied after every build)

Exit status: 0 when everything went through; 1 when some input was skipped (each one is named on
stderr); 2 for a usage error or when nothing could be done.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

# The layers a command needs are imported by that command: `extract` runs once per file in the scorers,
# and loading the store, the web app and Chromium's exporter for it would triple its start-up.
from dashboard.export.formats import FIGURES
from dashboard.export.presets import DEFAULT_SCALE, PRESETS
from dashboard.settings import DEFAULT_STORE, DEFAULT_UPLOADS


def _one_line(text: str) -> str:
    r"""A message on one line: control characters (a newline in a file name) and undecodable bytes escaped.

    >>> print(_one_line("bad\nname.txt: caf\udce9"))
    bad\nname.txt: caf\udce9
    """
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _warn(message: str) -> None:
    print(f"dashboard: {_one_line(message)}", file=sys.stderr)


def _say(message: str) -> None:
    print(_one_line(message))


# --- extract -------------------------------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace) -> int:
    from dashboard.store.corpus import (LoadProblem, article_from_text, articles_from_jsonl_lines, decode_bytes,
                                  read_metadata)
    from dashboard.pipeline.extract import analysis_json, error_json
    from dashboard.pipeline.analysis import analyse

    from dashboard.pipeline.theatre import Theatre, settle, settle_places

    status = 0
    # Every document is analysed before any is printed: the namesakes one text leaves open are decided by
    # where the others happen (pipeline/theatre.py; off with --each-alone).
    done: list = []  # (doc_id, Analysis) or (doc_id, the error's JSON line)

    def emit(doc_id, article):
        nonlocal status
        try:
            done.append((doc_id, analyse(article)))
        except Exception as err:  # one bad document never stops the others
            _warn(f"{article.path or doc_id}: analysis failed: {type(err).__name__}: {err}")
            done.append((doc_id, error_json(doc_id, str(err))))
            status = 1
        if args.each_alone:
            flush()

    def flush():
        analyses = [a for _, a in done if not isinstance(a, dict)]
        theatre = Theatre.of(e for a in analyses for e in a.events) if len(analyses) > 1 else None
        for doc_id, analysis in done:
            if isinstance(analysis, dict):
                print(json.dumps(analysis, ensure_ascii=False), flush=True)
                continue
            events = settle(analysis.events, theatre)
            analysis = replace(analysis, events=tuple(events),
                               places=tuple(settle_places(analysis.places, analysis.events, events, theatre)))
            print(json.dumps(analysis_json(doc_id, analysis), ensure_ascii=False), flush=True)
        done.clear()

    if args.stdin_jsonl:
        for item in articles_from_jsonl_lines(sys.stdin):
            if isinstance(item, LoadProblem):
                _warn(str(item))
                status = 1
                continue
            emit(item.id, item)
        flush()
        return status
    if not args.files:
        _warn("extract needs FILE... or --stdin-jsonl")
        return 2
    metadata_cache: dict[Path, dict] = {}
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
            text = decode_bytes(data, str(path))
        except (OSError, ValueError) as err:
            _warn(f"{path}: {err}")
            done.append((path.stem, error_json(path.stem, str(err))))
            status = 1
            continue
        problems: list = []
        if args.published is not None:
            meta = {"published": args.published}
        else:  # no --published: the corpus metadata beside the file, when there is one
            folder = path.parent
            if folder not in metadata_cache:
                metadata_cache[folder] = read_metadata(folder, problems)
            meta = metadata_cache[folder].get(path.stem, {})
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(path.suffix.lower(), "txt")
        article = article_from_text(path.stem, text, path=str(path), meta=meta, source_format=fmt, raw=data,
                                    problems=problems)
        for p in problems:
            _warn(str(p))
        emit(path.stem, article)
    flush()
    return status


# --- build / events ------------------------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    from dashboard.store.build import build_store
    from dashboard.store.corpus import corpus_folders
    from dashboard.store.generations import StoreError

    corpora = corpus_folders(args.corpus)
    missing = [c for c in corpora if not Path(c).is_dir()]
    if missing:
        _warn(f"{missing[0]}: no such corpus folder")
        return 2
    try:
        if args.engine == "dask":
            from dashboard.store.distributed import build_store_dask

            report = build_store_dask(corpora, args.store, scheduler=args.scheduler, progress=args.progress,
                                      time_limit_s=args.time_limit, corrections=_corrections_hook(args.store))
        else:
            report = build_store(corpora, args.store, progress=args.progress, time_limit_s=args.time_limit,
                                 corrections=_corrections_hook(args.store))
    except StoreError as err:
        _warn(str(err))
        return 2
    for damage in report.damaged:
        _warn(f"{damage}; rebuilt from the per-article cache")
    for problem in report.problems:
        _warn(f"skipped {problem}")
    print(report.summary(), file=sys.stderr)
    return 1 if report.problems else 0


def _store_damage(store: str) -> str:
    """'' when the store reads (or there is none yet); else one line naming its damaged file."""
    from dashboard.store.generations import StoreError, check_store, current_generation

    try:
        if current_generation(store) is not None:
            check_store(store)
    except StoreError as err:
        return str(err)
    return ""


def _corrections_hook(store: str):
    """The user's corrections, re-applied after every build (None when nobody has corrected anything)."""
    from dashboard.editing.apply import CorrectionHook
    from dashboard.editing.correction_log import corrections_path

    log = corrections_path(store)
    return CorrectionHook(store) if log.exists() and log.stat().st_size > 0 else None


EVENT_COLUMNS = ["id", "start_date", "end_date", "time_precision", "place", "lat", "lon", "place_precision",
                 "country_code", "event_type", "fatalities", "sources", "confidence", "time_basis",
                 "place_basis", "sentence"]


def cmd_events(args: argparse.Namespace) -> int:
    from dashboard.export.tables import defuse_formula
    from dashboard.store.generations import StoreError, check_store, iter_rows_jsonable, read_event_rows

    try:
        rows = read_event_rows(check_store(args.store))
    except StoreError as err:
        _warn(str(err))
        return 2
    out = sys.stdout
    if args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in iter_rows_jsonable(rows):  # text a spreadsheet would run as a formula is defused, like export's
            row = {**row, "sources": ";".join(row["sources"])}
            writer.writerow({k: defuse_formula(v) if isinstance(v, str) else v for k, v in row.items()})
    else:
        for row in iter_rows_jsonable(rows):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


# --- serve / export ------------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from dashboard.store.generations import StoreError, check_store

    try:
        check_store(args.store)
    except StoreError as err:
        _warn(str(err))
        return 2
    from dashboard.web.app import create_app

    uploads = None if args.no_uploads else args.uploads
    app = create_app(args.store, upload_dir=uploads, tile_url=args.tile_url)
    from dashboard.export.renderer import warm_up

    warm_up()  # Chromium starts in the background, so the first export click does not wait for it
    print(f"Serving the dashboard on http://{args.host}:{args.port}/ (Ctrl+C stops it)", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.export.formats import IMAGE_FORMATS
    from dashboard.export.renderer import shared_renderer

    if args.format in IMAGE_FORMATS:
        # Chromium starts while the rest of the program is imported and the page is built (it takes longer
        # than both: no practice map, the export's own image is drawn as soon as the browser is up)
        shared_renderer().start_soon()
    from dashboard.export.exporter import ExportError, run_export

    try:
        result = run_export(args.store, args.format, args.out, view_query=args.view or "", figure=args.figure,
                            width=args.width, height=args.height, preset=args.size, scale=args.scale)
    except ExportError as err:
        _warn(str(err))
        return 2
    finally:
        shared_renderer().kill()  # done: no graceful close to wait for
        _quick_exit_after.add("export")
    print(f"wrote {args.out} ({result})", file=sys.stderr)
    return 0


# --- add / correct / corrections ----------------------------------------------------------------------
def cmd_add(args: argparse.Namespace) -> int:
    """``add PATH...``: copy files, folders or zips into the uploads corpus and rebuild the store.

    Prints one line per file; exit 1 when anything was refused, 2 when the store could not be built.
    A re-run after an interrupted ``add`` records what was cut short and rebuilds.
    """
    from dashboard.editing.limits import CLI_LIMITS
    from dashboard.editing.rebuild import rebuild_folders, taken_article_ids
    from dashboard.editing.uploads import files_from_paths, save_uploads
    from dashboard.store.generations import Snapshot

    damage = _store_damage(args.store)
    if damage:  # nothing is saved into a store that does not read
        _warn(damage)
        return 2
    uploads = Path(args.uploads)
    folders = rebuild_folders(args.store, args.corpus, uploads)
    result = save_uploads(files_from_paths(args.paths), uploads, limits=CLI_LIMITS,
                          taken_ids=taken_article_ids(Snapshot.of(args.store), folders, uploads))
    for message in result.messages:
        if message.ok:
            _say(f"added {message}")
        else:
            _warn(str(message))
    if any(m.ok for m in result.messages):  # saved now, or by an earlier run that was stopped before its rebuild
        status = _rebuild(args, "the files are saved but the store was not rebuilt")
        if status:
            return status
    return 1 if result.refused else 0


def _rebuild(args: argparse.Namespace, failed: str) -> int:
    """Rebuild the store (cached articles are reused) from its folders and the uploads; 2 if it fails."""
    from dashboard.editing.rebuild import rebuild, rebuild_folders
    from dashboard.store.generations import StoreError

    try:
        report = rebuild(args.store, rebuild_folders(args.store, args.corpus, args.uploads))
    except StoreError as err:
        _warn(f"{failed}: {err}")
        return 2
    for problem in report.problems:
        _warn(f"skipped {problem}")
    print(report.summary(), file=sys.stderr)
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    """``correct EVENT_ID (--place NAME | --point LAT,LON | --dates START..END | --not-event | --merge-into ID
    | --split) [--reason TEXT]``: log one correction, then rebuild so the store shows it."""
    from dashboard.editing.correction_log import CorrectionError, plain_text
    from dashboard.editing.corrections import correct_event, find_event, parse_interval, parse_point
    from dashboard.editing.place_candidates import candidate_change, candidate_label, place_candidates
    from dashboard.store.generations import Snapshot

    store = Snapshot.of(args.store)
    if store.generation is None:
        _warn(f"{args.store}: no events store here; run `python -m dashboard build` first")
        return 2
    damage = _store_damage(args.store)
    if damage:
        _warn(damage)
        return 2
    event_id = plain_text(args.event_id, 200)
    found = []
    try:
        if args.place is not None:
            event = find_event(store, event_id)
            if event is None:
                raise CorrectionError(f"there is no event {event_id!r} in {args.store}")
            found = place_candidates(plain_text(args.place, 200), (event.get("lat"), event.get("lon")),
                                     country_code=event.get("country_code") or "")
            if not found:
                raise CorrectionError(f"no place called {args.place!r} in the gazetteer; give --point LAT,LON instead")
            kind, change = "place", candidate_change(found[0])
        elif args.point is not None:
            kind, change = "point", dict(zip(("lat", "lon"), parse_point(args.point)))
        elif args.dates is not None:
            start, end = parse_interval(args.dates)
            kind, change = "dates", {"start_date": start.isoformat(), "end_date": end.isoformat()}
        elif args.merge_into is not None:
            kind, change = "merge", {"into": plain_text(args.merge_into, 200)}
        elif args.split:
            kind, change = "split", {}
        else:
            kind, change = "not_event", {}
        record = correct_event(store, event_id, kind, change, args.reason or "")
    except CorrectionError as err:
        _warn(str(err))
        return 2
    _say(f"logged correction #{record.id}: {record.event_id} {record.describe()}")
    if found:
        _say(f"  chosen: {candidate_label(found[0])}")
        for other in found[1:5]:
            _say(f"  also possible (use --point LAT,LON for one of these): {candidate_label(other)} "
                 f"at {other.lat:.4f},{other.lon:.4f}")
    return 1 if _rebuild(args, "the correction is logged but the store was not rebuilt") else 0


def cmd_corrections(args: argparse.Namespace) -> int:
    """``corrections [list]``: every correction and its state; ``corrections undo ID``: undo one."""
    from dashboard.editing.correction_log import CorrectionError, CorrectionLog, corrections_path
    from dashboard.editing.review import review
    from dashboard.store.generations import Snapshot

    damage = _store_damage(args.store)
    if damage:
        _warn(damage)
        return 2
    if args.action == "undo":
        if not args.id:
            _warn("corrections undo needs the correction's number, e.g. `corrections undo 3`")
            return 2
        number = str(args.id).lstrip("#")
        if not number.isascii() or not number.isdigit():
            _warn(f"{args.id!r} is not a correction number")
            return 2
        try:
            record = CorrectionLog(corrections_path(args.store)).undo(int(number), args.reason or "")
        except CorrectionError as err:
            _warn(str(err))
            return 2
        _say(f"logged #{record.id}: undo of #{record.undoes}")
        return 1 if _rebuild(args, "the undo is logged but the store was not rebuilt") else 0
    reviews, problems = review(Snapshot.of(args.store))
    for problem in problems:
        _warn(problem)
    if not reviews:
        _say(f"no corrections for {args.store}")
    for item in reviews:
        _say(item.line())
    return 1 if problems or any(r.state in ("missing", "failed") for r in reviews) else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    x = sub.add_parser("extract", help="dates, places and events of each file as JSON lines")
    x.add_argument("files", nargs="*", metavar="FILE")
    x.add_argument("--published", metavar="DATE", help="publication date YYYY-MM-DD, YYYY-MM or YYYY ('' = unknown)")
    x.add_argument("--stdin-jsonl", action="store_true", help='read {"id", "text", "published"} lines from stdin')
    x.add_argument("--format", choices=["jsonl"], default="jsonl", help=argparse.SUPPRESS)
    x.add_argument("--each-alone", action="store_true",
                   help="print each document as it is read; no namesake is decided by the other documents")
    x.set_defaults(func=cmd_extract)

    b = sub.add_parser("build", help="build the events store from a corpus folder")
    b.add_argument("--corpus", action="append", metavar="DIR",
                   help="a corpus folder; repeat for several (default: data/corpus, plus data/uploads if present)")
    b.add_argument("--store", default=str(DEFAULT_STORE))
    b.add_argument("--engine", choices=["local", "dask"], default="local")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    b.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="per-article analysis limit; a slower article is skipped and named (default 60)")
    b.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: when stderr is a terminal)")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("events", help="print the stored events with their sources")
    e.add_argument("--store", default=str(DEFAULT_STORE))
    e.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    e.set_defaults(func=cmd_events)

    s = sub.add_parser("serve", help="serve the dashboard")
    s.add_argument("--store", default=str(DEFAULT_STORE))
    s.add_argument("--port", type=int, default=8050)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--uploads", default=str(DEFAULT_UPLOADS), metavar="DIR",
                   help="where articles added in the browser are saved (default data/uploads)")
    s.add_argument("--no-uploads", action="store_true", help="a read-only dashboard: no upload or correction panels")
    s.add_argument("--tile-url", metavar="URL", help="optional online XYZ tiles (e.g. a self-hosted server); "
                   "the offline basemap stays the default")
    s.set_defaults(func=cmd_serve)

    x = sub.add_parser("export", help="export a view as an image or as data")
    x.add_argument("--store", default=str(DEFAULT_STORE))
    x.add_argument("--format", required=True, choices=["png", "svg", "pdf", "csv", "geojson"])
    x.add_argument("--view", metavar="QUERY", help="the dashboard URL's query string, e.g. 'from=2017-01-01&to=2018-12-31&country=SY'")
    x.add_argument("--figure", choices=list(FIGURES), default="report",
                   help="the image: timeline, map, summary (charts) or report (timeline above map)")
    x.add_argument("--out", required=True, metavar="FILE")
    x.add_argument("--size", choices=list(PRESETS), metavar="PRESET",
                   help=f"a paper or slide size: {', '.join(PRESETS)} (a4 and letter take the orientation that "
                        "fits the figure); default: the figure's own size, as in the page's export panel")
    x.add_argument("--width", type=int, help="CSS pixels (overrides the preset's)")
    x.add_argument("--height", type=int, help="CSS pixels (overrides the preset's)")
    x.add_argument("--scale", type=float, default=DEFAULT_SCALE, help=f"pixels per CSS pixel of a PNG "
                   f"(default {DEFAULT_SCALE:g})")
    x.set_defaults(func=cmd_export)

    def store_and_folders(q):
        q.add_argument("--store", default=str(DEFAULT_STORE))
        q.add_argument("--corpus", action="append", metavar="DIR",
                       help="a corpus folder the store is built from; repeat for several (default: the folders "
                            "the store was last built from)")
        q.add_argument("--uploads", default=str(DEFAULT_UPLOADS), help="the uploads corpus folder")

    a = sub.add_parser("add", help="add article files, folders or zips to the uploads corpus and rebuild")
    a.add_argument("paths", nargs="+", metavar="PATH")
    store_and_folders(a)
    a.set_defaults(func=cmd_add)

    c = sub.add_parser("correct", help="correct one event (kept across rebuilds)")
    c.add_argument("event_id", metavar="EVENT_ID")
    what = c.add_mutually_exclusive_group(required=True)
    what.add_argument("--place", metavar="NAME", help="another place, looked up in the gazetteer")
    what.add_argument("--point", metavar="LAT,LON", help="exact coordinates")
    what.add_argument("--dates", metavar="START..END", help="the date interval, YYYY-MM-DD..YYYY-MM-DD")
    what.add_argument("--not-event", action="store_true", help="this is not an event: hide it")
    what.add_argument("--merge-into", metavar="OTHER_ID", help="the same event as OTHER_ID: merge into it")
    what.add_argument("--split", action="store_true", help="give each source article its own event")
    c.add_argument("--reason", metavar="TEXT", default="")
    store_and_folders(c)
    c.set_defaults(func=cmd_correct)

    k = sub.add_parser("corrections", help="list the corrections, or undo one")
    k.add_argument("action", nargs="?", choices=["list", "undo"], default="list")
    k.add_argument("id", nargs="?", metavar="ID", help="the correction's number (for undo)")
    k.add_argument("--reason", metavar="TEXT", default="")
    store_and_folders(k)
    k.set_defaults(func=cmd_corrections)
    return p


# Commands done with everything (files written whole, browser killed) that end their process at once.
_quick_exit_after: set[str] = set()


def run() -> None:
    """``python -m dashboard``: ``main``, then the process ends (at once after an export)."""
    code = main()
    if _quick_exit_after:
        quick_exit(code)
    raise SystemExit(code)


def quick_exit(code: int) -> None:
    """End the process without the interpreter's teardown of pandas, pyarrow and duckdb (0.2-0.4 s of a
    three-second export), once what is left to free has been (a spill folder of the store) and the
    streams are flushed."""
    import gc
    import logging
    import os

    gc.collect()  # finalizers still due: a large store's temporary DuckDB folder
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _warn("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # a folder that is read-only or full, a file that vanished: one line naming it
        where = f"{err.filename}: " if err.filename else ""
        _warn(f"{where}{err.strerror or err}")
        return 2
