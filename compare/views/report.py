"""One self-contained HTML report of a whole comparison: a contents list, charts, each story folded, text escaped."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
from plotly.io import templates as plotly_templates
from plotly.io.json import to_json_plotly

from compare.views.aligned import AlignedStory, aligned_story, side_by_side_note, telling_lead, telling_rows
from compare.views.charts import all_charts, chart_note, story_telling_figure
from compare.views.charts.export import export_caption
from compare.views.charts.style import TEMPLATE, label, plot_config
from compare.views.differences import KeyDifferences, StoryScope, key_differences, story_scope
from compare.views.html import BADGE_STYLE
from compare.views.story import (
    SHARED_FACTS,
    article_labels,
    coverage_rows,
    coverage_sentence,
    headline_rows,
    story_headline,
)
from compare.views.story_html import (
    BADGE_COLOURS,
    CARD_STYLE,
    QUIET_COLOUR,
    anchor,
    claim_cards_html,
    coverage_bar_html,
    headline_card_html,
    loaded_words_html,
    omissions_html,
    other_headlines_html,
    other_outlets_html,
    outlet_colours,
    prominence_html,
    quote_edits_html,
    statement_html,
    tone_html,
    voices_html,
    wording_html,
)
from compare.views.tables import (
    MAX_CHART_OUTLETS,
    Registry,
    busiest_note,
    busiest_outlets,
    outlet_names,
    outlet_table,
    swap_table,
)

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem;overflow-wrap:anywhere}
h1{margin-bottom:.2rem} .meta{color:#666} table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ddd;padding:6px;vertical-align:top;text-align:left} th{background:#f4f6fa}
mark{background:#ffe08a}
section{margin:2.5rem 0} nav ol{columns:2;column-gap:2rem} nav li{margin:.15rem 0;break-inside:avoid}
details.story{border:1px solid #ddd;border-radius:8px;margin:.6rem 0;padding:.4rem .8rem}
details.outlets>summary,details.story>summary{cursor:pointer;font-weight:600} details.story[open]>summary{margin-bottom:.6rem}
.headlines{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.6rem;margin:.4rem 0 1rem}
.only summary{cursor:pointer;color:#444;margin:.3rem 0}
.differences{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 1.5rem}
table.aligned{table-layout:fixed}
@media (max-width:600px){body{padding:0 .5rem} details.story{padding:.4rem .5rem}
table.aligned,table.aligned tbody,table.aligned tr,table.aligned td{display:block;border:0;padding:0}
table.aligned thead{display:none} table.aligned tr{border-top:1px solid #ddd;padding:.4rem 0}}
@media print{details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none} body{margin:0;max-width:none}
.js-plotly-plot,.headlines,table tr,li{break-inside:avoid} details.story{break-before:page}
body.chosen details.story:not([open]),body.chosen nav ol{display:none}}
"""
# Printed, every story is open (a handout): the CSS above where ::details-content exists (Chromium 131, Safari 18.4),
# else opened just before printing and folded again after. When the reader has opened stories, only those print
# (``chosen``): BASIL's 99 stories printed on 524 A4 pages, and a teacher wanted two of them.
_PRINT_SCRIPT = (
    "<script>addEventListener('beforeprint',()=>{if(document.querySelector('details.story[open]'))"
    "{document.body.classList.add('chosen')}else{document.querySelectorAll('details:not([open])').forEach(d=>"
    "{d.open=true;d.dataset.printed='1'})}});addEventListener('afterprint',()=>{document.body.classList.remove("
    "'chosen');document.querySelectorAll('details[data-printed]').forEach(d=>{d.open=false;delete d.dataset.printed})"
    "})</script>"
)
# Each story's chart is drawn when its story opens (and before printing, after the script above opened the stories
# to print): 107 charts drawn at load slowed BASIL's page, and a chart drawn folded took plotly's default width.
# Its figure is JSON beside it, without the look every story chart shares (``_STORY_TEMPLATE``), written once.
_STORY_TEMPLATE = "story-chart-template"
_LAZY_CHARTS_SCRIPT = (
    "<script>(()=>{let look=null;const draw=story=>story.querySelectorAll('div.lazy-plot:not(.js-plotly-plot)')"
    ".forEach(plot=>{look=look||JSON.parse(document.getElementById('" + _STORY_TEMPLATE + "').textContent);"
    "const figure=JSON.parse(plot.nextElementSibling.textContent);figure.layout.template=look;"
    "Plotly.newPlot(plot,figure.data,figure.layout,JSON.parse(plot.dataset.config))});"
    "document.addEventListener('toggle',e=>{if(e.target.matches('details.story')&&e.target.open)draw(e.target)},true);"
    "addEventListener('beforeprint',()=>document.querySelectorAll('details.story[open]').forEach(draw))})()</script>"
)
# Printed, a chart keeps the width plotly drew it at on the screen (plotly.js issues 1275, 7403): 1,172 px at 1440 px,
# cut off or the whole page shrunk on A4. Before printing, every chart takes a width that fits an A4 or Letter page
# (after the script above drew the stories' charts), and the window's width again after.
_PRINT_WIDTH_PX = 660
_PRINT_WIDTH_SCRIPT = (
    "<script>addEventListener('beforeprint',()=>document.querySelectorAll('.js-plotly-plot').forEach(plot=>"
    f"Plotly.relayout(plot,{{width:{_PRINT_WIDTH_PX}}})));addEventListener('afterprint',()=>"
    "document.querySelectorAll('.js-plotly-plot').forEach(plot=>Plotly.relayout(plot,{width:null,autosize:true})))"
    "</script>"
)

# Plotly's PNG button takes a file name, a size and a scale (``toImageButtonOptions``), no caption, and a button of
# our own needs a JavaScript ``click`` that the JSON config of ``to_html`` cannot carry. A report chart's mode bar
# holds that one button (``plot_config``), so a click on it is caught first and the chart downloaded with the source
# line the dashboard's exports carry (``export_caption``) as its subtitle, as ``export_figure`` adds it.
_SOURCE_PNG_SCRIPT = (
    "<script>document.addEventListener('click',e=>{const plot=e.target.closest('.modebar-btn')&&"
    "e.target.closest('.js-plotly-plot');if(!plot)return;e.stopPropagation();e.preventDefault();"
    "const layout=JSON.parse(JSON.stringify(plot.layout)),margin=layout.margin||{},"
    "title=typeof layout.title==='string'?{text:layout.title}:layout.title||{},"
    "options=plot._context.toImageButtonOptions||{};"
    "layout.title={...title,subtitle:{text:document.body.dataset.source,font:{size:11,color:'#555'}}};"
    "const top=Math.max(90,(margin.t||0)+30);layout.margin={...margin,t:top};"
    "Plotly.downloadImage({data:plot.data,layout},{format:'png',filename:options.filename,scale:options.scale,"
    "width:plot._fullLayout.width,height:plot._fullLayout.height+top-(plot._fullLayout.margin.t||0)})},true)</script>"
)


def render_report(analysis: dict[str, Any], vectors: np.ndarray | None, registry: Registry) -> str:
    """The whole comparison as one HTML page that needs no server (plotly.js is embedded).

    Every piece of article text, outlet name and title is HTML-escaped before it is placed; links are kept only
    when they are http(s).

    Args:
        analysis: the analysis dict.
        vectors: the statements' embeddings (the map is left out without them).
        registry: describes the outlets (``compare.ingest.load_registry()``, or the one given with ``--outlets``).
    """
    drawn = busiest_outlets(analysis)  # None: every outlet
    figures = all_charts(analysis, vectors, drawn)
    chart_html = []
    noted = set()
    for number, (name, figure) in enumerate(figures.items()):
        # what the chart shows and cannot see, once per kind (not under each outlet's distinctive terms)
        note = chart_note(name)
        chart_html.append(
            f'<div id="chart-{html.escape(name)}">'
            + figure.to_html(
                full_html=False,
                include_plotlyjs=number == 0,
                div_id=f"plot-{name}",
                config=plot_config(name, report=True),
            )
            + (f"<p class='meta note'>{html.escape(note)}</p>" if note and note not in noted else "")
            + "</div>"
        )
        noted.add(note)
    outlets = outlet_table(analysis, registry)
    stories = _compared_stories(analysis)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Parallax report</title><style>" + _STYLE + _CLASS_STYLE + "</style></head>",
        # the source line of a chart's PNG (``_SOURCE_PNG_SCRIPT``), as plotly reads a label
        f"<body data-source='{html.escape(label(export_caption(analysis)))}'>",
        "<h1>Parallax report</h1>",
        f"<p class='meta'>{len(analysis['articles']):,} articles from {len(outlets):,} outlets, "
        f"{len(analysis['statements']):,} statements, {len(analysis['stories']):,} stories; model "
        f"{html.escape(str(analysis.get('model', '')))}; made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>",
        _contents(analysis, stories),
        "<section id='outlets'><h2>Outlets</h2>" + _outlets_table(outlets) + "</section>",
        "<section id='charts'><h2>Charts</h2>"
        + (f"<p class='meta'>{html.escape(busiest_note(analysis, drawn))}</p>" if drawn else "")
        + "".join(chart_html)
        + "</section>",
        "<section id='word-swaps'><h2>Word swaps</h2>" + _table(swap_table(analysis)) + "</section>",
        "<section id='stories'><h2>Stories side by side</h2>"
        "<p class='meta'>Each story opens on a click and says what the dashboard's story page says: every outlet's "
        "headline, the coverage, the key differences and their chart, the facts two or more outlets report (words one "
        "outlet has "
        "and the other lacks are marked), then what only one outlet reports. Printed, every story is open, each on "
        "a new page; to print some only (a handout), open them first: then only the open stories print.</p>"
        + _stories(analysis, stories, registry)
        + "</section>",
    ]
    if analysis["problems"]:
        parts.append("<section id='problems'><h2>Input problems</h2>" + _table(analysis["problems"]) + "</section>")
    parts.append(_PRINT_SCRIPT + _LAZY_CHARTS_SCRIPT + _PRINT_WIDTH_SCRIPT + _SOURCE_PNG_SCRIPT + "</body></html>")
    return "".join(parts)


def _compared_stories(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """The stories told by two or more outlets, most outlets and most articles first."""
    stories = [story for story in analysis["stories"] if len(story["outlets"]) >= 2]
    return sorted(stories, key=lambda story: (-len(story["outlets"]), -len(story["article_ids"])))


def _contents(analysis: dict[str, Any], stories: list[dict[str, Any]]) -> str:
    """The table of contents: the sections, then every compared story by its headline."""
    articles = {article["id"]: article for article in analysis["articles"]}
    entries = "".join(
        f"<li><a href='#{html.escape(story['id'])}'>{html.escape(story_headline(story, articles))}</a> "
        f"<span class='meta'>{html.escape(_dates(story, articles))}, {len(story['outlets']):,} outlets</span></li>"
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


def _outlets_table(outlets: list[dict[str, Any]]) -> str:
    """The outlets' table, folded past ``MAX_CHART_OUTLETS`` rows: ECB+'s 181 outlets (163 of them "unknown,
    unknown, 1 article") were 6,500 px at 1440 px between the contents and the first chart."""
    if len(outlets) <= MAX_CHART_OUTLETS:
        return _table(outlets)
    articles = sum(row["articles"] for row in outlets)
    return (
        f"<details class='outlets'><summary>{len(outlets):,} outlets, {articles:,} articles: the table, one row an "
        f"outlet</summary>{_table(outlets)}</details>"
    )


_GAP_BOX = "border:1px dashed #ccc;padding:6px;border-radius:6px"  # "— not in Fox News —" in an aligned row
# The story page's inline styles repeated on every statement (a third of the stories' bytes on BASIL) as classes.
_CLASSES = {
    f'style="{CARD_STYLE}"': 'class="card"',
    **{f'style="background:{colour};{BADGE_STYLE}"': f'class="badge {kind}"' for kind, colour in BADGE_COLOURS.items()},
}
_CLASS_STYLE = f".card{{{CARD_STYLE}}} .badge{{{BADGE_STYLE}}} .gap{{color:{QUIET_COLOUR};{_GAP_BOX}}} " + " ".join(
    f".badge.{kind}{{background:{colour}}}" for kind, colour in BADGE_COLOURS.items()
)


def _classed(section: str) -> str:
    """``section`` with the story page's repeated inline styles as classes (escaped text holds no ``style="``)."""
    for style, name in _CLASSES.items():
        section = section.replace(style, name)
    return section


def _stories(analysis: dict[str, Any], stories: list[dict[str, Any]], registry: Registry) -> str:
    articles = {article["id"]: article for article in analysis["articles"]}
    blocks = []
    for story in stories:
        scope = story_scope(analysis, story["id"])
        aligned = aligned_story(analysis, scope)
        summary = (
            f"{html.escape(story_headline(story, articles))} <span class='meta'>{html.escape(_dates(story, articles))} · "
            f"{html.escape(', '.join(aligned.outlets))} · {len(aligned.shared)} {SHARED_FACTS}</span>"
        )
        blocks.append(
            f"<details class='story' id='{html.escape(story['id'])}'><summary>{summary}</summary>"
            + _classed(story_section_html(analysis, scope, aligned, registry))
            + "</details>"
        )
    if not blocks:
        return _no_story_note(analysis)
    look = to_json_plotly(plotly_templates[TEMPLATE])
    return f"<script type='application/json' id='{_STORY_TEMPLATE}'>{look}</script>" + "".join(blocks)


def _no_story_note(analysis: dict[str, Any]) -> str:
    """Why the report compares no story, and what to do: as the dashboard says it (``pages_story.offer_sample``)."""
    articles, stories = len(analysis["articles"]), len(analysis["stories"])
    return (
        f"<p class='meta'>No story here is told by two or more outlets: the {articles} article"
        f"{'s' if articles != 1 else ''} tell {stories} different event{'s' if stories != 1 else ''}, so there is "
        "nothing to set side by side yet. Add articles of the same event from other outlets, or make the report of "
        "the sample corpus, where each event is told by two outlets: <code style='overflow-wrap:normal'>python -m compare report "
        "compare/data/sample/articles.jsonl --out sample.html</code>.</p>"
    )


def story_section_html(analysis: dict[str, Any], scope: StoryScope, aligned: AlignedStory, registry: Registry) -> str:
    """One story as the story page tells it, from the same pieces (``story_html``): every outlet's headline, the
    coverage, the key differences, the shared facts aligned, then each outlet's "only here" statements."""
    story = scope.story
    differences = key_differences(analysis, scope)
    texts, labels = aligned.texts, article_labels(analysis, story)
    colours = outlet_colours(story["outlets"], outlet_names(analysis))  # the colours of the report's charts
    columns = aligned.side_by_side()  # past six outlets, as on the story page: four side by side, the others folded
    rows = headline_rows(analysis, story)
    cards = [row for row in rows if columns is None or row["outlet"] in columns]
    # each card's edge in its outlet's colour, as on the story page and in the coverage bar under it
    headlines = "".join(f"<div>{headline_card_html(row, colours[row['outlet']])}</div>" for row in cards)
    return (
        f"<div class='headlines'>{headlines}</div>"
        + other_headlines_html([row for row in rows if row not in cards], colours)
        + coverage_bar_html(coverage_rows(analysis, story, registry), coverage_sentence(analysis, story), colours)
        + "<h4>Key differences</h4><div class='differences'>"
        + omissions_html(differences, set(texts), aligned.only_here_counts)
        + wording_html(differences)
        + voices_html(differences, aligned.outlets)
        + prominence_html(differences, texts)
        + quote_edits_html(differences)
        + loaded_words_html(differences, aligned.outlets)
        + tone_html(differences)
        + "</div>"
        + _story_chart(analysis, story, aligned, differences)
        + _aligned_table(aligned, labels, columns)
        + _only_here(aligned, labels)
    )


def _story_chart(
    analysis: dict[str, Any], story: dict[str, Any], aligned: AlignedStory, differences: KeyDifferences
) -> str:
    """The story page's chart of how each outlet told it, with its lead and note, drawn when the story is opened
    (``_LAZY_CHARTS_SCRIPT``): its figure's JSON beside an empty div, plotly's ``<`` escaped as in ``to_html``."""
    if len(aligned.outlets) < 2:
        return ""  # as on the story page: with one outlet nothing is shared or left out
    rows = telling_rows(aligned, differences)
    members = set(story["article_ids"])
    headline = story_headline(story, {a["id"]: a for a in analysis["articles"] if a["id"] in members})
    figure = story_telling_figure(rows, headline, outlet_names(analysis))  # its template written once, in ``_stories``
    config = {**plot_config(f"story-{story['id']}", report=True), "responsive": True}
    return (
        f"<p class='meta'>{html.escape(telling_lead(aligned, rows))}</p>"
        f"<div class='lazy-plot' data-config='{html.escape(json.dumps(config))}'></div>"
        f"<script type='application/json'>{to_json_plotly(figure)}</script>"
        f"<p class='meta note'>{html.escape(chart_note('story'))}</p>"
    )


def _aligned_table(aligned: AlignedStory, labels: dict[str, str], columns: list[str] | None) -> str:
    """The facts two or more outlets report, most prominent first: one column per outlet, its words marked; past
    six outlets (``columns``: the story page's default four side by side), those columns and each fact's other
    outlets folded under it (ECB+'s 19-outlet story had 19 columns of a few letters each)."""
    if not aligned.shared:
        return "<p class='meta'>No fact is reported by two or more of these outlets.</p>"
    shown = columns or aligned.outlets
    head = "".join(f"<th>{html.escape(outlet)}</th>" for outlet in shown)
    body = []
    for claim in aligned.shared:
        cards = {outlet: claim_cards_html(claim, outlet, labels) for outlet in aligned.outlets}
        others = claim.others(shown)
        reported = any(cards[outlet] for outlet in shown)
        row_id = f" id='{anchor('claim', claim.claim_id)}'"  # on the fact's first row, where its links land
        if reported:
            gap = "<div class=gap>— not in {} —</div>"
            body.append(
                f"<tr{row_id}>"
                + "".join(f"<td>{cards[outlet] or gap.format(html.escape(outlet))}</td>" for outlet in shown)
                + "</tr>"
            )
            row_id = ""
        if others:  # past six outlets; unfolded when no column reports the fact
            fold = other_outlets_html({outlet: cards[outlet] for outlet in others}, "", opened=not reported)
            body.append(f"<tr{row_id}><td colspan='{len(shown)}'>{fold}</td></tr>")
    note = (
        f"<p class='meta'>{html.escape(side_by_side_note(aligned, columns, False, 'one click away'))}</p>"
        if columns
        else ""
    )
    return (
        f"<h4>Reported by two or more outlets ({len(aligned.shared)}), most prominent first</h4>{note}"
        f"<table class='aligned'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _only_here(aligned: AlignedStory, labels: dict[str, str]) -> str:
    """Per outlet, folded: the statements no other outlet of the story reports, in the article's order."""
    return "".join(
        f"<details class='only'><summary>Only in {html.escape(outlet)} ({len(statements):,} statements)</summary>"
        + "".join(statement_html(s, None, labels.get(s["article_id"], outlet)) for s in statements)
        + "</details>"
        for outlet, statements in aligned.only_here.items()
        if statements
    )
