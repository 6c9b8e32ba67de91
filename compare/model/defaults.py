"""The clustering defaults, in the one place both the stages and the views (links without thresholds) read them.

Chosen on BASIL; EVALUATION.md has the sweep and the command that reproduces it.
"""

from __future__ import annotations

CLAIM_THRESHOLD = 0.65
CLAIM_ANCHOR_WEIGHT = 0.3
STORY_THRESHOLD = 0.35
STORY_DATE_WINDOW_DAYS = 3
CONFLICT_PENALTY = 0.1  # per conflicting person, place, number, year or time (stories: leads; claims: statements)

# Entity kinds that name an event's actors and places (the story list's key entities, in memory and in the store).
NAMING_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "LAW", "PRODUCT", "WORK_OF_ART")
