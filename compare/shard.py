"""Clustering in shards: the pieces a distributed engine runs on one shard at a time, without Ray.

A corpus too large for one machine is cut into **shards** of whole articles by publication date
(``plan_shards``). A shard is compared only with the shards within ``block_days`` of its dates
(``neighbour_shards``): that date blocking is what keeps the work near-linear in corpus size. Per
shard, ``story_edges`` and ``claim_edges`` find each item's nearest neighbours among the items of
its neighbour shards and score the pairs exactly as ``compare.cluster`` does; the edges of all
shards then go through ``link_components``, average linkage per strong component.

With one shard (every corpus below ``ShardOptions.shard_rows`` statements) the candidates are the
whole corpus and the result equals the single-machine path. With more shards it differs only where
the nearest neighbours of an item lie further than ``block_days`` away (see docs/scaling.md).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from compare.cluster import (
    NO_DAY,
    AverageLinkage,
    ClaimOptions,
    StoryOptions,
    anchor_edges,
    anchor_weight,
    knn,
    lookup_bonus,
    sparse_knn,
    story_similarity,
    strongest_per_pair,
    unique_pairs,
    weigh_terms,
)

SHARD_ROWS = 200_000
BLOCK_DAYS = 7


@dataclass(frozen=True)
class ShardOptions:
    """How a corpus is cut into shards and which shards are compared."""

    shard_rows: int = SHARD_ROWS  # statements per shard at most (an article is never split)
    block_days: int = BLOCK_DAYS  # a shard is compared with the shards whose dates lie this close


@dataclass(frozen=True)
class ShardPlan:
    """The shard of every article and the day range of every shard (``NO_DAY`` for undated ones)."""

    shard_of_article: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray

    @property
    def count(self) -> int:
        return len(self.first_day)


def plan_shards(days: np.ndarray, statement_counts: np.ndarray, options: ShardOptions | None = None) -> ShardPlan:
    """Cuts articles, in date order, into shards of at most ``shard_rows`` statements.

    Undated articles get shards of their own, which are compared with every shard.
    """
    options = options or ShardOptions()
    order = np.lexsort((np.arange(len(days)), days == NO_DAY, days))
    order = np.concatenate([order[days[order] != NO_DAY], order[days[order] == NO_DAY]])
    shard_of = np.zeros(len(days), dtype=np.int64)
    first_days: list[int] = []
    last_days: list[int] = []
    size = 0
    for position in order.tolist():
        day = int(days[position])
        new_kind = bool(first_days) and (day == NO_DAY) != (first_days[-1] == NO_DAY)
        if not first_days or new_kind or (size and size + int(statement_counts[position]) > options.shard_rows):
            first_days.append(day)
            last_days.append(day)
            size = 0
        shard_of[position] = len(first_days) - 1
        last_days[-1] = day
        size += int(statement_counts[position])
    return ShardPlan(shard_of, np.array(first_days, dtype=np.int64), np.array(last_days, dtype=np.int64))


def neighbour_shards(plan: ShardPlan, block_days: int) -> list[list[int]]:
    """For every shard, the shards (itself included) whose items its items are compared with."""
    undated = plan.first_day == NO_DAY
    neighbours = []
    for shard in range(plan.count):
        if undated[shard]:
            neighbours.append(list(range(plan.count)))
            continue
        near = (plan.first_day <= plan.last_day[shard] + block_days) & (
            plan.last_day >= plan.first_day[shard] - block_days
        )
        neighbours.append(np.flatnonzero(near | undated).tolist())
    return neighbours


def nearest_among(
    query_rows: np.ndarray, candidate_rows: np.ndarray, candidate_vectors: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Edges from each query row to its k most similar candidates (itself excluded), in global row numbers.

    The query rows must be among the candidate rows. When they are all of them this is ``knn``.
    """
    if len(query_rows) == len(candidate_rows):
        indices, _ = knn(candidate_vectors, k)
        query_at = np.arange(len(candidate_rows))
    else:
        import faiss

        k = min(k, len(candidate_rows) - 1)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        data = np.ascontiguousarray(candidate_vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(data.shape[1])
        index.add(data)
        query_at = np.searchsorted(candidate_rows, query_rows)
        _, found = index.search(data[query_at], k + 1)
        keep = found != query_at[:, None]
        keep[keep.sum(axis=1) > k, -1] = False
        indices = found[keep].reshape(len(query_rows), k)
    rows = np.repeat(candidate_rows[query_at], indices.shape[1])
    cols = indices.reshape(-1)
    valid = cols >= 0
    return rows[valid], candidate_rows[cols[valid]]


def _sparse_nearest_among(query_at: np.ndarray, candidate_rows: np.ndarray, tfidf: Any, k: int) -> tuple:
    """Like ``nearest_among`` for TF-IDF rows (``query_at``: positions of the queries among the candidates)."""
    k = min(k, len(candidate_rows) - 1)
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(query_at) == len(candidate_rows):
        indices, _ = sparse_knn(tfidf, k)
    else:
        scores = (tfidf[query_at] @ tfidf.T).toarray()
        scores[np.arange(len(query_at)), query_at] = -np.inf
        indices = np.argpartition(-scores, kth=k - 1, axis=1)[:, :k]
    rows = np.repeat(candidate_rows[query_at], indices.shape[1])
    return rows, candidate_rows[indices.reshape(-1)]


def _pairs(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each undirected pair once, as (low, high), self-pairs dropped (``unique_pairs`` over global numbers)."""
    if not len(rows):
        return rows.astype(np.int64), cols.astype(np.int64)
    return unique_pairs(int(max(rows.max(), cols.max())) + 1, rows, cols)


# ---------------------------------------------------------------- stories


def story_edges(
    query_rows: np.ndarray,
    candidate_rows: np.ndarray,
    candidate_counts: Any,
    frequencies: np.ndarray,
    documents: int,
    candidate_vectors: np.ndarray,
    candidate_days: np.ndarray,
    options: StoryOptions | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored article pairs for the query articles of one shard, as ``cluster_stories`` scores them.

    Args:
        query_rows: global article numbers of the shard's articles (sorted).
        candidate_rows: global article numbers of the articles of its neighbour shards (sorted).
        candidate_counts: hashed term counts of the candidates (``article_term_counts``).
        frequencies, documents: document frequencies over the whole corpus, and its article count.
        candidate_vectors: mean statement embeddings of the candidates.
        candidate_days: publication days of the candidates.

    Returns:
        (low, high, similarity) in global article numbers.
    """
    options = options or StoryOptions()
    tfidf = weigh_terms(candidate_counts, frequencies, documents)
    k = min(options.neighbours, documents - 1)
    query_at = np.searchsorted(candidate_rows, query_rows)
    semantic_rows, semantic_cols = nearest_among(query_rows, candidate_rows, candidate_vectors, k)
    lexical_rows, lexical_cols = _sparse_nearest_among(query_at, candidate_rows, tfidf, k)
    low, high = _pairs(np.concatenate([semantic_rows, lexical_rows]), np.concatenate([semantic_cols, lexical_cols]))
    local_low, local_high = np.searchsorted(candidate_rows, low), np.searchsorted(candidate_rows, high)
    similarity = story_similarity(
        tfidf, candidate_vectors, candidate_days, local_low, local_high, options.date_window_days
    )
    return low, high, similarity


# ---------------------------------------------------------------- claims


def anchor_partition(anchor: str, partitions: int) -> int:
    """The partition an anchor's postings go to (stable across processes, unlike ``hash``)."""
    return zlib.crc32(anchor.encode("utf-8")) % partitions


def anchor_pairs(
    postings: Iterable[tuple[str, int, int]], min_bonus: float = 0.05, max_postings: int = 64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Statement pairs sharing a rare anchor: ``compare.cluster.anchor_edges`` over one partition of anchors.

    Args:
        postings: (anchor, statement row, article number) for every anchor of every statement;
            every posting of an anchor must be here (anchors are partitioned, not split).

    Returns:
        (low, high, bonus) in global statement numbers, each pair once with the bonus of its
        rarest shared anchor.
    """
    postings = list(postings)
    rows = np.unique(np.array([row for _, row, _ in postings], dtype=np.int64))
    local = {row: number for number, row in enumerate(rows.tolist())}
    anchors_of: list[set[str]] = [set() for _ in rows]
    article_of = np.zeros(len(rows), dtype=np.int64)
    articles_with: dict[str, set[int]] = defaultdict(set)
    for anchor, row, article in postings:
        anchors_of[local[row]].add(anchor)
        article_of[local[row]] = article
        articles_with[anchor].add(article)
    weights = {anchor: anchor_weight(len(articles)) for anchor, articles in articles_with.items()}
    low, high, bonus = anchor_edges(
        [frozenset(found) for found in anchors_of], weights, article_of, min_bonus, max_postings
    )
    return rows[low], rows[high], bonus


Block = tuple[np.ndarray, np.ndarray]  # (global row numbers, ascending; their embeddings)


def claim_edges(
    query_rows: np.ndarray,
    candidate_rows: np.ndarray,
    candidate_vectors: np.ndarray,
    pair_low: np.ndarray,
    pair_high: np.ndarray,
    pair_bonus: np.ndarray,
    options: ClaimOptions | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``claim_edges_in_blocks`` with every candidate in memory as one block."""
    query_vectors = candidate_vectors[np.searchsorted(candidate_rows, query_rows)]
    return claim_edges_in_blocks(
        query_rows,
        query_vectors,
        lambda: [(candidate_rows, candidate_vectors)],
        pair_low,
        pair_high,
        pair_bonus,
        options,
    )


def claim_edges_in_blocks(
    query_rows: np.ndarray,
    query_vectors: np.ndarray,
    blocks: Callable[[], Iterable[Block]],
    pair_low: np.ndarray,
    pair_high: np.ndarray,
    pair_bonus: np.ndarray,
    options: ClaimOptions | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored statement pairs for the query statements of one shard, as ``cluster_claims`` scores them.

    The candidates come a block (a neighbour shard) at a time, twice: once for the nearest
    neighbours (an exact top-k merged across blocks), once for the cosines of the chosen pairs. So a
    task holds its own shard and one neighbour shard, however many neighbours there are.

    Args:
        query_rows, query_vectors: the shard's global statement numbers (ascending) and embeddings.
        blocks: gives the neighbour shards (the shard itself among them) as (rows, vectors).
        pair_low, pair_high, pair_bonus: anchor pairs whose low end is a query row (``anchor_pairs``);
            those whose other end is in no block are dropped (date blocking).

    Returns:
        (low, high, similarity) in global statement numbers.
    """
    options = options or ClaimOptions()
    seen: list[np.ndarray] = []
    best_similarity = np.full((len(query_rows), 0), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(query_rows), 0), dtype=np.int64)
    for rows, vectors in blocks():
        seen.append(rows)
        found_similarity, found_rows = _top_in_block(query_rows, query_vectors, rows, vectors, options.neighbours)
        best_similarity = np.concatenate([best_similarity, found_similarity], axis=1)
        best_rows = np.concatenate([best_rows, found_rows], axis=1)
        keep = np.argsort(-best_similarity, axis=1, kind="stable")[:, : options.neighbours]
        best_similarity = np.take_along_axis(best_similarity, keep, axis=1)
        best_rows = np.take_along_axis(best_rows, keep, axis=1)
    candidates = np.unique(np.concatenate(seen)) if seen else np.zeros(0, dtype=np.int64)
    k = min(options.neighbours, len(candidates) - 1)
    best_rows = best_rows[:, : max(k, 0)]
    near_rows = np.repeat(query_rows, best_rows.shape[1])
    near_cols = best_rows.reshape(-1)
    valid = near_cols >= 0
    reachable = contains_sorted(candidates, pair_high) & contains_sorted(candidates, pair_low)
    pair_low, pair_high, pair_bonus = pair_low[reachable], pair_high[reachable], pair_bonus[reachable]
    low, high = _pairs(np.concatenate([near_rows[valid], pair_low]), np.concatenate([near_cols[valid], pair_high]))
    width = int(candidates[-1]) + 1 if len(candidates) else 1
    # Anchor partitions may give one pair twice: the largest bonus counts, as in cluster_claims.
    pair_low, pair_high, pair_bonus = strongest_per_pair(width, pair_low, pair_high, pair_bonus)
    bonus = lookup_bonus(width, low, high, pair_low, pair_high, pair_bonus)
    cosine = _pair_cosines_in_blocks(query_rows, query_vectors, blocks, low, high)
    return low, high, (cosine + options.anchor_weight * bonus).astype(np.float32)


def _top_in_block(
    query_rows: np.ndarray, query_vectors: np.ndarray, rows: np.ndarray, vectors: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each query's k most similar rows of one block, itself excluded (-inf / -1 where fewer)."""
    import faiss

    width = min(k + 1, len(rows))
    similarity = np.full((len(query_rows), k + 1), -np.inf, dtype=np.float32)
    found = np.full((len(query_rows), k + 1), -1, dtype=np.int64)
    if width and len(query_rows):
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        block_similarity, at = index.search(np.ascontiguousarray(query_vectors, dtype=np.float32), width)
        block_rows = np.where(at >= 0, rows[np.clip(at, 0, None)], -1)
        own = block_rows == query_rows[:, None]
        block_similarity[own | (at < 0)] = -np.inf
        block_rows[own] = -1
        similarity[:, :width], found[:, :width] = block_similarity, block_rows
    return similarity, found


def _pair_cosines_in_blocks(
    query_rows: np.ndarray,
    query_vectors: np.ndarray,
    blocks: Callable[[], Iterable[Block]],
    low: np.ndarray,
    high: np.ndarray,
) -> np.ndarray:
    """Cosines of pairs with at least one end among the query rows, the other end's block loaded in turn."""
    cosine = np.zeros(len(low), dtype=np.float32)
    low_is_query = contains_sorted(query_rows, low)
    query_end = np.where(low_is_query, low, high)
    other_end = np.where(low_is_query, high, low)
    query_at = np.searchsorted(query_rows, query_end)
    done = np.zeros(len(low), dtype=bool)
    for rows, vectors in blocks():
        here = ~done & contains_sorted(rows, other_end)
        if not here.any():
            continue
        mine = query_vectors[query_at[here]]
        theirs = vectors[np.searchsorted(rows, other_end[here])]
        first, second = (mine, theirs), (theirs, mine)
        # The same operand order as pair_cosines(vectors, low, high), so results match it bit for bit.
        left = np.where(low_is_query[here][:, None], first[0], second[0])
        right = np.where(low_is_query[here][:, None], first[1], second[1])
        cosine[here] = np.einsum("ij,ij->i", left, right)
        done |= here
    return cosine


def contains_sorted(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which values occur in an ascending array."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    position = np.clip(np.searchsorted(sorted_values, values), 0, len(sorted_values) - 1)
    return np.asarray(sorted_values[position] == values)


# ---------------------------------------------------------------- linkage


def link_components(
    component: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    similarity: np.ndarray,
    threshold: float,
    groups: np.ndarray | None = None,
    max_per_group: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average linkage over the edges of some strong components (from ``strong_component_labels``).

    Edges between components are ignored: they cannot change the result. ``groups`` is indexed by
    global item number.

    Returns:
        (items, leaders): the cluster leader of every item that joined a cluster.
    """
    inside = component[low] == component[high]
    low, high, similarity = low[inside], high[inside], similarity[inside]
    order = np.argsort(component[low], kind="stable")
    low, high, similarity = low[order], high[order], similarity[order]
    linkage = AverageLinkage(threshold, max_per_group)
    borders = np.flatnonzero(np.diff(component[low])) + 1
    items: list[int] = []
    leaders: list[int] = []
    for first, last in zip(np.concatenate([[0], borders]), np.concatenate([borders, [len(low)]])):
        if last <= first:
            continue
        merged = linkage.merge_component(low[first:last], high[first:last], similarity[first:last], groups)
        for leader, members in merged.items():
            items.extend(members)
            leaders.extend([leader] * len(members))
    return np.array(items, dtype=np.int64), np.array(leaders, dtype=np.int64)


def roots_from_links(n: int, parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Every item's cluster leader (itself when alone), from the (items, leaders) of each partition."""
    root = np.arange(n)
    for items, leaders in parts:
        root[items] = leaders
    return root
