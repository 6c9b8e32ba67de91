"""A store's vectors kept as float16 blocks and read a key at a time (``StoredVectors``, an addition's)."""

from __future__ import annotations

import numpy as np
import pytest

from compare.cluster.neighbours import Neighbours, grow_neighbours, knn
from compare.io import vector_blocks
from compare.io.tables import reading
from compare.io.vector_blocks import StoredVectors
from compare.pipeline import save_analysis


@pytest.fixture
def stored(seeds_analysis, tmp_path, monkeypatch):
    """(the seeds' vectors as a store reads them whole, as ``StoredVectors``), stored in blocks of 7 rows."""
    monkeypatch.setattr(vector_blocks, "VECTOR_CHUNK", 7)
    save_analysis(seeds_analysis, tmp_path / "out")
    with reading(tmp_path / "out") as store:
        yield store.read_vectors(), store.mapped_vectors()


def test_stored_vectors_give_the_rows_the_float32_array_gives_for_every_key(stored):
    """The seeds' statements embedded by the shipped model, stored as float16 blocks of 7 rows: each key the
    addition's stages use reads the values of the float32 array read whole, across the blocks' edges."""
    whole, mapped = stored
    n = len(whole)
    assert isinstance(mapped, StoredVectors) and len(mapped._blocks) == -(-n // 7) > 3
    assert mapped.shape == whole.shape and len(mapped) == n and mapped.dtype == np.float32 and mapped.ndim == 2
    keys = [
        3,
        -1,
        np.int64(n - 2),
        slice(None),
        slice(5, 23),
        slice(n - 4, None),
        slice(20, 3),
        slice(1, None, 5),
        [22, 0, 7, 6, 7],
        np.array([n - 1, 13, 14], dtype=np.int64),
        np.arange(n) % 3 == 0,
        np.zeros(0, dtype=np.int64),
        (slice(2, 9), slice(0, 4)),
    ]
    for key in keys:
        found = mapped[key]
        assert found.dtype == np.float32 and np.array_equal(found, whole[key]), key
    assert np.array_equal(np.asarray(mapped), whole) and np.asarray(mapped).dtype == np.float32
    with pytest.raises(IndexError):
        mapped[[n]]


def test_rows_added_to_stored_vectors_are_kept_in_float32_below_them(stored):
    """An addition's vectors are not rounded to float16 (a full run's are not either); the earlier object
    shows what it showed."""
    whole, mapped = stored
    added = np.asarray(whole[:3] * np.float32(0.5) + np.float32(1e-4), dtype=np.float32)  # not float16 values
    grown = mapped.grown(added)
    assert len(mapped) == len(whole) and len(grown) == len(whole) + 3
    assert np.array_equal(grown[len(whole) :], added) and np.array_equal(grown[-4], whole[-1])
    assert np.array_equal(grown[[len(whole) + 1, 2]], np.stack([added[1], whole[2]]))
    again = grown.grown(added[:1])
    assert np.array_equal(np.asarray(again), np.vstack([whole, added, added[:1]]))


def test_grown_neighbour_lists_over_stored_vectors_are_those_of_the_float32_array_read_a_block_at_a_time(
    stored, monkeypatch
):
    """The search of an addition (``grow_neighbours``) reads the stored rows a block at a time into one buffer,
    each row once, never the whole array, and finds the lists it finds on the float32 array."""
    whole, mapped = stored
    n_old = len(whole) - 5  # the last five statements taken as the added ones
    old = knn(whole[:n_old], 6)
    expected = grow_neighbours(old, whole, 6, block_rows=8)
    read: list[tuple[int, int]] = []  # (rows read, the buffer's address)
    read_into = StoredVectors.read_into

    def reading(self, first, last, buffer):
        read.append((last - first, buffer.__array_interface__["data"][0]))
        return read_into(self, first, last, buffer)

    monkeypatch.setattr(StoredVectors, "read_into", reading)
    monkeypatch.setattr(StoredVectors, "__array__", lambda *args, **kwargs: pytest.fail("the whole array was made"))
    found = grow_neighbours(old, mapped, 6, block_rows=8)
    assert np.array_equal(found[0].rows, expected[0].rows)
    assert np.array_equal(found[0].similarities, expected[0].similarities)
    assert np.array_equal(found[1], expected[1]) and len(found[1])
    blocks = read[1:]  # after the added rows, read as the query
    assert read[0][0] == 5 and sum(rows for rows, _ in blocks) == len(whole) and max(rows for rows, _ in blocks) <= 8
    assert len({address for _, address in blocks}) == 1  # one buffer for every block
    assert isinstance(found[0], Neighbours)


def test_export_json_maps_the_vectors_it_does_not_write_and_writes_the_same_file(seeds_analysis, tmp_path):
    """analysis.json holds no vectors, yet export-json read them all as float32 (the 102-outlet BASIL store: 386 MB
    and 1.2 s of CPU for nothing): it now has them mapped (read where used, never here), the file unchanged."""
    from compare.cli import main
    from compare.pipeline import load_analysis

    save_analysis(seeds_analysis, tmp_path / "out")
    read = load_analysis(tmp_path / "out")
    mapped = load_analysis(tmp_path / "out", mapped_vectors=True)
    assert isinstance(mapped.vectors, StoredVectors) and not isinstance(read.vectors, StoredVectors)
    assert np.array_equal(mapped.vectors[:], read.vectors)  # the same rows, where one is used
    assert main(["export-json", str(tmp_path / "out"), "--to", str(tmp_path / "analysis.json")]) == 0
    assert (tmp_path / "analysis.json").read_bytes() == read.to_json()
