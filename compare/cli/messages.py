"""The command line's messages, each kept on its one line whatever text it quotes."""

from __future__ import annotations

import re

# Characters that would break a warning's one line or reorder what the terminal shows: controls (a newline in
# a file name), line and paragraph separators, bidi embeddings, overrides and isolates ("Trojan Source").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(line: str) -> str:
    """``line`` with its unprintable characters shown as escapes, so that it stays one line as written."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), line)
