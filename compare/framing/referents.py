"""Wording per referent: the actors and concepts of a story, the wordings each outlet uses for them, how often, where."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from compare.framing.mentions import Pair
from compare.model.documents import Statement
from compare.model.framing import ReferentWording


def _pattern(wordings: Iterable[str]) -> re.Pattern[str]:
    """Whole-word matches of the wordings, longest first, so that "illegal immigrants" is not also "immigrants"."""
    ordered = sorted(set(wordings), key=lambda wording: (-len(wording), wording))
    alternatives = "|".join(r"\s+".join(map(re.escape, wording.split())) for wording in ordered)
    return re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])", re.IGNORECASE)


def _key(wording: str) -> str:
    return " ".join(wording.lower().split())


def wording_rows(
    story_id: str, referent: str | None, wordings: Sequence[str], statements: Sequence[Statement], source: str
) -> list[ReferentWording]:
    """The rows of one referent of a story: per wording and outlet, its mentions and statements; [] unless 2+ are used.

    ``referent`` None labels the referent with its most used wording.
    """
    spelling = {_key(wording): wording for wording in sorted(wordings, reverse=True)}
    pattern = _pattern(wordings)
    mentions: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for statement in statements:
        for match in pattern.finditer(statement.text):
            cell = (_key(match.group(1)), statement.outlet)
            mentions[cell] += 1
            if statement.id not in where[cell]:
                where[cell].append(statement.id)
    used = Counter[str]()
    for (key, _), count in mentions.items():
        used[key] += count
    if len(used) < 2:
        return []
    label = referent or spelling[min(used, key=lambda key: (-used[key], key))]
    return [
        ReferentWording(story_id, label, spelling[key], outlet, count, tuple(where[(key, outlet)]), source)
        for (key, outlet), count in sorted(mentions.items(), key=lambda item: (-used[item[0][0]], item[0]))
    ]


def referents(pairs: Iterable[Pair]) -> list[list[str]]:
    """Wordings joined by being said of one thing (union of the pairs), each group in order of first appearance."""
    parent: dict[str, str] = {}
    first_form: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for pair in pairs:
        keys = [_key(wording) for wording in pair]
        for key, wording in zip(keys, pair):
            parent.setdefault(key, key)
            first_form.setdefault(key, wording)
        parent[root(keys[0])] = root(keys[1])
    groups: dict[str, list[str]] = defaultdict(list)
    for key in parent:
        groups[root(key)].append(first_form[key])
    return [group for group in groups.values() if len(group) >= 2]


def story_wordings(
    story_id: str,
    statements: Sequence[Statement],
    found: Iterable[Pair],
    listed: Sequence[tuple[str, Sequence[str]]],
) -> list[ReferentWording]:
    """The wording rows of one story: referents found in its aligned statements, then the listed sets it uses."""
    rows = []
    for group in referents(found):
        rows.extend(wording_rows(story_id, None, group, statements, "found"))
    for label, variants in listed:
        rows.extend(wording_rows(story_id, label, variants, statements, "listed"))
    return rows
