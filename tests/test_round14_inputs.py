"""Round 14: corpus shapes and sidecar rows nobody had tried (files written by the test)."""

from __future__ import annotations

import shutil

from compare.ingest import load_corpus
from tests.conftest import SEEDS

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def test_a_sidecar_row_for_a_file_not_in_the_folder_and_two_outlets_for_one_file_are_said(tmp_path):
    """Before: a sources.csv row naming a file the folder does not hold (a page renamed after the sidecar was
    written) was dropped without a word, so that page was read without its outlet and date; and two rows giving
    one file two outlets were said as a plain repeat ("names it again; the later row is used")."""
    for page in SEED_PAGES[:2]:
        shutil.copy(page, tmp_path / page.name)
    first, second = SEED_PAGES[0].name, SEED_PAGES[1].name
    (tmp_path / "sources.csv").write_text(
        "file,outlet,published\n"
        f"{first},China Daily,2024-04-03\n"
        f"{second},Metro Herald,2021-11-16\n"
        "renamed_page.txt,Metro Herald,2021-11-17\n"
        f"{second},Daily Planet,2021-11-16\n",
        encoding="utf-8",
    )
    corpus = load_corpus([tmp_path])
    assert sorted(article.outlet for article in corpus.articles) == ["China Daily", "Daily Planet"]
    (said,) = [problem.message for problem in corpus.problems if problem.source == str(tmp_path / "sources.csv")]
    assert (
        f"line 5 names '{second}' again (first on line 3, and they differ: outlet 'Metro Herald', then"
        " 'Daily Planet'); the later row is used" in said
    )
    assert "1 row names a file not in its folder ('renamed_page.txt'); their metadata is not used" in said


def test_an_outlet_name_of_500_characters_is_cut_with_a_note(tmp_path):
    """Before: an outlet of 510 characters (a title or a text shifted into the outlet column) was kept whole, in
    every legend, table and link of the dashboard; a title that long was cut since round 11."""
    import json

    long_name = "The " + "Very " * 99 + "Long Outlet"
    rows = [
        {"id": "long", "outlet": long_name, "text": SEED_PAGES[0].read_text(encoding="utf-8")},
        {"id": "emoji", "outlet": "📰🔥", "text": SEED_PAGES[1].read_text(encoding="utf-8")},
    ]
    table = tmp_path / "rows.jsonl"
    table.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([table])
    outlets = {article.id: article.outlet for article in corpus.articles}
    assert outlets["emoji"] == "📰🔥"  # a short name of emoji is a name (round 11), kept
    assert outlets["long"] == ("The " + "Very " * 19).rstrip() + "…"
    assert [problem.message for problem in corpus.problems] == [
        "outlet is 510 characters; cut to its first 98 (an outlet's name is at most 100 here; is another field,"
        " such as the title or the text, in the outlet field?)"
    ]


def test_a_text_that_is_its_title_said_again_and_again_is_named_not_analysed(tmp_path):
    """Before: a row whose text was its title 30 times (a scraper saving the headline in a loop) passed the length
    check and was analysed as 30 identical statements, counted in every figure of its outlet."""
    import json

    title = "Russian and French defense chiefs discuss Ukraine in a rare call"
    rows = [
        {"id": "loop", "outlet": "Fox News", "title": title, "text": " ".join([f"{title}."] * 30)},
        {"id": "seed", "outlet": "Reuters", "title": title, "text": SEED_PAGES[0].read_text(encoding="utf-8")},
    ]
    table = tmp_path / "rows.jsonl"
    table.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([table])
    assert [article.id for article in corpus.articles] == ["seed"]  # the real text under that title is read
    assert [(problem.source, problem.message) for problem in corpus.problems] == [
        (f"{table}:1", "the text is its title said 30 times (330 words), not an article; skipped")
    ]
