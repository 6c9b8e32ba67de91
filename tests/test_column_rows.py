"""Statements and articles read as columns when articles are added (``compare.io.column_rows``): the rows asked
for are the stored ones, in place, and an addition that makes only the rows it reaches stores what a whole read
would have stored."""

from __future__ import annotations

import gc
import shutil

import numpy as np

from compare.cluster import stories_from_labels
from compare.engines.analysis import corpus_problems
from compare.framing import APPENDED_TABLES, CARRIED_TABLES, terms
from compare.framing.entities import entity_counts
from compare.ingest import load_corpus, load_registry
from compare.io import column_rows
from compare.io.collector import back_on, off_for_command
from compare.io.column_rows import ColumnRows, column_of, extends
from compare.io.pages import huge_pages
from compare.io.store import Store
from compare.io.tables import reading, writing
from compare.model.documents import Article, Statement
from compare.pipeline import analysis_from_dict, analyze, extend, load_analysis, save_analysis

from .conftest import multi_outlet_corpus
from .test_store_add import _store_content
from .test_tables import _golden, _vectors


def _statements(count: int, first: int = 0) -> list[Statement]:
    return [
        Statement(
            id=f"a{row // 3}:{row % 3}",
            article_id=f"a{row // 3}",
            outlet=("Reuters", "The Guardian")[row % 2],
            index=row % 3,
            text=f"Statement {row} says {row * 7} people were there.",
            start=row,
            end=row + 10,
            kind="reported" if row % 4 else "quote",
            speaker=None if row % 5 else f"Speaker {row}",
            entities=() if row % 3 else ((f"{row * 7}", "CARDINAL"), ("Kyiv", "GPE")),
        )
        for row in range(first, first + count)
    ]


def test_rows_read_as_columns_are_the_stored_rows_made_where_asked(tmp_path):
    stored = _statements(40)
    with writing(tmp_path, fresh=True) as store:
        store.write_table("statements", Statement, stored)
    with reading(tmp_path) as store:
        rows = store.read_columns("statements", Statement)
        assert isinstance(rows, ColumnRows) and len(rows) == 40 and rows.unmade == 40
        # rows asked out of order, none of them the first: each is the stored row of its place, JSON decoded
        assert rows[37] == stored[37] and rows[-1] == stored[39] and rows[12].entities == stored[12].entities
        assert rows.unmade == 37 and rows[37] is rows[37]  # made once, then the same object
        assert rows[20:23] == stored[20:23] and rows.unmade == 34
        # a column without making the rows
        assert column_of(rows, "article_id") == [row.article_id for row in stored] and rows.unmade == 34
        assert column_of(rows, "entities") == [row.entities for row in stored] and rows.unmade == 34
        assert rows == stored and list(rows) == stored and rows.unmade == 0


def test_fields_left_unread_are_read_for_the_rows_made_a_block_at_a_time_then_whole(tmp_path, monkeypatch):
    """An addition reads every statement's id, article and outlet, but the text of the few hundred it makes rows
    of: the other fields are read a block of rows at a time around a row made (before: every text was read)."""
    monkeypatch.setattr(column_rows, "LATER_BLOCKS", 3)
    stored = _statements(60)
    with writing(tmp_path, fresh=True) as store:
        store.write_table("statements", Statement, stored)
    with reading(tmp_path) as store:
        rows = store.read_columns("statements", Statement, whole=("id", "article_id"), block_rows=8)
        assert list(rows.columns) == ["id", "article_id"]  # nothing else read yet
        # a row of rows 8-15 (one read), JSON decoded, its fields in order; then a row beside it: no new read
        assert rows[12] == stored[12] and rows[12].entities and list(vars(rows[12])) == list(vars(stored[12]))
        assert rows[9] == stored[9] and list(rows.blocks) == [1] and len(rows.blocks[1]["text"]) == 8
        assert rows[59] == stored[59] and sorted(rows.blocks) == [1, 7]  # the last block: rows 56-59
        # one field read whole, decoded, the others still by block; then a row of a block read before
        assert column_of(rows, "entities") == [row.entities for row in stored] and "text" not in rows.columns
        assert rows[15] == stored[15] and rows[15].entities == stored[15].entities
        # a third block read, then the fields still unread are read whole (rows made all over the table)
        assert rows[30] == stored[30] and rows[45] == stored[45] and "text" in rows.columns and not rows.blocks
        assert rows == stored and list(rows) == stored and column_of(rows, "speaker") == [r.speaker for r in stored]


def test_rows_added_to_rows_read_as_columns_are_appended_by_the_writer(tmp_path):
    stored, added = _statements(30), _statements(4, first=30)
    with writing(tmp_path, fresh=True) as store:
        store.write_table("statements", Statement, stored)
    with reading(tmp_path) as store:
        old = store.read_columns("statements", Statement)
        picked = old[25]
        grown = old + added
        assert extends(grown, old) and not extends(old + [], grown) and len(grown) == 34
        assert grown[25] is picked and grown[31] is added[1] and grown[29] is old[29]
        assert column_of(grown, "id") == [row.id for row in stored + added]
        assert old.unmade == 28  # rows 25 and 29 only
    with writing(tmp_path, fresh=False) as store:
        assert store.update_table("statements", Statement, old, grown) == 4  # the added rows only
    with reading(tmp_path) as store:
        assert store.read_table("statements", Statement) == stored + added


def test_an_addition_makes_only_the_statement_rows_it_reaches_and_stores_what_a_whole_read_stores(
    tmp_path, embedder, monkeypatch
):
    # distinctive terms counted as above 20,000 statements (else every statement's terms are counted again)
    monkeypatch.setattr(terms, "EXACT_TERMS_LIMIT", 0)
    monkeypatch.setattr(terms, "EXACT_TERMS_SHARE", 1)
    inputs = multi_outlet_corpus(tmp_path)  # the added article joins a story of the seeds, after the events' rows
    registry = load_registry()
    store = Store(tmp_path / "store.sqlite3")
    first = analyze(load_corpus(inputs[:-1], registry), embedder=embedder, store=store)
    save_analysis(first, tmp_path / "columns", index_manifest={})
    shutil.copytree(tmp_path / "columns", tmp_path / "rows")
    added = load_corpus(inputs[-1:], registry)

    previous = load_analysis(tmp_path / "columns", with_index=True, deferred=APPENDED_TABLES + CARRIED_TABLES)
    statements = previous.statements
    assert isinstance(statements, ColumnRows) and statements.unmade == len(statements) == len(first.statements)
    assert "text" not in statements.columns and "text" not in previous.articles.columns  # read where rows are made
    extended = extend(previous, added, embedder, store)
    save_analysis(extended, tmp_path / "columns", index_manifest={}, previous=previous)
    made = [row for row, found in enumerate(statements.made) if found is not None]
    assert 0 < len(made) < len(statements)  # the rows it reached, not all
    assert made != list(range(len(made)))  # and not the first ones only
    assert [statements[row] for row in made] == [first.statements[row] for row in made]

    whole_previous = load_analysis(tmp_path / "rows", with_index=True)
    assert isinstance(whole_previous.statements, list)
    expected = extend(whole_previous, added, embedder, store)
    save_analysis(expected, tmp_path / "rows", index_manifest={}, previous=whole_previous)
    assert len(expected.statements) > len(first.statements)
    updated, whole = _store_content(tmp_path / "columns"), _store_content(tmp_path / "rows")
    assert np.array_equal(updated.pop("vectors"), whole.pop("vectors"))
    assert updated.keys() == whole.keys()
    for name in updated:
        assert updated[name] == whole[name], name


def test_the_collector_turned_off_for_an_addition_comes_back_on_after_the_command():
    assert gc.isenabled()
    off_for_command()
    off_for_command()  # once is enough: a second call changes nothing
    assert not gc.isenabled()
    back_on()
    assert gc.isenabled()
    gc.disable()  # a caller that had it off: left off
    try:
        off_for_command()
        back_on()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_addition_makes_its_arrays_in_small_pages_and_a_later_full_run_gets_huge_pages_back():
    """The addition's float32 vectors and neighbour lists without numpy's request for huge pages, whose
    compaction cost a second of system time per addition (BENCHMARKS §5w); back on after the command."""
    from numpy._core import multiarray

    was = multiarray._get_madvise_hugepage()
    huge_pages(True)
    try:
        off_for_command()
        assert not multiarray._get_madvise_hugepage()
        back_on()
        assert multiarray._get_madvise_hugepage()
        huge_pages(False)  # a process started with NUMPY_MADVISE_HUGEPAGE=0: left off
        off_for_command()
        back_on()
        assert not multiarray._get_madvise_hugepage()
    finally:
        huge_pages(was)


def test_stories_corpus_problems_and_headline_counts_read_article_columns_without_making_rows(tmp_path):
    """What an addition computes over every stored article (the stories' ids, outlets and members, the corpus
    problems, the headlines searched for names new to an outlet) reads columns: no article row is made, and the
    result is that of the rows (BASIL: 10,203 articles made as rows cost 0.15 s of CPU per addition)."""
    data = _golden("basil10")
    saved = analysis_from_dict(data, _vectors(len(data["statements"])))
    save_analysis(saved, tmp_path)
    rows = list(saved.articles)
    labels = np.arange(len(rows)) % 4  # stories of several articles, with dated and undated members
    with reading(tmp_path) as store:
        articles = store.read_columns("articles", Article)
    assert articles == rows
    articles = store_rows = _columns_again(tmp_path)
    assert stories_from_labels(store_rows, labels) == stories_from_labels(rows, labels)
    assert corpus_problems(store_rows) == corpus_problems(rows)
    outlets = sorted({row.outlet for row in rows})
    counts, changed = entity_counts(rows[:2], saved.statements[:40], all_articles=rows)
    assert entity_counts(rows[:2], saved.statements[:40], all_articles=store_rows) == (counts, changed)
    assert articles.unmade == len(rows) and len(outlets) > 1  # every row still unmade


def _columns_again(folder) -> ColumnRows:
    with reading(folder) as store:
        return store.read_columns("articles", Article)
