"""Every framing table of a corpus, with the CPU and wall seconds of ``compute_framing``, for a before/after check.

Usage (once per tree, alternately; ``--cache`` keeps the analysed corpus between runs):
    PYTHONPATH=TREE HF_HUB_OFFLINE=1 python bench/framing_tables.py ../shared/corpora/basil/articles \
        --cache C.pickle --tables TREE.tables.txt
then ``cmp`` the two ``--tables`` files (one line per table: its name and the ``repr`` of its rows).
CPU seconds count this process and the processes it has joined (framing's forked spaCy workers).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

from segment_cpu import cpu as cpu_seconds
from wording_concepts import context_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--store", default=None)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--tables", type=Path, default=None)
    arguments = parser.parse_args()
    context = context_of(arguments.corpus, arguments.store, arguments.cache)

    import compare.framing
    from compare.segment import load_spacy

    load_spacy()  # loaded once per process in a run too; not what is timed
    load = os.getloadavg()[0]
    cpu, wall = cpu_seconds(), time.perf_counter()
    framing, _ = compare.framing.compute_framing(context)
    print(
        f"{compare.framing.__file__}: compute_framing CPU {cpu_seconds() - cpu:.1f} s, "
        f"wall {time.perf_counter() - wall:.1f} s, load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    if arguments.tables:
        lines = [f"{field.name}\t{getattr(framing, field.name)!r}" for field in dataclasses.fields(framing)]
        arguments.tables.write_text("\n".join(lines) + "\n")
        print(f"{len(lines)} tables written to {arguments.tables}")


if __name__ == "__main__":
    main()
