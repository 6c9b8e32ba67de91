"""The Ray engine on BASIL: scaling with 1 and 2 workers, and agreement with the local engine.

Usage:
    python bench/ray_engine.py scaling [--workers 1 2]
    python bench/ray_engine.py agreement [--backend torch] [--shard-rows 200000 1000 300]

scaling: wall time per stage of the Ray engine (a fresh local Ray cluster of N CPUs per run, model
loads included, no cache) against the local engine without a store, framing left out in both.
agreement: stories and claims of the Ray engine against the local engine on the same backend, as
B-cubed F1 (every statement counted, a statement in no claim being its own cluster), plus BASIL's
gold story F1 and the same-event rate of EVALUATION.md (cross-outlet claim pairs within one BASIL event).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.shared_corpora import BASIL_ARTICLES  # noqa: E402
from compare.embed import get_embedder  # noqa: E402
from compare.engines.ray import RayOptions, analyze_on_ray  # noqa: E402
from compare.engines.shards import ShardOptions  # noqa: E402
from compare.evaluate import bcubed, labels_from_groups  # noqa: E402
from compare.pipeline import analyze  # noqa: E402

BASIL = BASIL_ARTICLES


def timed_stages() -> tuple[dict[str, float], object]:
    start = time.perf_counter()
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if done >= total:
            marks[stage] = time.perf_counter() - start

    return marks, progress


def stage_line(marks: dict[str, float]) -> str:
    previous = 0.0
    parts = []
    for stage, at in sorted(marks.items(), key=lambda item: item[1]):
        parts.append(f"{stage} {at - previous:.1f}")
        previous = at
    return ", ".join(parts)


def scaling(workers: list[int], backend: str) -> None:
    marks, progress = timed_stages()
    start = time.perf_counter()
    local = analyze([BASIL], embedder=get_embedder(None, backend), with_framing=False, progress=progress)
    local_seconds = time.perf_counter() - start
    print(f"local engine: {local_seconds:.1f} s ({len(local.statements)} statements; {stage_line(marks)})", flush=True)
    for count in workers:
        marks, progress = timed_stages()
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            analyze_on_ray(
                [BASIL], out, backend=backend, ray_options=RayOptions(workers=count), with_framing=False,
                progress=progress,
            )  # fmt: skip
            seconds = time.perf_counter() - start
        print(
            f"ray, {count} worker(s): {seconds:.1f} s = {local_seconds / seconds:.2f} x the local engine "
            f"({stage_line(marks)})",
            flush=True,
        )


def full_labels(groups: list[tuple[str, ...]], items: list[str]) -> dict[str, str]:
    labels = labels_from_groups(groups)
    return {item: labels.get(item, item) for item in items}


def same_event_rate(analysis) -> float:  # type: ignore[no-untyped-def]
    """Of the pairs of statements from different outlets in one claim, the share within one BASIL event."""
    event = {article.id: article.extra.get("triplet-uuid") for article in analysis.articles}
    of = {statement.id: (statement.article_id, statement.outlet) for statement in analysis.statements}
    pairs = same = 0
    for cluster in analysis.claims:
        members = [of[statement_id] for statement_id in cluster.statement_ids]
        for first in range(len(members)):
            for second in range(first + 1, len(members)):
                if members[first][1] != members[second][1]:
                    pairs += 1
                    same += event[members[first][0]] == event[members[second][0]]
    return same / max(pairs, 1)


def agreement(backend: str, shard_rows: list[int], block_days: int) -> None:
    local = analyze([BASIL], embedder=get_embedder(None, backend), with_framing=False)
    gold = {article.id: article.extra["triplet-uuid"] for article in local.articles}
    articles = [article.id for article in local.articles]
    statements = [statement.id for statement in local.statements]
    local_stories = full_labels([story.article_ids for story in local.stories], articles)
    local_claims = full_labels([cluster.statement_ids for cluster in local.claims], statements)
    print(
        f"local ({backend}): gold story F1 {bcubed(local_stories, gold).f1:.3f}, {len(local.claims)} claims, "
        f"same-event rate {same_event_rate(local):.3f}",
        flush=True,
    )
    for rows in shard_rows:
        with tempfile.TemporaryDirectory() as out:
            on_ray = analyze_on_ray(
                [BASIL], out, backend=backend, with_framing=False,
                ray_options=RayOptions(workers=2, shards=ShardOptions(shard_rows=rows, block_days=block_days)),
            )  # fmt: skip
        stories = bcubed(full_labels([story.article_ids for story in on_ray.stories], articles), local_stories)
        claims = bcubed(full_labels([cluster.statement_ids for cluster in on_ray.claims], statements), local_claims)
        gold_f1 = bcubed(full_labels([story.article_ids for story in on_ray.stories], articles), gold).f1
        identical = on_ray.stories == local.stories and on_ray.claims == local.claims
        print(
            f"ray ({backend}, shard rows {rows}, {on_ray.settings['engine']['shards']} shards, block {block_days} d): "
            f"stories F1 vs local {stories.f1:.3f}, claims F1 vs local {claims.f1:.3f}"
            f"{' (identical)' if identical else ''}, gold story F1 {gold_f1:.3f}, "
            f"{len(on_ray.claims)} claims, same-event rate {same_event_rate(on_ray):.3f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["scaling", "agreement"])
    parser.add_argument("--backend", default="onnx-int8")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--shard-rows", type=int, nargs="+", default=[200_000, 1000, 300])
    parser.add_argument("--block-days", type=int, default=7)
    arguments = parser.parse_args()
    if arguments.mode == "scaling":
        scaling(arguments.workers, arguments.backend)
    else:
        agreement(arguments.backend, arguments.shard_rows, arguments.block_days)


if __name__ == "__main__":
    main()
