"""The local engine: every stage over the whole corpus as one block."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from compare.cluster import (
    ClaimOptions,
    StoryOptions,
    claim_evidence,
    claim_index,
    claims_from_labels,
    stories_from_labels,
    story_index,
)
from compare.cluster.boilerplate import repeat_keys
from compare.embed import Embedder, get_embedder
from compare.engines.analysis import Analysis, AnalysisIndex, Progress, corpus_problems, grown, statements_and_vectors
from compare.framing import compute_framing
from compare.ingest import (
    Corpus,
    article_fingerprint,
    load_corpus,
)
from compare.io.store import Store
from compare.model.documents import empty_vectors


def analyze(  # noqa: PLR0913 -- the public Python API: one keyword per CLI option, all optional
    inputs: str | Path | Iterable[str | Path] | Corpus,
    model: str | None = None,
    store: Store | None = None,
    story_options: StoryOptions | None = None,
    claim_options: ClaimOptions | None = None,
    embedder: Embedder | None = None,
    with_framing: bool = True,
    progress: Progress | None = None,
) -> Analysis:
    """Runs the whole pipeline on files, folders or URLs (or an already loaded corpus).

    Args:
        inputs: what to read, or a Corpus.
        model: embedding model name or path (default: ``$PARALLAX_MODEL`` or the shipped MiniLM).
        store: the embedding cache; none when None.
        story_options, claim_options: clustering settings.
        embedder: an Embedder to use instead of loading ``model``.
        with_framing: also run the framing analysis.
        progress: called with (stage, done, total) as each stage goes: "read" (articles), "segment" (articles
            parsed), "embed" (statements embedded), "cluster" and "framing" (0 of 1 when they start, 1 of 1 at the
            end). It only watches: the analysis is the same with or without it.

    Returns:
        The analysis; ``analysis.articles`` is empty when nothing could be read.
    """
    report = progress or (lambda stage, done, total: None)
    corpus = inputs if isinstance(inputs, Corpus) else load_corpus(inputs)
    report("read", len(corpus.articles), len(corpus.articles))
    embedder = embedder or get_embedder(model)
    story_options = story_options or StoryOptions()
    claim_options = claim_options or ClaimOptions()
    statements, vectors = statements_and_vectors(corpus.articles, embedder, store, report)
    if len(statements):
        vectors = grown(empty_vectors(vectors.shape[1]), vectors)  # room for articles added later
    report("cluster", 0, 1)
    stories_index = story_index(corpus.articles, statements, vectors, story_options)
    stories = stories_from_labels(corpus.articles, stories_index.labels)
    evidence = claim_evidence(corpus.articles, statements, stories_index.labels)
    claims_index = claim_index(statements, vectors, claim_options, evidence)
    clusters = claims_from_labels(statements, claims_index.labels, stories, claim_options)
    report("cluster", 1, 1)
    analysis = Analysis(
        articles=corpus.articles,
        statements=statements,
        stories=stories,
        claims=clusters,
        problems=list(corpus.problems) + corpus_problems(corpus.articles),
        vectors=vectors,
        model=embedder.name,
        settings={"stories": asdict(story_options), "claims": asdict(claim_options), "engine": {"name": "local"}},
    )
    framing_index = None
    if with_framing and statements:
        report("framing", 0, 1)
        analysis.framing, framing_index = compute_framing(analysis.framing_context(embedder))
        report("framing", 1, 1)
    analysis.index = AnalysisIndex(
        stories=stories_index,
        claims=claims_index,
        framing=framing_index,
        fingerprints=[article_fingerprint(article) for article in corpus.articles],
        repeat_keys=repeat_keys(statements),
    )
    return analysis
