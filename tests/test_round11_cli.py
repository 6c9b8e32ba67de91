"""Round 11: the CLI on a saved run regrouped by an addition, story ids given in odd forms, and bad settings."""

from __future__ import annotations

import json

import pytest

from compare.cli import main
from compare.ingest import load_corpus
from compare.model.documents import story_id_of_article
from tests.conftest import EVENTS

ROWS = {
    json.loads(line)["id"]: line for line in (EVENTS / "italy_quakes.jsonl").read_text(encoding="utf-8").splitlines()
}


@pytest.fixture(scope="module")
def regrouped(tmp_path_factory):
    """A saved run of Reuters' Visso report, to which The Guardian's report of the same quakes was added: the
    story is now named after the Guardian's (the smaller id on the same day), so the first id is gone."""
    folder = tmp_path_factory.mktemp("regrouped")
    corpus, out = folder / "corpus", folder / "out"
    corpus.mkdir()
    (corpus / "wire.jsonl").write_text(ROWS["visso-wire"] + "\n", encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    (corpus / "paper.jsonl").write_text(ROWS["visso-paper"] + "\n", encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    return out


def test_show_names_the_story_a_regrouped_id_went_to(regrouped, capsys):
    """Before: "no story 'story-…'; find one with --search TEXT", though the id was the one the first run listed."""
    old, now = story_id_of_article("visso-wire"), story_id_of_article("visso-paper")
    assert main(["show", str(regrouped), "--story", old]) == 2
    error = capsys.readouterr().err
    assert f"no story '{old}' in this analysis" in error
    assert f"'Two strong earthquakes shake central Italy', is now in {now}; show it with --story {now}" in error
    assert main(["show", str(regrouped), "--story", now]) == 0
    assert "Reuters" in capsys.readouterr().out


WRITTEN = {
    "capitals": str.upper,
    "a newline": lambda story: f"  {story}\n",
    "an anchor": lambda story: f"#{story}",
    "digits only": lambda story: story.removeprefix("story-"),
    "a dashboard link": lambda story: f"http://dashboard.example:8501/?page=story&story={story}&q=Visso",
}


@pytest.mark.parametrize("form", WRITTEN)
def test_show_takes_a_story_id_as_people_paste_it(regrouped, capsys, form):
    """Before: each was "no story …": a dashboard link, the id in capitals, with a newline, or its digits only."""
    story = story_id_of_article("visso-paper")
    assert main(["show", str(regrouped), "--story", WRITTEN[form](story), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["story"] == story


def test_an_addition_to_a_run_saved_with_two_spellings_of_an_outlet_makes_them_one(tmp_path, monkeypatch, capsys):
    """Round 10 left it: a run saved before spellings were merged kept 'Daily Planet' and 'DAILY  PLANET' as two outlets
    when files were added (the stored rows are appended to, not rewritten)."""
    import compare.ingest.corpus

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    first = {**json.loads(ROWS["visso-wire"]), "outlet": "Daily Planet"}
    second = {**json.loads(ROWS["norcia-wire"]), "outlet": "DAILY  PLANET"}
    (corpus / "a.jsonl").write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    with monkeypatch.context() as patch:  # as an older version saved it: each spelling an outlet
        patch.setattr(compare.ingest.corpus, "one_spelling_per_outlet", lambda articles, earlier=(): (articles, []))
        assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    (corpus / "b.jsonl").write_text(ROWS["visso-paper"] + "\n", encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert (
        "holds one outlet under two spellings ('DAILY PLANET' and 'Daily Planet': an older version kept them apart)"
        in err
    )
    assert main(["export-json", str(out), "--to", str(tmp_path / "analysis.json")]) == 0
    saved = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert sorted({article["outlet"] for article in saved["articles"]}) == ["Daily Planet", "The Guardian"]


def test_an_unreadable_file_in_the_corpus_folder_does_not_stop_additions(tmp_path, capsys):
    """Before: one file that is not read (a PDF of notes beside the articles) left the run without an index, so
    every later run was a full one, with "keeps no index to add files to (made by the Ray engine, or of inputs
    that are not local files)"; a large corpus took hours each time. (PDFs are read since round 16: an .odt of notes
    is such a file now.)"""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "italy.jsonl").write_text(ROWS["visso-wire"] + "\n" + ROWS["visso-paper"] + "\n", encoding="utf-8")
    (corpus / "notes.odt").write_bytes(b"PK\x03\x04 notes on the quakes")
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    (corpus / "later.jsonl").write_text(ROWS["norcia-wire"] + "\n", encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "keeps no index" not in err and "analysing in full" not in err
    assert "added 1 articles to the saved run" in err
    assert "notes.odt: unsupported file type .odt" in err  # still said on every run


def test_a_report_and_an_export_written_into_the_corpus_folder_are_not_read_back(tmp_path, capsys):
    """Before: `report CORPUS --out CORPUS/` and `export CORPUS --out CORPUS/charts`, then `analyze CORPUS`, read
    4 articles as 26 from 3 outlets: the report was an article, and so was each hover text of a chart's data
    (map.data.csv has a text column)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "italy.jsonl").write_text("\n".join(ROWS.values()) + "\n", encoding="utf-8")
    assert main(["report", str(corpus), "--out", f"{corpus}/", "--quiet"]) == 0
    assert main(["export", str(corpus), "--out", str(corpus / "charts"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "4 articles from 2 outlets" in err
    assert f"{corpus / 'report.html'}: a report Parallax wrote (python -m compare report), not an article" in err
    assert f"{corpus / 'charts'}: charts and tables Parallax exported (python -m compare export), not articles" in err
    assert err.count("warning:") == 2  # one line for the export's folder, not one per chart
    (corpus / "charts" / ".parallax-export").unlink()  # as an older version's export, or its files moved
    read = load_corpus([corpus / "charts"])
    assert not read.articles
    assert {problem.message for problem in read.problems if problem.source.endswith(".csv")} == {
        "a table Parallax exported (python -m compare export), not articles; skipped"
    }


@pytest.mark.parametrize("option", ["--out", "--store", "--outlets"])
def test_an_empty_path_option_is_refused_before_any_work(tmp_path, monkeypatch, capsys, option):
    """Before: `analyze CORPUS --out ""` (a script's unset variable) wrote the analysis into the working folder;
    an empty --store or --outlets was taken as not given, without a word."""
    monkeypatch.chdir(tmp_path)
    arguments = ["analyze", str(EVENTS / "italy_quakes.jsonl"), "--out", str(tmp_path / "out"), option, ""]
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    assert stopped.value.code == 2
    assert f"argument {option}: give a path, not '' (an unset shell variable?)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("PARALLAX_BACKEND", "ONNX-INT8", "no such embedding backend; use one of torch, onnx-int8-token, onnx-int8"),
        ("PARALLAX_MODEL", " ", "give a model name or a local path, or unset it"),
        ("PARALLAX_MODEL_CACHE", "/dev/null", "not a folder; give the folder where exported models are kept"),
        ("PARALLAX_STORE", "/dev/null", "/dev/null: cannot open the store"),
        ("PARALLAX_ALLOW_PRIVATE_URLS", "maybe", "give 1 (fetch from loopback and private networks too) or 0"),
    ],
)
def test_a_bad_environment_variable_is_named_with_its_value(tmp_path, monkeypatch, capsys, variable, value, said):
    """Before: "unknown embedding backend 'ONNX-INT8'", "cannot load embedding model ' ' (OSError: Repo id must
    use alphanumeric chars ...)", "cannot export 'all-MiniLM-L6-v2' to ONNX (FileExistsError: ... '/dev/null')",
    "/dev/null: cannot open the store (disk I/O error)": none named the variable that held the value; and
    PARALLAX_ALLOW_PRIVATE_URLS=maybe was "off" without a word."""
    monkeypatch.setenv(variable, value)
    corpus = tmp_path / "italy.jsonl"
    corpus.write_text("\n".join(ROWS.values()) + "\n", encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert f"error: {variable}={value!r}: {said}" in capsys.readouterr().err


def test_a_bad_store_blob_size_setting_is_named_not_a_traceback_on_every_command(tmp_path):
    """Before: ``PARALLAX_STORE_EXTERNAL_BYTES=abc`` (read at import) made every command a ValueError traceback. The
    setting is read where the store's tables are (``show`` runs: an incomplete command line reads no store)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PARALLAX_STORE_EXTERNAL_BYTES": "abc"}
    done = subprocess.run(
        [sys.executable, "-m", "compare", "show", str(tmp_path / "none"), "--story", "x"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "PARALLAX_STORE_EXTERNAL_BYTES='abc' is not a positive whole number of bytes" in done.stderr
    assert "no saved analysis here" in done.stderr  # and show ran on
