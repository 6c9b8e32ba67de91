"""The analysis store: one DuckDB file of typed-row tables, compact vectors, blobs and settings.

Why DuckDB: one file that a writer changes with SQL (delete the changed rows, insert the new ones)
instead of rewriting a 400 MB JSON document, and that readers query for what a view needs (one
story's rows) without loading the rest. Any frozen dataclass is a table: one column per field, in
field order, so that a new field of a row type is stored without a change here. Scalars (str, int,
float, bool, optional or not) are typed columns; tuples and dicts are JSON text, converted back by
the field's annotation. ``_pos`` keeps each table's row order, so that reading gives back the list
that was written.

Writers never change the file readers have open: ``writing`` works on a copy beside it (or a new
file) and renames it into place when done (readers holding the old file keep reading it; a writer
killed before the rename leaves the previous analysis as it was).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from compare.io.atomic import TEMPORARY_SUFFIX, byte_setting, discard, make_folder, sync_folder, write_failure
from compare.io.changes import replace_rows, row_changes
from compare.io.column_rows import ColumnRows, LaterColumns, extends
from compare.io.columns import column_rows, column_values, columns_of, json_entry, rows_of, rows_source, sql_type
from compare.io.deferred import GrownRows, ReplacedRows, StoredRows, own_link
from compare.io.store_copy import copy_file, copy_name, dropped_copy, taken_copy
from compare.io.vector_blocks import StoredVectors, read_vector_blocks, stored_vectors, write_vector_blocks
from compare.model.errors import InputError, OutputError, UnreadableRowsError

STORE_NAME = "analysis.duckdb"
FILES_NAME = "analysis.files"  # the store's large blobs (vectors, the index's arrays), one file each
EXTERNAL_BYTES = byte_setting("PARALLAX_STORE_EXTERNAL_BYTES", 256 * 1024)  # tests set it low
STORE_VERSION = 1


class AnalysisStore:
    """A connection to the store file; opened by ``reading`` or ``writing``."""

    def __init__(self, connection: Any, path: Path, read_only: bool = False) -> None:
        self.connection = connection
        self.path = path
        self._schema: dict[str, dict[str, str]] | None = None  # table -> column -> type, read once per connection
        self.created: list[str] = []  # the blob files this connection wrote
        # A reader's blob rows (key -> (data, file)), all read by its first look-up: one query instead of one or two
        # per key (an addition's read looked up 90 keys at 2-12 ms each); a read-only connection sees one version
        self._blobs: dict[str, tuple[Any, str | None]] | None = None
        self._blobs_left: set[str] = set()
        # A writer's blob changes held until ``blobs_together`` ends: the keys to delete, the rows to insert
        self._batch: tuple[set[str], dict[str, tuple[bytes | None, str | None]]] | None = None
        self.read_only = read_only

    # ------------------------------------------------------------------ tables of rows

    def has_table(self, name: str) -> bool:
        return bool(self.table_columns(name))

    def table_columns(self, name: str) -> dict[str, str]:
        """The columns of table ``name`` with their DuckDB types (none when there is no such table)."""
        if self._schema is None:
            self._schema = {}
            # fetched whole: duckdb refuses further queries on a connection while a result is open
            # duckdb_columns() rather than information_schema.columns, the same rows: the view's first query on a
            # connection took 0.2 s of wall (0.04 s this way), and an addition opens six connections
            for table, column, kind in self.connection.execute(
                "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal"
            ).fetchall():
                self._schema.setdefault(table, {})[column] = kind
        return self._schema.get(name, {})

    def write_table(self, name: str, row_type: type, rows: Sequence[Any]) -> None:
        """The table ``name`` made anew to hold ``rows`` (dataclasses of ``row_type``), in order."""
        self._schema = None
        self.connection.execute(f'DROP TABLE IF EXISTS "{name}"')
        columns = ", ".join(f'"{column}" {sql_type(kind)}' for column, kind in columns_of(row_type))
        self.connection.execute(f'CREATE TABLE "{name}" (_pos BIGINT, {columns})')
        self._insert(name, row_type, rows, range(len(rows)))

    def update_table(self, name: str, row_type: type, old: Sequence[Any], new: Sequence[Any]) -> int:
        """Changes the table ``name`` from ``old`` (what it holds) to ``new``: kept rows (``row_changes``) get their
        new positions, the others are deleted or inserted; written whole when most differ. Returns the rows written."""
        if not self.has_table(name):
            self.write_table(name, row_type, new)
            return len(new)
        if new is old:
            return 0
        if isinstance(new, GrownRows) and new.base is old:  # rows appended to the stored ones: those only
            self.connection.execute(f'DELETE FROM "{name}" WHERE _pos >= ?', [len(old)])
            self._insert(name, row_type, new.added, range(len(old), len(new)))
            return len(new.added)
        if extends(new, old):  # stored rows kept as columns, with rows appended: those only
            self.connection.execute(f'DELETE FROM "{name}" WHERE _pos >= ?', [len(old)])
            self._insert(name, row_type, new[len(old) :], range(len(old), len(new)))
            return len(new) - len(old)
        if isinstance(new, ReplacedRows) and new.base is old and new._rows is None:
            return replace_rows(self, name, row_type, new)
        changes = row_changes(old, new)
        if changes is None:
            self.write_table(name, row_type, new)
            return len(new)
        for sql, columns in (
            (f'DELETE FROM "{name}" WHERE _pos IN (SELECT old FROM {{changed}})', {"old": changes.dropped}),
            (
                f'UPDATE "{name}" SET _pos = c.new FROM {{changed}} c WHERE "{name}"._pos = c.old',
                {"old": changes.moved_from, "new": changes.moved_to},
            ),
        ):
            if len(columns["old"]):
                with rows_source(self.connection, columns, dict.fromkeys(columns, "BIGINT")) as (changed, values):
                    self.connection.execute(sql.format(changed=changed), values)
        self._insert(name, row_type, [new[position] for position in changes.added], changes.added)
        return len(changes.added)

    def row_count(self, name: str, where: str = "", parameters: Sequence[Any] = ()) -> int:
        """The number of rows of table ``name`` (0 when there is no such table); ``where`` as for ``read_table``."""
        if not self.has_table(name):
            return 0
        found = self.connection.execute(f'SELECT count(*) FROM "{name}" WHERE {where or "true"}', list(parameters))
        return int(found.fetchall()[0][0])

    def deferred_table(self, name: str, row_type: type) -> StoredRows:
        """Table ``name`` as ``StoredRows``: read from this store when its rows are used, so the caller
        keeps the store open (``open_for_reading``) while they may be."""
        return StoredRows(self, name, row_type, self.row_count(name))

    def _insert(self, name: str, row_type: type, rows: Sequence[Any], positions: Sequence[int]) -> None:
        if not len(rows):
            return
        columns = {"_pos": np.asarray(positions, dtype=np.int64), **column_values(row_type, rows)}
        with rows_source(self.connection, columns, {"_pos": "BIGINT", **dict(columns_of(row_type))}) as (found, values):
            self.connection.execute(f'INSERT INTO "{name}" SELECT * FROM {found}', values)

    def read_table(self, name: str, row_type: type, where: str = "", parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of table ``name`` in the order written, as ``row_type``; ``where`` an SQL condition on
        its columns (with ``?`` parameters) keeps only some."""
        found = self._arrow_table(name, row_type, where, parameters)
        return [] if found is None else rows_of(row_type, found)

    def read_columns(
        self, name: str, row_type: type, whole: Collection[str] | None = None, block_rows: int = 0
    ) -> ColumnRows:
        """The rows of table ``name`` as ``read_table`` gives them, as ``ColumnRows``: a row is made where it is used.

        ``whole``: only these fields are read now; the others are read from this store (which the caller keeps
        open, as for ``deferred_table``) for the rows made, ``block_rows`` rows at a time (``LaterColumns``).
        """
        if whole is None or not self.table_columns(name):
            found = self._arrow_table(name, row_type)
            return column_rows(row_type, found) if found is not None else ColumnRows(row_type, {})
        order = tuple(column for column, _ in columns_of(row_type))
        found = self._arrow_table(name, row_type, fields=[*whole, "_pos"])
        positions = found.column("_pos").to_numpy()

        def read(fields: tuple[str, ...], start: int, stop: int) -> dict[str, list[Any]]:
            import duckdb

            try:
                if start == 0 and stop == len(positions):
                    block = self._arrow_table(name, row_type, fields=fields)
                else:  # the rows ranked start to stop by ``_pos``: those whose ``_pos`` lies between theirs
                    bounds = [int(positions[start]), int(positions[stop - 1])]
                    block = self._arrow_table(name, row_type, "_pos BETWEEN ? AND ?", bounds, fields=fields)
            except duckdb.Error as error:  # damaged where the first read did not look
                raise UnreadableRowsError(f"{self.path}: cannot read the saved analysis ({error})") from error
            if block.num_rows != stop - start:  # cannot be: this connection reads one version of the store
                raise UnreadableRowsError(f"{self.path}: {name} holds other rows than when it was first read")
            return {field: block.column(field).to_pylist() for field in fields}

        later = LaterColumns(tuple(field for field in order if field not in whole), read, order, block_rows)
        return column_rows(row_type, found, later)

    def _arrow_table(
        self,
        name: str,
        row_type: type,
        where: str = "",
        parameters: Sequence[Any] = (),
        fields: Sequence[str] | None = None,
    ) -> Any:
        """Table ``name``'s columns of ``row_type`` (``fields``: only these, ``_pos`` among them if named) as Arrow,
        in row order; None when there is no such table."""
        present = self.table_columns(name)
        if not present:
            return None
        wanted = columns_of(row_type)
        for column, kind in wanted:
            if column in present and present[column] != sql_type(kind):
                raise InputError(
                    f"{self.path}: {name}.{column} is {present[column]}, not {sql_type(kind)}: written by another"
                    " version of Parallax; analyse again with --full"
                )
        if fields is not None:
            wanted = [(column, kind) for column, kind in [*wanted, ("_pos", "BIGINT")] if column in fields]
        listed = ", ".join(  # a field newer than the store: NULL, which its default or a full run replaces
            f'"{column}"' if column in present else f'NULL::{sql_type(kind)} AS "{column}"' for column, kind in wanted
        )
        condition = f"WHERE {where}" if where else ""
        return self.connection.sql(
            f'SELECT {listed} FROM "{name}" {condition} ORDER BY _pos', params=list(parameters) or None
        ).to_arrow_table()

    # ------------------------------------------------------------------ vectors, blobs, values

    def write_vectors(self, vectors: np.ndarray, start: int = 0) -> None:
        """Stores ``vectors`` as float16 from row ``start`` on (earlier rows are kept, later ones replaced)."""
        write_vector_blocks(self, vectors, start)

    def read_vectors(self) -> np.ndarray:
        """Every stored vector, in row order, as float32 (values are float16's)."""
        return read_vector_blocks(self)

    def mapped_vectors(self) -> StoredVectors | np.ndarray:
        """Every stored vector, in row order, as float16 blocks read as float32 where used (``StoredVectors``)."""
        return stored_vectors(self)

    def put(self, key: str, value: Any) -> None:
        """Keeps a JSON value (settings, a manifest) under ``key``."""
        import orjson

        self.put_blob(key, orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))

    def get(self, key: str, default: Any = None) -> Any:
        found = self.get_blob(key)
        return default if found is None else json_entry(self.path, key, found)

    def put_blob(self, key: str, data: bytes) -> None:
        """Keeps ``data`` under ``key``: in the store when small, else in a new file of ``FILES_NAME`` that
        the store names (DuckDB writes and reads large blobs at some 20-60 MB/s; a file at disk speed)."""
        if len(data) >= EXTERNAL_BYTES:
            self.put_file(key, lambda handle: handle.write(data))
            return
        self._new_blob(key)
        self._insert_blob(key, data, None)

    def put_file(self, key: str, write: Callable[[BinaryIO], Any]) -> None:
        """Keeps what ``write`` writes into a new file of ``FILES_NAME`` under ``key`` (an array: no bytes copy)."""
        self._new_blob(key)
        name = f"{key.replace('/', '-')}.{secrets.token_hex(6)}"
        folder = files_folder(self.path.parent)
        make_folder(folder)
        self.created.append(name)  # before writing: a write that fails half way (a full disk) is removed too
        with open(folder / name, "xb") as handle:  # a new name: no reader has this file open
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        self._insert_blob(key, None, name)

    def _insert_blob(self, key: str, data: bytes | None, name: str | None) -> None:
        if self._batch is not None:
            self._batch[1][key] = (data, name)
            return
        self.connection.execute("INSERT INTO blobs VALUES (?, ?, ?)", [key, data, name])

    @contextlib.contextmanager
    def blobs_together(self) -> Iterator[None]:
        """The blobs written and forgotten in the block stored by one DELETE and one INSERT when it ends (an addition
        writes some 30 blobs, and each statement cost 3-12 ms of wall), not at all when it fails (the writer then
        discards its copy); a blob read meanwhile is read from what is held."""
        self._batch = (set(), {})
        try:
            yield
            dropped, added = self._batch
        finally:
            self._batch = None
        if dropped:
            self.connection.execute("DELETE FROM blobs WHERE key IN (SELECT unnest(?::VARCHAR[]))", [sorted(dropped)])
        if added:
            keys = list(added)
            self.connection.execute(
                "INSERT INTO blobs SELECT * FROM (SELECT unnest(?::VARCHAR[]), unnest(?::BLOB[]), unnest(?::VARCHAR[]))",
                [keys, [added[key][0] for key in keys], [added[key][1] for key in keys]],
            )

    def _new_blob(self, key: str) -> None:
        if not self.has_table("blobs"):
            self._schema = None
            self.connection.execute("CREATE TABLE blobs (key VARCHAR, data BLOB, file VARCHAR)")
        self.drop_blob(key)

    def drop_blob(self, key: str) -> None:
        """Forgets ``key`` (its file stays until ``writing`` clears files no store names)."""
        if self._batch is not None:
            self._batch[0].add(key)
            self._batch[1].pop(key, None)
        elif self.has_table("blobs"):
            self.connection.execute("DELETE FROM blobs WHERE key = ?", [key])

    def get_blob(self, key: str) -> bytes | None:
        found = self._blob(key)
        if found is None:
            return None
        data, name = found
        return bytes(data) if name is None else (files_folder(self.path.parent) / name).read_bytes()

    def blob_file(self, key: str) -> Path | None:
        """The file that holds blob ``key``, or None (a small blob, kept in the store, or none). A file is never
        written again (a blob written again gets a new one), so it can be mapped instead of read."""
        found = self._blob(key)
        return None if found is None or found[1] is None else files_folder(self.path.parent) / found[1]

    def _blob(self, key: str) -> tuple[Any, str | None] | None:
        if self._batch is not None and key in self._batch[0] | self._batch[1].keys():
            return self._batch[1].get(key)
        if not self.has_table("blobs"):
            return None
        if self.read_only:
            if self._blobs is None:  # a large blob kept in the store (a low PARALLAX_STORE_EXTERNAL_BYTES's) read alone
                rows = self.connection.execute(
                    "SELECT key, if(octet_length(data) > ?, NULL, data), file, octet_length(data) > ? FROM blobs",
                    [_CACHED_BYTES, _CACHED_BYTES],
                ).fetchall()
                self._blobs = {name: (data, file) for name, data, file, large in rows if not large}
                self._blobs_left = {name for name, _, _, large in rows if large}
            if key not in self._blobs_left:
                return self._blobs.get(key)
        found = self.connection.execute("SELECT data, file FROM blobs WHERE key = ?", [key]).fetchall()
        return (found[0][0], found[0][1]) if found else None

    def file_names(self) -> set[str]:
        """The files of ``FILES_NAME`` this store names."""
        if not self.has_table("blobs"):
            return set()
        return {name for (name,) in self.connection.execute("SELECT file FROM blobs WHERE file IS NOT NULL").fetchall()}


_CACHED_BYTES = 1024 * 1024  # a blob kept in the store above this is not read with the others (read when asked)


def store_path(folder: str | Path) -> Path:
    return Path(folder) / STORE_NAME


def files_folder(folder: str | Path) -> Path:
    return Path(folder) / FILES_NAME


@contextlib.contextmanager
def reading(folder: str | Path) -> Iterator[AnalysisStore]:
    """The store of ``folder`` opened read-only (any number of readers at once, also while a writer writes),
    closed when the block ends.

    Raises:
        InputError: when there is no readable store, naming the file.
    """
    import duckdb

    store = open_for_reading(folder)
    try:
        yield store
    except duckdb.Error as error:
        raise InputError(f"{store.path}: cannot read the saved analysis ({error})") from error
    finally:
        store.connection.close()


def open_for_reading(folder: str | Path, detached: bool = False) -> AnalysisStore:
    """The store of ``folder`` opened read-only and kept open by the caller (who closes ``store.connection``):
    for a reader that queries it again and again, such as the dashboard, which opens a cursor per query.

    ``detached``: opened through a link of its own, removed once open. DuckDB shares one database per
    path within a process, so a connection kept open on the store's path would make every later reader
    of this process see this version even after a writer replaced it; a detached one keeps reading this
    version alone (the rows of ``deferred_table`` while the analysis they belong to is written anew).

    Raises:
        InputError: when there is no readable store, naming the file.
    """
    import duckdb

    path = store_path(folder)
    if not path.is_file():
        raise InputError(f"{path}: no saved analysis here (run `python -m compare analyze ... --out {folder}`)")
    opened = own_link(path) if detached else path
    try:
        connection = duckdb.connect(str(opened), read_only=True)
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot read the saved analysis ({error})") from error
    finally:
        if opened != path:
            discard(opened)  # the open file stays readable; the name would only be left over
    store = AnalysisStore(connection, path, read_only=True)
    try:
        version = store.get("version")
        store.table_columns("")  # the schema, read once for every cursor
    except (duckdb.Error, InputError) as error:  # an InputError (a damaged entry) names the file already
        connection.close()
        why = str(error) if isinstance(error, InputError) else f"{path}: cannot read the saved analysis ({error})"
        raise InputError(why) from error
    if version != STORE_VERSION:
        store.connection.close()
        from compare.io.columns import store_version_problem  # one use, on a rare path

        raise InputError(f"{path}: {store_version_problem(version, STORE_VERSION)}")
    return store


@contextlib.contextmanager
def writing(folder: str | Path, fresh: bool) -> Iterator[AnalysisStore]:
    """A store to write, swapped in for ``folder``'s store when the block ends without an error.

    The writer works on a new file beside the store (``fresh``), or on a copy of it: readers keep
    the previous analysis meanwhile, and a writer that fails or is killed leaves it as it was. The
    caller holds the folder (``atomic.locked_folder``) so that there is one writer at a time.

    Raises:
        OutputError: naming the file that cannot be written and why.
    """
    import duckdb

    target = store_path(folder)
    make_folder(target.parent)
    copied = None if fresh else taken_copy(target)  # made ahead by an addition (``store_copy.copy_ahead``)
    dropped_copy(target)
    discard_leftovers(target.parent, keep=copied)
    named_now = _discard_unnamed_files(target.parent)
    temporary = copied or copy_name(target)
    try:
        if copied is None and not fresh and target.is_file():
            copy_file(target, temporary)
        connection = duckdb.connect(str(temporary))
    except (OSError, duckdb.Error) as error:
        _discard_store(temporary)
        raise OutputError(f"cannot write {target}: {write_failure(error)}") from error
    store = AnalysisStore(connection, target)
    swapped = False
    try:
        store.put("version", STORE_VERSION)
        yield store
        if os.environ.get("PARALLAX_STORE_FAIL") == "before-swap":  # tests: a writer killed before the rename
            os.kill(os.getpid(), 9)
        connection.execute("CHECKPOINT")
        connection.close()
        sync_folder(files_folder(target.parent))
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        swapped = True
        sync_folder(target.parent)
        if named_now:  # kept one write longer, for readers of the store just replaced
            (files_folder(target.parent) / _PREVIOUS).write_text("\n".join(sorted(named_now)), encoding="utf-8")
    except (OSError, duckdb.Error) as error:
        raise OutputError(f"cannot write {target}: {write_failure(error)}") from error
    finally:
        connection.close()
        _discard_store(temporary)
        if not swapped:
            for name in store.created:
                discard(files_folder(target.parent) / name)


def _discard_store(path: Path) -> None:
    discard(path)
    discard(path.with_name(path.name + ".wal"))


def _discard_unnamed_files(folder: Path) -> set[str]:
    """Removes the blob files that neither the store in ``folder`` nor the one before it names (those of
    older versions, and a killed writer's); returns the names the store has now."""
    files = files_folder(folder)
    if not files.is_dir():
        return set()
    named: set[str] = set()
    if store_path(folder).is_file():
        try:
            with reading(folder) as store:
                named = store.file_names()
        except InputError:
            return set()  # an unreadable store: keep everything
    kept = _previous_names(files) | named | {_PREVIOUS}
    for path in files.iterdir():
        if path.name not in kept:
            discard(path)
    return named


_PREVIOUS = ".named-before"


def _previous_names(files: Path) -> set[str]:
    """The files the store named at the write before this one (kept one write longer for its readers)."""
    try:
        return set((files / _PREVIOUS).read_text(encoding="utf-8").split())
    except OSError:
        return set()


def discard_leftovers(folder: Path, keep: Path | None = None) -> None:
    """Removes the copies a killed writer left in ``folder`` (but ``keep``, this writer's own)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name.startswith(f".{STORE_NAME}.") and TEMPORARY_SUFFIX in path.name and path != keep:
            discard(path)
