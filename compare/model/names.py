"""The one order of outlet names a reader expects: every page, the report and the command line list outlets by it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_ARTICLE = re.compile(r"(?:the|an?)\s+(?=\w)")  # "The New York Times" is looked for under N, as in an index
_NUMBER = re.compile(r"([0-9]+)")


@lru_cache(maxsize=8192)  # few names, sorted over and over (each story's outlets in the story list)
def name_key(name: str) -> tuple[tuple[str | int, ...], str]:
    """How ``name`` sorts among outlet names: without case, accents or a leading "The"/"A"/"An", numbers by value.

    As text, "Fox News~10" came before "Fox News~2", "zimbio.com" after every capital ("Zeit Online" < "abc.net.au"
    < "zimbio.com" is the order a reader looks in) and "The New York Times" under T. The name itself breaks ties,
    so names that differ only in case or article keep one order.
    """
    folded = "".join(
        character
        for character in unicodedata.normalize("NFKD", name.strip().casefold())
        if not unicodedata.combining(character)
    )
    words = _ARTICLE.sub("", folded, count=1) if _ARTICLE.match(folded) else folded
    # re.split with a group alternates text and digit runs, text first: tuples compare str to str and int to int
    parts = tuple(int(part) if number % 2 else part for number, part in enumerate(_NUMBER.split(words)))
    return parts, name


def by_name(names: Iterable[str]) -> list[str]:
    """``names`` (each once) in the order of ``name_key``."""
    return sorted(set(names), key=name_key)
