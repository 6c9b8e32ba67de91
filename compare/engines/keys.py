"""The indexes a story view reads through: an ART index on the column by which each table the story page reads
is selected for one story, made by the writer, and the condition that lets DuckDB use it.

At 251k statements a story's 13 queries each scanned a whole table for the story's ids (330-520 ms under load
13); through the indexes, 190-240 ms. The story page's tables (and the statements by id) only: an index costs
write time and 10-20 % more file per table, and a reader probes it only for a short list of ids (a constant ``IN`` list, which is what
``list_contains`` on a parameter becomes; a semi-join on ``unnest`` is not probed). The tables whose rows hold
lists of phrases (``LIST_TABLES``) are read in two steps, the rows' ids by the key and then those rows by id:
DuckDB otherwise reads the lists of every row, matched or not (``word_differences``, 122k rows at 251k
statements: 160-220 ms for a story, against 32-55 ms in two steps, under load 12).
"""

from __future__ import annotations

from collections.abc import Collection

from compare.io.tables import AnalysisStore

# (table, column) the story page selects by (compare.engines.queries.story_of and its framing tables), and the
# statements of the Overview's claims heatmap (by id: 0.15-0.28 s scanned, 0.06 s probed, at 251k statements).
STORY_KEYS = (
    ("articles", "id"),
    ("statements", "article_id"),
    ("statements", "id"),
    ("stories", "id"),
    ("omissions", "story_id"),
    ("voices", "statement_id"),
    ("voice_share_by_story", "story_id"),
    ("quote_edits", "cluster_id"),
    ("loaded_words", "statement_id"),
    ("tone", "statement_id"),
    ("prominence", "cluster_id"),
    ("referent_wordings", "story_id"),
    ("word_differences", "statement_id"),
)
# Tables whose rows hold lists of phrases, read by row id once the key found the rows (``among``).
LIST_TABLES = ("word_differences", "referent_wordings")


def index_name(table: str, column: str) -> str:
    return f"{table}__{column}"


def index_story_keys(store: AnalysisStore) -> None:
    """Indexes every ``STORY_KEYS`` column the store has (a table written anew since lost its index; one
    updated in place kept it, and DuckDB kept it current)."""
    for table, column in STORY_KEYS:
        if column in store.table_columns(table):
            name = index_name(table, column)
            store.connection.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')


def store_indexes(store: AnalysisStore) -> set[str]:
    """The names of the store's indexes (none in a store written before them)."""
    return {name for (name,) in store.connection.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}


def among(table: str, column: str, indexes: Collection[str]) -> str:
    """An SQL condition: ``column`` of ``table`` is one of the ids of a ``?`` list parameter; written the way
    that reads fastest with (probed) or without (hashed) the index."""
    if index_name(table, column) in indexes:
        condition = f'list_contains(?::VARCHAR[], "{column}")'
    else:
        condition = f'"{column}" IN (SELECT unnest(?::VARCHAR[]))'
    if table in LIST_TABLES:  # the matched rows' lists only: the key column is read first, then those rows
        return f'rowid IN (SELECT rowid FROM "{table}" WHERE {condition})'
    return condition
