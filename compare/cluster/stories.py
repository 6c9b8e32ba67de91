"""Articles -> stories (articles about one event): story edges of query articles against candidates, build, extend."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from scipy.sparse import vstack

from compare.cluster.anchors import unique_pairs
from compare.cluster.articles import (
    article_days,
    article_term_counts,
    article_vectors,
    document_frequencies,
    weigh_terms,
)
from compare.cluster.components import Edges, local_edges, relabelled, touched_members
from compare.cluster.evidence import Lead, article_leads, lead_conflicts, story_date_damping
from compare.cluster.linkage import AverageLinkage
from compare.cluster.neighbours import (
    KNN_NEIGHBOURS,
    Block,
    Neighbours,
    edges_from_neighbours,
    grow_neighbours,
    nearest,
    pair_cosines,
    positions,
    rows_reached,
)
from compare.cluster.shared import ArticleStatements, article_statements, shared_statement_scores
from compare.cluster.story_ids import anchor_key
from compare.io.column_rows import column_of
from compare.model.defaults import CONFLICT_PENALTY, STORY_DATE_WINDOW_DAYS, STORY_THRESHOLD
from compare.model.documents import Article, Statement, Story, story_id_of_article


@dataclass(frozen=True)
class StoryOptions:
    """Settings of story clustering."""

    threshold: float = STORY_THRESHOLD
    date_window_days: int = STORY_DATE_WINDOW_DAYS
    neighbours: int = KNN_NEIGHBOURS
    conflict_penalty: float = CONFLICT_PENALTY  # subtracted per conflict between two articles' leads (0: none counted)
    shared_weight: float = 1.0  # times the shared-statement evidence (``shared_statement_scores``)


class ArticleRows(NamedTuple):
    """Articles as stories compare them, by global article number (ascending)."""

    rows: np.ndarray
    tfidf: Any  # CSR, L2-normalised term weights (``weigh_terms``)
    vectors: np.ndarray  # mean statement embeddings (``article_vectors``)
    days: np.ndarray  # publication days (``article_days``)
    leads: Sequence[Lead] = ()  # what each lead names (``article_leads``); none: no conflicts counted
    statements: ArticleStatements | None = None  # first statements' embeddings (``article_statements``)


def story_similarity(tfidf: Any, embedded: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The story similarity of article pairs before dates count: mean of TF-IDF and embedding cosines."""
    lexical = np.asarray(tfidf[rows].multiply(tfidf[cols]).sum(axis=1)).reshape(-1)
    semantic = pair_cosines(embedded, rows, embedded, cols)
    return (0.5 * lexical + 0.5 * semantic).astype(np.float32)


def story_neighbours(query_rows: np.ndarray, articles: ArticleRows, k: int) -> Neighbours:
    """Each query article's k nearest candidates by embedding, then its k nearest by TF-IDF.

    Candidates come from both views, so a pair close in either one is scored. The query articles
    must be among ``articles``.
    """
    at = positions(articles.rows, query_rows)
    whole = len(at) == len(articles.rows)
    semantic = nearest(
        Block(query_rows, articles.vectors if whole else articles.vectors[at]),
        [Block(articles.rows, articles.vectors)],
        k,
    )
    lexical = nearest(
        Block(query_rows, articles.tfidf if whole else articles.tfidf[at]), [Block(articles.rows, articles.tfidf)], k
    )
    return Neighbours(
        np.hstack([semantic.rows, lexical.rows]), np.hstack([semantic.similarities, lexical.similarities])
    )


def scored_story_pairs(
    rows: np.ndarray, cols: np.ndarray, articles: ArticleRows, options: StoryOptions | None = None
) -> Edges:
    """The candidate pairs (rows[i], cols[i]) of ``articles``, each once as (low, high), scored for stories.

    The score is ``story_similarity`` plus ``options.shared_weight`` times the evidence of the
    statements they share (``shared_statement_scores``; evidence for is divided by one plus the number
    of lead conflicts), damped by the date gap (``story_date_damping``: publication days, or the days
    their leads name, whichever are nearer; two days both leads name, beyond a day), minus ``options.conflict_penalty`` for each
    conflict between the two leads (persons, places, numbers of one unit, years, times more than a day
    apart): two similar events share their words but not their place, figures and date, nor many
    sentences.
    """
    options = options or StoryOptions()
    low, high = unique_pairs(rows, cols)
    at_low, at_high = positions(articles.rows, low), positions(articles.rows, high)
    similarity = story_similarity(articles.tfidf, articles.vectors, at_low, at_high)
    # A zero penalty turns the conflicts off as evidence altogether (they also divide the shared evidence).
    conflicts = lead_conflicts(articles.leads if options.conflict_penalty else (), at_low, at_high)
    if articles.statements is not None and options.shared_weight:
        shared = shared_statement_scores(articles.statements, at_low, at_high)
        # Two similar events share background sentences (the place, the actors, the run-up); where their
        # leads conflict, the sentences they share say less: the evidence for is divided by 1 + conflicts.
        similarity += options.shared_weight * np.where(shared > 0, shared / (1 + conflicts), shared)
    # Two weekly reports share their words and sentences, not their week (``story_date_damping``).
    damping = story_date_damping(articles.leads, articles.days, at_low, at_high, options.date_window_days)
    similarity = similarity * damping - options.conflict_penalty * conflicts
    return Edges(low, high, similarity.astype(np.float32))


@dataclass
class StoryIndex:
    """The story graph of a corpus, kept so that added articles re-cluster only the stories they touch."""

    tfidf: Any  # CSR, articles x TERM_FEATURES, L2-normalised (``weigh_terms``)
    frequencies: np.ndarray  # document frequency of each term column
    vectors: np.ndarray  # mean statement embedding of each article (``article_vectors``)
    days: np.ndarray  # publication day of each article (``article_days``)
    neighbours: np.ndarray  # (n, 2k): k nearest by embedding, then k nearest by TF-IDF; -1 where missing
    neighbour_similarities: np.ndarray  # (n, 2k) the cosine in that view
    components: np.ndarray  # (n,) connected component of the strong graph
    labels: np.ndarray  # (n,) story number
    leads: list[Lead] = field(default_factory=list)  # (n,) what each article's lead names (``article_leads``)


def article_rows(
    articles: Sequence[Article], statements: Sequence[Statement], statement_vectors: np.ndarray
) -> tuple[ArticleRows, np.ndarray]:
    """What story scoring reads of every article (terms, mean vector, days, lead, first statements), and the
    corpus's document frequencies of the terms."""
    n = len(articles)
    counts = article_term_counts(articles)
    frequencies = document_frequencies(counts)
    every = ArticleRows(
        np.arange(n, dtype=np.int64),
        weigh_terms(counts, frequencies, n),
        article_vectors(articles, statements, statement_vectors),
        article_days(articles),
        article_leads(articles, statements),
        article_statements(column_of(articles, "id"), statements, statement_vectors),
    )
    return every, frequencies


def story_index(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    statement_vectors: np.ndarray,
    options: StoryOptions | None = None,
) -> StoryIndex:
    """Clusters articles into stories (``labels``; see ``cluster_stories``) and keeps the graph that did it."""
    options = options or StoryOptions()
    n = len(articles)
    every, frequencies = article_rows(articles, statements, statement_vectors)
    found = story_neighbours(every.rows, every, max(0, min(options.neighbours, n - 1)))
    edges = scored_story_pairs(*edges_from_neighbours(every.rows, found), every, options)
    labels, components = _linked(n, edges, options)
    return StoryIndex(
        every.tfidf,
        frequencies,
        every.vectors,
        every.days,
        found.rows,
        found.similarities,
        components,
        labels,
        list(every.leads),
    )


def extend_story_index(
    index: StoryIndex,
    articles: Sequence[Article],
    statements: Sequence[Statement],
    statement_vectors: np.ndarray,
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
        statements, statement_vectors: every statement and its embedding (the shared-statement
            evidence of the re-clustered stories reads the old articles' statements too).

    Returns:
        The new index (its ``labels`` are the stories) and the number of articles re-clustered.
    """
    options = options or StoryOptions()
    n_old, n = len(index.labels), len(articles)
    counts = article_term_counts(articles[n_old:])
    frequencies = index.frequencies + document_frequencies(counts)
    new_tfidf = weigh_terms(counts, frequencies, n)
    added_ids = {article.id for article in articles[n_old:]}
    added_rows = [row for row, article_id in enumerate(column_of(statements, "article_id")) if article_id in added_ids]
    added_statements = [statements[row] for row in added_rows]
    new_vectors = article_vectors(articles[n_old:], added_statements, statement_vectors[added_rows])
    every = ArticleRows(
        np.arange(n, dtype=np.int64),
        vstack([index.tfidf, new_tfidf]).tocsr() if n_old else new_tfidf,
        np.vstack([index.vectors, new_vectors]) if n_old else new_vectors,
        np.concatenate([index.days, article_days(articles[n_old:])]),
        index.leads + article_leads(articles[n_old:], added_statements),
    )
    k_old, k = index.neighbours.shape[1] // 2, max(0, min(options.neighbours, n - 1))
    old_rows, old_similarities = index.neighbours, index.neighbour_similarities
    semantic, semantic_entered = grow_neighbours(
        Neighbours(old_rows[:, :k_old], old_similarities[:, :k_old]), every.vectors, k
    )
    lexical, lexical_entered = grow_neighbours(
        Neighbours(old_rows[:, k_old:], old_similarities[:, k_old:]), every.tfidf, k
    )
    found = Neighbours(
        np.hstack([semantic.rows, lexical.rows]), np.hstack([semantic.similarities, lexical.similarities])
    )
    touched = rows_reached(found, n_old, np.union1d(semantic_entered, lexical_entered))
    members = touched_members(index.components, touched, n)
    member_rows = Neighbours(found.rows[members], found.similarities[members])
    m = len(members)
    article_ids = column_of(articles, "id")
    local = ArticleRows(
        np.arange(m),
        every.tfidf[members],
        every.vectors[members],
        every.days[members],
        [every.leads[row] for row in members.tolist()],
        article_statements([article_ids[row] for row in members.tolist()], statements, statement_vectors),
    )
    rows, cols = local_edges(*edges_from_neighbours(members, member_rows), members, n)
    labels, components = _linked(m, scored_story_pairs(rows, cols, local, options), options)
    extended = StoryIndex(
        tfidf=every.tfidf,
        frequencies=frequencies,
        vectors=every.vectors,
        days=every.days,
        neighbours=found.rows,
        neighbour_similarities=found.similarities,
        components=relabelled(index.components, members, components, n),
        labels=relabelled(index.labels, members, labels, n),
        leads=list(every.leads),
    )
    return extended, m


def _linked(n: int, edges: Edges, options: StoryOptions) -> tuple[np.ndarray, np.ndarray]:
    """Story numbers and strong components of n articles with these edges."""
    if n < 2:
        return np.arange(n, dtype=np.int64), np.arange(n, dtype=np.int64)
    linkage = AverageLinkage(options.threshold).fit(n, edges.low, edges.high, edges.similarity)
    return linkage.labels_, linkage.components_


def stories_from_labels(articles: Sequence[Article], labels: np.ndarray) -> list[Story]:
    """Stories from a cluster number per article, largest first, each named by ``story_id``."""
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        groups[int(label)].append(row)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    ids, outlets, published = (column_of(articles, name) for name in ("id", "outlet", "published"))
    return [
        Story(
            id=story_id_of_article(ids[min(members, key=lambda row: anchor_key(published[row], ids[row]))]),
            article_ids=tuple(ids[row] for row in members),
            outlets=tuple(sorted({outlets[row] for row in members})),
        )
        for members in ordered
    ]


def cluster_stories(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    statement_vectors: np.ndarray,
    options: StoryOptions | None = None,
) -> list[Story]:
    """Groups articles about the same event.

    Similarity of two articles is the mean of the cosine of their TF-IDF vectors (title and text:
    names, places and numbers weigh in) and of their mean statement embeddings, damped when their
    publication dates lie further apart than the date window, and lowered for each conflict between
    their leads (``scored_story_pairs``). Average linkage over each article's
    nearest neighbours then forms the stories; an article may stand alone.

    Returns:
        Stories, largest first.
    """
    index = story_index(articles, statements, statement_vectors, options)
    return stories_from_labels(articles, index.labels)
