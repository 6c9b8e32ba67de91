"""How the shared-statement evidence of stories (compare/cluster/shared.py) was chosen: a grid scored on
all four corpora and both embedding backends at once, the cell kept that clears every target by the
largest margin, and leave-one-corpus-out (the cell chosen without a corpus, scored on it).

Usage (from the worktree root; about 10 minutes with the stores filled):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.shared_sweep
"""

from __future__ import annotations

import itertools

import numpy as np

from bench.event_identity import corpora
from bench.event_identity.corpora import Bundle
from compare.cluster import AverageLinkage, StoryOptions, article_statements
from compare.cluster.neighbours import edges_from_neighbours
from compare.cluster.stories import article_rows, scored_story_pairs, story_neighbours
from compare.evaluate import bcubed

TARGETS = {"basil": 0.98, "basil-stress": 0.95, "basil-undated": 0.95, "ecb": 0.90}
FIRST = (10, 20, 30)  # statements per article compared
SHARED_WEIGHTS = (0.0, 0.25, 0.5, 0.75)
SHARED_BASES = (0.1, 0.2, 0.3)
CLOSEST_WEIGHTS = (0.0, 0.5, 1.0)
CLOSEST_BASES = (0.6, 0.65)


def _features(bundle: Bundle, first: int, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: share of statements with a counterpart at cosine >= 0.6, mean of the three closest pairs."""
    statements = [s for s in bundle.statements if s.index < first]
    rows = [row for row, s in enumerate(bundle.statements) if s.index < first]
    found = article_statements(bundle.articles, statements, bundle.vectors[rows])
    share, closest = np.zeros(len(low)), np.zeros(len(low))
    for pair, (a, b) in enumerate(zip(low.tolist(), high.tolist())):
        one = found.vectors[found.offsets[a] : found.offsets[a + 1]]
        other = found.vectors[found.offsets[b] : found.offsets[b + 1]]
        if len(one) and len(other):
            cosines = one @ other.T
            share[pair] = 0.5 * ((cosines.max(axis=1) >= 0.6).mean() + (cosines.max(axis=0) >= 0.6).mean())
            closest[pair] = np.sort(cosines.ravel())[-3:].mean()
    return share, closest


def prepared(bundle: Bundle) -> dict:
    """The candidate pairs scored without the shared term (dates undamped for it: a sweep, not the product)."""
    n = len(bundle.articles)
    every = article_rows(bundle.articles, bundle.statements, bundle.vectors)[0]._replace(statements=None)
    found = story_neighbours(every.rows, every, min(StoryOptions().neighbours, n - 1))
    edges = scored_story_pairs(*edges_from_neighbours(every.rows, found), every, StoryOptions(shared_weight=0))
    features = {first: _features(bundle, first, edges.low, edges.high) for first in FIRST}
    return {
        "n": n,
        "edges": edges,
        "features": features,
        "gold": bundle.gold_story,
        "ids": [a.id for a in bundle.articles],
    }


def f1(data: dict, cell: tuple) -> float:
    first, shared_weight, shared_base, closest_weight, closest_base = cell
    share, closest = data["features"][first]
    edges = data["edges"]
    weights = edges.similarity + shared_weight * (share - shared_base) + closest_weight * (closest - closest_base)
    labels = (
        AverageLinkage(StoryOptions().threshold)
        .fit(data["n"], edges.low, edges.high, weights.astype(np.float32))
        .labels_
    )
    return bcubed({i: str(label) for i, label in zip(data["ids"], labels.tolist())}, data["gold"]).f1


def main() -> None:
    data = {key: prepared(bundle) for key, bundle in corpora.every_corpus_and_backend().items()}
    cells = [
        cell
        for cell in itertools.product(FIRST, SHARED_WEIGHTS, SHARED_BASES, CLOSEST_WEIGHTS, CLOSEST_BASES)
        if not (cell[1] == 0 and cell[2] != 0.2) and not (cell[3] == 0 and cell[4] != 0.6)
    ]
    scores = {cell: {name: f1(d, cell) for name, d in data.items()} for cell in cells}

    def margin(cell: tuple, names: list[str]) -> float:
        return min(scores[cell][name] - TARGETS[name.split()[0]] for name in names)

    names = list(data)
    print("| first, shared weight, shared base, closest weight, closest base | " + " | ".join(names) + " | margin |")
    print("|---|" + "---|" * (len(names) + 1))
    for cell in sorted(cells, key=lambda cell: -margin(cell, names))[:10]:
        print(f"| {cell} | " + " | ".join(f"{scores[cell][n]:.3f}" for n in names) + f" | {margin(cell, names):+.3f} |")
    print("\nleave one corpus out (both backends of it held out):")
    for held in TARGETS:
        kept = [name for name in names if name.split()[0] != held]
        cell = max(cells, key=lambda cell: margin(cell, kept))
        print(
            f"| without {held} | {cell} | "
            + " | ".join(f"{scores[cell][n]:.3f}" for n in names if n.split()[0] == held)
            + " |"
        )


if __name__ == "__main__":
    main()
