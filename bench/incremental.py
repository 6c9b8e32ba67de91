"""Incremental re-analysis: a corpus already analysed into the store, one article added.

Usage: python bench/incremental.py [--basil ../shared/corpora/basil/articles] [--copies 1]

The corpus is BASIL (300 articles), or BASIL repeated --copies times with each copy's text marked
so that it is new to the store. After the first analysis, one seed article is added and the whole
analysis runs again; the script reports how many statements were embedded (should be the new
article's only) and the time of each stage.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class CountingEmbedder:
    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.embedded = inner, inner.name, 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return self.inner.embed(texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--basil", default=str(ROOT.parent / "shared" / "corpora" / "basil" / "articles"))
    parser.add_argument("--copies", type=int, default=1)
    arguments = parser.parse_args()
    from compare.embed import get_embedder
    from compare.ingest import Corpus, load_corpus
    from compare.pipeline import analyze
    from compare.store import Store

    base = load_corpus([arguments.basil]).articles
    articles = [
        replace(a, id=f"{a.id}~{copy}", text=a.text + (f"\n\nEdition {copy}." if copy else ""))
        for copy in range(arguments.copies)
        for a in base
    ]
    added = load_corpus([ROOT / "seeds" / "003_ea7004de55ab861a.txt"]).articles
    embedder = CountingEmbedder(get_embedder())
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.sqlite3")
        start = time.perf_counter()
        first = analyze(Corpus(articles=list(articles)), embedder=embedder, store=store)
        print(f"first analysis: {len(first.articles)} articles, {len(first.statements)} statements, "
              f"{time.perf_counter() - start:.1f} s, embedded {embedder.embedded}")  # fmt: skip
        embedder.embedded = 0
        marks: list[tuple[str, float]] = []
        start = time.perf_counter()
        second = analyze(
            Corpus(articles=[*articles, *added]),
            embedder=embedder,
            store=store,
            progress=lambda stage, done, total: marks.append((stage, time.perf_counter() - start)),
        )
        total = time.perf_counter() - start
    stages, previous = [], 0.0
    for stage, at in marks:
        if not stages or stages[-1][0] != stage:
            stages.append([stage, 0.0])
        stages[-1][1] += at - previous
        previous = at
    print(f"one article added: {len(second.statements) - len(first.statements)} new statements, "
          f"embedded {embedder.embedded}, total {total:.1f} s")  # fmt: skip
    print("  stages: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages))


if __name__ == "__main__":
    main()
