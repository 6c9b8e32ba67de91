"""The look every chart shares, and labels escaped for plotly (which renders a subset of HTML in them)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from compare.model.names import by_name

# 15 colours told apart with normal vision and with protanopia, deuteranopia and tritanopia: each pair differs
# by at least 21 CIELAB units under each (Machado et al. 2009 simulation at full severity), where plotly's own
# palettes fall to 2-10. Chosen by greedy max-min distance over the sRGB grid at lightness 30-80, readable on
# white; tests/test_charts.py checks the property.
PALETTE = (
    "#E13C00",
    "#0000F0",
    "#5AD2A5",
    "#E13CC3",
    "#782D4B",
    "#FFA500",
    "#5A3C78",
    "#A5C369",
    "#960F0F",
    "#968796",
    "#E1B4E1",
    "#B44BFF",
    "#5A875A",
    "#87A5FF",
    "#7800A5",
)
# A colour's second, third and fourth use (more names than PALETTE's colours) is hatched: no two names look alike.
PATTERNS = ("", "/", "x", ".")
_DATA = Path(__file__).resolve().parent.parent.parent / "data"
_TITLE_LINE = 48  # characters of a title's first line: what a 390 px phone shows of a chart's title
_LEGEND_ROW_PX = 20  # one legend entry at the charts' font size

# What plotly reads as markup in any text it draws: tags (<br>, <b>, <a href=...>) and entities, of which it
# decodes only &amp; &lt; &gt; a few named ones and numeric ones. A quote is plain text to it: escaping it
# as &quot; (html.escape's default) shows "&quot;" on the chart.
_PLOTLY_DECODED = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


# Plotly's mode bar is a toolbar of buttons (PNG, zoom, pan, zoom in and out, autoscale, reset axes, and in the
# report "Share chart...", which uploads the chart to Plotly's cloud), each a stop of the Tab key since plotly.js
# made them buttons: a keyboard user passed 8 of them per chart on the story page and 11 in the report. Zooming
# stays for a mouse (drag a box, double-click to reset: plotly's own gestures). Named by plotly's button
# categories (zoom, pan...), which match the buttons of every kind of chart, not the cartesian ones only.
_MODE_BAR_REMOVED = (
    "toImage",
    "sendChartToCloud",
    "zoom",
    "pan",
    "select",
    "lasso",
    "zoomin",
    "zoomout",
    "autoscale",
    "resetscale",
    "resetViews",
    "toggleSpikelines",
    "toggleHover",
    "hoverclosest",
    "hoverCompareCartesian",
)


def plot_config(name: str = "", report: bool = False) -> dict[str, object]:
    """Plotly's config for a chart: one Tab stop at most in its mode bar.

    On the dashboard none of plotly's buttons (each chart's CSV, PNG and SVG buttons are ours), so the only one
    left is the Fullscreen button Streamlit adds. In the report, which has no buttons of its own, plotly's PNG
    download only, saved as ``parallax-NAME.png`` at twice the screen's pixels.
    """
    if report:
        return {
            "modeBarButtons": [["toImage"]],
            "displaylogo": False,
            "toImageButtonOptions": {"filename": f"parallax-{name}" if name else "parallax", "scale": 2},
        }
    return {"modeBarButtonsToRemove": list(_MODE_BAR_REMOVED), "displaylogo": False}


def colours(names: Iterable[str], kind: str = "") -> dict[str, str]:
    """A colour for each name, the same in every chart and under every filter (``fills`` without the patterns)."""
    return {name: colour for name, (colour, _) in fills(names, kind).items()}


def fills(
    names: Iterable[str], kind: str = "", weights: Mapping[str, float] | None = None
) -> dict[str, tuple[str, str]]:
    """A colour and a plotly pattern shape ("" for none) for each name, the same in every chart and under every
    filter, no two names alike.

    Args:
        names: every name the analysis has of this kind (not only those shown, so a filter changes no colour).
        kind: "frame" or "side": their names from ``compare/data`` come first, in its order, so a frame keeps its
            colour across analyses too; other names follow sorted (outlets: by name within an analysis). There are
            more sides (24) than colours (15): they are coloured in that order among the sides the analysis has,
            which on BASIL gave Democrats and independents, Republicans and "the outlet itself" one colour each.
            Past 15 names a colour comes again, hatched.
        weights: how much each name is used (a side's share summed over the outlets): when names must be hatched,
            the least used are, not the last in the file's order (on BASIL "other", the largest segment, was).
    """
    present = set(names)
    known = _known_names(kind)
    if present and len(known) > len(PALETTE):
        known = tuple(name for name in known if name in present)
    ordered = list(known) + by_name(present - set(known))
    if weights and len(ordered) > len(PALETTE):
        ordered.sort(key=lambda name: -weights.get(name, 0.0))  # stable: equal weights keep the file's order
    return {
        name: (PALETTE[number % len(PALETTE)], PATTERNS[number // len(PALETTE) % len(PATTERNS)])
        for number, name in enumerate(ordered)
    }


def marker(fill: tuple[str, str]) -> dict[str, object]:
    """A bar's plotly marker for a ``fills`` entry: its colour, hatched in white when it has a pattern."""
    colour, pattern = fill
    if not pattern:
        return {"color": colour}
    return {"color": colour, "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white", "solidity": 0.3}}


@cache
def _known_names(kind: str) -> tuple[str, ...]:
    """The frames or sides named in the package's data files, in order, then "other".

    The frames are the 15 of the Media Frames Corpus: 14 described, and "other" for a statement near none.
    """
    source = {"frame": "frame_descriptions.csv", "side": "sides.csv"}.get(kind)
    if source is None:
        return ()
    with (_DATA / source).open(encoding="utf-8") as rows:
        lines = (line for line in rows if not line.startswith("#"))
        # The sides' bodies (police, courts, ...) after the rest, which keep the colours they had before bodies came.
        listed = sorted(csv.DictReader(lines), key=lambda row: (row.get("kind") or "").strip() == "body")
        return (*dict.fromkeys(row[kind] for row in listed), "other")


def legend_height(entries: int) -> int:
    """The figure height (px) that shows ``entries`` legend rows without clipping them."""
    return _LEGEND_ROW_PX * entries + 140


# plotly's white template: every chart's. Named, plotly.py validates and deep-copies its 7 KB on each assignment
# (~14 ms a figure): the report's story charts are plain data (``telling.story_telling_figure``), the template
# written once for all.
TEMPLATE = "plotly_white"


def styled(figure: go.Figure) -> go.Figure:
    """The figure in the dashboard's look: white template, tight margins, readable font, a title that fits a phone."""
    return figure.update_layout(template=TEMPLATE, **look(figure.layout.title.text))


def look(title: str | None) -> dict[str, Any]:
    """The layout every chart shares but its template, for a chart titled ``title``: tight margins, a readable
    font, the title on two lines where one would not fit a phone (its margin then taller)."""
    fitted = two_line_title(title) if title else title
    layout: dict[str, Any] = {"margin": {"l": 10, "r": 10, "t": 60 if fitted == title else 80, "b": 10}}
    if fitted != title:
        layout["title"] = {"text": fitted}
    return layout | {"font": {"size": 13}}


def two_line_title(title: str) -> str:
    """A long title as a short first line and its qualifier (after ``(``, ``:`` or ``,``) on a smaller second one.

    Plotly never wraps a title: on a phone a long one runs off the chart.
    """
    if len(title) <= _TITLE_LINE or "<br>" in title:
        return title
    # the first kind of break that fits, in this order: a parenthesis holds the whole qualifier, ": " and ", " less
    cut = next((at for mark in (" (", ": ", ", ") if (at := title.rfind(mark, 0, _TITLE_LINE + len(mark))) > 0), 0)
    if not cut:
        return title
    first, rest = title[:cut], title[cut:].lstrip(":, ")
    return f"{first}<br><span style='font-size:0.8em;font-weight:normal'>{rest}</span>"


def label(text: object) -> str:
    """Text for any plotly label (axis, legend, title, hover): what plotly would read as markup, escaped.

    The one escaping helper of every chart.
    """
    # three replaces, "&" first: str.translate looks each character up in a dict (5.5 us against 1 us a headline under load,
    # 56 ms against 10 ms for the timeline of 10,200 articles), a replace scans in C
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: object) -> object:
    """A label as the text it stands for (``label`` undone), for CSV; numbers and dates pass through."""
    if not isinstance(text, str):
        return text
    for escaped, character in _PLOTLY_DECODED:
        text = text.replace(escaped, character)
    return text


_TAG = re.compile(r"<[^>]*>")


def title_text(figure: go.Figure, length: int = 40) -> str:
    """The figure's title as plain text (its markup and second line's styling gone), shortened to ``length``:
    what names the chart outside it, as its download buttons do."""
    title = (figure.layout.title.text or "").replace("<br>", " — ")  # ``two_line_title``'s break took its ": "
    text = " ".join(str(plain(_TAG.sub(" ", title))).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def short(text: str, length: int) -> str:
    """Shortened and escaped for plotly (see ``label``)."""
    text = " ".join(str(text).split())
    return label(text if len(text) <= length else text[: length - 1] + "…")


def two_line_label(text: str, width: int = 32) -> str:
    """An axis label of at most two lines of about ``width`` characters, escaped; an ellipsis where it was cut."""
    lines = _lines(str(text), width)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1].rstrip() + "…"]
    return "<br>".join(label(line) for line in lines)


def _lines(text: str, width: int) -> list[str]:
    """``text``'s words in lines of about ``width`` characters (a longer word is a line of its own)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return [*lines, line]


def wrapped(text: str, width: int = 70) -> str:
    """Hover text: escaped lines of about ``width`` characters joined by ``<br>``, eight at most."""
    return "<br>".join(label(piece) for piece in _lines(str(text), width)[:8])
