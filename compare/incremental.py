"""Adding articles to an analysis: only the new statements are embedded, only what they touch is re-clustered.

Claims: average linkage works inside each connected component of the strong graph (edges at or
above the threshold; see ``cluster.AverageLinkage``). An added statement changes the graph only
through its own edges, the neighbour lists it enters and the weights of the anchors it names, so
re-clustering the old components those changes touch, with the added statements, gives the claims
a full run would give with the same neighbour lists (exactly so up to 50,000 statements, where the
full run's neighbour search is exact too). Every other component keeps its clusters.

Stories: the same, over the article graph (nearest articles by mean embedding and by TF-IDF); the
older articles keep the term weights of their run (see ``extend_story_index``).

Framing: ``compare.framing.extend_framing`` runs each framing signal's ``extend``.

The index is saved next to analysis.json (``write_index``, called by ``pipeline.save_analysis``) so
that ``analyze --out`` can add files to an earlier run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.sparse import vstack

from compare.cluster import (
    AverageLinkage,
    ClaimIndex,
    ClaimOptions,
    StoryIndex,
    StoryOptions,
    anchor_weight,
    article_days,
    article_term_counts,
    article_vectors,
    document_frequencies,
    edges_from_knn,
    lookup_bonus,
    pair_cosines,
    statement_anchors,
    story_similarity,
    strong_component_labels,
    strongest_per_pair,
    unique_pairs,
    weigh_terms,
)
from compare.framing.state import FramingIndex, ShingleIndex
from compare.model.documents import Article, Statement

if TYPE_CHECKING:
    from pathlib import Path

    from compare.pipeline import AnalysisIndex

_BLOCK_ROWS = 65_536  # rows of the stored vectors scored against the added ones at a time
_MIN_BONUS = 0.05  # as ``cluster.anchor_edges``
_MAX_POSTINGS = 64


@dataclass(frozen=True)
class ClaimUpdate:
    """What adding statements re-clustered (for progress reports and benchmarks)."""

    added: int
    reclustered: int  # statements in the touched components, the added ones included


BlockScores = Callable[[int, int], np.ndarray]


def extend_neighbour_lists(
    neighbours: np.ndarray, similarities: np.ndarray, n: int, k: int, block_scores: BlockScores
) -> tuple[np.ndarray, np.ndarray, set[int]]:
    """Nearest-neighbour lists of one view, grown by the rows ``len(neighbours)`` .. ``n - 1`` (exact).

    Args:
        neighbours, similarities: the old rows' lists, -1 where short (any width up to k).
        n: the number of rows with the added ones.
        k: the list length wanted.
        block_scores: (first, last) -> similarities of every added row to rows first..last-1,
            shape (added, last - first).

    Returns:
        The lists of all n rows, most similar first (-1 / 0 where short), and the old rows whose
        list took an added row.
    """
    n_old = len(neighbours)
    added = np.arange(n_old, n, dtype=np.int64)
    all_neighbours = np.full((n, k), -1, dtype=np.int64)
    all_similarities = np.full((n, k), -np.inf, dtype=np.float32)
    old_neighbours, old_similarities = all_neighbours[:n_old], all_similarities[:n_old]  # views, filled in place
    width = min(k, neighbours.shape[1])
    old_neighbours[:, :width] = neighbours[:, :width]
    old_similarities[:, :width] = np.where(neighbours[:, :width] >= 0, similarities[:, :width], -np.inf)
    new_neighbours = np.full((len(added), k), -1, dtype=np.int64)
    new_similarities = np.full((len(added), k), -np.inf, dtype=np.float32)
    entered: set[int] = set()
    for first in range(0, n if k else 0, _BLOCK_ROWS):
        last = min(n, first + _BLOCK_ROWS)
        scores = np.array(block_scores(first, last), dtype=np.float32)
        own = (added >= first) & (added < last)
        scores[np.flatnonzero(own), added[own] - first] = -np.inf
        # The added rows' running top k.
        candidates = np.concatenate([new_neighbours, np.broadcast_to(np.arange(first, last), scores.shape)], 1)
        candidate_scores = np.concatenate([new_similarities, scores], axis=1)
        best = np.argpartition(-candidate_scores, k - 1, axis=1)[:, :k]
        best = np.take_along_axis(best, np.argsort(-np.take_along_axis(candidate_scores, best, 1), 1), 1)
        new_neighbours = np.take_along_axis(candidates, best, axis=1)
        new_similarities = np.take_along_axis(candidate_scores, best, axis=1)
        # Old rows of this block whose list an added row enters.
        old_last = min(last, n_old)
        if first >= old_last:
            continue
        against = scores[:, : old_last - first].T  # (old rows, added)
        worst = old_similarities[first:old_last, -1]
        for offset in np.flatnonzero((against > worst[:, None]).any(axis=1)):
            row = first + int(offset)
            merged_rows = np.concatenate([old_neighbours[row], added])
            merged_scores = np.concatenate([old_similarities[row], against[offset]])
            order = np.argsort(-merged_scores, kind="stable")[:k]
            old_neighbours[row], old_similarities[row] = merged_rows[order], merged_scores[order]
            entered.add(row)
    all_neighbours[n_old:], all_similarities[n_old:] = new_neighbours, new_similarities
    missing = ~np.isfinite(all_similarities)
    all_neighbours[missing] = -1
    all_similarities[missing] = 0.0
    return all_neighbours, all_similarities, entered


def touched_members(components: np.ndarray, touched: set[int], n: int) -> np.ndarray:
    """Every old row in a component with a touched row, then the added rows (``len(components)`` .. n - 1)."""
    if touched:
        hit = np.unique(components[np.fromiter(touched, dtype=np.int64, count=len(touched))])
        old = np.flatnonzero(np.isin(components, hit))
    else:
        old = np.zeros(0, dtype=np.int64)
    return np.concatenate([old, np.arange(len(components), n, dtype=np.int64)])


def local_knn_edges(neighbours: np.ndarray, members: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The neighbour-list edges between members, numbered by position in ``members``, and that numbering."""
    local = np.full(n, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    member_neighbours = neighbours[members]
    local_neighbours = np.where(member_neighbours >= 0, local[np.maximum(member_neighbours, 0)], -1)
    rows, cols, _ = edges_from_knn(local_neighbours, np.zeros(local_neighbours.shape, dtype=np.float32))
    return rows, cols, local


def _relabel(old: np.ndarray, members: np.ndarray, fresh: np.ndarray, n: int) -> np.ndarray:
    """Old numbers kept, the members renumbered after the largest old number."""
    labels = np.concatenate([old, np.zeros(n - len(old), dtype=np.int64)])
    labels[members] = (int(old.max()) + 1 if len(old) else 0) + fresh
    return labels


# ---------------------------------------------------------------- stories


def extend_story_index(
    index: StoryIndex,
    articles: Sequence[Article],
    added_statements: Sequence[Statement],
    added_vectors: np.ndarray,
    options: StoryOptions | None = None,
) -> tuple[StoryIndex, int]:
    """The story index of ``articles`` (the indexed ones first, then the added ones).

    The added articles are weighed with the document frequencies of the whole corpus, theirs
    included; the stored articles keep the weights they had. The one difference from a full run
    is thus that older articles' term weights do not follow the document frequencies as they grow
    (by one article in 10,000, a relative change of about 1e-4); a full run re-weighs them all.

    Args:
        index: the story index of ``articles[:n_old]``, made with the same options; left as it was.
        articles: every article, the added ones last.
        added_statements, added_vectors: the statements of the added articles and their embeddings.

    Returns:
        The new index (its ``labels`` are the stories) and the number of articles re-clustered.
    """
    options = options or StoryOptions()
    n_old, n = len(index.labels), len(articles)
    new_articles = articles[n_old:]
    counts = article_term_counts(new_articles)
    frequencies = index.frequencies + document_frequencies(counts)
    new_tfidf = weigh_terms(counts, frequencies, n)
    tfidf = vstack([index.tfidf, new_tfidf]).tocsr() if n_old else new_tfidf
    new_vectors = article_vectors(new_articles, added_statements, added_vectors)
    vectors = np.vstack([index.vectors, new_vectors]) if n_old else new_vectors
    days = np.concatenate([index.days, article_days(new_articles)])
    k_old, k = index.neighbours.shape[1] // 2, max(0, min(options.neighbours, n - 1))
    embedded_lists = extend_neighbour_lists(
        index.neighbours[:, :k_old],
        index.neighbour_similarities[:, :k_old],
        n,
        k,
        lambda first, last: new_vectors @ vectors[first:last].T,
    )
    lexical_lists = extend_neighbour_lists(
        index.neighbours[:, k_old:],
        index.neighbour_similarities[:, k_old:],
        n,
        k,
        lambda first, last: (new_tfidf @ tfidf[first:last].T).toarray(),
    )
    neighbours = np.hstack([embedded_lists[0], lexical_lists[0]])
    touched = embedded_lists[2] | lexical_lists[2]
    touched.update(int(row) for row in neighbours[n_old:].ravel() if 0 <= row < n_old)
    members = touched_members(index.components, touched, n)
    rows, cols, _ = local_knn_edges(neighbours, members, n)
    similarity = story_similarity(tfidf[members], vectors[members], days[members], rows, cols, options.date_window_days)
    m = len(members)
    local_labels = AverageLinkage(options.threshold).fit(m, rows, cols, similarity).labels_
    local_components = strong_component_labels(m, rows, cols, similarity, options.threshold)
    extended = StoryIndex(
        tfidf=tfidf,
        frequencies=frequencies,
        vectors=vectors,
        days=days,
        neighbours=neighbours,
        neighbour_similarities=np.hstack([embedded_lists[1], lexical_lists[1]]),
        components=_relabel(index.components, members, local_components, n),
        labels=_relabel(index.labels, members, local_labels, n),
    )
    return extended, m


# ---------------------------------------------------------------- claims


def extend_claim_index(
    index: ClaimIndex,
    statements: Sequence[Statement],
    vectors: np.ndarray,
    options: ClaimOptions | None = None,
) -> tuple[ClaimIndex, ClaimUpdate]:
    """The claim index of ``statements`` (the indexed ones first, then the added ones).

    Args:
        index: the claim index of ``statements[:n_old]``, made with the same options; left as it was.
        statements, vectors: every statement and embedding, the added ones last.
        options: the claim settings of the index.

    Returns:
        The new index (its ``labels`` are the claims) and what was re-clustered.
    """
    options = options or ClaimOptions()
    n_old, n = len(index.labels), len(statements)
    added = np.arange(n_old, n, dtype=np.int64)
    added_vectors = vectors[n_old:]

    # 1. Neighbour lists: the added statements' own, and the old lists they enter.
    neighbours, similarities, touched = extend_neighbour_lists(
        index.neighbours,
        index.neighbour_similarities,
        n,
        min(options.neighbours, n - 1),
        lambda first, last: added_vectors @ vectors[first:last].T,
    )
    touched.update(int(row) for row in neighbours[n_old:].ravel() if 0 <= row < n_old)

    # 2. Anchors: the added statements' anchors and the number of articles naming each; the old
    #    statements sharing an anchor whose weight changes are touched.
    article_of = np.concatenate([index.article_of, np.zeros(len(added), dtype=np.int64)])
    article_number: dict[str, int] = {}
    next_article = int(index.article_of.max()) + 1 if n_old else 0
    anchor_rows = dict(index.anchor_rows)  # the lists of the added anchors are copied below, not changed
    anchor_articles = dict(index.anchor_articles)
    named_by: dict[str, set[int]] = defaultdict(set)
    added_anchors = []
    for row in added.tolist():
        statement = statements[row]
        number = article_number.setdefault(statement.article_id, next_article + len(article_number))
        article_of[row] = number
        found = statement_anchors(statement)
        added_anchors.append(found)
        for anchor in found:
            named_by[anchor].add(number)
    for anchor, articles in named_by.items():
        before = anchor_articles.get(anchor, 0)
        holders = anchor_rows[anchor] = list(anchor_rows.get(anchor, ()))
        if before and anchor_weight(before) >= _MIN_BONUS:
            touched.update(holders)  # their anchor edges lose weight, or go
        anchor_articles[anchor] = before + len(articles)
    for row, found in zip(added.tolist(), added_anchors):
        for anchor in found:
            anchor_rows[anchor].append(row)

    # 3. The old components the changes touch, with the added statements, are clustered again.
    members = touched_members(index.components, touched, n)
    knn_rows, knn_cols, local = local_knn_edges(neighbours, members, n)
    anchor_row, anchor_col, anchor_bonus = _anchor_edges_among(
        members, local, statements, anchor_rows, anchor_articles, article_of
    )
    m = len(members)
    rows, cols = unique_pairs(m, np.concatenate([knn_rows, anchor_row]), np.concatenate([knn_cols, anchor_col]))
    bonus = lookup_bonus(m, rows, cols, anchor_row, anchor_col, anchor_bonus)
    similarity = (
        pair_cosines(vectors[members], rows, cols) + options.anchor_weight * bonus
    )  # a compact copy: faster gathers
    linkage = AverageLinkage(options.threshold, options.max_per_article)
    local_labels = linkage.fit(m, rows, cols, similarity, article_of[members]).labels_
    local_components = strong_component_labels(m, rows, cols, similarity, options.threshold)
    extended = ClaimIndex(
        neighbours=neighbours,
        neighbour_similarities=similarities,
        components=_relabel(index.components, members, local_components, n),
        labels=_relabel(index.labels, members, local_labels, n),
        article_of=article_of,
        anchor_rows=anchor_rows,
        anchor_articles=anchor_articles,
    )
    return extended, ClaimUpdate(added=len(added), reclustered=m)


def _anchor_edges_among(
    members: np.ndarray,
    local: np.ndarray,
    statements: Sequence[Statement],
    anchor_rows: dict[str, list[int]],
    anchor_articles: dict[str, int],
    article_of: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The anchor edges of ``cluster.anchor_edges`` between members, numbered locally.

    An anchor's weight and its number of statements are those of the whole corpus, so each edge
    is the one a full run would make.
    """
    row_blocks, col_blocks, bonus_blocks = [], [], []
    for anchor in {anchor for row in members.tolist() for anchor in statement_anchors(statements[row])}:
        weight = anchor_weight(anchor_articles[anchor])
        holders = anchor_rows[anchor]
        if weight < _MIN_BONUS or not 1 < len(holders) <= _MAX_POSTINGS:
            continue
        inside = np.array([row for row in holders if local[row] >= 0], dtype=np.int64)
        first, second = np.triu_indices(len(inside), k=1)
        keep = article_of[inside[first]] != article_of[inside[second]]
        row_blocks.append(local[inside[first][keep]])
        col_blocks.append(local[inside[second][keep]])
        bonus_blocks.append(np.full(int(keep.sum()), weight, dtype=np.float32))
    if not row_blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return strongest_per_pair(
        len(members), np.concatenate(row_blocks), np.concatenate(col_blocks), np.concatenate(bonus_blocks)
    )


# ---------------------------------------------------------------- saving the index next to analysis.json


INDEX_VERSION = 1


def input_files(locations: Sequence[str]) -> list[dict[str, Any]] | None:
    """(location, size, modification time) of each input file; None when an input is not a local file."""
    from pathlib import Path

    found = []
    for location in locations:
        path = Path(location)
        if not path.is_file():
            return None
        status = path.stat()
        found.append({"location": location, "size": status.st_size, "mtime_ns": status.st_mtime_ns})
    return found


def write_index(index: AnalysisIndex, folder: Path, manifest: dict[str, Any]) -> None:
    """Writes the index into ``folder``, a new folder, with ``manifest`` last.

    ``pipeline.save_analysis`` writes it beside the new analysis.json under a temporary name and
    renames it into place after them; each file is flushed to disk before the next.

    Raises:
        OutputError: when a file cannot be written.
    """
    import orjson

    from compare.io.atomic import make_folder, write_file

    make_folder(folder)
    stories, claims, framing = index.stories, index.claims, index.framing
    arrays = {
        "story_tfidf_data": stories.tfidf.data,
        "story_tfidf_indices": stories.tfidf.indices,
        "story_tfidf_indptr": stories.tfidf.indptr,
        "story_tfidf_shape": np.array(stories.tfidf.shape),
        "story_frequencies": stories.frequencies,
        "story_vectors": stories.vectors,
        "story_days": stories.days,
        "story_neighbours": stories.neighbours,
        "story_similarities": stories.neighbour_similarities,
        "story_components": stories.components,
        "story_labels": stories.labels,
        "claim_neighbours": claims.neighbours,
        "claim_similarities": claims.neighbour_similarities,
        "claim_components": claims.components,
        "claim_labels": claims.labels,
        "claim_article_of": claims.article_of,
    }
    parts: dict[str, Any] = {
        "anchor_rows": claims.anchor_rows,
        "anchor_articles": claims.anchor_articles,
        "fingerprints": index.fingerprints,
        "framing": None,
    }
    if framing is not None:
        arrays |= {
            "shingle_hashes": framing.shingles.hashes,
            "shingle_owners": framing.shingles.owners,
            "shingle_sizes": framing.shingles.sizes,
        }
        parts["framing"] = {
            "outlet_terms": framing.outlet_terms,
            "prior": framing.prior,
            "actor_tones": [[outlet, side, tones] for (outlet, side), tones in framing.actor_tones.items()],
            "swaps": framing.swaps,
            "substitutions": [[first, second, found] for (first, second), found in framing.substitutions.items()],
            "entities": [[*key, dict(counts)] for key, counts in framing.entities.items()],
            "frame_counts": [[outlet, frame, count] for (outlet, frame), count in framing.frame_counts.items()],
        }
    write_file(folder / "arrays.npz", lambda handle: np.savez(handle, **arrays))
    write_file(folder / "index.json", orjson.dumps(parts))
    write_file(folder / "manifest.json", orjson.dumps({"version": INDEX_VERSION, **manifest}))


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a saved index, or None when there is none this version can read."""
    import orjson

    try:
        manifest = orjson.loads((folder / "manifest.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("version") == INDEX_VERSION else None


def load_index(folder: Path) -> AnalysisIndex:
    """The index written by ``write_index``.

    Raises:
        OSError, ValueError, KeyError: when a file is missing or damaged.
    """
    import orjson
    from scipy.sparse import csr_matrix

    from compare.pipeline import AnalysisIndex

    with np.load(folder / "arrays.npz", allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    parts = orjson.loads((folder / "index.json").read_bytes())
    stories = StoryIndex(
        tfidf=csr_matrix(
            (arrays["story_tfidf_data"], arrays["story_tfidf_indices"], arrays["story_tfidf_indptr"]),
            shape=tuple(arrays["story_tfidf_shape"]),
        ),
        frequencies=arrays["story_frequencies"],
        vectors=arrays["story_vectors"],
        days=arrays["story_days"],
        neighbours=arrays["story_neighbours"],
        neighbour_similarities=arrays["story_similarities"],
        components=arrays["story_components"],
        labels=arrays["story_labels"],
    )
    claims = ClaimIndex(
        neighbours=arrays["claim_neighbours"],
        neighbour_similarities=arrays["claim_similarities"],
        components=arrays["claim_components"],
        labels=arrays["claim_labels"],
        article_of=arrays["claim_article_of"],
        anchor_rows=parts["anchor_rows"],
        anchor_articles=parts["anchor_articles"],
    )
    framing = None
    if parts["framing"] is not None:
        found = parts["framing"]
        framing = FramingIndex(
            outlet_terms={outlet: Counter(terms) for outlet, terms in found["outlet_terms"].items()},
            prior=Counter(found["prior"]),
            actor_tones={(outlet, side): tones for outlet, side, tones in found["actor_tones"]},
            swaps={
                label: {variant: [(sid, outlet) for sid, outlet in rows] for variant, rows in variants.items()}
                for label, variants in found["swaps"].items()
            },
            substitutions={
                (first, second): [(theirs, ours) for theirs, ours in pairs]
                for first, second, pairs in found["substitutions"]
            },
            entities={(outlet, entity, label): Counter(counts) for outlet, entity, label, counts in found["entities"]},
            frame_counts=Counter({(outlet, frame): count for outlet, frame, count in found["frame_counts"]}),
            shingles=ShingleIndex(arrays["shingle_hashes"], arrays["shingle_owners"], arrays["shingle_sizes"]),
        )
    return AnalysisIndex(stories=stories, claims=claims, framing=framing, fingerprints=parts["fingerprints"])
