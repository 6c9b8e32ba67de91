"""Scores of stories and claims against gold events (BASIL, stress variants) and gold event chains (ECB+)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from bench.event_identity.corpora import Bundle
from compare.evaluate import bcubed


def story_scores(bundle: Bundle, story_of: dict[str, str]) -> dict[str, float]:
    """B-cubed P/R/F1 of article -> story against the gold story."""
    result = bcubed(story_of, bundle.gold_story)
    return {
        "story_p": result.precision,
        "story_r": result.recall,
        "story_f1": result.f1,
        "stories": float(len(set(story_of.values()))),
    }


def claim_groups(bundle: Bundle, labels: np.ndarray) -> list[list[int]]:
    """Statement rows per claim: clusters of two or more statements."""
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(np.asarray(labels).tolist()):
        groups[label].append(row)
    return [members for members in groups.values() if len(members) >= 2]


def claim_scores(bundle: Bundle, claims: Sequence[Sequence[int]]) -> dict[str, float]:
    """Cross-outlet claims within one gold event, coverage of multi-outlet gold stories, and
    (ECB+) pairwise P/R and B-cubed against event chains as the corpus README defines them."""
    statements = bundle.statements
    gold = bundle.gold_story
    cross = [m for m in claims if len({statements[r].outlet for r in m}) >= 2]
    pure = [m for m in cross if len({gold[statements[r].article_id] for r in m}) == 1]
    story_outlets: dict[str, set[str]] = defaultdict(set)
    for article in bundle.articles:
        story_outlets[gold[article.id]].add(article.outlet)
    multi = {s for s, outlets in story_outlets.items() if len(outlets) >= 2}
    covered_pure = {gold[statements[m[0]].article_id] for m in pure}
    covered_any: set[str] = set()
    for members in cross:
        by_story: dict[str, set[str]] = defaultdict(set)
        for r in members:
            by_story[gold[statements[r].article_id]].add(statements[r].outlet)
        covered_any.update(s for s, outlets in by_story.items() if len(outlets) >= 2)
    scores = {
        "claims_cross": float(len(cross)),
        "claims_one_event": len(pure) / max(1, len(cross)),
        "stories_with_claim": len(covered_pure & multi) / max(1, len(multi)),
        "stories_with_claim_any": len(covered_any & multi) / max(1, len(multi)),
    }
    if bundle.statement_events:
        scores.update(ecb_claim_scores(bundle, claims))
    return scores


def ecb_claim_scores(bundle: Bundle, claims: Sequence[Sequence[int]]) -> dict[str, float]:
    """Pairwise precision/recall and B-cubed over annotated sentences (ECB+ README).

    Statements stand for the annotated sentences they cover; a statement covering several is
    scored with the union of their chains (rare: statements and sentences mostly coincide).
    """
    statements = bundle.statements
    events = bundle.statement_events
    annotated = [r for r, s in enumerate(statements) if events.get(s.id) is not None]
    doc = {r: statements[r].article_id for r in annotated}
    chains = {r: events[statements[r].id] for r in annotated}
    gold_pairs = {
        (a, b)
        for a, b in itertools.combinations(annotated, 2)
        if doc[a] != doc[b] and chains[a] & chains[b]  # type: ignore[operator]
    }
    claim_of: dict[int, int] = {}
    for number, members in enumerate(claims):
        if len({statements[r].article_id for r in members}) < 2:
            continue
        for r in members:
            claim_of[r] = number
    predicted_pairs = set()
    for members in claims:
        inside = sorted(r for r in members if r in chains)
        for a, b in itertools.combinations(inside, 2):
            if doc[a] != doc[b]:
                predicted_pairs.add((a, b))
    true_positive = len(predicted_pairs & gold_pairs)
    precision = true_positive / max(1, len(predicted_pairs))
    recall = true_positive / max(1, len(gold_pairs))
    # B-cubed: partners = annotated sentences of other documents in one claim, itself included.
    predicted_partners: dict[int, set[int]] = {r: {r} for r in annotated}
    gold_partners: dict[int, set[int]] = {r: {r} for r in annotated}
    for a, b in predicted_pairs:
        predicted_partners[a].add(b)
        predicted_partners[b].add(a)
    for a, b in gold_pairs:
        gold_partners[a].add(b)
        gold_partners[b].add(a)
    b_p = float(
        np.mean([len(predicted_partners[r] & gold_partners[r]) / len(predicted_partners[r]) for r in annotated])
    )
    b_r = float(np.mean([len(predicted_partners[r] & gold_partners[r]) / len(gold_partners[r]) for r in annotated]))
    return {
        "pair_p": precision,
        "pair_r": recall,
        "pair_f1": 2 * precision * recall / max(1e-9, precision + recall),
        "pairs_predicted": float(len(predicted_pairs)),
        "pairs_gold": float(len(gold_pairs)),
        "claim_b3_p": b_p,
        "claim_b3_r": b_r,
        "claim_b3_f1": 2 * b_p * b_r / max(1e-9, b_p + b_r),
    }
