"""What an export can be: its formats, figures, media types and file name endings, and its one error.

    >>> MEDIA_TYPES["geojson"], EXTENSIONS["geojson"][0]
    ('application/geo+json', '.geojson')
"""
from __future__ import annotations

IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "geojson")
FORMATS = IMAGE_FORMATS + DATA_FORMATS
FIGURES = ("timeline", "map", "summary", "report")

MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
# File name endings accepted for each format (the first is the one we give).
EXTENSIONS = {
    "png": (".png",),
    "svg": (".svg",),
    "pdf": (".pdf",),
    "csv": (".csv",),
    "geojson": (".geojson", ".json"),
}


class ExportError(Exception):
    """An export that cannot be made, with a message that names the file, option or item at fault."""



def first_line(error: BaseException) -> str:
    """The first line of an error's message (libraries' messages run to pages), or its type's name."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
