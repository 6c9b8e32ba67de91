"""The copy of a store that a writer works on (``tables.writing``): copied by the kernel, and for an addition made
ahead of the write, in a thread while the article is added."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from compare.io.atomic import TEMPORARY_SUFFIX, discard

# A file system that cannot copy_file_range between these files says so with one of these; shutil copies then.
_NOT_BY_THE_KERNEL = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM, errno.EBADF}


def copy_name(target: Path) -> Path:
    """A new temporary name beside ``target`` (``discard_leftovers`` removes what a killed writer left so)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")


def copy_file(source: Path, target: Path) -> None:
    """``source``'s bytes into a new file ``target``: by ``copy_file_range``, where the kernel copies the page cache
    without bringing the bytes through this process (0.09 s for a 243 MB store on ext4, shutil's ``sendfile`` 0.33 s),
    the rest by shutil where the file system refuses it."""
    with open(source, "rb") as reader, open(target, "xb") as writer:
        left = os.fstat(reader.fileno()).st_size
        copy_range = getattr(os, "copy_file_range", None)  # Linux only
        try:
            while copy_range is not None and left > 0:
                copied = copy_range(reader.fileno(), writer.fileno(), left)
                if copied == 0:
                    break
                left -= copied
        except OSError as error:
            if error.errno not in _NOT_BY_THE_KERNEL:
                raise
        shutil.copyfileobj(reader, writer)  # from where the kernel stopped (both files' offsets moved with it)


@dataclass(frozen=True)
class _Ahead:
    """A copy being made at ``path`` by ``thread`` of a store whose inode, size and modification time were
    ``source``; ``failed`` gets the thread's error."""

    path: Path
    source: tuple[int, int, int]
    thread: threading.Thread
    failed: list[OSError]


_AHEAD: dict[Path, _Ahead] = {}  # by the store's path: what this process's next ``writing`` of it takes


def _identity(path: Path) -> tuple[int, int, int]:
    found = os.stat(path)
    return found.st_ino, found.st_size, found.st_mtime_ns


def copy_ahead(target: Path) -> None:
    """Starts copying the store ``target`` beside it in a thread, and flushing the copy to disk, for this process's
    next ``writing`` of it: an addition segments, embeds and clusters for seconds (mostly on one core) before it
    writes, and the copy (243 MB at 10,000 articles, and its flush) then runs on the other core instead of before
    the write. The caller holds the folder (``atomic.locked_folder``) until that write, so the store cannot change
    meanwhile; the write still checks that it did not (``taken_copy``) and copies anew if it did."""
    dropped_copy(target)
    try:
        source = _identity(target)
    except OSError:
        return  # no store to copy: the write says why
    path, failed = copy_name(target), list[OSError]()
    thread = threading.Thread(target=_copy, args=(target, path, failed), name="parallax-store-copy", daemon=True)
    _AHEAD[target] = _Ahead(path, source, thread, failed)
    thread.start()


def _copy(source: Path, path: Path, failed: list[OSError]) -> None:
    try:
        copy_file(source, path)
        with open(path, "rb+") as handle:  # flushed now, so that the write's own flush has its changes only
            os.fsync(handle.fileno())
    except OSError as error:  # the write copies again, and reports what fails then
        failed.append(error)


def taken_copy(target: Path) -> Path | None:
    """The copy ``copy_ahead`` made of ``target`` (waited for), when it is whole and the store is unchanged since;
    else None (and the copy removed)."""
    ahead = _AHEAD.pop(target, None)
    if ahead is None:
        return None
    ahead.thread.join()
    try:
        unchanged = _identity(target) == ahead.source
    except OSError:
        unchanged = False
    if ahead.failed or not unchanged:
        discard(ahead.path)
        return None
    return ahead.path


def dropped_copy(target: Path) -> None:
    """Removes the copy ``copy_ahead`` made of ``target`` when no write took it (a write from scratch, an error)."""
    path = taken_copy(target)
    if path is not None:
        discard(path)
