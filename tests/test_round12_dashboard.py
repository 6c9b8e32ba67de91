"""Round 12: the dashboard's Outlets page on an analysis of many outlets (a corpus of one article per outlet)."""

from __future__ import annotations

import json
from pathlib import Path

from compare.cli import main
from compare.views.pages import MAX_TERM_CHARTS
from tests.conftest import EVENTS, SEEDS

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_the_outlets_page_of_many_outlets_draws_the_terms_of_a_few(tmp_path, monkeypatch):
    """Before: a chart of distinctive terms for every outlet when none was chosen: 1,651 outlets (one article each,
    cut from BASIL) took 96 s and a page of 1,651 charts (8.5 s now); here 17 outlets."""
    from streamlit.testing.v1 import AppTest

    events = ("quakes", "italy_quakes", "jobless_claims")  # not italy_quakes_undated: the same texts
    rows = [json.loads(line) for name in events for line in (EVENTS / f"{name}.jsonl").read_text().splitlines()]
    rows += [{"text": path.read_text(encoding="utf-8")} for path in sorted(SEEDS.glob("*.txt"))]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({**row, "id": f"r{n}", "outlet": f"Outlet {n:02d}"}) + "\n" for n, row in enumerate(rows)),
        encoding="utf-8",
    )
    assert len(rows) > MAX_TERM_CHARTS
    out = tmp_path / "out"
    assert main(["analyze", str(corpus), "--out", str(out), "--no-store", "--quiet"]) == 0
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(out))
    app = AppTest.from_file(DASHBOARD, default_timeout=300)
    app.query_params["page"] = "Outlets"
    app.run()
    assert not app.exception
    said = " ".join(caption.value for caption in app.caption)
    # none chosen: every chart of the page draws the busiest outlets (tour15), the terms charts among them
    assert f"{len(rows)} outlets are too many for one chart" in said
    assert f"the charts of outlets show the {MAX_TERM_CHARTS} with the most articles" in said
    assert len([element for element in app.get("plotly_chart") if "Distinctive terms" in element.proto.spec]) == 12
    app.multiselect(key="px_outlets").set_value(["Outlet 03", "Outlet 15"]).run()
    assert not app.exception
    assert not any(caption.startswith("The first ") for caption in (caption.value for caption in app.caption))
