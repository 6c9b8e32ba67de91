"""The indexes a story view reads through: an ART index on the column by which each table the story page reads
is selected for one story, made by the writer, and the condition that lets DuckDB use it.

At 251k statements a story's 13 queries each scanned a whole table for the story's ids (330-520 ms under load
13); through the indexes, 190-240 ms. The story page's tables (and the statements by id) only: an index costs
write time and 10-20 % more file per table, and a reader probes it only for a short list of ids (a constant ``IN`` list, which is what
``list_contains`` on a parameter becomes; a semi-join on ``unnest`` is not probed). Not ``word_differences``:
fetching its list columns row by row through an index is slower than scanning its 92k rows.
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
)


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
        return f'list_contains(?::VARCHAR[], "{column}")'
    return f'"{column}" IN (SELECT unnest(?::VARCHAR[]))'
