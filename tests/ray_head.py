"""Stop one Ray head node and only that one.

`ray stop --force` stops every Ray process on the machine, which would kill a user's own cluster (or
another test run's) whenever the suite runs. A head started with its own ``--temp-dir`` names that
folder on the command line of its gcs_server, raylet and monitors; the agents and workers are their
children. So the processes to stop are those that name the folder, and everything below them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

_PROC = Path("/proc")


def _command_line(pid: int) -> bytes:
    try:
        return (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def _parent(pid: int) -> int:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])  # the field after the command name in parentheses


def processes_of(temp_dir: Path) -> set[int]:
    """The ids of the processes of the Ray node whose temp folder is ``temp_dir``, children included."""
    pids = [int(entry.name) for entry in _PROC.iterdir() if entry.name.isdigit()]
    marker = str(temp_dir).encode()
    found = {pid for pid in pids if marker in _command_line(pid)}
    parents = {pid: _parent(pid) for pid in pids}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in found} - found
        found |= children
        grew = bool(children)
    found.discard(os.getpid())
    return found


def stop_head(temp_dir: Path, *, grace_seconds: float = 15.0) -> None:
    """Terminate the node started with ``--temp-dir=temp_dir``; kill what is left after the grace time."""
    pids = processes_of(temp_dir)
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.2)
    for pid in pids | processes_of(temp_dir):
        _signal(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, number)
