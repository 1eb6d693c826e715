"""The event table (AG Grid): every column sortable and filterable, rows virtualised, the selected event
highlighted and scrolled to, whatever selected it (the map, the timeline, the URL or the table itself).

    >>> rows, selected, scroll = table_rows(store, view)      # doctest: +SKIP

The grid is one Tab stop; inside it the arrow keys move between cells and Space selects the row's event
(AG Grid's keyboard model), so events are reachable without a mouse.
"""
from __future__ import annotations

import dash_ag_grid as dag
from dash import html

from dashboard.views.figures import type_label
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState

TABLE_ROWS = 1000  # the first rows of the view (by date); filter or brush to reach others

COLUMNS = [
    {"headerName": "Start", "field": "start_date", "width": 110},
    {"headerName": "End", "field": "end_date", "width": 110},
    {"headerName": "Known to", "field": "time_precision", "width": 100},
    {"headerName": "Place", "field": "place", "width": 150},
    {"headerName": "Country", "field": "country", "width": 120},
    {"headerName": "Type", "field": "event_type", "width": 150},
    {"headerName": "Deaths", "field": "fatalities", "width": 90, "filter": "agNumberColumnFilter", "type": "numericColumn"},
    {"headerName": "Sources", "field": "n_sources", "width": 90, "filter": "agNumberColumnFilter", "type": "numericColumn"},
    {"headerName": "Sentence", "field": "sentence", "flex": 1, "minWidth": 320, "wrapText": False,
     "tooltipField": "sentence"},
]


def grid() -> html.Section:
    return html.Section([
        html.H2("Events", className="band-title"),
        html.P(id="table-note", className="hint table-note"),
        dag.AgGrid(
            id="table", columnDefs=COLUMNS, rowData=[], getRowId="params.data.id",
            defaultColDef={"sortable": True, "filter": "agTextColumnFilter", "resizable": True,
                           "floatingFilter": True, "suppressHeaderMenuButton": True,
                           "suppressFloatingFilterButton": True},
            dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
                             "animateRows": False,
                             # Tab leaves the grid (arrow keys move between cells): not one Tab stop per cell
                             "tabToNextCell": {"function": "false"}, "tooltipShowDelay": 400, "rowHeight": 30},
            className="ag-theme-quartz event-table", style={"height": "420px", "width": "100%"},
        ),
    ], className="table-band", **{"aria-label": "event table"})


def table_rows(store: EventStore, view: ViewState, selected: dict | None = None) -> tuple[list, list, dict, str]:
    """The grid's rows, its selected rows, where to scroll and the note above it."""
    frame = store.table(view, limit=TABLE_ROWS)
    rows = [_row(row) for row in frame.to_dict("records")]
    matching = None
    if len(rows) >= TABLE_ROWS:
        matching = store.count(view)
    if selected and selected.get("id") and not any(r["id"] == selected["id"] for r in rows):
        rows.insert(0, _row(dict(selected, country=selected.get("country") or selected.get("country_code"))))
    chosen = [{"id": selected["id"]}] if selected and selected.get("id") else []
    scroll = {"rowId": selected["id"], "rowPosition": "middle"} if chosen else {"rowIndex": 0}
    note = (f"the first {TABLE_ROWS:,} of {matching:,} events by date: filter, brush or sort within them"
            if matching and matching > TABLE_ROWS else "")
    return rows, chosen, scroll, note


def _row(row: dict) -> dict:
    fatalities = row.get("fatalities")
    n_sources = row.get("n_sources")
    if n_sources is None and row.get("sources") is not None:
        n_sources = len(row["sources"])
    return {
        "id": str(row.get("id")), "start_date": _day(row.get("start_date")), "end_date": _day(row.get("end_date")),
        "time_precision": row.get("time_precision"), "place": row.get("place"), "country": row.get("country"),
        "event_type": type_label(row.get("event_type") or "other"),
        "fatalities": int(fatalities) if fatalities is not None and fatalities == fatalities else None,
        "n_sources": int(n_sources) if n_sources is not None and n_sources == n_sources else None,
        "sentence": row.get("sentence"),
    }


def _day(value) -> str | None:
    return None if value is None else str(value)[:10]
