"""Tone: each statement's (VADER), each outlet's toward each side's actors (what is said of them), and loaded words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np

from compare.framing import cues
from compare.framing.context import FramingChange, FramingContext
from compare.framing.sides import OUTLET_ITSELF, article_roles, side_of
from compare.framing.state import ActorTones, FramingIndex
from compare.framing.text import TOKEN_RE
from compare.framing.toward import NEUTRAL_BAND, tone_toward
from compare.model.documents import Statement
from compare.model.framing import MIN_TONE_STATEMENTS, ActorTone, Framing, LoadedWord, StatementTone

LOADED_VALENCE = 1.5  # |VADER valence| from which a word counts as loaded (the lexicon spans -4 to 4)
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NOT_ACTORS = frozenset({"other", "unattributed", OUTLET_ITSELF})  # and the generic kinds of sides.csv
MIN_STATEMENTS = MIN_TONE_STATEMENTS  # a mean tone over fewer statements is marked ``sparse``


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(text: str) -> float:
    """VADER compound score in [-1, 1] (a general-purpose lexicon; see docs/framing.md for its limits)."""
    return float(_vader().polarity_scores(text)["compound"])


def loaded_words(statements: Sequence[Statement], min_valence: float = LOADED_VALENCE) -> list[LoadedWord]:
    """Evaluative words each statement uses (VADER lexicon entries with |valence| >= ``min_valence``).

    On BASIL, words inside annotated lexical-bias spans are about four times as often loaded in this
    sense as words overall (EVALUATION.md), so these are the word choices worth a reader's look.
    """
    lexicon = _vader().lexicon
    neutral = cues.neutral_senses()
    rows = []
    for statement in statements:
        names = _name_spans(statement)
        for match in TOKEN_RE.finditer(statement.text):
            word = match.group(0)
            valence = lexicon.get(word.lower())
            if valence is None or abs(valence) < min_valence or word.lower() in neutral:
                continue
            if _in_name(statement.text, match.start(), match.end(), names):
                continue  # "Supreme Court", "Justice Department", "Republican Party": a name, not a word choice
            rows.append(LoadedWord(statement.id, statement.outlet, word, valence, match.start(), match.end()))
    return rows


def _name_spans(statement: Statement) -> list[tuple[int, int]]:
    """Where the statement's named entities stand in its text."""
    spans = []
    for text, _ in statement.entities:
        start = statement.text.find(text)
        while start >= 0:
            spans.append((start, start + len(text)))
            start = statement.text.find(text, start + len(text))
    return spans


def _in_name(text: str, start: int, end: int, names: Sequence[tuple[int, int]]) -> bool:
    """Whether the word at start..end is part of a name: inside a named entity, or written with a capital where a
    sentence does not start (not first, not after an end mark or an opening quotation mark)."""
    if any(first <= start and end <= last for first, last in names):
        return True
    before = text[:start].rstrip()
    return text[start].isupper() and bool(before) and before[-1] not in ".!?:;\"“‘'(—–-"


def actor_tones(statements: Sequence[Statement], found: ActorTones) -> ActorTones:
    """The tone of what each statement says of each side's actors, per outlet, added to ``found``.

    Each actor a statement names (a PERSON, ORG, GPE or NORP entity) is scored by ``tone_toward`` on
    its own clause, so "France warned Russia not to harm Ukraine's territorial integrity" is negative
    toward Russia, not positive toward everyone it names; a side named twice in one statement counts
    once, with the mean of its mentions.
    """
    by_article: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_article[statement.article_id].append(statement)
    for members in by_article.values():
        roles = article_roles(members)
        for statement in members:
            for side, values in _side_tones(statement, roles).items():
                found.setdefault((statement.outlet, side), []).append(round(float(np.mean(values)), 4))
    return found


def _side_tones(statement: Statement, roles: dict[str, str]) -> dict[str, list[float]]:
    tones: dict[str, list[float]] = defaultdict(list)
    for text, label in dict.fromkeys(statement.entities):
        start = statement.text.find(text)
        if label not in _ACTOR_LABELS or start < 0:
            continue
        side = side_of(text, roles, statement.outlet)
        if side not in _NOT_ACTORS and side not in cues.generic_sides():
            tones[side].append(tone_toward(statement.text, start, start + len(text)))
    return tones


def actor_tone_rows(found: ActorTones) -> list[ActorTone]:
    """The rows of ``tone_toward_actors``: mean tone per outlet and side, marked sparse under ``MIN_STATEMENTS``,
    with how many of the statements have a tone at all (a mean of 0 from no tone words is no measured balance)."""
    rows = []
    for (outlet, side), values in sorted(found.items()):
        measured = np.asarray(values, dtype=np.float64)  # as np.mean reads the list; counted without a Python pass
        rows.append(
            ActorTone(
                outlet,
                side,
                round(float(np.mean(measured)), 4),
                len(values),
                len(values) < MIN_STATEMENTS,
                int(np.count_nonzero(np.abs(measured) >= NEUTRAL_BAND)),
            )
        )
    return rows


def _tones(statements: Sequence[Statement]) -> dict[str, float]:
    return {statement.id: round(tone(statement.text), 4) for statement in statements}


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``tone``, ``tone_toward_actors`` and ``loaded_words``; keeps the tones toward actors."""
    tones = _tones(context.statements)
    state.actor_tones = actor_tones(context.statements, {})
    return replace(
        framing,
        tone=[StatementTone(sid, value) for sid, value in tones.items()],
        tone_toward_actors=actor_tone_rows(state.actor_tones),
        loaded_words=loaded_words(context.statements),
    )


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The added statements' tones and loaded words appended; their tones toward actors counted in."""
    tones = _tones(change.added)
    actor_tones(change.added, state.actor_tones)
    return replace(
        framing,
        tone=change.old.tone + [StatementTone(sid, value) for sid, value in tones.items()],
        tone_toward_actors=actor_tone_rows(state.actor_tones),
        loaded_words=change.old.loaded_words + loaded_words(change.added),
    )
