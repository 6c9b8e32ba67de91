"""Editing a word list framing reads (compare/data/'s sides.csv, word_swaps.csv, ..., $PARALLAX_WORD_SWAPS or
$PARALLAX_SIDES) means the next `analyze --out` on a saved run is a full one, as a changed outlet registry does:
before, the edit was kept out of the saved run ("added 0 articles to the saved run") while the docs call those
files editable."""

from __future__ import annotations

import shutil

from compare.cli import main, settings
from compare.cli.parser import build_parser
from compare.framing.cues import DATA
from compare.pipeline import read_stored_manifest

from .conftest import SEEDS


def test_an_edited_word_list_means_a_full_run_with_a_note(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("PARALLAX_WORD_SWAPS", raising=False)
    # A copy of compare/data/ stands for the user's checkout: the test must not edit the shared one.
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setattr(settings, "WORD_LIST_FOLDER", data)
    inputs = tmp_path / "seeds"
    shutil.copytree(SEEDS, inputs, ignore=shutil.ignore_patterns("004_*"))
    out = tmp_path / "out"

    def run() -> str:
        capsys.readouterr()
        assert main(["analyze", str(inputs), "--out", str(out), "--quiet"]) == 0
        return capsys.readouterr().err

    run()
    assert "added 0 articles to the saved run" in run()  # nothing edited: the saved run is added to

    sides = data / "sides.csv"
    sides.write_text(sides.read_text(encoding="utf-8").replace("\nFrench officials,", "\nFrench government,"))
    err = run()
    assert "note: the word lists changed since the saved run (compare/data/ was edited); analysing in full" in err
    assert "added" not in err
    assert "added 0 articles to the saved run" in run()  # and recorded: the next run adds to it again

    swaps = tmp_path / "swaps.csv"
    swaps.write_text("label,variants\nleader naming,Putin;Russian President\n", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(swaps))
    assert f"(compare/data/ -> {swaps.resolve()}); analysing in full" in run()
    swaps.write_text("label,variants\nleader naming,Putin;the Russian leader\n", encoding="utf-8")
    assert f"(compare/data/ or {swaps.resolve()} was edited); analysing in full" in run()


def test_a_run_saved_before_word_lists_were_recorded_is_still_added_to(tmp_path, monkeypatch, capsys) -> None:
    # Every saved run of the version before has no "word_lists" among its settings: one full run for each (half an
    # hour at 10,000 articles) would be the price of the upgrade.
    monkeypatch.delenv("PARALLAX_WORD_SWAPS", raising=False)
    inputs = tmp_path / "seeds"
    shutil.copytree(SEEDS, inputs, ignore=shutil.ignore_patterns("00[34]_*"))
    out = tmp_path / "out"
    assert main(["analyze", str(inputs), "--out", str(out), "--quiet"]) == 0
    saved = read_stored_manifest(out)["options"]
    now = settings.run_options(build_parser().parse_args(["analyze", str(inputs), "--out", str(out)]))
    assert saved["word_lists"] == now["word_lists"]
    assert settings.changed_settings({**saved, "word_lists": {"file": None, "sha256": "0"}}, now)
    older = {key: value for key, value in saved.items() if key != "word_lists"}
    assert settings.changed_settings(older, now) is None


def test_a_users_sides_file_is_read_and_its_edits_mean_a_full_run(tmp_path, monkeypatch, capsys) -> None:
    """$PARALLAX_SIDES: the actor sides of an installed package (whose compare/data/ the next install overwrites)
    edited as outlets and word swaps are, in a file of the user's. Before, sides.csv could be edited only in a
    source checkout."""
    from compare.framing import cues
    from compare.framing.sides import _registry_side

    monkeypatch.delenv("PARALLAX_WORD_SWAPS", raising=False)
    monkeypatch.delenv("PARALLAX_SIDES", raising=False)
    assert _registry_side("the Norcia civil protection office") == "other"
    assert cues.side_kinds()["French officials"] == "country"
    user_sides = tmp_path / "sides.csv"
    user_sides.write_text(
        "side,keywords,kind\nItalian civil protection,civil protection;Norcia,body\nFrench officials,elysee,body\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PARALLAX_SIDES", str(user_sides))
    assert _registry_side("the Norcia civil protection office") == "Italian civil protection"  # a new side
    assert cues.side_kinds()["French officials"] == "body"  # a bundled side replaced in its place
    assert [side for side, _, _ in cues.sides()].index("French officials") < len(cues.sides()) - 1

    inputs = tmp_path / "seeds"
    shutil.copytree(SEEDS, inputs, ignore=shutil.ignore_patterns("004_*"))
    out = tmp_path / "out"

    def run() -> str:
        capsys.readouterr()
        assert main(["analyze", str(inputs), "--out", str(out), "--quiet"]) == 0
        return capsys.readouterr().err

    monkeypatch.delenv("PARALLAX_SIDES")
    run()
    monkeypatch.setenv("PARALLAX_SIDES", str(user_sides))
    assert f"(compare/data/ -> {user_sides.resolve()}); analysing in full" in run()
    assert "added 0 articles to the saved run" in run()
    user_sides.write_text(user_sides.read_text(encoding="utf-8") + "Vatican,pope;holy see,country\n")
    assert f"(compare/data/ or {user_sides.resolve()} was edited); analysing in full" in run()
    user_sides.write_text("side;keywords\nVatican;pope\n", encoding="utf-8")  # a file that cannot be read: named
    capsys.readouterr()
    assert main(["analyze", str(inputs), "--out", str(out), "--quiet"]) == 2
    assert "actor sides file's columns are separated by semicolons" in capsys.readouterr().err
