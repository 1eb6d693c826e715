"""The dashboard's export panel: the current view as PNG, SVG or PDF (the timeline, the map, the summary
charts or a report of timeline and map; each titled, with its legend and caption) at a preset (A4,
Letter, 16:9 slide) or chosen size and scale, or its events as CSV or GeoJSON, downloaded by the browser.

The panel reads the view from the URL, as every other part of the app does, and hands it to
``export.export_download``, which draws with the same figure functions as the screen: an export is
what the user saw. Its sizes and scale are ``export.presets``', the same as ``python -m dashboard export``.
"""
from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard.export.exporter import FIGURES, FORMATS, IMAGE_FORMATS, ExportError, export_download
from dashboard.export.presets import DEFAULT_SCALE, image_size
from dashboard.views.state import ViewState

SIZE_LIMITS = (200, 4000)   # pixels, each side
SCALE_LIMITS = (0.5, 4.0)
# The presets (export.presets) as two choices: a page, and for paper an orientation.
PAPERS = (("", "own size"), ("a4", "A4"), ("letter", "Letter"), ("slide", "16:9 slide"))
ORIENTATIONS = (("", "as fits"), ("portrait", "portrait"), ("landscape", "landscape"))


def preset_of(paper: str | None, orientation: str | None) -> str | None:
    """The preset the two choices name: ("a4", "landscape") -> "a4-landscape"; ("", ...) -> None.
    Anything but the panel's own values (a tampered request) is an ExportError."""
    if paper not in [value for value, _ in PAPERS] or (orientation or "") not in [value for value, _ in ORIENTATIONS]:
        raise ExportError(f"page {paper!r} / orientation {orientation!r} is not one of the panel's choices")
    if not paper:
        return None
    return f"{paper}-{orientation}" if orientation and paper in ("a4", "letter") else paper


def layout() -> html.Fieldset:
    return html.Fieldset([
        html.Legend("Export this view"),
        html.Label("Figure", htmlFor="export-figure"),
        dcc.RadioItems(id="export-figure", value="report", inline=True,
                       options=[{"label": f, "value": f} for f in FIGURES]),
        html.Label("Format", htmlFor="export-format"),
        dcc.RadioItems(id="export-format", value="png", inline=True,
                       options=[{"label": f.upper() if f in IMAGE_FORMATS else f"{f.upper()} (events)", "value": f}
                                for f in FORMATS]),
        html.Div([
            html.Label("Width", htmlFor="export-width"),
            # no min/max/coarse step on the inputs: the browser would silently drop a value outside them;
            # the server checks it and says why
            dcc.Input(id="export-width", type="number", step=1, placeholder="auto"),
            html.Label("Height", htmlFor="export-height"),
            dcc.Input(id="export-height", type="number", step=1, placeholder="auto"),
            html.Label("Scale", htmlFor="export-scale"),
            dcc.Input(id="export-scale", type="number", step="any", value=DEFAULT_SCALE),
        ], className="export-size"),
        html.Label("Page", htmlFor="export-paper"),
        dcc.RadioItems(id="export-paper", value="", inline=True,
                       options=[{"label": label, "value": value} for value, label in PAPERS]),
        dcc.RadioItems(id="export-orientation", value="", inline=True,
                       options=[{"label": label, "value": value} for value, label in ORIENTATIONS]),
        html.Button("Download", id="export-button", title="download the current view"),
        dcc.Loading(html.Div(id="export-message", className="export-message", role="status"),
                    type="dot", delay_show=200),
        dcc.Download(id="export-download"),
    ], className="export")


def _number(value, limits, name):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ExportError(f"{name} must be a number") from None
    if not limits[0] <= number <= limits[1]:
        raise ExportError(f"{name} must be between {limits[0]:g} and {limits[1]:g}")
    return number


def export_for(store, search: str | None, figure: str, fmt: str, width=None, height=None, scale=DEFAULT_SCALE,
               preset: str | None = None):
    """The download for one click, or an ExportError with the reason in words. A width or height typed
    in wins over the preset, which wins over the figure's own size (``presets.image_size``)."""
    if figure not in FIGURES:
        raise ExportError(f"figure {figure!r} is not one of {', '.join(FIGURES)}")
    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    width = _number(width, SIZE_LIMITS, "width")
    height = _number(height, SIZE_LIMITS, "height")
    scale = _number(scale, SCALE_LIMITS, "scale") or DEFAULT_SCALE
    size = image_size(figure, preset or None, int(width) if width else None, int(height) if height else None)
    view = ViewState.from_query(search or "")
    return export_download(store, view, fmt, figure, width=size[0], height=size[1], scale=scale)


def register_callbacks(app, store) -> None:
    @app.callback(Output("export-download", "data"), Output("export-message", "children"),
                  Input("export-button", "n_clicks"), State("url", "search"), State("export-figure", "value"),
                  State("export-format", "value"), State("export-width", "value"),
                  State("export-height", "value"), State("export-scale", "value"), State("export-paper", "value"),
                  State("export-orientation", "value"), prevent_initial_call=True)
    def download(_clicks, search, figure, fmt, width, height, scale, paper, orientation):
        try:
            data = export_for(store, search if isinstance(search, str) else "", figure, fmt, width, height, scale,
                              preset_of(paper, orientation))
        except ExportError as err:
            return None, f"Export failed: {err}"
        return data, f"Exported {data['filename']}"

    @app.callback(Output("export-width", "placeholder"), Output("export-height", "placeholder"),
                  Input("export-figure", "value"), Input("export-paper", "value"),
                  Input("export-orientation", "value"))
    def size_shown(figure, paper, orientation):
        """The size a download will have when no width or height is typed in."""
        if not isinstance(figure, str) or figure not in FIGURES:
            return "auto", "auto"
        try:
            width, height = image_size(figure, preset_of(paper, orientation))
        except ExportError:
            return "auto", "auto"
        return str(width), str(height)
