"""A statement's kind (quote, reported speech, narration) and speaker, from its spaCy parse."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from compare.model.documents import StatementKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SAY_LEMMAS = frozenset(
    """say tell state add note warn claim stress emphasize emphasise insist argue announce explain write report
    accuse allege deny confirm suggest declare reiterate remark comment acknowledge admit predict ask urge tweet post
    testify complain criticize criticise counter quote respond reply conclude assert maintain caution vow pledge
    describe call threaten dismiss reject blame praise promise recall signal proclaim""".split()
)
PRONOUN_SPEAKERS = {"he", "she", "him", "her", "it", "they", "we", "i", "you", "this", "that", "which", "who"}
_QUOTE_RE = re.compile(r"[“\"«„]([^”\"»“]{3,})[”\"»“]")
_QUOTED_RE = re.compile(r"[“\"«„][^”\"»“]*(?:[”\"»“]|$)")


def person_name(text: str) -> str:
    """A PERSON entity's text as a name: "Emmanuel Macron’s comments, in which he said" is Macron's (spaCy keeps
    a curly possessive in the person's span; a company's name may hold one, "McDonald's", a person's not)."""
    return re.sub(r"\s*[’']s$", "", _strip_determiner(text))


def is_person(doc: Doc, speaker: str) -> bool:
    return any(ent.label_ == "PERSON" and speaker in ent.text for ent in doc.ents) or bool(
        re.search(
            r"\b(mr|mrs|ms|dr|president|minister|governor|mayor|chancellor|secretary|spokes\w+|ambassador)\b",
            speaker,
            re.IGNORECASE,
        )
    )


def speakers_in(doc: Doc) -> list[str]:
    names = []
    quotes = quoted_spans(doc.text)
    for token in doc:
        if token.lemma_.lower() in SAY_LEMMAS and not _inside(token.idx, quotes):
            for child in token.children:
                if child.dep_ == "nsubj" and child.lower_ not in PRONOUN_SPEAKERS:
                    names.append(_speaker_name(doc, child))
    return names


def person_before(doc: Doc, index: int, genders: dict[str, str] | None = None) -> str | None:
    """A person named earlier in the same sentence, outside quote marks ("Putin spoke ..., in which he warned").

    A name inside the quoted words is who the quote is about, never who says it ("“I stood next to
    President Obama ...,” she said" is not Obama's). With ``genders``, "she" skips a known "Mr.".
    """
    quotes = quoted_spans(doc.text)
    people = [
        person_name(ent.text)
        for ent in doc.ents
        if ent.label_ == "PERSON" and ent.end <= index and not _inside(ent.start_char, quotes)
    ]
    pronoun = doc[index].lower_
    return next((name for name in people if agrees(pronoun, name, genders or {})), None)


_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z]\.\s+)?([A-Z][\w'’-]+)")
_FEMININE = {"she", "her"}
_MASCULINE = {"he", "him"}


def honorific_genders(text: str) -> dict[str, str]:
    """The gender the text's honorifics give names ("Ms. Rice" -> rice: f), by last name in lower case."""
    return {match.group(2).lower(): "m" if match.group(1) == "Mr" else "f" for match in _HONORIFIC.finditer(text)}


def agrees(pronoun: str, name: str, genders: dict[str, str]) -> bool:
    """Whether a pronoun can stand for a name: "she" not for a known "Mr.", "he" not for a known "Ms."."""
    gender = genders.get(name.split()[-1].lower()) if name.split() else None
    return (
        gender is None or (pronoun not in _FEMININE or gender == "f") and (pronoun not in _MASCULINE or gender == "m")
    )


def people_named(doc: Doc) -> list[str]:
    """The people a sentence names outside quote marks: its speakers first, else its PERSON entities."""
    quotes = quoted_spans(doc.text)
    people = [name for name in speakers_in(doc) if is_person(doc, name)]
    return people or [
        person_name(ent.text) for ent in doc.ents if ent.label_ == "PERSON" and not _inside(ent.start_char, quotes)
    ]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans between quote marks (an unclosed quote runs to the end of the text)."""
    return [match.span() for match in _QUOTED_RE.finditer(text)]


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def has_direct_quote(text: str) -> bool:
    """Whether the text quotes someone's words directly (a quoted run of four or more words)."""
    return any(len(match.group(1).split()) >= 4 for match in _QUOTE_RE.finditer(text))


def kind_and_speaker(doc: Doc) -> tuple[StatementKind, str | None, int | None]:
    """(kind, speaker, antecedent): antecedent is the index of a token ("she", "the statement") whose
    speaker is to be found in the text before it, when the sentence does not name one."""
    quotes = quoted_spans(doc.text)
    speaker_token, verb = _find_speaker(doc, quotes)
    quoted = has_direct_quote(doc.text)
    if speaker_token is None:
        # Quoted words with no one saying them are a quote only when they run on from the previous
        # sentence's quote; else they are the outlet's narration with a few words in quote marks.
        if quoted and (verb is not None or doc.text.lstrip()[:1] in _OPENING_QUOTES):
            return "quote", None, None
        return ("reported" if verb is not None else "narration"), None, None
    kind: StatementKind = "quote" if quoted else "reported"
    if speaker_token.lower_ in PRONOUN_SPEAKERS:
        return kind, None, speaker_token.i
    name = _speaker_name(doc, speaker_token)
    if name.islower() and name.split()[-1] in _ISSUED_NOUNS:  # "according to the statement": whose is earlier
        return kind, None, speaker_token.i
    return kind, name, None


def _find_speaker(doc: Doc, quotes: list[tuple[int, int]]) -> tuple[Token | None, Token | None]:
    according = _according_to(doc)
    if according is not None:
        return according
    verbs = [
        token
        for token in doc
        if token.lemma_.lower() in SAY_LEMMAS
        and token.pos_ in {"VERB", "AUX"}
        and not _inside(token.idx, quotes)
        and _attributes(token)
    ]
    # The main clause's verb speaks for the sentence; embedded ones ("warned that X said") come after.
    verbs.sort(key=lambda token: (token.dep_ != "ROOT", token.i))
    for verb in verbs:
        speaker = _speaker_of_verb(verb)
        if speaker is not None:
            return speaker, verb
    return None, (verbs[0] if verbs else None)


_CLAUSE_LINKS = frozenset({"ROOT", "conj", "ccomp", "parataxis", "xcomp", "relcl"})


def _attributes(verb: Token) -> bool:
    """Whether a verb of saying attributes the sentence: it heads it, or a clause joined to its head.

    A verb in an adverbial clause ("..., when he grabbed the student after he asked him if he
    “fully supported the agenda”") says who asked, not who speaks the sentence.
    """
    token = verb
    while token.dep_ != "ROOT":
        if token.dep_ not in _CLAUSE_LINKS or token.head is token:
            return False
        # "Sen. Kerry, who said ...": the relative clause speaks for the noun, wherever that stands.
        token = token.head.head if token.dep_ == "relcl" else token.head
    return True


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _according_to(doc: Doc) -> tuple[Token, Token] | None:
    """("according", its object) in "according to the ministry"."""
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = _children(doc[token.i + 1], {"pobj"})
            if objects:
                return objects[0], token
    return None


def _speaker_of_verb(verb: Token) -> Token | None:
    """Who a verb of saying has speaking: the quoted object of "quote", the subject, or the passive's agent."""
    if verb.lemma_.lower() == "quote":
        objects = _children(verb, {"dobj", "obj"})
        if objects:
            return objects[0]
    # A passive's subject is spoken about ("Washington is accused of ..."), except in "X was quoted as saying".
    subjects = _children(verb, {"nsubj", "nsubjpass"} if verb.lemma_.lower() == "quote" else {"nsubj"})
    if verb.dep_ == "relcl" and subjects and subjects[0].lower_ in {"who", "that"}:
        return verb.head  # "Sen. John Kerry, who said ..."
    if verb.dep_ == "conj" and not subjects:
        subjects = _children(verb.head, {"nsubj"})
    if subjects:
        return subjects[0]
    for agent in _children(verb, {"agent"}):
        objects = _children(agent, {"pobj"})
        if objects:
            return objects[0]
    return None


_OPENING_QUOTES = '“"«„'
_ISSUED_NOUNS = {"statement", "readout", "communique", "release"}
_DOCUMENT_NOUNS = {"statement", "report", "interview", "readout", "communique", "release", "post", "video", "letter"}
_NAME_DEPS = {"compound", "amod", "poss", "case", "flat", "nmod", "det", "nummod", "npadvmod", "punct"}


def _speaker_name(doc: Doc, head: Token) -> str:
    for ent in doc.ents:
        if ent.start <= head.i < ent.end and ent.label_ in {"PERSON", "ORG", "GPE", "NORP", "FAC"}:
            return person_name(ent.text) if ent.label_ == "PERSON" else _strip_determiner(ent.text)
    left = min([head.i] + [child.left_edge.i for child in head.lefts if child.dep_ in _NAME_DEPS])
    right = head.i + 1
    for child in head.rights:
        if child.dep_ in {"compound", "flat"} and child.i == right:
            right = child.right_edge.i + 1
        elif child.dep_ == "prep" and child.i == right and child.lower_ in {"of", "for", "from", "at"}:
            objects = _children(child, {"pobj"})
            if not objects:
                break
            if head.lemma_.lower() in _DOCUMENT_NOUNS:
                # "a statement from the Russian Defense Ministry" speaks for the ministry.
                return _speaker_name(doc, objects[0])
            right = _end_of_name(objects[0], right)
    span: Span = doc[left:right]
    text = span.text.strip(" ,;:—–-“”\"'")
    return _strip_determiner(text)


def _end_of_name(head: Token, right: int) -> int:
    """Where a name that runs on into ``head`` ("Secretary of State John Kerry") ends."""
    right = max(right, head.i + 1)
    for child in head.rights:
        if child.dep_ in {"compound", "flat"}:
            right = child.right_edge.i + 1
    return right


def _strip_determiner(text: str) -> str:
    return re.sub(r"^(the|a|an|this|that|these|those)\s+", "", text, flags=re.IGNORECASE).strip()
