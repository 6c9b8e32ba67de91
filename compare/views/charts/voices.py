"""Who speaks and how: shares per outlet (voices by side, frames) and tone toward each side's actors."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.views.charts.style import label, styled


def share_bars(rows: list[dict[str, Any]], key: str, title: str, outlets: list[str] | None = None) -> go.Figure:
    """Stacked horizontal bars of per-outlet shares (voice share by side, frame share ...)."""
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    values = sorted({row[key] for row in rows})
    outlet_names = sorted({row["outlet"] for row in rows})
    figure = go.Figure()
    for value in values:
        share = {row["outlet"]: row["share"] for row in rows if row[key] == value}
        figure.add_bar(
            name=label(value),
            y=[label(outlet) for outlet in outlet_names],
            x=[share.get(outlet, 0) for outlet in outlet_names],
            orientation="h",
        )
    figure.update_layout(
        barmode="stack", title=title, xaxis={"tickformat": ".0%"}, height=max(280, 60 * len(outlet_names) + 140)
    )
    return styled(figure)


def tone_toward_actors_chart(rows: list[dict[str, Any]], outlets: list[str] | None = None) -> go.Figure:
    """Mean tone of what each outlet's statements say of each side's actors; n on every bar, pale under 3."""
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    for outlet in sorted({row["outlet"] for row in rows}):
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_bar(
            name=label(outlet),
            x=[label(row["actor"]) for row in own],
            y=[row["tone"] for row in own],
            text=[f"n={row['statements']}" for row in own],
            marker={"opacity": [0.35 if row.get("sparse") else 1.0 for row in own]},
            customdata=[row["statements"] for row in own],
            hovertemplate="%{x}: %{y:.2f} (%{customdata} statements)<extra>" + label(outlet) + "</extra>",
        )
    figure.update_layout(
        barmode="group",
        title="Tone of what is said of each side (-1 to 1; pale: fewer than 3 statements)",
        yaxis={"range": [-1, 1]},
        height=380,
    )
    return styled(figure)
