"""What the fourth tour left on the story page (docs/dashboard.md, tour note 4, "Left"), for phones and screen
readers: buttons that name their chart, the story's heading order, the claims chart at 390 px, and the story chart's
caption with two outlets. On the golden BASIL10 analysis (real articles, the real model's output)."""

from __future__ import annotations

import re

from tests.test_story_chart import DASHBOARD, saved_basil10  # noqa: F401 (a fixture)


def _story_page(folder, monkeypatch, outlets: str = ""):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(folder))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    if outlets:
        app.query_params["outlets"] = outlets
    app.run()
    assert not app.exception
    return app


def test_every_chart_button_names_its_chart(saved_basil10, monkeypatch):  # noqa: F811
    """A screen reader heard "CSV" and "PNG / SVG" once per chart, told apart only by the chart above them
    (Streamlit's ``help`` is a hover tooltip, not part of a button's accessible name): the label names the chart."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Outlets"
    app.run()
    assert not app.exception
    csv_labels = [element.proto.label for element in app.get("download_button") if element.key.startswith("px_csv_")]
    assert len(csv_labels) >= 3
    assert all(re.fullmatch(r"CSV of “.+”", label) for label in csv_labels), csv_labels
    assert len(set(csv_labels)) == len(csv_labels)  # one chart's from another's
    images = [button.label for button in app.button if button.key and button.key.startswith("px_img_")]
    assert images and all(label.startswith("PNG / SVG of “") for label in images)
    assert any("Mean tone" in label for label in csv_labels)  # the chart's own title


def test_the_story_title_is_an_h2_over_its_h3_parts(saved_basil10, monkeypatch):  # noqa: F811
    """The story's headline was an h3 (a subheader) under the sidebar's h1, with no h2: headings skipped a level."""
    app = _story_page(saved_basil10, monkeypatch)
    headers = [element.value for element in app.header]
    subheaders = [element.value for element in app.subheader]
    assert len(headers) == 1 and headers[0]  # the headline
    assert "Key differences" in subheaders and headers[0] not in subheaders


def test_two_outlets_say_why_none_leaves_a_shared_fact_out(saved_basil10, monkeypatch):  # noqa: F811
    """With two outlets shown a shared fact is one both report: "shared facts it leaves out" is 0 for both, which
    the caption now says, and only then."""
    sentence = "With two outlets shown, “shared facts it leaves out” is 0 for both"
    every = _story_page(saved_basil10, monkeypatch)
    assert sentence not in " ".join(caption.value for caption in every.caption)
    outlets = every.multiselect(key="px_story_outlets").options[:2]
    two = _story_page(saved_basil10, monkeypatch, ",".join(outlets))
    captions = " ".join(caption.value for caption in two.caption)
    assert "of 2 outlets" in captions and sentence in captions


def test_the_claims_chart_fits_four_outlets_on_a_phone():
    """At 390 px plotly stood the seeds' four outlets on end, cutting "English News (India)", and the upright
    colour bar took a third of the width. Now each name stands upright in short lines (the full name in the hover
    and the CSV) and the colour bar lies across the top."""
    from compare.views.charts import claims_heatmap, figure_rows

    outlets = ["China Daily", "English News (India)", "Stock Groups' rewrite", "The Guardian"]
    texts = ["The central bank raised interest rates by half a point.", "The minister resigned on Friday."]
    statements = {f"{i}{j}": {"outlet": o, "text": t} for i, t in enumerate(texts) for j, o in enumerate(outlets)}
    clusters = [{"id": f"c{i}", "statement_ids": [f"{i}{j}" for j in range(4)]} for i in range(len(texts))]
    figure = claims_heatmap(clusters, 2, statements, outlets)
    heat = figure.data[0]
    assert heat.colorbar.orientation == "h" and heat.colorbar.title.text == "statements"
    assert figure.layout.xaxis.tickangle == 0
    assert list(figure.layout.xaxis.tickvals) == outlets and list(heat.x) == outlets  # hover %{x}: the full name
    assert figure.layout.xaxis.ticktext[1] == "English<br>News<br>(India)"
    assert all(len(line) <= 8 for text in figure.layout.xaxis.ticktext for line in text.split("<br>"))
    assert {row["x"] for row in figure_rows(figure) if "x" in row} >= set(outlets)
