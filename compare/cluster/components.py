"""Edges, connected components of the strong graph, and cluster numbers from cluster leaders."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


class Edges(NamedTuple):
    """Scored pairs of items: (low[i], high[i]) with similarity[i]."""

    low: np.ndarray
    high: np.ndarray
    similarity: np.ndarray


class Links(NamedTuple):
    """The cluster leader of every item that joined a cluster (items alone are left out)."""

    items: np.ndarray
    leaders: np.ndarray


def strong_edges(edges: Edges, threshold: float) -> Edges:
    """The edges at or above ``threshold`` (the strong graph)."""
    strong = edges.similarity >= threshold
    return Edges(edges.low[strong], edges.high[strong], edges.similarity[strong])


def component_labels(n: int, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The connected component of every one of n items in the graph of the given edges."""
    graph = coo_matrix((np.ones(len(low), dtype=np.int8), (low, high)), shape=(n, n))
    return np.asarray(connected_components(graph, directed=False)[1], dtype=np.int64)


def strong_component_labels(
    n: int, rows: np.ndarray, cols: np.ndarray, similarities: np.ndarray, threshold: float
) -> np.ndarray:
    """The connected component of every item in the graph of edges at or above ``threshold``.

    Two groups with no edge at or above the threshold between them average below it, so average
    linkage never merges them: clusters stay inside these components, and each component can be
    clustered on its own, with the edges between components dropped.
    """
    strong = strong_edges(Edges(rows, cols, similarities), threshold)
    return component_labels(n, strong.low, strong.high)


def within_components(component: np.ndarray, edges: Edges) -> Edges:
    """The edges whose two ends lie in the same component."""
    inside = component[edges.low] == component[edges.high]
    return Edges(edges.low[inside], edges.high[inside], edges.similarity[inside])


def split_by_component(component: np.ndarray, edges: Edges) -> Iterator[Edges]:
    """The edges inside each component, one component at a time (edges between components dropped)."""
    inside = within_components(component, edges)
    order = np.argsort(component[inside.low], kind="stable")
    low, high, similarity = inside.low[order], inside.high[order], inside.similarity[order]
    borders = np.flatnonzero(np.diff(component[low])) + 1
    for first, last in zip(np.concatenate([[0], borders]), np.concatenate([borders, [len(low)]])):
        if last > first:
            yield Edges(low[first:last], high[first:last], similarity[first:last])


def roots_from_links(n: int, parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Every item's cluster leader (itself when alone), from the (items, leaders) of each partition."""
    root = np.arange(n)
    for items, leaders in parts:
        root[items] = leaders
    return root


def labels_from_roots(root: np.ndarray) -> np.ndarray:
    """Cluster numbers 0, 1, ... from a root item per item, numbered by each cluster's first item."""
    _, first_index, inverse = np.unique(root, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first_index))
    return np.asarray(order[inverse], dtype=np.int64)


def touched_members(components: np.ndarray, touched: np.ndarray, n: int) -> np.ndarray:
    """Every old row in a component with a touched row, then the added rows (``len(components)`` .. n - 1).

    Rows are added to a clustered corpus this way: only these components can change, and
    clustering them again with the added rows gives what clustering everything would.
    """
    hit = np.unique(components[touched]) if len(touched) else np.zeros(0, dtype=np.int64)
    old = np.flatnonzero(np.isin(components, hit))
    return np.concatenate([old, np.arange(len(components), n, dtype=np.int64)])


def relabelled(old: np.ndarray, members: np.ndarray, fresh: np.ndarray, n: int) -> np.ndarray:
    """Old numbers kept, the members numbered ``fresh`` after the largest old number."""
    labels = np.concatenate([old, np.zeros(n - len(old), dtype=np.int64)])
    labels[members] = (int(old.max()) + 1 if len(old) else 0) + fresh
    return labels


def local_edges(rows: np.ndarray, cols: np.ndarray, members: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The edges (rows[i], cols[i]) between members, numbered by position in ``members``."""
    local = np.full(n, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    keep = (local[rows] >= 0) & (local[cols] >= 0)
    return local[rows[keep]], local[cols[keep]]


def label_runs(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows grouped by label: (rows in label order, rows of one label in row order; where each label's run
    starts in it; each run's length)."""
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])) if len(labels) else order[:0]
    return order, starts, np.diff(np.concatenate([starts, [len(labels)]]))


def regrouped(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Which items have a different set of fellow members under ``after`` than under ``before`` (same items): those
    whose group before holds items of two groups after (it split) or whose group after holds items of two groups
    before (it merged), found from the smallest and largest label of each group (no sort of 251,000 labels)."""
    if not len(before):
        return np.zeros(0, dtype=bool)
    old, new = _group_numbers(np.asarray(before)), _group_numbers(np.asarray(after))
    return _mixed(old, new)[old] | _mixed(new, old)[new]


def _group_numbers(labels: np.ndarray) -> np.ndarray:
    """Labels as group numbers from 0: shifted when they are integers over a range not much wider than the items
    (story and claim labels), else numbered in sorted order."""
    if labels.dtype.kind in "iu" and int(labels.max()) - int(labels.min()) <= 4 * len(labels):
        return (labels.astype(np.int64) - int(labels.min())).astype(np.int64)
    return np.unique(labels, return_inverse=True)[1].reshape(-1).astype(np.int64)


def _mixed(groups: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Per group number: whether its items carry more than one of ``others``."""
    size = int(groups.max()) + 1
    lowest = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    highest = np.full(size, -1, dtype=np.int64)
    np.minimum.at(lowest, groups, others)
    np.maximum.at(highest, groups, others)
    return lowest != highest
