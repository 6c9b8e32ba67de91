"""What the writer keeps for the dashboard (compare.engines.summaries, compare.engines.keys): the story list's rows
equal what the whole analysis computes, and an update that makes only the touched stories' rows again ends where
a whole write of the same analysis does."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compare.engines.saved
from compare.engines.browse import SavedQueries
from compare.engines.keys import store_indexes
from compare.engines.summaries import SUMMARY_TABLE, write_story_summaries
from compare.io.tables import reading
from compare.model.documents import Story
from compare.pipeline import analysis_from_dict, save_analysis
from compare.views.story import story_summaries

GOLDEN = Path(__file__).parent / "golden"


def _listed(folder: Path) -> list[tuple[Any, ...]]:
    rows = SavedQueries(folder).summary_rows()
    return [(r["id"], r["headline"], r["entities"], r["first"], r["last"], r["outlets"], r["articles"]) for r in rows]


def _expected(analysis: Any) -> list[tuple[Any, ...]]:
    return [
        (s.id, s.headline, s.entities, s.first, s.last, s.outlets, s.articles)
        for s in story_summaries(json.loads(json.dumps(analysis.to_dict())))
    ]


def _stored(folder: Path) -> tuple[list[tuple[Any, ...]], set[str]]:
    with reading(folder) as store:
        rows = store.connection.execute(f"SELECT * FROM {SUMMARY_TABLE} ORDER BY _pos").fetchall()
        return rows, store_indexes(store)


def test_an_update_remakes_only_the_touched_stories_and_ends_as_a_whole_write(tmp_path, monkeypatch):
    with gzip.open(GOLDEN / "basil10.analysis.json.gz", "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    vectors = np.zeros((len(data["statements"]), 384), dtype=np.float32)
    before = analysis_from_dict(data, vectors)
    updated, whole = tmp_path / "updated", tmp_path / "whole"
    save_analysis(before, updated)
    assert _listed(updated) == _expected(before) and any(row[2] for row in _listed(updated))

    # As adding articles can: a story gone, one moved to the front, one losing an article, a new one, a
    # headline changed (an article's title) and an article's statements changed (its entities dropped).
    stories = list(before.stories)
    gone, moved, shrunk = stories[0], stories[-1], stories[1]
    lone = shrunk.article_ids[-1]
    stories = [moved, replace(shrunk, article_ids=shrunk.article_ids[:-1]), *stories[2:-1]]
    stories.append(Story("story-new", (lone,), (next(a.outlet for a in before.articles if a.id == lone),)))
    retitled = stories[3].article_ids[0]
    articles = [replace(a, title="A title changed") if a.id == retitled else a for a in before.articles]
    quieted = stories[4].article_ids[0]
    statements = [replace(s, entities=()) if s.article_id == quieted else s for s in before.statements]
    after = replace(before, stories=stories, articles=articles, statements=statements)

    remade: list[Any] = []

    def recorded(store: Any, chosen: Any = None) -> int:
        remade.append(chosen)
        return write_story_summaries(store, chosen)

    with monkeypatch.context() as patched:
        patched.setattr(compare.engines.saved, "write_story_summaries", recorded)
        save_analysis(after, updated, previous=before)
    assert remade == [{"story-new", shrunk.id, stories[3].id, stories[4].id}]  # not the moved or untouched ones
    save_analysis(after, whole)
    assert _stored(updated) == _stored(whole)
    assert _listed(updated) == _expected(after)
    listed = {row[0]: row for row in _listed(updated)}
    assert gone.id not in listed and listed[moved.id] == _listed(whole)[0]
    assert _listed(updated) != _expected(before)


@pytest.mark.parametrize("name", ["seeds", "basil10"])
def test_the_stored_story_list_equals_the_whole_analysis_story_list(tmp_path, name):
    with gzip.open(GOLDEN / f"{name}.analysis.json.gz", "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    analysis = analysis_from_dict(data, np.zeros((len(data["statements"]), 384), dtype=np.float32))
    save_analysis(analysis, tmp_path)
    rows, _ = _stored(tmp_path)
    assert len(rows) == len(data["stories"]) > 0
    assert _listed(tmp_path) == _expected(analysis)
