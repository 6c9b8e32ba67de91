"""The shipped story score as a same-event probability: Platt and isotonic maps, topic-wise cross-validated.

For each corpus (BASIL, its stress and undated variants, ECB+ dev) the shipped candidate article
pairs (``story_neighbours``) are scored by ``scored_story_pairs`` (method B) and labelled by the gold
story. The pairs of all corpora are pooled; 5-fold cross-validation holds out whole topics (BASIL:
the stress groups of similar events, held out in all three variants at once; ECB+: its topics).
Prints a reliability table per map: predicted probability bins against the observed same-event share.

Usage (from the worktree root):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.calibration
"""

from __future__ import annotations

import numpy as np

from bench.event_identity.corpora import Bundle
from bench.event_identity.experiment import bundles
from compare.cluster import (
    StoryOptions,
    article_rows,
    scored_story_pairs,
    story_neighbours,
)
from compare.cluster.neighbours import edges_from_neighbours


def scored_pairs(bundle: Bundle) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, same gold story, topic) of every candidate article pair the shipped story stage scores."""
    articles = bundle.articles
    n = len(articles)
    every = article_rows(articles, bundle.statements, bundle.vectors)[0]
    options = StoryOptions()
    found = story_neighbours(every.rows, every, min(options.neighbours, n - 1))
    edges = scored_story_pairs(*edges_from_neighbours(every.rows, found), every, options)
    ids = [article.id for article in articles]
    same = np.array(
        [bundle.gold_story[ids[a]] == bundle.gold_story[ids[b]] for a, b in zip(edges.low, edges.high)], dtype=int
    )
    topic = np.array([bundle.topic.get(ids[a], ids[a]) for a in edges.low.tolist()], dtype=object)
    return edges.similarity.astype(np.float64), same, topic


def reliability(probability: np.ndarray, label: np.ndarray, bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(bin, pairs, mean predicted, observed share) per probability bin."""
    rows = []
    edges = np.linspace(0, 1, bins + 1)
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (probability >= low) & ((probability < high) if high < 1 else (probability <= high))
        if inside.any():
            rows.append(
                (
                    f"{low:.1f}-{high:.1f}",
                    int(inside.sum()),
                    float(probability[inside].mean()),
                    float(label[inside].mean()),
                )
            )
    return rows


def main() -> None:
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    scores, labels, groups, corpus = [], [], [], []
    for name, bundle in bundles().items():
        score, same, topic = scored_pairs(bundle)
        scores.append(score)
        labels.append(same)
        groups.append(np.array([f"{'basil' if name.startswith('basil') else name}:{t}" for t in topic], dtype=object))
        corpus.append(np.full(len(score), name, dtype=object))
    x, y, group, source = (np.concatenate(part) for part in (scores, labels, groups, corpus))
    platt = np.zeros(len(x))
    isotonic = np.zeros(len(x))
    for train, test in GroupKFold(n_splits=5).split(x, y, group):
        model = LogisticRegression().fit(x[train, None], y[train])
        platt[test] = model.predict_proba(x[test, None])[:, 1]
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(x[train], y[train])
        isotonic[test] = iso.predict(x[test])
    whole = LogisticRegression().fit(x[:, None], y)
    print(
        f"pairs: {len(x)} ({int(y.sum())} same event); Platt on all pairs: p = 1 / (1 + exp(-({whole.coef_[0][0]:.3f} x score {whole.intercept_[0]:+.3f})))"
    )
    print(
        f"score at p = 0.5: {-whole.intercept_[0] / whole.coef_[0][0]:.3f} (the story threshold is {StoryOptions().threshold})"
    )
    for label, probability in (("Platt", platt), ("isotonic", isotonic)):
        brier = float(np.mean((probability - y) ** 2))
        print(f"\n{label}, topic-wise 5-fold CV, Brier {brier:.4f}")
        print("| bin | pairs | predicted | observed |\n|---|---|---|---|")
        for name, count, predicted, observed in reliability(probability, y):
            print(f"| {name} | {count} | {predicted:.3f} | {observed:.3f} |")
        for name in ("basil", "basil-stress", "basil-undated", "ecb"):
            mine = source == name
            print(
                f"  {name}: Brier {float(np.mean((probability[mine] - y[mine]) ** 2)):.4f}, mean predicted {probability[mine].mean():.3f}, observed {y[mine].mean():.3f}"
            )


if __name__ == "__main__":
    main()
