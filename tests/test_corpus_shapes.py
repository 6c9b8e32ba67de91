"""Round 9: corpus shapes nobody had tried, written by the test from the seeds."""

from __future__ import annotations

import json

from compare.ingest import load_corpus
from tests.conftest import SEEDS

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def test_outlet_names_differing_only_in_case_spacing_or_unicode_form_are_one_outlet(tmp_path):
    """Before: "Daily Planet", "daily planet" and "DAILY PLANET" were three outlets, so one outlet's articles
    were compared with each other as if told by others."""
    spellings = ["Daily Planet", "daily planet", "DAILY  PLANET", "Ｄaily Planet", "Metro Herald"]
    rows = [{"id": f"a{number}", "outlet": name, "text": TEXTS[number]} for number, name in enumerate(spellings)]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([tmp_path / "rows.jsonl"])
    assert [article.outlet for article in corpus.articles] == ["Daily Planet"] * 4 + ["Metro Herald"]
    merged = [problem for problem in corpus.problems if "taken as 'Daily Planet'" in problem.message]
    assert [problem.source.rsplit(":", 1)[1] for problem in merged] == ["2", "3", "4"]  # each spelling, by row
    assert "names that differ only in case, spacing or Unicode form are one outlet" in merged[0].message
