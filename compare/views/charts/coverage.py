"""Who covers what, and when: the claims x outlets heatmap and the articles' timeline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from compare.model.names import by_name
from compare.views.charts.style import colours, label, plain, short, styled, two_line_label, wrapped
from compare.views.story import StorySummary, story_summaries
from compare.views.tables import cross_outlet_claims, outlet_names

CLAIM_ORDERS = {
    "outlets": "most outlets",
    "omitted": "most omitted (outlets on the story that leave the claim out)",
    "disputed": "most disputed (least similar wording between outlets)",
}


def ordered_claims(analysis: dict[str, Any], order: str = "outlets") -> list[dict[str, Any]]:
    """The cross-outlet claims, most outlets, most omitted or most disputed first (``CLAIM_ORDERS``)."""
    claims = cross_outlet_claims(analysis)
    if order == "omitted":
        omitted = Counter(row["cluster_id"] for row in analysis.get("omissions", []))
        return sorted(claims, key=lambda claim: (-omitted[claim["id"]], -len(claim["outlets"])))
    if order == "disputed":
        similarities: dict[str, list[float]] = {}
        for cell in analysis.get("coverage", []):
            if cell.get("status") != "absent" and cell.get("similarity") is not None:
                similarities.setdefault(cell["cluster_id"], []).append(cell["similarity"])
        mean = {claim: sum(values) / len(values) for claim, values in similarities.items()}
        return sorted(claims, key=lambda claim: (mean.get(claim["id"], 1.0), -len(claim["outlets"])))
    return sorted(claims, key=lambda claim: -len(claim["outlets"]))


HEATMAP_ROWS = 40  # claims a coverage heatmap draws


def coverage_heatmap(analysis: dict[str, Any], max_rows: int = HEATMAP_ROWS, order: str = "outlets") -> go.Figure:
    """Cross-outlet claims x outlets: how many statements of each outlet state each claim.

    Args:
        analysis: the analysis dict.
        max_rows: how many claims to draw; the title says how many of how many.
        order: which claims come first (a key of ``CLAIM_ORDERS``).
    """
    every = ordered_claims(analysis, order)
    statements = claim_statements(analysis, every[:max_rows])
    stories = {summary.id: summary for summary in story_summaries(analysis)}
    return claims_heatmap(every[:max_rows], len(every), statements, outlet_names(analysis), order, stories)


def claim_statements(analysis: dict[str, Any], clusters: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The statements of ``clusters`` (the heatmap's rows), by id."""
    named = {sid for cluster in clusters for sid in cluster["statement_ids"]}
    return {s["id"]: s for s in analysis["statements"] if s["id"] in named}


def claims_heatmap(
    clusters: list[dict[str, Any]],
    total: int,
    statements: dict[str, dict[str, Any]],
    outlets: list[str],
    order: str = "outlets",
    stories: Mapping[str, StorySummary] | None = None,
) -> go.Figure:
    """``coverage_heatmap`` of claims chosen beforehand (a saved analysis orders them in its store).

    Args:
        clusters: the claims to draw, first first.
        total: how many cross-outlet claims there are.
        statements: id -> {"outlet", "text"} of the claims' statements.
        outlets: the columns, of which only those telling a row's story are drawn when ``stories`` is given.
        order: the key of ``CLAIM_ORDERS`` the claims came in.
        stories: story id -> its summary (``story_summaries``). A row's hover names its story, which a reader
            finds in the story list (a row named only by a statement left them to guess which event it was). The
            columns are the outlets of the rows' stories, and a cell of an outlet that did not tell the row's story
            is left empty (grey), not 0 (white): among ECB+'s 181 outlets each row's 170-odd white cells read
            "left out" for outlets that never told the story, in columns three pixels wide named one in three.
    """
    counts_of = [Counter(statements[sid]["outlet"] for sid in cluster["statement_ids"]) for cluster in clusters]
    known_of = [
        [story for story in cluster.get("story_ids", []) if stories and story in stories] for cluster in clusters
    ]
    # the outlets on each row's stories (None: not known, and any column could report it)
    told = [
        {outlet for story in known for outlet in stories[story].outlets} | set(counts) if stories else None
        for known, counts in zip(known_of, counts_of)
    ]
    if stories:
        outlets = [outlet for outlet in outlets if any(outlet in row for row in told if row is not None)]
    z: list[list[int | None]] = []
    texts = []
    headlines = []
    opened = []  # the story a click on the row opens: the first the hover names
    for cluster, counts, on_story, known in zip(clusters, counts_of, told, known_of):
        z.append([counts.get(outlet, 0) if on_story is None or outlet in on_story else None for outlet in outlets])
        texts.append(statements[cluster["statement_ids"][0]]["text"])
        headlines.append(short("; ".join(stories[story].headline for story in known), 110) if stories and known else "")
        opened.append(known[0] if known else "")
    ids = [cluster["id"] for cluster in clusters]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[label(outlet) for outlet in outlets],
            y=ids,  # unique, where two claims' texts may begin alike; the axis shows the texts (ticktext)
            text=[[wrapped(text)] * len(outlets) for text in texts],
            customdata=[[headline] * len(outlets) for headline in headlines],
            colorscale="Blues",
            # from 0 (plotly needs both ends): one statement must not look like none (BASIL's cells are 1 and 2)
            zmin=0,
            zmax=max(1, _most(z)),
            colorbar={"dtick": 1 if _most(z) <= 10 else None},  # laid across the top by ``_outlets_on_top``
            hovertemplate="%{text}<br><i>story: %{customdata}</i><br>%{x}: %{z:,} statement(s)<extra>%{y}</extra>",
            hoverongaps=False,  # a grey cell: the outlet did not tell the story, nothing to count
        )
    )
    first = CLAIM_ORDERS.get(order, CLAIM_ORDERS["outlets"]).split(" (")[0]
    figure.update_layout(
        # "shared facts", as the Overview's count names them; "1,219 claims reported by two or more outlets" was
        # too long for a title's first line, and ran off the chart at 800 px
        title=f"{len(clusters):,} of {total:,} shared facts, {first} first",
        # the outlets above the first row: below the last of 40 rows they were 1,400 px down the page
        xaxis={"side": "top"},
        # two short lines a claim: one long line left the heat strip a sliver on a phone, its start cut off
        yaxis={
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": ids,
            "ticktext": [two_line_label(text) for text in texts],
            "tickfont": {"size": 11},
        },
        height=max(300, 34 * len(ids) + 120),
        plot_bgcolor=_NOT_ON_STORY,  # what an empty cell shows: the outlet did not tell that row's story
    )
    _row_targets(figure, ids, [[*row] for row in zip(opened, texts, headlines, z)], outlets)
    return _outlets_on_top(styled(figure), [label(outlet) for outlet in outlets])


def _outlets_on_top(figure: go.Figure, names: list[str]) -> go.Figure:
    """Room above the rows for the colour bar and the outlets' names, between the title and the first row.

    Past six outlets (ECB+ has 181) plotly turns the names on end, up into the title: set so, with the margin as
    tall as the longest name. Up to six, each name stands upright in short lines ("English News (India)" in three),
    its full name in the hover: plotly slanted or stood on end what did not fit in one line, and on a phone the
    room made for a slant cut the top of a name on end. The colour bar lies across the top, under the title: upright
    at the side it took a third of a phone's width from the four outlets' columns.
    """
    many = len(names) > _UPRIGHT_OUTLETS
    if many:
        figure.update_xaxes(tickangle=-90)
        names_height = int(6.5 * max((len(name) for name in names), default=0))
    else:
        stacked = [wrapped(str(plain(name)), _OUTLET_LINE) for name in names]  # the names are escaped for plotly
        figure.update_xaxes(
            tickangle=0,
            tickmode="array",
            tickvals=names,
            ticktext=stacked,
            tickfont={"size": 11},
        )
        names_height = 14 * max((name.count("<br>") + 1 for name in stacked), default=1) + 10
    title_height = figure.layout.margin.t  # ``styled``'s: the title's one or two lines
    height = figure.layout.height + _COLOUR_BAR_HEIGHT  # the rows as tall as before: the bar's band is new
    top = title_height + _COLOUR_BAR_HEIGHT + names_height
    rows_height = height - top - figure.layout.margin.b
    figure.update_traces(
        selector={"type": "heatmap"},
        colorbar={
            "orientation": "h",
            # just above the names (a bar beyond the rows, by "paper", pushed plotly's margin and cut the title)
            "yref": "container",
            "y": (figure.layout.margin.b + rows_height + names_height + 4) / height,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "thickness": 10,
            "lenmode": "pixels",
            "len": 160,
            "title": {"text": "statements", "side": "right", "font": {"size": 11}},
            "tickfont": {"size": 11},
        },
    )
    figure.update_layout(
        title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}},
        margin={"t": top},
        height=height,
    )
    return figure


_NOT_ON_STORY = "#D9D9D9"  # grey: apart from white (0) and every blue
_OUTLET_LINE = 8  # characters of a line of an outlet's name: four such columns fit a 390 px phone
_COLOUR_BAR_HEIGHT = 44  # px under the title for the horizontal colour bar and its numbers
_UPRIGHT_OUTLETS = 6


def _row_targets(figure: go.Figure, ids: list[str], rows: list[list[Any]], outlets: list[str]) -> None:
    """An invisible bar across each row, whose click the dashboard reads as "open this row's story".

    A heatmap cell cannot be selected in plotly (no click selection on a heatmap trace), and a row that named its
    story in the hover but did not open it sent the reader to find the headline in the story list. The bar holds
    the row's hover: the statement, its story, every outlet's count.
    """
    figure.add_bar(
        y=ids,
        x=[1] * len(ids),
        base=0,
        width=1,
        orientation="h",
        xaxis="x2",
        marker={"opacity": 0},
        textposition="none",
        text=[wrapped(text) for _, text, _, _ in rows],
        customdata=[
            [
                story,
                headline,
                " · ".join(f"{label(outlet)} {count:,}" for outlet, count in zip(outlets, counts) if count is not None),
            ]
            for story, _, headline, counts in rows
        ],
        hovertemplate="%{text}<br><i>story: %{customdata[1]}</i><br>statements: %{customdata[2]}"
        "<br><b>click to open the story</b><extra></extra>",
        showlegend=False,
        name="",
    )
    # its own axis over the heatmap's (0 to 1 across every outlet), which neither shows nor zooms
    figure.update_layout(xaxis2={"overlaying": "x", "range": [0, 1], "visible": False, "fixedrange": True})


def selected_story(points: list[dict[str, Any]]) -> str | None:
    """The story of the claims heatmap's clicked row (``claims_heatmap``'s row targets), or None."""
    for point in points:
        story = (point.get("customdata") or [""])[0]
        if story:
            return str(story)
    return None


def _most(z: list[list[int | None]]) -> int:
    return max((value for row in z for value in row if value is not None), default=0)


_ROOMY_TIMELINE = 20  # outlets whose timeline rows are 36 px with 12 px dots; past them 18 px with 8 px dots (102
# outlets' rows took 3,800 px)


def timeline(analysis: dict[str, Any]) -> go.Figure:
    """Articles on a date axis, one row and one colour per outlet."""
    articles = [article for article in analysis["articles"] if article.get("published")]
    colour_of = colours(article["outlet"] for article in analysis["articles"])
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for article in articles:  # one pass: a scan of every article per outlet was 10,200 x 102 at 251k statements
        by_outlet.setdefault(article["outlet"], []).append(article)
    # One trace per colour, which is one per outlet up to the palette's 15: past it outlets share a colour anyway
    # (a marker has no hatching), and plotly checks every trace it is given (1-2 ms each: 102 outlets at 251k
    # statements were a third of the Overview's drawing).
    names = by_name(by_outlet)
    roomy = len(names) <= _ROOMY_TIMELINE
    by_colour: dict[str, list[str]] = {}
    for outlet in names:
        by_colour.setdefault(colour_of[outlet], []).append(outlet)
    figure = go.Figure()
    for colour, outlets_of_colour in by_colour.items():
        own = [article for outlet in outlets_of_colour for article in by_outlet[outlet]]
        figure.add_scatter(  # numpy arrays: plotly checks a list item by item (0.5 s at 10,000 articles)
            x=np.array([article["published"] for article in own]),
            y=np.array([label(article["outlet"]) for article in own]),
            mode="markers",
            name=", ".join(label(outlet) for outlet in outlets_of_colour),
            marker={"size": 12 if roomy else 8, "color": colour, "line": {"width": 1, "color": "white"}},
            text=np.array([short(article["title"], 80) for article in own]),
            hovertemplate="%{x|%Y-%m-%d}<br>%{y}<br>%{text}<extra></extra>",
        )
    figure.update_layout(
        # an undated corpus (ECB+: 2 of 194 dated) drew two dots under this title, as if it had two articles
        title="Articles by publication date"
        + (
            f" ({len(articles):,} of {len(analysis['articles']):,} dated)"
            if len(articles) < len(analysis["articles"])
            else ""
        ),
        xaxis={"type": "date"},
        # the first outlet on top, the rows from the title's foot to the dates: plotly's own range left 140 px
        # blank above the first of 102 rows and under the last
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [label(outlet) for outlet in names],
            "range": [len(names) - 0.5, -0.5],
        },
        showlegend=False,  # the rows name the outlets
        height=max(320, (36 if roomy else 18) * len(names) + 140),
    )
    return styled(figure)
