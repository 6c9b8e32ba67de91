"""Statements -> vectors: the Embedder protocol, the backends by name, and the cached embed step."""

from __future__ import annotations

from compare.embed.base import (
    DEFAULT_BATCH_SIZE,
    SHIPPED_MODEL,
    Embedder,
    default_backend,
    default_model,
    empty_vectors,
    hide_library_progress,
    resolve_model_path,
)
from compare.embed.cache import embed_texts
from compare.embed.onnx_backend import OnnxEmbedder
from compare.embed.registry import BACKENDS, embedder_of, get_embedder
from compare.embed.torch_backend import SentenceTransformerEmbedder

__all__ = [
    "BACKENDS",
    "DEFAULT_BATCH_SIZE",
    "SHIPPED_MODEL",
    "Embedder",
    "OnnxEmbedder",
    "SentenceTransformerEmbedder",
    "default_backend",
    "default_model",
    "embed_texts",
    "embedder_of",
    "empty_vectors",
    "get_embedder",
    "hide_library_progress",
    "resolve_model_path",
]
