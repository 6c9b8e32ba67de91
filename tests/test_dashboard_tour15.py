"""The fifth tour (docs/dashboard.md, "A fifth tour"): the dashboard as a researcher with a big, many-outlet corpus
sees it (ECB+ dev: 181 outlets, a story told by 19; BASIL copied under 102 outlet names: 10,200 articles). Each
fix has a test that failed before it.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from compare.model.names import by_name

GOLDEN = Path(__file__).resolve().parent / "golden"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")

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
    small = story_telling_chart(_telling_rows(["Fox News", "HuffPost"]), "Storm")  # counts of 0-3: whole ticks
    assert small.layout.xaxis.dtick == 1  # plotly's own ticks read "0 1 1 2 2" (0.5 steps, rounded)


def _renamed(value: Any, names: set[str], suffix: str) -> Any:
    """``value`` with every outlet name and id of ``names`` (as a value or a key) followed by ``suffix``."""
    if isinstance(value, str):
        return value + suffix if value in names else value
    if isinstance(value, list):
        return [_renamed(item, names, suffix) for item in value]
    if isinstance(value, dict):
        return {_renamed(key, names, suffix): _renamed(item, names, suffix) for key, item in value.items()}
    return value


def _copies(analysis: dict[str, Any], copies: int) -> dict[str, Any]:
    """``copies`` copies of a real analysis, each with its own outlet names (``Fox News~3``) and ids: a corpus of
    many outlets as /tmp/dash16/big_mine was made (BASIL under 102 outlet names)."""
    names = {article["outlet"] for article in analysis["articles"]}
    names |= {row["id"] for rows in analysis.values() if isinstance(rows, list) for row in rows if "id" in row}
    merged = dict(analysis)
    for number in range(1, copies):
        copy = _renamed(analysis, names, f"~{number}")
        for key, rows in copy.items():
            if isinstance(rows, list):
                merged[key] = merged[key] + rows
            elif isinstance(rows, dict) and key != "settings":
                merged[key] = {**merged[key], **rows}
    return merged


@pytest.fixture(scope="module")
def saved_many_outlets(tmp_path_factory) -> Path:
    """The golden BASIL10 analysis (real articles, the real model's output) copied under 30 outlet names, saved as
    `analyze --out` saves one (zero vectors: the map's are not compared)."""
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    analysis = _copies(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())), 10)
    folder = tmp_path_factory.mktemp("many_outlets")
    vectors = np.zeros((len(analysis["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(analysis, vectors), folder)
    return folder


def test_the_outlets_page_draws_the_busiest_outlets_when_there_are_many(saved_many_outlets, monkeypatch):
    """ECB+ (181 outlets) drew a bar per outlet in every chart of the Outlets page: "Who is quoted" 9,700 px tall,
    frames 11,300 px, tone 25,800 px with a 100-entry legend; the page was 52,000 px. With no outlet chosen the
    charts now draw the 12 with the most articles and say so; a choice still draws what was chosen."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_many_outlets))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Outlets"
    app.run()
    assert not app.exception
    figures = {
        figure["layout"]["title"]["text"].split("<br>")[0]: figure
        for figure in (json.loads(element.proto.spec) for element in app.get("plotly_chart"))
    }
    voices = figures["Who is quoted or cited"]
    drawn = {name for trace in voices["data"] for name in trace["y"]}
    assert len(drawn) == 12
    tone = figures["Tone of what is said of each side"]
    assert len({trace["name"] for trace in tone["data"]}) <= 12
    captions = " ".join(caption.value for caption in app.caption)
    assert "30 outlets are too many for one chart" in captions and "12 with the most articles" in captions

    app.multiselect(key="px_outlets").set_value(["Fox News~3", "HuffPost~7"]).run()
    voices = next(
        figure
        for figure in (json.loads(element.proto.spec) for element in app.get("plotly_chart"))
        if figure["layout"]["title"]["text"].startswith("Who is quoted")
    )
    assert {name for trace in voices["data"] for name in trace["y"]} == {"Fox News~3", "HuffPost~7"}


def test_share_bars_of_many_outlets_keep_their_legend_under_the_axis_and_the_first_outlet_on_top():
    """BASIL under 102 outlet names: "Who is quoted or cited" put its legend a share of the chart's height below the
    bars (0.12 of 6,300 px: a blank screenful between the last bar and the sides' colours), and drew the outlets
    from the last name at the top down to the first ("zimbio.com" first on ECB+, "Fox News" at the very bottom)."""
    from compare.views import charts

    analysis = _copies(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())), 34)
    figure = charts.share_bars(analysis["voice_share"], "side", "Who is quoted or cited")
    outlets = by_name(row["outlet"] for row in analysis["voice_share"])
    assert len(outlets) == 102
    assert list(figure.data[0].y) == outlets and figure.layout.yaxis.autorange == "reversed"
    layout = figure.layout
    bars = layout.height - layout.margin.t - layout.margin.b - charts.style.legend_height(len(figure.data)) + 100
    assert 0 < -layout.legend.y * bars <= 60  # px between the bars' foot and the legend, however many outlets


def test_the_claims_heatmap_draws_the_outlets_of_its_rows_stories_and_greys_the_others(saved_many_outlets, monkeypatch):
    """ECB+'s Overview drew a column for each of its 181 outlets, three pixels wide and named one in three, and a
    row's outlets that never told its story were white, "does not report it", as if they had left the fact out.
    The columns are now the outlets of the drawn rows' stories; a cell of an outlet that did not tell the row's
    story is empty (grey on the chart), in the report's heatmap and the dashboard's."""
    from streamlit.testing.v1 import AppTest

    from compare.views import charts
    from compare.views.story import story_summaries

    analysis = _copies(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())), 10)
    assert len({article["outlet"] for article in analysis["articles"]}) == 30
    told = {summary.id: set(summary.outlets) for summary in story_summaries(analysis)}
    claims = {claim["id"]: claim for claim in analysis["clusters"]}
    for order in ("omitted", "disputed"):  # the first 40 rows of one copy; of every copy
        figure = charts.coverage_heatmap(analysis, order=order)
        heat = figure.data[0]
        on_rows = [set().union(*(told[story] for story in claims[claim]["story_ids"])) for claim in heat.y]
        assert list(heat.x) == by_name(set().union(*on_rows))
        for row, outlets in zip(heat.z, on_rows):
            assert {outlet for outlet, cell in zip(heat.x, row) if cell is not None} == outlets
        assert figure.layout.plot_bgcolor not in (None, "white")  # what an empty cell shows
    assert len(charts.coverage_heatmap(analysis, order="omitted").data[0].x) == 3

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_many_outlets))
    app = AppTest.from_file(DASHBOARD, default_timeout=180).run()
    assert not app.exception
    shown = next(
        figure
        for figure in (json.loads(element.proto.spec) for element in app.get("plotly_chart"))
        if "shared facts" in figure["layout"]["title"]["text"]
    )
    assert shown["data"][0]["x"] == ["Fox News", "HuffPost", "The New York Times"]  # of 30 outlets


def test_the_timeline_of_many_outlets_starts_under_its_title_with_the_first_outlet_on_top():
    """BASIL under 102 outlet names: "Articles by publication date" was 3,800 px tall, a blank 140 px between its
    title and its first row (plotly's own range) and again under the last, and began at the last outlet by name.
    Past 20 outlets the rows are 18 px with smaller dots; the range ends at the first and last rows."""
    from compare.views import charts
    from compare.views.charts.style import label

    analysis = _copies(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())), 34)
    outlets = by_name(article["outlet"] for article in analysis["articles"])
    assert len(outlets) == 102
    figure = charts.timeline(analysis)
    yaxis = figure.layout.yaxis
    assert list(yaxis.categoryarray) == [label(outlet) for outlet in outlets]
    assert list(yaxis.range) == [len(outlets) - 0.5, -0.5]  # the first outlet on top, no blank band
    assert figure.layout.height <= 18 * len(outlets) + 140
    few = charts.timeline(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())))
    assert few.layout.height == 320 and few.data[0].marker.size == 12  # three outlets: as before


def test_the_report_of_many_outlets_draws_the_busiest_outlets_charts_and_says_so():
    """ECB+'s HTML report was 143,800 px tall: 181 distinctive-terms charts, and voices, frames and tone charts of
    9,700, 11,300 and 25,800 px. It now draws the charts of outlets for the 12 with the most articles, as the
    Outlets page does, and says so above them; ``export`` (every chart's CSV) still draws every outlet."""
    import re

    from compare.ingest import load_registry
    from compare.views.charts import all_charts
    from compare.views.report import render_report

    analysis = _copies(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())), 10)
    page = render_report(analysis, None, load_registry())
    assert len(re.findall(r'id="chart-terms_\d+"', page)) == 12
    assert "30 outlets are too many for one chart: the charts of outlets show the 12 with the most articles" in page
    assert len([name for name in all_charts(analysis) if name.startswith("terms_")]) == 30


def test_over_time_of_undated_outlets_says_there_is_nothing_to_draw():
    """ECB+ has no dates: "Mean tone by month" drew empty axes, years "2000 2000 2000…" under a y axis of −1 to 4,
    as if something had failed. The chart now says there is nothing to draw over time, without axes."""
    from compare.views.charts import drift_chart
    from compare.views.tables import drift_rows

    analysis = json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes()))
    undated = {**analysis, "articles": [{**article, "published": None} for article in analysis["articles"]]}
    figure = drift_chart(drift_rows(undated, "tone"), "Mean tone by month")
    assert not figure.data
    assert [note.text for note in figure.layout.annotations] == [
        "No dated articles of these outlets: nothing to draw over time."
    ]
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    dated = drift_chart(drift_rows(analysis, "tone"), "Mean tone by month")  # BASIL10 is dated: lines, no note
    assert dated.data and not dated.layout.annotations
