from __future__ import annotations

from pathlib import Path

import pytest

from compare.views.html import highlighted_html

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    return AppTest.from_file(DASHBOARD, default_timeout=240)


def test_overview_shows_outlets_and_writes_the_url(app):
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert set(table["outlet"]) == {"China Daily", "English News (India)", "Stock Groups", "The Guardian"}
    assert app.query_params["page"] == ["Overview"] or app.query_params["page"] == "Overview"


def test_shared_link_reproduces_the_story_view(app, monkeypatch):
    """On two earthquakes each told by Reuters and The Guardian: the seeds (five events since issue 13) have
    no story told by two outlets."""
    import json

    from streamlit.testing.v1 import AppTest

    from .conftest import EVENTS

    monkeypatch.setenv("PARALLAX_CORPUS", str(EVENTS / "italy_quakes.jsonl"))
    app.query_params["page"] = "Compare a story"
    app.run()
    wanted = app.selectbox(key="px_story").value  # the story the page opens on, by id
    again = AppTest.from_file(DASHBOARD, default_timeout=240)
    again.query_params["page"] = "Compare a story"
    again.query_params["story"] = wanted
    again.run()
    assert not again.exception
    assert again.selectbox(key="px_story").value == wanted
    cards = " ".join(element.value for element in again.markdown)
    assert "Reuters" in cards and "The Guardian" in cards  # their headline cards, one event's two
    headlines = [json.loads(line)["title"] for line in (EVENTS / "italy_quakes.jsonl").read_text().splitlines()]
    assert len([headline for headline in headlines if headline in cards]) == 2


def test_the_first_run_leads_to_a_story_told_by_two_outlets(app):
    """The default start (the seeds: five separate events) says there is nothing to compare and offers the sample
    corpus; one click opens it, the link names it (a name, not a path), and the story page shows two outlets."""
    app.run()
    assert not app.exception
    offer = app.button(key="px_open_sample")
    assert offer.label == "Open the sample corpus: 3 outlets, 6 events"
    # The seeds' shared facts (troops, Minsk, Normandy: standing facts repeated by reports of different events) are
    # counted in the metrics above; the note says what they are, so "no story told twice" does not contradict them.
    note = " ".join(info.value for info in app.info)
    assert "No story here is told by two or more outlets" in note
    assert "shared facts counted above are background" in note
    offer.click().run()
    assert not app.exception
    assert app.query_params["corpus"] in ("sample", ["sample"])
    assert not any(button.key == "px_open_sample" for button in app.button)  # offered no more: stories to compare
    app.sidebar.radio(key="px_page").set_value("Compare a story").run()
    assert not app.exception
    page = " ".join(element.value for element in app.markdown)
    assert "from 2 outlets" in page
    assert "SAMPLE WIRE" in page.upper() and ("SAMPLE DAILY" in page.upper() or "SAMPLE GAZETTE" in page.upper())


def test_a_link_names_a_built_in_corpus_never_a_path():
    from compare.views.url_state import settings_from_query, share_state

    assert settings_from_query({"corpus": "sample"})["corpus"] == "sample"
    for hostile in ("/etc/passwd", "../seeds", "SAMPLE", ""):
        assert settings_from_query({"corpus": hostile})["corpus"] == "seeds"
    settings = {**settings_from_query({"corpus": "sample"}), "page": "Overview"}
    assert share_state(settings, None, None)["corpus"] == "sample"
    assert "corpus" not in share_state({**settings, "corpus": "seeds"}, None, None)


def test_outlets_and_map_pages_render(app):
    for page in ("Outlets", "Map"):
        app.query_params["page"] = page
        app.run()
        assert not app.exception, page


def test_highlighting_escapes_article_text():
    hostile = 'Kyiv <script>alert(1)</script> said "<img src=x onerror=alert(2)>" today'
    rendered = highlighted_html(hostile, "Kiev said today")
    assert "<script>" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;" in rendered


def test_markdown_and_chart_labels_are_escaped():
    from compare.views import charts
    from compare.views.html import escape_markdown
    from compare.views.url_state import share_query

    assert escape_markdown("[click](javascript:alert(1)) **bold** :red[x]") == (
        "\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\*\\*bold\\*\\* \\:red\\[x\\]"
    )
    assert share_query({"page": "Compare a story", "model": "a&b=c"}) == "?page=Compare+a+story&model=a%26b%3Dc"
    rows = [{"outlet": "<b>Evil</b>", "side": "x", "share": 1.0}]
    figure = charts.share_bars(rows, "side", "title")
    assert "<b>" not in str(figure.data[0].y) and "&lt;b&gt;Evil" in str(figure.data[0].y)


def test_export_falls_back_to_html_without_a_browser(monkeypatch):
    from compare.views import charts
    from compare.views.charts import export

    def no_browser() -> None:
        raise RuntimeError("no chromium")

    monkeypatch.setattr(export, "_start_kaleido", no_browser)
    figure = charts.share_bars([{"outlet": "A", "side": "x", "share": 1.0}], "side", "title")
    content, produced = charts.export_figure(figure, "png", timeout_s=5)
    assert produced == "html"
    assert b"<html" in content[:300].lower()


def test_export_png_and_svg_with_chromium():
    import shutil

    from compare.views import charts

    if not shutil.which("chromium"):
        pytest.skip("no chromium")
    figure = charts.share_bars([{"outlet": "A", "side": "x", "share": 1.0}], "side", "title")
    png, produced_png = charts.export_figure(figure, "png")
    svg, produced_svg = charts.export_figure(figure, "svg")
    assert produced_png == "png" and png.startswith(b"\x89PNG")
    assert produced_svg == "svg" and b"<svg" in svg[:500]


def test_exported_svg_keeps_hostile_labels_inert():
    import shutil

    from compare.views import charts

    if not shutil.which("chromium"):
        pytest.skip("no chromium")
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    figure = charts.share_bars([{"outlet": hostile, "side": hostile, "share": 1.0}], "side", "title")
    svg, produced = charts.export_figure(figure, "svg")
    assert produced == "svg"
    assert b"<script" not in svg and b"<img" not in svg  # present only as escaped text
    assert b"&#60;script&#62;" in svg or b"&lt;script&gt;" in svg  # the text is there, as text


@pytest.mark.parametrize("layout", ["store", "analysis.json"])
def test_dashboard_shows_a_saved_analysis_from_the_cli(seeds_analysis, tmp_path, monkeypatch, layout):
    """`analyze --out DIR` then PARALLAX_ANALYSIS=DIR: the dashboard shows it without re-analysing (the
    store, or an older version's analysis.json and vectors.npy)."""
    import json

    import numpy as np
    from streamlit.testing.v1 import AppTest

    from compare.pipeline import save_analysis

    saved = tmp_path / "saved"
    saved.mkdir()
    if layout == "store":
        save_analysis(seeds_analysis, saved)
    else:
        (saved / "analysis.json").write_text(json.dumps(seeds_analysis.to_dict()), encoding="utf-8")
        np.save(saved / "vectors.npy", seeds_analysis.vectors)
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved))
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "unused.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    assert not app.exception
    assert any("saved analysis" in caption.value for caption in app.sidebar.caption)
    assert app.metric[0].value == str(len(seeds_analysis.articles))
    app.radio(key="px_page").set_value("Map").run()
    assert not app.exception
    assert app.get("plotly_chart")  # the map, drawn from the saved vectors
    assert not (tmp_path / "unused.sqlite3").exists()  # nothing was embedded


def test_a_damaged_saved_analysis_is_reported_without_its_server_path(tmp_path, monkeypatch, caplog):
    from streamlit.testing.v1 import AppTest

    (tmp_path / "analysis.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(tmp_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    assert not app.exception
    shown = app.error[0].value
    assert "saved analysis" in shown and "cannot be read" in shown and "server log" in shown
    assert tmp_path.name not in shown and tmp_path.name not in " ".join(caption.value for caption in app.caption)
    assert f"{tmp_path / 'analysis.json'}: cannot read the saved analysis" in caplog.text  # for whoever runs it


def test_a_shared_link_with_bad_values_falls_back_instead_of_crashing():
    from compare.views.url_state import settings_from_query

    linked = settings_from_query({"threshold": "abc", "story_threshold": "5", "backend": "gpu", "seeds": "0"})
    assert linked["claim_threshold"] == 0.65  # not a number: the default
    assert linked["story_threshold"] == 0.7  # clamped to the slider's range
    assert linked["with_seeds"] is False
    assert "backend" not in linked and "model" not in settings_from_query({"model": "/etc/passwd"})  # view state only
    assert settings_from_query({"threshold": "nan"})["claim_threshold"] == 0.65


def test_views_import_no_stage_that_computes():
    """compare.views draws analyses made elsewhere: data types and itself only, and streamlit in the page modules only."""
    import ast

    imports = []
    for path in sorted((Path(__file__).resolve().parent.parent / "compare" / "views").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports += [(path.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                imports.append((path.name, node.module or ""))
    allowed = ("compare.views", "compare.model")  # the layers: views read the model only
    ours = [(file, name) for file, name in imports if name.split(".")[0] == "compare" and name != "compare"]
    assert ours and [(file, name) for file, name in ours if not name.startswith(allowed)] == []
    # the package itself only for its __version__ (export captions): its __init__ imports nothing
    assert {file for file, name in imports if name == "compare"} <= {"export.py"}
    pages = {"pages.py", "pages_story.py", "pages_charts.py"}
    assert {file for file, name in imports if name.split(".")[0] == "streamlit"} <= pages


def test_a_link_without_thresholds_shows_the_clustering_defaults():
    from compare.cluster import CLAIM_THRESHOLD, STORY_THRESHOLD
    from compare.views.url_state import DEFAULT_CLAIM_THRESHOLD, DEFAULT_STORY_THRESHOLD

    assert (DEFAULT_CLAIM_THRESHOLD, DEFAULT_STORY_THRESHOLD) == (CLAIM_THRESHOLD, STORY_THRESHOLD)
