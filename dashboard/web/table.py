"""The event table (AG Grid): every column sortable and filterable, rows virtualised, the selected event
highlighted and scrolled to, whatever selected it (the map, the timeline, the URL or the table itself).

    >>> key = rows_key(store, view)              # doctest: +SKIP
    >>> rows, note = table_rows(store, view)     # doctest: +SKIP

The grid is one Tab stop; inside it the arrow keys move between cells and Space selects the row's event
(AG Grid's keyboard model), so events are reachable without a mouse. The rows are sent again only when
they change (``rows_key``): selecting an event (a click in the table itself) redraws the highlight, not
the grid, so the keyboard focus stays where it was.
"""
from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

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
        dcc.Store(id="table-key"),
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


def rows_key(store: EventStore, view: ViewState) -> str:
    """What the rows depend on: the view without its selected event, unless that event is not among them
    (then it is added on top, and the rows change with it)."""
    key = view.without("event").to_query()
    if view.event_id and view.event_id not in set(store.table(view, limit=TABLE_ROWS)["id"]):
        key += "|" + view.event_id
    return key


def table_rows(store: EventStore, view: ViewState) -> tuple[list, str]:
    """The grid's rows (the selected event on top when the view's rows lack it) and the note above it."""
    rows = [_row(row) for row in store.table(view, limit=TABLE_ROWS).to_dict("records")]
    matching = store.count(view) if len(rows) >= TABLE_ROWS else None
    if view.event_id and not any(r["id"] == view.event_id for r in rows):
        selected = store.event(view.event_id)
        if selected:
            rows.insert(0, _row(dict(selected, country=selected.get("country") or selected.get("country_code"))))
    note = (f"the first {TABLE_ROWS:,} of {matching:,} events by date: filter, brush or sort within them"
            if matching and matching > TABLE_ROWS else "")
    return rows, note


def selection(view: ViewState) -> tuple[list, dict]:
    """The grid's selected rows and where it scrolls: the view's event, or the top."""
    if view.event_id:
        return [{"id": view.event_id}], {"rowId": view.event_id, "rowPosition": "middle"}
    return [], {"rowIndex": 0}


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
