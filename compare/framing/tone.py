"""Tone: each statement's (VADER), each outlet's toward each side's actors, and the loaded words it uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np

from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import ActorTones, FramingIndex
from compare.framing.text import TOKEN_RE
from compare.framing.voices import side_of
from compare.model.documents import Statement
from compare.model.framing import ActorTone, Framing, LoadedWord, StatementTone

LOADED_VALENCE = 1.5  # |VADER valence| from which a word counts as loaded (the lexicon spans -4 to 4)
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NOT_ACTORS = frozenset({"other", "unattributed", "unnamed sources", "experts"})


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
    rows = []
    for statement in statements:
        for match in TOKEN_RE.finditer(statement.text):
            valence = lexicon.get(match.group(0).lower())
            if valence is not None and abs(valence) >= min_valence:
                rows.append(
                    LoadedWord(statement.id, statement.outlet, match.group(0), valence, match.start(), match.end())
                )
    return rows


def actor_tones(statements: Sequence[Statement], tones: dict[str, float], found: ActorTones) -> ActorTones:
    """The tones of the statements naming each side's actors, per outlet, added to ``found``."""
    for statement in statements:
        sides = {side_of(text) for text, label in statement.entities if label in _ACTOR_LABELS}
        for side in sides - _NOT_ACTORS:
            found.setdefault((statement.outlet, side), []).append(tones[statement.id])
    return found


def actor_tone_rows(found: ActorTones) -> list[ActorTone]:
    """The rows of ``tone_toward_actors``: mean tone per outlet and side."""
    return [
        ActorTone(outlet, side, round(float(np.mean(values)), 4), len(values))
        for (outlet, side), values in sorted(found.items())
    ]


def _tones(statements: Sequence[Statement]) -> dict[str, float]:
    return {statement.id: round(tone(statement.text), 4) for statement in statements}


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``tone``, ``tone_toward_actors`` and ``loaded_words``; keeps the tones toward actors."""
    tones = _tones(context.statements)
    state.actor_tones = actor_tones(context.statements, tones, {})
    return replace(
        framing,
        tone=[StatementTone(sid, value) for sid, value in tones.items()],
        tone_toward_actors=actor_tone_rows(state.actor_tones),
        loaded_words=loaded_words(context.statements),
    )


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The added statements' tones and loaded words appended; their tones toward actors counted in."""
    tones = _tones(change.added)
    actor_tones(change.added, tones, state.actor_tones)
    return replace(
        framing,
        tone=change.old.tone + [StatementTone(sid, value) for sid, value in tones.items()],
        tone_toward_actors=actor_tone_rows(state.actor_tones),
        loaded_words=change.old.loaded_words + loaded_words(change.added),
    )
