"""What framing keeps of a corpus so that added articles are framed without going over it again."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

ActorTones = dict[tuple[str, str], list[float]]  # (outlet, side) -> tones of the statements naming it
SwapMatches = dict[str, dict[str, list[tuple[str, str]]]]  # label -> variant -> (statement id, outlet)
Substitutions = dict[tuple[str, str], list[tuple[str, str]]]  # (statement, statement) ids in order -> (first, second)
EntityCounts = dict[tuple[str, str, str], Counter[str]]  # (outlet, entity, label) -> headline/lede/later


@dataclass
class ShingleIndex:
    """The word 5-gram shingles of every article, hashed: (hash, article row) sorted by hash."""

    hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))  # sorted
    owners: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # article row of each hash
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # distinct shingles per article


@dataclass
class FramingIndex:
    """The corpus counts of the signals that need them; each signal fills its own fields and updates them in place.

    Saved next to analysis.json by ``compare.engines.index.save_index``, field by field.
    """

    outlet_terms: dict[str, Counter[str]] = field(default_factory=dict)  # terms: per outlet, its term counts
    prior: Counter[str] = field(default_factory=Counter)  # terms: term counts of the whole corpus
    actor_tones: ActorTones = field(default_factory=dict)  # tone
    swaps: SwapMatches = field(default_factory=dict)  # wording
    substitutions: Substitutions = field(default_factory=dict)  # wording: wordings of one referent per aligned pair
    entities: EntityCounts = field(default_factory=dict)  # entities
    frame_counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # frames: (outlet, frame) -> statements
    shingles: ShingleIndex = field(default_factory=ShingleIndex)  # syndication
