"""Server time and response size of the dashboard's filter callbacks, against the naive alternative.

    .venv/bin/python bench/gen_events.py bench/out/store-100k --events 100000
    .venv/bin/python bench/bench_callbacks.py bench/out/store-100k --repeats 20
    .venv/bin/python bench/bench_callbacks.py bench/out/store-1m --repeats 10 --naive-repeats 2

For every view in VIEWS (a user's typical sequence: open, search, facet, brush, lasso, select an event,
change lanes/bin, the density layer) it measures, in one run:

* ``figures`` and ``panels``: a POST to the real endpoint ``/_dash-update-component`` of the running
  app (a threaded werkzeug server on 127.0.0.1) for each of the two callbacks that redraw the page
  when the URL changes (timeline + map; facet counts + table + provenance + summary): time from request
  to the last byte of the response, and its size. ``both``: the two one after the other (the browser
  sends them in parallel, so this is the worst case of what a user waits for);
* ``naive``: the obvious alternative: the events loaded once into pandas, every request filters the
  frame with pandas and draws every matching event as a point on a timeline scatter and a map
  scatter (``plotly.graph_objects``), serialised to JSON.

It prints p50/p95 per view and overall, and the naive/ours ratios, and writes everything as JSON to
``bench/out/callbacks-<store>.json``. Targets (from the brief): 100k events p95 <= 150 ms and responses
<= 2 MB; 1M events p95 <= 500 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import plotly  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from dashboard.web.app import create_app  # noqa: E402
from dashboard.views.query import EventStore  # noqa: E402
from dashboard.views.state import ViewState, point_in_area  # noqa: E402

VIEWS = [
    ("open", ""),
    ("search", "q=mosul"),
    ("search+country", "q=car bomb&country=IQ"),
    ("facets", "country=SY,IQ&type=airstrike,battle&pprec=city,point"),
    ("window", "from=2016-01-01&to=2017-12-31"),
    ("brush", "from=2016-01-01&to=2017-12-31&brush=2016-10-01..2016-12-31"),
    ("lasso", "area=42.5,35.5;44.5,35.5;44,37;42.8,37.2"),
    ("brush+lasso", "brush=2017-01-01..2017-06-30&area=38,35;41,35;41,37;38,37"),
    ("select event", "q=raqqa&event={event}"),
    ("lanes+bin", "lanes=country&bin=week&size=fatalities"),
    ("precision", "tprec=month,season,year&pprec=region,country"),
    ("nothing", "q=zzzz-no-such-word"),
    ("density", "layer=both&map=42,35,4"),  # squares and first-level lines over Syria and Iraq
    ("density+filter", "layer=density&type=airstrike,battle&from=2016-01-01&to=2017-12-31"),
]


CALLBACKS = ("figures", "panels", "summary", "table")  # the render callbacks of a new URL


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------- ours
def serve(app) -> tuple[str, object]:
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per request

    port = free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}", server


def render_requests(app) -> dict[str, dict]:
    """The request bodies the browser sends for the callbacks that redraw a view when the URL changes:
    ``figures`` (timeline + map), ``panels`` (facet counts, table, slider, provenance, summary line) and
    ``summary`` (the summary band's three charts)."""
    client = app.server.test_client()
    bodies = {}
    for dependency in client.get("/_dash-dependencies").get_json():
        output = dependency["output"]
        if dependency["inputs"] == [{"id": "table-key", "property": "data"}]:
            name = "table"  # the rows, redrawn when the URL changes what they are
        elif dependency["inputs"] != [{"id": "url", "property": "search"}] or "table-key" in output:
            continue  # (the table's key is a cheap step before "table")
        else:
            name = ("figures" if "timeline.figure" in output else
                    "summary" if "summary-deaths.figure" in output else "panels")
        outputs = [dict(zip(("id", "property"), item.rsplit(".", 1))) for item in output.strip(".").split("...")]
        bodies[name] = {"output": output, "outputs": outputs if "..." in output else outputs[0],
                        "changedPropIds": [f"{dependency['inputs'][0]['id']}.{dependency['inputs'][0]['property']}"],
                        "state": dependency["state"]}
    assert set(bodies) == set(CALLBACKS), bodies.keys()
    return bodies


def http_render(base_url: str, body: dict, query: str) -> tuple[float, int]:
    """One callback request as the browser makes it; (seconds until the whole body arrived, bytes)."""
    url = {"id": "url", "property": "search", "value": "?" + query}
    if body["changedPropIds"] == ["url.search"]:
        payload = dict(body, inputs=[url], state=[dict(s, value=None) for s in body["state"]])
    else:  # the table's rows: a new key, the URL as their state
        payload = dict(body, inputs=[{"id": "table-key", "property": "data", "value": query}], state=[url])
    request = urllib.request.Request(base_url + "/_dash-update-component", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        data = response.read()
        status = response.status
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"HTTP {status} for {query!r}")
    return elapsed, len(data)


def http_both(base_url: str, bodies: dict, query: str) -> tuple[float, int]:
    """Every render callback one after the other (the browser sends them in parallel: the worst case)."""
    timings = [http_render(base_url, bodies[name], query) for name in CALLBACKS]
    return sum(t[0] for t in timings), sum(t[1] for t in timings)


# ---------------------------------------------------------------------- naive
def naive_load(store_path: Path) -> pd.DataFrame:
    frame = pq.read_table(store_path / "events").to_pandas()
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame


def naive_render(frame: pd.DataFrame, query: str) -> tuple[float, int]:
    """pandas filter + every matching event as a point on both figures (the first thing one writes)."""
    started = time.perf_counter()
    view = ViewState.from_query(query)
    mask = (frame["end_date"] >= pd.Timestamp(view.date_from)) & (frame["start_date"] <= pd.Timestamp(view.date_to))
    if view.brush:
        mask &= (frame["end_date"] >= pd.Timestamp(view.brush[0])) & (frame["start_date"] <= pd.Timestamp(view.brush[1]))
    for word in view.text.lower().split():
        mask &= (frame["sentence"].str.lower().str.contains(word, regex=False)
                 | frame["place"].str.lower().str.contains(word, regex=False))
    if view.countries:
        mask &= frame["country_code"].isin(view.countries)
    if view.event_types:
        mask &= frame["event_type"].isin(view.event_types)
    if view.time_precisions:
        mask &= frame["time_precision"].isin(view.time_precisions)
    if view.place_precisions:
        mask &= frame["place_precision"].isin(view.place_precisions)
    events = frame[mask]
    if view.area:
        inside = [pd.notna(lat) and point_in_area(lon, lat, view.area) for lon, lat in zip(events["lon"], events["lat"])]
        events = events[inside]
    hover = (events["place"].fillna("") + " " + events["sentence"].fillna("")).tolist()
    timeline = go.Figure(go.Scatter(x=events["start_date"], y=events["event_type"], mode="markers",
                                    customdata=events["id"], hovertext=hover))
    geo = go.Figure(go.Scattergeo(lon=events["lon"], lat=events["lat"], mode="markers", customdata=events["id"],
                                  hovertext=hover, marker=dict(size=events["n_sources"] * 4)))
    table = events.head(200)[["id", "place", "sentence"]].to_dict("records")
    body = json.dumps({"response": [timeline, geo, table]}, cls=plotly.utils.PlotlyJSONEncoder)
    return time.perf_counter() - started, len(body)


# ---------------------------------------------------------------------- run
def measure(function, query: str, repeats: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        function(query)
    times, sizes = [], []
    for _ in range(repeats):
        elapsed, size = function(query)
        times.append(elapsed * 1000)
        sizes.append(size)
    return {"p50_ms": statistics.median(times), "p95_ms": percentile(times, 95), "max_bytes": max(sizes),
            "times_ms": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--naive-repeats", type=int, default=5, help="the naive way is slow on big stores")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    store = EventStore(args.store)
    load_ours = time.perf_counter() - started
    app = create_app(args.store, store=store)
    base_url, server = serve(app)
    bodies = render_requests(app)
    sample_event = store.filter(ViewState.from_query("q=raqqa"), limit=1)["id"].iloc[0]
    load_before = os.getloadavg()[0]
    print(f"store {args.store}: {store.total:,} events, loaded in {load_ours:.1f} s; {os.cpu_count()} CPUs, "
          f"load average {load_before:.1f} (other work on the machine inflates p95)", flush=True)
    # Ours first, then the naive way: the naive frame holds millions of Python objects, and keeping it in
    # this process while the server runs would bill our callbacks for its garbage collections.
    results = []
    for name, query in VIEWS:
        query = query.format(event=sample_event)
        matching = store.count(ViewState.from_query(query))
        row = {"view": name, "query": query, "matching": matching}
        for callback in CALLBACKS:
            row[callback] = measure(lambda q: http_render(base_url, bodies[callback], q), query, args.repeats)
        row["http"] = measure(lambda q: http_both(base_url, bodies, q), query, args.repeats)
        results.append(row)
    server.shutdown()
    started = time.perf_counter()
    frame = naive_load(args.store)
    load_naive = time.perf_counter() - started
    for row in results:
        naive = measure(lambda q: naive_render(frame, q), row["query"], args.naive_repeats, warmup=0)
        row.update(naive=naive, time_ratio_p95=naive["p95_ms"] / row["http"]["p95_ms"],
                   size_ratio=naive["max_bytes"] / row["http"]["max_bytes"])
    del frame
    print(f"naive: pandas load of the whole store {load_naive:.1f} s (once), then per request: filter + every "
          "matching event as a point on both figures", flush=True)
    print("ms = server time over HTTP (request to last byte); figures/panels/summary/table = each render callback; "
          "all = the four in sequence", flush=True)
    print(f"{'view':16} {'matching':>9} | {'figures p95':>11} {'panels p95':>10} {'summary p95':>11} {'table p95':>9} | {'all p50':>8} {'p95':>6} "
          f"{'KB':>6} | {'naive p50':>9} {'p95':>7} {'KB':>7} | {'time x':>6} {'size x':>6}", flush=True)
    for row in results:
        figures, panels, http, naive = row["figures"], row["panels"], row["http"], row["naive"]
        print(f"{row['view']:16} {row['matching']:>9,} | {figures['p95_ms']:11.0f} {panels['p95_ms']:10.0f} "
              f"{row['summary']['p95_ms']:11.0f} {row['table']['p95_ms']:9.0f} | "
              f"{http['p50_ms']:8.0f} {http['p95_ms']:6.0f} {http['max_bytes'] / 1e3:6.0f} | "
              f"{naive['p50_ms']:9.0f} {naive['p95_ms']:7.0f} {naive['max_bytes'] / 1e3:7.0f} | "
              f"{row['time_ratio_p95']:6.1f} {row['size_ratio']:6.1f}", flush=True)
    all_http = [t for r in results for t in r["http"]["times_ms"]]
    per_callback = [t for r in results for key in CALLBACKS for t in r[key]["times_ms"]]
    all_naive = [t for r in results for t in r["naive"]["times_ms"]]
    summary = {
        "store": str(args.store), "events": store.total, "repeats": args.repeats,
        "callback_p50_ms": statistics.median(per_callback), "callback_p95_ms": percentile(per_callback, 95),
        "http_p50_ms": statistics.median(all_http), "http_p95_ms": percentile(all_http, 95),
        "http_max_bytes": max(r["http"]["max_bytes"] for r in results),
        "naive_p50_ms": statistics.median(all_naive), "naive_p95_ms": percentile(all_naive, 95),
        "naive_max_bytes": max(r["naive"]["max_bytes"] for r in results),
        "load_s": {"ours": load_ours, "naive": load_naive},
        "cpus": os.cpu_count(), "load_average": {"start": load_before, "end": os.getloadavg()[0]},
    }
    summary["time_ratio_p95"] = summary["naive_p95_ms"] / summary["http_p95_ms"]
    summary["size_ratio"] = summary["naive_max_bytes"] / summary["http_max_bytes"]
    print(f"\nall views: one render callback p50 {summary['callback_p50_ms']:.0f} ms, "
          f"p95 {summary['callback_p95_ms']:.0f} ms; both callbacks p50 {summary['http_p50_ms']:.0f} ms, "
          f"p95 {summary['http_p95_ms']:.0f} ms, "
          f"largest response {summary['http_max_bytes'] / 1e6:.2f} MB | naive p50 {summary['naive_p50_ms']:.0f} ms, "
          f"p95 {summary['naive_p95_ms']:.0f} ms, largest {summary['naive_max_bytes'] / 1e6:.2f} MB | "
          f"naive/ours: time x{summary['time_ratio_p95']:.1f} (p95), size x{summary['size_ratio']:.1f}; "
          f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
    out = args.out or ROOT / "bench" / "out" / f"callbacks-{args.store.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "views": results}, indent=2, default=str))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
