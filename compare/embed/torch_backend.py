"""The torch backend: a sentence-transformers model as published, loaded on first use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from compare.embed.base import DEFAULT_BATCH_SIZE, default_model, empty_vectors, load_sentence_transformer

BACKEND = "torch"


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use."""

    def __init__(
        self, name: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, device: str | None = None
    ) -> None:
        self.name = name or default_model()
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_sentence_transformer(self.name, self.device)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeds texts into L2-normalised float32 rows."""
        if not texts:
            return empty_vectors(self.dimension)
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
        model = self.model
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(dimension() or 0)
