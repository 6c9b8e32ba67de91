"""Candidate pairs (k-NN, shared anchors) and their feature matrices, for articles and for statements."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bench.event_identity.corpora import Bundle
from bench.event_identity.features import (
    Anchors,
    TimeSpan,
    anchor_frequencies,
    article_event_day,
    boilerplate_flags,
    merge_anchors,
    number_conflict,
    publication_day,
    set_conflict,
    shared_rare,
    shared_rare_sum,
    statement_anchors,
    statement_times,
    time_conflict,
)
from compare.cluster import (
    ArticleRows,
    article_days,
    article_term_counts,
    article_vectors,
    document_frequencies,
    knn,
    story_neighbours,
    weigh_terms,
)
from compare.cluster import statement_anchors as claim_anchors
from compare.cluster.anchors import anchor_index, lookup_bonus, pairs_from_postings, rare_postings, unique_pairs
from compare.cluster.neighbours import edges_from_neighbours, pair_cosines

LEAD_STATEMENTS = 5

ARTICLE_FEATURES = [
    "emb_cos",
    "tfidf_cos",
    "pub_gap_log",  # log1p(days between publication dates), 0 when either is unknown
    "pub_unknown",  # 1 when either date is unknown
    "event_gap_log",  # log1p(days between resolved event days), 0 when either is unknown
    "event_unknown",
    "shared_rare_names",  # summed rarity of names both articles name (log1p)
    "lead_person_conflict",
    "lead_place_conflict",
    "lead_number_conflict",
    "lead_year_conflict",
    "lead_time_conflict",
    "lead_missing",  # share of each lead's rare names the other article never names (mean of both ways)
]

STATEMENT_FEATURES = [
    "cos",
    "anchor_bonus",  # compare.cluster's rarest shared anchor weight
    "shared_rare_sum",
    "person_conflict",
    "place_conflict",
    "number_conflict",
    "year_conflict",
    "time_conflict",
    "article_p",  # the article pair's same-event probability (story model)
    "article_emb_cos",
    "pub_gap_log",
    "pub_unknown",
]


@dataclass
class Prepared:
    """Per-article and per-statement material the pair features are made from."""

    bundle: Bundle
    article_row: dict[str, int]
    article_of: np.ndarray  # statement -> article row
    tfidf: object
    embedded: np.ndarray
    days: np.ndarray
    anchors: list[Anchors]  # per statement
    times: list[tuple[TimeSpan, ...]]  # per statement
    lead_anchors: list[Anchors]  # per article
    full_names: list[frozenset[str]]  # per article
    lead_times: list[tuple[TimeSpan, ...]]
    event_day: list[int | None]
    name_frequency: dict[str, int]
    boilerplate: np.ndarray
    seconds: dict[str, float] = field(default_factory=dict)


def prepare(bundle: Bundle) -> Prepared:
    """Anchors, times, TF-IDF and article vectors of a corpus (timed: the cost the pipeline would add)."""
    seconds: dict[str, float] = {}
    articles = bundle.articles
    article_row = {a.id: row for row, a in enumerate(articles)}
    article_of = np.array([article_row[s.article_id] for s in bundle.statements], dtype=np.int64)
    started = time.perf_counter()
    counts = article_term_counts(articles)
    tfidf = weigh_terms(counts, document_frequencies(counts), len(articles))
    embedded = article_vectors(articles, bundle.statements, bundle.vectors)
    days = article_days(articles)
    seconds["tfidf_vectors"] = time.perf_counter() - started
    started = time.perf_counter()
    anchors = [statement_anchors(s) for s in bundle.statements]
    seconds["anchors"] = time.perf_counter() - started
    started = time.perf_counter()
    published = [publication_day(a) for a in articles]
    times = [statement_times(s, published[article_of[row]]) for row, s in enumerate(bundle.statements)]
    seconds["event_time"] = time.perf_counter() - started
    by_article: list[list[int]] = [[] for _ in articles]
    for row, article in enumerate(article_of.tolist()):
        by_article[article].append(row)
    lead_anchors = [merge_anchors([anchors[r] for r in rows[:LEAD_STATEMENTS]]) for rows in by_article]
    full_names = [frozenset().union(*(anchors[r].names for r in rows)) if rows else frozenset() for rows in by_article]
    full_numbers = [
        frozenset().union(*(anchors[r].number_values for r in rows)) if rows else frozenset() for rows in by_article
    ]
    lead_times = [tuple(t for r in rows[:LEAD_STATEMENTS] for t in times[r]) for rows in by_article]
    event_day = [article_event_day(lead_times[i], published[i]) for i in range(len(articles))]
    started = time.perf_counter()
    boilerplate = boilerplate_flags(bundle.statements)
    seconds["boilerplate"] = time.perf_counter() - started
    return Prepared(
        bundle,
        article_row,
        article_of,
        tfidf,
        embedded,
        days,
        anchors,
        times,
        lead_anchors,
        full_names,
        lead_times,
        event_day,
        anchor_frequencies([n | m for n, m in zip(full_names, full_numbers)]),
        boilerplate,
        seconds,
    )


def article_candidates(prepared: Prepared, k: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Each article's k nearest by embedding and k nearest by TF-IDF, as unique (low, high) pairs."""
    n = len(prepared.bundle.articles)
    k = max(0, min(k, n - 1))
    every = ArticleRows(np.arange(n, dtype=np.int64), prepared.tfidf, prepared.embedded, prepared.days)
    found = story_neighbours(every.rows, every, k)  # k nearest by embedding, then k nearest by TF-IDF
    return unique_pairs(*edges_from_neighbours(every.rows, found))


def _log_gap(first: int | None, second: int | None) -> tuple[float, float]:
    if first is None or second is None:
        return 0.0, 1.0
    return math.log1p(abs(first - second)), 0.0


def _lead_missing(prepared: Prepared, first: int, second: int) -> float:
    """How much of each lead's rare names the other article never mentions."""
    shares = []
    for one, other in ((first, second), (second, first)):
        rare = [n for n in prepared.lead_anchors[one].names if prepared.name_frequency.get(n, 1) <= 5]
        if rare:
            shares.append(sum(n not in prepared.full_names[other] for n in rare) / len(rare))
    return float(np.mean(shares)) if shares else 0.0


def article_features(prepared: Prepared, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """ARTICLE_FEATURES for article pairs (rows[i], cols[i])."""
    tfidf = prepared.tfidf
    lexical = np.asarray(tfidf[rows].multiply(tfidf[cols]).sum(axis=1)).reshape(-1)  # type: ignore[index]
    semantic = pair_cosines(prepared.embedded, rows, prepared.embedded, cols)
    published = [publication_day(a) for a in prepared.bundle.articles]
    out = np.zeros((len(rows), len(ARTICLE_FEATURES)), dtype=np.float32)
    for i, (a, b) in enumerate(zip(rows.tolist(), cols.tolist())):
        pa, pb = published[a], published[b]
        pub_gap, pub_unknown = _log_gap(pa.toordinal() if pa else None, pb.toordinal() if pb else None)
        event_gap, event_unknown = _log_gap(prepared.event_day[a], prepared.event_day[b])
        la, lb = prepared.lead_anchors[a], prepared.lead_anchors[b]
        out[i] = [
            semantic[i],
            lexical[i],
            pub_gap,
            pub_unknown,
            event_gap,
            event_unknown,
            math.log1p(shared_rare_sum(prepared.full_names[a], prepared.full_names[b], prepared.name_frequency)),
            set_conflict(la.persons, lb.persons),
            set_conflict(la.places, lb.places),
            number_conflict(la.numbers, lb.numbers),
            set_conflict(la.years, lb.years),
            time_conflict(prepared.lead_times[a], prepared.lead_times[b]),
            _lead_missing(prepared, a, b),
        ]
    return out


def statement_candidates(prepared: Prepared, k: int = 20) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cross-article statement pairs: k-NN by embedding plus pairs sharing a rare anchor (as compare.cluster),
    with compare.cluster's anchor bonus of each pair."""
    statements = prepared.bundle.statements
    n = len(statements)
    article_of = prepared.article_of
    # The anchor pairs as compare.cluster.claims.claim_index builds them.
    index = anchor_index([claim_anchors(s) for s in statements], article_of)
    anchor_pairs = pairs_from_postings(rare_postings(index, index.rows), article_of)
    found = knn(prepared.bundle.vectors, k)
    knn_rows, knn_cols = edges_from_neighbours(np.arange(n, dtype=np.int64), found)
    rows, cols = unique_pairs(
        np.concatenate([knn_rows, anchor_pairs.low]), np.concatenate([knn_cols, anchor_pairs.high])
    )
    bonus = lookup_bonus(rows, cols, anchor_pairs)
    cross = article_of[rows] != article_of[cols]
    return rows[cross], cols[cross], bonus[cross]


def statement_features(
    prepared: Prepared,
    rows: np.ndarray,
    cols: np.ndarray,
    bonus: np.ndarray,
    article_probability: dict[tuple[int, int], float],
) -> np.ndarray:
    """STATEMENT_FEATURES for statement pairs; ``article_probability`` maps (low, high) article rows to
    the story model's probability (pairs missing from it are computed by the caller beforehand)."""
    cos = pair_cosines(prepared.bundle.vectors, rows, prepared.bundle.vectors, cols)
    statement_frequency = prepared.name_frequency
    published = [publication_day(a) for a in prepared.bundle.articles]
    out = np.zeros((len(rows), len(STATEMENT_FEATURES)), dtype=np.float32)
    for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist())):
        a, b = int(prepared.article_of[r]), int(prepared.article_of[c])
        key = (min(a, b), max(a, b))
        sa, sb = prepared.anchors[r], prepared.anchors[c]
        pa, pb = published[a], published[b]
        pub_gap, pub_unknown = _log_gap(pa.toordinal() if pa else None, pb.toordinal() if pb else None)
        out[i] = [
            cos[i],
            bonus[i],
            math.log1p(shared_rare_sum(sa.names | sa.number_values, sb.names | sb.number_values, statement_frequency)),
            set_conflict(sa.persons, sb.persons),
            set_conflict(sa.places, sb.places),
            number_conflict(sa.numbers, sb.numbers),
            set_conflict(sa.years, sb.years),
            time_conflict(prepared.times[r], prepared.times[c]),
            article_probability.get(key, 0.0),
            float(prepared.embedded[a] @ prepared.embedded[b]),
            pub_gap,
            pub_unknown,
        ]
    return out


def shared_rare_anchor(prepared: Prepared, first: int, second: int) -> float:
    """The rarest name two statements share (for inspection)."""
    return shared_rare(prepared.anchors[first].names, prepared.anchors[second].names, prepared.name_frequency)


def gold_same_story(bundle: Bundle, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
    """1 where the two articles have the same gold story."""
    ids = [a.id for a in bundle.articles]
    return np.array(
        [bundle.gold_story[ids[a]] == bundle.gold_story[ids[b]] for a, b in zip(rows, cols)], dtype=np.int64
    )
