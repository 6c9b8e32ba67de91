"""One story told by each of its outlets: the facts each reports, leaves out and alone reports, and its quotes."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.views.charts.style import colours, label, styled
from compare.views.story import cut_at_word

# Of the title's second, smaller line, cut at a word: what a 390 px phone shows of it in the report's font (60
# characters ran off the report's chart there: plotly's Open Sans is wider than the dashboard's Source Sans).
_HEADLINE_CHARS = 50


def story_telling_chart(rows: list[dict[str, Any]], headline: str, every: list[str] | None = None) -> go.Figure:
    """Grouped horizontal bars: a group per measure (``aligned.telling_rows``), a bar per outlet with its count.

    ``headline``: the story's, in the title, so that an exported image says which story it is.
    ``every``: all the analysis's outlets, so that an outlet has its colour of every chart and of the story page.
    """
    outlets = list(dict.fromkeys(row["outlet"] for row in rows))
    measures = list(dict.fromkeys(row["measure"] for row in rows))
    colour_of = colours([*(every or []), *outlets])
    figure = go.Figure()
    for outlet in reversed(outlets):  # plotly stacks a group's bars upwards: the first outlet on top
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_bar(
            name=label(outlet),
            orientation="h",  # a measure's name reads across on a phone, where upright bars' names slant
            marker={"color": colour_of[outlet]},
            y=[label(row["measure"]) for row in own],
            x=[row["count"] for row in own],
            text=[str(row["count"]) for row in own],  # a zero bar is no bar: its 0 says it was counted
            textposition="outside",
            textfont={"size": 11},
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra>" + label(outlet) + "</extra>",
        )
    height = max(320, 18 * len(outlets) * len(measures) + 200)
    figure.update_layout(
        barmode="group",
        title=f"How each outlet told it: {label(cut_at_word(' '.join(headline.split()), _HEADLINE_CHARS))}",
        xaxis={"title": {"text": "count"}, "rangemode": "tozero"},
        yaxis={"categoryorder": "array", "categoryarray": [label(m) for m in reversed(measures)]},
        legend={"orientation": "h", "traceorder": "reversed", "yanchor": "top", "y": -90 / height, "x": 0},
        bargap=0.25,
        height=height,
    )
    return styled(figure)
