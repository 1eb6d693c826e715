"""A WSGI entry point for production servers:

    DASHBOARD_STORE=data/store gunicorn -w 2 -b 127.0.0.1:8050 dashboard.wsgi:server

The store directory comes from ``DASHBOARD_STORE`` (default ``data/store``); ``DASHBOARD_UPLOAD_DIR``
optionally enables article uploads into that folder (see ``dashboard.settings``).
"""
from __future__ import annotations

from functools import lru_cache

from dashboard import settings
from dashboard.store.generations import check_store
from dashboard.web.app import create_app


def make_server(store_path: str | None = None, upload_dir: str | None = None):
    """The Flask server of a dashboard over ``store_path`` (what gunicorn serves)."""
    store_path = store_path or settings.store_path()
    upload_dir = upload_dir or settings.upload_dir()
    check_store(store_path)  # a missing or damaged store stops here with one line naming its file
    return create_app(store_path, upload_dir=upload_dir).server


@lru_cache(maxsize=1)
def _configured_server():
    return make_server()


def __getattr__(name: str):
    # ``server`` is made when gunicorn asks for it, so importing this module (tools, doctests) needs no store
    if name == "server":
        return _configured_server()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
