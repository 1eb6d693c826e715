"""An exported image as a page: the app's figures (panels) placed in pixel boxes, with a title, a legend
and a caption, all sized for the page so that nothing overlaps and no band is left empty.

The page's figure has no margins: paper coordinates are the whole image, and every part is placed from
pixels (``Box``) measured from the top-left corner, whatever the size or preset::

    page = Page(794, 1123)                                    # A4 portrait, CSS pixels
    page.title("Map of 1,234 events, 1 Jan 2015 – 31 Dec 2016")
    page.place(map_dict, Box(24, 60, 746, 533))                # the app's map figure, moved into the box
    page.legend(entries, Box(24, 600, 746, 60))
    page.caption(["Filters: none", ...], bottom=8)
    figure = page.figure()                                     # a plotly figure dict for the renderer

``place`` renames the panel's axes (x -> x3, geo -> geo2) so that several panels share one figure, moves
their domains into the box, and moves the notes and shapes placed on the panel's paper with them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from dashboard.export.captions import escape, for_paper, wrap

PAD = 24                 # px around the page's content
TITLE_SIZE = 20          # px, the title's font
TITLE_HEIGHT = 52        # px from the top of the page to the first panel
CAPTION_SIZE = 11
CAPTION_LINE = 15        # px per caption line
LEGEND_SIZE = 11
LEGEND_ROW = 22          # px per row of a horizontal legend
LEGEND_TEXT = 180        # px for an entry's text in a horizontal legend (the longest label fits)
LEGEND_ENTRY = LEGEND_TEXT + 40  # px per entry: plotly adds the symbol and a gap to the text's width
LEGEND_COLUMN = 196      # px of a vertical legend beside a panel
CHAR_WIDTH = 0.62        # of the font size: the average width of a character in Chromium's sans-serif
GEO_TRACES = ("scattergeo", "choropleth")


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in CSS pixels, from the page's top-left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def inset(self, left: float = 0, top: float = 0, right: float = 0, bottom: float = 0) -> "Box":
        return Box(self.left + left, self.top + top, max(self.width - left - right, 1),
                   max(self.height - top - bottom, 1))


def text_width(text: str, size: float) -> float:
    """About how many px a line of plotly text takes (tags and entities count as what they show)."""
    shown = re.sub(r"<[^>]+>", "", text)
    shown = re.sub(r"&\w+;", "x", shown)
    return len(shown) * size * CHAR_WIDTH


def caption_height(lines: list[str], width: float) -> float:
    """The px a caption of ``lines`` takes once wrapped to ``width`` px."""
    return len(wrapped(lines, width)) * CAPTION_LINE + 4


def wrapped(lines: list[str], width: float) -> list[str]:
    chars = max(int(width / (CAPTION_SIZE * CHAR_WIDTH)), 20)
    return [part for line in lines for part in wrap(line, chars)]


def legend_rows(n_entries: int, width: float) -> int:
    per_row = max(int(width // LEGEND_ENTRY), 1)
    return math.ceil(n_entries / per_row) if n_entries else 0


class Page:
    """One image: a figure dict being assembled from panels placed in pixel boxes."""

    def __init__(self, width: int, height: int, *, template: dict | None = None, font: dict | None = None) -> None:
        self.width, self.height = int(width), int(height)
        self.data: list[dict] = []
        self.layout: dict[str, Any] = {
            "width": self.width, "height": self.height, "autosize": False,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
            "showlegend": False, "annotations": [], "shapes": [],
            "paper_bgcolor": "white", "plot_bgcolor": "white",
        }
        if template:
            self.layout["template"] = template
        if font:
            self.layout["font"] = font
        self._counts = {"x": 0, "y": 0, "geo": 0}

    # coordinates -----------------------------------------------------------------------------------
    def x(self, px: float) -> float:
        return px / self.width

    def y(self, px_from_top: float) -> float:
        return 1 - px_from_top / self.height

    def _new_id(self, kind: str) -> str:
        self._counts[kind] += 1
        n = self._counts[kind]
        return kind if n == 1 else f"{kind}{n}"

    # parts -------------------------------------------------------------------------------------------
    def title(self, text: str, top: float = 14) -> None:
        self.layout["annotations"].append(dict(
            text=f"<b>{escape(text)}</b>", xref="paper", yref="paper", x=self.x(PAD), y=self.y(top),
            xanchor="left", yanchor="top", showarrow=False, align="left", font={"size": TITLE_SIZE, "color": "#1b1b1b"}))

    def caption(self, lines: list[str], bottom: float = PAD / 2) -> float:
        """The caption at the page's foot (``bottom`` px above the edge); returns the px it takes."""
        parts = wrapped([escape(line) for line in lines], self.width - 2 * PAD)
        self.layout["annotations"].append(dict(
            text="<br>".join(parts), xref="paper", yref="paper", x=self.x(PAD), y=self.y(self.height - bottom),
            xanchor="left", yanchor="bottom", showarrow=False, align="left",
            font={"size": CAPTION_SIZE, "color": "#333333"}))
        return len(parts) * CAPTION_LINE + 4

    def legend(self, entries: list[dict], box: Box, *, vertical: bool = False) -> None:
        """Legend entries (traces without points) in ``box``: rows of fixed-width entries, or a column."""
        if not entries:
            return
        axis = {"visible": False, "fixedrange": True, "domain": [0, 0.001]}
        x_id, y_id = self._new_id("x"), self._new_id("y")  # hidden axes, so no default axes are drawn
        self.layout[_layout_key(x_id)] = dict(axis, anchor=y_id)
        self.layout[_layout_key(y_id)] = dict(axis, anchor=x_id)
        for entry in entries:
            self.data.append(dict(entry, xaxis=x_id, yaxis=y_id, showlegend=True))
        self.layout["showlegend"] = True
        self.layout["legend"] = dict(
            x=self.x(box.left), y=self.y(box.top), xanchor="left", yanchor="top", xref="paper", yref="paper",
            orientation="v" if vertical else "h", traceorder="normal", font={"size": LEGEND_SIZE},
            bgcolor="rgba(255,255,255,0)", itemclick=False, itemdoubleclick=False,
            **({} if vertical else {"entrywidth": LEGEND_TEXT, "entrywidthmode": "pixels"}))

    def note(self, text: str, box: Box, *, size: int = 13) -> float:
        """A heading over a panel (a summary chart's title), cut into lines that fit the box's width;
        returns the px it takes."""
        chars = max(int(box.width / (size * CHAR_WIDTH * 1.08)), 10)  # bold is wider
        lines = wrap(escape(text), chars)
        self.layout["annotations"].append(dict(
            text="<br>".join(f"<b>{line.strip()}</b>" for line in lines), xref="paper", yref="paper",
            x=self.x(box.left), y=self.y(box.top), xanchor="left", yanchor="top", showarrow=False,
            align="left", font={"size": size, "color": "#1b1b1b"}))
        return len(lines) * (size + 4) + 6

    def place(self, panel: dict, box: Box) -> None:
        """Put one of the app's figure dicts (``draw_timeline``, ``draw_map``, a summary chart) into ``box``.

        The box is where the panel's plotting area goes; its axis labels draw outside it, as on screen.
        """
        layout = panel.get("layout", {})
        renamed: dict[str, str] = {}
        for key in sorted(layout):
            match = re.fullmatch(r"(xaxis|yaxis|geo)(\d*)", key)
            if match:
                kind = {"xaxis": "x", "yaxis": "y", "geo": "geo"}[match.group(1)]
                renamed[kind + match.group(2)] = self._new_id(kind)
        for kind in ("x", "y"):  # a cartesian trace without axes of its own uses x and y
            if kind not in renamed and any(_is_cartesian(t) for t in panel.get("data", [])):
                renamed[kind] = self._new_id(kind)
        if "geo" not in renamed and any(not _is_cartesian(t) for t in panel.get("data", [])):
            renamed["geo"] = self._new_id("geo")

        for old, new in renamed.items():
            key = _layout_key(old)
            settings = dict(layout.get(key) or {})
            if old.startswith("geo"):
                domain = settings.get("domain") or {}
                settings["domain"] = {"x": self._x_span(domain.get("x", [0, 1]), box),
                                      "y": self._y_span(domain.get("y", [0, 1]), box)}
            else:
                settings.pop("rangeslider", None)
                settings.pop("rangeselector", None)
                span = self._x_span if old.startswith("x") else self._y_span
                settings["domain"] = span(settings.get("domain", [0, 1]), box)
                other = "y" if old.startswith("x") else "x"
                anchor = settings.get("anchor", other)
                if anchor != "free":
                    settings["anchor"] = renamed.get(anchor, anchor)
                for ref in ("overlaying", "matches", "scaleanchor"):
                    if settings.get(ref) in renamed:
                        settings[ref] = renamed[settings[ref]]
            self.layout[_layout_key(new)] = settings

        for trace in panel.get("data", []):
            trace = dict(trace)
            if _is_cartesian(trace):
                trace["xaxis"] = renamed.get(trace.get("xaxis", "x"), trace.get("xaxis", "x"))
                trace["yaxis"] = renamed.get(trace.get("yaxis", "y"), trace.get("yaxis", "y"))
            else:
                trace["geo"] = renamed.get(trace.get("geo", "geo"), trace.get("geo", "geo"))
            trace["showlegend"] = False  # the page's legend says what the marks are
            if isinstance(trace.get("colorbar"), dict):  # a colour scale (the density layer's) stays on its panel
                trace["colorbar"] = self._colorbar_in(trace["colorbar"], box)
            self.data.append(trace)

        for note in layout.get("annotations", []):
            note = dict(note)
            if note.get("text"):
                note["text"] = for_paper(note["text"])
            self._move_refs(note, ("x",), ("y",), renamed, box, default="paper")
            self.layout["annotations"].append(note)
        for shape in layout.get("shapes", []):
            shape = dict(shape)
            self._move_refs(shape, ("x0", "x1"), ("y0", "y1"), renamed, box, default="")
            self.layout["shapes"].append(shape)
        for key in ("barmode", "bargap", "coloraxis", "hoverlabel"):
            if key in layout and key not in self.layout:
                self.layout[key] = layout[key]

    def figure(self) -> dict:
        return {"data": self.data, "layout": self.layout}

    # helpers -------------------------------------------------------------------------------------------
    def _x_span(self, domain: list[float], box: Box) -> list[float]:
        low, high = domain
        return [self.x(box.left + low * box.width), self.x(box.left + high * box.width)]

    def _y_span(self, domain: list[float], box: Box) -> list[float]:
        low, high = domain
        return [self.y(box.bottom - low * box.height), self.y(box.bottom - high * box.height)]

    def _colorbar_in(self, bar: dict, box: Box) -> dict:
        """A colour bar placed on the panel's paper, moved to the same place on the panel's box."""
        bar = dict(bar)
        if bar.get("xref", "paper") == "paper" and isinstance(bar.get("x"), (int, float)):
            bar["x"] = self.x(box.left + bar["x"] * box.width)
        if bar.get("yref", "paper") == "paper" and isinstance(bar.get("y"), (int, float)):
            bar["y"] = self.y(box.bottom - bar["y"] * box.height)
        if bar.get("lenmode", "fraction") == "fraction":
            bar["len"] = float(bar.get("len", 1)) * box.height / self.height
        return bar

    def _move_refs(self, item: dict, x_keys: tuple, y_keys: tuple, renamed: dict, box: Box, default: str) -> None:
        for ref_key, keys, axis in (("xref", x_keys, "x"), ("yref", y_keys, "y")):
            ref = item.get(ref_key) or default or axis
            if ref == "paper":
                item[ref_key] = "paper"
                for key in keys:
                    if isinstance(item.get(key), (int, float)):
                        value = item[key]
                        item[key] = (self.x(box.left + value * box.width) if axis == "x"
                                     else self.y(box.bottom - value * box.height))
            else:
                name, _, rest = ref.partition(" ")
                if name in renamed:
                    item[ref_key] = (renamed[name] + " " + rest).strip()


def _layout_key(axis_id: str) -> str:
    """"x2" -> "xaxis2", "geo" -> "geo"."""
    match = re.fullmatch(r"([xy])(\d*)", axis_id)
    return f"{match.group(1)}axis{match.group(2)}" if match else axis_id


def _is_cartesian(trace: dict) -> bool:
    return trace.get("type", "scatter") not in GEO_TRACES
