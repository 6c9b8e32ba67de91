"""Descriptions a statement gives of a named actor in the same noun phrase: "Etheridge, a Democrat", "photographer Tyler Shields"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from compare.framing.mentions import Pair, phrase_vectors, wording_of
from compare.framing.names import HONORIFICS, is_self_reference
from compare.model.documents import Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from compare.embed import Embedder

# Actors a description can name: people and organisations (not places, dates or nationalities).
_ACTOR_LABELS = frozenset({"PERSON", "ORG"})
# A name next to a comma and an article ("Etheridge, a Democrat,", "the aide, Elizabeth Lauten,"), or a lower-case
# word right before a capitalised name ("photographer Tyler Shields"): only such statements are parsed.
_HINT_RE = re.compile(
    r"[A-Z][\w.'’-]*,\s+(?:a|an|the)\s|\b(?:a|an|the)\s[^,.;]{1,60},\s+[A-Z]|\b[a-z]{4,}\s+[A-Z][a-z]"
)


_PARTY_TAG_RE = re.compile(r"^[A-Z]\.?-")


def may_describe(text: str) -> bool:
    """Whether a statement may hold a description of a named actor (a cheap test before parsing)."""
    return _HINT_RE.search(text) is not None


def _actor(token: Token) -> Span | None:
    """The person or organisation named by the entity ``token`` belongs to."""
    if token.pos_ != "PROPN" or token.ent_type_ not in _ACTOR_LABELS:
        return None
    return next((ent for ent in token.doc.ents if ent.start <= token.i < ent.end), None)


def name_of(actor: Span) -> str | None:
    """The name of a person or organisation without honorifics and "the" (a person is listed under the surname later)."""
    words = [t for t in actor if t.is_alpha or "." in t.text]
    words = [t for t in words if t.lower_.strip(".") not in HONORIFICS and t.lower_ != "the"]
    if not words:
        return None
    return actor.doc[words[0].i : words[-1].i + 1].text


def _describes(token: Token) -> bool:
    """Whether a word can head a description: a common noun, or a group word such as "Democrat" (not another name)."""
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.ent_type_ in {"", "NORP"})


def _chunk_of(token: Token) -> Span | None:
    return next((chunk for chunk in token.doc.noun_chunks if chunk.root == token), None)


def _appositions(doc: Doc) -> Iterable[tuple[Span, Span]]:
    """(actor, description) of "Etheridge, a Democrat, …" and "The gunman, Omar Mateen, …"."""
    for token in doc:
        if token.dep_ != "appos":
            continue
        for named, other in ((token.head, token), (token, token.head)):
            actor, chunk = _actor(named), _chunk_of(other)
            if actor is not None and chunk is not None and _describes(other) and not _relative_clause(actor, chunk):
                yield actor, chunk


def _after_name(doc: Doc) -> Iterable[tuple[Span, Span]]:
    """(actor, description) of "America Rising, a conservative political action committee which …" where the parser
    hung the apposition on another word: a noun phrase with an article, read as an apposition, right after a name
    and a comma."""
    for chunk in doc.noun_chunks:
        if chunk.root.dep_ != "appos" or chunk.start < 2 or chunk[0].lower_ not in {"a", "an", "the"}:
            continue
        if doc[chunk.start - 1].text != "," or not _describes(chunk.root):
            continue
        actor = _actor(doc[chunk.start - 2])
        if actor is not None and actor.end == chunk.start - 1:
            yield actor, chunk


def _predicates(doc: Doc) -> Iterable[tuple[Span, Span]]:
    """(actor, description) of "Kevin McCarthy, who is the third-ranking Republican in the House": a relative clause
    that says what the named actor is."""
    for token in doc:
        if token.dep_ != "relcl" or token.lemma_ != "be" or _actor(token.head) is None:
            continue
        if not any(child.dep_ == "nsubj" and child.lower_ in {"who", "which", "that"} for child in token.children):
            continue
        for child in token.children:
            chunk = _chunk_of(child) if child.dep_ == "attr" and _describes(child) else None
            actor = _actor(token.head)
            if chunk is not None and actor is not None:
                yield actor, chunk


def _whole_words(chunk: Span, wording: str) -> str:
    """``wording`` with the rest of a hyphenated word it starts inside ("ranking Republican" of "the
    third-ranking Republican" is "third-ranking Republican"): a wording cut at a hyphen is never counted."""
    text = chunk.doc.text
    start = text.find(wording, chunk.start_char)
    if start <= chunk.start_char or text[start - 1] != "-":
        return wording
    begin = start - 1
    while begin > chunk.start_char and not text[begin - 1].isspace():
        begin -= 1
    return text[begin : start + len(wording)]


def _relative_clause(actor: Span, chunk: Span) -> bool:
    """Whether a name read as an apposition is the subject of a relative clause without "that": "the president
    Blumenthal worked for" (no comma between, and the verb right after the name has no subject of its own)."""
    doc = actor.doc
    if (
        chunk.end > actor.start
        or any(token.is_punct for token in doc[chunk.end : actor.start])
        or actor.end >= len(doc)
    ):
        return False
    verb = doc[actor.end]
    return verb.pos_ in {"VERB", "AUX"} and not any(child.dep_ in {"nsubj", "nsubjpass"} for child in verb.children)


def _whole(chunk: Span) -> str | None:
    wording = wording_of(chunk)
    return None if wording is None else _whole_words(chunk, wording)


def _premodifiers(doc: Doc) -> Iterable[tuple[Span, str]]:
    """(actor, description) of "controversial photographer Tyler Shields": lower-case words in front of a name."""
    for actor in doc.ents:
        if actor.label_ != "PERSON":
            continue
        chunk = next((c for c in doc.noun_chunks if c.start < actor.start and actor.end <= c.end), None)
        if chunk is None or chunk.root.i < actor.start:
            continue
        words = [
            t for t in doc[chunk.start : actor.start] if t.pos_ not in {"DET", "PUNCT", "PART"} and t.tag_ != "POS"
        ]
        if not words or words[-1].pos_ != "NOUN" or not words[-1].text.islower():
            continue  # a title written with a capital ("Interior Secretary") is part of the name
        if not actor.start <= words[-1].head.i < actor.end:
            continue  # the name is not what the words modify: "the president Blumenthal worked for" (a relative clause)
        if any(t.ent_type_ or t.like_num or not t.is_alpha for t in words):
            continue  # another name or a figure in front ("Trump's 2016 opponent")
        yield actor, doc[words[0].i : words[-1].i + 1].text


def descriptions(
    statements: Sequence[Statement], docs: dict[str, Doc], self_names: frozenset[str]
) -> dict[tuple[str, str], list[Pair]]:
    """Per statement (its id twice, as the key of one statement): (name, description) of the actors it describes."""
    found: dict[tuple[str, str], list[Pair]] = {}
    for statement in statements:
        doc = docs.get(statement.text)
        kept: list[Pair] = []
        if doc is not None:
            spans = [*_appositions(doc), *_after_name(doc), *_predicates(doc)]
            described = [(actor, _whole(chunk)) for actor, chunk in spans]
            described += list(_premodifiers(doc))
            for actor, description in described:
                name = name_of(actor)
                if name is None or description is None or is_self_reference(description, self_names):
                    continue
                if name.split()[-1].lower() in description.lower() or _PARTY_TAG_RE.match(description):
                    continue  # the name again ("the Trump administration" of Trump), a party tag ("R-Tenn.")
                kept.append((name, description))
        found[(statement.id, statement.id)] = sorted(set(kept))
    return found


# What a description of an actor is about: it must be nearer a person or an organisation than a thing or an event
# (MiniLM), so that a misparsed apposition ("critics of President Trump, a significant breakthrough") is dropped.
_ACTOR_KINDS = ("a person", "an organization")
_OTHER_KINDS = ("a thing", "an event")


def of_actors(found: dict[tuple[str, str], list[Pair]], embedder: Embedder | None) -> None:
    """Drops, in place, the descriptions that read as a thing or an event rather than an actor (all kept without a
    model)."""
    if embedder is None:
        return
    phrases = {description for pairs in found.values() for _, description in pairs}
    if not phrases:
        return
    vectors = phrase_vectors(embedder, phrases | {*_ACTOR_KINDS, *_OTHER_KINDS})

    def nearest(phrase: str, kinds: tuple[str, ...]) -> float:
        return max(float(vectors[phrase] @ vectors[kind]) for kind in kinds)

    actor = {p for p in phrases if nearest(p, _ACTOR_KINDS) >= nearest(p, _OTHER_KINDS)}
    for key, pairs in found.items():
        found[key] = [pair for pair in pairs if pair[1] in actor]
