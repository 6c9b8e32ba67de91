"""Frames: each statement's frame of the Media Frames Corpus (Boydstun et al. 2014), and each outlet's share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from compare.framing import cues
from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import FramingIndex
from compare.framing.text import TOKEN_RE
from compare.model.documents import Statement
from compare.model.framing import FrameShare, Framing, StatementFrame

if TYPE_CHECKING:
    from compare.embed import Embedder

FRAME_FLOOR = 0.15  # below this cosine to every description a statement is "other"

_prototypes_by_model: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}


def _frame_prototypes(embedder: Embedder) -> tuple[tuple[str, ...], np.ndarray]:
    """The mean embedding of each frame's description and examples (``frame_descriptions.csv``), once per model."""
    if embedder.name not in _prototypes_by_model:
        names, rows = [], []
        for name, texts in cues.frame_descriptions():
            vector = embedder.embed(list(texts)).mean(axis=0)
            names.append(name)
            rows.append(vector / np.linalg.norm(vector))
        _prototypes_by_model[embedder.name] = (tuple(names), np.vstack(rows))
    return _prototypes_by_model[embedder.name]


def frames_by_prototype(vectors: np.ndarray, embedder: Embedder) -> list[str]:
    """The closest frame description for each statement embedding (same model), "other" below the floor."""
    if len(vectors) == 0:
        return []
    names, prototypes = _frame_prototypes(embedder)
    scores = vectors @ prototypes.T
    best = scores.argmax(axis=1)
    return [names[index] if scores[row, index] >= FRAME_FLOOR else "other" for row, index in enumerate(best)]


def frame_of(text: str) -> str:
    """The frame whose cue words (``frame_cues.csv``) occur most in the text; "other" when none does."""
    words = Counter(word.lower() for word in TOKEN_RE.findall(text))
    scores = {frame: sum(words[cue] for cue in frame_cues) for frame, frame_cues in cues.frame_cues()}
    best = max(scores.items(), key=lambda item: item[1])
    return best[0] if best[1] > 0 else "other"


def frames_of(statements: Sequence[Statement], vectors: np.ndarray, embedder: Embedder | None) -> dict[str, str]:
    """Each statement's frame: by frame descriptions with an embedder, else by cue words."""
    if embedder is not None:
        return dict(zip((statement.id for statement in statements), frames_by_prototype(vectors, embedder)))
    return {statement.id: frame_of(statement.text) for statement in statements}


def frame_share(counts: Counter[tuple[str, str]]) -> list[FrameShare]:
    """Per outlet, the share of its statements that take each frame, from counts per (outlet, frame)."""
    totals: Counter[str] = Counter()
    for (outlet, _), count in counts.items():
        totals[outlet] += count
    return [
        FrameShare(outlet, frame, count, round(count / totals[outlet], 4))
        for (outlet, frame), count in sorted(counts.items())
    ]


def _counted(statements: Sequence[Statement], frames: dict[str, str], state: FramingIndex) -> list[StatementFrame]:
    """The rows of the statements' frames, counted into ``state`` per outlet and frame."""
    state.frame_counts.update((statement.outlet, frames[statement.id]) for statement in statements)
    return [StatementFrame(sid, frame) for sid, frame in frames.items()]


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``frames`` and ``frame_share``; keeps the statements per outlet and frame."""
    frames = frames_of(context.statements, context.vectors, context.embedder)
    state.frame_counts = Counter()
    rows = _counted(context.statements, frames, state)
    return replace(framing, frames=rows, frame_share=frame_share(state.frame_counts))


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The added statements' frames appended and counted in."""
    added = change.added
    frames = frames_of(added, change.current.vectors[len(change.previous.statements) :], change.current.embedder)
    rows = change.old.frames + _counted(added, frames, state)
    return replace(framing, frames=rows, frame_share=frame_share(state.frame_counts))
