"""Local files read safely (regular files only, up to a size limit) and bytes decoded to text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from compare.ingest.encodings import decode
from compare.ingest.formats import too_large


def file_type(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def not_regular(mode: int) -> str:
    """The problem of a FIFO, device, socket or folder where a file was expected."""
    return f"not a regular file ({file_type(mode)}); skipped"


def read_regular_file(path: Path, limit: int) -> tuple[bytes, str | None]:
    """The bytes of a regular file, or why they cannot be read: not a regular file, larger than ``limit``.

    Opening a FIFO blocks until something writes to it, and a device can be endless: the file is
    checked before it is opened, opened without blocking, checked again, and read up to ``limit``.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return b"", not_regular(mode)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return b"", not_regular(info.st_mode)
            size = info.st_size
            raw = handle.read(limit + 1) if size <= limit else b""
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return b"", f"cannot read the file ({reason})"
    if size > limit or len(raw) > limit:
        return b"", too_large(max(size, len(raw)), limit)
    return raw, None


def decode_bytes(raw: bytes) -> str | None:
    """Text from bytes (``compare.ingest.encodings.decode``: UTF-8, UTF-16/32, Windows-1252, Latin-1, a guessed
    legacy encoding); None when binary."""
    decoded = decode(raw)
    return decoded.text if decoded else None
