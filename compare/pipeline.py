"""One short function that runs the stages in order: ingest, segment, embed, cluster (and framing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from compare.cluster import ClaimOptions, StoryOptions, cluster_claims, cluster_stories
from compare.documents import Article, Cluster, Problem, Statement, Story
from compare.embed import Embedder, embed_texts, get_embedder
from compare.ingest import Corpus, load_corpus
from compare.segment import segment_articles
from compare.store import Store

Progress = Callable[[str, int, int], None]


@dataclass
class Analysis:
    """Everything one run produced; ``to_dict`` is the analysis.json contract."""

    articles: list[Article]
    statements: list[Statement]
    stories: list[Story]
    clusters: list[Cluster]
    problems: list[Problem]
    vectors: np.ndarray = field(repr=False)
    model: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    framing: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready analysis (articles, statements, stories, clusters, problems, framing keys)."""
        return {
            "version": 1,
            "model": self.model,
            "settings": self.settings,
            "articles": [
                {
                    "id": article.id,
                    "outlet": article.outlet,
                    "title": article.title,
                    "published": article.published,
                    "url": article.url,
                    "source": article.source,
                    "byline": article.byline,
                    "text": article.text,
                    "extra": article.extra,
                }
                for article in self.articles
            ],
            "statements": [
                {
                    "id": statement.id,
                    "article_id": statement.article_id,
                    "outlet": statement.outlet,
                    "index": statement.index,
                    "text": statement.text,
                    "start": statement.start,
                    "end": statement.end,
                    "kind": statement.kind,
                    "speaker": statement.speaker,
                    "entities": [list(entity) for entity in statement.entities],
                }
                for statement in self.statements
            ],
            "stories": [asdict(story) for story in self.stories],
            "clusters": [asdict(cluster) for cluster in self.clusters],
            "problems": [asdict(problem) for problem in self.problems],
            **self.framing,
        }


def analyze(
    inputs: Iterable[str | Path] | Corpus,
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
        progress: called with (stage, done, total).

    Returns:
        The analysis; ``analysis.articles`` is empty when nothing could be read.
    """
    report = progress or (lambda stage, done, total: None)
    corpus = inputs if isinstance(inputs, Corpus) else load_corpus(inputs)
    outlets = sorted({article.outlet for article in corpus.articles})
    problems = list(corpus.problems)
    if len(outlets) == 1:
        problems.append(
            Problem(
                "corpus",
                f"only one outlet ({outlets[0]}): nothing to compare across outlets; add another outlet's articles",
            )
        )
    report("read", len(corpus.articles), len(corpus.articles))
    embedder = embedder or get_embedder(model)
    story_options = story_options or StoryOptions()
    claim_options = claim_options or ClaimOptions()
    statements = segment_articles(corpus.articles, store=store) if corpus.articles else []
    report("segment", len(statements), len(statements))
    vectors = embed_texts(
        [statement.text for statement in statements],
        embedder,
        store,
        progress=lambda done, total: report("embed", done, total),
    )
    stories = cluster_stories(corpus.articles, statements, vectors, story_options)
    clusters = cluster_claims(statements, vectors, stories, claim_options)
    report("cluster", 1, 1)
    analysis = Analysis(
        articles=corpus.articles,
        statements=statements,
        stories=stories,
        clusters=clusters,
        problems=problems,
        vectors=vectors,
        model=embedder.name,
        settings={"stories": asdict(story_options), "claims": asdict(claim_options), "engine": {"name": "local"}},
    )
    if with_framing and statements:
        from compare.framing import analyze_framing

        analysis.framing = analyze_framing(analysis, embedder)
        report("framing", 1, 1)
    return analysis


def read_saved_analysis(folder: str | Path) -> tuple[dict[str, Any], np.ndarray]:
    """An analysis written by ``python -m compare analyze --out FOLDER`` (either engine), with its vectors.

    Vectors come from ``vectors.npy`` (the local engine) or the Parquet shards (the Ray engine); an
    empty array when neither is there.

    Raises:
        InputError: when the folder holds no readable analysis.json.
    """
    import json

    from compare.errors import InputError

    folder = Path(folder)
    try:
        analysis = json.loads((folder / "analysis.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{folder / 'analysis.json'}: cannot read the saved analysis ({error})") from error
    if not isinstance(analysis, dict) or analysis.get("version") != 1 or "statements" not in analysis:
        raise InputError(f"{folder / 'analysis.json'}: not an analysis written by Parallax (version 1)")
    if (folder / "vectors.npy").is_file():
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
    elif (folder / "shards").is_dir():
        from compare.engine_ray import read_shard_vectors

        vectors = read_shard_vectors(folder / "shards")
    else:
        vectors = np.zeros((0, 1), dtype=np.float32)
    if len(vectors) != len(analysis["statements"]):
        vectors = np.zeros((0, 1), dtype=np.float32)  # stale or missing: the map is left out
    return analysis, vectors
