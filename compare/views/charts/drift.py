"""How a measure moves over time, one line per outlet (rows from ``compare.views.tables.drift_rows``)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.model.names import by_name
from compare.views.charts.style import colours, label, legend_height, styled


def drift_chart(
    rows: list[dict[str, Any]], title: str, outlets: list[str] | None = None, every: list[str] | None = None
) -> go.Figure:
    """A measure over time (month or year), one line per outlet; ``every``: all the analysis's outlets, so that an
    outlet has the colour it has in every chart (coloured by its own rows, an outlet without dated articles moved
    every later outlet's colour)."""
    colour_of = colours([*(every or []), *(row["outlet"] for row in rows)])
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    shown = by_name(row["outlet"] for row in rows)
    for outlet in shown:
        own = _with_breaks([row for row in rows if row["outlet"] == outlet])
        figure.add_scatter(
            x=[_first_day(row["period"]) if row else None for row in own],
            y=[row["value"] if row else None for row in own],
            customdata=[[row["period"], row["statements"]] if row else None for row in own],
            mode="lines+markers",
            name=label(outlet),
            marker={"color": colour_of[outlet]},
            line={"color": colour_of[outlet]},
            hovertemplate="%{customdata[0]}: %{y:.2f} (%{customdata[1]:,} statements)<extra>"
            + label(outlet)
            + "</extra>",
        )
    if not shown:  # an undated corpus (ECB+): empty axes read "2000 2000 2000" under a y axis of -1 to 4
        figure.add_annotation(
            text="No dated articles of these outlets: nothing to draw over time.",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
        figure.update_layout(title=label(title), xaxis={"visible": False}, yaxis={"visible": False}, height=200)
        return styled(figure)
    figure.update_layout(
        title=label(title),
        # a real date axis: months without articles keep their width instead of vanishing between categories
        xaxis={"type": "date", "tickformat": "%b %Y" if any(len(row["period"]) == 7 for row in rows) else "%Y"},
        height=max(360, legend_height(len(shown))),
    )
    return styled(figure)


def _first_day(period: str) -> str:
    """A period ("2022-02" or "2022") as the date it starts on, for a date axis."""
    return {4: f"{period}-01-01", 7: f"{period}-01"}.get(len(period), period)


def _with_breaks(rows: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The rows with None between two periods that are not next to each other: a line must not bridge a gap."""
    broken: list[dict[str, Any] | None] = []
    for row in rows:
        if broken and broken[-1] is not None and not _adjacent(broken[-1]["period"], row["period"]):
            broken.append(None)
        broken.append(row)
    return broken


def _adjacent(earlier: str, later: str) -> bool:
    """Whether ``later`` is the period right after ``earlier`` ("2022-12" then "2023-01"; "2022" then "2023")."""
    if len(earlier) == 4:
        return int(later[:4]) - int(earlier) == 1
    months = (int(later[:4]) - int(earlier[:4])) * 12 + int(later[5:7]) - int(earlier[5:7])
    return months == 1
