"""Runs every benchmark in turn and prints their results (the figures of BENCHMARKS.md).

Usage: python bench/run_all.py [--quick]   (--quick: clustering at 10k and 100k only, incremental at 1,200 articles, no load test)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    sizes = ["10000", "100000"] if arguments.quick else ["10000", "100000", "1000000"]
    runs = [
        ["embed_rate.py"],
        ["cluster_scale.py", "--sizes", *sizes],
        ["incremental.py", "--copies", "4", "--skip-cli"] if arguments.quick else ["incremental.py"],
        ["incremental.py", "--agreement"],
        ["end_to_end.py"],
        ["dashboard_latency.py"],
    ]
    if not arguments.quick:
        runs.append(["load_test.py", "--sessions", "20", "--seconds", "120"])
    try:
        import ray  # noqa: F401  (the Ray engine's benchmark needs the optional extra)

        runs.append(["ray_engine.py", "scaling"])
        if not arguments.quick:
            runs.append(["ray_engine.py", "agreement", "--backend", "torch", "--shard-rows", "200000", "1000", "300"])
    except ImportError:
        print("(Ray not installed: the Ray engine's benchmark is skipped; pip install -e '.[ray]')", flush=True)
    for run in runs:
        print(f"## {' '.join(run)}", flush=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / run[0]), *run[1:]], check=False)
        print(f"(took {time.perf_counter() - start:.0f} s)\n", flush=True)


if __name__ == "__main__":
    main()
