"""How a measure moves over time, one line per outlet (rows from ``compare.views.tables.drift_rows``)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.views.charts.style import colours, label, legend_height, styled


def drift_chart(rows: list[dict[str, Any]], title: str, outlets: list[str] | None = None) -> go.Figure:
    """A measure over time (month or year), one line per outlet."""
    colour_of = colours(row["outlet"] for row in rows)
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    shown = sorted({row["outlet"] for row in rows})
    for outlet in shown:
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_scatter(
            x=[_first_day(row["period"]) for row in own],
            y=[row["value"] for row in own],
            customdata=[[row["period"], row["statements"]] for row in own],
            mode="lines+markers",
            name=label(outlet),
            marker={"color": colour_of[outlet]},
            line={"color": colour_of[outlet]},
            hovertemplate="%{customdata[0]}: %{y:.2f} (%{customdata[1]} statements)<extra>"
            + label(outlet)
            + "</extra>",
        )
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
