"""Evidence against two articles or statements telling one event: conflicting people, places, numbers,
years and times, and for claims the gates (one story, no boilerplate).

Stories subtract ``conflict_penalty`` per conflict between the two articles' leads; claims subtract it
per conflict between the two statements, and keep only pairs of one story. ``compare.segment``'s
``mentions`` and ``times`` say what each statement names; nothing here parses text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, overload

import numpy as np

from compare.cluster.anchors import anchor_name, statement_anchors
from compare.cluster.articles import NO_DAY, date_damping
from compare.cluster.boilerplate import boilerplate_flags
from compare.io.column_rows import column_of
from compare.model.documents import Article, Statement
from compare.segment.mentions import Mentions, conflicts, mentions, merged, number_conflict, set_conflict
from compare.segment.times import (
    TimeSpan,
    event_day,
    named_event_day,
    publication_day,
    statement_times,
    time_conflict,
)

LEAD_STATEMENTS = 5  # an article's lead: where it says what happened, where and when
TIME_SLACK_DAYS = 1
_NOT_FACTS = frozenset({"PERSON", "NORP"})
_PLACES = frozenset({"GPE", "LOC"})  # countries, cities, regions, seas: where things happen, not what
CROSS_STORY_MAX_ARTICLES = 2  # a fact anchor this rare links statements across stories
T = TypeVar("T")


@dataclass(frozen=True)
class Lead:
    """What an article's lead (its first ``LEAD_STATEMENTS`` statements) names, and when it says things happened."""

    mentions: Mentions = Mentions()
    times: tuple[TimeSpan, ...] = ()


def statement_mentions(statement: Statement) -> Mentions:
    """The persons, places, typed numbers and years a statement names."""
    return mentions(statement.entities, statement.text)


def article_leads(articles: Sequence[Article], statements: Sequence[Statement]) -> list[Lead]:
    """Each article's lead, from its first statements (their ``index`` below ``LEAD_STATEMENTS``)."""
    position = {article.id: row for row, article in enumerate(articles)}
    found: list[list[Mentions]] = [[] for _ in articles]
    times: list[list[TimeSpan]] = [[] for _ in articles]
    bases = [publication_day(article.published) for article in articles]
    for statement in statements:
        row = position.get(statement.article_id)
        if row is None or statement.index >= LEAD_STATEMENTS:
            continue
        found[row].append(statement_mentions(statement))
        times[row].extend(statement_times(statement.entities, bases[row]))
    return [Lead(merged(named), tuple(spans)) for named, spans in zip(found, times)]


def event_days(leads: Sequence[Lead], days: np.ndarray) -> np.ndarray:
    """Each article's event day: the day its lead names most (``event_day``: "on Wednesday", "March 3",
    within ``EVENT_DAY_LOOKBACK_DAYS`` before publication), else its publication day (``NO_DAY`` stays).

    A report published days after the event it tells is dated by the event, so the date term compares
    when things happened, not when they were reported.
    """
    if not len(leads):
        return days
    resolved = days.copy()
    for row, (lead, day) in enumerate(zip(leads, days.tolist())):
        if day != NO_DAY and lead.times:
            resolved[row] = event_day(lead.times, date.fromordinal(day)) or day
    return resolved


def named_days(leads: Sequence[Lead], days: np.ndarray) -> np.ndarray:
    """The day each dated article's lead names for its event (``named_event_day``), ``NO_DAY`` where it names none."""
    named = np.full(len(days), NO_DAY, dtype=days.dtype)
    for row, (lead, day) in enumerate(zip(leads, days.tolist())):
        if day != NO_DAY and lead.times:
            found = named_event_day(lead.times, date.fromordinal(day))
            named[row] = NO_DAY if found is None else found
    return named


def story_date_damping(
    leads: Sequence[Lead], days: np.ndarray, low: np.ndarray, high: np.ndarray, window_days: int
) -> np.ndarray:
    """How much the dates of each article pair (low[i], high[i]) leave of their story similarity.

    Reports come out days after the event they tell, so publication days and event days (``event_days``)
    are damped beyond ``window_days``, and the nearer of the two gaps counts (a report published days
    later about the same named day is not pulled apart). Where both leads name the day of their event
    ("France warned Russia Friday", "Putin spoke to Macron on Monday"), that day does not move with the
    publication: two such days are damped beyond the ``TIME_SLACK_DAYS`` of a time conflict instead (the
    publication gap still counts where it is the nearer). Without leads, publication days only.
    """
    damping = date_damping(days, low, high, window_days)
    if not len(leads):
        return damping
    by_event = np.maximum(damping, date_damping(event_days(leads, days), low, high, window_days))
    named = named_days(leads, days)
    both = (named[low] != NO_DAY) & (named[high] != NO_DAY)
    by_named = np.maximum(damping, date_damping(named, low, high, TIME_SLACK_DAYS))
    return np.where(both, by_named, by_event).astype(np.float32)


def pair_conflicts(first: Lead, second: Lead, across_labels: bool = False) -> int:
    """Conflicting persons, places, numbers of one unit, years and times (day-level more than a day apart)."""
    return conflicts(first.mentions, second.mentions, across_labels) + time_conflict(
        first.times, second.times, TIME_SLACK_DAYS
    )


def lead_conflicts(leads: Sequence[Lead], low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The number of lead conflicts of each article pair (low[i], high[i]); 0 where no leads are given."""
    counts = np.zeros(len(low), dtype=np.float32)
    if not len(leads):
        return counts
    for pair, (first, second) in enumerate(zip(low.tolist(), high.tolist())):
        one, other = leads[first], leads[second]
        if (one.mentions or one.times) and (other.mentions or other.times):
            counts[pair] = pair_conflicts(one, other)
    return counts


@dataclass(frozen=True)
class ClaimEvidence:
    """Per statement: its story, whether it is boilerplate, what it names and when it says things happened."""

    story: np.ndarray  # story number of the statement's article (``StoryIndex.labels``)
    outlet: np.ndarray  # outlet number of the statement
    boilerplate: np.ndarray  # bool (``boilerplate_flags``)
    mentions: Sequence[Mentions]
    times: Sequence[tuple[TimeSpan, ...]]
    facts: Sequence[frozenset[str]]  # anchors that are not persons (places, things, numbers: ``fact_anchors``)
    fact_articles: Mapping[str, int]  # fact anchor -> the number of articles naming it (in the whole corpus)
    places: Sequence[frozenset[str]]  # anchors named only as a place (``place_anchors``)
    first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # its article's first statement

    def take(self, rows: np.ndarray) -> ClaimEvidence:
        """The evidence of these statements, numbered by position in ``rows``."""
        picked = rows.tolist()
        return ClaimEvidence(
            self.story[rows],
            self.outlet[rows],
            self.boilerplate[rows],
            [self.mentions[row] for row in picked],
            [self.times[row] for row in picked],
            [self.facts[row] for row in picked],
            self.fact_articles,
            [self.places[row] for row in picked],
            self.first[rows] if len(self.first) else self.first,
        )


class WhenAsked(Sequence[T]):
    """A value per statement, computed the first time it is asked for."""

    def __init__(self, compute: Callable[[int], T], count: int) -> None:
        self._compute, self._count, self._found = compute, count, dict[int, T]()

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, row: int) -> T: ...

    @overload
    def __getitem__(self, row: slice) -> list[T]: ...

    def __getitem__(self, row: int | slice) -> T | list[T]:
        if isinstance(row, slice):
            return [self[item] for item in range(*row.indices(self._count))]
        if not -self._count <= row < self._count:
            raise IndexError(row)
        row %= self._count
        if row not in self._found:
            self._found[row] = self._compute(row)
        return self._found[row]


def claim_evidence(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    story_labels: np.ndarray,
    *,
    when_asked: bool = False,
    boilerplate: np.ndarray | None = None,
    holders: Callable[[str], Iterable[int]] | None = None,
) -> ClaimEvidence:
    """The claim evidence of every statement, given each article's story number (in ``articles`` order).

    ``when_asked``: what each statement names and when (``mentions``, ``times``) is worked out only for
    the statements looked at. Adding articles looks at those of the touched components (``take``), a
    few thousand of a quarter of a million; a full run and the Ray engine look at all. ``boilerplate``:
    the statements' ``boilerplate_flags`` when known (adding articles grows them: ``boilerplate.extended_flags``).
    ``holders``: with ``when_asked``, the statements naming an anchor (``ClaimIndex.anchor_rows`` and the
    added ones): then facts, and the articles naming each, are found only for the statements looked at.
    """
    position = {article_id: row for row, article_id in enumerate(column_of(articles, "id"))}
    bases = [publication_day(published) for published in column_of(articles, "published")]
    rows = [position[article_id] for article_id in column_of(statements, "article_id")]
    facts: Sequence[frozenset[str]]
    fact_articles: Mapping[str, int]
    if when_asked and holders is not None:
        facts = WhenAsked(lambda row: fact_anchors(statements[row]), len(statements))
        fact_articles = FactArticles(holders, facts, rows)
    else:
        facts = [fact_anchors(statement) for statement in statements]
        naming: dict[str, set[int]] = defaultdict(set)
        for found, row in zip(facts, rows):
            for anchor in found:
                naming[anchor].add(row)
        fact_articles = {anchor: len(articles_naming) for anchor, articles_naming in naming.items()}
    return ClaimEvidence(
        story=np.asarray(story_labels, dtype=np.int64)[np.array(rows, dtype=np.int64)],
        outlet=_codes(column_of(statements, "outlet")),
        boilerplate=boilerplate_flags(statements) if boilerplate is None else boilerplate,
        mentions=WhenAsked(lambda row: statement_mentions(statements[row]), len(statements))
        if when_asked
        else [statement_mentions(statement) for statement in statements],
        times=WhenAsked(lambda row: statement_times(statements[row].entities, bases[rows[row]]), len(statements))
        if when_asked
        else [statement_times(statement.entities, bases[row]) for statement, row in zip(statements, rows)],
        facts=facts,
        fact_articles=fact_articles,
        places=WhenAsked(lambda row: place_anchors(statements[row]), len(statements))
        if when_asked
        else [place_anchors(statement) for statement in statements],
        first=np.asarray(column_of(statements, "index")) == 0,
    )


class FactArticles(Mapping[str, int]):
    """Fact anchor -> the number of articles naming it as a fact, counted the first time it is asked for,
    and only up to ``CROSS_STORY_MAX_ARTICLES + 1``: all ``claim_kept`` asks is whether it is at most that.
    An anchor no article names as a fact is missing, as from the dict a full run makes; iterating gives
    the anchors asked for so far."""

    def __init__(
        self, holders: Callable[[str], Iterable[int]], facts: Sequence[frozenset[str]], article_of: Sequence[int]
    ) -> None:
        self._holders, self._facts, self._article_of = holders, facts, article_of
        self._found: dict[str, int] = {}

    def __getitem__(self, anchor: str) -> int:
        if anchor not in self._found:
            naming: set[int] = set()
            for row in self._holders(anchor):  # the statements naming it at all; as a fact in some
                if anchor in self._facts[row]:
                    naming.add(self._article_of[row])
                    if len(naming) > CROSS_STORY_MAX_ARTICLES:
                        break
            self._found[anchor] = len(naming)
        if not self._found[anchor]:
            raise KeyError(anchor)
        return self._found[anchor]

    def __iter__(self) -> Iterator[str]:
        return iter([anchor for anchor, count in self._found.items() if count])

    def __len__(self) -> int:
        return sum(1 for count in self._found.values() if count)


def fact_anchors(statement: Statement) -> frozenset[str]:
    """A statement's anchors (``compare.cluster.anchors``) other than persons and groups: people act
    in many events, while a rare place, agreement or figure shared by two reports is one standing fact."""
    persons = {name.lower() for name, label in statement.entities if label in _NOT_FACTS}
    return frozenset(
        anchor
        for anchor in statement_anchors(statement)
        if anchor not in persons and not any(anchor in person for person in persons)
    )


def place_anchors(statement: Statement) -> frozenset[str]:
    """The anchors a statement names only as a place (spaCy's GPE, LOC): "France", "the Black Sea".

    "Minsk" in "agreements signed in Minsk" is a place; in "the Minsk agreements" (an ORG) it names a thing.
    """
    places = {anchor_name(name) for name, label in statement.entities if label in _PLACES}
    if not places:
        return frozenset()
    return frozenset(places - {anchor_name(name) for name, label in statement.entities if label not in _PLACES})


def claim_gate(evidence: ClaimEvidence, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Which statement pairs may form a claim at all: neither is boilerplate."""
    return ~evidence.boilerplate[low] & ~evidence.boilerplate[high]


def claim_kept(evidence: ClaimEvidence, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Which (non-boilerplate) pairs may form a claim: both of one story, or, across stories, from two
    outlets sharing a thing or number (``fact_anchors``) that at most ``CROSS_STORY_MAX_ARTICLES``
    articles name, with no conflicting number, year or time.

    A standing fact ("100,000 troops on the border", "the Minsk agreements") is told in reports of
    different events; a recurring one (a weekly figure, a ceremony) shares only common words, or
    conflicts in its figure or date, so it stays apart. A place both statements name only as a place
    (``place_anchors``: "France and Germany", "Belarus") says where things happened, not what, and in a
    small corpus every country is "rare": it is no shared fact.
    """
    kept = evidence.story[low] == evidence.story[high]
    # An outlet reuses its own wording from report to report (a weekly release): that is no shared fact.
    for pair in np.flatnonzero(~kept & (evidence.outlet[low] != evidence.outlet[high])).tolist():
        first, second = int(low[pair]), int(high[pair])
        shared = evidence.facts[first] & evidence.facts[second]
        shared -= evidence.places[first] & evidence.places[second]  # where both say things happened, not what
        if shared and min(evidence.fact_articles.get(anchor, 0) for anchor in shared) <= CROSS_STORY_MAX_ARTICLES:
            kept[pair] = not _hard_conflict(evidence, first, second)
    return kept


def _hard_conflict(evidence: ClaimEvidence, first: int, second: int) -> bool:
    """A conflicting number, year or time (people and places are too often named loosely to rule out)."""
    return number_conflict(evidence.mentions[first].numbers, evidence.mentions[second].numbers) or _when_conflict(
        evidence, first, second
    )


def _when_conflict(evidence: ClaimEvidence, first: int, second: int) -> bool:
    """The two statements name different years, or times more than ``TIME_SLACK_DAYS`` apart."""
    return set_conflict(evidence.mentions[first].years, evidence.mentions[second].years) or time_conflict(
        evidence.times[first], evidence.times[second], TIME_SLACK_DAYS
    )


def story_leads(evidence: ClaimEvidence, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Which pairs are the first statements of two articles of one story that do not disagree on when.

    A report leads with what happened (the inverted pyramid), so two reports of one event lead with one
    happening, however differently worded ("Ellen DeGeneres will host the Oscars", "the Academy picked
    DeGeneres"). Where the leads name different years or days, they tell different happenings (a firing
    and a hiring of one coach in a story that merged them), and the pair counts no such evidence.
    """
    if not len(evidence.first) or not len(low):
        return np.zeros(len(low), dtype=bool)
    leads = evidence.first[low] & evidence.first[high] & (evidence.story[low] == evidence.story[high])
    for pair in np.flatnonzero(leads).tolist():
        leads[pair] = not _when_conflict(evidence, int(low[pair]), int(high[pair]))
    return leads


def statement_conflicts(evidence: ClaimEvidence, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The number of conflicts between the two statements of each pair."""
    counts = np.zeros(len(low), dtype=np.float32)
    named = np.array([bool(found) or bool(spans) for found, spans in zip(evidence.mentions, evidence.times)])
    if not len(low) or not named.any():
        return counts
    for pair in np.flatnonzero(named[low] & named[high]).tolist():
        first, second = int(low[pair]), int(high[pair])
        counts[pair] = pair_conflicts(
            Lead(evidence.mentions[first], evidence.times[first]),
            Lead(evidence.mentions[second], evidence.times[second]),
            across_labels=True,
        )
    return counts


def _codes(values: list[str]) -> np.ndarray:
    """Each value's number in the sorted distinct values (``np.unique``'s inverse, without sorting every value)."""
    number = {value: at for at, value in enumerate(sorted(set(values)))}
    return np.fromiter((number[value] for value in values), dtype=np.int64, count=len(values))
