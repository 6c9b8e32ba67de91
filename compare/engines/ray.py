"""The batch pipeline on a Ray cluster: ``python -m compare analyze ... --engine ray [--address ...]``.

Stages (the same as ``compare.pipeline.analyze``; the algorithms live in ``compare.cluster``, called
per shard through ``compare.engines.shards``):

1. **read**: Ray Data reads the input files in parallel (one task per file; sharded JSONL or
   Parquet files are read each by its own task), then the driver de-duplicates by fingerprint from
   the small columns only (id, fingerprint, outlet, source).
2. **segment** and **embed**: Ray Data ``map_batches`` over articles with actor pools, so spaCy and
   the embedding model are loaded once per worker, not per batch.
3. **shard**: articles are cut by date into shards (``compare.engines.shards.plan_shards``) and each shard is
   written under ``OUT/shards/`` as its rows of the store's ``articles`` and ``statements`` tables
   (``articles-NNNNN.parquet``, ``statements-NNNNN.parquet``, the statements with their float16
   embeddings; ``compare.engines.ray_shards``).
4. **stories** and **claims**: Ray tasks score each shard against its neighbour shards, reading only
   those shard files (a claim task one neighbour at a time); anchors (rare names and numbers)
   are partitioned by hash for their pairs; the driver gathers only the strong edges to find
   connected components; average linkage then runs per partition of components, in tasks.
5. **merge**: the driver reads the shards back into the analysis (and runs the framing analysis,
   which needs the statements of a story together); the CLI saves it to the store, whose vectors
   stay in the shards.

Ray is an optional extra (``pip install .[ray]``); nothing here is imported by the local engine.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from compare.cluster import (
    ClaimOptions,
    StoryOptions,
    claim_evidence,
    claims_from_labels,
    stories_from_labels,
)
from compare.embed import default_backend, default_model, get_embedder
from compare.engines.analysis import Analysis, Progress, corpus_problems
from compare.engines.ray_shards import clear_shards, gather_shards, shard_files, write_labels, write_shard
from compare.engines.ray_tasks import cluster_claims_on_ray, cluster_stories_on_ray
from compare.engines.ray_workers import Encoder, Segmenter, add_shard, keep_articles, read_units
from compare.engines.shards import (
    ShardOptions,
    neighbour_shards,
    plan_shards,
)
from compare.framing import compute_framing
from compare.ingest import (
    deduplicate_ids,
    expand_inputs,
    outlet_spellings,
)
from compare.io.remote import is_remote
from compare.model.documents import Problem
from compare.model.errors import NothingToCompareError, ParallaxError

_FORWARDED_ENVIRONMENT = ("PARALLAX_", "HF_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS_")


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide the Ray engine runs."""

    address: str | None = None  # a running cluster ("auto", "HOST:PORT", "ray://..."); None starts a local one
    workers: int | None = None  # actors per model stage (default: the cluster's CPUs)
    shards: ShardOptions = field(default_factory=ShardOptions)
    partitions: int | None = None  # partitions of anchors and of components (default: workers)
    # Where the shard files go (default OUT/shards): on a cluster, storage every node reaches, e.g.
    # s3://bucket/prefix/shards, which the workers write to and read from through pyarrow's filesystems.
    shard_location: str | None = None


class RayEngineError(ParallaxError):
    """Ray is missing or the cluster cannot be reached."""


def connect(address: str | None = None, cpus: int | None = None, with_aws: bool = False) -> bool:
    """Connects to the Ray cluster at ``address``, or starts a local one; True when this call started Ray.

    ``with_aws``: the workers get this process's ``AWS_*`` variables too (credentials and region), to write
    and read shards in object storage.
    """
    try:
        import ray
    except ImportError as error:
        raise RayEngineError("the Ray engine needs Ray: pip install 'parallax-compare[ray]' (or .[ray])") from error
    if ray.is_initialized():
        return False

    if address:
        _check_reachable(address)
    forwarded = (*_FORWARDED_ENVIRONMENT, "AWS_") if with_aws else _FORWARDED_ENVIRONMENT
    environment = {key: value for key, value in os.environ.items() if key.startswith(forwarded)}
    try:
        if address:
            ray.init(address=address, runtime_env={"env_vars": environment}, log_to_driver=False)
        else:
            ray.init(
                num_cpus=cpus,
                include_dashboard=False,
                runtime_env={"env_vars": environment},
                log_to_driver=False,
                configure_logging=False,
            )
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise RayEngineError(f"cannot reach the Ray cluster at {address or 'a new local cluster'}: {error}") from error
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return True


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fails fast, with a clear message, when a HOST:PORT address does not answer (Ray would retry for minutes)."""
    import socket

    if "://" in address or address in {"auto", "local"} or ":" not in address:
        return
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s):
            return
    except ValueError as error:
        raise RayEngineError(f"cannot reach the Ray cluster at {address}: the port is not a number") from error
    except OSError as error:
        raise RayEngineError(
            f"cannot reach the Ray cluster at {address} ({error.strerror or error}); is `ray start --head` running there?"
        ) from error


def analyze_on_ray(  # noqa: PLR0913 -- the Ray twin of analyze: the same keywords plus where to write and run
    inputs: Iterable[str | Path],
    out: str | Path,
    model: str | None = None,
    backend: str | None = None,
    story_options: StoryOptions | None = None,
    claim_options: ClaimOptions | None = None,
    ray_options: RayOptions | None = None,
    outlets: str | None = None,
    with_framing: bool = True,
    progress: Progress | None = None,
) -> Any:
    """Runs the pipeline on Ray and returns the same ``Analysis`` as ``compare.pipeline.analyze``.

    Also writes ``OUT/shards/articles-NNNNN.parquet`` and ``statements-NNNNN.parquet`` (each shard's
    rows of the store's tables, the statements with their embeddings) and ``OUT/labels.parquet``
    (story and claim of every statement).
    """

    report = progress or (lambda stage, done, total: None)
    story_options = story_options or StoryOptions()
    claim_options = claim_options or ClaimOptions()
    ray_options = ray_options or RayOptions()
    shard_folder = ray_options.shard_location or str(Path(out) / "shards")
    # first: it explains a missing Ray
    started = connect(ray_options.address, ray_options.workers, with_aws=is_remote(shard_folder))
    import ray

    try:
        import ray.data

        # Ray Data sets up its loggers when imported: progress lines and tuning hints are noise here.
        for name in ("ray.data", "ray.data._internal.execution.streaming_executor"):
            logging.getLogger(name).setLevel(logging.WARNING)
        warnings.filterwarnings("ignore", category=UserWarning, module=r"ray\.data\..*")
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        workers = ray_options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        partitions = ray_options.partitions or workers
        model_name = model or default_model()
        backend_name = backend or default_backend()
        out = Path(out)
        clear_shards(shard_folder)

        units = expand_inputs(inputs)
        articles_ds, problems = _read(units, outlets, workers)
        report("read", 1, 1)
        positions = articles_ds.count()
        if positions == 0:
            listed = "; ".join(f"{problem.source}: {problem.message}" for problem in problems[:10])
            more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
            raise NothingToCompareError(
                f"no article could be read from the inputs: {listed or 'nothing given'}{more}", problems
            )
        pool = ray.data.ActorPoolStrategy(size=workers)
        blocks = max(workers, min(positions // 16, 64 * workers))
        segmented = (
            articles_ds.repartition(blocks)
            .materialize()  # split before the actors take every CPU
            .map_batches(Segmenter, batch_size=16, compute=pool, num_cpus=1, batch_format="pyarrow")
            .materialize()
        )
        report("segment", 1, 1)
        embedded = segmented.map_batches(
            Encoder,
            fn_constructor_kwargs={"model": model_name, "backend": backend_name, "threads": 1},
            batch_size=32,
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
            batch_format="pyarrow",
        ).materialize()
        report("embed", 1, 1)

        index = embedded.select_columns(["position", "day", "count"]).to_pandas().sort_values("position")
        days = index["day"].to_numpy(np.int64)
        counts = index["count"].to_numpy(np.int64)
        first_row = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        plan = plan_shards(days, counts, ray_options.shards)
        embedded.map_batches(
            add_shard,
            fn_kwargs={"shard_of": plan.shard_of_article, "first_row": first_row},
            batch_format="pyarrow",
        ).groupby("shard").map_groups(
            write_shard, fn_kwargs={"folder": shard_folder}, batch_format="pyarrow"
        ).materialize()
        paths = [shard_files(shard_folder, shard) for shard in range(plan.count)]
        neighbours = neighbour_shards(plan, ray_options.shards.block_days)
        report("shard", plan.count, plan.count)

        n_articles = len(days)
        n_statements = int(counts.sum())
        story_labels = cluster_stories_on_ray(paths, neighbours, n_articles, story_options, partitions)
        report("stories", 1, 1)
        groups = np.repeat(np.arange(n_articles), counts)
        articles, statements, vectors = gather_shards(paths, with_vectors=with_framing)
        evidence = claim_evidence(articles, statements, story_labels)  # small per statement: sent once to every task
        claim_labels = cluster_claims_on_ray(
            paths, neighbours, n_statements, groups, claim_options, partitions, evidence
        )
        report("claims", 1, 1)

        stories = stories_from_labels(articles, story_labels)
        clusters = claims_from_labels(statements, claim_labels, stories, claim_options)
        write_labels(out / "labels.parquet", statements, stories, clusters)
        report("cluster", 1, 1)
        problems += corpus_problems(articles)

        embedder = get_embedder(model_name, backend_name)  # loads nothing until framing embeds
        analysis = Analysis(
            articles=articles,
            statements=statements,
            stories=stories,
            claims=clusters,
            problems=problems,
            vectors=vectors,
            model=embedder.name,
            settings={
                "stories": asdict(story_options),
                "claims": asdict(claim_options),
                "engine": {"name": "ray", "workers": workers, "shards": plan.count, **asdict(ray_options.shards)},
            },
        )
        if with_framing and statements:
            analysis.framing, _ = compute_framing(analysis.framing_context(embedder))
            report("framing", 1, 1)
        return analysis
    finally:
        if started:
            ray.shutdown()


# ---------------------------------------------------------------- read, segment, embed


def _read(units: Sequence[Any], outlets: str | None, workers: int) -> tuple[Any, list[Problem]]:
    """Articles (a materialised Ray dataset, duplicates dropped, ``position`` in reading order) and problems."""
    import ray.data

    items = [
        {"unit": number, "location": unit.location, "kind": unit.kind, "problem": unit.problem}
        for number, unit in enumerate(units)
    ]
    read = (
        ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 8 * workers)))
        .map_batches(read_units, fn_kwargs={"outlets": outlets}, batch_size=1, batch_format="pyarrow")  # type: ignore[arg-type]
        .materialize()
    )
    small = read.select_columns(["unit", "sub", "kind", "id", "fingerprint", "source", "outlet", "message"]).to_pandas()
    small = small.sort_values(["unit", "sub"], kind="stable")
    problems = [Problem(row.source, row.message) for row in small[small["kind"] == "problem"].itertuples(index=False)]
    found = small[small["kind"] == "article"]
    taken_as, spelling_problems = outlet_spellings(zip(found["outlet"].tolist(), found["source"].tolist()))
    problems.extend(spelling_problems)
    decisions, duplicate_problems = deduplicate_ids(
        zip(found["id"].tolist(), found["fingerprint"].tolist(), taken_as, found["source"].tolist())
    )
    problems.extend(duplicate_problems)
    keys = (found["unit"].to_numpy(np.int64) << 24) + found["sub"].to_numpy(np.int64)  # ascending: reading order
    kept = [number for number, decision in enumerate(decisions) if decision is not None]
    articles = read.map_batches(
        keep_articles,
        fn_kwargs={
            "keys": keys[kept],
            "ids": [decisions[number] for number in kept],
            "outlets": [taken_as[number] for number in kept],
        },
        batch_format="pyarrow",
    )
    return articles.materialize(), problems
