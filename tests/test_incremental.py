"""Adding articles to an analysis (``pipeline.extend``) gives what a full run gives, embedding only the new statements."""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import pytest

from compare.cluster import ClaimOptions, Neighbours, claim_index, extend_claim_index, grow_neighbours
from compare.cluster.components import touched_members
from compare.cluster.neighbours import rows_reached
from compare.ingest import Corpus, load_corpus
from compare.io.store import Store
from compare.model.documents import Statement
from compare.pipeline import Analysis, analyze, extend
from tests.conftest import SEEDS


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.embedded = inner, inner.name, 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return self.inner.embed(texts)


def _rows(value):  # type: ignore[no-untyped-def]
    return sorted(json.dumps(row, sort_keys=True) for row in value) if isinstance(value, list) else value


def _assert_same_as_full(extended: Analysis, full: Analysis) -> None:
    """Every key of analysis.json equal, rows in any order; distinctive terms nearly so (a documented approximation)."""
    got, want = extended.to_dict(), full.to_dict()
    assert got.keys() == want.keys()
    for key in want:
        if key == "distinctive_terms":
            continue
        assert _rows(got[key]) == _rows(want[key]), key
    terms: dict[str, dict[tuple[str, str | None], set[str]]] = {"got": defaultdict(set), "want": defaultdict(set)}
    for name, analysis in (("got", got), ("want", want)):
        for row in analysis["distinctive_terms"]:
            terms[name][(row["outlet"], row["story_id"])].add(row["term"])
    assert terms["got"].keys() == terms["want"].keys()
    overlap = [len(terms["got"][scope] & found) / len(found) for scope, found in terms["want"].items() if found]
    assert np.mean(overlap) >= 0.95


def test_adding_a_seed_article_equals_a_full_run_and_embeds_only_its_statements(embedder, tmp_path):
    files = sorted(SEEDS.glob("*.txt"))
    store = Store(tmp_path / "store.sqlite3")
    counting = CountingEmbedder(embedder)
    base = analyze(files[:-1], embedder=counting, store=store)
    counting.embedded = 0
    extended = extend(base, files[-1:], embedder=counting, store=store)
    added = [s for s in extended.statements if s.article_id == extended.articles[-1].id]
    assert counting.embedded == len(added) > 10
    # The full run reads the same embeddings from the store (int8 embeddings shift slightly with
    # their batch, see models/README.md; the comparison is of the clustering and framing).
    full = analyze(files, embedder=counting, store=store)
    assert counting.embedded == len(added)
    assert len(full.claims) > 5
    _assert_same_as_full(extended, full)


def test_extend_without_an_embedder_loads_the_one_that_made_the_analysis(embedder, tmp_path):
    """The README's API example: ``extend(analysis, files)`` with the default backend, no embedder given."""
    files = sorted(SEEDS.glob("*.txt"))
    store = Store(tmp_path / "store.sqlite3")
    base = analyze(files[:-1], embedder=embedder, store=store)
    assert "+" in base.model or embedder.name == base.model  # the int8 backends record MODEL+BACKEND
    extended = extend(base, files[-1:], store=store)
    assert len(extended.articles) == len(files)
    assert extended.model == base.model


def test_embedder_of_a_stored_name_is_the_backend_that_named_it():
    from compare.embed import OnnxEmbedder, SentenceTransformerEmbedder, embedder_of

    assert isinstance(embedder_of("all-MiniLM-L6-v2+onnx-int8"), OnnxEmbedder)
    assert embedder_of("all-MiniLM-L6-v2+onnx-int8").name == "all-MiniLM-L6-v2+onnx-int8"
    torch_named = embedder_of("all-MiniLM-L6-v2")  # loaded lazily: naming it reads no weights
    assert isinstance(torch_named, SentenceTransformerEmbedder) and torch_named.name == "all-MiniLM-L6-v2"
    path_with_plus = embedder_of("/models/c++/MiniLM")
    assert isinstance(path_with_plus, SentenceTransformerEmbedder) and path_with_plus.name == "/models/c++/MiniLM"


def test_adding_basil_articles_to_known_and_new_stories_equals_a_full_run(basil_subset, embedder, tmp_path):
    corpus = load_corpus([basil_subset])
    store = Store(tmp_path / "store.sqlite3")
    full = analyze(corpus, embedder=embedder, store=store)
    # The last four articles: one joins its event's story, the last event's three make a new one.
    base = analyze(Corpus(articles=corpus.articles[:-4]), embedder=embedder, store=store)
    extended = extend(base, Corpus(articles=corpus.articles[-4:]), embedder=embedder, store=store)
    last_story = next(story for story in extended.stories if corpus.articles[-1].id in story.article_ids)
    assert set(last_story.article_ids) == {article.id for article in corpus.articles[-3:]}
    joined = next(story for story in extended.stories if corpus.articles[-4].id in story.article_ids)
    assert len(joined.article_ids) == 3
    _assert_same_as_full(extended, full)


def test_an_article_of_another_event_clusters_again_only_the_claims_it_can_change(basil_subset, embedder, tmp_path):
    """Seed 002 (France, Russia and Ukraine) added to ten US-politics events of BASIL: its statements enter the
    neighbour lists of many old statements and join none of their claims. Only the components whose edges it
    changes are clustered again, not every component its neighbour lists reach, and the claims are a full run's."""
    corpus = load_corpus([basil_subset, SEEDS / "002_4892f748bad1f1bd.txt"])
    assert "Ukraine" in corpus.articles[-1].text
    full = analyze(corpus, embedder=embedder, store=Store(tmp_path / "store.sqlite3"), with_framing=False)
    statements, vectors, options = full.statements, full.vectors, ClaimOptions()
    n_old = sum(statement.article_id != corpus.articles[-1].id for statement in statements)
    base = claim_index(statements[:n_old], vectors[:n_old], options)
    extended, update = extend_claim_index(base, statements, vectors, options)
    everything = claim_index(statements, vectors, options)
    assert _partition(extended.labels) == _partition(everything.labels)
    assert _partition(extended.components) == _partition(everything.components)
    found, entered = grow_neighbours(
        Neighbours(base.neighbours, base.neighbour_similarities), vectors, options.neighbours
    )
    reached = touched_members(base.components, rows_reached(found, n_old, entered), len(statements))
    added = len(statements) - n_old
    assert len(reached) - added > 100  # its lists reach many old components: 331 old statements
    assert update.reclustered - added < 0.8 * (len(reached) - added)  # 208 of them clustered again


def test_a_weak_edge_an_added_statement_pushes_out_of_a_neighbour_list_changes_its_claim():
    """Four statements; a and c make a claim that b joins on the average of its strong edge to c (0.7) and its
    weak one to a (0.45, in a's list of two, not in b's). An added statement x, weak to all, takes b's place in
    a's list: the weak edge goes, b leaves the claim in a full run, and so must it when x is added."""
    names = ["a", "b", "c", "d", "x"]
    gram = np.eye(len(names))
    for (first, second), cosine in {("a", "c"): 0.9, ("b", "c"): 0.7, ("a", "b"): 0.45, ("b", "d"): 0.5,
                                    ("a", "x"): 0.5, ("c", "x"): 0.3}.items():  # fmt: skip
        gram[names.index(first), names.index(second)] = gram[names.index(second), names.index(first)] = cosine
    vectors = np.linalg.cholesky(gram).astype(np.float32)
    statements = [
        Statement(f"{name}:0", name, f"outlet-{name}", 0, f"statement {name}", 0, 1, "fact") for name in names
    ]
    options = ClaimOptions(threshold=0.55, neighbours=2)
    base = claim_index(statements[:4], vectors[:4], options)
    assert _partition(base.labels) == {frozenset({0, 1, 2}), frozenset({3})}
    full = claim_index(statements, vectors, options)
    assert _partition(full.labels) == {frozenset({0, 2}), frozenset({1}), frozenset({3}), frozenset({4})}
    extended, _ = extend_claim_index(base, statements, vectors, options)
    assert _partition(extended.labels) == _partition(full.labels)


def test_an_article_already_there_is_skipped_and_the_index_is_handed_over(seeds_analysis, embedder, tmp_path):
    files = sorted(SEEDS.glob("*.txt"))
    store = Store(tmp_path / "store.sqlite3")
    base = analyze(files[:2], embedder=embedder, store=store)
    extended = extend(base, files[:1], embedder=embedder, store=store)
    assert len(extended.articles) == 2 and len(extended.statements) == len(base.statements)
    assert any(str(files[0]) in p.source and "duplicate" in p.message for p in extended.problems)
    with pytest.raises(ValueError, match="no index"):
        extend(base, files[2:3], embedder=embedder, store=store)
    assert extend(extended, files[2:3], embedder=embedder, store=store).articles[-1].source.endswith(files[2].name)


def _clustered_vectors(n: int, centres: int, seed: int, spread: float = 0.6) -> np.ndarray:
    rng = np.random.default_rng(seed)
    middle = rng.normal(size=(centres, 32))
    vectors = middle[rng.integers(0, centres, n)] + rng.normal(scale=spread, size=(n, 32))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_neighbour_lists_grow_exactly():
    vectors = _clustered_vectors(400, 12, 0)
    old = 360
    scores = vectors[:old] @ vectors[:old].T
    np.fill_diagonal(scores, -np.inf)
    order = np.argsort(-scores, axis=1)[:, :8]
    (neighbours, similarities), entered_rows = grow_neighbours(
        Neighbours(order, np.take_along_axis(scores, order, 1)), vectors, 8, block_rows=64
    )
    entered = set(entered_rows.tolist())
    everything = vectors @ vectors.T
    np.fill_diagonal(everything, -np.inf)
    expected = np.argsort(-everything, axis=1)[:, :8]
    assert (np.sort(neighbours, 1) == np.sort(expected, 1)).all()
    assert entered == {row for row in range(old) if (expected[row] >= old).any()}


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for row, label in enumerate(labels.tolist()):
        groups[label].add(row)
    return {frozenset(group) for group in groups.values()}


@pytest.mark.parametrize("with_anchors", [False, True])
def test_claim_index_grows_to_the_full_runs_claims(with_anchors):
    """Thirty small corpora, one article added to each: the claims equal a full run's every time.

    Short neighbour lists make an added statement enter few old lists, and anchors named by two
    or three articles change weight when a third or fourth names them; leaving out either kind of
    touched component (the neighbours of the added statements, the holders of their anchors)
    breaks this test.
    """
    options = ClaimOptions(threshold=0.55, neighbours=3)
    reclustered = []
    for seed in range(30):
        vectors = _clustered_vectors(300, 30, seed, spread=0.5)
        statements = [
            Statement(
                f"a{row // 3}:{row % 3}",
                f"a{row // 3}",
                f"outlet{row // 3 % 3}",
                row % 3,
                f"statement {row}",
                0,
                1,
                "fact",
                entities=((f"N{row // 3 % 49}", "PERSON"), (f"M{row // 3 % 33}", "ORG")) if with_anchors else (),
            )
            for row in range(300)
        ]
        full = claim_index(statements, vectors, options)
        base = claim_index(statements[:297], vectors[:297], options)  # all but the last article
        extended, update = extend_claim_index(base, statements, vectors, options)
        assert update.added == 3
        assert _partition(extended.labels) == _partition(full.labels), seed
        assert _partition(extended.components) == _partition(full.components), seed
        reclustered.append(update.reclustered)
    assert np.median(reclustered) < (300 if with_anchors else 150)  # only what the added article touches
