"""What a short command's new process need not load: libraries imported only to be asked a question."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class _Hidden:
    """An import finder that makes the named top-level packages (and their modules) fail to import."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def arrow_without_pandas() -> None:
    """pyarrow told that pandas is not there, unless pandas is imported already or other threads run.

    pyarrow's first conversion of Python values (``pa.array``, ``pa.table``: an addition's query parameters
    and the rows it writes) imports pandas only to ask whether the values are pandas objects: about 0.3 s of
    CPU, a tenth of what a new process pays before it adds one article, in a command that makes no pandas
    object. The question is asked here with pandas hidden, and pyarrow remembers the answer; its explicit
    pandas calls (``to_pandas``, ``Table.from_pandas``) still import pandas when first used, and answer the
    question anew from then on. Until then ``pa.array`` would take a pandas Series as a plain sequence
    (NaN kept, not made null), so call this only in a process that hands pyarrow no pandas object: the
    CLI's addition to a saved run.
    """
    if "pandas" in sys.modules or threading.active_count() > 1:
        return
    import pyarrow as pa

    hidden = _Hidden({"pandas"})
    sys.meta_path.insert(0, hidden)
    try:
        pa.array([0])  # the question: is pandas there to check the values against?
    finally:
        sys.meta_path.remove(hidden)
