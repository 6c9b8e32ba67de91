"""The index's arrays in a store as runs of blobs: a base, then what each addition appended or inserted, so that
adding an article writes the rows it added instead of 230 MB of arrays (the shingles alone are 100 MB).

An array is a list of runs (blob keys ``index/NAME``, ``index/NAME+1``, ...). An array an addition grew at its
end (story rows, claim rows of the added statements) gets a run of the added rows, read back by concatenation.
The shingles (sorted by hash) get a run of the added articles' entries, read back by inserting them where the
addition inserted them (``framing.syndication.extend_shingle_index``'s ``np.insert``, replayed). An array changed
anywhere else (neighbour lists, labels) is written whole, as one run.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np

from compare.io import tables

MAX_RUNS = 32  # more, and the array is written whole again (reading stays one pass over few blobs)
SHINGLES = ("shingle_hashes", "shingle_owners")


@dataclass
class StoredArrays:
    """The arrays an index was read with (made read-only, so that an addition cannot change them in place
    unseen), the store they came from and how many runs each is kept in."""

    path: Any
    arrays: dict[str, np.ndarray]
    runs: dict[str, int]


def _key(name: str, run: int) -> str:
    return f"index/{name}" if run == 0 else f"index/{name}+{run}"


def _put(store: Any, key: str, array: np.ndarray) -> None:
    if array.nbytes >= tables.EXTERNAL_BYTES and hasattr(
        store, "put_file"
    ):  # saved into its file: no 60 MB bytes copies
        store.put_file(key, lambda handle: np.save(handle, array, allow_pickle=False))
        return
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    store.put_blob(key, buffer.getvalue())


def _get(store: Any, key: str) -> np.ndarray:
    """The array of blob ``key``: a file's mapped (read-only; its pages read where used), a small one's read."""
    file = store.blob_file(key) if hasattr(store, "blob_file") else None
    if file is not None:
        return np.load(file, mmap_mode="r", allow_pickle=False)
    return np.load(io.BytesIO(store.get_blob(key) or b""), allow_pickle=False)


def read_arrays(store: Any, names: list[str], runs: dict[str, int]) -> StoredArrays:
    """The arrays ``names`` of ``store``'s index (``runs``: the runs of each kept in more than one)."""
    arrays = {}
    for name in names:
        if name in SHINGLES and runs.get(name, 1) > 1:
            continue
        parts = [_get(store, _key(name, run)) for run in range(runs.get(name, 1))]
        arrays[name] = parts[0] if len(parts) == 1 else np.concatenate(parts)
    if any(runs.get(name, 1) > 1 for name in SHINGLES):
        count = runs[SHINGLES[0]]
        hashes, owners = _get(store, _key(SHINGLES[0], 0)), _get(store, _key(SHINGLES[1], 0))
        added = [_get(store, _key(SHINGLES[0], run)) for run in range(1, count)]
        added_owners = [_get(store, _key(SHINGLES[1], run)) for run in range(1, count)]
        if all(_ascending(run) for run in [hashes, *added]):
            arrays |= dict(zip(SHINGLES, _inserted_runs(hashes, owners, added, added_owners)))
        else:  # an addition inserted hashes out of order (two articles' each in order): replayed run by run
            for run, run_owners in zip(added, added_owners):
                at = np.searchsorted(hashes, run, side="right")
                hashes, owners = np.insert(hashes, at, run), np.insert(owners, at, run_owners)
            arrays |= {SHINGLES[0]: hashes, SHINGLES[1]: owners}
    for array in arrays.values():
        array.setflags(write=False)
    return StoredArrays(store.path, arrays, {name: runs.get(name, 1) for name in names})


def _inserted_runs(
    hashes: np.ndarray, owners: np.ndarray, added: list[np.ndarray], added_owners: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The shingles after each run of ``added`` (ascending hashes, with their owners) was inserted in turn into
    ``hashes`` (ascending) after its equal hashes (``np.searchsorted(..., side="right")``), as each addition did:
    made by one insertion of all the runs, each 100 MB array copied once instead of once per run. With every run
    ascending the array stays sorted after each insertion, and a run's hash goes after the base's equal hashes
    and after those of earlier runs: so the runs are merged by hash, equal hashes in run order (a stable sort),
    and inserted after the base's equal hashes."""
    every, every_owner = np.concatenate(added), np.concatenate(added_owners)
    order = np.argsort(every, kind="stable")
    every, every_owner = every[order], every_owner[order]
    at = np.searchsorted(hashes, every, side="right")
    return np.insert(hashes, at, every), np.insert(owners, at, every_owner)


def _ascending(array: np.ndarray) -> bool:
    return bool(np.all(array[:-1] <= array[1:]))


def write_arrays(store: Any, arrays: dict[str, np.ndarray], before: StoredArrays | None) -> dict[str, int]:
    """Stores ``arrays``; ``before``: the arrays of the store this one is a copy of (then only the rows they lack
    are written where that is all that changed). Returns the runs of each array."""
    if before is not None and before.path != store.path:
        before = None
    runs: dict[str, int] = {}
    added = _added_shingles(arrays, before)
    for name, array in arrays.items():
        old = before.arrays.get(name) if before is not None else None
        kept = before.runs.get(name, 1) if before is not None else 0
        if old is not None and (array is old or _same(array, old)):
            runs[name] = kept
            continue
        tail = added[name] if name in added else _appended(array, old)
        if tail is not None and kept < MAX_RUNS:
            _put(store, _key(name, kept), tail)
            runs[name] = kept + 1
            continue
        for run in range(1, kept):
            store.drop_blob(_key(name, run))
        _put(store, _key(name, 0), array)
        runs[name] = 1
    return runs


def _same(array: np.ndarray, old: np.ndarray) -> bool:
    return array.dtype == old.dtype and array.shape == old.shape and _equal(array, old)


def _appended(array: np.ndarray, old: np.ndarray | None) -> np.ndarray | None:
    """The rows ``array`` adds after ``old``, when it holds ``old``'s rows first (else None)."""
    if old is None or array.dtype != old.dtype or array.shape[1:] != old.shape[1:] or len(array) <= len(old):
        return None
    return array[len(old) :] if _equal(array[: len(old)], old) else None


_COMPARED_AT_ONCE = 1 << 20  # values; a chunk's comparison stays in cache


def _equal(array: np.ndarray, other: np.ndarray) -> bool:
    """``np.array_equal`` of two arrays of one shape, a chunk of rows at a time, stopping at the first chunk that
    differs: the neighbour lists an addition changed (60 MB) differ in their first rows already."""
    if array.shape != other.shape or array.ndim == 0:
        return array.shape == other.shape and bool(np.array_equal(array, other))
    rows = max(1, _COMPARED_AT_ONCE // max(1, int(np.prod(array.shape[1:]))))
    return all(
        bool(np.array_equal(array[first : first + rows], other[first : first + rows]))
        for first in range(0, len(array), rows)
    )


def _added_shingles(arrays: dict[str, np.ndarray], before: StoredArrays | None) -> dict[str, np.ndarray]:
    """The shingles of the added articles (those owned by an article row the earlier index had not), when
    inserting them into the earlier shingles gives the current ones: then they are what is stored."""
    if before is None or not all(name in arrays and name in before.arrays for name in SHINGLES):
        return {}
    hashes, owners = arrays[SHINGLES[0]], arrays[SHINGLES[1]]
    old_hashes, old_owners = before.arrays[SHINGLES[0]], before.arrays[SHINGLES[1]]
    inserted = np.flatnonzero(owners >= len(before.arrays.get("shingle_sizes", ())))
    if not len(inserted) or len(hashes) != len(old_hashes) + len(inserted):
        return {}
    added, added_owners = hashes[inserted], owners[inserted]
    # An addition makes the shingles with np.insert(old, at, added) (``framing.syndication``), which puts added[i] at at[i] + i (at
    # ascending) and the old rows in order around them: checked so, without making the 100 MB arrays again.
    at = np.searchsorted(old_hashes, added, side="right")
    if not (
        np.array_equal(inserted, at + np.arange(len(at)))
        and _rest_is(hashes, inserted, old_hashes)
        and _rest_is(owners, inserted, old_owners)
    ):
        return {}
    return {SHINGLES[0]: added, SHINGLES[1]: added_owners}


def _rest_is(array: np.ndarray, inserted: np.ndarray, old: np.ndarray) -> bool:
    """Whether ``array`` without its rows ``inserted`` (ascending positions) is ``old``: compared a run of rows
    between two inserted ones at a time (no copy), or through one masked copy when the runs are many."""
    if len(inserted) > _RUNS_COMPARED:
        kept = np.ones(len(array), dtype=bool)
        kept[inserted] = False
        return bool(np.array_equal(array[kept], old))
    start = 0  # the old row the next run starts at
    for shift, position in enumerate(inserted.tolist()):
        if not np.array_equal(array[start + shift : position], old[start : position - shift]):
            return False
        start = position - shift
    return bool(np.array_equal(array[start + len(inserted) :], old[start:]))


_RUNS_COMPARED = 20_000  # above, one masked copy costs less than comparing run by run
