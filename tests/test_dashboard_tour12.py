"""What the third journalist's tour of the dashboard tripped over (docs/dashboard.md, "A third tour").

Each test failed before its fix. They read the golden analysis of ten BASIL events (real articles, the real
model's output, pinned by tests/test_golden.py), saved as `analyze --out` saves one.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from . import test_dashboard_tour11 as tour11

# The second tour's fixtures: the golden BASIL10 analysis, saved, and a dashboard serving it.
basil10, saved_basil10, basil10_server = tour11.basil10, tour11.saved_basil10, tour11.basil10_server

# The story list the reader sees (a list hidden at this width has no layout box), its width and its scroll width.
_SHOWN_STORY_LIST = """() => {
  const caption = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .find(element => element.innerText.includes('Select a row to open the story'));
  const lists = [...document.querySelectorAll('[data-testid=stDataFrame]')]
    .filter(table => caption.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING)
    .filter(table => table.getClientRects().length > 0 && table.querySelector('.dvn-scroller'));
  const scroller = lists[0].querySelector('.dvn-scroller');
  return {lists: lists.length, scroll: scroller.scrollWidth, shown: scroller.clientWidth,
          main: document.querySelector('[data-testid=stMain]').clientWidth};
}"""


@pytest.mark.parametrize("width", [800, 390])
def test_the_story_list_does_not_scroll_sideways_at_800_px_or_on_a_phone(basil10, basil10_server, browser, width):
    """At 800 px (the sidebar open) the story list was 466 px wide and its columns 896 px: the dates, the key
    entities and most of the outlets sat behind a horizontal scroll; on a 390 px phone, everything past the
    headline. A narrow list now shows each story's headline, outlets, articles and dates in one wrapped column."""
    from compare.views.pages_story import NARROW_STORY_ROW_HEIGHT
    from compare.views.story import story_summaries

    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(basil10_server)
    page.wait_for_selector("[data-testid=stMain] >> text=Select a row to open the story", timeout=300_000)
    # Until the page settles (the list style can arrive after the lists on a loaded machine); if one list never
    # shows alone the wait times out and the assertion below says what was seen.
    settled = (
        "() => { try { const w = ("
        + _SHOWN_STORY_LIST
        + ")(); return w.shown > 0 && w.lists == 1; } catch { return false; } }"
    )
    with contextlib.suppress(PlaywrightTimeout):  # the assertions below report what was shown
        page.wait_for_function(settled, timeout=60_000)
    page.wait_for_timeout(1500)
    widths = page.evaluate(_SHOWN_STORY_LIST)
    assert widths["lists"] == 1, widths  # one list shown, not two
    assert widths["shown"] > 0.8 * widths["main"] - 100, widths  # the list spans the main block
    assert widths["scroll"] <= widths["shown"] + 1, widths  # nothing past the right edge
    # and a row of the list shown opens its story, as the wide list's rows do
    third = story_summaries(basil10)[2]
    table = page.locator("[data-testid=stDataFrame]:visible").nth(1)  # the outlets first, then the stories
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = table.bounding_box()
    row = NARROW_STORY_ROW_HEIGHT
    page.mouse.click(box["x"] + 18, box["y"] + 35 + row * 2 + row // 2)  # the third row's selection box
    page.wait_for_url(f"**story={third.id}**", timeout=120_000)
    page.close()


ECB = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ecbplus-dev" / "input.jsonl"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"


def test_an_outlet_named_after_its_own_article_says_where_its_name_came_from():
    """ECB+ gives no outlet for its older documents: its input names each after its own id ("ecb-2_1ecb" for
    document 2_1ecb), and the Overview listed 105 such names among real sites as if they were publications, with
    nothing saying where any name came from. The outlet table now says it for every outlet, a stand-in says it is
    one, and the Overview counts the stand-ins."""
    from dataclasses import asdict

    from compare.ingest import load_corpus, load_registry
    from compare.views.tables import outlet_table, stand_in_note, stand_in_outlets

    if not ECB.exists():
        pytest.skip("the ECB+ dev corpus is not here")
    rows = [line for line in ECB.read_text(encoding="utf-8").splitlines() if '"id": "2_1ecb' in line]
    corpus = load_corpus([SEEDS], uploads=[("ecb.jsonl", "\n".join(rows).encode())])
    analysis = {"articles": [asdict(article) for article in corpus.articles]}
    table = {row["outlet"]: row for row in outlet_table(analysis, load_registry())}
    assert table["ecb-2_1ecb"]["name from"] == "given in the input: the article's own id, not a publication"
    assert table["deadline.com"]["name from"] == "given in the input"  # a site given for a document with a URL
    assert table["The Guardian"]["name from"] == "given in the input"  # seeds/sources.csv
    # one China Daily article named by sources.csv, the other by its page's byline
    assert table["China Daily"]["name from"] == "given in the input (1); found in the text (a known outlet) (1)"
    assert stand_in_outlets(analysis) == ["ecb-2_1ecb"]
    note = stand_in_note(stand_in_outlets(analysis), len(table))
    assert note.startswith(f"1 of {len(table)} outlets are named after their own article (ecb-2_1ecb)")


def test_a_printed_report_shows_every_story_it_folds(basil10, tmp_path, browser):
    """A teacher printing the HTML report as a class handout got the charts and a list of closed story headings:
    each story folds (a <details>), and a printer drew none of what the story says. Printed, every story and each
    outlet's "only here" list is open; on screen they stay folded."""
    from compare.ingest import load_registry
    from compare.views.report import render_report

    from .conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    report = tmp_path / "report.html"
    report.write_text(render_report(basil10, None, load_registry()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # an A4 page's width
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(report.as_uri())
    shown = """() => [...document.querySelectorAll('details')].map(details =>
        [...details.children].filter(child => child.tagName !== 'SUMMARY')
          .some(child => child.checkVisibility()))"""
    on_screen = page.evaluate(shown)
    assert len(on_screen) >= 10 and not any(on_screen)  # folded on screen
    page.emulate_media(media="print")
    assert all(page.evaluate(shown))  # every one drawn on paper
    page.close()


def test_a_report_with_no_story_to_compare_says_why_and_what_to_do():
    """The report of the seeds (five articles, five events) ended on "No story with two or more outlets.": a
    teacher's handout with no comparison and no word of why. It now says the articles tell different events and
    how to make a report that compares, as the dashboard's Overview does."""
    import gzip
    import json

    from compare.ingest import load_registry
    from compare.views.report import render_report

    seeds = json.loads(gzip.decompress((GOLDEN / "seeds.analysis.json.gz").read_bytes()))
    assert all(len(story["outlets"]) == 1 for story in seeds["stories"])  # the case this test is about
    report = render_report(seeds, None, load_registry())
    stories = report[report.index("<section id='stories'>") :]
    assert "the 5 articles tell 5 different events" in stories
    assert "python -m compare report compare/data/sample/articles.jsonl" in stories


def test_a_shared_link_of_uploaded_files_says_the_files_are_not_in_it():
    """A researcher compared six uploaded BASIL articles (the built-in articles left out) and sent the link box's
    link (`?page=Overview&seeds=0`) to a colleague, whose dashboard showed in red: "no article could be read:
    upload .txt, .md, …" -- as if the files had been read and failed. The colleague is now told that uploads are
    not part of a link, and what to do."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=240)
    app.query_params["page"] = "Overview"
    app.query_params["seeds"] = "0"
    app.run()
    said = " ".join(element.value for element in app.error)
    assert "uploaded files are not part of a link" in said, said
    assert "Include these articles" in said  # the other way out: the built-in articles
    assert "could be read" not in said  # no file was read, so none failed


def test_a_story_page_says_which_of_its_outlets_are_articles_with_no_outlet_given():
    """ECB+'s Maurice Cheeks story: "Coverage: 17 articles from 17 outlets", twelve of them "ecb-5_1ecb" and the
    like, each a legend entry like a publication's. The coverage says how many are named after their own article,
    and each such entry says no outlet was given; a real site (sports.espn.go.com) is left as it is."""
    from dataclasses import asdict

    from compare.ingest import load_corpus, load_registry
    from compare.views.story import coverage_rows, coverage_sentence
    from compare.views.story_html import coverage_bar_html

    if not ECB.exists():
        pytest.skip("the ECB+ dev corpus is not here")
    rows = [
        line for line in ECB.read_text(encoding="utf-8").splitlines() if '"story": "5_ecb' in line
    ]  # both Sixers events
    corpus = load_corpus([], uploads=[("ecb.jsonl", "\n".join(rows).encode())])
    articles = [asdict(article) for article in corpus.articles]
    story = {
        "id": "story-cheeks",
        "article_ids": [article["id"] for article in articles],
        "outlets": sorted({article["outlet"] for article in articles}),
    }
    analysis = {"articles": articles, "stories": [story]}
    stand_ins = [article["outlet"] for article in articles if article["outlet"].startswith("ecb-")]
    sites = [article["outlet"] for article in articles if not article["outlet"].startswith("ecb-")]
    assert stand_ins and sites  # the case this test is about: both kinds in one story
    coverage = coverage_rows(analysis, story, load_registry())
    assert {row["outlet"] for row in coverage if row["stand_in"]} == set(stand_ins)
    sentence = coverage_sentence(analysis, story)
    assert f"({len(set(stand_ins))} of them named after their own article: no outlet given)" in sentence
    bar = coverage_bar_html(coverage, sentence)
    assert bar.count(" · no outlet given<") == len(set(stand_ins))  # each such entry; the sentence says why
