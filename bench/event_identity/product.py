"""Method B as shipped: the product's story and claim functions (compare.cluster) on the evaluation corpora.

Usage (from the worktree root):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.product [basil basil-stress basil-undated ecb]
"""

from __future__ import annotations

import sys
import time

from bench.event_identity.corpora import Bundle, load
from bench.event_identity.metrics import claim_groups, claim_scores, story_scores
from bench.event_identity.score import CORPORA, print_table
from compare.cluster import ClaimOptions, StoryOptions, claim_evidence, claim_index, story_index


def shipped(bundle: Bundle) -> dict[str, float]:
    """Stories and claims as ``compare.engines.local`` makes them, scored; with the clustering seconds."""
    started = time.perf_counter()
    stories = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    evidence = claim_evidence(bundle.articles, bundle.statements, stories.labels)
    claims = claim_index(bundle.statements, bundle.vectors, ClaimOptions(), evidence)
    seconds = time.perf_counter() - started
    story_of = {a.id: str(label) for a, label in zip(bundle.articles, stories.labels.tolist())}
    scores = story_scores(bundle, story_of)
    scores.update(claim_scores(bundle, claim_groups(bundle, claims.labels)))
    scores["seconds"] = seconds
    return scores


def main() -> None:
    names = sys.argv[1:] or CORPORA
    print_table([("shipped B", name, shipped(load(name))) for name in names])


if __name__ == "__main__":
    main()
