"""The Ray engine's shard files are row groups of the store's tables (no Ray needed: the files are written
here as the engine's ``map_groups`` writes them, from the seeds' real statements and embeddings)."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pyarrow as pa

from compare.cluster import article_days
from compare.engines.ray_shards import gather_shards, read_shard_vectors, shard_files, write_shard
from compare.io.columns import columns_of, rows_of
from compare.io.tables import reading
from compare.model.documents import Article, Statement
from compare.pipeline import load_analysis, read_saved_analysis, save_analysis


def _write_shards(analysis, folder, cut: int) -> list:
    """The articles before ``cut`` as shard 0, the others as shard 1, in the rows the engine's workers make."""
    by_article: dict[str, list[Statement]] = {}
    for statement in analysis.statements:
        by_article.setdefault(statement.article_id, []).append(statement)
    counts = [len(by_article.get(article.id, [])) for article in analysis.articles]
    first_rows = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int).tolist()
    for shard, positions in enumerate([range(cut), range(cut, len(analysis.articles))]):
        group = pa.table(
            {
                "position": list(positions),
                "article": [json.dumps(asdict(analysis.articles[p])) for p in positions],
                "day": [article_days([analysis.articles[p]])[0] for p in positions],
                "statements": [
                    json.dumps(
                        [
                            [item.start, item.end, item.kind, item.speaker, [list(pair) for pair in item.entities]]
                            for item in by_article.get(analysis.articles[p].id, [])
                        ]
                    )
                    for p in positions
                ],
                "count": [counts[p] for p in positions],
                "vectors": [
                    analysis.vectors[first_rows[p] : first_rows[p] + counts[p]].astype(np.float32).tobytes()
                    for p in positions
                ],
                "dim": [analysis.vectors.shape[1]] * len(positions),
                "shard": [shard] * len(positions),
                "first_row": [first_rows[p] for p in positions],
            }
        )
        write_shard(group, str(folder))
    return [shard_files(folder, shard) for shard in range(2)]


def test_duckdb_reads_the_shards_as_the_stores_tables(seeds_analysis, tmp_path):
    import duckdb

    files = _write_shards(seeds_analysis, tmp_path / "shards", cut=2)
    save_analysis(seeds_analysis, tmp_path, with_vectors=False)  # as the CLI saves a Ray run
    with reading(tmp_path) as store:
        stored = {name: store.table_columns(name) for name in ("articles", "statements")}
        assert store.read_table("statements", Statement) == seeds_analysis.statements
    for name, row_type, extra in (("articles", Article, "_day, _count"), ("statements", Statement, "_vector")):
        query = f"SELECT * EXCLUDE ({extra}) FROM read_parquet('{tmp_path}/shards/{name}-*.parquet') ORDER BY _pos"
        relation = duckdb.sql(query)
        assert dict(zip(relation.columns, map(str, relation.types))) == stored[name]  # the same columns and types
        table = relation.to_arrow_table()
        assert table.column("_pos").to_pylist() == list(range(table.num_rows))
        assert rows_of(row_type, table) == getattr(seeds_analysis, name)
    assert [name for name, _ in columns_of(Statement)] == duckdb.sql(
        f"SELECT * EXCLUDE (_pos, _vector) FROM read_parquet('{files[1].statements}')"
    ).columns
    vector_type = duckdb.sql(f"SELECT _vector FROM read_parquet('{files[0].statements}')").types[0]
    assert str(vector_type) == "FLOAT[]"  # float16 in the file (half the bytes), read as FLOAT
    articles, statements, vectors = gather_shards(files, with_vectors=True)
    assert (articles, statements) == (seeds_analysis.articles, seeds_analysis.statements)
    assert np.array_equal(vectors, seeds_analysis.vectors)  # the embeddings hold float16 values: kept exactly


def test_a_saved_ray_run_reads_back_as_a_local_run(seeds_analysis, tmp_path):
    """The store without vectors beside the shards reads as the store with them (load_analysis and the
    dashboard's read_saved_analysis)."""
    local, ray_like = tmp_path / "local", tmp_path / "ray"
    save_analysis(seeds_analysis, local)
    _write_shards(seeds_analysis, ray_like / "shards", cut=3)
    save_analysis(seeds_analysis, ray_like, with_vectors=False)
    assert np.array_equal(read_shard_vectors(ray_like / "shards"), seeds_analysis.vectors)
    from_local, from_ray = load_analysis(local), load_analysis(ray_like)
    assert from_ray.to_dict() == from_local.to_dict()
    assert np.array_equal(from_ray.vectors, from_local.vectors)
    saved_dict, saved_vectors = read_saved_analysis(ray_like)
    assert saved_dict == read_saved_analysis(local)[0] and saved_vectors.shape == seeds_analysis.vectors.shape
    (ray_like / "shards" / "statements-00001.parquet").unlink()  # a shard lost: no map rather than wrong rows
    assert load_analysis(ray_like).vectors.shape[0] == 0


def test_shards_written_before_the_store_still_give_their_vectors(seeds_analysis, tmp_path):
    """A Ray run of an older version (``shard-NNNNN.parquet``: a row per article, float32 blobs) keeps its map."""
    import pyarrow.parquet as parquet

    counts: dict[str, int] = {}
    for statement in seeds_analysis.statements:
        counts[statement.article_id] = counts.get(statement.article_id, 0) + 1
    first = np.concatenate([[0], np.cumsum([counts.get(a.id, 0) for a in seeds_analysis.articles])]).astype(int)
    blobs = [seeds_analysis.vectors[first[p] : first[p + 1]].tobytes() for p in range(len(seeds_analysis.articles))]
    folder = tmp_path / "shards"
    folder.mkdir()
    for shard, positions in enumerate([[3, 4], [0, 1, 2]]):  # shard files need not be in reading order
        parquet.write_table(
            pa.table({"position": positions, "vectors": [blobs[p] for p in positions], "dim": [384] * len(positions)}),
            folder / f"shard-{shard:05d}.parquet",
        )
    assert np.array_equal(read_shard_vectors(folder), seeds_analysis.vectors)
