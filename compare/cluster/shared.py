"""Statements two articles share: evidence that two reports tell one event, not only one topic.

Two reports of one event state the same facts, so many of their sentences have a close counterpart
in the other; two similar events (two budget fights of one president, two earthquakes in one
country) share the topic, the actors and the words of the article mean, but few sentences. Where
dates are missing this is what splits them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from compare.model.documents import Article, Statement

SHARED_STATEMENTS = 20  # an article's first statements are compared: its lead and the body that tells the event
SHARED_COSINE = 0.6  # a statement with a counterpart this close in the other article is shared
SHARED_BASE = 0.2  # the share of statements two articles of one topic share anyway; above it counts for
SHARED_WEIGHT = 0.75  # story similarity added per unit of shared share above SHARED_BASE
CLOSEST_PAIRS = 3  # the closest statement pairs of two articles ...
CLOSEST_BASE = 0.6  # ... count for one event by their mean cosine above this, against it below
CLOSEST_WEIGHT = 0.5


class ArticleStatements(NamedTuple):
    """The embeddings of each article's first ``SHARED_STATEMENTS`` statements, article after article."""

    offsets: np.ndarray  # (n + 1,) article i's statements are vectors[offsets[i]:offsets[i + 1]]
    vectors: np.ndarray  # (offsets[-1], dimension) L2-normalised rows


def article_statements(
    articles: Sequence[Article], statements: Sequence[Statement], vectors: np.ndarray
) -> ArticleStatements:
    """The first ``SHARED_STATEMENTS`` statement embeddings of each article (statements of other articles ignored)."""
    position = {article.id: row for row, article in enumerate(articles)}
    owners: list[int] = []
    picked: list[int] = []
    for row, statement in enumerate(statements):
        owner = position.get(statement.article_id)
        if owner is not None and statement.index < SHARED_STATEMENTS:
            owners.append(owner)
            picked.append(row)
    order = np.argsort(np.array(owners, dtype=np.int64), kind="stable")
    counts = np.bincount(np.array(owners, dtype=np.int64), minlength=len(articles))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    dimension = vectors.shape[1] if vectors.ndim == 2 else 1
    chosen = np.array(picked, dtype=np.int64)[order]
    return ArticleStatements(offsets, np.asarray(vectors, dtype=np.float32)[chosen].reshape(-1, dimension))


def shared_statement_scores(found: ArticleStatements, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """For each article pair (low[i], high[i]): how much their statements say they tell one event.

    ``SHARED_WEIGHT`` x (the share of statements, averaged over both articles, with a counterpart of
    cosine ``SHARED_COSINE`` or more in the other, minus ``SHARED_BASE``) + ``CLOSEST_WEIGHT`` x (the
    mean cosine of the ``CLOSEST_PAIRS`` closest statement pairs minus ``CLOSEST_BASE``); 0 where an
    article has none. The five numbers were chosen together on four corpora and two embedding
    backends (EVALUATION.md, "Same event or only a similar one").
    """
    scores = np.zeros(len(low), dtype=np.float32)
    offsets, vectors = found.offsets, found.vectors
    for pair, (first, second) in enumerate(zip(low.tolist(), high.tolist())):
        one = vectors[offsets[first] : offsets[first + 1]]
        other = vectors[offsets[second] : offsets[second + 1]]
        if not len(one) or not len(other):
            continue
        cosines = one @ other.T
        shared = 0.5 * (
            float((cosines.max(axis=1) >= SHARED_COSINE).mean()) + float((cosines.max(axis=0) >= SHARED_COSINE).mean())
        )
        flat = cosines.ravel()
        closest = np.partition(flat, len(flat) - CLOSEST_PAIRS)[-CLOSEST_PAIRS:] if len(flat) > CLOSEST_PAIRS else flat
        scores[pair] = SHARED_WEIGHT * (shared - SHARED_BASE) + CLOSEST_WEIGHT * (float(closest.mean()) - CLOSEST_BASE)
    return scores
