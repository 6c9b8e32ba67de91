"""Sharded clustering pieces (what the Ray engine runs per shard), checked without Ray."""

from __future__ import annotations

import numpy as np

from compare.cluster import (
    NO_DAY,
    ClaimOptions,
    StoryOptions,
    article_days,
    article_leads,
    article_statements,
    article_term_counts,
    article_vectors,
    claim_evidence,
    cluster_claims,
    cluster_stories,
    document_frequencies,
    labels_from_roots,
    roots_from_links,
    statement_anchors,
    story_index,
    strong_component_labels,
)
from compare.engines.shards import (
    ShardOptions,
    anchor_pairs,
    anchor_partition,
    claim_edges,
    link_components,
    neighbour_shards,
    plan_shards,
    story_edges,
)
from tests.conftest import EXTRA_ARTICLE


def test_plan_shards_cuts_by_date_and_size_and_keeps_undated_apart():
    day = 738_000
    days = np.array([day, day, day + 1, NO_DAY, day + 30])
    plan = plan_shards(days, np.array([5, 5, 5, 5, 5]), ShardOptions(shard_rows=10, block_days=7))
    assert plan.shard_of_article.tolist() == [0, 0, 1, 2, 1]
    assert plan.first_day.tolist() == [day, day + 1, NO_DAY]
    assert plan.last_day.tolist() == [day, day + 30, NO_DAY]
    assert neighbour_shards(plan, 7) == [[0, 1, 2], [0, 1, 2], [0, 1, 2]]
    far = plan_shards(np.array([day, day + 30]), np.array([5, 5]), ShardOptions(shard_rows=5))
    assert neighbour_shards(far, 7) == [[0], [1]]


def _partitioned_links(n, edges, threshold, partitions, groups=None, max_per_group=None):
    """What the Ray engine's linkage does, in one process: components, then linkage per partition."""
    low = np.concatenate([edge[0] for edge in edges])
    high = np.concatenate([edge[1] for edge in edges])
    similarity = np.concatenate([edge[2] for edge in edges])
    component = strong_component_labels(n, low, high, similarity, threshold)
    parts = []
    for part in range(partitions):
        mine = component[low] % partitions == part
        order = np.lexsort((-similarity[mine], high[mine], low[mine]))
        parts.append(
            link_components(
                component,
                low[mine][order],
                high[mine][order],
                similarity[mine][order],
                threshold,
                groups,
                max_per_group,
            )
        )
    return labels_from_roots(roots_from_links(n, parts))


def _same_partition(first: np.ndarray, second: np.ndarray) -> bool:
    return bool((labels_from_roots(first) == labels_from_roots(second)).all())


def test_three_shards_that_all_see_each_other_give_the_local_claims(seeds_analysis):
    """Shards, anchor partitions and linkage partitions recombine to exactly the single-machine claims."""
    statements, vectors = seeds_analysis.statements, seeds_analysis.vectors
    options = ClaimOptions()
    article_number = {article.id: number for number, article in enumerate(seeds_analysis.articles)}
    groups = np.array([article_number[statement.article_id] for statement in statements])
    shard_of = groups % 3
    partitions = 2
    postings = [
        (anchor, row, int(groups[row]))
        for row, statement in enumerate(statements)
        for anchor in statement_anchors(statement)
    ]
    pairs = [
        anchor_pairs(posting for posting in postings if anchor_partition(posting[0], partitions) == part)
        for part in range(partitions)
    ]
    low = np.concatenate([pair[0] for pair in pairs])
    high = np.concatenate([pair[1] for pair in pairs])
    bonus = np.concatenate([pair[2] for pair in pairs])
    every_row = np.arange(len(statements))
    stories = story_index(seeds_analysis.articles, statements, vectors)
    evidence = claim_evidence(seeds_analysis.articles, statements, stories.labels)
    edges = []
    for shard in range(3):
        query = np.flatnonzero(shard_of == shard)
        mine = np.isin(low, query)
        edges.append(claim_edges(query, every_row, vectors, low[mine], high[mine], bonus[mine], options, evidence))
    labels = _partitioned_links(len(statements), edges, options.threshold, partitions, groups, options.max_per_article)
    local = cluster_claims(statements, vectors, seeds_analysis.stories, options, evidence)
    sharded = [
        tuple(statements[row].id for row in np.flatnonzero(labels == label))
        for label in np.unique(labels)
        if (labels == label).sum() > 1
    ]
    assert sorted(sharded) == sorted(cluster.statement_ids for cluster in local)
    assert len(local) >= 8  # enough claims (10 on the seeds since claims keep to one event) for the check to bite


def test_two_story_shards_that_see_each_other_give_the_local_stories(seeds_analysis, embedder):
    from compare.embed import embed_texts
    from compare.model.documents import Article
    from compare.segment import segment_articles

    # The seeds are five events; one more report of the last one gives a story of two.
    extra = Article(**{key: EXTRA_ARTICLE[key] for key in ("id", "outlet", "title", "published", "text")})
    extra_statements = segment_articles([extra])
    articles = [*seeds_analysis.articles, extra]
    statements = [*seeds_analysis.statements, *extra_statements]
    vectors = np.vstack([seeds_analysis.vectors, embed_texts([s.text for s in extra_statements], embedder)])
    options = StoryOptions()
    counts = article_term_counts(articles)
    frequencies = document_frequencies(counts)
    embedded = article_vectors(articles, statements, vectors)
    every = np.arange(len(articles))
    edges = [
        story_edges(
            every[every % 2 == half],
            every,
            counts,
            frequencies,
            len(articles),
            embedded,
            article_days(articles),
            options,
            article_leads(articles, statements),
            article_statements([article.id for article in articles], statements, vectors),
        )
        for half in (0, 1)
    ]
    labels = _partitioned_links(len(articles), edges, options.threshold, 1)
    local = cluster_stories(articles, statements, vectors, options)
    local_labels = np.zeros(len(articles), dtype=np.int64)
    for number, story in enumerate(local):
        for article_id in story.article_ids:
            local_labels[[article.id for article in articles].index(article_id)] = number
    assert _same_partition(labels, local_labels)
    assert len(local) < len(articles)  # some articles were joined, so the check has teeth


def test_claim_edges_drop_anchor_pairs_outside_the_block(seeds_analysis):
    vectors = seeds_analysis.vectors
    query = np.arange(5)
    candidates = np.arange(10)
    low, high, _ = claim_edges(
        query,
        candidates,
        vectors[:10],
        np.array([0, 1]),
        np.array([3, 50]),  # row 50 lies in no neighbour shard
        np.array([1.0, 1.0], dtype=np.float32),
        ClaimOptions(),
    )
    pairs = set(zip(low.tolist(), high.tolist()))
    assert (0, 3) in pairs
    assert all(50 not in pair for pair in pairs)
    assert all(a < b and a in set(query.tolist()) | set(candidates.tolist()) for a, b in pairs)


def test_claim_edges_read_block_by_block_equal_one_block(seeds_analysis):
    """A task holding one neighbour shard at a time finds the same pairs and scores as one holding all."""
    from compare.engines.shards import claim_edges_in_blocks

    vectors = seeds_analysis.vectors
    rows = np.arange(len(vectors))
    query = rows[40:80]
    low, high = np.array([40, 41, 45]), np.array([100, 2, 117])
    bonus = np.array([0.5, 1.0, 0.2], dtype=np.float32)
    whole = claim_edges(query, rows, vectors, low, high, bonus)
    pieces = [rows[:30], rows[30:90], rows[90:]]
    blocked = claim_edges_in_blocks(
        query, vectors[query], lambda: [(piece, vectors[piece]) for piece in pieces], low, high, bonus
    )
    for expected, got in zip(whole, blocked):
        assert np.array_equal(expected, got)
    assert len(whole[0]) > len(query)  # k neighbours each, so the comparison covers many pairs
