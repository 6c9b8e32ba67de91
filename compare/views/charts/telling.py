"""One story told by each of its outlets: the facts each reports, leaves out and alone reports, and its quotes."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from compare.views.charts.style import colours, label, styled
from compare.views.story import cut_at_word

# Of the title's second, smaller line, cut at a word: what a 390 px phone shows of it in the report's font (60
# characters ran off the report's chart there: plotly's Open Sans is wider than the dashboard's Source Sans).
_HEADLINE_CHARS = 50
_BAR_PX = 20  # one outlet's bar in a panel
_PANEL_PX = 70  # a panel's title above its bars and its count axis below them


def story_telling_chart(rows: list[dict[str, Any]], headline: str, every: list[str] | None = None) -> go.Figure:
    """A panel per measure (``aligned.telling_rows``), top to bottom; in each a bar per outlet, named on its axis.

    One group of bars per measure, told apart by colour only, failed past a few outlets: ECB+'s 19-outlet story
    drew four groups of 19 unnamed bars whose colours came again past the palette's 15 (two outlets light blue, two
    red), with the names in a 19-row legend below, and on a phone the bars were slivers beside the measures' names.
    Each bar now has its outlet's name beside it, in the outlet's colour of every other chart.

    ``headline``: the story's, in the title, so that an exported image says which story it is.
    ``every``: all the analysis's outlets, so that an outlet has its colour of every chart and of the story page.
    """
    outlets = list(dict.fromkeys(row["outlet"] for row in rows))
    measures = list(dict.fromkeys(row["measure"] for row in rows))
    colour_of = colours([*(every or []), *outlets])
    panel = _BAR_PX * len(outlets) + _PANEL_PX
    height = panel * len(measures) + 60
    figure = make_subplots(
        rows=len(measures) or 1,
        cols=1,
        subplot_titles=[label(measure) for measure in measures],
        vertical_spacing=_PANEL_PX / height if len(measures) > 1 else 0,
    )
    names = [label(outlet) for outlet in outlets]
    for number, measure in enumerate(measures, start=1):
        count = {row["outlet"]: row["count"] for row in rows if row["measure"] == measure}
        figure.add_bar(
            row=number,
            col=1,
            name=label(measure),
            orientation="h",  # a row per outlet: its name reads across, on a phone too
            marker={"color": [colour_of[outlet] for outlet in outlets]},
            y=names,
            x=[count.get(outlet, 0) for outlet in outlets],
            text=[str(count.get(outlet, 0)) for outlet in outlets],  # a zero bar is no bar: its 0 says it was counted
            textposition="outside",
            textfont={"size": 11},
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra>" + label(measure) + "</extra>",
        )
        # the first outlet on top, as in the headlines and the aligned columns; a count axis of whole numbers
        figure.update_yaxes(autorange="reversed", tickfont={"size": 11}, row=number, col=1)
        figure.update_xaxes(rangemode="tozero", tickformat="d", row=number, col=1)
    figure.update_annotations(font={"size": 13}, x=0, xanchor="left")  # each panel's measure, over its names
    figure.update_layout(
        title=f"How each outlet told it: {label(cut_at_word(' '.join(headline.split()), _HEADLINE_CHARS))}",
        showlegend=False,  # the axes name the outlets
        bargap=0.25,
        height=height,
    )
    styled(figure)
    # room between the title's second line (the headline) and the first panel's name
    figure.update_layout(margin={"t": figure.layout.margin.t + 20}, height=height + 20)
    return figure
