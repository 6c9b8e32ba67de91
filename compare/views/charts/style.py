"""The look every chart shares, and labels escaped for plotly (which renders a subset of HTML in them)."""

from __future__ import annotations

import plotly.graph_objects as go

# What plotly reads as markup in any text it draws: tags (<br>, <b>, <a href=...>) and entities, of which it
# decodes only &amp; &lt; &gt; a few named ones and numeric ones. A quote is plain text to it: escaping it
# as &quot; (html.escape's default) shows "&quot;" on the chart.
_PLOTLY_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_PLOTLY_DECODED = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def styled(figure: go.Figure) -> go.Figure:
    """The figure in the dashboard's look: white template, tight margins, readable font."""
    figure.update_layout(template="plotly_white", margin={"l": 10, "r": 10, "t": 60, "b": 10}, font={"size": 13})
    return figure


def label(text: object) -> str:
    """Text for any plotly label (axis, legend, title, hover): what plotly would read as markup, escaped.

    The one escaping helper of every chart.
    """
    return str(text).translate(_PLOTLY_MARKUP)


def plain(text: object) -> object:
    """A label as the text it stands for (``label`` undone), for CSV; numbers and dates pass through."""
    if not isinstance(text, str):
        return text
    for escaped, character in _PLOTLY_DECODED:
        text = text.replace(escaped, character)
    return text


def short(text: str, length: int) -> str:
    """Shortened and escaped for plotly (see ``label``)."""
    text = " ".join(str(text).split())
    return label(text if len(text) <= length else text[: length - 1] + "…")


def wrapped(text: str, width: int = 70) -> str:
    """Hover text: escaped lines of about ``width`` characters joined by ``<br>``, eight at most."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(label(piece) for piece in lines[:8])
