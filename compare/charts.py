"""Pure functions from an analysis to plotly Figures, and the one export function (PNG/SVG/HTML)."""

from __future__ import annotations

import html
import threading
import warnings
from collections import Counter
from typing import Any

import numpy as np
import plotly.graph_objects as go

EXPORT_TIMEOUT_S = 20.0
_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def coverage_heatmap(analysis: dict[str, Any], max_rows: int = 40) -> go.Figure:
    """Cross-outlet claims x outlets: how many statements of each outlet state each claim."""
    outlets = sorted({article["outlet"] for article in analysis["articles"]})
    clusters = [cluster for cluster in analysis["clusters"] if len(cluster["outlets"]) >= 2][:max_rows]
    outlet_of = {statement["id"]: statement["outlet"] for statement in analysis["statements"]}
    text_of = {statement["id"]: statement["text"] for statement in analysis["statements"]}
    z = []
    labels = []
    for cluster in clusters:
        counts = Counter(outlet_of[sid] for sid in cluster["statement_ids"])
        z.append([counts.get(outlet, 0) for outlet in outlets])
        labels.append(f"{cluster['id']}: {_short(text_of[cluster['statement_ids'][0]], 60)}")
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[_label(outlet) for outlet in outlets],
            y=labels,
            colorscale="Blues",
            hovertemplate="%{y}<br>%{x}: %{z} statement(s)<extra></extra>",
        )
    )
    figure.update_layout(
        title="Claims reported by two or more outlets",
        yaxis={"autorange": "reversed"},
        height=max(300, 28 * len(labels) + 120),
    )
    return _style(figure)


def timeline(analysis: dict[str, Any]) -> go.Figure:
    """Articles on a timeline, one row per outlet."""
    articles = [article for article in analysis["articles"] if article.get("published")]
    figure = go.Figure(
        go.Scatter(
            x=[article["published"] for article in articles],
            y=[_label(article["outlet"]) for article in articles],
            mode="markers",
            marker={"size": 12},
            text=[_short(article["title"], 80) for article in articles],
            hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>",
        )
    )
    figure.update_layout(title="Articles by publication date", height=320)
    return _style(figure)


def share_bars(rows: list[dict[str, Any]], key: str, title: str, outlets: list[str] | None = None) -> go.Figure:
    """Stacked horizontal bars of per-outlet shares (voice share by side, frame share ...)."""
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    values = sorted({row[key] for row in rows})
    outlet_names = sorted({row["outlet"] for row in rows})
    figure = go.Figure()
    for value in values:
        share = {row["outlet"]: row["share"] for row in rows if row[key] == value}
        figure.add_bar(
            name=_label(value),
            y=[_label(outlet) for outlet in outlet_names],
            x=[share.get(outlet, 0) for outlet in outlet_names],
            orientation="h",
        )
    figure.update_layout(
        barmode="stack", title=title, xaxis={"tickformat": ".0%"}, height=max(280, 60 * len(outlet_names) + 140)
    )
    return _style(figure)


def tone_toward_actors_chart(rows: list[dict[str, Any]], outlets: list[str] | None = None) -> go.Figure:
    """Mean tone of statements naming each side's actors, per outlet."""
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    for outlet in sorted({row["outlet"] for row in rows}):
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_bar(
            name=_label(outlet),
            x=[_label(row["actor"]) for row in own],
            y=[row["tone"] for row in own],
            customdata=[row["statements"] for row in own],
            hovertemplate="%{x}: %{y:.2f} (%{customdata} statements)<extra>" + _label(outlet) + "</extra>",
        )
    figure.update_layout(
        barmode="group",
        title="Tone of statements naming each side (VADER, -1 to 1)",
        yaxis={"range": [-1, 1]},
        height=380,
    )
    return _style(figure)


def distinctive_terms_chart(
    rows: list[dict[str, Any]], outlet: str, story_id: str | None = None, top: int = 15
) -> go.Figure:
    """An outlet's most distinctive terms (log-odds z-scores)."""
    chosen = [row for row in rows if row["outlet"] == outlet and row["story_id"] == story_id][:top]
    chosen.reverse()
    figure = go.Figure(
        go.Bar(
            x=[row["z"] for row in chosen],
            y=[_label(row["term"]) for row in chosen],
            orientation="h",
            marker={"color": ["#1f77b4" if row.get("significant") else "#9ecae1" for row in chosen]},
        )
    )
    figure.add_vline(x=1.96, line_dash="dot", annotation_text="z = 1.96", annotation_position="bottom right")
    figure.update_layout(title=f"Distinctive terms: {_label(outlet)}", height=max(280, 24 * len(chosen) + 120))
    return _style(figure)


def statement_map(analysis: dict[str, Any], vectors: np.ndarray, outlets: list[str] | None = None) -> go.Figure:
    """A 2-D projection (PCA) of statement embeddings, coloured by outlet, text on hover."""
    statements = analysis["statements"]
    if len(statements) < 3:
        return _style(go.Figure())
    from sklearn.decomposition import PCA

    points = PCA(n_components=2, random_state=0).fit_transform(vectors)
    figure = go.Figure()
    for outlet in sorted({statement["outlet"] for statement in statements}):
        if outlets and outlet not in outlets:
            continue
        rows = [row for row, statement in enumerate(statements) if statement["outlet"] == outlet]
        figure.add_scattergl(
            x=points[rows, 0],
            y=points[rows, 1],
            mode="markers",
            name=_label(outlet),
            text=[_wrap(statements[row]["text"]) for row in rows],
            hovertemplate="%{text}<extra></extra>",
        )
    figure.update_layout(title="Statements by meaning (PCA of embeddings)", height=560)
    return _style(figure)


def drift_chart(rows: list[dict[str, Any]], title: str, outlets: list[str] | None = None) -> go.Figure:
    """A measure over time (month or year), one line per outlet."""
    rows = [row for row in rows if not outlets or row["outlet"] in outlets]
    figure = go.Figure()
    for outlet in sorted({row["outlet"] for row in rows}):
        own = [row for row in rows if row["outlet"] == outlet]
        figure.add_scatter(
            x=[row["period"] for row in own],
            y=[row["value"] for row in own],
            customdata=[row["statements"] for row in own],
            mode="lines+markers",
            name=_label(outlet),
            hovertemplate="%{x}: %{y:.2f} (%{customdata} statements)<extra>" + _label(outlet) + "</extra>",
        )
    figure.update_layout(
        title=_label(title), xaxis={"type": "category", "categoryorder": "category ascending"}, height=360
    )
    return _style(figure)


def all_charts(analysis: dict[str, Any], vectors: np.ndarray | None = None) -> dict[str, go.Figure]:
    """Every chart of an analysis by file name: what the report shows and ``export`` writes."""
    outlets = sorted({article["outlet"] for article in analysis["articles"]})
    figures = {
        "timeline": timeline(analysis),
        "coverage": coverage_heatmap(analysis),
        "voices": share_bars(
            analysis["voice_share"], "side", "Who is quoted or cited (share of attributed statements)"
        ),
        "frames": share_bars(analysis["frame_share"], "frame", "Frames (share of statements)"),
        "tone_toward_actors": tone_toward_actors_chart(analysis["tone_toward_actors"]),
    }
    from compare.views import drift_rows

    figures["tone_over_time"] = drift_chart(drift_rows(analysis, "tone"), "Mean tone by month")
    for number, outlet in enumerate(outlets, start=1):
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


def _style(figure: go.Figure) -> go.Figure:
    figure.update_layout(template="plotly_white", margin={"l": 10, "r": 10, "t": 60, "b": 10}, font={"size": 13})
    return figure


def _label(text: str) -> str:
    """An escaped label: plotly renders a subset of HTML in axis labels, legends and hover text."""
    return html.escape(str(text))


def _short(text: str, length: int) -> str:
    """Shortened and HTML-escaped (see ``_label``)."""
    text = " ".join(str(text).split())
    return html.escape(text if len(text) <= length else text[: length - 1] + "…")


def _wrap(text: str, width: int = 70) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(html.escape(piece) for piece in lines[:8])
