"""The index's large maps as tables of a store (``compare.engines.stored_index``, ``compare.io.keyed``): read a
part at a time where used, written back where they changed; a store of an older index version (one JSON value)
is analysed in full once."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from compare.cli import main
from compare.engines import index_arrays
from compare.engines.index import index_parts
from compare.engines.index_arrays import read_arrays, write_arrays
from compare.engines.stored_index import ENTITIES, OUTLET_TERMS, SUBSTITUTIONS
from compare.io.keyed import StoredMap, store_map
from compare.io.tables import reading, writing
from compare.model.errors import OutputError
from compare.pipeline import load_analysis

from .conftest import SEEDS
from .test_store_add import _store_content

TERMS = {
    "Reuters": Counter({"quake": 3, "kathmandu": 2, "aftershock": 1}),
    "The Guardian": Counter({"quake": 1, "rubble": 4}),
    "Fox News": Counter({"border": 2}),
}
WORDINGS = {("s1", "s2"): [("rioters", "protesters")], ("s1", "s1"): [], ("s3", "s4"): []}


def _rows(folder: Path, table: str) -> list[tuple]:
    with reading(folder) as store:
        return sorted(store.connection.execute(f'SELECT * FROM "{table}"').fetchall())


def test_a_stored_map_reads_the_parts_used_and_writes_back_only_those_it_changed(tmp_path):
    with writing(tmp_path / "a", fresh=True) as store:
        store_map(store, OUTLET_TERMS, TERMS, update=False)
        store_map(store, SUBSTITUTIONS, WORDINGS, update=False)
    with reading(tmp_path / "a") as store:
        terms, wordings = StoredMap(store, OUTLET_TERMS, list(TERMS)), StoredMap(store, SUBSTITUTIONS)
        assert len(terms) == 3 and "Fox News" in terms and "BBC" not in terms and not terms._loaded  # keys known
        terms["Reuters"].update(["quake", "tsunami"])  # changed in place: its part is written again
        terms["BBC"] = Counter({"storm": 2})
        assert terms._loaded == {("Reuters",), ("BBC",)}
        wordings.preload([("s1",)])
        assert ("s1", "s2") in wordings and ("s1", "s9") not in wordings and wordings._loaded == {("s1",)}
        assert wordings[("s1", "s2")] == [("rioters", "protesters")] and not wordings.touched  # only read
        wordings[("s3", "s5")] = [("blaze", "fire")]  # a new key of a part not read: the part is read first
        with writing(tmp_path / "a", fresh=False) as copy:
            store_map(copy, OUTLET_TERMS, terms, update=True)
            store_map(copy, SUBSTITUTIONS, wordings, update=True)
        assert not terms._whole and not wordings._whole
    expected_terms = {**TERMS, "Reuters": TERMS["Reuters"] + Counter(["quake", "tsunami"]), "BBC": Counter(storm=2)}
    expected_wordings = {**WORDINGS, ("s3", "s5"): [("blaze", "fire")]}
    with writing(tmp_path / "b", fresh=True) as store:  # the same maps written whole
        store_map(store, OUTLET_TERMS, expected_terms, update=False)
        store_map(store, SUBSTITUTIONS, expected_wordings, update=False)
    for table in (OUTLET_TERMS.name, SUBSTITUTIONS.name):
        assert _rows(tmp_path / "a", table) == _rows(tmp_path / "b", table), table
    with reading(tmp_path / "a") as store:
        assert StoredMap(store, OUTLET_TERMS, expected_terms).plain() == expected_terms
        assert StoredMap(store, SUBSTITUTIONS).plain() == expected_wordings


def test_an_outlet_that_counted_no_term_reads_back_as_an_empty_count_not_a_missing_key(tmp_path):
    """An outlet whose statements gave no term keeps no rows; it was still a known key, so ``outlet in terms``
    said yes and ``terms[outlet]`` raised KeyError (an addition's term counting does exactly that)."""
    counted = {"Reuters": Counter({"quake": 2}), "Wire Desk": Counter()}
    with writing(tmp_path, fresh=True) as store:
        store_map(store, OUTLET_TERMS, counted, update=False)
    with reading(tmp_path) as store:
        terms = StoredMap(store, OUTLET_TERMS, list(counted))
        assert "Wire Desk" in terms and terms["Wire Desk"] == Counter()
        terms["Wire Desk"].update(["storm"])
        assert StoredMap(store, OUTLET_TERMS, list(counted)).plain() == counted


def test_entity_counts_round_trip_with_the_places_they_count():
    counts = {("Reuters", "Nepal", "GPE"): Counter(lede=2, headline=1), ("Reuters", "UN", "ORG"): Counter(later=5)}
    assert ENTITIES.decode(ENTITIES.encode(list(counts.items()))) == counts


def test_a_store_of_index_version_6_is_analysed_in_full_once_with_a_note_and_then_added_to(
    tmp_path, monkeypatch, capsys
):
    """A store written before the maps were tables (index version 6: everything in the JSON value ``index``) may
    hold claims made by earlier claim rules: it is not added to but analysed in full, with a note saying why; the
    result equals a fresh full run's, and the next addition adds to it (version 7, the maps as tables)."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in [*seeds[:-2], SEEDS / "sources.csv"]:
        shutil.copy(path, folder)
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    old = tmp_path / "old"
    shutil.copytree(out, old)
    saved = load_analysis(out, with_index=True)
    assert saved.index is not None and saved.index.framing is not None
    with writing(old, fresh=False) as store:  # as version 6 wrote it
        _, parts = index_parts(saved.index)
        store.put("index", parts)
        for table in (OUTLET_TERMS, SUBSTITUTIONS, ENTITIES):
            store.connection.execute(f'DROP TABLE "{table.name}"')
        store.put("manifest", {**store.get("manifest"), "version": 6})

    shutil.copy(seeds[-2], folder)
    assert main(["analyze", str(folder), "--out", str(tmp_path / "full"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(old)]) == 0
    said = capsys.readouterr().err
    assert "index is version 6" in said and "analysing in full" in said, said
    with reading(old) as store:
        assert store.get("manifest")["version"] == 7 and store.has_table(OUTLET_TERMS.name)
    in_full, fresh = _store_content(old), _store_content(tmp_path / "full")
    assert np.array_equal(in_full.pop("vectors"), fresh.pop("vectors"))
    assert in_full == fresh

    shutil.copy(seeds[-1], folder)
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(old)]) == 0
    assert "analysing in full" not in capsys.readouterr().err


def test_arrays_grown_by_additions_are_stored_as_runs_and_read_back_as_they_were(tmp_path, monkeypatch):
    """Rows appended, shingles inserted in hash order (as ``extend_shingle_index`` inserts them), and an array
    changed in the middle: two additions stored as runs read back equal to the arrays; past ``MAX_RUNS`` an
    array is written whole again."""
    rng = np.random.default_rng(7)
    hashes = np.sort(rng.integers(0, 1000, 50).astype(np.uint64))
    arrays = {
        "story_vectors": rng.normal(size=(4, 3)).astype(np.float32),
        "shingle_hashes": hashes,
        "shingle_owners": rng.integers(0, 4, 50),
        "shingle_sizes": np.array([10, 20, 10, 10]),
        "claim_labels": np.arange(6),
    }
    with writing(tmp_path, fresh=True) as store:
        runs = write_arrays(store, arrays, None)
    for added in range(2):  # one article each: a row of vectors, its shingles (some equal to older ones), a label
        with reading(tmp_path) as store:
            before = read_arrays(store, sorted(arrays), runs)
        new_hashes = np.concatenate([rng.integers(0, 1000, 6), before.arrays["shingle_hashes"][:2]]).astype(np.uint64)
        at = np.searchsorted(before.arrays["shingle_hashes"], new_hashes, side="right")
        owner = len(before.arrays["shingle_sizes"])
        arrays = {
            "story_vectors": np.vstack([before.arrays["story_vectors"], rng.normal(size=(1, 3)).astype(np.float32)]),
            "shingle_hashes": np.insert(before.arrays["shingle_hashes"], at, new_hashes),
            "shingle_owners": np.insert(before.arrays["shingle_owners"], at, np.full(len(new_hashes), owner)),
            "shingle_sizes": np.append(before.arrays["shingle_sizes"], len(new_hashes)),
            "claim_labels": np.concatenate([before.arrays["claim_labels"][::-1], [added]]),  # changed, not grown
        }
        with writing(tmp_path, fresh=False) as store:
            runs = write_arrays(store, arrays, before)
        assert runs == {
            "story_vectors": 2 + added,
            "shingle_hashes": 2 + added,
            "shingle_owners": 2 + added,
            "shingle_sizes": 2 + added,
            "claim_labels": 1,
        }
    with reading(tmp_path) as store:
        found = read_arrays(store, sorted(arrays), runs).arrays
    assert found.keys() == arrays.keys()
    assert all(
        np.array_equal(found[name], array) and found[name].dtype == array.dtype for name, array in arrays.items()
    )

    monkeypatch.setattr(index_arrays, "MAX_RUNS", 3)
    with reading(tmp_path) as store:
        before = read_arrays(store, sorted(arrays), runs)
    grown = {**before.arrays, "story_vectors": np.vstack([before.arrays["story_vectors"], np.ones((1, 3), np.float32)])}
    with writing(tmp_path, fresh=False) as store:
        assert write_arrays(store, grown, before)["story_vectors"] == 1
    with reading(tmp_path) as store:
        assert np.array_equal(read_arrays(store, ["story_vectors"], {}).arrays["story_vectors"], grown["story_vectors"])


def test_shingles_of_many_additions_are_read_back_with_one_insertion_as_each_addition_inserted_them(
    tmp_path, monkeypatch
):
    """Runs in hash order (one added article's shingles each), hashes equal across runs and to the base's: read back
    as the additions' insertions one after another made them, each array copied once, not once per run."""
    rng = np.random.default_rng(11)
    hashes = np.sort(rng.integers(0, 60, 80).astype(np.uint64))
    owners = rng.integers(0, 4, 80)
    arrays = {"shingle_hashes": hashes, "shingle_owners": owners, "shingle_sizes": np.full(4, 20)}
    with writing(tmp_path, fresh=True) as store:
        runs = write_arrays(store, arrays, None)
    for added in range(5):
        with reading(tmp_path) as store:
            before = read_arrays(store, sorted(arrays), runs)
        new = np.sort(np.concatenate([rng.integers(0, 60, 7), hashes[[0, 40]], hashes[-1:]]).astype(np.uint64))
        at = np.searchsorted(hashes, new, side="right")
        hashes, owners = np.insert(hashes, at, new), np.insert(owners, at, np.full(len(new), 4 + added))
        arrays = {"shingle_hashes": hashes, "shingle_owners": owners, "shingle_sizes": np.full(5 + added, 20)}
        with writing(tmp_path, fresh=False) as store:
            runs = write_arrays(store, arrays, before)
    assert runs["shingle_hashes"] == 6
    inserted, insert = [], np.insert
    monkeypatch.setattr(np, "insert", lambda *arguments: inserted.append(1) or insert(*arguments))
    with reading(tmp_path) as store:
        found = read_arrays(store, sorted(arrays), runs).arrays
    assert np.array_equal(found["shingle_hashes"], hashes) and np.array_equal(found["shingle_owners"], owners)
    assert found["shingle_hashes"].dtype == np.uint64 and len(inserted) == 2


@pytest.mark.parametrize("runs_compared", [index_arrays._RUNS_COMPARED, 0], ids=["run by run", "masked copy"])
def test_only_shingles_inserted_as_an_addition_inserts_them_are_stored_as_a_run(runs_compared, monkeypatch):
    """The write stores the added articles' shingles alone when the arrays are the earlier ones with exactly those
    rows inserted in hash order; an old row changed, or an added row at another place, means the arrays whole."""
    monkeypatch.setattr(index_arrays, "_RUNS_COMPARED", runs_compared)
    rng = np.random.default_rng(3)
    old_hashes = np.sort(rng.integers(0, 500, 200).astype(np.uint64))
    old = {"shingle_hashes": old_hashes, "shingle_owners": rng.integers(0, 5, 200), "shingle_sizes": np.ones(5)}
    before = index_arrays.StoredArrays("store", old, {})
    added = np.sort(np.concatenate([rng.integers(0, 500, 9), old_hashes[[0, 50, 199]]]).astype(np.uint64))
    at = np.searchsorted(old_hashes, added, side="right")
    owners = np.array([5, 6] * 6)
    arrays = {
        "shingle_hashes": np.insert(old_hashes, at, added),
        "shingle_owners": np.insert(old["shingle_owners"], at, owners),
    }
    found = index_arrays._added_shingles(arrays, before)
    assert np.array_equal(found["shingle_hashes"], added) and np.array_equal(found["shingle_owners"], owners)

    changed_old_row = {**arrays, "shingle_owners": arrays["shingle_owners"].copy()}
    changed_old_row["shingle_owners"][np.flatnonzero(arrays["shingle_owners"] < 5)[100]] += 1
    assert index_arrays._added_shingles(changed_old_row, before) == {}
    new_rows = np.flatnonzero(arrays["shingle_owners"] >= 5)
    moved = {name: array.copy() for name, array in arrays.items()}  # an added row one place earlier than its hash's
    hashes = arrays["shingle_hashes"]
    first = next(row for row in new_rows if row - 1 not in new_rows and hashes[row - 1] != hashes[row])
    for array in moved.values():
        array[first - 1], array[first] = array[first].copy(), array[first - 1].copy()
    assert index_arrays._added_shingles(moved, before) == {}


def test_a_large_array_is_saved_straight_into_its_file_and_a_failed_write_leaves_the_store_as_it_was(
    tmp_path, monkeypatch
):
    """``AnalysisStore.put_file``: the index's large arrays (the claims' neighbour lists, 60 MB at 251,000
    statements) are saved into their blob files without a bytes copy; read back they are the arrays, and a write
    stopped half way through such a file keeps the previous store and removes the file."""
    from compare.io import tables

    monkeypatch.setattr(tables, "EXTERNAL_BYTES", 1000)
    rng = np.random.default_rng(5)
    arrays = {"claim_neighbours": rng.integers(-1, 5000, (3000, 20)), "claim_labels": np.arange(10)}
    with writing(tmp_path, fresh=True) as store:
        runs = write_arrays(store, arrays, None)
        assert store.blob_file("index/claim_neighbours") is not None  # a file, written by put_file
    with reading(tmp_path) as store:
        found = read_arrays(store, sorted(arrays), runs).arrays
    assert all(np.array_equal(found[name], arrays[name]) and found[name].dtype == arrays[name].dtype for name in arrays)
    files = sorted(path.name for path in (tmp_path / tables.FILES_NAME).iterdir())

    def half_then_fail(handle):  # type: ignore[no-untyped-def]
        handle.write(b"\x93NUMPY half")
        raise OSError("disk full")

    with pytest.raises(OutputError, match="disk full"), writing(tmp_path, fresh=False) as store:
        store.put_file("index/claim_neighbours", half_then_fail)
    assert sorted(path.name for path in (tmp_path / tables.FILES_NAME).iterdir()) == files
    with reading(tmp_path) as store:
        assert np.array_equal(
            read_arrays(store, sorted(arrays), runs).arrays["claim_neighbours"], arrays["claim_neighbours"]
        )
