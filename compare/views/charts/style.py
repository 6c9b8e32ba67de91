"""The look every chart shares, and labels escaped for plotly (which renders a subset of HTML in them)."""

from __future__ import annotations

import html

import plotly.graph_objects as go


def styled(figure: go.Figure) -> go.Figure:
    """The figure in the dashboard's look: white template, tight margins, readable font."""
    figure.update_layout(template="plotly_white", margin={"l": 10, "r": 10, "t": 60, "b": 10}, font={"size": 13})
    return figure


def label(text: str) -> str:
    """An escaped label: plotly renders a subset of HTML in axis labels, legends and hover text."""
    return html.escape(str(text))


def plain(text: object) -> object:
    """A label as the text it stands for (``label`` undone), for CSV; numbers and dates pass through."""
    return html.unescape(text) if isinstance(text, str) else text


def short(text: str, length: int) -> str:
    """Shortened and HTML-escaped (see ``label``)."""
    text = " ".join(str(text).split())
    return html.escape(text if len(text) <= length else text[: length - 1] + "…")


def wrapped(text: str, width: int = 70) -> str:
    """Hover text: escaped lines of about ``width`` characters joined by ``<br>``, eight at most."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(html.escape(piece) for piece in lines[:8])
