"""A story's id, derived from its articles so that a link keeps naming the same event when thresholds change."""

from __future__ import annotations

from collections.abc import Sequence

from compare.model.documents import Article, story_id_of_article


def anchor_key(published: str | None, article_id: str) -> tuple[bool, str, str]:
    """What ``story_anchor`` takes the smallest of: undated last, then the date, then the id."""
    return (published is None, published or "", article_id)


def story_anchor(articles: Sequence[Article]) -> Article:
    """The article a story is named after: its earliest dated one (undated last), the smallest id on a tie.

    A story's membership moves at its edges when a threshold changes (later follow-ups and loosely
    related pieces join or leave); the first report of the event stays, so the id it gives outlives
    most re-clusterings. Hashing every member instead would rename the story whenever one article
    joins or leaves.
    """
    return min(articles, key=lambda article: anchor_key(article.published, article.id))


def story_id(articles: Sequence[Article]) -> str:
    """The stable id of the story made of ``articles``: ``story-`` and a hash of its anchor's id."""
    return story_id_of_article(story_anchor(articles).id)
