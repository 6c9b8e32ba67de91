"""Article -> statements (sentences, quotes kept whole, kind, speaker, entities), cached by article text."""

from __future__ import annotations

from compare.segment.forked import can_fork, forked_map, packed_runs
from compare.segment.sentences import MAX_STATEMENT_CHARS, split_sentences
from compare.segment.spacy_load import SPACY_MODEL, load_spacy
from compare.segment.speakers import SAY_LEMMAS, has_direct_quote
from compare.segment.statements import (
    SEGMENTER_VERSION,
    parse_articles,
    segment_articles,
    statements_from_segments,
)

__all__ = [
    "MAX_STATEMENT_CHARS",
    "SAY_LEMMAS",
    "SEGMENTER_VERSION",
    "SPACY_MODEL",
    "can_fork",
    "forked_map",
    "packed_runs",
    "has_direct_quote",
    "load_spacy",
    "parse_articles",
    "segment_articles",
    "split_sentences",
    "statements_from_segments",
]
