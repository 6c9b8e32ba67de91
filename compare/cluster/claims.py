"""Statements -> claims (statements about the same fact across outlets): claim edges of query rows against candidates, build, extend."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from compare.cluster.anchors import (
    AnchorIndex,
    Pairs,
    anchor_index,
    extend_anchor_index,
    lookup_bonus,
    pairs_from_postings,
    rare_postings,
    statement_anchors,
    unique_pairs,
)
from compare.cluster.claim_ids import claim_id
from compare.cluster.claim_reach import Grown, Scorer, reached, regated
from compare.cluster.components import Edges, label_runs, local_edges, relabelled, touched_members
from compare.cluster.evidence import ClaimEvidence, claim_gate, claim_kept, statement_conflicts, story_leads
from compare.cluster.linkage import AverageLinkage
from compare.cluster.neighbours import (
    KNN_NEIGHBOURS,
    Block,
    Neighbours,
    contains_sorted,
    edges_from_neighbours,
    grow_neighbours,
    nearest,
    pair_cosines,
    positions,
)
from compare.io.column_rows import column_of
from compare.model.defaults import CLAIM_ANCHOR_WEIGHT, CLAIM_THRESHOLD, CONFLICT_PENALTY
from compare.model.documents import Claim, Statement, Story

Blocks = Callable[[], Iterable[Block]]  # gives the candidate blocks, each time it is called
Cosines = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (low, high) -> cosine of each pair


@dataclass(frozen=True)
class ClaimOptions:
    """Settings of claim clustering."""

    threshold: float = CLAIM_THRESHOLD
    anchor_weight: float = CLAIM_ANCHOR_WEIGHT
    neighbours: int = KNN_NEIGHBOURS
    max_per_article: int = 2  # a fact is stated once or twice per article; more means a topic, not a claim
    cross_outlet_only: bool = False  # keep only claims that span two or more outlets
    conflict_penalty: float = CONFLICT_PENALTY  # subtracted per conflict between two statements
    story_bonus: float = CONFLICT_PENALTY  # added when both are of one story: one event, as a conflict is one against
    lead_bonus: float = CONFLICT_PENALTY  # added when both lead their articles in one story (``story_leads``)


def scored_claim_pairs(  # noqa: PLR0913 -- the one place a statement pair is scored: pairs, anchors, evidence
    rows: np.ndarray,
    cols: np.ndarray,
    anchors: Pairs,
    cosines: Cosines,
    options: ClaimOptions,
    evidence: ClaimEvidence | None = None,
) -> Edges:
    """The candidate pairs (rows[i], cols[i]) and the anchor pairs, each once, scored for claims.

    The claim similarity of two statements is the cosine of their embeddings plus ``anchor_weight``
    times the weight of the rarest anchor they share (``anchors``, sorted and unique), minus
    ``conflict_penalty`` for each conflict between them (persons, places, numbers, years, times).
    With ``evidence`` (indexed like the rows), boilerplate is dropped, a pair across stories is kept only
    when it shares a rare anchor that is not a person or a bare place and no number or date conflicts
    (``claim_kept``), a pair of one story gains ``story_bonus``, and two articles' first statements in one story
    ``lead_bonus`` more unless they disagree on when (``story_leads``): a story and a lead each say "one event".
    """
    low, high = unique_pairs(np.concatenate([rows, anchors.low]), np.concatenate([cols, anchors.high]))
    if evidence is None:
        return Edges(low, high, cosines(low, high) + options.anchor_weight * lookup_bonus(low, high, anchors))
    kept = claim_gate(evidence, low, high)
    low, high = low[kept], high[kept]
    kept = claim_kept(evidence, low, high)
    low, high = low[kept], high[kept]
    bonus, conflicts = lookup_bonus(low, high, anchors), statement_conflicts(evidence, low, high)
    similarity = cosines(low, high) + options.anchor_weight * bonus - options.conflict_penalty * conflicts
    similarity += options.story_bonus * (evidence.story[low] == evidence.story[high])
    similarity += options.lead_bonus * story_leads(evidence, low, high)
    return Edges(low, high, similarity.astype(np.float32))


def claim_edges_against(
    query: Block,
    blocks: Blocks,
    anchors: Pairs,
    options: ClaimOptions | None = None,
    evidence: ClaimEvidence | None = None,
) -> tuple[Edges, Neighbours]:
    """Scored statement pairs of the query statements, and their nearest neighbours among the blocks.

    The candidates come a block at a time, twice: once for the nearest neighbours (an exact top k
    merged across blocks), once for the cosines of the chosen pairs. So a Ray task holds its own
    shard and one neighbour shard, however many neighbours there are; the local run passes the
    whole corpus as the query and as its one block.

    Args:
        query: the query statements (global numbers, ascending) and their embeddings.
        blocks: gives the candidate blocks (the query rows among them).
        anchors: anchor pairs (``pairs_from_postings``) with one end among the query rows; those whose
            other end is in no block are dropped (date blocking).
        evidence: the claim evidence of every statement (global numbers); None: no gates, no conflicts.

    Returns:
        (low, high, similarity) in global statement numbers, and each query row's neighbours.
    """
    options = options or ClaimOptions()
    seen: list[np.ndarray] = []

    def counted() -> Iterable[Block]:
        for block in blocks():
            seen.append(block.rows)
            yield block

    found = nearest(query, counted(), options.neighbours)
    candidates = seen[0] if len(seen) == 1 else np.unique(np.concatenate(seen or [np.zeros(0, dtype=np.int64)]))
    width = max(0, min(options.neighbours, len(candidates) - 1))
    found = Neighbours(found.rows[:, :width], found.similarities[:, :width])
    reachable = contains_sorted(candidates, anchors.low) & contains_sorted(candidates, anchors.high)
    anchors = Pairs(anchors.low[reachable], anchors.high[reachable], anchors.bonus[reachable])
    rows, cols = edges_from_neighbours(query.rows, found)

    def cosines(low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return pair_cosines_in_blocks(query, blocks, low, high)

    return scored_claim_pairs(rows, cols, anchors, cosines, options, evidence), found


def pair_cosines_in_blocks(query: Block, blocks: Blocks, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Cosines of pairs with at least one end among the query rows, the other end's block loaded in turn.

    The low end's vector is always the left operand, as in ``pair_cosines(vectors, low, vectors,
    high)``, so every engine gets the same bits.
    """
    cosine = np.zeros(len(low), dtype=np.float32)
    low_is_query = contains_sorted(query.rows, low)
    other_end = np.where(low_is_query, high, low)
    done = np.zeros(len(low), dtype=bool)
    for block in blocks():
        here = ~done & contains_sorted(block.rows, other_end)
        forward, backward = _where(here & low_is_query), _where(here & ~low_is_query)
        cosine[forward] = pair_cosines(
            query.data, positions(query.rows, low[forward]), block.data, positions(block.rows, high[forward])
        )
        cosine[backward] = pair_cosines(
            block.data, positions(block.rows, low[backward]), query.data, positions(query.rows, high[backward])
        )
        done |= here
    return cosine


def _where(mask: np.ndarray) -> slice | np.ndarray:
    """The positions where ``mask`` holds (a slice when it holds everywhere, which copies nothing)."""
    return slice(None) if mask.all() else np.flatnonzero(mask)


@dataclass
class ClaimIndex:
    """The claim graph of a corpus, kept so that added statements re-cluster only what they touch."""

    neighbours: np.ndarray  # (n, k) nearest statements by embedding, -1 where missing
    neighbour_similarities: np.ndarray  # (n, k) their cosines
    components: np.ndarray  # (n,) connected component of the strong graph (edges >= threshold)
    labels: np.ndarray  # (n,) claim number (singletons included)
    article_of: np.ndarray  # (n,) article number of each statement
    anchor_rows: dict[str, list[int]]  # anchor -> the statements that name it
    anchor_articles: dict[str, int]  # anchor -> the number of articles that name it
    story: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (n,) the gate's story
    boilerplate: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (n,) the gate's flags


@dataclass(frozen=True)
class ClaimUpdate:
    """What adding statements re-clustered (for progress reports and benchmarks)."""

    added: int
    reclustered: int  # statements in the touched components, the added ones included


def article_numbers(statements: Sequence[Statement], first_number: int = 0) -> np.ndarray:
    """An article number per statement, counted from ``first_number`` in order of first appearance."""
    number: dict[str, int] = {}
    return np.array(
        [number.setdefault(statement.article_id, first_number + len(number)) for statement in statements],
        dtype=np.int64,
    )


def claim_index(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    options: ClaimOptions | None = None,
    evidence: ClaimEvidence | None = None,
) -> ClaimIndex:
    """Clusters statements into claims (``labels``; see ``cluster_claims``) and keeps the graph that did it.

    With ``evidence`` (``claim_evidence``), claims stay inside one story, never take boilerplate and
    count conflicts between statements against them.
    """
    options = options or ClaimOptions()
    n = len(statements)
    article_of = article_numbers(statements)
    anchors = anchor_index([statement_anchors(statement) for statement in statements], article_of)
    pairs = pairs_from_postings(rare_postings(anchors, anchors.rows), article_of)
    every = Block(np.arange(n, dtype=np.int64), vectors)
    edges, found = claim_edges_against(every, lambda: [every], pairs, options, evidence)
    labels, components = _linked(n, edges, options, article_of)
    return ClaimIndex(
        neighbours=found.rows,
        neighbour_similarities=found.similarities,
        components=components,
        labels=labels,
        article_of=article_of,
        anchor_rows=anchors.rows,
        anchor_articles=anchors.articles,
        **_gate_state(evidence),
    )


def _gate_state(evidence: ClaimEvidence | None) -> dict[str, np.ndarray]:
    if evidence is None:
        return {"story": np.zeros(0, dtype=np.int64), "boilerplate": np.zeros(0, dtype=bool)}
    return {"story": np.asarray(evidence.story, dtype=np.int64), "boilerplate": np.asarray(evidence.boilerplate)}


def extend_claim_index(
    index: ClaimIndex,
    statements: Sequence[Statement],
    vectors: np.ndarray,
    options: ClaimOptions | None = None,
    evidence: ClaimEvidence | None = None,
) -> tuple[ClaimIndex, ClaimUpdate]:
    """The claim index of ``statements`` (the indexed ones first, then the added ones).

    An added statement changes the graph only through its own edges, the neighbour lists it enters
    and the weights of the anchors it names; the old components whose edges those changes alter or that
    an added statement joins (``claim_reach``) are clustered again with the added statements, which gives
    the claims a full run would give.

    Args:
        index: the claim index of ``statements[:n_old]``, made with the same options; left as it was.
        statements, vectors: every statement and embedding, the added ones last.
        options: the claim settings of the index.
        evidence: the claim evidence of every statement (as for ``claim_index``); statements whose
            story changed or that turned boilerplate are clustered again with their components.

    Returns:
        The new index (its ``labels`` are the claims) and what was re-clustered.
    """
    options = options or ClaimOptions()
    n_old, n = len(index.labels), len(statements)
    old_lists = Neighbours(index.neighbours, index.neighbour_similarities)
    found, entered = grow_neighbours(old_lists, vectors, max(0, min(options.neighbours, n - 1)))
    first_article = int(index.article_of.max()) + 1 if n_old else 0
    article_of = np.concatenate([index.article_of, article_numbers(statements[n_old:], first_article)])
    added = [statement_anchors(statement) for statement in statements[n_old:]]
    anchors, _ = extend_anchor_index(AnchorIndex(index.anchor_rows, index.anchor_articles), added, n_old, article_of)
    grown_by = Grown(found, entered, anchors, added, article_of, regated=regated(index, evidence))
    members = touched_members(index.components, reached(index, grown_by, _scorer(vectors, options, evidence)), n)
    grown = replace(
        index,
        neighbours=found.rows,
        neighbour_similarities=found.similarities,
        article_of=article_of,
        anchor_rows=anchors.rows,
        anchor_articles=anchors.articles,
        **_gate_state(evidence),
    )
    member_evidence = evidence.take(members) if evidence is not None else None
    edges = _member_edges(grown, members, statements, vectors, options, member_evidence)
    labels, components = _linked(len(members), edges, options, article_of[members])
    extended = replace(
        grown,
        components=relabelled(index.components, members, components, n),
        labels=relabelled(index.labels, members, labels, n),
    )
    return extended, ClaimUpdate(added=n - n_old, reclustered=len(members))


def _scorer(vectors: np.ndarray, options: ClaimOptions, evidence: ClaimEvidence | None) -> Scorer:
    score = lambda rows, cols, pairs, cosines, taken: scored_claim_pairs(rows, cols, pairs, cosines, options, taken)  # noqa: E731
    return Scorer(score, vectors, evidence, options.threshold)


def _member_edges(  # noqa: PLR0913 -- the touched part of the index, and how a full run scores it
    index: ClaimIndex,
    members: np.ndarray,
    statements: Sequence[Statement],
    vectors: np.ndarray,
    options: ClaimOptions,
    evidence: ClaimEvidence | None,
) -> Edges:
    """The claim edges among members, numbered by position in ``members``, as a full run scores them.

    ``index`` has the neighbour lists and anchors of every statement, the added ones included; an
    anchor's weight and its number of statements are those of the whole corpus.
    """
    n = len(index.article_of)
    member_lists = Neighbours(index.neighbours[members], index.neighbour_similarities[members])
    rows, cols = local_edges(*edges_from_neighbours(members, member_lists), members, n)
    local = np.full(n, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    named = {anchor for row in members.tolist() for anchor in statement_anchors(statements[row])}
    postings = rare_postings(AnchorIndex(index.anchor_rows, index.anchor_articles), named)
    pairs = pairs_from_postings(
        ((_kept(local[holders]), weight) for holders, weight in postings), index.article_of[members]
    )
    member_vectors = vectors[members]  # a compact copy: faster gathers

    def cosines(low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return pair_cosines(member_vectors, low, member_vectors, high)

    return scored_claim_pairs(rows, cols, pairs, cosines, options, evidence)


def _kept(numbers: np.ndarray) -> np.ndarray:
    """The numbers that are not -1 (rows outside the members)."""
    return numbers[numbers >= 0]


def _linked(n: int, edges: Edges, options: ClaimOptions, article_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Claim numbers and strong components of n statements with these edges."""
    if n < 2:
        return np.arange(n, dtype=np.int64), np.arange(n, dtype=np.int64)
    linkage = AverageLinkage(options.threshold, options.max_per_article)
    linkage.fit(n, edges.low, edges.high, edges.similarity, article_of)
    return linkage.labels_, linkage.components_


def claims_from_labels(
    statements: Sequence[Statement],
    labels: np.ndarray,
    stories: Sequence[Story] = (),
    options: ClaimOptions | None = None,
    known_ids: Mapping[tuple[str, ...], str] | None = None,
) -> list[Claim]:
    """Claims from a claim number per statement: those of two or more statements, most outlets first (``claim_id``
    names each, or ``known_ids``, the ids of earlier claims by their statements: ``known_claim_ids``)."""
    known_ids = known_ids or {}
    options = options or ClaimOptions()
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    labels = np.asarray(labels)
    order, starts, lengths = label_runs(labels)
    outlet_of, id_of, article_of = (column_of(statements, name) for name in ("outlet", "id", "article_id"))
    found = []
    for start, length in zip(starts[lengths >= 2].tolist(), lengths[lengths >= 2].tolist()):
        members = order[start : start + length].tolist()
        outlets = tuple(sorted({outlet_of[row] for row in members}))
        if options.cross_outlet_only and len(outlets) < 2:
            continue
        found.append((members, outlets))
    found.sort(key=lambda item: (-len(item[1]), -len(item[0]), item[0][0]))
    named = [(members, outlets, tuple(id_of[row] for row in members)) for members, outlets in found]
    return [
        Claim(
            id=known_ids.get(statement_ids) or claim_id(statement_ids),
            statement_ids=statement_ids,
            outlets=outlets,
            story_ids=tuple(dict.fromkeys(story_of[article_of[row]] for row in members if article_of[row] in story_of)),
        )
        for members, outlets, statement_ids in named
    ]


def cluster_claims(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    stories: Sequence[Story] = (),
    options: ClaimOptions | None = None,
    evidence: ClaimEvidence | None = None,
) -> list[Claim]:
    """Groups statements that report the same fact, within and across stories.

    The similarity of two statements is the cosine of their embeddings plus a bonus for the rare
    names, places and numbers they share (weighted by inverse document frequency over articles, so
    "Minsk" or "100,000" count and "Russia" in a corpus about Russia does not). Candidate pairs
    are each statement's nearest neighbours by embedding and the statements that share a rare
    anchor; average linkage over them forms the claims. With ``evidence`` (``claim_evidence``) a
    claim keeps to one story, takes no boilerplate, and conflicting people, places, numbers, years
    and times count against a pair.

    Returns:
        Claims of two or more statements, those spanning most outlets first.
    """
    options = options or ClaimOptions()
    index = claim_index(statements, vectors, options, evidence)
    return claims_from_labels(statements, index.labels, stories, options)
