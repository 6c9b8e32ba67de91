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
import shutil
import types
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import numpy as np

from compare.io.atomic import TEMPORARY_SUFFIX, discard, make_folder, reason, sync_folder
from compare.model.errors import InputError, OutputError
from compare.model.framing import _nested_fields  # the tuple/dict conversions of any dataclass's fields

STORE_NAME = "analysis.duckdb"
STORE_VERSION = 1
VECTOR_CHUNK = 16_384  # rows of float16 vectors per stored block
_SCALARS = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}
_COLUMNS: dict[type, list[tuple[str, str]]] = {}


def columns_of(row_type: type) -> list[tuple[str, str]]:
    """(field name, DuckDB type) of a dataclass: scalars typed, tuples of one scalar type as lists, and
    "JSON" for other tuples, dicts and anything else."""
    if row_type not in _COLUMNS:
        hints = get_type_hints(row_type)
        _COLUMNS[row_type] = [(item.name, _column_type(hints[item.name])) for item in fields(row_type)]
    return _COLUMNS[row_type]


def _column_type(hint: Any) -> str:
    origin = get_origin(hint)
    if origin is tuple:  # of one scalar type (ids, outlets): a list column that SQL can search
        kinds = {argument for argument in get_args(hint) if argument is not Ellipsis}
        scalar = kinds.pop() if len(kinds) == 1 else None
        return f"{_SCALARS[scalar]}[]" if scalar in _SCALARS else "JSON"
    if origin is Literal:
        return _SCALARS.get(type(get_args(hint)[0]), "JSON")
    if origin in (Union, types.UnionType):
        inner = [argument for argument in get_args(hint) if argument is not type(None)]
        return _column_type(inner[0]) if len(inner) == 1 else "JSON"
    return _SCALARS.get(hint, "JSON")


class AnalysisStore:
    """A connection to the store file; opened by ``reading`` or ``writing``."""

    def __init__(self, connection: Any, path: Path) -> None:
        self.connection = connection
        self.path = path
        self._schema: dict[str, dict[str, str]] | None = None  # table -> column -> type, read once per connection

    # ------------------------------------------------------------------ tables of rows

    def has_table(self, name: str) -> bool:
        return bool(self.table_columns(name))

    def table_columns(self, name: str) -> dict[str, str]:
        """The columns of table ``name`` with their DuckDB types (none when there is no such table)."""
        if self._schema is None:
            self._schema = {}
            # fetched whole: duckdb refuses further queries on a connection while a result is open
            for table, column, kind in self.connection.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
            ).fetchall():
                self._schema.setdefault(table, {})[column] = kind
        return self._schema.get(name, {})

    def write_table(self, name: str, row_type: type, rows: Sequence[Any]) -> None:
        """The table ``name`` made anew to hold ``rows`` (dataclasses of ``row_type``), in order."""
        self._schema = None
        self.connection.execute(f'DROP TABLE IF EXISTS "{name}"')
        columns = ", ".join(f'"{column}" {_sql_type(kind)}' for column, kind in columns_of(row_type))
        self.connection.execute(f'CREATE TABLE "{name}" (_pos BIGINT, {columns})')
        self._insert(name, row_type, rows, range(len(rows)))

    def update_table(self, name: str, row_type: type, old: Sequence[Any], new: Sequence[Any]) -> int:
        """Changes the table ``name`` from ``old`` (what it holds) to ``new``: only the rows at positions
        that differ are deleted and inserted again; the whole table is written when most of it differs.

        Returns:
            The number of rows written.
        """
        if not self.has_table(name):
            self.write_table(name, row_type, new)
            return len(new)
        changed = [
            position
            for position, (before, after) in enumerate(zip(old, new))
            if before is not after and before != after
        ]
        if len(changed) > len(new) // 2:
            self.write_table(name, row_type, new)
            return len(new)
        changed += range(len(old), len(new))  # rows added at the end
        self.connection.execute(f'DELETE FROM "{name}" WHERE _pos >= ?', [min(len(old), len(new))])
        if changed and changed[0] < len(old):
            replaced = np.array([position for position in changed if position < len(old)], dtype=np.int64)
            self.connection.register("_replaced", _arrow_table({"_pos": replaced}))
            self.connection.execute(f'DELETE FROM "{name}" WHERE _pos IN (SELECT _pos FROM _replaced)')
            self.connection.unregister("_replaced")
        self._insert(name, row_type, [new[position] for position in changed], changed)
        return len(changed)

    def _insert(self, name: str, row_type: type, rows: Sequence[Any], positions: Sequence[int]) -> None:
        if not len(rows):
            return
        nested = _nested_fields(row_type)
        import orjson

        columns: dict[str, Any] = {"_pos": np.asarray(positions, dtype=np.int64)}
        for column, kind in columns_of(row_type):
            values = [getattr(row, column) for row in rows]
            if kind == "JSON":
                to_json = nested[column][0] if column in nested else _identity
                values = [None if value is None else orjson.dumps(to_json(value)).decode() for value in values]
            elif kind.endswith("[]"):
                values = [None if value is None else list(value) for value in values]
            columns[column] = values
        self.connection.register("_rows", _arrow_table(columns, columns_of(row_type)))
        self.connection.execute(f'INSERT INTO "{name}" SELECT * FROM _rows')
        self.connection.unregister("_rows")

    def read_table(self, name: str, row_type: type, where: str = "", parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of table ``name`` in the order written, as ``row_type``; ``where`` an SQL condition on
        its columns (with ``?`` parameters) keeps only some."""
        present = self.table_columns(name)
        if not present:
            return []
        wanted = columns_of(row_type)
        for column, kind in wanted:
            if column in present and present[column] != _sql_type(kind):
                raise InputError(
                    f"{self.path}: {name}.{column} is {present[column]}, not {_sql_type(kind)}: written by another"
                    " version of Parallax; analyse again with --full"
                )
        listed = ", ".join(  # a field newer than the store: NULL, which its default or a full run replaces
            f'"{column}"' if column in present else f'NULL::{_sql_type(kind)} AS "{column}"' for column, kind in wanted
        )
        condition = f"WHERE {where}" if where else ""
        found = self.connection.sql(
            f'SELECT {listed} FROM "{name}" {condition} ORDER BY _pos', params=list(parameters) or None
        ).to_arrow_table()
        return rows_of(row_type, found)

    # ------------------------------------------------------------------ vectors, blobs, values

    def write_vectors(self, vectors: np.ndarray, start: int = 0) -> None:
        """Stores ``vectors`` as float16 from row ``start`` on (earlier rows are kept, later ones replaced)."""
        self._schema = None
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS vectors (first BIGINT, count BIGINT, dimension BIGINT, data BLOB)"
        )
        kept = self.connection.execute("SELECT first, count FROM vectors WHERE first + count > ?", [start]).fetchall()
        if kept:  # a block reaching past start: written again from its first row
            start = min(start, min(first for first, _ in kept))
            self.connection.execute("DELETE FROM vectors WHERE first + count > ?", [start])
        compact = np.ascontiguousarray(vectors[start:], dtype=np.float16)
        dimension = vectors.shape[1] if vectors.ndim == 2 else 0
        for first in range(0, len(compact), VECTOR_CHUNK):
            block = compact[first : first + VECTOR_CHUNK]
            self.connection.execute(
                "INSERT INTO vectors VALUES (?, ?, ?, ?)", [start + first, len(block), dimension, block.tobytes()]
            )

    def read_vectors(self) -> np.ndarray:
        """Every stored vector, in row order, as float32 (values are float16's)."""
        if not self.has_table("vectors"):
            return np.zeros((0, 1), dtype=np.float32)
        blocks = self.connection.execute("SELECT count, dimension, data FROM vectors ORDER BY first").fetchall()
        if not blocks:
            return np.zeros((0, 1), dtype=np.float32)
        dimension = blocks[0][1]
        found = np.empty((sum(count for count, _, _ in blocks), dimension), dtype=np.float32)
        row = 0
        for count, _, data in blocks:
            found[row : row + count] = np.frombuffer(data, dtype=np.float16).reshape(count, dimension)
            row += count
        return found

    def put(self, key: str, value: Any) -> None:
        """Keeps a JSON value (settings, a manifest) under ``key``."""
        import orjson

        self.put_blob(key, orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))

    def get(self, key: str, default: Any = None) -> Any:
        import orjson

        found = self.get_blob(key)
        return default if found is None else orjson.loads(found)

    def put_blob(self, key: str, data: bytes) -> None:
        if not self.has_table("blobs"):
            self._schema = None
            self.connection.execute("CREATE TABLE blobs (key VARCHAR PRIMARY KEY, data BLOB)")
        self.connection.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", [key, data])

    def get_blob(self, key: str) -> bytes | None:
        if not self.has_table("blobs"):
            return None
        found = self.connection.execute("SELECT data FROM blobs WHERE key = ?", [key]).fetchall()
        return bytes(found[0][0]) if found else None


def rows_of(row_type: type, table: Any) -> list[Any]:
    """Rows of ``row_type`` from an Arrow table of its columns (``columns_of``), JSON columns decoded."""
    import orjson

    nested = _nested_fields(row_type)
    columns = []
    for column, kind in columns_of(row_type):
        values = table.column(column).to_pylist()
        if kind == "JSON":
            from_json = nested[column][1] if column in nested else _identity
            values = [None if value is None else from_json(orjson.loads(value)) for value in values]
        elif kind.endswith("[]"):
            values = [None if value is None else tuple(value) for value in values]
        columns.append(values)
    return list(map(row_type, *columns)) if columns else []


def _identity(value: Any) -> Any:
    return value


def _sql_type(kind: str) -> str:
    return "VARCHAR" if kind == "JSON" else kind


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    if kind.endswith("[]"):
        return pa.list_(_arrow_type(kind[:-2]))
    scalars = {"VARCHAR": pa.string(), "JSON": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64()}
    return scalars[kind] if kind in scalars else pa.bool_()


def _arrow_table(columns: dict[str, Any], kinds: list[tuple[str, str]] | None = None) -> Any:
    import pyarrow as pa

    wanted = dict(kinds or [])
    return pa.table(
        {
            name: pa.array(values, type=_arrow_type(wanted[name])) if name in wanted else pa.array(values)
            for name, values in columns.items()
        }
    )


def store_path(folder: str | Path) -> Path:
    return Path(folder) / STORE_NAME


@contextlib.contextmanager
def reading(folder: str | Path) -> Iterator[AnalysisStore]:
    """The store of ``folder`` opened read-only (any number of readers at once, also while a writer writes).

    Raises:
        InputError: when there is no readable store, naming the file.
    """
    import duckdb

    path = store_path(folder)
    if not path.is_file():
        raise InputError(f"{path}: no saved analysis here (run `python -m compare analyze ... --out {folder}`)")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot read the saved analysis ({error})") from error
    try:
        store = AnalysisStore(connection, path)
        if store.get("version") != STORE_VERSION:
            raise InputError(f"{path}: not an analysis store written by this Parallax (version {STORE_VERSION})")
        yield store
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot read the saved analysis ({error})") from error
    finally:
        connection.close()


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
    discard_leftovers(target.parent)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
    try:
        if not fresh and target.is_file():
            shutil.copyfile(target, temporary)
        connection = duckdb.connect(str(temporary))
    except (OSError, duckdb.Error) as error:
        _discard_store(temporary)
        raise OutputError(f"cannot write {target}: {_why(error)}") from error
    try:
        store = AnalysisStore(connection, target)
        store.put("version", STORE_VERSION)
        yield store
        if os.environ.get("PARALLAX_STORE_FAIL") == "before-swap":  # tests: a writer killed before the rename
            os.kill(os.getpid(), 9)
        connection.execute("CHECKPOINT")
        connection.close()
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        sync_folder(target.parent)
    except (OSError, duckdb.Error) as error:
        raise OutputError(f"cannot write {target}: {_why(error)}") from error
    finally:
        connection.close()
        _discard_store(temporary)


def _why(error: BaseException) -> str:
    return reason(error) if isinstance(error, OSError) else str(error)


def _discard_store(path: Path) -> None:
    discard(path)
    discard(path.with_name(path.name + ".wal"))


def discard_leftovers(folder: Path) -> None:
    """Removes the copies a killed writer left in ``folder``."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name.startswith(f".{STORE_NAME}.") and TEMPORARY_SUFFIX in path.name:
            discard(path)
