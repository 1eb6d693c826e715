"""The one conversion of a table cell (numpy, pandas, Arrow) to a plain Python value.

>>> import numpy as np, pandas as pd
>>> plain_value(np.int64(12)), plain_value(float("nan")), plain_value(pd.NaT), plain_value(np.array(["a1", "a2"]))
(12, None, None, ['a1', 'a2'])
>>> plain_value(pd.Timestamp("2017-03-05")), plain_value(pd.Timestamp("2017-03-05 14:30"))
(datetime.date(2017, 3, 5), datetime.datetime(2017, 3, 5, 14, 30))
>>> iso_day(pd.Timestamp("2017-03-05")), iso_day("2017-03-05T00:00:00"), iso_day(None)
('2017-03-05', '2017-03-05', None)
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any


def plain_value(value: Any) -> Any:
    """Missing (None, NaN, NA, NaT) -> None; numpy scalars and arrays -> Python numbers and lists; a
    timestamp at midnight -> its date (the store's dates are days), any other -> a datetime."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, (list, tuple)):
        return [plain_value(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamp too
        plain = dt.datetime.fromisoformat(value.isoformat())  # a Timestamp as Python's own datetime
        return plain.date() if plain.time() == dt.time() and plain.tzinfo is None else plain
    return value


def iso_day(value: Any) -> str | None:
    """A date-like cell as "YYYY-MM-DD" (None when missing)."""
    value = plain_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    return str(value)[:10] if value else None
