"""The charts of a whole analysis, and the one export function (PNG/SVG through kaleido, else HTML)."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import numpy as np
import plotly.graph_objects as go

from compare import __version__
from compare.views.charts.coverage import coverage_heatmap, timeline
from compare.views.charts.drift import drift_chart
from compare.views.charts.projection import statement_map
from compare.views.charts.style import label, plain
from compare.views.charts.terms import distinctive_terms_chart
from compare.views.charts.voices import share_bars, tone_toward_actors_chart
from compare.views.spreadsheet import reader_number
from compare.views.tables import drift_rows, outlet_names

EXPORT_TIMEOUT_S = 20.0
_EXPORT_WIDTH = 1100  # px: wide enough for long outlet names and a legend beside the plot
_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def all_charts(
    analysis: dict[str, Any], vectors: np.ndarray | None = None, outlets: list[str] | None = None
) -> dict[str, go.Figure]:
    """Every chart of an analysis by file name: what the report shows and ``export`` writes.

    ``outlets``: the outlets the per-outlet charts draw (voices, frames, tone, drift, a terms chart each); every
    outlet when None.
    """
    every = outlet_names(analysis)
    figures = {
        "timeline": timeline(analysis),
        # most omitted first, as the dashboard's Overview opens: most outlets first, BASIL's report drew 40 rows
        # every outlet reports, one blue wall under "Which outlet reports which shared fact"
        "coverage": coverage_heatmap(analysis, order="omitted"),
        "voices": share_bars(
            analysis["voice_share"], "side", "Who is quoted or cited (share of attributed statements)", outlets
        ),
        "frames": share_bars(analysis["frame_share"], "frame", "Frames (share of statements)", outlets),
        "tone_toward_actors": tone_toward_actors_chart(analysis["tone_toward_actors"], outlets, every),
        "tone_over_time": drift_chart(drift_rows(analysis, "tone"), "Mean tone by month", outlets, every),
    }
    for number, outlet in enumerate(outlets or every, start=1):
        figures[f"terms_{number}"] = distinctive_terms_chart(analysis["distinctive_terms"], outlet, every=every)
    if vectors is not None and len(vectors) >= 3:
        figures["map"] = statement_map(analysis, vectors)
    return figures


def export_caption(analysis: dict[str, Any], outlets: list[str] | None = None, corpus: str = "") -> str:
    """What an exported image says about its source: corpus, outlets, date range and the Parallax version.

    Args:
        analysis: the analysis the chart was drawn from.
        outlets: the outlets the chart shows (all of the analysis's when None or empty).
        corpus: a short name of the corpus (never a server path).
    """
    names = outlets or outlet_names(analysis)
    listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    shown = set(names)  # a list's ``in`` compared each article with every outlet: 10,200 x 102 at 251k statements
    dates = sorted(
        str(article["published"])[:10]
        for article in analysis["articles"]
        if article.get("published") and article["outlet"] in shown
    )
    span = (dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}") if dates else "undated"
    articles = sum(1 for article in analysis["articles"] if article["outlet"] in shown)
    source = f"{corpus}: " if corpus else ""
    return f"{source}{articles:,} articles, {span} · outlets: {listed} · Parallax {__version__}"


def figure_rows(figure: go.Figure) -> list[dict[str, Any]]:
    """The numbers a figure draws, one row per point (or heatmap cell), labels as plain text, fractions rounded
    (``spreadsheet.reader_number``): its CSV."""
    rows: list[dict[str, Any]] = []
    for trace in figure.data:
        if trace.type == "bar" and trace.marker.opacity == 0:
            continue  # drawn for its clicks, not a number (the claims heatmap's row targets)
        series = plain(trace.name or "")
        if trace.type == "heatmap":
            texts = trace.text if trace.text is not None else [[None] * len(trace.x)] * len(trace.z)
            for y_value, values, row_texts in zip(trace.y, trace.z, texts):
                rows += [
                    {"series": series, "x": plain(x_value), "y": plain(y_value), "value": reader_number(value)}
                    | ({"text": plain(str(text).replace("<br>", " "))} if text is not None else {})
                    for x_value, value, text in zip(trace.x, values, row_texts)
                ]
            continue
        xs, ys = list(trace.x if trace.x is not None else []), list(trace.y if trace.y is not None else [])
        texts = trace.text if isinstance(trace.text, (list, tuple)) else None
        for number, (x_value, y_value) in enumerate(zip(xs, ys)):
            if x_value is None and y_value is None:
                continue  # a break in a line, not a point
            row = {"series": series, "x": reader_number(plain(x_value)), "y": reader_number(plain(y_value))}
            if texts is not None:
                row["text"] = plain(str(texts[number]).replace("<br>", " "))
            rows.append(row)
    return rows


def export_figure(
    figure: go.Figure, fmt: str, timeout_s: float = EXPORT_TIMEOUT_S, caption: str = ""
) -> tuple[bytes, str]:
    """The figure as PNG or SVG through kaleido (Chromium), or as standalone HTML when that fails.

    Args:
        figure: the chart.
        fmt: "png", "svg" or "html".
        timeout_s: how long to wait for the browser before falling back to HTML.
        caption: a line under the title saying where the figure comes from (``export_caption``).

    Returns:
        (content, format actually produced): "png", "svg" or "html".
    """
    if caption:
        figure = go.Figure(figure)  # a copy: the dashboard keeps drawing the figure without it
        title = figure.layout.title.text or ""
        figure.update_layout(
            title={"text": title, "subtitle": {"text": label(caption), "font": {"size": 11, "color": "#555"}}},
            margin={"t": max(90, (figure.layout.margin.t or 0) + 30)},
        )
    if fmt == "html":
        return figure.to_html(include_plotlyjs="cdn", full_html=True).encode("utf-8"), "html"
    result: dict[str, Any] = {}

    def render() -> None:
        try:
            _start_kaleido()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server": expected
                result["image"] = figure.to_image(format=fmt, width=_EXPORT_WIDTH, scale=2 if fmt == "png" else 1)
        except Exception as error:  # no browser, kaleido failure: fall back below
            result["error"] = error

    worker = threading.Thread(target=render, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if "image" in result:
        return result["image"], fmt
    return figure.to_html(include_plotlyjs="cdn", full_html=True).encode("utf-8"), "html"


def _start_kaleido() -> None:
    """Starts kaleido's browser once per process, so later exports take a fraction of a second."""
    global _kaleido_started
    with _KALEIDO_LOCK:
        if _kaleido_started:
            return
        import kaleido

        starter = getattr(kaleido, "start_sync_server", None)
        if starter:
            try:
                starter(silence_warnings=True)
            except TypeError:
                starter()
            except RuntimeError:
                pass  # already running
        _kaleido_started = True
