"""One story told by each of its outlets: the facts each reports, leaves out and alone reports, and its quotes."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from compare.views.charts.style import TEMPLATE, colours, label, look
from compare.views.story import cut_at_word

# Of the title's second, smaller line, cut at a word: what a 390 px phone shows of it in the report's font (60
# characters ran off the report's chart there: plotly's Open Sans is wider than the dashboard's Source Sans).
_HEADLINE_CHARS = 50
_BAR_PX = 20  # one outlet's bar in a panel
_ONE_TICKS = 10  # counts up to this have a tick at every whole number
_PANEL_PX = 70  # a panel's title above its bars and its count axis below them


def story_telling_chart(rows: list[dict[str, Any]], headline: str, every: list[str] | None = None) -> go.Figure:
    """A panel per measure (``aligned.telling_rows``), top to bottom; in each a bar per outlet, named on its axis:
    ``story_telling_figure`` as a plotly figure in every chart's look (``style.TEMPLATE``)."""
    return go.Figure(story_telling_figure(rows, headline, every)).update_layout(template=TEMPLATE)


def story_telling_figure(
    rows: list[dict[str, Any]], headline: str, every: list[str] | None = None
) -> dict[str, list[Any] | dict[str, Any]]:
    """The story chart as plotly.js's figure JSON (``data`` and ``layout``), every chart's look but its template.

    Plain data: the report writes one per story (107 on BASIL), and plotly.py's figure took ~20 ms to build each,
    validating every property and copying the template on assignment; ``story_telling_chart`` checks it for the
    dashboard.

    One group of bars per measure, told apart by colour only, failed past a few outlets: ECB+'s 19-outlet story
    drew four groups of 19 unnamed bars whose colours came again past the palette's 15 (two outlets light blue, two
    red), with the names in a 19-row legend below, and on a phone the bars were slivers beside the measures' names.
    Each bar now has its outlet's name beside it, in the outlet's colour of every other chart.

    ``headline``: the story's, in the title, so that an exported image says which story it is.
    ``every``: all the analysis's outlets, so that an outlet has its colour of every chart and of the story page.
    """
    outlets = list(dict.fromkeys(row["outlet"] for row in rows))
    measures = list(dict.fromkeys(row["measure"] for row in rows)) or [""]
    colour_of = colours([*(every or []), *outlets])
    panel = _BAR_PX * len(outlets) + _PANEL_PX
    height = panel * len(measures) + 80
    names = [label(outlet) for outlet in outlets]
    gap = _PANEL_PX / (panel * len(measures))  # of the panels' height: a panel's name and count axis
    step = (1 + gap) / len(measures)
    bars = []
    axes: dict[str, Any] = {}
    notes = []
    # the panels laid out by hand, one x and y axis each: plotly's make_subplots took 1.7x the time of the whole
    # chart (the story page's budget is 300 ms of server time)
    for number, measure in enumerate(measures):
        suffix = str(number + 1) if number else ""
        top = 1 - number * step
        bottom = max(0.0, top - step + gap)
        count = {row["outlet"]: row["count"] for row in rows if row["measure"] == measure}
        bars.append(
            {
                "type": "bar",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "name": label(measure),
                "orientation": "h",  # a row per outlet: its name reads across, on a phone too
                "marker": {"color": [colour_of[outlet] for outlet in outlets]},
                "y": names,
                "x": [count.get(outlet, 0) for outlet in outlets],
                # a zero bar is no bar: its 0 says it was counted
                "text": [f"{count.get(outlet, 0):,}" for outlet in outlets],
                "textposition": "outside",
                "textfont": {"size": 11},
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:,}<extra>" + label(measure) + "</extra>",
            }
        )
        # the first outlet on top, as in the headlines and the aligned columns; a count axis of whole numbers
        axes[f"yaxis{suffix}"] = {"domain": [bottom, top], "anchor": f"x{suffix}", "autorange": "reversed"}
        axes[f"yaxis{suffix}"]["tickfont"] = {"size": 11}
        axes[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "rangemode": "tozero"}
        if max(count.values(), default=0) <= _ONE_TICKS:  # plotly's own ticks of a count up to 2: 0, 0.5, 1, 1.5
            axes[f"xaxis{suffix}"]["dtick"] = 1
        notes.append(  # each panel's measure, over its names
            {"text": label(measure), "x": 0, "xref": "paper", "xanchor": "left", "y": top, "yref": "paper"}
            | {"yanchor": "bottom", "showarrow": False, "font": {"size": 13}}
        )
    title = f"How each outlet told it: {label(cut_at_word(' '.join(headline.split()), _HEADLINE_CHARS))}"
    layout = {
        "title": {"text": title},
        "showlegend": False,  # the axes name the outlets
        "bargap": 0.25,
        "height": height,
        "annotations": notes,
        **axes,
    } | look(title)
    # room between the title's second line (the headline) and the first panel's name
    layout["margin"]["t"] += 20
    return {"data": bars, "layout": layout}
