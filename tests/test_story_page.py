"""The story page, finding a story and the share link, on a saved analysis (AppTest), and stable story ids.

The analysis is of the shipped corpus with stories told by two outlets (conftest's ``multi_outlet_corpus``):
since issue 13 the seeds are five separate events, none told by two outlets.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from compare.cluster import stories_from_labels, story_id
from compare.model.documents import Article, story_id_of_article

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
STORY_PAGE = "Compare a story"


@pytest.fixture(scope="module", params=["store", "analysis.json"])
def saved(request, events_analysis, tmp_path_factory) -> Path:
    """The multi-outlet corpus' analysis saved as `analyze --out` writes it (the store, read a view at a
    time), or as older versions did (analysis.json, read whole)."""
    from compare.pipeline import save_analysis

    folder = tmp_path_factory.mktemp("saved-events")
    if request.param == "store":
        save_analysis(events_analysis, folder)
    else:
        (folder / "analysis.json").write_text(json.dumps(events_analysis.to_dict()), encoding="utf-8")
        np.save(folder / "vectors.npy", events_analysis.vectors)
    return folder


@pytest.fixture
def app(saved, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved))
    return AppTest.from_file(DASHBOARD, default_timeout=120)


def _shared_story(analysis) -> tuple[str, set[str]]:
    """The first story told by two outlets (the page's first choice), and its articles' headlines.

    Nepal's two earthquakes: two articles each of Reuters and The Guardian, the largest story.
    """
    story = next(story for story in analysis.stories if len(story.outlets) >= 2)
    assert set(story.article_ids) == {"quake-a-wire", "quake-a-paper", "quake-b-wire", "quake-b-paper"}
    titles = {article.id: article.title for article in analysis.articles}
    return story.id, {titles[article_id] for article_id in story.article_ids}


def _worded_story(analysis: dict) -> dict:
    """The story English News (India) and Reuters tell (EXTRA_ARTICLE joins the seed's): Kiev there, Kyiv here."""
    story = next(story for story in analysis["stories"] if "extra-reuters" in story["article_ids"])
    assert list(story["outlets"]) == ["English News (India)", "Reuters"]
    return story


def _page_text(app) -> str:
    return " ".join(element.value for element in app.markdown)


def _link(app) -> str:
    return app.sidebar.code[0].value


def test_story_page_shows_headlines_differences_and_folds_exclusives(app, events_analysis):
    story, headlines = _shared_story(events_analysis)
    app.query_params["page"] = STORY_PAGE
    app.run()
    assert not app.exception
    assert app.selectbox(key="px_story").value == story
    shown = _page_text(app)
    for headline in headlines:  # every outlet's headlines, side by side
        assert headline in shown
    assert "Coverage: 4 articles from 2 outlets" in shown
    assert "Facts only some outlets report" in shown
    assert "not by <b>The Guardian</b>" in shown and "not by <b>Reuters</b>" in shown
    assert "(under “Only in Reuters” below)" in shown  # where a link into a folded list leads
    assert "(under “Only in The Guardian” below)" in shown
    assert "n=" in shown  # tone is never shown without its n
    # Statements no other outlet reports are folded per outlet, not a grid of empty boxes.
    labels = [expander.label for expander in app.expander]
    assert any(label.startswith("Only in Reuters:") for label in labels)
    assert any(label.startswith("Only in The Guardian:") for label in labels)
    assert "not reported" not in shown
    # A wording difference: English News (India) writes Kiev, Reuters Kyiv, with counts.
    worded = _worded_story(events_analysis.to_dict())["id"]
    app.selectbox(key="px_story").set_value(worded).run()
    assert not app.exception
    shown = _page_text(app)
    assert "Kyiv spelling" in shown and "(English News (India) " in shown and "(Reuters " in shown
    assert "not by <b>Reuters</b>" in shown and "n=" in shown


def test_a_stale_story_link_says_so_instead_of_showing_another_story(app):
    """Before stable ids, `story=story-1` opened whatever story came first now, silently."""
    app.query_params["page"] = STORY_PAGE
    app.query_params["story"] = "story-1"
    app.run()
    assert not app.exception
    assert "does not exist in this analysis" in app.warning[0].value
    assert app.selectbox(key="px_story").value is None
    assert not app.header and not app.subheader  # no story drawn in its place (its headline is the h2)


def test_a_link_to_a_story_whose_first_article_moved_names_where_it_is(app, events_analysis):
    story, _ = _shared_story(events_analysis)
    members = [article for article in events_analysis.articles if article.id in dict.fromkeys(
        next(s.article_ids for s in events_analysis.stories if s.id == story))]  # fmt: skip
    other = next(article for article in members if story_id_of_article(article.id) != story)  # not its anchor
    app.query_params["page"] = STORY_PAGE
    app.query_params["story"] = story_id_of_article(other.id)  # as if this article had named a story once
    app.run()
    warning = app.warning[0].value
    assert "does not exist" in warning and "is now in the story" in warning


def test_the_story_is_kept_when_switching_pages_and_the_link_follows(app, events_analysis):
    """Before: the link box kept the first run's link, and the story was lost on another page."""
    assert len(events_analysis.stories[-1].outlets) == 1
    lone = events_analysis.stories[-1].id  # a one-outlet story: not the page's first choice
    app.query_params["page"] = STORY_PAGE
    app.query_params["story"] = lone
    app.run()
    assert app.selectbox(key="px_story").value == lone
    assert f"story={lone}" in _link(app)
    other, _ = _shared_story(events_analysis)
    app.selectbox(key="px_story").set_value(other).run()
    assert f"story={other}" in _link(app) and lone not in _link(app)  # the link follows the change
    app.sidebar.radio(key="px_page").set_value("Overview").run()
    assert not app.exception
    assert f"story={other}" in _link(app)
    app.sidebar.radio(key="px_page").set_value(STORY_PAGE).run()
    assert app.selectbox(key="px_story").value == other


def test_search_finds_a_story_by_a_name_in_its_text(app, events_analysis):
    story, headlines = _shared_story(events_analysis)
    app.query_params["page"] = STORY_PAGE
    app.run()
    app.text_input(key="px_search").set_value("Sindhupalchok").run()  # named in Reuters' second article only
    assert any(app.selectbox(key="px_story").options[0].startswith(headline) for headline in headlines)
    assert app.selectbox(key="px_story").value == story
    assert "q=Sindhupalchok" in _link(app)
    app.text_input(key="px_search").set_value("zzzz nobody").run()
    assert "No story mentions" in app.warning[0].value


def test_saved_analysis_links_carry_no_thresholds_and_no_server_path(app, saved):
    app.query_params["page"] = STORY_PAGE
    app.run()
    link = _link(app)
    assert "threshold" not in link and "seeds" not in link and "story=" in link
    everything = " ".join(
        [_page_text(app), link, *(c.value for c in app.caption), *(c.value for c in app.sidebar.caption)]
    )
    assert str(saved) not in everything and saved.name not in everything


def test_overview_names_stories_by_headline_not_number(app):
    app.run()
    table = app.dataframe[1].value
    # who told it and how often right after the headline: at 1400 px the last columns need a horizontal scroll
    assert list(table.columns[:3]) == ["headline", "outlets", "articles"]
    assert "France warns Russia over Ukraine, Moscow denies weighing attack" in set(table["headline"])


def _article(article_id: str, published: str | None) -> Article:
    return Article(id=article_id, outlet="X", text="", published=published)


def test_story_ids_follow_the_earliest_article_when_stories_merge_or_split():
    """Before, ids were numbers by size: after a merge "story-1" named another event."""
    articles = [
        _article("a", "2020-01-02"),
        _article("b", "2020-01-03"),
        _article("c", "2020-01-01"),
        _article("d", "2020-01-05"),
        _article("e", None),
    ]
    apart = {story.id: set(story.article_ids) for story in stories_from_labels(articles, np.array([0, 0, 1, 1, 2]))}
    merged = {story.id: set(story.article_ids) for story in stories_from_labels(articles, np.array([0, 0, 1, 1, 1]))}
    assert apart[story_id_of_article("a")] == {"a", "b"} == merged[story_id_of_article("a")]
    assert apart[story_id_of_article("c")] == {"c", "d"}
    assert merged[story_id_of_article("c")] == {"c", "d", "e"}  # the undated article does not rename it
    assert story_id_of_article("e") in apart and story_id_of_article("e") not in merged
    assert story_id([articles[1], articles[0]]) == story_id([articles[0], articles[1]])  # order does not matter


def test_the_story_views_only_read_the_analysis(events_analysis):
    """The dashboard keeps one saved analysis for every session (st.cache_resource): views must not change it."""
    import copy

    from compare.ingest import load_registry
    from compare.views.aligned import aligned_story
    from compare.views.differences import key_differences, story_scope
    from compare.views.story import coverage_rows, headline_rows, search_stories, story_summaries

    analysis = json.loads(json.dumps(events_analysis.to_dict()))
    before = copy.deepcopy(analysis)
    summaries = story_summaries(analysis)
    assert search_stories(summaries, "kuleba")
    for story in analysis["stories"]:
        scope = story_scope(analysis, story["id"])
        key_differences(analysis, scope)
        aligned_story(analysis, scope)
        headline_rows(analysis, story)
        coverage_rows(analysis, story, load_registry())
    assert analysis == before


def test_two_articles_of_one_outlet_in_a_story_are_told_apart(events_analysis):
    from compare.views.story import article_labels, headline_rows

    analysis = json.loads(json.dumps(events_analysis.to_dict()))
    nepal = next(story for story in analysis["stories"] if "quake-a-wire" in story["article_ids"])
    assert article_labels(analysis, nepal) == {  # undated: by id
        "quake-a-wire": "Reuters · article 1",
        "quake-b-wire": "Reuters · article 2",
        "quake-a-paper": "The Guardian · article 1",
        "quake-b-paper": "The Guardian · article 2",
    }
    story = _worded_story(analysis)
    story["article_ids"].append("visso-wire")  # Reuters' article of 2016, as if in this story of 2022
    labels = article_labels(analysis, story)
    assert labels["visso-wire"] == "Reuters · article 1"  # the earlier one first, though its id sorts last
    assert labels["extra-reuters"] == "Reuters · article 2"
    assert labels["004_ff0877bd891f5005"] == "English News (India)"
    assert [row["article"] for row in headline_rows(analysis, story)] == [None, 1, 2]


def test_story_html_escapes_article_text_and_links_only_web_addresses():
    from compare.views.story import public_url
    from compare.views.story_html import coverage_bar_html, headline_card_html

    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    card = headline_card_html(
        {
            "outlet": hostile,
            "article": None,
            "headline": hostile,
            "published": None,
            "byline": hostile,
            "url": public_url("javascript:alert(3)"),
        }  # fmt: skip
    )
    assert "<script" not in card and "<img" not in card and "javascript:" not in card and "href" not in card
    assert "&lt;script&gt;" in card
    assert public_url('https://example.org/a" onmouseover="x') is None
    linked = headline_card_html(
        {
            "outlet": "A",
            "article": 2,
            "headline": "H",
            "published": "2020-01-01",
            "byline": None,
            "url": "https://example.org/a?b=1&c=2",
        }  # fmt: skip
    )
    assert 'href="https://example.org/a?b=1&amp;c=2"' in linked and "article 2" in linked
    bar = coverage_bar_html([{"outlet": hostile, "articles": 1, "country": hostile, "type": "x"}], hostile)
    assert "<script" not in bar and "<img" not in bar


def test_wordings_come_from_the_per_story_referent_table_when_the_analysis_has_it(events_analysis):
    """Analyses from the referent-wordings signal on name a story's wordings per story; older ones have word swaps."""
    from compare.views.differences import story_scope, wording_rows

    analysis = json.loads(json.dumps(events_analysis.to_dict()))
    story = _worded_story(analysis)
    scope = story_scope(analysis, story["id"])
    by_outlet = {
        outlet: [sid for sid, s in scope.statements.items() if s["outlet"] == outlet] for outlet in story["outlets"]
    }
    analysis["referent_wordings"] = [
        {"story_id": story["id"], "referent": "Kyiv spelling", "wording": "Kiev", "outlet": "English News (India)",
         "count": 4, "statement_ids": by_outlet["English News (India)"][:2], "source": "listed"},
        {"story_id": story["id"], "referent": "Kyiv spelling", "wording": "Kyiv", "outlet": "Reuters", "count": 2,
         "statement_ids": by_outlet["Reuters"][:1], "source": "listed"},
        {"story_id": "another", "referent": "x", "wording": "y", "outlet": "English News (India)", "count": 1,
         "statement_ids": [], "source": "found"},
    ]  # fmt: skip
    rows = wording_rows(analysis, scope)
    kyiv = [row for row in rows if row["label"] == "Kyiv spelling"]
    assert len(kyiv) == 1  # listed once, though word_swaps has it too
    assert [(term["term"], term["outlets"]) for term in kyiv[0]["terms"]] == [
        ("Kiev", {"English News (India)": 4}),
        ("Kyiv", {"Reuters": 2}),
    ]


def test_facts_one_outlet_alone_reports_are_named_not_none_found(events_analysis):
    """In Nepal's story every fact is either shared by both outlets or told by one alone (in no claim): the section
    said "none found" while each outlet had statements no other reports; it names them now, with their counts."""
    from compare.views.aligned import aligned_story
    from compare.views.differences import key_differences, story_scope
    from compare.views.story_html import omissions_html

    analysis = events_analysis.to_dict()
    story_id, _ = _shared_story(events_analysis)
    scope = story_scope(analysis, story_id)
    aligned = aligned_story(analysis, scope)
    only_here = {outlet: len(statements) for outlet, statements in aligned.only_here.items()}
    assert any(only_here.values())
    section = omissions_html(key_differences(analysis, scope), {c.claim_id for c in aligned.shared}, only_here)
    assert "none found" not in section
    for outlet, count in only_here.items():
        if count:
            assert f"{outlet} {count}" in section
    assert "Only here" in section


def test_the_key_differences_of_two_chosen_outlets_neither_count_nor_name_a_third():
    """Choosing two of a story's three outlets narrowed the aligned statements but not the key differences above
    them: "reported by Fox News, HuffPost; not by The New York Times" stayed, with HuffPost no longer shown."""
    import gzip

    from compare.views.differences import key_differences, narrowed, story_scope

    golden = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
    analysis = json.loads(gzip.decompress(golden.read_bytes()))
    story = next(  # a story of BASIL's three outlets with a fact two of them report and the third leaves out
        story
        for story in analysis["stories"]
        if len(story["outlets"]) == 3
        and any(
            len(row["reported_by"]) == 2
            for row in key_differences(analysis, story_scope(analysis, story["id"])).omissions
        )
    )
    scope = story_scope(analysis, story["id"])
    every = key_differences(analysis, scope)
    third = next(row for row in every.omissions if len(row["reported_by"]) == 2)["reported_by"][1]
    chosen = [outlet for outlet in story["outlets"] if outlet != third]
    two = key_differences(analysis, narrowed(scope, chosen))
    assert two.omissions and len(two.omissions) < len(every.omissions)
    for row in two.omissions:  # one of the two reports it, the other leaves it out
        assert (
            row["reported_by"] and row["missing_from"] and set(row["reported_by"] + row["missing_from"]) <= set(chosen)
        )
    named = [
        *(
            row["outlet"]
            for rows in (two.voices, two.speakers, two.loaded_words, two.tone, two.actor_tone)
            for row in rows
        ),
        *(outlet for row in two.prominence for outlet in row["positions"]),
        *(outlet for row in two.wording for term in row["terms"] for outlet in term["outlets"]),
        *(outlet for row in two.phrasings for outlet in (row["outlet"], row["other_outlet"])),
    ]
    assert named and third not in named
    assert any(third in row["positions"] for row in every.prominence)  # the whole story's do name it
    assert key_differences(analysis, narrowed(scope, [])) == every  # no choice: every outlet


def test_a_quote_edit_says_which_outlet_quoted_which_words():
    """Quote edits read "quote of Etheridge · cut: …; added: …" twice, with no word of which outlets they compare."""
    import gzip
    import re
    from html import escape

    from compare.views.differences import key_differences, story_scope
    from compare.views.story_html import quote_edits_html

    golden = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
    analysis = json.loads(gzip.decompress(golden.read_bytes()))
    statements = {statement["id"]: statement for statement in analysis["statements"]}
    edit = analysis["quote_edits"][0]
    story = next(
        story
        for story in analysis["stories"]
        if statements[edit["statement_ids"][0]]["article_id"] in story["article_ids"]
    )
    differences = key_differences(analysis, story_scope(analysis, story["id"]))
    first, second = (statements[sid]["outlet"] for sid in edit["statement_ids"])
    shown = next(row for row in differences.quote_edits if row["statement_ids"] == edit["statement_ids"])
    assert shown["outlets"] == [first, second] and first != second
    section = quote_edits_html(differences)
    only_first = next(words for mark, words in edit["diff"] if mark == "-")
    # the words only the first outlet's quote has are named as that outlet's (quote marks at a phrase's ends are
    # trimmed: tests/test_dashboard_tour.py)
    first_word = only_first.split()[0].strip('"“”')
    assert re.search(f"only {re.escape(first)}: “[^<]*{re.escape(escape(first_word))}", section)
    # the speaker, the quote's opening words (tests/test_dashboard_tour11.py), the two outlets
    assert re.search(rf"{re.escape(edit['speaker'])}, “[^”<]*”: {re.escape(first)} vs {re.escape(second)}", section)


def test_statement_kinds_and_placements_are_said_in_words_a_reader_knows():
    """A card's "reported" badge read as "the outlet reported it"; "Fox News: headline" under a fact that is not
    the headline was unexplained (it means the statement repeats the headline's words)."""
    import gzip

    from compare.views.differences import key_differences, story_scope
    from compare.views.story_html import prominence_html, statement_html

    golden = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
    analysis = json.loads(gzip.decompress(golden.read_bytes()))
    reported = next(statement for statement in analysis["statements"] if statement["kind"] == "reported")
    assert ">reported speech</span>" in statement_html(reported, None, "Fox News")
    story = next(story for story in analysis["stories"] if reported["article_id"] in story["article_ids"])
    differences = key_differences(analysis, story_scope(analysis, story["id"]))
    assert any(position == "headline" for row in differences.prominence for position in row["positions"].values())
    assert "headline: repeats half the headline" in prominence_html(differences, {})


def test_a_long_list_in_the_key_differences_says_it_scrolls():
    """A list of more than six items scrolls in a box whose edge cuts its last visible line: it read as cut text."""
    import gzip

    from compare.views.differences import key_differences, story_scope
    from compare.views.story_html import omissions_html

    golden = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
    analysis = json.loads(gzip.decompress(golden.read_bytes()))
    long = next(
        differences
        for story in analysis["stories"]
        if len((differences := key_differences(analysis, story_scope(analysis, story["id"]))).omissions) > 6
    )
    assert f"scroll the list for all {len(long.omissions)}" in omissions_html(long, set())
