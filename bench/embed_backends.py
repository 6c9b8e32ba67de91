"""Embedding backends side by side: batch independence, closeness to torch, CPU and wall, one process each.

    python -m compare analyze ../shared/corpora/basil/articles --out OUT && python -m compare export-json OUT
    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/embed_backends.py OUT/analysis.json \\
        [--variants torch onnx-int8 onnx-int8-token /tmp/x/other.onnx] [--statements 2000] [--rounds 2]

Each variant (a backend name, or an ONNX file of the MiniLM transformer with the inputs and output of the
shipped export, as bench/embed_quant_variants.py writes them) runs in a process of its own, the variants
alternating round by round on the same statements, so that the machine's load falls on all of them alike.
Each process embeds the statements in the backend's batches (timed: CPU and wall), then the first
``--alone`` statements one at a time; it prints the cosine of each statement's two vectors (1.0000 means
batch-independent) and the cosine to torch's vectors of the same statements (torch runs first and writes
them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def embedder_for(variant: str):  # type: ignore[no-untyped-def]
    """The embedder of a backend name, or the shipped int8 embedder running another ONNX file."""
    from compare.embed import get_embedder

    if not variant.endswith(".onnx"):
        return get_embedder(backend=variant)
    import onnxruntime

    from compare.embed.onnx_backend import PER_TOKEN, OnnxEmbedder

    embedder = OnnxEmbedder("all-MiniLM-L6-v2", export=PER_TOKEN)
    embedder.embed(["loads the shipped export, whose tokenizer is used"])
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = embedder.threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    embedder._session = onnxruntime.InferenceSession(variant, options, providers=["CPUExecutionProvider"])
    return embedder


def measure(variant: str, texts: list[str], alone_count: int, reference: Path) -> dict[str, float | str]:
    """One variant in this process: timed batched embedding, then one at a time, then against torch."""
    embedder = embedder_for(variant)
    if variant == "torch":
        import torch

        torch.set_num_threads(min(4, os.cpu_count() or 1))  # the onnx backends' thread count
    embedder.embed(texts[:64])  # load and warm up outside the timing
    cpu, wall = time.process_time(), time.perf_counter()
    batched = embedder.embed(texts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    alone = np.vstack([embedder.embed([text]) for text in texts[:alone_count]])
    independence = (batched[:alone_count] * alone).sum(axis=1)
    if variant == "torch":
        np.save(reference, batched)
    to_torch = (batched * np.load(reference)).sum(axis=1)
    return {
        "variant": variant,
        "cpu": round(cpu, 2),
        "wall": round(wall, 2),
        "alone_min": float(independence.min()),
        "alone_mean": float(independence.mean()),
        "alone_max_abs": float(np.abs(batched[:alone_count] - alone).max()),
        "torch_mean": float(to_torch.mean()),
        "torch_p1": float(np.percentile(to_torch, 1)),
        "torch_min": float(to_torch.min()),
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("analysis", type=Path, help="an analysis.json (export-json OUT)")
    parser.add_argument("--variants", nargs="+", default=["torch", "onnx-int8", "onnx-int8-token"])
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--alone", type=int, default=600, help="statements also embedded one at a time")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--reference", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    statements = json.loads(arguments.analysis.read_text(encoding="utf-8"))["statements"]
    texts = [row["text"] for row in statements][: arguments.statements]
    if arguments.child:
        print(json.dumps(measure(arguments.child, texts, arguments.alone, arguments.reference)))
        return
    variants = ["torch", *[variant for variant in arguments.variants if variant != "torch"]]
    results: dict[str, list[dict]] = {variant: [] for variant in variants}
    with tempfile.TemporaryDirectory() as folder:
        reference = Path(folder) / "torch.npy"
        for round_number in range(arguments.rounds):
            for variant in variants if round_number % 2 == 0 else [variants[0], *reversed(variants[1:])]:
                command = [sys.executable, __file__, str(arguments.analysis), "--child", variant]
                command += ["--reference", str(reference), "--statements", str(arguments.statements)]
                command += ["--alone", str(arguments.alone)]
                finished = subprocess.run(command, capture_output=True, text=True, check=True)
                results[variant].append(json.loads(finished.stdout.strip().splitlines()[-1]))
                print(finished.stdout.strip().splitlines()[-1], flush=True)
    base = "onnx-int8" if "onnx-int8" in results else variants[0]
    base_cpu = sum(run["cpu"] for run in results[base])  # type: ignore[misc]
    print(f"\n{len(texts)} statements, {arguments.rounds} rounds; CPU and wall summed over rounds")
    print("variant | CPU s | CPU / " + base + " | wall s | alone: min / mean cosine | to torch: mean / 1% / min")
    for variant, runs in results.items():
        cpu = sum(run["cpu"] for run in runs)  # type: ignore[misc]
        wall = sum(run["wall"] for run in runs)  # type: ignore[misc]
        last = runs[-1]
        print(
            f"{variant} | {cpu:.1f} | {cpu / base_cpu:.2f} | {wall:.1f} | {last['alone_min']:.4f} / "
            f"{last['alone_mean']:.4f} | {last['torch_mean']:.4f} / {last['torch_p1']:.4f} / {last['torch_min']:.4f}"
        )
    print(f"load average (1 min) during the runs: {', '.join(str(run['load']) for run in results[base])}")


if __name__ == "__main__":
    main()
