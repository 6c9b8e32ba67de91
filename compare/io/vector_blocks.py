"""The vectors of a store as float16 blocks of ``VECTOR_CHUNK`` rows: adding rows writes the last block and new ones
only; reading maps each block's file and converts it to float32 into one buffer with room for added rows."""

from __future__ import annotations

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
    listed = "SELECT first, count, dimension FROM vectors ORDER BY first"
    blocks = store.connection.execute(listed).fetchall() if store.has_table("vectors") else []
    if not blocks:
        return np.zeros((0, 1), dtype=np.float32)
    total = sum(count for _, count, _ in blocks)  # and room for added rows, which ``analysis.grown`` fills in place
    found = np.empty((total + total // 8 + 1024, blocks[0][2]), dtype=np.float32)
    for first, count, dimension in blocks:
        file = store.blob_file(f"vectors/{first}")
        data = (  # a file is mapped, not read into bytes first: converted from float16 as its pages come
            np.memmap(file, dtype=np.float16, mode="r")
            if file is not None and count * dimension
            else np.frombuffer(store.get_blob(f"vectors/{first}") or b"", dtype=np.float16)
        )
        found[first : first + count] = data.reshape(count, dimension)
    return found[:total]
