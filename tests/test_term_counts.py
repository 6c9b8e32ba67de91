"""The hashed term counts and TF-IDF rows of stories (``compare.cluster.articles``) are scikit-learn's to the bit,
made without importing it (a new process adding one article saves its 1.2 s import)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from compare.cluster.articles import TERM_FEATURES, article_term_counts, document_frequencies, weigh_terms
from compare.cluster.stop_words import ENGLISH_STOP_WORDS
from compare.ingest import load_corpus

from .conftest import BASIL, ROOT, SEEDS


@pytest.fixture(scope="module")
def articles():
    found = load_corpus([BASIL / "articles"]).articles + load_corpus(sorted(SEEDS.glob("*.txt"))).articles
    assert len(found) > 300
    odd = replace(  # words of other scripts and accents, digits, underscores, one-letter words, an empty text
        found[0], id="odd", title="Über café — São Paulo's 2nd_round", text="Ça va? Ιούλιος 2024: 10,000 x_y a b"
    )
    return [*found, odd, replace(found[0], id="empty", title="", text="")]


def test_the_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as sklearn_stop_words

    assert frozenset(sklearn_stop_words) == ENGLISH_STOP_WORDS


def test_hashed_term_counts_are_scikit_learns_hashing_vectorizer_counts(articles):
    from sklearn.feature_extraction.text import HashingVectorizer

    ours = article_term_counts(articles)
    texts = [f"{article.title}\n{article.title}\n{article.text}" for article in articles]
    vectorizer = HashingVectorizer(
        n_features=TERM_FEATURES, stop_words="english", alternate_sign=False, norm=None, dtype=np.float32
    )
    theirs = vectorizer.transform(texts).tocsr()
    assert ours.shape == theirs.shape and ours.nnz == theirs.nnz > 50_000
    for part in ("data", "indices", "indptr"):
        assert getattr(ours, part).dtype == getattr(theirs, part).dtype, part
        assert np.array_equal(getattr(ours, part), getattr(theirs, part)), part
    assert ours[len(articles) - 2].nnz > 5 and ours[len(articles) - 1].nnz == 0  # the words of other scripts counted


def test_tf_idf_rows_are_scikit_learns_l2_normalised_rows(articles):
    from sklearn.preprocessing import normalize

    counts = article_term_counts(articles)
    frequencies = document_frequencies(counts)
    ours = weigh_terms(counts, frequencies, len(articles))
    weights = counts.copy().astype(np.float32)
    weights.data = 1.0 + np.log(weights.data)
    idf = (np.log((1.0 + len(articles)) / (1.0 + frequencies)) + 1.0).astype(np.float32)
    idf[frequencies > 0.5 * len(articles)] = 0.0
    weights = weights.multiply(idf[None, :]).tocsr()
    weights.eliminate_zeros()
    theirs = normalize(weights, norm="l2", copy=False).astype(np.float32)
    assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
    assert ours.data.dtype == theirs.data.dtype and np.array_equal(ours.data, theirs.data)
    assert np.allclose(np.sqrt(ours.multiply(ours).sum(axis=1))[:-1], 1.0, atol=1e-5)


def test_counting_terms_and_weighing_them_imports_no_scikit_learn():
    code = (
        "import sys\n"
        "from compare.cluster.articles import article_term_counts, document_frequencies, weigh_terms\n"
        "from compare.framing.terms import tokens\n"
        "from compare.model.documents import Article\n"
        "a = [Article('a', 'Reuters', 'A quake hit Nepal on Saturday.', 'Quake hits Nepal')]\n"
        "counts = article_term_counts(a)\n"
        "weigh_terms(counts, document_frequencies(counts), 1)\n"
        "tokens('The quake hit Nepal', 'Reuters')\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'sklearn'))\n"
    )
    finished = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert finished.stdout.strip() == "[]"
