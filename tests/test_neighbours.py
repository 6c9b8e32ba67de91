"""The one top-k search (``compare.cluster.neighbours``) on hand-made vectors: blocks, merges and growth are exact."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from compare.cluster.neighbours import Block, Neighbours, grow_neighbours, nearest, row_blocks


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _vectors(n: int, seed: int) -> np.ndarray:
    """Distinct random directions: no two similarities tie, so the top k is one set."""
    return _unit(np.random.default_rng(seed).normal(size=(n, 24)))


def _brute_force(query_rows: np.ndarray, vectors: np.ndarray, k: int) -> np.ndarray:
    scores = vectors[query_rows] @ vectors.T
    scores[np.arange(len(query_rows)), query_rows] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def test_a_query_against_blocks_equals_one_block_and_brute_force():
    vectors = _vectors(300, 0)
    rows = np.arange(300)
    query = Block(rows[100:160], vectors[100:160])
    whole = nearest(query, [Block(rows, vectors)], 7)
    pieces = [rows[:50], rows[50:130], rows[130:131], rows[131:]]  # one piece holds a single row
    blocked = nearest(query, [Block(piece, vectors[piece]) for piece in pieces], 7)
    assert np.array_equal(whole.rows, blocked.rows)
    assert np.array_equal(whole.similarities, blocked.similarities)
    assert np.array_equal(whole.rows, _brute_force(query.rows, vectors, 7))
    assert (np.diff(whole.similarities, axis=1) <= 0).all()  # most similar first


def test_sparse_rows_are_searched_the_same_way():
    dense = np.random.default_rng(1).random((120, 40))
    dense[dense < 0.8] = 0.0  # sparse, and every row keeps some terms
    dense[np.arange(120), np.arange(120) % 40] = 1.0
    vectors = _unit(dense)
    matrix = csr_matrix(vectors)
    rows = np.arange(120)
    query_rows = rows[::3]
    whole = nearest(Block(query_rows, matrix[query_rows]), [Block(rows, matrix)], 5)
    blocked = nearest(Block(query_rows, matrix[query_rows]), list(row_blocks(matrix, 32)), 5)
    assert np.array_equal(whole.rows, blocked.rows)
    assert np.array_equal(whole.rows, _brute_force(query_rows, vectors, 5))
    assert np.allclose(whole.similarities, np.take_along_axis(vectors[query_rows] @ vectors.T, whole.rows, 1))


def test_too_few_candidates_leave_missing_neighbours():
    vectors = _vectors(4, 2)
    rows = np.arange(4)
    found = nearest(Block(rows, vectors), [Block(rows, vectors)], 6)
    assert found.rows.shape == (4, 6)
    assert ((found.rows >= 0).sum(axis=1) == 3).all()  # the three others, never itself
    assert (found.rows[:, 3:] == -1).all() and (found.similarities[:, 3:] == 0).all()
    assert all(row not in found.rows[row] for row in range(4))


def test_growing_the_lists_equals_searching_again():
    vectors = _vectors(500, 3)
    old = 430
    every = np.arange(500)
    before = nearest(Block(every[:old], vectors[:old]), [Block(every[:old], vectors[:old])], 6)
    kept = before.rows.copy()
    grown, entered = grow_neighbours(before, vectors, 6, block_rows=128)
    full = nearest(Block(every, vectors), [Block(every, vectors)], 6)
    assert np.array_equal(grown.rows, full.rows)
    assert np.allclose(grown.similarities, full.similarities, atol=1e-6)
    assert entered.tolist() == [row for row in range(old) if (full.rows[row] >= old).any()]
    assert len(entered) > 0
    assert np.array_equal(before.rows, kept)  # the old lists are left as they were


def test_growing_short_lists_to_a_larger_k():
    """A corpus of three rows has lists of two; with rows added, lists grow to the k asked for."""
    vectors = _vectors(12, 4)
    every = np.arange(12)
    before = nearest(Block(every[:3], vectors[:3]), [Block(every[:3], vectors[:3])], 2)
    grown, _ = grow_neighbours(Neighbours(before.rows, before.similarities), vectors, 5)
    assert np.array_equal(grown.rows, _brute_force(every, vectors, 5))


def test_blocks_merge_ties_across_a_boundary_earlier_row_first():
    """One vector repeated in three blocks of 64 rows (rows 10, 70, 130) and a query next to it: the blockwise
    search lists the three copies first, with one similarity, the earlier block's row first, then the best of
    the rest wherever its block is; as a whole-corpus search of an added row does (``grow_neighbours``)."""
    vectors = _vectors(200, 5)
    vectors[70] = vectors[130] = vectors[10]
    vectors[190] = _unit(vectors[10:11] + 0.05 * vectors[11:12])[0]
    every = np.arange(200)
    query = Block(every[190:191], vectors[190:191])
    blocked = nearest(query, row_blocks(vectors, 64), 5)
    whole = nearest(query, [Block(every, vectors)], 5)
    assert blocked.rows[0, :3].tolist() == [10, 70, 130]
    assert blocked.similarities[0, 0] == blocked.similarities[0, 1] == blocked.similarities[0, 2]
    others = vectors @ vectors[190]
    others[[10, 70, 130, 190]] = -np.inf
    assert blocked.rows[0, 3:].tolist() == np.argsort(-others, kind="stable")[:2].tolist()
    assert np.array_equal(blocked.rows[:, 3:], whole.rows[:, 3:])
    assert np.array_equal(blocked.similarities, whole.similarities)
    before = nearest(Block(every[:180], vectors[:180]), [Block(every[:180], vectors[:180])], 5)
    grown, _ = grow_neighbours(before, vectors, 5, block_rows=64)
    assert np.array_equal(grown.rows[190], blocked.rows[0])
    assert np.array_equal(grown.similarities[190], blocked.similarities[0])


def test_an_added_rows_search_given_numpys_scores_asks_faiss_of_few_rows_and_finds_what_it_finds_in_all(monkeypatch):
    """``grow_neighbours`` hands its blocks' numpy products with the added rows to the search: faiss then searches
    the rows near each query's k-th score only, and finds the same rows and the same float32 bits as over every
    row, ties included (each stored row three times, the queries copies of stored rows: ties at every rank)."""
    from compare.cluster import neighbours

    base = _unit(np.random.default_rng(6).normal(size=(1200, 384))).astype(np.float16).astype(np.float32)
    vectors = np.vstack([base, base, base])  # rows r, r + 1200, r + 2400 alike
    queries = vectors[np.random.default_rng(7).choice(len(vectors), 35, replace=False)]
    every, query_rows = np.arange(len(vectors)), np.arange(len(vectors), len(vectors) + 35)
    searched: list[int] = []
    dense_search = neighbours._dense_search

    def counted(queries: np.ndarray, vectors: np.ndarray, width: int, approximate: bool):
        searched.append(len(vectors))
        return dense_search(queries, vectors, width, approximate)

    monkeypatch.setattr(neighbours, "_dense_search", counted)
    query = Block(query_rows, queries)
    whole = nearest(query, [Block(every, vectors)], 20)
    given = nearest(query, [Block(every, vectors, vectors @ queries.T)], 20)
    assert searched[0] == len(vectors) and searched[1] < len(vectors) // 4  # about its 21 best per query
    assert np.array_equal(given.rows, whole.rows)
    assert np.array_equal(given.similarities.view(np.uint32), whole.similarities.view(np.uint32))
    assert (whole.similarities[:, 0] == whole.similarities[:, 2]).all()  # the three copies tie at the top
    one = Block(query_rows[:1], queries[:1])  # faiss's one-query products depend on the rows searched: all are
    assert np.array_equal(
        nearest(one, [Block(every, vectors, vectors @ queries[:1].T)], 20).similarities,
        nearest(one, [Block(every, vectors)], 20).similarities,
    )
    assert searched[-2] == searched[-1] == len(vectors)
