"""One short function that runs the stages in order: ingest, segment, embed, cluster (and framing)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from compare.cluster import (
    ClaimIndex,
    ClaimOptions,
    StoryIndex,
    StoryOptions,
    claim_index,
    claims_from_labels,
    extend_claim_index,
    extend_story_index,
    stories_from_labels,
    story_index,
)
from compare.embed import Embedder, embed_texts, get_embedder
from compare.framing import FramingChange, FramingContext, FramingIndex, compute_framing, extend_framing
from compare.ingest import Corpus, article_fingerprint, deduplicate_ids, load_corpus
from compare.io.store import Store
from compare.model.documents import Article, Claim, Problem, Statement, Story, empty_vectors
from compare.model.framing import Framing
from compare.segment import segment_articles

Progress = Callable[[str, int, int], None]


@dataclass
class AnalysisIndex:
    """What an analysis keeps so that articles can be added to it (``extend``) without a full run."""

    stories: StoryIndex
    claims: ClaimIndex
    framing: FramingIndex | None
    fingerprints: list[str]  # ``ingest.article_fingerprint`` of each article


@dataclass
class Analysis:
    """Everything one run produced; ``to_dict`` is the analysis.json contract."""

    articles: list[Article]
    statements: list[Statement]
    stories: list[Story]
    clusters: list[Claim]  # the claims; named as analysis.json's key
    problems: list[Problem]
    vectors: np.ndarray = field(repr=False)
    model: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    framing: Framing | None = None  # None when the run left framing out
    index: AnalysisIndex | None = field(default=None, repr=False)

    def framing_context(self, embedder: Embedder | None = None) -> FramingContext:
        """What framing reads of this analysis; ``embedder`` is the model that embedded its statements."""
        return FramingContext(self.articles, self.statements, self.stories, self.clusters, self.vectors, embedder)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready analysis (articles, statements, stories, claims as ``clusters``, problems, framing keys)."""
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
            **(self.framing.to_dict() if self.framing is not None else {}),
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
    if len(statements):
        vectors = grown(empty_vectors(vectors.shape[1]), vectors)  # room for articles added later
    stories_index = story_index(corpus.articles, statements, vectors, story_options)
    stories = stories_from_labels(corpus.articles, stories_index.labels)
    claims_index = claim_index(statements, vectors, claim_options)
    clusters = claims_from_labels(statements, claims_index.labels, stories, claim_options)
    report("cluster", 1, 1)
    analysis = Analysis(
        articles=corpus.articles,
        statements=statements,
        stories=stories,
        clusters=clusters,
        problems=list(corpus.problems) + _corpus_problems(corpus.articles),
        vectors=vectors,
        model=embedder.name,
        settings={"stories": asdict(story_options), "claims": asdict(claim_options), "engine": {"name": "local"}},
    )
    framing_index = None
    if with_framing and statements:
        analysis.framing, framing_index = compute_framing(analysis.framing_context(embedder))
        report("framing", 1, 1)
    analysis.index = AnalysisIndex(
        stories=stories_index,
        claims=claims_index,
        framing=framing_index,
        fingerprints=[article_fingerprint(article) for article in corpus.articles],
    )
    return analysis


def grown(vectors: np.ndarray, added: np.ndarray) -> np.ndarray:
    """``vectors`` with ``added`` rows below, in a buffer with room to grow.

    When ``vectors`` is the start of such a buffer and the room suffices, the added rows are written
    after it and a longer view of the buffer is returned: the earlier view still shows exactly what
    it showed, and nothing is copied. Otherwise a buffer an eighth larger than needed is made.
    (``extend`` hands an analysis's index over, so no two extensions write into one buffer's room.)
    """
    n_old, n = len(vectors), len(vectors) + len(added)
    if not n:
        return np.ascontiguousarray(added, dtype=np.float32)
    buffer = vectors.base
    if (
        isinstance(buffer, np.ndarray)
        and buffer.ndim == 2
        and buffer.dtype == vectors.dtype
        and buffer.shape[1] == vectors.shape[1]
        and buffer.shape[0] >= n
        and vectors.flags.c_contiguous
        and buffer.flags.c_contiguous
        and vectors.__array_interface__["data"][0] == buffer.__array_interface__["data"][0]
    ):
        buffer[n_old:n] = added
        return buffer[:n]
    buffer = np.empty((n + n // 8 + 1024, added.shape[1]), dtype=np.float32)
    buffer[:n_old] = vectors
    buffer[n_old:n] = added
    return buffer[:n]


def _corpus_problems(articles: list[Article]) -> list[Problem]:
    """Problems of the corpus as a whole: one outlet leaves nothing to compare."""
    outlets = sorted({article.outlet for article in articles})
    if len(outlets) != 1:
        return []
    return [
        Problem(
            "corpus",
            f"only one outlet ({outlets[0]}): nothing to compare across outlets; add another outlet's articles",
        )
    ]


def extend(
    previous: Analysis,
    inputs: Iterable[str | Path] | Corpus,
    embedder: Embedder | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Adds articles to an analysis: only their statements are segmented and embedded, and only the
    stories, claims and framing figures they touch are computed again (see ``compare.incremental``).

    The result equals a full run of ``analyze`` on all the articles, up to the approximations that
    ``compare.incremental`` names. ``previous`` keeps its results but hands its index over: extend
    the returned analysis next, not ``previous`` again.

    Args:
        previous: an analysis made by ``analyze`` or ``extend`` (with its index).
        inputs: the added articles (files, folders, URLs or a Corpus); duplicates of articles
            already in the analysis are skipped, with a problem saying so.
        embedder: the embedder of ``previous`` (loaded from ``previous.model`` when None).
        store, progress: as for ``analyze``.

    Raises:
        ValueError: when ``previous`` has no index (it was extended already, or read from a file
            without one), or ``embedder`` is another model than the analysis was made with.
    """

    index = previous.index
    if index is None:
        raise ValueError("this analysis has no index to add articles to (it was extended already, or read from a file)")
    embedder = embedder or get_embedder(previous.model)
    if embedder.name != previous.model:
        raise ValueError(f"the analysis was made with {previous.model}, not {embedder.name}: run it again in full")
    report = progress or (lambda stage, done, total: None)
    corpus = inputs if isinstance(inputs, Corpus) else load_corpus(inputs)
    decisions, problems = deduplicate_ids(
        (
            (a.id, fingerprint, a.source)
            for a, fingerprint in zip(corpus.articles, map(article_fingerprint, corpus.articles))
        ),
        earlier=zip((article.id for article in previous.articles), index.fingerprints),
    )
    added = [replace(a, id=decision) for a, decision in zip(corpus.articles, decisions) if decision is not None]
    report("read", len(added), len(added))
    previous.index = None
    if not added:
        return replace(previous, problems=previous.problems + list(corpus.problems) + problems, index=index)
    articles = previous.articles + added
    added_statements = segment_articles(added, store=store)
    report("segment", len(added_statements), len(added_statements))
    added_vectors = embed_texts(
        [statement.text for statement in added_statements],
        embedder,
        store,
        progress=lambda done, total: report("embed", done, total),
    )
    statements = previous.statements + added_statements
    if not len(added_vectors):
        added_vectors = empty_vectors(previous.vectors.shape[1])
    vectors = grown(previous.vectors, added_vectors)
    story_options = StoryOptions(**previous.settings["stories"])
    claim_options = ClaimOptions(**previous.settings["claims"])
    stories_index, _ = extend_story_index(index.stories, articles, added_statements, added_vectors, story_options)
    stories = stories_from_labels(articles, stories_index.labels)
    claims_index, _ = extend_claim_index(index.claims, statements, vectors, claim_options)
    clusters = claims_from_labels(statements, claims_index.labels, stories, claim_options)
    report("cluster", 1, 1)
    analysis = Analysis(
        articles=articles,
        statements=statements,
        stories=stories,
        clusters=clusters,
        problems=[p for p in previous.problems if p.source != "corpus"]
        + list(corpus.problems)
        + problems
        + _corpus_problems(articles),
        vectors=vectors,
        model=previous.model,
        settings=previous.settings,
    )
    if index.framing is not None and previous.framing is not None:  # an analysis without framing stays without
        change = FramingChange.between(previous.framing_context(), analysis.framing_context(embedder), previous.framing)
        analysis.framing = extend_framing(change, index.framing)
        report("framing", 1, 1)
    analysis.index = AnalysisIndex(
        stories=stories_index,
        claims=claims_index,
        framing=index.framing,
        fingerprints=index.fingerprints + [article_fingerprint(article) for article in added],
    )
    return analysis


def analysis_from_dict(data: dict[str, Any], vectors: np.ndarray) -> Analysis:
    """The Analysis of an analysis.json (``Analysis.to_dict``) and its vectors, without an index."""
    return Analysis(
        articles=[Article(**article) for article in data["articles"]],
        statements=[
            Statement(**{**statement, "entities": tuple((text, label) for text, label in statement["entities"])})
            for statement in data["statements"]
        ],
        stories=[
            Story(**{key: tuple(value) for key, value in story.items() if key != "id"}, id=story["id"])
            for story in data["stories"]
        ],
        clusters=[
            Claim(**{key: tuple(value) for key, value in cluster.items() if key != "id"}, id=cluster["id"])
            for cluster in data["clusters"]
        ],
        problems=[Problem(**problem) for problem in data["problems"]],
        vectors=vectors,
        model=data["model"],
        settings=data["settings"],
        framing=Framing.from_dict(data) if data.keys() & set(Framing.keys()) else None,
    )


def read_saved_analysis(folder: str | Path) -> tuple[dict[str, Any], np.ndarray]:
    """An analysis written by ``python -m compare analyze --out FOLDER`` (either engine), with its vectors.

    Vectors come from ``vectors.npy`` (the local engine) or the Parquet shards (the Ray engine); an
    empty array when neither is there.

    Raises:
        InputError: when the folder holds no readable analysis.json.
    """
    import orjson

    from compare.model.errors import InputError

    folder = Path(folder)
    try:
        analysis = orjson.loads((folder / "analysis.json").read_bytes())
    except (OSError, ValueError) as error:  # orjson.JSONDecodeError is a ValueError
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


def save_analysis(
    analysis: Analysis,
    folder: str | Path,
    with_vectors: bool = True,
    index_manifest: dict[str, Any] | None = None,
) -> Path:
    """Writes ``FOLDER/analysis.json``, ``vectors.npy`` and the index, so that a reader always finds a set
    that fits together. The caller holds the folder (``atomic.locked_folder``) while it runs.

    Every new file is written first, under temporary names, and flushed to disk: a failure there (a full
    disk, a read-only folder, an interrupt) leaves the previous analysis as it was and nothing else. Only
    then are the old files replaced, in an order where each step leaves a readable, consistent folder:
    the old index and vectors go, analysis.json is renamed into place, then vectors.npy, then the index.
    Stopped in between, the folder holds an analysis.json with its own vectors or with none (the map is
    left out), and an index only when it matches both (otherwise the next run is a full one).

    Args:
        analysis: what to save.
        folder: the output folder (created when missing).
        with_vectors: write ``vectors.npy`` (the Ray engine keeps its vectors in its shards).
        index_manifest: what ``incremental.read_manifest`` gives back (inputs, settings); the index is
            written when this is given and the analysis has one, and any earlier index removed otherwise.

    Returns:
        The path of analysis.json.

    Raises:
        OutputError: naming the file that cannot be written and why.
    """
    import orjson

    from compare.incremental import write_index
    from compare.io.atomic import TEMPORARY_SUFFIX, commit, discard, make_folder, reason, stage_file, sync_folder
    from compare.model.errors import OutputError

    folder = Path(folder)
    make_folder(folder)
    _discard_leftovers(folder)
    target, vectors_file, index_folder = folder / "analysis.json", folder / "vectors.npy", folder / "index"
    index_staging = folder / "index.new"
    index = analysis.index if index_manifest is not None else None
    staged: list[tuple[Path, Path]] = []  # (temporary file, its target), in the order they are renamed
    staging_index = False
    try:
        content = orjson.dumps(analysis.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY)
        staged.append((stage_file(target, content), target))
        del content
        if with_vectors:
            vectors = np.asarray(analysis.vectors, dtype=np.float32)
            staged.append(
                (stage_file(vectors_file, lambda handle: np.save(handle, vectors, allow_pickle=False)), vectors_file)
            )
        if index is not None and index_manifest is not None:
            staging_index = True
            write_index(index, index_staging, index_manifest)
            sync_folder(index_staging)
        # Everything new is on disk: replace the old files, each step leaving a consistent folder.
        try:
            for old in (index_folder, vectors_file):
                if old.is_dir():
                    retired = folder / f".{old.name}.old{TEMPORARY_SUFFIX}"
                    os.replace(old, retired)
                    discard(retired)
                elif old.exists():
                    old.unlink()
        except OSError as error:
            raise OutputError(f"cannot replace {error.filename or folder}: {reason(error)}") from error
        while staged:
            commit(*staged[0])
            staged.pop(0)
        if staging_index:
            try:
                os.replace(index_staging, index_folder)
            except OSError as error:
                raise OutputError(f"cannot write {index_folder}: {reason(error)}") from error
            staging_index = False
        sync_folder(folder)
    finally:
        for temporary, _ in staged:
            discard(temporary)
        if staging_index:
            discard(index_staging)
    return target


def _discard_leftovers(folder: Path) -> None:
    """Removes what a killed ``save_analysis`` (or an older version's writer) left in ``folder``."""
    from compare.io.atomic import TEMPORARY_SUFFIX, discard

    names = ("analysis.json", "vectors.npy", "index")
    for path in folder.iterdir():
        if (
            path.name.startswith(tuple(f".{name}." for name in names)) and path.name.endswith(TEMPORARY_SUFFIX)
        ) or path.name in ("index.new", "analysis.json.tmp", "vectors.npy.tmp"):
            discard(path)
