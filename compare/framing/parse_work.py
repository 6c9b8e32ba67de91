"""The spaCy work of wording per referent (the parses and the rules that read them), in forked processes when large."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from compare.framing import descriptions, mentions
from compare.framing import variants as modifiers
from compare.framing.mentions import Pair
from compare.framing.names import outlet_names
from compare.framing.state import Substitutions
from compare.framing.text import stop_words
from compare.model.documents import Statement
from compare.segment import forked_map, load_spacy, packed_runs

# Statements to parse from which the work is spread over forked processes (about 3 s of CPU: less is not worth
# a fork; an article added to a saved analysis parses far fewer).
PARALLEL_FROM_TEXTS = 400
_UNITS_PER_PROCESS = 8  # small enough that neither process waits long for the other at the end


@dataclass(frozen=True)
class Work:
    """What wording per referent reads from spaCy: the statements of pairs, of descriptions, of stories."""

    pairs: Sequence[tuple[Statement, Statement]] = ()  # aligned pairs with a short substitution
    described: Sequence[Statement] = ()  # statements that may describe a named actor
    stories: Sequence[tuple[str, Sequence[Statement]]] = ()  # story id, its statements (modified main nouns)
    aligned: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)  # story id -> aligned statement ids


@dataclass
class Findings:
    """The rules' findings from the parses, before the similarity checks (which need the embedder)."""

    substitutions: Substitutions = field(default_factory=dict)  # per pair: wordings of one referent
    descriptions: Substitutions = field(default_factory=dict)  # per (statement id, statement id): descriptions
    modified: dict[str, list[Pair]] = field(default_factory=dict)  # story id -> (noun, modified noun)


def findings(work: Work, processes: int | None = None) -> Findings:
    """The findings of ``work``, the same in one process or several.

    From ``PARALLEL_FROM_TEXTS`` statements to parse, ``processes`` (default: one per core, up to two) forked
    processes inherit the loaded pipeline and the statements; each takes units of the work whose pairs share
    no statement with another unit's (a statement is parsed once), parses them, runs the rules on its docs and
    sends back only what they found: no Doc crosses between processes.
    """
    texts = {statement.text for pair in work.pairs for statement in pair} | {s.text for s in work.described}
    if processes is None:
        processes = min(2, os.cpu_count() or 1) if len(texts) >= PARALLEL_FROM_TEXTS else 1
    if processes <= 1:
        return unit_findings(work)
    load_spacy()  # loaded here once: the forked processes inherit it (and the outlet names, the stop words)
    outlet_names()
    stop_words()
    found = Findings()
    for part in forked_map(unit_findings, split(work, processes * _UNITS_PER_PROCESS), processes):
        found.substitutions.update(part.substitutions)
        found.descriptions.update(part.descriptions)
        found.modified.update(part.modified)
    return found


def unit_findings(work: Work) -> Findings:
    """The findings of one unit of work, in this process: its statements parsed once, the rules run on the docs."""
    docs = mentions.parse([s.text for pair in work.pairs for s in pair] + [s.text for s in work.described])
    registry = outlet_names()
    found = Findings()
    for first, second in work.pairs:
        names = registry | outlet_names([first.outlet, second.outlet])
        found.substitutions.update(mentions.substitutions([(first, second)], docs, names))
    for statement in work.described:
        names = registry | outlet_names([statement.outlet])
        found.descriptions.update(descriptions.descriptions([statement], docs, names))
    found.modified = {
        story_id: modifiers.variant_pairs(members, work.aligned.get(story_id, ())) for story_id, members in work.stories
    }
    return found


def split(work: Work, count: int) -> list[Work]:
    """``work`` cut into about ``count`` units of about equal size, no statement text in two units' parses."""
    root: dict[str, str] = {}  # statement text -> a text of its group (union-find over the pairs)

    def find(text: str) -> str:
        root.setdefault(text, text)
        while root[text] != text:
            root[text] = root[root[text]]
            text = root[text]
        return text

    for first, second in work.pairs:
        root[find(first.text)] = find(second.text)
    groups: dict[str, tuple[list[tuple[Statement, Statement]], list[Statement], set[str]]] = {}
    for pair in work.pairs:
        group = groups.setdefault(find(pair[0].text), ([], [], set()))
        group[0].append(pair)
        group[2].update((pair[0].text, pair[1].text))
    for statement in work.described:
        group = groups.setdefault(find(statement.text), ([], [], set()))
        group[1].append(statement)
        group[2].add(statement.text)
    parses = packed_runs(list(groups.values()), lambda group: len(group[2]), count)
    stories = packed_runs(list(work.stories), lambda story: len(story[1]), count)
    units = []
    for number in range(max(len(parses), len(stories))):
        chosen = parses[number] if number < len(parses) else []
        units.append(
            Work(
                pairs=[pair for group in chosen for pair in group[0]],
                described=[statement for group in chosen for statement in group[1]],
                stories=stories[number] if number < len(stories) else [],
                aligned=work.aligned,
            )
        )
    return units
