"""Prominence: where each outlet places each claim: headline, lede, body or end."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import FramingIndex
from compare.framing.text import content_words
from compare.io.column_rows import column_of
from compare.model.documents import Article, Claim, Statement
from compare.model.framing import Framing, Placement


def position_of(statement: Statement, article_length: int) -> str:
    """lede (first two statements), end (last fifth), or body."""
    if statement.index < 2:
        return "lede"
    if article_length and statement.index >= article_length * 0.8:
        return "end"
    return "body"


def prominence(
    clusters: Sequence[Claim],
    statements: Sequence[Statement],
    articles: Sequence[Article],
    lengths: Mapping[str, int] | None = None,
) -> list[Placement]:
    """Where each outlet places each claim.

    A claim is in the headline when at least half of the title's content words occur in the
    statement; otherwise the statement's position decides (see ``position_of``). ``lengths``
    (statements per article) is needed when ``statements`` are not all of the articles' statements.
    """
    by_id = {statement.id: statement for statement in statements}
    title_words = {article.id: content_words(article.title) for article in articles}
    length = lengths if lengths is not None else Counter(statement.article_id for statement in statements)
    rows = []
    for cluster in clusters:
        for statement_id in cluster.statement_ids:
            statement = by_id[statement_id]
            title = title_words.get(statement.article_id, set())
            in_headline = bool(title) and len(title & content_words(statement.text)) >= 0.5 * len(title)
            position = "headline" if in_headline else position_of(statement, length[statement.article_id])
            rows.append(Placement(cluster.id, statement.outlet, statement.article_id, statement_id, position))
    return rows


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``prominence``."""
    return replace(framing, prominence=prominence(context.claims, context.statements, context.articles))


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The placements of changed claims made again; the others carried over."""
    current = change.current
    redone = change.changed_clusters
    statements = change.members(redone)[0]
    involved = {statement.article_id for statement in statements}
    articles = [
        current.articles[row]
        for row, article_id in enumerate(column_of(current.articles, "id"))
        if article_id in involved
    ]
    lengths = Counter(column_of(current.statements, "article_id"))
    fresh = prominence(redone, statements, articles, lengths)
    return replace(framing, prominence=change.claim_rows(change.old.prominence, fresh, change.changed_claims))
