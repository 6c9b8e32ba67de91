"""The story list's rows kept in the store (``story_summaries``): each story's headline, key entities, dates,
outlets and article count, made by the writer once, so that the dashboard's Overview reads 3,366 rows instead
of ranking half a million entities at its first draw.

A full write makes every row; adding articles makes again only the rows of the stories the addition touched
(a story whose articles changed, or an article or a statement of it), deletes those of stories that are gone
and moves the others to their story's place. A reader takes the rows when every story has one at its place
with its articles (a store written before this table, or changed since by an older version, has not): else
it ranks the entities itself (``summary_aggregate``), as before, and says so in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from compare.io.column_rows import extends
from compare.io.tables import AnalysisStore
from compare.model.defaults import NAMING_LABELS

if TYPE_CHECKING:  # the stages are no import of the dashboard's (compare.engines.document)
    from compare.engines.analysis import Analysis

SUMMARY_TABLE = "story_summaries"
logger = logging.getLogger(__name__)


# A story's key entities as compare.views.story.story_entities names them: named kinds, "the " and a
# possessive dropped, by outlets then mentions then name; spelled as first met (articles in story order,
# statements in article order, entities in statement order). Then its headline (the earliest article's) and
# dates. ``{scope}`` keeps some stories (the statements of their articles only are read).
_AGGREGATE = f"""
WITH members AS (
        SELECT id AS story, unnest(article_ids) AS article, unnest(range(1, len(article_ids) + 1)) AS place
        FROM stories {{scope}}
    ),
    pairs AS (
        SELECT article_id, outlet, statement_pos, entity_pos, trim(pair[1]) AS bare FROM (
            SELECT article_id, outlet, _pos AS statement_pos, unnest(pairs) AS pair,
                unnest(range(1, len(pairs) + 1)) AS entity_pos
            FROM (
                SELECT article_id, outlet, _pos, from_json(entities, '[["VARCHAR"]]') AS pairs FROM statements
                WHERE article_id IN (SELECT article FROM members)
            )
        )
        WHERE pair[2] IN {NAMING_LABELS}
    ),
    named AS (
        SELECT m.story, p.outlet, m.place, p.statement_pos, p.entity_pos,
            regexp_replace(CASE WHEN starts_with(bare, 'The ') THEN bare[5:] ELSE bare END, '(''s|’s|''|’)$', '')
                AS name
        FROM (SELECT * REPLACE (CASE WHEN starts_with(bare, 'the ') THEN bare[5:] ELSE bare END AS bare) FROM pairs) p
            JOIN members m ON m.article = p.article_id
    ),
    ranked AS (
        SELECT story, lower(name) AS key, count(*) AS mentions, count(DISTINCT outlet) AS outlets,
            arg_min(name, (place, statement_pos, entity_pos)) AS spelled
        FROM named WHERE length(name) >= 3
        GROUP BY story, key
    ),
    entities AS (
        SELECT story, list(spelled ORDER BY outlets DESC, mentions DESC, key) AS names
        FROM (
            SELECT *, row_number() OVER (PARTITION BY story ORDER BY outlets DESC, mentions DESC, key) AS rank
            FROM ranked
        )
        WHERE rank <= 5
        GROUP BY story
    ),
    dated AS (
        SELECT m.story, count(*) AS articles,
            arg_min(a.title, (a.published IS NULL OR a.published = '', coalesce(a.published, ''), m.place))
                AS headline,
            min(nullif(a.published, '')) AS first, max(nullif(a.published, '')) AS last
        FROM members m JOIN articles a ON a.id = m.article
        GROUP BY m.story
    )
SELECT s._pos, s.id, s.article_ids, s.outlets, d.headline, coalesce(e.names, []::VARCHAR[]) AS entities,
    d.first, d.last, coalesce(d.articles, 0) AS articles
FROM stories s LEFT JOIN dated d ON d.story = s.id LEFT JOIN entities e ON e.story = s.id
{{scope}}
ORDER BY s._pos
"""
_ALL, _SOME = "", "WHERE list_contains($stories::VARCHAR[], id)"

# Every story has its row, at its place, with its articles; and no row is left of a story that is gone.
_CURRENT = f"""
SELECT count(*) FROM stories s FULL JOIN {SUMMARY_TABLE} u
    ON u.id = s.id AND u._pos = s._pos AND u.article_ids = s.article_ids
WHERE s.id IS NULL OR u.id IS NULL
"""
_COLUMNS = "id, headline, entities, first, last, outlets, articles"


def write_story_summaries(store: AnalysisStore, stories: Collection[str] | None = None) -> int:
    """Makes the summary rows of ``stories`` (ids; None: of every story) from the store's tables, which hold
    the analysis already; drops the rows of stories that are gone and moves the others to their story's place.

    Returns:
        The number of rows made.
    """
    connection = store.connection
    if stories is None or not store.has_table(SUMMARY_TABLE):
        store._schema = None
        connection.execute(f"DROP TABLE IF EXISTS {SUMMARY_TABLE}")
        connection.execute(f"CREATE TABLE {SUMMARY_TABLE} AS {_AGGREGATE.format(scope=_ALL)}")
        found = connection.execute(f"SELECT count(*) FROM {SUMMARY_TABLE}").fetchone()
        return int(found[0]) if found else 0
    wanted = sorted(stories)
    connection.execute(
        f"DELETE FROM {SUMMARY_TABLE} WHERE list_contains($stories::VARCHAR[], id) OR id NOT IN (SELECT id FROM stories)",
        {"stories": wanted},
    )
    connection.execute(
        f"UPDATE {SUMMARY_TABLE} u SET _pos = s._pos FROM stories s WHERE s.id = u.id AND s._pos <> u._pos"
    )
    if wanted:
        connection.execute(f"INSERT INTO {SUMMARY_TABLE} {_AGGREGATE.format(scope=_SOME)}", {"stories": wanted})
    return len(wanted)


def changed_stories(previous: Analysis, analysis: Analysis) -> set[str]:
    """The stories of ``analysis`` whose summary may differ from ``previous``'s: new or changed stories, and
    those holding an article that is new or changed or whose statements are."""
    before = {story.id: story for story in previous.stories}
    changed = {story.id for story in analysis.stories if before.get(story.id) != story}
    articles = _changed_ids(previous.articles, analysis.articles, lambda article: article.id)
    articles |= _changed_ids(previous.statements, analysis.statements, lambda statement: statement.article_id)
    if articles:
        changed |= {story.id for story in analysis.stories if not articles.isdisjoint(story.article_ids)}
    return changed


def _changed_ids(old: Sequence[Any], new: Sequence[Any], key: Any) -> set[str]:
    """The keys of the rows that differ by position (as ``AnalysisStore.update_table`` compares), both sides'."""
    if extends(new, old):  # the stored rows (the same objects), then added ones
        return {key(row) for row in new[len(old) :]}
    changed: set[str] = set()
    for before, after in zip(old, new):
        if before is not after and before != after:
            changed |= {key(before), key(after)}
    changed |= {key(row) for row in old[len(new) :]} | {key(row) for row in new[len(old) :]}
    return changed


def story_summary_rows(store: AnalysisStore) -> list[tuple[Any, ...]]:
    """(id, headline, entities, first, last, outlets, articles) of every story in order: the stored rows when
    they are current, else made here (a store of an older version: slower, logged)."""
    connection = store.connection
    if store.has_table(SUMMARY_TABLE):
        stale = connection.execute(_CURRENT).fetchone()
        if stale and stale[0] == 0:
            return connection.execute(f"SELECT {_COLUMNS} FROM {SUMMARY_TABLE} ORDER BY _pos").fetchall()
    logger.info(
        "%s: no current story summaries (written by an older Parallax): the story list is made from every"
        " statement's entities; the next `analyze --out` into this folder stores them",
        store.path,
    )
    return connection.execute(f"SELECT {_COLUMNS} FROM ({_AGGREGATE.format(scope=_ALL)}) ORDER BY _pos").fetchall()
