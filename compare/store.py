"""The embedded default store: a SQLite file caching statement embeddings by model and content hash."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from compare.errors import StoreError

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
"""


def default_store_path() -> Path:
    """``$PARALLAX_STORE``, else ``$XDG_CACHE_HOME/parallax/store.sqlite3`` (``~/.cache`` by default)."""
    configured = os.environ.get("PARALLAX_STORE")
    if configured:
        return Path(configured).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "parallax" / "store.sqlite3"


def text_hash(text: str) -> str:
    """The content hash statements are cached under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class EmbeddingStore:
    """Embeddings keyed by (model, content hash) in one SQLite file (WAL: safe for readers and crashes)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_store_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            version = self._connection.execute("PRAGMA user_version").fetchone()[0]
            tables = self._connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            if version == 0 and not tables:
                with self._connection:
                    self._connection.executescript(_SCHEMA)
                    self._connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: store schema version {version} is not the supported version {SCHEMA_VERSION}; "
                    "use another --store path or move this file away"
                )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open the store ({error}); use another --store path") from error

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors for those hashes that are stored."""
        found: dict[str, np.ndarray] = {}
        for first in range(0, len(hashes), 500):
            chunk = list(hashes[first : first + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._connection.execute(
                f"SELECT text_hash, dim, vector FROM embeddings WHERE model=? AND text_hash IN ({marks})",  # noqa: S608
                [model, *chunk],
            )
            for key, dim, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape[0] == dim:
                    found[key] = vector
        return found

    def put_many(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Stores vectors in one transaction (all or nothing)."""
        rows = [
            (model, key, int(vector.shape[0]), np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items
        ]
        for attempt in range(5):
            try:
                with self._connection:
                    self._connection.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)
                return
            except sqlite3.OperationalError as error:  # another process holds the write lock
                if "locked" not in str(error) or attempt == 4:
                    raise StoreError(f"{self.path}: cannot write embeddings ({error})") from error
                time.sleep(0.5 * (attempt + 1))

    def count(self, model: str | None = None) -> int:
        """How many embeddings are stored (for one model, or all)."""
        if model is None:
            return int(self._connection.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
        return int(self._connection.execute("SELECT COUNT(*) FROM embeddings WHERE model=?", [model]).fetchone()[0])

    def close(self) -> None:
        self._connection.close()
