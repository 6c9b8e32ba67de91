"""Round 15: the CLI on a corpus folder holding a file whose name is not UTF-8 (files written by the test)."""

from __future__ import annotations

import os

from tests.conftest import SEEDS


def test_analyze_with_a_latin1_file_name_in_the_folder_names_it_and_saves_the_rest(tmp_path, capsys):
    """Before: a page named in Latin-1 (caf\\xe9.txt, from an old archive or a zip made on Windows) was read, and
    after the whole analysis: "error: cannot write OUT/analysis.duckdb: Invalid Input Error: Python Conversion
    Failure: cannot encode str as UTF-8, surrogate '\\udce9' …", exit 2, nothing saved."""
    from compare.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    with open(os.fsencode(corpus) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(seeds[1].read_bytes())
    for seed in seeds[2:4]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    code = main(["analyze", str(corpus), "--out", str(tmp_path / "out"), "--no-store"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"warning: {corpus}/caf\\xe9.txt: its name is not valid UTF-8" in captured.err
    assert (tmp_path / "out" / "analysis.duckdb").is_file()
    assert "2 articles from 2 outlets" in captured.out + captured.err


def test_an_out_folder_named_in_another_encoding_is_refused_before_any_work(tmp_path, capsys):
    """Before: `analyze C --out caf\\xe9` (a name in Latin-1) ran the whole analysis, then ended in a traceback
    from DuckDB ("RuntimeError: std::bad_cast") where its store was opened."""
    import pytest

    from compare.cli import main

    out = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9")
    with pytest.raises(SystemExit) as stopped:
        main(["analyze", str(sorted(SEEDS.glob("*.txt"))[1]), "--out", out, "--no-store"])
    assert stopped.value.code == 2
    assert f"argument --out: the path '{tmp_path}/caf\\xe9' is not valid UTF-8" in capsys.readouterr().err
    assert not os.path.exists(out)
