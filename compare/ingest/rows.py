"""JSON, JSON Lines, CSV and Parquet files -> rows: (row number, the row, or why it cannot be read)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from compare.ingest.dates import OutOfRange
from compare.ingest.fields import FIELD_ALIASES, TEXT_NAMES
from compare.ingest.formats import MAX_ARTICLE_CHARS

Rows = Iterator[tuple[int, Mapping[str, Any] | None, str | None]]  # (row number, row, or why it is unreadable)

_LONG_CELL = MAX_ARTICLE_CHARS * 8  # a cell longer than this in a short row ran to the end of the file
_QUOTE_LEFT_OPEN = (
    "row {number}: a quote opened in it is never closed, so the rest of the file was read as one cell; the rows "
    "from there on were not read (a stray '\"' in a cell? double it, or quote the cell)"
)
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "'|'"}


def parquet_rows(raw: bytes) -> Rows:
    """Rows of a Parquet file (one article per row, columns as in JSONL), read with pyarrow.

    Values keep their types (dates stay dates, binary stays bytes) for the field readers to judge.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as parquet

        # An Arrow buffer, not a Python file object: pyarrow may close the latter on one of its threads
        # after read_table returns, and at interpreter exit that aborts the process (apache/arrow#33975).
        table = parquet.read_table(pa.BufferReader(raw))
    except Exception as error:  # noqa: BLE001 (pyarrow raises many types for a damaged file)
        yield 0, None, f"not a readable Parquet file ({(str(error).splitlines() or [type(error).__name__])[0][:200]})"
        return
    number = 0
    for batch in table.to_batches(max_chunksize=4096):
        columns = [_column_values(column) for column in batch.columns]
        for position in range(batch.num_rows):
            number += 1
            yield number, {name: values[position] for name, values in zip(batch.schema.names, columns)}, None


def _column_values(column: Any) -> list[Any]:
    """A Parquet column as Python values; a date Python cannot hold (year 10000 on) as ``OutOfRange``."""
    try:
        return list(column.to_pylist())
    except (ValueError, OverflowError):
        pass
    values: list[Any] = []
    for scalar in column:
        try:
            values.append(scalar.as_py())
        except (ValueError, OverflowError):
            values.append(OutOfRange(f"{scalar.type} value {_raw_number(scalar)}"))
    return values


def _raw_number(scalar: Any) -> str:
    import pyarrow as pa

    try:
        return str(scalar.cast(pa.int64()).as_py())
    except (pa.ArrowException, ValueError, OverflowError):
        return "(unreadable)"


def jsonl_rows(text: str) -> Rows:
    """The objects of a JSON Lines file, numbered by line; a file that holds one JSON document instead (a
    list of articles, an object written over several lines) is read as JSON, with a note."""
    start = text.lstrip()
    first, first_error = _parse_json(start.split("\n", 1)[0])
    if start[:1] in ("[", "{") and (first_error or isinstance(first, list)):
        document, error = _parse_json(text)
        if error is None and isinstance(document, list | dict):
            yield 0, None, "holds one JSON document, not JSON Lines (one object a line); read as JSON"
            yield from _document_rows(document)
            return
    # JSON Lines ends a row at \n (or \r\n) only: str.splitlines() would also split at U+2028, U+0085
    # or a form feed, which JSON strings may hold raw (json.dumps(ensure_ascii=False) writes them).
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip(" \t\r"):
            continue
        row, error = _parse_json(line)
        if error:
            yield number, None, f"line {number}: {error}"
        elif not isinstance(row, dict):
            yield number, None, f"line {number} is a JSON {_json_type(row)}, not an object"
        else:
            yield number, row, None


def _parse_json(text: str) -> tuple[Any, str | None]:
    """A JSON value, or why it cannot be read (never raises, however deep the nesting)."""
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "JSON nested too deeply to read"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON ({error.msg}: line {error.lineno}, column {error.colno})"
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        return None, f"not valid JSON ({str(error).split(';')[0][:200]})"


def json_rows(text: str) -> Rows:
    """The articles of a JSON file: one object, a list of them, or an object whose ``articles`` is that list."""
    document, error = _parse_json(text)
    if error:
        # Many tools write JSON Lines with a .json name.
        if "\n{" in text and "nested too deeply" not in error:
            yield from jsonl_rows(text)
            return
        yield 0, None, error
        return
    yield from _document_rows(document)


# Keys under which APIs and exports put their list of articles ({"articles": [...]} is NewsAPI's)
LIST_KEYS = ("articles", "data", "items", "results", "documents", "docs", "records", "rows", "stories", "posts")


def _document_rows(document: Any) -> Rows:
    if isinstance(document, dict) and not document.keys() & FIELD_ALIASES["text"]:
        document = next((document[key] for key in LIST_KEYS if isinstance(document.get(key), list)), document)
    if isinstance(document, dict):
        yield 0, document, None
        return
    if not isinstance(document, list):
        yield 0, None, f"JSON must hold an article object or a list of them, not a {_json_type(document)}"
        return
    for number, row in enumerate(document, start=1):
        if isinstance(row, dict):
            yield number, row, None
        else:
            yield number, None, f"item {number} is a JSON {_json_type(row)}, not an object"


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "list", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def csv_layout(text: str, expected: str) -> tuple[str, str, str | None]:
    """(the table text, its delimiter, a note when it is not ``expected``): Excel's "sep=;" first line,
    else the delimiter (, ; tab |) with which the header names a text column, else ``expected``."""
    first_line, _, rest = text.partition("\n")
    excel_hint = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if excel_hint:
        return rest, excel_hint.group(1), None
    header_line = first_line.rstrip("\r")
    for delimiter in dict.fromkeys([expected, *DELIMITER_NAMES]):
        if _has_text_column(_header_columns(header_line, delimiter)):
            if delimiter == expected:
                return text, delimiter, None
            note = (
                f"columns are separated by {DELIMITER_NAMES[delimiter]}, not {DELIMITER_NAMES[expected]}; read that way"
            )
            return text, delimiter, note
    return text, expected, None


def csv_rows(text: str, delimiter: str) -> Rows:
    """The rows of a CSV file (with a header naming a text column), numbered by line."""
    # A cell may be as long as the file: one 50 MB text is cut to MAX_ARTICLE_CHARS like any other, and
    # the rows after it are read (a limit of the cell's size lost them); a quote never closed is caught below.
    csv.field_size_limit(max(_LONG_CELL, len(text) + 1))
    header_line = text.partition("\n")[0].rstrip("\r")
    columns = _header_columns(header_line, delimiter)
    if not _has_text_column(columns):
        yield 0, None, _no_text_column(header_line, columns, delimiter)
        return
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=2):
            if None in row:
                yield number, None, f"row {number} has more cells than the header"
                continue
            if _runs_to_the_end(row):
                yield number, None, _QUOTE_LEFT_OPEN.format(number=number)
                return
            yield number, row, None
    except csv.Error as error:
        yield 0, None, f"CSV cannot be parsed at line {reader.line_num} ({error}); the rows from there on were not read"


def _runs_to_the_end(row: Mapping[str | None, Any]) -> bool:
    """Whether a row is one cell swallowing the rest of the file: fewer cells than the header (the file
    ended inside the quoted cell), one of them longer than any article's text could need."""
    values = list(row.values())
    return None in values and any(isinstance(value, str) and len(value) > _LONG_CELL for value in values)


def _has_text_column(columns: list[str]) -> bool:
    return any(alias in columns for alias in FIELD_ALIASES["text"])


def _no_text_column(header_line: str, columns: list[str], delimiter: str) -> str:
    between = DELIMITER_NAMES.get(delimiter, repr(delimiter))
    message = (
        f"CSV has no text column (columns read with {between} between them: {', '.join(columns) or 'none'}); "
        f"the text is read from a column named {TEXT_NAMES}"
    )
    others = [name for mark, name in DELIMITER_NAMES.items() if mark != delimiter and mark in header_line]
    if others:
        message += f"; the header also holds {' and '.join(others)}, but no text column that way either"
    elif any(name in FIELD_ALIASES["title"] for name in columns):
        message += " (titles alone are not read: Parallax compares what articles say, so each row needs its text)"
    return message


def _header_columns(header_line: str, delimiter: str) -> list[str]:
    try:
        return [name.lower().strip() for name in next(csv.reader([header_line], delimiter=delimiter), [])]
    except csv.Error:
        return []
