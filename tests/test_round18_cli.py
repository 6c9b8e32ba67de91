"""Round 18: an addition to a saved run of a Maildir folder whose messages a mail client renamed (files written by
the test from the seeds' text; the shipped model)."""

from __future__ import annotations

import os

from compare.cli import main
from compare.pipeline import read_saved_analysis
from tests.conftest import SEEDS

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _message(path, number: int) -> None:
    page = SEED_PAGES[number].read_text(encoding="utf-8")
    path.write_text(
        f"From: Daily Planet <news@dailyplanet.example>\nSubject: Talks {number}\n"
        f"Date: Wed, {3 + number} Apr 2024 10:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n{page}",
        encoding="utf-8",
    )


def test_an_addition_finds_maildir_messages_a_mail_client_renamed_by_their_flags(tmp_path, monkeypatch, capsys):
    """Before (round 17's leftover): a message read in the mail client (``…:2,S`` to ``…:2,RS``, or moved from
    ``new/`` to ``cur/`` once seen) was "changed or is gone since the saved run", and the whole corpus was analysed
    again."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    inbox = tmp_path / "Inbox"
    for part in ("cur", "new", "tmp"):
        (inbox / part).mkdir(parents=True)
    _message(inbox / "cur" / "1711962000.M1P11.mail.example:2,S", 0)
    _message(inbox / "new" / "1711962100.M2P12.mail.example", 1)
    out = tmp_path / "out"
    assert main(["analyze", str(inbox), "--out", str(out), "--quiet"]) == 0
    os.rename(inbox / "cur" / "1711962000.M1P11.mail.example:2,S", inbox / "cur" / "1711962000.M1P11.mail.example:2,RS")
    os.rename(inbox / "new" / "1711962100.M2P12.mail.example", inbox / "cur" / "1711962100.M2P12.mail.example:2,S")
    _message(inbox / "new" / "1711962200.M3P13.mail.example", 2)
    capsys.readouterr()
    assert main(["analyze", str(inbox), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "changed or is gone" not in err
    assert "added 1 articles to the saved run" in err
    assert len(read_saved_analysis(out)[0]["articles"]) == 3
    # the renames are recorded: a later run adds nothing and reads nothing again
    assert main(["analyze", str(inbox), "--out", str(out), "--quiet"]) == 0
    assert "added 0 articles to the saved run" in capsys.readouterr().err
