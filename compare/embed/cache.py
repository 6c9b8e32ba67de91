"""The cached embed step: each text is embedded once per model, keyed by a hash of its content."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

from compare.embed.base import Embedder
from compare.io.store import Store, text_hash
from compare.model.errors import InputError


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
        An array of shape (len(texts), dimension), rows L2-normalised, float32 holding float16 values:
        the saved analysis keeps vectors as float16 (half the size), and a run that adds articles to
        it must compute with the values a full run computes with.
    """
    chunk_size = chunk_size or _configured_chunk_size()
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
        return embedder.embed([])  # (0, dimension): the backend knows its width
    return np.vstack([cached[key] for key in hashes]).astype(np.float16).astype(np.float32)


def _configured_chunk_size() -> int:
    """``$PARALLAX_EMBED_CHUNK``, else 1024; a value that is not a count of 1 or more is refused (text gave
    a traceback, 0 or a negative number one after the whole run)."""
    configured = os.environ.get("PARALLAX_EMBED_CHUNK", "").strip()
    if not configured:
        return 1024
    try:
        size = int(configured)
    except ValueError:
        size = 0
    if size < 1:
        raise InputError(
            f"PARALLAX_EMBED_CHUNK={configured[:40]!r}: give a whole number of 1 or more (texts embedded and"
            " stored per step; default 1024), or unset it"
        )
    return size
