"""Word choice: each statement's differences from another outlet's, and competing wordings (listed or recurring)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from compare.framing import cues
from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import FramingIndex, Substitutions, SwapMatches
from compare.framing.text import diff_tokens, opcodes, stop_words, word_diff
from compare.model.documents import Claim, Statement
from compare.model.framing import Framing, WordDifference, WordSwap


def aligned_differences(
    clusters: Sequence[Claim], statements: Sequence[Statement], vectors: np.ndarray
) -> list[WordDifference]:
    """For each statement of a cross-outlet claim, its word differences from the closest other outlet's statement."""
    row_of = {statement.id: row for row, statement in enumerate(statements)}
    by_id = {statement.id: statement for statement in statements}
    rows = []
    for cluster in clusters:
        if len(cluster.outlets) < 2:
            continue
        members = [by_id[sid] for sid in cluster.statement_ids]
        for statement in members:
            others = [other for other in members if other.outlet != statement.outlet]
            if not others:
                continue
            similarities = [float(vectors[row_of[statement.id]] @ vectors[row_of[other.id]]) for other in others]
            best = int(np.argmax(similarities))
            diff = word_diff(others[best].text, statement.text)
            rows.append(
                WordDifference(
                    statement.id,
                    others[best].id,
                    round(similarities[best], 4),
                    removed=tuple(words for tag, words in diff if tag == "-"),
                    added=tuple(words for tag, words in diff if tag == "+"),
                )
            )
    return rows


# ---------------------------------------------------------------- competing wordings of word_swaps.csv


@cache
def _swap_patterns() -> tuple[tuple[str, re.Pattern[str], dict[str, str]], ...]:
    """Per set of ``word_swaps.csv``: its label, a pattern of its variants (longest first) and their spellings."""
    patterns = []
    for label, variants in cues.swap_sets():
        ordered = sorted(variants, key=len, reverse=True)  # "special military operation" before "military operation"
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.IGNORECASE)
        patterns.append((label, pattern, {variant.lower(): variant for variant in variants}))
    return tuple(patterns)


def swap_matches(statements: Sequence[Statement], matches: SwapMatches) -> SwapMatches:
    """Where each variant of each set of competing wordings occurs, added to ``matches``."""
    for label, pattern, canonical in _swap_patterns():
        found = matches.setdefault(label, {})
        for statement in statements:
            for match in pattern.finditer(statement.text):
                found.setdefault(canonical[match.group(1).lower()], []).append((statement.id, statement.outlet))
    return matches


def swap_rows(matches: SwapMatches) -> list[WordSwap]:
    """One row per set of which two or more variants occur."""
    rows = []
    for label, variants in cues.swap_sets():
        where = matches.get(label, {})
        used = tuple(variant for variant in variants if where.get(variant))
        if len(used) >= 2:
            rows.append(
                WordSwap(
                    label,
                    used,
                    {variant: tuple(sorted({outlet for _, outlet in where[variant]})) for variant in used},
                    {variant: tuple(sid for sid, _ in where[variant]) for variant in used},
                )
            )
    return rows


# ---------------------------------------------------------------- competing wordings found in the data


def pair_substitutions(other_text: str, own_text: str) -> list[tuple[str, str]]:
    """Short substitutions between two close paraphrases: (their words, our words), one to three words each."""
    a, b = diff_tokens(other_text), diff_tokens(own_text)
    stopped = stop_words()
    found = []
    for tag, a0, a1, b0, b1 in opcodes(a, b):
        if tag != "replace" or not (1 <= a1 - a0 <= 3 and 1 <= b1 - b0 <= 3):
            continue
        theirs, ours = " ".join(a[a0:a1]), " ".join(b[b0:b1])
        if theirs.lower() == ours.lower() or all(w.lower() in stopped or not w.isalpha() for w in a[a0:a1] + b[b0:b1]):
            continue
        found.append((theirs, ours))
    return found


@dataclass
class _Recurring:
    """One substitution (either way round) and where it occurs."""

    outlets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    statement_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    claims: set[tuple[str, str]] = field(default_factory=set)

    def add(self, pair: tuple[str, str], theirs: tuple[str, Statement], ours: tuple[str, Statement]) -> None:
        for words, statement in (theirs, ours):
            self.outlets[words].add(statement.outlet)
            self.statement_ids[words].append(statement.id)
        self.claims.add(pair)

    def row(self) -> WordSwap:
        terms = tuple(sorted(self.outlets))
        return WordSwap(
            "found in the data: " + " / ".join(terms),
            terms,
            {term: tuple(sorted(outlets)) for term, outlets in self.outlets.items()},
            {term: tuple(ids) for term, ids in self.statement_ids.items()},
            occurrences=len(self.claims),
        )


def mined_swaps(
    differences: Sequence[WordDifference],
    statements: Sequence[Statement],
    substitutions: Substitutions,
    *,
    min_similarity: float = 0.75,
    min_occurrences: int = 2,
) -> list[WordSwap]:
    """Recurring wordings found in the data: short substitutions between close paraphrases of different outlets.

    A substitution counts when two outlets' statements of one claim (cosine >= ``min_similarity``)
    differ by one to three words on each side at the same place; it is reported when it recurs in
    ``min_occurrences`` or more claims. ``substitutions`` caches ``pair_substitutions`` per
    (statement id, other statement id) across runs.
    """
    by_id = {statement.id: statement for statement in statements}
    found: dict[frozenset[str], _Recurring] = {}
    for row in differences:
        if row.similarity < min_similarity or row.statement_id > row.other_statement_id:
            continue  # each pair once
        pair = (row.statement_id, row.other_statement_id)
        mine, other = by_id[pair[0]], by_id[pair[1]]
        if pair not in substitutions:
            substitutions[pair] = pair_substitutions(other.text, mine.text)
        for theirs, ours in substitutions[pair]:
            found.setdefault(frozenset({theirs.lower(), ours.lower()}), _Recurring()).add(
                pair, (theirs, other), (ours, mine)
            )
    rows = [entry.row() for entry in found.values() if len(entry.claims) >= min_occurrences]
    return sorted(rows, key=lambda row: -(row.occurrences or 0))


# ---------------------------------------------------------------- the signal


def _tables(
    framing: Framing, differences: list[WordDifference], statements: Sequence[Statement], state: FramingIndex
) -> Framing:
    swaps = swap_rows(state.swaps) + mined_swaps(differences, statements, state.substitutions)
    return replace(framing, word_swaps=swaps, word_differences=differences)


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``word_swaps`` and ``word_differences``; keeps the wordings matched and the substitutions found."""
    state.swaps = swap_matches(context.statements, {})
    state.substitutions = {}
    differences = aligned_differences(context.claims, context.statements, context.vectors)
    return _tables(framing, differences, context.statements, state)


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """Wordings of the added statements matched; differences of changed claims made again, the others carried."""
    swap_matches(change.added, state.swaps)
    redone = change.changed_clusters
    fresh = aligned_differences(redone, *change.members(redone))
    kept = [row for row in change.old.word_differences if _kept(change, row.statement_id)]
    differences = change.in_claim_order(fresh, kept, lambda row: change.claim_of[row.statement_id])
    return _tables(framing, differences, change.current.statements, state)


def _kept(change: FramingChange, statement_id: str) -> bool:
    claim = change.claim_of.get(statement_id)
    return claim is not None and claim not in change.changed_claims
