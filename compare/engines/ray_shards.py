"""The Ray engine's shard files: articles, statements and embeddings of one date shard as Parquet, and the labels."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from compare.io.atomic import (
    write_file,
)
from compare.model.documents import Article, Statement, empty_vectors
from compare.segment import statements_from_segments


def article_from_json(text: str) -> Article:
    return Article(**json.loads(text))


# ---------------------------------------------------------------- shards


def write_shard(group: Any, folder: str) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as parquet

    shard = int(group.column("shard")[0].as_py())
    table = group.sort_by("position")
    write_file(Path(folder) / f"shard-{shard:05d}.parquet", lambda handle: parquet.write_table(table, handle))
    return pa.table({"shard": [shard], "articles": [table.num_rows]})


@dataclass
class _ShardData:
    """One shard file read back: its articles in order and its statements' embeddings."""

    positions: np.ndarray
    first_rows: np.ndarray
    counts: np.ndarray
    days: np.ndarray
    articles: list[Article]
    statement_rows: list[list[list[Any]]]  # segmentation rows per article (start, end, kind, speaker, entities)
    vectors: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """Global statement numbers of the shard's statements, in order."""
        if not len(self.counts):
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(
            [np.arange(first, first + count) for first, count in zip(self.first_rows, self.counts)]
        ).astype(np.int64)


def read_shard(path: str, with_text: bool = True) -> _ShardData:
    import pyarrow.compute as pc
    import pyarrow.parquet as parquet

    columns = ["position", "first_row", "count", "day", "vectors", "dim"]
    if with_text:
        columns += ["article", "statements"]
    table = parquet.read_table(path, columns=columns)
    dim = int(pc.max(table.column("dim")).as_py() or 1)  # a batch without statements says 1
    blobs = table.column("vectors").to_pylist()
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, dim) if blobs else empty_vectors(dim)
    return _ShardData(
        positions=table.column("position").to_numpy().astype(np.int64),
        first_rows=table.column("first_row").to_numpy().astype(np.int64),
        counts=table.column("count").to_numpy().astype(np.int64),
        days=table.column("day").to_numpy().astype(np.int64),
        articles=[article_from_json(text) for text in table.column("article").to_pylist()] if with_text else [],
        statement_rows=[json.loads(text) for text in table.column("statements").to_pylist()] if with_text else [],
        vectors=vectors,
    )


def statements_of(shard: _ShardData) -> list[Statement]:

    return [
        statement
        for article, rows in zip(shard.articles, shard.statement_rows)
        for statement in statements_from_segments(article, rows)
    ]


def combine_shards(shards: Sequence[_ShardData]) -> _ShardData:
    """Several shards as one, ordered by article position (so global rows ascend)."""
    order = np.argsort(np.concatenate([shard.positions for shard in shards]), kind="stable")
    articles = [article for shard in shards for article in shard.articles]
    statement_rows = [rows for shard in shards for rows in shard.statement_rows]
    counts = np.concatenate([shard.counts for shard in shards])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    vectors = np.concatenate([shard.vectors for shard in shards])
    take = (
        np.concatenate([np.arange(starts[i], starts[i] + counts[i]) for i in order]).astype(np.int64)
        if len(order)
        else np.zeros(0, dtype=np.int64)
    )
    return _ShardData(
        positions=np.concatenate([shard.positions for shard in shards])[order],
        first_rows=np.concatenate([shard.first_rows for shard in shards])[order],
        counts=counts[order],
        days=np.concatenate([shard.days for shard in shards])[order],
        articles=[articles[i] for i in order] if articles else [],
        statement_rows=[statement_rows[i] for i in order] if statement_rows else [],
        vectors=vectors[take],
    )


def gather_shards(paths: Sequence[str], with_vectors: bool) -> tuple[list[Article], list[Statement], np.ndarray]:
    """All articles and statements in reading order (the merged analysis), with embeddings if asked."""
    whole = combine_shards([read_shard(path) for path in paths])
    statements = statements_of(whole)
    vectors = whole.vectors if with_vectors else empty_vectors(whole.vectors.shape[1])
    return whole.articles, statements, vectors


def read_shard_vectors(folder: str | Path) -> np.ndarray:
    """The embeddings of every statement in a shard folder, in the order of analysis.json's statements."""
    paths = sorted(str(path) for path in Path(folder).glob("shard-*.parquet"))
    if not paths:
        return empty_vectors(1)
    return combine_shards([read_shard(path, with_text=False) for path in paths]).vectors


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


# ---------------------------------------------------------------- clustering tasks
