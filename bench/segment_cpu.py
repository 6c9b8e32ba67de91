"""CPU seconds of segmenting all of BASIL (sentence split and spaCy, its processes included), and the rows made.

Usage: PYTHONPATH=CHECKOUT python bench/segment_cpu.py [--basil DIR] [--rows OUT.json]

Run it with ``PYTHONPATH`` on two checkouts and compare the CPU figures and the rows (``cmp`` the two
OUT.json files): CPU time, unlike wall time, stays comparable on a loaded shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    return sum(
        resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--basil", default=str(BASIL_ARTICLES))
    parser.add_argument("--rows", default=None, help="write the segmentation rows here (JSON)")
    arguments = parser.parse_args()
    import compare
    from compare.ingest import load_corpus
    from compare.segment import load_spacy, parse_articles

    articles = load_corpus([arguments.basil]).articles
    nlp = load_spacy()
    used, start = cpu(), time.perf_counter()
    rows = parse_articles(articles, nlp)
    print(
        f"{Path(compare.__file__).parent.parent}: {sum(map(len, rows))} statements, "
        f"CPU {cpu() - used:.1f} s, wall {time.perf_counter() - start:.1f} s"
    )
    if arguments.rows:
        Path(arguments.rows).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
