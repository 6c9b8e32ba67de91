"""The dashboard on a saved analysis says what the live view says when no story is told by two outlets (docs12's
leftover): the seeds saved with `analyze --out` and opened with PARALLAX_ANALYSIS."""

from __future__ import annotations

from pathlib import Path

import pytest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _overview_notes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_ANALYSIS", str(folder))
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    assert not app.exception
    return " ".join(info.value for info in app.info), [button.key for button in app.button]


def test_a_saved_analysis_whose_stories_are_each_told_once_says_why_and_what_to_do(
    seeds_analysis, events_analysis, tmp_path, monkeypatch
):
    """Before: the saved seeds (five events, each told by one outlet) showed five stories and no word on why none
    can be compared; the live view's sample-corpus button cannot replace a saved analysis, so the note says how to
    add articles to it, and where the sample corpus opens."""
    from compare.pipeline import save_analysis

    save_analysis(seeds_analysis, tmp_path / "seeds")
    note, buttons = _overview_notes(tmp_path / "seeds", monkeypatch)
    assert "No story here is told by two or more outlets" in note
    assert "shared facts counted above are background" in note  # as in the live view
    assert "`python -m compare analyze FILES --out FOLDER` adds them" in note
    assert "without PARALLAX_ANALYSIS" in note
    assert "px_open_sample" not in buttons  # nothing it could open here
    save_analysis(events_analysis, tmp_path / "events")  # stories told by two outlets: nothing to explain
    note, _ = _overview_notes(tmp_path / "events", monkeypatch)
    assert "No story here is told by two or more outlets" not in note
