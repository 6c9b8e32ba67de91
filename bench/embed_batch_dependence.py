"""Does a statement's vector depend on what else is embedded with it? (the int8 backend's batches)

    python -m compare analyze seeds --out OUT --json
    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/embed_batch_dependence.py OUT/analysis.json [--backend onnx-int8|torch]

Embeds every statement of a corpus's analysis twice, once in the backend's batches with the rest of the
corpus and once alone, and prints how far apart the two vectors of each statement are, then the CPU and
wall seconds of both ways. onnxruntime's dynamic int8 quantisation (backend onnx-int8) scales each batch's
activations by one number for the whole batch, so the same text gets another vector in another batch; the
default onnx-int8-token gives each token its own scale, and torch has no scale: both give one vector.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from compare.embed import get_embedder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("analysis", type=Path, help="an analysis.json (analyze --out OUT --json)")
    parser.add_argument("--backend", default=None, help="default: the default backend")
    arguments = parser.parse_args()
    texts = [row["text"] for row in json.loads(arguments.analysis.read_text(encoding="utf-8"))["statements"]]
    embedder = get_embedder(backend=arguments.backend)
    embedder.embed(texts[:1])  # the model loads outside the timing
    cpu, wall = time.process_time(), time.perf_counter()
    together = embedder.embed(texts)
    cpu_together, wall_together = time.process_time() - cpu, time.perf_counter() - wall
    cpu, wall = time.process_time(), time.perf_counter()
    alone = np.vstack([embedder.embed([text]) for text in texts])
    cpu_alone, wall_alone = time.process_time() - cpu, time.perf_counter() - wall
    cosines = (together * alone).sum(axis=1)
    print(f"{len(texts)} statements, embedder {embedder.name}")
    print(f"cosine of a statement's vector in its batch and alone: min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    print(f"max abs difference {np.abs(together - alone).max():.4f}")
    print(
        f"in batches: {cpu_together:.2f} s CPU, {wall_together:.2f} s wall; one at a time: {cpu_alone:.2f} s CPU, {wall_alone:.2f} s wall"
    )


if __name__ == "__main__":
    main()
