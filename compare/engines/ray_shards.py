"""The Ray engine's shard files: one date shard's rows of the store's ``articles`` and ``statements`` tables as Parquet.

A shard is two files, ``articles-NNNNN.parquet`` and ``statements-NNNNN.parquet``: Parquet holds one
schema per file, and one file per table lets DuckDB read every shard as the table
(``read_parquet('OUT/shards/statements-*.parquet')``). Their columns are the store's (``_pos``, then
``columns_of(Article)`` or ``columns_of(Statement)``, the same encoding through ``column_values``),
plus what only the engine needs: an article's ``_day`` and ``_count`` (its statements), a
statement's ``_vector`` (float16, as the store keeps vectors). ``_pos`` is the row's place in the
merged analysis, so that the shards are row groups of the tables the store holds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from compare.io.atomic import discard, write_file
from compare.io.columns import arrow_table, column_values, columns_of, rows_of
from compare.io.remote import is_remote, object_store, remote_error, remove_objects
from compare.model.documents import Article, Statement, empty_vectors
from compare.model.errors import InputError, OutputError
from compare.segment import statements_from_segments

ENGINE_ARTICLE_COLUMNS = ("_day", "_count")
ENGINE_STATEMENT_COLUMNS = ("_vector",)


def article_from_json(text: str) -> Article:
    return Article(**json.loads(text))


@dataclass(frozen=True)
class ShardFiles:
    """The two files of one shard."""

    articles: str
    statements: str


def shard_files(folder: str | Path, shard: int) -> ShardFiles:
    return ShardFiles(f"{folder}/articles-{shard:05d}.parquet", f"{folder}/statements-{shard:05d}.parquet")


def clear_shards(folder: str | Path) -> None:
    """Removes an earlier run's shard files (of this version and of the one before the store)."""
    if is_remote(str(folder)):
        remove_objects(str(folder))
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for pattern in ("articles-*.parquet", "statements-*.parquet", "shard-*.parquet"):
        for old in Path(folder).glob(pattern):
            discard(old)


def _write_parquet(table: Any, path: str) -> None:
    """One file, whole or not at all: a local file through ``write_file``, an object in one upload."""
    import pyarrow.parquet as parquet

    if not is_remote(path):
        write_file(Path(path), lambda handle: parquet.write_table(table, handle))
        return
    filesystem, key = object_store(path)
    try:
        parquet.write_table(table, key, filesystem=filesystem)
    except OSError as error:
        raise remote_error(OutputError, path, error) from error


def _read_parquet(path: str, columns: list[str]) -> Any:
    import pyarrow.parquet as parquet

    if not is_remote(path):
        return parquet.read_table(path, columns=columns)
    filesystem, key = object_store(path, InputError)
    try:
        return parquet.read_table(key, columns=columns, filesystem=filesystem)
    except OSError as error:
        raise remote_error(InputError, path, error) from error


# ---------------------------------------------------------------- shards


def write_shard(group: Any, folder: str) -> Any:
    """Writes one shard's files from the engine's rows (article JSON, segmentation rows, float32 vectors)."""
    import pyarrow as pa

    shard = int(group.column("shard")[0].as_py())
    table = group.sort_by("position")
    articles = [article_from_json(text) for text in table.column("article").to_pylist()]
    statements = [
        statement
        for article, rows in zip(articles, table.column("statements").to_pylist())
        for statement in statements_from_segments(article, json.loads(rows))
    ]
    counts = table.column("count").to_numpy().astype(np.int64)
    first_rows = table.column("first_row").to_numpy().astype(np.int64)
    dim = max((int(value) for value in table.column("dim").to_pylist()), default=1)
    blobs = [blob for blob in table.column("vectors").to_pylist() if blob]
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, dim) if blobs else empty_vectors(dim)
    rows = _statement_rows(first_rows, counts)
    article_table = _table(Article, articles, table.column("position").to_numpy().astype(np.int64)).append_column(
        "_day", table.column("day").cast(pa.int64())
    )
    article_table = article_table.append_column("_count", pa.array(counts, type=pa.int64()))
    compact = np.ascontiguousarray(vectors, dtype=np.float16)
    statement_table = _table(Statement, statements, rows).append_column(
        "_vector", pa.FixedSizeListArray.from_arrays(pa.array(compact.reshape(-1)), dim)
    )
    files = shard_files(folder, shard)  # a folder, or s3://...: the workers write to the bucket themselves
    _write_parquet(article_table, files.articles)
    _write_parquet(statement_table, files.statements)
    return pa.table({"shard": [shard], "articles": [table.num_rows]})


def _table(row_type: type, rows: Sequence[Any], positions: np.ndarray) -> Any:
    """The store's table of ``rows`` (``_pos`` then the row type's columns), as ``AnalysisStore`` inserts it."""
    return arrow_table({"_pos": positions, **column_values(row_type, rows)}, columns_of(row_type))


def _statement_rows(first_rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    if not len(counts):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([np.arange(first, first + count) for first, count in zip(first_rows, counts)]).astype(
        np.int64
    )


@dataclass
class _ShardData:
    """One shard (or several) read back: its articles and statements in order, and the statements' embeddings."""

    positions: np.ndarray  # the articles' rows in the merged analysis
    counts: np.ndarray
    days: np.ndarray
    rows: np.ndarray  # the statements' rows in the merged analysis, ascending
    articles: list[Article]
    statements: list[Statement]
    vectors: np.ndarray


def read_shard(files: ShardFiles, with_text: bool = True) -> _ShardData:
    article_columns = ["_pos", *ENGINE_ARTICLE_COLUMNS]
    statement_columns = ["_pos", *ENGINE_STATEMENT_COLUMNS]
    if with_text:
        article_columns += [name for name, _ in columns_of(Article)]
        statement_columns += [name for name, _ in columns_of(Statement)]
    articles = _read_parquet(files.articles, article_columns)
    statements = _read_parquet(files.statements, statement_columns)
    return _ShardData(
        positions=articles.column("_pos").to_numpy().astype(np.int64),
        counts=articles.column("_count").to_numpy().astype(np.int64),
        days=articles.column("_day").to_numpy().astype(np.int64),
        rows=statements.column("_pos").to_numpy().astype(np.int64),
        articles=rows_of(Article, articles) if with_text else [],
        statements=rows_of(Statement, statements) if with_text else [],
        vectors=_vectors(statements.column("_vector")),
    )


def _vectors(column: Any) -> np.ndarray:
    """A ``_vector`` column as float32 rows (the values are float16's)."""
    dim = column.type.list_size
    values = column.combine_chunks().flatten() if column.num_chunks else None
    if values is None or not len(values):
        return empty_vectors(dim)
    return values.to_numpy(zero_copy_only=False).astype(np.float32).reshape(-1, dim)


def combine_shards(shards: Sequence[_ShardData]) -> _ShardData:
    """Several shards as one, ordered by article position (so that statement rows ascend too)."""
    order = np.argsort(np.concatenate([shard.positions for shard in shards]), kind="stable")
    rows = np.concatenate([shard.rows for shard in shards])
    take = np.argsort(rows, kind="stable")
    articles = [article for shard in shards for article in shard.articles]
    statements = [statement for shard in shards for statement in shard.statements]
    dim = max((shard.vectors.shape[1] for shard in shards if len(shard.vectors)), default=1)
    vectors = np.concatenate([shard.vectors for shard in shards if len(shard.vectors)] or [empty_vectors(dim)])
    return _ShardData(
        positions=np.concatenate([shard.positions for shard in shards])[order],
        counts=np.concatenate([shard.counts for shard in shards])[order],
        days=np.concatenate([shard.days for shard in shards])[order],
        rows=rows[take],
        articles=[articles[i] for i in order] if articles else [],
        statements=[statements[i] for i in take] if statements else [],
        vectors=vectors[take],
    )


def gather_shards(
    shards: Sequence[ShardFiles], with_vectors: bool
) -> tuple[list[Article], list[Statement], np.ndarray]:
    """All articles and statements in reading order (the merged analysis), with embeddings if asked."""
    whole = combine_shards([read_shard(files) for files in shards])
    vectors = whole.vectors if with_vectors else empty_vectors(whole.vectors.shape[1])
    return whole.articles, whole.statements, vectors


def read_shard_vectors(folder: str | Path) -> np.ndarray:
    """The embeddings of every statement in a shard folder, in the order of the analysis's statements."""
    import pyarrow.parquet as parquet

    paths = sorted(Path(folder).glob("statements-*.parquet"))
    if not paths:
        return _legacy_shard_vectors(folder)
    tables = [parquet.read_table(path, columns=["_pos", "_vector"]) for path in paths]
    rows = np.concatenate([table.column("_pos").to_numpy().astype(np.int64) for table in tables])
    found = [_vectors(table.column("_vector")) for table in tables]
    dim = max((block.shape[1] for block in found if len(block)), default=1)
    vectors = np.concatenate([block for block in found if len(block)] or [empty_vectors(dim)])
    return vectors[np.argsort(rows, kind="stable")]


def _legacy_shard_vectors(folder: str | Path) -> np.ndarray:
    """The vectors of shards written before the store (``shard-NNNNN.parquet``: a row per article, float32 blobs)."""
    import pyarrow.parquet as parquet

    parts = []
    for path in sorted(Path(folder).glob("shard-*.parquet")):
        table = parquet.read_table(path, columns=["position", "vectors", "dim"])
        dim = max(table.column("dim").to_pylist(), default=1)
        for position, blob in zip(table.column("position").to_pylist(), table.column("vectors").to_pylist()):
            parts.append((position, np.frombuffer(blob, dtype=np.float32).reshape(-1, dim)))
    parts.sort(key=lambda part: part[0])
    blocks = [block for _, block in parts if len(block)]
    return np.concatenate(blocks) if blocks else empty_vectors(1)


def write_labels(
    target: Path, statements: Sequence[Statement], stories: Sequence[Any], clusters: Sequence[Any]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as parquet

    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    claim_of = {statement_id: cluster.id for cluster in clusters for statement_id in cluster.statement_ids}
    table = pa.table(
        {
            "statement_id": [statement.id for statement in statements],
            "article_id": [statement.article_id for statement in statements],
            "outlet": [statement.outlet for statement in statements],
            "story_id": [story_of.get(statement.article_id) for statement in statements],
            "claim_id": [claim_of.get(statement.id) for statement in statements],
        }
    )
    write_file(target, lambda handle: parquet.write_table(table, handle))  # a reader never sees half a file
