"""One self-contained HTML report of a whole comparison: a contents list, charts, each story folded, text escaped."""

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
)

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .meta{color:#666} table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ddd;padding:6px;vertical-align:top;text-align:left} th{background:#f4f6fa}
.gap{color:#999;border:1px dashed #ccc;padding:6px;border-radius:6px} mark{background:#ffe08a}
section{margin:2.5rem 0} nav ol{columns:2;column-gap:2rem} nav li{margin:.15rem 0;break-inside:avoid}
details.story{border:1px solid #ddd;border-radius:8px;margin:.6rem 0;padding:.4rem .8rem}
details.story>summary{cursor:pointer;font-weight:600} details.story[open]>summary{margin-bottom:.6rem}
.headlines{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.6rem;margin:.4rem 0 1rem}
.headline{border-top:4px solid #4a78c2;background:#f8f9fb;padding:.5rem .7rem;border-radius:4px}
.headline b{display:block;font-size:1.05em;margin:.2rem 0} .outlet{font-size:.85em;color:#444;font-weight:600}
.only summary{cursor:pointer;color:#444} .only li{margin:.25rem 0}
"""


def render_report(analysis: dict[str, Any], vectors: np.ndarray | None, registry: Registry) -> str:
    """The whole comparison as one HTML page that needs no server (plotly.js is embedded).

    Every piece of article text, outlet name and title is HTML-escaped before it is placed; links are kept only
    when they are http(s).

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
    stories = _compared_stories(analysis)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Parallax report</title><style>" + _STYLE + "</style></head><body>",
        "<h1>Parallax report</h1>",
        f"<p class='meta'>{len(analysis['articles'])} articles from {len(outlets)} outlets, "
        f"{len(analysis['statements'])} statements, {len(analysis['stories'])} stories; model "
        f"{html.escape(str(analysis.get('model', '')))}; made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>",
        _contents(analysis, stories),
        "<section id='outlets'><h2>Outlets</h2>" + _table(outlets) + "</section>",
        "<section id='charts'><h2>Charts</h2>" + "".join(chart_html) + "</section>",
        "<section id='word-swaps'><h2>Word swaps</h2>" + _table(swap_table(analysis)) + "</section>",
        "<section id='stories'><h2>Stories side by side</h2>"
        "<p class='meta'>Each story opens on a click: every outlet's headline, then the claims two or more outlets "
        "report (words one outlet has and the other lacks are marked), then what only one outlet reports.</p>"
        + _stories(analysis, stories)
        + "</section>",
    ]
    if analysis["problems"]:
        parts.append("<section id='problems'><h2>Input problems</h2>" + _table(analysis["problems"]) + "</section>")
    parts.append("</body></html>")
    return "".join(parts)


def _compared_stories(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """The stories told by two or more outlets, most outlets and most articles first."""
    stories = [story for story in analysis["stories"] if len(story["outlets"]) >= 2]
    return sorted(stories, key=lambda story: (-len(story["outlets"]), -len(story["article_ids"])))


def _contents(analysis: dict[str, Any], stories: list[dict[str, Any]]) -> str:
    """The table of contents: the sections, then every compared story by its headline."""
    articles = {article["id"]: article for article in analysis["articles"]}
    entries = "".join(
        f"<li><a href='#{html.escape(story['id'])}'>{html.escape(_headline(story, articles))}</a> "
        f"<span class='meta'>{html.escape(_dates(story, articles))}, {len(story['outlets'])} outlets</span></li>"
        for story in stories
    )
    sections = " · ".join(
        f"<a href='#{anchor}'>{title}</a>"
        for anchor, title in (
            ("outlets", "Outlets"),
            ("charts", "Charts"),
            ("word-swaps", "Word swaps"),
            ("stories", f"Stories ({len(stories)})"),
        )
    )
    return f"<nav><h2>Contents</h2><p>{sections}</p><ol>{entries}</ol></nav>"


def _headline(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    return next((articles[aid]["title"] for aid in story["article_ids"] if articles.get(aid, {}).get("title")), "")


def _dates(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    dates = sorted(str(articles[aid].get("published") or "")[:10] for aid in story["article_ids"] if aid in articles)
    dates = [date for date in dates if date]
    if not dates:
        return "undated"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


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


def _stories(analysis: dict[str, Any], stories: list[dict[str, Any]]) -> str:
    articles = {article["id"]: article for article in analysis["articles"]}
    frames = frames_by_statement(analysis)
    blocks = []
    for story in stories:
        shown, rows = story_rows(analysis, story["id"])
        shared = [row for row in rows if sum(1 for cell in row.cells.values() if cell) >= 2]
        summary = (
            f"{html.escape(_headline(story, articles))} <span class='meta'>{html.escape(_dates(story, articles))} · "
            f"{html.escape(', '.join(story['outlets']))} · {len(shared)} shared claims</span>"
        )
        blocks.append(
            f"<details class='story' id='{html.escape(story['id'])}'><summary>{summary}</summary>"
            + _headlines(story, articles)
            + _shared_table(shown, shared, frames)
            + _only_here(shown, rows)
            + "</details>"
        )
    return "".join(blocks) or "<p class='meta'>No story with two or more outlets.</p>"


def _headlines(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    """Every article's headline side by side: outlet, date, byline, link (http(s) only)."""
    cards = []
    for article_id in story["article_ids"]:
        article = articles.get(article_id)
        if article is None:
            continue
        url = str(article.get("url") or "")
        link = (
            f" · <a href='{html.escape(url)}' rel='noopener noreferrer nofollow'>source</a>"
            if url.startswith(("https://", "http://"))
            else ""
        )
        byline = f" · {html.escape(str(article['byline']))}" if article.get("byline") else ""
        cards.append(
            f"<div class='headline'><span class='outlet'>{html.escape(article['outlet'])}</span>"
            f"<b>{html.escape(article.get('title') or '(no headline)')}</b>"
            f"<span class='meta'>{html.escape(str(article.get('published') or '')[:10])}{byline}{link}</span></div>"
        )
    return f"<div class='headlines'>{''.join(cards)}</div>"


def _shared_table(shown: list[str], shared: list[Any], frames: dict[str, str]) -> str:
    """The claims two or more outlets report: one column per outlet, a gap where one leaves the claim out."""
    if not shared:
        return "<p class='meta'>No claim is reported by two or more of these outlets.</p>"
    head = "".join(f"<th>{html.escape(outlet)}</th>" for outlet in shown)
    body = []
    for row in shared:
        cells = [
            f"<td>{''.join(cards)}</td>" if cards else "<td><div class='gap'>— not reported —</div></td>"
            for cards in (statement_cards(row, outlet, frames) for outlet in shown)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<h4>Reported by two or more outlets ({len(shared)})</h4>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _only_here(shown: list[str], rows: list[Any]) -> str:
    """Per outlet, folded: the statements no other outlet of the story reports, in the article's order."""
    parts = []
    for outlet in shown:
        own = [
            statement
            for row in rows
            if sum(1 for cell in row.cells.values() if cell) == 1
            for statement in row.cells.get(outlet, [])
        ]
        if not own:
            continue
        own.sort(key=lambda statement: (statement["article_id"], statement["index"]))
        items = "".join(f"<li>{html.escape(statement['text'])}</li>" for statement in own)
        parts.append(
            f"<details class='only'><summary>Only in {html.escape(outlet)} ({len(own)} statements)</summary>"
            f"<ul>{items}</ul></details>"
        )
    return "".join(parts)
