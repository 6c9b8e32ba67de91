"""Sentence spans of an article: pysbd per paragraph, quotes kept whole, run-ons cut at clause borders."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MAX_STATEMENT_CHARS = 1000  # longer "sentences" (lists, run-ons) are cut at clause or word borders
MAX_SENTENCES_PER_QUOTE = 6


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
        sentences = _merge_continuations(paragraph.group(0), sentences)
        spans.extend(_merge_open_quotes(paragraph.group(0), sentences, offset))
    return [piece for start, end in spans for piece in _cut_long(text, start, end)]


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd
    from pysbd.utils import TextSpan

    class Segmenter(pysbd.Segmenter):
        """pysbd's segmenter with its character spans found by ``str.find``, to the same spans.

        pysbd finds each sentence back in the paragraph with a regular expression made of the
        escaped sentence: one compiled pattern per sentence, which also pushes pysbd's own
        abbreviation patterns out of ``re``'s cache (a third of the sentence splitter's time).
        """

        def sentences_with_char_spans(self, sentences: list[str]) -> list[Any]:
            text, spans, prior_end = self.original_text, [], 0
            for sentence in sentences:
                position = 0
                while (start := text.find(sentence, position)) >= 0:
                    end = start + len(sentence)
                    while end < len(text) and text[end].isspace():  # pysbd's pattern ends in r"\s*"
                        end += 1
                    if end > prior_end:  # pysbd takes the first match that ends after the previous sentence
                        spans.append(TextSpan(text[start:end], start, end))
                        prior_end = end
                        break
                    position = max(end, start + 1)
            return spans

    return Segmenter(language="en", clean=False, char_span=True)


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


def _merge_continuations(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Joins a "sentence" that starts with a comma or semicolon to the one before it.

    pysbd ends a sentence after a state abbreviation ("Sen. John Kerry, D-Mass., who was tapped ..."
    becomes "Sen. John Kerry, D-Mass." and ", who was tapped ..."); no sentence starts with a comma.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and paragraph[start] in ",;:)":
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


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
