"""The domain: articles, statements, stories, claims and input problems."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

StatementKind = Literal["quote", "reported", "narration"]


@dataclass(frozen=True)
class Article:
    """One article after cleaning: page furniture removed, metadata found."""

    id: str
    outlet: str
    text: str
    title: str = ""
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    url: str | None = None
    source: str = ""  # the file (and row) it came from
    byline: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def statement_id(article_id: str, index: int) -> str:
    """The id of an article's statement number ``index`` (0-based): ``"ARTICLE:INDEX"``."""
    return f"{article_id}:{index}"


def story_id_of_article(article_id: str) -> str:
    """The id of the story named after (anchored at) article ``article_id``: ``story-`` and 12 hex digits of its SHA-1.

    Which article names a story is ``compare.cluster.story_ids``' choice; the name is here so that a
    view can find the article behind a linked story id. 48 bits: two of 100,000 stories share an id
    with a chance of about 2 in 100,000.
    """
    return named_after("story", article_id)


def named_after(kind: str, anchor: str) -> str:
    """``KIND-`` and 12 hex digits of the SHA-1 of ``anchor``: how stories and claims are named after a member."""
    return f"{kind}-" + hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:12]


def article_id_of(statement_id: str) -> str:
    """The id of the article a statement id (``statement_id``) belongs to."""
    return statement_id.rsplit(":", 1)[0]


def empty_vectors(dimension: int) -> np.ndarray:
    """No embeddings, in the one shape every empty embedding array has: (0, dimension), float32."""
    return np.zeros((0, dimension), dtype=np.float32)


@dataclass(frozen=True)
class Statement:
    """A sentence (quotes kept whole) of an article, with who says it."""

    id: str
    article_id: str
    outlet: str
    index: int  # position in the article, 0-based
    text: str
    start: int  # character span in Article.text
    end: int
    kind: StatementKind
    speaker: str | None = None
    entities: tuple[tuple[str, str], ...] = ()  # (text, label) pairs named in the statement


@dataclass(frozen=True)
class Story:
    """Articles about the same event."""

    id: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    """Statements, possibly from several outlets, that report the same fact (the ``clusters`` of analysis.json;
    ``id`` is named after a member statement, ``compare.cluster.claim_ids``)."""

    id: str
    statement_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    story_ids: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """An input that was skipped or only partly read, and why."""

    source: str
    message: str
