"""An analysis: everything one run produced (``to_dict`` is the analysis.json contract) and the index it keeps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from compare.cluster import (
    ClaimIndex,
    StoryIndex,
)
from compare.embed import Embedder, embed_texts
from compare.engines.document import AnalysisDocument
from compare.framing import FramingContext, FramingIndex
from compare.io.column_rows import column_of
from compare.io.store import Store
from compare.io.vector_blocks import StoredVectors
from compare.model.documents import Article, Claim, Problem, Statement, Story
from compare.model.framing import Framing
from compare.segment import segment_articles
from compare.segment.times import publication_day

Progress = Callable[[str, int, int], None]
UNDATED_NAMED = 5  # articles named in the one problem about undated articles


@dataclass
class AnalysisIndex:
    """What an analysis keeps so that articles can be added to it (``extend``) without a full run."""

    stories: StoryIndex
    claims: ClaimIndex
    framing: FramingIndex | None
    fingerprints: list[str]  # ``ingest.article_fingerprint`` of each article
    # ``cluster.boilerplate.repeat_keys`` of each statement, so that adding articles grows the boilerplate
    # flags (``claims.boilerplate``) without going over every statement again; empty when not kept
    repeat_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # the index's arrays as a store holds them, when read from one (``compare.engines.stored_index``): a write
    # of the analysis extended from this one stores only what differs from them
    stored: Any = field(default=None, compare=False, repr=False)


@dataclass
class Analysis:
    """Everything one run produced; ``to_dict`` is the analysis.json contract."""

    articles: list[Article]
    statements: list[Statement]
    stories: list[Story]
    claims: list[Claim]  # written under analysis.json's key "clusters", which old saved runs use
    problems: list[Problem]
    vectors: np.ndarray = field(repr=False)
    model: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    framing: Framing | None = None  # None when the run left framing out
    index: AnalysisIndex | None = field(default=None, repr=False)

    def framing_context(self, embedder: Embedder | None = None) -> FramingContext:
        """What framing reads of this analysis; ``embedder`` is the model that embedded its statements."""
        return FramingContext(self.articles, self.statements, self.stories, self.claims, self.vectors, embedder)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready analysis (articles, statements, stories, claims as ``clusters``, problems, framing keys)."""
        return AnalysisDocument(
            self.articles,
            self.statements,
            self.stories,
            self.claims,
            self.problems,
            self.model,
            self.settings,
            self.framing,
        ).to_dict()

    def to_json(self) -> bytes:
        """analysis.json's content: ``to_dict`` written by orjson straight from the dataclasses.

        The same JSON value as ``to_dict`` (a test holds them equal), without building a dict for
        each of hundreds of thousands of rows first: orjson writes a dataclass as its fields, in order. Rows
        read from a store as columns (``ColumnRows``, an addition's) are made here: orjson writes lists only.
        """
        document = {
            "version": 1,
            "model": self.model,
            "settings": self.settings,
            "articles": list(self.articles),
            "statements": list(self.statements),
            "stories": list(self.stories),
            "clusters": list(self.claims),
            "problems": self.problems,
            **(self.framing.to_json_ready() if self.framing is not None else {}),
        }
        return orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY)


def grown(vectors: np.ndarray | StoredVectors, added: np.ndarray) -> Any:
    """``vectors`` with ``added`` rows below, in a buffer with room to grow.

    When ``vectors`` is the start of such a buffer and the room suffices, the added rows are written
    after it and a longer view of the buffer is returned: the earlier view still shows exactly what
    it showed, and nothing is copied. Otherwise a buffer an eighth larger than needed is made.
    (``extend`` hands an analysis's index over, so no two extensions write into one buffer's room.)
    """
    if isinstance(vectors, StoredVectors):  # a saved run's float16 blocks: kept, the added rows below them
        return vectors.grown(added)
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


def corpus_problems(articles: list[Article]) -> list[Problem]:
    """Problems of the corpus as a whole: one outlet leaves nothing to compare; articles without a date."""
    outlets = sorted(set(column_of(articles, "outlet")))  # columns: an addition's stored articles stay unmade
    problems = []
    if len(outlets) == 1:
        problems.append(
            Problem(
                "corpus",
                f"only one outlet ({outlets[0]}): nothing to compare across outlets; add another outlet's articles",
            )
        )
    undated = [
        article_id
        for article_id, published in zip(column_of(articles, "id"), column_of(articles, "published"))
        if publication_day(published) is None
    ]
    if undated:
        named = ", ".join(undated[:UNDATED_NAMED]) + (
            f" and {len(undated) - UNDATED_NAMED} more" if len(undated) > UNDATED_NAMED else ""
        )
        problems.append(
            Problem(
                "corpus",
                f"{len(undated)} of {len(articles)} articles have no date ({named}): their stories rest on "
                "wording and named people, places and figures alone, so similar events may merge; "
                "give a date (a 'published' or 'date' field, or a date in the page) to tell them apart",
            )
        )
    return problems


def statements_and_vectors(
    articles: list[Article], embedder: Embedder, store: Store | None, report: Progress
) -> tuple[list[Statement], np.ndarray]:
    """The segment and embed stages for these articles, each result cached in ``store``."""
    segmented = lambda done, total: report("segment", done, total)  # noqa: E731 -- (articles done, articles)
    statements = segment_articles(articles, store=store, progress=segmented) if articles else []
    report("embed", 0, 0)  # started; the counts come after the first chunk, of the statements not yet cached
    vectors = embed_texts(
        [statement.text for statement in statements],
        embedder,
        store,
        progress=lambda done, total: report("embed", done, total),
    )
    return statements, vectors
