"""Which plotly.js the export browser loads: the plotly package's full bundle, or the partial one vendored in
``assets/plotlyjs/`` (only the trace types our exports draw: 1.4 MB against 4.8 MB, most of a cold
export's page load; ``build_plotly_export.sh`` there rebuilds it from npm's plotly.js of the same version).
The partial bundle is used only when it is of the full bundle's version and has every trace type of the
figure: the two then draw byte-identical images (``tests/test_export.py`` compares them).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dashboard.export.formats import ExportError
from dashboard.settings import ASSETS_DIR


def plotlyjs_path() -> Path:
    """The plotly.js bundled with the installed plotly package: the one the app serves, so the same."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ExportError(f"plotly.js is missing from the plotly package (expected {path}); reinstall plotly.")
    return path


# The partial bundle's first line names its version and trace types (the build script writes it).
PARTIAL_PLOTLYJS = ASSETS_DIR / "plotlyjs" / "plotly-export.min.js"
_PARTIAL_HEADER = re.compile(r"plotly\.js v(?P<version>[0-9][\w.+-]*) partial bundle, traces: (?P<traces>[a-z0-9,]+)")
_FULL_HEADER = re.compile(r"plotly\.js v(?P<version>[0-9][\w.+-]*)")


def partial_plotlyjs() -> tuple[Path, frozenset[str]] | None:
    """The partial plotly.js and the trace types it draws, if it is there and of the same version as the
    plotly package's full bundle (after a plotly upgrade it is not used until rebuilt), else None.

    >>> partial_plotlyjs()                                        # doctest: +SKIP
    (PosixPath('.../assets/plotlyjs/plotly-export.min.js'), frozenset({'bar', 'choropleth', 'scatter', 'scattergeo'}))
    """
    try:
        with PARTIAL_PLOTLYJS.open(encoding="utf-8", errors="replace") as handle:
            partial = _PARTIAL_HEADER.search(handle.read(400))
        with plotlyjs_path().open(encoding="utf-8", errors="replace") as handle:
            full = _FULL_HEADER.search(handle.read(400))
    except OSError:
        return None
    if partial is None or full is None or partial["version"] != full["version"]:
        return None
    return PARTIAL_PLOTLYJS, frozenset(partial["traces"].split(","))


def trace_types(fig: Any) -> set[str]:
    """The trace types a figure (a plotly Figure or its dict) draws; plotly.js's default is scatter."""
    data = fig.get("data") if isinstance(fig, dict) else getattr(fig, "data", None)
    return {(trace.get("type") if isinstance(trace, dict) else getattr(trace, "type", None)) or "scatter"
            for trace in data or ()}
