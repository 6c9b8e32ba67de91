"""Rows handed to a store's SQL (``compare.io.columns.rows_source``): as list parameters when few, through Arrow when
many, the same typed rows either way; an addition's writes and map reads take the parameters, never pyarrow's
conversion of Python lists (which imports pandas: 0.4 s of CPU in a new process)."""

from __future__ import annotations

from collections import Counter

import duckdb
import numpy as np
import pytest

from compare.engines.stored_index import ENTITIES, OUTLET_TERMS, SUBSTITUTIONS
from compare.io import columns
from compare.io.keyed import StoredMap, store_map
from compare.io.tables import reading, writing
from compare.model.documents import Claim

KINDS = {"_pos": "BIGINT", "id": "VARCHAR", "ids": "VARCHAR[]", "score": "DOUBLE", "lead": "BOOLEAN", "data": "JSON"}
COLUMNS = {
    "_pos": np.array([4, 0, 7], dtype=np.int64),
    "id": ["c2", None, "c1"],
    "ids": [["s1", "s2"], None, ("s9",)],
    "score": [np.float32(0.5), 1.25, None],
    "lead": [np.bool_(True), False, None],
    "data": ['{"a": 1}', None, "[]"],
}
EXPECTED = [
    (4, "c2", ["s1", "s2"], 0.5, True, '{"a": 1}'),
    (0, None, None, 1.25, False, None),
    (7, "c1", ["s9"], None, None, "[]"),
]


def _no_arrow(*_arguments, **_keywords):
    raise AssertionError("pyarrow's conversion of Python lists was used")


def _read(connection, found, parameters):
    listed = ", ".join(f'"{name}"' for name in KINDS)
    return connection.execute(f"SELECT {listed} FROM {found}", parameters).fetchall()


def test_few_rows_are_parameters_and_many_go_through_arrow_with_the_same_typed_rows(monkeypatch):
    connection = duckdb.connect()
    with monkeypatch.context() as patched:
        patched.setattr(columns, "arrow_table", _no_arrow)
        with columns.rows_source(connection, COLUMNS, KINDS) as (found, parameters):
            assert _read(connection, found, parameters) == EXPECTED
        with columns.rows_source(connection, {name: [] for name in KINDS}, KINDS) as (found, parameters):
            assert _read(connection, found, parameters) == []
    monkeypatch.setattr(columns, "PARAMETER_VALUES", 0)
    with columns.rows_source(connection, COLUMNS, KINDS) as (found, parameters):
        assert not parameters and _read(connection, found, parameters) == EXPECTED
    assert not connection.execute("SHOW TABLES").fetchall()  # the Arrow table is unregistered after the block


@pytest.mark.parametrize("limit", [columns.PARAMETER_VALUES, 0], ids=["parameters", "arrow"])
def test_a_map_preloads_deletes_and_inserts_the_same_rows_whichever_way_its_keys_are_passed(
    tmp_path, monkeypatch, limit
):
    monkeypatch.setattr(columns, "PARAMETER_VALUES", limit)
    if limit:
        monkeypatch.setattr(columns, "arrow_table", _no_arrow)
    terms = {"Reuters": Counter({"quake": 3, "kathmandu": 2}), "Fox News": Counter({"border": 2}), "AP": Counter()}
    wordings = {("s1", "s2"): [("rioters", "protesters")], ("s3", "s4"): [], ("s5", "s6"): [("blaze", "fire")]}
    entities = {
        ("AP", "Kathmandu", "GPE"): Counter({"lede": 1}),
        ("AP", "Nepal", "GPE"): Counter({"headline": 1, "later": 2}),
        ("BBC", "Nepal", "GPE"): Counter({"later": 1}),
    }
    with writing(tmp_path, fresh=True) as store:
        store_map(store, OUTLET_TERMS, terms, update=False)
        store_map(store, SUBSTITUTIONS, wordings, update=False)
        store_map(store, ENTITIES, entities, update=False)
    with reading(tmp_path) as store:
        assert sorted(StoredMap(store, ENTITIES).with_values("entity", ["Nepal"])) == [
            ("AP", "Nepal", "GPE"),
            ("BBC", "Nepal", "GPE"),
        ]
        stored_terms, stored_wordings = StoredMap(store, OUTLET_TERMS, list(terms)), StoredMap(store, SUBSTITUTIONS)
        stored_wordings.preload([("s1",), ("s5",)])
        assert stored_wordings._loaded == {("s1",), ("s5",)}
        assert set(stored_wordings._values) == {("s1", "s2"), ("s5", "s6")}  # the parts asked, not s3's
        stored_terms["Fox News"].update(["wall"])
        stored_wordings[("s1", "s2")] = [("mob", "crowd")]
        with writing(tmp_path, fresh=False) as copy:
            store_map(copy, OUTLET_TERMS, stored_terms, update=True)
            store_map(copy, SUBSTITUTIONS, stored_wordings, update=True)
    with reading(tmp_path) as store:
        assert StoredMap(store, OUTLET_TERMS, list(terms)).plain() == {
            **terms,
            "Fox News": Counter({"border": 2, "wall": 1}),
        }
        assert StoredMap(store, SUBSTITUTIONS).plain() == {**wordings, ("s1", "s2"): [("mob", "crowd")]}


@pytest.mark.parametrize("limit", [columns.PARAMETER_VALUES, 0], ids=["parameters", "arrow"])
def test_a_table_updated_in_place_keeps_moves_and_inserts_the_right_rows_either_way(tmp_path, monkeypatch, limit):
    monkeypatch.setattr(columns, "PARAMETER_VALUES", limit)
    if limit:
        monkeypatch.setattr(columns, "arrow_table", _no_arrow)
    claims = [Claim(f"c{n}", (f"s{n}", f"t{n}"), ("AP", "Reuters"), (f"story{n % 3}",)) for n in range(6)]
    with writing(tmp_path, fresh=True) as store:
        store.write_table("claims", Claim, claims)
    changed = [claims[1], Claim("new", ("s9",), ("BBC",), ()), claims[0], claims[3], claims[5]]  # c2, c4 dropped
    with writing(tmp_path, fresh=False) as store:
        assert store.update_table("claims", Claim, claims, changed) == 2  # new and c0 (out of order) written
    with reading(tmp_path) as store:
        assert store.read_table("claims", Claim) == changed
