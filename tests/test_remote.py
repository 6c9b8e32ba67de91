"""Saved analyses in object storage: `analyze --out s3://...`, `show`/`export-json s3://...` and the dashboard's
PARALLAX_ANALYSIS=s3://..., against moto's S3 server on loopback (tests/object_store.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from .conftest import EXTRA_ARTICLE, SEEDS, free_port
from .object_store import s3_bucket, s3_endpoint  # noqa: F401 -- fixtures

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _objects(location: str) -> set[str]:
    from compare.io.remote import _listing, object_store

    filesystem, base = object_store(location, RuntimeError)
    return set(_listing(filesystem, base, location, RuntimeError))


def _files(folder: Path) -> set[str]:
    from compare.io.remote import _local_files

    return set(_local_files(folder))


def test_analyze_to_s3_reads_back_as_a_local_run_and_adds_files(s3_bucket, tmp_path, monkeypatch, capsys):  # noqa: F811
    from compare.cli import main
    from compare.io.remote import fetch, working_folder
    from compare.pipeline import read_saved_analysis

    store, local, location = str(tmp_path / "store.sqlite3"), tmp_path / "local", f"s3://{s3_bucket}/runs/seeds"
    assert main(["analyze", str(SEEDS), "--out", str(local), "--store", store, "--quiet"]) == 0
    assert main(["analyze", str(SEEDS), "--out", location, "--store", store, "--quiet"]) == 0
    assert f"-> {location}/analysis.duckdb" in capsys.readouterr().err
    objects = _objects(location)
    assert "analysis.duckdb" in objects and not any(".parallax" in name for name in objects)  # no lock, no temp

    monkeypatch.setenv("PARALLAX_REMOTE_CACHE", str(tmp_path / "reader"))  # another machine reads it
    folder = fetch(location)
    assert folder == working_folder(location) and folder.is_relative_to(tmp_path / "reader")
    (remote_dict, remote_vectors), (local_dict, local_vectors) = read_saved_analysis(folder), read_saved_analysis(local)
    assert remote_dict == local_dict and len(remote_dict["articles"]) == 5
    assert np.array_equal(remote_vectors, local_vectors) and len(remote_vectors) == len(remote_dict["statements"])

    story = remote_dict["stories"][0]["id"]
    assert main(["show", location, "--story", story, "--json"]) == 0
    from_bucket = capsys.readouterr().out
    assert main(["show", str(local), "--story", story, "--json"]) == 0
    assert json.loads(from_bucket) == json.loads(capsys.readouterr().out)
    assert main(["export-json", location]) == 0
    assert "analysis.json" in _objects(location)

    # A third machine adds one file: it fetches the run first, so only the new article is analysed.
    monkeypatch.setenv("PARALLAX_REMOTE_CACHE", str(tmp_path / "writer"))
    extra = tmp_path / "inputs" / "extra-reuters.json"
    extra.parent.mkdir()
    extra.write_text(json.dumps(EXTRA_ARTICLE), encoding="utf-8")
    assert main(["analyze", str(SEEDS), str(extra), "--out", location, "--store", store, "--quiet"]) == 0
    assert "added 1 articles to the saved run" in capsys.readouterr().err
    writer = working_folder(location)
    assert _objects(location) == _files(writer)  # the bucket holds what the writer's folder holds, no stale blob
    monkeypatch.setenv("PARALLAX_REMOTE_CACHE", str(tmp_path / "reader"))
    added, _ = read_saved_analysis(fetch(location))  # the reader's copy, brought up to date
    assert [article["id"] for article in added["articles"]] == [article["id"] for article in local_dict["articles"]] + [
        "extra-reuters"
    ]
    assert _files(working_folder(location)) == _files(writer)


def test_remote_errors_name_the_location_and_say_what_to_do(s3_bucket, monkeypatch, capsys):  # noqa: F811
    from moto import settings as moto_settings

    from compare.cli import main

    def error(*arguments: str) -> str:
        assert main(list(arguments)) == 2
        return capsys.readouterr().err

    missing = f"s3://{s3_bucket}-gone/run"
    assert f"error: {missing}: the bucket '{s3_bucket}-gone' does not exist; create it first" in error(
        "show", missing, "--search", "quake"
    )
    assert "does not exist" in error("analyze", str(SEEDS), "--out", missing, "--quiet")  # before any analysis
    ray_run = error("analyze", str(SEEDS), "--out", missing, "--engine", "ray", "--address", "127.0.0.1:1", "--quiet")
    assert "does not exist" in ray_run  # before Ray is reached
    assert f"s3://{s3_bucket}/empty: no saved analysis here" in error("export-json", f"s3://{s3_bucket}/empty")
    assert "only analyze writes to object storage" in error("report", str(SEEDS), "--out", f"s3://{s3_bucket}/r")

    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # the server now checks credentials
    refused = error("show", f"s3://{s3_bucket}/run", "--search", "quake")
    assert f"s3://{s3_bucket}/run: the object store refused these credentials" in refused, refused
    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", float("inf"))

    nobody = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("PARALLAX_S3_ENDPOINT", nobody)
    assert f"s3://{s3_bucket}/run: cannot reach the object store at {nobody}" in error(
        "show", f"s3://{s3_bucket}/run", "--search", "quake"
    )


def test_the_dashboard_shows_a_saved_analysis_from_a_bucket(seeds_analysis, s3_bucket, tmp_path, monkeypatch):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    from compare.io.remote import publish
    from compare.pipeline import save_analysis

    location = f"s3://{s3_bucket}/dashboard"
    save_analysis(seeds_analysis, tmp_path / "made")
    publish(tmp_path / "made", location)
    monkeypatch.setenv("PARALLAX_ANALYSIS", location)
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "unused.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    assert not app.exception and not app.error
    assert app.metric[0].value == str(len(seeds_analysis.articles))
    assert not (tmp_path / "unused.sqlite3").exists()  # read, not analysed again


@pytest.mark.parametrize("address", ["s3://bucket/article.html", "S3://bucket/analysis.duckdb"])
def test_a_pasted_object_store_address_is_never_fetched(address):
    """The dashboard's URL box (and any link) cannot make the server read a bucket: only its environment can."""
    from compare.ingest.fetch import FetchRefusedError, fetch_page

    with pytest.raises(FetchRefusedError, match="only fetches public http"):
        fetch_page(address, allow_private=False)


@pytest.mark.parametrize(
    ("key", "kept"),
    [
        ("analysis.duckdb", True),
        ("shards/statements-00000.parquet", True),
        ("../outside.duckdb", False),
        ("shards/../../outside", False),
        ("shards//double", False),
        (".parallax.lock", False),
        (".analysis.duckdb.1a2b.parallax-tmp", False),
    ],
)
def test_only_keys_inside_the_working_folder_are_copied(key, kept):
    """A shared bucket's odd keys never name a file outside the working folder (S3 keys may hold '..')."""
    from compare.io.remote import _kept

    assert _kept(key) is kept
