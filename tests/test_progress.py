"""A first analysis says where it is: stage, counts and time left, from the pipeline's progress hook."""

from __future__ import annotations

from pathlib import Path

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_progress_line_names_the_stage_its_counts_and_the_time_left():
    from compare.views.progress import AnalysisProgress

    clock = _Clock()
    watched = AnalysisProgress(clock=clock)
    assert watched.line() == "Starting…"
    clock.now += 1
    watched.update("read", 300, 300)
    watched.update("segment", 0, 300)
    assert watched.seconds_left() is None  # too early to say
    clock.now += 60
    watched.update("segment", 150, 300)
    line = watched.line()
    assert line.startswith("Splitting articles into statements: 150 of 300 articles (stage 2 of 5) · about ")
    left_halfway = watched.seconds_left()
    clock.now += 60
    watched.update("segment", 300, 300)
    watched.update("embed", 4000, 8000)
    assert "Embedding statements: 4,000 of 8,000 statements (stage 3 of 5)" in watched.line()
    assert 0 < watched.seconds_left() < left_halfway  # a steady pace: less left as more is done
    clock.now += 30
    watched.update("embed", 8000, 8000)
    watched.update("cluster", 0, 1)
    watched.update("cluster", 1, 1)
    watched.update("framing", 0, 1)
    watched.update("framing", 1, 1)
    assert watched.fraction() == 1.0
    summary = watched.summary()
    assert summary[1] == "Splitting articles into statements (300 articles): 2 min"
    assert summary[2] == "Embedding statements (8,000 statements): 30 s"


def test_the_pipeline_reports_every_stage_and_gives_the_same_analysis_with_a_progress_hook(tmp_path):
    from compare.io.store import Store
    from compare.pipeline import analyze

    from .conftest import SEEDS

    store = Store(tmp_path / "store.sqlite3")
    calls: list[tuple[str, int, int]] = []
    watched = analyze([SEEDS], store=store, progress=lambda *call: calls.append(call))
    plain = analyze([SEEDS], store=store)
    assert watched.to_dict() == plain.to_dict()
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["read", "segment", "embed", "cluster", "framing"]
    segmented = [(done, total) for stage, done, total in calls if stage == "segment"]
    assert segmented[0] == (0, 5) and segmented[-1] == (5, 5) and len(segmented) == 6  # one per article
    assert [call for call in calls if call[0] == "embed"][-1][1:] == (len(plain.statements),) * 2
    assert ("cluster", 0, 1) in calls and ("framing", 1, 1) in calls


def test_the_dashboard_shows_the_finished_progress_with_each_stage(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert not app.exception
    bars = [element.proto.text for element in app.get("progress")]
    assert bars and bars[-1].startswith("Analysed 5 articles in ")
    stages = " ".join(caption.value for caption in app.caption)
    assert "Splitting articles into statements (5 articles)" in stages and "Embedding statements (" in stages
