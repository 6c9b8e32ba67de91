"""Output files written whole or not at all, and one writer at a time per output folder."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from compare.model.errors import OutputError

Content = bytes | Callable[[BinaryIO], object]
"""What a file holds: its bytes, or a function that writes them into an open binary file."""

TEMPORARY_SUFFIX = ".parallax-tmp"
LOCK_NAME = ".parallax.lock"


def reason(error: OSError) -> str:
    """An OSError's reason in lower-case words, e.g. 'no space left on device'."""
    words = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
    return words[:1].lower() + words[1:]


# The system's reasons DuckDB words its write errors around ("FATAL Error: Failed to create checkpoint because of
# error: Could not write file \"OUT/.analysis.duckdb.….parallax-tmp\": No space left on device").
_SYSTEM_REASONS = ("No space left on device", "Disk quota exceeded", "File too large", "Read-only file system")


def write_failure(error: BaseException) -> str:
    """Why a write failed: an OSError's reason, or a library's message (DuckDB's), the system's reason alone
    when it holds one (a full disk as the system says it, not as a failed checkpoint of a temporary file)."""
    if isinstance(error, OSError):
        return reason(error)
    said = str(error)
    system = next((words for words in _SYSTEM_REASONS if words in said), None)
    return system[:1].lower() + system[1:] if system else said


def make_folder(folder: Path) -> None:
    """Creates ``folder`` and its parents.

    Raises:
        OutputError: naming the file that stands where a folder must be, or the reason.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        blocker = next((path for path in (folder, *folder.parents) if path.exists() and not path.is_dir()), None)
        if blocker is None:
            raise OutputError(f"cannot write in {folder}: {reason(error)}") from error
        raise OutputError(f"cannot write in {folder}: {blocker} is a file, not a folder") from error
    except OSError as error:
        raise OutputError(f"cannot write in {folder}: {reason(error)}") from error


def stage_file(target: Path, content: Content) -> Path:
    """Writes ``content`` to a new temporary file beside ``target``, flushed to disk, and returns its path.

    The temporary file is in the target's folder (so that renaming it is atomic) and is removed on
    any failure, an interrupt included. ``commit`` renames it into place.

    Raises:
        OutputError: when the file cannot be written (a full disk, a read-only folder, ...), naming
            ``target``.
    """
    make_folder(target.parent)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "xb") as handle:
            _write_content(handle, content)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
    except BaseException as error:
        discard(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {reason(error)}") from error
        raise
    return temporary


def commit(temporary: Path, target: Path) -> None:
    """Renames a file made by ``stage_file`` to ``target`` (atomically: readers see the old or the new file).

    Raises:
        OutputError: when the rename fails; the temporary file is removed then.
    """
    try:
        os.replace(temporary, target)
    except BaseException as error:
        discard(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {reason(error)}") from error
        raise
    sync_folder(target.parent)


def write_file(target: Path, content: Content) -> None:
    """Writes ``target`` whole or not at all: a temporary file beside it, flushed, then renamed.

    Args:
        target: the file to write; its folder is created when missing.
        content: the bytes, or a function writing them into a binary file.

    A ``target`` that is a pipe or a device (``/dev/stdout``, ``<(...)``) is written into as it is: renaming a
    file over it replaced the device itself (``--to /dev/stdout`` run as root left a regular file there).

    Raises:
        OutputError: naming ``target`` and why it cannot be written; nothing is left behind, and an
            earlier ``target`` is kept as it was.
    """
    if is_stream(target):
        try:
            with open(target, "wb") as handle:
                _write_content(handle, content)
        except BrokenPipeError:
            raise  # the reader closed it: the CLI stops quietly, as for stdout
        except OSError as error:
            raise OutputError(f"cannot write {target}: {reason(error)}") from error
        return
    commit(stage_file(target, content), target)


def is_stream(target: Path) -> bool:
    """Whether ``target`` exists as something other than a file or folder (a pipe, a device, a socket), or is
    one of the system's names for a stream (``/dev/stdout`` is a file when stdout is redirected to one)."""
    if str(target.absolute()).startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = target.stat().st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def discard(path: Path) -> None:
    """Removes a temporary file or folder, if it is there (failures are ignored: it is not the output)."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def sync_folder(folder: Path) -> None:
    """Flushes a folder's entries (renames, removals) to disk, where the file system allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def locked_folder(folder: Path, wait: float, on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Holds ``folder`` for one writer while the block runs (``flock`` on ``FOLDER/.parallax.lock``).

    The lock file stays in the folder; the lock goes with the process (also when it is killed). The
    holder's pid is written into the file so that a waiting writer can name it.

    Args:
        folder: the output folder (created when missing).
        wait: seconds to wait for another writer to finish; 0 refuses at once.
        on_wait: called once with the other writer's pid (None when unknown) when waiting starts.

    Raises:
        OutputError: when the folder cannot be written, or another writer still holds it after ``wait``.
    """
    import fcntl

    make_folder(folder)
    try:
        descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise OutputError(f"cannot write in {folder}: {reason(error)}") from error
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        waiting = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise OutputError(f"cannot lock {folder / LOCK_NAME}: {reason(error)}") from error
            holder = _holder(descriptor)
            if time.monotonic() >= deadline:
                who = f"another analysis (pid {holder})" if holder else "another analysis"
                raise OutputError(
                    f"{who} is still writing {folder} after {wait:g} s; let it finish, or give another --out"
                )
            if not waiting and on_wait is not None:
                on_wait(holder)
            waiting = True
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0.0)))
        with contextlib.suppress(OSError):  # the pid only helps a waiting writer name this one
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # releases the lock


def _holder(descriptor: int) -> int | None:
    """The pid written into a lock file by its holder, or None."""
    try:
        return int(os.pread(descriptor, 32, 0).decode("ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def byte_setting(name: str, default: int) -> int:
    """The positive whole number of bytes the environment variable ``name`` gives, else ``default``; a value that
    is not one is named on standard error (it is read at import, where an error would be a traceback)."""
    value = os.environ.get(name, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if value:
        print(
            f"note: {name}={value[:40]!r} is not a positive whole number of bytes; using {default:,}", file=sys.stderr
        )
    return default


def _write_content(handle: BinaryIO, content: Content) -> None:
    """``content`` into an open binary file: the bytes, or what the function given writes."""
    if isinstance(content, bytes):
        handle.write(content)
    else:
        content(handle)
