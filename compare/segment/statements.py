"""Article -> statements: sentences with quotes kept whole, their kind (quote, reported, narration) and speaker."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from compare.io.store import Store, text_hash
from compare.model.documents import Article, Statement, statement_id
from compare.segment.forked import can_fork, forked_map, packed_runs
from compare.segment.parsing import parse_statements
from compare.segment.sentences import split_sentences
from compare.segment.spacy_load import SPACY_MODEL, load_spacy  # re-exported: where they were before
from compare.segment.speakers import agrees, honorific_genders, is_person, kind_and_speaker, people_named, person_before

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SEGMENTER_VERSION = "5"  # 5: a person speaker without a possessive ending; 4: parser only where the speaker rules read it (one NER span may differ); bump when segmentation or speaker rules change: cached results are then redone
_PARALLEL_FROM_CHARS = 200_000  # article characters (about 1,250 statements) from which segmentation forks


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
    articles: Sequence[Article],
    nlp: Language,
    progress: Callable[[int], None] | None = None,
    processes: int | None = None,
) -> list[list[_Row]]:
    """Each article's segmentation rows (start, end, kind, speaker, entities): sentence spans, then one spaCy pass
    over the sentences (the parser only where the speaker rules read it, ``parse_statements``).

    Large inputs are split into runs of whole articles, segmented in ``processes`` forked processes (default:
    one per core, up to two, from ``_PARALLEL_FROM_CHARS`` characters of text) that inherit the loaded
    pipeline and send back only the rows: spaCy's own ``n_process`` would send every Doc back as bytes to be
    rebuilt here (about a fifth of spaCy's CPU) and leave the sentence splitter in this process.
    ``progress`` is called with the number of articles parsed so far.
    """
    texts = [article.text for article in articles]
    if processes is None:
        processes = min(2, os.cpu_count() or 1) if sum(map(len, texts)) >= _PARALLEL_FROM_CHARS else 1
    if processes > 1 and can_fork():
        return _parse_forked(texts, nlp, processes, progress)
    return _parse_texts(texts, nlp, processes, progress)


_CHUNKS_PER_PROCESS = 8  # runs of articles per process: small enough that neither process waits long at the end


def _parse_forked(
    texts: Sequence[str], nlp: Language, processes: int, progress: Callable[[int], None] | None
) -> list[list[_Row]]:
    results: list[list[_Row]] = []
    runs = packed_runs(texts, len, processes * _CHUNKS_PER_PROCESS)
    for rows in forked_map(lambda run: _parse_texts(run, nlp, 1, None), runs, processes):
        results.extend(rows)
        if progress:
            progress(len(results))
    return results


def _parse_texts(
    texts: Sequence[str], nlp: Language, processes: int, progress: Callable[[int], None] | None
) -> list[list[_Row]]:
    """The rows of each article text, in this process (spaCy's ``n_process`` when ``processes`` > 1)."""
    spans_by_article = []
    sentences: list[str] = []
    for text in texts:
        spans = [span for span in split_sentences(text) if re.search(r"\w", text[span[0] : span[1]])]
        spans_by_article.append(spans)
        sentences.extend(text[start:end] for start, end in spans)
    docs = parse_statements(sentences, nlp, processes)
    results = []
    for spans in spans_by_article:
        results.append(_article_rows(spans, docs))
        if progress:
            progress(len(results))
    return results


def _article_rows(spans: Sequence[tuple[int, int]], docs: Iterator[Doc]) -> list[_Row]:
    """One article's rows from the docs of its sentences (taken from ``docs`` in order)."""
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
    return rows
