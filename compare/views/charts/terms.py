"""The words that set an outlet apart: its most distinctive terms."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.model.names import by_name
from compare.views.charts.style import colours, label, styled


def distinctive_terms_chart(
    rows: list[dict[str, Any]],
    outlet: str,
    story_id: str | None = None,
    top: int = 15,
    every: list[str] | None = None,
) -> go.Figure:
    """An outlet's most distinctive terms (log-odds z-scores), in its colour (pale: not significant).

    ``every``: the analysis' outlets, which the colour is chosen among (default: those with terms in ``rows``), so
    the bars have the outlet's colour in every other chart and on the story page; they were all one blue.
    """
    chosen = [row for row in rows if row["outlet"] == outlet and row["story_id"] == story_id][:top]
    chosen.reverse()
    colour = colours(every or by_name([*(row["outlet"] for row in rows), outlet]))[outlet]
    figure = go.Figure(
        go.Bar(
            x=[row["z"] for row in chosen],
            y=[label(row["term"]) for row in chosen],
            orientation="h",
            marker={"color": colour, "opacity": [1.0 if row.get("significant") else 0.45 for row in chosen]},
        )
    )
    # the line's note above the bars: at the bottom the shortest bar hid it
    figure.add_vline(
        x=1.96,
        line_dash="dot",
        annotation_text="1.96: not chance",
        annotation_position="top right",
        annotation_yanchor="bottom",  # above the bars, under the title
    )
    figure.update_layout(
        title=f"Distinctive terms: {label(outlet)}",
        # the numbers were unexplained: a z-score, past the dotted line the word is not this outlet's by chance
        xaxis={"title": {"text": "used more than by the others (z-score)"}},
        height=max(280, 24 * len(chosen) + 150),
    )
    return styled(figure)
