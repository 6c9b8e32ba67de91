"""The Ray engine on a real Ray cluster that these tests start on loopback (and stop).

Equality is checked with the torch backend: int8 ONNX quantises each batch with its own scale,
so with onnx-int8 an embedding depends slightly on its batch-mates and two engines batching
differently agree only within a tolerance (EVALUATION.md).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import free_port
from .object_store import s3_bucket, s3_endpoint  # noqa: F401 -- fixtures
from .ray_head import stop_head

# Ray reads its authentication settings when it is imported, so they are set before the import:
# the cluster below requires this token, and Ray keeps 127.0.0.1 (instead of swapping in the machine's
# address) only when told that it runs a one-machine cluster.
_RAY_ENVIRONMENT = {
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(16),
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_USAGE_STATS_ENABLED": "0",
}
os.environ.update(_RAY_ENVIRONMENT)
ray = pytest.importorskip("ray")


@pytest.fixture(autouse=True)
def time_limit():
    """No test here may hang CI: past ten minutes the process prints every stack and exits."""
    import faulthandler

    faulthandler.dump_traceback_later(600, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def ray_address(tmp_path_factory):
    """A two-CPU Ray head node on 127.0.0.1 with token authentication, stopped after the module.

    The node has its own temp folder, and only its processes are stopped (`ray stop` would stop every
    Ray cluster on the machine, a user's or another test run's included).
    """
    ray_command = shutil.which("ray") or str(Path(sys.executable).with_name("ray"))
    port = free_port()
    # short, because Ray puts unix sockets under it (a socket path may have at most 107 bytes)
    temp_dir = Path(tempfile.mkdtemp(prefix="prx-ray-", dir="/tmp"))
    environment = {**os.environ, **_RAY_ENVIRONMENT}
    subprocess.run(
        [
            ray_command,
            "start",
            "--head",
            "--node-ip-address=127.0.0.1",
            f"--port={port}",
            "--num-cpus=2",
            "--include-dashboard=false",
            "--disable-usage-stats",
            f"--temp-dir={temp_dir}",
        ],
        check=True,
        timeout=120,
        env=environment,
        capture_output=True,
    )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        stop_head(temp_dir)
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def sharded_basil(basil_subset, tmp_path_factory) -> Path:
    """The BASIL subset as a folder of input shards: two JSONL files and one Parquet file, plus a bad file."""
    import pyarrow as pa
    import pyarrow.parquet as parquet

    rows = [json.loads(line) for line in basil_subset.read_text(encoding="utf-8").splitlines()]
    folder = tmp_path_factory.mktemp("shards")
    thirds = [rows[:10], rows[10:20], rows[20:]]
    for number, part in enumerate(thirds[:2]):
        (folder / f"part-{number}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in part), encoding="utf-8")
    parquet.write_table(pa.Table.from_pylist(thirds[2]), folder / "part-2.parquet")
    (folder / "part-3.jsonl").write_text(json.dumps(rows[0]) + "\n{not json\n", encoding="utf-8")
    return folder


def _run_ray(inputs, out, address, **options):
    from compare.engines.ray import RayOptions, analyze_on_ray
    from compare.engines.shards import ShardOptions

    shard_options = ShardOptions(**options) if options else ShardOptions()
    return analyze_on_ray(
        inputs,
        out,
        backend="torch",
        ray_options=RayOptions(address=address, workers=2, shards=shard_options),
        with_framing=True,
    )


@pytest.fixture(scope="module")
def local_basil(sharded_basil):
    from compare.embed import get_embedder
    from compare.pipeline import analyze

    return analyze([sharded_basil], embedder=get_embedder(None, "torch"))


def test_ray_engine_equals_the_local_engine_on_basil(ray_address, sharded_basil, local_basil, tmp_path):
    on_ray = _run_ray([sharded_basil], tmp_path, ray_address)
    ray_json, local_json = on_ray.to_dict(), local_basil.to_dict()
    assert ray_json["settings"].pop("engine")["name"] == "ray"
    assert local_json["settings"].pop("engine")["name"] == "local"
    assert ray_json == local_json  # articles, statements, stories, claims, problems and every framing table
    assert len(on_ray.articles) == 30 and len(on_ray.stories) >= 9
    assert sum(len(cluster.outlets) >= 2 for cluster in on_ray.claims) > 20
    problems = {problem.message for problem in on_ray.problems}
    assert any("duplicate" in message for message in problems)
    assert any(problem.source.endswith("part-3.jsonl:2") for problem in on_ray.problems)
    assert len(list((tmp_path / "shards").glob("statements-*.parquet"))) == 1
    labels = __import__("pyarrow.parquet", fromlist=["read_table"]).read_table(tmp_path / "labels.parquet")
    assert labels.num_rows == len(on_ray.statements)
    _assert_the_store_reads_as_a_local_run(on_ray, local_basil, tmp_path)


def _assert_the_store_reads_as_a_local_run(on_ray, local, folder):
    """Saved as the CLI saves a Ray run (the vectors only in the shards), it reads back as the local run saved."""
    import duckdb
    import numpy as np

    from compare.io.columns import rows_of
    from compare.model.documents import Statement
    from compare.pipeline import load_analysis, save_analysis

    save_analysis(on_ray, folder, with_vectors=False)
    save_analysis(local, folder / "local")
    from_ray, from_local = load_analysis(folder), load_analysis(folder / "local")
    ray_dict, local_dict = from_ray.to_dict(), from_local.to_dict()
    ray_dict["settings"].pop("engine", None)  # the caller's to_dict shares (and popped) the settings
    local_dict["settings"].pop("engine", None)
    assert ray_dict == local_dict
    assert from_ray.vectors.shape == from_local.vectors.shape
    assert float(np.abs(from_ray.vectors - from_local.vectors).max()) < 2e-3  # both float16 values
    shards = duckdb.sql(
        f"SELECT * EXCLUDE (_vector) FROM read_parquet('{folder}/shards/statements-*.parquet') ORDER BY _pos"
    )
    assert rows_of(Statement, shards.to_arrow_table()) == from_local.statements  # the shards are the table


def test_many_shards_that_all_see_each_other_give_the_same_result(ray_address, sharded_basil, local_basil, tmp_path):
    """A dozen shards and more, anchors and components in two partitions each: the merge across shards is exact."""
    on_ray = _run_ray([sharded_basil], tmp_path, ray_address, shard_rows=60, block_days=100_000)
    assert on_ray.settings["engine"]["shards"] >= 12
    assert on_ray.stories == local_basil.stories
    assert on_ray.claims == local_basil.claims


def test_date_blocking_stays_within_its_stated_tolerance(ray_address, sharded_basil, local_basil, tmp_path):
    from compare.evaluate import bcubed, labels_from_groups

    on_ray = _run_ray([sharded_basil], tmp_path, ray_address, shard_rows=60, block_days=7)
    assert on_ray.settings["engine"]["shards"] >= 12
    stories = bcubed(
        labels_from_groups([story.article_ids for story in on_ray.stories]),
        labels_from_groups([story.article_ids for story in local_basil.stories]),
    )
    assert stories.f1 >= 0.95
    every = [statement.id for statement in local_basil.statements]
    ray_claims = labels_from_groups([cluster.statement_ids for cluster in on_ray.claims])
    local_claims = labels_from_groups([cluster.statement_ids for cluster in local_basil.claims])
    claims = bcubed(
        {item: ray_claims.get(item, item) for item in every}, {item: local_claims.get(item, item) for item in every}
    )
    assert claims.f1 >= 0.95


def test_cli_runs_the_ray_engine_with_one_worker_into_a_bucket(
    ray_address,
    sharded_basil,
    local_basil,
    s3_bucket,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """The Ray engine's run written to object storage (moto's S3 server on loopback; the workers write the shards
    there themselves, the driver the store) and read back from it."""
    from compare.io.remote import fetch, working_folder

    location = f"s3://{s3_bucket}/ray-run"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "compare",
            "analyze",
            f"file://{sharded_basil}",  # read through pyarrow's filesystems, as s3:// or gs:// would be
            "--engine",
            "ray",
            "--address",
            ray_address,
            "--backend",
            "torch",
            "--workers",
            "1",
            "--no-framing",
            "--no-store",
            "--out",
            location,
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from compare.pipeline import read_saved_analysis  # what the dashboard opens with PARALLAX_ANALYSIS

    writer = working_folder(location)  # the driver's copy, from which it uploaded the store
    assert (writer / "analysis.duckdb").is_file() and not (writer / "shards").exists()  # the workers wrote those
    monkeypatch.setenv("PARALLAX_REMOTE_CACHE", str(tmp_path / "reader"))  # another machine's copy
    folder = fetch(location)  # the bucket's objects: the shards, the store and its files
    assert sorted(path.name for path in (folder / "shards").iterdir()) == [
        "articles-00000.parquet",
        "statements-00000.parquet",
    ]
    analysis = read_saved_analysis(folder)[0]
    assert len(analysis["articles"]) == 30 and analysis["settings"]["engine"]["workers"] == 1
    assert [story["article_ids"] for story in analysis["stories"]] == [
        list(story.article_ids) for story in local_basil.stories
    ]
    assert len(analysis["clusters"]) == len(local_basil.claims)
    saved, vectors = read_saved_analysis(folder)
    assert vectors.shape == (len(saved["statements"]), 384)
    # Same statements, same vectors: both engines keep float16 values (half the store), whose rounding of two
    # nearly equal float32 unit vectors moves their dot product by up to a few 1e-4; another statement's is far lower.
    assert abs(float((vectors * local_basil.vectors).sum(axis=1).min()) - 1.0) < 1e-3
    assert "part-3.jsonl:2" in result.stderr  # the bad row is reported by file and line


def test_unreachable_cluster_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "compare",
            "analyze",
            "seeds",
            "--engine",
            "ray",
            "--address",
            f"127.0.0.1:{free_port()}",
            "--out",
            str(tmp_path),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 2
    assert "cannot reach the Ray cluster" in result.stderr


def test_the_ray_engine_reads_awkward_corpus_shapes_as_the_local_engine(ray_address, tmp_path):
    """Round 10: outlet spellings, an empty, a binary and a Windows-1252 file and a duplicate among good files.
    Before, the Ray engine kept "DAILY planet" as an outlet of its own beside "Daily Planet" (the local
    engine merged them), so one outlet was compared with itself."""
    from compare.engines.ray import RayOptions, analyze_on_ray
    from compare.ingest import load_corpus

    from .conftest import SEEDS

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    folder = tmp_path / "in"
    folder.mkdir()
    for name, outlet, text in [
        ("a0", "Daily Planet", texts[0]),
        ("a1", "DAILY  planet", texts[1]),
        ("a2", "Metro Herald", texts[2]),
        ("copy", "Metro Herald", texts[2]),
        ("wire", "Yahoo News", texts[2]),  # another outlet's copy: kept, as the local engine keeps it (round 13)
    ]:
        row = {"id": name, "outlet": outlet, "published": "2024-04-03", "text": text}
        (folder / f"{name}.json").write_text(json.dumps(row), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin.txt").write_bytes(("Café owners said " + texts[3]).encode("cp1252", errors="replace"))
    local = load_corpus([folder])
    on_ray = analyze_on_ray(
        [folder],
        tmp_path / "out",
        backend="torch",
        ray_options=RayOptions(address=ray_address, workers=2),
        with_framing=False,
    )
    assert [problem for problem in on_ray.problems if problem.source != "corpus"] == local.problems
    assert [(article.id, article.outlet) for article in on_ray.articles] == [
        (article.id, article.outlet) for article in local.articles
    ]
    assert {article.outlet for article in on_ray.articles} == {"Daily Planet", "Metro Herald", "Unknown", "Yahoo News"}


def test_the_ray_engine_says_no_article_could_be_read_as_the_local_engine(ray_address, tmp_path, capsys):
    """Round 10: before, the Ray engine put every input's reason on its one error line ("no article could be read
    from the inputs: FILE: file is empty; FILE: ..."); the local engine prints a warning line per input first."""
    from compare.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "short.txt").write_text("Far too short to be an article.", encoding="utf-8")

    def said(*options: str) -> list[str]:
        capsys.readouterr()
        assert main(["analyze", str(folder), "--out", str(tmp_path / "out"), "--quiet", *options]) == 2
        return [line for line in capsys.readouterr().err.splitlines() if line.startswith(("warning: ", "error: "))]

    local = said()
    assert len(local) == 4 and local[-1] == "error: no article could be read from the inputs; see the warnings above"
    assert said("--engine", "ray", "--address", ray_address, "--workers", "1") == local
