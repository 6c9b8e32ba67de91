"""CPU seconds of the shared-statement features: the loop per pair that shipped before (kept here as the
reference) against compare.cluster.shared's blocks, on BASIL's candidate pairs and on 100,000 random pairs.

Usage (from the worktree root; the bundle comes from the events store):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.shared_cost
"""

from __future__ import annotations

import time

import numpy as np

from bench.event_identity.corpora import load_basil
from compare.cluster import StoryOptions, article_statements
from compare.cluster.anchors import unique_pairs
from compare.cluster.neighbours import edges_from_neighbours
from compare.cluster.shared import SHARED_COSINE, ArticleStatements, shared_statements
from compare.cluster.stories import article_rows, story_neighbours


def loop_per_pair(found: ArticleStatements, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The features as main computed them up to da55cec: one 20 x 20 product per pair in a Python loop."""
    share, closest = np.zeros(len(low)), np.zeros(len(low))
    offsets, vectors = found.offsets, found.vectors
    for pair, (first, second) in enumerate(zip(low.tolist(), high.tolist())):
        one = vectors[offsets[first] : offsets[first + 1]]
        other = vectors[offsets[second] : offsets[second + 1]]
        if not len(one) or not len(other):
            continue
        cosines = one @ other.T
        share[pair] = 0.5 * (
            float((cosines.max(axis=1) >= SHARED_COSINE).mean()) + float((cosines.max(axis=0) >= SHARED_COSINE).mean())
        )
        flat = cosines.ravel()
        closest[pair] = float((np.partition(flat, len(flat) - 3)[-3:] if len(flat) > 3 else flat).mean())
    return share, closest


def main() -> None:
    bundle = load_basil()
    n = len(bundle.articles)
    every = article_rows(bundle.articles, bundle.statements, bundle.vectors)[0]._replace(leads=(), statements=None)
    low, high = unique_pairs(
        *edges_from_neighbours(every.rows, story_neighbours(every.rows, every, StoryOptions().neighbours))
    )
    found = article_statements(bundle.articles, bundle.statements, bundle.vectors)
    rng = np.random.default_rng(0)
    cases = [("BASIL candidates", low, high)] * 3 + [
        ("random", rng.integers(0, n, 100_000), rng.integers(0, n, 100_000))
    ] * 2
    for name, first, second in cases:
        started = time.process_time()
        share, closest = loop_per_pair(found, first, second)
        middle = time.process_time()
        blocks = shared_statements(found, first, second)
        ended = time.process_time()
        same = np.allclose(share, blocks.share) and np.allclose(closest, blocks.closest, atol=1e-6)
        print(
            f"{name}, {len(first):,} pairs: loop {middle - started:.2f} s CPU, blocks {ended - middle:.2f} s CPU, "
            f"ratio {(ended - middle) / (middle - started):.2f}, same features: {same}"
        )


if __name__ == "__main__":
    main()
