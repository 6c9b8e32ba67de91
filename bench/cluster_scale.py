"""Claim clustering at 10k, 100k and 1M statements: wall time and peak memory, one child process per size.

Usage: python bench/cluster_scale.py [--sizes 10000 100000 1000000] [--basil ../shared/corpora/basil/articles]

Real BASIL statement embeddings (and entities) are replicated with Gaussian noise (sigma 0.02 per
dimension, cosine about 0.93 to the original) until the corpus has the wanted size; each replica
belongs to its own article, as a rewrite by another outlet would.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def _base(basil: str):  # type: ignore[no-untyped-def]
    from compare.embed import embed_texts, get_embedder
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.segment import segment_articles

    store = Store()
    statements = segment_articles(load_corpus([basil]).articles, store=store)
    vectors = embed_texts([statement.text for statement in statements], get_embedder(), store)
    return statements, vectors


def run_one(size: int, basil: str) -> dict:
    import numpy as np

    from compare.cluster import ClaimOptions, cluster_claims

    statements, vectors = _base(basil)
    rng = np.random.default_rng(0)
    copies = -(-size // len(statements))
    all_statements = []
    blocks = []
    for copy in range(copies):
        noisy = vectors + (rng.normal(scale=0.02, size=vectors.shape).astype(np.float32) if copy else 0)
        blocks.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
        all_statements.extend(replace(s, id=f"{s.id}~{copy}", article_id=f"{s.article_id}~{copy}") for s in statements)
    data = np.vstack(blocks)[:size].astype(np.float32)
    chosen = all_statements[:size]
    del blocks
    start = time.perf_counter()
    clusters = cluster_claims(chosen, data, (), ClaimOptions())
    seconds = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return {
        "statements": size,
        "seconds": round(seconds, 1),
        "peak_rss_gb": round(peak_gb, 2),
        "clusters": len(clusters),
        "cross_outlet_clusters": sum(1 for c in clusters if len(c.outlets) >= 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--basil", default=str(BASIL_ARTICLES))
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(run_one(arguments.child, arguments.basil)))
        return
    for size in arguments.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--basil", arguments.basil],
            capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )  # fmt: skip
        lines = [line for line in output.stdout.splitlines() if line.startswith("{")]
        print(lines[-1] if lines else f"{size}: failed\n{output.stderr[-2000:]}", flush=True)


if __name__ == "__main__":
    main()
