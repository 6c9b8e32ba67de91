"""Framing: per story and claim, per outlet, how the telling differs; one module per signal, one registry.

A signal is a module with ``compute(context, framing, state)`` and ``extend(change, framing, state)``
(see ``context.Signal``). The full run and the incremental path both go through ``SIGNALS``: adding
articles calls the same functions on the changed claims and stories, and carries the rest over.
"""

from __future__ import annotations

from compare.framing import (
    coverage,
    entities,
    exclusive,
    frames,
    prominence,
    quotes,
    syndication,
    terms,
    tone,
    voices,
    wording,
)
from compare.framing.context import FramingChange, FramingContext, Signal
from compare.framing.state import FramingIndex
from compare.model.framing import Framing

SIGNALS: tuple[Signal, ...] = (
    coverage,
    voices,
    quotes,
    wording,
    exclusive,
    terms,
    tone,
    frames,
    entities,
    prominence,
    syndication,
)

# The tables whose ``extend`` keeps every earlier row where it was and appends the added articles' rows
# (``old.TABLE + rows``): adding articles to a saved analysis neither reads their earlier rows nor writes
# them again (``compare.io.deferred``). A signal whose extend changes or reads its earlier rows is not listed
# (syndication counts its pairs again for ``independent_origins``).
APPENDED_TABLES = ("tone", "loaded_words", "frames", "voices")
# The tables whose ``extend`` carries the rows of kept claims and stories over and makes those of the changed
# ones again (``FramingChange.carried``): adding articles to a saved analysis leaves the carried rows in the
# store, and the writer deletes the dropped rows and inserts the fresh ones (``compare.io.deferred.ReplacedRows``).
CARRIED_TABLES = (
    "coverage",
    "omissions",
    "quote_edits",
    "word_differences",
    "referent_wordings",
    "exclusive_statements",
    "distinctive_terms",
    "prominence",
    "voice_share_by_story",
    "entities",
)

__all__ = [
    "APPENDED_TABLES",
    "CARRIED_TABLES",
    "SIGNALS",
    "FramingChange",
    "FramingContext",
    "FramingIndex",
    "compute_framing",
    "extend_framing",
]


def compute_framing(context: FramingContext) -> tuple[Framing, FramingIndex]:
    """Every framing table of a corpus, and the index that lets ``extend_framing`` add articles later."""
    framing, state = Framing(), FramingIndex()
    for signal in SIGNALS:
        framing = signal.compute(context, framing, state)
    return framing, state


def extend_framing(change: FramingChange, state: FramingIndex) -> Framing:
    """The framing of ``change.current`` from that of ``change.previous``; ``state`` is updated in place.

    Figures of single statements are computed for the added statements only; corpus counts are
    added to ``state``; figures of a claim are computed again only for the claims that changed (or
    whose story changed), those of a story only for the stories that changed. Two figures are
    approximations of a full run, both far smaller than their rounding when one article joins ten
    thousand: distinctive terms above ``terms.EXACT_TERMS_LIMIT`` statements, and syndication pairs
    of two older articles, which are not looked at again.
    """
    framing = Framing()
    for signal in SIGNALS:
        framing = signal.extend(change, framing, state)
    return framing
