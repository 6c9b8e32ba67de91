"""Typed rows as table columns: any frozen dataclass as DuckDB columns and Arrow tables, and back.

Scalars (str, int, float, bool, optional or not) are typed columns; tuples of one scalar type are
list columns (searchable by SQL); other tuples and dicts are JSON text, converted back by the field's
annotation (``compare.model.framing``'s conversions, which work for any dataclass).
"""

from __future__ import annotations

import contextlib
import functools
import secrets
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from compare.io.column_rows import ColumnRows, LaterColumns
from compare.model.errors import InputError
from compare.model.framing import (
    _nested_fields as nested_fields,  # the tuple/dict conversions of any dataclass's fields
)

_SCALARS = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}
# Values (rows x columns) that ``rows_source`` passes as SQL list parameters; more go through Arrow. pyarrow's
# conversion of Python lists imports pandas on its first use (0.4 s of CPU, a third of the write of an addition,
# which inserts a few thousand values); at 250,000 rows Arrow is some 3x faster than parameters.
PARAMETER_VALUES = 200_000
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


def column_values(row_type: type, rows: Sequence[Any]) -> dict[str, list[Any]]:
    """The columns (``columns_of``) of ``rows``, JSON columns encoded: ``rows_of`` reads them back."""
    import orjson

    nested = nested_fields(row_type)
    columns: dict[str, list[Any]] = {}
    for column, kind in columns_of(row_type):
        values = [getattr(row, column) for row in rows]
        if kind == "JSON":
            to_json = nested[column][0] if column in nested else _identity
            values = [None if value is None else orjson.dumps(to_json(value)).decode() for value in values]
        elif kind.endswith("[]"):
            values = [None if value is None else list(value) for value in values]
        columns[column] = values
    return columns


def rows_of(row_type: type, table: Any) -> list[Any]:
    """Rows of ``row_type`` from an Arrow table of its columns (``columns_of``), JSON columns decoded."""
    import orjson

    nested = nested_fields(row_type)
    columns = []
    for column, kind in columns_of(row_type):
        values = table.column(column).to_pylist()
        if kind == "JSON":
            from_json = nested[column][1] if column in nested else _identity
            values = [None if value is None else from_json(orjson.loads(value)) for value in values]
        elif kind.endswith("[]"):
            values = [None if value is None else tuple(value) for value in values]
        columns.append(values)
    if not columns:
        return []
    # Filled in directly, as ``Row.rows_from_dicts`` does: a frozen dataclass's __init__ sets each
    # field through object.__setattr__ (5-7 µs a row), and a store holds some 500,000 rows per
    # 2,400 articles. Every column is a field, in field order: what __init__ would have made.
    names = [column for column, _ in columns_of(row_type)]
    new, set_attribute = object.__new__, object.__setattr__
    rows: list[Any] = []
    for values in zip(*columns):
        row: Any = new(row_type)
        set_attribute(row, "__dict__", dict(zip(names, values)))
        rows.append(row)
    return rows


def column_rows(row_type: type, table: Any, later: LaterColumns | None = None) -> ColumnRows:
    """``rows_of``'s rows as ``ColumnRows``: the columns read, each row made (and its JSON decoded) where used;
    ``later``: the fields ``table`` lacks, read where used."""
    import orjson

    nested = nested_fields(row_type)
    columns: dict[str, Any] = {}
    decoders: dict[str, Callable[[Any], Any]] = {}
    for column, kind in columns_of(row_type):
        if later is None or column not in later.fields:
            columns[column] = table.column(column)  # made a list when the column is read whole (ColumnRows.column)
        if kind == "JSON":
            decoders[column] = functools.partial(
                _from_json, orjson.loads, nested[column][1] if column in nested else _identity
            )
        elif kind.endswith("[]"):
            decoders[column] = _tuple_or_none
    return ColumnRows(row_type, columns, decoders, later)


def _from_json(loads: Callable[[Any], Any], convert: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else convert(loads(value))


def _tuple_or_none(value: Any) -> Any:
    return None if value is None else tuple(value)


def _identity(value: Any) -> Any:
    return value


def sql_type(kind: str) -> str:
    return "VARCHAR" if kind == "JSON" else kind


def arrow_type(kind: str) -> Any:
    import pyarrow as pa

    if kind.endswith("[]"):
        return pa.list_(arrow_type(kind[:-2]))
    scalars = {"VARCHAR": pa.string(), "JSON": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64()}
    return scalars[kind] if kind in scalars else pa.bool_()


def arrow_table(columns: dict[str, Any], kinds: list[tuple[str, str]] | None = None) -> Any:
    import pyarrow as pa

    wanted = dict(kinds or [])
    return pa.table(
        {
            name: pa.array(values, type=arrow_type(wanted[name])) if name in wanted else pa.array(values)
            for name, values in columns.items()
        }
    )


@contextlib.contextmanager
def rows_source(connection: Any, columns: dict[str, Any], kinds: dict[str, str]) -> Iterator[tuple[str, list[Any]]]:
    """Rows of ``columns`` (equal-length lists or arrays, typed by ``kinds``: name -> DuckDB type) for one SQL
    statement: (the text to read them FROM, the statement's parameters).

    Few values are list parameters unnested side by side (no pyarrow, hence no pandas import); many are an Arrow
    table registered on ``connection`` until the block ends. Both give the same typed rows in the same order.
    """
    if sum(len(values) for values in columns.values()) <= PARAMETER_VALUES:
        listed = ", ".join(f'unnest(?::{sql_type(kinds[name])}[]) AS "{name}"' for name in columns)
        yield f"(SELECT {listed})", [_plain(values) for values in columns.values()]
        return
    name = f"_rows_{secrets.token_hex(4)}"
    connection.register(name, arrow_table(columns, list(kinds.items())))
    try:
        yield name, []
    finally:
        connection.unregister(name)


def _plain(values: Any) -> list[Any]:
    """Values DuckDB takes as a list parameter: numpy arrays and scalars (which it refuses) as Python ones."""
    import numpy as np

    if isinstance(values, np.ndarray):
        return values.tolist()
    return [
        value.item()
        if isinstance(value, np.generic)
        else [item.item() if isinstance(item, np.generic) else item for item in value]
        if isinstance(value, (list, tuple))
        else value
        for value in values
    ]


def json_entry(path: Any, key: str, data: bytes) -> Any:
    """The JSON value stored under ``key`` in the store at ``path``.

    Raises:
        InputError: when it is not valid JSON (a damaged store: before, a traceback from every command).
    """
    import orjson

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise InputError(
            f"{path}: cannot read the saved analysis (its entry '{key}' is not valid JSON: {error})"
        ) from error


def store_version_problem(version: Any, readable: int) -> str:
    """Why a store whose version entry is ``version`` is not read by this version (which reads ``readable``)."""
    if isinstance(version, int) and not isinstance(version, bool):  # another version's: which, and what to do
        return (
            f"made by another version of Parallax (store version {version}; this one reads version {readable}):"
            " open it with that version, or analyse into another --out"
        )
    return f"not an analysis store written by this Parallax (version {readable})"
