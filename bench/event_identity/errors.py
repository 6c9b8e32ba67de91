"""The story errors of the shipped score on the dev sets: articles wrongly together (merges) and wrongly
apart (splits), with what the story score saw of each pair, for sorting them into kinds by hand.

A merge is listed per pair of gold events in one predicted story (its closest cross pair); a split per
gold event cut into pieces (each stray piece against the event's largest piece, its closest pair).
Pair counts are the B-cubed-relevant article pairs.

Usage (from the worktree root; the default backend's vectors, kept in SWEEP_BUNDLES like variants.py):
    HF_HUB_OFFLINE=1 EVENTS_STORE=/tmp/store.sqlite3 python -m bench.event_identity.errors [VARIANT] [corpora ...]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import combinations

import numpy as np

from bench.event_identity.corpora import Bundle
from bench.event_identity.variants import NAMES, bundles
from compare.cluster import StoryOptions, story_index
from compare.cluster.articles import NO_DAY
from compare.cluster.evidence import lead_conflicts, named_days, story_date_damping
from compare.cluster.shared import shared_statement_scores, shared_statements
from compare.cluster.stories import ArticleRows, article_rows, scored_story_pairs, story_similarity
from compare.model.defaults import STORY_DATE_WINDOW_DAYS

DEFAULT_VARIANT = "onnx-int8-token"


def pair_features(every: ArticleRows, first: int, second: int) -> dict[str, float]:
    """What ``scored_story_pairs`` reads of one article pair, term by term."""
    low, high = np.array([min(first, second)]), np.array([max(first, second)])
    assert every.statements is not None
    found = shared_statements(every.statements, low, high)
    named = named_days(every.leads, every.days)
    return {
        "score": float(scored_story_pairs(low, high, every).similarity[0]),
        "similarity": float(story_similarity(every.tfidf, every.vectors, low, high)[0]),
        "share": float(found.share[0]),
        "closest": float(found.closest[0]),
        "shared": float(shared_statement_scores(every.statements, low, high)[0]),
        "conflicts": float(lead_conflicts(every.leads, low, high)[0]),
        "damping": float(story_date_damping(every.leads, every.days, low, high, STORY_DATE_WINDOW_DAYS)[0]),
        "named_days": float(named[low[0]] != NO_DAY) + float(named[high[0]] != NO_DAY),
    }


def _closest(every: ArticleRows, one: list[int], other: list[int]) -> tuple[int, int, dict[str, float]]:
    """The pair of the two groups with the highest story score."""
    best: tuple[int, int, dict[str, float]] | None = None
    for first in one:
        for second in other:
            features = pair_features(every, first, second)
            if best is None or features["score"] > best[2]["score"]:
                best = (first, second, features)
    assert best is not None
    return best


def _describe(bundle: Bundle, row: int) -> str:
    article = bundle.articles[row]
    lead = next((s.text for s in bundle.statements if s.article_id == article.id and s.index == 0), "")
    return f"{article.id} [{article.outlet}, {article.published or 'undated'}] {article.title[:70]!r} | {lead[:110]!r}"


def errors(bundle: Bundle) -> None:
    """Prints the merges and splits of the shipped story stage on one corpus."""
    index = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    every, _ = article_rows(bundle.articles, bundle.statements, bundle.vectors)
    gold = [bundle.gold_story[article.id] for article in bundle.articles]
    predicted = index.labels.tolist()
    by_story: dict[int, list[int]] = defaultdict(list)
    by_gold: dict[str, list[int]] = defaultdict(list)
    for row, (label, event) in enumerate(zip(predicted, gold)):
        by_story[label].append(row)
        by_gold[event].append(row)
    print(f"## {bundle.name}: {len(by_gold)} gold events, {len(by_story)} stories")
    for label, members in by_story.items():
        events: dict[str, list[int]] = defaultdict(list)
        for row in members:
            events[gold[row]].append(row)
        for (one_event, one), (other_event, other) in combinations(events.items(), 2):
            first, second, features = _closest(every, one, other)
            print(f"MERGE story {label}: {len(one)}x{len(other)} pairs of {one_event[:12]} / {other_event[:12]}")
            print("   ", _describe(bundle, first))
            print("   ", _describe(bundle, second))
            print("   ", " ".join(f"{key} {value:.3f}" for key, value in features.items()))
    for event, members in by_gold.items():
        pieces: dict[int, list[int]] = defaultdict(list)
        for row in members:
            pieces[predicted[row]].append(row)
        if len(pieces) < 2:
            continue
        ordered = sorted(pieces.values(), key=len, reverse=True)
        apart = len(members) * (len(members) - 1) // 2 - sum(len(p) * (len(p) - 1) // 2 for p in ordered)
        print(f"SPLIT event {event}: pieces {[len(p) for p in ordered]}, {apart} pairs apart")
        for stray in ordered[1:]:
            first, second, features = _closest(every, ordered[0], stray)
            print(f"  stray piece of {len(stray)}")
            print("   ", _describe(bundle, first))
            print("   ", _describe(bundle, second))
            print("   ", " ".join(f"{key} {value:.3f}" for key, value in features.items()))


def main() -> None:
    arguments = sys.argv[1:]
    variant = arguments.pop(0) if arguments and arguments[0] not in NAMES else DEFAULT_VARIANT
    loaded = bundles(variant)
    for name in arguments or NAMES:
        errors(loaded[name])


if __name__ == "__main__":
    main()
