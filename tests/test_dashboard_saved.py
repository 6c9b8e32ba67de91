"""The dashboard on a saved analysis read a view at a time (compare.engines.browse, compare.views.reading).

The store answers what the whole analysis answers (story list, search, heatmap, drift), the story page is
the same whichever way the analysis is read, and the Overview draws without reading the statements.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from compare.engines.browse import SavedQueries

_READS_STATEMENTS = re.compile(r'(FROM|JOIN) "?statements\b')
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
STORY_PAGE = "Compare a story"


@pytest.fixture(scope="module")
def layouts(events_analysis, tmp_path_factory) -> dict[str, Path]:
    """The multi-outlet corpus' analysis saved as a store and as an older version's analysis.json."""
    from compare.pipeline import save_analysis

    store = tmp_path_factory.mktemp("store")
    save_analysis(events_analysis, store)
    legacy = tmp_path_factory.mktemp("legacy")
    (legacy / "analysis.json").write_text(json.dumps(events_analysis.to_dict()), encoding="utf-8")
    np.save(legacy / "vectors.npy", events_analysis.vectors)
    return {"store": store, "analysis.json": legacy}


@pytest.fixture(scope="module")
def whole(events_analysis) -> dict:
    return json.loads(json.dumps(events_analysis.to_dict()))


def test_the_store_names_and_finds_stories_as_the_whole_analysis_does(layouts, whole):
    from compare.views.reading import InMemoryAnalysis, SavedAnalysis

    in_memory = InMemoryAnalysis(whole, np.zeros((0, 1)))
    saved = SavedAnalysis(SavedQueries(layouts["store"]), whole=lambda: pytest.fail("read whole"))
    expected = [{**summary.__dict__, "search_text": ""} for summary in in_memory.summaries()]
    assert [summary.__dict__ for summary in saved.summaries()] == expected
    assert any(summary.entities for summary in saved.summaries())  # key entities, ranked in SQL
    for query in ("Sindhupalchok", "kuleba", "earthquake nepal", "KYIV", "putin macron", "50%", "zzzz nobody", ""):
        found = [summary.id for summary in saved.search(saved.summaries(), query)]
        assert found == [summary.id for summary in in_memory.search(in_memory.summaries(), query)], query
    assert [s.id for s in saved.search(saved.summaries(), "Sindhupalchok")]  # named in one article's text only


def test_the_store_orders_claims_and_drift_as_the_whole_analysis_does(layouts, whole):
    from compare.views.reading import InMemoryAnalysis, SavedAnalysis

    in_memory = InMemoryAnalysis(whole, np.zeros((0, 1)))
    saved = SavedAnalysis(SavedQueries(layouts["store"]), whole=lambda: pytest.fail("read whole"))
    assert saved.cross_outlet_claims() == in_memory.cross_outlet_claims() > 0
    for order in ("outlets", "omitted", "disputed"):
        stored, expected = saved.heatmap_claims(order, 40), in_memory.heatmap_claims(order, 40)
        assert [claim["id"] for claim in stored.claims] == [claim["id"] for claim in expected.claims], order
        assert stored.total == expected.total and stored.statements == expected.statements
    assert saved.drift_measures() == in_memory.drift_measures()
    for measure in saved.drift_measures():
        for period in ("month", "year"):
            stored_rows, expected_rows = saved.drift_rows(measure, period), in_memory.drift_rows(measure, period)
            assert [(r["outlet"], r["period"], r["statements"]) for r in stored_rows] == [
                (r["outlet"], r["period"], r["statements"]) for r in expected_rows
            ]
            assert [r["value"] for r in stored_rows] == pytest.approx([r["value"] for r in expected_rows])
    assert saved.table_rows("coverage") == whole["coverage"]


def _story_page(app) -> list[str]:
    """Everything the story page shows as text."""
    return [
        *(element.value for element in app.header),  # the story's headline
        *(element.value for element in app.subheader),
        *(element.value for element in app.caption),
        *(element.value for element in app.markdown),
        *(element.label for element in app.expander),
        *(element.value for element in app.warning),
    ]


def test_the_story_page_is_the_same_from_the_store_as_from_the_whole_analysis(layouts, whole, monkeypatch):
    from streamlit.testing.v1 import AppTest

    pages = {}
    for layout, folder in layouts.items():
        monkeypatch.setenv("PARALLAX_ANALYSIS", str(folder))
        app = AppTest.from_file(DASHBOARD, default_timeout=120)
        app.query_params["page"] = STORY_PAGE
        app.run()
        shown = []
        for story in whole["stories"]:
            if len(story["outlets"]) < 2:  # the list offers the stories two outlets tell
                continue
            app.selectbox(key="px_story").set_value(story["id"]).run()
            assert not app.exception
            shown.append((story["id"], _story_page(app)))
        pages[layout] = shown
    assert len(pages["store"]) >= 2
    assert pages["store"] == pages["analysis.json"]


class _Recorded:
    """A DuckDB connection that notes every query made through it."""

    def __init__(self, connection, queries: list[str]) -> None:
        self._connection = connection
        self._queries = queries

    def execute(self, query, parameters=None):
        self._queries.append(query)
        return self._connection.execute(query, parameters)

    def sql(self, query, params=None):
        self._queries.append(query)
        return self._connection.sql(query, params=params)

    def __getattr__(self, name):
        return getattr(self._connection, name)


def _recorded_queries(monkeypatch) -> list[str]:
    """The list every query a ``SavedQueries`` makes from now on is added to."""
    import contextlib

    queries: list[str] = []
    reading = SavedQueries._reading

    @contextlib.contextmanager
    def recorded(self):
        with reading(self) as store:
            store.connection = _Recorded(store.connection, queries)
            yield store

    monkeypatch.setattr(SavedQueries, "_reading", recorded)
    return queries


def test_the_overview_of_a_store_reads_no_statement_text(events_analysis, whole, tmp_path, monkeypatch):
    """Before, the dashboard read the whole analysis (every statement) to draw anything."""

    from streamlit.testing.v1 import AppTest

    import compare.pipeline
    from compare.views.story import story_summaries

    compare.pipeline.save_analysis(events_analysis, tmp_path)  # a folder of its own: nothing cached for it yet

    queries = _recorded_queries(monkeypatch)

    def whole_read(*_):
        raise AssertionError("the whole analysis was read")

    monkeypatch.setattr(compare.pipeline, "read_saved_analysis", whole_read)
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(tmp_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    assert not app.exception
    assert app.metric[0].value == str(len(whole["articles"]))
    assert app.metric[2].value == str(len(whole["stories"]))
    assert len(app.get("plotly_chart")) == 2  # the timeline and the claims heatmap
    assert list(app.dataframe[1].value["headline"]) == [summary.headline for summary in story_summaries(whole)]
    statements = [query for query in queries if _READS_STATEMENTS.search(query)]
    # the story list is read from the rows the writer made (compare.engines.summaries); the heatmap reads its
    # 40 claims' statements by id
    assert len(statements) == 1, statements
    assert 'FROM statements WHERE list_contains(?::VARCHAR[], "id")' in statements[0]  # through its index
    assert any("FROM story_summaries" in query for query in queries)
    # nor a framing table no page draws: each outlet's mentions of each entity were 145,758 rows at 251k statements
    assert not [query for query in queries if re.search(r'FROM "?(entities|syndication)\b', query)]
    queries.clear()
    app.sidebar.radio(key="px_page").set_value(STORY_PAGE).run()
    assert not app.exception and app.subheader
    story_reads = [query for query in queries if _READS_STATEMENTS.search(query)]
    # by the story's articles, through the index the writer made (compare.engines.keys)
    assert story_reads and all('WHERE list_contains(?::VARCHAR[], "article_id")' in q for q in story_reads), story_reads
    # a statement's word differences (lists of phrases): the story's rows found by the index, then read by row id
    differences = [query for query in queries if 'FROM "word_differences"' in query]
    assert differences and all(
        'rowid IN (SELECT rowid FROM "word_differences" WHERE list_contains(?::VARCHAR[], "statement_id"))' in query
        for query in differences
    ), differences


def test_every_page_draws_from_a_store(layouts, whole, monkeypatch):
    """The Overview's claim orders, the Outlets page (drift from the store) and the Map (the whole analysis)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(layouts["store"]))
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    for order in ("omitted", "disputed"):
        app.radio(key="px_claim_order").set_value(order).run()
        assert not app.exception
    app.sidebar.radio(key="px_page").set_value("Outlets").run()
    assert not app.exception
    measures = app.selectbox(key="px_drift_measure").options
    assert len(measures) > 1  # tone, each frame, each side: read from the store
    app.selectbox(key="px_drift_measure").select_index(len(measures) - 1).run()
    assert not app.exception
    app.sidebar.radio(key="px_page").set_value("Map").run()
    assert not app.exception and app.get("plotly_chart")


def test_a_store_without_current_story_summaries_makes_the_story_list_itself(layouts, whole, tmp_path, caplog):
    """A store of an older version (no summary table), or one an older version changed since (its rows no longer
    match the stories), still gives the story list of the whole analysis, from the statements."""
    import duckdb

    from compare.engines.summaries import SUMMARY_TABLE
    from compare.views.story import story_summaries

    expected = [(s.id, s.headline, s.entities, s.first, s.last, s.outlets, s.articles) for s in story_summaries(whole)]

    def listed(folder: Path) -> list[tuple]:
        rows = SavedQueries(folder).summary_rows()
        return [
            tuple(row[key] for key in ("id", "headline", "entities", "first", "last", "outlets", "articles"))
            for row in rows
        ]

    assert listed(layouts["store"]) == expected
    older, changed = tmp_path / "older", tmp_path / "changed"
    for folder in (older, changed):
        shutil.copytree(layouts["store"], folder)
    with duckdb.connect(str(older / "analysis.duckdb")) as connection:
        connection.execute(f"DROP TABLE {SUMMARY_TABLE}")
    last = whole["stories"][-1]
    with duckdb.connect(str(changed / "analysis.duckdb")) as connection:  # as an older writer adding articles would
        connection.execute("DELETE FROM stories WHERE id = ?", [last["id"]])
    with caplog.at_level("INFO", logger="compare.engines.summaries"):
        assert listed(older) == expected
        assert listed(changed) == [row for row in expected if row[0] != last["id"]]
    assert sum("no current story summaries" in record.getMessage() for record in caplog.records) == 2


def test_a_story_reads_the_same_rows_with_the_store_indexes_as_without(layouts, whole, tmp_path):
    """The writer indexes the columns a story is read by; a store without them (an older version's) gives the
    same story, read by scans."""
    import duckdb

    from compare.engines.keys import STORY_KEYS, index_name, store_indexes
    from compare.engines.queries import story_of
    from compare.io.tables import reading

    with reading(layouts["store"]) as store:
        indexes = store_indexes(store)
        assert {index_name(table, column) for table, column in STORY_KEYS if store.has_table(table)} <= indexes
    older = tmp_path / "older"
    shutil.copytree(layouts["store"], older)
    with duckdb.connect(str(older / "analysis.duckdb")) as connection:
        for name in indexes:
            connection.execute(f'DROP INDEX "{name}"')
    told = [story["id"] for story in whole["stories"] if len(story["outlets"]) >= 2]
    assert told
    with reading(layouts["store"]) as indexed, reading(older) as scanned:
        assert not store_indexes(scanned)
        for story_id in told:
            found = story_of(indexed, story_id)
            assert found is not None and found["statements"] and found["tone"]
            assert found == story_of(scanned, story_id), story_id


def test_a_store_written_before_the_word_differences_index_draws_the_same_pages(layouts, whole, tmp_path, monkeypatch):
    """A store written by the version before this one (no index on word_differences.statement_id) opens, and its
    Overview and story pages are the same; a story's word differences are read in two steps there too (found by
    a hash join on the statement ids, then read by row id), not by reading the phrase lists of every row."""

    import duckdb
    from streamlit.testing.v1 import AppTest

    from compare.engines.keys import index_name

    older = tmp_path / "older"
    shutil.copytree(layouts["store"], older)
    with duckdb.connect(str(older / "analysis.duckdb")) as connection:
        connection.execute(f'DROP INDEX "{index_name("word_differences", "statement_id")}"')
    queries = _recorded_queries(monkeypatch)

    told = [story["id"] for story in whole["stories"] if len(story["outlets"]) >= 2]
    pages = {}
    for name, folder in (("now", layouts["store"]), ("older", older)):
        monkeypatch.setenv("PARALLAX_ANALYSIS", str(folder))
        app = AppTest.from_file(DASHBOARD, default_timeout=120)
        app.run()
        assert not app.exception
        shown = [_story_page(app), [frame.value.to_dict() for frame in app.dataframe]]
        app.sidebar.radio(key="px_page").set_value(STORY_PAGE).run()
        for story in told:
            app.selectbox(key="px_story").set_value(story).run()
            assert not app.exception
            shown.append(_story_page(app))
        pages[name] = shown
    assert pages["older"] == pages["now"]
    assert any('rowid IN (SELECT rowid FROM "word_differences" WHERE "statement_id" IN' in q for q in queries)
