"""The store's blobs (JSON values, the index's arrays, the vectors' blocks) read and written in few statements: a
reader reads them all with its first look-up, a writer's changes go in as one DELETE and one INSERT."""

from __future__ import annotations

from typing import Any

import pytest

from compare.io import tables
from compare.io.tables import reading, writing
from compare.pipeline import analysis_from_dict, save_analysis

from .test_tables import _golden, _vectors


class _Counted:
    """A DuckDB connection that counts the statements run on it (those naming ``blobs``)."""

    def __init__(self, connection: Any) -> None:
        self.connection, self.statements = connection, []

    def execute(self, sql: str, *arguments: Any) -> Any:
        if "blobs" in sql:
            self.statements.append(" ".join(sql.split()))
        return self.connection.execute(sql, *arguments)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)


def _saved_seeds(folder) -> None:
    expected = _golden("seeds")
    save_analysis(analysis_from_dict(expected, _vectors(len(expected["statements"]))), folder)


def test_a_reader_reads_every_blob_with_its_first_look_up_and_a_large_one_alone(tmp_path, monkeypatch):
    _saved_seeds(tmp_path)
    with reading(tmp_path) as store:  # as before: one query per key
        expected = {
            key: store.connection.execute("SELECT data, file FROM blobs WHERE key = ?", [key]).fetchall()
            for key in ("analysis", "version", "vectors/0", "missing")
        }
    with reading(tmp_path) as store:
        counted = store.connection = _Counted(store.connection)
        store._blobs = None  # what opening the store read (its version) read again, counted
        found = {key: store._blob(key) for key in expected}
        assert store.get("analysis") == store.get("analysis")
        assert store.blob_file("vectors/0") is None and store.get_blob("missing") is None
        assert len(counted.statements) == 1
    assert {key: [value] if value is not None else [] for key, value in found.items()} == expected

    monkeypatch.setattr(tables, "_CACHED_BYTES", 64)  # the analysis's JSON is larger: read when asked, alone
    with reading(tmp_path) as store:
        counted = store.connection = _Counted(store.connection)
        store._blobs = None
        assert store._blob("analysis") == tuple(expected["analysis"][0])
        assert store._blob("version") == tuple(expected["version"][0])
        assert len(counted.statements) == 2


def test_blobs_written_together_are_one_delete_and_one_insert_and_none_when_the_block_fails(tmp_path):
    _saved_seeds(tmp_path)
    with reading(tmp_path) as store:
        analysis = store.get("analysis")
    with writing(tmp_path, fresh=False) as store:
        counted = store.connection = _Counted(store.connection)
        with store.blobs_together():
            store.put("first", {"a": 1})
            store.put("first", {"a": 2})  # written again in the block: the last value
            store.put_blob("second", b"\x00\xff")
            store.put_file("third", lambda handle: handle.write(b"x" * 10))
            store.put("gone", 1)
            store.drop_blob("gone")
            store.drop_blob("analysis")
            assert store.get("first") == {"a": 2} and store.get("gone") is None and store.get("analysis") is None
            assert counted.statements == []
        assert [statement.split()[0] for statement in counted.statements] == ["DELETE", "INSERT"]
        store.connection = counted.connection
    with reading(tmp_path) as store:
        assert store.get("first") == {"a": 2} and store.get_blob("second") == b"\x00\xff"
        third = store.blob_file("third")
        assert third is not None and third.read_bytes() == b"x" * 10
        assert store.get("gone") is None and store.get("analysis") is None
        assert store.get("version") == tables.STORE_VERSION

    with writing(tmp_path, fresh=False) as store, pytest.raises(RuntimeError), store.blobs_together():
        store.put("analysis", analysis)
        store.drop_blob("first")
        raise RuntimeError("a failure in the block")
    with reading(tmp_path) as store:
        assert store.get("first") == {"a": 2} and store.get("analysis") is None
