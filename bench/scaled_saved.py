"""A saved analysis made N times larger by copying its rows, for benchmarks at scale without running
the pipeline on N copies (which takes hours on this machine).

Usage: python bench/scaled_saved.py SAVED OUT --copies 34

SAVED is an `analyze --out` folder (e.g. of BASIL). Copy k of every article gets the id ``ID~k`` (copy 0
keeps its ids), its statements ``ID~k:INDEX`` (so that a statement id still names its article), and
the stories and claims of the copies get the ids a run gives them (``story_id`` of their renamed
articles; ``claim_id`` of their renamed statements), so the stories, claims and framing tables keep their
shape and name one another. The outlet-wide tables (shares, terms, swaps) are kept once, as a run
over the copies would find them about the same. Vectors are copied too.

When SAVED holds an index (an `analyze --out` of local files), the index is copied as well (each copy's
neighbour lists, components and labels numbered within the copy; corpus counts times N) with the
manifest of SAVED, so that `python -m compare analyze INPUTS --out OUT` adds new files of INPUTS to the
copy as it would to SAVED (BENCHMARKS §5h). The rows are copied, not clustered again: a run over N
copies of one corpus would join each statement with its copies. Each copy's outlets are named apart
too (``Fox News~3``): otherwise every sentence would be one its outlet prints in 34 articles, which
makes it boilerplate, and the first addition would cluster every claim again.

With ``--distinct`` each copy is also its own events, as a corpus of that size would be (BENCHMARKS §5o):
copy k's statement and article vectors are turned by a random rotation of its own (cosines within a copy
kept, across copies near 0), its TF-IDF columns permuted by a permutation of its own, and its dates moved
``21 * k`` days (beyond the story window). Without it, an added statement's nearest neighbours are the N
copies of its nearest statement (cosine ties), so an addition re-clusters and re-frames about N times what
it would in a real corpus of N times the size. Copy 0 keeps the vectors, terms and dates of SAVED.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy.sparse import vstack

from compare.cluster import NO_DAY, ClaimIndex, ClaimOptions, StoryIndex, claims_from_labels, stories_from_labels
from compare.cluster.boilerplate import repeat_keys
from compare.engines.analysis import Analysis, AnalysisIndex
from compare.engines.saved import load_analysis, read_stored_manifest, save_analysis
from compare.framing.state import FramingIndex, ShingleIndex
from compare.model.documents import article_id_of
from compare.model.framing import Framing

ARTICLE_FIELDS = {"article_id", "article_ids"}
STATEMENT_FIELDS = {"statement_id", "other_statement_id", "statement_ids"}
STORY_FIELDS = {"story_id", "story_ids"}
CLAIM_FIELDS = {"cluster_id"}
OUTLET_FIELDS = {"outlet", "outlets"}


class Copy:
    """How copy ``k`` renames every id: articles and statements by suffix, stories and claims by map."""

    def __init__(self, k: int, stories: dict[str, str], claims: dict[str, str]) -> None:
        self.suffix = f"~{k}" if k else ""
        self.stories = stories
        self.claims = claims

    def article(self, article_id: str) -> str:
        return article_id + self.suffix

    def statement(self, statement_id: str) -> str:
        return f"{article_id_of(statement_id)}{self.suffix}:{statement_id.rsplit(':', 1)[1]}"

    def story(self, story_id: str) -> str:
        return self.stories.get(story_id, story_id)

    def claim(self, claim_id: str) -> str:
        return self.claims.get(claim_id, claim_id)

    def outlet(self, outlet: str) -> str:
        return outlet + self.suffix

    def field_renamer(self, name: str):
        if name in ARTICLE_FIELDS:
            return self.article
        if name in STATEMENT_FIELDS:
            return self.statement
        if name in STORY_FIELDS:
            return self.story
        if name in CLAIM_FIELDS:
            return self.claim
        if name in OUTLET_FIELDS:
            return self.outlet
        return None

    def row(self, row: Any) -> Any:
        """``row`` (a framing row) with every id it holds as copy k names it."""
        changes: dict[str, Any] = {}
        for item in dataclasses.fields(row):
            rename, value = self.field_renamer(item.name), getattr(row, item.name)
            if rename is None or value is None or not (self.suffix or name_maps(item.name)):
                continue
            if isinstance(value, tuple):
                changes[item.name] = tuple(rename(id_) for id_ in value)
            elif isinstance(value, dict):
                changes[item.name] = {key: tuple(rename(id_) for id_ in ids) for key, ids in value.items()}
            else:
                changes[item.name] = rename(value)
        return dataclasses.replace(row, **changes) if changes else row


class Apart:
    """How copy ``k`` is made its own events (``--distinct``): a rotation of its vectors, a permutation of its
    TF-IDF columns, its dates moved ``DAYS_APART * k`` days; copy 0 is left as it is."""

    DAYS_APART = 21  # beyond the story window (STORY_DATE_WINDOW_DAYS), as bench/incremental.py's write_corpus

    def __init__(self, copies: int, dimensions: int, features: int, seed: int = 16) -> None:
        rng = np.random.default_rng(seed)
        self.rotations = [np.eye(dimensions, dtype=np.float32)] + [
            np.linalg.qr(rng.standard_normal((dimensions, dimensions)))[0].astype(np.float32) for _ in range(1, copies)
        ]
        self.columns = [np.arange(features)] + [rng.permutation(features) for _ in range(1, copies)]

    def vectors(self, vectors: np.ndarray, k: int) -> np.ndarray:
        return vectors if k == 0 or not len(vectors) else (vectors @ self.rotations[k]).astype(vectors.dtype)

    def tfidf(self, matrix: Any, k: int) -> Any:
        moved = matrix.copy()
        moved.indices = self.columns[k][moved.indices].astype(moved.indices.dtype)
        moved.has_sorted_indices = False
        moved.sort_indices()
        return moved

    def frequencies(self, frequencies: np.ndarray) -> np.ndarray:
        total = np.zeros_like(frequencies)
        for columns in self.columns:
            np.add.at(total, columns, frequencies)
        return total

    def days(self, days: np.ndarray, k: int) -> np.ndarray:
        return np.where(days != NO_DAY, days + self.DAYS_APART * k, days)

    def published(self, published: str | None, k: int) -> str | None:
        if not k or not published:
            return published
        try:
            return (date.fromisoformat(published) + timedelta(days=self.DAYS_APART * k)).isoformat()
        except ValueError:
            return published


def name_maps(field: str) -> bool:
    """Whether copy 0 renames this field too: stories and claims are named again over all copies."""
    return field in STORY_FIELDS | CLAIM_FIELDS


def has_names(row_type: type) -> bool:
    names = {item.name for item in dataclasses.fields(row_type)}
    return bool(names & (ARTICLE_FIELDS | STATEMENT_FIELDS | STORY_FIELDS | CLAIM_FIELDS | OUTLET_FIELDS))


def offset_labels(labels: np.ndarray, copies: int) -> np.ndarray:
    """Labels (numbers >= 0, or -1) of each copy numbered apart from every other copy's."""
    step = int(labels.max()) + 1 if len(labels) else 0
    return np.concatenate([np.where(labels >= 0, labels + k * step, labels) for k in range(copies)])


def offset_rows(rows: np.ndarray, copies: int, n: int) -> np.ndarray:
    """Row numbers (-1 where missing) of each copy pointing into the same copy."""
    return np.concatenate([np.where(rows >= 0, rows + k * n, rows) for k in range(copies)])


def scaled_index(index: AnalysisIndex, copies: int, namers: list[Copy], apart: Apart | None = None) -> AnalysisIndex:
    """The index of ``copies`` copies of an analysis: rows within a copy point into it; counts times copies."""
    stories, claims = index.stories, index.claims
    n_articles, n_statements = len(stories.labels), len(claims.labels)
    tile = lambda array: np.concatenate([array] * copies)  # noqa: E731
    story_index = StoryIndex(
        tfidf=vstack([apart.tfidf(stories.tfidf, k) if apart else stories.tfidf for k in range(copies)], format="csr"),
        frequencies=apart.frequencies(stories.frequencies) if apart else stories.frequencies * copies,
        vectors=np.concatenate([apart.vectors(stories.vectors, k) for k in range(copies)])
        if apart
        else tile(stories.vectors),
        days=np.concatenate([apart.days(stories.days, k) for k in range(copies)]) if apart else tile(stories.days),
        neighbours=offset_rows(stories.neighbours, copies, n_articles),
        neighbour_similarities=tile(stories.neighbour_similarities),
        components=offset_labels(stories.components, copies),
        labels=offset_labels(stories.labels, copies),
        leads=stories.leads * copies,
    )
    claim_index = ClaimIndex(
        neighbours=offset_rows(claims.neighbours, copies, n_statements),
        neighbour_similarities=tile(claims.neighbour_similarities),
        components=offset_labels(claims.components, copies),
        labels=offset_labels(claims.labels, copies),
        article_of=offset_rows(claims.article_of, copies, n_articles),
        anchor_rows={
            anchor: [row + k * n_statements for k in range(copies) for row in rows]
            for anchor, rows in claims.anchor_rows.items()
        },
        anchor_articles={anchor: count * copies for anchor, count in claims.anchor_articles.items()},
        story=offset_labels(stories.labels, copies)[offset_rows(claims.article_of, copies, n_articles)]
        if len(claims.story)
        else claims.story,
        boilerplate=tile(claims.boilerplate),
    )
    return AnalysisIndex(
        stories=story_index,
        claims=claim_index,
        framing=None if index.framing is None else scaled_framing_index(index.framing, copies, namers, n_articles),
        fingerprints=index.fingerprints * copies,
    )


def scaled_framing_index(state: FramingIndex, copies: int, namers: list[Copy], n_articles: int) -> FramingIndex:
    def times(counts: Counter) -> Counter:
        return Counter({key: count * copies for key, count in counts.items()})

    shingles = state.shingles
    hashes = np.concatenate([shingles.hashes] * copies)
    owners = offset_rows(shingles.owners, copies, n_articles)
    order = np.argsort(hashes, kind="stable")
    return FramingIndex(
        outlet_terms={copy.outlet(outlet): terms for copy in namers for outlet, terms in state.outlet_terms.items()},
        prior=times(state.prior),
        actor_tones={
            (copy.outlet(outlet), side): tones for copy in namers for (outlet, side), tones in state.actor_tones.items()
        },
        swaps={
            label: {
                variant: [(copy.statement(sid), outlet) for copy in namers for sid, outlet in rows]
                for variant, rows in variants.items()
            }
            for label, variants in state.swaps.items()
        },
        substitutions={
            (copy.statement(first), copy.statement(second)): list(pairs)
            for copy in namers
            for (first, second), pairs in state.substitutions.items()
        },
        entities={
            (copy.outlet(outlet), entity, label): counts
            for copy in namers
            for (outlet, entity, label), counts in state.entities.items()
        },
        frame_counts=Counter(
            {
                (copy.outlet(outlet), frame): count
                for copy in namers
                for (outlet, frame), count in state.frame_counts.items()
            }
        ),
        shingles=ShingleIndex(hashes[order], owners[order], np.concatenate([shingles.sizes] * copies)),
    )


def scaled(analysis: Analysis, copies: int, distinct: bool = False) -> Analysis:
    """``copies`` copies of ``analysis`` (and of its index, when it has one) with the ids a run would give them;
    ``distinct``: each copy its own events (``Apart``)."""
    index = analysis.index
    plain = [Copy(k, {}, {}) for k in range(copies)]
    features = index.stories.tfidf.shape[1] if index is not None else 0
    apart = Apart(copies, analysis.vectors.shape[1], features) if distinct else None
    articles = [
        dataclasses.replace(
            article,
            id=copy.article(article.id),
            outlet=copy.outlet(article.outlet),
            published=apart.published(article.published, k) if apart else article.published,
        )
        if copy.suffix
        else article
        for k, copy in enumerate(plain)
        for article in analysis.articles
    ]
    statements = [
        dataclasses.replace(
            statement,
            id=copy.statement(statement.id),
            article_id=copy.article(statement.article_id),
            outlet=copy.outlet(statement.outlet),
        )
        if copy.suffix
        else statement
        for copy in plain
        for statement in analysis.statements
    ]
    if index is not None:
        stories = stories_from_labels(articles, offset_labels(index.stories.labels, copies))
    else:
        stories = [
            dataclasses.replace(story, article_ids=tuple(copy.article(id_) for id_ in story.article_ids))
            for copy in plain
            for story in analysis.stories
        ]
        stories = [dataclasses.replace(story, id=_story_id(story, articles)) for story in stories]
    story_of_first = {story.article_ids[0]: story.id for story in stories}
    if index is not None:
        options = ClaimOptions(**analysis.settings["claims"])
        claims = claims_from_labels(statements, offset_labels(index.claims.labels, copies), stories, options)
    else:
        story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
        claims = [
            dataclasses.replace(
                claim,
                id=claim.id + copy.suffix,
                statement_ids=tuple(copy.statement(id_) for id_ in claim.statement_ids),
                story_ids=tuple(
                    dict.fromkeys(story_of[article_id_of(copy.statement(id_))] for id_ in claim.statement_ids)
                ),
            )
            for copy in plain
            for claim in analysis.claims
        ]
    claim_of_first = {claim.statement_ids[0]: claim.id for claim in claims}
    namers = [
        Copy(
            k,
            {story.id: story_of_first[copy.article(story.article_ids[0])] for story in analysis.stories},
            {
                claim.id: claim_of_first[copy.statement(claim.statement_ids[0])]
                for claim in analysis.claims
                if copy.statement(claim.statement_ids[0]) in claim_of_first
            },
        )
        for k, copy in enumerate(plain)
    ]
    framing = None
    if analysis.framing is not None:
        tables: dict[str, Any] = {}
        for item in dataclasses.fields(Framing):
            if "row" not in item.metadata:
                continue
            rows = getattr(analysis.framing, item.name)
            tables[item.name] = (
                [copy.row(row) for copy in namers for row in rows] if has_names(item.metadata["row"]) else list(rows)
            )
        origins = {
            copy.story(story): count for copy in namers for story, count in analysis.framing.independent_origins.items()
        }
        framing = Framing(**tables, independent_origins=origins)
    bigger = Analysis(
        articles=articles,
        statements=statements,
        stories=stories,
        claims=claims,
        problems=list(analysis.problems),
        vectors=np.concatenate(
            [apart.vectors(analysis.vectors, k) if apart else analysis.vectors for k in range(copies)]
        )
        if len(analysis.vectors)
        else analysis.vectors,
        model=analysis.model,
        settings=analysis.settings,
        framing=framing,
    )
    if index is not None:
        bigger.index = scaled_index(index, copies, namers, apart)
        bigger.index.repeat_keys = repeat_keys(statements)  # each copy's outlets are its own
    return bigger


def _story_id(story: Any, articles: list[Any]) -> str:
    from compare.cluster.story_ids import story_id

    by_id = {article.id: article for article in articles}
    return story_id([by_id[id_] for id_ in story.article_ids])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("saved")
    parser.add_argument("out")
    parser.add_argument("--copies", type=int, default=34)
    parser.add_argument("--distinct", action="store_true", help="each copy its own events (Apart)")
    arguments = parser.parse_args()
    start = time.perf_counter()
    manifest = read_stored_manifest(arguments.saved)
    bigger = scaled(
        load_analysis(arguments.saved, with_index=manifest is not None), arguments.copies, arguments.distinct
    )
    if manifest is not None:
        manifest = {key: value for key, value in manifest.items() if key not in ("version", "arrays")}
        manifest["articles"] = len(bigger.articles)
    save_analysis(bigger, arguments.out, index_manifest=manifest)
    print(
        f"{len(bigger.articles):,} articles, {len(bigger.statements):,} statements, {len(bigger.stories):,} stories, "
        f"{len(bigger.claims):,} claims{' with its index' if manifest else ''} -> {arguments.out}"
        f" in {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
