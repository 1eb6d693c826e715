"""What a user waits for: a filter change redrawn in headless Chromium, from the click to both graphs drawn.

    .venv/bin/python bench/gen_events.py bench/out/store-100k --events 100000
    .venv/bin/python bench/bench_browser.py bench/out/store-100k --repeats 20
    .venv/bin/python bench/bench_browser.py bench/out/store-100k --query 'layer=both&map=42,35,4'

The app runs on a threaded werkzeug server on 127.0.0.1 (as ``make run`` does without gunicorn). For each
repeat the script ticks or unticks one event type in the filter panel (a real click on the checkbox) and
reads, inside the page, the time from the click to the last ``plotly_afterplot`` of the timeline and of
the map once no callback is pending (the page clock: the driver's polling adds nothing). It prints the
median and p95 and writes them to ``bench/out/browser-<store>.json``. Target (issue 17): median <= 600 ms
at 100,000 events.

The same script measures an older checkout: ``--code /path/to/checkout`` imports its ``dashboard``.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INSTRUMENT = """
window.__draws = {timeline: 0, map: 0}; window.__last = {};
for (const id of ['timeline', 'map']) {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    gd.on('plotly_afterplot', () => { window.__draws[id] += 1; window.__last[id] = performance.now(); });
}
"""
CLICK = """
const box = document.querySelectorAll('#type input[type=checkbox]')[arguments[0]];
window.__before = Object.assign({}, window.__draws);
window.__t0 = performance.now();
box.click();
"""
DONE = """
const drawn = ['timeline', 'map'].every(id => window.__draws[id] > window.__before[id]);
const busy = !!document.querySelector('[data-dash-is-loading="true"]');
return drawn && !busy ? Math.max(window.__last.timeline, window.__last.map) - window.__t0 : null;
"""


def serve(store_path: Path):
    from werkzeug.serving import make_server

    from dashboard.web.app import create_app

    app = create_app(store_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}/"


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait(driver, script: str, timeout: float = 60.0, *args):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script, *args)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(script[:60])


def measure(store_path: Path, repeats: int, query: str = "") -> dict:
    server, url = serve(store_path)
    driver = browser()
    try:
        driver.get(url + ("?" + query.lstrip("?") if query else ""))
        wait(driver, "return !!document.querySelector('#map .main-svg') && !!document.querySelector('#timeline .main-svg')"
                     " && !document.querySelector('[data-dash-is-loading=\"true\"]')")
        time.sleep(2.0)
        driver.execute_script(INSTRUMENT)
        times = []
        for i in range(repeats + 2):  # two warm-up changes
            driver.execute_script(CLICK, (i // 2) % 3)  # tick, untick: every view is a new query
            elapsed = wait(driver, DONE)
            time.sleep(0.3)  # let trailing redraws (hover layers, resize) settle before the next click
            if i >= 2:
                times.append(round(float(elapsed), 1))
        times.sort()
        return {"store": str(store_path), "repeats": repeats, "query": query, "median_ms": statistics.median(times),
                "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))], "times_ms": times}
    finally:
        driver.quit()
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose dashboard is measured")
    parser.add_argument("--query", default="", help="the view the page opens on, e.g. 'layer=density'")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve()))
    result = measure(args.store, args.repeats, args.query)
    result["code"] = str(args.code.resolve())
    print(f"{args.store.name}: filter change to both graphs drawn, median {result['median_ms']:.0f} ms, "
          f"p95 {result['p95_ms']:.0f} ms ({args.repeats} changes; code {result['code']}"
          + (f"; view ?{args.query}" if args.query else "") + ")")
    out = ROOT / "bench" / "out" / f"browser-{args.store.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
