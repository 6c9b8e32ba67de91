"""The CLI's work when one article is added to a saved run, timed in process, stage by stage.

Usage (from a checkout's root, ``HF_HUB_OFFLINE=1``):
    python bench/saved_run_add.py OUT [LABEL]

OUT is a folder written by ``python -m compare analyze ... --out OUT`` (e.g. ``cli-out`` of
``bench/incremental.py``); it is only read. The script reads the saved run (analysis.json, vectors,
index), builds the Analysis, adds one seed article (``extend``) and writes the result to a
temporary folder, printing the seconds of each step. Models are loaded and warmed first, so the
figures leave out what a new process spends on imports and model loading (the same for any code).
Run two checkouts alternately in one session (``PYTHONPATH`` on each) and compare ratios.
OUT must be a folder of analysis.json + index/ (the format before the store); since the store
(BENCHMARKS §5e) the write step writes ``analysis.duckdb``, so §5c's figures are those of c323096.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from compare.embed.registry import get_embedder
from compare.engines.incremental import extend
from compare.engines.index import load_index, read_manifest
from compare.engines.saved import analysis_from_dict, read_saved_analysis, save_analysis
from compare.ingest import load_corpus
from compare.segment.statements import load_spacy

try:
    from compare.io.collector import keep_loaded
except ImportError:  # code from before c323096

    def keep_loaded() -> None:
        pass


ADDED = Path(__file__).resolve().parent.parent / "seeds" / "001_e695d325b575ade2.txt"


def main() -> None:
    saved, label = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "run")
    embedder = get_embedder("all-MiniLM-L6-v2", "onnx-int8")
    embedder.embed(["warm up"])
    load_spacy()
    added = load_corpus([ADDED])
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    data, vectors = read_saved_analysis(saved)
    index = load_index(saved / "index")
    seconds["read"] = time.perf_counter() - start
    start = time.perf_counter()
    previous = analysis_from_dict(data, vectors)
    previous.index = index
    keep_loaded()
    seconds["build"] = time.perf_counter() - start
    start = time.perf_counter()
    analysis = extend(previous, added, embedder, None)
    seconds["extend"] = time.perf_counter() - start
    out = Path(tempfile.mkdtemp())
    try:
        start = time.perf_counter()
        save_analysis(analysis, out, index_manifest=read_manifest(saved / "index"))
        seconds["write"] = time.perf_counter() - start
    finally:
        shutil.rmtree(out)
    steps = " ".join(f"{name} {value:.2f} s" for name, value in seconds.items())
    print(f"{label}: {steps}, total {sum(seconds.values()):.2f} s", flush=True)


if __name__ == "__main__":
    main()
