"""Parallax dashboard: `streamlit run dashboard.py`. Widgets in, compare.* calls, charts out."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from compare import charts
from compare.cluster import STORY_THRESHOLD, ClaimOptions, StoryOptions
from compare.embed import default_backend, default_model, get_embedder
from compare.errors import NothingToCompareError, ParallaxError
from compare.ingest import Corpus, load_bytes, load_corpus, load_registry
from compare.ingest.fetch import dashboard_url_fetch_enabled
from compare.views import (
    CLAIM_THRESHOLD_RANGE,
    STORY_THRESHOLD_RANGE,
    drift_rows,
    escape_markdown,
    outlet_table,
    public_model_name,
    public_source,
    settings_from_query,
    share_query,
    statement_card_html,
    story_rows,
    story_table,
    swap_table,
    visitor_message,
)

# The corpus the app starts on: the sample articles, or $PARALLAX_CORPUS (files or folders, separated by ":").
CORPUS = [Path(item) for item in os.environ.get("PARALLAX_CORPUS", "").split(os.pathsep) if item] or [
    Path(__file__).parent / "seeds"
]
# A saved analysis to show instead ($PARALLAX_ANALYSIS: a folder written by `python -m compare analyze --out`,
# e.g. by the Ray engine for a corpus too large to analyse here).
SAVED = os.environ.get("PARALLAX_ANALYSIS") or None
# The model and backend are chosen by whoever runs the dashboard ($PARALLAX_MODEL, $PARALLAX_BACKEND), never by a
# visitor or a link: a model name is a path on the server or a download from the hub.
MODEL = default_model()
BACKEND = default_backend()
# $PARALLAX_URL_FETCH=on shows the "paste an article URL" box; off by default, for a dashboard on the internet.
URL_FETCH = dashboard_url_fetch_enabled()
PAGES = ["Overview", "Compare a story", "Outlets", "Map"]
KEY = "px_"  # every widget key is prefixed, so views can repeat on a page
logger = logging.getLogger("compare.dashboard")


@st.cache_resource(show_spinner="Loading the embedding model…")
def load_embedder(name: str, backend: str):  # type: ignore[no-untyped-def]
    return get_embedder(name, backend)


@st.cache_data(show_spinner=False, max_entries=16)
def run_analysis(
    corpus_paths: tuple[str, ...],
    uploads: tuple[tuple[str, bytes], ...],
    with_seeds: bool,
    model: str,
    backend: str,
    claim_threshold: float,
    story_threshold: float,
) -> tuple[dict[str, Any], Any]:
    from compare.pipeline import analyze
    from compare.store import Store

    corpus = load_corpus(corpus_paths) if with_seeds else Corpus()
    for name, content in uploads:
        corpus.extend(load_bytes(content, name))
    if not corpus.articles:
        raise NothingToCompareError(
            "no article could be read: upload .txt, .md, .html, .json, .jsonl, .csv or .parquet files"
        )
    analysis = analyze(
        corpus,
        embedder=load_embedder(model, backend),
        store=Store(),
        story_options=StoryOptions(threshold=story_threshold),
        claim_options=ClaimOptions(threshold=claim_threshold),
    )
    return analysis.to_dict(), analysis.vectors


@st.cache_data(show_spinner="Reading the saved analysis…", max_entries=4)
def load_saved(folder: str, modified: float) -> tuple[dict[str, Any], Any]:
    """The saved analysis (re-read when its analysis.json changes)."""
    from compare.pipeline import read_saved_analysis

    return read_saved_analysis(folder)


@st.cache_data(show_spinner="Fetching the page…", ttl=3600, max_entries=64)
def fetch_page(url: str) -> bytes:
    """A pasted URL's page, fetched once an hour at most (every widget change reruns the script).

    Public http(s) pages only, whatever the environment says: a visitor's URL must not reach the
    server's own files, its loopback services or its network.
    """
    from compare.ingest.fetch import fetch_page as fetch_public_page

    return fetch_public_page(url, allow_private=False)


def settings_ui() -> dict[str, Any]:
    """Sidebar: data and thresholds (the model is the server's); the shareable parts live in the URL."""
    params = st.query_params
    st.sidebar.title("Parallax")
    st.sidebar.caption("How outlets tell the same event, statement by statement.")
    page = st.sidebar.radio(
        "View",
        PAGES,
        index=PAGES.index(params.get("page", "Overview")) if params.get("page") in PAGES else 0,
        key=KEY + "page",
    )
    linked = settings_from_query(dict(params))
    if SAVED:
        # A saved analysis is shown as it was made: no uploads, model or threshold to change here.
        st.sidebar.caption("Showing a saved analysis (made with `python -m compare analyze`).")
        return {**linked, "page": page, "uploads": ()}
    with st.sidebar.expander("Data and model", expanded=False):
        with_seeds = st.checkbox(
            "Include the built-in corpus" if os.environ.get("PARALLAX_CORPUS") else "Include the five sample articles",
            value=linked["with_seeds"],
            key=KEY + "seeds",
        )
        uploads = st.file_uploader(
            "Add articles",
            type=["txt", "md", "html", "htm", "json", "jsonl", "csv", "parquet"],
            accept_multiple_files=True,
            key=KEY + "uploads",
        )
        url = st.text_input("…or paste an article URL", key=KEY + "url") if URL_FETCH else ""
        st.caption(
            f"Embedding model: {escape_markdown(public_model_name(MODEL))} ({escape_markdown(BACKEND)}), "
            "set by whoever runs this dashboard."
        )
        claim_threshold = st.slider(
            "Claim similarity threshold",
            *CLAIM_THRESHOLD_RANGE,
            linked["claim_threshold"],
            0.01,
            key=KEY + "threshold",
        )
        story_threshold = st.slider(
            "Story similarity threshold",
            *STORY_THRESHOLD_RANGE,
            linked["story_threshold"],
            0.01,
            key=KEY + "story_threshold",
        )
    files = tuple((upload.name, upload.getvalue()) for upload in uploads or [])
    if url:
        try:
            files += ((hashlib.sha1(url.encode()).hexdigest()[:10] + ".html", fetch_page(url)),)
        except ParallaxError as error:
            logger.info("pasted URL not read: %s", error)
            st.sidebar.error(escape_markdown(str(error)))
    return {
        "page": page,
        "with_seeds": with_seeds,
        "uploads": files,
        "claim_threshold": claim_threshold,
        "story_threshold": story_threshold,
    }


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


def overview_ui(analysis: dict[str, Any]) -> None:
    st.header("Overview")
    outlets = sorted({article["outlet"] for article in analysis["articles"]})
    cross = [cluster for cluster in analysis["clusters"] if len(cluster["outlets"]) >= 2]
    metrics = st.columns(4)
    metrics[0].metric("Articles", len(analysis["articles"]))
    metrics[1].metric("Outlets", len(outlets))
    metrics[2].metric("Stories", len(analysis["stories"]))
    metrics[3].metric("Cross-outlet claims", len(cross))
    if len(outlets) < 2:
        st.info("Only one outlet in the data: add articles from another outlet to compare.")
    st.dataframe(pd.DataFrame(outlet_table(analysis, load_registry())), hide_index=True, width="stretch")
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
            problems = [{**problem, "source": public_source(problem["source"])} for problem in analysis["problems"]]
            st.dataframe(pd.DataFrame(problems), hide_index=True, width="stretch")


def compare_story_ui(analysis: dict[str, Any]) -> None:
    st.header("Compare a story")
    stories = [story for story in analysis["stories"] if len(story["outlets"]) >= 2] or analysis["stories"]
    labels = {
        row["story"]: f"{row['story']} · {row['outlets']} · {row['headline'][:60]}"
        for row in story_table(analysis)
        if row["story"] in {story["id"] for story in stories}
    }
    wanted = st.query_params.get("story")
    ids = list(labels)
    story_id = st.selectbox(
        "Story", ids, index=ids.index(wanted) if wanted in ids else 0, format_func=labels.get, key=KEY + "story"
    )
    story = next(story for story in stories if story["id"] == story_id)
    chosen = st.multiselect(
        "Outlets", story["outlets"], default=_outlets_from_url(story["outlets"]), key=KEY + "story_outlets"
    )
    shown, rows = story_rows(analysis, story_id, chosen or None)
    tones = {row["statement_id"]: row["tone"] for row in analysis["tone"]}
    frames = {row["statement_id"]: row["frame"] for row in analysis["frames"]}
    header = st.columns(len(shown))
    for column, outlet in zip(header, shown):
        column.subheader(escape_markdown(outlet), anchor=False)
    for row in rows[:80]:
        columns = st.columns(len(shown))
        for column, outlet in zip(columns, shown):
            cell = row.cells.get(outlet, [])
            if not cell:
                column.markdown(
                    '<div style="color:#999;border:1px dashed #ccc;padding:6px;border-radius:6px">— not reported —</div>',
                    unsafe_allow_html=True,
                )
                continue
            other = next((s["text"] for o, c in row.cells.items() if o != outlet for s in c), None)
            for statement in cell:
                card = statement_card_html(
                    statement, other, tones.get(statement["id"], 0.0), frames.get(statement["id"], "")
                )
                column.markdown(card, unsafe_allow_html=True)
        st.divider()


def outlets_ui(analysis: dict[str, Any]) -> None:
    st.header("Outlets")
    outlets = sorted({article["outlet"] for article in analysis["articles"]})
    chosen = st.multiselect("Compare outlets", outlets, default=_outlets_from_url(outlets), key=KEY + "outlets")
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
    st.subheader("Over time")
    frames = sorted({row["frame"] for row in analysis["frames"]})
    sides = sorted({row["side"] for row in analysis["voices"]})
    measures = ["tone"] + [f"frame:{frame}" for frame in frames] + [f"side:{side}" for side in sides]
    left, right = st.columns([3, 1])
    measure = left.selectbox("Measure", measures, key=KEY + "drift_measure", format_func=_measure_label)
    period = right.radio("By", ["month", "year"], horizontal=True, key=KEY + "drift_period")
    rows = drift_rows(analysis, measure, period)
    chart(charts.drift_chart(rows, f"{_measure_label(measure)} by {period}", chosen), "drift", pd.DataFrame(rows))
    st.subheader("Word swaps")
    st.dataframe(pd.DataFrame(swap_table(analysis)), hide_index=True, width="stretch")
    st.subheader("Distinctive terms")
    columns = st.columns(min(2, len(chosen)) or 1)
    for number, outlet in enumerate(chosen):
        with columns[number % len(columns)]:
            chart(charts.distinctive_terms_chart(analysis["distinctive_terms"], outlet), f"terms_{number}")


def _measure_label(measure: str) -> str:
    kind, _, name = measure.partition(":")
    return {"tone": "Mean tone", "frame": f"Share of statements framed as {name}", "side": f"Share of voices: {name}"}[
        kind
    ]


def report_ui(analysis: dict[str, Any], vectors: Any) -> None:
    """Sidebar: the whole comparison as one HTML file, made on request."""
    if st.sidebar.button("Make HTML report", key=KEY + "report", help="One self-contained page with every chart"):
        from compare.report import render_report

        st.sidebar.download_button(
            "Download report.html",
            render_report(analysis, vectors).encode("utf-8"),
            "parallax-report.html",
            "text/html",
            key=KEY + "report_download",
        )


def map_ui(analysis: dict[str, Any], vectors: Any) -> None:
    st.header("Map")
    outlets = sorted({article["outlet"] for article in analysis["articles"]})
    chosen = st.multiselect("Outlets", outlets, default=_outlets_from_url(outlets), key=KEY + "map_outlets")
    chart(charts.statement_map(analysis, vectors, chosen or None), "map")


def _outlets_from_url(available: list[str]) -> list[str]:
    wanted = [outlet for outlet in st.query_params.get("outlets", "").split(",") if outlet]
    return [outlet for outlet in wanted if outlet in available]


def share_ui(settings: dict[str, Any]) -> None:
    """Writes the view's state into the URL and shows the link to copy."""
    state = {
        "page": settings["page"],
        "threshold": f"{settings['claim_threshold']:.2f}",
    }
    if settings["story_threshold"] != STORY_THRESHOLD:
        state["story_threshold"] = f"{settings['story_threshold']:.2f}"
    if not settings["with_seeds"]:
        state["seeds"] = "0"
    story = st.session_state.get(KEY + "story")
    if settings["page"] == "Compare a story" and story:
        state["story"] = story
    for key in ("story_outlets", "outlets", "map_outlets"):
        chosen = st.session_state.get(KEY + key)
        if chosen:
            state["outlets"] = ",".join(chosen)
    if dict(st.query_params) != state:
        st.query_params.from_dict(state)
    st.sidebar.text_input(
        "Link to this view (copy it)",
        value=share_query(state),
        key=KEY + "link",
        help="Append to the dashboard's address; it reproduces this view. Uploaded files are not part of the link.",
    )


def _configure_logging() -> None:
    """$PARALLAX_LOG_LEVEL (e.g. INFO) makes the library log to stderr: model loads, exports."""
    level = os.environ.get("PARALLAX_LOG_LEVEL")
    library = logging.getLogger("compare")
    if level and not library.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        library.addHandler(handler)
        library.setLevel(level.upper())


def main() -> None:
    _configure_logging()
    st.set_page_config(page_title="Parallax", page_icon="◐", layout="wide")
    settings = settings_ui()
    try:
        if SAVED:
            saved = Path(SAVED) / "analysis.json"
            analysis, vectors = load_saved(SAVED, saved.stat().st_mtime if saved.exists() else 0.0)
        else:
            analysis, vectors = analyse(settings)
    except ParallaxError as error:
        logger.error("cannot show the analysis: %s", error)  # in full, for whoever runs the dashboard
        st.error(escape_markdown(visitor_message(error, saved=bool(SAVED))))
        return
    pages = {"Overview": overview_ui, "Compare a story": compare_story_ui, "Outlets": outlets_ui}
    if settings["page"] == "Map":
        map_ui(analysis, vectors)
    else:
        pages[settings["page"]](analysis)
    share_ui(settings)
    report_ui(analysis, vectors)


def analyse(settings: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Runs (or reuses) the analysis of the built-in corpus and the uploads, with a status line."""
    with st.status("Analysing articles…", expanded=False) as status:
        # Streamlit forbids drawing into this page from inside a cached function, so the status
        # says what runs; a first run embeds every statement, later runs reuse the store.
        st.write(
            f"Reading {len(settings['uploads'])} upload(s)" + (" and the samples" if settings["with_seeds"] else "")
        )
        st.write("Segmenting, embedding (new statements only), clustering, comparing…")
        analysis, vectors = run_analysis(
            tuple(str(path) for path in CORPUS),
            settings["uploads"],
            settings["with_seeds"],
            MODEL,
            BACKEND,
            settings["claim_threshold"],
            settings["story_threshold"],
        )
        status.update(label=f"{len(analysis['articles'])} articles analysed", state="complete")
    return analysis, vectors


main()
