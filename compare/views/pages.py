"""The dashboard's pages, one function each, drawing an analysis made before them; the only views module with streamlit.

Every widget key starts with ``KEY``, so these views can sit beside others on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from compare.views import charts
from compare.views.html import GAP_HTML, escape_markdown, statement_cards
from compare.views.tables import (
    Registry,
    cross_outlet_claims,
    drift_measures,
    drift_rows,
    frames_by_statement,
    measure_label,
    outlet_names,
    outlet_table,
    story_choices,
    story_rows,
    story_table,
    swap_table,
    tones_by_statement,
)
from compare.views.url_state import LinkedView, share_query, share_state
from compare.views.visitor import problem_table, public_analysis

KEY = "px_"
_OUTLET_PICKERS = ("story_outlets", "outlets", "map_outlets")  # the widgets whose outlets a link keeps


@dataclass(frozen=True)
class Shown:
    """What every page draws: the analysis, its statement vectors, the outlet registry, what the link asks for."""

    analysis: dict[str, Any]
    vectors: np.ndarray
    registry: Registry
    linked: LinkedView


def overview_page(shown: Shown) -> None:
    """Counts, outlets, the timeline, the stories, the coverage of cross-outlet claims, input problems."""
    analysis = shown.analysis
    st.header("Overview")
    outlets = outlet_names(analysis)
    cross = cross_outlet_claims(analysis)
    metrics = st.columns(4)
    metrics[0].metric("Articles", len(analysis["articles"]))
    metrics[1].metric("Outlets", len(outlets))
    metrics[2].metric("Stories", len(analysis["stories"]))
    metrics[3].metric("Cross-outlet claims", len(cross))
    if len(outlets) < 2:
        st.info("Only one outlet in the data: add articles from another outlet to compare.")
    undated = sum(1 for article in analysis["articles"] if not article.get("published"))
    if undated:
        st.warning(
            f"{undated} of {len(analysis['articles'])} articles have no date: for them, stories cannot use dates "
            "to tell similar events apart (see the input problems)."
        )
    st.dataframe(pd.DataFrame(outlet_table(analysis, shown.registry)), hide_index=True, width="stretch")
    chart(
        charts.timeline(analysis),
        "timeline",
        pd.DataFrame(analysis["articles"])[["id", "outlet", "title", "published", "url"]],
    )
    st.subheader("Stories")
    st.dataframe(pd.DataFrame(story_table(analysis)), hide_index=True, width="stretch")
    if cross:
        chart(charts.coverage_heatmap(analysis), "coverage", pd.DataFrame(analysis["coverage"]))
    if analysis["problems"]:
        with st.expander(f"{len(analysis['problems'])} input problem(s)"):
            st.dataframe(pd.DataFrame(problem_table(analysis)), hide_index=True, width="stretch")


def compare_story_page(shown: Shown) -> None:
    """One story side by side: a column per outlet, a row per claim, a gap where an outlet omits it."""
    analysis = shown.analysis
    st.header("Compare a story")
    labels = story_choices(analysis)
    if not labels:
        st.info("No story to compare: add articles.")
        return
    ids = list(labels)
    wanted = shown.linked.story
    story_id = st.selectbox(
        "Story",
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda story: labels[story],
        key=KEY + "story",
    )
    story = next(story for story in analysis["stories"] if story["id"] == story_id)
    chosen = st.multiselect(
        "Outlets", story["outlets"], default=shown.linked.outlets_among(story["outlets"]), key=KEY + "story_outlets"
    )
    shown_outlets, rows = story_rows(analysis, story["id"], chosen or None)
    tones, frames = tones_by_statement(analysis), frames_by_statement(analysis)
    for column, outlet in zip(st.columns(len(shown_outlets)), shown_outlets):
        column.subheader(escape_markdown(outlet), anchor=False)
    for row in rows[:80]:
        for column, outlet in zip(st.columns(len(shown_outlets)), shown_outlets):
            cards = statement_cards(row, outlet, tones, frames)
            for card in cards or [GAP_HTML]:
                column.markdown(card, unsafe_allow_html=True)  # escaped: compare.views.html
        st.divider()


def outlets_page(shown: Shown) -> None:
    """The chosen outlets compared: voices, frames, tone toward actors, drift over time, word swaps, terms."""
    analysis = shown.analysis
    st.header("Outlets")
    outlets = outlet_names(analysis)
    chosen = st.multiselect(
        "Compare outlets", outlets, default=shown.linked.outlets_among(outlets), key=KEY + "outlets"
    )
    chosen = chosen or outlets
    chart(
        charts.share_bars(
            analysis["voice_share"], "side", "Who is quoted or cited (share of attributed statements)", chosen
        ),
        "voices",
        pd.DataFrame(analysis["voice_share"]),
    )
    chart(
        charts.share_bars(analysis["frame_share"], "frame", "Frames (share of statements)", chosen),
        "frames",
        pd.DataFrame(analysis["frame_share"]),
    )
    chart(
        charts.tone_toward_actors_chart(analysis["tone_toward_actors"], chosen),
        "tone",
        pd.DataFrame(analysis["tone_toward_actors"]),
    )
    _drift_section(analysis, chosen)
    st.subheader("Word swaps")
    st.dataframe(pd.DataFrame(swap_table(analysis)), hide_index=True, width="stretch")
    st.subheader("Distinctive terms")
    columns = st.columns(min(2, len(chosen)) or 1)
    for number, outlet in enumerate(chosen):
        with columns[number % len(columns)]:
            chart(charts.distinctive_terms_chart(analysis["distinctive_terms"], outlet), f"terms_{number}")


def map_page(shown: Shown) -> None:
    """The statements placed by meaning, coloured by outlet."""
    st.header("Map")
    outlets = outlet_names(shown.analysis)
    chosen = st.multiselect("Outlets", outlets, default=shown.linked.outlets_among(outlets), key=KEY + "map_outlets")
    chart(charts.statement_map(shown.analysis, shown.vectors, chosen or None), "map")


def report_sidebar(shown: Shown) -> None:
    """Sidebar: the whole comparison as one HTML file, made on request (no server path in it)."""
    if st.sidebar.button("Make HTML report", key=KEY + "report", help="One self-contained page with every chart"):
        from compare.views.report import render_report

        st.sidebar.download_button(
            "Download report.html",
            render_report(public_analysis(shown.analysis), shown.vectors, shown.registry).encode("utf-8"),
            "parallax-report.html",
            "text/html",
            key=KEY + "report_download",
        )


def share_link(settings: dict[str, Any]) -> None:
    """Writes the view's state into the URL and shows the link to copy."""
    outlets = None
    for key in _OUTLET_PICKERS:  # the last one with a choice wins, as the pages read them in this order
        outlets = st.session_state.get(KEY + key) or outlets
    state = share_state(settings, st.session_state.get(KEY + "story"), outlets)
    if dict(st.query_params) != state:
        st.query_params.from_dict(state)
    st.sidebar.text_input(
        "Link to this view (copy it)",
        value=share_query(state),
        key=KEY + "link",
        help="Append to the dashboard's address; it reproduces this view. Uploaded files are not part of the link.",
    )


def chart(figure: Any, name: str, data: pd.DataFrame | None = None) -> None:
    """A chart with PNG/SVG/CSV downloads (images rendered on request)."""
    st.plotly_chart(figure, width="stretch", key=KEY + "chart_" + name)
    columns = st.columns([1, 1, 1, 5])
    if data is not None:
        columns[2].download_button(
            "CSV", data.to_csv(index=False).encode("utf-8"), f"{name}.csv", "text/csv", key=KEY + "csv_" + name
        )
    if columns[0].button("PNG / SVG", key=KEY + "img_" + name, help="Render the chart as images"):
        for fmt, column in (("png", columns[0]), ("svg", columns[1])):
            content, produced = charts.export_figure(figure, fmt)
            if produced != fmt:
                column.warning("No browser for image export here; downloading interactive HTML instead.")
            column.download_button(
                f"Download {produced.upper()}", content, f"{name}.{produced}", key=KEY + f"dl_{fmt}_{name}"
            )


def _drift_section(analysis: dict[str, Any], chosen: list[str]) -> None:
    """How a measure (tone, a frame's share, a side's share of voices) moves by month or year."""
    st.subheader("Over time")
    left, right = st.columns([3, 1])
    measure = left.selectbox("Measure", drift_measures(analysis), key=KEY + "drift_measure", format_func=measure_label)
    period = right.radio("By", ["month", "year"], horizontal=True, key=KEY + "drift_period")
    rows = drift_rows(analysis, measure, period)
    chart(charts.drift_chart(rows, f"{measure_label(measure)} by {period}", chosen), "drift", pd.DataFrame(rows))
