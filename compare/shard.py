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
    knn,
    sparse_knn,
    story_similarity,
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


def _low_high(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each undirected pair once, as (low, high), self-pairs dropped."""
    valid = rows != cols
    low, high = np.minimum(rows[valid], cols[valid]), np.maximum(rows[valid], cols[valid])
    pairs = np.unique(np.stack([low, high], axis=1), axis=0) if len(low) else np.zeros((0, 2), dtype=np.int64)
    return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)


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
    low, high = _low_high(np.concatenate([semantic_rows, lexical_rows]), np.concatenate([semantic_cols, lexical_cols]))
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
    """Statement pairs sharing a rare anchor, as ``compare.cluster.anchor_edges`` makes them.

    Args:
        postings: (anchor, statement row, article number) for every anchor of every statement;
            every posting of an anchor must be here (anchors are partitioned, not split).

    Returns:
        (low, high, bonus), each pair once with the bonus of its rarest shared anchor.
    """
    holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for anchor, row, article in postings:
        holders[anchor].append((row, article))
    row_blocks, col_blocks, bonus_blocks = [], [], []
    for found in holders.values():
        articles = {article for _, article in found}
        bonus = 1.0 / max(1, len(articles) - 1)
        if bonus < min_bonus or not 1 < len(found) <= max_postings:
            continue
        found.sort()
        members = np.array([row for row, _ in found], dtype=np.int64)
        article_of = np.array([article for _, article in found], dtype=np.int64)
        first, second = np.triu_indices(len(members), k=1)
        keep = article_of[first] != article_of[second]
        row_blocks.append(members[first][keep])
        col_blocks.append(members[second][keep])
        bonus_blocks.append(np.full(int(keep.sum()), bonus, dtype=np.float32))
    if not row_blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return _best_bonus(np.concatenate(row_blocks), np.concatenate(col_blocks), np.concatenate(bonus_blocks))


def _best_bonus(low: np.ndarray, high: np.ndarray, bonus: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (low, high) pair once, with its largest bonus; sorted by pair."""
    order = np.lexsort((-bonus, high, low))
    low, high, bonus = low[order], high[order], bonus[order]
    first = np.ones(len(low), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    return low[first], high[first], bonus[first]


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
    reachable = _contains(candidates, pair_high) & _contains(candidates, pair_low)
    pair_low, pair_high, pair_bonus = pair_low[reachable], pair_high[reachable], pair_bonus[reachable]
    low, high = _low_high(np.concatenate([near_rows[valid], pair_low]), np.concatenate([near_cols[valid], pair_high]))
    bonus = np.zeros(len(low), dtype=np.float32)
    if len(pair_low):
        pair_low, pair_high, pair_bonus = _best_bonus(pair_low, pair_high, pair_bonus)
        width = int(candidates[-1]) + 1
        keys, pair_keys = low * width + high, pair_low * width + pair_high
        position = np.clip(np.searchsorted(pair_keys, keys), 0, len(pair_keys) - 1)
        found = pair_keys[position] == keys
        bonus[found] = pair_bonus[position[found]]
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
    low_is_query = _contains(query_rows, low)
    query_end = np.where(low_is_query, low, high)
    other_end = np.where(low_is_query, high, low)
    query_at = np.searchsorted(query_rows, query_end)
    done = np.zeros(len(low), dtype=bool)
    for rows, vectors in blocks():
        here = ~done & _contains(rows, other_end)
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


def _contains(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
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
