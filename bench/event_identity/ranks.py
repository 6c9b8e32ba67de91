"""Rank evidence for stories: where an article's score with another stands among its own candidates, which
moves less than an absolute cosine when the vectors shift (torch, int8 batched, int8 alone).

Two tests over the product's scored candidate pairs (``scored_story_pairs``), clustered by the product's
average linkage at the story threshold:

- "mutual best + w": a pair that is each article's highest-scoring candidate, with no lead conflict, gains w
  (the same event told from a different angle shares few sentences but is still each other's closest report);
- "outside top m − w": a pair neither of whose articles has the other among its m highest-scoring
  candidates loses w (two similar events: each article has closer reports of its own event).

Usage (from the worktree root; the corpora as variants.py keeps them):
    HF_HUB_OFFLINE=1 SWEEP_BUNDLES=/tmp/b-{variant}.pkl python -m bench.event_identity.ranks
    HF_HUB_OFFLINE=1 SWEEP_BUNDLES=/tmp/b-{variant}.pkl python -m bench.event_identity.ranks TEST W M  # every gate of one cell
    HF_HUB_OFFLINE=1 SWEEP_BUNDLES=/tmp/b-{variant}.pkl python -m bench.event_identity.ranks boilerplate  # shared sentences without it
"""

from __future__ import annotations

import sys

import numpy as np

from bench.event_identity.corpora import VARIANTS, Bundle
from bench.event_identity.metrics import story_scores
from bench.event_identity.variants import NAMES, TARGETS, bundles
from compare.cluster import AverageLinkage, StoryOptions
from compare.cluster.evidence import lead_conflicts, story_date_damping
from compare.cluster.neighbours import KNN_NEIGHBOURS, edges_from_neighbours
from compare.cluster.shared import shared_statement_scores
from compare.cluster.stories import article_rows, scored_story_pairs, story_neighbours, story_similarity
from compare.model.defaults import CONFLICT_PENALTY, STORY_DATE_WINDOW_DAYS

DEFAULT_VARIANT = "onnx-int8-token"


def candidate_pairs(bundle: Bundle) -> tuple[np.ndarray, ...]:
    """The product's candidate pairs (low, high), their story scores, lead conflicts, and the terms of the
    score (similarity before dates, shared-statement evidence, date damping) for the "floor" test."""
    every, _ = article_rows(bundle.articles, bundle.statements, bundle.vectors)
    found = story_neighbours(every.rows, every, max(0, min(KNN_NEIGHBOURS, len(bundle.articles) - 1)))
    edges = scored_story_pairs(*edges_from_neighbours(every.rows, found), every, StoryOptions())
    low, high = edges.low, edges.high
    assert every.statements is not None
    return (
        low,
        high,
        edges.similarity,
        lead_conflicts(every.leads, low, high),
        story_similarity(every.tfidf, every.vectors, low, high),
        shared_statement_scores(every.statements, low, high),
        story_date_damping(every.leads, every.days, low, high, STORY_DATE_WINDOW_DAYS),
    )


def ranks(n: int, low: np.ndarray, high: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's rank (0 = best) among the candidates of its low and of its high article."""
    rank_low, rank_high = np.zeros(len(low), dtype=np.int64), np.zeros(len(low), dtype=np.int64)
    ends = np.concatenate([low, high])
    order = np.lexsort((-np.concatenate([score, score]), ends))
    place = np.empty(len(ends), dtype=np.int64)
    starts = np.searchsorted(ends[order], np.arange(n))
    place[order] = np.arange(len(ends)) - starts[ends[order]]
    rank_low, rank_high = place[: len(low)], place[len(low) :]
    return rank_low, rank_high


def adjusted(test: str, w: float, m: int, pairs: tuple[np.ndarray, ...], n: int) -> np.ndarray:
    low, high, score, conflicts, similarity, shared, damping = pairs
    if test == "against without conflict":  # where the leads agree, no shared sentence is weaker evidence: x w
        shared = np.where((shared < 0) & (conflicts == 0), w * shared, shared)
        evidence = np.where(shared > 0, shared / (1 + conflicts), shared)
        return (similarity + evidence) * damping - CONFLICT_PENALTY * conflicts
    if test == "floor":  # the shared-statement evidence against one event counts down to -w only
        shared = np.maximum(shared, -w)
        evidence = np.where(shared > 0, shared / (1 + conflicts), shared)
        return (similarity + evidence) * damping - CONFLICT_PENALTY * conflicts
    rank_low, rank_high = ranks(n, low, high, score)
    if test == "mutual best":
        return score + w * ((rank_low == 0) & (rank_high == 0) & (conflicts == 0))
    if test == "outside top m":
        return score - w * ((rank_low >= m) & (rank_high >= m))
    return score


def f1(bundle: Bundle, pairs: tuple[np.ndarray, ...], scores: np.ndarray) -> float:
    n = len(bundle.articles)
    labels = AverageLinkage(StoryOptions().threshold).fit(n, pairs[0], pairs[1], scores).labels_
    story_of = {a.id: str(label) for a, label in zip(bundle.articles, labels.tolist())}
    return story_scores(bundle, story_of)["story_f1"]


def gates(test: str, w: float, m: int) -> None:
    """Every issue-13 figure of one cell (stories, then claims on those stories) per set and variant."""
    from bench.event_identity.metrics import claim_groups, claim_scores
    from compare.cluster import ClaimOptions, claim_evidence, claim_index

    columns = ["story_f1", "claims_one_event", "stories_with_claim", "pair_p", "pair_r", "cross_events"]
    print(f"{test} w {w} m {m}: " + " / ".join(columns))
    for variant in (DEFAULT_VARIANT, *VARIANTS):
        for name, bundle in bundles(variant).items():
            if name not in NAMES:
                continue
            pairs = candidate_pairs(bundle)
            n = len(bundle.articles)
            scores = adjusted(test, w, m, pairs, n)
            labels = AverageLinkage(StoryOptions().threshold).fit(n, pairs[0], pairs[1], scores).labels_
            story_of = {a.id: str(label) for a, label in zip(bundle.articles, labels.tolist())}
            found = story_scores(bundle, story_of)
            evidence = claim_evidence(bundle.articles, bundle.statements, labels)
            groups = claim_groups(
                bundle, claim_index(bundle.statements, bundle.vectors, ClaimOptions(), evidence).labels
            )
            found.update(claim_scores(bundle, groups))
            found["cross_events"] = sum(
                len({bundle.gold_story[bundle.statements[row].article_id] for row in members}) > 1 for members in groups
            )
            cells = " / ".join(f"{found[c]:.3f}" if c in found else "–" for c in columns)
            print(f"  {name} {variant}: {cells}")


def without_boilerplate() -> None:
    """Story F1 with the claims' boilerplate (``boilerplate_flags``) left out of the shared-sentence evidence."""
    from compare.cluster.boilerplate import boilerplate_flags
    from compare.cluster.shared import article_statements

    for variant in (DEFAULT_VARIANT, *VARIANTS):
        row = []
        for name, bundle in bundles(variant).items():
            if name not in NAMES:
                continue
            every, _ = article_rows(bundle.articles, bundle.statements, bundle.vectors)
            found = story_neighbours(every.rows, every, max(0, min(KNN_NEIGHBOURS, len(bundle.articles) - 1)))
            rows, cols = edges_from_neighbours(every.rows, found)
            kept = np.flatnonzero(~boilerplate_flags(bundle.statements))
            cleaned = every._replace(
                statements=article_statements(
                    bundle.articles, [bundle.statements[row] for row in kept.tolist()], bundle.vectors[kept]
                )
            )
            shipped, changed = (scored_story_pairs(rows, cols, chosen, StoryOptions()) for chosen in (every, cleaned))
            before = f1(bundle, (shipped.low, shipped.high), shipped.similarity)
            after = f1(bundle, (changed.low, changed.high), changed.similarity)
            row.append(f"{name} {before:.3f} -> {after:.3f}")
        print(f"{variant}: " + " | ".join(row))


def main() -> None:
    if sys.argv[1:] == ["boilerplate"]:
        without_boilerplate()
        return
    if len(sys.argv) == 4:
        gates(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
        return
    variants = (DEFAULT_VARIANT, *VARIANTS)
    prepared = {
        (variant, name): (bundle, candidate_pairs(bundle))
        for variant in variants
        for name, bundle in bundles(variant).items()
        if name in NAMES
    }
    cells = [("shipped", 0.0, 0), ("floor", 10.0, 0)]  # floor 10: the shipped score recomputed from its terms
    cells += [("floor", w, 0) for w in (0.0, 0.05, 0.1, 0.15, 0.2)]
    cells += [("against without conflict", w, 0) for w in (0.25, 0.5, 0.75, 0.9)]
    cells += [("mutual best", w, 0) for w in (0.05, 0.1, 0.15, 0.2)]
    cells += [("outside top m", w, m) for w in (0.05, 0.1, 0.2) for m in (1, 2, 3, 5)]
    print(
        "| test | w | m | "
        + " | ".join(f"{name} (default; torch; int8; alone)" for name in NAMES)
        + " | default margin | min margin |"
    )
    print("|---|---|---|" + "---|" * (len(NAMES) + 2))
    for test, w, m in cells:
        row, default_margin, min_margin = [], 1.0, 1.0
        for name in NAMES:
            found = []
            for variant in variants:
                bundle, pairs = prepared[variant, name]
                found.append(f1(bundle, pairs, adjusted(test, w, m, pairs, len(bundle.articles))))
            target = TARGETS["story_f1"][name]
            default_margin = min(default_margin, found[0] - target)
            min_margin = min(min_margin, min(found[1:]) - target)
            row.append("; ".join(f"{value:.3f}" for value in found))
        print(f"| {test} | {w} | {m} | " + " | ".join(row) + f" | {default_margin:+.3f} | {min_margin:+.3f} |")


if __name__ == "__main__":
    main()
