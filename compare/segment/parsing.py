"""One spaCy pass over statements that runs the parser only where speaker rules read it (NER runs everywhere)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from compare.segment.speakers import SAY_LEMMAS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_WORD = re.compile(r"[^\W\d_]+")
_ENTITIES = "ner"  # the English pipelines' NER carries its own tok2vec: it needs no other component


def parse_statements(texts: Sequence[str], nlp: Language, processes: int = 1, batch_size: int = 256) -> Iterator[Doc]:
    """The spaCy docs of ``texts``, in order: entities for every text; tags, lemmas and the dependency parse
    only for texts that may attribute speech (a form of a verb of saying, or "according").

    The speaker rules (``compare.segment.speakers``) read lemmas and dependencies only from a token whose
    lemma is a verb of saying or from "according to"; for any other text they read only the entities
    and the characters, so its tagger, parser and lemmatizer (about half of spaCy's time) are skipped.
    Pipelines whose lemmas cannot be foreseen from their tables are run whole on every text.
    """
    forms = saying_forms(nlp)
    needs_parse = [forms is None or not forms.isdisjoint(_WORD.findall(text.lower())) for text in texts]
    entities_only = [name for name in nlp.pipe_names if name != _ENTITIES]
    parsed = iter(
        nlp.pipe(
            (text for text, wanted in zip(texts, needs_parse) if wanted), batch_size=batch_size, n_process=processes
        )
    )
    if all(needs_parse) or _ENTITIES not in nlp.pipe_names:
        yield from parsed
        return
    named = iter(
        nlp.pipe(
            (text for text, wanted in zip(texts, needs_parse) if not wanted),
            batch_size=batch_size,
            n_process=processes,
            disable=entities_only,
        )
    )
    for wanted in needs_parse:
        yield next(parsed) if wanted else next(named)


def saying_forms(nlp: Language) -> frozenset[str] | None:
    """Every lower-case word the pipeline's rule lemmatizer can lemmatize to a verb of saying, and "according";
    None when that cannot be known (no rule lemmatizer, or an attribute rule that sets such a lemma)."""
    return _saying_forms(id(nlp), nlp)


@lru_cache(maxsize=4)
def _saying_forms(key: int, nlp: Language) -> frozenset[str] | None:
    del key  # the cache is per pipeline object; Language is not hashable by value
    if "lemmatizer" not in nlp.pipe_names or getattr(nlp.get_pipe("lemmatizer"), "mode", None) != "rule":
        return None
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if any(str(p.get("attrs", {}).get("LEMMA", "")).lower() in SAY_LEMMAS for p in ruler.patterns):  # type: ignore[attr-defined]
            return None
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    forms = set(SAY_LEMMAS) | {"according"}
    # The rule lemmatizer maps a form ending in ``old`` to the form ending in ``new``: inverting every rule
    # gives every form that can reach a lemma; its exception table adds the irregular ones ("said", "told").
    for rules in lookups.get_table("lemma_rules").values():
        for old, new in rules:
            forms.update(lemma[: len(lemma) - len(new)] + old for lemma in SAY_LEMMAS if lemma.endswith(new))
    for table in lookups.get_table("lemma_exc").values():
        forms.update(form.lower() for form, lemmas in table.items() if any(x.lower() in SAY_LEMMAS for x in lemmas))
    return frozenset(forms)
