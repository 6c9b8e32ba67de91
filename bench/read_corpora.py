"""CPU time to read the real corpora (BASIL, ECB+ dev, the seeds, tests/data): the reading cost a reliability round
must leave unchanged. Run it in two ``git archive`` copies, alternated, and compare the ratios (RELIABILITY.md)."""

from __future__ import annotations

import time

from compare.ingest import load_corpus

ROOTS = ["/work/shared/corpora/basil", "/work/shared/corpora/ecbplus-dev", "seeds", "tests/data"]
READS = 3


def main() -> None:
    load_corpus(ROOTS)  # warm-up: imports, the registry, trafilatura's data
    started = time.process_time()
    for _ in range(READS):
        load_corpus(ROOTS)
    print(f"{(time.process_time() - started) / READS:.3f} s of CPU a read (mean of {READS})")


if __name__ == "__main__":
    main()
