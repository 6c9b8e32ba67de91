"""Pure functions from an analysis to plotly Figures, one module per family, and the one export function.

Charts never import streamlit: the dashboard's pages and the HTML report draw the same figures.
"""

from __future__ import annotations

from compare.views.charts import style
from compare.views.charts.coverage import (
    CLAIM_ORDERS,
    HEATMAP_ROWS,
    claims_heatmap,
    coverage_heatmap,
    ordered_claims,
    selected_story,
    timeline,
)
from compare.views.charts.drift import drift_chart
from compare.views.charts.export import EXPORT_TIMEOUT_S, all_charts, export_caption, export_figure, figure_rows
from compare.views.charts.notes import CHART_NOTES, chart_note
from compare.views.charts.projection import MAP_EXPLANATION, coloured_outlets, statement_map
from compare.views.charts.telling import story_telling_chart, story_telling_figure
from compare.views.charts.terms import distinctive_terms_chart
from compare.views.charts.voices import share_bars, tone_toward_actors_chart

__all__ = [
    "CHART_NOTES",
    "CLAIM_ORDERS",
    "HEATMAP_ROWS",
    "MAP_EXPLANATION",
    "EXPORT_TIMEOUT_S",
    "all_charts",
    "chart_note",
    "claims_heatmap",
    "coverage_heatmap",
    "distinctive_terms_chart",
    "drift_chart",
    "export_caption",
    "export_figure",
    "ordered_claims",
    "selected_story",
    "figure_rows",
    "share_bars",
    "coloured_outlets",
    "statement_map",
    "story_telling_chart",
    "story_telling_figure",
    "style",
    "timeline",
    "tone_toward_actors_chart",
]
