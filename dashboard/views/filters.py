"""What "matching a view" means, as SQL: the one ``where`` that the map, the timeline, the facets, the
table and the exports all filter with (see ``dashboard.views.query``).

* the date window and the brush keep events whose interval overlaps them (an event known only to
  "March 2017" matches a window starting 2017-03-20);
* the text search keeps events whose sentence, place or country name contains every word (case-folded);
* list filters (country, type, source, precisions) keep events matching any listed value;
* the map area keeps events whose coordinates fall inside the polygon (a box is a 4-corner polygon).
"""
from __future__ import annotations

from dashboard.views.state import ViewState


def where(view: ViewState, ignore: tuple[str, ...] = (), *, text_table: str | None = None,
          categories: dict[str, frozenset[str]] | None = None) -> tuple[str, list]:
    """The SQL condition (with ``?`` parameters) for a view, leaving out the selections in ``ignore``.

    ``text_table`` names a table of the ``rowid`` of rows matching the view's text (a cache of the
    slowest condition, see ``EventStore._text_matches``). ``categories`` are the values present in
    each ENUM column: a filter value outside them cannot match (and must not be cast to the ENUM).

    >>> where(ViewState.from_query("from=2017-01-01&to=2017-12-31&type=airstrike"))[1]
    [datetime.date(2017, 1, 1), datetime.date(2017, 12, 31), 'airstrike']
    """
    clauses, params = [], []
    for name, (clause, values) in conditions(view, text_table, categories).items():
        if name not in ignore:
            clauses.append(clause)
            params += values
    return " AND ".join(clauses), params


def conditions(view: ViewState, text_table: str | None = None,
                categories: dict[str, frozenset[str]] | None = None) -> dict[str, tuple[str, list]]:
    """Each active condition of a view by name (window, brush, text, the list filters, area)."""
    conditions: dict[str, tuple[str, list]] = {"window": ("end_date >= ? AND start_date <= ?",
                                                          [view.date_from, view.date_to])}
    if view.brush:
        conditions["brush"] = ("end_date >= ? AND start_date <= ?", [view.brush[0], view.brush[1]])
    if view.text:
        if text_table:
            conditions["text"] = (f"rowid IN (SELECT rid FROM {text_table})", [])
        else:
            words = view.text.lower().split()
            conditions["text"] = (" AND ".join("contains(search_text, ?)" for _ in words), words)
    for name, column in (("countries", "country_code"), ("event_types", "event_type"),
                         ("time_precisions", "time_precision"), ("place_precisions", "place_precision")):
        values = getattr(view, name)
        if values and categories is not None and column in categories:
            values = [v for v in values if v in categories[column]]
            if not values:
                conditions[name] = ("FALSE", [])
                continue
        if values:
            conditions[name] = (f"{column} IN ({', '.join('?' for _ in values)})", list(values))
    if view.min_confidence:
        conditions["min_confidence"] = ("confidence >= ?", [view.min_confidence])
    if view.sources:
        conditions["sources"] = ("list_has_any(sources, ?::VARCHAR[])", [list(view.sources)])
    if view.area:
        conditions["area"] = (_area_sql(view.area), [])
    return conditions


def _area_sql(area: tuple[tuple[float, float], ...]) -> str:
    """Point-in-polygon by ray casting, as plain SQL (coordinates are validated floats, inlined)."""
    lons = [p[0] for p in area]
    lats = [p[1] for p in area]
    bbox = (f"lon BETWEEN {min(lons)!r} AND {max(lons)!r} AND lat BETWEEN {min(lats)!r} AND {max(lats)!r}")
    crossings = []
    for i, (x1, y1) in enumerate(area):
        x2, y2 = area[(i + 1) % len(area)]
        if y1 == y2:
            continue  # a horizontal edge is never crossed by a horizontal ray
        crossings.append(f"CASE WHEN ((lat < {y1!r}) <> (lat < {y2!r})) AND "
                         f"lon < {x1!r} + (lat - {y1!r}) * {(x2 - x1) / (y2 - y1)!r} THEN 1 ELSE 0 END")
    if not crossings:
        return "FALSE"
    return f"({bbox} AND ({' + '.join(crossings)}) % 2 = 1)"
