"""Which old statements an addition can re-group into other claims: the region ``extend_claim_index`` clusters again.

Average linkage runs inside each strong component (edges at or above the threshold) and ignores the edges
between components, so an old component clusters as before unless its own edges change or a strong edge
joins it to an added statement. An addition changes an old component's edges in three ways only: an old
statement's neighbour list takes an added statement and drops a neighbour of the same component (the edge
goes unless the other end still lists it); an anchor named by added statements weighs less, or stops being a
fact rare enough to keep a pair across stories (the pairs of its holders in one component change; an anchor
only ever weakens, so it joins no components); or a statement's gate changes (its story or boilerplate flag,
``regated``). Everything else an addition reaches (an old list taking an added statement that drops a
neighbour of another component; an added statement's weak edges) leaves every old component's claims as
they were, and re-clustering it would only repeat them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from compare.cluster.anchors import AnchorIndex, Pairs, is_rare, pairs_from_postings, rare_postings
from compare.cluster.components import Edges, regrouped
from compare.cluster.evidence import CROSS_STORY_MAX_ARTICLES, ClaimEvidence
from compare.cluster.neighbours import Neighbours, pair_cosines

if TYPE_CHECKING:
    from compare.cluster.claims import ClaimIndex

Cosines = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (low, high) -> cosine of each pair


class Scorer(NamedTuple):
    """How a full run scores pairs of rows, and its claim threshold."""

    score: Callable[[np.ndarray, np.ndarray, Pairs, Cosines, ClaimEvidence | None], Edges]  # ``scored_claim_pairs``
    vectors: np.ndarray  # every statement's embedding
    evidence: ClaimEvidence | None  # every statement's claim evidence (``claim_evidence``)
    threshold: float

    def edges(self, rows: np.ndarray, cols: np.ndarray, pairs: Pairs) -> Edges:
        """The pairs (rows[i], cols[i]) and the anchor ``pairs`` scored, with the evidence of their rows only
        (``statement_conflicts`` goes over every statement of the evidence it is given)."""
        used = np.unique(np.concatenate([rows, cols, pairs.low, pairs.high]))

        def local(numbers: np.ndarray) -> np.ndarray:  # the place in ``used``: keeps the pairs' order
            return np.asarray(np.searchsorted(used, numbers), dtype=np.int64)

        taken = self.evidence.take(used) if self.evidence is not None else None
        vectors = self.vectors[used]
        cosines = lambda low, high: pair_cosines(vectors, low, vectors, high)  # noqa: E731
        found = self.score(
            local(rows), local(cols), Pairs(local(pairs.low), local(pairs.high), pairs.bonus), cosines, taken
        )
        return Edges(used[found.low], used[found.high], found.similarity)


@dataclass(frozen=True)
class Grown:
    """What an addition grew of a claim index: neighbour lists and anchors with the added statements."""

    found: Neighbours  # every statement's neighbour list, the added ones included
    entered: np.ndarray  # the old statements whose list took an added one
    anchors: AnchorIndex  # the anchor index with the added statements
    added: Sequence[frozenset[str]]  # the anchors of each added statement
    article_of: np.ndarray  # the article number of every statement
    regated: np.ndarray  # the old statements whose gate changed (story or boilerplate flag: ``regated``)


def reached(index: ClaimIndex, grown: Grown, scorer: Scorer) -> np.ndarray:
    """The old statements whose strong components (of ``index``) the addition changes or joins."""
    n_old = len(index.labels)
    pairs = pairs_with_added(grown.anchors, grown.added, grown.article_of, n_old)
    old_lists = Neighbours(index.neighbours, index.neighbour_similarities)
    parts = (
        strongly_joined(grown.found, grown.entered, n_old, pairs, scorer),
        lost_edges(old_lists, grown.found, grown.entered, index.components),
        weakened_anchors(
            AnchorIndex(index.anchor_rows, index.anchor_articles), grown.added, index.article_of, index.components
        ),
        grown.regated,
    )
    return np.unique(np.concatenate(parts)).astype(np.int64)


def pairs_with_added(
    anchors: AnchorIndex, added: Sequence[frozenset[str]], article_of: np.ndarray, n_old: int
) -> Pairs:
    """The anchor pairs (``pairs_from_postings``) of the anchors the added statements name that have an added end."""
    named = sorted({anchor for found_anchors in added for anchor in found_anchors})
    pairs = pairs_from_postings(rare_postings(anchors, named), article_of)
    with_added = pairs.high >= n_old  # low < high: an added end is the high one
    return Pairs(pairs.low[with_added], pairs.high[with_added], pairs.bonus[with_added])


def strongly_joined(found: Neighbours, entered: np.ndarray, n_old: int, pairs: Pairs, scorer: Scorer) -> np.ndarray:
    """The old statements with an edge at or above the threshold to an added one (the added statements' list
    entries, the old lists that took an added statement, and the anchor ``pairs`` with an added end, as
    ``scorer`` scores them): the components the added statements join."""
    query = np.concatenate([np.arange(n_old, len(found.rows), dtype=np.int64), entered])
    lists = found.rows[query]
    rows, cols = np.repeat(query, lists.shape[1]), lists.ravel()
    keep = (cols >= 0) & ((rows >= n_old) | (cols >= n_old))
    edges = scorer.edges(rows[keep], cols[keep], pairs)
    strong = edges.similarity >= scorer.threshold
    ends = np.concatenate([edges.low[strong], edges.high[strong]])
    return np.unique(ends[ends < n_old]).astype(np.int64)


def lost_edges(old: Neighbours, found: Neighbours, entered: np.ndarray, components: np.ndarray) -> np.ndarray:
    """The old statements whose list took an added statement and so dropped a neighbour of their own component
    that does not list them back (the edge between them is gone)."""
    lost = []
    for row in entered.tolist():
        dropped = set(old.rows[row].tolist()) - set(found.rows[row].tolist()) - {-1}
        for other in dropped:
            if components[other] == components[row] and row not in found.rows[other]:
                lost.append(row)
                break
    return np.array(lost, dtype=np.int64)


def weakened_anchors(
    before: AnchorIndex, added: Sequence[frozenset[str]], article_of: np.ndarray, components: np.ndarray
) -> np.ndarray:
    """The old holders of an anchor the added statements name, that gave pairs before or kept a pair across
    stories (a fact at most ``CROSS_STORY_MAX_ARTICLES`` articles name), and that another holder of another article
    shares a component with: the pairs the addition weakens or drops inside a component."""
    touched: list[int] = []
    for anchor in sorted({anchor for found_anchors in added for anchor in found_anchors}):
        holders = before.rows.get(anchor)
        articles = before.articles[anchor] if holders else 0
        if not holders or not (is_rare(articles, len(holders)) or articles <= CROSS_STORY_MAX_ARTICLES):
            continue  # gave no pairs and kept no pair across stories before (``claim_kept``): nothing old changes
        rows = np.asarray(holders, dtype=np.int64)
        component = components[rows]
        order = np.argsort(component, kind="stable")
        rows, component = rows[order], component[order]
        starts = np.flatnonzero(np.concatenate([[True], component[1:] != component[:-1]]))
        for first, last in zip(starts.tolist(), [*starts[1:].tolist(), len(rows)]):
            if len(set(article_of[rows[first:last]].tolist())) > 1:
                touched.extend(rows[first:last].tolist())
    return np.unique(np.array(touched, dtype=np.int64))


def regated(index: ClaimIndex, evidence: ClaimEvidence | None) -> np.ndarray:
    """Old statements whose gate changed: their story gained or lost members, or their boilerplate flag turned."""
    n_old = len(index.labels)
    if evidence is None or len(index.story) != n_old or len(index.boilerplate) != n_old:
        return np.zeros(0, dtype=np.int64)
    changed = regrouped(index.story, evidence.story[:n_old]) | (index.boilerplate != evidence.boilerplate[:n_old])
    return np.flatnonzero(changed).astype(np.int64)
