"""A chart on a dashboard page with its CSV, PNG and SVG downloads (``charts.export_figure``, the one export path);
streamlit here. Every page's charts go through ``chart``: the Overview's, the Outlets page's and the story page's."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from compare.views import charts
from compare.views.html import escape_markdown
from compare.views.spreadsheet import csv_bytes

KEY = "px_"
# A count in a grid as the pages write it ("10,200"): Streamlit's default printed "10200", and its "localized" format
# follows the browser's locale ("10.200" in a German one), where the pages' text and the report say "10,200".
COUNT_FORMAT = "%,d"


def counted_columns(frame: pd.DataFrame, **columns: Any) -> dict[str, Any]:
    """A grid's ``column_config``: ``columns`` as given, and every other whole-number column of ``frame`` with its
    thousands separated (``COUNT_FORMAT``)."""
    counts = {
        name: st.column_config.NumberColumn(format=COUNT_FORMAT)
        for name in frame.columns
        if pd.api.types.is_integer_dtype(frame[name]) and name not in columns
    }
    return counts | columns


def chart(
    figure: Any,
    name: str,
    data: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    caption: str = "",
    on_click: Callable[[str], None] | None = None,
    note: str = "",
) -> None:
    """A chart with PNG/SVG/CSV downloads; images are rendered on request and then kept for the session.

    Args:
        figure: the plotly figure.
        name: the file name of its downloads, unique on the page.
        data: the rows behind it for the CSV, or a function making them when the CSV is asked for (default:
            the figure's own points, ``charts.figure_rows``).
        caption: the source line every exported image carries (``charts.export_caption``).
        on_click: called with the chart's widget key when a point is clicked (its selection is in the session).
        note: what the chart shows and cannot see (``charts.chart_note``), under it.
    """
    key = KEY + "chart_" + name
    config = charts.style.plot_config(name)
    if on_click is None:
        st.plotly_chart(figure, width="stretch", key=key, config=config)
    else:
        st.plotly_chart(
            figure, width="stretch", key=key, config=config, on_select=partial(on_click, key), selection_mode="points"
        )
    if note:
        st.caption(escape_markdown(note))
    # One row of buttons as wide as their labels: fixed columns cut them to "C…" and "P…" in a half-width column.
    buttons = st.container(horizontal=True, gap="small")

    def table() -> bytes:  # made on the click, in its own thread: the map's CSV has a row per statement
        rows = data() if callable(data) else data if data is not None else pd.DataFrame(charts.figure_rows(figure))
        return csv_bytes(rows)

    # Each button names its chart: "CSV" alone was one of several alike on a page for a screen reader (Streamlit's
    # ``help`` is a hover tooltip only, not part of the button's accessible name), and the label is markdown.
    subject = escape_markdown(charts.style.title_text(figure))
    # on_click="ignore": a download must not rerun the script, which would redraw the page without the other button.
    buttons.download_button(
        f"CSV of “{subject}”",
        table,
        f"{name}.csv",
        "text/csv",
        key=KEY + "csv_" + name,
        on_click="ignore",
        width="content",
    )
    wanted = KEY + "img_on_" + name
    if buttons.button(
        f"PNG / SVG of “{subject}”", key=KEY + "img_" + name, help="Render the chart as images", width="content"
    ):
        st.session_state[wanted] = True  # kept, so both downloads stay through later reruns
    if not st.session_state.get(wanted):
        return
    for fmt in ("png", "svg"):
        content, produced = _rendered(figure.to_json(), fmt, caption)
        if produced != fmt:
            st.warning("No browser for image export here; downloading interactive HTML instead.")
        buttons.download_button(
            f"Download {produced.upper()} of “{subject}”",
            content,
            f"{name}.{produced}",
            key=KEY + f"dl_{fmt}_{name}",
            on_click="ignore",
            width="content",
        )


@st.cache_data(show_spinner="Rendering the image…", max_entries=32)
def _rendered(figure_json: str, fmt: str, caption: str) -> tuple[bytes, str]:
    """One export of a figure (by its JSON), so reruns reuse it instead of starting the browser again."""
    import plotly.io

    return charts.export_figure(plotly.io.from_json(figure_json), fmt, caption=caption)
