"""Work spread over forked processes that inherit this process's memory (the loaded spaCy pipeline, the corpus)."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
Item = TypeVar("Item")

_work: list[Callable[[Any], Any]] = []  # in a forked process: the function it was handed


def can_fork() -> bool:
    """Whether this platform starts processes by forking (Linux; not Windows, and not macOS's default)."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_map(work: Callable[[Task], Result], tasks: Sequence[Task], processes: int) -> Iterator[Result]:
    """``work(task)`` for each task, in order, computed in ``processes`` forked processes (here when 1 or no fork).

    A forked process starts with this process's memory as it is: ``work`` (a closure is fine) and what it
    reads (a loaded pipeline, the statements) are not pickled; only each task and its result are. Load what
    the work needs before calling, so that every process does not load it again. The processes are joined
    before the last result is returned, so their CPU time counts as this process's children's.
    """
    if processes <= 1 or len(tasks) <= 1 or not can_fork():
        yield from map(work, tasks)
        return
    _work.append(work)
    # Objects made so far are left out of the forked processes' garbage collections: a collection touches every
    # object it scans, which makes the process copy each memory page the parent shares with it.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(processes, len(tasks))) as pool:
            yield from pool.imap(_run, tasks)
            pool.close()
            pool.join()
    finally:
        gc.unfreeze()
        _work.remove(work)


def packed_runs(items: Sequence[Item], size: Callable[[Item], int], count: int) -> list[list[Item]]:
    """``items``, in order, cut into about ``count`` runs of about equal total ``size``: the tasks of ``forked_map``."""
    share = max(1, sum(map(size, items)) // max(1, count))
    runs: list[list[Item]] = [[]]
    filled = 0
    for item in items:
        if filled >= share:
            runs.append([])
            filled = 0
        runs[-1].append(item)
        filled += size(item)
    return [run for run in runs if run]


def _run(task: Any) -> Any:
    return _work[-1](task)
