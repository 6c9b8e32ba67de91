"""Clustering in shards: how a distributed engine cuts a corpus, and what it runs per shard, without Ray.

A corpus too large for one machine is cut into **shards** of whole articles by publication date
(``plan_shards``). A shard is compared only with the shards within ``block_days`` of its dates
(``neighbour_shards``): that date blocking is what keeps the work near-linear in corpus size. Per
shard, ``story_edges`` and ``claim_edges_in_blocks`` pass the shard's items as the query and its
neighbour shards as the candidates to ``compare.cluster``, which scores pairs as every engine does;
the edges of all shards then go through ``link_components``, average linkage per strong component.

With one shard (every corpus below ``ShardOptions.shard_rows`` statements) the candidates are the
whole corpus and the result equals the single-machine path. With more shards it differs only where
the nearest neighbours of an item lie further than ``block_days`` away (see docs/scaling.md).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from compare.cluster.anchors import Pairs, anchor_index, pairs_from_postings, rare_postings, strongest_per_pair
from compare.cluster.articles import NO_DAY, weigh_terms
from compare.cluster.claims import ClaimOptions, claim_edges_against
from compare.cluster.components import Edges, Links
from compare.cluster.evidence import ClaimEvidence, Lead
from compare.cluster.linkage import AverageLinkage
from compare.cluster.neighbours import Block, edges_from_neighbours, positions
from compare.cluster.shared import ArticleStatements
from compare.cluster.stories import ArticleRows, StoryOptions, scored_story_pairs, story_neighbours
from compare.model.defaults import BLOCK_DAYS, SHARD_ROWS


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


def story_edges(  # noqa: PLR0913 -- a shard's articles, as the Ray task reads them
    query_rows: np.ndarray,
    candidate_rows: np.ndarray,
    candidate_counts: Any,
    frequencies: np.ndarray,
    documents: int,
    candidate_vectors: np.ndarray,
    candidate_days: np.ndarray,
    options: StoryOptions | None = None,
    candidate_leads: Sequence[Lead] = (),
    candidate_statements: ArticleStatements | None = None,
) -> Edges:
    """Scored article pairs for the query articles of one shard, as ``cluster_stories`` scores them.

    Args:
        query_rows: global article numbers of the shard's articles (sorted).
        candidate_rows: global article numbers of the articles of its neighbour shards (sorted).
        candidate_counts: hashed term counts of the candidates (``article_term_counts``).
        frequencies, documents: document frequencies over the whole corpus, and its article count.
        candidate_vectors: mean statement embeddings of the candidates.
        candidate_days: publication days of the candidates.
        candidate_leads: what the candidates' leads name (``article_leads``).
        candidate_statements: the candidates' first statement embeddings (``article_statements``).

    Returns:
        (low, high, similarity) in global article numbers.
    """
    options = options or StoryOptions()
    candidates = ArticleRows(
        candidate_rows,
        weigh_terms(candidate_counts, frequencies, documents),
        candidate_vectors,
        candidate_days,
        candidate_leads,
        candidate_statements,
    )
    found = story_neighbours(query_rows, candidates, max(0, min(options.neighbours, documents - 1)))
    return scored_story_pairs(*edges_from_neighbours(query_rows, found), candidates, options)


# ---------------------------------------------------------------- claims


def anchor_partition(anchor: str, partitions: int) -> int:
    """The partition an anchor's postings go to (stable across processes, unlike ``hash``)."""
    return zlib.crc32(anchor.encode("utf-8")) % partitions


def anchor_pairs(postings: Iterable[tuple[str, int, int]]) -> Pairs:
    """Statement pairs sharing a rare anchor, over one partition of anchors (``compare.cluster.anchors``).

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
    for anchor, row, article in postings:
        anchors_of[local[row]].add(anchor)
        article_of[local[row]] = article
    index = anchor_index([frozenset(found) for found in anchors_of], article_of)
    low, high, bonus = pairs_from_postings(rare_postings(index, index.rows), article_of)
    return Pairs(rows[low], rows[high], bonus)


ShardBlock = tuple[np.ndarray, np.ndarray]  # (global row numbers, ascending; their embeddings)


def claim_edges(  # noqa: PLR0913 -- the test-facing form of one shard's claim task
    query_rows: np.ndarray,
    candidate_rows: np.ndarray,
    candidate_vectors: np.ndarray,
    pair_low: np.ndarray,
    pair_high: np.ndarray,
    pair_bonus: np.ndarray,
    options: ClaimOptions | None = None,
    evidence: ClaimEvidence | None = None,
) -> Edges:
    """``claim_edges_in_blocks`` with every candidate in memory as one block."""
    query_vectors = candidate_vectors[positions(candidate_rows, query_rows)]
    return claim_edges_in_blocks(
        query_rows,
        query_vectors,
        lambda: [(candidate_rows, candidate_vectors)],
        pair_low,
        pair_high,
        pair_bonus,
        options,
        evidence,
    )


def claim_edges_in_blocks(  # noqa: PLR0913 -- one shard's claim task: its rows, its blocks, its anchor pairs
    query_rows: np.ndarray,
    query_vectors: np.ndarray,
    blocks: Callable[[], Iterable[ShardBlock]],
    pair_low: np.ndarray,
    pair_high: np.ndarray,
    pair_bonus: np.ndarray,
    options: ClaimOptions | None = None,
    evidence: ClaimEvidence | None = None,
) -> Edges:
    """Scored statement pairs for the query statements of one shard, as ``cluster_claims`` scores them.

    Args:
        query_rows, query_vectors: the shard's global statement numbers (ascending) and embeddings.
        blocks: gives the neighbour shards (the shard itself among them) as (rows, vectors).
        pair_low, pair_high, pair_bonus: anchor pairs whose low end is a query row (``anchor_pairs``
            of every partition); those whose other end is in no block are dropped (date blocking).
        evidence: the claim evidence of every statement, by global number (``claim_evidence``).

    Returns:
        (low, high, similarity) in global statement numbers.
    """
    # Anchor partitions may give one pair twice: the largest bonus counts, as in a local run.
    anchors = strongest_per_pair(pair_low, pair_high, pair_bonus)
    edges, _ = claim_edges_against(
        Block(query_rows, query_vectors),
        lambda: (Block(rows, vectors) for rows, vectors in blocks()),
        anchors,
        options,
        evidence,
    )
    return edges


# ---------------------------------------------------------------- linkage


def link_components(  # noqa: PLR0913 -- the linkage task of one partition of components
    component: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    similarity: np.ndarray,
    threshold: float,
    groups: np.ndarray | None = None,
    max_per_group: int | None = None,
) -> Links:
    """Average linkage over the edges of some strong components (from ``strong_component_labels``).

    Edges may come in any order and twice (from both shards of a pair): they are put in one
    order first, so the result does not depend on their arrival. ``groups`` is indexed by global
    item number.

    Returns:
        (items, leaders): the cluster leader of every item that joined a cluster.
    """
    order = np.lexsort((-similarity, high, low))
    edges = Edges(low[order], high[order], similarity[order])
    return AverageLinkage(threshold, max_per_group).link(component, edges, groups)
