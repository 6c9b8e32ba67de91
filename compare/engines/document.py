"""analysis.json's dict (``Analysis.to_dict``) made from an analysis's rows, without importing the stages: the
dashboard reads saved analyses through it, and importing the stages (clustering, framing, segmenting) would
add 0.3-0.7 s to its first draw."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from compare.model.documents import Article, Claim, Problem, Statement, Story
from compare.model.framing import Framing


@dataclass(frozen=True)
class AnalysisDocument:
    """The rows and values analysis.json holds (an ``Analysis`` without its vectors and index)."""

    articles: list[Article]
    statements: list[Statement]
    stories: list[Story]
    claims: list[Claim]
    problems: list[Problem]
    model: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    framing: Framing | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready analysis (articles, statements, stories, claims as ``clusters``, problems, framing keys)."""
        return {
            "version": 1,
            "model": self.model,
            "settings": self.settings,
            "articles": [
                {
                    "id": article.id,
                    "outlet": article.outlet,
                    "title": article.title,
                    "published": article.published,
                    "url": article.url,
                    "source": article.source,
                    "byline": article.byline,
                    "text": article.text,
                    "extra": article.extra,
                }
                for article in self.articles
            ],
            "statements": [
                {
                    "id": statement.id,
                    "article_id": statement.article_id,
                    "outlet": statement.outlet,
                    "index": statement.index,
                    "text": statement.text,
                    "start": statement.start,
                    "end": statement.end,
                    "kind": statement.kind,
                    "speaker": statement.speaker,
                    "entities": [list(entity) for entity in statement.entities],
                }
                for statement in self.statements
            ],
            # vars(), not asdict(): asdict deep-copies every id of every tuple (0.8 s for 3,366 stories)
            "stories": [_json_shaped(vars(story)) for story in self.stories],
            "clusters": [_json_shaped(vars(cluster)) for cluster in self.claims],
            "problems": [asdict(problem) for problem in self.problems],
            **(self.framing.to_dict() if self.framing is not None else {}),
        }


def _json_shaped(record: dict[str, Any]) -> dict[str, Any]:
    """A record's tuples as lists, as analysis.json holds them (whichever way the analysis was read)."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in record.items()}
