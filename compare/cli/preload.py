"""What an addition loads on the other core while it reads the saved run: spaCy's modules, the embedding session,
dateparser, faiss."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from compare.embed import Embedder
from compare.segment.spacy_load import import_spacy
from compare.segment.times import load_date_parser


@contextmanager
def loading_beside(embedder: Embedder) -> Iterator[None]:
    """Runs the body (the reading of a saved run) while a thread loads what the addition's later stages load on
    first use: spaCy's modules (not its pipeline), ``embedder``'s session (when exported), dateparser and faiss.

    These are about 1 s of CPU that came one after another after the read, and they cost the read next to
    nothing when they run beside it (BENCHMARKS §5x). spaCy's pipeline is left to the segmenting: loaded beside
    the read, its 0.35 s of weights and vocabulary made the read itself take 0.5-0.8 s more CPU.
    The thread is joined when the body ends, also on an error, so nothing is left running and no stage uses a
    model while it loads. A load that fails in the thread is left to the stage that needs it, which loads it
    again and fails as without the thread: the same message at the same point.
    """
    loader = threading.Thread(target=_load_each, args=(_loads(embedder),), name="parallax-load-beside", daemon=True)
    loader.start()
    try:
        yield
    finally:
        loader.join()


def _loads(embedder: Embedder) -> list[Callable[[], object]]:
    loads: list[Callable[[], object]] = [import_spacy]
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
