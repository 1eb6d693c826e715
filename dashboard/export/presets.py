"""The one set of export defaults: each figure's size, the paper and slide presets, and the scale.

The page's export panel and ``python -m dashboard export`` both ask ``image_size`` (and read
``DEFAULT_SCALE``), so the same figure comes out the same size from either::

    >>> image_size("map")
    (1200, 700)
    >>> image_size("report", "a4")           # a report fits a portrait page ...
    (794, 1123)
    >>> image_size("map", "a4")              # ... a map a landscape one
    (1123, 794)
    >>> image_size("timeline", "letter-portrait"), image_size("summary", "slide")
    ((816, 1056), (1280, 720))

Sizes are CSS pixels at 96 per inch, so a PDF of a paper preset is that paper (A4: 595 x 842 pt) and a
PNG at the default scale of 2 has 192 dots per inch.
"""
from __future__ import annotations

from dashboard.export.formats import ExportError

DEFAULT_SCALE = 2.0  # 1200 px at scale 1 is too coarse for print

# Each figure's size when neither a preset nor a size is asked for (width, height in CSS pixels).
FIGURE_SIZES = {
    "timeline": (1200, 600),
    "map": (1200, 700),
    "summary": (1200, 560),
    "report": (1200, 1500),
}

# Paper at 96 CSS pixels per inch (A4 210 x 297 mm, Letter 8.5 x 11 in), portrait; and a 16:9 slide.
PAPER = {"a4": (794, 1123), "letter": (816, 1056)}
SLIDE = (1280, 720)
# The orientation a paper preset takes when none is named: what fits the figure.
FITTING_ORIENTATION = {"timeline": "landscape", "map": "landscape", "summary": "landscape", "report": "portrait"}

PRESETS = ("a4", "a4-portrait", "a4-landscape", "letter", "letter-portrait", "letter-landscape", "slide")


def preset_size(figure: str, preset: str) -> tuple[int, int]:
    """The size of a preset for a figure; raises ExportError naming the presets for an unknown one."""
    name = (preset or "").strip().lower()
    if name == "slide":
        return SLIDE
    paper, _, orientation = name.partition("-")
    if paper not in PAPER or orientation not in ("", "portrait", "landscape"):
        raise ExportError(f"size preset {preset!r} is not one of {', '.join(PRESETS)}")
    width, height = PAPER[paper]
    if (orientation or FITTING_ORIENTATION.get(figure, "portrait")) == "landscape":
        width, height = height, width
    return width, height


def image_size(figure: str, preset: str | None = None, width: int | None = None,
               height: int | None = None) -> tuple[int, int]:
    """The size to draw ``figure`` at: a width or height given wins, then the preset, then the figure's own.

    >>> image_size("map", width=1600)
    (1600, 700)
    """
    default_width, default_height = preset_size(figure, preset) if preset else FIGURE_SIZES.get(figure, (1200, 700))
    return int(width or default_width), int(height or default_height)
