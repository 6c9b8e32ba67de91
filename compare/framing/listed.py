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


def specific(variant: str) -> bool:
    """A name ("Kyiv", "Obamacare") or a phrase ("illegal immigrants"), not a bare common noun ("war", "migrants")."""
    return variant[:1].isupper() or len(variant.split()) >= 2


def attested(
    sets: Sequence[tuple[str, Sequence[str]]],
    statements: Sequence[Statement],
    aligned: Iterable[tuple[Statement, Statement]],
    groups: Iterable[Sequence[str]] = (),
) -> list[tuple[str, tuple[str, ...]]]:
    """The sets the story's own text uses for one thing, each with the variants that count in it.

    A set is kept whole when two statements of two outlets that tell one fact (``aligned``) each use a variant
    the other lacks, or a referent found in the story (``groups``, its wordings) holds two of its variants.
    Otherwise only its names and phrases count ("Kiev" / "Kyiv", "illegal immigrants" / "undocumented
    immigrants": they name one thing wherever the story's outlets use them), and the set is kept when two
    outlets of the story use two of them. A bare common noun of a set ("war", "crisis", "migrants") names
    whatever war, crisis or group a sentence is about: matched anywhere, it said that BASIL's US politics
    stories word one war as "war" / "crisis" / "invasion".
    """
    aligned = list(aligned)
    found = [{wording.lower() for wording in group} for group in groups]
    kept = []
    for label, variants in sets:
        key = tuple(variants)
        lowered = {variant.lower() for variant in variants}
        if any(len(group & lowered) >= 2 for group in found) or any(
            _differ(_used(first.text, key), _used(second.text, key)) for first, second in aligned
        ):
            kept.append((label, key))
            continue
        phrases = tuple(variant for variant in variants if specific(variant))
        if len(phrases) >= 2 and _two_outlets(statements, phrases):
            kept.append((label, phrases))
    return kept


def _differ(first: set[str], second: set[str]) -> bool:
    """Whether each side uses a variant the other does not (one says "Kiev" where the other says "Kyiv")."""
    return bool(first - second) and bool(second - first)


def _two_outlets(statements: Sequence[Statement], variants: tuple[str, ...]) -> bool:
    """Whether one outlet uses a variant and another outlet another (one outlet's two wordings are no difference)."""
    uses = {(variant, s.outlet) for s in statements for variant in _used(s.text, variants)}
    return any(a != b and one != other for a, one in uses for b, other in uses)
