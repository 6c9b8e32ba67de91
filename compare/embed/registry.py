"""Embedding backends by name: the one place that turns a backend name into an Embedder."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

from compare.embed.base import Embedder, default_backend, default_model
from compare.embed.onnx_backend import PER_BATCH, PER_TOKEN, OnnxEmbedder
from compare.embed.torch_backend import SentenceTransformerEmbedder
from compare.model.errors import ModelError

# Each backend module imports only compare.embed.base; heavy libraries load on first use.
_FACTORIES: dict[str, Callable[[str], Embedder]] = {
    "torch": SentenceTransformerEmbedder,
    PER_TOKEN.backend: partial(OnnxEmbedder, export=PER_TOKEN),
    PER_BATCH.backend: partial(OnnxEmbedder, export=PER_BATCH),
}
BACKENDS = tuple(_FACTORIES)


@lru_cache(maxsize=4)
def get_embedder(name: str | None = None, backend: str | None = None) -> Embedder:
    """One embedder per model name and backend for the whole process (models are expensive to load).

    Args:
        name: a model name or local path (default: ``$PARALLAX_MODEL`` or the shipped MiniLM).
        backend: ``onnx-int8-token`` (the model exported once to int8 ONNX, one activation scale per token),
            ``onnx-int8`` (the same with one scale per batch: a vector depends slightly on its batch) or
            ``torch`` (sentence-transformers as is); default ``$PARALLAX_BACKEND`` or onnx-int8-token.
    """
    backend = backend or default_backend()
    factory = _FACTORIES.get(backend)
    if factory is None:
        raise ModelError(f"unknown embedding backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return factory(name or default_model())


def embedder_of(stored_name: str) -> Embedder:
    """The embedder that made vectors named ``stored_name`` (``Embedder.name``: MODEL, or MODEL+BACKEND).

    An analysis records its embedder's name; the torch backend names vectors by the model alone, the
    other backends add ``+BACKEND``. A model path that holds a "+" of its own stays whole.
    """
    model, plus, backend = stored_name.rpartition("+")
    if plus and backend in _FACTORIES:
        return get_embedder(model, backend)
    return get_embedder(stored_name, "torch")
