"""The CLI's ``analyze`` in this process, with the wall and CPU seconds of each stage (BENCHMARKS §5h).

Usage (from a checkout's root, ``HF_HUB_OFFLINE=1``, so that its compare/ is imported):
    python bench/add_stages.py analyze INPUTS --out OUT --store NEW --quiet

The arguments are the CLI's (``python -m compare ...``); this script runs the same ``main`` and wraps
the functions each stage calls, so that the figures are those of a new process adding to a saved run:
imports, reading the saved run, loading the models, segmenting and embedding the added articles, the
story and claim indexes, framing, writing. A stage inside another is counted in both (``extend``
holds segment ... framing); stages run once per addition. Prints one line per stage, then the total.
"""

from __future__ import annotations

import time

START_WALL, START_CPU = time.perf_counter(), time.process_time()

import functools  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import compare.cli  # noqa: E402
import compare.cli.commands  # noqa: E402
import compare.cli.run  # noqa: E402
import compare.embed.onnx_backend  # noqa: E402
import compare.engines.analysis  # noqa: E402
import compare.engines.incremental  # noqa: E402
import compare.segment.statements  # noqa: E402
import compare.segment.times  # noqa: E402

IMPORTED = (time.perf_counter() - START_WALL, time.process_time() - START_CPU)
SECONDS: dict[str, list[float]] = {}
FAULTS: dict[str, list[float]] = {}  # minor faults, system seconds and the peak memory (MB) after each stage


def _rusage() -> tuple[int, float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_minflt, usage.ru_stime, usage.ru_maxrss / 1024


def timed(module: Any, name: str, label: str, clock: Callable[[], float] = time.process_time) -> None:
    """Replaces ``module.name`` by a wrapper that adds its wall and CPU seconds to ``label`` (the process's CPU:
    a stage that runs while a thread loads beside it counts the thread's CPU too; ``clock=time.thread_time``
    counts the calling thread's only)."""
    function: Callable[..., Any] = getattr(module, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), clock()
        faults, system, _ = _rusage()
        try:
            return function(*args, **kwargs)
        finally:
            spent = SECONDS.setdefault(label, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += clock() - cpu
            now_faults, now_system, peak = _rusage()
            paged = FAULTS.setdefault(label, [0, 0.0, 0.0])
            paged[0] += now_faults - faults
            paged[1] += now_system - system
            paged[2] = peak

    setattr(module, name, wrapper)


def main() -> int:
    incremental = compare.engines.incremental
    timed(compare.cli.run, "read_stored_manifest", "read manifest")
    timed(compare.cli.run, "load_analysis", "read saved run")
    timed(compare.cli.run, "get_embedder", "embedder made")
    timed(compare.segment.statements, "load_spacy", "spaCy load")
    spacy_import = ("compare.segment.spacy_load", "import_spacy"), ("compare.segment.statements", "_spacy")
    for module_name, name in spacy_import:  # where this checkout imports spaCy (add16k moved it)
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, name):
            timed(module, name, "spaCy load: its import")
            break
    timed(compare.embed.onnx_backend.OnnxEmbedder, "_load", "embed: the ONNX session and tokenizer")
    timed(compare.segment.times, "_parsed", "claims: dateparser (its first use included)")
    timed(incremental, "statements_and_vectors", "segment + embed")
    timed(compare.engines.analysis, "segment_articles", "segment")
    timed(compare.engines.analysis, "embed_texts", "embed")
    timed(incremental, "extend_story_index", "stories")
    timed(incremental, "stories_from_labels", "stories")
    timed(incremental, "claim_evidence", "claims")
    timed(incremental, "extend_claim_index", "claims")
    for name in ("claims_from_labels", "extended_claims"):  # the claims made (all, or the changed ones: add16i)
        if hasattr(incremental, name):
            timed(incremental, name, "claims")
    timed(incremental.FramingChange, "between", "framing")
    timed(incremental, "extend_framing", "framing")
    timed(compare.cli.run, "extend", "extend (all of the above from segment on)")
    preload = sys.modules.get("compare.cli.preload")  # add16m: the loads in a thread beside the read
    if preload is not None:
        timed(
            preload,
            "_load_each",
            "loads beside the read (the thread's own CPU; in 'read saved run' too)",
            time.thread_time,
        )
    timed(compare.cli.commands, "save_analysis", "write")
    code = compare.cli.main(sys.argv[1:])
    print(f"imports: {IMPORTED[0]:.2f} s wall, {IMPORTED[1]:.2f} s CPU", file=sys.stderr)
    for label, (wall, cpu) in SECONDS.items():
        faults, system, peak = FAULTS[label]
        print(
            f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU ({system:.2f} sys, {faults:.0f} minor faults,"
            f" peak {peak:.0f} MB after)",
            file=sys.stderr,
        )
    wall, cpu = time.perf_counter() - START_WALL, time.process_time() - START_CPU
    print(f"total in process: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
