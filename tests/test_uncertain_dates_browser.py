"""Events dated only by their article's publication are uncertain, and the dashboard says so: on the
timeline they are open markers (never a point "known to the day"), the histogram counts them with the
coarse dates, and the time-precision facet counts them under their own name. The real app over the real
seed build, in headless Chromium."""
from __future__ import annotations

import pytest

from dashboard.views.query import EventStore
from dashboard.views.state import ViewState
from tests.test_app_browser import start, wait_rendered

browser = pytest.mark.browser


def _timeline_markers(dash_duo) -> dict[str, str]:
    """Event id -> marker symbol, from the timeline figure's data."""
    return dash_duo.driver.execute_script("""
        const gd = document.querySelector('#timeline .js-plotly-plot');
        const out = {};
        for (const t of gd.data) {
            if (!Array.isArray(t.customdata) || !t.marker) continue;
            t.customdata.forEach((id, i) => {
                if (typeof id === 'string' && !id.startsWith('bin:'))
                    out[id] = Array.isArray(t.marker.symbol) ? t.marker.symbol[i] : t.marker.symbol;
            });
        }
        return out;
    """)


def _histogram_day_total(dash_duo) -> int:
    return dash_duo.driver.execute_script("""
        const gd = document.querySelector('#timeline .js-plotly-plot');
        const bars = gd.data.filter(t => t.type === 'bar' && t.name === 'known to the day');
        return bars.flatMap(t => Array.from(t.y || [])).reduce((a, b) => a + b, 0);
    """)


@browser
def test_publication_date_fallbacks_are_drawn_and_counted_as_uncertain(dash_duo, seed_store):
    store = EventStore(seed_store)
    published = store.count(ViewState.from_query("tprec=published"))
    day = store.count(ViewState.from_query("tprec=day"))
    assert published > 0 and day > 0  # the seeds have both: a sound test needs both
    start(dash_duo, seed_store, "from=1990-01-01&to=2030-12-31")
    wait_rendered(dash_duo)

    markers = _timeline_markers(dash_duo)
    fallback_ids = set(store.filter(ViewState.from_query("tprec=published"))["id"])
    drawn = {i: s for i, s in markers.items() if i in fallback_ids}
    assert drawn and all(str(symbol).endswith("-open") for symbol in drawn.values()), drawn

    assert _histogram_day_total(dash_duo) == day  # the fallbacks are not in the "known to the day" bars

    labels = [e.text for e in dash_duo.find_elements("#tprec label")]
    assert any(label.startswith("publication date only (uncertain)") and f"({published:,})" in label
               for label in labels), labels
