"""The embedded default store: one SQLite file caching embeddings and segmentations by content hash."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from compare.model.errors import StoreError

SCHEMA_VERSION = 2
_EMBEDDINGS = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
"""
_SEGMENTS = """
CREATE TABLE IF NOT EXISTS segments (
    key TEXT PRIMARY KEY,
    payload TEXT NOT NULL
) WITHOUT ROWID;
"""
# Each migration takes a store from the version before it to its own; data is only ever added.
_MIGRATIONS = {1: _EMBEDDINGS, 2: _SEGMENTS}


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


class Store:
    """Embeddings by (model, content hash) and segmentations by article hash, in one SQLite file.

    WAL journaling keeps it consistent through crashes and lets readers work beside a writer; each
    write is one transaction, so an interrupted run keeps everything written before it.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_store_path()
        where = "--store or PARALLAX_STORE"
        if self.path.is_dir():
            raise StoreError(
                f"{self.path}: is a folder; the embedding store is one file: give a file's path in {where}"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file where a folder should be: "file exists" named no file but the folder
            why = "a file is in the way" if isinstance(error, FileExistsError | NotADirectoryError) else error.strerror
            raise StoreError(
                f"{self.path}: cannot make the store's folder {self.path.parent} ({why or error});"
                f" give another file in {where}"
            ) from error
        try:
            self._connection = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            version = self._connection.execute("PRAGMA user_version").fetchone()[0]
            tables = self._connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            if version == 0 and tables:
                raise StoreError(f"{self.path}: not a Parallax store (it has tables but no schema version)")
            if version < SCHEMA_VERSION:
                with self._connection:
                    for step in range(version + 1, SCHEMA_VERSION + 1):
                        self._connection.executescript(_MIGRATIONS[step])
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
        self._write("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        """Stored segmentations (JSON payloads) by key, for the keys that are stored."""
        found: dict[str, str] = {}
        for first in range(0, len(keys), 500):
            chunk = list(keys[first : first + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._connection.execute(f"SELECT key, payload FROM segments WHERE key IN ({marks})", chunk)  # noqa: S608
            found.update(dict(rows))
        return found

    def put_segments(self, items: Iterable[tuple[str, str]]) -> None:
        """Stores segmentations in one transaction."""
        self._write("INSERT OR REPLACE INTO segments VALUES (?, ?)", list(items))

    def _write(self, statement: str, rows: list[tuple]) -> None:
        for attempt in range(5):
            try:
                with self._connection:
                    self._connection.executemany(statement, rows)
                return
            except sqlite3.OperationalError as error:  # another process holds the write lock
                if "locked" not in str(error) or attempt == 4:
                    raise StoreError(f"{self.path}: cannot write to the store ({error})") from error
                time.sleep(0.5 * (attempt + 1))

    def count(self, model: str | None = None) -> int:
        """How many embeddings are stored (for one model, or all)."""
        if model is None:
            return int(self._connection.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
        return int(self._connection.execute("SELECT COUNT(*) FROM embeddings WHERE model=?", [model]).fetchone()[0])

    def close(self) -> None:
        self._connection.close()
