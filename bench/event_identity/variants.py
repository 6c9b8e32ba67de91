"""The shipped stories and claims under three sets of vectors (torch, onnx-int8 batched, onnx-int8 each
statement alone), on the four stand-ins and the seeds, with the smallest figure over the three.

The int8 vector of a statement depends on its batch (BENCHMARKS §2b), so a decision that holds on one
set of vectors only sits on a ridge; the minimum over the variants is what a method can promise.

Usage (from the worktree root; corpora are kept in SWEEP_BUNDLES, default /tmp/ev13e-bundles-VARIANT.pkl,
delete them after changing segmentation or embedding; the "alone" vectors go to EVENTS_STORE's -alone store):
    HF_HUB_OFFLINE=1 EVENTS_STORE=/tmp/store.sqlite3 python -m bench.event_identity.variants [corpora ...]
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from bench.event_identity import corpora
from bench.event_identity.corpora import Bundle
from bench.event_identity.product import shipped

NAMES = ["basil", "basil-stress", "basil-undated", "ecb", "seeds"]
BUNDLES = os.environ.get("SWEEP_BUNDLES", "/tmp/ev13e-bundles-{variant}.pkl")
# Figures where larger is better, with the target (None: reported, no target).
TARGETS = {
    "story_f1": {"basil": 0.98, "basil-stress": 0.95, "basil-undated": 0.95, "ecb": 0.90, "seeds": 1.0},
    "claims_one_event": {"basil": 0.95, "basil-stress": 0.95, "basil-undated": 0.95, "ecb": 0.95},
    "stories_with_claim": {"basil": 0.75, "basil-stress": 0.75, "basil-undated": 0.75, "ecb": 0.75},
    "pair_p": {"ecb": 0.92},
    "pair_r": {"ecb": 0.40},
}


def bundles(variant: str) -> dict[str, Bundle]:
    """The five corpora embedded by one variant, loaded once and kept in a pickle."""
    path = Path(BUNDLES.format(variant=variant))
    if path.exists():
        with path.open("rb") as handle:
            found: dict[str, Bundle] = pickle.load(handle)
        return found
    corpora.BACKEND = variant
    basil = corpora.load_basil()
    loaded = [basil, corpora.stress(basil), corpora.undated(basil), corpora.load_ecb(), corpora.load_seeds()]
    found = {bundle.name: bundle for bundle in loaded}
    with path.open("wb") as handle:
        pickle.dump(found, handle)
    return found


def cross_story_claims(bundle: Bundle) -> list[str]:
    """The seeds' claims that join two or more gold events (each seed page is its own event), as text."""
    from bench.event_identity.metrics import claim_groups
    from compare.cluster import ClaimOptions, StoryOptions, claim_evidence, claim_index, story_index

    stories = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    evidence = claim_evidence(bundle.articles, bundle.statements, stories.labels)
    labels = claim_index(bundle.statements, bundle.vectors, ClaimOptions(), evidence).labels
    found = []
    for members in claim_groups(bundle, labels):
        if len({bundle.gold_story[bundle.statements[row].article_id] for row in members}) > 1:
            found.append(" || ".join(bundle.statements[row].text[:70] for row in members))
    return found


def main() -> None:
    names = sys.argv[1:] or NAMES
    scores: dict[tuple[str, str], dict[str, float]] = {}
    for variant in corpora.VARIANTS:
        loaded = bundles(variant)
        for name in names:
            scores[variant, name] = shipped(loaded[name])
            if name == "seeds":
                print(f"seeds {variant}: claims across events")
                for text in cross_story_claims(loaded[name]):
                    print("   ", text)
    columns = ["story_p", "story_f1", "claims_cross", "claims_one_event", "stories_with_claim", "pair_p", "pair_r"]
    print("| corpus | variant | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for name in names:
        for variant in (*corpora.VARIANTS, "min"):
            if variant == "min":
                row = {c: min(scores[v, name].get(c, float("nan")) for v in corpora.VARIANTS) for c in columns}
            else:
                row = scores[variant, name]
            cells = [
                "–"
                if c not in row or row[c] != row[c]
                else (f"{row[c]:.0f}" if c == "claims_cross" else f"{row[c]:.3f}")
                for c in columns
            ]
            print(f"| {name} | {variant} | " + " | ".join(cells) + " |")
    margins = [
        (row_min - target, figure, name)
        for figure, by_name in TARGETS.items()
        for name, target in by_name.items()
        if name in names
        for row_min in [min(scores[v, name].get(figure, float("nan")) for v in corpora.VARIANTS)]
        if row_min == row_min
    ]
    print("smallest margins over the variants:", ", ".join(f"{m:+.3f} {f} {n}" for m, f, n in sorted(margins)[:6]))


if __name__ == "__main__":
    main()
