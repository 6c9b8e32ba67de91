"""Charts a keyboard user can pass (issue "Left" of session 13's tours): plotly's mode bar put 8 Tab stops per chart
on the story page and 11 in the HTML report. Counted in Chromium by pressing Tab across the page, on the golden
BASIL10 analysis (real articles, the real model's output, pinned by tests/test_golden.py)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from .conftest import CHROMIUM, serve_dashboard

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
GOLDEN = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
# Where the focus is after a Tab: the index of the chart it is in (-1 outside every chart), or null on the body.
_FOCUSED = """() => {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return null;
    const plot = focused.closest('.js-plotly-plot');
    return plot ? [...document.querySelectorAll('.js-plotly-plot')].indexOf(plot) : -1;
}"""


def _golden() -> dict:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def _tab_stops_per_chart(page, presses: int = 600) -> tuple[Counter[int], int]:
    """Tab pressed from the top of the page to its end: the stops inside each chart, and the stops in all."""
    stops: Counter[int] = Counter()
    passed = 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        where = page.evaluate(_FOCUSED)
        if where is None:
            break
        passed += 1
        if where >= 0:
            stops[where] += 1
    return stops, passed


@pytest.fixture(scope="module")
def saved_basil10(tmp_path_factory) -> Path:
    """The golden BASIL10 analysis saved as `analyze --out` saves one (zero vectors: the map's are not compared)."""
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    basil10 = _golden()
    folder = tmp_path_factory.mktemp("basil10")
    save_analysis(analysis_from_dict(basil10, np.zeros((len(basil10["statements"]), 384), np.float32)), folder)
    return folder


def test_each_chart_of_the_story_page_is_one_tab_stop(saved_basil10, browser):
    """Plotly's zoom, pan, autoscale... buttons were 8 stops of the story chart; the chart's downloads are our own
    buttons under it, so of the mode bar only Streamlit's Fullscreen is left."""
    with serve_dashboard({"PARALLAX_ANALYSIS": str(saved_basil10)}) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{base}/?page=Compare+a+story")
        page.wait_for_selector("text=Aligned statements", timeout=300_000)
        page.wait_for_selector(".js-plotly-plot .modebar", state="attached", timeout=120_000)
        charts = page.locator(".js-plotly-plot").count()
        stops, passed = _tab_stops_per_chart(page)
        page.close()
    assert charts >= 1 and passed > 20  # the page's links and widgets were passed, not one stop
    assert len(stops) == charts  # every chart still reachable: its Fullscreen
    assert max(stops.values()) == 1, stops


def test_each_chart_of_the_report_is_one_tab_stop(tmp_path, browser):
    """In the report each chart kept 11 stops (and plotly's "Share chart...", which uploads the chart to Plotly's
    cloud from a report made to be read offline); now its PNG download only, the report having no other."""
    from compare.ingest import load_registry
    from compare.views.report import render_report

    report = tmp_path / "report.html"
    report.write_text(render_report(_golden(), None, load_registry()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(report.as_uri())
    # a story opened (not by a click, which would start the Tab order there): its chart drawn too
    page.evaluate("() => { document.querySelector('details.story').open = true }")
    page.wait_for_timeout(1000)
    charts = page.locator(".js-plotly-plot").count()
    stops, passed = _tab_stops_per_chart(page)
    titles = page.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.dataset.title)")
    page.close()
    assert charts >= 7 and passed > charts
    assert len(stops) == charts and max(stops.values()) == 1, stops
    assert set(titles) == {"Download plot as a PNG"}
