"""A story's queries on a saved analysis, each table's time: what the story page waits for from the store.

Usage: python bench/story_queries.py ANALYSIS_FOLDER [--stories 20]

Reads the stories told by two or more outlets (every 7th, as bench/story_view.py picks them) through
``SavedQueries.story`` with the story page's tables, and prints the median and the slowest time of the whole
story and of each table read (``AnalysisStore.read_table``), with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from compare.engines.browse import SavedQueries
from compare.io.tables import AnalysisStore
from compare.views.reading import STORY_TABLES


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("analysis")
    parser.add_argument("--stories", type=int, default=20)
    arguments = parser.parse_args()
    queries = SavedQueries(arguments.analysis)
    by_table: dict[str, list[float]] = {}
    read_table = AnalysisStore.read_table

    def timed(store, name, *rest, **keywords):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        found = read_table(store, name, *rest, **keywords)
        by_table.setdefault(name, []).append(time.perf_counter() - start)
        return found

    AnalysisStore.read_table = timed  # type: ignore[method-assign]
    told = [row["id"] for row in queries.summary_rows() if len(row["outlets"]) >= 2]
    whole = []
    for number in range(arguments.stories):
        start = time.perf_counter()
        queries.story(told[(number * 7 + 1) % len(told)], STORY_TABLES)
        whole.append(time.perf_counter() - start)
    print(f"a story: median {statistics.median(whole) * 1000:.0f} ms, max {max(whole) * 1000:.0f} ms ({len(whole)})")
    for name, times in sorted(by_table.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {name:22s} median {statistics.median(times) * 1000:6.1f} ms, max {max(times) * 1000:6.1f} ms")
    print(f"load average at the end: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
