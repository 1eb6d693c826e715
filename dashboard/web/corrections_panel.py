"""Correcting an event from the provenance panel: another place, dates, merge, split, not an event, undo.

    >>> # children = provenance_panel(event, store.articles) + [panel_controls(event, "data/store")]
    >>> # app.layout.children.append(ui_corrections.layout())
    >>> # ui_corrections.register_callbacks(app, "data/store", "data/corpus", "data/uploads")

A correction is checked and appended to the store's log (``dashboard.editing.corrections``) at once; the store is
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
from pathlib import Path

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard.editing.corrections import (CorrectionError, CorrectionLog, corrections_for_event, corrections_path,
                                   correct_event, event_place_candidates, parse_interval, parse_point,
                                   place_candidates)

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
    return [{"label": c.label(), "value": json.dumps(c.change(), sort_keys=True)} for c in candidates]


def panel_controls(event_row: dict | None, store_path: str | Path) -> html.Section | None:
    """The correction controls for one event (as ``EventStore.event`` returns it), for the provenance panel."""
    if not event_row or not event_row.get("id"):
        return None
    event_id = str(event_row["id"])
    try:
        candidates = event_place_candidates(event_row)
    except Exception as err:  # the gazetteer is optional for the other corrections
        log.warning("no place candidates for %s: %s", event_id, err)
        candidates = []
    active = [r for r in corrections_for_event(store_path, event_id) if r.state != "undone"]
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


def register_callbacks(app: dash.Dash, store_path: str | Path, corpus_dir: str | Path | list | None,
                       uploads_dir: str | Path | None = None, *, event_store=None, limits=None) -> None:
    """Wire the panel's controls: look up a typed place, make a correction or undo one, follow the rebuild."""
    from dashboard.web.upload_panel import app_runner

    if getattr(app, "_correction_panel_registered", False):
        return  # registered already (Dash refuses the same outputs twice)
    app._correction_panel_registered = True
    runner = app_runner(app, store_path, corpus_dir, uploads_dir, event_store, limits)

    @app.callback(
        Output("correct-place-choice", "options"), Output("correct-place-choice", "value"),
        Input("correct-place-search", "n_clicks"), Input("correct-place-text", "n_submit"),
        State("correct-place-text", "value"), State("correct-event", "data"), State("correct-place-choice", "options"),
        prevent_initial_call=True,
    )
    def look_up_place(_clicks, _submit, text, event_id, options):
        if not text or not str(text).strip():
            return no_update, no_update
        from dashboard.editing.corrections import find_event

        event = find_event(store_path, str(event_id or "")) or {}
        found = place_candidates(str(text), (event.get("lat"), event.get("lon")),
                                 country_code=event.get("country_code") or "")
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
                record = CorrectionLog(corrections_path(store_path)).undo(int(trigger["index"]), reason or "")
                done = f"Undid correction #{record.undoes}"
            else:
                record = _correct(store_path, str(event_id or ""), trigger, choice, point, start, end, merge_into,
                                  reason)
                done = f"Correction #{record.id}: {record.describe()}"
        except CorrectionError as err:
            return f"Not corrected: {err}", no_update, no_update
        except (KeyError, TypeError, ValueError):  # a payload no control of this page sends
            return "Not corrected: the request was not understood.", no_update, no_update
        job = runner.submit_rebuild()
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
        job = runner.job((job_info or {}).get("job"))
        if job is None:
            return "The rebuild job is gone (the server restarted?).", True, no_update
        if not job.finished:
            return no_update, False, no_update
        text = str(status or "").replace(" Applying it…", "")
        if job.state == "failed":
            return f"{text}. Logged, but the rebuild failed: {job.error}", True, no_update
        if job.error:  # rebuilt, but the app could not reload
            return f"{text}. {job.error}", True, no_update
        new_search = search or ""
        if job_info.get("kind") == "merge" and job_info.get("into"):
            from dashboard.views.state import ViewState

            view = ViewState.from_query(search)
            new_search = "?" + view.replace(event_id=job_info["into"]).to_query()
        return [f"{text}. Done.", *unapplied_notice(store_path)], True, new_search


def unapplied_notice(store_path) -> list:
    """A line about corrections the last build could not apply (their events are gone), if any."""
    from dashboard.editing.corrections import unapplied

    lost = unapplied(store_path)
    if not lost:
        return []
    listed = "; ".join(f"#{r.correction.id} {r.correction.describe()} ({r.state})" for r in lost[:5])
    return [html.Br(), html.Span(f"{len(lost)} correction(s) no longer apply, their events changed: {listed}. "
                                 f"See `python -m dashboard corrections list`.", className="correct-unapplied")]


def _correct(store_path, event_id: str, button: str, choice, point, start, end, merge_into, reason):
    if button == "correct-apply-place":
        if not choice:
            raise CorrectionError("choose a candidate place, or type one and press “Look up”")
        try:
            change = json.loads(choice)
        except (TypeError, ValueError):
            raise CorrectionError("that place choice is not readable") from None
        return correct_event(store_path, event_id, "place", change, reason or "")
    if button == "correct-apply-point":
        lat, lon = parse_point(point or "")
        return correct_event(store_path, event_id, "point", {"lat": lat, "lon": lon}, reason or "")
    if button == "correct-apply-dates":
        first, last = parse_interval(f"{start or ''}..{end or ''}")
        return correct_event(store_path, event_id, "dates",
                             {"start_date": first.isoformat(), "end_date": last.isoformat()}, reason or "")
    if button == "correct-apply-merge":
        return correct_event(store_path, event_id, "merge", {"into": (merge_into or "").strip()}, reason or "")
    if button == "correct-split":
        return correct_event(store_path, event_id, "split", {}, reason or "")
    if button == "correct-not-event":
        return correct_event(store_path, event_id, "not_event", {}, reason or "")
    raise CorrectionError(f"unknown control {button!r}")


def panel_with_controls(store_path: str | Path, provenance_panel=None):
    """``provenance_panel`` with the correction controls appended: a drop-in for the app's panel function."""
    if provenance_panel is None:
        from dashboard.web.provenance import provenance_panel

    def panel(event, articles=None):
        children = list(provenance_panel(event, articles))
        controls = panel_controls(event, store_path)
        return children + ([controls] if controls is not None else [])

    return panel
