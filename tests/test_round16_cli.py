"""Round 16: a 17th-century archive analysed, saved, exported and shown (files written by the test)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEEDS

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
_DATES = ["1665-11-16", "1665-11-20", "1666-01-26"]  # before pandas' nanosecond range (1677) too


def _archive(folder: Path) -> None:
    rows = []
    for page, day, outlet in zip(sorted(SEEDS.glob("*.txt"))[1:], _DATES, ["Oxford Gazette", "Gazette", "Mercurius"]):
        lines = page.read_text(encoding="utf-8").split("\n")
        text = "\n\n".join(line for line in lines[4:] if line.strip())
        rows.append({"outlet": outlet, "title": lines[2], "date": day, "text": text})
    (folder / "gazettes.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")


def test_an_archive_of_1665_is_dated_in_the_store_the_export_the_timeline_and_the_dashboard(tmp_path, monkeypatch):
    """Before: "date '1665-11-16' is out of range (years 1900-2027)" for every article, so the store, the export and
    the timeline had no date. Dates before 1900 (and before 1677, where pandas' nanoseconds end) are kept as ISO
    text in DuckDB, drawn by plotly, and every dashboard page draws."""
    from streamlit.testing.v1 import AppTest

    from compare.cli import main
    from compare.views.charts.coverage import timeline

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    _archive(corpus)
    assert main(["analyze", str(corpus), "--out", str(out), "--no-store"]) == 0
    assert main(["export-json", str(out), "--to", str(tmp_path / "analysis.json")]) == 0
    analysis = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert sorted(article["published"] for article in analysis["articles"]) == sorted(_DATES)
    figure = timeline(analysis)
    assert sorted(str(x) for trace in figure.data for x in trace.x) == sorted(_DATES)
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(out))
    app = AppTest.from_file(DASHBOARD, default_timeout=180)
    app.run()
    assert not app.exception
    for page in ("Compare a story", "Outlets", "Map"):
        app.sidebar.radio(key="px_page").set_value(page).run()
        assert not app.exception, page
