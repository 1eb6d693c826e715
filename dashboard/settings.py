"""Every setting in one place: the project's folders and the environment variables that change them.

Nothing else in the package reads ``os.environ`` or works out a folder from ``__file__``.
"""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS_DIR = REPO_ROOT / "assets"
TOPOJSON_DIR = ASSETS_DIR / "topojson"
GAZETTEER_DATA = REPO_ROOT / "data" / "gazetteer"
DEFAULT_STORE = Path("data/store")  # the events store `build` writes and the app reads
DEFAULT_CORPUS = Path("data/corpus")  # the articles `build` reads when no --corpus is given
DEFAULT_UPLOADS = Path("data/uploads")  # articles added in the browser or with `add`
