"""The clustering defaults, in the one place the stages, the views (links without thresholds) and the command
line's options (without importing the clustering code) read them.

Chosen on BASIL; EVALUATION.md has the sweep and the command that reproduces it.
"""

from __future__ import annotations

CLAIM_THRESHOLD = 0.65
CLAIM_ANCHOR_WEIGHT = 0.3
STORY_THRESHOLD = 0.35
STORY_DATE_WINDOW_DAYS = 3
CONFLICT_PENALTY = 0.1  # per conflicting person, place, number, year or time (stories: leads; claims: statements)
# The Ray engine's date shards: statements per shard at most, and the days within which shards are compared.
SHARD_ROWS = 200_000
BLOCK_DAYS = 7

# Entity kinds that name an event's actors and places (the story list's key entities, in memory and in the store).
NAMING_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "LAW", "PRODUCT", "WORK_OF_ART")
