"""Round 14: saved runs damaged in ways no round had tried, given to `analyze --out`, `show`, `export-json` and the
dashboard (files written by the test)."""

from __future__ import annotations

import json

import duckdb
import pytest

from compare.cli import main
from compare.pipeline import read_saved_analysis
from tests.conftest import ROOT, SEEDS

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def _article(folder, name: str, outlet: str, text: str) -> None:
    row = {"id": name, "outlet": outlet, "published": "2024-04-03", "text": text}
    (folder / f"{name}.json").write_text(json.dumps(row), encoding="utf-8")


@pytest.fixture
def saved_run(tmp_path, monkeypatch):
    """A run of two articles saved in tmp_path/out, of the corpus tmp_path/in."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder, "a0", "Daily Planet", TEXTS[0])
    _article(folder, "a1", "Metro Herald", TEXTS[1])
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    return folder, out


@pytest.mark.parametrize("entry", ["version", "manifest", "analysis"])
def test_a_store_whose_json_entry_is_damaged_is_named_and_kept_aside_by_an_addition(saved_run, entry, capsys):
    """Before: a store whose JSON entries (its version, the manifest of its inputs, the analysis's settings) were
    damaged gave an orjson traceback from `show`, `export-json` and `analyze --out` alike (and for the settings,
    `analyze` replaced the store with a full run, after a note that did not name the file)."""
    folder, out = saved_run
    store = out / "analysis.duckdb"
    with duckdb.connect(str(store)) as connection:
        connection.execute("UPDATE blobs SET data = '{\"cut sho' WHERE key = ?", [entry])
    damaged = store.read_bytes()
    said = f"error: {store}: cannot read the saved analysis (its entry '{entry}' is not valid JSON: "
    capsys.readouterr()
    assert main(["export-json", str(out), "--to", str(out / "a.json")]) == 2
    assert capsys.readouterr().err.startswith(said)
    if entry == "version":  # `show` reads the version and the tables only
        assert main(["show", str(out), "--search", "Russia"]) == 2
        assert capsys.readouterr().err.startswith(said)
    _article(folder, "a2", "Metro Herald", TEXTS[2])
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"note: {store}: cannot read the saved analysis (its entry '{entry}' is not valid JSON: " in err
    assert "Traceback" not in err and "analysis is made in full" in err
    (aside,) = out.glob("analysis.duckdb.unreadable-*")
    assert aside.read_bytes() == damaged  # the damaged run kept, byte for byte
    assert len(read_saved_analysis(out)[0]["articles"]) == 3


def test_the_dashboard_on_a_store_whose_version_entry_is_damaged_says_so_without_a_traceback(
    saved_run, monkeypatch, caplog
):
    from streamlit.testing.v1 import AppTest

    _, out = saved_run
    with duckdb.connect(str(out / "analysis.duckdb")) as connection:
        connection.execute("UPDATE blobs SET data = '{' WHERE key = 'version'")
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(out))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    app.run()
    assert not app.exception
    shown = " ".join(error.value for error in app.error)
    assert "saved analysis" in shown and "cannot be read" in shown and str(out) not in shown
    assert f"{out / 'analysis.duckdb'}: cannot read the saved analysis (its entry 'version'" in caplog.text


def test_a_store_a_newer_version_gave_another_column_is_kept_aside_not_failed_into(saved_run, capsys):
    """Before: adding files to a store whose statements table has a column this version does not write (a newer
    version's) ran the whole addition, then stopped with "error: cannot write OUT/analysis.duckdb: Binder Error:
    table "statements" has 12 columns but 11 values were supplied": misleading (nothing was wrong with writing),
    and no addition could ever succeed. A table it does not know at all is kept through an addition, as before."""
    folder, out = saved_run
    store = out / "analysis.duckdb"
    with duckdb.connect(str(store)) as connection:
        connection.execute("CREATE TABLE future_signal (x INTEGER)")
        connection.execute("INSERT INTO future_signal VALUES (7)")
    _article(folder, "a2", "Metro Herald", TEXTS[2])
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert "added 1 articles to the saved run" in capsys.readouterr().err
    with duckdb.connect(str(store)) as connection:
        assert connection.execute("SELECT x FROM future_signal").fetchall() == [(7,)]
        connection.execute("ALTER TABLE statements ADD COLUMN sentiment2 DOUBLE")
    newer = store.read_bytes()
    _article(folder, "a3", "Daily Planet", TEXTS[3])
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert (
        f"note: {store}: its table statements has columns this version of Parallax does not write (sentiment2):"
        " another version made it; kept as analysis.duckdb.unreadable-"
    ) in err
    assert "Binder Error" not in err
    (aside,) = out.glob("analysis.duckdb.unreadable-*")
    assert aside.read_bytes() == newer
    assert len(read_saved_analysis(out)[0]["articles"]) == 4


def test_a_store_of_another_store_version_says_which_and_what_to_do(saved_run, capsys):
    """Before: "not an analysis store written by this Parallax (version 1)", as for another program's database:
    neither that a newer Parallax made it nor what to do."""
    _, out = saved_run
    with duckdb.connect(str(out / "analysis.duckdb")) as connection:
        connection.execute("UPDATE blobs SET data = '2' WHERE key = 'version'")
    capsys.readouterr()
    assert main(["show", str(out), "--search", "Russia"]) == 2
    assert capsys.readouterr().err == (
        f"error: {out / 'analysis.duckdb'}: made by another version of Parallax (store version 2; this one reads"
        " version 1): open it with that version, or analyse into another --out\n"
    )
