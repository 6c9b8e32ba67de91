"""A cold analysis against a bare torch encode of the same statements, alternately, in one run (issue 16).

Usage: python bench/cold_ratio.py [--basil ../shared/corpora/basil/articles] [--rounds 2] [--code DIR]

Each round runs, as new processes one after the other:
  (b) ``python -m compare analyze BASIL --out X --no-store --quiet`` (cold: no cache; model loads,
      segmentation, embedding, clustering, framing, writing), its stage times recorded through the
      pipeline's progress callback;
  (a) a bare ``SentenceTransformer(model_path).encode(texts)`` (torch, default batch size) of the
      statements that analysis made; timed from the first to the last vector (imports and the model
      load not included, so the ratio is the stricter one).
It prints b/a per round, the stage times of (b) and the load average before each process.
``--code DIR`` runs (b) from another checkout (for a before/after in one run: pass it twice, e.g.
``--code /work/main --code .``; the rounds then alternate between them). ``--no-encode`` runs the analyses
alone: on a loaded machine the encode's time swings far more than the analysis's, and main against a branch
needs only the analyses.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def child_analyze(argv: list[str]) -> None:
    """Runs the CLI in this process with a progress hook that records when each stage starts and ends."""
    import compare.cli.run as cli_run

    marks: dict[str, list[float]] = {}
    origin = time.perf_counter()

    def cpu() -> float:  # this process and the spaCy processes it has joined
        return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
                   for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # fmt: skip

    class Recorder:
        def __init__(self, enabled: bool) -> None:
            del enabled

        def __call__(self, stage: str, done: int, total: int) -> None:
            now, used = time.perf_counter() - origin, cpu()
            span = marks.setdefault(stage, [now, now, used, used])
            span[1], span[3] = now, used

        def close(self) -> None:
            pass

    cli_run.ProgressBar = Recorder  # type: ignore[misc,assignment]
    from compare.cli import main

    code = main(argv)
    print("STAGES " + json.dumps(marks), file=sys.stderr)
    raise SystemExit(code)


def child_encode(texts_file: str) -> None:
    """A bare SentenceTransformer encode of the texts in the file; prints the encode seconds."""
    import torch
    from sentence_transformers import SentenceTransformer

    from compare.embed.base import default_model, resolve_model_path

    torch.set_num_threads(os.cpu_count() or 1)
    texts = json.loads(Path(texts_file).read_text())
    model = SentenceTransformer(resolve_model_path(default_model()), device="cpu")
    start, used = time.perf_counter(), time.process_time()
    model.encode(texts)
    print(f"ENCODE {time.perf_counter() - start:.3f} {time.process_time() - used:.3f} {len(texts)}")


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_analyze(code: Path, basil: str, out: Path) -> tuple[float, float, dict[str, list[float]]]:
    command = [sys.executable, str(ROOT / "bench" / "cold_ratio.py"), "--child-analyze",
               "analyze", basil, "--out", str(out), "--no-store", "--quiet"]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(code)}
    start, used = time.perf_counter(), children_cpu()
    result = subprocess.run(command, capture_output=True, text=True, cwd=code, env=env)
    seconds, used = time.perf_counter() - start, children_cpu() - used
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    line = next(line for line in result.stderr.splitlines() if line.startswith("STAGES "))
    return seconds, used, json.loads(line[len("STAGES ") :])


def run_encode(texts_file: Path) -> tuple[float, float]:
    command = [sys.executable, str(ROOT / "bench" / "cold_ratio.py"), "--child-encode", str(texts_file)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    _, seconds, cpu_seconds, _ = result.stdout.split()
    return float(seconds), float(cpu_seconds)


def statement_texts(out: Path, code: Path) -> list[str]:
    script = "import json,sys; from compare.pipeline import load_analysis; " \
             "print(json.dumps([s.text for s in load_analysis(sys.argv[1]).statements]))"  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(code)}
    result = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, cwd=code,
                            env=env, check=True)  # fmt: skip
    return json.loads(result.stdout)


def stage_line(marks: dict[str, list[float]]) -> str:
    """Wall / CPU seconds of each stage, from its first report to the next stage's first (or its own last)."""
    order = [stage for stage in ["read", "segment", "embed", "cluster", "framing"] if stage in marks]
    parts = [f"start {marks[order[0]][0]:.1f}"] if order else []
    for position, stage in enumerate(order):
        after = marks[order[position + 1]] if position + 1 < len(order) else None
        wall = (after[0] if after else marks[stage][1]) - marks[stage][0]
        used = (after[2] if after else marks[stage][3]) - marks[stage][2]
        parts.append(f"{stage} {wall:.1f}/{used:.1f}")
    return ", ".join(parts)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-analyze":
        child_analyze(sys.argv[2:])
    if len(sys.argv) > 1 and sys.argv[1] == "--child-encode":
        child_encode(sys.argv[2])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--basil", default=str(BASIL_ARTICLES))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--code", action="append", default=None, help="checkout to run the analysis from")
    parser.add_argument("--no-encode", action="store_true", help="the analyses alone (main against a branch)")
    arguments = parser.parse_args()
    codes = [Path(code).resolve() for code in (arguments.code or [str(ROOT)])]
    with tempfile.TemporaryDirectory() as folder:
        texts_file = Path(folder) / "texts.json"
        for round_number in range(arguments.rounds):
            for code in codes:
                out = Path(folder) / f"out-{round_number}-{codes.index(code)}"
                before = load()
                analysis_seconds, analysis_cpu, marks = run_analyze(code, arguments.basil, out)
                if not texts_file.exists():
                    texts = statement_texts(out, code)
                    texts_file.write_text(json.dumps(texts))
                    print(f"{len(texts)} statements", flush=True)
                if arguments.no_encode:
                    print(
                        f"round {round_number + 1} [{code}]: analysis {analysis_seconds:.1f} s, CPU {analysis_cpu:.1f} s "
                        f"(load {before}); stages wall/CPU s: {stage_line(marks)}",
                        flush=True,
                    )
                    continue
                between = load()
                encode_seconds, encode_cpu = run_encode(texts_file)
                print(
                    f"round {round_number + 1} [{code}]: analysis {analysis_seconds:.1f} s, CPU {analysis_cpu:.1f} s "
                    f"(load {before}); torch encode {encode_seconds:.1f} s, CPU {encode_cpu:.1f} s (load {between}); "
                    f"ratio wall {analysis_seconds / encode_seconds:.2f}, CPU {analysis_cpu / encode_cpu:.2f}; "
                    f"stages wall/CPU s: {stage_line(marks)}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
