"""Writes the int8 variants tried against the per-batch dynamic export (BENCHMARKS §2b), to measure them.

    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/embed_quant_variants.py DIR
    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/embed_backends.py OUT/analysis.json \\
        --variants onnx-int8 onnx-int8-token DIR/float.onnx DIR/static-minmax.onnx ...

From the shipped export's float graph: ``float`` (no quantisation); ``optimized`` (onnxruntime's transformer
optimizer, model_type bert, 12 heads, hidden 384); ``optimized-dynamic`` (it, then quantize_dynamic);
``static-minmax`` / ``static-percentile`` / ``static-entropy`` (quantize_static, QDQ, only the weight
MatMuls, activations uint8 per tensor, weights int8 per channel; calibrated on the sample corpus shipped in
compare/data/sample, 79 sentences written for Parallax, never the evaluation corpora);
``nbits-32`` / ``nbits-128`` (MatMulNBits, 8-bit weights in blocks of 32 / 128, accuracy_level 4: int8
compute with the activations quantised per block of a row). Needs ``onnx-ir`` for the MatMulNBits
quantizer (``pip install onnx-ir``; not a Parallax dependency).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

SAMPLE = Path(__file__).resolve().parents[1] / "compare" / "data" / "sample" / "articles.jsonl"


def calibration_sentences() -> list[str]:
    """The sample corpus's titles and sentences."""
    sentences = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sentences.append(row["title"])
        for paragraph in row["text"].split("\n\n"):
            sentences += [part for part in re.split(r"(?<=[.!?])\s+", paragraph) if part.strip()]
    return sentences


class Calibration:
    """quantize_static's data reader: the sentences tokenised as the backend does, in one padded batch
    (the percentile and entropy calibrators need batches of one shape)."""

    def __init__(self, tokenizer_file: Path, sentences: list[str]) -> None:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(256)
        tokenizer.enable_padding()
        encodings = tokenizer.encode_batch(sentences)
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        self.feeds = iter([{"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}])

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self.feeds, None)


def weight_matmuls(path: Path) -> list[str]:
    import onnx

    model = onnx.load(str(path))
    weights = {initializer.name for initializer in model.graph.initializer}
    return [node.name for node in model.graph.node if node.op_type == "MatMul" and node.input[1] in weights]


def main() -> None:
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_dynamic, quantize_static
    from onnxruntime.transformers.optimizer import optimize_model

    from compare.embed.onnx_backend import _export_float, _exportable_model

    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    model = _exportable_model("all-MiniLM-L6-v2")
    _export_float(model, folder / "float.onnx")
    model.tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    optimized = optimize_model(str(folder / "float.onnx"), model_type="bert", num_heads=12, hidden_size=384)
    print("optimizer fused:", optimized.get_fused_operator_statistics())
    optimized.save_model_to_file(str(folder / "optimized.onnx"))
    quantize_dynamic(
        str(folder / "optimized.onnx"),
        str(folder / "optimized-dynamic.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # the fused ops have no inferred type
    )
    for method in ("MinMax", "Percentile", "Entropy"):
        quantize_static(
            str(folder / "float.onnx"),
            str(folder / f"static-{method.lower()}.onnx"),
            Calibration(folder / "tokenizer.json", calibration_sentences()),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=["MatMul"],
            nodes_to_quantize=weight_matmuls(folder / "float.onnx"),  # softmax, GELU, LayerNorm stay float
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=getattr(CalibrationMethod, method),
        )
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    for block in (32, 128):
        quantizer = MatMulNBitsQuantizer(
            onnx.load(str(folder / "float.onnx")), block_size=block, is_symmetric=True, bits=8, accuracy_level=4
        )
        quantizer.process()
        quantizer.model.save_model_to_file(str(folder / f"nbits-{block}.onnx"), use_external_data_format=False)
    print("written:", ", ".join(sorted(path.name for path in folder.glob("*.onnx"))))


if __name__ == "__main__":
    main()
