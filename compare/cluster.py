"""Statements and articles -> stories (same event) and claim clusters (same fact), without an n x n matrix."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from compare.model.documents import Article, Cluster, Statement, Story

# Defaults chosen on BASIL (see EVALUATION.md for the sweep and the command that reproduces it).
STORY_THRESHOLD = 0.35
STORY_DATE_WINDOW_DAYS = 3
CLAIM_THRESHOLD = 0.65
CLAIM_ANCHOR_WEIGHT = 0.3
KNN_NEIGHBOURS = 20
_EXACT_KNN_LIMIT = 50_000  # above this many rows the k-NN index is approximate (faiss IVF)
_ANCHOR_LABELS = {
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "LOC",
    "FAC",
    "EVENT",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
    "CARDINAL",
    "MONEY",
    "QUANTITY",
    "PERCENT",
}


class AverageLinkage:
    """Average-link agglomerative clustering over a sparse similarity graph (scikit-learn style).

    Pairs with no edge count as similarity 0, so a merge needs enough known, strong links between
    two groups; with every pair given this is exact average linkage. Memory and time grow with the
    number of edges, not with n squared.
    """

    def __init__(self, threshold: float, max_per_group: int | None = None) -> None:
        self.threshold = threshold
        self.max_per_group = max_per_group
        self.labels_: np.ndarray = np.zeros(0, dtype=np.int64)

    def fit(
        self,
        n: int,
        rows: np.ndarray,
        cols: np.ndarray,
        similarities: np.ndarray,
        groups: Sequence[int] | np.ndarray | None = None,
    ) -> AverageLinkage:
        """Clusters n items given edges (rows[i], cols[i]) with their similarities.

        Args:
            n: number of items.
            rows, cols: edge end points (each undirected edge once or twice; duplicates keep the max).
            similarities: edge weights, higher is more similar.
            groups: a group per item (e.g. its article); with ``max_per_group`` set, no cluster
                takes more items than that from one group.

        Returns:
            self, with ``labels_`` holding a cluster number per item (numbered by first item).
        """
        root = np.arange(n)
        for component_rows, component_cols, component_similarities in _strong_components(
            n, rows, cols, similarities, self.threshold
        ):
            for leader, items in self.merge_component(
                component_rows, component_cols, component_similarities, groups
            ).items():
                root[items] = leader
        self.labels_ = labels_from_roots(root)
        return self

    def merge_component(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        similarities: np.ndarray,
        groups: Sequence[int] | np.ndarray | None,
    ) -> dict[int, list[int]]:
        """Average linkage inside one component of the strong graph (see ``strong_components``).

        Returns:
            leader -> members for every cluster of two or more items formed.
        """
        links: dict[int, dict[int, float]] = defaultdict(dict)
        for row, col, similarity in zip(rows.tolist(), cols.tolist(), similarities.tolist()):
            if row == col:
                continue
            if similarity > links[row].get(col, -math.inf):
                links[row][col] = similarity
                links[col][row] = similarity
        size: dict[int, int] = defaultdict(lambda: 1)
        alive: set[int] = set(links)
        heap = [
            (-similarity, low, high)
            for low, targets in links.items()
            for high, similarity in targets.items()
            if low < high and similarity >= self.threshold
        ]
        heapq.heapify(heap)
        members: dict[int, list[int]] = {}
        limit = self.max_per_group if groups is not None else None
        group_counts: dict[int, Counter[int]] = {}  # made on a cluster's first merge

        def counts_of(item: int) -> Counter[int]:
            if item not in group_counts:
                group_counts[item] = Counter([int(groups[item])])  # type: ignore[index]
            return group_counts[item]

        # Links hold sums over item pairs, so a pair's average is sum / (size * size).
        while heap:
            negative, left, right = heapq.heappop(heap)
            if left not in alive or right not in alive:
                continue
            current = links[left].get(right)
            if current is None or abs(current / (size[left] * size[right]) + negative) > 1e-9:
                continue  # stale entry: the pair changed since it was pushed
            if limit and any(counts_of(left)[g] + count > limit for g, count in counts_of(right).items()):
                continue  # would put too many items of one group (article) into one cluster
            if size[left] < size[right]:
                left, right = right, left
            if limit:
                counts_of(left).update(group_counts.pop(right))
            alive.discard(right)
            members.setdefault(left, [left]).extend(members.pop(right, [right]))
            for other, total in links.pop(right).items():
                del links[other][right]
                if other == left:
                    continue
                merged = links[left].get(other, 0.0) + total
                links[left][other] = merged
                links[other][left] = merged
            size[left] += size[right]
            for other, total in links[left].items():
                average = total / (size[left] * size[other])
                if average >= self.threshold:
                    low, high = (left, other) if left < other else (other, left)
                    heapq.heappush(heap, (-average, low, high))
        return members


def labels_from_roots(root: np.ndarray) -> np.ndarray:
    """Cluster numbers 0, 1, ... from a root item per item, numbered by each cluster's first item."""
    _, first_index, inverse = np.unique(root, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first_index))
    return np.asarray(order[inverse], dtype=np.int64)


def strong_component_labels(
    n: int, rows: np.ndarray, cols: np.ndarray, similarities: np.ndarray, threshold: float
) -> np.ndarray:
    """The connected component of every item in the graph of edges at or above ``threshold``."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    strong = similarities >= threshold
    graph = coo_matrix((np.ones(int(strong.sum()), dtype=np.int8), (rows[strong], cols[strong])), shape=(n, n))
    return np.asarray(connected_components(graph, directed=False)[1], dtype=np.int64)


def _strong_components(
    n: int, rows: np.ndarray, cols: np.ndarray, similarities: np.ndarray, threshold: float
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The edges of each connected component of the strong graph (edges at or above ``threshold``).

    Two groups with no edge at or above the threshold between them average below it, so they never
    merge; clusters therefore stay inside these components, every edge between components can be
    dropped without changing the result, and each component is clustered on its own. Memory then
    follows the largest component, not the whole k-NN graph.
    """
    if not (similarities >= threshold).any():
        return
    component = strong_component_labels(n, rows, cols, similarities, threshold)
    inside = component[rows] == component[cols]
    rows, cols, similarities = rows[inside], cols[inside], similarities[inside]
    order = np.argsort(component[rows], kind="stable")
    rows, cols, similarities = rows[order], cols[order], similarities[order]
    edge_component = component[rows]
    borders = np.flatnonzero(np.diff(edge_component)) + 1
    for first, last in zip(np.concatenate([[0], borders]), np.concatenate([borders, [len(rows)]])):
        if last > first:
            yield rows[first:last], cols[first:last], similarities[first:last]


def knn(vectors: np.ndarray, k: int = KNN_NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    """The k most similar rows (inner product) of every row, itself excluded where possible.

    Exact (faiss flat index) up to 50,000 rows, approximate (faiss IVF) above; never forms
    the full similarity matrix.

    Returns:
        (indices, similarities), each of shape (n, min(k, n - 1)); missing neighbours are -1.
    """
    n = vectors.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=np.float32)
    import faiss

    data = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = data.shape[1]
    index: Any
    if n <= _EXACT_KNN_LIMIT:
        index = faiss.IndexFlatIP(dimension)
    else:
        lists = int(4 * math.sqrt(n))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = data[np.random.default_rng(0).choice(n, size=min(n, lists * 64), replace=False)]
        index.train(sample)
        index.nprobe = 16
    index.add(data)
    similarities, indices = index.search(data, k + 1)
    own = indices == np.arange(n)[:, None]
    # Drop each row's own entry (or its last neighbour when duplicates hid it).
    keep = ~own
    keep[keep.sum(axis=1) > k, -1] = False
    return indices[keep].reshape(n, k), similarities[keep].reshape(n, k)


def pair_cosines(vectors: np.ndarray, rows: np.ndarray, cols: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Inner products of the row pairs (rows[i], cols[i]), a chunk at a time (small chunks stay in cache: 2x faster)."""
    result = np.empty(len(rows), dtype=np.float32)
    for first in range(0, len(rows), chunk):
        last = first + chunk
        result[first:last] = np.einsum("ij,ij->i", vectors[rows[first:last]], vectors[cols[first:last]])
    return result


def edges_from_knn(indices: np.ndarray, similarities: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, k = indices.shape
    rows = np.repeat(np.arange(n), k)
    cols = indices.reshape(-1)
    sims = similarities.reshape(-1)
    valid = cols >= 0
    return rows[valid], cols[valid], sims[valid]


# ---------------------------------------------------------------- stories


@dataclass(frozen=True)
class StoryOptions:
    """Settings of story clustering."""

    threshold: float = STORY_THRESHOLD
    date_window_days: int = STORY_DATE_WINDOW_DAYS
    neighbours: int = KNN_NEIGHBOURS


def article_vectors(
    articles: Sequence[Article], statements: Sequence[Statement], statement_vectors: np.ndarray
) -> np.ndarray:
    """Each article's mean statement embedding, L2-normalised."""
    position = {article.id: row for row, article in enumerate(articles)}
    dimension = statement_vectors.shape[1] if statement_vectors.ndim == 2 and statement_vectors.shape[1] else 1
    sums = np.zeros((len(articles), dimension), dtype=np.float32)
    for statement, vector in zip(statements, statement_vectors):
        sums[position[statement.article_id]] += vector
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms == 0, 1, norms)


def cluster_stories(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    statement_vectors: np.ndarray,
    options: StoryOptions | None = None,
) -> list[Story]:
    """Groups articles about the same event.

    Similarity of two articles is the mean of the cosine of their TF-IDF vectors (title and text:
    names, places and numbers weigh in) and of their mean statement embeddings, damped when their
    publication dates lie further apart than the date window. Average linkage over each article's
    nearest neighbours then forms the stories; an article may stand alone.

    Returns:
        Stories, largest first.
    """
    index = story_index(articles, statements, statement_vectors, options)
    return stories_from_labels(articles, index.labels)


@dataclass
class StoryIndex:
    """The story graph of a corpus, kept so that added articles re-cluster only the stories they touch.

    See ``compare.incremental.extend_story_index``.
    """

    tfidf: Any  # CSR, articles x TERM_FEATURES, L2-normalised (``weigh_terms``)
    frequencies: np.ndarray  # document frequency of each term column
    vectors: np.ndarray  # mean statement embedding of each article (``article_vectors``)
    days: np.ndarray  # publication day of each article (``article_days``)
    neighbours: np.ndarray  # (n, 2k): k nearest by embedding, then k nearest by TF-IDF; -1 where missing
    neighbour_similarities: np.ndarray  # (n, 2k) the cosine in that view
    components: np.ndarray  # (n,) connected component of the strong graph
    labels: np.ndarray  # (n,) story number


def story_index(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    statement_vectors: np.ndarray,
    options: StoryOptions | None = None,
) -> StoryIndex:
    """Clusters articles into stories (``labels``; see ``cluster_stories``) and keeps the graph that did it."""
    options = options or StoryOptions()
    n = len(articles)
    counts = article_term_counts(articles)
    frequencies = document_frequencies(counts)
    tfidf = weigh_terms(counts, frequencies, n)
    embedded = article_vectors(articles, statements, statement_vectors)
    days = article_days(articles)
    # Candidates come from both views, so a pair close in either one is scored.
    k = min(options.neighbours, n - 1)
    neighbours = np.full((n, 2 * max(k, 0)), -1, dtype=np.int64)
    neighbour_similarities = np.zeros(neighbours.shape, dtype=np.float32)
    if k > 0:
        neighbours[:, :k], neighbour_similarities[:, :k] = knn(embedded, k)
        neighbours[:, k:], neighbour_similarities[:, k:] = sparse_knn(tfidf, k)
    rows, cols, _ = edges_from_knn(neighbours, np.zeros(neighbours.shape, dtype=np.float32))
    similarity = story_similarity(tfidf, embedded, days, rows, cols, options.date_window_days)
    if n < 2:
        labels = components = np.arange(n, dtype=np.int64)
    else:
        labels = AverageLinkage(options.threshold).fit(n, rows, cols, similarity).labels_
        components = strong_component_labels(n, rows, cols, similarity, options.threshold)
    return StoryIndex(tfidf, frequencies, embedded, days, neighbours, neighbour_similarities, components, labels)


def stories_from_labels(articles: Sequence[Article], labels: np.ndarray) -> list[Story]:
    """Stories from a cluster number per article, largest first."""
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        groups[int(label)].append(row)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    return [
        Story(
            id=f"story-{number}",
            article_ids=tuple(articles[row].id for row in members),
            outlets=tuple(sorted({articles[row].outlet for row in members})),
        )
        for number, members in enumerate(ordered, start=1)
    ]


TERM_FEATURES = 1 << 20  # hashed vocabulary: collisions are negligible, and shards need no shared vocabulary


def article_term_counts(articles: Sequence[Article]) -> Any:
    """Word counts of each article's title (twice) and text, hashed into ``TERM_FEATURES`` columns.

    English stop words are dropped. Hashing instead of a fitted vocabulary lets shards of a corpus
    count on their own and add their document frequencies up (see ``compare.shard``).
    """
    from sklearn.feature_extraction.text import HashingVectorizer

    texts = [f"{article.title}\n{article.title}\n{article.text}" for article in articles]
    vectorizer = HashingVectorizer(
        n_features=TERM_FEATURES, stop_words="english", alternate_sign=False, norm=None, dtype=np.float32
    )
    return vectorizer.transform(texts).tocsr()


def document_frequencies(counts: Any) -> np.ndarray:
    """In how many rows each term column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)


def weigh_terms(counts: Any, frequencies: np.ndarray, documents: int) -> Any:
    """TF-IDF rows, L2-normalised: sublinear term frequency times smoothed inverse document frequency.

    Terms in more than half the documents are dropped once there are 20 or more documents
    (scikit-learn's ``TfidfVectorizer(sublinear_tf=True, max_df=0.5)`` on a hashed vocabulary).
    """
    from sklearn.preprocessing import normalize

    weights = counts.copy().astype(np.float32)
    weights.data = 1.0 + np.log(weights.data)
    idf = (np.log((1.0 + documents) / (1.0 + frequencies)) + 1.0).astype(np.float32)
    if documents >= 20:
        idf[frequencies > 0.5 * documents] = 0.0
    weights = weights.multiply(idf[None, :]).tocsr()
    weights.eliminate_zeros()
    return normalize(weights, norm="l2", copy=False).astype(np.float32)


def article_days(articles: Sequence[Article]) -> np.ndarray:
    """Each article's publication day as an ordinal; ``NO_DAY`` where the date is unknown."""
    return np.array([(_parse_date(article.published) or date.min).toordinal() for article in articles], dtype=np.int64)


NO_DAY = date.min.toordinal()


def story_similarity(
    tfidf: Any,
    embedded: np.ndarray,
    days: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    window_days: int,
) -> np.ndarray:
    """The story similarity of article pairs: mean of TF-IDF and embedding cosines, damped by date gap."""
    lexical = np.asarray(tfidf[rows].multiply(tfidf[cols]).sum(axis=1)).reshape(-1)
    semantic = pair_cosines(embedded, rows, cols)
    similarity = 0.5 * lexical + 0.5 * semantic
    return (similarity * date_damping(days, rows, cols, window_days)).astype(np.float32)


def sparse_knn(matrix, k: int) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Top-k cosine neighbours of L2-normalised sparse rows, computed a block of rows at a time."""
    n = matrix.shape[0]
    indices = np.full((n, k), -1, dtype=np.int64)
    similarities = np.zeros((n, k), dtype=np.float32)
    transposed = matrix.T.tocsr()
    block = max(1, min(1024, 20_000_000 // max(n, 1)))
    for first in range(0, n, block):
        scores = (matrix[first : first + block] @ transposed).toarray()
        for offset in range(scores.shape[0]):
            scores[offset, first + offset] = -np.inf
        top = np.argpartition(-scores, kth=min(k, n - 1) - 1, axis=1)[:, :k]
        indices[first : first + block] = top
        similarities[first : first + block] = np.take_along_axis(scores, top, axis=1)
    return indices, similarities


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_damping(days: np.ndarray, rows: np.ndarray, cols: np.ndarray, window_days: int) -> np.ndarray:
    """1 inside the window (or when a date is unknown), decaying by half per further window."""
    known = days != NO_DAY
    gap = np.abs(days[rows] - days[cols]).astype(np.float32)
    beyond = np.clip(gap - window_days, 0, None) / max(window_days, 1)
    damping = np.power(0.5, beyond)
    return np.where(known[rows] & known[cols], damping, 1.0).astype(np.float32)


# ---------------------------------------------------------------- claims


@dataclass(frozen=True)
class ClaimOptions:
    """Settings of claim clustering."""

    threshold: float = CLAIM_THRESHOLD
    anchor_weight: float = CLAIM_ANCHOR_WEIGHT
    neighbours: int = KNN_NEIGHBOURS
    max_per_article: int = 2  # a fact is stated once or twice per article; more means a topic, not a claim
    cross_outlet_only: bool = False  # keep only clusters that span two or more outlets


def statement_anchors(statement: Statement) -> frozenset[str]:
    """Names, places and numbers a statement mentions, normalised ("nearly 100,000" -> "100000")."""
    anchors = set()
    for text, label in statement.entities:
        if label not in _ANCHOR_LABELS:
            continue
        if label in {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}:
            digits = re.sub(r"[^\d]", "", text)
            if len(digits) >= 2:
                anchors.add(digits)
            continue
        name = re.sub(r"^(the|a|an)\s+", "", text.lower()).replace("’s", "").replace("'s", "").strip()
        if name:
            anchors.add(name)
    return frozenset(anchors)


def cluster_claims(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    stories: Sequence[Story] = (),
    options: ClaimOptions | None = None,
) -> list[Cluster]:
    """Groups statements that report the same fact, within and across stories.

    The similarity of two statements is the cosine of their embeddings plus a bonus for the rare
    names, places and numbers they share (weighted by inverse document frequency over articles, so
    "Minsk" or "100,000" count and "Russia" in a corpus about Russia does not). Candidate pairs
    are each statement's nearest neighbours by embedding and the statements that share a rare
    anchor; average linkage over them forms the clusters.

    Returns:
        Clusters of two or more statements, those spanning most outlets first.
    """
    options = options or ClaimOptions()
    index = claim_index(statements, vectors, options)
    return claims_from_labels(statements, index.labels, stories, options)


@dataclass
class ClaimIndex:
    """The claim graph of a corpus, kept so that added statements re-cluster only what they touch.

    See ``compare.incremental.extend_claim_index``.
    """

    neighbours: np.ndarray  # (n, k) nearest statements by embedding, -1 where missing
    neighbour_similarities: np.ndarray  # (n, k) their cosines
    components: np.ndarray  # (n,) connected component of the strong graph (edges >= threshold)
    labels: np.ndarray  # (n,) claim number (singletons included)
    article_of: np.ndarray  # (n,) article number of each statement
    anchor_rows: dict[str, list[int]]  # anchor -> the statements that name it
    anchor_articles: dict[str, int]  # anchor -> the number of articles that name it


def claim_index(
    statements: Sequence[Statement], vectors: np.ndarray, options: ClaimOptions | None = None
) -> ClaimIndex:
    """Clusters statements into claims (``labels``) and keeps the graph that did it."""
    options = options or ClaimOptions()
    n = len(statements)
    anchors = [statement_anchors(statement) for statement in statements]
    article_number: dict[str, int] = {}
    article_of = np.array(
        [article_number.setdefault(statement.article_id, len(article_number)) for statement in statements],
        dtype=np.int64,
    )
    anchor_rows: dict[str, list[int]] = defaultdict(list)
    for row, found in enumerate(anchors):
        for anchor in found:
            anchor_rows[anchor].append(row)
    anchor_articles = {anchor: len({int(article_of[row]) for row in rows}) for anchor, rows in anchor_rows.items()}
    neighbours, neighbour_similarities = knn(vectors, options.neighbours)
    idf = {anchor: anchor_weight(count) for anchor, count in anchor_articles.items()}
    knn_rows, knn_cols, _ = edges_from_knn(neighbours, neighbour_similarities)
    anchor_rows_, anchor_cols, anchor_bonus = anchor_edges(anchors, idf, article_of)
    rows, cols = unique_pairs(n, np.concatenate([knn_rows, anchor_rows_]), np.concatenate([knn_cols, anchor_cols]))
    bonus = lookup_bonus(n, rows, cols, anchor_rows_, anchor_cols, anchor_bonus)
    similarity = pair_cosines(vectors, rows, cols) + options.anchor_weight * bonus
    if n < 2:
        labels = components = np.arange(n, dtype=np.int64)
    else:
        labels = (
            AverageLinkage(options.threshold, options.max_per_article)
            .fit(n, rows, cols, similarity, article_of)
            .labels_
        )
        components = strong_component_labels(n, rows, cols, similarity, options.threshold)
    return ClaimIndex(
        neighbours=neighbours,
        neighbour_similarities=neighbour_similarities,
        components=components,
        labels=labels,
        article_of=article_of,
        anchor_rows=dict(anchor_rows),
        anchor_articles=anchor_articles,
    )


def claims_from_labels(
    statements: Sequence[Statement],
    labels: np.ndarray,
    stories: Sequence[Story] = (),
    options: ClaimOptions | None = None,
) -> list[Cluster]:
    """Claims from a cluster number per statement: clusters of two or more, most outlets first."""
    options = options or ClaimOptions()
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")  # rows of one label stay in row order
    ordered = labels[order]
    starts = (
        np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
        if len(labels)
        else np.zeros(0, dtype=np.int64)
    )
    lengths = np.diff(np.concatenate([starts, [len(labels)]]))
    clusters = []
    for start, length in zip(starts[lengths >= 2].tolist(), lengths[lengths >= 2].tolist()):
        members = order[start : start + length].tolist()
        outlets = tuple(sorted({statements[row].outlet for row in members}))
        if options.cross_outlet_only and len(outlets) < 2:
            continue
        clusters.append((members, outlets))
    clusters.sort(key=lambda item: (-len(item[1]), -len(item[0]), item[0][0]))
    return [
        Cluster(
            id=f"claim-{number}",
            statement_ids=tuple(statements[row].id for row in members),
            outlets=outlets,
            story_ids=tuple(
                dict.fromkeys(
                    story_of[statements[row].article_id] for row in members if statements[row].article_id in story_of
                )
            ),
        )
        for number, (members, outlets) in enumerate(clusters, start=1)
    ]


def anchor_weight(articles: int) -> float:
    """The bonus of an anchor named in this many articles.

    A name shared by exactly two articles is strong evidence that they tell the same thing; each
    further article that mentions it halves, then thirds ... that evidence.
    """
    return 1.0 / max(1, articles - 1)


def anchor_edges(
    anchors: Sequence[frozenset[str]],
    idf: dict[str, float],
    article_of: np.ndarray,
    min_bonus: float = 0.05,
    max_postings: int = 64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of statements from different articles sharing a rare anchor, with the rarest shared anchor's weight.

    Anchors named in more than 21 articles (weight below ``min_bonus``) or by more than
    ``max_postings`` statements add too little to pay for their quadratic number of pairs.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for row, found in enumerate(anchors):
        for anchor in found:
            if idf.get(anchor, 0.0) >= min_bonus:
                postings[anchor].append(row)
    row_blocks, col_blocks, bonus_blocks = [], [], []
    for anchor, holders in postings.items():
        if not 1 < len(holders) <= max_postings:
            continue
        members = np.array(holders, dtype=np.int64)
        first, second = np.triu_indices(len(members), k=1)
        keep = article_of[members[first]] != article_of[members[second]]
        row_blocks.append(members[first][keep])
        col_blocks.append(members[second][keep])
        bonus_blocks.append(np.full(int(keep.sum()), idf[anchor], dtype=np.float32))
    if not row_blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    rows, cols, bonus = np.concatenate(row_blocks), np.concatenate(col_blocks), np.concatenate(bonus_blocks)
    return strongest_per_pair(int(article_of.shape[0]), rows, cols, bonus)


def strongest_per_pair(
    n: int, rows: np.ndarray, cols: np.ndarray, bonus: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each undirected pair once as (low, high), sorted, with its largest bonus (the rarest shared anchor)."""
    keys = np.minimum(rows, cols) * n + np.maximum(rows, cols)
    order = np.lexsort((-bonus, keys))  # per pair, the largest bonus first
    keys, bonus = keys[order], bonus[order]
    first_of_key = np.ones(len(keys), dtype=bool)
    first_of_key[1:] = keys[1:] != keys[:-1]
    keys, bonus = keys[first_of_key], bonus[first_of_key]
    return keys // n, keys % n, bonus


def unique_pairs(n: int, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each undirected pair once (low, high), self-pairs and missing neighbours (-1) dropped."""
    valid = (rows != cols) & (rows >= 0) & (cols >= 0)
    low, high = np.minimum(rows[valid], cols[valid]), np.maximum(rows[valid], cols[valid])
    keys = np.unique(low.astype(np.int64) * n + high)
    return keys // n, keys % n


def lookup_bonus(
    n: int,
    rows: np.ndarray,
    cols: np.ndarray,
    anchor_rows: np.ndarray,
    anchor_cols: np.ndarray,
    anchor_bonus: np.ndarray,
) -> np.ndarray:
    """The anchor bonus of each (row, col) pair: found among the anchor edges, else 0."""
    bonus = np.zeros(len(rows), dtype=np.float32)
    if not len(anchor_rows):
        return bonus
    anchor_keys = anchor_rows * n + anchor_cols  # already sorted and unique
    keys = rows * n + cols
    position = np.clip(np.searchsorted(anchor_keys, keys), 0, len(anchor_keys) - 1)
    found = anchor_keys[position] == keys
    bonus[found] = anchor_bonus[position[found]]
    return bonus
