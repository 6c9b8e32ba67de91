"""The vectors of a store as float16 blocks of ``VECTOR_CHUNK`` rows: adding rows writes the last block and new ones
only; reading maps each block's file and converts it to float32 into one buffer with room for added rows, or keeps
the blocks mapped and converts the rows asked for (``StoredVectors``, an addition's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

VECTOR_CHUNK = 65_536  # rows of float16 vectors per stored block (48 MB at 384 dimensions)


def write_vector_blocks(store: Any, vectors: np.ndarray, start: int = 0) -> None:
    """Stores ``vectors`` into ``store`` (an ``AnalysisStore``) as float16 from row ``start`` on (earlier rows are
    kept, later ones replaced)."""
    connection = store.connection
    if not store.has_table("vectors"):
        store._schema = None  # noqa: SLF001 -- the store's cached schema: a table is added
        connection.execute("CREATE TABLE vectors (first BIGINT, count BIGINT, dimension BIGINT)")
    kept = connection.execute("SELECT first FROM vectors WHERE first + count > ?", [start]).fetchall()
    if kept:  # a block reaching past start: written again from its first row
        start = min(start, min(first for (first,) in kept))
        for (first,) in kept:
            store.drop_blob(f"vectors/{first}")
        connection.execute("DELETE FROM vectors WHERE first + count > ?", [start])
    compact = np.ascontiguousarray(vectors[start:], dtype=np.float16)
    dimension = vectors.shape[1] if vectors.ndim == 2 else 0
    for first in range(0, len(compact), VECTOR_CHUNK):
        block = compact[first : first + VECTOR_CHUNK]
        connection.execute("INSERT INTO vectors VALUES (?, ?, ?)", [start + first, len(block), dimension])
        store.put_blob(f"vectors/{start + first}", block.tobytes())


def read_vector_blocks(store: Any) -> np.ndarray:
    """Every vector ``store`` holds, in row order, as float32."""
    blocks = _stored_blocks(store)
    if not blocks:
        return np.zeros((0, 1), dtype=np.float32)
    total = sum(len(block) for block in blocks)  # and room for added rows, which ``analysis.grown`` fills in place
    found = np.empty((total + total // 8 + 1024, blocks[0].shape[1]), dtype=np.float32)
    first = 0
    for block in blocks:  # converted from float16 as the mapped file's pages come
        found[first : first + len(block)] = block
        first += len(block)
    return found[:total]


def stored_vectors(store: Any) -> StoredVectors | np.ndarray:
    """Every vector ``store`` holds, in row order, as ``StoredVectors`` (float16 blocks read where used); an
    empty float32 array when it holds none."""
    blocks = _stored_blocks(store)
    return StoredVectors(blocks) if blocks else np.zeros((0, 1), dtype=np.float32)


def _stored_blocks(store: Any) -> list[np.ndarray]:
    """The stored float16 blocks in row order, each (rows, dimension): a block's file mapped, not read (the
    mapping keeps the file's content, so a writer dropping the blob later changes nothing seen here)."""
    listed = "SELECT first, count, dimension FROM vectors ORDER BY first"
    found = store.connection.execute(listed).fetchall() if store.has_table("vectors") else []
    blocks = []
    for first, count, dimension in found:
        file = store.blob_file(f"vectors/{first}")
        data = (
            np.memmap(file, dtype=np.float16, mode="r")
            if file is not None and count * dimension
            else np.frombuffer(store.get_blob(f"vectors/{first}") or b"", dtype=np.float16)
        )
        blocks.append(data.reshape(count, dimension))
    return blocks


class StoredVectors:
    """A store's vectors as their float16 blocks (mapped files), then rows added after them in float32, read as
    float32 where used: ``vectors[rows]``, ``vectors[first:last]``, ``vectors[row]`` give what the same key gives
    on the float32 array of all rows (float16 to float32 is exact), without that array.

    An addition reads its saved run's vectors so (BENCHMARKS §5x): the float32 array of 251,000 rows was 434 MB,
    its largest allocation and the page faults of most of its system time, while an addition reads the rows of a
    search block at a time and the few its stages gather. ``np.asarray`` makes the whole float32 array.
    """

    dtype = np.dtype(np.float32)
    ndim = 2

    def __init__(self, blocks: Sequence[np.ndarray], added: np.ndarray | None = None) -> None:
        self._blocks = list(blocks)
        dimension = self._blocks[0].shape[1]
        self._added = np.zeros((0, dimension), dtype=np.float32) if added is None else added
        self._starts = np.cumsum([0] + [len(block) for block in self._blocks]).astype(np.int64)
        self.shape = (int(self._starts[-1]) + len(self._added), dimension)

    def __len__(self) -> int:
        return self.shape[0]

    def grown(self, added: np.ndarray) -> StoredVectors:
        """These rows with ``added`` (float32) below them; this object shows what it showed."""
        rows = np.concatenate([self._added, np.asarray(added, dtype=np.float32)]) if len(self._added) else added
        return StoredVectors(self._blocks, np.asarray(rows, dtype=np.float32).reshape(-1, self.shape[1]))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        whole = self[0 : len(self)]
        return whole if dtype is None else whole.astype(dtype, copy=False)

    def __getitem__(self, key: Any) -> np.ndarray:
        if isinstance(key, tuple):  # vectors[rows, columns]
            return self[key[0]][(slice(None), *key[1:])]
        if isinstance(key, (int, np.integer)):
            return self[np.array([key], dtype=np.int64)][0]
        if isinstance(key, slice):
            first, last, step = key.indices(len(self))
            if step != 1:
                return self[np.arange(first, last, step, dtype=np.int64)]
            return self._span(first, max(first, last))
        rows = np.asarray(key)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        rows = rows.astype(np.int64, copy=False).reshape(-1)
        if len(rows) and (rows.min() < -len(self) or rows.max() >= len(self)):
            raise IndexError(f"row {rows.min() if rows.min() < 0 else rows.max()} of {len(self)} rows")
        return self._gathered(np.where(rows < 0, rows + len(self), rows))

    def _span(self, first: int, last: int) -> np.ndarray:
        """Rows first..last as one new float32 array, each block's part converted once."""
        return self.read_into(first, last, np.empty((last - first, self.shape[1]), dtype=np.float32))

    def read_into(self, first: int, last: int, buffer: np.ndarray) -> np.ndarray:
        """Rows first..last written into the start of ``buffer`` (float32, at least as many rows), as a view of it:
        a search reading block after block into one buffer faults its pages in once, not once per block."""
        found = buffer[: last - first]
        for block, start in zip([*self._blocks, self._added], self._starts.tolist()):
            low, high = max(first, start), min(last, start + len(block))
            if low < high:
                found[low - first : high - first] = block[low - start : high - start]
        return found

    def _gathered(self, rows: np.ndarray) -> np.ndarray:
        """The rows asked for, in the order asked, from the blocks that hold them."""
        found = np.empty((len(rows), self.shape[1]), dtype=np.float32)
        holder = np.searchsorted(self._starts, rows, side="right") - 1
        for number in np.unique(holder).tolist():
            block = self._blocks[number] if number < len(self._blocks) else self._added
            at = np.flatnonzero(holder == number)
            found[at] = block[rows[at] - self._starts[number]]
        return found
