"""An ``--out`` folder that holds something else: a user's files under names an older version wrote, a damaged
or foreign store, a store another program writes. Nothing there is overwritten or removed unasked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from compare.cli import main
from compare.pipeline import load_analysis
from tests.conftest import ROOT, SEEDS


@pytest.fixture()
def two_seeds(tmp_path):
    """An input folder of two seed articles (one outlet, with their sidecar) and a private embedding cache."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    pages = sorted(SEEDS.glob("*.txt"))[:2]
    for path in pages:
        shutil.copy(path, inputs)
    lines = (SEEDS / "sources.csv").read_text(encoding="utf-8").splitlines()  # the rows of these two (round 14 names
    rows = [line for line in lines[1:] if line.split(",")[0] in {path.name for path in pages}]  # a row for no file)
    (inputs / "sources.csv").write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    return inputs, str(tmp_path / "store.sqlite3")


def _analyze(inputs, out, store) -> int:
    return main(["analyze", str(inputs), "--out", str(out), "--store", store, "--quiet"])


def test_a_users_files_named_like_an_older_versions_are_kept(two_seeds, tmp_path):
    """analysis.json, vectors.npy and index/ of an older version are removed when written; a user's own
    files of those names in the folder (a report, notes, an array) were deleted with them."""
    inputs, store = two_seeds
    out = tmp_path / "project"
    (out / "index").mkdir(parents=True)
    (out / "index" / "notes.md").write_text("my notes", encoding="utf-8")
    (out / "analysis.json").write_text('{"my": "own report"}', encoding="utf-8")
    np.save(out / "vectors.npy", np.ones((3, 3)))
    assert _analyze(inputs, out, store) == 0
    assert (out / "index" / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert (out / "analysis.json").read_text(encoding="utf-8") == '{"my": "own report"}'
    assert np.load(out / "vectors.npy").shape == (3, 3)
    assert len(load_analysis(out).articles) == 2


def test_an_unreadable_store_is_set_aside_not_overwritten(two_seeds, tmp_path, capsys):
    """A cut-short store, or a DuckDB file that is not Parallax's, was replaced without a word."""
    inputs, store = two_seeds
    out = tmp_path / "out"
    assert _analyze(inputs, out, store) == 0
    damaged = (out / "analysis.duckdb").read_bytes()[:100_000]
    (out / "analysis.duckdb").write_bytes(damaged)
    capsys.readouterr()
    assert _analyze(inputs, out, store) == 0
    err = capsys.readouterr().err
    assert "analysis.duckdb: cannot read the saved analysis" in err and "kept as analysis.duckdb.unreadable-" in err
    kept = list(out.glob("analysis.duckdb.unreadable-*"))
    assert [path.read_bytes() for path in kept] == [damaged]
    assert list(out.glob("analysis.files.unreadable-*"))  # with the blob files it may name
    assert len(load_analysis(out).articles) == 2


def test_a_store_another_program_writes_stops_analyze(two_seeds, tmp_path, capsys):
    """A store held open for writing (a DuckDB shell, a script) would be replaced under that program."""
    inputs, store = two_seeds
    out = tmp_path / "out"
    assert _analyze(inputs, out, store) == 0
    before = (out / "analysis.duckdb").read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(out / 'analysis.duckdb')!r}); "
         "print('open', flush=True); sys.stdin.read()"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        capsys.readouterr()
        assert _analyze(inputs, out, store) == 2
        err = capsys.readouterr().err
        assert "analysis.duckdb is open in another program that writes to it" in err
        assert f"PID {holder.pid}" in err
    finally:
        holder.communicate("", timeout=60)
    assert (out / "analysis.duckdb").read_bytes() == before
    assert not list(out.glob("*.unreadable-*"))


def test_an_analysis_written_inside_the_corpus_is_not_read_back_as_input(two_seeds, capsys):
    """``--out`` inside the input folder: the next run warned about analysis.duckdb and its blob files, read
    analysis.json's articles as inputs (then dropped as duplicates), and could never add to the saved run."""
    inputs, store = two_seeds
    out = inputs / "out"
    assert main(["analyze", str(inputs), "--out", str(out), "--store", store, "--quiet", "--json"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(inputs), "--out", str(out), "--store", store, "--quiet", "--json"]) == 0
    err = capsys.readouterr().err
    assert "warning:" not in err and "added 0 articles to the saved run" in err
    assert len(load_analysis(out).articles) == 2


def test_show_searches_for_percent_and_underscore_as_text(two_seeds, tmp_path, capsys):
    """``show --search`` passed the text to ILIKE as a pattern: '%' listed every story, '_' any title; a
    negative --limit was a DuckDB error reported as an unreadable store."""
    inputs, store = two_seeds
    out = tmp_path / "out"
    assert _analyze(inputs, out, store) == 0
    for text in ("%", "_", "%Putin%"):
        capsys.readouterr()
        assert main(["show", str(out), "--search", text, "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == []
    assert main(["show", str(out), "--search", "Putin", "--json"]) == 0
    assert [story["title"] for story in json.loads(capsys.readouterr().out)] == [
        "Putin, Macron discuss Ukraine conflict in phone call"
    ]
    with pytest.raises(SystemExit):
        main(["show", str(out), "--search", "Putin", "--limit", "-1"])
    assert "give a whole number of 1 or more, not '-1'" in capsys.readouterr().err


def test_a_file_name_with_a_newline_or_a_bidi_override_stays_one_warning_line(tmp_path, capsys):
    """A newline in a file name split the warning in two lines (the second looked like another message),
    and U+202E reversed what the terminal showed after it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:1]:
        shutil.copy(path, folder / "good.txt")
    (folder / "bad\nwarning: all fine.txt").write_bytes(b"")
    (folder / "report\u202etxt.exe.txt").write_bytes(b"")
    assert main(["analyze", str(folder), "--out", str(tmp_path / "out"), "--no-store", "--quiet"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert f"warning: {folder}/bad\\nwarning: all fine.txt: file is empty" in warnings
    assert f"warning: {folder}/report\\u202etxt.exe.txt: file is empty" in warnings
    assert not [line for line in warnings if "\u202e" in line or line == "warning: all fine.txt: file is empty"]
