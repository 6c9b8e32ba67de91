"""What a dashboard visitor may be shown of the server: models, sources and errors without server paths."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from compare.model.errors import ModelError, NothingToCompareError, StoreError

SERVER_LOG = "Whoever runs this dashboard will find the reason in its server log."


def public_model_name(name: str) -> str:
    """A model as a visitor may see it: a hub name as is, a local path by its folder name only."""
    if name.startswith(("/", "~", ".", "\\")) or re.match(r"^[A-Za-z]:[\\/]", name) or Path(name).exists():
        return re.split(r"[/\\]", name.rstrip("/\\"))[-1] or "a local model"
    return name


def public_source(source: str) -> str:
    """Where an article or problem came from, as a visitor may see it: a web address as is, else the file name.

    Sources of the dashboard's own corpus (or of a saved analysis) are paths on the server; the file
    name (with a row number, e.g. ``articles.jsonl:12``) says what is meant without showing the server.
    """
    if re.match(r"^https?://", source, re.IGNORECASE):
        return source
    return re.split(r"[/\\]", source.rstrip("/\\"))[-1] or source


def problem_table(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """The analysis' input problems, each source by its public name (see ``public_source``)."""
    return [{**problem, "source": public_source(problem["source"])} for problem in analysis["problems"]]


def public_analysis(analysis: dict[str, Any]) -> dict[str, Any]:
    """The analysis as a visitor may download it (the dashboard's HTML report): model and sources without server paths."""
    return {**analysis, "model": public_model_name(str(analysis.get("model", ""))), "problems": problem_table(analysis)}


def visitor_message(error: Exception, saved: bool = False, uploads: int | None = None) -> str:
    """What a dashboard visitor is told about an error: what went wrong, never a server path or setting.

    Errors that come from the visitor's own uploads are shown as they are; errors of the server's
    set-up (model, cache, saved analysis, outlet registry) only say what failed, since their messages
    name server paths: the dashboard logs them in full for whoever runs it. ``uploads`` is how many files were
    given: with none, no file failed to be read.
    """
    if saved:
        return (
            "The saved analysis this dashboard shows cannot be read (missing, damaged or not made by Parallax). "
            + SERVER_LOG
        )
    if isinstance(error, NothingToCompareError) and uploads == 0:
        # no file given and the built-in articles left out: most often a link to a view of someone's uploads
        return (
            "No articles to analyse: this view leaves out the built-in articles, and uploaded files are not part of "
            "a link. Upload the articles (sidebar, “Data and model”, “Add articles”), or tick “Include these "
            "articles” there."
        )
    if isinstance(error, NothingToCompareError):
        return str(error)
    if isinstance(error, ModelError):
        return f"The embedding model this dashboard is set up with cannot be loaded. {SERVER_LOG}"
    if isinstance(error, StoreError):
        return f"The embedding cache of this dashboard cannot be opened. {SERVER_LOG}"
    return f"The analysis could not be made. {SERVER_LOG}"


def unpacked_size(content: bytes) -> int:
    """What an upload is read as, in bytes: a zip (a .docx and an .xlsx are zips too) as the sizes its members
    declare, which its reader reads no further than; gzip as the size its trailer records (of its last member: a
    file of several is held to its reader's bound still); anything else as its own size."""
    unpacked = 0
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, ValueError, OSError):
            unpacked = 0  # a damaged zip is named by its reader, which reads none of it
    elif content.startswith(b"\x1f\x8b") and len(content) >= _GZIP_TRAILER:
        unpacked = int.from_bytes(content[-4:], "little")
    return max(len(content), unpacked)


_GZIP_TRAILER = 18  # a gzip file's header (10 bytes) and trailer (CRC and size, 8 bytes)


def upload_total_mb() -> int:
    """What one dashboard session's uploads may add up to, in MB: $PARALLAX_UPLOAD_TOTAL_MB (a whole number), else 200.

    Whoever runs the dashboard may change it; each upload is held to 50 MB by .streamlit/config.toml.
    """
    given = os.environ.get("PARALLAX_UPLOAD_TOTAL_MB", "").strip()
    return int(given) if given.isdigit() else 200


def uploads_within(
    files: tuple[tuple[str, bytes], ...], limit_mb: int
) -> tuple[tuple[tuple[str, bytes], ...], str | None]:
    """The uploads a session reads, in the order given, while their sizes add up to at most ``limit_mb``, and what
    a visitor is told of those left out (None when none is).

    Each upload is held to the uploader's size (50 MB) and each reader to its own bounds, but a visitor may send
    many files at once: together they are read, decompressed and analysed in one server process. A compressed
    upload counts as what it unpacks to (``unpacked_size``): 200 MB of zips could unpack to 1 GB.
    """
    limit = limit_mb * 1_000_000
    kept: list[tuple[str, bytes]] = []
    left: list[str] = []
    total = 0
    sizes = [unpacked_size(content) for _, content in files]
    for (name, content), size in zip(files, sizes, strict=True):
        if total + size > limit:
            left.append(name)
            continue
        kept.append((name, content))
        total += size
    if not left:
        return files, None
    given = sum(sizes) / 1e6
    unpacked = " once unpacked" if sum(sizes) > sum(len(content) for _, content in files) else ""
    shown = ", ".join(left[:5]) + (f" and {len(left) - 5:,} more" if len(left) > 5 else "")
    return tuple(kept), (
        f"Your uploads add up to {given:,.0f} MB{unpacked}; this dashboard reads at most {limit_mb:,} MB of uploads at "
        f"once, so {len(left):,} file{'s' * (len(left) != 1)} {'were' if len(left) != 1 else 'was'} left out: {shown}. "
        "Remove some files to read those, or run Parallax on your own computer (python -m compare analyze "
        "FOLDER), which has no such limit."
    )
