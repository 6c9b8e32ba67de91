"""Local files read safely (regular files only, up to a size limit) and bytes decoded to text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
    """Text from bytes in UTF-8, UTF-16/32 (with BOM), Windows-1252 or Latin-1; None when binary."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        # A BOM is a strong sign: a cut last character is no reason to give up.
        text = raw.decode("utf-32", errors="replace")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:8192]:
        return None
    else:
        text = next(
            (decoded for encoding in ("utf-8-sig", "cp1252", "latin-1") if (decoded := _try_decode(raw, encoding))),
            "",
        )
    head = text[:8192]
    damaged = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return None if damaged > len(head) * 0.05 else text


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None
