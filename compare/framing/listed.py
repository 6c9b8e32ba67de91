"""Which listed sets of competing wordings a story attests: its own outlets use two of a set's wordings for one thing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from compare.model.documents import Statement


@lru_cache(maxsize=256)
def _pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(variants, key=len, reverse=True)  # "illegal immigrants" before "immigrants"
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.IGNORECASE)


def _used(text: str, variants: tuple[str, ...]) -> set[str]:
    return {match.group(1).lower() for match in _pattern(variants).finditer(text)}


def attested(
    sets: Sequence[tuple[str, Sequence[str]]],
    aligned: Iterable[tuple[Statement, Statement]],
    groups: Iterable[Sequence[str]] = (),
) -> list[tuple[str, Sequence[str]]]:
    """The sets the story's own text uses for one thing.

    A set of names (every variant written with a capital: "Kiev" / "Kyiv", "Zelensky" / "Zelenskyy") names
    one place or person wherever it occurs: kept. A set with common nouns ("war" / "invasion" / "crisis",
    "separatists" / "rebels") is kept when two statements of two outlets that tell one fact (``aligned``)
    each use a variant the other lacks, or a referent found in the story (``groups``, its wordings) holds two
    of its variants. Matched anywhere, it says nothing of how the story's outlets name one thing: "war" of the
    Ukraine list in a story of US politics is any war, and "crisis" the border.
    """
    aligned = list(aligned)
    found = [{wording.lower() for wording in group} for group in groups]
    kept = []
    for label, variants in sets:
        key = tuple(variants)
        lowered = {variant.lower() for variant in variants}
        names = all(variant[:1].isupper() for variant in variants)
        if (
            names
            or any(len(group & lowered) >= 2 for group in found)
            or any(_differ(_used(first.text, key), _used(second.text, key)) for first, second in aligned)
        ):
            kept.append((label, variants))
    return kept


def _differ(first: set[str], second: set[str]) -> bool:
    """Whether each side uses a variant the other does not (one says "Kiev" where the other says "Kyiv")."""
    return bool(first - second) and bool(second - first)
