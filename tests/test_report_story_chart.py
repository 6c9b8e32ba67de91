"""The story chart ("How each outlet told it") in the HTML report: the dashboard's story page had it since session
13 and the report, made of the same story pieces, did not. On the golden BASIL10 analysis (real articles, the real
model's output, pinned by tests/test_golden.py)."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest

from .conftest import CHROMIUM

GOLDEN = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
HOSTILE = "<img src=x onerror=alert(1)>"
# The figure beside each story's chart: drawn from it when the story opens.
_FIGURE = re.compile(r"<div class='lazy-plot' data-config='[^']*'></div><script type='application/json'>(.*?)</script>")


def _golden() -> dict:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def _report(analysis: dict) -> str:
    from compare.ingest import load_registry
    from compare.views.report import render_report

    return render_report(analysis, None, load_registry())


def _sections(page: str) -> dict[str, str]:
    """Each story's section of the report by story id."""
    starts = [(match.start(), match[1]) for match in re.finditer(r"<details class='story' id='([^']+)'>", page)]
    ends = [start for start, _ in starts[1:]] + [page.index("</section>", starts[-1][0])]
    return {story: page[start:end] for (start, story), end in zip(starts, ends)}


def _browser_page(browser, report: Path, dialogs: list[str]):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(report.as_uri())
    return page


def test_each_story_of_the_report_has_the_story_pages_chart_with_its_numbers_and_note():
    """Per outlet: the shared facts it reports and leaves out, its statements only it reports, its quoted ones; the
    very rows the story page draws (``telling_rows``), with the page's lead (its n) and the chart's note."""
    from compare.views.aligned import aligned_story, telling_lead, telling_rows
    from compare.views.charts import CHART_NOTES
    from compare.views.differences import key_differences, story_scope

    analysis = _golden()
    sections = _sections(_report(analysis))
    compared = [story for story in analysis["stories"] if len(story["outlets"]) >= 2]
    assert len(sections) == len(compared) >= 5
    for story in compared:
        section = sections[story["id"]]
        scope = story_scope(analysis, story["id"])
        aligned = aligned_story(analysis, scope)
        rows = telling_rows(aligned, key_differences(analysis, scope))
        figure = json.loads(_FIGURE.search(section)[1])
        drawn = {  # a panel per measure (tour15), its bars named by their outlets
            (outlet, trace["name"]): count for trace in figure["data"] for outlet, count in zip(trace["y"], trace["x"])
        }
        assert drawn == {(row["outlet"], row["measure"]): row["count"] for row in rows}
        assert figure["layout"]["title"]["text"].startswith("How each outlet told it")
        assert html.escape(telling_lead(aligned, rows)) in section
        assert html.escape(CHART_NOTES["story"]) in section
        # after the key differences, before the aligned facts, as on the story page
        assert section.index("Key differences") < section.index("lazy-plot") < section.index("Reported by two or more")


def test_a_hostile_outlet_name_in_the_story_chart_is_text(tmp_path, browser):
    """Outlet names and headlines come from the input: one named ``<img src=x onerror=alert(1)>`` is written
    escaped in the chart's figure and drawn by plotly as text, beside its bars, with no image and no alert."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    analysis = json.loads(json.dumps(_golden()).replace('"Fox News"', json.dumps(HOSTILE)))
    story = next(story for story in analysis["stories"] if HOSTILE in story["outlets"])
    first = next(article for article in analysis["articles"] if article["id"] == story["article_ids"][0])
    first["title"] = HOSTILE + " headline"
    text = _report(analysis)
    assert HOSTILE not in text and "<img" not in text.lower()
    section = _sections(text)[story["id"]]
    figure = json.loads(_FIGURE.search(section)[1])
    assert html.escape(HOSTILE) in {name for trace in figure["data"] for name in trace["y"]}  # plotly's text, escaped
    report = tmp_path / "report.html"
    report.write_text(text, encoding="utf-8")
    dialogs: list[str] = []
    page = _browser_page(browser, report, dialogs)
    page.locator(f"details.story[id='{story['id']}'] > summary").click()
    chart = page.locator(f"details.story[id='{story['id']}'] div.lazy-plot.js-plotly-plot")
    chart.locator(".ytick text").first.wait_for(timeout=30_000)
    names = chart.locator(".ytick text").all_text_contents()  # each panel names its bars' outlets
    title = chart.locator(".gtitle").all_text_contents()
    images = page.evaluate('() => document.querySelectorAll(\'img[src="x"], image[href="x"]\').length')
    page.wait_for_timeout(500)
    page.close()
    assert HOSTILE in names and any(HOSTILE in line for line in title)
    assert not images and not dialogs


def test_story_charts_are_drawn_when_their_story_opens_and_before_printing(tmp_path, browser):
    """Drawn at load, BASIL's 99 story charts would slow the page and take plotly's default width folded: each is
    drawn when its story opens; printed, the stories that print have theirs (all when none is open), and every
    chart is as wide as the page."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    report = tmp_path / "report.html"
    report.write_text(_report(_golden()), encoding="utf-8")
    dialogs: list[str] = []
    page = _browser_page(browser, report, dialogs)
    drawn = "() => [...document.querySelectorAll('div.lazy-plot.js-plotly-plot')].map(p => p.closest('details').id)"
    stories = page.evaluate("() => [...document.querySelectorAll('details.story')].map(d => d.id)")
    assert page.locator("div.lazy-plot").count() == len(stories) and page.evaluate(drawn) == []
    page.locator(f"details.story[id='{stories[2]}'] > summary").click()
    page.wait_for_function("() => document.querySelector('div.lazy-plot.js-plotly-plot .ytick text')")  # drawn
    assert page.evaluate(drawn) == [stories[2]]
    width = page.evaluate(f"() => document.querySelector('details[id=\"{stories[2]}\"] .main-svg').clientWidth")
    assert width > 900  # the story's width at 1440 px, not plotly's default 700 px
    page.emulate_media(media="print")
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")  # one story open: only it prints, drawn
    assert page.evaluate(drawn) == [stories[2]]
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")
    page.locator(f"details.story[id='{stories[2]}'] > summary").click()  # folded again: none open
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")  # every story prints, each with its chart
    assert sorted(page.evaluate(drawn)) == sorted(stories)
    widths = "() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => plot.querySelector('.main-svg').clientWidth)"
    printed = page.evaluate(widths)
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    shown = page.evaluate(widths)
    page.close()
    # printed, every chart (the report's and the stories') fits an A4 page (plotly kept the screen's 1,172 px)
    assert len(printed) >= len(stories) + 7 and max(printed) <= 700, printed
    assert min(shown) > 900  # the window's width again after


def test_a_story_opened_on_a_phone_keeps_the_phones_width(tmp_path, browser):
    """At 390 px an opened story made the report 882 px wide (BASIL): its aligned facts' table kept a column per
    outlet as wide as a card's longest badge. Now the facts stack on a phone, each card naming its outlet, and the
    chart's headline ends inside the chart (60 characters of it ran off the right in the report's font)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    report = tmp_path / "report.html"
    report.write_text(_report(_golden()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(report.as_uri())
    stories = page.locator("details.story > summary")
    for number in range(stories.count()):
        stories.nth(number).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.lazy-plot')].every(plot => plot.querySelector('.ytick text'))"
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    overrun = page.evaluate(
        """() => [...document.querySelectorAll('div.lazy-plot')].map(plot =>
            plot.querySelector('.gtitle').getBoundingClientRect().right - plot.getBoundingClientRect().right)"""
    )
    gaps = page.locator("details.story .gap").all_inner_texts()
    page.close()
    assert width <= 390
    assert max(overrun) <= 0, overrun  # "F.B.I. 'Destroyed' Flynn’s Life for Lying, Trump…" (88 characters) too
    assert gaps and all(gap.startswith("— not in ") for gap in gaps)  # a stacked gap still names its outlet


def test_the_reports_story_chart_is_the_dashboards_figure():
    """The report writes each story's figure as plain data (plotly.py's figure took ~20 ms a story to build, 107 on
    BASIL) and the template once: with the template put back, it is the story page's plotly figure, property for
    property, which plotly.py validates (a misspelt property there raises)."""
    from compare.views.aligned import aligned_story, telling_rows
    from compare.views.charts import story_telling_chart
    from compare.views.differences import key_differences, story_scope
    from compare.views.story import story_headline
    from compare.views.tables import outlet_names

    analysis = _golden()
    page = _report(analysis)
    template = json.loads(
        re.search(r"<script type='application/json' id='story-chart-template'>(.*?)</script>", page)[1]
    )
    articles = {article["id"]: article for article in analysis["articles"]}
    sections = _sections(page)
    assert sections
    for story_id, section in sections.items():
        scope = story_scope(analysis, story_id)
        aligned = aligned_story(analysis, scope)
        rows = telling_rows(aligned, key_differences(analysis, scope))
        story = scope.story
        headline = story_headline(story, {key: articles[key] for key in story["article_ids"]})
        dashboard = json.loads(story_telling_chart(rows, headline, outlet_names(analysis)).to_json())
        written = json.loads(_FIGURE.search(section)[1])
        written["layout"]["template"] = template
        assert written == dashboard
