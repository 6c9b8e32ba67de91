"""Sweeps of the simple method (fixed conflict penalty, claims inside one story) and a date-agnostic LR,
reported on every corpus at once so no number is chosen on one set.

Usage: HF_HUB_OFFLINE=1 python -m bench.event_identity.sweep
"""

from __future__ import annotations

import numpy as np

from bench.event_identity.experiment import (
    FAMILY,
    all_pairs,
    baseline_story_weights,
    brier,
    claims_cluster,
    conflict_sum,
    fit_lr,
    reliability,
    score,
    stories_from_weights,
)
from bench.event_identity.pairs import ARTICLE_FEATURES, STATEMENT_FEATURES, statement_features
from compare.cluster import CLAIM_ANCHOR_WEIGHT

KEYS = ["story_f1", "story_p", "claims_one_event", "stories_with_claim", "pair_p", "pair_r"]
# Date-agnostic story model: no "unknown" indicators (their meaning flips between dated and undated corpora).
LR_FEATURES = [f for f in ARTICLE_FEATURES if not f.endswith("unknown")]


def fmt(scores: dict[str, float]) -> str:
    return " ".join(f"{k}={scores[k]:.3f}" for k in KEYS if k in scores)


def main() -> None:
    data = all_pairs()
    s_x = {n: statement_features(p.prepared, p.s_rows, p.s_cols, p.s_bonus, {}) for n, p in data.items()}
    print("## simple method: story sim - w * lead conflicts, threshold t; claims in one story at claim threshold c")
    print("| w | t | c | " + " | ".join(data) + " |")
    print("|---|---|---|" + "---|" * len(data))
    for w in (0.0, 0.05, 0.1, 0.15, 0.2):
        for t in (0.3, 0.35, 0.4):
            for c in (0.55, 0.6, 0.65):
                if c != 0.65 and not (w == 0.1 and t == 0.35) and not (w == 0.15 and t == 0.35):
                    continue
                cells = []
                for name, pairs in data.items():
                    weights = baseline_story_weights(pairs, w)
                    labels = stories_from_weights(pairs, weights, t)
                    art = pairs.prepared.article_of
                    same = labels[art[pairs.s_rows]] == labels[art[pairs.s_cols]]
                    cos = s_x[name][:, 0]
                    claim_w = (
                        cos + CLAIM_ANCHOR_WEIGHT * pairs.s_bonus - w * conflict_sum(s_x[name], STATEMENT_FEATURES)
                    )
                    cells.append(fmt(score(pairs, labels, claims_cluster(pairs, same, claim_w, threshold=c))))
                print(f"| {w} | {t} | {c} | " + " | ".join(cells) + " |", flush=True)
    print("\n## date-agnostic LR story model (features: " + ", ".join(LR_FEATURES) + ")")
    columns = [ARTICLE_FEATURES.index(f) for f in LR_FEATURES]
    for held in ("basil", "ecb"):
        train = [p for n, p in data.items() if FAMILY[n] != held]
        model = fit_lr(np.vstack([p.a_x[:, columns] for p in train]), np.concatenate([p.a_y for p in train]))
        for name, pairs in data.items():
            if FAMILY[name] != held:
                continue
            p_article = model.predict_proba(pairs.a_x[:, columns])[:, 1]
            labels = stories_from_weights(pairs, p_article, 0.5)
            art = pairs.prepared.article_of
            same = labels[art[pairs.s_rows]] == labels[art[pairs.s_cols]]
            claim_w = (
                s_x[name][:, 0]
                + CLAIM_ANCHOR_WEIGHT * pairs.s_bonus
                - 0.1 * conflict_sum(s_x[name], STATEMENT_FEATURES)
            )
            print(
                f"LOCO held {name}: {fmt(score(pairs, labels, claims_cluster(pairs, same, claim_w)))} Brier {brier(p_article, pairs.a_y):.3f}",
                flush=True,
            )
    # Topic-wise CV: five folds of topics (BASIL similar-event groups, ECB+ topics), all corpora pooled;
    # a BASIL group is held out in all three BASIL variants at once.
    from sklearn.model_selection import GroupKFold

    names = list(data)
    x = np.vstack([data[n].a_x[:, columns] for n in names])
    y = np.concatenate([data[n].a_y for n in names])
    groups = np.concatenate([np.array([f"{FAMILY[n]}:{g}" for g in data[n].a_group]) for n in names])
    corpus = np.concatenate([np.full(len(data[n].a_y), n) for n in names])
    p = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        p[test] = fit_lr(x[train], y[train]).predict_proba(x[test])[:, 1]
    for name in names:
        pairs = data[name]
        p_article = p[corpus == name]
        labels = stories_from_weights(pairs, p_article, 0.5)
        art = pairs.prepared.article_of
        same = labels[art[pairs.s_rows]] == labels[art[pairs.s_cols]]
        claim_w = (
            s_x[name][:, 0] + CLAIM_ANCHOR_WEIGHT * pairs.s_bonus - 0.1 * conflict_sum(s_x[name], STATEMENT_FEATURES)
        )
        print(
            f"topic-CV {name}: {fmt(score(pairs, labels, claims_cluster(pairs, same, claim_w)))} Brier {brier(p_article, pairs.a_y):.3f}"
        )
        print("| p bin | pairs | mean p | observed |\n|---|---|---|---|")
        for bin_, count, mean, observed in reliability(p_article, pairs.a_y, 5):
            print(f"| {bin_} | {count} | {mean:.3f} | {observed:.3f} |")
    model = fit_lr(x, y)
    print(
        "date-agnostic story LR (all):",
        dict(zip(["intercept", *LR_FEATURES], [round(float(v), 3) for v in [model.intercept_[0], *model.coef_[0]]])),
    )


if __name__ == "__main__":
    main()
