"""Average linkage over a sparse similarity graph, one strong component at a time."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from compare.cluster.components import (
    Edges,
    Links,
    labels_from_roots,
    roots_from_links,
    split_by_component,
    strong_component_labels,
)

Groups = Sequence[int] | np.ndarray


class AverageLinkage:
    """Average-link agglomerative clustering over a sparse similarity graph (scikit-learn style).

    Pairs with no edge count as similarity 0, so a merge needs enough known, strong links between
    two groups; with every pair given this is exact average linkage. Memory and time grow with the
    number of edges, not with n squared.

    With a cap per group (``max_per_group`` and ``groups``), merges of two clusters of one and the same
    group only come after every merge across groups: a claim is what two reports state, and two
    statements of one article joined first (however close) would keep the second from a report that
    states it too. Two statements of one article no other report takes may still form a claim.
    """

    def __init__(self, threshold: float, max_per_group: int | None = None) -> None:
        self.threshold = threshold
        self.max_per_group = max_per_group
        self.labels_: np.ndarray = np.zeros(0, dtype=np.int64)
        self.components_: np.ndarray = np.zeros(0, dtype=np.int64)

    def fit(
        self,
        n: int,
        rows: np.ndarray,
        cols: np.ndarray,
        similarities: np.ndarray,
        groups: Groups | None = None,
    ) -> AverageLinkage:
        """Clusters n items given edges (rows[i], cols[i]) with their similarities.

        Args:
            n: number of items.
            rows, cols: edge end points (each undirected edge once or twice; duplicates keep the max).
            similarities: edge weights, higher is more similar.
            groups: a group per item (e.g. its article); with ``max_per_group`` set, no cluster
                takes more items than that from one group.

        Returns:
            self, with ``labels_`` holding a cluster number per item (numbered by first item) and
            ``components_`` the strong component of each (``strong_component_labels``).
        """
        self.components_ = strong_component_labels(n, rows, cols, similarities, self.threshold)
        links = self.link(self.components_, Edges(rows, cols, similarities), groups)
        self.labels_ = labels_from_roots(roots_from_links(n, [links]))
        return self

    def link(self, component: np.ndarray, edges: Edges, groups: Groups | None = None) -> Links:
        """Average linkage inside each strong component (``strong_component_labels``) that ``edges`` reach.

        Edges between components are ignored: they cannot change the result. So the components of
        a graph can be linked in separate calls (the Ray engine's partitions) and recombined with
        ``roots_from_links``.
        """
        items: list[int] = []
        leaders: list[int] = []
        for part in split_by_component(component, edges):
            for leader, members in self.merge_component(part.low, part.high, part.similarity, groups).items():
                items.extend(members)
                leaders.extend([leader] * len(members))
        return Links(np.array(items, dtype=np.int64), np.array(leaders, dtype=np.int64))

    def merge_component(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        similarities: np.ndarray,
        groups: Groups | None,
    ) -> dict[int, list[int]]:
        """Average linkage inside one component of the strong graph.

        Returns:
            leader -> members for every cluster of two or more items formed.
        """
        merging = _Merging(
            _symmetric_links(rows, cols, similarities), self.threshold, _GroupCaps(groups, self.max_per_group)
        )
        merging.drain(defer=True)
        merging.undefer()
        merging.drain(defer=False)
        return merging.members


class _Merging:
    """The state of average linkage in one component: links as sums over item pairs, cluster sizes, members."""

    def __init__(self, links: dict[int, dict[int, float]], threshold: float, caps: _GroupCaps) -> None:
        self.links, self.threshold, self.caps = links, threshold, caps
        self.size: dict[int, int] = defaultdict(lambda: 1)
        self.alive: set[int] = set(links)
        self.members: dict[int, list[int]] = {}
        self.deferred: list[tuple[int, int]] = []  # merges of one group only, held back (``AverageLinkage``)
        self.heap = [
            (-similarity, low, high)
            for low, targets in links.items()
            for high, similarity in targets.items()
            if low < high and similarity >= threshold
        ]
        heapq.heapify(self.heap)

    def average(self, left: int, right: int) -> float | None:
        """The average similarity of two live clusters (sum / (size * size)); None without a link."""
        total = self.links[left].get(right)
        return None if total is None else total / (self.size[left] * self.size[right])

    def drain(self, defer: bool) -> None:
        """Merges the closest pair while its average reaches the threshold (holding back one-group merges)."""
        while self.heap:
            negative, left, right = heapq.heappop(self.heap)
            if left not in self.alive or right not in self.alive:
                continue
            now = self.average(left, right)
            if now is None or abs(now + negative) > 1e-9:
                continue  # stale entry: the pair changed since it was pushed
            if self.caps.exceeded(left, right):
                continue  # would put too many items of one group (article) into one cluster
            if defer and self.caps.one_group(left, right):
                self.deferred.append((left, right))
                continue
            self.merge(left, right)

    def merge(self, left: int, right: int) -> None:
        if self.size[left] < self.size[right]:
            left, right = right, left
        self.caps.join(left, right)
        self.alive.discard(right)
        self.members.setdefault(left, [left]).extend(self.members.pop(right, [right]))
        _join_links(self.links, left, right)
        self.size[left] += self.size[right]
        for other in self.links[left]:
            self.push(left, other)

    def push(self, left: int, right: int) -> None:
        found = self.average(left, right)
        if found is not None and found >= self.threshold:
            low, high = (left, right) if left < right else (right, left)
            heapq.heappush(self.heap, (-found, low, high))

    def undefer(self) -> None:
        """The held-back merges of live clusters back on the heap, at their averages now."""
        for left, right in self.deferred:
            if left in self.alive and right in self.alive:
                self.push(left, right)
        self.deferred = []


def _symmetric_links(rows: np.ndarray, cols: np.ndarray, similarities: np.ndarray) -> dict[int, dict[int, float]]:
    """item -> other item -> similarity, both ways, self-pairs dropped, duplicates keeping the max."""
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for row, col, similarity in zip(rows.tolist(), cols.tolist(), similarities.tolist()):
        if row == col:
            continue
        if similarity > links[row].get(col, -math.inf):
            links[row][col] = similarity
            links[col][row] = similarity
    return links


def _join_links(links: dict[int, dict[int, float]], left: int, right: int) -> None:
    """Moves the links of ``right`` onto ``left``, adding the sums of shared neighbours."""
    for other, total in links.pop(right).items():
        del links[other][right]
        if other == left:
            continue
        merged = links[left].get(other, 0.0) + total
        links[left][other] = merged
        links[other][left] = merged


class _GroupCaps:
    """How many items of each group every cluster holds, when a cap per group applies."""

    def __init__(self, groups: Groups | None, limit: int | None) -> None:
        self.groups = groups
        self.limit = limit if groups is not None else None
        self.counts: dict[int, Counter[int]] = {}  # made on a cluster's first merge

    def _of(self, item: int) -> Counter[int]:
        if item not in self.counts:
            self.counts[item] = Counter([int(self.groups[item])])  # type: ignore[index]
        return self.counts[item]

    def exceeded(self, left: int, right: int) -> bool:
        if not self.limit:
            return False
        limit, mine = self.limit, self._of(left)
        return any(mine[group] + count > limit for group, count in self._of(right).items())

    def one_group(self, left: int, right: int) -> bool:
        """Whether both clusters hold items of one and the same group only (two statements of one article)."""
        if not self.limit:
            return False
        mine, theirs = self._of(left), self._of(right)
        return len(mine) == 1 and mine.keys() == theirs.keys()

    def join(self, left: int, right: int) -> None:
        if self.limit:
            self._of(left).update(self.counts.pop(right))
