"""The charts of a whole analysis, and the one export function (PNG/SVG through kaleido, else HTML)."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import numpy as np
import plotly.graph_objects as go

from compare.views.charts.coverage import coverage_heatmap, timeline
from compare.views.charts.drift import drift_chart
from compare.views.charts.projection import statement_map
from compare.views.charts.terms import distinctive_terms_chart
from compare.views.charts.voices import share_bars, tone_toward_actors_chart
from compare.views.tables import drift_rows, outlet_names

EXPORT_TIMEOUT_S = 20.0
_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def all_charts(analysis: dict[str, Any], vectors: np.ndarray | None = None) -> dict[str, go.Figure]:
    """Every chart of an analysis by file name: what the report shows and ``export`` writes."""
    figures = {
        "timeline": timeline(analysis),
        "coverage": coverage_heatmap(analysis),
        "voices": share_bars(
            analysis["voice_share"], "side", "Who is quoted or cited (share of attributed statements)"
        ),
        "frames": share_bars(analysis["frame_share"], "frame", "Frames (share of statements)"),
        "tone_toward_actors": tone_toward_actors_chart(analysis["tone_toward_actors"]),
        "tone_over_time": drift_chart(drift_rows(analysis, "tone"), "Mean tone by month"),
    }
    for number, outlet in enumerate(outlet_names(analysis), start=1):
        figures[f"terms_{number}"] = distinctive_terms_chart(analysis["distinctive_terms"], outlet)
    if vectors is not None and len(vectors) >= 3:
        figures["map"] = statement_map(analysis, vectors)
    return figures


def export_figure(figure: go.Figure, fmt: str, timeout_s: float = EXPORT_TIMEOUT_S) -> tuple[bytes, str]:
    """The figure as PNG or SVG through kaleido (Chromium), or as standalone HTML when that fails.

    Returns:
        (content, format actually produced): "png", "svg" or "html".
    """
    if fmt == "html":
        return figure.to_html(include_plotlyjs="cdn", full_html=True).encode("utf-8"), "html"
    result: dict[str, Any] = {}

    def render() -> None:
        try:
            _start_kaleido()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server": expected
                result["image"] = figure.to_image(format=fmt, scale=2 if fmt == "png" else 1)
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
