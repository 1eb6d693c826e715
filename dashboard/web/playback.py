"""Playback: a time window (the brush) that steps through the date range, with a slider to drag it.

    >>> import datetime as dt
    >>> view = ViewState.from_query("from=2016-01-01&to=2016-12-31")
    >>> first = start_brush(view, "3m")                   # 92 days
    >>> first
    (datetime.date(2016, 1, 1), datetime.date(2016, 4, 1))
    >>> step(view.replace(brush=first), "3m")[0].brush     # half a window on
    (datetime.date(2016, 2, 16), datetime.date(2016, 5, 17))
    >>> step(view.replace(brush=(dt.date(2016, 11, 20), dt.date(2016, 12, 31))), "3m")   # at the end: stop
    (ViewState(...), False)

The last window ends on the range's last day (never past it) and playback stops there. Only the Play
button starts and stops the timer: a tick never writes the button's state, so a pause is never lost to a
tick that was already on its way.
"""
from __future__ import annotations

import datetime as dt

from dash import dcc, html

from dashboard.views.figures import date_label
from dashboard.views.state import ViewState

WINDOWS = {"1m": ("1 month", 31), "3m": ("3 months", 92), "1y": ("1 year", 366)}
SPEEDS = {"0.5": "slow", "1": "normal", "2": "fast", "4": "fastest"}
TICK_MS = 1500
MAX_MARKS = 7
PLAY, PAUSE = "▶ Play", "❚❚ Pause"


def bar() -> html.Div:
    """Play/pause, the window's slider and its dates, the window length and the speed (above the map)."""
    return html.Div([
        dcc.Interval(id="player", interval=TICK_MS, disabled=True),
        html.Button(PLAY, id="play", title="step the time window through the date range"),
        html.Div(dcc.Slider(id="play-slider", min=0, max=1, step=1, value=None, marks=None, updatemode="mouseup",
                            included=False), className="play-slider", title="drag to move the time window"),
        html.Output(id="play-readout", className="play-readout", htmlFor="play-slider"),
        html.Label("Window", htmlFor="play-window", className="play-label"),
        dcc.Dropdown(id="play-window", clearable=False, value="3m", searchable=False, className="play-select",
                     options=[{"label": label, "value": key} for key, (label, _) in WINDOWS.items()]),
        html.Label("Speed", htmlFor="play-speed", className="play-label"),
        dcc.Dropdown(id="play-speed", clearable=False, value="1", searchable=False, className="play-select",
                     options=[{"label": label, "value": key} for key, label in SPEEDS.items()]),
    ], className="playback", role="group", **{"aria-label": "playback"})


def interval(speed) -> int:
    factor = float(speed) if isinstance(speed, str) and speed in SPEEDS else 1.0
    return int(TICK_MS / factor)


def window_days(window_key) -> int:
    """The playback window in days; anything but a known key is the 3-month default."""
    key = window_key if isinstance(window_key, str) and window_key in WINDOWS else "3m"
    return WINDOWS[key][1]


def _window_at(view: ViewState, start: dt.date, window_key) -> tuple[dt.date, dt.date]:
    start = max(view.date_from, min(start, view.date_to))
    return start, min(start + dt.timedelta(days=window_days(window_key) - 1), view.date_to)


def start_brush(view: ViewState, window_key) -> tuple[dt.date, dt.date]:
    """Where Play starts: the current brush if it has room to move, else the start of the range."""
    if view.brush and view.brush[1] < view.date_to and view.brush[0] >= view.date_from:
        return _window_at(view, view.brush[0], window_key)
    return _window_at(view, view.date_from, window_key)


def step(view: ViewState, window_key) -> tuple[ViewState, bool]:
    """The view one tick later (half a window on) and whether playback goes on after it."""
    if not view.brush:
        brush = start_brush(view, window_key)
    else:
        brush = _window_at(view, view.brush[0] + dt.timedelta(days=max(1, window_days(window_key) // 2)),
                           window_key)
        if view.brush[1] >= view.date_to:  # already at the end
            return view, False
    return view.replace(brush=brush), brush[1] < view.date_to


def brush_from_slider(view: ViewState, value, window_key) -> tuple[dt.date, dt.date] | None:
    """The window the slider points to (days from the range's start); None when it only echoes the brush."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
        return None
    start = view.date_from + dt.timedelta(days=int(max(0, min(value, (view.date_to - view.date_from).days))))
    if view.brush and view.brush[0] == start:
        return None
    return _window_at(view, start, window_key)


def slider(view: ViewState) -> tuple[int, dict, int | None, str]:
    """The slider's max, marks (years or months), value (the brush's start) and the window's dates."""
    days = max(1, (view.date_to - view.date_from).days)
    marks = {}
    years = list(range(view.date_from.year + (view.date_from.timetuple().tm_yday > 1), view.date_to.year + 1))
    every = max(1, -(-len(years) // MAX_MARKS))
    for year in years[::every]:
        marks[(dt.date(year, 1, 1) - view.date_from).days] = str(year)
    if not marks:
        marks = {0: f"{view.date_from:%b %Y}"}
    value = None
    readout = "whole range"
    if view.brush:
        value = max(0, min(days, (view.brush[0] - view.date_from).days))
        readout = f"{date_label(view.brush[0], view.brush[0], 'day')} – {date_label(view.brush[1], view.brush[1], 'day')}"
    return days, marks, value, readout
