"""CPU time to read BASIL's articles as one Factiva export in each type (.txt, .rtf, .docx, .pdf) (BENCHMARKS §14).

Usage (from this checkout's root): ``PYTHONPATH=. python bench/document_reading.py [--rounds 3]``

The files are built as tests/test_round16_documents.py builds them (BASIL's titled articles in Factiva's layout;
the PDF sets its lines in Helvetica, 60 a page). Each round reads every type once, in turn, with
``time.process_time``; prints the median seconds per type, the articles read and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from compare.ingest import load_bytes
from tests.document_files import docx_bytes, pdf_bytes, rtf_bytes
from tests.test_round16_documents import _basil_factiva_lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    lines, _ = _basil_factiva_lines()
    paragraphs = [line for line in lines if line]
    files = {
        "factiva.txt": "\n".join(lines).encode(),
        "factiva.rtf": rtf_bytes(paragraphs),
        "factiva.docx": docx_bytes(paragraphs),
        "factiva.pdf": pdf_bytes(lines),
    }
    seconds: dict[str, list[float]] = {name: [] for name in files}
    articles: dict[str, int] = {}
    for _ in range(rounds):
        for name, raw in files.items():
            start = time.process_time()
            corpus = load_bytes(raw, name)
            seconds[name].append(time.process_time() - start)
            articles[name] = len(corpus.articles)
    for name, raw in files.items():
        median = statistics.median(seconds[name])
        print(f"{name:14} {len(raw) / 1e6:6.2f} MB  {articles[name]} articles  median {median:.2f} s of CPU")
    print("pages of the PDF:", files["factiva.pdf"].count(b"/Type /Page "), "load average:", os.getloadavg())


if __name__ == "__main__":
    main()
