"""What the third journalist's tour of the dashboard tripped over (docs/dashboard.md, "A third tour").

Each test failed before its fix. They read the golden analysis of ten BASIL events (real articles, the real
model's output, pinned by tests/test_golden.py), saved as `analyze --out` saves one.
"""

from __future__ import annotations

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
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(basil10_server)
    page.wait_for_selector("[data-testid=stMain] >> text=Select a row to open the story", timeout=300_000)
    page.wait_for_function(f"() => {{ try {{ return ({_SHOWN_STORY_LIST})().shown > 0; }} catch {{ return false; }} }}")
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
