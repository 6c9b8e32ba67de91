"""A saved analysis made N times larger by copying its rows, for dashboard benchmarks at scale without running
the pipeline on N copies (which takes hours on this machine).

Usage: python bench/scaled_saved.py SAVED OUT --copies 34

SAVED is an `analyze --out` folder (e.g. of BASIL). Copy k of every article, statement, story, claim and
framing row gets ids ending in ``~k`` (copy 0 keeps its ids), so the stories, claims and framing tables keep
their shape: BASIL x 34 is 10,200 articles and 253,028 statements, the size of the coordinator's 10,200-article
analysis (BENCHMARKS §4), and the same tables for a view to read. The outlet-wide tables (shares, terms,
swaps) are kept once, as a run over the copies would find them about the same. Vectors are copied too.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

import numpy as np

from compare.engines.analysis import Analysis
from compare.engines.saved import load_analysis, save_analysis
from compare.model.framing import Framing

ID_FIELDS = {"id", "story_id", "cluster_id", "statement_id", "other_statement_id", "article_id"}
IDS_FIELDS = {"statement_ids", "article_ids", "story_ids"}


def renamed(row: Any, suffix: str) -> Any:
    """``row`` with every id it holds ending in ``suffix``."""
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(row):
        value = getattr(row, item.name)
        if item.name in ID_FIELDS and value is not None:
            changes[item.name] = value + suffix
        elif item.name in IDS_FIELDS and isinstance(value, tuple):
            changes[item.name] = tuple(id_ + suffix for id_ in value)
        elif item.name in IDS_FIELDS and isinstance(value, dict):
            changes[item.name] = {key: tuple(id_ + suffix for id_ in ids) for key, ids in value.items()}
    return dataclasses.replace(row, **changes) if changes else row


def has_ids(row_type: type) -> bool:
    return bool({item.name for item in dataclasses.fields(row_type)} & (ID_FIELDS | IDS_FIELDS))


def scaled(analysis: Analysis, copies: int) -> Analysis:
    suffixes = [""] + [f"~{k}" for k in range(1, copies)]

    def every(rows: list[Any]) -> list[Any]:
        return [renamed(row, suffix) if suffix else row for suffix in suffixes for row in rows]

    framing = None
    if analysis.framing is not None:
        tables: dict[str, Any] = {}
        for item in dataclasses.fields(Framing):
            rows = getattr(analysis.framing, item.name)
            if "row" not in item.metadata:
                continue
            tables[item.name] = every(rows) if has_ids(item.metadata["row"]) else list(rows)
        origins = {
            story + suffix: count
            for suffix in suffixes
            for story, count in analysis.framing.independent_origins.items()
        }
        framing = Framing(**tables, independent_origins=origins)
    return Analysis(
        articles=every(analysis.articles),
        statements=every(analysis.statements),
        stories=every(analysis.stories),
        claims=every(analysis.claims),
        problems=list(analysis.problems),
        vectors=np.concatenate([analysis.vectors] * copies) if len(analysis.vectors) else analysis.vectors,
        model=analysis.model,
        settings=analysis.settings,
        framing=framing,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("saved")
    parser.add_argument("out")
    parser.add_argument("--copies", type=int, default=34)
    arguments = parser.parse_args()
    start = time.perf_counter()
    bigger = scaled(load_analysis(arguments.saved), arguments.copies)
    save_analysis(bigger, arguments.out)
    print(
        f"{len(bigger.articles):,} articles, {len(bigger.statements):,} statements, {len(bigger.stories):,} stories, "
        f"{len(bigger.claims):,} claims -> {arguments.out} in {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
