"""Same-event tests with fewer free numbers, scored on all four corpora and both backends, with
leave-one-corpus-out (a test's numbers chosen without a corpus, scored on it).

Every candidate article pair of a corpus is scored as the product does (``story_neighbours``,
``scored_story_pairs`` without the shared term), and the shared-statement features are kept apart
(``shared_statements``), so each test below is a formula over the same cached pair features,
clustered by the product's average linkage at the story threshold.

The seeds (five pages, five events) are a fifth corpus since ev13d: a gate, not a margin (a cell that
merges two of them misses by how far its F1 falls below 1). A test named "NAME@named" dates the pairs as
the product does since ev13d (``story_date_damping``: two days both leads name are damped beyond a
day), "NAME" as before it (the nearer of the publication and event-day gaps, beyond three days).

Since ev13e every corpus is scored under three sets of vectors (``corpora.VARIANTS``: torch, onnx-int8
batched, onnx-int8 each statement alone; the corpora come from ``variants.bundles``), so a cell's margin
is its smallest over fifteen (corpus, variant) scores: a method that holds on one set of vectors only
shows. ev13e's tests: "soft share" (a ramp around the counterpart cosine instead of a step), "pooled
share" (shared statements of both articles over statements of both), "share floor" (an article's share
over at least k statements), "closest k" (the mean of the k closest statement pairs).

Usage (from the worktree root; the pair features are cached in SWEEP_CACHE, default /tmp/ev13d-sweep.pkl:
delete it after changing the features; a few minutes with the stores filled):
    HF_HUB_OFFLINE=1 SWEEP_CACHE=/tmp/ev13e-sweep.pkl python -m bench.event_identity.identity_sweep \
        [test names[@named] ... | logistic]
"""

from __future__ import annotations

import itertools
import os
import pickle
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.event_identity import corpora
from bench.event_identity.corpora import Bundle
from compare.cluster import AverageLinkage, StoryOptions, article_statements
from compare.cluster.anchors import unique_pairs
from compare.cluster.articles import (
    NO_DAY,
    date_damping,
)
from compare.cluster.evidence import Lead, event_days, lead_conflicts, named_days, story_date_damping
from compare.cluster.neighbours import edges_from_neighbours, pair_cosines, positions
from compare.cluster.shared import SHARED_COSINE, SHARED_STATEMENTS, ArticleStatements, shared_statements
from compare.cluster.stories import article_rows, story_neighbours, story_similarity
from compare.evaluate import bcubed

CACHE = Path(os.environ.get("SWEEP_CACHE", "/tmp/ev13d-sweep.pkl"))
# The seeds are five different events: any merged pair misses (one story per article, F1 1.0).
TARGETS = {"basil": 0.98, "basil-stress": 0.95, "basil-undated": 0.95, "ecb": 0.90, "seeds": 1.0}


def prepared(bundle: Bundle) -> dict:
    """The candidate pairs with the features every test reads, and the gold."""
    n = len(bundle.articles)
    every = article_rows(bundle.articles, bundle.statements, bundle.vectors)[0]._replace(statements=None)
    options = StoryOptions()
    found = story_neighbours(every.rows, every, min(options.neighbours, n - 1))
    low, high = unique_pairs(*edges_from_neighbours(every.rows, found))
    at_low, at_high = positions(every.rows, low), positions(every.rows, high)
    window = options.date_window_days
    events = event_days(every.leads, every.days)
    damping = np.maximum(
        date_damping(every.days, at_low, at_high, window),
        date_damping(events, at_low, at_high, window),
    )
    named = named_days(every.leads, every.days) != NO_DAY
    found = article_statements(bundle.articles, bundle.statements, bundle.vectors)
    shared = shared_statements(found, at_low, at_high)
    from compare.cluster import shared as shared_module

    wider = {}
    for pairs in (5, 8):
        saved, shared_module.CLOSEST_PAIRS = shared_module.CLOSEST_PAIRS, pairs
        wider[pairs] = shared_statements(found, at_low, at_high).closest
        shared_module.CLOSEST_PAIRS = saved
    ids = [a.id for a in bundle.articles]
    gold = np.array([bundle.gold_story[ids[a]] == bundle.gold_story[ids[b]] for a, b in zip(at_low, at_high)])
    return {
        "n": n,
        "low": at_low,
        "high": at_high,
        "base": story_similarity(every.tfidf, every.vectors, at_low, at_high).astype(np.float64),
        "lexical": np.asarray(every.tfidf[at_low].multiply(every.tfidf[at_high]).sum(axis=1)).reshape(-1),
        "semantic": pair_cosines(every.vectors, at_low, every.vectors, at_high).astype(np.float64),
        "damping": damping.astype(np.float64),
        # the product's (since ev13d): two days both leads name are damped beyond a day
        "named_damping": story_date_damping(every.leads, every.days, at_low, at_high, window).astype(np.float64),
        # both leads name the day of their event ("on Monday"): the gap between those days, else -1
        "named_gap": np.where(named[at_low] & named[at_high], np.abs(events[at_low] - events[at_high]), -1),
        "time_gap": np.array([lead_time_gap(every.leads[a], every.leads[b]) for a, b in zip(at_low, at_high)]),
        "conflicts": lead_conflicts(every.leads, at_low, at_high).astype(np.float64),
        "share": shared.share,
        # each statement's closest counterpart in the other article, both sides, padded with nan
        "counterparts": counterparts(found, at_low, at_high),
        "closest": shared.closest,
        "closest5": wider[5],
        "closest8": wider[8],
        "present": shared.present,
        "same": gold,
        "ids": ids,
        "gold": bundle.gold_story,
    }


def counterparts(found: ArticleStatements, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """(pairs, 2 x SHARED_STATEMENTS): the best cosine of each statement of the one article in the other,
    then of each of the other's in the one; nan past an article's statements."""
    width = SHARED_STATEMENTS
    table = np.full((len(low), 2 * width), np.nan)
    for pair, (one, other) in enumerate(zip(low.tolist(), high.tolist())):
        first = found.vectors[found.offsets[one] : found.offsets[one + 1]]
        second = found.vectors[found.offsets[other] : found.offsets[other + 1]]
        if len(first) and len(second):
            cosines = first @ second.T
            table[pair, : len(first)] = cosines.max(axis=1)
            table[pair, width : width + len(second)] = cosines.max(axis=0)
    return table


def lead_time_gap(one: Lead, other: Lead) -> float:
    """The fewest days between a day or week the one lead names and one the other names (inf: either names none)."""
    fine = [[span for span in lead.times if span.period in {"day", "week"}] for lead in (one, other)]
    return min((a.gap(b) for a in fine[0] for b in fine[1]), default=np.inf)


def load_all() -> dict[str, dict]:
    """name backend -> prepared pairs, cached."""
    if CACHE.exists():
        return pickle.loads(CACHE.read_bytes())
    from bench.event_identity.variants import bundles

    data = {
        f"{name} {variant}": prepared(bundle)
        for variant in corpora.VARIANTS
        for name, bundle in bundles(variant).items()
    }
    CACHE.write_bytes(pickle.dumps(data))
    return data


DATINGS: dict[str, Callable[[dict], np.ndarray]] = {
    "shipped": lambda data: data["damping"],
    "named": lambda data: data["named_damping"],
}


def f1(data: dict, shared: np.ndarray, threshold: float = 0.35, dating: str = "shipped") -> float:
    """Story B-cubed F1 with this shared term (per pair) added before the date damping, as the product does."""
    damping = DATINGS[dating](data)
    weights = (data["base"] + np.where(data["present"], shared, 0.0)) * damping - 0.1 * data["conflicts"]
    labels = AverageLinkage(threshold).fit(data["n"], data["low"], data["high"], weights.astype(np.float32)).labels_
    return bcubed({i: str(label) for i, label in zip(data["ids"], labels.tolist())}, data["gold"]).f1


Term = Callable[[dict, tuple], np.ndarray]


def one_number(data: dict, cell: tuple) -> np.ndarray:
    """The candidate with one number: share + closest - base, evidence for divided by 1 + lead conflicts."""
    (base,) = cell
    term = data["share"] + data["closest"] - base
    return np.where(term > 0, term / (1 + data["conflicts"]), term)


def soft_share(data: dict, width: float, pooled: bool = False) -> np.ndarray:
    """The share of statements with a counterpart, each counted by a ramp from SHARED_COSINE - width (0) to
    SHARED_COSINE + width (1) instead of a step at SHARED_COSINE: a cosine moved by vector noise moves the
    share a little, not a whole statement. Width 0 is the shipped share."""
    table = data["counterparts"]
    if width <= 0:
        counted = np.where(np.isnan(table), np.nan, (table >= SHARED_COSINE).astype(np.float64))
    else:
        counted = np.clip((table - (SHARED_COSINE - width)) / (2 * width), 0.0, 1.0)
    half = table.shape[1] // 2
    if pooled:  # shared statements of both over statements of both: a one-statement article weighs one statement
        counts = (~np.isnan(table)).sum(axis=1)
        return np.where(data["present"], np.nansum(counted, axis=1) / np.maximum(counts, 1), 0.0)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        one, other = np.nanmean(counted[:, :half], axis=1), np.nanmean(counted[:, half:], axis=1)
    return np.where(data["present"], 0.5 * (one + other), 0.0)


def one_number_soft(data: dict, cell: tuple) -> np.ndarray:
    """The shipped one-number term with the soft share (``soft_share``): cell = (width, base)."""
    width, base = cell
    term = soft_share(data, width) + data["closest"] - base
    return np.where(term > 0, term / (1 + data["conflicts"]), term)


def one_number_pooled(data: dict, cell: tuple) -> np.ndarray:
    """The shipped one-number term with the share pooled over both articles' statements: cell = (width, base)."""
    width, base = cell
    term = soft_share(data, width, pooled=True) + data["closest"] - base
    return np.where(term > 0, term / (1 + data["conflicts"]), term)


def one_number_floor(data: dict, cell: tuple) -> np.ndarray:
    """The shipped one-number term with each article's share counted over at least ``floor`` statements
    (a one-statement article shares at most 1/floor): cell = (floor, base)."""
    floor, base = cell
    table = data["counterparts"]
    half = table.shape[1] // 2
    counted = np.where(np.isnan(table), 0.0, (table >= SHARED_COSINE).astype(np.float64))
    real = ~np.isnan(table)
    one = counted[:, :half].sum(axis=1) / np.maximum(real[:, :half].sum(axis=1), floor)
    other = counted[:, half:].sum(axis=1) / np.maximum(real[:, half:].sum(axis=1), floor)
    term = np.where(data["present"], 0.5 * (one + other), 0.0) + data["closest"] - base
    return np.where(term > 0, term / (1 + data["conflicts"]), term)


def one_number_closest(data: dict, cell: tuple) -> np.ndarray:
    """The shipped one-number term with the mean of the k closest statement pairs: cell = (k, base)."""
    pairs, base = cell
    closest = data["closest"] if pairs == 3 else data[f"closest{pairs}"]
    term = data["share"] + closest - base
    return np.where(term > 0, term / (1 + data["conflicts"]), term)


def shipped(data: dict, cell: tuple) -> np.ndarray:
    """The shipped term (ev13b): share weight, share base, closest weight, closest base."""
    share_weight, share_base, closest_weight, closest_base = cell
    return share_weight * (data["share"] - share_base) + closest_weight * (data["closest"] - closest_base)


def shipped_divided(data: dict, cell: tuple) -> np.ndarray:
    """The shipped term, its evidence for divided by 1 + lead conflicts."""
    term = shipped(data, cell)
    return np.where(term > 0, term / (1 + data["conflicts"]), term)


def share_only(data: dict, cell: tuple) -> np.ndarray:
    weight, base = cell
    return weight * (data["share"] - base)


def closest_only(data: dict, cell: tuple) -> np.ndarray:
    weight, base = cell
    return weight * (data["closest"] - base)


def summed(data: dict, cell: tuple) -> np.ndarray:
    """One weight for both halves, no division by conflicts."""
    weight, base = cell
    return weight * (data["share"] + data["closest"] - base)


def weighted_divided(data: dict, cell: tuple) -> np.ndarray:
    """The one-number candidate with its weight free as well."""
    weight, base = cell
    return weight * one_number(data, (base,))


BASES = tuple(np.round(np.arange(0.6, 0.951, 0.025), 3).tolist())
FOUR = [
    cell
    for cell in itertools.product((0.0, 0.25, 0.5, 0.75, 1.0), (0.1, 0.2, 0.3), (0.0, 0.5, 1.0), (0.6, 0.65))
    if not (cell[0] == 0 and cell[1] != 0.2) and not (cell[2] == 0 and cell[3] != 0.6)
]
WEIGHTS = tuple(np.round(np.arange(0.5, 1.51, 0.1), 2).tolist())
TESTS: dict[str, tuple[Term, list[tuple]]] = {
    "shipped (four numbers)": (shipped, FOUR),
    "shipped, divided": (shipped_divided, FOUR),
    "one number, divided": (one_number, [(base,) for base in BASES]),
    "one number, weight free": (weighted_divided, list(itertools.product(WEIGHTS, BASES))),
    "one number, soft share": (one_number_soft, list(itertools.product((0.0, 0.025, 0.05, 0.1), BASES))),
    "one number, pooled share": (one_number_pooled, list(itertools.product((0.0, 0.05, 0.1), BASES))),
    "one number, closest k": (one_number_closest, list(itertools.product((3, 5, 8), BASES))),
    "one number, closest 5": (one_number_closest, [(5, base) for base in BASES]),
    "one number, share floor": (one_number_floor, list(itertools.product((1, 2, 3, 5, 8), BASES))),
    "summed, not divided": (summed, list(itertools.product(WEIGHTS, BASES))),
    "share only": (share_only, list(itertools.product((0.25, 0.5, 0.75, 1.0, 1.25, 1.5), (0.1, 0.15, 0.2, 0.25, 0.3)))),
    "closest only": (closest_only, list(itertools.product((0.25, 0.5, 0.75, 1.0, 1.5), (0.55, 0.6, 0.65, 0.7)))),
}


def logistic(data: dict[str, dict]) -> None:
    """A logistic regression on the pair features (similarity, share, closest, all damped; conflicts),
    its probability as the linkage weight cut at 0.5, in sample and leaving one corpus out."""
    from sklearn.linear_model import LogisticRegression

    def features(d: dict) -> np.ndarray:
        present = d["present"]
        return np.column_stack(
            [
                d["base"] * d["damping"],
                np.where(present, d["share"], 0) * d["damping"],
                np.where(present, d["closest"], 0) * d["damping"],
                d["conflicts"],
            ]
        )

    def fitted(keys: list[str]) -> LogisticRegression:
        x = np.vstack([features(data[key]) for key in keys])
        y = np.concatenate([data[key]["same"] for key in keys])
        return LogisticRegression(C=10.0, max_iter=1000).fit(x, y)

    def scored(model: LogisticRegression, d: dict) -> float:
        weights = model.predict_proba(features(d))[:, 1].astype(np.float32)
        labels = AverageLinkage(0.5).fit(d["n"], d["low"], d["high"], weights).labels_
        return bcubed({i: str(label) for i, label in zip(d["ids"], labels.tolist())}, d["gold"]).f1

    names = list(data)
    whole = fitted(names)
    print("\n## logistic regression, p >= 0.5 as the linkage cut")
    print("in sample: " + " | ".join(f"{name} {scored(whole, data[name]):.3f}" for name in names))
    for held in TARGETS:
        model = fitted([name for name in names if name.split()[0] != held])
        print(
            f"| without {held} | "
            + "; ".join(f"{scored(model, data[k]):.3f}" for k in names if k.split()[0] == held)
            + f" | {TARGETS[held]} |"
        )


def evaluate(data: dict[str, dict], name: str, dating: str = "shipped") -> None:
    """The test's cells on every corpus, the best in sample, and leave-one-corpus-out. The seeds are a gate,
    not a margin: a cell that merges two of them misses by how far its F1 falls below 1."""
    term, cells = TESTS[name]
    names = list(data)
    scores = {cell: {key: f1(d, term(d, cell), dating=dating) for key, d in data.items()} for cell in cells}

    def margin(cell: tuple, keys: list[str]) -> float:
        found = [scores[cell][key] - TARGETS[key.split()[0]] for key in keys]
        stand_ins = [m for key, m in zip(keys, found) if not key.startswith("seeds")]
        return min(stand_ins + [m for m in found if m < 0])

    print(f"\n## {name}, dated {dating}: {len(cells)} cells")
    print("| cell | " + " | ".join(names) + " | margin |")
    print("|---|" + "---|" * (len(names) + 1))
    for cell in sorted(cells, key=lambda cell: -margin(cell, names))[:5]:
        print(f"| {cell} | " + " | ".join(f"{scores[cell][k]:.3f}" for k in names) + f" | {margin(cell, names):+.3f} |")
    print(
        "leave one corpus out (the cell with the largest margin on the other corpora; ties: every tied cell's worst):"
    )
    worst = []
    for held in TARGETS:
        kept = [key for key in names if key.split()[0] != held]
        cell = max(cells, key=lambda cell: margin(cell, kept))
        tied = [other for other in cells if margin(other, kept) == margin(cell, kept)]
        held_keys = [k for k in names if k.split()[0] == held]
        found = min(scores[other][k] - TARGETS[held] for other in tied for k in held_keys)
        if held != "seeds" or found < 0:
            worst.append(found)
        print(
            f"| without {held} | {cell} | "
            + "; ".join(f"{scores[cell][k]:.3f}" for k in held_keys)
            + f" | {TARGETS[held]} | {len(tied)} tied, worst margin {found:+.3f} |"
        )
    print(f"leave-one-corpus-out minimum margin: {min(worst):+.3f}")


def main() -> None:
    import sys

    data = load_all()
    for name in sys.argv[1:] or [*TESTS, "logistic"]:
        if name == "logistic":
            logistic(data)
        else:
            evaluate(data, *name.split("@"))


if __name__ == "__main__":
    main()
