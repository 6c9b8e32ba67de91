"""numpy's huge pages off for a short command: a large array is then mapped in 4 KB pages as it is written.

numpy asks the kernel for transparent huge pages (``madvise``) for every array above 4 MB. Where the kernel honours
that request by compacting memory first (``defrag`` set to ``madvise``, the common default, on a machine whose memory
is fragmented by its page cache), each such array costs a stall in the kernel: the 10,200-article addition of
BENCHMARKS §5w spent 2.1-2.5 s of system time with them and 1.2-1.3 s without (its float32 vectors alone: 0.8 s
against 0.2 s to write 434 MB). A short command gains nothing from huge pages' fewer TLB misses. The kernel still
gives huge pages where some are free (``enabled`` set to ``always``); only the stall to make them goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _setter() -> Callable[[bool], bool] | None:
    """numpy's switch (it returns the previous value), or None in a numpy without one."""
    try:
        from numpy._core import multiarray
    except ImportError:  # numpy 1.x
        from numpy.core import multiarray  # type: ignore[no-redef]
    found: Any = getattr(multiarray, "_set_madvise_hugepage", None)
    return found if callable(found) else None


def huge_pages(enabled: bool) -> bool:
    """Turns numpy's request for huge pages for new arrays on or off; returns whether it was on (False where numpy
    has no switch: nothing changes then). ``NUMPY_MADVISE_HUGEPAGE`` sets the same at numpy's import."""
    setter = _setter()
    return bool(setter(enabled)) if setter is not None else False
