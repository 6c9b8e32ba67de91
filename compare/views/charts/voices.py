"""Who speaks and how: shares per outlet (voices by side, frames) and tone toward each side's actors."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.model.names import by_name
from compare.views.charts.style import colours, fills, label, legend_height, marker, styled

_SHARE_BAR_PX = 60  # one outlet's bar with the gap to the next


def share_bars(rows: list[dict[str, Any]], key: str, title: str, outlets: list[str] | None = None) -> go.Figure:
    """Stacked horizontal bars of per-outlet shares (voice share by side, frame share ...)."""
    used: dict[str, float] = {}
    for row in rows:  # before the filter: it changes no colour
        used[row[key]] = used.get(row[key], 0.0) + row["share"]
    fill_of = fills(used, key, used)
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    values = sorted({row[key] for row in rows}, key=lambda value: (value == "other", value))
    outlet_names = by_name(row["outlet"] for row in rows)
    figure = go.Figure()
    for value in values:
        share = {row["outlet"]: row["share"] for row in rows if row[key] == value}
        figure.add_bar(
            name=label(value),
            y=[label(outlet) for outlet in outlet_names],
            x=[share.get(outlet, 0) for outlet in outlet_names],
            orientation="h",
            marker=marker(fill_of[value]),
        )
    bars_height = _SHARE_BAR_PX * len(outlet_names)
    figure.update_layout(
        barmode="stack",
        title=title,
        xaxis={"tickformat": ".0%"},
        yaxis={"autorange": "reversed"},  # the first outlet on top, as the other charts and lists name them
        # Below the bars, in rows: beside them, fifteen frames' names left the bars a sliver on a phone. A fixed
        # distance under the axis: a share of the chart's height (-0.12) put it 480 px below 102 outlets' bars.
        legend={"traceorder": "normal", "orientation": "h", "yanchor": "top", "y": -45 / max(bars_height, 1), "x": 0},
        height=bars_height + 140 + legend_height(len(values)) - 100,  # the legend in one column: a phone's
    )
    return styled(figure)


def tone_toward_actors_chart(
    rows: list[dict[str, Any]], outlets: list[str] | None = None, every: list[str] | None = None
) -> go.Figure:
    """Mean tone of what each outlet's statements say of each side's actors; n on every bar, pale under 3,
    "no tone" where none of the statements has a tone word (a zero bar that is not a measured balance);
    ``every``: all the analysis's outlets, so that an outlet has its colour of every chart."""
    colour_of = colours([*(every or []), *(row["outlet"] for row in rows)])
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    shown = by_name(row["outlet"] for row in rows)
    for outlet in reversed(shown):  # plotly stacks a group's bars upwards: the first outlet on top
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_bar(
            name=label(outlet),
            orientation="h",  # a row per bar: upright, BASIL's 50 bars were slivers under overlapping "n=" labels
            marker={"color": colour_of[outlet], "opacity": [0.35 if row.get("sparse") else 1.0 for row in own]},
            y=[label(row["actor"]) for row in own],
            x=[row["tone"] for row in own],
            text=[f"n={row['statements']:,}" + (", no tone" if row.get("toned") == 0 else "") for row in own],
            textposition="outside",
            textfont={"size": 10},
            cliponaxis=False,
            customdata=[row["statements"] for row in own],
            hovertemplate="%{y}: %{x:.2f} (%{customdata:,} statements)<extra>" + label(outlet) + "</extra>",
        )
    actors = len({row["actor"] for row in rows})
    height = max(380, 16 * len(shown) * actors + 220)
    figure.update_layout(
        barmode="group",
        title="Tone of what is said of each side (-1 to 1; pale: fewer than 3 statements)",
        xaxis={"range": [-1, 1], "title": {"text": "← more negative · more positive →"}},  # fits a phone
        yaxis={"categoryorder": "category descending"},  # A at the top
        legend={"orientation": "h", "traceorder": "reversed", "yanchor": "top", "y": -90 / height, "x": 0},
        bargap=0.25,
        height=height,
    )
    return styled(figure)
