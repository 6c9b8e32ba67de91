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

from compare.io.column_rows import column_of
from compare.model.documents import Statement

SHARED_STATEMENTS = 20  # an article's first statements are compared: its lead and the body that tells the event
SHARED_COSINE = 0.6  # a statement with a counterpart this close in the other article is shared
CLOSEST_PAIRS = 3  # the mean cosine of two articles' closest statement pairs is the other half of the evidence
# Share + closest that two articles of one topic reach without telling one event: closest pairs at the
# counterpart cosine (0.6) and 15 % of statements shared. The one number of the term chosen on data
# (EVALUATION.md, "Same event or only a similar one": one number, validated on five sets, the seeds
# among them, leaving each corpus out; it needs the named event days of ``story_date_damping``).
SHARED_BASE = 0.75
PAIRS_PER_BLOCK = 512  # article pairs compared at once (2 x 512 x 20 x 384 gathered floats, 15 MB)


class ArticleStatements(NamedTuple):
    """The embeddings of each article's first ``SHARED_STATEMENTS`` statements, article after article."""

    offsets: np.ndarray  # (n + 1,) article i's statements are vectors[offsets[i]:offsets[i + 1]]
    vectors: np.ndarray  # (offsets[-1], dimension) L2-normalised rows


def article_statements(
    article_ids: Sequence[str], statements: Sequence[Statement], vectors: np.ndarray
) -> ArticleStatements:
    """The first ``SHARED_STATEMENTS`` statement embeddings of each article (statements of other articles ignored);
    articles by id, so that an addition makes no row of a stored article for it."""
    position = {article_id: row for row, article_id in enumerate(article_ids)}
    owners: list[int] = []
    picked: list[int] = []
    article_ids, indexes = column_of(statements, "article_id"), column_of(statements, "index")
    for row in [row for row, article_id in enumerate(article_ids) if article_id in position]:
        owner = position[article_ids[row]]
        if indexes[row] < SHARED_STATEMENTS:
            owners.append(owner)
            picked.append(row)
    order = np.argsort(np.array(owners, dtype=np.int64), kind="stable")
    counts = np.bincount(np.array(owners, dtype=np.int64), minlength=len(article_ids))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    dimension = vectors.shape[1] if vectors.ndim == 2 else 1
    chosen = np.array(picked, dtype=np.int64)[order]
    return ArticleStatements(offsets, np.asarray(vectors[chosen], dtype=np.float32).reshape(-1, dimension))


def shared_statement_scores(found: ArticleStatements, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """For each article pair (low[i], high[i]): how much their statements say they tell one event.

    The share of statements (averaged over both articles) with a counterpart of cosine
    ``SHARED_COSINE`` or more in the other, plus the mean cosine of the ``CLOSEST_PAIRS`` closest
    statement pairs, minus ``SHARED_BASE``; 0 where an article has none. Both halves are on the
    scale of the story similarity (a share and a cosine), so they are added with weight one.
    """
    found_pairs = shared_statements(found, low, high)
    scores = found_pairs.share + found_pairs.closest - SHARED_BASE
    return np.where(found_pairs.present, scores, 0.0).astype(np.float32)


class SharedStatements(NamedTuple):
    """What two articles' first statements share, per article pair."""

    share: np.ndarray  # statements with a counterpart at ``SHARED_COSINE`` or more, averaged over both articles
    closest: np.ndarray  # mean cosine of the ``CLOSEST_PAIRS`` closest statement pairs
    present: np.ndarray  # bool: both articles have statements (else the two above are 0)


def shared_statements(found: ArticleStatements, low: np.ndarray, high: np.ndarray) -> SharedStatements:
    """The share of statements with a close counterpart and the closest statement pairs of each article
    pair (low[i], high[i]), ``PAIRS_PER_BLOCK`` pairs at a time (never an all-pairs matrix)."""
    share = np.zeros(len(low), dtype=np.float64)
    closest = np.zeros(len(low), dtype=np.float64)
    present = np.zeros(len(low), dtype=bool)
    if not len(low):
        return SharedStatements(share, closest, present)
    # One zero row past the vectors stands in for the statements an article lacks.
    table = np.vstack([found.vectors, np.zeros((1, found.vectors.shape[1]), dtype=np.float32)])
    for start in range(0, len(low), PAIRS_PER_BLOCK):
        block = slice(start, start + PAIRS_PER_BLOCK)
        one, one_real = _padded(found, table, np.asarray(low[block]))
        other, other_real = _padded(found, table, np.asarray(high[block]))
        share[block], closest[block], present[block] = _block(one, one_real, other, other_real)
    return SharedStatements(share, closest, present)


def _padded(found: ArticleStatements, table: np.ndarray, articles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The articles' statement vectors as (pairs, most statements, dimension), the zero row of ``table``
    past each article's count, and the (pairs, most statements) mask of real rows."""
    starts = found.offsets[articles]
    counts = found.offsets[articles + 1] - starts
    slots = np.arange(int(counts.max(initial=0)))
    real = slots[None, :] < counts[:, None]
    rows = np.where(real, starts[:, None] + slots[None, :], len(table) - 1)
    return table[rows], real


def _block(
    one: np.ndarray, one_real: np.ndarray, other: np.ndarray, other_real: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``shared_statements`` of one block of pairs (padded by ``_padded``), as one batched matrix product."""
    one_count, other_count = one_real.sum(axis=1), other_real.sum(axis=1)
    present = (one_count > 0) & (other_count > 0)
    cosines = np.matmul(one, other.transpose(0, 2, 1))  # (pairs, statements, statements)
    if not cosines.size:
        return np.zeros(len(one)), np.zeros(len(one)), present
    cosines = np.where(one_real[:, :, None] & other_real[:, None, :], cosines, -np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        one_shared = ((cosines.max(axis=2) >= SHARED_COSINE) & one_real).sum(axis=1) / one_count
        other_shared = ((cosines.max(axis=1) >= SHARED_COSINE) & other_real).sum(axis=1) / other_count
    flat = cosines.reshape(len(one), -1)
    if flat.shape[1] > CLOSEST_PAIRS:
        flat = np.partition(flat, flat.shape[1] - CLOSEST_PAIRS, axis=1)[:, -CLOSEST_PAIRS:]
    # Pairs with fewer than CLOSEST_PAIRS cosines average the ones they have.
    taken = np.maximum(np.minimum(one_count * other_count, CLOSEST_PAIRS), 1)
    closest = np.where(np.isfinite(flat), flat, 0.0).sum(axis=1) / taken
    share = np.where(present, 0.5 * (one_shared + other_shared), 0.0)
    return share, np.where(present, closest, 0.0), present
