"""The one check that a link taken from an article, a form or a file is safe to show and follow."""
from __future__ import annotations

from urllib.parse import urlparse


def safe_link(url: str | None) -> str | None:
    """The URL if it is an http(s) link, else None (no javascript: or data: links from articles).

    >>> safe_link(" https://example.org/a "), safe_link("javascript:alert(1)"), safe_link("//host/x")
    ('https://example.org/a', None, None)
    """
    if not url or not isinstance(url, str):
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None
