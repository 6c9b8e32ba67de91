from __future__ import annotations

import json
import shutil

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


BATCH_MATES = [
    "Russia has gathered nearly 100,000 troops near its border with Ukraine.",
    "Macron and Putin spoke by phone for nearly two hours on Sunday.",
    "The Normandy format talks resumed in Paris with advisers from Russia, Ukraine, France and Germany.",
    "A magnitude 7.8 earthquake struck Nepal on Saturday, killing hundreds of people and flattening homes.",
]
OUTLIER = "The index jumped 4,000,000 points: 9,999,999,999 shares, $$$ 1111111111111111111111 !!!!!!!!!!!!!!!"


@pytest.fixture(scope="module")
def per_token():
    from compare.embed import get_embedder

    return get_embedder(backend="onnx-int8-token")


def test_per_token_int8_gives_a_statement_one_vector_in_any_batch(per_token):
    """A statement's vector alone, in one batch and in another (with a text of extreme activations, which
    moved a whole batch's int8 scale under the per-batch quantisation), is the same vector."""
    embedder = per_token
    statement = "Kremlin spokesman Dmitry Peskov said Moscow was not planning to attack anyone."
    alone = embedder.embed([statement])[0]
    in_batch = embedder.embed([*BATCH_MATES, statement])[-1]
    with_outlier = embedder.embed([OUTLIER, statement, *BATCH_MATES[:2]])[1]
    np.testing.assert_allclose(in_batch, alone, atol=1e-5)
    np.testing.assert_allclose(with_outlier, alone, atol=1e-5)


def test_the_per_batch_int8_backend_moves_with_its_batch():
    from compare.embed import get_embedder

    statement = "Kremlin spokesman Dmitry Peskov said Moscow was not planning to attack anyone."
    per_batch = get_embedder(backend="onnx-int8")
    moved = np.abs(per_batch.embed([statement])[0] - per_batch.embed([OUTLIER, statement])[1]).max()
    assert moved > 1e-3


def test_onnx_export_is_made_again_when_its_config_differs(per_token, tmp_path, monkeypatch):
    """An export folder whose recorded config is not the backend's (an older export, another quantisation)
    is exported again, never used as if it were the current model; a current one is reused."""
    from compare.embed import onnx_backend

    embedder = per_token
    embedder.embed(["made or found before the cache folder moves"])
    made = onnx_backend.export_folder(embedder.base, embedder.export)
    assert (made / "model.onnx").exists()  # the session's embedder made or found it
    monkeypatch.setenv("PARALLAX_MODEL_CACHE", str(tmp_path))
    folder = onnx_backend.export_folder(embedder.base, embedder.export)
    shutil.copytree(made, folder)
    exports = []
    real_export = onnx_backend.export_int8
    monkeypatch.setattr(
        onnx_backend, "export_int8", lambda *arguments: exports.append(arguments) or real_export(*arguments)
    )
    texts = BATCH_MATES[:2]
    reference = embedder.embed(texts)
    np.testing.assert_allclose(onnx_backend.OnnxEmbedder(embedder.base).embed(texts), reference, atol=1e-6)
    assert exports == []  # current: reused
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "export": {"quantization": "dynamic"}}), encoding="utf-8")
    (folder / "model.onnx").write_bytes(b"not the current model")
    np.testing.assert_allclose(onnx_backend.OnnxEmbedder(embedder.base).embed(texts), reference, atol=1e-6)
    assert len(exports) == 1
    assert json.loads((folder / "config.json").read_text(encoding="utf-8"))["export"] == config["export"]


def test_each_int8_export_has_its_own_folder_and_vector_name():
    from dataclasses import replace

    from compare.embed.onnx_backend import PER_BATCH, PER_TOKEN, OnnxEmbedder, export_folder

    assert export_folder("m", PER_TOKEN) != export_folder("m", PER_BATCH)
    assert export_folder("m", PER_TOKEN) != export_folder("m", replace(PER_TOKEN, version=PER_TOKEN.version + 1))
    # vectors of the per-batch export stay named as before, so stores and saved runs made with it are recognised
    assert OnnxEmbedder("m", export=PER_BATCH).name == "m+onnx-int8"
    assert OnnxEmbedder("m", export=PER_TOKEN).name != OnnxEmbedder("m", export=PER_BATCH).name
