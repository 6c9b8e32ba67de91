"""What a journalist's tour of the dashboard on BASIL tripped over (docs/dashboard.md, "A tour on BASIL").

Each test failed before its fix. Most read the golden analysis of ten BASIL events (real articles, the real
model's output, pinned by tests/test_golden.py), as the story page draws it.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from compare.views.aligned import aligned_story
from compare.views.differences import key_differences, story_scope
from compare.views.story_html import quote_edits_html, wording_html

GOLDEN = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def basil10() -> dict[str, Any]:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def _stories(analysis: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
    """Every story as the page draws it: (its scope, its key differences, its aligned statements)."""
    drawn = []
    for story in analysis["stories"]:
        scope = story_scope(analysis, story["id"])
        drawn.append((scope, key_differences(analysis, scope), aligned_story(analysis, scope)))
    return drawn


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def test_an_outlets_own_words_never_show_a_quote_mark_or_dots_alone(basil10):
    """The word differences keep the statements' quote marks and commas as phrases of their own, and the page
    showed them inside its own quotes: Fox News: “" … President … ” House … Senate Democratic Leader”."""
    shown = []
    for _, differences, _ in _stories(basil10):
        html = wording_html(differences) + quote_edits_html(differences)
        shown += re.findall(r"</a>: “(.*?)”(?= · <a |</li>)", html)  # each outlet's words of a shared fact
        shown += re.findall(r"only [^:<]+: “(.*?)”(?=; only |</small>)", html)  # the words only one outlet's quote has
    pieces = [_text(piece) for phrase in shown for piece in phrase.split(" … ")]
    assert len(pieces) > 100  # the check saw the phrases
    # every piece holds a word ("—": an outlet's quote has no words the other's lacks)
    assert not [piece for piece in pieces if piece != "—" and not re.search(r"[^\W_]", piece)]
    assert not [piece for piece in pieces if piece[:1] in '"“”,;: ' or piece[-1:] in '"“”,;: ']


def test_shared_facts_worded_differently_are_never_more_than_the_shared_facts(basil10):
    """A claim one outlet states twice gives two pairs of statements: the page counted pairs as facts ("4 shared
    facts worded differently" in a story of 3 shared facts)."""
    more_pairs = 0
    for _, differences, aligned in _stories(basil10):
        text = _text(re.sub(r"<[^>]+>", " ", wording_html(differences)))  # blocks apart: "… for all 8" "8 shared …"
        said = re.search(r"(\d+) shared facts? worded differently(?:, in (\d+) pairs of statements)?", text)
        if not differences.phrasings:
            continue
        assert said, text
        facts, pairs = int(said.group(1)), int(said.group(2) or said.group(1))
        assert facts <= len(aligned.shared)
        assert facts == len({row["claim_id"] for row in differences.phrasings})
        assert pairs == len(differences.phrasings)
        more_pairs += pairs > facts
    assert more_pairs  # a story where pairs and facts differ was seen


def test_the_story_picker_says_where_the_overviews_other_stories_are(tmp_path, monkeypatch):
    """The picker lists the stories told by two or more outlets: "Story (99 to choose from)" under an Overview
    of 107 stories read as stories lost. Two earthquakes told by two outlets each, and the five seeds (one
    outlet each)."""
    import os

    from streamlit.testing.v1 import AppTest

    from .conftest import EVENTS, SEEDS

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    monkeypatch.setenv("PARALLAX_CORPUS", os.pathsep.join([str(EVENTS / "italy_quakes.jsonl"), str(SEEDS)]))
    app = AppTest.from_file(DASHBOARD, default_timeout=300)
    app.run()
    assert not app.exception
    stories = int(next(metric for metric in app.metric if metric.label == "Stories").value)
    app.sidebar.radio(key="px_page").set_value("Compare a story").run()
    assert not app.exception
    picker = app.selectbox(key="px_story")
    told_twice = len(picker.options)
    assert 0 < told_twice < stories  # the seeds' stories are not offered without a search
    assert picker.label == f"Story ({told_twice} told by two or more outlets; search finds all {stories})"
    app.text_input(key="px_search").set_value("Ukraine").run()  # the seeds' stories, found by search
    assert not app.exception
    found = app.selectbox(key="px_story")
    assert found.label == f"Story ({len(found.options)} to choose from)" and len(found.options) >= 3


def _looks(figure: Any) -> dict[str, tuple[str, str]]:
    """Each trace of a bar chart: (its colour, its pattern shape or "")."""
    looks = {}
    for trace in figure.data:
        pattern = trace.marker.pattern.shape if trace.marker.pattern else None
        looks[trace.name] = (trace.marker.color, pattern or "")
    return looks


def test_no_two_sides_of_the_voices_chart_look_alike(basil10):
    """There are more sides (24) than colours (15): on BASIL, Democrats and independents were one green and
    Republicans and "the outlet itself" one red, in the same bars."""
    from compare.views import charts
    from compare.views.charts.style import PALETTE, _known_names

    looks = _looks(charts.share_bars(basil10["voice_share"], "side", "Who is quoted"))
    assert {"Democrats", "Republicans", "the outlet itself"} <= set(looks)
    assert len(set(looks.values())) == len(looks)  # ten events: each side its own colour
    assert all(pattern == "" for _, pattern in looks.values()) and len(looks) <= len(PALETTE)
    # every side a corpus can have (the data file's and the two read from the article), as on the whole of BASIL
    sides = [*_known_names("side"), "independents", "the outlet itself"]
    rows = [{"outlet": outlet, "side": side, "share": 1 / len(sides)} for outlet in ("A", "B") for side in sides]
    every = _looks(charts.share_bars(rows, "side", "Who is quoted"))
    assert len(every) == len(sides) > len(PALETTE) and len(set(every.values())) == len(sides)
    one = _looks(charts.share_bars(rows, "side", "Who is quoted", ["A"]))
    assert one == every  # a filter changes no colour
    # the hatched are the least quoted: on BASIL "other", the largest segment of every bar, was hatched
    used = {side: 1.0 + number for number, side in enumerate(sides)}  # the file's first sides least
    weighted = [{**row, "share": used[row["side"]]} for row in rows]
    looks = _looks(charts.share_bars(weighted, "side", "Who is quoted"))
    hatched = {side for side, (_, pattern) in looks.items() if pattern}
    assert hatched == set(sorted(sides, key=used.__getitem__)[: len(sides) - len(PALETTE)])


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


def test_an_outlet_has_one_colour_on_the_story_page_and_in_the_charts(basil10, saved_basil10, monkeypatch):
    """The story page had a palette of its own: on BASIL, Fox News was blue there and red on the Overview's
    timeline and the Outlets page, HuffPost orange there and blue in the charts."""
    from streamlit.testing.v1 import AppTest

    from compare.views import charts

    in_charts = {trace.name: trace.marker.color for trace in charts.timeline(basil10).data}
    assert len(set(in_charts.values())) == len(in_charts) == 3
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.query_params["page"] = "Compare a story"
    app.query_params["story"] = basil10["stories"][0]["id"]
    app.run()
    assert not app.exception
    page = " ".join(element.value for element in app.markdown)
    for outlet, colour in in_charts.items():
        edges = re.findall(rf"border-top:4px solid (#\w+)[^>]*><div[^>]*>{re.escape(outlet)}<", page)
        heads = re.findall(rf"border-bottom:3px solid (#\w+)[^>]*>{re.escape(outlet)}<", page)
        assert edges == [colour] and heads == [colour], outlet  # its headline card, its aligned column
        assert f'color:{colour}">■</span> <b>{outlet}</b>' in page  # the coverage bar's legend


def test_the_overviews_claims_chart_first_shows_facts_some_outlets_leave_out(saved_basil10, monkeypatch):
    """Most outlets first, the first 40 rows of ten BASIL events (and of the whole of BASIL) were facts all three
    outlets report: a wall of one blue with no white cell, that tells a reader nothing."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert not app.exception
    import plotly.io

    figures = [plotly.io.from_json(chart.proto.spec) for chart in app.get("plotly_chart")]
    heatmap = next(figure for figure in figures if figure.data and figure.data[0].type == "heatmap")
    cells = [int(value) for row in heatmap.data[0].z for value in row]
    assert len(cells) == 40 * 3 and 0 in cells  # some outlet leaves a fact out, on the first screen
    assert "most omitted first" in heatmap.layout.title.text


def test_who_is_quoted_names_a_person_once_surname_or_full_name(basil10):
    """A later mention names a person by surname: "Trump 5, Donald Trump 2" and "Mulvaney 2, Mick Mulvaney 1"
    read as four people. A surname that two full names end with (Mary and Liz Cheney) stays as it is."""
    merged = 0
    for scope, differences, _ in _stories(basil10):
        voices = [v for v in basil10["voices"] if v["statement_id"] in scope.statements and v.get("speaker")]
        assert sum(row["statements"] for row in differences.speakers) == len(voices)  # every quote still counted
        listed = [(row["outlet"], row["speaker"]) for row in differences.speakers]
        assert len(listed) == len(set(listed))  # one row per outlet and person
        said = {voice["speaker"] for voice in voices}
        shown = {speaker for _, speaker in listed}
        proper = {name for name in said if " " in name and all(word[:1].isupper() for word in name.split())}
        for name in said:
            if " " in name or not name[:1].isupper():
                continue
            fuller = {other for other in proper if other.endswith(" " + name)}
            if len(fuller) == 1:
                merged += 1
                assert name not in shown and fuller <= shown, name  # counted under its full name
            elif fuller:
                assert name in shown, name  # which Cheney: left as said
    assert merged >= 10  # Trump, Christie, Pelosi, McConnell, Perry, Arpaio, Cornyn, ... in ten BASIL events


def test_a_quote_edit_shows_each_outlets_words_as_words_not_struck_through(basil10):
    """ "only Fox News: <del>we have to do it … Trump</del>": struck through, an outlet's own words read as cut or
    false, and were hard to read."""
    edits = [quote_edits_html(differences) for _, differences, _ in _stories(basil10)]
    items = [item for html in edits for item in re.findall(r"<li.*?</li>", html)]
    assert len(items) >= 10
    for item in items:
        assert not re.search(r"<(del|ins|s|strike)\b|line-through", item), item
        assert re.search(r"only [^:<]+: “[^”]*.*; only [^:<]+: “", item), item


def test_a_row_of_the_claims_chart_names_its_story(basil10, saved_basil10, monkeypatch):
    """A row of "Which outlet reports which shared fact" was named by a statement only: which event it belonged to,
    a reader had to guess. Its hover names the story, by the headline the story list gives it."""
    import plotly.io
    from streamlit.testing.v1 import AppTest

    from compare.views.story import story_summaries

    headlines = {summary.id: summary.headline for summary in story_summaries(basil10)}
    claims = {claim["id"]: claim for claim in basil10["clusters"]}
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved_basil10))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert not app.exception
    figures = [plotly.io.from_json(chart.proto.spec) for chart in app.get("plotly_chart")]
    heatmap = next(figure for figure in figures if figure.data and figure.data[0].type == "heatmap").data[0]
    assert "%{customdata}" in heatmap.hovertemplate and len(heatmap.y) == 40
    for claim_id, row in zip(heatmap.y, heatmap.customdata):
        named = {headlines[story] for story in claims[claim_id]["story_ids"]}
        assert row[0] and all(cell == row[0] for cell in row)
        assert any(row[0].startswith(headline[:60]) for headline in named), (row[0], named)


def test_word_swaps_say_how_often_each_outlet_uses_each_variant(basil10):
    """The Outlets page's word swaps named the outlets using a variant, and on BASIL "illegal immigrants" and
    "undocumented immigrants" both read "Fox News, HuffPost, The New York Times": who prefers which was not said."""
    from compare.model.documents import article_id_of
    from compare.views.tables import swap_table

    outlet_of = {article["id"]: article["outlet"] for article in basil10["articles"]}
    rows = swap_table(basil10)
    assert {row["variant"] for row in rows} >= {"illegal immigrants", "undocumented immigrants"}  # not "the war"
    swaps = {(swap["label"], term): swap for swap in basil10["word_swaps"] for term in swap["outlets"]}
    for row in rows:
        swap = swaps[(row["wording"], row["variant"])]
        uses = [outlet_of[article_id_of(sid)] for sid in swap["statement_ids"][row["variant"]]]
        counted = dict(re.findall(r"([^,]+?) (\d+)(?:, |$)", row["uses per outlet"]))
        assert {outlet: int(n) for outlet, n in counted.items()} == {o: uses.count(o) for o in set(uses)}, row


def test_the_report_names_each_story_as_the_dashboard_does(basil10):
    """The HTML report named a story after its first-listed article, the dashboard after its earliest: BASIL's
    Cantor story was "GOP Smackdown: Rep. Labrador…" in one and "Eric Cantor Defeated by David Brat…" in the other."""
    import html

    import numpy as np

    from compare.views.report import render_report
    from compare.views.story import story_summaries

    class NoRegistry:
        def describe(self, outlet: str) -> Any:
            return type("Facts", (), {"country": "", "type": ""})()

    vectors = np.random.default_rng(0).normal(size=(len(basil10["statements"]), 4))  # the map's; not pinned
    report = render_report(basil10, vectors, NoRegistry())
    contents = report[report.index("<nav>") : report.index("</nav>")]
    named = [html.unescape(name) for name in re.findall(r"<li><a href='#[^']+'>(.*?)</a>", contents)]
    assert sorted(named) == sorted(summary.headline for summary in story_summaries(basil10))
