"""The "Add articles" panel of the app: drop files, give metadata, watch the background job.

    >>> # app = create_app("data/store")
    >>> # app.layout.children.append(ui_upload.layout())       # the lead mounts it in the side panel
    >>> # ui_upload.register_callbacks(app, "data/store", "data/corpus", "data/uploads")

Dropped files are sent to a background job (``upload.JobRunner``): checked and saved into the uploads
corpus, then the store is rebuilt incrementally. A progress bar and one message per file follow the job;
when it is done the app's events are reloaded and the current view is drawn again (the new events appear
without a restart), with a link to a view of the new articles' events.

Component ids (all prefixed ``upload-``): ``upload-files`` (the drop zone), ``upload-published``,
``upload-title``, ``upload-url`` (metadata for the dropped files), ``upload-progress``, ``upload-state``,
``upload-messages``, ``upload-job`` (the running job's id), ``upload-poll`` (the job's progress timer).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc, html, no_update

from dashboard.editing.uploads import (ACCEPTED_SUFFIXES, UploadError, UploadLimits, check_metadata, configured_limits,
                              files_from_browser, size_text)

POLL_MS = 500


def layout(limits: UploadLimits | None = None) -> html.Fieldset:
    """The panel's components (static: mount them once in the layout). ``limits`` default: the
    configured ones (``upload.configured_limits``)."""
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


def register_callbacks(app: dash.Dash, store_path: str | Path, corpus_dir: str | Path | list | None,
                       uploads_dir: str | Path, *, event_store=None, limits: UploadLimits | None = None) -> None:
    """Wire the panel: drop -> background job -> progress -> reloaded events and a redrawn view.

    ``corpus_dir`` is the corpus folder (or the list of folders) the store is built from besides
    ``uploads_dir`` (None: the folders in the store's manifest); every rebuild reads them all.

    ``event_store`` is the app's ``query.EventStore`` (default ``app._event_store``); it is reloaded
    after each rebuild. The redraw re-sends the page's ``url.search`` (the app's view state), which runs
    the app's ``render`` callback again over the reloaded events.
    """
    if getattr(app, "_upload_panel_registered", False):
        return  # registered already (Dash refuses the same outputs twice)
    app._upload_panel_registered = True
    limits = limits or configured_limits()
    runner = app_runner(app, store_path, corpus_dir, uploads_dir, event_store, limits)

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
        job = runner.submit_upload(files, metadata)
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
        job = runner.job(job_id)
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
        from dashboard.web.corrections_panel import unapplied_notice

        return [*_finished_state(job), *unapplied_notice(store_path)], items, 100, True, search or ""


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


def app_runner(app, store_path, corpus_dir, uploads_dir, event_store=None, limits: UploadLimits | None = None):
    """The background job runner of this app's store (one per app: the upload and the corrections panels
    share it, and the app's events are reloaded once after each rebuild)."""
    from dashboard.editing.uploads import runner_for

    existing = getattr(app, "_upload_runner", None)
    if existing is not None:
        return existing
    if corpus_dir is None:  # the folders the store was last built from
        from dashboard.editing.uploads import store_corpora

        corpus_dir = store_corpora(store_path)
    given = corpus_dir if isinstance(corpus_dir, (list, tuple)) else [corpus_dir]
    corpora = [c for c in (*given, uploads_dir) if c]
    target = event_store if event_store is not None else getattr(app, "_event_store", None)
    runner = runner_for(store_path, corpora, uploads_dir, limits=limits or configured_limits(),
                        on_rebuilt=(lambda: reload_event_store(target)) if target is not None else None)
    app._upload_runner = runner
    return runner


def reload_event_store(event_store) -> None:
    """Swap the store's new generation into the app's EventStore (the object the app's callbacks hold)."""
    event_store.reload()
