"""Embedding rates: bare SentenceTransformer.encode vs the pipeline's embed stage, and the int8 backends.

Usage: python bench/embed_rate.py [--statements 2000] [--basil ../shared/corpora/basil/articles]

All embed the same BASIL statements with the same model, batch size 32 and threads; the
pipeline stage writes to a fresh store (so it embeds everything, and pays for hashing and storing).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--basil", default=str(BASIL_ARTICLES))
    arguments = parser.parse_args()
    import torch

    from compare.embed import SentenceTransformerEmbedder, embed_texts, get_embedder
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.segment import segment_articles

    torch.set_num_threads(arguments.threads)
    texts = [s.text for s in segment_articles(load_corpus([arguments.basil]).articles, store=Store())]
    texts = texts[: arguments.statements]
    torch_embedder = SentenceTransformerEmbedder(batch_size=32)
    model = torch_embedder.model
    model.encode(texts[:64], batch_size=32)  # warm-up

    def timed(run) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
        best = None
        for _ in range(2):
            start = time.perf_counter()
            vectors = run()
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        return len(texts) / best, vectors

    bare_rate, bare = timed(
        lambda: model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    )
    with tempfile.TemporaryDirectory() as folder:
        stores = iter([Store(Path(folder) / "a.sqlite3"), Store(Path(folder) / "b.sqlite3")])
        stage_rate, _ = timed(lambda: embed_texts(texts, torch_embedder, next(stores)))
    print(f"statements {len(texts)}, threads {arguments.threads}, batch 32")
    print(f"bare SentenceTransformer.encode: {bare_rate:.0f} statements/s")
    print(
        f"pipeline embed stage (torch, fresh store): {stage_rate:.0f} statements/s = {stage_rate / bare_rate:.3f} x bare"
    )
    for backend in ("onnx-int8-token", "onnx-int8"):
        onnx = get_embedder(backend=backend)
        onnx.embed(texts[:64])  # export (first time) and warm-up
        onnx_rate, fast = timed(lambda: onnx.embed(texts))  # noqa: B023 (called at once)
        cosines = (fast * bare).sum(axis=1)
        print(f"{backend} backend: {onnx_rate:.0f} statements/s = {onnx_rate / bare_rate:.2f} x bare")
        print(
            f"cosine {backend} vs torch: mean {cosines.mean():.4f}, 1st percentile {np.percentile(cosines, 1):.4f}, "
            f"min {cosines.min():.4f}"
        )


if __name__ == "__main__":
    main()
