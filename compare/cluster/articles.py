"""What stories compare of an article: its term weights, its mean statement embedding, its day."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from compare.cluster.stop_words import ENGLISH_STOP_WORDS
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
    The counts are scikit-learn's ``HashingVectorizer(n_features=TERM_FEATURES, stop_words="english",
    alternate_sign=False, norm=None, dtype=np.float32)``'s, to the bit (tests/test_term_counts.py), made
    without importing scikit-learn (1.2 s of CPU, most of an added article's ``stories`` stage): the same
    tokens (lower-cased words of two or more word characters), the same MurmurHash3 (spaCy's ``murmurhash``).
    """
    from murmurhash import hash as murmur_hash
    from scipy.sparse import csr_matrix

    columns: dict[str, int] = {}
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for article in articles:
        row: dict[int, int] = {}
        for token in _TOKEN.findall(f"{article.title}\n{article.title}\n{article.text}".lower()):
            if token in ENGLISH_STOP_WORDS:
                continue
            column = columns.get(token)
            if column is None:
                column = columns[token] = _hashed_column(murmur_hash(token))
            row[column] = row.get(column, 0) + 1
        for column in sorted(row):
            indices.append(column)
            counts.append(row[column])
        indptr.append(len(indices))
    wide = np.int64 if len(indices) > np.iinfo(np.int32).max else np.int32
    return csr_matrix(
        (np.array(counts, dtype=np.float32), np.array(indices, dtype=wide), np.array(indptr, dtype=wide)),
        shape=(len(articles), TERM_FEATURES),
    )


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def _hashed_column(signed: int) -> int:
    """scikit-learn's column of a signed 32-bit hash: its absolute value modulo ``TERM_FEATURES`` (-2**31 as
    ``_hashing_fast`` defines it)."""
    if signed == -(2**31):
        return (2**31 - 1 - (TERM_FEATURES - 1)) % TERM_FEATURES
    return abs(signed) % TERM_FEATURES


def document_frequencies(counts: Any) -> np.ndarray:
    """In how many rows each term column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)


def weigh_terms(counts: Any, frequencies: np.ndarray, documents: int) -> Any:
    """TF-IDF rows, L2-normalised: sublinear term frequency times smoothed inverse document frequency.

    Terms in more than half the documents are dropped once there are 20 or more documents
    (scikit-learn's ``TfidfVectorizer(sublinear_tf=True, max_df=0.5)`` on a hashed vocabulary).
    """
    weights = counts.copy().astype(np.float32)
    weights.data = 1.0 + np.log(weights.data)
    idf = (np.log((1.0 + documents) / (1.0 + frequencies)) + 1.0).astype(np.float32)
    if documents >= 20:
        idf[frequencies > 0.5 * documents] = 0.0
    weights = weights.multiply(idf[None, :]).tocsr()
    weights.eliminate_zeros()
    return _l2_normalised(weights).astype(np.float32)


def _l2_normalised(weights: Any) -> Any:
    """The rows of CSR ``weights`` divided by their L2 norms in place, as scikit-learn's ``normalize(norm="l2")``
    does to the bit (float32 squares summed in order in float64, each value divided in float64), without
    importing it."""
    data, indptr = weights.data, weights.indptr
    for first, end in zip(indptr[:-1], indptr[1:]):
        if end > first:
            values = data[first:end]
            total = np.cumsum((values * values).astype(np.float64))[-1]
            if total != 0.0:
                data[first:end] = (values.astype(np.float64) / np.sqrt(total)).astype(data.dtype)
    return weights


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
