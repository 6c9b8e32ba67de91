"""Claim ids named after a member statement: the same in any row order, kept by claims an addition does not
touch (with their framing rows), and an older store's ids by rank replaced once when it is added to."""

from __future__ import annotations

import shutil
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from compare.cli import main
from compare.cluster import claims_from_labels
from compare.cluster.claim_ids import claim_anchor, claim_id, known_claim_ids, named_by_rank
from compare.ingest import Corpus, load_corpus
from compare.io.store import Store
from compare.model.framing import Framing
from compare.pipeline import Analysis, analyze, extend, load_analysis, read_stored_manifest, save_analysis

from .conftest import SEEDS


def _claim_tables(framing: Framing) -> list[str]:
    """The framing tables whose rows name a claim (``cluster_id``)."""
    return [
        item.name
        for item in fields(Framing)
        if "row" in item.metadata and "cluster_id" in {field.name for field in fields(item.metadata["row"])}
    ]


def test_a_claims_id_comes_from_its_statements_whatever_their_order(seeds_analysis):
    statements = seeds_analysis.statements
    claims = seeds_analysis.claims
    assert len(claims) > 5
    row_of = {statement.id: row for row, statement in enumerate(statements)}
    labels = np.arange(len(statements), dtype=np.int64)  # each statement alone, then each claim's rows as one label
    for number, claim in enumerate(claims):
        labels[[row_of[sid] for sid in claim.statement_ids]] = len(statements) + number
    reversed_claims = claims_from_labels(statements[::-1], labels[::-1])
    named = {frozenset(claim.statement_ids): claim.id for claim in claims}
    assert {frozenset(claim.statement_ids): claim.id for claim in reversed_claims} == named
    assert len(set(named.values())) == len(claims)
    # The anchor is the first statement of the smallest article id, by position: "a:10" after "a:9".
    assert claim_anchor(["b:0", "a:10", "a:9"]) == "a:9"
    assert claim_id(["a:9", "b:0"]) == claim_id(["b:0", "a:9"]) != claim_id(["b:0", "a:10"])


def test_known_ids_name_only_the_claims_whose_statements_are_unchanged(seeds_analysis):
    statements, claims = seeds_analysis.statements, seeds_analysis.claims
    row_of = {statement.id: row for row, statement in enumerate(statements)}
    labels = np.arange(len(statements), dtype=np.int64)
    for number, claim in enumerate(claims):
        labels[[row_of[sid] for sid in claim.statement_ids]] = len(statements) + number
    known = dict(known_claim_ids(claims))
    assert known == {claim.statement_ids: claim.id for claim in claims}
    # An addition takes the earlier id of a claim with the same statements instead of hashing again, so a
    # marked id shows which path named it; a claim that lost a statement is not an earlier claim.
    first, second = claims[0], claims[1]
    known[first.statement_ids] = "claim-marked"
    labels[row_of[second.statement_ids[-1]]] = -1 - len(statements)  # alone now
    named = {claim.statement_ids: claim.id for claim in claims_from_labels(statements, labels, known_ids=known)}
    assert named[first.statement_ids] == "claim-marked"
    assert second.statement_ids not in named
    # Ids by rank (an older version) are never taken as known.
    ranked = [replace(claim, id=f"claim-{number}") for number, claim in enumerate(claims)]
    assert named_by_rank(ranked) and not known_claim_ids(ranked)


def test_an_addition_keeps_the_ids_and_rows_of_the_claims_it_does_not_touch(basil_subset, embedder, tmp_path):
    corpus = load_corpus([basil_subset])
    store = Store(tmp_path / "store.sqlite3")
    base = analyze(Corpus(articles=corpus.articles[:-4]), embedder=embedder, store=store)
    before = {claim.statement_ids: claim for claim in base.claims}
    base_rows = {name: list(getattr(base.framing, name)) for name in _claim_tables(base.framing)}
    extended = extend(base, Corpus(articles=corpus.articles[-4:]), embedder=embedder, store=store)

    kept = [claim for claim in extended.claims if claim.statement_ids in before]
    assert 10 < len(kept) < len(extended.claims)
    assert all(claim.id == before[claim.statement_ids].id for claim in kept)
    # New claims come before kept ones in the display order (most outlets first): ids by rank moved.
    positions = {claim.id: position for position, claim in enumerate(base.claims)}
    assert any(positions[claim.id] != position for position, claim in enumerate(extended.claims) if claim in kept)
    # The framing rows of kept claims whose stories the addition left alone are the rows they had.
    unchanged_stories = {story.id for story in extended.stories} & {story.id for story in base.stories}
    unchanged_stories &= {
        story.id for story in extended.stories if story.article_ids in {earlier.article_ids for earlier in base.stories}
    }
    untouched = {claim.id for claim in kept if set(claim.story_ids) <= unchanged_stories}
    assert untouched
    compared = 0
    for name, rows in base_rows.items():
        earlier = sorted(repr(row) for row in rows if row.cluster_id in untouched)
        now = sorted(repr(row) for row in getattr(extended.framing, name) if row.cluster_id in untouched)
        assert now == earlier, name
        compared += len(now)
    assert compared > len(untouched)


def _ranked(analysis: Analysis) -> Analysis:
    """The analysis with its claims named by rank (``claim-N``), as versions before ``claim_id`` named them."""
    rank = {claim.id: f"claim-{number}" for number, claim in enumerate(analysis.claims, start=1)}
    framing = analysis.framing
    assert framing is not None
    renamed = {
        name: [replace(row, cluster_id=rank.get(row.cluster_id, row.cluster_id)) for row in getattr(framing, name)]
        for name in _claim_tables(framing)
    }
    ranked = replace(
        analysis,
        claims=[replace(claim, id=rank[claim.id]) for claim in analysis.claims],
        framing=replace(framing, **renamed),
    )
    ranked.index = analysis.index
    return ranked


def _store_dict(folder: Path) -> dict[str, Any]:
    return load_analysis(folder).to_dict()


def test_a_store_with_claims_named_by_rank_opens_and_an_addition_names_them_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in [*seeds[:-1], SEEDS / "sources.csv"]:
        shutil.copy(path, folder)
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    shutil.copytree(out, tmp_path / "stable")

    # The same store as an older version wrote it: claims and framing rows name claim-1, claim-2, ...
    saved = load_analysis(out, with_index=True)
    manifest = read_stored_manifest(out)
    assert manifest is not None and saved.index is not None
    kept = {key: value for key, value in manifest.items() if key not in ("version", "arrays")}
    save_analysis(_ranked(saved), out, index_manifest=kept)
    old = load_analysis(out)
    assert named_by_rank(old.claims) and old.claims[0].id == "claim-1"
    assert {row.cluster_id for row in old.framing.coverage} <= {claim.id for claim in old.claims}
    capsys.readouterr()
    story = old.claims[0].story_ids[0]
    assert main(["show", str(out), "--story", story, "--json"]) == 0  # it opens
    assert story in capsys.readouterr().out

    shutil.copy(seeds[-1], folder)
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert "named its claims by rank" in capsys.readouterr().err
    assert main(["analyze", str(folder), "--out", str(tmp_path / "stable"), "--quiet"]) == 0
    assert "named its claims by rank" not in capsys.readouterr().err
    added_to_old, added_to_stable = _store_dict(out), _store_dict(tmp_path / "stable")
    assert not named_by_rank(load_analysis(out).claims)
    assert added_to_old == added_to_stable
