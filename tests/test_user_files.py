"""Round 9: the files and settings users edit (outlet registry, word swaps, options, environment), each bad
in a way nobody had tried; every file is written by the test."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from compare.cli import main
from compare.framing import cues
from compare.ingest import load_registry
from compare.ingest.outlets import registry_notes
from compare.model.errors import InputError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ------------------------------------------------------------------------------------------- outlet registry


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("name;aliases;domains\nDaily Planet;Planet;dailyplanet.com\n", "separated by semicolons, not commas"),
        ("name\taliases\nDaily Planet\tPlanet\n", "separated by tabs"),
        ("Daily Planet,Planet,dailyplanet.com\nMetro Herald,Herald,herald.com\n", "has no header line"),
        ("outlet,aliases\nDaily Planet,Planet\n", "has no column 'name'"),
        (b"\x00\x01\x02binary\x00" * 40, "binary, not text"),
    ],
)
def test_a_registry_that_cannot_be_used_is_named_with_its_problem_not_dropped(tmp_path, content, reason):
    """Before: read as a CSV with no usable 'name' column, so every outlet in it was dropped without a word."""
    registry = _write(tmp_path / "my outlets.csv", content)
    with pytest.raises(InputError, match=reason) as raised:
        load_registry(str(registry))
    assert str(registry) in str(raised.value)


def test_a_registry_folder_is_named_as_one(tmp_path):
    folder = tmp_path / "outlets.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="it is a folder, not a CSV file"):
        load_registry(str(folder))


def test_a_registry_with_a_bom_capitals_or_spaces_in_its_header_is_read(tmp_path):
    """Before: Excel's BOM made the first column '\\ufeffname', so the outlets were dropped without a word."""
    for number, header in enumerate(["\ufeffname,aliases,domains", "Name , Aliases,Domains"]):
        registry = _write(tmp_path / f"r{number}.csv", f"{header}\nDaily Planet,Planet,dailyplanet.com\n")
        found = load_registry(str(registry))
        assert found.by_name("planet").name == "Daily Planet" and found.by_domain("dailyplanet.com")


def test_rows_a_registry_cannot_use_are_named_by_line_and_the_others_read(tmp_path):
    registry = _write(
        tmp_path / "outlets.csv",
        "# my outlets\nname,aliases,domains\nDaily Planet,Planet,dailyplanet.com\n,Herald\n"
        "daily planet ,Other,other.com\nMetro, Herald,metro.com,UK,private,extra\n",
    )
    notes = registry_notes(str(registry))
    assert any("line 4" in note and "has no name; skipped" in note for note in notes)
    assert any(
        "line 5" in note and "'daily planet' again (first on line 3); the first is used" in note for note in notes
    )
    assert any("line 6" in note and "6 cells, the header 3" in note for note in notes)
    assert all(note.startswith(str(registry)) for note in notes)
    found = load_registry(str(registry))
    assert found.by_name("Metro").name == "Metro" and found.by_domain("dailyplanet.com").name == "Daily Planet"
    assert found.by_domain("other.com") is None  # the repeated row is left out, as the note says


def test_a_windows_1252_registry_is_read_with_a_note(tmp_path):
    """Before: 'cannot read the outlet registry ('utf-8' codec can't decode byte 0xe9 ...)' and the run stopped."""
    registry = _write(tmp_path / "outlets.csv", "name,aliases\nLe Café Times,Café\n".encode("cp1252"))
    assert load_registry(str(registry)).by_name("Café").name == "Le Café Times"
    assert any("not UTF-8; read as Windows-1252" in note for note in registry_notes(str(registry)))


def test_the_cli_names_registry_problems_before_any_analysis(tmp_path, capsys):
    semicolons = _write(tmp_path / "outlets.csv", "name;aliases\nDaily Planet;Planet\n")
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--outlets", str(semicolons)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "outlets.csv: the outlet registry's columns are separated by semicolons" in error
    assert not (tmp_path / "out" / "analysis.duckdb").exists()


def test_the_cli_warns_of_registry_rows_it_cannot_use(tmp_path, capsys):
    registry = _write(tmp_path / "outlets.csv", "name,aliases\nDaily Planet,Planet\n,Herald\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["analyze", str(empty), "--out", str(tmp_path / "out"), "--outlets", str(registry)]) == 2
    assert (
        "warning: " + str(registry) + ": line 3 of the outlet registry has no name; skipped" in capsys.readouterr().err
    )


# ------------------------------------------------------------------------------------------------ word swaps


def test_a_word_swaps_file_without_a_header_is_named_not_ignored(tmp_path, monkeypatch):
    """Before: its one row was taken as the header, so the set was dropped without a word."""
    swaps = _write(tmp_path / "swaps.csv", "raid,raid;operation\n")
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(swaps))
    with pytest.raises(InputError, match="has no header line: its first line must be label,variants"):
        cues.swap_sets()


def test_a_word_swaps_file_with_a_bom_or_semicolons_is_read_or_named(tmp_path, monkeypatch):
    bom = _write(tmp_path / "bom.csv", "\ufefflabel,variants\nraid,raid;operation\n")
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(bom))
    assert dict(cues.swap_sets())["raid"] == ("raid", "operation")  # before: "needs the columns label and variants"
    semicolons = _write(tmp_path / "semi.csv", "label;variants\nraid;raid|operation\n")
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(semicolons))
    with pytest.raises(InputError, match="separated by semicolons, not commas"):
        cues.swap_sets()


def test_a_bad_word_swaps_file_stops_the_cli_before_the_analysis(tmp_path, monkeypatch, capsys):
    """Before: the analysis ran, and the file was read (and refused) only when framing began."""
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(_write(tmp_path / "swaps.csv", "label\nraid\n")))
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--no-store"]) == 2
    assert "swaps.csv: the word swaps file has no column 'variants'" in capsys.readouterr().err
    assert main(["analyze", str(tmp_path / "none"), "--out", str(tmp_path / "out"), "--no-framing"]) == 2
    assert "word swaps" not in capsys.readouterr().err  # without framing the file is not read


# ---------------------------------------------------------------------------------------- numeric options


@pytest.mark.parametrize(
    ("option", "value", "wanted"),
    [
        ("--story-threshold", "nan", "a similarity from 0 to 1"),
        ("--story-threshold", "-1", "a similarity from 0 to 1"),
        ("--claim-threshold", "65", "a similarity from 0 to 1"),
        ("--claim-threshold", "inf", "a similarity from 0 to 1"),
        ("--anchor-weight", "nan", "a weight from 0 to 1"),
        ("--date-window", "-5", "a whole number of days"),
        ("--date-window", "2.5", "a whole number of days"),
        ("--wait", "nan", "a number of seconds"),
        ("--wait", "-1", "a number of seconds"),
        ("--workers", "0", "a whole number of 1 or more"),
        ("--shard-rows", "-3", "a whole number of 1 or more"),
        ("--block-days", "-1", "a whole number of days"),
    ],
)
def test_odd_numbers_for_options_are_refused_before_any_work(tmp_path, capsys, option, value, wanted):
    """Before: NaN, infinity, negative and percent values ran the whole analysis and found no story or claim
    (NaN, 65, inf) or joined everything (-1), without a word."""
    with pytest.raises(SystemExit) as stopped:
        main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), f"{option}={value}"])
    assert stopped.value.code == 2
    assert f"argument {option}: give {wanted}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------------- environment


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_an_unusable_embed_chunk_size_is_one_error_line(tmp_path, monkeypatch, capsys, value):
    """Before: 'abc' a ValueError traceback; 0 and -5 a KeyError traceback after the run's work."""
    monkeypatch.setenv("PARALLAX_EMBED_CHUNK", value)
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--no-store", "--quiet"]) == 2
    assert f"error: PARALLAX_EMBED_CHUNK='{value}': give a whole number of 1 or more" in capsys.readouterr().err


def test_a_store_path_under_a_file_or_at_a_folder_is_named(tmp_path, capsys):
    """Before: 'error: FOLDER: file exists', naming neither the store nor what was in the way."""
    _write(tmp_path / "notes", "mine")
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "notes" / "s")]) == 2
    error = capsys.readouterr().err
    assert "cannot make the store's folder" in error and "(a file is in the way)" in error
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--store", str(tmp_path)]) == 2
    assert "is a folder; the embedding store is one file" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- export-json


def test_export_json_keeps_a_file_parallax_did_not_write(seeds_analysis, tmp_path, capsys):
    """Before: `export-json OUT --to FILE` replaced whatever FILE held without a word."""
    from compare.pipeline import save_analysis

    save_analysis(seeds_analysis, tmp_path / "out")
    mine = _write(tmp_path / "notes.json", '{"my": "notes"}')
    assert main(["export-json", str(tmp_path / "out"), "--to", str(mine)]) == 2
    assert "notes.json: this file exists and is not an analysis.json that Parallax wrote" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == '{"my": "notes"}'
    exported = tmp_path / "export.json"
    assert main(["export-json", str(tmp_path / "out"), "--to", str(exported)]) == 0
    assert main(["export-json", str(tmp_path / "out"), "--to", str(exported)]) == 0  # its own export: replaced


def test_report_keeps_a_file_parallax_did_not_write(tmp_path, capsys):
    """Before: `report --out FILE` replaced whatever FILE held, after the whole analysis, without a word."""
    from compare.cli.exports import report_target

    mine = _write(tmp_path / "notes.html", "<html><title>My notes</title></html>")
    assert main(["report", str(SEEDS), "--out", str(mine), "--no-store"]) == 2
    assert "notes.html: this file exists and is not a report that Parallax wrote" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "<html><title>My notes</title></html>"
    earlier = _write(tmp_path / "report.html", "<!DOCTYPE html><html><head><title>Parallax report</title>")
    assert report_target(str(tmp_path)) == earlier  # an earlier report is replaced


# ------------------------------------------------------------------------------------------------ dashboard


def test_the_dashboard_names_a_bad_registry_and_log_level_instead_of_a_traceback(
    seeds_analysis, tmp_path, monkeypatch, caplog
):
    """Before: under a saved analysis, a bad $PARALLAX_OUTLETS was a traceback on every page, and an unknown
    $PARALLAX_LOG_LEVEL ("LOUD") one on every page whatever else was set."""
    from streamlit.testing.v1 import AppTest

    from compare.pipeline import save_analysis

    save_analysis(seeds_analysis, tmp_path / "saved")
    monkeypatch.setenv("PARALLAX_ANALYSIS", str(tmp_path / "saved"))
    monkeypatch.setenv("PARALLAX_LOG_LEVEL", "LOUD")
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    assert not app.exception and app.metric[0].value == str(len(seeds_analysis.articles))
    monkeypatch.setenv("PARALLAX_OUTLETS", str(_write(tmp_path / "outlets.csv", "name;aliases\nPlanet;P\n")))
    with caplog.at_level(logging.ERROR):
        app = AppTest.from_file(DASHBOARD, default_timeout=120)
        app.run()
    assert not app.exception
    shown = app.error[0].value
    assert "outlet registry this dashboard is set up with cannot be read" in shown and str(tmp_path) not in shown
    assert "separated by semicolons" in caplog.text  # in full, for whoever runs it


def test_a_linked_story_id_is_shown_back_without_bidi_controls_and_not_whole():
    """Before: ?story= with U+202E reversed the page's "does not exist" line, and a 20,000-character id was
    shown whole."""
    from compare.views.url_state import MAX_LINKED_STORY_CHARS, linked_view

    linked = linked_view({"story": "story-\u202eevil\x00" + "a" * 20_000, "q": "\u2066find\u2069 me"})
    assert linked.story is not None and linked.story.startswith("story-evil")
    assert len(linked.story) == MAX_LINKED_STORY_CHARS and linked.search == "find me"
    assert linked_view({"story": "\u200b"}).story is None  # nothing left: no story asked for


# ------------------------------------------------------------------------------------------------- evaluate


def test_a_gold_claims_row_of_the_wrong_shape_is_named_before_the_analysis(tmp_path, capsys):
    """Before: a TypeError traceback after the whole analysis."""
    gold = _write(tmp_path / "gold.json", '{"sentences": [{"doc": "a", "start": 0, "end": 9, "events": ["e"]}, 5]}')
    assert main(["evaluate", str(SEEDS), "--gold", "story", "--gold-claims", str(gold), "--no-store"]) == 2
    assert "gold.json: sentences[1] is 'int', not an object" in capsys.readouterr().err


def test_gold_claims_whose_documents_match_no_article_are_an_error_not_a_perfect_score(tmp_path, capsys):
    """Before: "B-cubed P 1.000 R 1.000 F1 1.000 over 1 annotated sentences" for documents nowhere in the input."""
    import json

    rows = [
        {"id": f"a{number}", "outlet": outlet, "event": "e1", "text": path.read_text(encoding="utf-8")}
        for number, (outlet, path) in enumerate(zip(["Reuters", "BBC"], sorted(SEEDS.glob("*.txt"))))
    ]
    _write(tmp_path / "rows.jsonl", "\n".join(json.dumps(row) for row in rows))
    gold = _write(tmp_path / "gold.json", '{"sentences": [{"doc": "zzz", "start": 0, "end": 9, "events": ["e"]}]}')
    store = str(tmp_path / "store.sqlite3")
    arguments = ["evaluate", str(tmp_path / "rows.jsonl"), "--gold", "event", "--store", store, "--quiet"]
    assert main([*arguments, "--gold-claims", str(gold)]) == 2
    assert "none of its 1 documents (such as 'zzz') is an analysed article" in capsys.readouterr().err
    gold = _write(
        tmp_path / "gold.json",
        '{"sentences": [{"doc": "zzz", "start": 0, "end": 9, "events": ["e"]},'
        ' {"doc": "a0", "start": 0, "end": 40, "events": ["e"]}]}',
    )
    assert main([*arguments, "--gold-claims", str(gold)]) == 0
    assert "1 of its 2 documents (such as 'zzz') are not among the analysed articles" in capsys.readouterr().err


# ------------------------------------------------------------------------------- compare/data, edited in place


def test_an_edited_sides_or_frame_cues_file_is_named_not_a_traceback(tmp_path, monkeypatch):
    """Before: a column renamed or lost when editing compare/data/sides.csv or frame_cues.csv was a KeyError
    traceback in the middle of the framing analysis."""
    for name in ("sides.csv", "frame_cues.csv", "word_swaps.csv", "frame_descriptions.csv"):
        _write(tmp_path / name, (cues.DATA / name).read_text(encoding="utf-8"))
    _write(tmp_path / "sides.csv", "side,keyword,kind\ngovernment,minister;ministry,body\n")
    _write(tmp_path / "frame_cues.csv", "frame;cues\neconomic;economy\n")
    monkeypatch.setattr(cues, "DATA", tmp_path)
    cues._sides.cache_clear()  # cached per $PARALLAX_SIDES file
    cues.frame_cues.cache_clear()
    try:
        with pytest.raises(InputError, match="sides.csv: the actor sides file has no column 'keywords'"):
            cues.sides()
        with pytest.raises(InputError, match="frame_cues.csv: the frame cues file's columns are separated by semi"):
            cues.frame_cues()
        _write(tmp_path / "sides.csv", "side,keywords,kind\ngovernment,minister,body\ngovernment,ministry,body\n")
        _write(tmp_path / "frame_cues.csv", "frame,cues\neconomic,economy\n")
        assert cues.sides() == (("government", ("minister",), "body"),)
        assert any(
            "line 3 of the actor sides file gives the side 'government' again" in n for n in cues.edited_file_notes()
        )
    finally:
        cues._sides.cache_clear()  # cached per $PARALLAX_SIDES file
        cues.frame_cues.cache_clear()
