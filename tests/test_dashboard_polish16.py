"""What the fifth tour left (docs/dashboard.md, "A fifth tour"): counts of big corpora read with a thousands
separator, and a fact's "reported by …; not by …" line of a many-outlet story stays short. Each test failed before
its fix.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.test_dashboard_tour15 import _copies

GOLDEN = Path(__file__).resolve().parent / "golden"
# ECB+'s story told by 19 outlets (``/tmp/tour15/ecb``, story-8520fcb93bbb), as its outlets are named.
ECB_OUTLETS = [f"ecb-12_{number}ecb" for number in range(1, 20)]


def test_counts_of_four_digits_read_with_a_thousands_separator():
    """BASIL under 102 outlet names: the report said "10200 articles from 102 outlets, 251158 statements" and an
    exported chart's source line "10200 articles". They now read "10,200" (BASIL10's golden analysis under 40 sets
    of outlet names: 1,200 articles); the figures a chart exports stay plain numbers."""
    from compare.ingest import load_registry
    from compare.views.charts import timeline
    from compare.views.charts.export import export_caption, figure_rows
    from compare.views.report import render_report

    analysis = _copies(json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes())), 40)
    statements = len(analysis["statements"])
    assert len(analysis["articles"]) == 1200 and statements >= 1000
    page = render_report(analysis, None, load_registry())
    assert f"1,200 articles from 120 outlets, {statements:,} statements" in page
    assert export_caption(analysis).startswith("1,200 articles, ")
    assert all("," not in str(row["y"]) for row in figure_rows(timeline(analysis)))


def test_a_fact_of_many_outlets_names_the_few_and_counts_the_rest():
    """ECB+'s story told by 19 outlets listed all 19 names under each of its 52 facts ("reported by ecb-12_15ecb,
    ecb-12_16ecb, …; not by …"). Past six outlets the line names the short side and counts the other, and every
    name stays in a fold under it, escaped; a story of three outlets reads as before."""
    from compare.views.story_html import reported_by_html

    hostile = "<img src=x onerror=alert(1)>"
    most = reported_by_html(ECB_OUTLETS[:17], [ECB_OUTLETS[17], hostile])
    line, names = most.split("<details>")
    assert line == "reported by 17 of 19 outlets: all but <b>ecb-12_18ecb and &lt;img src=x onerror=alert(1)&gt;</b>"
    assert all(outlet in names for outlet in ECB_OUTLETS[:18]) and "&lt;img" in names and "<img" not in most
    few = reported_by_html(ECB_OUTLETS[:2], ECB_OUTLETS[2:])
    assert (
        few.split("<details>")[0] == "reported by <b>ecb-12_1ecb and ecb-12_2ecb</b> only; not by the other 17 outlets"
    )
    half = reported_by_html(ECB_OUTLETS[:7], ECB_OUTLETS[7:])
    assert half.split("<details>")[0] == "reported by 7 of 19 outlets; not by 12"
    assert reported_by_html(["Fox News", "HuffPost"], ["The New York Times"]) == (
        "reported by <b>Fox News, HuffPost</b>; not by <b>The New York Times</b>"
    )


def test_a_report_charts_png_carries_the_source_line_the_dashboards_exports_carry(tmp_path, browser):
    """The report's PNG button (plotly's own) saved a chart without a word on where it came from; the dashboard's
    exports say the corpus, its articles, dates and outlets and the Parallax version (``export_caption``). The
    report's button now downloads the chart with that line as its subtitle (on BASIL10's golden analysis)."""
    import pytest

    from compare.ingest import load_registry
    from compare.views.charts.export import export_caption
    from compare.views.report import render_report

    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    analysis = json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes()))
    report = tmp_path / "report.html"
    report.write_text(render_report(analysis, None, load_registry()), encoding="utf-8")
    dialogs: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report.as_uri())
    # what each download was made of, then the download itself
    page.evaluate(
        "() => {window.subtitles = []; const download = Plotly.downloadImage; Plotly.downloadImage = (figure, "
        "options) => {window.subtitles.push(figure.layout.title.subtitle.text); return download(figure, options)}}"
    )
    chart = page.locator("#plot-frames")
    chart.hover()
    with page.expect_download() as download:
        chart.locator(".modebar-btn").click()
    assert download.value.suggested_filename == "parallax-frames.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.evaluate("window.subtitles") == [export_caption(analysis)]
    assert export_caption(analysis).startswith("30 articles, ") and not dialogs
