"""Int8 quantisation of an ONNX graph's weight products with one activation scale per token (batch-independent).

onnxruntime's dynamic quantisation (``quantize_dynamic``) gives a whole batch's activations one scale, so a
statement's vector depended on the statements embedded with it (BENCHMARKS §2b). Here each token's input
row to a weight product gets its own scale and zero point (its min and max), so a token's result depends on
that token alone: a statement's vector is the same in any batch, and closer to the float model's, since a
row's range is narrower than a batch's. Weights are int8, symmetric, one scale per output column, as before.

Each ``x @ W`` becomes ``QuantizeLinear`` with a block of the whole row (opset 21) and onnxruntime's
``MatMulIntegerToFloat`` (u8 x s8, VNNI on CPUs that have it), then the row's scale and the zero-point
correction ``zp * sum(W)``: about the CPU of the dynamic graph (BENCHMARKS §2b). The attention products
(activation by activation), softmax, GELU and LayerNorm stay float.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

# The opset whose QuantizeLinear takes a block size (a scale per row of the last axis).
_OPSET = 21


def quantize_per_token(source: Path, target: Path) -> int:
    """Writes ``target``: ``source`` with every MatMul by a constant weight in per-token int8.

    Args:
        source: a float ONNX graph (opset 17 or later; its ops keep their meaning at opset 21).
        target: where to write the quantised graph.

    Returns:
        How many weight products were quantised.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    for opset in model.opset_import:
        if opset.domain in ("", "ai.onnx"):
            opset.version = _OPSET
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    graph = model.graph
    weights = {initializer.name: initializer for initializer in graph.initializer}
    shared = {"tq_zero": np.array(0.0, np.float32), "tq_one": np.array(1.0, np.float32)}
    shared |= {"tq_levels": np.array(255.0, np.float32), "tq_tiny": np.array(1e-8, np.float32)}
    shared |= {"tq_last_axis": np.array([-1], np.int64)}
    constants = [numpy_helper.from_array(value, name) for name, value in shared.items()]
    nodes: list[Any] = []
    quantised = 0
    rows_of: dict[str, str] = {}  # an input's quantised rows, made once for all its products (Q, K and V)
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        prefix = f"tq{quantised}"
        weight = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        constants += [
            numpy_helper.from_array(value, f"{prefix}_{name}") for name, value in _int8_weight(weight).items()
        ]
        if node.input[0] not in rows_of:
            rows_of[node.input[0]] = prefix
            nodes += _quantised_rows(helper, node.input[0], prefix, width=weight.shape[0])
        nodes += _int8_product(helper, rows_of[node.input[0]], prefix, node.output[0])
        quantised += 1
    used = {name for node in nodes for name in node.input}
    kept = [initializer for name, initializer in weights.items() if name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend([*kept, *constants])
    onnx.save(model, str(target))
    return quantised


def _int8_weight(weight: np.ndarray) -> dict[str, np.ndarray]:
    """A weight (rows x columns) as symmetric int8 with a scale per column, and each column's scaled sum."""
    scale = np.maximum(np.abs(weight).max(axis=0), 1e-12) / 127.0
    quantised = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
    column_sums = (quantised.astype(np.int64).sum(axis=0) * scale).astype(np.float32)
    return {"weight": quantised, "weight_scale": scale.astype(np.float32), "column_sums": column_sums}


def _node(helper: Any, op: str, inputs: list[str], output: str, **attributes: Any) -> Any:
    domain = "com.microsoft" if op == "MatMulIntegerToFloat" else ""
    return helper.make_node(op, inputs, [output], domain=domain, **attributes)


def _quantised_rows(helper: Any, x: str, prefix: str, width: int) -> list[Any]:
    """Nodes quantising ``x`` to uint8 row by row (each row's own range, 0 kept exact): PREFIX_x_int8, with
    PREFIX_scale and PREFIX_zero_float per row."""

    def name(part: str) -> str:
        return f"{prefix}_{part}"

    return [
        _node(helper, "ReduceMax", [x, "tq_last_axis"], name("max"), keepdims=1),
        _node(helper, "ReduceMin", [x, "tq_last_axis"], name("min"), keepdims=1),
        _node(helper, "Max", [name("max"), "tq_zero"], name("high")),
        _node(helper, "Min", [name("min"), "tq_zero"], name("low")),
        _node(helper, "Sub", [name("high"), name("low")], name("range")),
        _node(helper, "Div", [name("range"), "tq_levels"], name("raw_scale")),
        _node(helper, "Max", [name("raw_scale"), "tq_tiny"], name("scale")),  # a row of zeros keeps a scale
        _node(helper, "Div", [name("low"), name("scale")], name("low_steps")),
        _node(helper, "Round", [name("low_steps")], name("low_rounded")),
        _node(helper, "Neg", [name("low_rounded")], name("zero_float")),  # in [0, 255]: the range holds 0
        _node(helper, "Cast", [name("zero_float")], name("zero_point"), to=2),  # uint8
        _node(
            helper, "QuantizeLinear", [x, name("scale"), name("zero_point")], name("x_int8"), axis=-1, block_size=width
        ),
    ]


def _int8_product(helper: Any, rows: str, weight: str, y: str) -> list[Any]:
    """Nodes computing ``y = x @ W`` from x's quantised rows (prefix ``rows``) and W's int8 (prefix ``weight``)."""
    return [
        _node(
            helper,
            "MatMulIntegerToFloat",
            [f"{rows}_x_int8", f"{weight}_weight", "tq_one", f"{weight}_weight_scale"],
            f"{weight}_sum",
        ),
        _node(helper, "Mul", [f"{weight}_sum", f"{rows}_scale"], f"{weight}_scaled"),
        _node(helper, "Mul", [f"{rows}_zero_float", f"{rows}_scale"], f"{weight}_zero_scaled"),
        _node(helper, "Mul", [f"{weight}_zero_scaled", f"{weight}_column_sums"], f"{weight}_correction"),
        _node(helper, "Sub", [f"{weight}_scaled", f"{weight}_correction"], y),
    ]
