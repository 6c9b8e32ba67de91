"""An addition large beside its saved run is made in full: the saved articles' term weights keep the document
frequencies of their own run, so adding one undated seed to two joined three stories that a full run keeps as two
(found by robust18's helper: 1 story and 13 cross-outlet claims against 2 stories and 1). The shipped model, the
seeds' pages copied without their sources.csv (so two of them are undated, as a researcher's folder often is)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from compare.cli import main
from compare.engines.incremental import runs_in_full
from compare.ingest import Corpus, load_corpus
from compare.io.store import Store
from compare.pipeline import analyze, extend, read_saved_analysis
from tests.conftest import SEEDS

PAGES = sorted(SEEDS.glob("*.txt"))


def _stories(stories) -> list[list[str]]:
    return sorted(sorted(story["article_ids"] if isinstance(story, dict) else story.article_ids) for story in stories)


@pytest.fixture
def bounded(monkeypatch):
    """The user's default: the bounds of ``runs_in_full`` apply (the suite adds in place everywhere else)."""
    monkeypatch.delenv("PARALLAX_ADD_IN_PLACE", raising=False)


def test_the_bounds_name_a_small_saved_run_and_a_large_addition(bounded):
    assert "2 articles" in runs_in_full(2, 1)
    assert "more than 10%" in runs_in_full(100, 11)
    assert runs_in_full(100, 10) is None
    assert runs_in_full(10_200, 1) is None
    assert runs_in_full(2, 0) is None


def test_an_addition_to_a_small_saved_run_gives_a_full_runs_stories_and_says_so(tmp_path, monkeypatch, capsys, bounded):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    for page in PAGES[:2]:
        shutil.copy(page, folder)
    out, full = tmp_path / "out", tmp_path / "full"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    shutil.copy(PAGES[2], folder)
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert "the saved run has 2 articles" in capsys.readouterr().err
    assert main(["analyze", str(folder), "--out", str(full), "--quiet", "--full"]) == 0
    added, whole = read_saved_analysis(out)[0], read_saved_analysis(full)[0]
    assert len(added["articles"]) == 3
    assert _stories(added["stories"]) == _stories(whole["stories"])
    assert len(whole["stories"]) == 2  # the Stock Groups rewrite apart from China Daily's two calls


def test_the_python_api_adds_to_a_small_analysis_as_a_full_run_would(tmp_path, bounded):
    store = Store(tmp_path / "store.sqlite3")
    undated = [replace(article, published=None) for article in load_corpus([str(page) for page in PAGES[:3]]).articles]
    whole = analyze(Corpus(undated), store=store, with_framing=False)
    saved = analyze(Corpus(undated[:2]), store=store, with_framing=False)
    added = extend(saved, Corpus(undated[2:]), store=store)
    assert _stories(added.stories) == _stories(whole.stories)
    assert len(whole.stories) == 2
