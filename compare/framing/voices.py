"""Voices: who each outlet quotes or cites, and the share each side gets, corpus-wide and per story."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from compare.framing.context import FramingChange, FramingContext
from compare.framing.sides import article_roles, side_of
from compare.framing.state import FramingIndex
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
    totals = Counter(row.outlet for row in voice_rows)
    counts = Counter((row.outlet, row.side) for row in voice_rows)
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
    """The added statements' voices appended; the shares counted again."""
    return _tables(framing, change.old.voices + voices(change.added), change.current.stories)
