"""The statement map: statements placed by meaning (a 2-D projection of their embeddings)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import plotly.graph_objects as go

from compare.model.names import by_name
from compare.views.charts.style import PALETTE, colours, label, legend_height, short, styled, wrapped
from compare.views.story import story_headlines
from compare.views.tables import MAX_CHART_OUTLETS, busiest_outlets

MAP_EXPLANATION = (
    "Each dot is a statement; dots close together say similar things (their embeddings, projected onto the two "
    "directions along which they vary most, PCA; distances are approximate). Colour by story to see which events "
    "sit apart; by outlet to see whether an outlet's statements gather in a corner of a story. Hover for the text."
)
_REST = "#C8C8C8"  # the smaller stories, which share one colour
_STORIES_COLOURED = len(PALETTE) - 1
# The palette without its grey mauve, which beside the grey of the outlets not coloured read as one of them.
_BESIDE_GREY = tuple(colour for colour in PALETTE if colour != "#968796")


def statement_map(
    analysis: dict[str, Any], vectors: np.ndarray, outlets: list[str] | None = None, colour_by: str = "outlet"
) -> go.Figure:
    """A 2-D projection (PCA) of statement embeddings, coloured by outlet or by story, text on hover.

    Args:
        analysis: the analysis dict.
        vectors: the statements' embeddings, row for row.
        outlets: the outlets to draw (all when None or empty); the projection is of every statement either way.
        colour_by: "outlet" or "story" (the largest stories get a colour each, the rest one grey).
    """
    statements = analysis["statements"]
    if len(statements) < 3 or len(vectors) < len(statements):  # vectors not kept (a Ray run without its shards)
        return styled(go.Figure())
    from sklearn.decomposition import PCA

    points = PCA(n_components=2, random_state=0).fit_transform(vectors[: len(statements)])
    group_of, colour_of, names, shown_as = _groups(analysis, colour_by, outlets)
    titles = {article["id"]: article["title"] for article in analysis["articles"]}
    figure = go.Figure()
    for group in names:
        rows = [
            row
            for row, statement in enumerate(statements)
            if group_of(statement) == group and (not outlets or statement["outlet"] in outlets)
        ]
        if not rows:
            continue
        figure.add_scattergl(
            x=points[rows, 0],
            y=points[rows, 1],
            mode="markers",
            name=label(shown_as.get(group, group)),
            legendrank=2000 if colour_of[group] == _REST else 1000,  # the grey ones drawn first (under), listed last
            marker={"color": colour_of[group], "size": 6, "opacity": 0.8},
            customdata=[
                [label(statements[row]["outlet"]), short(titles.get(statements[row]["article_id"], ""), 90)]
                for row in rows
            ],
            text=[wrapped(statements[row]["text"]) for row in rows],
            hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<br><br>%{text}<extra></extra>",
        )
    figure.update_layout(
        title=f"Statements by meaning, coloured by {colour_by}: nearby dots say similar things",
        xaxis={"showticklabels": False, "title": None, "zeroline": False},
        yaxis={"showticklabels": False, "title": None, "zeroline": False},
        # Below the map, in rows: beside it, sixteen stories' names left the map a sliver on a phone. Tall enough
        # for the legend in one column (a phone's) under a map of 460 px.
        legend={"title": {"text": colour_by, "side": "top"}, "orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        height=460 + legend_height(len(figure.data)),
    )
    return styled(figure)


def coloured_outlets(analysis: dict[str, Any], outlets: list[str] | None = None) -> list[str] | None:
    """The outlets the map by outlet colours when ``outlets`` (or the analysis) has more than ``MAX_CHART_OUTLETS``:
    those with the most articles, as the Outlets page draws them; None when every drawn outlet has a colour."""
    return busiest_outlets(analysis, MAX_CHART_OUTLETS, outlets or None)


def _groups(
    analysis: dict[str, Any], colour_by: str, outlets: list[str] | None = None
) -> tuple[Any, dict[str, str], list[str], dict[str, str]]:
    """How to name a statement's group, each group's colour, the groups in legend order and what the legend calls
    them (a story by its headline, the one every view gives it: "story-ca8cd9b56082: …" was an id a reader cannot
    use, and its first-listed article's headline named 2 of golden BASIL's 10 stories otherwise than the story list).

    By outlet, past ``MAX_CHART_OUTLETS`` outlets drawn, the busiest ones (``coloured_outlets``) have a colour each
    and the others are one grey group: ECB+'s 181 outlets made a 181-entry legend (the figure 4,220 px tall) of 15
    colours over and over, so that no dot could be told by its colour."""
    statements = analysis["statements"]
    if colour_by != "story":
        every = by_name(statement["outlet"] for statement in statements)
        drawn = [outlet for outlet in every if not outlets or outlet in outlets]
        coloured = coloured_outlets(analysis, outlets) or drawn
        # an outlet's colour of every chart where the analysis has a colour per outlet; past the palette's 15 outlets
        # that colour is shared with others, so the drawn ones take the palette's colours in turn
        own = colours(every) if len(every) <= len(PALETTE) else dict(zip(coloured, _BESIDE_GREY))
        if len(coloured) == len(drawn):
            return (lambda statement: statement["outlet"]), own, drawn, {}
        rest = f"{len(drawn) - len(coloured):,} other outlets"
        colour_of = {outlet: own[outlet] for outlet in coloured} | {rest: _REST}
        grouped = set(coloured)
        return (lambda s: s["outlet"] if s["outlet"] in grouped else rest), colour_of, [rest, *coloured], {}
    story_of_article = {article_id: story["id"] for story in analysis["stories"] for article_id in story["article_ids"]}
    headline = {story: _clipped(title, 50) for story, title in story_headlines(analysis).items()}
    sizes = Counter(story_of_article.get(statement["article_id"], "") for statement in statements)
    largest = [name for name, _ in sizes.most_common() if name][:_STORIES_COLOURED]
    rest = f"{max(0, len(sizes) - len(largest))} smaller stories"
    colour_of = {name: PALETTE[number] for number, name in enumerate(largest)} | {rest: _REST}

    def group_of(statement: dict[str, Any]) -> str:
        story = story_of_article.get(statement["article_id"], "")
        return story if story in colour_of else rest

    return group_of, colour_of, [*largest, rest], {story: headline.get(story) or story for story in largest}


def _clipped(text: str, length: int) -> str:
    """``text`` on one line, at most ``length`` characters (not escaped: it is escaped where it is drawn)."""
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"
