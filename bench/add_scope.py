"""What one addition to a saved run re-computes, and why (BENCHMARKS §5o): statements re-clustered by cause,
claims and stories re-framed by cause. Reads the saved run, adds the articles in this process, writes nothing.

Usage (from a checkout's root, ``HF_HUB_OFFLINE=1``; PYTHONPATH=. so that this checkout's compare/ is used):
    PYTHONPATH=. python bench/add_scope.py SAVED NEW_FOLDER [NEW_FOLDER ...]
Each NEW_FOLDER (articles with their sources.csv) is added in turn, each addition to the result of the one before.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import numpy as np

import compare.cluster.claims as claims_module
import compare.engines.incremental as incremental
from compare.cluster.anchors import AnchorIndex, extend_anchor_index, statement_anchors
from compare.cluster.claims import article_numbers
from compare.cluster.components import touched_members
from compare.cluster.evidence import regrouped
from compare.cluster.neighbours import Neighbours, grow_neighbours, rows_reached
from compare.embed import embedder_of
from compare.framing import FramingChange
from compare.ingest import load_corpus
from compare.pipeline import load_analysis

try:
    from compare.cluster.claim_reach import regated
except ImportError:  # main before add16g
    from compare.cluster.claims import _regated

    def regated(index, evidence):  # type: ignore[no-untyped-def] # noqa: ANN001, ANN201
        return _regated(index, evidence, len(index.labels))


FOUND: dict[str, Any] = {}


def claim_scope(index, statements, vectors, options=None, evidence=None):  # noqa: ANN001, ANN201 -- mirrors extend_claim_index
    """The rows an addition re-clusters, by the cause that touched them (as ``extend_claim_index`` finds them)."""
    options = options or claims_module.ClaimOptions()
    n_old, n = len(index.labels), len(statements)
    found, entered = grow_neighbours(
        Neighbours(index.neighbours, index.neighbour_similarities), vectors, max(0, min(options.neighbours, n - 1))
    )
    first_article = int(index.article_of.max()) + 1 if n_old else 0
    article_of = np.concatenate([index.article_of, article_numbers(statements[n_old:], first_article)])
    _, renamed = extend_anchor_index(
        AnchorIndex(index.anchor_rows, index.anchor_articles),
        [statement_anchors(statement) for statement in statements[n_old:]],
        n_old,
        article_of,
    )
    by_anchor: Counter[str] = Counter()
    for row in range(n_old, n):
        for anchor in statement_anchors(statements[row]):
            holders = index.anchor_rows.get(anchor, [])
            if holders and set(holders) <= renamed:
                by_anchor[anchor] = len(holders)
    causes = {
        "neighbour lists": rows_reached(found, n_old, entered),
        "anchors whose weight changed": np.array(sorted(renamed), dtype=np.int64),
        "gate (story or boilerplate changed)": regated(index, evidence),
    }
    every = np.unique(np.concatenate(list(causes.values())))
    print(
        f"  the components of every row reached (main's region before 2026-11-28, add16g): {len(touched_members(index.components, every, n))} rows"
    )
    for cause, rows in causes.items():
        members = touched_members(index.components, rows, n)
        print(f"  touched by {cause}: {len(rows)} rows -> {len(members) - (n - n_old)} old rows in their components")
    print("  anchors of the added statements with the most old holders:", by_anchor.most_common(8))
    result = ORIGINAL_EXTEND(index, statements, vectors, options, evidence)
    FOUND["reclustered"] = result[1].reclustered
    before, after = index.labels, result[0].labels
    moved = np.flatnonzero(regrouped(before, after[:n_old]))
    joined = np.unique(after[n_old:])
    gained = np.flatnonzero(np.isin(after[:n_old], joined))
    print(
        f"  old statements whose old claim-mates differ after the addition: {len(moved)};"
        f" old statements in a claim an added statement joined: {len(gained)}"
    )
    lists_changed = np.flatnonzero((found.rows[:n_old] != index.neighbours).any(axis=1))
    print(f"  old statements whose neighbour list changed: {len(lists_changed)}")
    FOUND["moved"] = moved
    return result


def framing_scope(previous, current, old):  # noqa: ANN001, ANN201 -- mirrors FramingChange.between
    change = ORIGINAL_BETWEEN(previous, current, old)
    kept_stories = set(change.story_ids.values())
    new_or_grown = {s.id for s in current.stories if s.id not in kept_stories}
    print(
        f"  claims: {len(previous.claims)} -> {len(current.claims)}, changed (re-framed) {len(change.changed_claims)}"
    )
    print(
        f"  stories: {len(previous.stories)} -> {len(current.stories)}, re-framed {len(change.changed_stories)}:"
        f" {len(new_or_grown)} new or with other articles, {len(change.changed_stories - new_or_grown)} only"
        " because a claim holding a statement of theirs changed"
    )
    statements_of = Counter(s.article_id for s in current.statements)
    members = sum(statements_of[a] for s in current.stories if s.id in change.changed_stories for a in s.article_ids)
    print(f"  statements of the re-framed stories: {members}")
    FOUND["change"] = change
    return change


ORIGINAL_EXTEND = incremental.extend_claim_index
ORIGINAL_BETWEEN = FramingChange.between


def main(saved: str, added: list[str]) -> None:
    analysis = load_analysis(saved, with_index=True)
    print(f"{saved}: {len(analysis.articles)} articles, {len(analysis.statements)} statements")
    incremental.extend_claim_index = claim_scope  # type: ignore[assignment]
    FramingChange.between = framing_scope  # type: ignore[method-assign,assignment]
    embedder = embedder_of(analysis.model)
    for folder in added:  # one addition per folder, in turn: the earlier ones settle the copy (BENCHMARKS §5h)
        print(f"adding {folder}:")
        previous, analysis = analysis, incremental.extend(analysis, load_corpus([folder]), embedder)
        print(
            f"  added {len(analysis.articles) - len(previous.articles)} articles,"
            f" {len(analysis.statements) - len(previous.statements)} statements;"
            f" re-clustered {FOUND['reclustered']} statements"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
