"""HTML and markdown pieces built from article text, which is untrusted: every piece of it is escaped here."""

from __future__ import annotations

import difflib
import html
import re

_WORD_RE = re.compile(r"\w[\w'’-]*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def highlighted_html(text: str, other: str | None) -> str:
    """The statement as HTML, words absent from ``other`` marked; every piece of text escaped.

    The original spacing and punctuation are kept: marks wrap character spans of ``text``.
    """
    if not other:
        return html.escape(text)
    words = list(_WORD_RE.finditer(text))
    other_words = [match.group(0).lower() for match in _WORD_RE.finditer(other)]
    matcher = difflib.SequenceMatcher(a=other_words, b=[match.group(0).lower() for match in words], autojunk=False)
    changed: list[tuple[int, int]] = []
    shared = 0
    for tag, _, _, first, last in matcher.get_opcodes():
        if tag == "equal":
            shared += last - first
        elif last > first:
            changed.append((words[first].start(), words[last - 1].end()))
    if shared < 0.4 * max(1, len(words)):
        return html.escape(text)  # a paraphrase: marking nearly every word would say nothing
    pieces = []
    position = 0
    for start, end in changed:
        pieces.append(html.escape(text[position:start]))
        pieces.append(f'<mark style="background:#ffe08a">{html.escape(text[start:end])}</mark>')
        position = end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


# Whole on one line (a name split over two read as two badges), cut with an ellipsis only wider than the card.
BADGE_STYLE = (
    "border-radius:4px;padding:1px 6px;font-size:0.8em;margin-right:4px;display:inline-block;white-space:nowrap;"
    "max-width:100%;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom"
)


def badge_html(label: str, colour: str = "#e8eef7") -> str:
    """A small escaped label (speaker, kind, tone, frame)."""
    return f'<span style="background:{colour};{BADGE_STYLE}">{html.escape(label)}</span>'


def escape_markdown(text: str) -> str:
    """Text that Streamlit's markdown shows as written: no links, emphasis, colour directives or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
