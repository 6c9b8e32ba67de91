"""Calibrated same-event models for article pairs (stories) and statement pairs (claims), validated
leave-one-corpus-out and topic-wise, against today's defaults and simpler alternatives.

Usage (from the worktree root; features are cached under /tmp/events-cache):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.experiment
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.event_identity.corpora import Bundle, load, stress, undated
from bench.event_identity.metrics import claim_groups, claim_scores, story_scores
from bench.event_identity.pairs import (
    ARTICLE_FEATURES,
    STATEMENT_FEATURES,
    Prepared,
    article_candidates,
    article_features,
    gold_same_story,
    prepare,
    statement_candidates,
    statement_features,
)
from compare.cluster import (
    CLAIM_ANCHOR_WEIGHT,
    CLAIM_THRESHOLD,
    STORY_THRESHOLD,
    AverageLinkage,
)
from compare.cluster.articles import date_damping
from compare.cluster.stories import story_similarity

CACHE = Path(os.environ.get("EVENTS_CACHE", "/tmp/events-cache"))
CORPORA = ["basil", "basil-stress", "basil-undated", "ecb"]


@dataclass
class Pairs:
    """One corpus's candidate pairs with features and gold labels."""

    name: str
    prepared: Prepared
    a_rows: np.ndarray
    a_cols: np.ndarray
    a_x: np.ndarray
    a_y: np.ndarray
    a_group: np.ndarray  # topic group of the pair (of its first article) for topic-wise CV
    s_rows: np.ndarray
    s_cols: np.ndarray
    s_bonus: np.ndarray


def bundles() -> dict[str, Bundle]:
    """The four corpora; the BASIL variants share statements and vectors (only dates differ)."""
    basil = load("basil")
    stressed = stress(basil)
    basil.topic = dict(stressed.topic)  # similar-event groups: held out together in topic-wise CV
    plain_undated = undated(basil)
    plain_undated.topic = dict(stressed.topic)
    return {"basil": basil, "basil-stress": stressed, "basil-undated": plain_undated, "ecb": load("ecb")}


def build_pairs(bundle: Bundle) -> Pairs:
    """Prepared features and candidates of a corpus (article features now; statement features need p)."""
    prepared = prepare(bundle)
    a_rows, a_cols = article_candidates(prepared)
    a_x = article_features(prepared, a_rows, a_cols)
    a_y = gold_same_story(bundle, a_rows, a_cols)
    topics = [bundle.topic.get(a.id, a.id) for a in bundle.articles]
    a_group = np.array([topics[r] for r in a_rows.tolist()], dtype=object)
    s_rows, s_cols, s_bonus = statement_candidates(prepared)
    return Pairs(bundle.name, prepared, a_rows, a_cols, a_x, a_y, a_group, s_rows, s_cols, s_bonus)


def all_pairs() -> dict[str, Pairs]:
    """Pairs of every corpus, cached on disk (delete /tmp/events-cache to rebuild)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "pairs.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    result = {name: build_pairs(bundle) for name, bundle in bundles().items()}
    path.write_bytes(pickle.dumps(result))
    return result


# ---------------------------------------------------------------- models


def fit_lr(x: np.ndarray, y: np.ndarray, c: float = 1.0):  # type: ignore[no-untyped-def]
    """Plain logistic regression on raw features (coefficients ship as numbers; no scaler)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(bin, pairs, mean predicted, observed rate) per probability decile."""
    table = []
    edges = np.linspace(0, 1, bins + 1)
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (p >= low) & ((p < high) | (high == 1.0))
        if inside.any():
            table.append((f"{low:.1f}-{high:.1f}", int(inside.sum()), float(p[inside].mean()), float(y[inside].mean())))
    return table


def brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


# ---------------------------------------------------------------- clustering


def stories_from_weights(pairs: Pairs, weights: np.ndarray, threshold: float) -> np.ndarray:
    """Average linkage over the candidate article pairs with these edge weights."""
    n = len(pairs.prepared.bundle.articles)
    return AverageLinkage(threshold).fit(n, pairs.a_rows, pairs.a_cols, weights).labels_


def baseline_story_weights(pairs: Pairs, conflict_weight: float = 0.0) -> np.ndarray:
    """compare.cluster's story similarity on the candidates, minus a fixed penalty per lead conflict."""
    p = pairs.prepared
    similarity = story_similarity(p.tfidf, p.embedded, pairs.a_rows, pairs.a_cols) * date_damping(
        p.days, pairs.a_rows, pairs.a_cols, 3
    )
    if conflict_weight:
        names = ARTICLE_FEATURES
        conflicts = pairs.a_x[
            :,
            [
                names.index(f)
                for f in (
                    "lead_person_conflict",
                    "lead_place_conflict",
                    "lead_number_conflict",
                    "lead_year_conflict",
                    "lead_time_conflict",
                )
            ],
        ]
        similarity = similarity - conflict_weight * conflicts.sum(axis=1)
    return similarity


def adaptive_threshold(weights: np.ndarray, rows: np.ndarray, n: int) -> float:
    """A corpus-adaptive story threshold: halfway between the typical best-neighbour similarity and the
    typical candidate similarity (medians), so a corpus of close topics gets a higher bar."""
    best = np.full(n, -np.inf)
    np.maximum.at(best, rows, weights)
    return float(0.5 * (np.median(best[np.isfinite(best)]) + np.median(weights)))


def story_labels_dict(pairs: Pairs, labels: np.ndarray) -> dict[str, str]:
    return {a.id: str(label) for a, label in zip(pairs.prepared.bundle.articles, labels.tolist())}


def article_probabilities_all(pairs: Pairs, model, story_labels: np.ndarray) -> dict[tuple[int, int], float]:  # type: ignore[no-untyped-def]
    """The story model's probability for every article pair that a statement candidate joins."""
    keys = set()
    art = pairs.prepared.article_of
    for r, c in zip(pairs.s_rows.tolist(), pairs.s_cols.tolist()):
        a, b = int(art[r]), int(art[c])
        keys.add((min(a, b), max(a, b)))
    ordered = sorted(keys)
    rows = np.array([k[0] for k in ordered], dtype=np.int64)
    cols = np.array([k[1] for k in ordered], dtype=np.int64)
    x = article_features(pairs.prepared, rows, cols)
    p = model.predict_proba(x)[:, 1]
    return dict(zip(ordered, p.tolist()))


def claims_cluster(
    pairs: Pairs,
    keep: np.ndarray,
    weights: np.ndarray,
    threshold: float = CLAIM_THRESHOLD,
    drop_boilerplate: bool = True,
) -> np.ndarray:
    """Average linkage (max two statements per article) over the kept statement pairs."""
    prepared = pairs.prepared
    n = len(prepared.bundle.statements)
    if drop_boilerplate:
        keep = keep & ~prepared.boilerplate[pairs.s_rows] & ~prepared.boilerplate[pairs.s_cols]
    return (
        AverageLinkage(threshold, 2)
        .fit(n, pairs.s_rows[keep], pairs.s_cols[keep], weights[keep], prepared.article_of)
        .labels_
    )


def score(pairs: Pairs, story_labels: np.ndarray, claim_labels: np.ndarray) -> dict[str, float]:
    bundle = pairs.prepared.bundle
    scores = story_scores(bundle, story_labels_dict(pairs, story_labels))
    scores.update(claim_scores(bundle, claim_groups(bundle, claim_labels)))
    return scores


FAMILY = {"basil": "basil", "basil-stress": "basil", "basil-undated": "basil", "ecb": "ecb"}
PENALTY = 0.1  # the simple alternative's fixed weight per conflict (set a priori, not tuned)


def statement_matrix(pairs: Pairs, story_model) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Statement pair features (with the story model's article probability) and the same-event label."""
    probability = article_probabilities_all(pairs, story_model, np.zeros(0))
    x = statement_features(pairs.prepared, pairs.s_rows, pairs.s_cols, pairs.s_bonus, probability)
    art = pairs.prepared.article_of
    y = gold_same_story(pairs.prepared.bundle, art[pairs.s_rows].tolist(), art[pairs.s_cols].tolist())
    return x, y


def evaluate_models(
    pairs: Pairs,
    story_model,
    statement_model,
    statement_x: np.ndarray,
    label: str,  # type: ignore[no-untyped-def]
) -> list[tuple[str, str, dict[str, float]]]:
    """Stories at p >= 0.5 and claims gated by (a) same predicted story, (b) statement event p >= 0.5."""
    out = []
    p_article = story_model.predict_proba(pairs.a_x)[:, 1]
    stories = stories_from_weights(pairs, p_article, 0.5)
    cos = statement_x[:, STATEMENT_FEATURES.index("cos")]
    weight = cos + CLAIM_ANCHOR_WEIGHT * pairs.s_bonus
    art = pairs.prepared.article_of
    same_story = stories[art[pairs.s_rows]] == stories[art[pairs.s_cols]]
    out.append(
        (
            f"{label}: stories p>=0.5, claims in one predicted story",
            pairs.name,
            score(pairs, stories, claims_cluster(pairs, same_story, weight)),
        )
    )
    p_statement = statement_model.predict_proba(statement_x)[:, 1]
    out.append(
        (
            f"{label}: stories p>=0.5, claims where statement p_event>=0.5",
            pairs.name,
            score(pairs, stories, claims_cluster(pairs, p_statement >= 0.5, weight)),
        )
    )
    out.append(
        (
            f"{label}: claims one story AND p_event>=0.5",
            pairs.name,
            score(pairs, stories, claims_cluster(pairs, same_story & (p_statement >= 0.5), weight)),
        )
    )
    return out


def conflict_sum(x: np.ndarray, names: list[str], prefix: str = "") -> np.ndarray:
    chosen = [i for i, f in enumerate(names) if f.endswith("conflict")]
    return x[:, chosen].sum(axis=1)


def main() -> None:
    from bench.event_identity.score import print_table

    started = time.perf_counter()
    data = all_pairs()
    print(f"pairs ready in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    for name, pairs in data.items():
        print(
            name,
            {k: round(v, 2) for k, v in pairs.prepared.seconds.items()},
            "article pairs",
            len(pairs.a_y),
            "positives",
            int(pairs.a_y.sum()),
            "statement pairs",
            len(pairs.s_rows),
            "boilerplate",
            int(pairs.prepared.boilerplate.sum()),
            "of",
            len(pairs.prepared.boilerplate),
            file=sys.stderr,
        )
    rows: list[tuple[str, str, dict[str, float]]] = []
    everything = {name: np.ones(len(p.s_rows), dtype=bool) for name, p in data.items()}
    for name, pairs in data.items():
        vectors = pairs.prepared.bundle.vectors
        cos = np.einsum("ij,ij->i", vectors[pairs.s_rows], vectors[pairs.s_cols])
        claim_w = cos + CLAIM_ANCHOR_WEIGHT * pairs.s_bonus
        base_labels = stories_from_weights(pairs, baseline_story_weights(pairs), STORY_THRESHOLD)
        rows.append(
            (
                "A baseline (today's defaults)",
                name,
                score(pairs, base_labels, claims_cluster(pairs, everything[name], claim_w, drop_boilerplate=False)),
            )
        )
        # B: the simple alternative: fixed conflict penalties, claims kept inside one story, no boilerplate.
        penalised = baseline_story_weights(pairs, PENALTY)
        labels = stories_from_weights(pairs, penalised, STORY_THRESHOLD)
        art = pairs.prepared.article_of
        same = labels[art[pairs.s_rows]] == labels[art[pairs.s_cols]]
        s_x = statement_features(pairs.prepared, pairs.s_rows, pairs.s_cols, pairs.s_bonus, {})
        s_conf = conflict_sum(s_x, STATEMENT_FEATURES)
        rows.append(
            (
                f"B conflicts -{PENALTY}/each, claims in one story, no boilerplate",
                name,
                score(pairs, labels, claims_cluster(pairs, same, claim_w - PENALTY * s_conf)),
            )
        )
        # C: corpus-adaptive threshold on the penalised similarity.
        n = len(pairs.prepared.bundle.articles)
        threshold = adaptive_threshold(penalised, pairs.a_rows, n)
        labels = stories_from_weights(pairs, penalised, threshold)
        same = labels[art[pairs.s_rows]] == labels[art[pairs.s_cols]]
        scores = score(pairs, labels, claims_cluster(pairs, same, claim_w - PENALTY * s_conf))
        scores["threshold"] = threshold
        rows.append(("C as B with adaptive story threshold", name, scores))
    # D: logistic regression, leave one corpus family out.
    reliability_rows = []
    for held in ("basil", "ecb"):
        train = [p for n_, p in data.items() if FAMILY[n_] != held]
        test = [p for n_, p in data.items() if FAMILY[n_] == held]
        story_model = fit_lr(np.vstack([p.a_x for p in train]), np.concatenate([p.a_y for p in train]))
        train_s = [statement_matrix(p, story_model) for p in train]
        statement_model = fit_lr(np.vstack([x for x, _ in train_s]), np.concatenate([y for _, y in train_s]))
        for pairs in test:
            s_x, s_y = statement_matrix(pairs, story_model)
            rows.extend(
                evaluate_models(
                    pairs, story_model, statement_model, s_x, f"D LR trained on {'ecb' if held == 'basil' else 'basil'}"
                )
            )
            reliability_rows.append(
                (
                    pairs.name,
                    "article",
                    reliability(story_model.predict_proba(pairs.a_x)[:, 1], pairs.a_y),
                    brier(story_model.predict_proba(pairs.a_x)[:, 1], pairs.a_y),
                )
            )
            reliability_rows.append(
                (
                    pairs.name,
                    "statement",
                    reliability(statement_model.predict_proba(s_x)[:, 1], s_y),
                    brier(statement_model.predict_proba(s_x)[:, 1], s_y),
                )
            )
    # E: trained on everything (the coefficients to ship); in-sample, so read with care.
    story_model = fit_lr(np.vstack([p.a_x for p in data.values()]), np.concatenate([p.a_y for p in data.values()]))
    mats = {n_: statement_matrix(p, story_model) for n_, p in data.items()}
    statement_model = fit_lr(np.vstack([m[0] for m in mats.values()]), np.concatenate([m[1] for m in mats.values()]))
    for name, pairs in data.items():
        rows.extend(
            evaluate_models(pairs, story_model, statement_model, mats[name][0], "E LR trained on all (in-sample)")
        )
    print_table(rows)
    print()
    print(
        "story model (all):",
        dict(
            zip(
                ["intercept", *ARTICLE_FEATURES],
                [round(float(v), 3) for v in [story_model.intercept_[0], *story_model.coef_[0]]],
            )
        ),
    )
    print(
        "statement model (all):",
        dict(
            zip(
                ["intercept", *STATEMENT_FEATURES],
                [round(float(v), 3) for v in [statement_model.intercept_[0], *statement_model.coef_[0]]],
            )
        ),
    )
    for name, kind, table, score_ in reliability_rows:
        print(f"\nreliability {kind} pairs, {name} (held out), Brier {score_:.3f}")
        print("| p bin | pairs | mean p | observed |")
        print("|---|---|---|---|")
        for bin_, count, mean, observed in table:
            print(f"| {bin_} | {count} | {mean:.3f} | {observed:.3f} |")


if __name__ == "__main__":
    # Run through the importable module, so the pickled cache names bench.event_identity.experiment.Pairs.
    from bench.event_identity import experiment

    experiment.main()
