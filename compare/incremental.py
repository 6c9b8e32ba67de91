"""Adding articles to an analysis: only the new statements are embedded, only what they touch is re-clustered.

Claims: average linkage works inside each connected component of the strong graph (edges at or
above the threshold; see ``cluster.AverageLinkage``). An added statement changes the graph only
through its own edges, the neighbour lists it enters and the weights of the anchors it names, so
re-clustering the old components those changes touch, with the added statements, gives the claims
a full run would give with the same neighbour lists (exactly so up to 50,000 statements, where the
full run's neighbour search is exact too). Every other component keeps its clusters.

Stories: the article-level index (term counts, mean embeddings, dates) grows by a row per article
and the stories are formed again from it; at 10,000 articles that takes about a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import vstack

from compare.cluster import (
    AverageLinkage,
    ClaimIndex,
    ClaimOptions,
    StoryIndex,
    StoryOptions,
    anchor_weight,
    article_days,
    article_term_counts,
    article_vectors,
    document_frequencies,
    edges_from_knn,
    lookup_bonus,
    pair_cosines,
    statement_anchors,
    story_similarity,
    strong_component_labels,
    strongest_per_pair,
    unique_pairs,
    weigh_terms,
)
from compare.documents import Article, Statement

_BLOCK_ROWS = 65_536  # rows of the stored vectors scored against the added ones at a time
_MIN_BONUS = 0.05  # as ``cluster.anchor_edges``
_MAX_POSTINGS = 64


@dataclass(frozen=True)
class ClaimUpdate:
    """What adding statements re-clustered (for progress reports and benchmarks)."""

    added: int
    reclustered: int  # statements in the touched components, the added ones included


BlockScores = Callable[[int, int], np.ndarray]


def extend_neighbour_lists(
    neighbours: np.ndarray, similarities: np.ndarray, n: int, k: int, block_scores: BlockScores
) -> tuple[np.ndarray, np.ndarray, set[int]]:
    """Nearest-neighbour lists of one view, grown by the rows ``len(neighbours)`` .. ``n - 1`` (exact).

    Args:
        neighbours, similarities: the old rows' lists, -1 where short (any width up to k).
        n: the number of rows with the added ones.
        k: the list length wanted.
        block_scores: (first, last) -> similarities of every added row to rows first..last-1,
            shape (added, last - first).

    Returns:
        The lists of all n rows, most similar first (-1 / 0 where short), and the old rows whose
        list took an added row.
    """
    n_old = len(neighbours)
    added = np.arange(n_old, n, dtype=np.int64)
    old_neighbours = np.full((n_old, k), -1, dtype=np.int64)
    old_similarities = np.full((n_old, k), -np.inf, dtype=np.float32)
    width = min(k, neighbours.shape[1])
    old_neighbours[:, :width] = neighbours[:, :width]
    old_similarities[:, :width] = np.where(neighbours[:, :width] >= 0, similarities[:, :width], -np.inf)
    new_neighbours = np.full((len(added), k), -1, dtype=np.int64)
    new_similarities = np.full((len(added), k), -np.inf, dtype=np.float32)
    entered: set[int] = set()
    for first in range(0, n if k else 0, _BLOCK_ROWS):
        last = min(n, first + _BLOCK_ROWS)
        scores = np.array(block_scores(first, last), dtype=np.float32)
        own = (added >= first) & (added < last)
        scores[np.flatnonzero(own), added[own] - first] = -np.inf
        # The added rows' running top k.
        candidates = np.concatenate([new_neighbours, np.broadcast_to(np.arange(first, last), scores.shape)], 1)
        candidate_scores = np.concatenate([new_similarities, scores], axis=1)
        best = np.argsort(-candidate_scores, axis=1, kind="stable")[:, :k]
        new_neighbours = np.take_along_axis(candidates, best, axis=1)
        new_similarities = np.take_along_axis(candidate_scores, best, axis=1)
        # Old rows of this block whose list an added row enters.
        old_last = min(last, n_old)
        if first >= old_last:
            continue
        against = scores[:, : old_last - first].T  # (old rows, added)
        worst = old_similarities[first:old_last, -1]
        for offset in np.flatnonzero((against > worst[:, None]).any(axis=1)):
            row = first + int(offset)
            merged_rows = np.concatenate([old_neighbours[row], added])
            merged_scores = np.concatenate([old_similarities[row], against[offset]])
            order = np.argsort(-merged_scores, kind="stable")[:k]
            old_neighbours[row], old_similarities[row] = merged_rows[order], merged_scores[order]
            entered.add(row)
    all_neighbours = np.vstack([old_neighbours, new_neighbours])
    all_similarities = np.vstack([old_similarities, new_similarities])
    missing = ~np.isfinite(all_similarities)
    all_neighbours[missing] = -1
    all_similarities[missing] = 0.0
    return all_neighbours, all_similarities, entered


def touched_members(components: np.ndarray, touched: set[int], n: int) -> np.ndarray:
    """Every old row in a component with a touched row, then the added rows (``len(components)`` .. n - 1)."""
    if touched:
        hit = np.unique(components[np.fromiter(touched, dtype=np.int64, count=len(touched))])
        old = np.flatnonzero(np.isin(components, hit))
    else:
        old = np.zeros(0, dtype=np.int64)
    return np.concatenate([old, np.arange(len(components), n, dtype=np.int64)])


def local_knn_edges(neighbours: np.ndarray, members: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The neighbour-list edges between members, numbered by position in ``members``, and that numbering."""
    local = np.full(n, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    member_neighbours = neighbours[members]
    local_neighbours = np.where(member_neighbours >= 0, local[np.maximum(member_neighbours, 0)], -1)
    rows, cols, _ = edges_from_knn(local_neighbours, np.zeros(local_neighbours.shape, dtype=np.float32))
    return rows, cols, local


def _relabel(old: np.ndarray, members: np.ndarray, fresh: np.ndarray, n: int) -> np.ndarray:
    """Old numbers kept, the members renumbered after the largest old number."""
    labels = np.concatenate([old, np.zeros(n - len(old), dtype=np.int64)])
    labels[members] = (int(old.max()) + 1 if len(old) else 0) + fresh
    return labels


# ---------------------------------------------------------------- stories


def extend_story_index(
    index: StoryIndex,
    articles: Sequence[Article],
    added_statements: Sequence[Statement],
    added_vectors: np.ndarray,
    options: StoryOptions | None = None,
) -> tuple[StoryIndex, int]:
    """The story index of ``articles`` (the indexed ones first, then the added ones).

    The added articles are weighed with the document frequencies of the whole corpus, theirs
    included; the stored articles keep the weights they had. The one difference from a full run
    is thus that older articles' term weights do not follow the document frequencies as they grow
    (by one article in 10,000, a relative change of about 1e-4); a full run re-weighs them all.

    Args:
        index: the story index of ``articles[:n_old]``, made with the same options; left as it was.
        articles: every article, the added ones last.
        added_statements, added_vectors: the statements of the added articles and their embeddings.

    Returns:
        The new index (its ``labels`` are the stories) and the number of articles re-clustered.
    """
    options = options or StoryOptions()
    n_old, n = len(index.labels), len(articles)
    new_articles = articles[n_old:]
    counts = article_term_counts(new_articles)
    frequencies = index.frequencies + document_frequencies(counts)
    new_tfidf = weigh_terms(counts, frequencies, n)
    tfidf = vstack([index.tfidf, new_tfidf]).tocsr() if n_old else new_tfidf
    new_vectors = article_vectors(new_articles, added_statements, added_vectors)
    vectors = np.vstack([index.vectors, new_vectors]) if n_old else new_vectors
    days = np.concatenate([index.days, article_days(new_articles)])
    k_old, k = index.neighbours.shape[1] // 2, max(0, min(options.neighbours, n - 1))
    embedded_lists = extend_neighbour_lists(
        index.neighbours[:, :k_old],
        index.neighbour_similarities[:, :k_old],
        n,
        k,
        lambda first, last: new_vectors @ vectors[first:last].T,
    )
    lexical_lists = extend_neighbour_lists(
        index.neighbours[:, k_old:],
        index.neighbour_similarities[:, k_old:],
        n,
        k,
        lambda first, last: (new_tfidf @ tfidf[first:last].T).toarray(),
    )
    neighbours = np.hstack([embedded_lists[0], lexical_lists[0]])
    touched = embedded_lists[2] | lexical_lists[2]
    touched.update(int(row) for row in neighbours[n_old:].ravel() if 0 <= row < n_old)
    members = touched_members(index.components, touched, n)
    rows, cols, _ = local_knn_edges(neighbours, members, n)
    similarity = story_similarity(tfidf[members], vectors[members], days[members], rows, cols, options.date_window_days)
    m = len(members)
    local_labels = AverageLinkage(options.threshold).fit(m, rows, cols, similarity).labels_
    local_components = strong_component_labels(m, rows, cols, similarity, options.threshold)
    extended = StoryIndex(
        tfidf=tfidf,
        frequencies=frequencies,
        vectors=vectors,
        days=days,
        neighbours=neighbours,
        neighbour_similarities=np.hstack([embedded_lists[1], lexical_lists[1]]),
        components=_relabel(index.components, members, local_components, n),
        labels=_relabel(index.labels, members, local_labels, n),
    )
    return extended, m


# ---------------------------------------------------------------- claims


def extend_claim_index(
    index: ClaimIndex,
    statements: Sequence[Statement],
    vectors: np.ndarray,
    options: ClaimOptions | None = None,
) -> tuple[ClaimIndex, ClaimUpdate]:
    """The claim index of ``statements`` (the indexed ones first, then the added ones).

    Args:
        index: the claim index of ``statements[:n_old]``, made with the same options; left as it was.
        statements, vectors: every statement and embedding, the added ones last.
        options: the claim settings of the index.

    Returns:
        The new index (its ``labels`` are the claims) and what was re-clustered.
    """
    options = options or ClaimOptions()
    n_old, n = len(index.labels), len(statements)
    added = np.arange(n_old, n, dtype=np.int64)
    added_vectors = vectors[n_old:]

    # 1. Neighbour lists: the added statements' own, and the old lists they enter.
    neighbours, similarities, touched = extend_neighbour_lists(
        index.neighbours,
        index.neighbour_similarities,
        n,
        min(options.neighbours, n - 1),
        lambda first, last: added_vectors @ vectors[first:last].T,
    )
    touched.update(int(row) for row in neighbours[n_old:].ravel() if 0 <= row < n_old)

    # 2. Anchors: the added statements' anchors and the number of articles naming each; the old
    #    statements sharing an anchor whose weight changes are touched.
    article_of = np.concatenate([index.article_of, np.zeros(len(added), dtype=np.int64)])
    article_number: dict[str, int] = {}
    next_article = int(index.article_of.max()) + 1 if n_old else 0
    anchor_rows = {anchor: list(rows) for anchor, rows in index.anchor_rows.items()}
    anchor_articles = dict(index.anchor_articles)
    named_by: dict[str, set[int]] = defaultdict(set)
    added_anchors = []
    for row in added.tolist():
        statement = statements[row]
        number = article_number.setdefault(statement.article_id, next_article + len(article_number))
        article_of[row] = number
        found = statement_anchors(statement)
        added_anchors.append(found)
        for anchor in found:
            named_by[anchor].add(number)
    for anchor, articles in named_by.items():
        before = anchor_articles.get(anchor, 0)
        holders = anchor_rows.setdefault(anchor, [])
        if before and anchor_weight(before) >= _MIN_BONUS:
            touched.update(holders)  # their anchor edges lose weight, or go
        anchor_articles[anchor] = before + len(articles)
    for row, found in zip(added.tolist(), added_anchors):
        for anchor in found:
            anchor_rows[anchor].append(row)

    # 3. The old components the changes touch, with the added statements, are clustered again.
    members = touched_members(index.components, touched, n)
    knn_rows, knn_cols, local = local_knn_edges(neighbours, members, n)
    anchor_row, anchor_col, anchor_bonus = _anchor_edges_among(
        members, local, statements, anchor_rows, anchor_articles, article_of
    )
    m = len(members)
    rows, cols = unique_pairs(m, np.concatenate([knn_rows, anchor_row]), np.concatenate([knn_cols, anchor_col]))
    bonus = lookup_bonus(m, rows, cols, anchor_row, anchor_col, anchor_bonus)
    similarity = pair_cosines(vectors, members[rows], members[cols]) + options.anchor_weight * bonus
    linkage = AverageLinkage(options.threshold, options.max_per_article)
    local_labels = linkage.fit(m, rows, cols, similarity, article_of[members]).labels_
    local_components = strong_component_labels(m, rows, cols, similarity, options.threshold)
    extended = ClaimIndex(
        neighbours=neighbours,
        neighbour_similarities=similarities,
        components=_relabel(index.components, members, local_components, n),
        labels=_relabel(index.labels, members, local_labels, n),
        article_of=article_of,
        anchor_rows=anchor_rows,
        anchor_articles=anchor_articles,
    )
    return extended, ClaimUpdate(added=len(added), reclustered=m)


def _anchor_edges_among(
    members: np.ndarray,
    local: np.ndarray,
    statements: Sequence[Statement],
    anchor_rows: dict[str, list[int]],
    anchor_articles: dict[str, int],
    article_of: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The anchor edges of ``cluster.anchor_edges`` between members, numbered locally.

    An anchor's weight and its number of statements are those of the whole corpus, so each edge
    is the one a full run would make.
    """
    row_blocks, col_blocks, bonus_blocks = [], [], []
    for anchor in {anchor for row in members.tolist() for anchor in statement_anchors(statements[row])}:
        weight = anchor_weight(anchor_articles[anchor])
        holders = anchor_rows[anchor]
        if weight < _MIN_BONUS or not 1 < len(holders) <= _MAX_POSTINGS:
            continue
        inside = np.array([row for row in holders if local[row] >= 0], dtype=np.int64)
        first, second = np.triu_indices(len(inside), k=1)
        keep = article_of[inside[first]] != article_of[inside[second]]
        row_blocks.append(local[inside[first][keep]])
        col_blocks.append(local[inside[second][keep]])
        bonus_blocks.append(np.full(int(keep.sum()), weight, dtype=np.float32))
    if not row_blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return strongest_per_pair(
        len(members), np.concatenate(row_blocks), np.concatenate(col_blocks), np.concatenate(bonus_blocks)
    )
