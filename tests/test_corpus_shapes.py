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


def _seed_folder(tmp_path, sidecar: str):
    folder = tmp_path / "pages"
    folder.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "sources.csv").write_text(sidecar, encoding="utf-8")
    corpus = load_corpus([folder])
    return {article.id: article for article in corpus.articles}, [problem.message for problem in corpus.problems]


def test_a_sidecar_written_with_semicolons_is_read_and_said(tmp_path):
    """Before: read as a table of articles, "CSV has no text column", and its outlets and dates not used."""
    sidecar = (SEEDS / "sources.csv").read_text(encoding="utf-8").replace(",", ";")
    articles, messages = _seed_folder(tmp_path, sidecar)
    assert articles["000_f8d353c7e59a115a"].outlet == "China Daily"
    assert articles["000_f8d353c7e59a115a"].published == "2024-04-03"
    assert "columns are separated by semicolons, not commas; read that way" in messages
    assert not any("no text column" in message for message in messages)


def test_a_sidecar_without_a_header_or_naming_a_file_twice_is_said(tmp_path):
    """Before: a header-less sidecar was "CSV has no text column (...)", and a file's second row won without a word."""
    lines = (SEEDS / "sources.csv").read_text(encoding="utf-8").splitlines()
    _, messages = _seed_folder(tmp_path, "\n".join(lines[1:]) + "\n")
    assert any(message.startswith("a sidecar needs a header line naming its columns: file,") for message in messages)
    assert not any("no text column" in message for message in messages)
    again = lines[1].replace("China Daily", "Other Outlet")
    articles, messages = _seed_folder(tmp_path / "again", "\n".join([*lines, again]) + "\n")
    assert articles["000_f8d353c7e59a115a"].outlet == "Other Outlet"
    assert (
        f"line {len(lines) + 1} names '000_f8d353c7e59a115a.txt' again (first on line 2, and they differ: outlet 'China Daily', then 'Other Outlet'); the later row is used"
        in messages
    )
