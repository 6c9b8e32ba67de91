"""What a new process pays before it adds one article, for checkouts taken in turn (BENCHMARKS §5u).

Usage (from this checkout's root, ``HF_HUB_OFFLINE=1``):
    python bench/process_start.py --rounds 8 --code OLD --code NEW [--article FILE]

Each round starts one new Python process per checkout (``PYTHONPATH=CODE``, in turn, so that the machine's
load falls on each alike) that times with ``time.process_time``: the CLI's imports; pyarrow's first conversion of
Python values (which imports pandas unless the rows go as SQL parameters, ``compare.io.columns.rows_source``, or an older
checkout's ``compare.cli.startup.arrow_without_pandas`` hides it); spaCy's import and pipeline load; segmenting one article; the int8 ONNX session and tokenizer;
embedding the article's statements. Prints each stage's median CPU seconds per checkout, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, sys, time
clock = time.process_time
start = clock()
import compare.cli, compare.cli.run, compare.engines.incremental, compare.segment.statements
seconds = {"imports": clock() - start}
from compare.ingest import load_corpus
articles = load_corpus([sys.argv[1]]).articles
mark = clock()
try:
    from compare.cli.startup import arrow_without_pandas
except ImportError:
    arrow_without_pandas = None
if arrow_without_pandas is not None:
    arrow_without_pandas()
from compare.io.columns import arrow_table
arrow_table({"id": ["a", "b"], "count": [1, 2]})
seconds["pyarrow's first conversion"] = clock() - mark
mark = clock()
from compare.segment import load_spacy, segment_articles
nlp = load_spacy()
seconds["spaCy import + load"] = clock() - mark
mark = clock()
statements = segment_articles(articles, nlp)
seconds["segment the article"] = clock() - mark
mark = clock()
from compare.embed import get_embedder
embedder = get_embedder()
embedder.embed([])
seconds["ONNX session + tokenizer"] = clock() - mark
mark = clock()
embedder.embed([statement.text for statement in statements])
seconds["embed its statements"] = clock() - mark
seconds["total"] = sum(seconds.values())
seconds["pandas imported"] = float("pandas" in sys.modules)
print(json.dumps(seconds))
"""


def one_process(code: Path, article: Path) -> dict[str, float]:
    """The stage seconds of one new process running ``code``."""
    environment = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    finished = subprocess.run(
        [sys.executable, "-c", _CHILD, str(article)], cwd=code, env=environment, capture_output=True, text=True
    )
    if finished.returncode != 0:
        raise SystemExit(f"{code}: {finished.stderr[-2000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", action="append", required=True, type=Path, help="a checkout (give two or more)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--article", type=Path, default=Path("/tmp/add16d/seed002"), help="a file or folder")
    arguments = parser.parse_args()
    article = arguments.article.resolve()
    runs: dict[Path, list[dict[str, float]]] = {code: [] for code in arguments.code}
    loads = [os.getloadavg()[0]]
    for _ in range(arguments.rounds):
        for code in arguments.code:
            runs[code].append(one_process(code.resolve(), article))
        loads.append(os.getloadavg()[0])
    stages = list(runs[arguments.code[0]][0])
    print("| stage (median CPU s) | " + " | ".join(code.name for code in arguments.code) + " |")
    print("|---" * (len(arguments.code) + 1) + "|")
    for stage in stages:
        medians = [statistics.median(run[stage] for run in runs[code]) for code in arguments.code]
        print(f"| {stage} | " + " | ".join(f"{value:.3f}" for value in medians) + " |")
    print(f"{arguments.rounds} rounds; load average {min(loads):.1f}-{max(loads):.1f}")


if __name__ == "__main__":
    main()
