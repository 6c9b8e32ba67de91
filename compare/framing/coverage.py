"""Coverage and omissions: which outlet of a story reports which claim, near-verbatim or in its own words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import FramingIndex
from compare.model.documents import Claim, Statement, Story
from compare.model.framing import CoverageCell, Framing, Omission

NEAR_VERBATIM = 0.90  # cosine at or above which two outlets' statements are near-verbatim


def coverage_grid(
    stories: Sequence[Story], clusters: Sequence[Claim], statements: Sequence[Statement], vectors: np.ndarray
) -> list[CoverageCell]:
    """Claims x outlets for every story with two or more outlets.

    A claim belongs to a story when one of the story's articles states it; each outlet of the
    story then reports it near-verbatim (cosine >= 0.90 to another outlet's statement of the
    claim), as a paraphrase, or not at all (an omission).
    """
    row_of = {statement.id: row for row, statement in enumerate(statements)}
    by_id = {statement.id: statement for statement in statements}
    story_by_id = {story.id: story for story in stories}
    cells: list[CoverageCell] = []
    for cluster in clusters:
        for story_id in cluster.story_ids:
            story = story_by_id.get(story_id)
            if story is None or len(story.outlets) < 2:
                continue
            in_story = set(story.article_ids)
            members = [by_id[sid] for sid in cluster.statement_ids if by_id[sid].article_id in in_story]
            cells.extend(_cell(story, cluster, outlet, members, vectors, row_of) for outlet in story.outlets)
    return cells


def _cell(
    story: Story,
    cluster: Claim,
    outlet: str,
    members: list[Statement],
    vectors: np.ndarray,
    row_of: dict[str, int],
) -> CoverageCell:
    own = [member for member in members if member.outlet == outlet]
    others = [member for member in members if member.outlet != outlet]
    if not own:
        return CoverageCell(story.id, cluster.id, outlet, "absent", None, ())
    best = None
    if others:
        best = float(max(vectors[row_of[a.id]] @ vectors[row_of[b.id]] for a in own for b in others))
    status = "near-verbatim" if best is not None and best >= NEAR_VERBATIM else "paraphrase"
    return CoverageCell(story.id, cluster.id, outlet, status, best, tuple(member.id for member in own))


def omissions(cells: Iterable[CoverageCell]) -> list[Omission]:
    """Claims of a story that an outlet of the story does not report, given another outlet does."""
    cells = list(cells)
    reported: Counter[tuple[str, str]] = Counter(
        (cell.story_id, cell.cluster_id) for cell in cells if cell.status != "absent"
    )
    return [
        Omission(cell.outlet, cell.story_id, cell.cluster_id)
        for cell in cells
        if cell.status == "absent" and reported[(cell.story_id, cell.cluster_id)] > 0
    ]


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``coverage`` and ``omissions``."""
    cells = coverage_grid(context.stories, context.claims, context.statements, context.vectors)
    return replace(framing, coverage=cells, omissions=omissions(cells))


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The cells of changed claims and of claims of changed stories made again; the others carried over."""
    current = change.current
    redone = [c for c in current.claims if c.id in change.changed_claims or change.changed_stories & set(c.story_ids)]
    redone_ids = {cluster.id for cluster in redone}
    story_by_id = {story.id: story for story in current.stories}
    stories = [story_by_id[story_id] for story_id in dict.fromkeys(s for c in redone for s in c.story_ids)]
    fresh = coverage_grid(stories, redone, *change.members(redone))
    # An omission is of one (story, claim): those of carried cells are carried, the fresh cells' made again.
    return replace(
        framing,
        coverage=change.claim_rows(change.old.coverage, fresh, redone_ids),
        omissions=change.claim_rows(change.old.omissions, omissions(fresh), redone_ids),
    )
