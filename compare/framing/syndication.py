"""Syndication: articles that copy or lightly rewrite one another, and each story's independent origins."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import FramingIndex, ShingleIndex
from compare.framing.text import TOKEN_RE
from compare.model.documents import Article, Story
from compare.model.framing import Framing, SyndicatedPair

MAX_SHINGLE_HOLDERS = 50  # a word 5-gram in more articles than this is boilerplate, not copying
JACCARD = 0.5  # shingle overlap from which two articles are copies ...
CONTAINMENT = 0.8  # ... or share of the shorter one's shingles


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct word 5-gram shingles of a text (lower-cased words), as 64-bit hashes (stable across runs)."""
    words = [word.lower() for word in TOKEN_RE.findall(text)]
    if len(words) < 5:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    hashes = np.zeros(len(words) - 4, dtype=np.uint64)
    for offset in range(5):
        hashes = (hashes * np.uint64(1099511628211)) ^ ids[offset : len(words) - 4 + offset]
    return np.unique(hashes)


def _shingles(articles: Sequence[Article], first_row: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shingle hashes of articles, the row of each hash's article (from ``first_row``), and their counts."""
    found = [shingle_hashes(article.text) for article in articles]
    hashes = np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)
    sizes = np.array([len(item) for item in found], dtype=np.int64)
    owners = np.repeat(np.arange(first_row, first_row + len(found), dtype=np.int64), sizes)
    return hashes, owners, sizes


def shingle_index(articles: Sequence[Article]) -> ShingleIndex:
    """The shingle index of articles (see ``syndication``)."""
    hashes, owners, sizes = _shingles(articles, 0)
    order = np.argsort(hashes, kind="stable")
    return ShingleIndex(hashes[order], owners[order], sizes)


def _pairs_in_runs(hashes: np.ndarray, owners: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """(first, second) article pairs sharing a hash held by 2 .. MAX_SHINGLE_HOLDERS articles, once per shared hash."""
    if not len(hashes):
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], hashes[1:] != hashes[:-1]]))
    lengths = np.diff(np.concatenate([starts, [len(hashes)]]))
    blocks = []
    for length in range(2, MAX_SHINGLE_HOLDERS + 1):
        chosen = starts[lengths == length]
        if not len(chosen):
            continue
        members = owners[chosen[:, None] + np.arange(length)]
        first, second = np.triu_indices(length, k=1)
        pairs = np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1)
        blocks.append(pairs if keep is None else pairs[keep[pairs].any(axis=1)])
    return np.sort(np.concatenate(blocks), axis=1) if blocks else np.zeros((0, 2), dtype=np.int64)


def syndicated_pairs(articles: Sequence[Article], pairs: np.ndarray, sizes: np.ndarray) -> list[SyndicatedPair]:
    """The copies among article pairs, given each shared shingle once per pair (first row < second)."""
    if not len(pairs):
        return []
    keys, shared = np.unique(pairs[:, 0] * len(articles) + pairs[:, 1], return_counts=True)
    rows = []
    for key, count in zip(keys.tolist(), shared.tolist()):
        first, second = divmod(key, len(articles))
        union = int(sizes[first] + sizes[second]) - count
        overlap = count / union if union else 0.0
        containment = count / max(1, int(min(sizes[first], sizes[second])))
        if overlap >= JACCARD or containment >= CONTAINMENT:
            pair = (articles[first], articles[second])
            ids, outlets = (pair[0].id, pair[1].id), (pair[0].outlet, pair[1].outlet)
            rows.append(SyndicatedPair(ids, outlets, round(overlap, 3), round(containment, 3)))
    return rows


def syndication(articles: Sequence[Article], index: ShingleIndex | None = None) -> list[SyndicatedPair]:
    """Pairs of articles that copy or lightly rewrite one another (Jaccard of word 5-gram shingles).

    Shingles held by more than ``MAX_SHINGLE_HOLDERS`` articles are boilerplate and are left out.
    Candidate pairs come from the sorted shingle hashes, so the cost follows the shared shingles,
    not the square of the corpus.
    """
    index = index or shingle_index(articles)
    return syndicated_pairs(articles, _pairs_in_runs(index.hashes, index.owners), index.sizes)


def extend_shingle_index(index: ShingleIndex, articles: Sequence[Article]) -> tuple[ShingleIndex, list[SyndicatedPair]]:
    """The index with the added articles (``articles[len(index.sizes):]``) and their new syndication rows.

    Pairs of older articles are not looked at again (a shingle passing ``MAX_SHINGLE_HOLDERS``
    holders through an added article would lower their counts; a full run counts that).
    """
    n_old = len(index.sizes)
    new_hashes, new_owners, new_sizes = _shingles(articles[n_old:], n_old)
    # Only hashes an added article holds matter; take the old holders of those.
    wanted = np.unique(new_hashes)
    low = np.searchsorted(index.hashes, wanted, side="left")
    high = np.searchsorted(index.hashes, wanted, side="right")
    old_rows = np.concatenate([np.arange(lo, hi) for lo, hi in zip(low, high) if hi > lo] or [np.zeros(0, np.int64)])
    hashes = np.concatenate([index.hashes[old_rows], new_hashes])
    owners = np.concatenate([index.owners[old_rows], new_owners])
    order = np.lexsort((owners, hashes))
    keep = np.zeros(len(articles), dtype=bool)
    keep[n_old:] = True
    sizes = np.concatenate([index.sizes, new_sizes])
    rows = syndicated_pairs(articles, _pairs_in_runs(hashes[order], owners[order], keep), sizes)
    insert_at = np.searchsorted(index.hashes, new_hashes, side="right")
    extended = ShingleIndex(
        hashes=np.insert(index.hashes, insert_at, new_hashes),
        owners=np.insert(index.owners, insert_at, new_owners),
        sizes=sizes,
    )
    return extended, rows


def independent_origins(stories: Sequence[Story], syndicated: Sequence[SyndicatedPair]) -> dict[str, int]:
    """Per story, the number of articles once copies are counted with their originals."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.get(item, item) != item:
            item = parent[item]
        return item

    for row in syndicated:
        first, second = row.article_ids
        parent[find(second)] = find(first)
    return {story.id: len({find(article_id) for article_id in story.article_ids}) for story in stories}


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``syndication`` and ``independent_origins``; keeps the shingle index."""
    state.shingles = shingle_index(context.articles)
    rows = syndication(context.articles, state.shingles)
    return replace(framing, syndication=rows, independent_origins=independent_origins(context.stories, rows))


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The added articles' shingles indexed and their copies appended; pairs of older articles are kept as they were."""
    state.shingles, copies = extend_shingle_index(state.shingles, change.current.articles)
    rows = change.old.syndication + copies
    return replace(framing, syndication=rows, independent_origins=independent_origins(change.current.stories, rows))
