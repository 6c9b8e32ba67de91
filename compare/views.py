"""View models for the dashboard and the report: story side by side, escaped highlighting, tables."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from compare.ingest import OutletRegistry

_WORD_RE = re.compile(r"\w[\w'’-]*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@dataclass(frozen=True)
class AlignedRow:
    """One claim of a story: per outlet, its statements (empty when the outlet omits the claim)."""

    cluster_id: str
    cells: dict[str, list[dict[str, Any]]]


def story_rows(
    analysis: dict[str, Any], story_id: str, outlets: list[str] | None = None
) -> tuple[list[str], list[AlignedRow]]:
    """The claims of a story aligned across its outlets, in the order the story tells them.

    Returns:
        (outlets shown, rows); claims stated by one outlet only come last.
    """
    story = next(story for story in analysis["stories"] if story["id"] == story_id)
    in_story = set(story["article_ids"])
    shown = [outlet for outlet in story["outlets"] if not outlets or outlet in outlets]
    statements = {statement["id"]: statement for statement in analysis["statements"]}
    rows = []
    clustered: set[str] = set()
    for cluster in analysis["clusters"]:
        members = [statements[sid] for sid in cluster["statement_ids"] if statements[sid]["article_id"] in in_story]
        if not members:
            continue
        clustered.update(member["id"] for member in members)
        cells = {outlet: [m for m in members if m["outlet"] == outlet] for outlet in shown}
        if sum(1 for cell in cells.values() if cell) >= 1:
            rows.append(AlignedRow(cluster["id"], cells))
    for statement in analysis["statements"]:
        if statement["article_id"] in in_story and statement["id"] not in clustered and statement["outlet"] in shown:
            rows.append(
                AlignedRow(
                    f"only:{statement['id']}",
                    {outlet: [statement] if outlet == statement["outlet"] else [] for outlet in shown},
                )
            )
    rows.sort(
        key=lambda row: (
            -sum(1 for cell in row.cells.values() if cell),
            min(s["index"] for cell in row.cells.values() for s in cell),
        )
    )
    return shown, rows


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


def badge_html(label: str, colour: str = "#e8eef7") -> str:
    """A small escaped label (speaker, kind, tone, frame)."""
    return f'<span style="background:{colour};border-radius:4px;padding:1px 6px;font-size:0.8em;margin-right:4px">{html.escape(label)}</span>'


def escape_markdown(text: str) -> str:
    """Text that Streamlit's markdown shows as written: no links, emphasis, colour directives or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def statement_card_html(statement: dict[str, Any], other: str | None, tone: float, frame: str) -> str:
    """One statement with its diff highlighting and badges (kind, speaker, tone, frame), all escaped."""
    badges = badge_html(statement["kind"])
    if statement.get("speaker"):
        badges += badge_html(statement["speaker"], "#f3e8f7")
    badges += badge_html(f"tone {tone:+.2f}", "#eef7e8") + badge_html(frame, "#f7f1e8")
    return (
        '<div style="padding:6px;border-left:3px solid #4a78c2;margin-bottom:6px">'
        f"{highlighted_html(statement['text'], other)}<br>{badges}</div>"
    )


def outlet_table(analysis: dict[str, Any], registry: OutletRegistry) -> list[dict[str, Any]]:
    """Outlets with their registry metadata and article counts."""
    counts: dict[str, int] = {}
    for article in analysis["articles"]:
        counts[article["outlet"]] = counts.get(article["outlet"], 0) + 1
    return [
        {
            "outlet": outlet,
            "country": registry.describe(outlet).country,
            "type": registry.describe(outlet).type,
            "articles": count,
        }
        for outlet, count in sorted(counts.items())
    ]


def story_table(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Stories with their outlets and first headline."""
    titles = {article["id"]: article["title"] for article in analysis["articles"]}
    return [
        {
            "story": story["id"],
            "outlets": ", ".join(story["outlets"]),
            "articles": len(story["article_ids"]),
            "headline": titles.get(story["article_ids"][0], ""),
        }
        for story in analysis["stories"]
    ]


def swap_table(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Word swaps as rows: the wording set, one of its variants, and the outlets using that variant."""
    return [
        {"wording": row["label"], "variant": term, "outlets": ", ".join(users)}
        for row in analysis["word_swaps"]
        for term, users in row["outlets"].items()
    ]


def share_query(state: dict[str, str]) -> str:
    """The query string that reproduces a view (properly URL-encoded)."""
    return "?" + urlencode(state)


CLAIM_THRESHOLD_RANGE = (0.4, 0.9)
STORY_THRESHOLD_RANGE = (0.1, 0.7)


def settings_from_query(params: dict[str, str]) -> dict[str, Any]:
    """The view settings a shared link carries, with defaults for what it lacks or gets wrong.

    A link is untrusted input: a threshold that is not a number falls back to the default, one
    outside the dashboard's slider range is clamped. A link carries view state only: the model and
    backend are chosen by whoever runs the dashboard, so ``model`` and ``backend`` in a link (as
    older links have them) are ignored; a link that could name a model could make the server read
    its files or download any model.
    """
    from compare.cluster import CLAIM_THRESHOLD, STORY_THRESHOLD

    def number(key: str, default: float, bounds: tuple[float, float]) -> float:
        try:
            value = float(params.get(key, default))
        except ValueError:
            return default
        return min(max(value, bounds[0]), bounds[1]) if value == value else default  # NaN -> default

    return {
        "with_seeds": params.get("seeds", "1") == "1",
        "claim_threshold": number("threshold", CLAIM_THRESHOLD, CLAIM_THRESHOLD_RANGE),
        "story_threshold": number("story_threshold", STORY_THRESHOLD, STORY_THRESHOLD_RANGE),
    }


def public_model_name(name: str) -> str:
    """A model as a visitor may see it: a hub name as is, a local path by its folder name only."""
    if name.startswith(("/", "~", ".", "\\")) or re.match(r"^[A-Za-z]:[\\/]", name) or Path(name).exists():
        return re.split(r"[/\\]", name.rstrip("/\\"))[-1] or "a local model"
    return name


def public_source(source: str) -> str:
    """Where an article or problem came from, as a visitor may see it: a web address as is, else the file name.

    Sources of the dashboard's own corpus (or of a saved analysis) are paths on the server; the file
    name (with a row number, e.g. ``articles.jsonl:12``) says what is meant without showing the server.
    """
    if re.match(r"^https?://", source, re.IGNORECASE):
        return source
    return re.split(r"[/\\]", source.rstrip("/\\"))[-1] or source


def visitor_message(error: Exception, saved: bool = False) -> str:
    """What a dashboard visitor is told about an error: what went wrong, never a server path or setting.

    Errors that come from the visitor's own uploads are shown as they are; errors of the server's
    set-up (model, cache, saved analysis, outlet registry) only say what failed, since their messages
    name server paths: the dashboard logs them in full for whoever runs it.
    """
    from compare.errors import ModelError, NothingToCompareError, StoreError

    log = "Whoever runs this dashboard will find the reason in its server log."
    if saved:
        return (
            f"The saved analysis this dashboard shows cannot be read (missing, damaged or not made by Parallax). {log}"
        )
    if isinstance(error, NothingToCompareError):
        return str(error)
    if isinstance(error, ModelError):
        return f"The embedding model this dashboard is set up with cannot be loaded. {log}"
    if isinstance(error, StoreError):
        return f"The embedding cache of this dashboard cannot be opened. {log}"
    return f"The analysis could not be made. {log}"


def drift_rows(analysis: dict[str, Any], measure: str, period: str = "month") -> list[dict[str, Any]]:
    """How a measure moves over time per outlet.

    Args:
        analysis: the analysis dict.
        measure: ``tone`` (mean statement tone), ``frame:NAME`` (share of statements with that frame)
            or ``side:NAME`` (share of attributed statements that quote or cite that side).
        period: ``month`` or ``year``.

    Returns:
        Rows of ``outlet, period, value, statements``; articles without a date are left out.
    """
    width = 7 if period == "month" else 4
    published = {article["id"]: (article.get("published") or "")[:width] for article in analysis["articles"]}
    kind, _, name = measure.partition(":")
    if kind == "tone":
        values = {row["statement_id"]: row["tone"] for row in analysis["tone"]}
    elif kind == "frame":
        values = {row["statement_id"]: float(row["frame"] == name) for row in analysis["frames"]}
    elif kind == "side":
        values = {row["statement_id"]: float(row["side"] == name) for row in analysis["voices"]}
    else:
        raise ValueError(f"unknown measure {measure!r}: use tone, frame:NAME or side:NAME")
    sums: dict[tuple[str, str], list[float]] = {}
    for statement in analysis["statements"]:
        when = published.get(statement["article_id"], "")
        if len(when) == width and statement["id"] in values:
            sums.setdefault((statement["outlet"], when), []).append(values[statement["id"]])
    return [
        {"outlet": outlet, "period": when, "value": sum(found) / len(found), "statements": len(found)}
        for (outlet, when), found in sorted(sums.items())
    ]
