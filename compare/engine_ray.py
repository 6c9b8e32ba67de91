"""The batch pipeline on a Ray cluster: ``python -m compare analyze ... --engine ray [--address ...]``.

Stages (the same as ``compare.pipeline.analyze``; the algorithms live in ``compare.cluster``, called
per shard through ``compare.shard``):

1. **read**: Ray Data reads the input files in parallel (one task per file; sharded JSONL or
   Parquet files are read each by its own task), then the driver de-duplicates by fingerprint from
   the small columns only (id, fingerprint, source).
2. **segment** and **embed**: Ray Data ``map_batches`` over articles with actor pools, so spaCy and
   the embedding model are loaded once per worker, not per batch.
3. **shard**: articles are cut by date into shards (``compare.shard.plan_shards``) and each shard is
   written as one Parquet file (articles, statements, embeddings) under ``OUT/shards/``.
4. **stories** and **claims**: Ray tasks score each shard against its neighbour shards, reading only
   those shard files (a claim task one neighbour at a time); anchors (rare names and numbers)
   are partitioned by hash for their pairs; the driver gathers only the strong edges to find
   connected components; average linkage then runs per partition of components, in tasks.
5. **merge**: the driver reads the shards back to write ``analysis.json`` (and runs the framing
   analysis, which needs the statements of a story together).

Ray is an optional extra (``pip install .[ray]``); nothing here is imported by the local engine.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from compare.cluster import (
    ClaimOptions,
    StoryOptions,
    article_days,
    article_term_counts,
    article_vectors,
    claims_from_labels,
    document_frequencies,
    labels_from_roots,
    roots_from_links,
    statement_anchors,
    stories_from_labels,
)
from compare.cluster.components import Edges, Links, component_labels, strong_edges, within_components
from compare.cluster.neighbours import contains_sorted
from compare.framing import compute_framing
from compare.io.atomic import write_file
from compare.model.documents import Article, Problem, Statement, empty_vectors
from compare.model.errors import ParallaxError
from compare.shard import (
    ShardOptions,
    anchor_pairs,
    anchor_partition,
    claim_edges_in_blocks,
    link_components,
    neighbour_shards,
    plan_shards,
    story_edges,
)

Progress = Callable[[str, int, int], None]
_FORWARDED_ENVIRONMENT = ("PARALLAX_", "HF_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS_")


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide the Ray engine runs."""

    address: str | None = None  # a running cluster ("auto", "HOST:PORT", "ray://..."); None starts a local one
    workers: int | None = None  # actors per model stage (default: the cluster's CPUs)
    shards: ShardOptions = field(default_factory=ShardOptions)
    partitions: int | None = None  # partitions of anchors and of components (default: workers)


class RayEngineError(ParallaxError):
    """Ray is missing or the cluster cannot be reached."""


def connect(address: str | None = None, cpus: int | None = None) -> bool:
    """Connects to the Ray cluster at ``address``, or starts a local one; True when this call started Ray."""
    try:
        import ray
    except ImportError as error:
        raise RayEngineError("the Ray engine needs Ray: pip install 'parallax-compare[ray]' (or .[ray])") from error
    if ray.is_initialized():
        return False

    if address:
        _check_reachable(address)
    environment = {key: value for key, value in os.environ.items() if key.startswith(_FORWARDED_ENVIRONMENT)}
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


def analyze_on_ray(
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

    Also writes ``OUT/shards/shard-NNNNN.parquet`` (one row per article: the article, its
    statements and their embeddings) and ``OUT/labels.parquet`` (story and claim of every statement).
    """
    from compare.embed import default_backend, default_model
    from compare.ingest import expand_inputs
    from compare.pipeline import Analysis

    report = progress or (lambda stage, done, total: None)
    story_options = story_options or StoryOptions()
    claim_options = claim_options or ClaimOptions()
    ray_options = ray_options or RayOptions()
    started = connect(ray_options.address, ray_options.workers)  # first: it explains a missing Ray
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
        shard_folder = out / "shards"
        shard_folder.mkdir(parents=True, exist_ok=True)
        for old in shard_folder.glob("shard-*.parquet"):
            old.unlink()

        units = expand_inputs(inputs)
        articles_ds, problems = _read(units, outlets, workers)
        report("read", 1, 1)
        positions = articles_ds.count()
        if positions == 0:
            listed = "; ".join(f"{problem.source}: {problem.message}" for problem in problems[:10])
            more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
            raise ParallaxError(f"no article could be read from the inputs: {listed or 'nothing given'}{more}")
        pool = ray.data.ActorPoolStrategy(size=workers)
        blocks = max(workers, min(positions // 16, 64 * workers))
        segmented = (
            articles_ds.repartition(blocks)
            .materialize()  # split before the actors take every CPU
            .map_batches(_Segmenter, batch_size=16, compute=pool, num_cpus=1, batch_format="pyarrow")
            .materialize()
        )
        report("segment", 1, 1)
        embedded = segmented.map_batches(
            _Encoder,
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
            _add_shard,
            fn_kwargs={"shard_of": plan.shard_of_article, "first_row": first_row},
            batch_format="pyarrow",
        ).groupby("shard").map_groups(
            _write_shard, fn_kwargs={"folder": str(shard_folder)}, batch_format="pyarrow"
        ).materialize()
        paths = [str(shard_folder / f"shard-{shard:05d}.parquet") for shard in range(plan.count)]
        neighbours = neighbour_shards(plan, ray_options.shards.block_days)
        report("shard", plan.count, plan.count)

        n_articles = len(days)
        n_statements = int(counts.sum())
        story_labels = _cluster_stories(paths, neighbours, n_articles, story_options, partitions)
        report("stories", 1, 1)
        groups = np.repeat(np.arange(n_articles), counts)
        claim_labels = _cluster_claims(paths, neighbours, n_statements, groups, claim_options, partitions)
        report("claims", 1, 1)

        articles, statements, vectors = _gather(paths, with_vectors=with_framing)
        stories = stories_from_labels(articles, story_labels)
        clusters = claims_from_labels(statements, claim_labels, stories, claim_options)
        _write_labels(out / "labels.parquet", statements, stories, clusters)
        report("cluster", 1, 1)
        outlet_names = sorted({article.outlet for article in articles})
        if len(outlet_names) == 1:
            problems.append(
                Problem(
                    "corpus",
                    f"only one outlet ({outlet_names[0]}): nothing to compare across outlets; add another outlet's articles",
                )
            )
        from compare.embed import get_embedder

        embedder = get_embedder(model_name, backend_name)  # loads nothing until framing embeds
        analysis = Analysis(
            articles=articles,
            statements=statements,
            stories=stories,
            clusters=clusters,
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

    from compare.ingest import deduplicate_ids

    items = [
        {"unit": number, "location": unit.location, "kind": unit.kind, "problem": unit.problem}
        for number, unit in enumerate(units)
    ]
    read = (
        ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 8 * workers)))
        .map_batches(_read_units, fn_kwargs={"outlets": outlets}, batch_size=1, batch_format="pyarrow")  # type: ignore[arg-type]
        .materialize()
    )
    small = read.select_columns(["unit", "sub", "kind", "id", "fingerprint", "source", "message"]).to_pandas()
    small = small.sort_values(["unit", "sub"], kind="stable")
    problems = [Problem(row.source, row.message) for row in small[small["kind"] == "problem"].itertuples(index=False)]
    found = small[small["kind"] == "article"]
    decisions, duplicate_problems = deduplicate_ids(
        zip(found["id"].tolist(), found["fingerprint"].tolist(), found["source"].tolist())
    )
    problems.extend(duplicate_problems)
    keys = (found["unit"].to_numpy(np.int64) << 24) + found["sub"].to_numpy(np.int64)  # ascending: reading order
    kept = [number for number, decision in enumerate(decisions) if decision is not None]
    articles = read.map_batches(
        _keep_articles,
        fn_kwargs={"keys": keys[kept], "ids": [decisions[number] for number in kept]},
        batch_format="pyarrow",
    )
    return articles.materialize(), problems


def _read_units(batch: Any, outlets: str | None) -> Any:
    import pyarrow as pa

    from compare.ingest import InputUnit, article_fingerprint, load_registry, load_unit

    registry = load_registry(outlets)
    columns: dict[str, list[Any]] = {
        name: [] for name in ("unit", "sub", "kind", "id", "fingerprint", "source", "message", "article")
    }

    def add(**values: Any) -> None:
        for name in columns:
            columns[name].append(values.get(name, ""))

    for row in batch.to_pylist():
        corpus = load_unit(InputUnit(row["location"], row["kind"], row["problem"]), registry)
        for sub, article in enumerate(corpus.articles):
            add(
                unit=row["unit"],
                sub=sub,
                kind="article",
                id=article.id,
                fingerprint=article_fingerprint(article),
                source=article.source,
                article=json.dumps(asdict(article), ensure_ascii=False),
            )
        for sub, problem in enumerate(corpus.problems):
            add(unit=row["unit"], sub=sub, kind="problem", source=problem.source, message=problem.message)
    return pa.table(columns)


def _keep_articles(batch: Any, keys: np.ndarray, ids: list[str | None]) -> Any:
    """The kept articles of a batch of read rows, renamed, with their position in reading order."""
    import pyarrow as pa

    unit = batch.column("unit").to_numpy()
    sub = batch.column("sub").to_numpy()
    wanted = (unit.astype(np.int64) << 24) + sub.astype(np.int64)
    at = np.clip(np.searchsorted(keys, wanted), 0, max(len(keys) - 1, 0))
    kept = (keys[at] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
    articles = []
    kinds = batch.column("kind").to_pylist()
    for json_text, kind, position, keep in zip(batch.column("article").to_pylist(), kinds, at.tolist(), kept.tolist()):
        if not keep or kind != "article":
            continue
        article = json.loads(json_text)
        article["id"] = ids[position]
        articles.append((position, json.dumps(article, ensure_ascii=False)))
    return pa.table({"position": [p for p, _ in articles], "article": [a for _, a in articles]})


class _Segmenter:
    """Splits articles into statements; spaCy is loaded once per actor."""

    def __init__(self) -> None:
        from compare.segment import load_spacy

        self.nlp = load_spacy()

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        from compare.segment import parse_articles

        articles = [_article_from_json(text) for text in batch.column("article").to_pylist()]
        # The same rows (start, end, kind, speaker, entities) as the local engine's segmentation cache.
        segments = parse_articles(articles, self.nlp)
        return pa.table(
            {
                "position": batch.column("position"),
                "article": batch.column("article"),
                "day": pa.array(article_days(articles), type=pa.int64()),
                "statements": [json.dumps(rows, ensure_ascii=False) for rows in segments],
                "count": [len(rows) for rows in segments],
            }
        )


class _Encoder:
    """Embeds each article's statements; the model is loaded once per actor."""

    def __init__(self, model: str, backend: str, threads: int) -> None:
        self.embedder = _make_embedder(model, backend, threads)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        from compare.embed import embed_texts
        from compare.segment import statements_from_segments

        statement_lists = [
            statements_from_segments(_article_from_json(article), json.loads(rows))
            for article, rows in zip(batch.column("article").to_pylist(), batch.column("statements").to_pylist())
        ]
        texts = [statement.text for statements in statement_lists for statement in statements]
        vectors = (embed_texts(texts, self.embedder) if texts else empty_vectors(1)).astype(np.float32)
        blobs = []
        first = 0
        for statements in statement_lists:
            blobs.append(vectors[first : first + len(statements)].tobytes())
            first += len(statements)
        return batch.append_column("vectors", pa.array(blobs, type=pa.binary())).append_column(
            "dim", pa.array([int(vectors.shape[1])] * len(blobs), type=pa.int64())
        )


def _make_embedder(model: str, backend: str, threads: int) -> Any:
    if backend == "onnx-int8":
        from compare.embed import OnnxEmbedder

        return OnnxEmbedder(model, threads=threads)
    import torch

    from compare.embed import get_embedder

    torch.set_num_threads(threads)
    return get_embedder(model, backend)


def _article_from_json(text: str) -> Article:
    return Article(**json.loads(text))


# ---------------------------------------------------------------- shards


def _add_shard(batch: Any, shard_of: np.ndarray, first_row: np.ndarray) -> Any:
    import pyarrow as pa

    position = batch.column("position").to_numpy()
    return batch.append_column("shard", pa.array(shard_of[position], type=pa.int64())).append_column(
        "first_row", pa.array(first_row[position], type=pa.int64())
    )


def _write_shard(group: Any, folder: str) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as parquet

    shard = int(group.column("shard")[0].as_py())
    table = group.sort_by("position")
    write_file(Path(folder) / f"shard-{shard:05d}.parquet", lambda handle: parquet.write_table(table, handle))
    return pa.table({"shard": [shard], "articles": [table.num_rows]})


@dataclass
class _ShardData:
    """One shard file read back: its articles in order and its statements' embeddings."""

    positions: np.ndarray
    first_rows: np.ndarray
    counts: np.ndarray
    days: np.ndarray
    articles: list[Article]
    statement_rows: list[list[list[Any]]]  # segmentation rows per article (start, end, kind, speaker, entities)
    vectors: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """Global statement numbers of the shard's statements, in order."""
        if not len(self.counts):
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(
            [np.arange(first, first + count) for first, count in zip(self.first_rows, self.counts)]
        ).astype(np.int64)


def _read_shard(path: str, with_text: bool = True) -> _ShardData:
    import pyarrow.compute as pc
    import pyarrow.parquet as parquet

    columns = ["position", "first_row", "count", "day", "vectors", "dim"]
    if with_text:
        columns += ["article", "statements"]
    table = parquet.read_table(path, columns=columns)
    dim = int(pc.max(table.column("dim")).as_py() or 1)  # a batch without statements says 1
    blobs = table.column("vectors").to_pylist()
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, dim) if blobs else empty_vectors(dim)
    return _ShardData(
        positions=table.column("position").to_numpy().astype(np.int64),
        first_rows=table.column("first_row").to_numpy().astype(np.int64),
        counts=table.column("count").to_numpy().astype(np.int64),
        days=table.column("day").to_numpy().astype(np.int64),
        articles=[_article_from_json(text) for text in table.column("article").to_pylist()] if with_text else [],
        statement_rows=[json.loads(text) for text in table.column("statements").to_pylist()] if with_text else [],
        vectors=vectors,
    )


def _statements_of(shard: _ShardData) -> list[Statement]:
    from compare.segment import statements_from_segments

    return [
        statement
        for article, rows in zip(shard.articles, shard.statement_rows)
        for statement in statements_from_segments(article, rows)
    ]


def _combine(shards: Sequence[_ShardData]) -> _ShardData:
    """Several shards as one, ordered by article position (so global rows ascend)."""
    order = np.argsort(np.concatenate([shard.positions for shard in shards]), kind="stable")
    articles = [article for shard in shards for article in shard.articles]
    statement_rows = [rows for shard in shards for rows in shard.statement_rows]
    counts = np.concatenate([shard.counts for shard in shards])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    vectors = np.concatenate([shard.vectors for shard in shards])
    take = (
        np.concatenate([np.arange(starts[i], starts[i] + counts[i]) for i in order]).astype(np.int64)
        if len(order)
        else np.zeros(0, dtype=np.int64)
    )
    return _ShardData(
        positions=np.concatenate([shard.positions for shard in shards])[order],
        first_rows=np.concatenate([shard.first_rows for shard in shards])[order],
        counts=counts[order],
        days=np.concatenate([shard.days for shard in shards])[order],
        articles=[articles[i] for i in order] if articles else [],
        statement_rows=[statement_rows[i] for i in order] if statement_rows else [],
        vectors=vectors[take],
    )


def _gather(paths: Sequence[str], with_vectors: bool) -> tuple[list[Article], list[Statement], np.ndarray]:
    """All articles and statements in reading order (the merged analysis), with embeddings if asked."""
    whole = _combine([_read_shard(path) for path in paths])
    statements = _statements_of(whole)
    vectors = whole.vectors if with_vectors else empty_vectors(whole.vectors.shape[1])
    return whole.articles, statements, vectors


def read_shard_vectors(folder: str | Path) -> np.ndarray:
    """The embeddings of every statement in a shard folder, in the order of analysis.json's statements."""
    paths = sorted(str(path) for path in Path(folder).glob("shard-*.parquet"))
    if not paths:
        return empty_vectors(1)
    return _combine([_read_shard(path, with_text=False) for path in paths]).vectors


def _write_labels(
    target: Path, statements: Sequence[Statement], stories: Sequence[Any], clusters: Sequence[Any]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as parquet

    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    claim_of = {statement_id: cluster.id for cluster in clusters for statement_id in cluster.statement_ids}
    table = pa.table(
        {
            "statement_id": [statement.id for statement in statements],
            "article_id": [statement.article_id for statement in statements],
            "outlet": [statement.outlet for statement in statements],
            "story_id": [story_of.get(statement.article_id) for statement in statements],
            "claim_id": [claim_of.get(statement.id) for statement in statements],
        }
    )
    write_file(target, lambda handle: parquet.write_table(table, handle))  # a reader never sees half a file


# ---------------------------------------------------------------- clustering tasks


def _remote(function: Callable[..., Any], **options: Any) -> Any:
    import ray

    return ray.remote(**options)(function) if options else ray.remote(function)


def _term_frequencies(path: str) -> tuple[np.ndarray, int]:
    shard = _read_shard(path)
    return document_frequencies(article_term_counts(shard.articles)), len(shard.articles)


def _story_edges_task(
    query_path: str, candidate_paths: Sequence[str], frequencies: np.ndarray, documents: int, options: StoryOptions
) -> Edges:
    query = _read_shard(query_path, with_text=False)
    candidates = _combine([_read_shard(path) for path in candidate_paths])
    statements = _statements_of(candidates)
    embedded = article_vectors(candidates.articles, statements, candidates.vectors)
    return story_edges(
        np.sort(query.positions),
        candidates.positions,
        article_term_counts(candidates.articles),
        frequencies,
        documents,
        embedded,
        candidates.days,
        options,
    )


def _anchor_postings_task(path: str, partitions: int) -> Any:
    """The anchor postings of a shard, one list per anchor partition (the list itself when there is one)."""
    shard = _read_shard(path)
    parts: list[list[tuple[str, int, int]]] = [[] for _ in range(partitions)]
    statements = _statements_of(shard)
    rows = shard.rows
    article_of = np.repeat(shard.positions, shard.counts)
    for statement, row, article in zip(statements, rows.tolist(), article_of.tolist()):
        for anchor in statement_anchors(statement):
            parts[anchor_partition(anchor, partitions)].append((anchor, row, article))
    return parts if partitions > 1 else parts[0]  # Ray makes one object of a single return value


def _anchor_pairs_task(*parts: list[tuple[str, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return anchor_pairs(posting for part in parts for posting in part)


def _claim_edges_task(query_path: str, candidate_paths: Sequence[str], options: ClaimOptions, *pairs: tuple) -> Edges:
    """The claim edges of one shard; its neighbour shards are read one at a time (twice), never all at once."""
    query = _read_shard(query_path, with_text=False)
    query_rows = query.rows

    def blocks() -> Iterable[tuple[np.ndarray, np.ndarray]]:
        for path in candidate_paths:
            shard = query if path == query_path else _read_shard(path, with_text=False)
            yield shard.rows, shard.vectors

    low = np.concatenate([part[0] for part in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    high = np.concatenate([part[1] for part in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    bonus = np.concatenate([part[2] for part in pairs]) if pairs else np.zeros(0, dtype=np.float32)
    mine = contains_sorted(query_rows, low)
    return claim_edges_in_blocks(query_rows, query.vectors, blocks, low[mine], high[mine], bonus[mine], options)


def _strong_part(edges: Edges, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    strong = strong_edges(edges, threshold)
    return strong.low, strong.high


def _partition_edges(edges: Edges, component: np.ndarray, partitions: int) -> Any:
    inside = within_components(component, edges)
    part = component[inside.low] % partitions
    parts = [
        Edges(inside.low[part == p], inside.high[part == p], inside.similarity[part == p]) for p in range(partitions)
    ]
    return parts if partitions > 1 else parts[0]  # Ray makes one object of a single return value


def _link_task(
    component: np.ndarray, groups: np.ndarray | None, threshold: float, max_per_group: int | None, *parts: Edges
) -> Links:
    low = np.concatenate([part[0] for part in parts])
    high = np.concatenate([part[1] for part in parts])
    similarity = np.concatenate([part[2] for part in parts])
    return link_components(component, low, high, similarity, threshold, groups, max_per_group)


def _link(  # noqa: PLR0913 -- Ray plumbing: the edges' object refs and the linkage settings
    n: int,
    edge_refs: Sequence[Any],
    threshold: float,
    partitions: int,
    groups: np.ndarray | None = None,
    max_per_group: int | None = None,
) -> np.ndarray:
    """Average linkage over edges that stay in the object store; the driver sees only strong edges."""
    import ray

    strong = ray.get([_remote(_strong_part).remote(ref, threshold) for ref in edge_refs])
    low = np.concatenate([part[0] for part in strong]) if strong else np.zeros(0, dtype=np.int64)
    high = np.concatenate([part[1] for part in strong]) if strong else np.zeros(0, dtype=np.int64)
    component_ref = ray.put(component_labels(n, low, high))
    groups_ref = ray.put(groups)
    split = _remote(_partition_edges, num_returns=partitions)
    pieces = [split.remote(ref, component_ref, partitions) for ref in edge_refs]
    if partitions == 1:
        pieces = [[piece] for piece in pieces]
    links = ray.get(
        [
            _remote(_link_task).remote(
                component_ref, groups_ref, threshold, max_per_group, *[piece[p] for piece in pieces]
            )
            for p in range(partitions)
        ]
    )
    return labels_from_roots(roots_from_links(n, links))


def _cluster_stories(
    paths: Sequence[str], neighbours: Sequence[Sequence[int]], n: int, options: StoryOptions, partitions: int
) -> np.ndarray:
    import ray

    counted = ray.get([_remote(_term_frequencies).remote(path) for path in paths])
    frequencies = np.sum([found for found, _ in counted], axis=0)
    frequencies_ref = ray.put(frequencies)
    edges = [
        _remote(_story_edges_task, num_returns=1).remote(
            paths[shard], [paths[other] for other in neighbours[shard]], frequencies_ref, n, options
        )
        for shard in range(len(paths))
    ]
    return _link(n, edges, options.threshold, partitions)


def _cluster_claims(
    paths: Sequence[str],
    neighbours: Sequence[Sequence[int]],
    n: int,
    groups: np.ndarray,
    options: ClaimOptions,
    partitions: int,
) -> np.ndarray:
    if n < 2:
        return np.arange(n)
    postings = _remote(_anchor_postings_task, num_returns=partitions)
    posting_refs = [postings.remote(path, partitions) for path in paths]
    if partitions == 1:
        posting_refs = [[ref] for ref in posting_refs]
    pair_refs = [_remote(_anchor_pairs_task).remote(*[refs[p] for refs in posting_refs]) for p in range(partitions)]
    edges = [
        _remote(_claim_edges_task).remote(
            paths[shard], [paths[other] for other in neighbours[shard]], options, *pair_refs
        )
        for shard in range(len(paths))
    ]
    return _link(n, edges, options.threshold, partitions, groups, options.max_per_article)
