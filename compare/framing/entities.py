"""Entities: where each outlet names each actor (people, organisations, places): headlines, ledes, later."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter

from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import EntityCounts, FramingIndex
from compare.io.column_rows import column_of
from compare.io.deferred import Dropped, Order
from compare.io.keyed import keys_with
from compare.model.documents import Article, Statement
from compare.model.framing import EntityMentions, Framing

_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})

EntityKey = tuple[str, str, str]  # outlet, entity, label


def entity_counts(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    *,
    counts: EntityCounts | None = None,
    all_articles: Sequence[Article] | None = None,
) -> tuple[EntityCounts, set[EntityKey]]:
    """Mentions per outlet and entity in headlines, ledes and later statements, and the keys counted into.

    With ``counts`` (those of earlier articles) given, the added ``articles`` and their
    ``statements`` are counted into it; a name new to an outlet is then looked for in the
    headlines of ``all_articles`` of that outlet, as a full count would.
    """
    counts = counts if counts is not None else defaultdict(Counter)
    # Only the names of the outlets counted into matter below (an added headline is searched for its outlet's
    # names, an older one for names new to its outlet): of counts read from a saved analysis, those are read.
    outlets = {statement.outlet for statement in statements} | {article.outlet for article in articles}
    known = set(keys_with(counts, 0, "outlet", outlets))
    changed: set[EntityKey] = set()
    for statement in statements:
        where = "lede" if statement.index < 2 else "later"
        for text, label in statement.entities:
            if label in _ACTOR_LABELS:
                key = (statement.outlet, text, label)
                counts.setdefault(key, Counter())[where] += 1
                changed.add(key)
    names: dict[str, list[EntityKey]] = defaultdict(list)
    new_names: dict[str, list[EntityKey]] = defaultdict(list)
    for key in keys_with(counts, 0, "outlet", outlets):
        names[key[0]].append(key)
        if key not in known:
            new_names[key[0]].append(key)
    added_ids = {article.id for article in articles}
    searched = all_articles if all_articles is not None else articles
    for article_id, outlet, title in zip(*(column_of(searched, name) for name in ("id", "outlet", "title"))):
        # An added headline is searched for every name; an older one only for names new to its outlet.
        for key in (names if article_id in added_ids else new_names).get(outlet, ()):
            if key[1] in title:
                counts[key]["headline"] += 1
                changed.add(key)
    return counts, changed


def entity_row(key: EntityKey, found: Counter[str]) -> EntityMentions:
    """One row of ``entities``."""
    outlet, entity, label = key
    lede, later = found["lede"], found["later"]
    return EntityMentions(outlet, entity, label, found["headline"], lede, later, lede + later)


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``entities``, by outlet, entity and label; keeps the counts."""
    state.entities, _ = entity_counts(context.articles, context.statements)
    return replace(framing, entities=[entity_row(key, found) for key, found in sorted(state.entities.items())])


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The added articles counted in; the rows of the names they change made again from the counts (those of
    every outlet and label of such a name: one SQL condition drops them), in key order as ``compute`` has them."""
    _, changed = entity_counts(
        change.added_articles, change.added, counts=state.entities, all_articles=change.current.articles
    )
    names = {entity for _, entity, _ in changed}
    fresh = [entity_row(key, state.entities[key]) for key in sorted(keys_with(state.entities, 1, "entity", names))]
    by_key = Order(None, ("outlet", "entity", "label"), attrgetter("outlet", "entity", "label"))
    return replace(
        framing, entities=change.carried(change.old.entities, [Dropped("entity", frozenset(names))], fresh, by_key)
    )
