"""The one nearest-neighbour search: query rows against candidate rows, one block of candidates at a time.

Every path finds neighbours here. The local run passes the whole corpus as one block; adding
articles passes the added rows as the query (and the old rows against the added ones, see
``grow_neighbours``); a Ray task passes its shard as the query and its neighbour shards as blocks.
Rows are global numbers, so the top k of several blocks merge into the top k of their union.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import numpy as np
from scipy.sparse import issparse

KNN_NEIGHBOURS = 20
_EXACT_KNN_LIMIT = 50_000  # a local search above this many rows is approximate (faiss IVF)
_SPARSE_SCORES = 20_000_000  # scores of a sparse block held at once (query rows x block rows)
GROW_BLOCK_ROWS = 65_536  # rows of the corpus searched at a time when rows are added


class Block(NamedTuple):
    """Rows of a corpus: their global numbers (ascending) and their vectors (dense, or sparse CSR); ``scores``, when
    a caller made them anyway, the inner products of each row with the query rows (rows x queries, by numpy)."""

    rows: np.ndarray
    data: Any
    scores: np.ndarray | None = None


class Neighbours(NamedTuple):
    """The nearest candidates of each query row, most similar first: -1 and similarity 0 where fewer."""

    rows: np.ndarray  # (queries, k) global row numbers
    similarities: np.ndarray  # (queries, k) float32 inner products


def nearest(query: Block, blocks: Iterable[Block], k: int) -> Neighbours:
    """The k most similar candidate rows of every query row, itself excluded, over blocks of candidates.

    Exact (an inner product with every candidate), except for a corpus searched against itself
    (a block that is the query) above 50,000 dense rows: that one goes through a faiss IVF index,
    as the local run and a one-shard run do. Ties keep the earlier block's row first, then the
    order of the search within a block.
    """
    return _finished(_search(query, blocks, k))


def _search(query: Block, blocks: Iterable[Block], k: int) -> Neighbours:
    """``nearest``, with similarity -inf where a neighbour is missing."""
    found = _none(len(query.rows), 0)
    for block in blocks:
        best = _block_top(query, block, k)
        found = best if found.rows.shape[1] == 0 else merge(found, best, k)
    return _padded(found, k)


def merge(first: Neighbours, second: Neighbours, k: int) -> Neighbours:
    """The top k of two neighbour lists of the same query rows (on ties, ``first`` before ``second``)."""
    rows = np.concatenate([first.rows, second.rows], axis=1)
    similarities = np.concatenate([_searchable(first), _searchable(second)], axis=1)
    keep = np.argsort(-similarities, axis=1, kind="stable")[:, :k]
    return Neighbours(np.take_along_axis(rows, keep, axis=1), np.take_along_axis(similarities, keep, axis=1))


def knn(vectors: np.ndarray, k: int = KNN_NEIGHBOURS) -> Neighbours:
    """The k most similar rows (inner product) of every row: ``nearest`` with all rows as one block.

    Exact up to 50,000 rows, approximate (faiss IVF) above; never forms the full similarity matrix.

    Returns:
        (rows, similarities), each of shape (n, min(k, n - 1)); missing neighbours are -1.
    """
    n = vectors.shape[0]
    k = max(0, min(k, n - 1))
    every = Block(np.arange(n, dtype=np.int64), vectors)
    return nearest(every, [every], k)


def row_blocks(data: Any, size: int = GROW_BLOCK_ROWS) -> Iterator[Block]:
    """The rows of ``data`` (dense or sparse) as blocks of ``size`` rows (``data`` itself when it fits one)."""
    n = data.shape[0]
    for first in range(0, n, size):
        last = min(n, first + size)
        yield Block(np.arange(first, last, dtype=np.int64), data if last - first == n else data[first:last])


def grow_neighbours(
    old: Neighbours, data: Any, k: int, block_rows: int = GROW_BLOCK_ROWS
) -> tuple[Neighbours, np.ndarray]:
    """Neighbour lists of the rows of ``data``, from those of its first ``len(old.rows)`` rows (exact).

    The added rows are searched against every row; the old rows against the added rows, and what
    beats an old list's worst entry is merged into it. The result equals ``nearest`` over all rows
    (up to ties).

    Args:
        old: the lists of the old rows (any width up to k; -1 where short).
        data: the vectors of every row, the added ones last.
        k: the list length wanted.

    Returns:
        The lists of every row, and the old rows whose list took an added row (ascending).
    """
    n_old, n = len(old.rows), data.shape[0]
    added = Block(np.arange(n_old, n, dtype=np.int64), data[n_old:])
    best = np.empty(n, dtype=np.float32)  # each row's largest inner product with an added row
    new = _search(added, _with_best_scores(_blocks_read_once(data, block_rows), added.data, best), k)
    # Every list is written once into arrays of all rows (``old`` stays): no stacking, no whole copies after.
    grown = _none(n, k)
    width = min(k, old.rows.shape[1])
    grown.rows[:n_old, :width], grown.similarities[:n_old, :width] = old.rows[:, :width], old.similarities[:, :width]
    grown.similarities[:n_old, :width][old.rows[:, :width] < 0] = -np.inf
    grown.rows[n_old:], grown.similarities[n_old:] = new.rows, new.similarities
    lists = Neighbours(grown.rows[:n_old], grown.similarities[:n_old])
    entered = np.zeros(0, dtype=np.int64)
    if k and n_old and n > n_old:
        # Only the old rows whose worst entry an added row beats are searched (one product finds them).
        reached = np.flatnonzero(best[:n_old] > lists.similarities.min(axis=1))
        into_old = _search(Block(reached, data[reached]), [added], k)
        merged = merge(Neighbours(lists.rows[reached], lists.similarities[reached]), into_old, k)
        lists.rows[reached], lists.similarities[reached] = merged.rows, merged.similarities
        entered = reached[(merged.rows >= n_old).any(axis=1)]
    grown.similarities[grown.rows < 0] = 0.0  # ``_finished``, in place
    return grown, entered


def _blocks_read_once(data: Any, block_rows: int) -> Iterator[Block]:
    """``row_blocks`` of ``data``; a ``StoredVectors``' rows read into one buffer, block after block (a block's
    array is used before the next is read: ``_search`` keeps only what it found), so that the pages of the
    search's 100 MB blocks are faulted in once, not once per block."""
    read_into = getattr(data, "read_into", None)
    if read_into is None:
        yield from row_blocks(data, block_rows)
        return
    n = data.shape[0]
    buffer = np.empty((min(n, block_rows), data.shape[1]), dtype=np.float32)
    for first in range(0, n, block_rows):
        last = min(n, first + block_rows)
        yield Block(np.arange(first, last, dtype=np.int64), read_into(first, last, buffer))


def _with_best_scores(blocks: Iterable[Block], added: Any, best: np.ndarray) -> Iterator[Block]:
    """The blocks, each as an array (rows read from ``StoredVectors`` once, for both uses), after writing into
    ``best`` each of its rows' largest inner product with a row of ``added``."""
    transposed = added.T
    for block in blocks:
        data = block.data if issparse(block.data) else np.asarray(block.data)
        scores = None
        if len(block.rows) and added.shape[0]:
            scores = data @ transposed
            best[block.rows] = scores.toarray().max(axis=1) if issparse(scores) else scores.max(axis=1)
        yield Block(block.rows, data, None if scores is None or issparse(scores) else scores)


def rows_reached(grown: Neighbours, n_old: int, entered: np.ndarray) -> np.ndarray:
    """The old rows an addition reaches: those whose list took an added row, and those in an added row's list."""
    listed = grown.rows[n_old:].ravel()
    return np.union1d(entered, listed[(listed >= 0) & (listed < n_old)]).astype(np.int64)


def edges_from_neighbours(query_rows: np.ndarray, neighbours: Neighbours) -> tuple[np.ndarray, np.ndarray]:
    """(query row, neighbour) for every found neighbour, in global row numbers."""
    rows = np.repeat(query_rows, neighbours.rows.shape[1])
    cols = neighbours.rows.reshape(-1)
    valid = cols >= 0
    return rows[valid], cols[valid]


def pair_cosines(
    left: np.ndarray, left_at: np.ndarray, right: np.ndarray, right_at: np.ndarray, chunk: int = 4096
) -> np.ndarray:
    """Inner products of ``left[left_at[i]]`` and ``right[right_at[i]]``, a chunk of pairs at a time.

    Small chunks stay in cache (2x faster than one gather); a pair's result does not depend on
    the chunk, so every path that scores a pair with the same operand order gets the same bits.
    """
    result = np.empty(len(left_at), dtype=np.float32)
    for first in range(0, len(left_at), chunk):
        last = first + chunk
        result[first:last] = np.einsum("ij,ij->i", left[left_at[first:last]], right[right_at[first:last]])
    return result


def contains_sorted(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which values occur in an ascending array (of distinct values)."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    if _is_range(sorted_values):
        return np.asarray((values >= sorted_values[0]) & (values <= sorted_values[-1]))
    position = np.clip(np.searchsorted(sorted_values, values), 0, len(sorted_values) - 1)
    return np.asarray(sorted_values[position] == values)


def positions(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where each value (present) stands in an ascending array of distinct values."""
    if len(sorted_values) and _is_range(sorted_values):
        return np.asarray(values - sorted_values[0])
    return np.searchsorted(sorted_values, values)


def _is_range(sorted_values: np.ndarray) -> bool:
    return int(sorted_values[-1]) - int(sorted_values[0]) == len(sorted_values) - 1


def _none(queries: int, k: int) -> Neighbours:
    return Neighbours(np.full((queries, k), -1, dtype=np.int64), np.full((queries, k), -np.inf, dtype=np.float32))


def _padded(found: Neighbours, k: int) -> Neighbours:
    """Exactly k columns: cut, or filled with missing neighbours."""
    width = found.rows.shape[1]
    if width >= k:
        return Neighbours(found.rows[:, :k], found.similarities[:, :k])
    filler = _none(len(found.rows), k - width)
    return Neighbours(
        np.hstack([found.rows, filler.rows]), np.hstack([found.similarities.astype(np.float32), filler.similarities])
    )


def _searchable(neighbours: Neighbours) -> np.ndarray:
    """Similarities with -inf where a neighbour is missing, so that any found one ranks above."""
    return np.where(neighbours.rows >= 0, neighbours.similarities, -np.inf).astype(np.float32, copy=False)


def _finished(found: Neighbours) -> Neighbours:
    missing = found.rows < 0
    return Neighbours(found.rows, np.where(missing, 0.0, found.similarities).astype(np.float32))


def _block_top(query: Block, block: Block, k: int) -> Neighbours:
    """Each query row's k most similar rows of one block, itself excluded, most similar first."""
    if not len(query.rows) or not len(block.rows) or k <= 0:
        return _none(len(query.rows), k)
    if issparse(block.data):
        return _sparse_top(query, block, k)
    width = min(k + 1, len(block.rows))  # one more, for the query row itself
    approximate = len(block.rows) > _EXACT_KNN_LIMIT and np.array_equal(block.rows, query.rows)
    if block.scores is not None and not approximate and len(query.rows) > 1:  # faiss's one-query path: below
        similarities, at = _rescored_search(query.data, block.data, block.scores, width)
    else:
        similarities, at = _dense_search(query.data, block.data, width, approximate)
    found = np.where(at >= 0, block.rows[np.clip(at, 0, None)], -1)
    # The query row itself (or, when duplicates hid it, the last one found) goes.
    dropped = (found == query.rows[:, None]) | (found < 0)
    order = np.argsort(dropped, axis=1, kind="stable")
    found, similarities = np.take_along_axis(found, order, 1), np.take_along_axis(similarities, order, 1)
    dropped = np.take_along_axis(dropped, order, 1)
    found[dropped], similarities[dropped] = -1, -np.inf
    return _padded(Neighbours(found, similarities), k)


def _dense_search(
    queries: np.ndarray, vectors: np.ndarray, width: int, approximate: bool
) -> tuple[np.ndarray, np.ndarray]:
    """faiss: the ``width`` largest inner products of each query among ``vectors``, largest first."""
    import faiss

    queries = np.ascontiguousarray(queries, dtype=np.float32)
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dimension = data.shape
    if not approximate:
        similarities, at = faiss.knn(queries, data, width, faiss.METRIC_INNER_PRODUCT)
        return similarities, at
    lists = int(4 * math.sqrt(n))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    index.train(data[np.random.default_rng(0).choice(n, size=min(n, lists * 64), replace=False)])
    index.nprobe = 16
    index.add(data)
    similarities, at = index.search(queries, width)
    return similarities, at


# What numpy's and faiss's float32 inner products of two vectors can differ by, times their norms: each is within
# 384 x 2^-24 (2.3e-5) of the exact one; ten times the difference allowed, so the margin never cuts a row faiss keeps.
_ROUNDING_MARGIN = 1e-3


def _rescored_search(
    queries: np.ndarray, vectors: np.ndarray, scores: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """``_dense_search`` (exact) of ``vectors`` by faiss, given ``scores``, the same inner products made by numpy
    (rows x queries): faiss searches only the rows whose numpy score is within a rounding margin of a query's
    ``width``-th best, a few dozen of 65,536 (an addition's search of its rows against the corpus).

    The result is faiss's search of every row, bit for bit: for two queries or more faiss's inner product of two
    vectors does not depend on the other rows searched, and its top ``width`` keeps a row only when it beats the
    list's worst, ties decided by row number, so rows below every kept one change nothing when left out (the rows
    kept stay in order, so the row numbers that break ties keep their order). A single query takes another path
    in faiss (1.15), whose products differ in the last bits with the rows searched: it is searched over all rows.
    """
    n = len(scores)
    if n <= 4 * width:
        return _dense_search(queries, vectors, width, approximate=False)
    data = np.asarray(vectors)
    kth = -np.partition(-scores, width - 1, axis=0)[width - 1]  # each query's width-th best by numpy
    largest = float(np.sqrt(np.einsum("ij,ij->i", data, data).max()))
    margin = _ROUNDING_MARGIN * np.linalg.norm(queries, axis=1) * largest
    kept = np.flatnonzero((scores >= kth - margin).any(axis=1))
    if len(kept) < width:  # only when a score is not a number: every row searched, as without scores
        return _dense_search(queries, data, width, approximate=False)
    similarities, at = _dense_search(queries, data[kept], width, approximate=False)
    return similarities, np.where(at >= 0, kept[np.clip(at, 0, None)], -1)


def _sparse_top(query: Block, block: Block, k: int) -> Neighbours:
    """``_block_top`` for L2-normalised sparse rows: a chunk of query rows times the block at a time."""
    width = min(k, len(block.rows))
    found = _none(len(query.rows), k)
    transposed = block.data.T.tocsr()
    own = np.where(contains_sorted(block.rows, query.rows), positions(block.rows, query.rows), -1)
    chunk = max(1, min(1024, _SPARSE_SCORES // len(block.rows)))
    for first in range(0, len(query.rows), chunk):
        scores = (query.data[first : first + chunk] @ transposed).toarray()
        mine = own[first : first + chunk]
        scores[np.flatnonzero(mine >= 0), mine[mine >= 0]] = -np.inf
        top = np.argpartition(-scores, kth=width - 1, axis=1)[:, :width]
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top, top_scores = np.take_along_axis(top, order, 1), np.take_along_axis(top_scores, order, 1)
        found.rows[first : first + chunk, :width] = np.where(np.isfinite(top_scores), block.rows[top], -1)
        found.similarities[first : first + chunk, :width] = top_scores
    return found
