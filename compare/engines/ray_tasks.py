"""The Ray engine's clustering tasks: the same stage functions of compare.cluster, per shard and per partition."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from compare.cluster import (
    ClaimEvidence,
    ClaimOptions,
    StoryOptions,
    article_leads,
    article_statements,
    article_term_counts,
    article_vectors,
    document_frequencies,
    labels_from_roots,
    roots_from_links,
    statement_anchors,
)
from compare.cluster.components import Edges, Links, component_labels, strong_edges, within_components
from compare.cluster.neighbours import contains_sorted
from compare.engines.ray_shards import ShardFiles, combine_shards, read_shard
from compare.engines.shards import (
    anchor_pairs,
    anchor_partition,
    claim_edges_in_blocks,
    link_components,
    story_edges,
)


def _remote(function: Callable[..., Any], **options: Any) -> Any:
    import ray

    return ray.remote(**options)(function) if options else ray.remote(function)


def _term_frequencies(path: ShardFiles) -> tuple[np.ndarray, int]:
    shard = read_shard(path)
    return document_frequencies(article_term_counts(shard.articles)), len(shard.articles)


def _story_edges_task(
    query_path: ShardFiles,
    candidate_paths: Sequence[ShardFiles],
    frequencies: np.ndarray,
    documents: int,
    options: StoryOptions,
) -> Edges:
    query = read_shard(query_path, with_text=False)
    candidates = combine_shards([read_shard(path) for path in candidate_paths])
    statements = candidates.statements
    embedded = article_vectors(candidates.articles, statements, candidates.vectors)
    return story_edges(
        np.sort(query.positions),
        candidates.positions,
        article_term_counts(candidates.articles),
        frequencies,
        documents,
        embedded,
        candidates.days,
        options,
        article_leads(candidates.articles, statements),
        article_statements([article.id for article in candidates.articles], statements, candidates.vectors),
    )


def _anchor_postings_task(path: ShardFiles, partitions: int) -> Any:
    """The anchor postings of a shard, one list per anchor partition (the list itself when there is one)."""
    shard = read_shard(path)
    parts: list[list[tuple[str, int, int]]] = [[] for _ in range(partitions)]
    statements = shard.statements
    rows = shard.rows
    article_of = np.repeat(shard.positions, shard.counts)
    for statement, row, article in zip(statements, rows.tolist(), article_of.tolist()):
        for anchor in statement_anchors(statement):
            parts[anchor_partition(anchor, partitions)].append((anchor, row, article))
    return parts if partitions > 1 else parts[0]  # Ray makes one object of a single return value


def _anchor_pairs_task(*parts: list[tuple[str, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return anchor_pairs(posting for part in parts for posting in part)


def _claim_edges_task(
    query_path: ShardFiles,
    candidate_paths: Sequence[ShardFiles],
    options: ClaimOptions,
    evidence: ClaimEvidence,
    *pairs: tuple,
) -> Edges:
    """The claim edges of one shard; its neighbour shards are read one at a time (twice), never all at once."""
    query = read_shard(query_path, with_text=False)
    query_rows = query.rows

    def blocks() -> Iterable[tuple[np.ndarray, np.ndarray]]:
        for path in candidate_paths:
            shard = query if path == query_path else read_shard(path, with_text=False)
            yield shard.rows, shard.vectors

    low = np.concatenate([part[0] for part in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    high = np.concatenate([part[1] for part in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    bonus = np.concatenate([part[2] for part in pairs]) if pairs else np.zeros(0, dtype=np.float32)
    mine = contains_sorted(query_rows, low)
    return claim_edges_in_blocks(
        query_rows, query.vectors, blocks, low[mine], high[mine], bonus[mine], options, evidence
    )


def _strong_part(edges: Edges, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    strong = strong_edges(edges, threshold)
    return strong.low, strong.high


def _partition_edges(edges: Edges, component: np.ndarray, partitions: int) -> Any:
    inside = within_components(component, edges)
    part = component[inside.low] % partitions
    parts = [
        Edges(inside.low[part == p], inside.high[part == p], inside.similarity[part == p]) for p in range(partitions)
    ]
    return parts if partitions > 1 else parts[0]  # Ray makes one object of a single return value


def _link_task(
    component: np.ndarray, groups: np.ndarray | None, threshold: float, max_per_group: int | None, *parts: Edges
) -> Links:
    low = np.concatenate([part[0] for part in parts])
    high = np.concatenate([part[1] for part in parts])
    similarity = np.concatenate([part[2] for part in parts])
    return link_components(component, low, high, similarity, threshold, groups, max_per_group)


def _link(  # noqa: PLR0913 -- Ray plumbing: the edges' object refs and the linkage settings
    n: int,
    edge_refs: Sequence[Any],
    threshold: float,
    partitions: int,
    groups: np.ndarray | None = None,
    max_per_group: int | None = None,
) -> np.ndarray:
    """Average linkage over edges that stay in the object store; the driver sees only strong edges."""
    import ray

    strong = ray.get([_remote(_strong_part).remote(ref, threshold) for ref in edge_refs])
    low = np.concatenate([part[0] for part in strong]) if strong else np.zeros(0, dtype=np.int64)
    high = np.concatenate([part[1] for part in strong]) if strong else np.zeros(0, dtype=np.int64)
    component_ref = ray.put(component_labels(n, low, high))
    groups_ref = ray.put(groups)
    split = _remote(_partition_edges, num_returns=partitions)
    pieces = [split.remote(ref, component_ref, partitions) for ref in edge_refs]
    if partitions == 1:
        pieces = [[piece] for piece in pieces]
    links = ray.get(
        [
            _remote(_link_task).remote(
                component_ref, groups_ref, threshold, max_per_group, *[piece[p] for piece in pieces]
            )
            for p in range(partitions)
        ]
    )
    return labels_from_roots(roots_from_links(n, links))


def cluster_stories_on_ray(
    paths: Sequence[ShardFiles], neighbours: Sequence[Sequence[int]], n: int, options: StoryOptions, partitions: int
) -> np.ndarray:
    import ray

    counted = ray.get([_remote(_term_frequencies).remote(path) for path in paths])
    frequencies = np.sum([found for found, _ in counted], axis=0)
    frequencies_ref = ray.put(frequencies)
    edges = [
        _remote(_story_edges_task, num_returns=1).remote(
            paths[shard], [paths[other] for other in neighbours[shard]], frequencies_ref, n, options
        )
        for shard in range(len(paths))
    ]
    return _link(n, edges, options.threshold, partitions)


def cluster_claims_on_ray(  # noqa: PLR0913 -- Ray plumbing: the shards, the linkage groups and the evidence
    paths: Sequence[ShardFiles],
    neighbours: Sequence[Sequence[int]],
    n: int,
    groups: np.ndarray,
    options: ClaimOptions,
    partitions: int,
    evidence: ClaimEvidence,
) -> np.ndarray:
    import ray

    if n < 2:
        return np.arange(n)
    postings = _remote(_anchor_postings_task, num_returns=partitions)
    posting_refs = [postings.remote(path, partitions) for path in paths]
    if partitions == 1:
        posting_refs = [[ref] for ref in posting_refs]
    evidence_ref = ray.put(evidence)
    pair_refs = [_remote(_anchor_pairs_task).remote(*[refs[p] for refs in posting_refs]) for p in range(partitions)]
    edges = [
        _remote(_claim_edges_task).remote(
            paths[shard], [paths[other] for other in neighbours[shard]], options, evidence_ref, *pair_refs
        )
        for shard in range(len(paths))
    ]
    return _link(n, edges, options.threshold, partitions, groups, options.max_per_article)
