"""Distinctive terms: the words each outlet uses more than the others, corpus-wide and per story (log-odds z)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from compare.framing.context import FramingChange, FramingContext
from compare.framing.names import HONORIFICS, outlet_names, outlet_pattern
from compare.framing.state import FramingIndex
from compare.framing.text import stop_words
from compare.io.column_rows import column_of
from compare.io.deferred import Dropped
from compare.model.documents import Statement, Story
from compare.model.framing import DistinctiveTerm, Framing

TOP_TERMS = 25  # terms kept per outlet and scope
# Up to this many statements (or when the added ones are 1% or more), ``extend`` scores distinctive
# terms again in full; above it, only for the outlets and stories the added articles change.
EXACT_TERMS_LIMIT = 20_000
EXACT_TERMS_SHARE = 100  # in full too when the added statements are one in this many of all, or more


# Abbreviations with dots ("U.S.", "F.B.I.") are one word; other words as ``text.TOKEN_RE`` has them.
_TERM_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_PARTY_TAG_RE = re.compile(r"[rdi]-[a-z]+")  # "R-Texas", "D-Mass.": how an outlet styles a politician's party


def _word(token: str, stopped: frozenset[str]) -> str:
    """A token as a term word: lower case; "F.B.I." as "fbi" (like "FBI"), "U.S." and "US" as "u.s." (not "us")."""
    word = token.lower().replace("’", "'")
    if "." in word or (token.isupper() and len(token) > 1):
        plain = word.replace(".", "")
        return plain if plain not in stopped else ".".join(plain) + "."
    return word


def tokens(text: str, outlet: str | None = None) -> list[str]:
    """Lower-case word unigrams and bigrams without stop words, honorifics or outlet names.

    The names of the registry's outlets (and of ``outlet``, the statement's own) are cut out
    before counting, so that neither "fox news" nor "told fox" is a term; bigrams do not span the cut.
    """
    stopped = stop_words() | HONORIFICS
    pieces = outlet_pattern(outlet_names()).split(text)
    if outlet:
        pieces = [piece for part in pieces for piece in outlet_pattern(outlet_names([outlet])).split(part)]
    unigrams, bigrams = [], []
    for piece in pieces:
        words = [
            _word(token, stopped) for token in _TERM_RE.findall(piece) if not _PARTY_TAG_RE.fullmatch(token.lower())
        ]
        unigrams += [word for word in words if word not in stopped and len(word) > 1]
        bigrams += [
            f"{first} {second}"
            for first, second in zip(words, words[1:])
            if first not in stopped and second not in stopped and len(first) > 1 and len(second) > 1
        ]
    return unigrams + bigrams


def log_odds_z(
    counts_by_group: dict[str, Counter[str]],
    prior: Counter[str],
    *,
    prior_scale: float | None = None,
    min_count: int = 2,
    groups: Iterable[str] | None = None,
    all_counts: Counter[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Weighted log-odds ratios with an informative Dirichlet prior, as z-scores (Monroe et al. 2008).

    Each group is compared with all other groups together. The prior is the corpus counts scaled to
    ``prior_scale`` pseudo-counts in all (default: a tenth of the corpus size).

    Args:
        groups: the groups to score (default: all).
        all_counts: the counts of all groups together, when already known (saves summing them).

    Returns:
        group -> term -> z, for terms the group used at least ``min_count`` times.
    """
    total_prior = sum(prior.values())
    scale = (prior_scale or 0.1 * total_prior) / max(total_prior, 1)
    alpha_0 = scale * total_prior
    if all_counts is None:
        all_counts = Counter()
        for counts in counts_by_group.values():
            all_counts.update(counts)
    n_all = all_counts.total()
    scores: dict[str, dict[str, float]] = {}
    for group in counts_by_group if groups is None else groups:
        counts = counts_by_group[group]
        n_group = counts.total()
        n_rest = n_all - n_group
        group_scores = {}
        for term, y_group in counts.items():
            if y_group < min_count:
                continue
            a = prior[term] * scale if term in prior else 0.01
            y_rest = all_counts[term] - y_group
            delta = math.log((y_group + a) / (n_group + alpha_0 - y_group - a)) - math.log(
                (y_rest + a) / (n_rest + alpha_0 - y_rest - a)
            )
            variance = 1 / (y_group + a) + 1 / (y_rest + a)
            group_scores[term] = delta / math.sqrt(variance)
        scores[group] = group_scores
    return scores


def outlet_term_counts(statements: Iterable[Statement], terms_of: dict[str, list[str]]) -> dict[str, Counter[str]]:
    """Per outlet, how often it uses each term (``tokens``) in these statements."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for statement in statements:
        counts[statement.outlet].update(terms_of[statement.id])
    return counts


def distinctive_rows(
    story_id: str | None,
    counts: dict[str, Counter[str]],
    prior: Counter[str],
    outlets: Iterable[str] | None = None,
) -> list[DistinctiveTerm]:
    """The ``distinctive_terms`` rows of one scope (the corpus when ``story_id`` is None, else a story).

    For the corpus, ``prior`` is the sum of ``counts``; ``outlets`` limits the rows to those outlets.
    """
    if len(counts) < 2:
        return []
    rows: list[DistinctiveTerm] = []
    all_counts = prior if story_id is None else None
    for outlet, scores in log_odds_z(counts, prior, groups=outlets, all_counts=all_counts).items():
        best = sorted(((z, term) for term, z in scores.items() if z > 0), reverse=True)[:TOP_TERMS]
        rows.extend(DistinctiveTerm(outlet, story_id, term, round(z, 3), z > 1.96) for z, term in best)
    return rows


def story_rows(
    stories: Iterable[Story], statements: Iterable[Statement], terms_of: dict[str, list[str]], prior: Counter[str]
) -> list[DistinctiveTerm]:
    """The rows of each story with two or more outlets, scored against the corpus ``prior``."""
    stories = list(stories)
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    by_story: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.article_id in story_of:
            by_story[story_of[statement.article_id]].append(statement)
    rows = []
    for story in stories:
        if len(story.outlets) >= 2:
            rows.extend(distinctive_rows(story.id, outlet_term_counts(by_story[story.id], terms_of), prior))
    return rows


def _counted(statements: Sequence[Statement], state: FramingIndex) -> dict[str, list[str]]:
    """The terms of each statement, counted into ``state`` (per outlet and in all)."""
    terms_of = {statement.id: tokens(statement.text, statement.outlet) for statement in statements}
    for statement in statements:
        if statement.outlet not in state.outlet_terms:
            state.outlet_terms[statement.outlet] = Counter()
        state.outlet_terms[statement.outlet].update(terms_of[statement.id])
        state.prior.update(terms_of[statement.id])
    return terms_of


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``distinctive_terms``; keeps the term counts per outlet and in all.

    Rows carry ``significant`` (z > 1.96); small corpora rarely reach it, so the top terms are kept.
    """
    state.outlet_terms, state.prior = {}, Counter()
    terms_of = _counted(context.statements, state)
    rows = distinctive_rows(None, state.outlet_terms, state.prior)
    rows += story_rows(context.stories, context.statements, terms_of, state.prior)
    return replace(framing, distinctive_terms=rows)


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """In full up to ``EXACT_TERMS_LIMIT`` statements; above it, re-scored for what the added articles change.

    The approximation above the limit: the terms of outlets without an added article, and of
    unchanged stories, keep the scores computed against the earlier corpus counts (a relative
    change of about 1e-4 when one article joins ten thousand).
    """
    statements = change.current.statements
    if len(statements) <= EXACT_TERMS_LIMIT or len(change.added) * EXACT_TERMS_SHARE >= len(statements):
        return compute(change.current, framing, state)
    terms_of = _counted(change.added, state)
    added_outlets = {statement.outlet for statement in change.added}
    fresh = distinctive_rows(None, state.outlet_terms, state.prior, outlets=sorted(added_outlets))
    changed = [story for story in change.current.stories if story.id in change.changed_stories]
    members = _members(changed, statements)
    terms_of.update((s.id, tokens(s.text, s.outlet)) for s in members if s.id not in terms_of)
    fresh += story_rows(changed, members, terms_of, state.prior)
    dropped = [  # the corpus rows of the outlets with an added article, the rows of changed stories
        Dropped("outlet", frozenset(added_outlets), when_null="story_id"),
        Dropped("story_id", change.dropped_stories),
    ]
    return replace(framing, distinctive_terms=change.carried(change.old.distinctive_terms, dropped, fresh, None))


def _members(stories: Sequence[Story], statements: Sequence[Statement]) -> list[Statement]:
    articles = {article_id for story in stories for article_id in story.article_ids}
    return [
        statements[row] for row, article_id in enumerate(column_of(statements, "article_id")) if article_id in articles
    ]
