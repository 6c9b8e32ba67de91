"""The CSV files users edit (an outlet registry, a word swaps list): read with every problem named by file and line."""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from compare.ingest.encodings import decode
from compare.model.errors import InputError

MAX_DATA_FILE_BYTES = 20_000_000  # a registry of 400,000 outlets is 9 MB
_OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "'|'"}


@dataclass(frozen=True)
class DataFileKind:
    """What a data file is called, the columns it needs, its key column and how to stop using it."""

    what: str  # "outlet registry"
    columns: tuple[str, ...]  # every column it may have, in the documented order
    key: str  # the column naming a row: one a row, once a file
    unset: str  # how to stop reading the file: "unset PARALLAX_WORD_SWAPS"
    required: tuple[str, ...] = ()  # columns it must have besides the key


@dataclass(frozen=True)
class DataFile:
    """The rows of a data file (header names lower case, values stripped), each with its line, and notes."""

    rows: tuple[tuple[int, dict[str, str]], ...]
    notes: tuple[str, ...]


def read_data_file(path: str | Path, kind: DataFileKind) -> DataFile:
    """Reads a user's data file: a header line naming ``kind.key`` and the other columns, then rows.

    Lines starting with "#" are comments. A row without a key, a key given again (the first row is
    used) and cells beyond the header are notes naming the line; the row is skipped (or read as far
    as the header goes) and the rest is read.

    Raises:
        InputError: the file cannot be read at all, or has no header naming the key column: the
            message names the file, the problem and what to do.
    """
    text, notes = _text(Path(path), kind)
    # Comment lines are kept as blank ones, so that the reader's line numbers are the file's.
    lines = ["\n" if line.lstrip().startswith("#") else line for line in io.StringIO(text, newline="")]
    reader = csv.reader(lines)
    try:
        header_cells = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
        if header_cells is None:
            return DataFile((), (*notes, f"{path}: the {kind.what} holds no rows; nothing read from it"))
        header = [cell.strip().lower() for cell in header_cells]
        _check_header(path, kind, header, lines[reader.line_num - 1])
        rows, row_notes = _rows(path, kind, reader, header)
    except csv.Error as error:
        raise InputError(f"{path}: cannot read the {kind.what} at line {reader.line_num} ({error})") from error
    return DataFile(tuple(rows), (*notes, *row_notes))


def _text(path: Path, kind: DataFileKind) -> tuple[str, list[str]]:
    """The file's text, refusing what is not a readable text file of a sensible size."""

    def refuse(problem: str) -> InputError:
        return InputError(f"{path}: cannot read the {kind.what}: {problem}; fix the file or {kind.unset}")

    try:
        status = os.stat(path)
    except OSError as error:
        raise refuse(error.strerror or str(error)) from error
    if stat.S_ISDIR(status.st_mode):
        raise refuse("it is a folder, not a CSV file")
    if not stat.S_ISREG(status.st_mode):
        raise refuse("not a regular file")
    if status.st_size > MAX_DATA_FILE_BYTES:
        raise refuse(f"file is {status.st_size / 1e6:.0f} MB; the limit is {MAX_DATA_FILE_BYTES / 1e6:.0f} MB")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_DATA_FILE_BYTES + 1)
    except OSError as error:
        raise refuse(error.strerror or str(error)) from error
    try:
        if b"\x00" not in raw:  # NUL bytes are UTF-16 or binary, never a CSV in UTF-8
            return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    decoded = decode(raw)
    if decoded is None:
        raise refuse("file is binary, not text")
    by_bom = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    how = decoded.note or ("read as UTF-16 or UTF-32 (by its byte-order mark)" if by_bom else "read as Windows-1252")
    return decoded.text, [f"{path}: the {kind.what} is not UTF-8; {how} (save it as UTF-8 to be sure)"]


def _check_header(path: str | Path, kind: DataFileKind, header: list[str], line: str) -> None:
    expected = ",".join(kind.columns)
    missing = [column for column in kind.required if column not in header]
    if kind.key in header:
        if missing:
            raise InputError(
                f"{path}: the {kind.what} has no column {missing[0]!r} (its header: {', '.join(header)}); give"
                f" the columns {expected}, or {kind.unset}"
            )
        return
    for separator, name in _OTHER_SEPARATORS.items():
        if kind.key in (cell.strip().lower() for cell in line.split(separator)):
            raise InputError(
                f"{path}: the {kind.what}'s columns are separated by {name}, not commas; write its header as"
                f" {expected} (a list inside a cell is separated by ';'), or {kind.unset}"
            )
    if not set(header) & set(kind.columns):
        sidecar = " (a sources.csv sidecar is an input, read with its pages)" if "file" in header else ""
        raise InputError(
            f"{path}: the {kind.what} has no header line: its first line must be {expected}"
            f" (it reads {line.strip()[:80]!r}){sidecar}; add the header, or {kind.unset}"
        )
    raise InputError(
        f"{path}: the {kind.what} has no column {kind.key!r} (its header: {', '.join(header)}); give the"
        f" columns {expected}, or {kind.unset}"
    )


def _rows(
    path: str | Path, kind: DataFileKind, reader, header: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    rows: list[tuple[int, dict[str, str]]] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num  # the record's last line (a quoted value may hold line breaks)
        if not any(cell.strip() for cell in cells):
            continue
        row = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
        if len(cells) > len(header):
            notes.append(
                f"{path}: line {line} of the {kind.what} has {len(cells)} cells, the header {len(header)}; the"
                " extra cells are left out (a comma inside a value? put the value in double quotes)"
            )
        key = row.get(kind.key, "")
        if not key:
            notes.append(f"{path}: line {line} of the {kind.what} has no {kind.key}; skipped")
            continue
        folded = " ".join(key.casefold().split())
        if folded in seen:
            notes.append(
                f"{path}: line {line} of the {kind.what} gives the {kind.key} {key!r} again (first on line"
                f" {seen[folded]}); the first is used"
            )
            continue
        seen[folded] = line
        rows.append((line, row))
    return rows, notes
