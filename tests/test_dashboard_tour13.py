"""The third tour's leftovers (docs/dashboard.md, "A third tour", "Left, and why"), each fixed with a test that
failed before its fix. They read the golden analyses (real articles, the real model's output, pinned by
tests/test_golden.py), in memory and saved as `analyze --out` saves one.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def _golden(name: str) -> dict[str, Any]:
    return json.loads(gzip.decompress((GOLDEN / f"{name}.analysis.json.gz").read_bytes()))


@pytest.fixture(scope="module")
def seeds() -> dict[str, Any]:
    return _golden("seeds")


@pytest.fixture(scope="module")
def saved_seeds(seeds, tmp_path_factory) -> Path:
    """The golden seeds analysis saved as `analyze --out` saves one (zero vectors: nothing here reads them)."""
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    folder = tmp_path_factory.mktemp("seeds")
    vectors = np.zeros((len(seeds["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(json.loads(json.dumps(seeds)), vectors), folder)
    return folder


# What a visitor may paste with a word: a zero-width space, a soft hyphen, left-to-right and right-to-left marks.
PASTED = ["Ukra\u200bine", "Uk\u00adraine", "\u200eUkraine\u200f", "U\u2060kraine\ufeff"]


def test_a_pasted_invisible_character_does_not_hide_a_story_from_search(seeds, saved_seeds):
    """ "Ukra\u200bine" pasted from a web page found no story: the words kept the zero-width space that ingest
    strips from every article. The search now strips what ingest strips, in memory and in a saved analysis."""
    from compare.engines.browse import SavedQueries
    from compare.views.reading import InMemoryAnalysis, SavedAnalysis

    in_memory = InMemoryAnalysis(seeds, np.zeros((0, 1)))
    saved = SavedAnalysis(SavedQueries(saved_seeds), whole=lambda: pytest.fail("read whole"))
    for view in (in_memory, saved):
        ukraine = [summary.id for summary in view.search(view.summaries(), "Ukraine")]
        assert len(ukraine) == 5  # every seed story is about Ukraine
        for pasted in PASTED:
            assert [summary.id for summary in view.search(view.summaries(), pasted)] == ukraine, pasted
        only_macron = [summary.id for summary in view.search(view.summaries(), "Mac\u200bron Pu\u00adtin")]
        assert only_macron and len(only_macron) < len(ukraine)
        assert view.search(view.summaries(), "\u200b") == view.summaries()  # nothing to look for: every story


@pytest.fixture(scope="module")
def basil10() -> dict[str, Any]:
    return _golden("basil10")


@pytest.fixture(scope="module")
def saved_basil10(basil10, tmp_path_factory) -> Path:
    from compare.engines.saved import analysis_from_dict
    from compare.pipeline import save_analysis

    folder = tmp_path_factory.mktemp("basil10")
    vectors = np.zeros((len(basil10["statements"]), 384), dtype=np.float32)
    save_analysis(analysis_from_dict(json.loads(json.dumps(basil10)), vectors), folder)
    return folder


def test_show_search_names_a_story_as_the_dashboard_does(basil10, saved_basil10):
    """`show --search` named a story by the headline that matched ("'America's Toughest Sheriff' Endorses Rick
    Perry"), the dashboard by its earliest article's ("Arizona Sheriff Joe Arpaio Endorses Rick Perry"): one
    story, two names. It now names it as the dashboard does, and shows the matching headline on a second line."""
    from compare.engines.queries import search_stories
    from compare.views.comparison import search_text
    from compare.views.story import story_summaries

    named = {summary.id: summary.headline for summary in story_summaries(basil10)}
    found = search_stories(saved_basil10, "Toughest Sheriff")
    assert [row["id"] for row in found] == ["story-ba3c32018e35"]
    assert found[0]["title"] == named["story-ba3c32018e35"] == "Arizona Sheriff Joe Arpaio Endorses Rick Perry"
    assert found[0]["matched"] == "'America's Toughest Sheriff' Endorses Rick Perry"
    assert search_text(found).splitlines() == [
        "story-ba3c32018e35: Arizona Sheriff Joe Arpaio Endorses Rick Perry (3 articles; Fox News, HuffPost, "
        "The New York Times)",
        "    found in the headline: 'America's Toughest Sheriff' Endorses Rick Perry",
    ]
    for query in ("Trump", "Senate", "Resigns", "sister", "the", "Mat\u200btis"):
        rows = search_stories(saved_basil10, query)
        assert rows, query
        for row in rows:
            assert row["title"] == named[row["id"]], (query, row)
            # a second headline only when the story's own does not hold the words
            assert row["matched"] is None or query.lower() not in row["title"].lower(), (query, row)
    assert search_stories(saved_basil10, "Mat\u200btis") == search_stories(saved_basil10, "Mattis")


def test_facts_every_outlet_reports_and_shared_facts_are_named_apart(basil10):
    """The CLI's "Shared facts (5): reported by every outlet" and the story page's "Where shared facts are placed
    (28)" (two or more outlets) counted different things under one name. Each now says which, in the same words in
    the CLI, on the story page and in the HTML report: a reader sees two counts of two things."""
    import re

    from compare.ingest import load_registry
    from compare.views.aligned import aligned_story
    from compare.views.comparison import comparison_text, story_comparison
    from compare.views.differences import story_scope
    from compare.views.report import render_report, story_section_html

    registry = load_registry()
    told_apart = 0
    for story in basil10["stories"]:
        comparison = story_comparison(basil10, story["id"])
        assert comparison is not None
        every = len(comparison["shared"])  # every outlet of the story
        lines = comparison_text(comparison).splitlines()
        assert f"Facts every outlet reports ({every})" in lines
        assert not any(line.startswith("Shared facts") for line in lines)
        scope = story_scope(basil10, story["id"])
        aligned = aligned_story(basil10, scope)
        page = story_section_html(basil10, scope, aligned, registry)
        placed = re.search(r"Where shared facts \(two or more outlets\) are placed <span[^>]*>\((\d+)\)", page)
        assert placed, story["id"]
        told_apart += int(placed.group(1)) > every  # two counts of two things: they differ somewhere
    assert told_apart
    report = render_report(basil10, None, registry)
    assert report.count("shared facts (two or more outlets)</span>") == len(basil10["stories"])  # each story's summary


def test_a_charts_csv_holds_shares_to_four_decimals_and_counts_exact(basil10, tmp_path):
    """The CSV of a chart held shares to 17 digits (0.1016949152542373), which a reader's spreadsheet rounds at
    random widths. Each chart's CSV, the dashboard's download and `export`'s NAME.data.csv, now holds fractions to
    four decimals (a hundredth of a percent) and counts exactly."""
    import csv
    import io

    import pandas as pd

    from compare.cli.exports import export_files
    from compare.views.charts import all_charts, figure_rows
    from compare.views.spreadsheet import csv_bytes

    downloaded = list(csv.DictReader(io.StringIO(csv_bytes(pd.DataFrame(basil10["voice_share"])).decode())))
    assert len(downloaded) == len(basil10["voice_share"])
    for row, table in zip(downloaded, basil10["voice_share"]):
        assert row["count"] == str(table["count"])  # a count as it is
        assert row["share"] == str(round(table["share"], 4)), row  # "0.1017", not "0.1016949152542373"
    assert any(len(str(table["share"])) > 8 for table in basil10["voice_share"])  # there were long ones
    drawn = figure_rows(all_charts(basil10)["voices"])
    shares = [row["x"] for row in drawn]
    assert shares and all(share == round(share, 4) for share in shares)
    drawn_shares = sorted(share for share in shares if share)  # a side an outlet never quotes is a bar of 0
    assert drawn_shares == sorted(round(table["share"], 4) for table in basil10["voice_share"] if table["share"])
    # `export`'s chart CSVs (its images as HTML here: no browser needed), read back: no number past four decimals
    export_files(basil10, None, tmp_path, "html")
    data = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.data.csv")}
    assert "voices.data.csv" in data
    for name, text in data.items():
        for row in csv.DictReader(io.StringIO(text)):
            for column in ("x", "y", "value"):
                number = row.get(column) or ""
                if number.replace(".", "", 1).lstrip("-").isdigit():
                    assert len(number.partition(".")[2]) <= 4, (name, column, number)


def test_the_reports_map_draws_each_outlet_in_its_colour_elsewhere(basil10):
    """The third tour read the report's map as coloured by plotly's defaults. It is not (checked on the tour's own
    reports: #E13C00, #0000F0, #5AD2A5, the outlets' colours); this keeps it so: each outlet's dots on the
    report's map have the colour its line has on the timeline and its part of each story's coverage bar."""
    import re

    from compare.ingest import load_registry
    from compare.views.charts import all_charts
    from compare.views.report import render_report
    from compare.views.story_html import outlet_colours
    from compare.views.tables import outlet_names

    vectors = np.random.default_rng(0).normal(size=(len(basil10["statements"]), 8)).astype(np.float32)
    figures = all_charts(basil10, vectors)
    on_map = {trace.name: trace.marker.color for trace in figures["map"].data}
    on_timeline = {trace.name: trace.marker.color for trace in figures["timeline"].data}
    assert set(on_map) == set(outlet_names(basil10)) and on_map == on_timeline
    assert on_map == outlet_colours(outlet_names(basil10))
    report = render_report(basil10, vectors, load_registry())
    drawn = report[report.index('id="chart-map"') : report.index('id="chart-map"') + 2_000_000]
    assert re.findall(r'"marker":\{"color":"(#[0-9A-F]{6})"', drawn)[:3] == [on_map[name] for name in sorted(on_map)]


def test_a_link_to_a_search_carries_the_words_without_the_invisible_characters():
    """The link box of a search for a pasted "Ukra\u200bine" read `q=Ukra%E2%80%8Bine`: the zero-width space went
    into every shared link. The link now carries the words searched, as the search reads them."""
    from compare.views.url_state import linked_view, share_query, share_state

    settings = {"page": "Compare a story", "saved": True}
    for pasted in PASTED:
        state = share_state(settings, None, None, pasted)
        assert state["q"] == "Ukraine", pasted
        assert share_query(state) == "?page=Compare+a+story&q=Ukraine"
        assert linked_view({"q": state["q"]}).search == "Ukraine"
    assert "q" not in share_state(settings, None, None, " \u200b\u00ad ")  # nothing searched: no search in the link
