"""How a path whose name is not UTF-8 is told apart and shown: the inputs skip such a file, the command line
refuses such a database path (before the clustering and input code it has no use for is imported)."""

from __future__ import annotations

import os


def not_utf8_name(path: str) -> bool:
    """Whether a path holds bytes that are not UTF-8 (kept by Python as lone surrogates, U+DC80 to U+DCFF)."""
    return any("\udc80" <= ch <= "\udcff" for ch in path)


def shown_name(path: str) -> str:
    """A path that is not valid UTF-8 with its stray bytes as escapes (``caf\\xe9.txt``), for messages."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")
