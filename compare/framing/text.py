"""The words of a text as the framing signals count them: tokens, content words, a word-level diff."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from compare.cluster.stop_words import ENGLISH_STOP_WORDS

TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_WORD_RE = re.compile(r"\w")
# Words and punctuation marks; a figure with its decimals or thousands ("7.8", "1,000") and dotted initials ("U.S.",
# "p.m.") are one token each, so that a diff never cuts them.
_DIFF_TOKEN_RE = re.compile(r"\d[\w'’%-]*(?:[.,:]\d[\w'’%-]*)*|(?:[A-Za-z]\.){2,}|\w[\w'’-]*|[^\w\s]")


def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (a copy: importing scikit-learn costs a new process 1.2 s of CPU)."""
    return ENGLISH_STOP_WORDS


def content_words(text: str) -> set[str]:
    """The lower-cased words of a text that are not stop words."""
    stopped = stop_words()
    return {word.lower() for word in TOKEN_RE.findall(text) if word.lower() not in stopped}


def diff_tokens(text: str) -> list[str]:
    """Words and punctuation marks, as ``word_diff`` compares them."""
    return _DIFF_TOKEN_RE.findall(text)


def opcodes(first: list[str], second: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    """The edit operations turning ``first`` into ``second`` (difflib, no junk heuristic)."""
    return difflib.SequenceMatcher(a=first, b=second, autojunk=False).get_opcodes()


def word_diff(first: str, second: str) -> list[tuple[str, str]]:
    """A readable word-level diff: ("=", text), ("-", only in first), ("+", only in second)."""
    pieces: list[tuple[str, str]] = []
    for tag, theirs, ours in _diff_spans(first, second):
        if tag == "equal":
            pieces.append(("=", theirs))
            continue
        if theirs:
            pieces.append(("-", theirs))
        if ours:
            pieces.append(("+", ours))
    return pieces


def changed_pieces(first: str, second: str) -> list[tuple[str, str]]:
    """Each change of a word-level diff as (its text in ``first``, its text in ``second``), "" for none."""
    return [(theirs, ours) for tag, theirs, ours in _diff_spans(first, second) if tag != "equal"]


Span = tuple[int, int] | None  # a piece's characters in its text; None for no piece


def changed_spans(first: str, second: str) -> list[tuple[Span, Span]]:
    """Each change of a word-level diff as (its characters in ``first``, its characters in ``second``); changes
    apart only by marks are one ("the attorney said" / "Mr. Goelman added": the diff matches the dot of "Mr.")."""
    found: list[tuple[Span, Span]] = []
    apart = True  # whether a word both texts share stands since the last change
    for tag, theirs, ours in _diff_ranges(first, second):
        if tag == "equal" and theirs is not None:
            apart = apart or bool(_WORD_RE.search(first, theirs[0], theirs[1]))
            continue
        if apart or not found:
            found.append((theirs, ours))
        else:
            found[-1] = (_joined(found[-1][0], theirs), _joined(found[-1][1], ours))
        apart = False
    return found


def _joined(one: Span, other: Span) -> Span:
    """The characters from the start of one span to the end of a later one."""
    if one is None or other is None:
        return one or other
    return (one[0], other[1])


def _diff_spans(first: str, second: str) -> list[tuple[str, str, str]]:
    """The opcodes of a word-level diff as (tag, text of ``first``, text of ``second``)."""
    return [
        (tag, first[theirs[0] : theirs[1]] if theirs else "", second[ours[0] : ours[1]] if ours else "")
        for tag, theirs, ours in _diff_ranges(first, second)
    ]


def _diff_ranges(first: str, second: str) -> list[tuple[str, Span, Span]]:
    """The opcodes of a word-level diff as (tag, characters of ``first``, characters of ``second``): tokens as the
    text writes them (its own spaces, none added between "U.S." or "$5.7")."""
    a, b = list(_DIFF_TOKEN_RE.finditer(first)), list(_DIFF_TOKEN_RE.finditer(second))
    return [
        (
            tag,
            (a[a0].start(), a[a1 - 1].end()) if a1 > a0 else None,
            (b[b0].start(), b[b1 - 1].end()) if b1 > b0 else None,
        )
        for tag, a0, a1, b0, b1 in opcodes([m.group() for m in a], [m.group() for m in b])
    ]
