"""The sixth tour (docs/dashboard.md, "Tour note 4"... "A sixth tour"): the dashboard with many outlets once more: a
story told by many outlets, the Map by outlet, the order of outlet names, counts of 1,000 and more. Each fix has a
test that failed before it.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from .conftest import CHROMIUM, serve_dashboard
from .test_dashboard_tour15 import _copies

GOLDEN = Path(__file__).resolve().parent / "golden"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _golden() -> dict[str, Any]:
    return json.loads(gzip.decompress((GOLDEN / "basil10.analysis.json.gz").read_bytes()))


def _renamed_to(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every string of ``names`` (as a value or a key) replaced by its new name."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_renamed_to(item, names) for item in value]
    if isinstance(value, dict):
        return {_renamed_to(key, names): _renamed_to(item, names) for key, item in value.items()}
    return value


def _told_by_many(copies: int) -> tuple[dict[str, Any], str]:
    """The golden BASIL10 analysis (real articles, the real model's output) copied under ``copies`` sets of outlet
    names, the first event's copies made one story: a story told by 3 x ``copies`` outlets, as ECB+'s 19-outlet
    story (the other events' stay three-outlet stories). Returns the analysis and that story's id."""
    analysis = _copies(_golden(), copies)
    first = analysis["stories"][0]["id"]
    ids = {f"{first}~{number}": first for number in range(1, copies)}
    analysis = _renamed_to(analysis, ids)
    merged: dict[str, dict[str, Any]] = {}
    for story in analysis["stories"]:
        kept = merged.setdefault(story["id"], {**story, "article_ids": [], "outlets": []})
        kept["article_ids"] += story["article_ids"]
        kept["outlets"] = sorted({*kept["outlets"], *story["outlets"]})
    analysis["stories"] = list(merged.values())
    return analysis, first


def _saved(analysis: dict[str, Any], folder: Path) -> Path:
    """``analysis`` saved as `analyze --out` saves one (zero vectors: the map's places are not compared)."""
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    vectors = np.zeros((len(analysis["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(analysis, vectors), folder)
    return folder


@pytest.fixture(scope="module")
def many_outlet_story(tmp_path_factory) -> tuple[Path, str]:
    """A saved analysis with a story told by nine outlets, and that story's id."""
    analysis, story = _told_by_many(3)
    return _saved(analysis, tmp_path_factory.mktemp("nine_outlets")), story


def _cards_in_columns(app) -> int:
    return sum(element.value.count('id="px-statement-') for element in app.markdown if "<details" not in element.value)


def _folds(app) -> list[str]:
    """The markdown of folds holding statement cards (the key differences' folds hold links, not cards)."""
    return [
        element.value
        for element in app.markdown
        if "<details" in element.value and 'id="px-statement-' in element.value
    ]


def test_a_story_of_many_outlets_sets_the_busiest_side_by_side_and_folds_the_others(many_outlet_story, monkeypatch):
    """ECB+'s story told by 19 outlets drew every reporting outlet's cards under each fact, four to a line: the story
    page was 25,000 px tall at 1440 px. Past six outlets the columns are the four with the most statements in the
    story (said in a caption, a picker to change them) and each fact's other outlets are folded under it; a story
    of three outlets is drawn as before."""
    from streamlit.testing.v1 import AppTest

    folder, story = many_outlet_story
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(folder))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    app.query_params["story"] = story
    app.run()
    assert not app.exception
    picker = app.multiselect(key=f"px_side_by_side_{story}")
    assert len(picker.options) == 9 and len(picker.value) == 4
    captions = " ".join(caption.value for caption in app.caption).replace("\\", "")  # markdown's escapes
    assert "9 outlets are too many to set side by side: the columns are the 4 with the most statements" in captions
    heads = [element.value for element in app.markdown if "border-bottom:3px solid" in element.value]
    assert len(heads) == 4  # one head per column, the four picked
    folds = _folds(app)
    assert folds and all("report" in fold for fold in folds)  # "2 more outlets report it: …"
    in_columns = _cards_in_columns(app)

    chosen = [outlet for outlet in picker.options if outlet not in picker.value][:2]
    app.multiselect(key=f"px_side_by_side_{story}").set_value(chosen).run()
    heads = [element.value for element in app.markdown if "border-bottom:3px solid" in element.value]
    assert len(heads) == 2 and all(any(outlet in head for head in heads) for outlet in chosen)
    assert "the 2 chosen above" in " ".join(caption.value for caption in app.caption).replace("\\", "")
    assert _cards_in_columns(app) != in_columns

    few = AppTest.from_file(DASHBOARD, default_timeout=180)  # three outlets: a column each, no picker, no fold
    few.query_params["page"] = "Compare a story"
    few.query_params["story"] = _golden()["stories"][1]["id"]
    few.run()
    assert not few.exception
    assert not [widget for widget in few.multiselect if widget.key.startswith("px_side_by_side_")]
    assert len([element for element in few.markdown if "border-bottom:3px solid" in element.value]) == 3
    assert not _folds(few)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_the_other_outlets_of_a_fact_are_one_click_away(many_outlet_story, browser):
    """In a browser: under a fact of a many-outlet story, the cards of the outlets not side by side are hidden until
    their fold is opened, and one click shows them."""
    folder, story = many_outlet_story
    with serve_dashboard({"PARALLAX_ANALYSIS": str(folder)}) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{base}/?page=Compare+a+story&story={story}")
        page.get_by_text("Only here", exact=True).wait_for(timeout=300_000)  # drawn after the aligned facts
        closed = page.locator(
            "[data-testid=stMain] details:not([open])", has_text=re.compile(r"more outlets? reports? it")
        )
        closed.first.wait_for(timeout=60_000)  # the facts stream in: waited for, not counted at one moment
        fold = closed.first.element_handle()  # held: a locator of closed folds would move on to the next once opened
        cards = fold.query_selector_all("[id^=px-statement-]")
        assert len(cards) >= 1 and not cards[0].is_visible()
        fold.query_selector("summary").click()
        cards[0].wait_for_element_state("visible", timeout=10_000)
        assert all(card.is_visible() for card in cards)
        page.close()


def test_outlet_names_sort_without_case_or_article_and_numbers_by_value():
    """Outlet names sorted as text: "Fox News~10" before "Fox News~2", "zimbio.com" after every capital, "The New
    York Times" under T. One key, case- and article-insensitive with numbers by value, orders them everywhere."""
    from compare.model.names import by_name, name_key

    names = ["zimbio.com", "The New York Times", "Fox News~10", "abc.net.au", "Fox News~2", "Zeit Online", "Newsweek"]
    assert by_name(names) == [
        "abc.net.au",
        "Fox News~2",
        "Fox News~10",
        "The New York Times",  # under N, word by word: "New York" before "Newsweek", as an index sorts
        "Newsweek",
        "Zeit Online",
        "zimbio.com",
    ]
    assert by_name(["ecb-12_10ecb", "ecb-12_2ecb", "ECB-12_3ecb"]) == ["ecb-12_2ecb", "ECB-12_3ecb", "ecb-12_10ecb"]
    assert name_key("The Hill") < name_key("the hill") and name_key("Hill") < name_key("The Hill")  # ties: one order
    assert by_name(["Zeit", "Écho", "Eco"]) == ["Écho", "Eco", "Zeit"]  # an accented letter is not one after z


def _mixed_case_copies() -> dict[str, Any]:
    """BASIL10 under 33 outlet names (``Fox News~10``, ``huffpost~3``, ``The New York Times``…), each story's and
    claim's outlets stored sorted as text, as the pipeline stores them."""
    analysis = _copies(_renamed_to(_golden(), {"HuffPost": "huffpost"}), 11)
    for key in ("stories", "clusters"):
        analysis[key] = [{**row, "outlets": sorted(row["outlets"])} for row in analysis[key]]
    return analysis


def test_every_page_the_report_and_the_cli_list_outlets_in_that_order(tmp_path, monkeypatch):
    """The Overview's outlet table, the Outlets page's picker, the timeline, the story list, the story page (its
    picker, headlines and aligned columns), the report and `show --story --json` listed outlets as text sorts them."""
    from streamlit.testing.v1 import AppTest

    from compare.ingest import load_registry
    from compare.model.names import by_name
    from compare.views import charts
    from compare.views.aligned import aligned_story
    from compare.views.comparison import story_comparison
    from compare.views.differences import story_scope
    from compare.views.report import render_report
    from compare.views.story import headline_rows, story_summaries
    from compare.views.tables import outlet_names, outlet_table

    analysis = _mixed_case_copies()
    every = sorted({article["outlet"] for article in analysis["articles"]})
    expected = by_name(every)
    assert expected != every and expected.index("Fox News~2") < expected.index("Fox News~10")
    assert expected.index("huffpost") < expected.index("The New York Times")
    assert outlet_names(analysis) == expected
    assert [row["outlet"] for row in outlet_table(analysis, load_registry())] == expected
    assert list(charts.timeline(analysis).layout.yaxis.categoryarray) == expected
    story = next(story for story in analysis["stories"] if story["id"].endswith("~10"))
    told = ["Fox News~10", "huffpost~10", "The New York Times~10"]
    assert story["outlets"] != told  # stored as text sorts them
    assert next(s for s in story_summaries(analysis) if s.id == story["id"]).outlets == tuple(told)
    assert aligned_story(analysis, story_scope(analysis, story["id"])).outlets == told
    assert list(dict.fromkeys(row["outlet"] for row in headline_rows(analysis, story))) == told
    comparison = story_comparison(analysis, story["id"])
    assert comparison is not None and comparison["outlets"] == told
    page = render_report(analysis, None, load_registry())
    assert page.index("<th>huffpost~10</th>") < page.index("<th>The New York Times~10</th>")

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(_saved(analysis, tmp_path / "saved")))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Outlets"
    app.run()
    assert not app.exception
    assert list(app.multiselect(key="px_outlets").options) == expected
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.query_params["page"] = "Compare a story"
    app.query_params["story"] = story["id"]
    app.run()
    assert not app.exception
    assert list(app.multiselect(key="px_story_outlets").options) == told


def test_the_map_of_many_outlets_colours_the_busiest_and_greys_the_rest():
    """The Map coloured by outlet drew ECB+'s 181 outlets as 181 legend entries (the figure 4,220 px tall), the 15
    colours over and over so that no dot could be told by its colour. Past 12 outlets it colours the 12 with the
    most articles, each its own colour, and draws the others as one grey group; chosen outlets are coloured."""
    from compare.views import charts

    analysis = _copies(_golden(), 10)  # 30 outlets
    vectors = np.random.default_rng(0).normal(size=(len(analysis["statements"]), 8)).astype(np.float32)
    figure = charts.statement_map(analysis, vectors, colour_by="outlet")
    names = [trace.name for trace in figure.data]
    assert len(names) == 13 and "18 other outlets" in names
    coloured = [trace.marker.color for trace in figure.data if trace.name != "18 other outlets"]
    assert len(set(coloured)) == 12  # no two alike
    grey = next(trace for trace in figure.data if trace.name == "18 other outlets")
    assert grey.marker.color not in coloured and len(grey.x) > 0
    assert figure.layout.height < 1000
    assert {trace.name for trace in figure.data} - {grey.name} == set(charts.coloured_outlets(analysis) or [])

    chosen = ["Fox News~3", "HuffPost~7", "The New York Times"]
    few = charts.statement_map(analysis, vectors, chosen, colour_by="outlet")
    assert sorted(trace.name for trace in few.data) == sorted(chosen)
    assert len({trace.marker.color for trace in few.data}) == 3  # 30 outlets repeat the 15 colours: not these three
    golden = _golden()
    three = charts.statement_map(golden, vectors[: len(golden["statements"])], None, "outlet")
    assert len(three.data) == 3  # three outlets: each its own colour, as in every other chart, no grey group


def test_counts_of_a_thousand_and_more_have_their_separator_in_grids_and_hovers(tmp_path, monkeypatch):
    """The pages' text said "10,200" (polish16), but Streamlit's grids printed "10200" (the outlet table's articles,
    the story list's) and plotly's hovers and bar labels "1234 statements"."""
    from streamlit.testing.v1 import AppTest

    from compare.views import charts
    from compare.views.tables import drift_rows

    rows = [
        {"outlet": outlet, "measure": measure, "count": 1234 + number}
        for number, outlet in enumerate(["Fox News", "HuffPost"])
        for measure in ("shared facts it reports", "statements only it reports")
    ]
    telling = charts.story_telling_chart(rows, "Storm")
    assert list(telling.data[0].text) == ["1,234", "1,235"] and "%{x:,}" in telling.data[0].hovertemplate
    analysis = _golden()
    tone = charts.tone_toward_actors_chart(
        [{**row, "statements": 1200} for row in analysis["tone_toward_actors"]], None, None
    )
    assert all(label.startswith("n=1,200") for trace in tone.data for label in trace.text)
    assert "%{customdata:,}" in tone.data[0].hovertemplate
    drift = charts.drift_chart(drift_rows(analysis, "tone"), "Tone")
    assert ":,}" in drift.data[0].hovertemplate
    heat = charts.coverage_heatmap(analysis)
    assert "%{z:,}" in heat.data[0].hovertemplate

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(_saved(analysis, tmp_path / "saved")))
    app = AppTest.from_file(DASHBOARD, default_timeout=180).run()
    assert not app.exception
    configs = [json.loads(frame.proto.columns or "{}") for frame in app.dataframe]
    outlets = next(config for config in configs if "articles" in config and "headline" not in config)
    assert outlets["articles"]["type_config"]["format"] == "%,d"
    stories = next(config for config in configs if "headline" in config)
    assert stories["articles"]["type_config"]["format"] == "%,d"
