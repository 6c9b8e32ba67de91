"""Do the leads' main predicates tell reports of one event from reports of similar events? And what would
parsing them cost the story stage?

For every candidate article pair of the story stage scoring 0.2 or more (the product's candidates and
score, ``scored_story_pairs``), whether the two articles' first statement or title share a main predicate:
the spaCy lemma of the root and of the verbs or deverbal nouns it governs directly (xcomp, ccomp, conj),
reporting verbs ("say", "tell", "report") and "be", "have", "do" left out. Printed per corpus for pairs of one
gold event and of two, and for the pairs above the story threshold; then the CPU seconds of loading the
parser and parsing BASIL's leads and titles.

Usage (from the worktree root; the corpora as variants.py keeps them):
    HF_HUB_OFFLINE=1 SWEEP_BUNDLES=/tmp/b-{variant}.pkl python -m bench.event_identity.predicates
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from bench.event_identity.corpora import Bundle
from bench.event_identity.variants import bundles
from compare.cluster import StoryOptions
from compare.cluster.neighbours import KNN_NEIGHBOURS, edges_from_neighbours
from compare.cluster.stories import article_rows, scored_story_pairs, story_neighbours
from compare.model.defaults import STORY_THRESHOLD
from compare.segment.statements import SPACY_MODEL

DEFAULT_VARIANT = "onnx-int8-token"
NOT_ACTIONS = frozenset({"say", "tell", "report", "according", "be", "have", "do"})
GOVERNED = frozenset({"xcomp", "ccomp", "conj"})


def main_predicates(doc: Any) -> frozenset[str]:
    """The lemmas of a parsed sentence's root and of the verbs and nouns it governs directly."""
    return frozenset(
        token.lemma_.lower()
        for token in doc
        if (token.dep_ == "ROOT" or (token.head.dep_ == "ROOT" and token.dep_ in GOVERNED))
        and token.pos_ in ("VERB", "NOUN")
        and token.lemma_.lower() not in NOT_ACTIONS
    )


def article_predicates(nlp: Any, bundle: Bundle) -> list[frozenset[str]]:
    """Each article's main predicates: of its first statement and of its title."""
    first = {s.article_id: s.text for s in bundle.statements if s.index == 0}
    leads = [first.get(a.id, "") for a in bundle.articles]
    titles = [a.title or first.get(a.id, "") for a in bundle.articles]
    return [main_predicates(lead) | main_predicates(title) for lead, title in zip(nlp.pipe(leads), nlp.pipe(titles))]


def signal(nlp: Any, bundle: Bundle) -> None:
    """Prints how often candidate pairs of one gold event, and of two, share a main predicate."""
    predicates = article_predicates(nlp, bundle)
    every, _ = article_rows(bundle.articles, bundle.statements, bundle.vectors)
    found = story_neighbours(every.rows, every, max(0, min(KNN_NEIGHBOURS, len(bundle.articles) - 1)))
    edges = scored_story_pairs(*edges_from_neighbours(every.rows, found), every, StoryOptions())
    gold = [bundle.gold_story[a.id] for a in bundle.articles]
    kept = edges.similarity >= 0.2
    low, high, score = edges.low[kept].tolist(), edges.high[kept].tolist(), edges.similarity[kept]
    same = np.array([gold[one] == gold[other] for one, other in zip(low, high)], dtype=bool)
    common = np.array([bool(predicates[one] & predicates[other]) for one, other in zip(low, high)], dtype=bool)
    above = score >= STORY_THRESHOLD
    for label, chosen in (("one event", same), ("two events", ~same)):
        print(
            f"{bundle.name}, {label}: {int(chosen.sum())} pairs scoring >= 0.2, "
            f"{common[chosen].mean() if chosen.any() else float('nan'):.3f} share a main predicate; "
            f"above the threshold {int((chosen & above).sum())}, of which {int((chosen & above & common).sum())} share one"
        )


def as_evidence(nlp: Any) -> None:
    """Story F1 with a shared main predicate as evidence for one event (+w) or its absence as evidence
    against (-w), on the five sets under the default vectors and the three variants (ranks.py's table)."""
    from bench.event_identity.corpora import VARIANTS
    from bench.event_identity.ranks import candidate_pairs, f1
    from bench.event_identity.variants import NAMES, TARGETS

    variants = (DEFAULT_VARIANT, *VARIANTS)
    predicates = {name: article_predicates(nlp, bundle) for name, bundle in bundles(DEFAULT_VARIANT).items()}
    prepared = {
        (variant, name): (bundle, candidate_pairs(bundle))
        for variant in variants
        for name, bundle in bundles(variant).items()
    }
    print(
        "| test | w | "
        + " | ".join(f"{name} (default; torch; int8; alone)" for name in NAMES)
        + " | default margin | min margin |"
    )
    for test, w in [
        ("shipped", 0.0),
        ("common +w", 0.05),
        ("common +w", 0.1),
        ("none in common -w", 0.05),
        ("none in common -w", 0.1),
    ]:
        row, default_margin, min_margin = [], 1.0, 1.0
        for name in NAMES:
            found = []
            for variant in variants:
                bundle, pairs = prepared[variant, name]
                low, high, score = pairs[0].tolist(), pairs[1].tolist(), pairs[2]
                common = np.array(
                    [bool(predicates[name][a] & predicates[name][b]) for a, b in zip(low, high)], dtype=bool
                )
                adjusted = score + w * common if test == "common +w" else score - w * ~common if w else score
                found.append(f1(bundle, pairs, adjusted))
            default_margin = min(default_margin, found[0] - TARGETS["story_f1"][name])
            min_margin = min(min_margin, min(found[1:]) - TARGETS["story_f1"][name])
            row.append("; ".join(f"{value:.3f}" for value in found))
        print(f"| {test} | {w} | " + " | ".join(row) + f" | {default_margin:+.3f} | {min_margin:+.3f} |")


def main() -> None:
    import spacy

    loaded = bundles(DEFAULT_VARIANT)
    started = time.process_time()
    nlp = spacy.load(SPACY_MODEL, exclude=["ner"])
    parsed = time.process_time()
    article_predicates(nlp, loaded["basil"])
    ended = time.process_time()
    print(f"parser load {parsed - started:.2f} s CPU, BASIL's leads and titles {ended - parsed:.2f} s CPU")
    for name in ("basil", "basil-undated", "ecb"):
        signal(nlp, loaded[name])
    as_evidence(nlp)


if __name__ == "__main__":
    main()
