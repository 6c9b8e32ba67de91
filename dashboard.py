"""Parallax dashboard: `streamlit run dashboard.py`. Wiring only: settings in, cached analysis, one page drawn."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from compare.embed import Embedder, default_backend, default_model, get_embedder
from compare.ingest import load_corpus, load_registry
from compare.ingest.fetch import dashboard_url_fetch_enabled
from compare.ingest.formats import SUPPORTED_LIST, UPLOAD_TYPES
from compare.ingest.sample import sample_corpus
from compare.io.remote import fetch, is_remote
from compare.model.errors import NothingToCompareError, ParallaxError
from compare.views import pages
from compare.views.html import escape_markdown
from compare.views.progress import AnalysisProgress, duration
from compare.views.reading import AnalysisView, InMemoryAnalysis, SavedAnalysis
from compare.views.url_state import (
    CLAIM_THRESHOLD_RANGE,
    PAGE_PATHS,
    PAGE_TITLES,
    STORY_THRESHOLD_RANGE,
    linked_view,
    page_from_query,
    settings_from_query,
)
from compare.views.visitor import SERVER_LOG, public_model_name, upload_total_mb, uploads_within, visitor_message

# The corpus the app starts on: the seed articles, or $PARALLAX_CORPUS (files or folders, separated by ":").
CORPUS = [Path(item) for item in os.environ.get("PARALLAX_CORPUS", "").split(os.pathsep) if item] or [
    Path(__file__).parent / "seeds"
]
# The sample corpus (compare/data/sample): stories told by two outlets, offered when the corpus above has none.
SAMPLE = sample_corpus()
# The corpora a visitor or a link may choose, by name (url_state.CORPORA): never a path from outside.
BUILT_IN = {"seeds": CORPUS, "sample": [SAMPLE.path]}
# A saved analysis to show instead ($PARALLAX_ANALYSIS: a folder written by `python -m compare analyze --out`,
# e.g. by the Ray engine for a corpus too large to analyse here, or its s3://bucket/prefix). Only the server's
# environment names it: no link or widget can point the dashboard at another folder or bucket.
SAVED = os.environ.get("PARALLAX_ANALYSIS") or None
# The model and backend are chosen by whoever runs the dashboard ($PARALLAX_MODEL, $PARALLAX_BACKEND), never by a
# visitor or a link: a model name is a path on the server or a download from the hub.
MODEL = default_model()
BACKEND = default_backend()
# $PARALLAX_URL_FETCH=on shows the "paste an article URL" box; off by default, for a dashboard on the internet.
URL_FETCH = dashboard_url_fetch_enabled()
# What one session's uploads may add up to: a visitor may send many at once, all read and analysed in this process.
UPLOAD_TOTAL_MB = upload_total_mb()
# One st.Page per page function: its URL path (PAGE_PATHS) and a link's ?page= both name it.
PAGE_FUNCTIONS: dict[str, Callable[[pages.Shown], None]] = {
    "Overview": pages.overview_page,
    "Compare a story": pages.compare_story_page,
    "Outlets": pages.outlets_page,
    "Map": pages.map_page,
}
KEY = pages.KEY  # every widget key is prefixed, so views can repeat on a page
# The page's icon, "◐" drawn as SVG (sent as a data: URL, nothing fetched). "◐" itself is no emoji to Streamlit, which
# sent it as the favicon's URL (a 404) after importing its emoji list to find that out (0.1-0.9 s of a new server's
# first Overview, under load); a Material icon is fetched from fonts.gstatic.com by every visitor's browser.
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="white" '
    'stroke="black" stroke-width="1.5"/><path d="M8 1a7 7 0 0 0 0 14z"/></svg>'
)
logger = logging.getLogger("compare.dashboard")


@st.cache_resource(show_spinner="Loading the embedding model…")
def load_embedder(name: str, backend: str) -> Embedder:
    return get_embedder(name, backend)


@st.cache_data(show_spinner=False, max_entries=16)
def run_analysis(
    corpus_paths: tuple[str, ...],
    uploads: tuple[tuple[str, bytes], ...],
    with_seeds: bool,
    model: str,
    backend: str,
    thresholds: tuple[float, float],
) -> tuple[dict[str, Any], np.ndarray]:
    """The analysis of the corpus (when ``with_seeds``) and the uploads; ``thresholds`` are (claim, story)."""
    # here, not at the top: the clustering stack (scipy) takes 0.3-1 s to import, which a saved analysis never needs
    from compare.cluster import ClaimOptions, StoryOptions
    from compare.io.store import Store
    from compare.pipeline import analyze

    corpus = load_corpus(corpus_paths if with_seeds else (), uploads=uploads)
    if not corpus.articles:
        raise NothingToCompareError(f"no article could be read: upload {SUPPORTED_LIST} files")
    claim_threshold, story_threshold = thresholds
    watcher = ProgressBar(f"{len(corpus.articles):,} articles")
    analysis = analyze(
        corpus,
        embedder=load_embedder(model, backend),
        store=Store(),
        story_options=StoryOptions(threshold=story_threshold),
        claim_options=ClaimOptions(threshold=claim_threshold),
        progress=watcher,
    )
    watcher.finish()
    return analysis.to_dict(), analysis.vectors


class ProgressBar:
    """The pipeline's ``progress`` hook drawn as a bar with the stage, its counts and the time left.

    Made inside ``run_analysis``: Streamlit records every redraw and replays them on each cache hit, so the bar
    is redrawn only at a new stage, every 2% of the run or every 10 s (about a hundred redraws at most).
    """

    def __init__(self, what: str) -> None:
        self.watched = AnalysisProgress()
        self.what = what
        self.bar = st.progress(0.0, text=f"Analysing {what}…")
        self.drawn_at = time.monotonic()
        self.drawn_fraction = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        new_stage = stage != self.watched.current
        self.watched.update(stage, done, total)
        now, fraction = time.monotonic(), self.watched.fraction()
        # every new stage at once: its first step (loading spaCy, the first chunk embedded) can be long
        if new_stage or fraction - self.drawn_fraction >= 0.02 or now - self.drawn_at >= 10:
            self.drawn_at, self.drawn_fraction = now, fraction
            self.bar.progress(fraction, text=self.watched.line())

    def finish(self) -> None:
        self.bar.progress(1.0, text=f"Analysed {self.what} in {duration(time.monotonic() - self.watched.started)}")
        st.caption(" · ".join(self.watched.summary()))


@st.cache_resource(show_spinner="Opening the saved analysis…", max_entries=2)
def load_saved(folder: str, modified: float) -> AnalysisView:
    """The saved analysis (opened again when its store or analysis.json changes), read a view at a time.

    One copy for every session, which keeps what it has read (the Overview's rows, the story list, the
    last stories shown): a store is queried for what a view draws (``compare.engines.browse``); an older
    version's analysis.json is read whole. Views only read what they are given (tests/test_story_page.py).
    """
    from compare.engines.browse import SavedQueries
    from compare.io.tables import store_path

    if not store_path(folder).is_file():
        return InMemoryAnalysis(*read_whole(folder, modified))
    return SavedAnalysis(SavedQueries(folder), partial(read_whole, folder, modified))


@st.cache_resource(show_spinner="Reading every statement of the saved analysis…", max_entries=1)
def read_whole(folder: str, modified: float) -> tuple[dict[str, Any], np.ndarray]:
    """The whole saved analysis and its vectors (the Map and the HTML report draw every statement); read-only."""
    from compare.pipeline import read_saved_analysis

    analysis, vectors = read_saved_analysis(folder)
    vectors.setflags(write=False)
    return analysis, vectors


@st.cache_data(show_spinner="Fetching the page…", ttl=3600, max_entries=64)
def fetch_page(url: str) -> bytes:
    """A pasted URL's page, fetched once an hour at most (every widget change reruns the script).

    Public http(s) pages only, whatever the environment says: a visitor's URL must not reach the
    server's own files, its loopback services or its network.
    """
    from compare.ingest.fetch import fetch_page as fetch_public_page

    return fetch_public_page(url, allow_private=False)


def settings_ui(current_page: str) -> dict[str, Any]:
    """Sidebar: page, data and thresholds (the model is the server's); the shareable parts live in the URL.

    Args:
        current_page: the page the URL path names, chosen when the link has no ``page``.
    """
    params = st.query_params.to_dict()
    st.sidebar.title("Parallax")
    st.sidebar.caption("How outlets tell the same event, statement by statement.")
    wanted = page_from_query(params, current_page)
    # Once the menu has a value (the user's, or one a page set, e.g. the Overview opening a story), it rules.
    index = None if KEY + "page" in st.session_state else PAGE_TITLES.index(wanted)
    page = st.sidebar.radio("View", PAGE_TITLES, index=index or 0, key=KEY + "page")
    linked = settings_from_query(params)
    if SAVED:
        # A saved analysis is shown as it was made: no uploads, model or threshold to change here.
        st.sidebar.caption("Showing a saved analysis (made with `python -m compare analyze`).")
        return {**linked, "page": page, "uploads": (), "saved": True}
    return {"page": page, **data_ui(linked)}


def data_ui(linked: dict[str, Any]) -> dict[str, Any]:
    """The "Data and model" expander: which built-in corpus and whether it is included, uploads, the URL box when
    enabled, both thresholds."""
    with st.sidebar.expander("Data and model", expanded=False):
        corpus = st.radio(
            "Articles",
            list(BUILT_IN),
            index=list(BUILT_IN).index(linked["corpus"]),
            format_func=corpus_label,
            key=KEY + "corpus",
        )
        with_seeds = st.checkbox(
            "Include these articles (untick to compare only your uploads)",
            value=linked["with_seeds"],
            key=KEY + "seeds",
        )
        uploads = st.file_uploader(
            "Add articles",
            type=UPLOAD_TYPES,  # every type the readers take (compare.ingest.formats), each also as .gz
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
    files, left_out = uploads_within(
        tuple((upload.name, upload.getvalue()) for upload in uploads or []), UPLOAD_TOTAL_MB
    )
    if left_out:
        st.sidebar.warning(escape_markdown(left_out))
    return {
        "corpus": corpus,
        "with_seeds": with_seeds,
        "uploads": files + pasted_page(url),
        "claim_threshold": claim_threshold,
        "story_threshold": story_threshold,
    }


def corpus_label(name: str) -> str:
    """How the sidebar names a built-in corpus."""
    if name == "sample":
        return f"The sample corpus ({SAMPLE.label})"
    return "The built-in corpus" if os.environ.get("PARALLAX_CORPUS") else "The five seed articles (seeds/)"


def pasted_page(url: str) -> tuple[tuple[str, bytes], ...]:
    """The pasted URL's page as one more upload (none when the box is empty or the page is refused)."""
    if not url:
        return ()
    try:
        return ((hashlib.sha1(url.encode()).hexdigest()[:10] + ".html", fetch_page(url)),)
    except ParallaxError as error:
        logger.info("pasted URL not read: %s", error)
        st.sidebar.error(escape_markdown(str(error)))
        return ()


def _configure_logging() -> None:
    """$PARALLAX_LOG_LEVEL (e.g. INFO) makes the library log to stderr: model loads, exports."""
    level = os.environ.get("PARALLAX_LOG_LEVEL")
    library = logging.getLogger("compare")
    if level and not library.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        library.addHandler(handler)
        try:
            library.setLevel(level.strip().upper())
        except ValueError:  # an unknown name ("LOUD") stopped every page with a traceback
            library.setLevel(logging.INFO)
            library.warning(
                "PARALLAX_LOG_LEVEL=%r is not a level (DEBUG, INFO, WARNING, ERROR); logging at INFO", level
            )


def main() -> None:
    _configure_logging()
    st.set_page_config(page_title="Parallax", page_icon=FAVICON, layout="wide")
    # st.navigation wants the pages before the sidebar is read and the analysis loaded: each page function
    # draws loaded[0], put there once the analysis is.
    loaded: list[pages.Shown] = []
    navigation = {
        title: st.Page(
            partial(_draw, PAGE_FUNCTIONS[title], loaded), title=title, url_path=path, default=title == PAGE_TITLES[0]
        )
        for title, path in PAGE_PATHS.items()
    }
    # Hidden: the sidebar radio is the menu, since links name the page as ?page= (older links too).
    current = st.navigation(list(navigation.values()), position="hidden")
    settings = settings_ui(current.title)
    if settings["page"] != current.title:
        # The radio (or a link's ?page=) chose another page: run that one, at its own URL path, the link kept.
        st.switch_page(
            navigation[settings["page"]], query_params={**st.query_params.to_dict(), "page": settings["page"]}
        )
    try:
        registry = load_registry()  # $PARALLAX_OUTLETS: a bad file was a traceback under a saved analysis
    except ParallaxError as error:
        logger.error("cannot read the outlet registry: %s", error)
        st.error("The outlet registry this dashboard is set up with cannot be read. " + SERVER_LOG)
        return
    try:
        source = load_saved_analysis(SAVED) if SAVED else analyse(settings)
        if SAVED:
            source.overview()  # read here, so that a damaged store is reported as one
    except ParallaxError as error:
        logger.error("cannot show the analysis: %s", error)  # in full, for whoever runs the dashboard
        st.error(escape_markdown(visitor_message(error, saved=bool(SAVED), uploads=len(settings["uploads"]))))
        return
    linked = linked_view(st.query_params.to_dict())
    offer = "" if SAVED or settings["corpus"] == "sample" else SAMPLE.label  # pages offer the sample corpus
    loaded.append(pages.Shown(source, registry, linked, corpus_name(settings), offer))
    try:
        current.run()
    except ParallaxError as error:  # a table the page reads cannot be read (damaged, another version's): no traceback
        logger.error("cannot show the page: %s", error)
        st.error(escape_markdown(visitor_message(error, saved=bool(SAVED))))
    pages.share_link(settings)
    pages.report_sidebar(loaded[0])


def _draw(page: Callable[[pages.Shown], None], loaded: list[pages.Shown]) -> None:
    page(loaded[0])


def corpus_name(settings: dict[str, Any]) -> str:
    """What was analysed, named for export captions: folder names only, never the server's paths."""
    if SAVED:
        return Path(SAVED).name
    names = [path.name for path in BUILT_IN[settings["corpus"]]] if settings["with_seeds"] else []
    uploads = len(settings["uploads"])
    return ", ".join(names + ([f"{uploads} upload(s)"] if uploads else []))


@st.cache_data(show_spinner="Fetching the saved analysis…", ttl=60)
def saved_folder(location: str) -> str:
    """The local folder of a saved analysis: ``location``, or its object store copy, fetched at most once a minute."""
    return str(fetch(location)) if is_remote(location) else location


def load_saved_analysis(folder: str) -> AnalysisView:
    """The analysis saved in ``folder`` (or s3://...), re-read when its store (or an older version's analysis.json) changes."""
    folder = saved_folder(folder)
    from compare.io.tables import store_path

    saved = [store_path(folder), Path(folder) / "analysis.json"]
    return load_saved(folder, max((path.stat().st_mtime for path in saved if path.exists()), default=0.0))


@st.cache_resource(show_spinner=False, max_entries=4)
def analysis_view(
    corpus: tuple[str, ...],
    uploads: tuple[tuple[str, bytes], ...],
    with_seeds: bool,
    model: str,
    backend: str,
    thresholds: tuple[float, float],
) -> InMemoryAnalysis:
    """The analysis of ``run_analysis`` as one read-only object shared by reruns and sessions, so that what it
    works out once (the story list, the claim orders) is kept; ``run_analysis``'s cache alone gives a fresh
    copy on every rerun."""
    analysis, vectors = run_analysis(corpus, uploads, with_seeds, model, backend, thresholds)
    vectors.setflags(write=False)
    return InMemoryAnalysis(analysis, vectors)


def analyse(settings: dict[str, Any]) -> InMemoryAnalysis:
    """Runs (or reuses) the analysis of the built-in corpus and the uploads, with a status line."""
    with st.status("Analysing articles…", expanded=True) as status:
        # run_analysis draws its progress bar here (stage, counts, time left); on a cache hit Streamlit replays
        # the finished bar. A first run embeds every statement, later runs reuse the store.
        view = analysis_view(
            tuple(str(path) for path in BUILT_IN[settings["corpus"]]),
            settings["uploads"],
            settings["with_seeds"],
            MODEL,
            BACKEND,
            (settings["claim_threshold"], settings["story_threshold"]),
        )
        status.update(label=f"{len(view.analysis['articles']):,} articles analysed", state="complete", expanded=False)
    return view


main()
