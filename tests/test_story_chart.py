"""The story page's chart (docs/dashboard.md, tour note 4, "Left"): one story's comparison of its outlets exported
as a chart with its data, as the Outlets page's corpus-wide charts are. It reads the golden BASIL10 analysis (real
articles, the real model's output, pinned by tests/test_golden.py), saved as `analyze --out` saves one."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def saved_basil10(tmp_path_factory) -> Path:
    """The golden BASIL10 analysis saved as `analyze --out` saves one (zero vectors: the map's are not compared)."""
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    basil10 = json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes()))
    folder = tmp_path_factory.mktemp("basil10")
    vectors = np.zeros((len(basil10["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(basil10, vectors), folder)
    return folder


@pytest.fixture
def deferred(monkeypatch) -> dict[str, object]:
    """Each deferred download's maker by its file id: AppTest drops its media files' manager after a run."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    makers: dict[str, object] = {}
    add = MediaFileManager.add_deferred

    def recorded(self, data_callable, *args, **kwargs):
        file_id = add(self, data_callable, *args, **kwargs)
        makers[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recorded)
    return makers


def _downloaded(app, key: str, makers: dict) -> str:
    """What a download button gives: its bytes are made on the click (a deferred download), as the browser's are."""
    button = next(element for element in app.get("download_button") if element.key == key)
    made = makers[button.proto.deferred_file_id]()
    return made.decode("utf-8") if isinstance(made, bytes) else str(made)


def test_a_basil_story_has_a_chart_of_how_each_outlet_told_it_with_the_pages_numbers(
    saved_basil10, deferred, monkeypatch
):
    """A journalist could export the Outlets page's corpus-wide charts but nothing of one story. The story page now
    draws each outlet's shared facts reported and left out, its statements no other outlet reports and its quoted
    statements, with a CSV (and PNG / SVG) of the very numbers the page lists."""
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    app.run()
    assert not app.exception
    keys = {element.key for element in app.get("download_button")}
    assert "px_csv_story" in keys
    assert app.button(key="px_img_story")  # PNG / SVG on request, as every chart's
    table = list(csv.DictReader(io.StringIO(_downloaded(app, "px_csv_story", deferred))))
    count = {(row["outlet"], row["measure"]): int(row["count"]) for row in table}
    outlets = list(dict.fromkeys(row["outlet"] for row in table))
    assert len(outlets) == 3  # a BASIL event: Fox, NYT, HuffPost

    # "Only in X: N statements", as the page's folded lists say
    only = {
        match[1]: int(match[2])
        for expander in app.expander
        if (match := re.fullmatch(r"Only in (.+): (\d+) statements", expander.label))
    }
    assert only and only == {outlet: count[(outlet, "statements only it reports")] for outlet in outlets}
    # "Reported by k of 3 outlets" over each aligned fact: its outlets are the page's "— not in X —" cells' others
    drawn = [element.value for element in app.get("markdown")]
    shared = sum(1 for text in drawn if "Reported by " in text and " of 3 outlets" in text)
    assert shared and all(count[(o, "shared facts it reports")] + count[(o, "shared facts it leaves out")] == shared
                          for o in outlets)  # fmt: skip
    left_out = sum(text.count("— not in ") for text in drawn)
    assert left_out == sum(count[(outlet, "shared facts it leaves out")] for outlet in outlets)
    # "Who is quoted or cited (N)": the quoted statements of every outlet
    quoted = int(re.search(r"Who is quoted or cited <span[^>]*>\((\d+)\)", "".join(drawn))[1])
    assert quoted == sum(count[(outlet, "statements quoting someone")] for outlet in outlets)
    captions = " ".join(caption.value for caption in app.caption)
    assert f"n = {shared} shared facts" in captions and "Counted, not weighed" in captions


def test_the_story_chart_escapes_an_outlets_name(saved_basil10):
    """Outlet names come from the input: plotly must draw a tag in one as text, in the bars' names and the CSV."""
    from compare.views.charts import figure_rows, story_telling_chart

    rows = [
        {"outlet": "<b>Daily</b>", "measure": "shared facts it reports", "count": 3},
        {"outlet": "Other", "measure": "shared facts it reports", "count": 2},
    ]
    figure = story_telling_chart(rows, "<i>Storm</i> hits")
    assert {name for trace in figure.data for name in trace.y} == {"&lt;b&gt;Daily&lt;/b&gt;", "Other"}
    assert {row["y"] for row in figure_rows(figure)} == {"<b>Daily</b>", "Other"}
    assert "&lt;i&gt;Storm&lt;/i&gt; hits" in figure.layout.title.text
