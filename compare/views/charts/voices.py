"""Who speaks and how: shares per outlet (voices by side, frames) and tone toward each side's actors."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.views.charts.style import colours, label, legend_height, styled


def share_bars(rows: list[dict[str, Any]], key: str, title: str, outlets: list[str] | None = None) -> go.Figure:
    """Stacked horizontal bars of per-outlet shares (voice share by side, frame share ...)."""
    colour_of = colours((row[key] for row in rows), key)  # before the filter: it changes no colour
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    values = sorted({row[key] for row in rows}, key=lambda value: (value == "other", value))
    outlet_names = sorted({row["outlet"] for row in rows})
    figure = go.Figure()
    for value in values:
        share = {row["outlet"]: row["share"] for row in rows if row[key] == value}
        figure.add_bar(
            name=label(value),
            y=[label(outlet) for outlet in outlet_names],
            x=[share.get(outlet, 0) for outlet in outlet_names],
            orientation="h",
            marker={"color": colour_of[value]},
        )
    figure.update_layout(
        barmode="stack",
        title=title,
        xaxis={"tickformat": ".0%"},
        # Below the bars, in rows: beside them, fifteen frames' names left the bars a sliver on a phone.
        legend={"traceorder": "normal", "orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        height=60 * len(outlet_names) + 140 + legend_height(len(values)) - 100,  # the legend in one column: a phone's
    )
    return styled(figure)


def tone_toward_actors_chart(rows: list[dict[str, Any]], outlets: list[str] | None = None) -> go.Figure:
    """Mean tone of what each outlet's statements say of each side's actors; n on every bar, pale under 3,
    "no tone" where none of the statements has a tone word (a zero bar that is not a measured balance)."""
    colour_of = colours(row["outlet"] for row in rows)
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    shown = sorted({row["outlet"] for row in rows})
    for outlet in shown:
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_bar(
            name=label(outlet),
            marker={"color": colour_of[outlet], "opacity": [0.35 if row.get("sparse") else 1.0 for row in own]},
            x=[label(row["actor"]) for row in own],
            y=[row["tone"] for row in own],
            text=[f"n={row['statements']}" + (", no tone" if row.get("toned") == 0 else "") for row in own],
            customdata=[row["statements"] for row in own],
            hovertemplate="%{x}: %{y:.2f} (%{customdata} statements)<extra>" + label(outlet) + "</extra>",
        )
    figure.update_layout(
        barmode="group",
        title="Tone of what is said of each side (-1 to 1; pale: fewer than 3 statements)",
        yaxis={"range": [-1, 1]},
        height=max(380, legend_height(len(shown))),
    )
    return styled(figure)
