"""The copy of the store a writer works on: made ahead in a thread by an addition, taken by the write only while
the store is as it was copied, and never left behind."""

from __future__ import annotations

import errno
import gzip
import json
import os
from pathlib import Path

import numpy as np

from compare.io import store_copy
from compare.io.store_copy import copy_ahead, copy_file, dropped_copy
from compare.io.tables import store_path, writing
from compare.model.documents import Statement
from compare.pipeline import analysis_from_dict, load_analysis, save_analysis

GOLDEN = Path(__file__).parent / "golden"


def _saved(folder: Path) -> dict:
    with gzip.open(GOLDEN / "seeds.analysis.json.gz", "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    vectors = np.random.default_rng(0).normal(size=(len(data["statements"]), 384)).astype(np.float32)
    save_analysis(analysis_from_dict(data, vectors), folder)
    return data


def _written_file(store) -> Path:
    query = "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    return Path(store.connection.execute(query).fetchone()[0])


def _ahead(target: Path) -> str:
    """The name of the copy ``copy_ahead`` is making of ``target`` (its file appears once its thread runs)."""
    return store_copy._AHEAD[target].path.name


def _leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.endswith(".parallax-tmp")]


def test_the_write_works_on_the_copy_made_ahead_and_keeps_every_row(tmp_path):
    data = _saved(tmp_path)
    target = store_path(tmp_path)
    copy_ahead(target)
    ahead = _ahead(target)
    with writing(tmp_path, fresh=False) as store:
        assert _written_file(store).name == ahead  # the copy made ahead, not a new one
        store.update_table("statements", Statement, [], [])  # nothing changed: every row kept
    assert not _leftovers(tmp_path)
    assert len(load_analysis(tmp_path).statements) == len(data["statements"])


def test_a_store_changed_after_the_copy_began_is_copied_again_and_the_early_copy_removed(tmp_path):
    _saved(tmp_path)
    target = store_path(tmp_path)
    copy_ahead(target)
    ahead = _ahead(target)
    os.utime(target, ns=(0, 10**9))  # another writer would have renamed a new store into place
    with writing(tmp_path, fresh=False) as store:
        assert _written_file(store).name != ahead
        assert not (tmp_path / ahead).exists()
    assert not _leftovers(tmp_path)


def test_a_copy_no_write_takes_is_removed(tmp_path):
    _saved(tmp_path)
    target = store_path(tmp_path)
    copy_ahead(target)
    ahead = _ahead(target)
    dropped_copy(target)
    assert not (tmp_path / ahead).exists()
    assert not _leftovers(tmp_path)
    copy_ahead(target)  # a write from scratch (a full run after all) does not take it either
    ahead = _ahead(target)
    with writing(tmp_path, fresh=True) as store:
        assert _written_file(store).name != ahead
        assert not (tmp_path / ahead).exists()
    assert not _leftovers(tmp_path)


def test_the_copy_is_the_stores_bytes_also_where_the_kernel_cannot_copy(tmp_path, monkeypatch):
    source = tmp_path / "source"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    copy_file(source, tmp_path / "by_kernel")
    calls = []

    def refused(*arguments):
        calls.append(arguments)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(store_copy.os, "copy_file_range", refused)
    copy_file(source, tmp_path / "by_shutil")
    assert calls
    assert (tmp_path / "by_kernel").read_bytes() == (tmp_path / "by_shutil").read_bytes() == source.read_bytes()
