"""End to end: `python -m compare analyze` on the seeds and on BASIL, cold (fresh store, new process, model
load included) and warm (same store again), with peak memory.

Usage: python bench/end_to_end.py [--basil ../shared/corpora/basil/articles] [--backend onnx-int8]

The ONNX export of the model (made once per machine, about 10 s) is not part of "cold": it is kept
in the model cache like an installed file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def run(inputs: list[str], store: Path, out: Path, backend: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (GB) of one analyze process."""
    command = [sys.executable, "-m", "compare", "analyze", *inputs, "--out", str(out), "--store", str(store),
               "--backend", backend, "--quiet"]  # fmt: skip
    wrapped = ["/usr/bin/time", "-f", "%M", *command] if Path("/usr/bin/time").exists() else command
    start = time.perf_counter()
    result = subprocess.run(
        wrapped, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    last = result.stderr.strip().splitlines()[-1]
    peak = int(last) / 1024 / 1024 if last.isdigit() else float("nan")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--basil", default=str(BASIL_ARTICLES))
    parser.add_argument("--backend", default="onnx-int8")
    arguments = parser.parse_args()
    for name, inputs in (("seeds", [str(ROOT / "seeds")]), ("BASIL", [arguments.basil])):
        with tempfile.TemporaryDirectory() as folder:
            store, out = Path(folder) / "store.sqlite3", Path(folder) / "out"
            cold, cold_peak = run(inputs, store, out, arguments.backend)
            warm, warm_peak = run(inputs, store, out, arguments.backend)
        print(
            f"{name}: cold {cold:.1f} s (peak {cold_peak:.2f} GB), warm {warm:.1f} s (peak {warm_peak:.2f} GB)",
            flush=True,
        )


if __name__ == "__main__":
    main()
