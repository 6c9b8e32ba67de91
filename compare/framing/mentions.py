"""Mentions that corefer across outlets: the noun phrases two aligned statements put in the same place in other words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np

from compare.framing.names import HONORIFICS, OTHER_ROLE, is_self_reference
from compare.framing.text import opcodes, stop_words
from compare.model.documents import Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from compare.embed import Embedder

MAX_DIFF_WORDS = 4  # a substitution longer than this on either side is a rewrite, not another name for one thing
MIN_PHRASE_SIMILARITY = (
    0.5  # cosine of the two wordings alone: "stockholders"/"shareholders" pass, "subpoenas"/"Congress" not
)
# Entity labels of quantities and times: two outlets giving another day or figure report another fact ("last week",
# "this year" are not wordings of a referent either).
FACT_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_WORD_RE = re.compile(r"\w[\w'’.-]*\w|\w|[^\w\s]")
_BROKEN_RE = re.compile(r"[()\[\]{}<>\"“”«»|]")  # a phrase cut at a bracket or a quotation mark
_LEAD_POS = frozenset({"DET", "PRON", "PUNCT", "PART", "ADP", "CCONJ", "NUM"})  # "the", "his", "'s", "of" at the edges
Pair = tuple[str, str]  # (the other statement's wording, this statement's wording)


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD_RE.finditer(text))


def changed_spans(other: str, own: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Character spans (theirs, ours) of the short word substitutions between two close paraphrases."""
    a, b = _words(other), _words(own)
    spans = []
    for tag, a0, a1, b0, b1 in opcodes([m.group().lower() for m in a], [m.group().lower() for m in b]):
        if tag != "replace" or a1 - a0 > MAX_DIFF_WORDS or b1 - b0 > MAX_DIFF_WORDS:
            continue
        if not any(m.group()[0].isalpha() for m in a[a0:a1]) or not any(m.group()[0].isalpha() for m in b[b0:b1]):
            continue  # punctuation or figures on one side
        spans.append(((a[a0].start(), a[a1 - 1].end()), (b[b0].start(), b[b1 - 1].end())))
    return spans


def _chunk_around(doc: Doc, start: int, end: int) -> Span | None:
    """The noun phrase holding the characters start..end whole, None when they are not inside one."""
    for chunk in doc.noun_chunks:
        if chunk.start_char <= start and end <= chunk.end_char:
            return _side_of_possessive(chunk, start, end)
    return None


def _side_of_possessive(chunk: Span, start: int, end: int) -> Span:
    """The owner ("Dan Cathy") or the owned ("statements") of "Dan Cathy's statements", whichever holds start..end."""
    for token in chunk:
        if token.tag_ == "POS":
            if end <= token.idx and token.i > chunk.start:
                return chunk.doc[chunk.start : token.i]
            if start >= token.idx + len(token.text) and token.i + 1 < chunk.end:
                return chunk.doc[token.i + 1 : chunk.end]
    return chunk


def wording_of(chunk: Span) -> str | None:
    """The words of a noun phrase that name its referent: without "the", "his", a trailing "'s"; None for a pronoun."""
    if chunk.root.pos_ not in {"NOUN", "PROPN"}:
        return None
    tokens = list(chunk)
    while tokens and (tokens[0].pos_ in _LEAD_POS or tokens[0].lower_ in stop_words()):
        tokens = tokens[1:]
    while tokens and (tokens[-1].pos_ in _LEAD_POS or tokens[-1].tag_ == "POS"):
        tokens = tokens[:-1]
    if not tokens or any(token.ent_type_ in FACT_LABELS or token.like_num for token in tokens):
        return None
    text = chunk.doc[tokens[0].i : tokens[-1].i + 1].text
    return None if _BROKEN_RE.search(text) else text


def _lemmas(chunk_text: str, doc: Doc) -> tuple[str, ...]:
    """The lemmas of a wording as it stands in ``doc``, lower case, hyphens as spaces."""
    start = doc.text.find(chunk_text)
    span = doc.char_span(start, start + len(chunk_text), alignment_mode="expand")
    tokens = span if span is not None else doc
    return tuple(" ".join(token.lemma_.lower() for token in tokens).replace("-", " ").split())


def _content(text: str) -> list[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))  # "Calderón"
    words = re.findall(r"[a-z]+", plain.lower().replace(".", ""))  # "F.B.I." is "FBI"
    return [word for word in words if word not in stop_words() and word not in HONORIFICS]


def is_other_name(theirs: str, ours: str, lemmas: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """Whether two wordings are another name for one thing rather than an inflection, a fuller name or a typo.

    Rejected: equal lemmas ("test"/"tests"), equal words but for case, hyphens or honorifics
    ("Mr. Trump"/"Trump"), one a name with more name words ("Obama"/"Barack Obama"), one the other's
    modifier rather than its head ("border"/"border security"), another role ("president"/"vice president").
    """
    if lemmas[0] == lemmas[1]:
        return False
    first, second = _content(theirs), _content(ours)
    if not first or not second or first == second:
        return False
    short, long = sorted((first, second), key=len)
    if set(short) <= set(long):
        if long[-1] not in short:
            return False  # the shorter one modifies another head: "border" / "border security", "Trump" / "Trump aides"
        if OTHER_ROLE & set(long):
            return False  # another role: "president" / "vice president"
        extra = [w for w in (ours if long is second else theirs).split() if w.lower().strip(".,") not in short]
        return not all(w[:1].isupper() for w in extra)  # "immigrants"/"illegal immigrants" stays, a first name goes
    return True


def _distinct_names(first: Span, second: Span) -> bool:
    """Two people or places named differently enough to be two referents ("Obama"/"Biden", not "Gadhafi"/"Qaddafi")."""
    if first.root.pos_ != "PROPN" or second.root.pos_ != "PROPN":
        return False
    ratio = SequenceMatcher(a=first.root.lower_, b=second.root.lower_, autojunk=False).ratio()
    return ratio < 0.6


def substitutions(
    pairs: Sequence[tuple[Statement, Statement]], docs: dict[str, Doc], self_names: frozenset[str]
) -> dict[tuple[str, str], list[Pair]]:
    """Per aligned pair (other, own), the noun phrases one says where the other says another (no similarity check).

    ``docs`` holds the spaCy parse of each statement text.
    """
    found: dict[tuple[str, str], list[Pair]] = {}
    for other, own in pairs:
        kept: list[Pair] = []
        other_doc, own_doc = docs[other.text], docs[own.text]
        for (a0, a1), (b0, b1) in changed_spans(other.text, own.text):
            first, second = _chunk_around(other_doc, a0, a1), _chunk_around(own_doc, b0, b1)
            if first is None or second is None or _distinct_names(first, second):
                continue
            theirs, ours = wording_of(first), wording_of(second)
            if (
                theirs is None
                or ours is None
                or is_self_reference(theirs, self_names)
                or is_self_reference(ours, self_names)
            ):
                continue
            if is_other_name(theirs, ours, (_lemmas(theirs, other_doc), _lemmas(ours, own_doc))):
                kept.append((theirs, ours))
        found[(other.id, own.id)] = kept
    return found


def similar_enough(found: dict[tuple[str, str], list[Pair]], embedder: Embedder | None) -> None:
    """Drops, in place, the pairs whose two wordings are far apart in meaning on their own (kept all without a model)."""
    if embedder is None:
        return
    vectors = phrase_vectors(embedder, (wording for pairs in found.values() for pair in pairs for wording in pair))
    for key, pairs in found.items():
        found[key] = [pair for pair in pairs if float(vectors[pair[0]] @ vectors[pair[1]]) >= MIN_PHRASE_SIMILARITY]


def phrase_vectors(embedder: Embedder, phrases: Iterable[str]) -> dict[str, np.ndarray]:
    """Each phrase's unit vector, embedded on its own.

    In a batch, a phrase's vector moves with the other phrases of the batch (padding, and the int8 backend's
    activation scale taken over the whole batch: up to 0.03 per dimension), so a phrase near a threshold was kept
    or dropped depending on which other phrases the corpus held; embedded alone it is judged the same in any corpus
    and when articles are added.
    """
    vectors = {}
    for phrase in sorted(set(phrases)):
        vector = np.asarray(embedder.embed([phrase]), dtype=np.float32)[0]
        vectors[phrase] = vector / max(float(np.linalg.norm(vector)), 1e-9)
    return vectors


def parse(texts: Iterable[str], parsed: dict[str, Doc] | None = None) -> dict[str, Doc]:
    """The spaCy parse of each text (the shipped English pipeline, loaded once).

    ``parsed``: docs already made (text -> doc), reused rather than parsed again; the new ones are added to it.
    """
    from compare.segment import load_spacy

    known = {} if parsed is None else parsed
    unique = sorted(set(texts))
    todo = [text for text in unique if text not in known]
    known.update(zip(todo, load_spacy().pipe(todo, batch_size=64)))
    return {text: known[text] for text in unique}
