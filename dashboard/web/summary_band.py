"""The summary band under the map: fatalities over time, events by type and by country (each follows every
filter; a click on a type or a country bar filters by it)."""
from __future__ import annotations

from dash import dcc, html

CHARTS = ("summary-deaths", "summary-types", "summary-countries")


def band(config: dict) -> html.Section:
    static = dict(config, scrollZoom=False, displayModeBar=False)
    return html.Section([
        html.Div(dcc.Graph(id=chart, config=static, style={"height": "100%"}), className="summary-graph")
        for chart in CHARTS
    ], id="summary-band", className="summary-band", **{"aria-label": "summary of the events in view"})


def clicked_value(click) -> str | None:
    """The type or country code of a clicked bar (None for anything else)."""
    try:
        value = click["points"][0]["customdata"]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) and len(value) <= 64 else None
