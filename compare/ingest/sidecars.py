"""``sources.csv`` sidecars: the outlet, title, date and URL of each page file in a folder."""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from pathlib import Path

from compare.ingest.fields import FIELD_ALIASES, Metadata, metadata_from, pick_fields
from compare.ingest.files import decode_bytes

SIDECAR_NAMES = ("sources.csv", "_sources.csv", "metadata.csv")
SIDECAR_HEAD_BYTES = 4096  # enough to see a sidecar's header


_KEYS = ("file", "filename", "path")
_TEXT_COLUMNS = set(FIELD_ALIASES["text"])  # a table of articles under a sidecar's name
_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "'|'"}


def read_sidecar(path: Path) -> dict[str, Metadata]:
    """Reads a ``sources.csv`` sidecar: columns file, outlet, title, published (or date), url (separated by
    commas, or by the semicolons, tabs or '|' its header is written with); a later row for a file wins."""
    return _read(path)[0]


def _read(path: Path) -> tuple[dict[str, Metadata], list[str]]:
    """The sidecar's metadata by file name, and notes on how it was read (its separator, files named twice)."""
    text = decode_bytes(path.read_bytes()) or ""
    separator = _separator(text.splitlines()[0] if text.strip() else "")
    notes = (
        [f"columns are separated by {_SEPARATORS[separator]}, not commas; read that way"] if separator != "," else []
    )
    sidecar: dict[str, Metadata] = {}
    lines: dict[str, int] = {}
    reader = csv.DictReader(io.StringIO(text), delimiter=separator)
    for row in reader:
        lowered = {str(key).lower().strip(): (value or "").strip() for key, value in row.items() if key}
        name = next((lowered[key] for key in _KEYS if lowered.get(key)), "")
        if not name:
            continue
        key = Path(name).name
        metadata = metadata_from(pick_fields(lowered))
        if key in lines:
            notes.append(
                f"line {reader.line_num} names {key!r} again (first on line {lines[key]}"
                f"{_differences(sidecar[key], metadata)}); the later row is used"
            )
        lines[key] = reader.line_num
        sidecar[key] = metadata
    return sidecar, notes


def _differences(first: Metadata, later: Metadata) -> str:
    """How a later row for a file contradicts the first (two outlets for one file was said as a repeat)."""
    differ = [
        f"{field} {getattr(first, field)!r}, then {getattr(later, field)!r}"
        for field in ("outlet", "title", "published", "url")
        if getattr(first, field) != getattr(later, field)
    ]
    return f", and they differ: {'; '.join(differ)}" if differ else ""


def _missing_files(path: Path, sidecar: dict[str, Metadata]) -> list[str]:
    """The sidecar's rows naming a file its folder does not hold (before, their metadata was lost unsaid: a
    file renamed after the sidecar was written is read without its outlet and date)."""
    missing = [name for name in sidecar if not os.path.lexists(path.parent / name)]
    if not missing:
        return []
    shown = ", ".join(repr(name) for name in missing[:3]) + (", ..." if len(missing) > 3 else "")
    rows = "1 row names a file" if len(missing) == 1 else f"{len(missing):,} rows name files"
    return [
        f"{rows} not in its folder ({shown}); their metadata is not used (a file renamed or moved? a row must"
        f" name a page beside {path.name})"
    ]


def _separator(header: str) -> str:
    """The separator that makes ``header`` name a file column (commas when none does)."""
    for separator in _SEPARATORS:
        if {cell.strip().lower() for cell in header.split(separator)} & set(_KEYS):
            return separator
    return ","


def sidecar_problem(path: Path) -> str | None:
    """Why a sidecar cannot be read, or None when it can."""
    try:
        read_sidecar(path)
    except (OSError, ValueError, csv.Error) as error:
        return f"sidecar cannot be read ({error}); the metadata in it is not used"
    return None


def sidecar_notes(path: Path) -> list[str]:
    """How a readable sidecar was read, when worth saying (another separator, a file named twice)."""
    try:
        sidecar, notes = _read(path)
    except (OSError, ValueError, csv.Error):
        return []
    return notes + _missing_files(path, sidecar)


def is_sidecar(path: Path) -> bool:
    """Whether a file is a sidecar: a sidecar's name, and no text column (a header naming files, or none)."""
    if path.name.lower() not in SIDECAR_NAMES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SIDECAR_HEAD_BYTES)
    except OSError:
        return False
    header = (decode_bytes(head) or "").splitlines()[:1]
    columns = {cell.strip().lower() for cell in re.split(r"[,;\t|]", header[0] if header else "")}
    return not columns & _TEXT_COLUMNS


def headerless_sidecar_problem(path: Path) -> str | None:
    """A sidecar whose first line names no file column: its rows cannot be matched to files."""
    try:
        with path.open("rb") as handle:
            head = (decode_bytes(handle.read(SIDECAR_HEAD_BYTES)) or "").splitlines()[:1]
    except OSError:
        return None  # sidecar_problem says why
    if head and _separator(head[0]) == "," and not {cell.strip().lower() for cell in head[0].split(",")} & set(_KEYS):
        return (
            f"a sidecar needs a header line naming its columns: file,outlet,title,published,url (its first line"
            f" reads {head[0].strip()[:60]!r}); the metadata in it is not used"
        )
    return None


@functools.lru_cache(maxsize=256)
def sidecar_of_folder(folder: str) -> dict[str, Metadata]:
    """The sidecar metadata of a folder, read once per folder and process."""
    for name in SIDECAR_NAMES:
        candidate = Path(folder) / name
        if candidate.is_file() and is_sidecar(candidate) and sidecar_problem(candidate) is None:
            if headerless_sidecar_problem(candidate):
                return {}
            return read_sidecar(candidate)  # a sidecar that cannot be read is reported by expand_inputs
    return {}
