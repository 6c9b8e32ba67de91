"""``sources.csv`` sidecars: the outlet, title, date and URL of each page file in a folder."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from compare.ingest.fields import Metadata, metadata_from, pick_fields
from compare.ingest.files import decode_bytes

SIDECAR_NAMES = ("sources.csv", "_sources.csv", "metadata.csv")
SIDECAR_HEAD_BYTES = 4096  # enough to see a sidecar's header


def read_sidecar(path: Path) -> dict[str, Metadata]:
    """Reads a ``sources.csv`` sidecar: columns file, outlet, title, published (or date), url."""
    text = decode_bytes(path.read_bytes()) or ""
    sidecar = {}
    for row in csv.DictReader(io.StringIO(text)):
        lowered = {str(key).lower().strip(): (value or "").strip() for key, value in row.items() if key}
        name = lowered.get("file") or lowered.get("filename") or lowered.get("path")
        if not name:
            continue
        sidecar[Path(name).name] = metadata_from(pick_fields(lowered))
    return sidecar


def sidecar_problem(path: Path) -> str | None:
    """Why a sidecar cannot be read, or None when it can."""
    try:
        read_sidecar(path)
    except (OSError, ValueError, csv.Error) as error:
        return f"sidecar cannot be read ({error}); the metadata in it is not used"
    return None


def is_sidecar(path: Path) -> bool:
    """Whether a file is a sidecar: a sidecar's name, and a header naming files but no text column."""
    if path.name.lower() not in SIDECAR_NAMES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SIDECAR_HEAD_BYTES)
    except OSError:
        return False
    header = (decode_bytes(head) or "").splitlines()[:1]
    columns = {cell.strip().lower() for cell in header[0].split(",")} if header else set()
    return bool(columns & {"file", "filename", "path"}) and "text" not in columns


@functools.lru_cache(maxsize=256)
def sidecar_of_folder(folder: str) -> dict[str, Metadata]:
    """The sidecar metadata of a folder, read once per folder and process."""
    for name in SIDECAR_NAMES:
        candidate = Path(folder) / name
        if candidate.is_file() and is_sidecar(candidate) and sidecar_problem(candidate) is None:
            return read_sidecar(candidate)  # a sidecar that cannot be read is reported by expand_inputs
    return {}
