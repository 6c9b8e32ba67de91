"""What an addition loads on the other core while it reads the saved run: spaCy, the embedder, dateparser, faiss."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from compare.embed import Embedder
from compare.segment import load_spacy
from compare.segment.times import load_date_parser


@contextmanager
def loading_beside(embedder: Embedder) -> Iterator[None]:
    """Runs the body (the reading of a saved run) while a thread loads what the addition's later stages load on
    first use: spaCy's pipeline, ``embedder``'s session (when exported), dateparser and faiss.

    Reading a saved run is mostly DuckDB and numpy, which release the GIL, and the loads are about 1.1 s of CPU
    (BENCHMARKS §5x), so on two cores they take no wall time of their own. The thread is joined when the body
    ends, also on an error, so nothing is left running and no stage uses a model while it loads. A load that
    fails in the thread is left to the stage that needs it, which loads it again and fails as without the
    thread: the same message (a missing spaCy pipeline, a damaged export) at the same point.
    """
    loader = threading.Thread(target=_load_each, args=(_loads(embedder),), name="parallax-load-beside", daemon=True)
    loader.start()
    try:
        yield
    finally:
        loader.join()


def _loads(embedder: Embedder) -> list[Callable[[], object]]:
    loads: list[Callable[[], object]] = [load_spacy]
    load_embedder = getattr(embedder, "load_if_exported", None)  # the ONNX backends; torch loads on first use
    if load_embedder is not None:
        loads.append(load_embedder)
    return [*loads, load_date_parser, _import_faiss]


def _import_faiss() -> None:
    import faiss  # noqa: F401 -- the neighbour search's first use imports it (about 0.1 s)


def _load_each(loads: list[Callable[[], object]]) -> None:
    for load in loads:
        try:
            load()
        except Exception:  # noqa: BLE001, S112 -- loaded again where first used, which raises it as without this thread
            continue
