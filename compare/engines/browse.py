"""What the dashboard draws of a saved analysis, computed in the store: the story list (the rows the writer
made, ``compare.engines.summaries``), search, the claims heatmap and drift over time, as aggregates by SQL
instead of every statement read into Python.

``SavedQueries`` answers ``compare.views.reading.StoreQueries`` for one folder; each answer is plain rows
(dicts and lists), so that the views stay free of the store. It keeps the store open read-only (opening it
costs 50-200 ms) and queries it through a cursor per call, so that sessions' threads can ask at once; a
writer swaps a new file in meanwhile, and this keeps reading the whole analysis it opened (the dashboard
makes a new ``SavedQueries`` when the store's file changes). The answers that build thousands of rows do so with
the collector paused: in the dashboard's heap (pandas, plotly) its passes took 0.3-0.7 s of the Overview's rows.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Collection, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from compare.engines.document import AnalysisDocument
from compare.engines.keys import among, store_indexes
from compare.engines.queries import articles_without_text, story_of
from compare.engines.summaries import story_summary_rows
from compare.io.collector import collector_paused
from compare.io.columns import columns_of
from compare.io.tables import AnalysisStore, open_for_reading
from compare.model.documents import Problem, Story, story_id_of_article
from compare.model.errors import InputError
from compare.model.framing import DistinctiveTerm, Framing
from compare.model.names import by_name, name_key

# Each story's members in story order (place).
_MEMBERS = """
    members AS (
        SELECT id AS story, _pos AS story_pos, unnest(article_ids) AS article,
            unnest(range(1, len(article_ids) + 1)) AS place
        FROM stories
    )"""

# Stories whose headlines or statements hold every word (lower-cased), in story order.
_SEARCH = f"""
WITH {_MEMBERS},
    words AS (SELECT unnest(?::VARCHAR[]) AS word),
    texts AS (SELECT id AS article, title AS text FROM articles UNION ALL SELECT article_id, text FROM statements),
    hits AS (
        SELECT DISTINCT t.article, w.word FROM texts t, words w WHERE contains(lower(t.text), w.word)
    )
SELECT m.story FROM members m JOIN hits h ON h.article = m.article
GROUP BY m.story, m.story_pos HAVING count(DISTINCT h.word) = ?
ORDER BY m.story_pos
"""

# The cross-outlet claims in a heatmap's order (compare.views.charts.coverage.ordered_claims).
_CLAIM_ORDERS = {
    "outlets": "len(c.outlets) DESC, c._pos",
    "omitted": "coalesce(o.omitted, 0) DESC, len(c.outlets) DESC, c._pos",
    "disputed": "coalesce(d.mean, 1.0), len(c.outlets) DESC, c._pos",
}
_ORDERED_CLAIMS = """
WITH omitted AS (SELECT cluster_id, count(*) AS omitted FROM omissions GROUP BY cluster_id),
    disputed AS (
        SELECT cluster_id, avg(similarity) AS mean FROM coverage
        WHERE status <> 'absent' AND similarity IS NOT NULL GROUP BY cluster_id
    )
SELECT c.id, c.statement_ids, c.outlets, c.story_ids FROM claims c
    LEFT JOIN omitted o ON o.cluster_id = c.id LEFT JOIN disputed d ON d.cluster_id = c.id
WHERE len(c.outlets) >= 2
ORDER BY {order} LIMIT ?
"""

# How a measure moves by month or year per outlet (compare.views.tables.drift_rows).
_MEASURES = {
    "tone": "SELECT statement_id, tone AS value FROM tone",
    "frame": "SELECT statement_id, (frame = ?)::DOUBLE AS value FROM frames",
    "side": "SELECT statement_id, (side = ?)::DOUBLE AS value FROM voices",
}
_DRIFT = """
WITH measured AS ({measure}),
    dated AS (SELECT id, left(published, ?) AS period FROM articles WHERE length(left(published, ?)) = ?)
SELECT st.outlet, d.period, avg(m.value), count(*)
FROM statements st JOIN dated d ON d.id = st.article_id JOIN measured m ON m.statement_id = st.id
GROUP BY st.outlet, d.period ORDER BY st.outlet, d.period
"""


class SavedQueries:
    """The dashboard's queries on the store in ``folder`` (``compare.views.reading.StoreQueries``)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._opened: AnalysisStore | None = None
        self._lock = threading.Lock()
        self._indexes: set[str] | None = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[AnalysisStore]:
        """The store through a new cursor of the connection kept open (opened at the first call).

        Raises:
            InputError: when the folder holds no readable store, or a query fails on it.
        """
        import duckdb

        with self._lock:
            if self._opened is None:
                self._opened = open_for_reading(self.folder)
            opened = self._opened
        cursor = opened.connection.cursor()
        try:
            cursor.execute("SET enable_progress_bar = false")
            store = AnalysisStore(cursor, opened.path)
            store._schema = opened._schema  # read once; a cursor sees the same file
            yield store
        except duckdb.Error as error:
            raise InputError(f"{opened.path}: cannot read the saved analysis ({error})") from error
        finally:
            cursor.close()

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.connection.close()
                self._opened = None

    @collector_paused()
    def overview(self, tables: Collection[str] | None = None) -> dict[str, Any]:
        """analysis.json's shape with what the Overview and the Outlets page draw: every article without its
        text, story and problem, the framing tables without ids (outlet-wide) and the corpus-wide
        distinctive terms; no statement and no claim (``cross_outlet_claims`` counts those). ``tables``: only
        these framing tables are read (the others left empty)."""
        with self._reading() as store:
            values = store.get("analysis")
            framing = None
            if values["framing"] is not None:
                wanted = [(name, row_type) for name, row_type in outlet_wide_tables() if _wanted(name, tables)]
                wide: dict[str, Any] = {name: store.read_table(name, row_type) for name, row_type in wanted}
                if _wanted("distinctive_terms", tables):
                    wide["distinctive_terms"] = store.read_table(
                        "distinctive_terms", DistinctiveTerm, "story_id IS NULL"
                    )
                framing = Framing(**wide, **values["framing"])
            analysis = AnalysisDocument(
                articles=articles_without_text(store, ""),
                statements=[],
                stories=store.read_table("stories", Story),
                claims=[],
                problems=store.read_table("problems", Problem),
                model=values["model"],
                settings=values["settings"],
                framing=framing,
            )
        return analysis.to_dict()

    def cross_outlet_claims(self) -> int:
        """How many claims two or more outlets report."""
        with self._reading() as store:
            found = store.connection.execute("SELECT count(*) FROM claims WHERE len(outlets) >= 2").fetchone()
        return int(found[0] if found else 0)

    @collector_paused()
    def story(self, story_id: str, tables: Collection[str] | None = None) -> dict[str, Any] | None:
        """One story's rows (``queries.load_story``), without the outlet-wide tables (``overview`` has them);
        ``tables``: only these framing tables are read."""
        with self._reading() as store:
            return story_of(store, story_id, tables, self._store_indexes(store))

    def _store_indexes(self, store: AnalysisStore) -> set[str]:
        """The store's indexes, read once: the store this reads does not change."""
        if self._indexes is None:
            self._indexes = store_indexes(store)
        return self._indexes

    @collector_paused()
    def summary_rows(self) -> list[dict[str, Any]]:
        """Every story, in order: id, headline, key entities, first and last date, outlets, articles, origins
        (``compare.engines.summaries``: the rows the writer made)."""
        with self._reading() as store:
            origins = ((store.get("analysis") or {}).get("framing") or {}).get("independent_origins") or {}
            found = story_summary_rows(store)
        return [
            {
                "id": id_,
                "headline": headline or "(no headline)",
                "entities": tuple(entities),
                "first": first,
                "last": last,
                "outlets": tuple(by_name(outlets)),  # as the views list a story's outlets (stored: as text sorts)
                "articles": articles,
                "origins": int(origins.get(id_, articles)),
            }
            for id_, headline, entities, first, last, outlets, articles in found
        ]

    def matching_stories(self, words: list[str]) -> list[str]:
        """The ids of the stories whose headlines or statements hold every one of ``words`` (any case)."""
        wanted = sorted({word.lower() for word in words if word})
        if not wanted:
            return []
        with self._reading() as store:
            found = store.connection.execute(_SEARCH, [wanted, len(wanted)]).fetchall()
        return [story for (story,) in found]

    @collector_paused()
    def heatmap_claims(self, order: str, limit: int) -> tuple[list[dict[str, Any]], int, dict[str, dict[str, Any]]]:
        """The first ``limit`` cross-outlet claims in ``order`` (``_CLAIM_ORDERS``), how many there are, and
        their statements (id -> {"outlet", "text"})."""
        with self._reading() as store:
            sql = _ORDERED_CLAIMS.format(order=_CLAIM_ORDERS.get(order, _CLAIM_ORDERS["outlets"]))
            if not store.has_table("omissions"):
                sql = sql.replace("FROM omissions", "FROM (SELECT NULL AS cluster_id) WHERE false")
            if not store.has_table("coverage"):
                sql = sql.replace(  # no framing (analyze --no-framing): no claim disputed
                    "FROM coverage", "FROM (SELECT NULL AS cluster_id, NULL::DOUBLE AS similarity, NULL AS status)"
                )
            rows = store.connection.execute(sql, [limit]).fetchall()
            total = store.connection.execute("SELECT count(*) FROM claims WHERE len(outlets) >= 2").fetchone()
            ids = [sid for _, statement_ids, _, _ in rows for sid in statement_ids]
            condition = among("statements", "id", self._store_indexes(store))
            statements = store.connection.execute(
                f"SELECT id, outlet, text FROM statements WHERE {condition}", [ids]
            ).fetchall()
        claims = [
            {"id": id_, "statement_ids": list(sids), "outlets": list(outlets), "story_ids": list(stories)}
            for id_, sids, outlets, stories in rows
        ]
        return claims, int(total[0] if total else 0), {sid: {"outlet": o, "text": t} for sid, o, t in statements}

    def drift_measures(self) -> list[str]:
        """The measures drift can follow: tone, each frame, each side quoted (``tables.drift_measures``)."""
        with self._reading() as store:
            frames = _distinct(store, "frames", "frame")
            sides = _distinct(store, "voices", "side")
        return ["tone"] + [f"frame:{frame}" for frame in frames] + [f"side:{side}" for side in sides]

    def drift_rows(self, measure: str, period: str) -> list[dict[str, Any]]:
        """Per outlet and month (or year), a measure's mean over the statements of dated articles, and n."""
        kind, _, name = measure.partition(":")
        if kind not in _MEASURES:
            raise ValueError(f"unknown measure {measure!r}: use tone, frame:NAME or side:NAME")
        width = 7 if period == "month" else 4
        table = {"tone": "tone", "frame": "frames", "side": "voices"}[kind]
        with self._reading() as store:
            if not store.has_table(table):
                return []
            parameters = ([] if kind == "tone" else [name]) + [width, width, width]
            found = store.connection.execute(_DRIFT.format(measure=_MEASURES[kind]), parameters).fetchall()
        rows = [
            {"outlet": outlet, "period": when, "value": value, "statements": count}
            for outlet, when, value, count in found
        ]
        return sorted(rows, key=lambda row: (name_key(row["outlet"]), row["period"]))  # as tables.drift_rows

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """A framing table whole, as analysis.json holds it (for a CSV download)."""
        row_type = dict(framing_tables()).get(name)
        if row_type is None:
            raise KeyError(name)
        with self._reading() as store:
            return [row.to_dict() for row in store.read_table(name, row_type)]

    def moved_story(self, story_id: str) -> tuple[str, str] | None:
        """For a story id this analysis lacks: the title of the article that named it, and the story that
        article is in now; None when no article named it or it is in no story."""
        with self._reading() as store:
            ids = store.connection.execute("SELECT id, title FROM articles").fetchall()
            anchor = next(((id_, title) for id_, title in ids if story_id_of_article(id_) == story_id), None)
            if anchor is None:
                return None
            now = store.connection.execute(
                "SELECT id FROM stories WHERE list_contains(article_ids, ?) ORDER BY _pos LIMIT 1", [anchor[0]]
            ).fetchone()
        return (anchor[1], now[0]) if now else None


def framing_tables() -> list[tuple[str, type]]:
    """(name, row type) of every framing table, in ``Framing``'s order."""
    return [(item.name, item.metadata["row"]) for item in fields(Framing) if "row" in item.metadata]


def outlet_wide_tables() -> list[tuple[str, type]]:
    """The framing tables whose rows carry no story, claim, statement or article id (``queries._framing``)."""
    keys = {"story_id", "cluster_id", "statement_id", "article_id"}
    return [
        (name, row_type)
        for name, row_type in framing_tables()
        if not keys & {column for column, _ in columns_of(row_type)}
    ]


def _wanted(name: str, tables: Collection[str] | None) -> bool:
    return tables is None or name in tables


def _distinct(store: AnalysisStore, table: str, column: str) -> list[str]:
    if not store.has_table(table):
        return []
    return [
        value
        for (value,) in store.connection.execute(f'SELECT DISTINCT "{column}" FROM "{table}" ORDER BY 1').fetchall()
    ]
