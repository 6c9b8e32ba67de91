"""Adding articles to an analysis: the added rows are the query; only what they touch is computed again.

Claims and stories: ``compare.cluster.extend_claim_index`` / ``extend_story_index`` re-cluster the
strong components the added rows touch (the result equals a full run's); framing: each signal's
``extend`` (``compare.framing.extend_framing``). The index is saved next to analysis.json
(``compare.engines.index``) so that ``analyze --out`` can add files to an earlier run.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from compare.cluster import (
    ClaimOptions,
    StoryOptions,
    boilerplate_flags,
    claim_evidence,
    extend_claim_index,
    extend_story_index,
    stories_from_labels,
)
from compare.cluster.anchors import statement_anchors
from compare.cluster.boilerplate import extended_flags, repeat_keys
from compare.cluster.claim_carry import extended_claims
from compare.cluster.claims import article_numbers
from compare.embed import Embedder, embedder_of
from compare.engines.analysis import Analysis, AnalysisIndex, Progress, corpus_problems, grown, statements_and_vectors
from compare.engines.local import analyze
from compare.framing import FramingChange, extend_framing
from compare.ingest import (
    Corpus,
    article_fingerprint,
    deduplicate_ids,
    load_corpus,
    one_spelling_per_outlet,
)
from compare.io.collector import collector_paused
from compare.io.column_rows import column_of
from compare.io.store import Store
from compare.model.documents import Statement, empty_vectors

# An addition keeps the saved articles' term weights (``extend_story_index``): they follow the document frequencies
# of their own run, which is a full run's only while the added articles are few beside the saved ones. On BASIL, 1,
# 10 and 30 articles added to the other 299, 290 and 270 gave a full run's stories and claims (EVALUATION.md, "Adding
# articles against a full run"); 1 undated seed added to 2 joined three stories that a full run keeps as two (below
# 20 documents no term is dropped as too common, and each article moves every weight). Past these bounds the
# articles are analysed in full: the stories and claims are a full run's, at the cost of a run of that size.
# ``PARALLAX_ADD_IN_PLACE=always`` adds in place whatever the sizes (faster, and approximate past the bounds; the test
# suite sets it to exercise additions on small corpora).
MIN_SAVED_ARTICLES = 20
MAX_ADDED_SHARE = 0.1


def runs_in_full(saved: int, added: int) -> str | None:
    """Why adding ``added`` articles to a saved run of ``saved`` is made as a full run, or None when an addition gives
    a full run's result (``MIN_SAVED_ARTICLES``, ``MAX_ADDED_SHARE``)."""
    if not added or os.environ.get("PARALLAX_ADD_IN_PLACE", "").strip().lower() == "always":
        return None
    if saved < MIN_SAVED_ARTICLES:
        return f"the saved run has {saved} articles (an addition needs {MIN_SAVED_ARTICLES} to equal a full run)"
    if added > MAX_ADDED_SHARE * saved:
        return (
            f"{added} articles added to {saved} (more than {MAX_ADDED_SHARE:.0%} of them: the saved articles' term "
            "weights would no longer be a full run's)"
        )
    return None


@collector_paused()  # builds a few hundred thousand rows and tuples, none in a cycle
def extend(
    previous: Analysis,
    inputs: str | Path | Iterable[str | Path] | Corpus,
    embedder: Embedder | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Adds articles to an analysis: only their statements are segmented and embedded, and only the
    stories, claims and framing figures they touch are computed again (see ``compare.engines.incremental``).

    The result equals a full run of ``analyze`` on all the articles, up to the approximations that
    ``compare.cluster`` and ``compare.framing.terms`` name. When the added articles are many beside the saved ones
    (``runs_in_full``), all the articles are analysed in full instead (the saved ones' segmentations and
    embeddings come from ``store`` when it holds them). ``previous`` keeps its results but hands its index over: extend
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
    embedder = embedder or embedder_of(previous.model)
    if embedder.name != previous.model:
        raise ValueError(f"the analysis was made with {previous.model}, not {embedder.name}: run it again in full")
    report = progress or (lambda stage, done, total: None)
    corpus = inputs if isinstance(inputs, Corpus) else load_corpus(inputs)
    spelt, problems = one_spelling_per_outlet(corpus.articles, earlier=column_of(previous.articles, "outlet"))
    corpus = Corpus(spelt, corpus.problems)
    decisions, duplicates = deduplicate_ids(
        (
            (a.id, fingerprint, a.outlet, a.source)
            for a, fingerprint in zip(corpus.articles, map(article_fingerprint, corpus.articles))
        ),
        earlier=zip(column_of(previous.articles, "id"), index.fingerprints, column_of(previous.articles, "outlet")),
    )
    problems += duplicates
    added = [replace(a, id=decision) for a, decision in zip(corpus.articles, decisions) if decision is not None]
    report("read", len(added), len(added))
    previous.index = None
    if not added:
        return replace(previous, problems=previous.problems + list(corpus.problems) + problems, index=index)
    story_options = StoryOptions(**previous.settings["stories"])
    # A run saved before the lead bonus (ev13g) keeps scoring its claims without it: the components an addition
    # re-clusters must agree with the ones it does not reach.
    claim_options = ClaimOptions(**{"lead_bonus": 0.0, **previous.settings["claims"]})
    # the saved run's problems but those of its corpus (found again over every article below), then the addition's
    carried = [p for p in previous.problems if p.source != "corpus"] + list(corpus.problems) + problems
    if runs_in_full(len(previous.articles), len(added)):
        return analyze(
            Corpus(list(previous.articles) + added, carried),
            store=store,
            story_options=story_options,
            claim_options=claim_options,
            embedder=embedder,
            with_framing=previous.framing is not None,
            progress=progress,
        )
    articles = previous.articles + added
    added_statements, added_vectors = statements_and_vectors(added, embedder, store, report)
    statements = previous.statements + added_statements
    if not len(added_vectors):
        added_vectors = empty_vectors(previous.vectors.shape[1])
    vectors = grown(previous.vectors, added_vectors)
    stories_index, _ = extend_story_index(index.stories, articles, statements, vectors, story_options)
    stories = stories_from_labels(articles, stories_index.labels)
    boilerplate, repeat_keys = _extended_boilerplate(index, statements)
    evidence = claim_evidence(
        articles,
        statements,
        stories_index.labels,
        when_asked=True,
        boilerplate=boilerplate,
        holders=_anchor_holders(index.claims.anchor_rows, statements, len(previous.statements)),
    )
    claims_index, _ = extend_claim_index(index.claims, statements, vectors, claim_options, evidence)
    clusters = extended_claims(
        previous.claims, index.claims.labels, previous.stories, statements, claims_index.labels, stories, claim_options
    )
    report("cluster", 1, 1)
    analysis = Analysis(
        articles=articles,
        statements=statements,
        stories=stories,
        claims=clusters,
        problems=carried + corpus_problems(articles),
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
        repeat_keys=repeat_keys,
        stored=index.stored,  # what the store holds of the index extended, so that only what changed is written
    )
    return analysis


def _extended_boilerplate(index: AnalysisIndex, statements: list[Statement]) -> tuple[np.ndarray, np.ndarray]:
    """``boilerplate_flags`` and ``repeat_keys`` of ``statements`` (the indexed ones first, then the added
    ones) from the flags and keys the index keeps (``extended_flags``), without going over every
    statement's text again; in full when it keeps none (saved by a version before it did)."""
    claims, n_old = index.claims, len(index.claims.labels)
    if len(claims.boilerplate) != n_old or len(index.repeat_keys) != n_old:
        return boilerplate_flags(statements), repeat_keys(statements)
    first_article = int(claims.article_of.max()) + 1 if n_old else 0
    article_of = np.concatenate([claims.article_of, article_numbers(statements[n_old:], first_article)])
    return extended_flags(claims.boilerplate, index.repeat_keys, article_of, statements[n_old:])


def _anchor_holders(
    indexed: dict[str, list[int]], statements: list[Statement], n_old: int
) -> Callable[[str], list[int]]:
    """The statements naming an anchor: the indexed ones (``ClaimIndex.anchor_rows``), then the added ones."""
    added: dict[str, list[int]] = defaultdict(list)
    for row in range(n_old, len(statements)):
        for anchor in statement_anchors(statements[row]):
            added[anchor].append(row)
    return lambda anchor: indexed.get(anchor, []) + added.get(anchor, [])
