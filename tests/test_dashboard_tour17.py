"""The seventh tour (docs/dashboard.md, "A seventh tour"): a story told by many outlets, as a journalist shares it and
reads it in the report. Each fix has a test that failed before it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from .test_dashboard_tour16 import _renamed_to, _saved, _told_by_many

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
HEADLINE_CARD = "border-top:4px solid"  # the edge of a headline card (``headline_card_html``)


@pytest.fixture(scope="module")
def many_outlet_story(tmp_path_factory) -> tuple[Path, str]:
    """A saved analysis with a story told by nine outlets (real BASIL articles under three sets of names), its id."""
    analysis, story = _told_by_many(3)
    return _saved(analysis, tmp_path_factory.mktemp("nine_outlets")), story


def _story_page(folder: Path, story: str, monkeypatch, **params: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(folder))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    app.query_params["story"] = story
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def _heads(app) -> list[str]:
    return [element.value for element in app.markdown if "border-bottom:3px solid" in element.value]


def test_a_shared_link_keeps_the_outlets_set_side_by_side(many_outlet_story, monkeypatch):
    """Past six outlets a reader picks the outlets side by side, but the shared link did not keep the pick: a
    colleague opening it saw the page's own four. The link now names them (?side=), and opens on them; names the
    story lacks, repeats and a fifth are dropped, not shown."""
    folder, story = many_outlet_story
    app = _story_page(folder, story, monkeypatch)
    picker = app.multiselect(key=f"px_side_by_side_{story}")
    assert "side" not in app.query_params  # the page's own pick: nothing to keep
    chosen = [outlet for outlet in picker.options if outlet not in picker.value][:2]
    picker.set_value(chosen).run()
    assert app.query_params["side"] == ",".join(chosen)

    linked = ",".join([chosen[1], "<b>Nobody</b>", chosen[1], chosen[0]])
    shared = _story_page(folder, story, monkeypatch, side=linked)
    assert shared.multiselect(key=f"px_side_by_side_{story}").value == [chosen[1], chosen[0]]
    heads = _heads(shared)
    assert len(heads) == 2 and all(any(outlet in head for head in heads) for outlet in chosen)
    assert shared.query_params["side"] == ",".join(outlet for outlet in picker.options if outlet in chosen)
    assert "Nobody" not in " ".join(element.value for element in [*shared.markdown, *shared.caption])

    five = _story_page(folder, story, monkeypatch, side=",".join(picker.options[:5]))
    assert five.multiselect(key=f"px_side_by_side_{story}").value == picker.options[:4]


def test_the_headlines_of_outlets_not_side_by_side_are_one_line_each_in_a_fold(many_outlet_story, monkeypatch):
    """ECB+'s 19-outlet story opened on 19 headline cards, four to a line: 1,400 px at 1440 px and 3,000 px on a
    phone before the first key difference. Past six outlets the cards are those of the outlets side by side (the
    reader's pick too), the others' headlines one line each in a fold."""
    folder, story = many_outlet_story
    app = _story_page(folder, story, monkeypatch)
    cards = [element.value for element in app.markdown if HEADLINE_CARD in element.value]
    picker = app.multiselect(key=f"px_side_by_side_{story}")
    assert len(cards) == 4 and all(any(outlet in card for card in cards) for outlet in picker.value)
    fold = next(element.value for element in app.markdown if "Headlines of the" in element.value)
    others = [outlet for outlet in picker.options if outlet not in picker.value]
    assert "Headlines of the 5 other outlets" in fold and all(outlet in fold for outlet in others)

    picker.set_value(others[:2]).run()
    cards = [element.value for element in app.markdown if HEADLINE_CARD in element.value]
    assert len(cards) == 2 and all(any(outlet in card for card in cards) for outlet in others[:2])


def test_the_report_sets_four_outlets_side_by_side_past_six_and_escapes_their_names():
    """The report's aligned table was one column per outlet: 19 columns of a few letters each for ECB+'s 19-outlet
    story, and its 19 headline cards came first. Past six outlets it sets the story page's four side by side, each
    fact's other outlets folded under it, and folds the other headlines; outlet names stay escaped."""
    from compare.ingest import load_registry
    from compare.views.aligned import aligned_story
    from compare.views.differences import story_scope
    from compare.views.report import story_section_html

    analysis, story = _told_by_many(3)
    hostile = "<img src=x onerror=alert(1)>"
    analysis = _renamed_to(analysis, {"Fox News~2": hostile})
    scope = story_scope(analysis, story)
    aligned = aligned_story(analysis, scope)
    section = story_section_html(analysis, scope, aligned, load_registry())
    table = section[section.index("<table class='aligned'>") :]
    assert len(re.findall(r"<th>", table)) == 4
    assert "more outlets report it" in table or "more outlet reports it" in table
    assert "9 outlets are too many to set side by side" in section
    assert section.count(HEADLINE_CARD) == 4 and "Headlines of the 5 other outlets" in section
    assert hostile not in section and "&lt;img src=x onerror=alert(1)&gt;" in section


def test_the_reports_outlets_table_is_folded_past_twelve_outlets():
    """ECB+'s report set its 181 outlets' rows (163 of them "unknown, unknown, 1") between the contents and the first
    chart: 6,500 px at 1440 px to scroll before anything compared. Past twelve outlets the table is folded under one
    line that counts them; three outlets' table stays open."""
    from compare.ingest import load_registry
    from compare.views.report import render_report

    from .test_dashboard_tour15 import _copies
    from .test_dashboard_tour16 import _golden

    many = render_report(_copies(_golden(), 5), None, load_registry())
    outlets = many[many.index("<section id='outlets'>") : many.index("<section id='charts'>")]
    assert outlets.count("<tr>") == 16 and "<details class='outlets'><summary>15 outlets, 150 articles" in outlets
    few = render_report(_golden(), None, load_registry())
    outlets = few[few.index("<section id='outlets'>") : few.index("<section id='charts'>")]
    assert outlets.count("<tr>") == 4 and "<details" not in outlets


def test_a_story_of_many_outlets_opens_on_twenty_facts(many_outlet_story, monkeypatch):
    """Past six outlets a fact is four columns and a fold of its other outlets (about 300 px at 1440 px for ECB+'s
    long sentences): the first 40 facts were 12,000 of the 19-outlet story page's 18,000 px. It opens on the 20 most
    prominent, and "Show more" adds 20; up to six outlets the page opens on 40 as before."""
    folder, story = many_outlet_story
    app = _story_page(folder, story, monkeypatch)
    heads = [element.value for element in app.markdown if "Reported by " in element.value]
    shown = next(caption.value for caption in app.caption if "shared facts shown" in caption.value)
    total = int(re.search(r"of ([\d,]+) shared facts shown", shown)[1].replace(",", ""))
    assert len(heads) == 20 and total > 20 and shown.startswith("20 of")
    app.button(key=f"px_more_{story}").click().run()
    assert len([element.value for element in app.markdown if "Reported by " in element.value]) == min(total, 40)


def test_a_key_difference_linking_to_a_fact_not_yet_shown_says_so(many_outlet_story, monkeypatch):
    """With 20 of ECB+'s 53 facts drawn at first, 33 of its 52 "facts only some outlets report" linked to a fact the
    page had not drawn: a click did nothing (13 did with 40 drawn). Such a link now says the fact is among the
    aligned facts after "Show more"; a link to a drawn fact says nothing more."""
    folder, story = many_outlet_story
    app = _story_page(folder, story, monkeypatch)
    drawn = set(re.findall(r'<div id="px-claim-([^"]+)"', "".join(element.value for element in app.markdown)))
    keys = "".join(element.value for element in app.markdown if "Facts only some outlets report" in element.value)
    keys += "".join(element.value for element in app.markdown if "Where shared facts" in element.value)
    links = re.findall(r'<a href="#px-claim-([^"]+)">[^<]*</a>( <small>\(among the aligned facts after)?', keys)
    assert any(note for _, note in links) and any(not note for _, note in links)
    assert all(bool(note) == (claim not in drawn) for claim, note in links)


def test_the_reports_headline_cards_have_their_outlets_colours():
    """The report's headline cards all had one blue edge over a coverage bar in the outlets' colours (the story page's
    cards have their outlet's colour, as every chart): each card now has its outlet's."""
    from compare.ingest import load_registry
    from compare.views.aligned import aligned_story
    from compare.views.differences import story_scope
    from compare.views.report import story_section_html
    from compare.views.story_html import outlet_colours
    from compare.views.tables import outlet_names

    from .test_dashboard_tour16 import _golden

    analysis = _golden()
    story = analysis["stories"][1]
    scope = story_scope(analysis, story["id"])
    section = story_section_html(analysis, scope, aligned_story(analysis, scope), load_registry())
    colours = outlet_colours(story["outlets"], outlet_names(analysis))
    cards = re.findall(r"border-top:4px solid (#\w+);.*?letter-spacing:0.04em;color:#555\">([^<·]+)", section)
    assert len(cards) == len(story["outlets"]) == 3
    assert all(colour == colours[html.unescape(name).strip()] for colour, name in cards)
