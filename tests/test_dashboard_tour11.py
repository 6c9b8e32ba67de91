"""What the second journalist's tour of the dashboard tripped over (docs/dashboard.md, "A second tour").

Each test failed before its fix. Most read the golden analysis of ten BASIL events (real articles, the real
model's output, pinned by tests/test_golden.py), as the story page draws it.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from compare.views.differences import key_differences, story_scope
from compare.views.story_html import quote_edits_html

GOLDEN = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def basil10() -> dict[str, Any]:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def test_each_quote_edit_of_a_story_has_its_own_title(basil10):
    """ "Trump: Fox News vs HuffPost" five times in one story (and "Liz Cheney: …" twice per pair of outlets): the
    titles told the quotes apart by nothing, one pair was two word-for-word identical quotes, and two were a
    statement set against a different quote of the same claim. Each title now names its quote's opening words."""
    shown = 0
    for story in basil10["stories"]:
        scope = story_scope(basil10, story["id"])
        edits = key_differences(basil10, scope).quote_edits
        page = quote_edits_html(key_differences(basil10, scope))
        titles = [html.unescape(title) for title in re.findall(r'<a href="#[^"]+">(.*?)</a>', page)]
        assert len(titles) == len(edits)
        repeated = {title: count for title, count in Counter(titles).items() if count > 1}
        assert not repeated, (story["id"], repeated)
        for edit, title in zip(edits, titles):
            first = scope.statements[edit["statement_ids"][0]]["text"]
            opening = re.search(r"“(.*?)…?”: ", title)
            assert opening and opening.group(1).rstrip("…") in first, title  # the first outlet's quote
            assert any(mark != "=" and re.search(r"[^\W\d_]", words) for mark, words in edit["diff"]), title
        paired = Counter(
            (sid, other) for edit in edits for sid, other in zip(edit["statement_ids"], edit["outlets"][::-1])
        )
        assert max(paired.values(), default=1) == 1  # a quote set against one quote of each other outlet
        shown += len(edits)
    assert shown >= 10  # the check saw edits


@pytest.fixture(scope="module")
def saved_basil10(basil10, tmp_path_factory) -> Path:
    """The golden analysis saved as `analyze --out` saves one (its vectors are not pinned: zeros, as no page here
    draws the Map)."""
    import numpy as np

    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    folder = tmp_path_factory.mktemp("basil10")
    vectors = np.zeros((len(basil10["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(json.loads(json.dumps(basil10)), vectors), folder)
    return folder


@pytest.fixture(scope="module")
def basil10_server(saved_basil10):
    from .conftest import serve_dashboard

    with serve_dashboard({"PARALLAX_ANALYSIS": str(saved_basil10)}) as base:
        yield base


_HEATMAP_ROW = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.data && p.data[0].type === 'heatmap');
  const rows = plot.data[0].y;
  const box = plot.querySelector('.nsewdrag').getBoundingClientRect();
  const target = plot.data.find(trace => trace.type === 'bar');
  return {x: box.x + box.width / 2, y: box.y + box.height / rows.length * 2.5, claim: rows[2],
          story: target ? target.customdata[2][0] : null};
}"""


def test_a_row_of_the_claims_chart_opens_its_story(basil10, basil10_server, browser):
    """The heatmap's hover named a row's story, but a click did nothing: the reader had to find that headline in
    the story list. Clicking the third row opens the story page on the story of that row's fact."""
    from compare.views.story import story_summaries

    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    headlines = {summary.id: summary.headline for summary in story_summaries(basil10)}
    claims = {claim["id"]: claim for claim in basil10["clusters"]}
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(basil10_server)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && p.data[0].type === 'heatmap')",
        timeout=300_000,
    )
    page.locator("text=Which outlet reports which shared fact").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    row = page.evaluate(_HEATMAP_ROW)
    story = claims[row["claim"]]["story_ids"][0]
    page.mouse.move(row["x"], row["y"])
    page.wait_for_timeout(500)
    page.mouse.click(row["x"], row["y"])
    page.wait_for_selector("text=Aligned statements", timeout=300_000)
    main = page.locator("[data-testid=stMain]")
    assert main.locator("h2").first.inner_text().strip() == headlines[story]
    assert "page=Compare+a+story" in page.url or "compare-a-story" in page.url
    # the link names the opened story: the URL is updated by the rerun that draws the page, which can land a
    # moment after its content (a race seen once in CI), so wait for it rather than read it at once
    page.wait_for_function("story => location.href.includes('story=' + story)", arg=story, timeout=30_000)
    assert f"story={story}" in page.url
    page.close()


_STORY_LIST_SCROLL = """() => {
  const caption = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .find(element => element.innerText.includes('Select a row to open the story'));
  const list = [...document.querySelectorAll('[data-testid=stDataFrame]')]
    .find(table => caption.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING);
  const scroller = list.querySelector('.dvn-scroller');
  return {scroll: scroller.scrollWidth, shown: scroller.clientWidth};
}"""


def test_the_story_list_shows_every_column_at_1400_px(basil10_server, browser):
    """At 1400 px the Overview's story list ran past its right edge: the key entities and the end of "The New
    York Times" sat behind a horizontal scroll. Its columns now fit the table beside the sidebar."""
    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(basil10_server)
    page.wait_for_selector("[data-testid=stMain] >> text=Select a row to open the story", timeout=300_000)
    page.wait_for_function(
        f"() => {{ try {{ return ({_STORY_LIST_SCROLL})().shown > 0; }} catch {{ return false; }} }}"
    )
    page.wait_for_timeout(1500)
    widths = page.evaluate(_STORY_LIST_SCROLL)
    assert widths["shown"] > 800  # the table beside the sidebar
    assert widths["scroll"] <= widths["shown"] + 1, widths  # nothing past the right edge
    page.close()


def test_the_page_icon_is_drawn_in_the_page_not_fetched(basil10_server, browser):
    """The icon "◐" is no emoji to Streamlit, which sent it as the favicon's URL (/%E2%97%90, a 404), after
    importing its emoji list (0.1-0.9 s of a new server's first Overview); a Material icon would be fetched from
    fonts.gstatic.com by every visitor. It is an SVG data: URL now."""
    import base64

    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    page = browser.new_page()
    page.goto(basil10_server)
    page.wait_for_selector("[data-testid=stMain] >> text=Select a row to open the story", timeout=300_000)
    icons = page.evaluate("() => [...document.querySelectorAll('link[rel*=icon]')].map(link => link.href)")
    page.close()
    assert icons and all(icon.startswith("data:image/svg+xml;base64,") for icon in icons), icons
    assert "<circle" in base64.b64decode(icons[0].split(",", 1)[1]).decode()


def test_the_claims_chart_names_its_outlets_above_its_rows_and_its_title_fits(basil10):
    """On the whole of BASIL (1,219 shared facts) the chart's title ran off at 800 px ("40 of 1,219 claims reported
    by two or more outlets, most omitted f"), and its 40 rows are 1,400 px tall, with the outlets named only below
    the last: a reader saw columns without names."""
    from compare.views import charts
    from compare.views.charts.coverage import claim_statements, ordered_claims
    from compare.views.charts.style import _TITLE_LINE
    from compare.views.tables import outlet_names

    claims = ordered_claims(basil10, "omitted")[:40]
    figure = charts.claims_heatmap(claims, 1219, claim_statements(basil10, claims), outlet_names(basil10), "omitted")
    first_line = figure.layout.title.text.split("<br>")[0]
    assert len(first_line) <= _TITLE_LINE and "1,219 shared facts" in first_line  # as the Overview counts them
    assert figure.layout.xaxis.side == "top"
    assert list(figure.data[0].x) == outlet_names(basil10)
    # with many outlets (ECB+: 181) the names stand on end: the margin above the rows holds the title and the longest
    many = [f"outlet-{number}.example.com" for number in range(40)]
    crowded = charts.claims_heatmap(claims, 1219, claim_statements(basil10, claims), many, "omitted")
    assert crowded.layout.xaxis.tickangle == -90 and crowded.layout.title.yref == "container"
    assert crowded.layout.margin.t >= 60 + 6 * len(many[-1])


def test_an_outlets_distinctive_terms_have_its_colour(basil10):
    """The Outlets page's distinctive terms were one blue for every outlet, where Fox News is red in every other
    chart and on the story page (docs/dashboard.md: an outlet has one colour everywhere)."""
    from compare.views import charts
    from compare.views.tables import outlet_names

    in_timeline = {trace.name: trace.marker.color for trace in charts.timeline(basil10).data}
    for outlet in outlet_names(basil10):
        figure = charts.distinctive_terms_chart(basil10["distinctive_terms"], outlet, every=outlet_names(basil10))
        bars = figure.data[0]
        assert len(bars.y) > 5 and bars.marker.color == in_timeline[outlet], outlet
        significant = [row.get("significant") for row in basil10["distinctive_terms"] if row["outlet"] == outlet]
        assert sorted(set(bars.marker.opacity)) == sorted({1.0 if flag else 0.45 for flag in significant[:15]})
    shown = charts.all_charts(basil10)  # the report's and the CLI export's figures: the same colours
    assert {shown[f"terms_{n}"].data[0].marker.color for n in (1, 2, 3)} == set(in_timeline.values())


def test_an_empty_outlet_picker_says_every_outlet_is_shown(saved_basil10, monkeypatch):
    """The Outlets page opened on "Compare outlets: Choose options" above charts of all three outlets: it read as
    if nothing were shown until outlets were picked."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.query_params["page"] = "Outlets"
    app.run()
    assert not app.exception
    picker = app.multiselect(key="px_outlets")
    assert picker.value == [] and picker.proto.placeholder == "all outlets"
    import plotly.io

    voices = plotly.io.from_json(app.get("plotly_chart")[0].proto.spec)
    assert len({name for trace in voices.data for name in trace.y}) == 3  # and all three are drawn


def test_an_undated_corpus_of_many_outlets_says_so_in_its_timeline_and_story_list(basil10):
    """ECB+ (194 articles, 181 outlets, 2 dated): the timeline showed two dots under "Articles by publication date"
    as if there were two articles, and a story list cell of 19 outlets was cut after the fourth, with nothing
    saying how many there were. Here the golden BASIL with two articles in three dated."""
    import copy

    from compare.views import charts
    from compare.views.story import outlets_named

    undated = copy.deepcopy(basil10)
    for number, article in enumerate(undated["articles"]):
        if number % 3:
            article["published"] = None
    dated = sum(1 for article in undated["articles"] if article["published"])
    assert charts.timeline(undated).layout.title.text.endswith(f"({dated} of {len(undated['articles'])} dated)")
    assert charts.timeline(basil10).layout.title.text == "Articles by publication date"  # all dated: no note
    outlets = sorted({article["outlet"] for article in basil10["articles"]})
    assert outlets_named(outlets) == "Fox News, HuffPost, The New York Times"
    many = [f"ecb-12_{number}ecb" for number in range(19)]
    assert outlets_named(many).startswith("19 outlets: ecb-12_0ecb, ecb-12_1ecb")


def test_a_story_of_many_outlets_aligns_its_facts_four_outlets_to_a_line(basil10):
    """ECB+'s story of Maurice Cheeks has 17 outlets: its aligned statements were 17 columns of about 40 px, every
    card a few letters to a line, and the page 135,000 px tall (6.5 minutes to draw at load 9). Past four outlets a
    fact shows the outlets that report it, four to a line; up to four, every outlet's column, as before."""
    from compare.views.aligned import ALIGNED_COLUMNS, aligned_story

    story = next(story for story in basil10["stories"] if len(story["outlets"]) == 3)
    aligned = aligned_story(basil10, story_scope(basil10, story["id"]))
    assert aligned.shared and all(claim.lines(aligned.outlets) == [aligned.outlets] for claim in aligned.shared)
    # the same facts told by seventeen outlets: each statement's outlet made its own
    many = [f"outlet {number}" for number in range(17)]
    for claim in aligned.shared:
        cells = {outlet: [] for outlet in many}
        for number, statement in enumerate(s for cell in claim.cells.values() for s in cell):
            cells[many[(number * 5) % 17]].append(statement)
        spread = type(claim)(claim.claim_id, cells, claim.positions)
        lines = spread.lines(many)
        assert all(0 < len(line) <= ALIGNED_COLUMNS for line in lines)
        assert [outlet for line in lines for outlet in line] == [outlet for outlet in many if cells[outlet]]
