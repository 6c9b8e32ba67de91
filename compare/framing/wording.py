"""Word choice: each statement's differences from another outlet's, competing wordings listed, wording per referent."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache

import numpy as np

from compare.framing import actor_kinds, aliases, chains, cues, descriptions, listed, mentions, parse_work
from compare.framing.context import FramingChange, FramingContext
from compare.framing.referents import referents, story_wordings
from compare.framing.rewording import REWORDED, fact_words, rewording
from compare.framing.state import FramingIndex, Substitutions, SwapMatches
from compare.io.column_rows import column_of
from compare.io.deferred import Dropped, Order, rows_with
from compare.io.keyed import preload
from compare.model.documents import Claim, Statement
from compare.model.framing import Framing, ReferentWording, WordDifference, WordSwap

# Two statements of one claim this close (the claim threshold) say one thing: where their noun phrases differ,
# they name one thing.
MIN_ALIGNED_SIMILARITY = 0.65


def aligned_differences(
    clusters: Sequence[Claim], statements: Sequence[Statement], vectors: np.ndarray
) -> list[WordDifference]:
    """For each statement of a cross-outlet claim, its word differences from the closest other outlet's statement,
    when the two word one fact differently (``rewording``): each uses a content word the other does not use in
    any form, they share most of their content words, and a change swaps a few words outside quote marks. Only
    the pieces holding such a word are kept: not function words, inflections, case, figures, a pronoun for a name
    or a name spelled otherwise."""
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
            other = others[int(np.argmax(similarities))]
            figures = fact_words(other.entities) | fact_words(statement.entities)
            found = rewording(other.text, statement.text, figures, competing_wordings)
            if found.kind == REWORDED:
                rows.append(
                    WordDifference(
                        statement.id, other.id, round(max(similarities), 4), removed=found.removed, added=found.added
                    )
                )
    return rows


# ---------------------------------------------------------------- competing wordings of word_swaps.csv


def competing_wordings(one: str, other: str) -> bool:
    """Whether two words are variants of one set of competing wordings ("Kiev" / "Kyiv"): a choice, not a spelling."""
    return any(variant in _variant_sets().get(one.lower(), ()) for variant in _variant_sets().get(other.lower(), ()))


@cache
def _variant_sets_of(sets: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, frozenset[str]]:
    """Per lower-case variant, the labels of the sets of competing wordings it is in."""
    labels: dict[str, set[str]] = defaultdict(set)
    for label, variants in sets:
        for variant in variants:
            labels[variant.lower()].add(label)
    return {variant: frozenset(found) for variant, found in labels.items()}


def _variant_sets() -> dict[str, frozenset[str]]:
    return _variant_sets_of(cues.swap_sets())


@cache
def _swap_patterns(
    sets: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, re.Pattern[str], dict[str, str]], ...]:
    """Per set of competing wordings: its label, a pattern of its variants (longest first) and their spellings."""
    patterns = []
    for label, variants in sets:
        ordered = sorted(variants, key=len, reverse=True)  # "special military operation" before "military operation"
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.IGNORECASE)
        patterns.append((label, pattern, {variant.lower(): variant for variant in variants}))
    return tuple(patterns)


def swap_matches(statements: Sequence[Statement], matches: SwapMatches) -> SwapMatches:
    """Where each variant of each set of competing wordings occurs, added to ``matches``."""
    for label, pattern, canonical in _swap_patterns(cues.swap_sets()):
        found = matches.setdefault(label, {})
        for statement in statements:
            for match in pattern.finditer(statement.text):
                found.setdefault(canonical[match.group(1).lower()], []).append((statement.id, statement.outlet))
    return matches


def swap_rows(matches: SwapMatches, attested: dict[str, set[str]] | None = None) -> list[WordSwap]:
    """One row per set of which two or more variants occur.

    ``attested``: per set, the statements of the stories whose own outlets use it for one thing (see
    ``listed.attested``); a bare common noun of the set ("war", "crisis") counts only there, its names and
    phrases ("Kiev", "illegal immigrants") everywhere. None: every match.
    """
    rows = []
    for label, variants in cues.swap_sets():
        where = matches.get(label, {})
        if attested is not None:
            kept = attested.get(label, set())
            where = {
                variant: [match for match in found if listed.specific(variant) or match[0] in kept]
                for variant, found in where.items()
            }
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


# ---------------------------------------------------------------- wording per referent


def aligned_pairs(
    claims: Sequence[Claim],
    statements: Sequence[Statement],
    vectors: np.ndarray,
    story_of: dict[str, str],
    *,
    min_similarity: float = MIN_ALIGNED_SIMILARITY,
    row_of: dict[str, int] | None = None,
) -> dict[tuple[str, str], str]:
    """Pairs of statements (ids in order) close enough to compare their wording, and the story they share.

    For each statement of a cross-outlet claim, the closest statement of each other outlet of the
    claim, when both are in one story and their cosine is at least ``min_similarity``. ``row_of``: statement
    id -> row, when the caller has it.
    """
    if row_of is None:
        row_of = {statement_id: row for row, statement_id in enumerate(column_of(statements, "id"))}
    outlet_of = column_of(statements, "outlet")
    pairs: dict[tuple[str, str], str] = {}
    for cluster in claims:
        if len(cluster.outlets) < 2:
            continue
        members = list(cluster.statement_ids)
        outlets = np.array([outlet_of[row_of[sid]] for sid in members])
        block = vectors[[row_of[sid] for sid in members]]
        similarities = block @ block.T
        for outlet in cluster.outlets:
            columns = np.flatnonzero(outlets == outlet)
            closest = columns[np.argmax(similarities[:, columns], axis=1)]
            for i in np.flatnonzero(outlets != outlet):
                first, second = sorted((members[i], members[closest[i]]))
                story = story_of.get(first)
                if (
                    similarities[i, closest[i]] >= min_similarity
                    and story is not None
                    and story == story_of.get(second)
                ):
                    pairs[(first, second)] = story
    return pairs


def substitution_candidates(
    pairs: Iterable[tuple[str, str]], by_id: dict[str, Statement], substitutions: Substitutions
) -> list[tuple[Statement, Statement]]:
    """The pairs not in ``substitutions`` yet (added there with no wordings) whose statements differ by a short
    substitution: the only ones parsed."""
    todo = [pair for pair in pairs if pair not in substitutions]
    substitutions.update((pair, []) for pair in todo)
    return [(by_id[a], by_id[b]) for a, b in todo if mentions.changed_spans(by_id[a].text, by_id[b].text)]


def description_candidates(statements: Iterable[Statement], substitutions: Substitutions) -> list[Statement]:
    """The statements not in ``substitutions`` yet under (its id, its id) (added there with no descriptions) with a
    name beside a comma or a lower-case word: the only ones parsed."""
    todo = [statement for statement in statements if (statement.id, statement.id) not in substitutions]
    substitutions.update(((statement.id, statement.id), []) for statement in todo)
    return [statement for statement in todo if descriptions.may_describe(statement.text)]


def referent_rows(
    context: FramingContext, state: FramingIndex, only: Collection[str] | None = None
) -> list[ReferentWording]:
    """Per story of two or more outlets: the referents found in its aligned statements, and the listed sets it uses.

    ``only``: the ids of the stories to do (default: all); their rows depend on nothing outside them. The
    wordings of one referent per aligned pair and the descriptions per statement are kept in ``state`` (found
    once); the spaCy work (``parse_work``) runs in forked processes when it is large.
    """
    story_of = {article_id: story.id for story in context.stories for article_id in story.article_ids}
    wanted = set(story_of.values()) if only is None else set(only)
    ids = column_of(context.statements, "id")
    row_of = dict(zip(ids, range(len(ids))))
    member_rows, statement_story, claims = _stories_of_statements(context, row_of, story_of, wanted, only is None)
    pairs = aligned_pairs(claims, context.statements, context.vectors, statement_story, row_of=row_of)
    by_id = {sid: context.statements[row_of[sid]] for pair in pairs for sid in pair}  # the statements of the pairs
    members: dict[str, list[Statement]] = defaultdict(list)
    for row in member_rows:
        members[statement_story[ids[row]]].append(context.statements[row])
    shared = [story for story in context.stories if len(story.outlets) >= 2 and story.id in wanted]
    # of a saved analysis: the rows these stories use, read at once
    preload(state.substitutions, {(s.id,) for story in shared for s in members[story.id]} | {(a,) for a, _ in pairs})
    work = parse_work.Work(
        pairs=substitution_candidates(sorted(pairs), by_id, state.substitutions),
        described=description_candidates((s for story in shared for s in members[story.id]), state.substitutions),
        stories=[(story.id, members[story.id]) for story in shared],
        aligned=_aligned_ids(pairs),
    )
    findings = parse_work.findings(work)
    mentions.similar_enough(findings.substitutions, context.embedder)
    state.substitutions.update(findings.substitutions)
    descriptions.of_actors(findings.descriptions, context.embedder)
    state.substitutions.update(findings.descriptions)
    chained = {story.id: chains.chained(members[story.id], _described(members[story.id], state)) for story in shared}
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    aligned: dict[str, list[tuple[Statement, Statement]]] = defaultdict(list)
    for pair, story_id in sorted(pairs.items()):
        found[story_id].extend(state.substitutions[pair])
        aligned[story_id].append((by_id[pair[0]], by_id[pair[1]]))
    matched = _listed_by_story(state.swaps, statement_story)
    rows = []
    for story in shared:
        # A person against a body ("president" / "the Trump administration") is two referents, whatever the
        # statements' alignment says.
        named = actor_kinds.same_kind(found[story.id] + aliases.alias_pairs(members[story.id]), members[story.id])
        sets = [(label, variants) for label, variants in cues.swap_sets() if label in matched[story.id]]
        attested = listed.attested(sets, members[story.id], aligned[story.id], referents(named))
        described = _described(members[story.id], state)
        described += chained[story.id]
        modified = findings.modified[story.id]
        rows.extend(story_wordings(story.id, members[story.id], named, attested, described, modified))
    return rows


def _aligned_ids(pairs: Mapping[tuple[str, str], str]) -> dict[str, list[tuple[str, str]]]:
    """Story id -> the ids of its aligned statement pairs."""
    aligned: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair, story_id in sorted(pairs.items()):
        aligned[story_id].append(pair)
    return aligned


def _stories_of_statements(
    context: FramingContext, row_of: dict[str, int], story_of: dict[str, str], wanted: set[str], every: bool
) -> tuple[list[int], dict[str, str], list[Claim]]:
    """(the rows of the statements in ``wanted`` stories, statement id -> story id, the claims with a statement in
    a ``wanted`` story); ``row_of``: statement id -> row.

    ``every``: the story of every statement in one; else only of those in ``wanted`` stories and of the statements
    of those claims (all that ``referent_rows`` reads for them): an addition re-frames a few stories of 3,600."""
    ids, article_ids = column_of(context.statements, "id"), column_of(context.statements, "article_id")
    if every:
        statement_story = {sid: story_of[aid] for sid, aid in zip(ids, article_ids) if aid in story_of}
        claims = [c for c in context.claims if any(statement_story.get(sid) in wanted for sid in c.statement_ids)]
        return [row for row, sid in enumerate(ids) if statement_story.get(sid) in wanted], statement_story, claims
    articles = {article_id for article_id, story_id in story_of.items() if story_id in wanted}
    rows = [row for row, article_id in enumerate(article_ids) if article_id in articles]
    statement_story = {ids[row]: story_of[article_ids[row]] for row in rows}
    claims = [c for c in context.claims if not statement_story.keys().isdisjoint(c.statement_ids)]
    for cluster in claims:
        for sid in cluster.statement_ids:
            article_id = article_ids[row_of[sid]]
            if article_id in story_of:
                statement_story[sid] = story_of[article_id]
    return rows, statement_story, claims


def _described(statements: Sequence[Statement], state: FramingIndex) -> list[tuple[str, str]]:
    return [pair for statement in statements for pair in state.substitutions[(statement.id, statement.id)]]


def _listed_by_story(swaps: SwapMatches, statement_story: dict[str, str]) -> dict[str, set[str]]:
    """Story id -> the labels of the listed sets that its statements use (from the matches kept in the state)."""
    listed: dict[str, set[str]] = defaultdict(set)
    for label, variants in swaps.items():
        for where in variants.values():
            for statement_id, _ in where:
                if statement_id in statement_story:
                    listed[statement_story[statement_id]].add(label)
    return listed


# ---------------------------------------------------------------- the signal


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``word_swaps``, ``referent_wordings`` and ``word_differences``; keeps the wordings matched and found."""
    state.swaps = swap_matches(context.statements, {})
    state.substitutions = {}
    differences = aligned_differences(context.claims, context.statements, context.vectors)
    referent_wordings = referent_rows(context, state)
    return replace(
        framing,
        word_swaps=swap_rows(state.swaps, listed_statements(referent_wordings)),
        referent_wordings=referent_wordings,
        word_differences=differences,
    )


def listed_statements(rows: Sequence[ReferentWording]) -> dict[str, set[str]]:
    """Per listed set, the statements using it in the stories that attest it (its ``listed`` referent rows)."""
    kept: dict[str, set[str]] = defaultdict(set)
    for row in rows_with(rows, "source", ["listed"]):  # of a saved run: its listed rows asked of the store
        kept[row.referent].update(row.statement_ids)
    return kept


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """Wordings of the added statements matched; differences of changed claims made again, the others carried.

    The referents of changed stories are gathered again from the wordings kept per aligned pair
    (only new pairs are parsed); those of the other stories are carried over.
    """
    swap_matches(change.added, state.swaps)
    redone = change.changed_clusters
    fresh = aligned_differences(redone, *change.members(redone))
    # A statement's row is carried with its claim: dropped are those of the earlier claims not kept.
    dropped = frozenset(
        sid for cluster in change.previous.claims if cluster.id not in change.claim_ids for sid in cluster.statement_ids
    )
    order = Order(
        "claims", "statement_id", lambda row: change.claim_rank[change.claim_of[row.statement_id]], "statement_ids"
    )
    differences = change.carried(change.old.word_differences, [Dropped("statement_id", dropped)], fresh, order)
    referent_wordings = _extended_referents(change, state)
    return replace(
        framing,
        word_swaps=swap_rows(state.swaps, listed_statements(referent_wordings)),
        referent_wordings=referent_wordings,
        word_differences=differences,
    )


def _extended_referents(change: FramingChange, state: FramingIndex) -> list[ReferentWording]:
    fresh = referent_rows(change.current, state, only=change.changed_stories)
    return change.carried(
        change.old.referent_wordings, [Dropped("story_id", change.dropped_stories)], fresh, change.story_order()
    )
