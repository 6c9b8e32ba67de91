"""The domain: articles, statements, stories, claim clusters and input problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
class Cluster:
    """Statements, possibly from several outlets, that report the same fact."""

    id: str
    statement_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    story_ids: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """An input that was skipped or only partly read, and why."""

    source: str
    message: str
