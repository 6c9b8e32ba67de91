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
            x=[row["period"] for row in own],
            y=[row["value"] for row in own],
            customdata=[row["statements"] for row in own],
            mode="lines+markers",
            name=label(outlet),
            marker={"color": colour_of[outlet]},
            line={"color": colour_of[outlet]},
            hovertemplate="%{x}: %{y:.2f} (%{customdata} statements)<extra>" + label(outlet) + "</extra>",
        )
    figure.update_layout(
        title=label(title),
        xaxis={"type": "category", "categoryorder": "category ascending"},
        height=max(360, legend_height(len(shown))),
    )
    return styled(figure)
