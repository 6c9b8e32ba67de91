"""How well Parallax's word-choice and omission signals meet BASIL's bias annotations.

Usage: python bench/basil_bias.py ../shared/corpora/basil

Lexical bias: a span counts as surfaced when one of its content words is among the words its
statement changes against the closest other outlet's statement of the same claim
(``word_differences``), or among its outlet's distinctive terms for the story.
Informational bias: a sentence with an ``inf`` span counts as flagged when Parallax lists it among
the statements no other outlet of the story reports (``exclusive_statements``).
Each rate is printed next to the base rate over all words or statements, so the lift is visible.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from compare.io.store import Store
from compare.pipeline import analyze

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def content_words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text) if word.lower() not in ENGLISH_STOP_WORDS]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("basil", type=Path, help="the BASIL folder (articles/ and annotations/)")
    parser.add_argument("--close", type=float, default=0.75, help="cosine above which a pair's differences count")
    parser.add_argument("--significant-only", action="store_true", help="only distinctive terms with z > 1.96")
    arguments = parser.parse_args()
    analysis = analyze([arguments.basil / "articles"], store=Store()).to_dict()
    statements = analysis["statements"]
    by_article: dict[str, list[dict]] = defaultdict(list)
    for statement in statements:
        by_article[statement["article_id"]].append(statement)
    story_of = {article_id: story["id"] for story in analysis["stories"] for article_id in story["article_ids"]}

    surfaced: dict[str, set[str]] = defaultdict(set)
    for row in analysis["word_differences"]:
        if row["similarity"] >= arguments.close:  # word choice: differences between close rewordings only
            surfaced[row["statement_id"]].update(word for phrase in row["added"] for word in content_words(phrase))
    distinctive: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for row in analysis["distinctive_terms"]:
        if row["significant"] or not arguments.significant_only:
            distinctive[(row["outlet"], row["story_id"])].add(row["term"])
    for statement in statements:
        terms = distinctive[(statement["outlet"], story_of.get(statement["article_id"]))]
        surfaced[statement["id"]].update(word for word in content_words(statement["text"]) if word in terms)
    exclusive = {row["statement_id"] for row in analysis["exclusive_statements"]}
    loaded: dict[str, set[str]] = defaultdict(set)
    for row in analysis["loaded_words"]:
        loaded[row["statement_id"]].add(row["word"].lower())

    spans = {"lex": [], "inf": []}
    unmatched = 0
    for path in sorted((arguments.basil / "annotations").rglob("*_ann.json")):
        article_id = path.name.removesuffix("_ann.json")
        annotation = json.loads(path.read_text(encoding="utf-8"))
        for span in annotation.get("phrase-level-annotations", []):
            statement = next((s for s in by_article.get(article_id, []) if span["txt"] in s["text"]), None)
            if statement is None:
                unmatched += 1
                continue
            spans.setdefault(span["bias"], []).append((span["txt"], statement))

    lexical_hits = sum(1 for txt, statement in spans["lex"] if set(content_words(txt)) & surfaced[statement["id"]])
    lexical_words = [w for txt, statement in spans["lex"] for w in content_words(txt)]
    lexical_word_hits = sum(
        1 for txt, statement in spans["lex"] for w in content_words(txt) if w in surfaced[statement["id"]]
    )
    all_words = [(w, statement["id"]) for statement in statements for w in content_words(statement["text"])]
    base_word_rate = sum(1 for w, sid in all_words if w in surfaced[sid]) / max(1, len(all_words))

    print(f"articles {len(analysis['articles'])}, statements {len(statements)}, stories {len(analysis['stories'])}")
    print(f"spans matched to statements: lex {len(spans['lex'])}, inf {len(spans['inf'])}, unmatched {unmatched}")

    def rate(words_of: dict[str, set[str]]) -> tuple[float, float, float]:
        span_hits = sum(1 for txt, st in spans["lex"] if set(content_words(txt)) & words_of[st["id"]])
        word_hits = sum(1 for txt, st in spans["lex"] for w in content_words(txt) if w in words_of[st["id"]])
        base = sum(1 for w, sid in all_words if w in words_of[sid]) / max(1, len(all_words))
        return span_hits / max(1, len(spans["lex"])), word_hits / max(1, len(lexical_words)), base

    for name, words_of in (("loaded words", loaded), ("loaded words + differences + terms", _union(loaded, surfaced))):
        span_rate, word_rate, base = rate(words_of)
        print(
            f"{name}: lexical spans hit {span_rate:.3f}; lexical-bias words {word_rate:.3f} "
            f"(all words: {base:.3f}, lift {word_rate / max(base, 1e-9):.2f})"
        )
    informational = {statement["id"] for _, statement in spans["inf"]}
    flagged_informational = informational & exclusive
    print(f"lexical spans with a surfaced word: {lexical_hits / max(1, len(spans['lex'])):.3f}")
    print(
        f"lexical-bias words surfaced: {lexical_word_hits / max(1, len(lexical_words)):.3f} "
        f"(all words: {base_word_rate:.3f}, lift {lexical_word_hits / max(1, len(lexical_words)) / max(base_word_rate, 1e-9):.2f})"
    )
    base_exclusive = len(exclusive) / max(1, len(statements))
    recall = len(flagged_informational) / max(1, len(informational))
    precision = len(flagged_informational) / max(1, len(exclusive))
    base_inf = len(informational) / max(1, len(statements))
    print(
        f"informational-bias sentences flagged as not reported by the other outlets: {recall:.3f} "
        f"(all sentences: {base_exclusive:.3f}, lift {recall / max(base_exclusive, 1e-9):.2f})"
    )
    print(f"flagged sentences that carry informational bias: {precision:.3f} (all sentences: {base_inf:.3f})")
    novelty = _novelty(analysis, story_of)
    scored = [(novelty[s["id"]], s["id"] in informational) for s in statements if s["id"] in novelty]
    print(f"ranking by novelty (1 - closest other outlet's statement in the story): AUC {_auc(scored):.3f}")


def _union(first: dict[str, set[str]], second: dict[str, set[str]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = defaultdict(set)
    for source in (first, second):
        for key, words in source.items():
            merged[key] |= words
    return merged


def _novelty(analysis: dict, story_of: dict[str, str]) -> dict[str, float]:
    """1 - the highest cosine to a statement of another outlet in the same story."""
    import numpy as np

    from compare.embed import embed_texts, get_embedder

    statements = analysis["statements"]
    vectors = embed_texts([s["text"] for s in statements], get_embedder(), Store())
    rows_by_story: dict[str, list[int]] = defaultdict(list)
    for row, statement in enumerate(statements):
        if statement["article_id"] in story_of:
            rows_by_story[story_of[statement["article_id"]]].append(row)
    novelty = {}
    for rows in rows_by_story.values():
        block = vectors[rows] @ vectors[rows].T
        outlets = np.array([statements[row]["outlet"] for row in rows])
        for position, row in enumerate(rows):
            other = outlets != outlets[position]
            if other.any():
                novelty[statements[row]["id"]] = 1.0 - float(block[position, other].max())
    return novelty


def _auc(scored: list[tuple[float, bool]]) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    from scipy.stats import rankdata

    ranks = rankdata([score for score, _ in scored])
    positives = sum(1 for _, label in scored if label)
    negatives = len(scored) - positives
    rank_sum = sum(rank for rank, (_, label) in zip(ranks, scored) if label)
    return (rank_sum - positives * (positives + 1) / 2) / max(1, positives * negatives)


if __name__ == "__main__":
    main()
