from __future__ import annotations

import numpy as np
import pytest

from compare.embed import embed_texts
from compare.io.store import Store
from compare.model.errors import ModelError, StoreError


class CountingEmbedder:
    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.embedded = 0

    def embed(self, texts):
        self.embedded += len(texts)
        return self.inner.embed(texts)


def test_store_caches_by_content_hash(embedder, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    counting = CountingEmbedder(embedder)
    texts = ["Russia massed troops near the border.", "Macron called Putin.", "Russia massed troops near the border."]
    first = embed_texts(texts, counting, store)
    assert counting.embedded == 2 and first.shape == (3, 384)
    again = embed_texts(texts, counting, store)
    assert counting.embedded == 2  # nothing new
    np.testing.assert_allclose(first, again, atol=1e-6)
    embed_texts([*texts, "Kyiv rejected the claim."], counting, store)
    assert counting.embedded == 3  # only the new statement


def test_real_model_puts_paraphrases_closer_than_unrelated(embedder):
    vectors = embedder.embed(
        [
            "Russia has gathered nearly 100,000 troops near its border with Ukraine.",
            "Russia has deployed more than 100,000 troops on the Ukrainian border.",
            "Three rescue workers died during a second strike on a residential building.",
        ]
    )
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_unknown_model_raises_a_clear_error(monkeypatch):
    from compare.embed import SentenceTransformerEmbedder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="no-such-model"):
        SentenceTransformerEmbedder("/nonexistent/no-such-model").embed(["x"])


def test_store_refuses_another_schema_version(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE embeddings (x)")
    connection.execute("PRAGMA user_version=99")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="version 99"):
        Store(path)


def test_store_migrates_a_version_1_store_without_losing_embeddings(tmp_path):
    import sqlite3

    path = tmp_path / "v1.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE embeddings (model TEXT NOT NULL, text_hash TEXT NOT NULL, dim INTEGER NOT NULL, "
        "vector BLOB NOT NULL, PRIMARY KEY (model, text_hash)) WITHOUT ROWID"
    )
    connection.execute("INSERT INTO embeddings VALUES ('m', 'h', 2, ?)", [np.array([1, 0], dtype=np.float32).tobytes()])
    connection.execute("PRAGMA user_version=1")
    connection.commit()
    connection.close()
    store = Store(path)
    assert store.get_many("m", ["h"])["h"].tolist() == [1.0, 0.0]
    store.put_segments([("k", "[]")])
    assert store.get_segments(["k"]) == {"k": "[]"}


def test_onnx_int8_backend_matches_torch(seeds_analysis):
    from compare.embed import get_embedder

    texts = [statement.text for statement in seeds_analysis.statements]
    fast = get_embedder(backend="onnx-int8")
    exact = get_embedder(backend="torch")
    assert fast.name != exact.name  # cached apart in the store
    cosines = (fast.embed(texts) * exact.embed(texts)).sum(axis=1)
    assert cosines.mean() >= 0.98 and cosines.min() >= 0.95


def test_unknown_backend_is_refused():
    from compare.embed import get_embedder

    with pytest.raises(ModelError, match="unknown embedding backend"):
        get_embedder(backend="tpu")
