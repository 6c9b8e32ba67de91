"""The fifth tour (docs/dashboard.md, "A fifth tour"): the dashboard as a researcher with a big, many-outlet corpus
sees it (ECB+ dev: 181 outlets, a story told by 19; BASIL copied under 102 outlet names: 10,200 articles). Each
fix has a test that failed before it.
"""

from __future__ import annotations

from typing import Any

MEASURES = ("shared facts it reports", "shared facts it leaves out", "statements only it reports")


def _telling_rows(outlets: list[str]) -> list[dict[str, Any]]:
    return [
        {"outlet": outlet, "measure": measure, "count": number + rank}
        for rank, measure in enumerate(MEASURES)
        for number, outlet in enumerate(outlets)
    ]


def test_the_story_chart_names_each_outlets_bar_past_the_palettes_colours():
    """ECB+'s story told by 19 outlets drew "How each outlet told it" as groups of 19 bars told apart by colour
    alone: past the palette's 15 colours two outlets were light blue and two red, so no bar could be read, and the
    names were in a 19-row legend below the chart. Each measure is now a panel of its own with the outlets named
    beside their bars, first outlet on top."""
    from compare.views.charts import story_telling_chart
    from compare.views.charts.style import PALETTE

    outlets = [f"ecb-12_{number}ecb" for number in range(1, 20)]
    assert len(outlets) > len(PALETTE)
    figure = story_telling_chart(_telling_rows(outlets), "The Indian Navy captured 23 pirates")
    assert len(figure.data) == len(MEASURES)
    for measure, trace in zip(MEASURES, figure.data):
        assert list(trace.y) == outlets  # every bar of every panel named by its outlet, in the story's order
        assert trace.hovertemplate.endswith(f"<extra>{measure}</extra>")
    panels = {trace.yaxis for trace in figure.data}
    assert len(panels) == len(MEASURES)
    assert all(figure.layout[axis.replace("y", "yaxis")].autorange == "reversed" for axis in panels)
    assert [annotation.text for annotation in figure.layout.annotations] == list(MEASURES)
    assert not figure.layout.showlegend
