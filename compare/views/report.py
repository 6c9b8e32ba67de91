"""One self-contained HTML report of a whole comparison: interactive charts, stories side by side, text escaped."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import numpy as np

from compare.views.charts import all_charts
from compare.views.html import statement_cards
from compare.views.tables import (
    Registry,
    frames_by_statement,
    outlet_table,
    story_rows,
    swap_table,
    tones_by_statement,
)

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .meta{color:#666} table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ddd;padding:6px;vertical-align:top;text-align:left} th{background:#f4f6fa}
.gap{color:#999;border:1px dashed #ccc;padding:6px;border-radius:6px} mark{background:#ffe08a}
section{margin:2.5rem 0}
"""


def render_report(analysis: dict[str, Any], vectors: np.ndarray | None, registry: Registry) -> str:
    """The whole comparison as one HTML page that needs no server (plotly.js is embedded).

    Every piece of article text, outlet name and title is HTML-escaped before it is placed.

    Args:
        analysis: the analysis dict.
        vectors: the statements' embeddings (the map is left out without them).
        registry: describes the outlets (``compare.ingest.load_registry()``, or the one given with ``--outlets``).
    """
    figures = all_charts(analysis, vectors)
    chart_html = []
    for number, (name, figure) in enumerate(figures.items()):
        chart_html.append(
            f'<div id="chart-{html.escape(name)}">'
            + figure.to_html(full_html=False, include_plotlyjs=number == 0, div_id=f"plot-{name}")
            + "</div>"
        )
    outlets = outlet_table(analysis, registry)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Parallax report</title><style>" + _STYLE + "</style></head><body>",
        "<h1>Parallax report</h1>",
        f"<p class='meta'>{len(analysis['articles'])} articles from {len(outlets)} outlets, "
        f"{len(analysis['statements'])} statements, {len(analysis['stories'])} stories; model "
        f"{html.escape(str(analysis.get('model', '')))}; made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>",
        "<section><h2>Outlets</h2>" + _table(outlets) + "</section>",
        "<section><h2>Charts</h2>" + "".join(chart_html) + "</section>",
        "<section><h2>Word swaps</h2>" + _table(swap_table(analysis)) + "</section>",
        "<section><h2>Stories side by side</h2>" + _stories(analysis) + "</section>",
    ]
    if analysis["problems"]:
        parts.append("<section><h2>Input problems</h2>" + _table(analysis["problems"]) + "</section>")
    parts.append("</body></html>")
    return "".join(parts)


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p class='meta'>None.</p>"
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(row.get(column, '')))}</td>" for column in columns) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _stories(analysis: dict[str, Any], max_rows: int = 60) -> str:
    titles = {article["id"]: article["title"] for article in analysis["articles"]}
    badges = (tones_by_statement(analysis), frames_by_statement(analysis))
    blocks = []
    for story in analysis["stories"]:
        if len(story["outlets"]) < 2:
            continue
        title = html.escape(titles.get(story["article_ids"][0], ""))
        blocks.append(
            f"<h3>{html.escape(story['id'])}: {title}</h3>" + _story_table(analysis, story["id"], badges, max_rows)
        )
    return "".join(blocks) or "<p class='meta'>No story with two or more outlets.</p>"


def _story_table(
    analysis: dict[str, Any], story_id: str, badges: tuple[dict[str, float], dict[str, str]], max_rows: int
) -> str:
    """A story side by side: one column per outlet, one row per claim, a gap where an outlet omits it."""
    tones, frames = badges
    shown, rows = story_rows(analysis, story_id)
    head = "".join(f"<th>{html.escape(outlet)}</th>" for outlet in shown)
    body = []
    for row in rows[:max_rows]:
        cells = [
            f"<td>{''.join(cards)}</td>" if cards else "<td><div class='gap'>— not reported —</div></td>"
            for cards in (statement_cards(row, outlet, tones, frames) for outlet in shown)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
