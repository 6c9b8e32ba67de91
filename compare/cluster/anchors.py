"""Anchors: the rare names, places and numbers two statements share, and the claim bonus they give."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from compare.model.documents import Statement

# An anchor named in more than 21 articles (weight below 0.05) or by more than 64 statements adds
# too little to pay for its quadratic number of pairs.
MIN_ANCHOR_WEIGHT = 0.05
MAX_ANCHOR_POSTINGS = 64
_NUMBER_LABELS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
_ANCHOR_LABELS = {
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "LOC",
    "FAC",
    "EVENT",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
} | _NUMBER_LABELS


class Pairs(NamedTuple):
    """Statement pairs (low[i] < high[i]), each once, ascending, with the anchor bonus of each."""

    low: np.ndarray
    high: np.ndarray
    bonus: np.ndarray


def no_pairs() -> Pairs:
    return Pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


def statement_anchors(statement: Statement) -> frozenset[str]:
    """Names, places and numbers a statement mentions, normalised ("nearly 100,000" -> "100000")."""
    anchors = set()
    for text, label in statement.entities:
        if label not in _ANCHOR_LABELS:
            continue
        if label in _NUMBER_LABELS:
            digits = re.sub(r"[^\d]", "", text)
            if len(digits) >= 2:
                anchors.add(digits)
            continue
        name = anchor_name(text)
        if name:
            anchors.add(name)
    return frozenset(anchors)


def anchor_name(text: str) -> str:
    """The anchor of a named entity's text: lower case, without a leading article or possessive."""
    return re.sub(r"^(the|a|an)\s+", "", text.lower()).replace("’s", "").replace("'s", "").strip()


def anchor_weight(articles: int) -> float:
    """The bonus of an anchor named in this many articles.

    A name shared by exactly two articles is strong evidence that they tell the same thing; each
    further article that mentions it halves, then thirds ... that evidence.
    """
    return 1.0 / max(1, articles - 1)


def is_rare(articles: int, statements: int) -> bool:
    """Whether an anchor named in this many articles, by this many statements, gives pairs."""
    return anchor_weight(articles) >= MIN_ANCHOR_WEIGHT and 1 < statements <= MAX_ANCHOR_POSTINGS


def pairs_from_postings(postings: Iterable[tuple[np.ndarray, float]], article_of: np.ndarray) -> Pairs:
    """Pairs of statements from different articles that share an anchor, with the rarest one's weight.

    Args:
        postings: (statements naming the anchor, its weight) for each rare anchor (``is_rare``).
        article_of: the article number of every statement, indexed like the postings' rows.
    """
    low_blocks, high_blocks, bonus_blocks = [], [], []
    for holders, weight in postings:
        first, second = np.triu_indices(len(holders), k=1)
        keep = article_of[holders[first]] != article_of[holders[second]]
        low_blocks.append(holders[first][keep])
        high_blocks.append(holders[second][keep])
        bonus_blocks.append(np.full(int(keep.sum()), weight, dtype=np.float32))
    if not low_blocks:
        return no_pairs()
    return strongest_per_pair(np.concatenate(low_blocks), np.concatenate(high_blocks), np.concatenate(bonus_blocks))


def strongest_per_pair(rows: np.ndarray, cols: np.ndarray, bonus: np.ndarray) -> Pairs:
    """Each undirected pair once as (low, high), ascending, with its largest bonus (the rarest shared anchor)."""
    if not len(rows):
        return no_pairs()
    width = int(max(rows.max(), cols.max())) + 1
    keys = np.minimum(rows, cols).astype(np.int64) * width + np.maximum(rows, cols)
    order = np.lexsort((-bonus, keys))  # per pair, the largest bonus first
    keys, bonus = keys[order], bonus[order]
    first_of_key = np.ones(len(keys), dtype=bool)
    first_of_key[1:] = keys[1:] != keys[:-1]
    keys, bonus = keys[first_of_key], bonus[first_of_key]
    return Pairs(keys // width, keys % width, bonus)


def unique_pairs(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each undirected pair once (low, high), ascending, self-pairs and missing neighbours (-1) dropped."""
    valid = (rows != cols) & (rows >= 0) & (cols >= 0)
    low, high = np.minimum(rows[valid], cols[valid]), np.maximum(rows[valid], cols[valid])
    if not len(low):
        return low.astype(np.int64), high.astype(np.int64)
    width = int(high.max()) + 1
    keys = np.unique(low.astype(np.int64) * width + high)
    return keys // width, keys % width


def lookup_bonus(low: np.ndarray, high: np.ndarray, anchors: Pairs) -> np.ndarray:
    """The anchor bonus of each (low, high) pair: found among the anchor pairs, else 0."""
    bonus = np.zeros(len(low), dtype=np.float32)
    if not len(anchors.low) or not len(low):
        return bonus
    width = int(max(high.max(), anchors.high.max())) + 1
    anchor_keys = anchors.low * width + anchors.high  # ascending: pairs are sorted and unique
    keys = low * width + high
    position = np.clip(np.searchsorted(anchor_keys, keys), 0, len(anchor_keys) - 1)
    found = anchor_keys[position] == keys
    bonus[found] = anchors.bonus[position[found]]
    return bonus


class AnchorIndex(NamedTuple):
    """Where each anchor is named: its statements (rows) and the number of articles naming it."""

    rows: dict[str, list[int]]
    articles: dict[str, int]


def anchor_index(anchors: Sequence[frozenset[str]], article_of: np.ndarray) -> AnchorIndex:
    """The anchor index of statements with these anchors and article numbers."""
    rows: dict[str, list[int]] = defaultdict(list)
    for row, found in enumerate(anchors):
        for anchor in found:
            rows[anchor].append(row)
    articles = {anchor: len({int(article_of[row]) for row in holders}) for anchor, holders in rows.items()}
    return AnchorIndex(dict(rows), articles)


def rare_postings(index: AnchorIndex, anchors: Iterable[str]) -> Iterable[tuple[np.ndarray, float]]:
    """(statements, weight) of each of ``anchors`` that is rare (``is_rare``) in the indexed corpus."""
    for anchor in anchors:
        holders, articles = index.rows[anchor], index.articles[anchor]
        if is_rare(articles, len(holders)):
            yield np.array(holders, dtype=np.int64), anchor_weight(articles)


def extend_anchor_index(
    index: AnchorIndex, added: Sequence[frozenset[str]], first_row: int, article_of: np.ndarray
) -> tuple[AnchorIndex, set[int]]:
    """The index with statements ``first_row``, ``first_row + 1`` ... added (``index`` is left as it was).

    Returns:
        The new index, and the old statements sharing an anchor whose weight changes (their anchor
        pairs lose weight, or go).
    """
    rows = dict(index.rows)  # the lists of the added anchors are copied below, not changed
    articles = dict(index.articles)
    named_by: dict[str, set[int]] = defaultdict(set)
    for row, found in enumerate(added, start=first_row):
        for anchor in found:
            named_by[anchor].add(int(article_of[row]))
    touched: set[int] = set()
    for anchor, naming in named_by.items():
        before = articles.get(anchor, 0)
        holders = rows[anchor] = list(rows.get(anchor, ()))
        if before and anchor_weight(before) >= MIN_ANCHOR_WEIGHT:
            touched.update(holders)
        articles[anchor] = before + len(naming)
    for row, found in enumerate(added, start=first_row):
        for anchor in found:
            rows[anchor].append(row)
    return AnchorIndex(rows, articles), touched
