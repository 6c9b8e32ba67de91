"""A claim's id, derived from one of its statements so that it does not move when another claim is added."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from compare.model.documents import Claim, article_id_of, named_after


def claim_anchor(statement_ids: Iterable[str]) -> str:
    """The statement a claim is named after: the first one (by position) of its article with the smallest id.

    Chosen from the members alone, not from their rows or the claim's rank, so that a full run over the
    same articles in any order, the incremental path and the Ray engine name a claim alike, and a claim
    keeps its id while another claim is added, grows or goes (ids by rank, ``claim-N``, renumbered
    nearly every claim when one was added). A claim that gains a statement of a smaller article id is
    renamed, as it is a changed claim then anyway.
    """
    return min(statement_ids, key=_statement_order)


def _statement_order(statement_id: str) -> tuple[str, int, str]:
    position = statement_id[len(article_id_of(statement_id)) + 1 :]
    return article_id_of(statement_id), int(position) if position.isdigit() else -1, statement_id


def claim_id(statement_ids: Iterable[str]) -> str:
    """The stable id of the claim made of these statements: ``claim-`` and 12 hex digits of its anchor's SHA-1.

    48 bits, as story ids: two of 100,000 claims share an id with a chance of about 2 in 100,000.
    """
    return named_after("claim", claim_anchor(statement_ids))


def named_by_rank(claims: Sequence[Claim]) -> bool:
    """Whether these claims carry the ids by rank (``claim-N``) that versions before ``claim_id`` gave.

    Such an analysis still opens and is added to: the addition names every claim by ``claim_id``, once.
    """
    return bool(claims) and claims[0].id != claim_id(claims[0].statement_ids)


def known_claim_ids(claims: Sequence[Claim]) -> Mapping[tuple[str, ...], str]:
    """The ids of claims named by ``claim_id``, by their statement ids: an addition names a claim whose
    statements are unchanged without hashing again (``claim_id`` depends on the statements alone).

    Empty for claims named by rank, which an addition names again.
    """
    return {} if named_by_rank(claims) else {claim.statement_ids: claim.id for claim in claims}
