"""Round 10: adding articles to a saved run, and uploads, with inputs nobody had tried (files written by the test)."""

from __future__ import annotations

import json

from compare.cli import main
from compare.cli.run import cut_short
from compare.ingest import load_corpus
from compare.pipeline import read_saved_analysis
from tests.conftest import ROOT, SEEDS

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def _article(folder, name: str, outlet: str, text: str, published: str = "2024-04-03") -> None:
    row = {"id": name, "outlet": outlet, "published": published, "text": text}
    (folder / f"{name}.json").write_text(json.dumps(row), encoding="utf-8")


def test_an_addition_takes_an_outlet_spelt_another_way_as_the_stored_one_and_names_what_it_skipped(
    tmp_path, monkeypatch, capsys
):
    """Before: an added "DAILY planet" was a third outlet beside the stored "Daily Planet" (a full run merged
    them), and neither that nor an added copy of a stored article under another file name was printed: the
    copy was dropped with only "added 0 articles"."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder, "a0", "Daily Planet", TEXTS[0])
    _article(folder, "a1", "Metro Herald", TEXTS[1])
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    _article(folder, "a2", "DAILY  planet", TEXTS[2])
    _article(folder, "copy-of-a1", "Metro Herald", TEXTS[1])
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "added 1 articles to the saved run" in err
    assert "2 outlets" in err
    assert (
        f"warning: {folder / 'a2.json'}: outlet 'DAILY planet' taken as 'Daily Planet' (1 article): names that"
        " differ only in case, spacing or Unicode form are one outlet"
    ) in err.splitlines()
    assert f"warning: {folder / 'copy-of-a1.json'}: same text as article a1; skipped as a duplicate" in err.splitlines()
    stored = read_saved_analysis(out)[0]
    assert sorted(article["outlet"] for article in stored["articles"]) == [
        "Daily Planet",
        "Daily Planet",
        "Metro Herald",
    ]


def test_uploads_repeating_an_article_or_spelling_an_outlet_another_way_are_one_article_one_outlet():
    """Before: the dashboard appended uploads to the corpus without de-duplicating them, so a seed uploaded again
    was a second article with the same id (and the same text), and 'daily PLANET' a second outlet."""
    seed = sorted(SEEDS.glob("*.txt"))[0]

    def upload(name: str, outlet: str, text: str) -> tuple[str, bytes]:
        return name, json.dumps({"id": name.split(".")[0], "outlet": outlet, "text": text}).encode()

    uploads = [upload("first.json", "Daily Planet", TEXTS[1]), upload("second.json", "daily  PLANET", TEXTS[2])]
    corpus = load_corpus([SEEDS], uploads=[(seed.name, seed.read_bytes()), *uploads])
    ids = [article.id for article in corpus.articles]
    # The seeds, and the uploads: their texts are two seeds' run by another outlet, kept as its copies (round 13).
    assert len(ids) == len(set(ids)) == 7
    copies = {problem.source: problem.message for problem in corpus.problems if "copy" in problem.message}
    assert sorted(copies) == ["first.json", "second.json"]
    corpus = load_corpus(
        [], uploads=[(seed.name, seed.read_bytes()), (f"copy-{seed.name}", seed.read_bytes()), *uploads]
    )
    assert [(article.id, article.outlet) for article in corpus.articles] == [
        (seed.stem, "China Daily"),
        ("first", "Daily Planet"),
        ("second", "Daily Planet"),
    ]
    messages = {problem.source: problem.message for problem in corpus.problems}
    assert messages[f"copy-{seed.name}"] == f"same text as article {seed.stem}; skipped as a duplicate"
    assert messages["second.json"].startswith("outlet 'daily PLANET' taken as 'Daily Planet' (1 article)")


def test_the_dashboard_says_a_table_of_the_saved_analysis_cannot_be_read_without_a_traceback(
    seeds_analysis, tmp_path, monkeypatch, caplog
):
    """Before: a store whose tables the pages read are not all there (here its claims: damaged, or written by
    another version) opened, and then the Overview stopped with an exception instead of the message a damaged
    store gets."""
    import duckdb
    from streamlit.testing.v1 import AppTest

    from compare.pipeline import save_analysis

    saved = tmp_path / "saved"
    saved.mkdir()
    save_analysis(seeds_analysis, saved)
    with duckdb.connect(str(saved / "analysis.duckdb")) as connection:
        connection.execute("DROP TABLE claims")
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved))
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "unused.sqlite3"))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    app.run()
    assert not app.exception
    shown = app.error[0].value
    assert "saved analysis" in shown and "cannot be read" in shown and "server log" in shown
    assert str(saved) not in shown
    assert f"{saved / 'analysis.duckdb'}: cannot read the saved analysis" in caplog.text
    app.radio(key="px_page").set_value("Outlets").run()  # the pages that read other tables still work
    assert not app.exception and not app.error


def test_an_addition_to_a_store_whose_blob_files_are_gone_names_the_missing_file(tmp_path, monkeypatch, capsys):
    """Before: a store copied without its analysis.files folder (or with a file of it deleted) gave "the analysis
    changed 5 times while it was read; try again", which no retry mends."""
    import shutil

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder, "a0", "Daily Planet", TEXTS[0])
    _article(folder, "a1", "Metro Herald", TEXTS[1])
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    shutil.rmtree(out / "analysis.files")
    _article(folder, "a2", "Metro Herald", TEXTS[2])
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"note: {out / 'analysis.duckdb'}: its file {out / 'analysis.files'}/" in err
    assert (
        "is missing (the folder analysis.files must stay beside the store); kept as analysis.duckdb.unreadable-" in err
    )
    assert "times while it was read" not in err
    assert len(read_saved_analysis(out)[0]["articles"]) == 3
    assert len(list(out.glob("analysis.duckdb.unreadable-*"))) == 1  # round 14: kept, not replaced by the full run


def test_a_saved_run_another_version_made_is_analysed_in_full_with_a_note(tmp_path, monkeypatch, capsys):
    """Before: a store whose index an older version wrote (another index version), or a Ray run's store (no
    index), was analysed again in full without a word; for a large run that is hours instead of seconds."""
    import duckdb

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder, "a0", "Daily Planet", TEXTS[0])
    _article(folder, "a1", "Metro Herald", TEXTS[1])
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert "note:" not in capsys.readouterr().err  # no saved run before: nothing to say
    with duckdb.connect(str(out / "analysis.duckdb")) as connection:
        manifest = json.loads(bytes(connection.execute("SELECT data FROM blobs WHERE key = 'manifest'").fetchone()[0]))
        connection.execute(
            "UPDATE blobs SET data = ? WHERE key = 'manifest'", [json.dumps({**manifest, "version": 1}).encode()]
        )
    _article(folder, "a2", "Metro Herald", TEXTS[2])
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert (
        f"note: the saved run in {out} was made by another version of Parallax (its index is version 1, this"
        " version adds to version "
    ) in err
    assert "analysing in full" in err and "added" not in err
    with duckdb.connect(str(out / "analysis.duckdb")) as connection:  # as the Ray engine saves a run: no index
        connection.execute("UPDATE blobs SET data = 'null' WHERE key = 'manifest'")
    _article(folder, "a3", "Metro Herald", TEXTS[3])
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert f"note: the saved run in {out} keeps no index to add files to" in capsys.readouterr().err


def test_a_corpus_of_articles_repeating_each_other_says_why_it_has_no_claims(tmp_path, monkeypatch, capsys):
    """Before: nine reports of one landslide by three outlets, each with its own toll and otherwise the same
    sentences, gave "0 cross-outlet claims" and nothing more: every sentence an outlet prints in three of its
    articles is its furniture, and none forms a claim (by design; now said)."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    rows = []
    for number in range(9):
        text = (
            f"The count of people confirmed dead after Tuesday's landslide in the mountain province reached"
            f" {100 + 7 * number}, officials said on Wednesday. Rescue teams worked through the night, the regional"
            " governor told reporters. Heavy rain had loosened the slopes above the village for more than a week"
            " before the collapse. Army helicopters carried food and blankets to families cut off by the road."
        )
        outlet = ["Reuters", "The Guardian", "Fox News"][number % 3]
        rows.append({"id": f"n{number}", "outlet": outlet, "published": "2024-05-14", "text": text})
    corpus = tmp_path / "near.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "0 cross-outlet claims" in err
    assert "note: 36 of 36 statements form no claims as boilerplate: a sentence an outlet prints in 3 or more" in err
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "seeds"), "--quiet"]) == 0
    assert "boilerplate" not in capsys.readouterr().err  # the seeds: no such note


def test_the_dashboard_shows_an_analysis_saved_without_framing_or_vectors(seeds_analysis, tmp_path, monkeypatch):
    """Before: `analyze --no-framing --out DIR` shown by the dashboard said its store "cannot be read (missing,
    damaged ...)" on the Overview (the claims heatmap's query stood in for the missing coverage table without
    its status column) and stopped the Outlets page with a KeyError; the report button would have too. A Ray
    run's store copied without its shards/ (where its vectors are) stopped the Map page with a ValueError."""
    from dataclasses import replace

    from streamlit.testing.v1 import AppTest

    from compare.pipeline import save_analysis

    saved = tmp_path / "saved"
    saved.mkdir()
    save_analysis(replace(seeds_analysis, framing=None, index=None), saved, with_vectors=False)  # as a Ray run
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(saved))
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "unused.sqlite3"))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    app.run()
    assert not app.exception and not app.error
    assert app.metric[0].value == str(len(seeds_analysis.articles))
    assert not [button for button in app.sidebar.button if button.key == "px_report"]
    assert any(caption.value.startswith("No HTML report: this analysis was saved without") for caption in app.caption)
    app.radio(key="px_page").set_value("Outlets").run()
    assert not app.exception and not app.error
    assert "without its framing figures" in app.info[0].value
    app.radio(key="px_page").set_value("Map").run()
    assert not app.exception and not app.error
    assert "statement vectors of this saved analysis are not with it" in app.info[0].value


def test_a_store_damaged_past_its_header_is_kept_aside_when_files_are_added(tmp_path, monkeypatch, capsys):
    """Before: a store that opens but whose rows are damaged (bytes overwritten in its middle) was replaced by the
    full run ("cannot be read; analysing in full"); round 7 kept only stores that do not open at all."""
    from compare.io.tables import open_for_reading

    out, folder = _two_article_run(tmp_path, monkeypatch)
    store = out / "analysis.duckdb"
    with store.open("r+b") as handle:
        handle.seek(store.stat().st_size // 2)
        handle.write(b"\xff" * 300_000)
    open_for_reading(out).connection.close()  # it still opens: only reading its rows fails
    damaged = store.read_bytes()
    _article(folder, "a2", "Metro Herald", TEXTS[2])
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"note: {store}: cannot read the saved analysis (" in err
    assert "; kept as analysis.duckdb.unreadable-" in err and "and the analysis is made in full" in err
    (kept,) = out.glob("analysis.duckdb.unreadable-*")
    assert kept.read_bytes() == damaged
    assert len(read_saved_analysis(out)[0]["articles"]) == 3


def test_a_store_whose_texts_prove_damaged_where_an_addition_reads_them_is_kept_aside(tmp_path, monkeypatch, capsys):
    """An addition reads the stored statements' and articles' texts only for the rows it makes, after the saved run
    is read: a block that cannot be read then is a damaged store, kept aside as one whose first read failed, and
    the analysis is made in full (not a DuckDB traceback halfway through the addition)."""
    import duckdb

    from compare.io.tables import AnalysisStore

    out, folder = _two_article_run(tmp_path, monkeypatch)
    read_rows = AnalysisStore._arrow_table

    def damaged_texts(self, *arguments, **keywords):
        if self.read_only and "text" in (keywords.get("fields") or ()):  # the texts read after the first read
            raise duckdb.IOException("Corrupt database file: block checksum mismatch in block 12")
        return read_rows(self, *arguments, **keywords)

    monkeypatch.setattr(AnalysisStore, "_arrow_table", damaged_texts)
    _article(folder, "a2", "Metro Herald", TEXTS[2])
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"note: {out / 'analysis.duckdb'}: cannot read the saved analysis (" in err and "block checksum" in err
    assert "; kept as analysis.duckdb.unreadable-" in err and "and the analysis is made in full" in err
    assert "added 1 articles" not in err and len(list(out.glob("analysis.duckdb.unreadable-*"))) == 1
    monkeypatch.setattr(AnalysisStore, "_arrow_table", read_rows)
    assert len(read_saved_analysis(out)[0]["articles"]) == 3


def test_a_store_cut_short_past_its_header_is_kept_aside_by_a_full_run(tmp_path, monkeypatch, capsys):
    """Before: a store cut to half its size still opens, so `analyze --full` (or other settings) replaced it
    without a word; now its size is checked against the blocks its header names."""
    out, folder = _two_article_run(tmp_path, monkeypatch)
    store = out / "analysis.duckdb"
    size = store.stat().st_size
    with store.open("r+b") as handle:
        handle.truncate(size // 2)
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet", "--full"]) == 0
    err = capsys.readouterr().err
    assert f"note: {store}: the file is cut short ({size // 2:,} bytes of the " in err
    assert "; kept as analysis.duckdb.unreadable-" in err
    (kept,) = out.glob("analysis.duckdb.unreadable-*")
    assert kept.stat().st_size == size // 2
    assert main(["analyze", str(folder), "--out", str(out), "--quiet", "--full"]) == 0
    assert "cut short" not in capsys.readouterr().err  # a whole store is not taken for a cut one


def _two_article_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder, "a0", "Daily Planet", TEXTS[0])
    _article(folder, "a1", "Metro Herald", TEXTS[1])
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    return out, folder


class _Sized:
    """A connection that answers ``PRAGMA database_size`` with the given row (DuckDB's: name, size, block
    size, total blocks, used blocks, free blocks, ...)."""

    def __init__(self, row):
        self.row = row

    def execute(self, _query):
        return self

    def fetchone(self):
        return self.row


def test_a_whole_store_whose_free_last_block_duckdb_left_out_is_not_taken_for_a_cut_one(tmp_path):
    """Found at 10,200 articles: a whole store 212,611,072 bytes long, its header naming 812 blocks of 256 KiB
    (748 in use, 64 free; the last, free one left out of the file) was set aside as "cut short" and the
    analysis made again in full. The blocks in use decide; a file cut below them is still caught."""
    block = 262_144
    path = tmp_path / "analysis.duckdb"
    with path.open("wb") as handle:
        handle.truncate(12_288 + 811 * block)
    assert cut_short(_Sized(("analysis", "203.0 MiB", block, 812, 748, 64)), path) == ""
    with path.open("r+b") as handle:
        handle.truncate(700 * block)
    assert "cut short" in cut_short(_Sized(("analysis", "203.0 MiB", block, 812, 748, 64)), path)


def test_an_addition_finds_the_saved_files_given_by_another_path_to_them(tmp_path, monkeypatch, capsys):
    """Before: a run saved from ``in`` (relative) and given ``/…/in`` (or ``./in/``) the next time said each stored
    file "changed or is gone since the saved run" and analysed every article again."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder, "a0", "Daily Planet", TEXTS[0])
    _article(folder, "a1", "Metro Herald", TEXTS[1])
    assert main(["analyze", "in", "--out", "out", "--quiet"]) == 0
    _article(folder, "a2", "Daily Planet", TEXTS[2])
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", "out", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "changed or is gone" not in err
    assert "added 1 articles to the saved run" in err
    _article(folder, "a3", "Metro Herald", TEXTS[3])
    assert main(["analyze", "./in/", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "changed or is gone" not in err and "added 1 articles to the saved run" in err
    assert len(read_saved_analysis(tmp_path / "out")[0]["articles"]) == 4
