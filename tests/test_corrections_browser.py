"""Correcting events in the real app, in headless Chromium: a correction made in the provenance panel is
drawn at once, survives a rebuild and an app restart, is shown as corrected, and can be undone.
"""
from __future__ import annotations

import json

import pytest
from geopy.distance import geodesic
from selenium.webdriver.common.by import By

from dashboard.editing.rebuild import rebuild
from dashboard.editing.review import review
from dashboard.store.generations import Snapshot, read_event_rows
from tests.test_upload_browser import MOSUL, RAQQA, make_site, markers, start_app, wait_rendered, wait_until

pytestmark = pytest.mark.browser

MOSUL_B = """Mosul declared liberated

ERBIL, July 11, 2017 - Iraqi forces recaptured the old city of Mosul on 9 July 2017 after months of fighting against Islamic State militants, officials said.
"""
PALMYRA = (34.55, 38.27)
TIKRIT = (34.61, 43.68)


def open_event(dash_duo, event_id: str):
    dash_duo.driver.get(f"{dash_duo.server_url}/?event={event_id}")
    wait_rendered(dash_duo)
    wait_until(lambda: event_id in dash_duo.find_element("#provenance .event-id").text, "the correction controls")


def marker_point(dash_duo, event_id: str) -> tuple[float, float] | None:
    """Where the map draws an event (lat, lon), from the figure's data."""
    found = dash_duo.driver.execute_script("""
        const gd = document.querySelector('#map .js-plotly-plot');
        for (const t of gd.data) {
            if (!Array.isArray(t.customdata)) continue;
            const i = t.customdata.indexOf(arguments[0]);
            if (i >= 0) return [t.lat[i], t.lon[i]];
        }
        return null;""", event_id)
    return tuple(found) if found else None


def correction_done(dash_duo, previous: str = "") -> str:
    """The status line once the correction is applied (or refused); ``previous`` is the line before."""
    def finished():
        text = dash_duo.find_element("#correct-status").text
        if text == previous:
            return None
        return text if text.endswith("Done.") or "failed" in text or text.startswith("Not corrected") else None

    return wait_until(finished, "the correction to be applied")


def click_and_wait(dash_duo, selector: str) -> str:
    """Click a correction button and wait for its new status line."""
    previous = dash_duo.find_element("#correct-status").text
    dash_duo.find_element(selector).click()
    return correction_done(dash_duo, previous)


def badge(dash_duo) -> bool:
    return bool(dash_duo.driver.find_elements(By.CSS_SELECTOR, "#provenance .corrected-badge"))


def test_a_correction_persists_across_a_rebuild_and_a_restart_and_can_be_undone(dash_duo, tmp_path):
    store, uploads = make_site(tmp_path, {"raqqa.txt": RAQQA, "mosul_a.txt": MOSUL, "mosul_b.txt": MOSUL_B})
    rows = read_event_rows(store)
    palmyra = next(e for e in rows if "Palmyra" in e["sentence"])
    original = (palmyra["lat"], palmyra["lon"])
    start_app(dash_duo, store, uploads)
    open_event(dash_duo, palmyra["id"])
    assert not badge(dash_duo)
    wait_until(lambda: marker_point(dash_duo, palmyra["id"]), "the event on the map")

    # type a place, look it up: the ranked candidates show their distance from the current point
    dash_duo.find_element("#correct-place-text").send_keys("Palmyra, Syria")
    dash_duo.find_element("#correct-place-search").click()
    wait_until(lambda: "km away" in dash_duo.find_element("#correct-place-choice").text, "the looked-up place")
    assert "Palmyra" in dash_duo.find_element("#correct-place-choice").text
    dash_duo.find_element("#correct-reason").send_keys("the theatre is in Palmyra")
    assert click_and_wait(dash_duo, "#correct-apply-place").startswith("Correction #1: place -> Palmyra")

    # drawn at once, and shown as corrected in the panel
    wait_until(lambda: badge(dash_duo), "the Corrected badge")
    wait_until(lambda: geodesic(marker_point(dash_duo, palmyra["id"]), PALMYRA).km < 20, "the marker at Palmyra")
    history = dash_duo.find_element("#provenance .correct-history").text
    assert "#1 place -> Palmyra" in history and "the theatre is in Palmyra" in history

    # a rebuild (here from outside the app) and a restart: still corrected
    rebuild(store, [uploads.parent / "corpus", uploads])
    start_app(dash_duo, store, uploads)
    open_event(dash_duo, palmyra["id"])
    assert badge(dash_duo)
    assert geodesic(marker_point(dash_duo, palmyra["id"]), PALMYRA).km < 20
    assert "Palmyra" in dash_duo.find_element("#provenance .facts").text

    # undo: the event goes back to where the pipeline put it
    assert "Undid correction #1" in click_and_wait(dash_duo, "#provenance .correct-undo")
    wait_until(lambda: not badge(dash_duo), "the badge to go")
    wait_until(lambda: geodesic(marker_point(dash_duo, palmyra["id"]), original).km < 1, "the marker back")
    assert [r.state for r in review(Snapshot.of(store))[0]] == ["undone"]


def test_dates_merge_split_and_not_an_event_from_the_panel(dash_duo, tmp_path):
    store, uploads = make_site(tmp_path, {"raqqa.txt": RAQQA, "mosul_a.txt": MOSUL, "mosul_b.txt": MOSUL_B})
    rows = {e["id"]: e for e in read_event_rows(store)}
    tikrit = next(e for e in rows.values() if geodesic(TIKRIT, (e["lat"], e["lon"])).km < 30)
    merged = next(e for e in rows.values() if len(e["sources"]) == 2)
    start_app(dash_duo, store, uploads)

    # dates: set the interval in the date inputs
    open_event(dash_duo, tikrit["id"])
    for field, value in (("#correct-start", "2017-07-07"), ("#correct-end", "2017-07-08")):
        dash_duo.driver.execute_script("""
            const input = document.querySelector(arguments[0]);
            const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
            setter.call(input, arguments[1]);
            input.dispatchEvent(new Event('input', {bubbles: true}));
            input.dispatchEvent(new Event('change', {bubbles: true}));""", field, value)
    assert click_and_wait(dash_duo, "#correct-apply-dates").startswith("Correction #1: dates -> 2017-07-07..2017-07-08")
    wait_until(lambda: badge(dash_duo), "the Corrected badge")
    assert "#1 dates -> 2017-07-07..2017-07-08" in dash_duo.find_element("#provenance .correct-history").text
    row = {e["id"]: e for e in read_event_rows(store)}[tikrit["id"]]
    assert (str(row["start_date"]), str(row["end_date"]), row["time_precision"]) == \
        ("2017-07-07", "2017-07-08", "range")

    # split the event two articles reported; each source gets its own event on the map
    open_event(dash_duo, merged["id"])
    assert click_and_wait(dash_duo, "#correct-split").startswith("Correction #2: split")
    after = {e["id"]: e for e in read_event_rows(store)}
    pieces = [e for e in after.values() if e["sentence"] in {p["sentence"] for p in json.loads(merged["provenance"])}
              and e["corrected"]]
    assert sorted(s for p in pieces for s in p["sources"]) == sorted(merged["sources"])
    wait_until(lambda: {p["id"] for p in pieces} <= markers(dash_duo, "map"), "both pieces on the map")

    # merge one piece back into the other: the view follows the surviving event
    first, second = sorted(pieces, key=lambda p: p["id"] != merged["id"])
    open_event(dash_duo, second["id"])
    dash_duo.find_element("#correct-merge-into").send_keys(first["id"])
    assert click_and_wait(dash_duo, "#correct-apply-merge").startswith(f"Correction #3: merged into {first['id']}")
    wait_until(lambda: f"event={first['id']}" in dash_duo.driver.current_url, "the view on the merged event")
    wait_until(lambda: second["id"] not in markers(dash_duo, "map"), "the merged piece to go")

    # not an event: gone from the map and the timeline; a bad merge target is refused in words
    open_event(dash_duo, tikrit["id"])
    dash_duo.find_element("#correct-merge-into").send_keys("no-such-event")
    assert click_and_wait(dash_duo, "#correct-apply-merge").startswith("Not corrected")
    refusal = "Not corrected: there is no event 'no-such-event'"
    wait_until(lambda: refusal in dash_duo.find_element("#correct-status").text,
               "the refusal")
    assert click_and_wait(dash_duo, "#correct-not-event").startswith("Correction #4: marked as not an event")
    wait_until(lambda: tikrit["id"] not in markers(dash_duo, "timeline"), "the event to leave the timeline")
    assert tikrit["id"] not in markers(dash_duo, "map")
    assert [r.state for r in review(Snapshot.of(store))[0]] == ["applied"] * 4
