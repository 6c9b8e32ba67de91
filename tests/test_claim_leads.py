"""Two reports of one story lead with one happening: their first statements count that for a claim, unless
they disagree on when (``compare.cluster.evidence.story_leads``)."""

from __future__ import annotations

import numpy as np
import pytest

from compare.cluster import ClaimOptions, claim_evidence, cluster_claims
from compare.cluster.evidence import story_leads
from compare.model.documents import Article, Statement
from tests.test_events import _ecb_topics


def _statement(article: str, index: int, text: str, entities: tuple[tuple[str, str], ...] = ()) -> Statement:
    return Statement(
        f"{article}:{index}", article, f"outlet-{article}", index, text, 0, len(text), "narration", None, entities
    )


def _unit(rows: list[list[float]]) -> np.ndarray:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_first_statements_of_one_story_join_unless_they_disagree_on_when():
    # Four reports of one story (undated). a and b lead with the appointment in different words (cosine 0.5:
    # 0.6 with the story's bonus, under the claim threshold 0.65); c leads with an appointment of another
    # year; d states b's words as its second statement.
    articles = [Article(name, f"outlet-{name}", "text") for name in "abcd"]
    statements = [
        _statement("a", 0, "The Tigers named Smith their new head coach in 2008.", (("2008", "DATE"),)),
        _statement("b", 0, "Smith takes over a young team that missed the playoffs again."),
        _statement("c", 0, "The Tigers named Smith their head coach back in 2005.", (("2005", "DATE"),)),
        _statement("d", 1, "Smith takes over a young team that missed the playoffs twice."),
    ]
    half = float(np.sqrt(0.75))
    vectors = _unit([[1, 0, 0, 0], [0.5, half, 0, 0], [0.5, 0, half, 0], [0.5, 0, 0, half]])
    evidence = claim_evidence(articles, statements, np.zeros(4, dtype=np.int64))
    assert story_leads(evidence, np.array([0, 0, 0]), np.array([1, 2, 3])).tolist() == [True, False, False]
    claims = cluster_claims(statements, vectors, options=ClaimOptions(), evidence=evidence)
    assert [set(claim.statement_ids) for claim in claims] == [{"a:0", "b:0"}]
    # Without the lead's evidence the two leads stay apart.
    assert cluster_claims(statements, vectors, options=ClaimOptions(lead_bonus=0.0), evidence=evidence) == []
    # Leads of two stories gain nothing: across stories only a rare shared fact lets a pair.
    apart = claim_evidence(articles, statements, np.array([0, 1, 2, 3]))
    assert not story_leads(apart, np.array([0]), np.array([1])).any()
    assert cluster_claims(statements, vectors, options=ClaimOptions(), evidence=apart) == []


@pytest.fixture(scope="module")
def two_surgeon_generals(embedder, tmp_path_factory):
    """ECB+ dev topic 34 (no dates): Sanjay Gupta asked to be surgeon general (January 2009) and Regina
    Benjamin nominated (July 2009)."""
    return _ecb_topics(embedder, tmp_path_factory, {"34"})


def test_reports_that_lead_with_one_nomination_share_its_claim(two_surgeon_generals):
    analysis, gold = two_surgeon_generals
    # "Obama nominates rural Catholic doctor as Surgeon General" leads a report of Benjamin's nomination, as
    # "The President announced his nominee for the U.S. Surgeon General, Dr. Regina Benjamin" leads another:
    # one happening (ECB+'s annotators put both in one event chain), worded apart (no shared name).
    lead, other = "34_9ecbplus:0", "34_2ecbplus:0"
    together = [claim for claim in analysis.claims if {lead, other} <= set(claim.statement_ids)]
    assert len(together) == 1
    by_id = {statement.id: statement for statement in analysis.statements}
    assert {gold[by_id[sid].article_id] for sid in together[0].statement_ids} == {"34_ecbplus"}
    # Without the leads' evidence it stays apart.
    story_of = {article_id: number for number, story in enumerate(analysis.stories) for article_id in story.article_ids}
    evidence = claim_evidence(analysis.articles, analysis.statements, [story_of[a.id] for a in analysis.articles])
    before = cluster_claims(
        analysis.statements, analysis.vectors, analysis.stories, ClaimOptions(lead_bonus=0.0), evidence
    )
    assert not [claim for claim in before if {lead, other} <= set(claim.statement_ids)]
