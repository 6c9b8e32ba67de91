"""The claims of an addition: those whose label group it left as it was carried from the earlier claims, the
others made by ``claims_from_labels``; the same list that ``claims_from_labels`` gives over every group.

An addition re-clusters a few hundred statements of 251,000 (``extend_claim_index``), and making every claim
again (outlets, statement ids and stories of 50,000 label groups) cost more than the re-clustering. A group
is carried when its statements are those of one earlier group, all of them, none added, and none of their
articles is in another story now: then ``claims_from_labels`` would make the earlier claim again (its id is
the earlier one, ``known_claim_ids``; its outlets and stories are those of the same statements and articles).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

import numpy as np

from compare.cluster.claim_ids import known_claim_ids
from compare.cluster.claims import ClaimOptions, claims_from_labels
from compare.cluster.components import label_runs
from compare.io.column_rows import column_of
from compare.model.documents import Claim, Statement, Story


def extended_claims(  # noqa: PLR0913 -- the earlier claims and what they were made of, and what is now
    previous: Sequence[Claim],
    previous_labels: np.ndarray,
    previous_stories: Sequence[Story],
    statements: Sequence[Statement],
    labels: np.ndarray,
    stories: Sequence[Story],
    options: ClaimOptions,
) -> list[Claim]:
    """``claims_from_labels(statements, labels, stories, options, known_ids=known_claim_ids(previous))``, with
    the claims of unchanged groups carried from ``previous`` (made from ``previous_labels``, the labels of the
    first statements, and ``previous_stories``)."""
    labels, previous_labels = np.asarray(labels), np.asarray(previous_labels)
    known_ids = known_claim_ids(previous)
    if not known_ids or not len(previous_labels) or min(labels.min(), previous_labels.min()) < 0:
        return claims_from_labels(statements, labels, stories, options, known_ids=known_ids)
    kept = _unchanged_labels(previous_labels, labels)
    moved = _articles_in_another_story(previous_stories, stories)
    if moved:
        article_ids = column_of(statements, "article_id")
        rows = [row for row in range(len(previous_labels)) if article_ids[row] in moved]
        kept[labels[rows]] = False
    order, starts, lengths = label_runs(labels)  # as claims_from_labels groups them
    firsts = order[starts]
    carried_groups = kept[labels[firsts]] & (lengths >= 2)
    ids = column_of(statements, "id")
    carried_firsts = firsts[carried_groups].tolist()
    group_of = dict(
        zip([ids[first] for first in carried_firsts], zip(carried_firsts, lengths[carried_groups].tolist()))
    )
    keyed: list[tuple[int, int, int, Claim]] = []
    # In the earlier claims' order, which is already the order sorted below for the carried ones (their outlets,
    # statements and rows' order are those of before): the sort then mostly finds one run (3-5x faster), and
    # gives the same list in any case, each claim's key being its own (its first row).
    for claim in previous:
        group = group_of.get(claim.statement_ids[0])  # none: its group changed
        if group is not None:
            first, length = group
            if len(claim.statement_ids) != length:
                raise ValueError(f"claim {claim.id} has {len(claim.statement_ids)} statements, its group {length}")
            keyed.append((-len(claim.outlets), -length, first, claim))
    masked = labels.copy()  # the carried groups' rows as groups of one, which claims_from_labels skips
    carried_rows = kept[labels]
    masked[carried_rows] = -1 - np.arange(int(carried_rows.sum()))
    made = claims_from_labels(statements, masked, stories, options, known_ids=known_ids)
    first_row = {ids[first]: first for first in firsts[~carried_groups & (lengths >= 2)].tolist()}
    keyed += [
        (-len(claim.outlets), -len(claim.statement_ids), first_row[claim.statement_ids[0]], claim) for claim in made
    ]
    keyed.sort(key=itemgetter(0, 1, 2))  # claims_from_labels' order: most outlets, most statements, first row
    return [claim for *_, claim in keyed]


def _unchanged_labels(previous: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per label of ``labels``: whether its rows are all earlier rows and all the rows of one earlier label."""
    size, n_old = int(labels.max()) + 1, len(previous)
    count = np.bincount(labels, minlength=size)
    count_earlier = np.bincount(labels[:n_old], minlength=size)
    lowest = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    highest = np.full(size, -1, dtype=np.int64)
    np.minimum.at(lowest, labels[:n_old], previous)
    np.maximum.at(highest, labels[:n_old], previous)
    kept = (count > 0) & (count == count_earlier) & (lowest == highest)
    earlier_count = np.bincount(previous)
    kept[kept] = earlier_count[lowest[kept]] == count[kept]
    return kept


def _articles_in_another_story(previous: Sequence[Story], stories: Sequence[Story]) -> set[str]:
    """The articles whose story (by id, or none) is another one now."""
    before = {article_id: story.id for story in previous for article_id in story.article_ids}
    now = {article_id: story.id for story in stories for article_id in story.article_ids}
    return {article_id for article_id in before.keys() | now.keys() if before.get(article_id) != now.get(article_id)}
