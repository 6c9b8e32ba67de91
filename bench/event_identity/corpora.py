"""The evaluation corpora (BASIL, its dated stress and undated variants, ECB+ dev) with gold labels, cached."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench.shared_corpora import SHARED
from compare.model.documents import Article, Statement

BASIL = SHARED / "basil"
ECB = SHARED / "ecbplus-dev"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
STORE_PATH = Path(os.environ.get("EVENTS_STORE", "/tmp/events-store.sqlite3"))
BACKEND = os.environ.get("EVENTS_BACKEND", "torch")  # onnx-int8: the product's default backend
# Bench only: onnx-int8 with each statement embedded alone (batch_size=1; BENCHMARKS §2b: int8 vectors depend
# on their batch). Its vectors carry the onnx-int8 model name, so they are kept in a store of their own
# beside EVENTS_STORE (NAME-alone.sqlite3; copy EVENTS_STORE there without its onnx rows to reuse the segments).
ALONE = "onnx-int8-alone"
VARIANTS = ("torch", "onnx-int8", ALONE)


@dataclass
class Bundle:
    """A corpus ready for clustering, with its gold labels."""

    name: str
    articles: list[Article]
    statements: list[Statement]
    vectors: np.ndarray
    gold_story: dict[str, str]  # article id -> gold event
    # ECB+ only: statement id -> set of gold event chains (None: covers no annotated sentence)
    statement_events: dict[str, frozenset[str] | None] = field(default_factory=dict)
    topic: dict[str, str] = field(default_factory=dict)  # article id -> topic (for topic-wise CV)


def _embed(statements: list[Statement]) -> np.ndarray:
    from compare.embed import OnnxEmbedder, default_model, embed_texts, get_embedder
    from compare.io.store import Store

    if BACKEND == ALONE:
        alone = STORE_PATH.with_name(f"{STORE_PATH.stem}-alone{STORE_PATH.suffix}")
        return embed_texts([s.text for s in statements], OnnxEmbedder(default_model(), batch_size=1), Store(alone))
    return embed_texts([s.text for s in statements], get_embedder(backend=BACKEND), Store(STORE_PATH))


def _segment(articles: list[Article]) -> list[Statement]:
    from compare.io.store import Store
    from compare.segment import segment_articles

    return segment_articles(articles, store=Store(STORE_PATH))


def load_basil() -> Bundle:
    """All 300 BASIL articles, gold = triplet-uuid, topic = the event's first main entity."""
    from compare.ingest import load_corpus

    corpus = load_corpus([BASIL / "articles"])
    articles = corpus.articles
    statements = _segment(articles)
    vectors = _embed(statements)
    gold = {a.id: a.extra["triplet-uuid"] for a in articles}
    return Bundle("basil", articles, statements, vectors, gold, topic=dict(gold))


def load_ecb() -> Bundle:
    """ECB+ dev: gold story per document, gold event chains per statement (README's overlap rule)."""
    from compare.ingest import load_corpus

    corpus = load_corpus([ECB / "input.jsonl"])
    articles = corpus.articles
    statements = _segment(articles)
    vectors = _embed(statements)
    gold_data = json.loads((ECB / "gold.json").read_text(encoding="utf-8"))
    gold = {a.id: gold_data["stories"][a.id] for a in articles}
    topic = {a.id: a.extra.get("topic", "") for a in articles}
    sentences: dict[str, list[dict]] = defaultdict(list)
    for sentence in gold_data["sentences"]:
        sentences[sentence["doc"]].append(sentence)
    statement_events: dict[str, frozenset[str] | None] = {}
    by_article: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_article[statement.article_id].append(statement)
    for article in articles:
        gold_text = gold_data["texts"][article.id]
        cursor = 0
        for statement in by_article[article.id]:
            # Cleaning may change the text slightly: find the statement in the gold text, in order.
            found = gold_text.find(statement.text, cursor)
            if found < 0:
                found = gold_text.find(statement.text[:40], cursor)
            if found < 0:
                statement_events[statement.id] = None
                continue
            start, end = found, found + len(statement.text)
            cursor = end
            events: set[str] = set()
            annotated = False
            for sentence in sentences[article.id]:
                overlap = min(end, sentence["end"]) - max(start, sentence["start"])
                length = sentence["end"] - sentence["start"]
                covers = overlap > 0 and (overlap * 2 >= length or overlap * 2 >= end - start)
                if covers and sentence["annotated"]:
                    annotated = True
                    events.update(sentence["events"])
            statement_events[statement.id] = frozenset(events) if annotated else None
    return Bundle("ecb", articles, statements, vectors, gold, statement_events, topic)


def load_seeds() -> Bundle:
    """The five seed pages: five reports of five different events (2021-2024), so the gold is one story each.

    The one corpus no part of the story score was tuned on; its French warning to Russia (Friday
    12 November 2021) and the Putin-Macron call of the following Monday are the closest pair.
    """
    from compare.ingest import load_corpus

    articles = load_corpus([SEEDS]).articles
    statements = _segment(articles)
    gold = {a.id: a.id for a in articles}
    return Bundle("seeds", articles, statements, _embed(statements), gold, topic=dict(gold))


def undated(bundle: Bundle) -> Bundle:
    """The same corpus with every publication date removed."""
    articles = [replace(a, published=None) for a in bundle.articles]
    return replace(bundle, name=bundle.name + "-undated", articles=articles)


def basil_main_entities() -> dict[str, list[str]]:
    """triplet-uuid -> main entities (from the raw files; load_corpus does not keep them)."""
    entities: dict[str, list[str]] = {}
    for path in sorted((BASIL / "articles").rglob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        entities.setdefault(raw["triplet-uuid"], [e.lower() for e in raw.get("main-entities", [])])
    return entities


def stress(bundle: Bundle, seed: int = 0, span_days: int = 90) -> Bundle:
    """BASIL re-dated so similar events sit 1-3 weeks apart and all 100 events fall within ``span_days``.

    Events are grouped greedily by the cosine of their centroid embeddings (each group: an event
    and its most similar remaining events, up to four). A group's events are dated 7-21 days apart
    (random gaps), groups start at random days in the span. Inside an event, articles keep their
    original offsets from the event's first article (0-4 days). The gold stays triplet-uuid.
    """
    rng = np.random.default_rng(seed)
    events = sorted(set(bundle.gold_story.values()))
    position = {a.id: row for row, a in enumerate(bundle.articles)}
    from compare.cluster import article_vectors

    vectors = article_vectors(bundle.articles, bundle.statements, bundle.vectors)
    centroid = np.stack(
        [
            vectors[[position[a.id] for a in bundle.articles if bundle.gold_story[a.id] == e]].mean(axis=0)
            for e in events
        ]
    )
    centroid /= np.linalg.norm(centroid, axis=1, keepdims=True)
    similarity = centroid @ centroid.T  # 100 x 100 events: small
    np.fill_diagonal(similarity, -1)
    remaining = set(range(len(events)))
    groups: list[list[int]] = []
    for first in np.argsort(-similarity.max(axis=1)):
        if first not in remaining:
            continue
        remaining.discard(first)
        group = [int(first)]
        while len(group) < 4 and remaining:
            best = max(remaining, key=lambda other: similarity[group, other].mean())
            if similarity[group, best].mean() < 0.5:
                break
            group.append(best)
            remaining.discard(best)
        groups.append(group)
    new_start: dict[str, date] = {}
    origin = date(2021, 1, 4)
    for group in groups:
        day = origin + timedelta(days=int(rng.integers(0, max(1, span_days - 21 * (len(group) - 1)))))
        for event in group:
            new_start[events[event]] = day
            day += timedelta(days=int(rng.integers(7, 22)))
    first_day: dict[str, date] = {}
    for a in bundle.articles:
        d = date.fromisoformat(a.published[:10]) if a.published else None
        if d:
            e = bundle.gold_story[a.id]
            first_day[e] = min(first_day.get(e, d), d)
    articles = []
    for a in bundle.articles:
        e = bundle.gold_story[a.id]
        offset = 0
        if a.published and e in first_day:
            offset = (date.fromisoformat(a.published[:10]) - first_day[e]).days
        articles.append(replace(a, published=(new_start[e] + timedelta(days=offset)).isoformat()))
    out = replace(bundle, name=bundle.name + "-stress", articles=articles)
    out.topic = {
        a.id: f"g{next(i for i, g in enumerate(groups) if events.index(bundle.gold_story[a.id]) in g)}"
        for a in bundle.articles
    }
    return out


def load(name: str) -> Bundle:
    """basil, basil-stress, basil-undated, ecb (undated by nature), seeds."""
    if name == "ecb":
        return load_ecb()
    if name == "seeds":
        return load_seeds()
    base = load_basil()
    if name == "basil":
        return base
    if name == "basil-stress":
        return stress(base)
    if name == "basil-undated":
        return undated(base)
    raise ValueError(f"unknown corpus {name!r}: use basil, basil-stress, basil-undated, ecb or seeds")


def every_corpus_and_backend(seeds: bool = False) -> dict[str, Bundle]:
    """The four stand-ins (BASIL, dated stress, undated BASIL, ECB+), and with ``seeds`` the seed pages,
    embedded by each of ``VARIANTS`` (torch, onnx-int8 batched, onnx-int8 each statement alone), keyed
    "NAME VARIANT"; ``BACKEND`` is left at the last."""
    global BACKEND
    found: dict[str, Bundle] = {}
    for backend in VARIANTS:
        BACKEND = backend
        basil, ecb = load_basil(), load_ecb()
        for bundle in (basil, stress(basil), undated(basil), ecb, *([load_seeds()] if seeds else [])):
            found[f"{bundle.name} {backend}"] = bundle
    return found
