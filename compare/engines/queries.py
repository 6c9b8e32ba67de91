"""Reading what one view needs from a saved analysis: one story's rows, or a search, by query (the
dashboard's Overview and story list: ``compare.engines.browse``).

Each loader returns a dict in analysis.json's shape (``Analysis.to_dict``), holding only the rows the
view draws, so that the pages that take an analysis.json dict draw it unchanged. Framing tables are
filtered by the ids their rows carry (a story, claims, statements, articles), found from the row
types' fields: a new framing table is filtered the same way without a change here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from pathlib import Path
from typing import Any

from compare.engines.document import AnalysisDocument
from compare.engines.keys import among, store_indexes
from compare.io.columns import columns_of, rows_of
from compare.io.tables import AnalysisStore, reading
from compare.model.documents import Article, Claim, Statement, Story
from compare.model.framing import Framing
from compare.model.names import by_name
from compare.model.text import normalise_text


def load_story(folder: str | Path, story_id: str) -> dict[str, Any] | None:
    """One story's analysis: the story, its articles and their statements, its claims, and the framing
    rows about them (outlet-wide framing tables left empty); None when there is no such story.

    Raises:
        InputError: when the folder holds no store.
    """
    with reading(folder) as store:
        return story_of(store, story_id)


def story_of(
    store: AnalysisStore,
    story_id: str,
    tables: Collection[str] | None = None,
    indexes: Collection[str] | None = None,
) -> dict[str, Any] | None:
    """``load_story`` on an open store; ``tables``: only these framing tables are read (the others left empty);
    ``indexes``: the store's index names, when the caller has them (``keys.store_indexes``)."""
    stories = store.read_table("stories", Story, "id = ?", [story_id])
    if not stories:
        return None
    indexes = store_indexes(store) if indexes is None else indexes
    values = store.get("analysis")
    articles = store.read_table("articles", Article, among("articles", "id", indexes), [list(stories[0].article_ids)])
    statements = store.read_table(
        "statements", Statement, among("statements", "article_id", indexes), [[a.id for a in articles]]
    )
    claims = store.read_table("claims", Claim, "list_contains(story_ids, ?)", [story_id])
    keys = {
        "story_id": [story_id],
        "cluster_id": [claim.id for claim in claims],
        "statement_id": [statement.id for statement in statements],
        "article_id": [article.id for article in articles],
    }
    analysis = AnalysisDocument(
        articles=articles,
        statements=statements,
        stories=stories,
        claims=claims,
        problems=[],
        model=values["model"],
        settings=values["settings"],
        framing=_framing(store, values, keys, tables, indexes),
    )
    return analysis.to_dict()


def search_stories(folder: str | Path, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Stories whose articles' titles (or, failing that, texts) contain ``text`` (any case, without the invisible
    characters ingest strips), most articles first: (id, outlets, articles, title, matched).

    ``title`` is the story's headline, the one the dashboard names it by (its earliest article's); ``matched``
    is a headline that holds ``text`` when the story's own does not, else None.
    """
    text = normalise_text(text)
    with reading(folder) as store:
        pattern = f"%{_literal(text)}%"
        found = store.connection.execute(_SEARCH, [pattern] * 3 + [limit, pattern]).fetchall()
    return [
        {
            "id": id_,
            "outlets": by_name(outlets),  # as the dashboard lists them
            "articles": count,
            "title": headline or "(no headline)",
            "matched": matched,
        }
        for id_, outlets, count, headline, matched in found
    ]


# The stories found, then each one's headline as compare.views.story.story_headline names it (and
# compare.engines.summaries stores it): the earliest dated article's title, undated ones last, then story order.
_SEARCH = """
WITH hits AS (
        SELECT id, title, outlet, (title ILIKE ? ESCAPE '\\') AS in_title FROM articles
        WHERE title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\'
    ),
    found AS (
        SELECT s.id, s.outlets, s.article_ids, s._pos, bool_or(h.in_title) AS in_title,
            first(h.title ORDER BY h.in_title DESC, h.title) AS matched
        FROM stories s JOIN hits h ON list_contains(s.article_ids, h.id)
        GROUP BY s.id, s.outlets, s.article_ids, s._pos
        ORDER BY in_title DESC, len(s.article_ids) DESC, s._pos
        LIMIT ?
    ),
    members AS (
        SELECT id AS story, unnest(article_ids) AS article, unnest(range(1, len(article_ids) + 1)) AS place
        FROM found
    )
SELECT id, outlets, articles, headline, CASE WHEN in_title AND NOT headline ILIKE ? ESCAPE '\\' THEN matched END
FROM (
    SELECT f.id, f.outlets, len(f.article_ids) AS articles, f._pos, f.matched, f.in_title,
        arg_min(a.title, (a.published IS NULL OR a.published = '', coalesce(a.published, ''), m.place)) AS headline
    FROM found f JOIN members m ON m.story = f.id JOIN articles a ON a.id = m.article
    GROUP BY f.id, f.outlets, f.article_ids, f._pos, f.matched, f.in_title
)
ORDER BY in_title DESC, articles DESC, _pos
"""


def _literal(text: str) -> str:
    """``text`` matched as it is by ILIKE: its ``%`` and ``_`` are not wildcards ("50%", "G_7")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def articles_without_text(store: AnalysisStore, where: str) -> list[Article]:
    listed = ", ".join(f'"{column}"' if column != "text" else "'' AS text" for column, _ in columns_of(Article))
    condition = f"WHERE {where}" if where else ""
    return rows_of(
        Article, store.connection.sql(f"SELECT {listed} FROM articles {condition} ORDER BY _pos").to_arrow_table()
    )


def _framing(
    store: AnalysisStore,
    values: dict[str, Any],
    keys: dict[str, list[str]],
    tables: Collection[str] | None,
    indexes: Collection[str],
) -> Framing | None:
    """The framing tables of one story's view: the rows carrying one of its ids (``keys``: the ids by
    field name); outlet-wide tables are left empty."""
    if values["framing"] is None:
        return None
    found: dict[str, Any] = dict(values["framing"])
    for item in fields(Framing):
        if "row" not in item.metadata or (tables is not None and item.name not in tables):
            continue
        row_type = item.metadata["row"]
        columns = {column for column, _ in columns_of(row_type)}
        key = next((key for key in ("story_id", "cluster_id", "statement_id", "article_id") if key in columns), None)
        if key is not None:  # outlet-wide tables (entities, shares, swaps) are no part of one story's view
            found[item.name] = store.read_table(item.name, row_type, among(item.name, key, indexes), [keys[key]])
    return Framing(**found)
