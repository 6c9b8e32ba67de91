"""JSON, JSON Lines, CSV and Parquet files -> rows: (row number, the row, or why it cannot be read)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from compare.ingest.dates import OutOfRange
from compare.ingest.fields import FIELD_ALIASES, KNOWN_FIELDS, TEXT_NAMES, field_key
from compare.ingest.formats import MAX_ARTICLE_CHARS

# A row's number: its line or row in the file, 0 for the file as a whole; "3.2" for the second object of a list
# written on line 3 of a JSON Lines file.
RowNumber = int | str
Rows = Iterator[tuple[RowNumber, Mapping[str, Any] | None, str | None]]  # (row number, row, or why it is unreadable)

_LONG_CELL = MAX_ARTICLE_CHARS * 8  # a cell longer than this in a short row ran to the end of the file
_QUOTE_LEFT_OPEN = (
    "row {number}: a quote opened in it is never closed, so the rest of the file was read as one cell; the rows "
    "from there on were not read (a stray '\"' in a cell? double it, or quote the cell)"
)
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "'|'"}


def parquet_rows(raw: bytes, feather: bool = False) -> Rows:
    """Rows of a Parquet file (one article per row, columns as in JSONL), read with pyarrow; of a Feather (Arrow IPC)
    file when ``feather``: pandas' ``to_feather`` and R's ``arrow::write_feather`` (it was "unsupported file type").

    Values keep their types (dates stay dates, binary stays bytes) for the field readers to judge.
    """
    try:
        import pyarrow as pa
        import pyarrow.feather as feather_format
        import pyarrow.parquet as parquet

        # An Arrow buffer, not a Python file object: pyarrow may close the latter on one of its threads
        # after read_table returns, and at interpreter exit that aborts the process (apache/arrow#33975).
        reader = feather_format.read_table if feather else parquet.read_table
        table = reader(pa.BufferReader(raw))
    except Exception as error:  # noqa: BLE001 (pyarrow raises many types for a damaged file)
        what = "Feather (Arrow)" if feather else "Parquet"
        yield 0, None, f"not a readable {what} file ({(str(error).splitlines() or [type(error).__name__])[0][:200]})"
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
    repeated = _RepeatedKeys()
    start = text.lstrip()
    first, first_error = _parse_json(start.split("\n", 1)[0])
    if start[:1] in ("[", "{") and (first_error or isinstance(first, list)):
        document, error = _parse_json(text, repeated)
        if error is None and isinstance(document, list | dict):
            yield 0, None, "holds one JSON document, not JSON Lines (one object a line); read as JSON"
            yield from _noting_repeated_keys(_document_rows(document), repeated)
            return
        repeated = _RepeatedKeys()
    yield from _noting_repeated_keys(_rows_line_by_line(text, repeated), repeated)


def _rows_line_by_line(text: str, repeated: _RepeatedKeys) -> Rows:
    """The rows of a JSON Lines file read line by line (keys given twice in an object are noted in ``repeated``)."""
    # JSON Lines ends a row at \n (or \r\n) only: str.splitlines() would also split at U+2028, U+0085
    # or a form feed, which JSON strings may hold raw (json.dumps(ensure_ascii=False) writes them).
    notes: Counter[str] = Counter()  # the kinds of line a note is given for, once a file
    for number, line in enumerate(text.split("\n"), start=1):
        # A BOM inside the file: files saved with one each, then joined (cat a.jsonl b.jsonl > all.jsonl).
        line = line.removesuffix("\r").removeprefix("\ufeff")
        if not line.strip(" \t\r"):
            continue
        repeated.where = f"line {number}"
        row, error = _parse_json(line, repeated)
        inner = _object_in_string(row)
        if inner is not None:
            row = inner
            yield from _first_note(notes, "encoded twice", _ENCODED_TWICE.format(number=number))
        if error:
            yield number, None, f"line {number}: {error}"
        elif isinstance(row, str):
            where, each = f"line {number} holds", "here and on every such line"
            yield from _first_note(notes, "text", _TEXTS_NOTE.format(where=where, each=each))
            yield number, {"text": row}, None
        elif isinstance(row, list) and any(isinstance(value, dict) for value in row):
            # A batch of rows written as one line (a pipeline that dumps each batch's list): each object is a row.
            # A list of no object ([1, 2]) is no batch: it is named as one bad row.
            yield from _first_note(notes, "listed", _LISTED.format(number=number))
            for item, value in enumerate(row, start=1):
                yield _line_row(f"{number}.{item}", f"line {number}, item {item}", value)
        else:
            yield _line_row(number, f"line {number}", row)


def _first_note(notes: Counter[str], kind: str, note: str) -> Rows:
    """``note`` as a row of the file, the first time a line of this kind is met."""
    notes[kind] += 1
    if notes[kind] == 1:
        yield 0, None, note


def _line_row(number: RowNumber, where: str, value: Any) -> tuple[RowNumber, dict[str, Any] | None, str | None]:
    """A JSON Lines value as a row, or why it is not one."""
    if not isinstance(value, dict):
        return number, None, f"{where} is a JSON {_json_type(value)}, not an object"
    return number, _flattened(value), None


_ENCODED_TWICE = (
    "line {number} holds its object as a JSON string (encoded twice, as a pipeline that JSON-encodes a JSON line "
    "writes it); the object inside was read, here and on every such line"
)
# A list of bare texts (json.dump(texts), or one JSON string a line): each was "a JSON string, not an object", lost.
_TEXTS_NOTE = (
    "{where} a JSON string, not an object: read as an article's text ({each}), with no outlet, title or date given (those its text names are used); "
    'give objects ({{"text": …, "outlet": …, "date": …}}) to set them'
)
_LISTED = (
    "line {number} holds a list of objects, not one object (JSON Lines has one a line); each was read as a row, "
    "numbered {number}.1, {number}.2, …, here and on every such line"
)


def _object_in_string(value: Any) -> dict[str, Any] | None:
    """The JSON object a JSON string holds (a row encoded twice: ``"{\\"text\\": …}"``), or None."""
    if not isinstance(value, str) or not value.lstrip().startswith("{"):
        return None
    inner, error = _parse_json(value)
    return inner if error is None and isinstance(inner, dict) else None


# Sub-objects whose fields are the article's: The Guardian's content API gives the text in "fields" (bodyText).
_NESTED_FIELD_KEYS = ("fields", "attributes", "_source")


def _flattened(row: dict[str, Any]) -> dict[str, Any]:
    """A row whose text field is in a sub-object (``{"webTitle": …, "fields": {"bodyText": …}}``, an
    Elasticsearch hit's ``_source``) with that sub-object's fields beside its own; any other row as it is."""
    if {field_key(key) for key in row} & _TEXT_ALIASES:
        return row
    for key in _NESTED_FIELD_KEYS:
        nested = row.get(key)
        if isinstance(nested, dict) and {field_key(name) for name in nested} & _TEXT_ALIASES:
            return {**{name: value for name, value in row.items() if name != key}, **nested}
    return row


class _RepeatedKeys:
    """The keys JSON objects give twice while a file is parsed, each with where it was first seen (json keeps an
    object's last value of a key without a word: the file's writer has a bug, and a value was lost)."""

    def __init__(self) -> None:
        self.where = ""  # the line being parsed, for the note
        self.first: dict[str, str] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """An object from its key-value pairs, the last value of a repeated key kept (as json.loads keeps it)."""
        row = dict(pairs)
        if len(row) < len(pairs):
            counts = Counter(key for key, _ in pairs)
            for key in (key for key, count in counts.items() if count > 1):
                self.first.setdefault(key, self.where)
        return row

    def note(self) -> str | None:
        """One note naming the keys given twice, or None."""
        if not self.first:
            return None
        shown = ", ".join(f"'{key}'" + (f" ({where})" if where else "") for key, where in list(self.first.items())[:5])
        more = f" and {len(self.first) - 5} more" if len(self.first) > 5 else ""
        keys = "key" if len(self.first) == 1 else "keys"
        return (
            f"{keys} {shown}{more} given twice in one object: the last value was read, as JSON readers do, and the "
            "first ignored (check what wrote the file)"
        )


def _noting_repeated_keys(rows: Rows, repeated: _RepeatedKeys) -> Rows:
    """``rows``, then the note of the keys their file gave twice in one object, if any."""
    yield from rows
    note = repeated.note()
    if note:
        yield 0, None, note


def _parse_json(text: str, repeated: _RepeatedKeys | None = None) -> tuple[Any, str | None]:
    """A JSON value, or why it cannot be read (never raises, however deep the nesting); ``repeated`` collects the
    keys an object gives twice."""
    try:
        return (json.loads(text, object_pairs_hook=repeated) if repeated else json.loads(text)), None
    except RecursionError:
        return None, "JSON nested too deeply to read"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON ({error.msg}: line {error.lineno}, column {error.colno})"
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        return None, f"not valid JSON ({str(error).split(';')[0][:200]})"


def json_rows(text: str) -> Rows:
    """The articles of a JSON file: one object, a list of them, or an object whose ``articles`` is that list."""
    repeated = _RepeatedKeys()
    document, error = _parse_json(text, repeated)
    if error and "nested too deeply" not in error:
        # A comma after the last item (hand-edited JSON, JavaScript habits): JSON allows none; the parser named where.
        without, commas = _without_trailing_commas(text)
        if commas:
            repeated = _RepeatedKeys()
            document, second_error = _parse_json(without, repeated)
            if second_error is None:
                error = None
                count = "a comma" if commas == 1 else f"{commas} commas"
                it = "it" if commas == 1 else "them"
                yield 0, None, f"{count} before a closing ']' or '}}' (JSON allows none there); read without {it}"
    if error:
        # Many tools write JSON Lines with a .json name.
        if "\n{" in text and "nested too deeply" not in error:
            yield from jsonl_rows(text)
            return
        yield 0, None, error
        return
    yield from _noting_repeated_keys(_document_rows(document), repeated)


# A string (left as it is), or a comma with only white space before a closing bracket (group 1: what follows it).
_STRING_OR_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*"|,(\s*[\]}])')


def _without_trailing_commas(text: str) -> tuple[str, int]:
    """The JSON text without commas before a closing bracket (outside strings), and how many were removed."""
    removed = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal removed
        if match.group(1) is None:
            return match.group(0)
        removed += 1
        return match.group(1)

    return _STRING_OR_TRAILING_COMMA.sub(keep, text), removed


# Keys under which APIs and exports put their list of articles ({"articles": [...]} is NewsAPI's)
LIST_KEYS = ("articles", "data", "items", "results", "documents", "docs", "records", "rows", "stories", "posts", "hits")
# Keys of an API's envelope around that list: The Guardian's {"response": {"results": [...]}}, the New York Times'
# {"response": {"docs": [...]}}, Elasticsearch's (and OpenSearch's) {"hits": {"hits": [...]}}, Event Registry's
# {"articles": {"results": [...]}}.
_ENVELOPE_KEYS = ("response", "data", "result", "hits", "body", "articles")
_TEXT_ALIASES = frozenset(FIELD_ALIASES["text"])
_ID_ALIASES = frozenset(FIELD_ALIASES["id"])


def _document_rows(document: Any) -> Rows:
    note = None
    if isinstance(document, dict):
        document, note = _article_list(document)
    if note:
        yield 0, None, note
    if isinstance(document, dict):
        yield 0, _flattened(document), None
        return
    if not isinstance(document, list):
        yield 0, None, f"JSON must hold an article object or a list of them, not a {_json_type(document)}"
        return
    if document and all(isinstance(row, str) for row in document):
        yield 0, None, _TEXTS_NOTE.format(where="each item of its list is", each="one an item")
        yield from ((number, {"text": row}, None) for number, row in enumerate(document, start=1))
        return
    for number, row in enumerate(document, start=1):
        if isinstance(row, dict):
            yield number, _flattened(row), None
        else:
            yield number, None, f"item {number} is a JSON {_json_type(row)}, not an object"


def _article_list(document: dict[str, Any]) -> tuple[Any, str | None]:
    """The list of articles an object holds, and a note when it is not plainly one:
    under a list key, inside an API's envelope (a few levels down), or a pandas DataFrame written by
    ``to_json`` (its default orient "columns", or "split" or "index"). The object itself when none."""
    table = _pandas_rows(document)
    if table is not None:
        return table
    if {field_key(key) for key in document} & _TEXT_ALIASES:
        return document, None  # one article
    found = _listed(document, depth=3)
    return found if found is not None else (document, None)


def _listed(document: dict[str, Any], depth: int, path: str = "") -> tuple[list[Any], str | None] | None:
    for key in LIST_KEYS:
        if isinstance(document.get(key), list):
            where = f"{path}{key}"
            return document[key], (f"the articles are the list under '{where}'; read from there" if path else None)
    if depth > 1:
        for key in _ENVELOPE_KEYS:
            inner = document.get(key)
            if isinstance(inner, dict):
                found = _listed(inner, depth - 1, f"{path}{key}.")
                if found is not None:
                    return found
    return None


_PANDAS_NOTE = "a table pandas wrote with to_json(orient='{orient}'); read one article a row"


def _pandas_rows(document: dict[str, Any]) -> tuple[list[Any], str] | None:
    """The rows of a DataFrame written by pandas' ``to_json``: orient "split" ({"columns", "data"}), "columns"
    (the default: {column: {index: value}}) or "index" ({index: {column: value}}); None for any other object."""
    columns, data = document.get("columns"), document.get("data")
    if (
        isinstance(columns, list)
        and isinstance(data, list)
        and all(isinstance(row, list) for row in data)
        and {field_key(name) for name in columns} & _TEXT_ALIASES
    ):
        rows = [dict(zip(map(str, columns), row, strict=False)) for row in data]
        return rows, _PANDAS_NOTE.format(orient="split")
    if not document or not all(isinstance(value, dict) for value in document.values()):
        return None
    if {field_key(key) for key in document} & _TEXT_ALIASES:
        index = list(dict.fromkeys(position for column in document.values() for position in column))
        rows = [{column: values.get(position) for column, values in document.items()} for position in index]
        return rows, _PANDAS_NOTE.format(orient="columns")
    if all({field_key(key) for key in value} & _TEXT_ALIASES for value in document.values()):
        # Keyed by id ({"a1": {...}}) the key is the article's id; pandas' own index (0, 1, …) is not.
        rows = [
            value if key.isdigit() or {field_key(name) for name in value} & _ID_ALIASES else {"id": key, **value}
            for key, value in document.items()
        ]
        return (
            rows,
            "an object of articles under their keys (as pandas' to_json(orient='index') writes); read one a key",
        )
    return None


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "list", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def csv_layout(text: str, expected: str) -> tuple[str, str, str | None]:
    """(the table text, its delimiter, a note when it is not ``expected``): Excel's "sep=;" first line,
    else the delimiter (, ; tab |) with which the header names a text column, else ``expected``."""
    first_line, rest = _first_line(text)
    excel_hint = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if excel_hint:
        return rest, excel_hint.group(1), None
    delimiter = _text_header_delimiter(first_line, expected)
    if delimiter is not None:
        if delimiter == expected:
            return text, delimiter, None
        note = f"columns are separated by {DELIMITER_NAMES[delimiter]}, not {DELIMITER_NAMES[expected]}; read that way"
        return text, delimiter, note
    return _header_further_down(text, expected) or (text, expected, None)


def _text_header_delimiter(line: str, expected: str) -> str | None:
    """The delimiter (``expected`` first) with which ``line`` is a header naming a text column, or None."""
    return next(
        (mark for mark in dict.fromkeys([expected, *DELIMITER_NAMES]) if _has_text_column(_header_columns(line, mark))),
        None,
    )


_TITLE_LINES = 5  # lines a report-style export may put above its header: a title, a query, a date, a blank line


def _header_further_down(text: str, expected: str) -> tuple[str, str, str] | None:
    """(the table from its header on, its delimiter, a note) when the header naming a text column is on one of the
    first few lines, below a title or a query (as exports made to be printed write them); None otherwise."""
    rest = text
    above: list[str] = []
    for _ in range(_TITLE_LINES):
        line, rest = _first_line(rest)
        above.append(line)
        header, _ = _first_line(rest)
        delimiter = _text_header_delimiter(header, expected)
        if delimiter is not None:
            shown = next((line.strip()[:60] for line in above if line.strip(" ,;\t|")), "")
            what = f" ('{shown}')" if shown else ""
            count = "line" if len(above) == 1 else f"{len(above)} lines"
            verb = "is" if len(above) == 1 else "are"
            note = (
                f"the header is line {len(above) + 1}: the {count} above it{what} {verb} not a table's header; read from "
                "there (rows are numbered from the header)"
            )
            return rest, delimiter, note
    return None


def csv_rows(text: str, delimiter: str) -> Rows:
    """The rows of a CSV file (with a header naming a text column), numbered by line."""
    # A cell may be as long as the file: one 50 MB text is cut to MAX_ARTICLE_CHARS like any other, and
    # the rows after it are read (a limit of the cell's size lost them); a quote never closed is caught below.
    csv.field_size_limit(max(_LONG_CELL, len(text) + 1))
    header_line = _first_line(text)[0]
    columns = _header_columns(header_line, delimiter)
    if not _has_text_column(columns):
        outlets = _outlet_columns(text, delimiter)
        if outlets:
            yield from _outlet_column_rows(text, delimiter, outlets)
            return
        yield 0, None, _no_text_column(header_line, columns, delimiter)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    empty = read = 0
    headers: list[int] = []  # rows that repeat the header: CSV files joined with cat, each with its header
    try:
        repeated = _repeated_columns(reader.fieldnames or [])
        if repeated:
            reader.fieldnames, note = repeated
            yield 0, None, note
        for number, row in enumerate(reader, start=2):
            if _all_cells_empty(row):  # Excel's ",,," below a table, or a row whose cells were cleared
                empty += 1
                continue
            if _repeats_header(row):
                headers.append(number)
                continue
            read += 1
            if None in row:
                yield number, None, f"row {number} has more cells than the header"
                continue
            if _runs_to_the_end(row):
                yield number, None, _QUOTE_LEFT_OPEN.format(number=number)
                break
            yield number, row, None
    except csv.Error as error:
        yield 0, None, f"CSV cannot be parsed at line {reader.line_num} ({error}); the rows from there on were not read"
    yield from _skipped_rows(empty, read, headers)


_WIDE_SAMPLE_ROWS = 20
# A cell of an outlet's column holds a whole article: an abstract, a lead or a snippet (NYT's Article Search export,
# 20-80 words) is shorter, and such columns are passed over by name too.
_ARTICLE_CELL_WORDS = 100
_NOT_OUTLET_COLUMNS = frozenset(
    "summary abstract snippet description lead lead_paragraph excerpt teaser notes note comment comments keywords "
    "caption captions quote quotes subtitle subheadline dek standfirst".split()
)


def _outlet_columns(text: str, delimiter: str) -> list[str]:
    """The columns of a table written a column per outlet (``event,Fox News,New York Times``, each cell an
    article's text: a comparison laid out side by side in a spreadsheet): two or more columns of no known field (nor
    an abstract's or a lead's) holding a text of 100 words or more in its first rows, in a table of no text or outlet
    column. Empty when
    the table is not one (its rows were all lost: "CSV has no text column")."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        names = [name for name in reader.fieldnames or [] if name and name.strip()]
        sample = [row for _, row in zip(range(_WIDE_SAMPLE_ROWS), reader)]
    except csv.Error:
        return []
    if any(field_key(name) in FIELD_ALIASES["outlet"] for name in names):
        return []
    texts = [
        name
        for name in names
        if field_key(name) not in KNOWN_FIELDS | _NOT_OUTLET_COLUMNS
        and any(len(str(row.get(name) or "").split()) >= _ARTICLE_CELL_WORDS for row in sample)
    ]
    return texts if len(texts) >= 2 else []


def _outlet_column_rows(text: str, delimiter: str, outlets: list[str]) -> Rows:
    """One row a filled cell of the outlets' columns (numbered ``ROW.COLUMN``), the column's name its outlet and
    the row's other cells its other fields; a note naming the columns first."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    positions = {name: position for position, name in enumerate(reader.fieldnames or [], 1)}
    shown = ", ".join(name.strip() for name in outlets[:8]) + (", …" if len(outlets) > 8 else "")
    yield (
        0,
        None,
        f"no text column, but a column per outlet ({shown}) whose cells are articles' texts, as a table laid out "
        "side by side is; each cell read as an article of its column's outlet, numbered ROW.COLUMN (an empty cell: "
        "no article of that outlet)",
    )
    try:
        for number, row in enumerate(reader, start=2):
            shared = {key: value for key, value in row.items() if key is not None and key not in outlets}
            for name in outlets:
                cell = row.get(name)
                if cell and cell.strip():
                    yield f"{number}.{positions[name]}", {**shared, "outlet": name.strip(), "text": cell}, None
    except csv.Error as error:
        yield 0, None, f"CSV cannot be parsed at line {reader.line_num} ({error}); the rows from there on were not read"


def _skipped_rows(empty: int, read: int, headers: list[int]) -> Rows:
    """One note for the rows of only empty cells, and one for the rows that repeat the header."""
    if empty:
        none_else = "" if read else "; the file holds no other rows, so no article"
        yield 0, None, f"skipped {empty} empty {'row' if empty == 1 else 'rows'} (every cell empty){none_else}"
    if headers:
        rows = ", ".join(map(str, headers[:5])) + (", …" if len(headers) > 5 else "")
        yield (
            0,
            None,
            (
                f"skipped {len(headers)} {'row that repeats' if len(headers) == 1 else 'rows that repeat'} the header "
                f"(row {rows}): CSV files joined into one (cat a.csv b.csv), each with its header line; the rows of each "
                "were read"
            ),
        )


def _repeats_header(row: Mapping[str | None, Any]) -> bool:
    """Whether a CSV row's cells are its columns' names (a BOM and case aside): another file's header line."""
    named = [(key, value) for key, value in row.items() if key is not None]
    return len(named) > 1 and all(
        isinstance(value, str) and value.lstrip("\ufeff").strip().lower() == key.lstrip("\ufeff").strip().lower()
        for key, value in named
    )


def _all_cells_empty(row: Mapping[str | None, Any]) -> bool:
    """Whether every cell of a CSV row is empty or white space (cells beyond the header's are a list)."""
    cells = [cell for key, value in row.items() for cell in (value if key is None else [value])]
    return all(cell is None or not cell.strip() for cell in cells)


def _first_line(text: str) -> tuple[str, str]:
    """(a file's first line, the rest): lines end at \\n, \\r\\n or a lone \\r (Excel for Mac's "CSV (Macintosh)",
    whose whole file was one header line)."""
    match = re.search(r"\r\n?|\n", text)
    return (text[: match.start()], text[match.end() :]) if match else (text, "")


def _repeated_columns(names: Sequence[str]) -> tuple[list[str], str] | None:
    """(the header with each repeated column name numbered, a note) when a name is given twice (``title,text,text``:
    a CSV read by name kept the last column's cells, an empty one, and the article was lost); None otherwise.
    The first column of a name is read as it."""
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(names, 1):
        seen.setdefault(field_key(name), []).append(position)
    twice = {key: positions for key, positions in seen.items() if len(positions) > 1}
    if not twice:
        return None
    renamed = list(names)
    for positions in twice.values():
        for count, position in enumerate(positions[1:], 2):
            renamed[position - 1] = f"{names[position - 1]} ({count})"
    shown = "; ".join(
        f"'{names[positions[0] - 1]}' in columns {', '.join(map(str, positions))}" for positions in twice.values()
    )
    note = f"the header names a column twice ({shown}); the first is read as it, the others kept as 'NAME (2)'"
    return renamed, note


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
        f"CSV has no text column (columns read with {between} between them: "
        f"{', '.join(_header_names(header_line, delimiter)) or 'none'}); "
        f"the text is read from a column named {TEXT_NAMES}"
    )
    others = [name for mark, name in DELIMITER_NAMES.items() if mark != delimiter and mark in header_line]
    if others:
        message += f"; the header also holds {' and '.join(others)}, but no text column that way either"
    elif any(name in FIELD_ALIASES["url"] for name in columns):
        message += (
            " (web addresses alone are not read: each article is the page an address names; give the addresses "
            "as inputs, which the command line fetches, or save each page)"
        )
    elif any(name in FIELD_ALIASES["title"] for name in columns):
        message += " (titles alone are not read: Parallax compares what articles say, so each row needs its text)"
    return message


def _header_columns(header_line: str, delimiter: str) -> list[str]:
    """The header's names as fields are looked up (``field_key``)."""
    return [field_key(name) for name in _header_names(header_line, delimiter)]


def _header_names(header_line: str, delimiter: str) -> list[str]:
    """The header's names as written, lower-cased, for messages."""
    try:
        return [name.lower().strip() for name in next(csv.reader([header_line], delimiter=delimiter), [])]
    except csv.Error:
        return []
