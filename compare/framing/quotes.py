"""Quote edits: where outlets quote one speaker in one claim, how the quoted words differ."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from compare.framing.context import FramingChange, FramingContext
from compare.framing.state import FramingIndex
from compare.framing.text import word_diff
from compare.model.documents import Claim, Statement
from compare.model.framing import Framing, QuoteEdit


def quote_edits(clusters: Sequence[Claim], statements: Sequence[Statement]) -> list[QuoteEdit]:
    """Pairs of quotes of one claim by two outlets whose speakers share a last name, with a word diff."""
    by_id = {statement.id: statement for statement in statements}
    rows: list[QuoteEdit] = []
    for cluster in clusters:
        quoted = [by_id[sid] for sid in cluster.statement_ids if by_id[sid].kind == "quote" and by_id[sid].speaker]
        for first_index, first in enumerate(quoted):
            rows.extend(
                QuoteEdit(cluster.id, first.speaker, (first.id, second.id), tuple(word_diff(first.text, second.text)))
                for second in quoted[first_index + 1 :]
                if first.outlet != second.outlet and _same_speaker(first, second)
            )
    return rows


def _same_speaker(first: Statement, second: Statement) -> bool:
    return bool(first.speaker and second.speaker and first.speaker.split()[-1] == second.speaker.split()[-1])


def compute(context: FramingContext, framing: Framing, state: FramingIndex) -> Framing:
    """``quote_edits``."""
    return replace(framing, quote_edits=quote_edits(context.claims, context.statements))


def extend(change: FramingChange, framing: Framing, state: FramingIndex) -> Framing:
    """The quote edits of changed claims made again; the others carried over."""
    redone = change.changed_clusters
    fresh = quote_edits(redone, change.members(redone)[0])
    return replace(framing, quote_edits=change.claim_rows(change.old.quote_edits, fresh, change.changed_claims))
