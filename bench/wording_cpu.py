"""CPU seconds of the wording signal on a corpus's framing context (its own process and the forked parse workers),
for comparing two trees in alternate processes.

Usage (run once per tree, alternately; ``--cache`` keeps the analysed corpus between runs):
    PYTHONPATH=TREE python bench/wording_cpu.py ../shared/corpora/basil/articles --store S.sqlite3 --cache C.pickle
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from wording_concepts import context_of


def _forked() -> float:
    """CPU seconds of the ended child processes (the forked parse workers of ``parse_work``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--store", default=None)
    parser.add_argument("--cache", type=Path, default=None)
    arguments = parser.parse_args()
    context = context_of(arguments.corpus, arguments.store, arguments.cache)

    from compare.framing import wording
    from compare.framing.state import FramingIndex
    from compare.model.framing import Framing
    from compare.segment import load_spacy

    load_spacy()  # loaded once per process in a run too; not what is timed
    cpu, wall, forked = time.process_time(), time.perf_counter(), _forked()
    framing = wording.compute(context, Framing(), FramingIndex())
    print(
        f"{wording.__file__}: CPU {time.process_time() - cpu:.1f} s + forked {_forked() - forked:.1f} s, "
        f"wall {time.perf_counter() - wall:.1f} s, "
        f"{len(framing.referent_wordings)} referent rows, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
