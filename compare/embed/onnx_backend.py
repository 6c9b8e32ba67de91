"""The int8 ONNX backends: the sentence-transformers model exported once to ONNX, int8-quantized, run by onnxruntime."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from compare.embed.base import DEFAULT_BATCH_SIZE, empty_vectors, load_sentence_transformer
from compare.model.errors import ModelError

_REPO_MODELS = Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class Int8Export:
    """How a backend's ONNX file is made; any change of it makes a new export in a folder of its own.

    ``vectors`` names the vectors in the embedding cache and in a saved analysis (``MODEL+vectors``): two
    exports that can give a text different vectors never share a name.
    """

    backend: str
    quantization: str  # "token": one activation scale per token; "dynamic": one per batch (onnxruntime)
    vectors: str
    version: int = 1

    def key(self) -> str:
        """A short hash of the whole config: the export folder's suffix."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:10]


# Per token: a statement's vector does not depend on its batch, and is closer to torch's (BENCHMARKS §2b).
PER_TOKEN = Int8Export(backend="onnx-int8-token", quantization="token", vectors="onnx-int8-token")
# onnxruntime's quantize_dynamic: one scale per batch, so a vector moves slightly with its batch-mates;
# kept so that runs made with it can be reproduced and added to (their vectors are named "+onnx-int8").
PER_BATCH = Int8Export(backend="onnx-int8", quantization="dynamic", vectors="onnx-int8")
EXPORTS = {export.backend: export for export in (PER_TOKEN, PER_BATCH)}


def model_cache_dir() -> Path:
    """``$PARALLAX_MODEL_CACHE``, else ``models/cache`` of a source checkout, else ``~/.cache/parallax/models``."""
    configured = os.environ.get("PARALLAX_MODEL_CACHE")
    if configured:
        return Path(configured).expanduser()
    if _REPO_MODELS.is_dir() and os.access(_REPO_MODELS, os.W_OK):
        return _REPO_MODELS / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "parallax" / "models"


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip("_")[-80:]


def export_int8(model_name: str, target: Path, export: Int8Export = PER_TOKEN) -> Path:
    """Exports a sentence-transformers model's transformer to ONNX and quantizes it to int8 (once).

    Args:
        model_name: a model name or local path (resolved as the torch backend resolves it).
        target: the folder to write ``model.onnx``, ``tokenizer.json`` and ``config.json`` into.
        export: how to quantize; recorded in ``config.json`` under ``export``.

    Returns:
        ``target``, complete: files are written to a temporary folder and moved in at the end.
    """
    model = _exportable_model(model_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="onnx-", dir=target.parent))
    try:
        _export_float(model, workdir / "float.onnx")
        _quantize(workdir / "float.onnx", workdir / "model.onnx", export)
        (workdir / "float.onnx").unlink()
        model.tokenizer.backend_tokenizer.save(str(workdir / "tokenizer.json"))
        (workdir / "config.json").write_text(
            json.dumps(
                {"source": model_name, "max_seq_length": int(model.max_seq_length or 256), "export": asdict(export)}
            ),
            encoding="utf-8",
        )
        _move_into_place(workdir, target, export)
    finally:
        if workdir.exists():
            shutil.rmtree(workdir, ignore_errors=True)
    return target


def _quantize(source: Path, target: Path, export: Int8Export) -> None:
    if export.quantization == "token":
        from compare.embed.token_int8 import quantize_per_token

        quantize_per_token(source, target)
        return
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)


def export_folder(model_name: str, export: Int8Export) -> Path:
    """Where ``export`` of ``model_name`` is kept: a folder named by the model and the export's config hash."""
    return model_cache_dir() / f"{_slug(model_name)}-{export.backend}-{export.key()}"


def _is_current(folder: Path, export: Int8Export) -> bool:
    """Whether ``folder`` holds a whole export made with ``export`` (an older or partial one is made again)."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (folder / "model.onnx").exists() and config.get("export") == asdict(export)


def _exportable_model(model_name: str) -> Any:
    """The sentence-transformers model, if the ONNX backend can reproduce it (mean pooling, fast tokenizer)."""
    model = load_sentence_transformer(model_name)
    pooling = model[1] if len(model) > 1 else None
    if pooling is not None and not getattr(pooling, "pooling_mode_mean_tokens", True):
        raise ModelError(f"{model_name}: the ONNX backend supports mean pooling only; use the torch backend")
    if not getattr(model.tokenizer, "is_fast", False):
        raise ModelError(f"{model_name}: the ONNX backend needs a fast (tokenizers) tokenizer; use the torch backend")
    return model


def _export_float(model: Any, path: Path) -> None:
    """The transformer's last hidden state as a float ONNX graph with dynamic batch and token axes."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = model.tokenizer(
        ["a short sentence", "and a somewhat longer second sentence"], padding=True, return_tensors="pt"
    )
    if "token_type_ids" not in sample:
        sample["token_type_ids"] = torch.zeros_like(sample["input_ids"])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shapes: the axes are declared dynamic below
        torch.onnx.export(
            LastHiddenState(model[0].auto_model.eval()),
            tuple(sample[name] for name in names),
            str(path),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={
                **{name: {0: "batch", 1: "tokens"} for name in names},
                "last_hidden_state": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )


def _move_into_place(workdir: Path, target: Path, export: Int8Export) -> None:
    if _is_current(target, export):  # another process may have finished first: keep its export
        return
    if target.exists():
        shutil.rmtree(target)  # a partial folder left by an interrupted export, or one of another config
    try:
        workdir.rename(target)
    except OSError:
        if not _is_current(target, export):
            raise


class OnnxEmbedder:
    """An int8 ONNX export of a sentence-transformers model (mean pooling, L2-normalised), made on first use."""

    def __init__(
        self,
        name: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        threads: int | None = None,
        export: Int8Export = PER_TOKEN,
    ) -> None:
        self.base = name
        self.export = export
        self.name = f"{name}+{export.vectors}"  # the store keeps these vectors apart from other backends'
        self.batch_size = batch_size
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        logging.getLogger(__name__).info("loading embedding model %s", self.name)
        folder = export_folder(self.base, self.export)
        if not _is_current(folder, self.export):
            try:
                export_int8(self.base, folder, self.export)
            except ModelError:
                raise
            except Exception as error:
                raise ModelError(
                    f"cannot export {self.base!r} to ONNX ({type(error).__name__}: {str(error)[:200]})"
                ) from error
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        # Idle pool threads sleep instead of spinning: spinning burnt about a third more CPU for the same
        # vectors (BENCHMARKS §5i), taken from whatever else runs (spaCy's processes, other users' jobs).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        self._tokenizer.enable_padding()

    def load_if_exported(self) -> None:
        """The session and tokenizer loaded now when the export is on disk; an export is left to the first
        ``embed`` (it takes a minute and says so). Not to be called while another thread embeds."""
        if self._session is None and _is_current(export_folder(self.base, self.export), self.export):
            self._load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeds texts into L2-normalised float32 rows, in batches of similar length."""
        if self._session is None:
            self._load()
        if not texts:
            return empty_vectors(int(self._session.get_outputs()[0].shape[-1]))
        order = np.argsort([len(text) for text in texts], kind="stable")
        vectors = np.zeros((len(texts), 0), dtype=np.float32)
        for first in range(0, len(texts), self.batch_size):
            rows = order[first : first + self.batch_size]
            encodings = self._tokenizer.encode_batch([texts[row] for row in rows])
            ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
            mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
            types = np.array([encoding.type_ids for encoding in encodings], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            vectors[rows] = pooled
        return vectors
