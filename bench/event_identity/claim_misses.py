"""Why the shipped claims miss ECB+ dev's gold pairs, and why they make wrong ones: the first reason on each
pair's path through the claim stage (candidates, gates, score, strong graph, average linkage).

A gold pair is two annotated statements of different documents that share an event chain (the README's
pairwise recall, counted over statements as ``metrics.ecb_claim_scores`` does); a wrong pair is two such
statements in one claim that share no chain. Each missed pair gets the first of, in the stage's order:

- *not candidates*: neither is among the other's 20 nearest statements, and they share no rare anchor;
- *boilerplate*: one of them is (``claim_gate``);
- *across stories*: their articles are in different stories and they share no rare fact (``claim_kept``);
- *below the threshold*: the pair's score (cosine + anchor bonus - conflicts + story bonus) is under 0.65;
  split by whether the conflicts decide it (the score without them reaches the threshold);
- *cap*: the pair is an edge at or above the threshold, and a merge that would have joined them was refused
  because a claim takes at most two statements of one article;
- *average linkage*: the pair is an edge at or above the threshold and no cap refused it: the two claims'
  average fell below the threshold.

Pairs of the first four kinds may still lie in one strong component (joined through others): reported beside.

Usage (from the worktree root; the default backend's vectors, kept in SWEEP_BUNDLES like variants.py):
    EVENTS_STORE=STORE SWEEP_BUNDLES=/tmp/bundles-{variant}.pkl HF_HUB_OFFLINE=1 \
        python -m bench.event_identity.claim_misses [examples per kind]
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np

from bench.event_identity.corpora import Bundle
from bench.event_identity.variants import bundles
from compare.cluster import ClaimOptions, StoryOptions, claim_evidence, claim_index, story_index
from compare.cluster import linkage as linkage_module
from compare.cluster.anchors import anchor_index, lookup_bonus, pairs_from_postings, rare_postings, statement_anchors
from compare.cluster.claims import article_numbers
from compare.cluster.evidence import ClaimEvidence, claim_gate, claim_kept, statement_conflicts
from compare.cluster.neighbours import pair_cosines

VARIANT = "onnx-int8-token"
KINDS = (
    "not candidates",
    "boilerplate",
    "across stories, no rare shared fact",
    "below the threshold: conflicts decide",
    "below the threshold",
    "cap of two per article",
    "average linkage",
)


class CapLog:
    """Records the clusters each refused merge (``_GroupCaps.exceeded``) would have joined."""

    def __init__(self) -> None:
        self.refused: list[tuple[frozenset[int], frozenset[int]]] = []
        self.items: dict[int, frozenset[int]] = {}  # component-local leader -> its members (the last refusal's)

    def install(self) -> Callable[[], None]:
        merging, caps = linkage_module._Merging, linkage_module._GroupCaps
        original_init, original_exceeded = merging.__init__, caps.exceeded
        log = self

        def init(self: linkage_module._Merging, *args: object) -> None:
            original_init(self, *args)  # type: ignore[arg-type]
            self.caps.owner = self  # type: ignore[attr-defined]

        def exceeded(self: linkage_module._GroupCaps, left: int, right: int) -> bool:
            found = original_exceeded(self, left, right)
            if found:
                members = self.owner.members  # type: ignore[attr-defined]
                log.refused.append((frozenset(members.get(left, [left])), frozenset(members.get(right, [right]))))
            return found

        merging.__init__ = init  # type: ignore[method-assign]
        caps.exceeded = exceeded  # type: ignore[method-assign]

        def undo() -> None:
            merging.__init__ = original_init  # type: ignore[method-assign]
            caps.exceeded = original_exceeded  # type: ignore[method-assign]

        return undo

    def refused_pair(self, first: int, second: int) -> bool:
        return any((first in a and second in b) or (first in b and second in a) for a, b in self.refused)


def analysed(bundle: Bundle, options: ClaimOptions) -> dict[str, object]:
    """The shipped stories and claims of one corpus, with what the claim stage saw."""
    stories = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    evidence = claim_evidence(bundle.articles, bundle.statements, stories.labels)
    log = CapLog()
    undo = log.install()
    try:
        index = claim_index(bundle.statements, bundle.vectors, options, evidence)
    finally:
        undo()
    article_of = article_numbers(bundle.statements)
    anchors = anchor_index([statement_anchors(statement) for statement in bundle.statements], article_of)
    pairs = pairs_from_postings(rare_postings(anchors, anchors.rows), article_of)
    return {"stories": stories, "evidence": evidence, "index": index, "pairs": pairs, "log": log}


def pair_facts(bundle: Bundle, state: dict[str, object], low: np.ndarray, high: np.ndarray, options: ClaimOptions):
    """Per pair: candidate, gates, cosine, bonus, conflicts, score (as ``scored_claim_pairs`` gives it)."""
    index, evidence, pairs = state["index"], state["evidence"], state["pairs"]
    assert isinstance(evidence, ClaimEvidence)
    listed: set[tuple[int, int]] = set()
    for row, neighbours in enumerate(index.neighbours.tolist()):  # type: ignore[attr-defined]
        listed.update((min(row, col), max(row, col)) for col in neighbours if col >= 0)
    anchored = set(zip(pairs.low.tolist(), pairs.high.tolist()))  # type: ignore[attr-defined]
    cosine = pair_cosines(bundle.vectors, low, bundle.vectors, high)
    bonus = lookup_bonus(low, high, pairs)  # type: ignore[arg-type]
    conflicts = statement_conflicts(evidence, low, high)
    same_story = evidence.story[low] == evidence.story[high]
    score = (
        cosine + options.anchor_weight * bonus - options.conflict_penalty * conflicts + options.story_bonus * same_story
    )
    return {
        "candidate": np.array([(a, b) in listed or (a, b) in anchored for a, b in zip(low.tolist(), high.tolist())]),
        "gate": claim_gate(evidence, low, high),
        "kept": claim_kept(evidence, low, high),
        "cosine": cosine,
        "bonus": bonus,
        "conflicts": conflicts,
        "same_story": same_story,
        "score": score,
    }


def kind_of(facts: dict[str, np.ndarray], pair: int, options: ClaimOptions, refused: bool) -> str:
    if not facts["candidate"][pair]:
        return KINDS[0]
    if not facts["gate"][pair]:
        return KINDS[1]
    if not facts["kept"][pair]:
        return KINDS[2]
    if facts["score"][pair] < options.threshold:
        without = facts["score"][pair] + options.conflict_penalty * facts["conflicts"][pair]
        return KINDS[3] if without >= options.threshold else KINDS[4]
    return KINDS[5] if refused else KINDS[6]


def gold_and_predicted(bundle: Bundle, labels: np.ndarray) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(gold pairs missed, wrong pairs made) over annotated statements of different documents."""
    events = bundle.statement_events
    annotated = [row for row, statement in enumerate(bundle.statements) if events.get(statement.id) is not None]
    sizes = Counter(labels.tolist())
    missed, wrong = [], []
    for first, second in itertools.combinations(annotated, 2):
        one, other = bundle.statements[first], bundle.statements[second]
        if one.article_id == other.article_id:
            continue
        gold = bool(events[one.id] & events[other.id])  # type: ignore[operator]
        together = labels[first] == labels[second] and sizes[int(labels[first])] >= 2
        if gold and not together:
            missed.append((first, second))
        elif together and not gold:
            wrong.append((first, second))
    return missed, wrong


def report_missed(bundle: Bundle, state: dict[str, object], missed: list[tuple[int, int]], examples: int) -> None:
    options = ClaimOptions()
    index = state["index"]
    log = state["log"]
    assert isinstance(log, CapLog)
    low = np.array([pair[0] for pair in missed], dtype=np.int64)
    high = np.array([pair[1] for pair in missed], dtype=np.int64)
    facts = pair_facts(bundle, state, low, high, options)
    component = index.components  # type: ignore[attr-defined]
    gold_story = [bundle.gold_story[statement.article_id] for statement in bundle.statements]
    table: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[str, list[str]] = defaultdict(list)
    for pair, (first, second) in enumerate(missed):
        kind = kind_of(facts, pair, options, log.refused_pair(first, second))
        table[kind]["all"] += 1
        table[kind]["same story" if facts["same_story"][pair] else "other stories"] += 1
        table[kind]["one gold event" if gold_story[first] == gold_story[second] else "two gold events"] += 1
        table[kind]["one strong component"] += int(component[first] == component[second])
        for low_edge, high_edge in ((0.55, 0.65), (0.45, 0.55)):
            table[kind][f"score {low_edge}-{high_edge}"] += int(low_edge <= facts["score"][pair] < high_edge)
        if len(shown[kind]) < examples:
            shown[kind].append(
                f"  score {facts['score'][pair]:.3f} cos {facts['cosine'][pair]:.3f} bonus {facts['bonus'][pair]:.2f} "
                f"conflicts {facts['conflicts'][pair]:.0f} same story {bool(facts['same_story'][pair])}\n"
                f"    {bundle.statements[first].article_id}: {bundle.statements[first].text[:120]!r}\n"
                f"    {bundle.statements[second].article_id}: {bundle.statements[second].text[:120]!r}"
            )
    columns = [
        "all",
        "same story",
        "other stories",
        "one gold event",
        "one strong component",
        "score 0.55-0.65",
        "score 0.45-0.55",
    ]
    print(f"## missed gold pairs: {len(missed)}")
    print("| first reason | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for kind in KINDS:
        if kind in table:
            print(f"| {kind} | " + " | ".join(str(table[kind][column]) for column in columns) + " |")
    for kind in KINDS:
        if shown[kind]:
            print(f"### {kind}")
            print("\n".join(shown[kind]))


def report_wrong(bundle: Bundle, state: dict[str, object], wrong: list[tuple[int, int]], examples: int) -> None:
    options = ClaimOptions()
    low = np.array([pair[0] for pair in wrong], dtype=np.int64)
    high = np.array([pair[1] for pair in wrong], dtype=np.int64)
    facts = pair_facts(bundle, state, low, high, options)
    gold_story = [bundle.gold_story[statement.article_id] for statement in bundle.statements]
    table: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[str, list[str]] = defaultdict(list)
    for pair, (first, second) in enumerate(wrong):
        if not (facts["candidate"][pair] and facts["gate"][pair] and facts["kept"][pair]):
            kind = "no edge: joined through others"
        elif facts["score"][pair] < options.threshold:
            kind = "edge below the threshold: joined through others"
        elif facts["cosine"][pair] >= options.threshold:
            kind = "cosine alone reaches the threshold"
        elif facts["cosine"][pair] + options.anchor_weight * facts["bonus"][pair] >= options.threshold:
            kind = "the anchor bonus carries it"
        else:
            kind = "the story bonus carries it"
        table[kind]["all"] += 1
        table[kind]["one gold event" if gold_story[first] == gold_story[second] else "two gold events"] += 1
        if len(shown[kind]) < examples:
            shown[kind].append(
                f"  score {facts['score'][pair]:.3f} cos {facts['cosine'][pair]:.3f} bonus {facts['bonus'][pair]:.2f} "
                f"conflicts {facts['conflicts'][pair]:.0f}\n"
                f"    {bundle.statements[first].article_id}: {bundle.statements[first].text[:120]!r}\n"
                f"    {bundle.statements[second].article_id}: {bundle.statements[second].text[:120]!r}"
            )
    print(f"## wrong pairs: {len(wrong)}")
    print("| how they were joined | all | one gold event | two gold events |")
    print("|---|---|---|---|")
    for kind, counts in sorted(table.items(), key=lambda item: -item[1]["all"]):
        print(f"| {kind} | {counts['all']} | {counts['one gold event']} | {counts['two gold events']} |")
    for kind, lines in shown.items():
        print(f"### {kind}")
        print("\n".join(lines))


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    bundle = bundles(VARIANT)["ecb"]
    state = analysed(bundle, ClaimOptions())
    missed, wrong = gold_and_predicted(bundle, state["index"].labels)  # type: ignore[attr-defined]
    report_missed(bundle, state, missed, examples)
    report_wrong(bundle, state, wrong, examples)


if __name__ == "__main__":
    main()
