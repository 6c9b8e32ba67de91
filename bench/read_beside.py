"""The CPU of reading a saved run for an addition, alone or with the models loading in a thread beside it (§5x).

Usage (from where the saved run's relative inputs resolve, e.g. /work/main; ``PYTHONPATH`` a checkout with
``compare/cli/preload.py``), one new process per figure, alternating:
    python bench/read_beside.py alone|beside|busy SAVED
Prints the wall seconds, the process's CPU and the main thread's own CPU of ``saved_run`` (with ``beside``:
while ``loading_beside`` loads spaCy, the ONNX session, dateparser and faiss in its thread; with ``busy``: while a
thread runs pure Python that allocates nothing, which tells the GIL's share of what ``beside`` costs the read).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from compare.cli.preload import loading_beside
from compare.cli.run import saved_run
from compare.embed import get_embedder
from compare.io.collector import off_for_command


@contextmanager
def python_beside() -> Iterator[None]:
    """A thread adding numbers (holding the GIL between its checks, touching no new memory) while the body runs."""
    done = threading.Event()

    def add() -> None:
        total = 0
        while not done.is_set():
            total += sum(range(1000))

    thread = threading.Thread(target=add)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def main() -> int:
    mode, saved = sys.argv[1], Path(sys.argv[2])
    off_for_command()  # as the CLI's addition
    embedder = get_embedder()
    wall, process, thread = time.perf_counter(), time.process_time(), time.thread_time()
    beside = {"beside": lambda: loading_beside(embedder), "busy": python_beside}.get(mode, nullcontext)
    with beside():
        saved_run(saved)
        main_thread = time.thread_time() - thread
    print(
        f"{mode}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - process:.2f} s CPU of the process,"
        f" {main_thread:.2f} s of the main thread (the read)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
