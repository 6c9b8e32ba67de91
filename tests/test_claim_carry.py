"""An addition's claims with those of unchanged label groups carried (``compare.cluster.claim_carry``): the list
``claims_from_labels`` makes over every group, whichever groups change, wherever their rows are."""

from __future__ import annotations

import numpy as np

from compare.cluster import ClaimOptions, claims_from_labels
from compare.cluster.claim_carry import extended_claims
from compare.cluster.claim_ids import known_claim_ids
from compare.cluster.components import regrouped
from compare.cluster.evidence import _codes
from compare.ingest import load_corpus, load_registry
from compare.io.store import Store
from compare.model.documents import Statement, Story
from compare.pipeline import analyze, extend

from .conftest import multi_outlet_corpus

OUTLETS = ("Reuters", "The Guardian", "Fox News")


def _statements(articles: int) -> list[Statement]:
    return [
        Statement(
            id=f"art{article:02d}:{index}",
            article_id=f"art{article:02d}",
            outlet=OUTLETS[article % 3],
            index=index,
            text=f"Statement {index} of article {article}.",
            start=0,
            end=10,
            kind="reported",
        )
        for article in range(articles)
        for index in range(4)
    ]


def _stories(groups: list[list[int]]) -> list[Story]:
    return [
        Story(
            id=f"story-{group[0]:02d}",
            article_ids=tuple(f"art{article:02d}" for article in group),
            outlets=tuple(sorted({OUTLETS[article % 3] for article in group})),
        )
        for group in groups
    ]


def test_carried_claims_equal_the_claims_made_from_every_label_group():
    options = ClaimOptions()
    statements = _statements(12)  # 48 statements, 4 per article; the last article is the added one
    n_old = 44
    rng = np.random.default_rng(3)
    earlier_labels = rng.integers(0, 14, n_old)
    earlier_stories = _stories([[0, 1, 2, 3], [4, 5, 6], [7, 8, 9, 10]])
    earlier = claims_from_labels(statements[:n_old], earlier_labels, earlier_stories, options)
    assert len(earlier) > 5

    labels = np.concatenate([earlier_labels, [3, 3, 20, 21]])  # two added rows join group 3
    labels[labels == 7] = 30  # a group renumbered, the same rows: carried
    labels[np.flatnonzero(earlier_labels == 5)[:1]] = 9  # a group split, another joined, in the middle of the rows
    stories = _stories([[0, 1, 2, 3], [4, 5, 6, 11], [7, 8], [9, 10]])  # articles 9 and 10 in another story now
    expected = claims_from_labels(statements, labels, stories, options, known_ids=known_claim_ids(earlier))
    carried = extended_claims(earlier, earlier_labels, earlier_stories, statements, labels, stories, options)
    assert carried == expected
    assert [claim.id for claim in carried] == [claim.id for claim in expected]
    kept = {claim.statement_ids for claim in earlier} & {claim.statement_ids for claim in expected}
    assert kept and len(kept) < len(expected)  # some carried, some made again

    # nothing changed but an added group of its own: every earlier claim carried, as the same object
    same = np.concatenate([earlier_labels, [40, 40, 41, 41]])
    again = extended_claims(earlier, earlier_labels, earlier_stories, statements, same, earlier_stories, options)
    assert again == claims_from_labels(statements, same, earlier_stories, options, known_ids=known_claim_ids(earlier))
    assert {id(claim) for claim in earlier} <= {id(claim) for claim in again}


def test_an_addition_carries_the_claims_it_leaves_and_gives_the_claims_made_from_every_group(tmp_path, embedder):
    inputs = multi_outlet_corpus(tmp_path)
    registry = load_registry()
    store = Store(tmp_path / "store.sqlite3")
    first = analyze(load_corpus(inputs[:-1], registry), embedder=embedder, store=store)
    extended = extend(first, load_corpus(inputs[-1:], registry), embedder, store)
    assert extended.index is not None
    options = ClaimOptions(**first.settings["claims"])
    expected = claims_from_labels(
        extended.statements, extended.index.claims.labels, extended.stories, options, known_claim_ids(first.claims)
    )
    assert extended.claims == expected and len(expected) > 3
    assert {id(claim) for claim in first.claims} & {id(claim) for claim in extended.claims}  # some carried


def _regrouped_by_sorting(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """``regrouped`` as it was: group sizes of each labelling and of the pairs, by three sorts."""
    _, old = np.unique(before, return_inverse=True)
    _, new = np.unique(after, return_inverse=True)
    _, both = np.unique(old.astype(np.int64) * (int(new.max()) + 1) + new, return_inverse=True)
    old_size, new_size, both_size = np.bincount(old), np.bincount(new), np.bincount(both)
    return (both_size[both] != old_size[old]) | (both_size[both] != new_size[new])


def test_the_statements_whose_story_fellows_changed_are_found_without_sorting_every_label():
    """An addition's regated statements (``claim_reach.regated``): those whose story split, merged or was renumbered
    with other members, as three sorts found them; a renumbering alone changes none."""
    rng = np.random.default_rng(11)
    before = rng.integers(-1, 40, 3000)
    after = before.copy()
    after[before == 3] = 41  # renumbered only: no item regrouped
    after[(before == 5) & (rng.random(3000) < 0.5)] = 42  # split
    after[before == 7] = 8  # merged into another
    after[before == 9] = np.array([9, 10])[np.arange((before == 9).sum()) % 2]  # split into an existing one
    found = regrouped(before, after)
    assert np.array_equal(found, _regrouped_by_sorting(before, after))
    assert not found[before == 3].any() and found[before == 5].all() and found[(before == 7) | (before == 8)].all()
    assert not found[(before == 20)].any()
    wide = before * 10**9  # labels far apart: numbered in sorted order instead
    assert np.array_equal(regrouped(wide, after), _regrouped_by_sorting(wide, after))
    assert np.array_equal(regrouped(before[:0], after[:0]), np.zeros(0, dtype=bool))


def test_outlets_are_numbered_in_sorted_order_as_np_unique_numbers_them():
    outlets = ["The Guardian", "AP", "Reuters", "AP", "BBC News", "ap", "Élysée Wire", "Reuters"]
    assert np.array_equal(_codes(outlets), np.unique(outlets, return_inverse=True)[1])
    assert _codes([]).tolist() == []
