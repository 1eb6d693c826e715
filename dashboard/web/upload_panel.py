"""The "Add articles" panel of the app: drop files, give metadata, watch the background job.

    >>> # service = EditingService("data/store", None, "data/uploads", on_rebuilt=event_store.reload)
    >>> # app.layout.children.append(upload_panel.layout())
    >>> # upload_panel.register_callbacks(app, service)

Dropped files are sent to a background job (``editing.jobs.JobRunner``): checked and saved into the uploads
corpus, then the store is rebuilt incrementally. A progress bar and one message per file follow the job;
when it is done the app's events are reloaded and the current view is drawn again (the new events appear
without a restart), with a link to a view of the new articles' events.

Component ids (all prefixed ``upload-``): ``upload-files`` (the drop zone), ``upload-published``,
``upload-title``, ``upload-url`` (metadata for the dropped files), ``upload-progress``, ``upload-state``,
``upload-messages``, ``upload-job`` (the running job's id), ``upload-poll`` (the job's progress timer).
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc, html, no_update

from dashboard.editing.limits import UploadError, UploadLimits, configured_limits, size_text
from dashboard.editing.metadata import check_metadata
from dashboard.editing.service import EditingService
from dashboard.editing.uploads import ACCEPTED_SUFFIXES, files_from_browser

POLL_MS = 500


def layout(limits: UploadLimits | None = None) -> html.Fieldset:
    """The panel's components (static: mount them once in the layout). ``limits`` default: the
    configured ones (``limits.configured_limits``)."""
    limits = limits or configured_limits()
    return html.Fieldset([
        html.Legend("Add articles"),
        dcc.Upload(
            id="upload-files", multiple=True, className="upload",
            children=html.Div([
                "Drop article files here or ", html.Button("choose files", type="button", className="link-button"),
                html.Br(),
                html.Small(f"{' '.join(ACCEPTED_SUFFIXES)} (CSV with a text column; a zip of them); up to "
                           f"{size_text(limits.max_file_bytes)} per file and {limits.max_files} files"),
            ]),
            style={"border": "1px dashed #888", "borderRadius": "4px", "padding": "8px", "textAlign": "center",
                   "cursor": "pointer"},
            style_active={"borderColor": "#0072B2", "backgroundColor": "#eef6fb"},
        ),
        html.Details([
            html.Summary("Publication date, title, URL (optional)"),
            html.Label("Published", htmlFor="upload-published"),
            dcc.Input(id="upload-published", type="text", placeholder="YYYY-MM-DD, YYYY-MM or YYYY", maxLength=40,
                      debounce=False),
            html.Label("Title", htmlFor="upload-title"),
            dcc.Input(id="upload-title", type="text", maxLength=300),
            html.Label("URL", htmlFor="upload-url"),
            dcc.Input(id="upload-url", type="url", placeholder="https://...", maxLength=2000),
            html.P("Applied to each text file dropped next, in place of what the file itself says (an HTML "
                   "page's head, a Markdown front matter). JSONL and CSV rows carry their own columns "
                   "(published, title, url), and a metadata.json can be dropped with the files.", className="hint"),
        ], className="upload-metadata"),
        html.Progress(id="upload-progress", max=100, value=0, style={"width": "100%", "display": "none"}),
        html.Div(id="upload-state", role="status", className="upload-state"),
        html.Ul(id="upload-messages", className="upload-messages"),
        dcc.Store(id="upload-job"),
        dcc.Interval(id="upload-poll", interval=POLL_MS, disabled=True),
    ], className="upload-panel")


def register_callbacks(app: dash.Dash, service: EditingService) -> None:
    """Wire the panel: drop -> background job -> progress -> reloaded events and a redrawn view.

    The service's rebuild reads the store's folders and the uploads; its ``on_rebuilt`` reloads the
    app's events. The redraw re-sends the page's ``url.search`` (the app's view state), which runs the
    app's ``render`` callback again over the reloaded events.
    """
    if getattr(app, "_upload_panel_registered", False):
        return  # registered already (Dash refuses the same outputs twice)
    app._upload_panel_registered = True
    limits = service.limits

    @app.callback(
        Output("upload-job", "data"), Output("upload-poll", "disabled"), Output("upload-state", "children"),
        Output("upload-messages", "children"), Output("upload-progress", "value"),
        Output("upload-progress", "style"), Output("upload-files", "contents"),
        Input("upload-files", "contents"),
        State("upload-files", "filename"), State("upload-published", "value"), State("upload-title", "value"),
        State("upload-url", "value"),
        prevent_initial_call=True,
    )
    def start_upload(contents, filenames, published, title, url):
        if not contents:
            return (no_update,) * 7
        try:
            metadata = check_metadata(published, title, url)
        except UploadError as err:
            return None, True, f"Nothing uploaded: {err}.", [], 0, {"display": "none"}, None
        files = files_from_browser(contents, filenames, limits.max_file_bytes)
        job = service.upload(files, metadata)
        shown = {"width": "100%", "display": "block"}
        return job.id, False, f"Received {len(files)} file(s); checking them…", [], 0, shown, None

    @app.callback(
        Output("upload-state", "children", allow_duplicate=True),
        Output("upload-messages", "children", allow_duplicate=True),
        Output("upload-progress", "value", allow_duplicate=True),
        Output("upload-poll", "disabled", allow_duplicate=True),
        Output("url", "search", allow_duplicate=True),
        Input("upload-poll", "n_intervals"),
        State("upload-job", "data"), State("url", "search"),
        prevent_initial_call=True,
    )
    def follow_upload(_tick, job_id, search):
        job = service.job(job_id)
        if job is None:
            return "The upload job is gone (the server restarted?).", no_update, 0, True, no_update
        items = [html.Li(str(m), className="upload-ok" if m.ok else "upload-refused") for m in job.messages]
        if not job.finished:
            stage = {"queued": "Waiting for the previous job…", "saving": "Checking and saving the files…",
                     "analysing": f"Analysing new articles: {job.done} of {job.total}…" if job.total
                     else "Looking for new articles…", "writing": "Writing the store…"}[job.state]
            return stage, items or no_update, job.percent, False, no_update
        if job.state == "failed":
            return f"The upload failed: {job.error}", items, 100, True, no_update
        if job.error:  # rebuilt, but this app could not reload its events
            return f"Done, but {job.error}", items, 100, True, no_update
        return [*_finished_state(job), *notice(service.unapplied_notice())], items, 100, True, search or ""


def _finished_state(job) -> list:
    refused = sum(1 for m in job.messages if not m.ok)
    saved = sum(1 for m in job.messages if m.ok and m.saved_as)
    before, after = job.events_before or 0, job.events_after or 0
    parts: list = [f"Done: {saved} file(s) added, {refused} refused. "]
    if job.summary and saved:
        parts.append(f"{after:,} events now ({after - before:+,}). ")
    if job.article_ids:
        link = "?" + urlencode({"source": ",".join(job.article_ids[:50])})
        parts.append(html.A("Show the events of the new articles", href=link, id="upload-show-new"))
    return parts


def notice(text: str) -> list:
    """The service's line about corrections that no longer apply, as the panels show it ([] if none)."""
    return [html.Br(), html.Span(text, className="correct-unapplied")] if text else []
