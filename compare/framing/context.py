"""The one interface of the framing signals: what they read (a corpus, or a corpus grown by added articles)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

from compare.framing.state import FramingIndex
from compare.io.column_rows import column_of
from compare.io.deferred import Dropped, Order, replaced_rows
from compare.model.documents import Article, Claim, Statement, Story
from compare.model.framing import CoverageCell, Framing, Omission, Placement, QuoteEdit, Row

if TYPE_CHECKING:
    from compare.embed import Embedder

RowT = TypeVar("RowT", bound=Row)
ClaimRowT = TypeVar("ClaimRowT", CoverageCell, Omission, QuoteEdit, Placement)  # the rows of one claim


@dataclass(frozen=True)
class FramingContext:
    """What framing reads of an analysis: its documents, stories, claims and statement embeddings.

    ``embedder`` is the model that embedded the statements; frames then come from frame
    descriptions, otherwise from cue words.
    """

    articles: Sequence[Article]
    statements: Sequence[Statement]
    stories: Sequence[Story]
    claims: Sequence[Claim]
    vectors: np.ndarray = field(repr=False)
    embedder: Embedder | None = field(default=None, repr=False)


class Signal(Protocol):
    """A framing signal: a module with these two functions, listed in ``compare.framing.SIGNALS``.

    Each sets its own tables of ``framing`` (returning a copy) and its own fields of ``state``
    (in place); ``extend`` gives what ``compute`` gives on the grown corpus, up to the
    approximations its module names.
    """

    def compute(self, context: FramingContext, framing: Framing, state: FramingIndex) -> Framing: ...

    def extend(self, change: FramingChange, framing: Framing, state: FramingIndex) -> Framing: ...


@dataclass(frozen=True)
class FramingChange:
    """A corpus grown by added articles (``current``: the earlier ones first), seen by framing.

    A claim or story with the same members as before is kept, perhaps under another id; its
    figures are carried over. The figures of changed claims and stories are computed again.
    """

    previous: FramingContext
    current: FramingContext
    old: Framing  # the framing of ``previous``
    claim_ids: dict[str, str]  # earlier id -> id now, of the kept claims
    story_ids: dict[str, str]  # earlier id -> id now, of the kept stories
    changed_claims: frozenset[str]  # ids now of the claims that are not kept
    changed_stories: frozenset[str]  # ids now of the stories not kept or holding a statement of a changed claim

    @classmethod
    def between(cls, previous: FramingContext, current: FramingContext, old: Framing) -> FramingChange:
        """What changed from ``previous`` (framed as ``old``) to ``current``."""
        earlier_claim = {cluster.statement_ids: cluster.id for cluster in previous.claims}
        earlier_story = {story.article_ids: story.id for story in previous.stories}
        claim_ids = {earlier_claim[c.statement_ids]: c.id for c in current.claims if c.statement_ids in earlier_claim}
        story_ids = {earlier_story[s.article_ids]: s.id for s in current.stories if s.article_ids in earlier_story}
        kept_claims, kept_stories = set(claim_ids.values()), set(story_ids.values())
        moved = {sid for c in current.claims if c.id not in kept_claims for sid in c.statement_ids}
        moved.update(sid for c in previous.claims if c.id not in claim_ids for sid in c.statement_ids)
        story_of = {article_id: story.id for story in current.stories for article_id in story.article_ids}
        article_of = dict(zip(column_of(current.statements, "id"), column_of(current.statements, "article_id")))
        changed_stories = {story.id for story in current.stories if story.id not in kept_stories}
        changed_stories.update(story_of[article_of[sid]] for sid in moved)
        return cls(
            previous=previous,
            current=current,
            old=old,
            claim_ids=claim_ids,
            story_ids=story_ids,
            changed_claims=frozenset(c.id for c in current.claims if c.id not in kept_claims),
            changed_stories=frozenset(changed_stories),
        )

    @property
    def added(self) -> Sequence[Statement]:
        """The statements of the added articles."""
        return self.current.statements[len(self.previous.statements) :]

    @property
    def added_articles(self) -> Sequence[Article]:
        """The added articles."""
        return self.current.articles[len(self.previous.articles) :]

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Statement id -> its row in ``current``."""
        return {statement_id: row for row, statement_id in enumerate(column_of(self.current.statements, "id"))}

    @cached_property
    def claim_of(self) -> dict[str, str]:
        """Statement id -> the id of its claim now."""
        return {sid: cluster.id for cluster in self.current.claims for sid in cluster.statement_ids}

    @cached_property
    def changed_clusters(self) -> list[Claim]:
        """The changed claims, in order."""
        return [cluster for cluster in self.current.claims if cluster.id in self.changed_claims]

    def members(self, clusters: Iterable[Claim]) -> tuple[list[Statement], np.ndarray]:
        """The statements of these claims, in corpus order, and their embeddings."""
        rows = sorted({self.row_of[sid] for cluster in clusters for sid in cluster.statement_ids})
        return [self.current.statements[row] for row in rows], self.current.vectors[rows]

    @cached_property
    def renames(self) -> bool:
        """Whether a kept claim or story has another id now (claims of a saved run named by rank, once)."""
        return any(before != now for ids in (self.claim_ids, self.story_ids) for before, now in ids.items())

    def remapped(self, row: RowT) -> RowT:
        """The row with the claim and story it names (``cluster_id``, ``story_id``) under their ids now."""
        if not self.renames:
            return row  # ids are kept (compare.cluster.claim_ids, story_ids): the row as it was
        renamed = {}
        for name, ids in (("cluster_id", self.claim_ids), ("story_id", self.story_ids)):
            earlier = getattr(row, name, None)
            if earlier is not None and ids[earlier] != earlier:
                renamed[name] = ids[earlier]
        if not renamed:
            return row  # rows are frozen, so an unchanged one is shared
        # As dataclasses.replace, at a tenth of its cost: a row is its fields (all init fields, checked
        # by nothing), and a saved run with claims named by rank renames nearly every carried row, once.
        copy = object.__new__(type(row))
        object.__setattr__(copy, "__dict__", {**row.__dict__, **renamed})
        return copy

    @cached_property
    def claim_rank(self) -> dict[str, int]:
        """Claim id now -> its place in the claims now."""
        return {cluster.id: rank for rank, cluster in enumerate(self.current.claims)}

    @cached_property
    def story_rank(self) -> dict[str, int]:
        """Story id now -> its place in the stories now."""
        return {story.id: rank for rank, story in enumerate(self.current.stories)}

    def carried(
        self, old: Sequence[RowT], dropped: Sequence[Dropped], fresh: list[RowT], order: Order | None
    ) -> list[RowT]:
        """The rows of ``old`` but the ``dropped`` ones (named by the earlier ids), under the ids of now, and
        ``fresh`` in ``order`` (``compare.io.deferred.replaced_rows``): when ``old`` is a stored table, the
        carried rows stay in the store, neither read nor written again."""
        if self.renames:  # a saved run with claims named by rank, once: every carried row is renamed
            kept = [self.remapped(row) for row in old if not any(drop.matches(row) for drop in dropped)]
            return replaced_rows(kept, (), fresh, order)
        return replaced_rows(old, dropped, fresh, order)

    def claim_rows(self, old: Sequence[ClaimRowT], fresh: list[ClaimRowT], redone: Collection[str]) -> list[ClaimRowT]:
        """The rows of kept claims whose id now is not in ``redone``, and ``fresh`` (the rows of ``redone``),
        claim by claim in the order of the claims now."""
        dropped = self._dropped_claims(frozenset(redone))
        order = Order("claims", "cluster_id", attrgetter_rank(self.claim_rank, "cluster_id"))
        return self.carried(old, [Dropped("cluster_id", dropped)], fresh, order)

    def _dropped_claims(self, redone: frozenset[str]) -> frozenset[str]:
        """The earlier ids of the claims not kept or kept as one of ``redone`` (the same for each signal that asks)."""
        found = self._dropped.get(redone)
        if found is None:
            found = self._dropped[redone] = frozenset(
                cluster.id
                for cluster in self.previous.claims
                if cluster.id not in self.claim_ids or self.claim_ids[cluster.id] in redone
            )
        return found

    @cached_property
    def _dropped(self) -> dict[frozenset[str], frozenset[str]]:
        return {}

    @cached_property
    def dropped_stories(self) -> frozenset[str]:
        """The earlier ids of the stories whose rows are not carried over (``is_kept_story``)."""
        return frozenset(story.id for story in self.previous.stories if not self.is_kept_story(story.id))

    def is_kept_story(self, story_id: str | None) -> bool:
        """Whether a story of ``previous`` is kept and did not change (then its rows are carried over)."""
        return (
            story_id is not None and story_id in self.story_ids and self.story_ids[story_id] not in self.changed_stories
        )

    def story_order(self) -> Order:
        """Rows story by story in the order of the stories now."""
        return Order("stories", "story_id", attrgetter_rank(self.story_rank, "story_id"))


def attrgetter_rank(ranks: dict[str, int], column: str) -> Callable[[Any], int]:
    """A row's rank: that of the value of its ``column`` in ``ranks``."""
    value = attrgetter(column)
    return lambda row: ranks[value(row)]
