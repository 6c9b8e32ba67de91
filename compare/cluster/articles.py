"""What stories compare of an article: its term weights, its mean statement embedding, its day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from compare.model.documents import Article, Statement

TERM_FEATURES = 1 << 20  # hashed vocabulary: collisions are negligible, and shards need no shared vocabulary
NO_DAY = date.min.toordinal()


def article_vectors(
    articles: Sequence[Article], statements: Sequence[Statement], statement_vectors: np.ndarray
) -> np.ndarray:
    """Each article's mean statement embedding, L2-normalised."""
    position = {article.id: row for row, article in enumerate(articles)}
    dimension = statement_vectors.shape[1] if statement_vectors.ndim == 2 and statement_vectors.shape[1] else 1
    sums = np.zeros((len(articles), dimension), dtype=np.float32)
    for statement, vector in zip(statements, statement_vectors):
        sums[position[statement.article_id]] += vector
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms == 0, 1, norms)


def article_term_counts(articles: Sequence[Article]) -> Any:
    """Word counts of each article's title (twice) and text, hashed into ``TERM_FEATURES`` columns.

    English stop words are dropped. Hashing instead of a fitted vocabulary lets shards of a corpus
    count on their own and add their document frequencies up (see ``compare.engines.shards``).
    """
    from sklearn.feature_extraction.text import HashingVectorizer  # heavy (2 s): loaded when first needed

    texts = [f"{article.title}\n{article.title}\n{article.text}" for article in articles]
    vectorizer = HashingVectorizer(
        n_features=TERM_FEATURES, stop_words="english", alternate_sign=False, norm=None, dtype=np.float32
    )
    return vectorizer.transform(texts).tocsr()


def document_frequencies(counts: Any) -> np.ndarray:
    """In how many rows each term column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)


def weigh_terms(counts: Any, frequencies: np.ndarray, documents: int) -> Any:
    """TF-IDF rows, L2-normalised: sublinear term frequency times smoothed inverse document frequency.

    Terms in more than half the documents are dropped once there are 20 or more documents
    (scikit-learn's ``TfidfVectorizer(sublinear_tf=True, max_df=0.5)`` on a hashed vocabulary).
    """
    from sklearn.preprocessing import normalize  # heavy: loaded when first needed

    weights = counts.copy().astype(np.float32)
    weights.data = 1.0 + np.log(weights.data)
    idf = (np.log((1.0 + documents) / (1.0 + frequencies)) + 1.0).astype(np.float32)
    if documents >= 20:
        idf[frequencies > 0.5 * documents] = 0.0
    weights = weights.multiply(idf[None, :]).tocsr()
    weights.eliminate_zeros()
    return normalize(weights, norm="l2", copy=False).astype(np.float32)


def article_days(articles: Sequence[Article]) -> np.ndarray:
    """Each article's publication day as an ordinal; ``NO_DAY`` where the date is unknown."""
    return np.array([(_parse_date(article.published) or date.min).toordinal() for article in articles], dtype=np.int64)


def date_damping(days: np.ndarray, rows: np.ndarray, cols: np.ndarray, window_days: int) -> np.ndarray:
    """1 inside the window (or when a date is unknown), decaying by half per further window."""
    known = days != NO_DAY
    gap = np.abs(days[rows] - days[cols]).astype(np.float32)
    beyond = np.clip(gap - window_days, 0, None) / max(window_days, 1)
    damping = np.power(0.5, beyond)
    return np.where(known[rows] & known[cols], damping, 1.0).astype(np.float32)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
