"""Voices: who each outlet quotes or cites, and the share each side gets, corpus-wide and per story."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter

from compare.framing.context import FramingChange, FramingContext
from compare.framing.sides import article_roles, side_of
from compare.framing.state import FramingIndex
from compare.io.column_rows import column_of
from compare.io.deferred import Dropped, Order, rows_with
from compare.model.documents import Statement, Story, article_id_of
from compare.model.framing import Framing, StoryVoiceShare, Voice, VoiceShare

__all__ = ["side_of", "voices", "voice_share", "voice_share_by_story", "compute", "extend"]


def voices(statements: Sequence[Statement]) -> list[Voice]:
    """Who is quoted or cited: one row per attributed statement, with the side it speaks for.

    A party an article states for a person ("Sen. John Kerry, D-Mass.") holds for that article only,
    so a statement's side depends on its own article and added articles leave earlier rows as they are.
    """
    by_article: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_article[statement.article_id].append(statement)
    parties = {article_id: article_roles(members) for article_id, members in by_article.items()}
    return [
        Voice(
            statement.id,
            statement.outlet,
            statement.speaker,
            side_of(statement.speaker, parties[statement.article_id], statement.outlet),
            statement.kind,
        )
        for statement in statements
        if statement.speaker and statement.kind in {"quote", "reported"}
    ]


def voice_share(voice_rows: Sequence[Voice]) -> list[VoiceShare]:
    """Per outlet, the share of its attributed statements that each side has."""
    return _shares(Counter((row.outlet, row.side) for row in voice_rows))


def _shares(counts: Counter[tuple[str, str]]) -> list[VoiceShare]:
    """``voice_share`` of the attributed statements per (outlet, side)."""
    totals: Counter[str] = Counter()
    for (outlet, _), count in counts.items():
        totals[outlet] += count
    return [VoiceShare(outlet, side, count, count / totals[outlet]) for (outlet, side), count in sorted(counts.items())]


def voice_share_by_story(voice_rows: Sequence[Voice], stories: Sequence[Story]) -> list[StoryVoiceShare]:
    """Per story and outlet, the share of attributed statements that each side has."""
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    grouped: dict[str, list[Voice]] = defaultdict(list)
    for row in voice_rows:
        grouped[story_of.get(article_id_of(row.statement_id), "")].append(row)
    return [
        StoryVoiceShare(story_id, share.outlet, share.side, share.count, share.share)
        for story_id, members in sorted(grouped.items())
        for share in voice_share(members)
    ]


def _tables(framing: Framing, voice_rows: list[Voice], stories: Sequence[Story]) -> Framing:
    return replace(
        framing,
        voices=voice_rows,
        voice_share=voice_share(voice_rows),
        voice_share_by_story=voice_share_by_story(voice_rows, stories),
    )


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``voices``, ``voice_share`` and ``voice_share_by_story``."""
    return _tables(framing, voices(context.statements), context.stories)


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The added statements' voices appended (a statement's voice depends on its article only); the shares
    counted from the earlier counts and the added voices; those of a story made again for the changed stories,
    from their statements (and those of statements in no story), the others carried over."""
    added = voices(change.added)
    counts = Counter({(row.outlet, row.side): row.count for row in change.old.voice_share})
    counts.update((row.outlet, row.side) for row in added)
    current = change.current
    changed = [story for story in current.stories if story.id in change.changed_stories]
    articles = {article_id for story in changed for article_id in story.article_ids}
    in_story = {article_id for story in current.stories for article_id in story.article_ids}
    previous = change.previous.statements
    redone = {
        statement_id
        for statement_id, article_id in zip(column_of(previous, "id"), column_of(previous, "article_id"))
        if article_id in articles or article_id not in in_story
    }
    earlier = rows_with(change.old.voices, "statement_id", redone)  # stored: asked of the store
    fresh = voice_share_by_story(earlier + added, changed)  # those in no story under ""
    by_story = Order(None, "story_id", attrgetter("story_id"))  # as voice_share_by_story sorts them
    return replace(
        framing,
        voices=change.old.voices + added,
        voice_share=_shares(counts),
        voice_share_by_story=change.carried(
            change.old.voice_share_by_story, [Dropped("story_id", change.dropped_stories | {""})], fresh, by_story
        ),
    )
