"""Wording per referent: the actors and concepts of a story, the wordings each outlet uses for them, how often, where."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from compare.framing.chains import title_word
from compare.framing.mentions import Pair
from compare.framing.names import OTHER_ROLE
from compare.framing.text import TOKEN_RE
from compare.framing.variants import MIN_STATEMENT_SHARE
from compare.model.documents import Statement
from compare.model.framing import ReferentWording


def _pattern(wordings: Iterable[str]) -> re.Pattern[str]:
    """Whole-word matches of the wordings, longest first, so that "illegal immigrants" is not also "immigrants"."""
    ordered = sorted(set(wordings), key=lambda wording: (-len(wording), wording))
    alternatives = "|".join(r"\s+".join(map(re.escape, wording.split())) for wording in ordered)
    return re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])", re.IGNORECASE)


def _other_role(before: str) -> bool:
    """Whether the word before a match makes it another role ("vice" of "vice president")."""
    words = before.split()
    return bool(words) and words[-1].lower().rstrip("-") in OTHER_ROLE


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
            if _other_role(statement.text[: match.start()]):
                continue  # "president" of "vice president" names someone else
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


def _surnames(statements: Sequence[Statement]) -> dict[str, set[str]]:
    """Surname -> the first names the story's people with that surname go by ("Trump" -> {"Donald", "Melania"})."""
    firsts: dict[str, set[str]] = defaultdict(set)
    lower = {word for statement in statements for word in TOKEN_RE.findall(statement.text) if word.islower()}
    for statement in statements:
        for text, label in statement.entities:
            words = text.split()
            if len(words) >= 3 and title_word(words[0].rstrip("."), "." * words[0].endswith(".")) in lower:
                words = words[1:]  # "Representative Bruce Braley" ("the representative") is no second Braley
            if label == "PERSON" and len(words) >= 2:
                firsts[words[-1]].add(words[0])
    return firsts


def described_referents(
    groups: list[list[str]],
    described: Iterable[Pair],
    statements: Sequence[Statement],
    share: float = MIN_STATEMENT_SHARE,
) -> list[list[str]]:
    """``groups`` with the descriptions of each named actor added: to the group holding its name, else a new group.

    Descriptions join only their own name (not through one another: "Democrat" says that of many).
    A person is listed under the surname, unless the story has two people of that surname. Only the
    story's main actors count: named by two or more outlets, in ``share`` of its statements or more (a tenth;
    the modified nouns come with their own bar from ``variants.variant_pairs``, and ``share`` 0).
    """
    firsts = _surnames(statements)
    by_name: dict[str, list[str]] = defaultdict(list)
    for name, description in described:
        words = name.split()
        if len(words) >= 2 and words[-1] in firsts:
            if len(firsts[words[-1]]) > 1:
                continue
            name = words[-1]
        if description not in by_name[name]:
            by_name[name].append(description)
    merged = [list(group) for group in groups]
    for name, wordings in by_name.items():
        pattern = _pattern([name])
        naming = [s for s in statements if pattern.search(s.text)]
        if len({s.outlet for s in naming}) < 2 or len(naming) < share * len(statements):
            continue
        home = next((group for group in merged if _key(name) in {_key(w) for w in group}), None)
        if home is None:
            merged.append([name])
            home = merged[-1]
        home.extend(w for w in wordings if _key(w) not in {_key(v) for v in home})
    return [group for group in merged if len(group) >= 2]


def story_wordings(
    story_id: str,
    statements: Sequence[Statement],
    found: Iterable[Pair],
    listed: Sequence[tuple[str, Sequence[str]]],
    described: Iterable[Pair] = (),
    modified: Iterable[Pair] = (),
) -> list[ReferentWording]:
    """The wording rows of one story: referents found in its aligned statements, its descriptions of named
    actors and the modifiers of its main nouns, then the listed sets it uses."""
    rows = []
    groups = described_referents(referents(found), described, statements)
    # The modified nouns' bar is ``variants.variant_pairs``'s own (a main noun's share, or the text's evidence for a
    # rarer noun): a main noun passes this count too, so no share is asked again here.
    for group in described_referents(groups, modified, statements, share=0.0):
        rows.extend(wording_rows(story_id, None, group, statements, "found"))
    for label, variants in listed:
        rows.extend(wording_rows(story_id, label, variants, statements, "listed"))
    return rows
