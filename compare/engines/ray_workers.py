"""What Ray workers run on batches of articles: read input units, segment, embed (models loaded once per actor)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np

from compare.cluster import (
    article_days,
)
from compare.embed import OnnxEmbedder, embed_texts, get_embedder
from compare.embed.onnx_backend import EXPORTS
from compare.engines.ray_shards import article_from_json
from compare.ingest import (
    InputUnit,
    article_fingerprint,
    load_registry,
    load_unit,
)
from compare.model.documents import empty_vectors
from compare.segment import load_spacy, parse_articles, statements_from_segments


def read_units(batch: Any, outlets: str | None) -> Any:
    import pyarrow as pa

    registry = load_registry(outlets)
    columns: dict[str, list[Any]] = {
        name: [] for name in ("unit", "sub", "kind", "id", "fingerprint", "source", "outlet", "message", "article")
    }

    def add(**values: Any) -> None:
        for name in columns:
            columns[name].append(values.get(name, ""))

    for row in batch.to_pylist():
        corpus = load_unit(InputUnit(row["location"], row["kind"], row["problem"]), registry)
        for sub, article in enumerate(corpus.articles):
            add(
                unit=row["unit"],
                sub=sub,
                kind="article",
                id=article.id,
                fingerprint=article_fingerprint(article),
                source=article.source,
                outlet=article.outlet,
                article=json.dumps(asdict(article), ensure_ascii=False),
            )
        for sub, problem in enumerate(corpus.problems):
            add(unit=row["unit"], sub=sub, kind="problem", source=problem.source, message=problem.message)
    return pa.table(columns)


def keep_articles(batch: Any, keys: np.ndarray, ids: list[str | None], outlets: list[str]) -> Any:
    """The kept articles of a batch of read rows, renamed, each with the outlet it is taken as
    (``compare.ingest.outlet_spellings``), with their position in reading order."""
    import pyarrow as pa

    unit = batch.column("unit").to_numpy()
    sub = batch.column("sub").to_numpy()
    wanted = (unit.astype(np.int64) << 24) + sub.astype(np.int64)
    at = np.clip(np.searchsorted(keys, wanted), 0, max(len(keys) - 1, 0))
    kept = (keys[at] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
    articles = []
    kinds = batch.column("kind").to_pylist()
    for json_text, kind, position, keep in zip(batch.column("article").to_pylist(), kinds, at.tolist(), kept.tolist()):
        if not keep or kind != "article":
            continue
        article = json.loads(json_text)
        article["id"] = ids[position]
        article["outlet"] = outlets[position]
        articles.append((position, json.dumps(article, ensure_ascii=False)))
    return pa.table({"position": [p for p, _ in articles], "article": [a for _, a in articles]})


class Segmenter:
    """Splits articles into statements; spaCy is loaded once per actor."""

    def __init__(self) -> None:

        self.nlp = load_spacy()

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        articles = [article_from_json(text) for text in batch.column("article").to_pylist()]
        # The same rows (start, end, kind, speaker, entities) as the local engine's segmentation cache.
        segments = parse_articles(articles, self.nlp, processes=1)  # an actor has one CPU; Ray runs actors side by side
        return pa.table(
            {
                "position": batch.column("position"),
                "article": batch.column("article"),
                "day": pa.array(article_days(articles), type=pa.int64()),
                "statements": [json.dumps(rows, ensure_ascii=False) for rows in segments],
                "count": [len(rows) for rows in segments],
            }
        )


class Encoder:
    """Embeds each article's statements; the model is loaded once per actor."""

    def __init__(self, model: str, backend: str, threads: int) -> None:
        self.embedder = _make_embedder(model, backend, threads)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        statement_lists = [
            statements_from_segments(article_from_json(article), json.loads(rows))
            for article, rows in zip(batch.column("article").to_pylist(), batch.column("statements").to_pylist())
        ]
        texts = [statement.text for statements in statement_lists for statement in statements]
        vectors = (embed_texts(texts, self.embedder) if texts else empty_vectors(1)).astype(np.float32)
        blobs = []
        first = 0
        for statements in statement_lists:
            blobs.append(vectors[first : first + len(statements)].tobytes())
            first += len(statements)
        return batch.append_column("vectors", pa.array(blobs, type=pa.binary())).append_column(
            "dim", pa.array([int(vectors.shape[1])] * len(blobs), type=pa.int64())
        )


def _make_embedder(model: str, backend: str, threads: int) -> Any:
    if backend in EXPORTS:
        return OnnxEmbedder(model, threads=threads, export=EXPORTS[backend])
    import torch

    torch.set_num_threads(threads)
    return get_embedder(model, backend)


def add_shard(batch: Any, shard_of: np.ndarray, first_row: np.ndarray) -> Any:
    import pyarrow as pa

    position = batch.column("position").to_numpy()
    return batch.append_column("shard", pa.array(shard_of[position], type=pa.int64())).append_column(
        "first_row", pa.array(first_row[position], type=pa.int64())
    )
