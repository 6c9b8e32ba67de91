"""Claim rules tried against the causes ``claim_misses`` finds, on the five sets with the shipped stories.

Each rule changes one step of the claim stage as it was before branch ev13g (patched here; the leads' evidence
that ev13g shipped, ``story_leads``, is switched off, and ``lead-bonus-when 0.1`` gives it back):

- ``shipped``: as ``compare.cluster.claim_index`` made claims before ev13g;
- ``exact``: average linkage with every pair inside a strong component of at most 400 statements scored
  as ``scored_claim_pairs`` scores a candidate (a pair no search found counts its score, not 0; gated pairs
  still count 0): for the pairs lost in the linkage and the pairs never candidates;
- ``no-place-conflicts``: places no longer count as a conflict between two statements (one sentence says
  "Vancouver", another "Canada", a third "Minneapolis" for a Bloomington shooting);
- ``story-years-background``: inside one story, years no longer conflict between two statements (the story
  already fixed when its event happened; "after hosting the 2007 ceremony" is background);
- ``story-times-background``: the same for years and resolved times;
- ``lead-bonus W``: two articles' first statements in one story gain W (the lead says what happened);
- ``lead-bonus-agree W``: the same where the two articles' leads do not conflict (``pair_conflicts``);
- ``lead-bonus-when W``: the same where the two first statements do not disagree on when (their years or
  resolved times: a conflict already costs 0.1, so there the bonus does not cancel it);
- ``norp-conflicts``: one more conflict where both statements name nationalities or groups (spaCy NORP) and
  share none ("an Australian climber" / "a British climber"); ``norp-lead-bonus W`` with the lead bonus too.

W is given for every rule (0 where it has none), before the corpora.

Usage (from the worktree root; the default backend's vectors, kept in SWEEP_BUNDLES like variants.py):
    EVENTS_STORE=STORE SWEEP_BUNDLES=/tmp/bundles-{variant}.pkl HF_HUB_OFFLINE=1 \
        python -m bench.event_identity.claim_rules RULE W [--threshold T] [corpora ...]
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from typing import Any

import numpy as np

from bench.event_identity.corpora import Bundle
from bench.event_identity.metrics import claim_groups, claim_scores, story_scores
from bench.event_identity.score import print_table
from bench.event_identity.variants import NAMES, bundles
from compare.cluster import ClaimOptions, StoryOptions, claim_evidence, claim_index, story_index
from compare.cluster import claims as claims_module
from compare.cluster.anchors import no_pairs
from compare.cluster.components import Edges, strong_component_labels
from compare.cluster.evidence import TIME_SLACK_DAYS, ClaimEvidence, Lead, article_leads, pair_conflicts
from compare.cluster.neighbours import pair_cosines
from compare.segment.mentions import set_conflict
from compare.segment.times import time_conflict

VARIANT = os.environ.get("CLAIM_RULES_VARIANT", "onnx-int8-token")  # another of variants.py's sets of vectors
EXACT_LIMIT = 400  # statements of a strong component whose every pair is scored
RULES = (
    "shipped",
    "exact",
    "no-place-conflicts",
    "story-years-background",
    "story-times-background",
    "lead-bonus",
    "lead-bonus-agree",
    "lead-bonus-when",
    "norp-conflicts",
    "norp-lead-bonus",
)


class Rule:
    """One rule patched into ``compare.cluster.claims`` for the run of one corpus at a time."""

    def __init__(self, name: str, weight: float) -> None:
        self.name, self.weight = name, weight
        self.bundle: Bundle | None = None
        self.evidence: ClaimEvidence | None = None
        self.first: np.ndarray = np.zeros(0, dtype=bool)  # each statement: its article's first
        self.article: np.ndarray = np.zeros(0, dtype=np.int64)
        self.leads: list[Lead] = []
        self.groups: list[frozenset[str]] = []
        self._score = claims_module.scored_claim_pairs
        self._linked = claims_module._linked
        self._conflicts = claims_module.statement_conflicts

    def install(self) -> None:
        # Every rule is measured against main's claim stage before ev13g: the shipped leads' evidence off.
        claims_module.story_leads = lambda evidence, low, high: np.zeros(len(low), dtype=bool)
        if self.name == "exact":
            claims_module._linked = self.linked  # type: ignore[assignment]
        elif self.name in ("no-place-conflicts", "story-years-background", "story-times-background"):
            claims_module.statement_conflicts = self.conflicts_without
        if "lead-bonus" in self.name:
            claims_module.scored_claim_pairs = self.scored  # type: ignore[assignment]
        if self.name.startswith("norp"):
            claims_module.statement_conflicts = self.conflicts_with_groups

    def prepare(self, bundle: Bundle, evidence: ClaimEvidence) -> None:
        position = {article.id: row for row, article in enumerate(bundle.articles)}
        self.bundle, self.evidence = bundle, evidence
        self.first = np.array([statement.index == 0 for statement in bundle.statements], dtype=bool)
        self.article = np.array([position[statement.article_id] for statement in bundle.statements], dtype=np.int64)
        self.leads = article_leads(bundle.articles, bundle.statements)
        self.groups = [
            frozenset(text.lower().rstrip("s") for text, label in statement.entities if label == "NORP")
            for statement in bundle.statements
        ]

    def linked(self, n: int, edges: Edges, options: ClaimOptions, article_of: np.ndarray) -> Any:
        assert self.bundle is not None and self.evidence is not None
        component = strong_component_labels(n, edges.low, edges.high, edges.similarity, options.threshold)
        sizes = np.bincount(component) if n else np.zeros(0, dtype=np.int64)
        low_parts, high_parts = [], []
        for label in np.flatnonzero((sizes >= 3) & (sizes <= EXACT_LIMIT)).tolist():
            members = np.flatnonzero(component == label)
            first, second = np.triu_indices(len(members), k=1)
            low_parts.append(members[first])
            high_parts.append(members[second])
        if low_parts:
            vectors = self.bundle.vectors

            def cosines(low: np.ndarray, high: np.ndarray) -> np.ndarray:
                return pair_cosines(vectors, low, vectors, high)

            extra = self._score(
                np.concatenate(low_parts), np.concatenate(high_parts), no_pairs(), cosines, options, self.evidence
            )
            # The linkage keeps the larger of a pair given twice: the candidates keep their anchor bonus.
            edges = Edges(*(np.concatenate([mine, theirs]) for mine, theirs in zip(edges, extra)))
        return self._linked(n, edges, options, article_of)

    def conflicts_without(self, evidence: ClaimEvidence, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Places never conflict; or, inside one story, years and times do not (the story has one time)."""
        counts = np.zeros(len(low), dtype=np.float32)
        for pair, (first, second) in enumerate(zip(low.tolist(), high.tolist())):
            one, other = evidence.mentions[first], evidence.mentions[second]
            times: tuple[Any, Any] = (evidence.times[first], evidence.times[second])
            if not ((one or times[0]) and (other or times[1])):
                continue
            if self.name == "no-place-conflicts":
                one, other = replace(one, places=frozenset()), replace(other, places=frozenset())
            elif evidence.story[first] == evidence.story[second] and self.name == "story-years-background":
                one, other = replace(one, years=frozenset()), replace(other, years=frozenset())
            elif evidence.story[first] == evidence.story[second]:
                one, other, times = replace(one, years=frozenset()), replace(other, years=frozenset()), ((), ())
            counts[pair] = pair_conflicts(Lead(one, times[0]), Lead(other, times[1]), across_labels=True)
        return counts

    def conflicts_with_groups(self, evidence: ClaimEvidence, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """The shipped conflicts, plus one where both statements name nationalities or groups and share none."""
        counts = self._conflicts(evidence, low, high)
        for pair, (first, second) in enumerate(zip(low.tolist(), high.tolist())):
            one, other = self.groups[first], self.groups[second]
            counts[pair] += bool(one and other and not one & other)
        return counts

    def scored(self, *arguments: Any) -> Edges:
        edges = self._score(*arguments)
        evidence = arguments[5] if len(arguments) > 5 else None
        if evidence is None:
            return edges
        leads = (
            self.first[edges.low] & self.first[edges.high] & (evidence.story[edges.low] == evidence.story[edges.high])
        )
        if self.name == "lead-bonus-agree":
            for pair in np.flatnonzero(leads).tolist():
                one, other = self.article[edges.low[pair]], self.article[edges.high[pair]]
                leads[pair] = not pair_conflicts(self.leads[one], self.leads[other])
        if self.name == "lead-bonus-when":
            for pair in np.flatnonzero(leads).tolist():
                first, second = int(edges.low[pair]), int(edges.high[pair])
                one, other = evidence.mentions[first], evidence.mentions[second]
                leads[pair] = not (
                    set_conflict(one.years, other.years)
                    or time_conflict(evidence.times[first], evidence.times[second], TIME_SLACK_DAYS)
                )
        return edges._replace(similarity=(edges.similarity + self.weight * leads).astype(np.float32))


def scored(bundle: Bundle, rule: Rule, options: ClaimOptions) -> dict[str, float]:
    """The shipped stories and the rule's claims of one corpus, scored as ``product.shipped`` scores them."""
    stories = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    evidence = claim_evidence(bundle.articles, bundle.statements, stories.labels)
    rule.prepare(bundle, evidence)
    claims = claim_index(bundle.statements, bundle.vectors, options, evidence)
    story_of = {article.id: str(label) for article, label in zip(bundle.articles, stories.labels.tolist())}
    scores = story_scores(bundle, story_of)
    scores.update(claim_scores(bundle, claim_groups(bundle, claims.labels)))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rule", choices=RULES)
    parser.add_argument("weight", nargs="?", type=float, default=0.1)
    parser.add_argument("--threshold", type=float, default=ClaimOptions().threshold)
    parser.add_argument("corpora", nargs="*", default=NAMES)
    arguments = parser.parse_intermixed_args()
    rule = Rule(arguments.rule, arguments.weight)
    rule.install()
    loaded = bundles(VARIANT)
    options = ClaimOptions(threshold=arguments.threshold)
    label = f"{arguments.rule} {arguments.weight} @ {arguments.threshold}"
    print_table([(label, name, scored(loaded[name], rule, options)) for name in arguments.corpora])


if __name__ == "__main__":
    main()
