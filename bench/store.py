"""The analysis store against the files it replaced, on a saved analysis (e.g. ``bench/incremental.py``'s).

Usage:
    python bench/store.py formats OUT   # analysis.json + vectors.npy + index/ against the store: read, write
    python bench/store.py add OUT       # the CLI's add-one path by stage: store read, extend, store update

OUT is an ``analyze --out`` folder with an index (the store, or an older version's files). Both run in
one process, interleaved, so that a loaded machine weighs on both alike; work goes to a temporary copy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MANIFEST = {"options": {}, "inputs": [], "articles": 0}


def formats(source: Path, work: Path) -> None:
    import orjson

    from compare.engines.index import load_index, write_index
    from compare.engines.saved import analysis_from_dict, load_analysis, save_analysis
    from compare.io.atomic import write_file

    analysis = load_analysis(source, with_index=True)
    assert analysis.index is not None, "OUT has no index"
    save_analysis(analysis, work / "store", index_manifest=MANIFEST)

    def old_write(folder: Path) -> None:
        write_file(folder / "analysis.json", orjson.dumps(analysis.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY))
        write_file(folder / "vectors.npy", lambda handle: np.save(handle, np.asarray(analysis.vectors, np.float32)))
        shutil.rmtree(folder / "index", ignore_errors=True)
        write_index(analysis.index, folder / "index", MANIFEST)  # type: ignore[arg-type]

    def old_read(folder: Path) -> None:
        found = analysis_from_dict(
            orjson.loads((folder / "analysis.json").read_bytes()), np.load(folder / "vectors.npy")
        )
        found.index = load_index(folder / "index")

    (work / "old").mkdir()
    for round_ in range(2):
        marks = [time.perf_counter()]
        old_write(work / "old")
        marks.append(time.perf_counter())
        old_read(work / "old")
        marks.append(time.perf_counter())
        loaded = load_analysis(work / "store", with_index=True)
        marks.append(time.perf_counter())
        save_analysis(loaded, work / "store", index_manifest=MANIFEST, previous=analysis)
        marks.append(time.perf_counter())
        save_analysis(loaded, work / "whole", index_manifest=MANIFEST)
        marks.append(time.perf_counter())
        old_size = sum(path.stat().st_size for path in (work / "old").rglob("*") if path.is_file())
        new_size = (work / "whole" / "analysis.duckdb").stat().st_size + sum(
            path.stat().st_size for path in (work / "whole" / "analysis.files").iterdir()
        ) // (2 if round_ else 1)  # the folder keeps the previous version's files
        took = np.diff(marks)
        print(
            f"round {round_}: old write {took[0]:.2f} s, read {took[1]:.2f} s ({old_size / 1e6:.0f} MB); "
            f"store read {took[2]:.2f} s, update (nothing changed) {took[3]:.2f} s, written whole {took[4]:.2f} s "
            f"(about {new_size / 1e6:.0f} MB); load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def add(source: Path, work: Path) -> None:
    from compare.embed import get_embedder
    from compare.engines.saved import load_analysis, save_analysis
    from compare.pipeline import extend
    from compare.segment import load_spacy

    shutil.copytree(source, work / "out")
    embedder = get_embedder()
    load_spacy()
    embedder.embed(["The models are loaded."])
    for added in ("003_ea7004de55ab861a.txt", "001_e695d325b575ade2.txt"):
        marks, cpu = [time.perf_counter()], [time.process_time()]  # CPU seconds too: wall time swings with the load
        previous = load_analysis(work / "out", with_index=True)
        marks.append(time.perf_counter())
        cpu.append(time.process_time())
        analysis = extend(previous, [SEEDS / added], embedder=embedder, store=None)
        marks.append(time.perf_counter())
        cpu.append(time.process_time())
        save_analysis(analysis, work / "out", index_manifest=MANIFEST, previous=previous)
        marks.append(time.perf_counter())
        cpu.append(time.process_time())
        took, used = np.diff(marks), np.diff(cpu)
        print(
            f"{added}: store read {took[0]:.2f} s (CPU {used[0]:.2f}), extend {took[1]:.2f} s (CPU {used[1]:.2f}), "
            f"store update {took[2]:.2f} s (CPU {used[2]:.2f}); load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["formats", "add"])
    parser.add_argument("out", type=Path)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parallax-store-"))
    try:
        (formats if arguments.what == "formats" else add)(arguments.out, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
