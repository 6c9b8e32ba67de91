"""Scores stories against gold story labels (B-cubed) and claims against gold event-mention clusters."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compare.model.documents import Article, Claim, Statement


@dataclass(frozen=True)
class BCubed:
    """B-cubed scores (Bagga and Baldwin 1998) over the items both labelings cover."""

    precision: float
    recall: float
    f1: float
    items: int


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> BCubed:
    """B-cubed precision, recall and F1 of a clustering against gold clusters.

    Args:
        predicted: item -> predicted cluster.
        gold: item -> gold cluster; items missing from either mapping are ignored.

    Returns:
        The averaged per-item scores.
    """
    items = [item for item in predicted if item in gold]
    if not items:
        return BCubed(0.0, 0.0, 0.0, 0)
    pair_counts = Counter((predicted[item], gold[item]) for item in items)
    predicted_sizes = Counter(predicted[item] for item in items)
    gold_sizes = Counter(gold[item] for item in items)
    precision = sum(pair_counts[(predicted[i], gold[i])] / predicted_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(pair_counts[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(items))


def labels_from_groups(groups: Sequence[Sequence[str]]) -> dict[str, str]:
    """item -> group number, from lists of items."""
    return {item: str(number) for number, members in enumerate(groups) for item in members}


# ---------------------------------------------------------------- claims


@dataclass(frozen=True)
class GoldSentence:
    """A gold sentence: its document, character span, whether it was annotated, its event chains."""

    doc: str
    start: int
    end: int
    annotated: bool
    events: frozenset[str]


@dataclass(frozen=True)
class ClaimScores:
    """Claims against gold event-mention clusters (the ecbplus-dev README's definitions)."""

    pair_precision: float
    pair_recall: float
    pair_f1: float
    pairs_predicted: int
    pairs_gold: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    sentences: int


def read_gold_claims(payload: Mapping[str, Any]) -> tuple[list[GoldSentence], dict[str, str]]:
    """Gold sentences and document texts from a gold file (``sentences``: doc, start, end, annotated,
    events; optional ``texts``: doc -> the text the spans index, when cleaning may change it)."""
    sentences = [
        GoldSentence(
            str(row["doc"]),
            int(row["start"]),
            int(row["end"]),
            bool(row.get("annotated", True)),
            frozenset(row["events"]),
        )
        for row in payload["sentences"]
    ]
    return sentences, {str(doc): str(text) for doc, text in payload.get("texts", {}).items()}


def statement_sentences(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    sentences: Sequence[GoldSentence],
    texts: Mapping[str, str],
) -> dict[str, list[int]]:
    """statement id -> the annotated gold sentences it covers (overlap at least half of either).

    Statements are found in the gold text of their document in order (cleaning may shift them);
    without a gold text their own spans are used.
    """
    by_doc: dict[str, list[int]] = defaultdict(list)
    for number, sentence in enumerate(sentences):
        if sentence.annotated:
            by_doc[sentence.doc].append(number)
    article_text = {article.id: article.text for article in articles}
    cursor: dict[str, int] = defaultdict(int)
    covered: dict[str, list[int]] = {}
    for statement in statements:
        doc = statement.article_id
        text = texts.get(doc, article_text.get(doc, ""))
        start = text.find(statement.text, cursor[doc])
        if start < 0:
            start = text.find(statement.text[:40], cursor[doc])
        if start < 0:
            continue
        end = start + len(statement.text)
        cursor[doc] = end
        found = []
        for number in by_doc.get(doc, ()):
            sentence = sentences[number]
            overlap = min(end, sentence.end) - max(start, sentence.start)
            if overlap > 0 and (2 * overlap >= sentence.end - sentence.start or 2 * overlap >= end - start):
                found.append(number)
        if found:
            covered[statement.id] = found
    return covered


def claim_scores(
    articles: Sequence[Article], statements: Sequence[Statement], claims: Sequence[Claim], gold: Mapping[str, Any]
) -> ClaimScores:
    """Pairwise precision/recall over cross-document pairs and B-cubed over annotated sentences.

    Precision: of the statement pairs from different documents in one claim whose sentences are both
    annotated, the share that share an event chain. Recall: of the gold pairs (annotated sentences
    of different documents sharing a chain), the share with a statement of each in one claim.
    B-cubed: each annotated sentence's partners in claims (other documents, itself included)
    against its gold partners.
    """
    sentences, texts = read_gold_claims(gold)
    covered = statement_sentences(articles, statements, sentences, texts)
    doc_of = {statement.id: statement.article_id for statement in statements}
    predicted_statement_pairs = 0
    true_statement_pairs = 0
    together: set[tuple[int, int]] = set()  # annotated sentence pairs (different documents) in one claim
    for claim in claims:
        inside = [sid for sid in claim.statement_ids if sid in covered]
        for first, second in itertools.combinations(inside, 2):
            if doc_of[first] == doc_of[second]:
                continue
            predicted_statement_pairs += 1
            chains_first = frozenset().union(*(sentences[n].events for n in covered[first]))
            chains_second = frozenset().union(*(sentences[n].events for n in covered[second]))
            true_statement_pairs += bool(chains_first & chains_second)
            together.update((min(a, b), max(a, b)) for a in covered[first] for b in covered[second])
    annotated = [number for number, sentence in enumerate(sentences) if sentence.annotated]
    by_chain: dict[str, list[int]] = defaultdict(list)
    for number in annotated:
        for chain in sentences[number].events:
            by_chain[chain].append(number)
    gold_pairs = {
        (min(a, b), max(a, b))
        for members in by_chain.values()
        for a, b in itertools.combinations(members, 2)
        if sentences[a].doc != sentences[b].doc
    }
    precision = true_statement_pairs / predicted_statement_pairs if predicted_statement_pairs else 0.0
    recall = len(gold_pairs & together) / len(gold_pairs) if gold_pairs else 0.0
    b_precision, b_recall = _partner_scores(annotated, together, gold_pairs)
    return ClaimScores(
        precision,
        recall,
        _f1(precision, recall),
        predicted_statement_pairs,
        len(gold_pairs),
        b_precision,
        b_recall,
        _f1(b_precision, b_recall),
        len(annotated),
    )


def _partner_scores(
    items: Sequence[int], predicted: set[tuple[int, int]], gold: set[tuple[int, int]]
) -> tuple[float, float]:
    """B-cubed precision and recall from partner pairs (each item is its own partner)."""
    if not items:
        return 0.0, 0.0
    predicted_partners: dict[int, set[int]] = {item: {item} for item in items}
    gold_partners: dict[int, set[int]] = {item: {item} for item in items}
    for pairs, partners in ((predicted, predicted_partners), (gold, gold_partners)):
        for a, b in pairs:
            if a in partners and b in partners:
                partners[a].add(b)
                partners[b].add(a)
    precision = sum(len(predicted_partners[i] & gold_partners[i]) / len(predicted_partners[i]) for i in items)
    recall = sum(len(predicted_partners[i] & gold_partners[i]) / len(gold_partners[i]) for i in items)
    return precision / len(items), recall / len(items)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def claims_in_one_story(
    statements: Sequence[Statement], claims: Sequence[Claim], gold: Mapping[str, str]
) -> tuple[float, float, int]:
    """(share of cross-outlet claims whose statements all come from one gold story, share of gold
    stories covered by two or more outlets that keep a cross-outlet claim inside them, cross-outlet claims)."""
    statement = {item.id: item for item in statements}
    cross = [claim for claim in claims if len(claim.outlets) >= 2]
    one_event = [
        claim for claim in cross if len({gold.get(statement[sid].article_id) for sid in claim.statement_ids}) == 1
    ]
    outlets_of: dict[str, set[str]] = defaultdict(set)
    for item in statements:
        if item.article_id in gold:
            outlets_of[gold[item.article_id]].add(item.outlet)
    multi = {story for story, outlets in outlets_of.items() if len(outlets) >= 2}
    covered: set[str | None] = set()
    for claim in cross:
        by_story: dict[str | None, set[str]] = defaultdict(set)
        for sid in claim.statement_ids:
            by_story[gold.get(statement[sid].article_id)].add(statement[sid].outlet)
        covered.update(story for story, outlets in by_story.items() if len(outlets) >= 2)
    return len(one_event) / max(1, len(cross)), len(covered & multi) / max(1, len(multi)), len(cross)
