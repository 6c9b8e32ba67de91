"""Who covers what, and when: the claims x outlets heatmap and the articles' timeline."""

from __future__ import annotations

from collections import Counter
from typing import Any

import plotly.graph_objects as go

from compare.views.charts.style import colours, label, short, styled
from compare.views.tables import cross_outlet_claims, outlet_names


def coverage_heatmap(analysis: dict[str, Any], max_rows: int = 40) -> go.Figure:
    """Cross-outlet claims x outlets: how many statements of each outlet state each claim."""
    outlets = outlet_names(analysis)
    clusters = cross_outlet_claims(analysis)[:max_rows]
    outlet_of = {statement["id"]: statement["outlet"] for statement in analysis["statements"]}
    text_of = {statement["id"]: statement["text"] for statement in analysis["statements"]}
    z = []
    labels = []
    for cluster in clusters:
        counts = Counter(outlet_of[sid] for sid in cluster["statement_ids"])
        z.append([counts.get(outlet, 0) for outlet in outlets])
        labels.append(f"{cluster['id']}: {short(text_of[cluster['statement_ids'][0]], 60)}")
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[label(outlet) for outlet in outlets],
            y=labels,
            colorscale="Blues",
            hovertemplate="%{y}<br>%{x}: %{z} statement(s)<extra></extra>",
        )
    )
    figure.update_layout(
        title="Claims reported by two or more outlets",
        yaxis={"autorange": "reversed"},
        height=max(300, 28 * len(labels) + 120),
    )
    return styled(figure)


def timeline(analysis: dict[str, Any]) -> go.Figure:
    """Articles on a date axis, one row and one colour per outlet."""
    articles = [article for article in analysis["articles"] if article.get("published")]
    colour_of = colours(article["outlet"] for article in analysis["articles"])
    figure = go.Figure()
    for outlet in sorted({article["outlet"] for article in articles}):
        own = [article for article in articles if article["outlet"] == outlet]
        figure.add_scatter(
            x=[article["published"] for article in own],
            y=[label(outlet)] * len(own),
            mode="markers",
            name=label(outlet),
            marker={"size": 12, "color": colour_of[outlet], "line": {"width": 1, "color": "white"}},
            text=[short(article["title"], 80) for article in own],
            hovertemplate="%{x|%Y-%m-%d}<br>%{y}<br>%{text}<extra></extra>",
        )
    outlets = len({article["outlet"] for article in articles})
    figure.update_layout(
        title="Articles by publication date",
        xaxis={"type": "date"},
        yaxis={"type": "category", "categoryorder": "category descending"},
        showlegend=False,  # the rows name the outlets
        height=max(320, 36 * outlets + 140),
    )
    return styled(figure)
