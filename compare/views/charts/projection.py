"""The statement map: statements placed by meaning (a 2-D projection of their embeddings)."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from compare.views.charts.style import colours, label, styled, wrapped


def statement_map(analysis: dict[str, Any], vectors: np.ndarray, outlets: list[str] | None = None) -> go.Figure:
    """A 2-D projection (PCA) of statement embeddings, coloured by outlet, text on hover."""
    statements = analysis["statements"]
    if len(statements) < 3:
        return styled(go.Figure())
    from sklearn.decomposition import PCA

    points = PCA(n_components=2, random_state=0).fit_transform(vectors)
    figure = go.Figure()
    colour_of = colours(statement["outlet"] for statement in statements)
    for outlet in sorted({statement["outlet"] for statement in statements}):
        if outlets and outlet not in outlets:
            continue
        rows = [row for row, statement in enumerate(statements) if statement["outlet"] == outlet]
        figure.add_scattergl(
            x=points[rows, 0],
            y=points[rows, 1],
            mode="markers",
            name=label(outlet),
            marker={"color": colour_of[outlet]},
            text=[wrapped(statements[row]["text"]) for row in rows],
            hovertemplate="%{text}<extra></extra>",
        )
    figure.update_layout(title="Statements by meaning (PCA of embeddings)", height=560)
    return styled(figure)
