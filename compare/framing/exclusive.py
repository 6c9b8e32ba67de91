"""Exclusive statements: what one outlet of a story reports that no other outlet of the story does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from compare.framing.context import FramingChange, FramingContext, attrgetter_rank
from compare.framing.state import FramingIndex
from compare.io.column_rows import column_of
from compare.io.deferred import Dropped, Order
from compare.model.documents import Claim, Statement, Story
from compare.model.framing import ExclusiveStatement, Framing


def exclusive_statements(
    stories: Sequence[Story], clusters: Sequence[Claim], statements: Sequence[Statement]
) -> list[ExclusiveStatement]:
    """Statements of a multi-outlet story whose claim no other outlet of the story states."""
    story_of = {article_id: story for story in stories for article_id in story.article_ids}
    by_id = {statement.id: statement for statement in statements}
    # (story, outlet) pairs that state each claim, shared by all statements of the claim.
    reporters_of: dict[str, set[tuple[str, str]]] = {}
    for cluster in clusters:
        reporters = {
            (story_of[by_id[sid].article_id].id, by_id[sid].outlet)
            for sid in cluster.statement_ids
            if by_id[sid].article_id in story_of
        }
        for sid in cluster.statement_ids:
            reporters_of[sid] = reporters
    rows = []
    for statement in statements:
        story = story_of.get(statement.article_id)
        if story is None or len(story.outlets) < 2:
            continue
        outlets = {outlet for story_id, outlet in reporters_of.get(statement.id, set()) if story_id == story.id}
        if not outlets - {statement.outlet}:
            rows.append(ExclusiveStatement(statement.id, statement.outlet, story.id))
    return rows


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``exclusive_statements``."""
    return replace(
        framing, exclusive_statements=exclusive_statements(context.stories, context.claims, context.statements)
    )


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The rows of changed stories made again (over the claims their statements are in); the others carried over."""
    current = change.current
    changed = [story for story in current.stories if story.id in change.changed_stories]
    articles = {article_id for story in changed for article_id in story.article_ids}
    ids = column_of(current.statements, "id")
    named = {
        ids[row] for row, article_id in enumerate(column_of(current.statements, "article_id")) if article_id in articles
    }
    touching = [c for c in current.claims if not named.isdisjoint(c.statement_ids)]
    fresh = exclusive_statements(changed, touching, _statements_of(change, touching, articles))
    rows = change.carried(
        change.old.exclusive_statements,
        [Dropped("story_id", change.dropped_stories)],
        fresh,
        Order("statements", "statement_id", attrgetter_rank(change.row_of, "statement_id")),
    )
    return replace(framing, exclusive_statements=rows)


def _statements_of(change: FramingChange, clusters: Sequence[Claim], articles: set[str]) -> list[Statement]:
    """The statements of these articles and of these claims, in corpus order."""
    statements = change.current.statements
    rows = {row for row, article_id in enumerate(column_of(statements, "article_id")) if article_id in articles}
    rows.update(change.row_of[sid] for cluster in clusters for sid in cluster.statement_ids)
    return [statements[row] for row in sorted(rows)]
