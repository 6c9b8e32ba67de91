"""Scores stories against gold story labels: B-cubed precision, recall and F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BCubed:
    """B-cubed scores (Bagga and Baldwin 1998) over the items both labelings cover."""

    precision: float
    recall: float
    f1: float
    items: int


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> BCubed:
    """B-cubed precision, recall and F1 of a clustering against gold clusters.

    Args:
        predicted: item -> predicted cluster.
        gold: item -> gold cluster; items missing from either mapping are ignored.

    Returns:
        The averaged per-item scores.
    """
    items = [item for item in predicted if item in gold]
    if not items:
        return BCubed(0.0, 0.0, 0.0, 0)
    pair_counts = Counter((predicted[item], gold[item]) for item in items)
    predicted_sizes = Counter(predicted[item] for item in items)
    gold_sizes = Counter(gold[item] for item in items)
    precision = sum(pair_counts[(predicted[i], gold[i])] / predicted_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(pair_counts[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(items))


def labels_from_groups(groups: Sequence[Sequence[str]]) -> dict[str, str]:
    """item -> group number, from lists of items."""
    return {item: str(number) for number, members in enumerate(groups) for item in members}
