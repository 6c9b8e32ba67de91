"""Baseline: the current compare/ defaults on BASIL, its stress and undated variants, and ECB+ dev.

Usage (from the worktree root):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.score [basil basil-stress basil-undated ecb]
"""

from __future__ import annotations

import sys
import time

from bench.event_identity.corpora import Bundle, load
from bench.event_identity.metrics import claim_groups, claim_scores, story_scores
from compare.cluster import ClaimOptions, StoryOptions, claim_index, story_index

CORPORA = ["basil", "basil-stress", "basil-undated", "ecb"]
COLUMNS = [
    "story_p",
    "story_r",
    "story_f1",
    "claims_cross",
    "claims_one_event",
    "stories_with_claim",
    "stories_with_claim_any",
    "pair_p",
    "pair_r",
    "claim_b3_f1",
]


def baseline(bundle: Bundle) -> dict[str, float]:
    """Stories and claims with today's defaults, scored; with the clustering seconds."""
    started = time.perf_counter()
    stories = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    claims = claim_index(bundle.statements, bundle.vectors, ClaimOptions())
    seconds = time.perf_counter() - started
    story_of = {a.id: str(label) for a, label in zip(bundle.articles, stories.labels.tolist())}
    scores = story_scores(bundle, story_of)
    scores.update(claim_scores(bundle, claim_groups(bundle, claims.labels)))
    scores["seconds"] = seconds
    return scores


def print_table(rows: list[tuple[str, str, dict[str, float]]]) -> None:
    """A markdown table: method, corpus, then the COLUMNS."""
    print("| method | corpus | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    for method, corpus, scores in rows:
        cells = [
            f"{scores[c]:.3f}" if c in scores and c != "claims_cross" else (f"{int(scores[c])}" if c in scores else "–")
            for c in COLUMNS
        ]
        print(f"| {method} | {corpus} | " + " | ".join(cells) + " |")


def main() -> None:
    names = sys.argv[1:] or CORPORA
    rows = [("baseline", name, baseline(load(name))) for name in names]
    print_table(rows)


if __name__ == "__main__":
    main()
