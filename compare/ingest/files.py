"""Local files read safely (regular files only, up to a size limit) and bytes decoded to text."""

from __future__ import annotations

import os
import stat
import zlib
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
    except FileNotFoundError:  # it was there when its folder was listed (a missing input is named before)
        return b"", "the file is gone: removed or renamed while the inputs were read; skipped"
    except PermissionError as error:
        return b"", f"cannot read the file ({error.strerror}): the user running Parallax needs read permission on it"
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


def gunzip(raw: bytes, limit: int) -> tuple[bytes, str | None]:
    """The content of gzip-compressed bytes, read up to ``limit`` bytes (a small file can decompress to
    gigabytes), and a problem, or a note when it was cut short (what arrived is kept)."""
    # each member's content kept as zlib gives it, joined at the end: a file of one member (nearly all) is never
    # copied, and the memory held is the content's size, not twice it (a bytearray copied to bytes)
    members: list[bytes] = []
    size, rest = 0, raw
    while rest:
        decompressor = zlib.decompressobj(wbits=31)  # gzip's header and checksum
        try:
            members.append(decompressor.decompress(rest, limit + 1 - size))
        except zlib.error as error:
            return b"", f"gzip-compressed, but cannot be decompressed ({error})"
        size += len(members[-1])
        if size > limit:
            return b"", f"decompresses to more than {limit / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB"
        if not decompressor.eof:
            return _joined(members), "gzip file is cut short; what it holds up to there was read"
        rest = decompressor.unused_data  # a file of several gzip members, as `cat a.gz b.gz` makes
        if rest and not rest.startswith(b"\x1f\x8b"):
            break  # padding after the last member
    return _joined(members), None


def _joined(parts: list[bytes]) -> bytes:
    return parts[0] if len(parts) == 1 else b"".join(parts)
