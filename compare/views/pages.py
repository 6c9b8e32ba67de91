"""The dashboard's pages, one function each, drawing an analysis made before them; the only views module with streamlit.

Every widget key starts with ``KEY``, so these views can sit beside others on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from compare.views import charts, pages_story
from compare.views.html import escape_markdown
from compare.views.pages_charts import chart, counted_columns
from compare.views.reading import AnalysisView
from compare.views.story import StorySummary
from compare.views.tables import (
    MAX_CHART_OUTLETS,
    Registry,
    busiest_note,
    busiest_outlets,
    measure_label,
    outlet_names,
    outlet_table,
    stand_in_note,
    stand_in_outlets,
    swap_table,
)
from compare.views.url_state import LINKED_CHOICES, LinkedView, share_query, share_state
from compare.views.visitor import problem_table, public_analysis

KEY = "px_"
STORY_MEANING = "A story: the articles about one event, from one outlet or several."
CLAIM_MEANING = (
    "A shared fact (a claim reported by two or more outlets): statements of different articles that say the same "
    "thing, each in its own words."
)
GLOSSARY = (
    "A **story** is the articles about one event; a **statement** is one sentence or quote of an article; a "
    "**claim** groups the statements of different articles that say the same thing, and is a shared fact when "
    "two or more outlets report it."
)
MAX_TERM_CHARTS = 12  # outlets whose distinctive terms are drawn when none (or more) are chosen
EVERY_OUTLET = "all outlets"  # what an outlet picker with none chosen shows: every outlet, as the charts do
_OUTLET_PICKERS = ("story_outlets", "outlets", "map_outlets")  # the widgets whose outlets a link keeps


@dataclass(frozen=True)
class Shown:
    """What every page draws: the analysis (read a view at a time), the outlet registry, what the link asks for."""

    source: AnalysisView
    registry: Registry
    linked: LinkedView
    corpus: str = ""  # a short name of what was analysed, for export captions (never a server path)
    sample_offer: str = ""  # "3 outlets, 6 events": the sample corpus the pages may offer ("" offers none)

    @property
    def analysis(self) -> dict[str, Any]:
        """What the Overview and the Outlets page draw (``AnalysisView.overview``)."""
        return self.source.overview()

    def caption(self, outlets: list[str] | None = None) -> str:
        """The source line of an image exported from this analysis, showing ``outlets``."""
        return charts.export_caption(self.analysis, outlets, self.corpus)

    def stories(self) -> list[StorySummary]:
        """Every story's summary: its headline, entities, dates and outlets."""
        return self.source.summaries()


def overview_page(shown: Shown) -> None:
    """Counts, outlets, the timeline, the stories, the coverage of cross-outlet claims, input problems."""
    analysis = shown.analysis
    st.header("Overview")
    outlets = outlet_names(analysis)
    cross = shown.source.cross_outlet_claims()
    # One row that wraps (two a line on a phone) rather than four columns stacked into a screenful.
    metrics = st.container(horizontal=True, gap="large")
    for label, value, meaning in (
        ("Articles", len(analysis["articles"]), "Pages read, one article each."),
        ("Outlets", len(outlets), "The publications the articles come from."),
        ("Stories", len(analysis["stories"]), STORY_MEANING),
        ("Shared facts", cross, CLAIM_MEANING),
    ):
        metrics.metric(label, f"{value:,}", help=meaning, width="content")  # "10,200", not "10200"
    st.caption(GLOSSARY)
    told_once = not pages_story.offer_sample(shown) and no_story_told_twice(shown, len(outlets))
    if not told_once and len(outlets) < 2:
        st.info("Only one outlet in the data: add articles from another outlet to compare.")
    undated = sum(1 for article in analysis["articles"] if not article.get("published"))
    if undated:
        st.warning(
            f"{undated:,} of {len(analysis['articles']):,} articles have no date: for them, stories cannot use dates "
            "to tell similar events apart (see the input problems)."
        )
    outlet_rows = pd.DataFrame(outlet_table(analysis, shown.registry))
    st.dataframe(outlet_rows, hide_index=True, width="stretch", column_config=counted_columns(outlet_rows))
    stand_ins = stand_in_outlets(analysis)
    if stand_ins:
        st.caption(escape_markdown(stand_in_note(stand_ins, len(outlets))))
    chart(
        charts.timeline(analysis),
        "timeline",
        pd.DataFrame(analysis["articles"])[["id", "outlet", "title", "published", "url"]],
        shown.caption(),
        note=charts.chart_note("timeline"),
    )
    st.subheader("Stories")
    pages_story.stories_table(shown.stories())
    if cross:
        st.subheader("Which outlet reports which shared fact")
        st.caption(
            escape_markdown(charts.chart_note("coverage"))
            + " Hover over a row for the whole statement; click it to open its story."
        )
        _coverage_section(shown)
    if analysis["problems"]:
        with st.expander(f"{len(analysis['problems']):,} input problem(s)"):
            problems = pd.DataFrame(problem_table(analysis))
            st.dataframe(problems, hide_index=True, width="stretch", column_config=counted_columns(problems))


def no_story_told_twice(shown: Shown, outlets: int) -> bool:
    """Where the sample corpus is not offered (a saved analysis, ``PARALLAX_ANALYSIS``) and two or more outlets
    tell no story together, says so as the live view does, and how to get one to compare; returns whether it did.

    Before, a saved analysis of the seeds (five events, one outlet each) showed its stories without a word on why
    none could be compared, and the live view's sample-corpus button cannot open anything in place of a saved run.
    """
    if shown.sample_offer or outlets < 2 or any(len(story["outlets"]) >= 2 for story in shown.analysis["stories"]):
        return False
    st.info(
        "No story here is told by two or more outlets: each of these articles reports a different event, so "
        "there is no story to compare side by side yet."
        + pages_story.background_note(shown.source.cross_outlet_claims())
        + " To compare, add articles from other outlets about the same events: `python -m compare analyze FILES "
        "--out FOLDER` adds them to the analysis saved in FOLDER (reload this page afterwards). The sample corpus, "
        "where each event is told by two outlets, opens in the dashboard started without PARALLAX_ANALYSIS "
        "(`streamlit run dashboard.py`)."
    )
    return True


def compare_story_page(shown: Shown) -> None:
    """One story: every outlet's headline, the coverage, key differences, the statements aligned (pages_story)."""
    pages_story.compare_story_page(shown, shown.stories())


def outlets_page(shown: Shown) -> None:
    """The chosen outlets compared: voices, frames, tone toward actors, drift over time, word swaps, terms."""
    analysis = shown.analysis
    st.header("Outlets")
    if "voice_share" not in analysis:  # a saved `analyze --no-framing`: a KeyError stopped the page
        st.info(
            "This analysis was saved without its framing figures (`analyze --no-framing`), so outlets cannot be "
            "compared here; analyse the corpus again without `--no-framing` to see them."
        )
        return
    outlets = outlet_names(analysis)
    busiest = busiest_outlets(analysis)  # None: few enough outlets to draw them all
    chosen = st.multiselect(  # "Choose options" read as if nothing were shown until outlets were picked
        "Compare outlets",
        outlets,
        default=shown.linked.outlets_among(outlets),
        key=KEY + "outlets",
        placeholder=f"the {MAX_CHART_OUTLETS} outlets with the most articles" if busiest else EVERY_OUTLET,
    )
    if not chosen and busiest:
        chosen = busiest
        st.caption(escape_markdown(busiest_note(analysis, busiest)) + " Choose outlets above to compare others.")
    chosen = chosen or outlets
    chart(
        charts.share_bars(
            analysis["voice_share"], "side", "Who is quoted or cited (share of attributed statements)", chosen
        ),
        "voices",
        pd.DataFrame(analysis["voice_share"]),
        shown.caption(chosen),
        note=charts.chart_note("voices"),
    )
    chart(
        charts.share_bars(analysis["frame_share"], "frame", "Frames (share of statements)", chosen),
        "frames",
        pd.DataFrame(analysis["frame_share"]),
        shown.caption(chosen),
        note=charts.chart_note("frames"),
    )
    chart(
        charts.tone_toward_actors_chart(analysis["tone_toward_actors"], chosen, outlets),
        "tone",
        pd.DataFrame(analysis["tone_toward_actors"]),
        shown.caption(chosen),
        note=charts.chart_note("tone"),
    )
    _drift_section(shown, chosen)
    st.subheader("Word swaps")
    st.dataframe(pd.DataFrame(swap_table(analysis)), hide_index=True, width="stretch")
    st.subheader("Distinctive terms")
    st.caption(escape_markdown(charts.chart_note("terms")))  # once, not under each outlet's chart
    if len(chosen) > MAX_TERM_CHARTS:  # a chart each: 1,651 outlets took 96 s and a page of 1,651 charts
        st.caption(
            f"The first {MAX_TERM_CHARTS} of {len(chosen):,} outlets; choose outlets above to see the terms of others."
        )
    columns = st.columns(min(2, len(chosen)) or 1)
    for number, outlet in enumerate(chosen[:MAX_TERM_CHARTS]):
        with columns[number % len(columns)]:
            chart(
                charts.distinctive_terms_chart(analysis["distinctive_terms"], outlet, every=outlets),
                f"terms_{number}",
                caption=shown.caption([outlet]),
            )


def map_page(shown: Shown) -> None:
    """The statements placed by meaning, coloured by outlet or story, with what the map shows."""
    st.header("Map")
    st.caption(charts.MAP_EXPLANATION)
    analysis, vectors = shown.source.whole()  # every statement: a saved analysis is read whole here
    if len(vectors) < len(analysis["statements"]):  # a PCA of no rows was a ValueError
        st.info(
            "The statement vectors of this saved analysis are not with it (a Ray run keeps them in its `shards/` "
            "folder beside the store), so there is no map to draw."
        )
        return
    outlets = outlet_names(analysis)
    left, right = st.columns([3, 1])
    chosen = left.multiselect(
        "Outlets",
        outlets,
        default=shown.linked.outlets_among(outlets),
        key=KEY + "map_outlets",
        placeholder=EVERY_OUTLET,
    )
    colourings = ["story", "outlet"]
    colour_by = right.radio(
        "Colour by",
        colourings,
        index=shown.linked.option_index("colour", colourings),
        horizontal=True,
        key=KEY + "map_colour",
    )
    coloured = charts.coloured_outlets(analysis, chosen) if colour_by == "outlet" else None
    if coloured:
        drawn = len(chosen) if chosen else len(outlets)
        st.caption(
            escape_markdown(
                f"{drawn:,} outlets are too many to tell apart by colour: the map colours the {len(coloured)} with the "
                f"most articles ({', '.join(coloured)}) and draws the other {drawn - len(coloured):,} in grey (hover "
                "over a dot for its outlet). Choose outlets above to colour others."
            )
        )
    chart(
        charts.statement_map(analysis, vectors, chosen or None, colour_by),
        "map",
        caption=shown.caption(chosen),
    )


def report_sidebar(shown: Shown) -> None:
    """Sidebar: the whole comparison as one HTML file, made on request (no server path in it)."""
    if "voice_share" not in shown.analysis:  # saved without framing: the report's charts have nothing to draw
        st.sidebar.caption(
            "No HTML report: this analysis was saved without its framing figures (`analyze --no-framing`), which "
            "the report's charts draw. `python -m compare report CORPUS --out report.html` makes one from the corpus."
        )
        return
    if st.sidebar.button("Make HTML report", key=KEY + "report", help="One self-contained page with every chart"):
        from compare.views.report import render_report

        analysis, vectors = shown.source.whole()

        st.sidebar.download_button(
            "Download report.html",
            render_report(public_analysis(analysis), vectors, shown.registry).encode("utf-8"),
            "parallax-report.html",
            "text/html",
            key=KEY + "report_download",
        )


def share_link(settings: dict[str, Any]) -> None:
    """Writes the view's state into the URL (after every change) and shows the link to copy."""
    outlets = None
    for key in _OUTLET_PICKERS:  # the last one with a choice wins, as the pages read them in this order
        outlets = st.session_state.get(KEY + key) or outlets
    search = st.session_state.get(KEY + "search", "") if settings["page"] == pages_story.STORY_PAGE else ""
    widgets = {widget: st.session_state.get(KEY + widget) for _, widget, _ in LINKED_CHOICES.values()}
    side = st.session_state.get(pages_story.PICKED_SIDE)
    state = share_state(settings, pages_story.chosen_story(), outlets, search, widgets, side)
    if st.query_params.to_dict() != state:
        st.query_params.from_dict(state)
    # The page's own address (the server's public one, as the browser sent it) before the query: a full link.
    link = (st.context.url or "").split("?")[0] + share_query(state)
    st.sidebar.caption("Link to this view (the button at its right copies it; uploaded files are not part of it):")
    st.sidebar.code(link, language=None, wrap_lines=True)


def _coverage_section(shown: Shown) -> None:
    """The claims x outlets heatmap, in the order the reader picks: most omitted first unless asked otherwise.

    Most outlets first, BASIL's first 40 rows were facts all three outlets report, a wall of one blue that says
    nothing; the facts some outlets leave out are what a reader looks for here.
    """
    order = st.radio(
        "Claims first",
        list(charts.CLAIM_ORDERS),
        index=shown.linked.option_index("order", list(charts.CLAIM_ORDERS)),  # most omitted, unless linked
        format_func=lambda key: charts.CLAIM_ORDERS[key],
        horizontal=True,
        key=KEY + "claim_order",
    )
    shown_claims = shown.source.heatmap_claims(order, charts.HEATMAP_ROWS)
    chart(
        charts.claims_heatmap(
            shown_claims.claims,
            shown_claims.total,
            shown_claims.statements,
            outlet_names(shown.analysis),
            order,
            # each row's story: its headline on hover, its outlets the columns
            {summary.id: summary for summary in shown.stories()},
        ),
        "coverage",
        lambda: pd.DataFrame(shown.source.table_rows("coverage")),
        shown.caption(),
        on_click=pages_story.open_clicked_story,  # a row opens its story, as the story list's rows do
    )


def _drift_section(shown: Shown, chosen: list[str]) -> None:
    """How a measure (tone, a frame's share, a side's share of voices) moves by month or year."""
    st.subheader("Over time")
    left, right = st.columns([3, 1])
    measures = shown.source.drift_measures()
    measure = left.selectbox(
        "Measure",
        measures,
        index=shown.linked.option_index("measure", measures),
        key=KEY + "drift_measure",
        format_func=measure_label,
    )
    periods = ["month", "year"]
    period = right.radio(
        "By", periods, index=shown.linked.option_index("by", periods), horizontal=True, key=KEY + "drift_period"
    )
    rows = shown.source.drift_rows(measure, period)
    chart(
        charts.drift_chart(rows, f"{measure_label(measure)} by {period}", chosen, outlet_names(shown.analysis)),
        "drift",
        pd.DataFrame(rows),
        shown.caption(chosen),
        note=charts.chart_note("drift"),
    )
