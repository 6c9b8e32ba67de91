"""Charts and their exports: downloads that stay, captions, CSVs, labels plotly reads as text, colours by name."""

from __future__ import annotations

from pathlib import Path

import pytest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _downloads(app) -> dict[str, str]:
    """The download buttons on the page: key -> label."""
    return {element.key: element.proto.label for element in app.get("download_button")}


def test_png_and_svg_downloads_both_stay_after_a_download_reruns_the_page(tmp_path, monkeypatch):
    """Clicking "Download PNG" reran the script with the "PNG / SVG" button false: the SVG button vanished."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert "px_dl_png_timeline" not in _downloads(app)  # images are rendered on request only
    app.button(key="px_img_timeline").click().run()
    assert not app.exception
    first = _downloads(app)
    assert {"px_dl_png_timeline", "px_dl_svg_timeline", "px_csv_timeline"} <= set(first)
    app.run()  # what a download button's default on_click="rerun" does after "Download PNG"
    assert not app.exception
    again = _downloads(app)
    assert {"px_dl_png_timeline", "px_dl_svg_timeline"} <= set(again)
    ignored = [element for element in app.get("download_button") if element.key.startswith("px_dl_")]
    assert ignored and all(element.proto.ignore_rerun for element in ignored)  # and a download no longer reruns


def test_every_chart_on_every_page_has_its_csv(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    for page in ("Overview", "Outlets", "Map"):
        app.query_params["page"] = page
        app.run()
        assert not app.exception, page
        charts = [element.proto.id for element in app.get("plotly_chart")]
        csvs = [key for key in _downloads(app) if key.startswith("px_csv_")]
        assert charts and len(csvs) == len(charts), page


def test_an_exported_image_says_corpus_outlets_dates_and_version(seeds_analysis):
    import shutil

    from compare import __version__
    from compare.views import charts

    if not shutil.which("chromium"):
        pytest.skip("no chromium")
    analysis = seeds_analysis.to_dict()
    caption = charts.export_caption(analysis, ["China Daily", "The Guardian"], "seeds")
    shown = [article for article in analysis["articles"] if article["outlet"] in ("China Daily", "The Guardian")]
    dates = sorted(article["published"][:10] for article in shown)
    assert caption.startswith(f"seeds: {len(shown)} articles, {dates[0]} to {dates[-1]} · ")
    assert "outlets: China Daily, The Guardian" in caption and f"Parallax {__version__}" in caption
    figure = charts.timeline(analysis)
    svg, produced = charts.export_figure(figure, "svg", caption=caption)
    assert produced == "svg"
    assert b"China Daily, The Guardian" in svg and f"Parallax {__version__}".encode() in svg
    assert not figure.layout.title.subtitle.text  # the dashboard's own figure is left without it


def test_figure_rows_give_each_point_with_plain_labels():
    from compare.views import charts

    rows = [{"outlet": "Fox & Friends <US>", "side": "government", "share": 0.25}]
    figure = charts.share_bars(rows, "side", "title")
    assert charts.figure_rows(figure) == [{"series": "government", "x": 0.25, "y": "Fox & Friends <US>"}]


def test_cli_export_writes_a_csv_beside_every_chart(tmp_path, monkeypatch):
    from compare.cli import main

    from .conftest import SEEDS

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    out = tmp_path / "charts"
    assert main(["export", str(SEEDS), "--out", str(out), "--format", "svg", "--quiet"]) == 0
    names = {path.name for path in out.iterdir()}
    images = {name.rsplit(".", 1)[0] for name in names if not name.endswith(".csv")}
    assert images and {f"chart_{image}.csv" for image in images} <= names


def test_quotes_in_labels_show_as_quotes_and_markup_stays_text(seeds_analysis):
    """Plotly decodes &amp; &lt; &gt; (and numeric entities) but not &quot;: labels showed a literal "&quot;"."""
    import copy
    import shutil

    from compare.views import charts
    from compare.views.tables import cross_outlet_claims

    analysis = copy.deepcopy(seeds_analysis.to_dict())
    first = cross_outlet_claims(analysis)[0]["statement_ids"][0]
    statement = next(statement for statement in analysis["statements"] if statement["id"] == first)
    statement["text"] = 'Putin\'s aide said "no" & <b>left</b>'
    figure = charts.coverage_heatmap(analysis)
    label = figure.data[0].y[0]
    assert label.endswith('Putin\'s aide said "no" &amp; &lt;b&gt;left&lt;/b&gt;')
    assert "&quot;" not in label and "&#x27;" not in label
    if not shutil.which("chromium"):
        return
    svg, produced = charts.export_figure(figure, "svg")
    assert produced == "svg"
    assert b"&amp;quot;" not in svg and b"&amp;#x27;" not in svg and b"<b>" not in svg
