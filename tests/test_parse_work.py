"""Wording per referent's spaCy work in forked processes gives what it gives in one process (real BASIL articles)."""

from __future__ import annotations

import pytest

from compare.framing import parse_work, wording
from compare.framing.state import FramingIndex


@pytest.fixture(scope="module")
def basil_context(basil_subset, embedder, tmp_path_factory):
    """The first ten BASIL events analysed up to framing (stories, claims, vectors)."""
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.pipeline import analyze

    store = Store(tmp_path_factory.mktemp("store") / "store.sqlite3")
    analysis = analyze(load_corpus([basil_subset]), embedder=embedder, store=store, with_framing=False)
    return analysis.framing_context(embedder)


@pytest.fixture(scope="module")
def basil_work(basil_context) -> parse_work.Work:
    """The spaCy work that wording per referent hands over for those events."""
    captured: list[parse_work.Work] = []
    real = parse_work.findings
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse_work, "findings", lambda work, processes=None: captured.append(work) or real(work, 1))
        wording.referent_rows(basil_context, FramingIndex())
    return captured[0]


def _parsed_texts(work: parse_work.Work) -> set[str]:
    return {s.text for pair in work.pairs for s in pair} | {s.text for s in work.described}


def test_the_work_is_split_into_units_that_share_no_statement(basil_work):
    units = parse_work.split(basil_work, 16)
    assert len(units) >= 4
    texts = [_parsed_texts(unit) for unit in units]
    assert sum(map(len, texts)) == len(set().union(*texts)) == len(_parsed_texts(basil_work))  # each parsed once
    ids = sorted((a.id, b.id) for unit in units for a, b in unit.pairs)
    assert ids == sorted((a.id, b.id) for a, b in basil_work.pairs)
    assert sorted(s.id for unit in units for s in unit.described) == sorted(s.id for s in basil_work.described)
    assert [story for unit in units for story in unit.stories] == list(basil_work.stories)


def test_forked_findings_are_those_of_one_process(basil_work):
    """Two forked processes (each parsing its units and running the rules there) find what one process finds:
    the other wordings of one referent per aligned pair, the descriptions of actors, the modified main nouns."""
    forked = parse_work.findings(basil_work, processes=2)
    assert forked == parse_work.findings(basil_work, processes=1)
    assert len(forked.substitutions) == len(basil_work.pairs)
    assert len(forked.descriptions) == len(basil_work.described)
    assert any(forked.substitutions.values()) and any(forked.descriptions.values())
    assert any(forked.modified.values())
