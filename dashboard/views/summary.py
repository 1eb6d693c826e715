"""The summary band: fatalities over time, events by type and by country, for exactly the events in view
(every filter and selection: brush and map area included).

    >>> data = summary_data(store, view)                                  # doctest: +SKIP
    >>> deaths, by_type, by_country = summary_figures(data, view)        # doctest: +SKIP

One grouped query (type x country x period) feeds the three charts, whatever the store's size.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard.views.figures import FONT, _template, lane_label, type_label, type_style
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState

TOP_COUNTRIES = 10
DEATHS_COLOUR = "#8B1E1E"


@dataclass(frozen=True)
class SummaryData:
    counts: pd.DataFrame  # event_type, country_code ("" when none), bin_start, events, deaths, stated


def summary_data(store: EventStore, view: ViewState) -> SummaryData:
    """Counts and fatalities per (type, country, period) of the events matching the whole view."""
    return SummaryData(store.period_counts(view))


def summary_figures(data: SummaryData, view: ViewState) -> tuple[dict, dict, dict]:
    return deaths_over_time(data, view), events_by_type(data), events_by_country(data)


def _layout(title: str, **more) -> dict:
    layout = dict(font=FONT, template=_template(), autosize=True, showlegend=False, hovermode="closest",
                  title=dict(text=title, x=0.01, xanchor="left", y=0.97, yanchor="top", font=dict(size=13)),
                  margin=dict(l=8, r=12, t=30, b=24), dragmode=False)
    return dict(layout, **more)


def deaths_over_time(data: SummaryData, view: ViewState) -> dict:
    """Stated fatalities per period (bars) over the view's window."""
    counts = data.counts
    per_bin = (counts.groupby("bin_start", as_index=False)[["deaths", "events", "stated"]].sum()
               .sort_values("bin_start") if not counts.empty else counts)
    total = int(per_bin["deaths"].sum()) if not per_bin.empty else 0
    x = pd.to_datetime(per_bin["bin_start"]).dt.strftime("%Y-%m-%d").tolist() if not per_bin.empty else []
    period = {"week": 7 * 86_400_000, "month": "M1", "year": "M12"}[view.bin]
    trace = dict(type="bar", x=x, y=per_bin["deaths"].astype(int).tolist() if x else [], xperiod=period,
                 xperiodalignment="middle", marker=dict(color=DEATHS_COLOUR), name="fatalities",
                 customdata=per_bin[["events", "stated"]].astype(int).values.tolist() if x else [],
                 hovertemplate=f"%{{x|%b %Y}}: %{{y:,}} killed<br>%{{customdata[0]:,}} events, "
                               f"%{{customdata[1]:,}} with a stated toll<extra></extra>")
    end = view.date_to + dt.timedelta(days=1)
    return {"data": [trace], "layout": _layout(
        f"Fatalities per {view.bin} ({total:,} stated)",
        xaxis=dict(type="date", range=[view.date_from.isoformat(), end.isoformat()], fixedrange=True),
        yaxis=dict(rangemode="tozero", fixedrange=True, tickformat=",d", automargin=True), bargap=0.1,
        margin=dict(l=8, r=12, t=30, b=24))}


def events_by_type(data: SummaryData) -> dict:
    counts = data.counts.groupby("event_type")["events"].sum().sort_values() if not data.counts.empty else pd.Series()
    labels = [type_label(t) for t in counts.index]
    return {"data": [dict(
        type="bar", orientation="h", x=counts.astype(int).tolist(), y=labels, customdata=list(counts.index),
        marker=dict(color=[type_style(t)[0] for t in counts.index]), text=[f"{n:,}" for n in counts],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x:,} events<br>click to filter<extra></extra>",
    )], "layout": _layout(f"Events by type ({int(counts.sum()):,})", xaxis=dict(visible=False, fixedrange=True),
                          yaxis=dict(fixedrange=True, automargin=True, tickfont=dict(size=11)), bargap=0.25,
                          margin=dict(l=8, r=40, t=30, b=8))}


def events_by_country(data: SummaryData) -> dict:
    counts = (data.counts.groupby("country_code")["events"].sum().sort_values(ascending=False)
              if not data.counts.empty else pd.Series(dtype=int))
    top = counts.head(TOP_COUNTRIES)
    rest = int(counts.iloc[TOP_COUNTRIES:].sum())
    top = top.iloc[::-1]
    labels = [lane_label("country", code) for code in top.index]
    title = f"Events by country ({len(counts):,})" + (f"; {rest:,} in other countries" if rest else "")
    return {"data": [dict(
        type="bar", orientation="h", x=top.astype(int).tolist(), y=labels, customdata=list(top.index),
        marker=dict(color="#56708a"), text=[f"{n:,}" for n in top], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:,} events<br>click to filter<extra></extra>",
    )], "layout": _layout(title, xaxis=dict(visible=False, fixedrange=True),
                          yaxis=dict(fixedrange=True, automargin=True, tickfont=dict(size=11)),
                          bargap=0.25 if len(top) > 4 else 0.7,  # a few bars stay bars, not blocks
                          margin=dict(l=8, r=40, t=30, b=8))}
