"""The fourth tour (docs/dashboard.md, "A fourth tour"): what a journalist, a teacher and a fact-checker tripped
over, each fixed with a test that failed before its fix. They read the golden analyses (real articles, the real
model's output, pinned by tests/test_golden.py), saved as `analyze --out` saves one.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _golden(name: str) -> dict[str, Any]:
    return json.loads(gzip.decompress((GOLDEN / f"{name}.analysis.json.gz").read_bytes()))


@pytest.fixture(scope="module")
def saved_basil10(tmp_path_factory) -> Path:
    """The golden BASIL10 analysis saved as `analyze --out` saves one (zero vectors: the map's are not compared)."""
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    basil10 = _golden("basil10")
    folder = tmp_path_factory.mktemp("basil10")
    vectors = np.zeros((len(basil10["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(basil10, vectors), folder)
    return folder


def _shared_link(app) -> dict[str, str]:
    """The query of the link box's link, as a colleague's browser would send it."""
    link = app.sidebar.code[0].value
    return dict(parse_qsl(urlsplit(link).query))


def _opened(params: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def test_a_shared_link_keeps_each_pages_own_choices(saved_basil10, monkeypatch):
    """A journalist on the Outlets page chose "Share of voices: …" by year and sent the link: the colleague saw
    "Mean tone by month". The Overview's "most disputed" claims came back "most omitted", the Map coloured by
    story where it was by outlet. The link now keeps each page's own choices, and only where they differ from
    what the page opens on."""
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(DASHBOARD, default_timeout=180).run()
    assert not app.exception
    assert "order" not in _shared_link(app)  # the page as it opens: nothing to add to the link
    app.radio(key="px_claim_order").set_value("disputed").run()
    overview = _opened(_shared_link(app))
    assert overview.radio(key="px_claim_order").value == "disputed"
    assert overview.get("plotly_chart")[1].proto.spec == app.get("plotly_chart")[1].proto.spec  # the same rows

    app.sidebar.radio(key="px_page").set_value("Outlets").run()
    measures = app.selectbox(key="px_drift_measure").options
    side = next(number for number, label in enumerate(measures) if label.startswith("Share of voices"))
    app.selectbox(key="px_drift_measure").select_index(side).run()
    app.radio(key="px_drift_period").set_value("year").run()
    assert not app.exception
    link = _shared_link(app)
    assert link["page"] == "Outlets" and link["by"] == "year" and link["measure"].startswith("side:")
    outlets = _opened(link)
    assert outlets.selectbox(key="px_drift_measure").value == app.selectbox(key="px_drift_measure").value
    assert outlets.radio(key="px_drift_period").value == "year"
    drift = [chart.proto.spec for chart in outlets.get("plotly_chart") if "by year" in chart.proto.spec]
    assert drift and "Share of voices" in drift[0]

    app.sidebar.radio(key="px_page").set_value("Map").run()
    app.radio(key="px_map_colour").set_value("outlet").run()
    assert _opened(_shared_link(app)).radio(key="px_map_colour").value == "outlet"


def test_a_link_naming_an_unknown_choice_opens_the_page_as_usual():
    """A link is untrusted: a measure the analysis lacks (or any text) leaves the page's own opening choice."""
    from compare.views.url_state import linked_view

    linked = linked_view({"measure": "side:<script>", "by": "decade", "order": "disputed"})
    assert linked.option_index("measure", ["tone", "side:Democrats"]) == 0
    assert linked.option_index("by", ["month", "year"]) == 0
    assert linked.option_index("order", ["outlets", "omitted", "disputed"]) == 2
    assert linked_view({}).option_index("order", ["outlets", "omitted", "disputed"]) == 1  # most omitted


def _ecb_summaries():
    """ECB+ dev's gold events as the story list names them: undated, each document its own outlet."""
    from collections import defaultdict

    from compare.views.story import StorySummary

    from .conftest import BASIL

    corpus = BASIL.parent / "ecbplus-dev" / "input.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} is not here")
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in corpus.read_text(encoding="utf-8").splitlines():
        document = json.loads(line)
        events[document["story"]].append(document)
    return [
        StorySummary(event, documents[0]["title"], (), None, None, tuple(d["outlet"] for d in documents), len(documents), len(documents), "")
        for event, documents in events.items()
    ]  # fmt: skip


def test_a_story_list_cell_of_many_outlets_or_a_long_headline_ends_inside_its_row():
    """ECB+ at 1400 px: "19 outlets: ecb-12_10ecb, ecb-12_11ecb, …" named all 19 in a cell of three lines, the
    fourth name cut in half at the row's edge; a 180-character first sentence as a headline too. On a phone the
    one-column list showed the headline and the outlets, never "19 articles · undated". A cell now names the
    outlets three lines hold and how many more, and the headline leaves room for the rest."""
    from compare.views.story import (
        LIST_OUTLET_NAMES_CHARS,
        NARROW_CELL_CHARS,
        NARROW_HEADLINE_MIN_CHARS,
        cut_at_word,
        outlets_named,
        story_list_cell,
    )

    summaries = _ecb_summaries()
    assert max(len(summary.outlets) for summary in summaries) >= 19
    assert max(len(summary.headline) for summary in summaries) > 150
    for summary in summaries:
        cell = outlets_named(summary.outlets)
        many = len(summary.outlets)
        if many > 3:
            count, _, names = cell.partition(": ")
            assert count == f"{many} outlets"
            names, _, more = names.rpartition(" and ")
            assert more == f"{many - len(names.split(', '))} more"
            assert len(names) <= LIST_OUTLET_NAMES_CHARS or ", " not in names  # one long name stays whole
        narrow = story_list_cell(summary)
        assert narrow.endswith(f"· {many} article{'s' if many != 1 else ''} · undated")
        assert len(narrow) <= NARROW_CELL_CHARS or len(narrow.partition(" — ")[0]) <= NARROW_HEADLINE_MIN_CHARS
        assert narrow.startswith(cut_at_word(summary.headline, 200).removesuffix("…")[:40])
    navy = next(summary for summary in summaries if "Indian Navy on Saturday" in summary.headline)
    assert outlets_named(navy.outlets).startswith(f"{len(navy.outlets)} outlets: ")
    long = cut_at_word(navy.headline, 120)
    assert long.endswith("…") and len(long) <= 120 and navy.headline.startswith(long[:-1])
    assert not long[:-1].endswith(" ")  # cut at a word
    basil = ("Fox News", "HuffPost", "The New York Times")
    assert outlets_named(basil) == "Fox News, HuffPost, The New York Times"  # three: named, as before


@pytest.fixture(scope="module")
def basil10_report(tmp_path_factory) -> tuple[dict[str, Any], Path]:
    from compare.ingest import load_registry
    from compare.views.report import render_report

    basil10 = _golden("basil10")
    report = tmp_path_factory.mktemp("report") / "report.html"
    report.write_text(render_report(basil10, None, load_registry()), encoding="utf-8")
    return basil10, report


def test_the_reports_claims_chart_opens_on_the_facts_outlets_leave_out(basil10_report):
    """The dashboard's claims chart opens on the most omitted facts since the first tour; the report (and
    `export`) still drew the most reported first: on BASIL, 40 rows every outlet reports, one blue wall under
    "Which outlet reports which shared fact", in the handout a teacher printed."""
    from compare.views.charts import all_charts

    basil10, _ = basil10_report
    coverage = all_charts(basil10)["coverage"]
    assert coverage.layout.title.text.endswith("most omitted first")
    assert any(0 in row for row in coverage.data[0].z)  # a fact an outlet leaves out: a white cell


def test_the_report_says_under_each_chart_what_it_shows_and_cannot_see(basil10_report):
    """A teacher explaining the printed report to a class had titles only: nothing said what a frame is, that tone
    is a word list's reading, where n is, or that a white cell is a fact left out. Each kind of chart now has its
    note under it (once for the outlets' distinctive terms), as on the dashboard."""
    import html

    from compare.views.charts import CHART_NOTES

    _, report = basil10_report
    text = report.read_text(encoding="utf-8")
    for kind in ("timeline", "coverage", "voices", "frames", "tone", "drift", "terms"):
        assert text.count(html.escape(CHART_NOTES[kind])) == 1, kind
    assert "VADER" in CHART_NOTES["tone"] and "(n)" in CHART_NOTES["voices"] and "65%" in CHART_NOTES["frames"]


def test_a_printed_report_prints_only_the_stories_opened(basil10_report, browser):
    """Every story printed open, each on its own page: BASIL's report was 524 A4 pages, and a teacher wanted two
    stories for a class. With stories opened, only those print; with none opened, every story does, as before."""
    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    _, report = basil10_report
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # an A4 page's width
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(report.as_uri())
    printed = "() => [...document.querySelectorAll('details.story')].filter(d => d.checkVisibility()).map(d => d.id)"
    stories = page.evaluate("() => [...document.querySelectorAll('details.story')].map(d => d.id)")
    assert len(stories) >= 5
    page.emulate_media(media="print")
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(printed) == stories  # none opened: the whole report
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert not page.evaluate("() => document.querySelectorAll('details.story[open]').length")  # folded again
    for chosen in (stories[1], stories[3]):
        page.locator(f"details.story[id='{chosen}'] > summary").click()
    page.emulate_media(media="print")
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(printed) == [stories[1], stories[3]]
    only_here = f"details.story[id='{stories[1]}'] details.only"
    assert page.locator(only_here).count() and all(
        page.evaluate(
            "s => [...document.querySelectorAll(s)].map(d => [...d.children].some(c => c.tagName !== 'SUMMARY' && c.checkVisibility()))",
            only_here,
        )
    )  # an opened story prints whole, its "only here" lists open
    page.close()


_TEXT_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")


def _contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of a #rgb or #rrggbb text colour on white."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_story_pages_and_reports_small_text_is_readable(saved_basil10, basil10_report, monkeypatch):
    """A reader with weak sight (WCAG AA, 4.5:1 for small text) could hardly read "— not in Fox News —" (#999 on
    white: 2.8:1) in the aligned statements or "scroll the list for all 22" (#888: 3.5:1) under the key
    differences, on the story page and in the report. Every text colour the story page and the report's stories
    set is now 4.5:1 or more; a list that scrolls takes the keyboard's focus, so arrow keys scroll it; an outlet's
    colour key (■) is hidden from screen readers, which read it "black square"."""
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    app.run()
    assert not app.exception and app.get("markdown")
    drawn = "".join(element.value for element in app.get("markdown"))
    _, report = basil10_report
    stories = report.read_text(encoding="utf-8").split("<section id='stories'>")[1]  # past the charts' plotly.js
    styles = report.read_text(encoding="utf-8").split("<style>")[1].split("</style>")[0]
    for html_text in (drawn, stories, styles):
        # an outlet's colour key (■) is no text, and a screen reader skips it
        colours = set(_TEXT_COLOUR.findall(re.sub(r'<span aria-hidden="true"[^>]*>■</span>', "", html_text)))
        assert colours
        faint = {colour: round(_contrast_on_white(colour), 1) for colour in colours if _contrast_on_white(colour) < 4.5}
        assert not faint, faint
    assert "— not in " in drawn and "scroll the list for all" in drawn and 'aria-hidden="true"' in drawn
    assert all(
        'tabindex="0"' in box.split(">")[0] for box in drawn.split("<div")[1:] if "overflow-y:auto" in box.split(">")[0]
    )


def test_a_screen_reader_finds_each_key_difference_by_its_heading(saved_basil10, monkeypatch):
    """A screen reader's list of the story page's headings went from "Key differences" to "Aligned statements":
    the seven kinds of difference between them (facts only some outlets report, words, voices, placement, quote
    edits, loaded words, tone) were bold lines. Each is now a heading under "Key differences"."""
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    app.run()
    assert not app.exception
    drawn = "".join(element.value for element in app.get("markdown"))
    headings = [re.sub(r"<[^>]+>", "", heading) for heading in re.findall(r"<h4[^>]*>(.*?)</h4>", drawn)]
    titles = [re.sub(r" \(\d+\)$", "", heading) for heading in headings]
    assert titles == [
        "Facts only some outlets report",
        "Words for the same thing",
        "Who is quoted or cited",
        "Where shared facts (two or more outlets) are placed",
        "Quote edits",
        "Loaded words",
        "Tone of the wording",
    ]
    assert [subheader.value for subheader in app.subheader][-3:] == [
        "Key differences",
        "Aligned statements",
        "Only here",
    ]
