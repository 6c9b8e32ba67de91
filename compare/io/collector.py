"""The garbage collector paused while large acyclic structures are built or read (and numpy's huge pages off).

Reading a saved analysis creates millions of small objects (rows, tuples, strings) and none of
them forms a cycle. Python's collector starts a pass every few hundred allocations and, as the
heap grows, walks everything already made again: at 60,000 statements that tripled the time to
read analysis.json and to build its rows. Pausing it for the read (and for an incremental update)
changes no result; whatever cycles a pass would have found are collected when it resumes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from compare.io.pages import huge_pages


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (nested use is fine), as it was after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def off_for_command() -> None:
    """Turn the collector off for the rest of a short command (``back_on`` turns it on again).

    ``collector_paused`` turns it back on at the end of each block, and the first allocation after
    that walks every object the block made (a read of 10,200 articles makes millions): about a second of
    CPU per addition by the CLI, spent finding no cycle. A command that adds articles makes few cycles
    and ends soon after, so it runs without the collector (``keep_loaded`` then freezes what it read).
    Its arrays are made in small pages (``compare.io.pages``): numpy's huge pages cost it a second of system time.
    """
    if gc.isenabled():
        _TURNED_OFF.append(True)
        gc.disable()
    if huge_pages(False):
        _HUGE_PAGES_OFF.append(True)


def back_on() -> None:
    """The collector on again when ``off_for_command`` turned it off (a command that goes on to a full run)."""
    if _TURNED_OFF:
        _TURNED_OFF.clear()
        gc.enable()
    if _HUGE_PAGES_OFF:  # a full run's large arrays live long: huge pages save it TLB misses
        _HUGE_PAGES_OFF.clear()
        huge_pages(True)


_TURNED_OFF: list[bool] = []
_HUGE_PAGES_OFF: list[bool] = []


def keep_loaded() -> None:
    """Tell the collector that everything alive now stays alive (``gc.freeze``).

    For a command that has read a large saved analysis and keeps it until it exits: later passes
    no longer walk those objects. Call it only in a process that ends soon after (the CLI).
    """
    gc.freeze()
