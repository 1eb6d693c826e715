"""Correcting an event from the provenance panel: another place, dates, merge, split, not an event, undo.

    >>> # service = EditingService("data/store", None, "data/uploads", on_rebuilt=event_store.reload)
    >>> # panel = panel_with_controls(service, provenance_panel)      # the app's provenance panel function
    >>> # app.layout.children.append(corrections_panel.layout())
    >>> # corrections_panel.register_callbacks(app, service)

A correction is checked and appended to the store's log (``editing.service``) at once; the store is
then rebuilt in the background (articles are cached, so only the events are rewritten) and the view is
drawn again: the corrected event shows "Corrected" with its corrections and an Undo button for each.

Component ids (all prefixed ``correct-``): in the panel ``correct-event`` (the event's id),
``correct-place-choice`` (ranked candidates with distances), ``correct-place-text`` and
``correct-place-search`` (type a place), ``correct-point``, ``correct-start`` / ``correct-end``,
``correct-merge-into``, ``correct-reason``, the buttons ``correct-apply-place``, ``correct-apply-point``,
``correct-apply-dates``, ``correct-apply-merge``, ``correct-split``, ``correct-not-event`` and
``{"type": "correct-undo", "index": N}``; in the static ``layout()``: ``correct-status``, ``correct-job``,
``correct-poll``.
"""
from __future__ import annotations

import datetime as dt
import json
import logging

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard.editing.correction_log import CorrectionError
from dashboard.editing.corrections import parse_interval, parse_point
from dashboard.editing.place_candidates import candidate_change, candidate_label
from dashboard.editing.service import EditingService
from dashboard.views.state import ViewState

log = logging.getLogger(__name__)
POLL_MS = 500
# A label for screen readers only (the placeholder shows sighted users what to type)
HIDDEN_LABEL = {"position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden", "clip": "rect(0 0 0 0)",
                "whiteSpace": "nowrap"}
APPLY_BUTTONS = ("correct-apply-place", "correct-apply-point", "correct-apply-dates", "correct-apply-merge",
                 "correct-split", "correct-not-event")


def layout() -> html.Div:
    """The static part: the status line of the last correction and the timer that follows its rebuild."""
    return html.Div([
        html.Div(id="correct-status", role="status", className="correct-status"),
        dcc.Store(id="correct-job"),
        dcc.Interval(id="correct-poll", interval=POLL_MS, disabled=True),
    ], className="correct-static")


def _day(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def place_options(candidates) -> list[dict]:
    return [{"label": candidate_label(c), "value": json.dumps(candidate_change(c), sort_keys=True)} for c in candidates]


def panel_controls(event_row: dict | None, service: EditingService) -> html.Section | None:
    """The correction controls for one event (as ``EventStore.event`` returns it), for the provenance panel."""
    if not event_row or not event_row.get("id"):
        return None
    event_id = str(event_row["id"])
    try:
        candidates = service.candidates_for(event_row)
    except Exception as err:  # the gazetteer is optional for the other corrections
        log.warning("no place candidates for %s: %s", event_id, err)
        candidates = []
    active = service.corrections_for_event(event_id)
    n_sources = len(set(event_row.get("sources") or [])) or int(event_row.get("n_sources") or 0)
    header: list = [html.H4("Correct this event")]
    if event_row.get("corrected") or active:
        header.append(html.Span("Corrected", className="corrected-badge", id="correct-badge",
                                title="a user's correction is applied to this event"))
    history = html.Ul([
        html.Li([f"#{r.correction.id} {r.correction.describe()}"
                 + (f" ({r.correction.reason})" if r.correction.reason else "")
                 + ("" if r.state == "applied" else f" [{r.state}{': ' + r.detail if r.detail else ''}]")
                 + (" [article changed since]" if r.article_changed else ""),
                 html.Button("Undo", id={"type": "correct-undo", "index": r.correction.id}, n_clicks=0,
                             className="correct-undo", title=f"undo correction #{r.correction.id}")])
        for r in active], className="correct-history") if active else None
    return html.Section([
        *header,
        history,
        dcc.Store(id="correct-event", data=event_id),
        html.Fieldset([
            html.Legend("Place"),
            html.Label("Candidate places", htmlFor="correct-place-choice", style=HIDDEN_LABEL),
            dcc.Dropdown(id="correct-place-choice", options=place_options(candidates), clearable=True,
                         placeholder="another candidate place (best first, with its distance)"
                         if candidates else "no other candidates; type a place below",
                         value=None),
            html.Div([
                html.Label("Type a place", htmlFor="correct-place-text", style=HIDDEN_LABEL),
                dcc.Input(id="correct-place-text", type="text", placeholder="type a place, e.g. Tabqa, Syria",
                          maxLength=200, debounce=False),
                html.Button("Look up", id="correct-place-search", n_clicks=0, type="button"),
            ], className="correct-row"),
            html.Button("Use this place", id="correct-apply-place", n_clicks=0),
            html.Div([
                html.Label("Coordinates", htmlFor="correct-point", style=HIDDEN_LABEL),
                dcc.Input(id="correct-point", type="text", placeholder="or LAT,LON e.g. 35.83,38.54", maxLength=60),
                html.Button("Use this point", id="correct-apply-point", n_clicks=0),
            ], className="correct-row"),
        ]),
        html.Fieldset([
            html.Legend("Dates"),
            html.Label("From", htmlFor="correct-start"),
            dcc.Input(id="correct-start", type="date", value=_day(event_row.get("start_date"))),
            html.Label("To", htmlFor="correct-end"),
            dcc.Input(id="correct-end", type="date", value=_day(event_row.get("end_date"))),
            html.Button("Use these dates", id="correct-apply-dates", n_clicks=0),
        ]),
        html.Fieldset([
            html.Legend("Same or separate events"),
            html.Label("Same event as (id)", htmlFor="correct-merge-into"),
            dcc.Input(id="correct-merge-into", type="text", placeholder="id of the same event", maxLength=200),
            html.Button("Merge into it", id="correct-apply-merge", n_clicks=0),
            html.Button("Split: one event per source", id="correct-split", n_clicks=0, disabled=n_sources < 2,
                        title="each source article gets its own event" if n_sources >= 2 else "one source only"),
        ]),
        html.Label("Reason", htmlFor="correct-reason"),
        dcc.Input(id="correct-reason", type="text", placeholder="reason (kept in the log)", maxLength=500),
        html.Button("Not an event", id="correct-not-event", n_clicks=0, className="danger"),
        html.P(f"Event id {event_id}", className="hint event-id"),
    ], className="correct-panel", **{"aria-label": "correct this event"})


def register_callbacks(app: dash.Dash, service: EditingService) -> None:
    """Wire the panel's controls: look up a typed place, make a correction or undo one, follow the rebuild."""
    if getattr(app, "_correction_panel_registered", False):
        return  # registered already (Dash refuses the same outputs twice)
    app._correction_panel_registered = True

    @app.callback(
        Output("correct-place-choice", "options"), Output("correct-place-choice", "value"),
        Input("correct-place-search", "n_clicks"), Input("correct-place-text", "n_submit"),
        State("correct-place-text", "value"), State("correct-event", "data"), State("correct-place-choice", "options"),
        prevent_initial_call=True,
    )
    def look_up_place(_clicks, _submit, text, event_id, options):
        if not isinstance(text, str) or not text.strip():
            return no_update, no_update
        found = service.look_up(text, event_id)
        if not found:
            return [{"label": f"no place called “{text}” in the gazetteer", "value": "", "disabled": True}], None
        new = place_options(found)
        return new, new[0]["value"]

    @app.callback(
        Output("correct-status", "children"), Output("correct-job", "data"), Output("correct-poll", "disabled"),
        *[Input(b, "n_clicks") for b in APPLY_BUTTONS],
        Input({"type": "correct-undo", "index": ALL}, "n_clicks"),
        State("correct-event", "data"), State("correct-place-choice", "value"), State("correct-point", "value"),
        State("correct-start", "value"), State("correct-end", "value"), State("correct-merge-into", "value"),
        State("correct-reason", "value"),
        prevent_initial_call=True,
    )
    def make_correction(*args):
        trigger = ctx.triggered_id
        clicked = ctx.triggered[0]["value"] if ctx.triggered else None
        if trigger is None or not clicked:
            return no_update, no_update, no_update  # a button appeared, nobody clicked it
        event_id, choice, point, start, end, merge_into, reason = args[len(APPLY_BUTTONS) + 1:]
        try:
            if isinstance(trigger, dict):  # an Undo button
                record, job = service.undo(trigger.get("index"), reason)
                done = f"Undid correction #{record.undoes}"
            else:
                kind, change = _correction(trigger, choice, point, start, end, merge_into)
                record, job = service.correct(event_id, kind, change, reason)
                done = f"Correction #{record.id}: {record.describe()}"
        except CorrectionError as err:
            return f"Not corrected: {err}", no_update, no_update
        return f"{done}. Applying it…", {"job": job.id, "kind": getattr(record, "kind", ""),
                                          "into": getattr(record, "change", {}).get("into")}, False

    @app.callback(
        Output("correct-status", "children", allow_duplicate=True),
        Output("correct-poll", "disabled", allow_duplicate=True),
        Output("url", "search", allow_duplicate=True),
        Input("correct-poll", "n_intervals"),
        State("correct-job", "data"), State("correct-status", "children"), State("url", "search"),
        prevent_initial_call=True,
    )
    def follow_rebuild(_tick, job_info, status, search):
        job_info = job_info if isinstance(job_info, dict) else {}
        job = service.job(job_info.get("job"))
        if job is None:
            return "The rebuild job is gone (the server restarted?).", True, no_update
        if not job.finished:
            return no_update, False, no_update
        text = str(status or "").replace(" Applying it…", "")
        if job.state == "failed":
            return f"{text}. Logged, but the rebuild failed: {job.error}", True, no_update
        if job.error:  # rebuilt, but the app could not reload
            return f"{text}. {job.error}", True, no_update
        new_search = search if isinstance(search, str) else ""
        if job_info.get("kind") == "merge" and isinstance(job_info.get("into"), str):
            view = ViewState.from_query(new_search)
            new_search = "?" + view.replace(event_id=job_info["into"]).to_query()
        return [f"{text}. Done.", *notice(service.unapplied_notice())], True, new_search


def notice(text: str) -> list:
    """The service's line about corrections that no longer apply, as the panels show it ([] if none)."""
    return [html.Br(), html.Span(text, className="correct-unapplied")] if text else []


def _correction(button: str, choice, point, start, end, merge_into) -> tuple[str, dict]:
    """The (kind, change) a button asks for, from the controls' values (checked as text first)."""
    if not all(v is None or isinstance(v, str) for v in (choice, point, start, end, merge_into)):
        raise CorrectionError("the request was not understood")
    if button == "correct-apply-place":
        if not choice:
            raise CorrectionError("choose a candidate place, or type one and press “Look up”")
        try:
            change = json.loads(choice)
        except ValueError:
            raise CorrectionError("that place choice is not readable") from None
        if not isinstance(change, dict):
            raise CorrectionError("that place choice is not readable")
        return "place", change
    if button == "correct-apply-point":
        return "point", dict(zip(("lat", "lon"), parse_point(point or "")))
    if button == "correct-apply-dates":
        first, last = parse_interval(f"{start or ''}..{end or ''}")
        return "dates", {"start_date": first.isoformat(), "end_date": last.isoformat()}
    if button == "correct-apply-merge":
        return "merge", {"into": (merge_into or "").strip()}
    kinds = {"correct-split": "split", "correct-not-event": "not_event"}
    if button in kinds:
        return kinds[button], {}
    raise CorrectionError("the request was not understood")


def panel_with_controls(service: EditingService, provenance_panel):
    """``provenance_panel`` with the correction controls appended: a drop-in for the app's panel function."""
    def panel(event, articles=None):
        children = list(provenance_panel(event, articles))
        controls = panel_controls(event, service)
        return children + ([controls] if controls is not None else [])

    return panel
