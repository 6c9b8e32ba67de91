"""Review of session 13's merges (robust15's readers, tour14's views): hostile and realistic inputs, each case
failing before its fix (files written by the test, article text from the seeds)."""

from __future__ import annotations

from compare.ingest import load_corpus
from tests.conftest import SEEDS

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _body(number: int) -> str:
    """A seed's article paragraphs (its first lines, outlet and title, left out)."""
    lines = SEED_PAGES[number].read_text(encoding="utf-8").split("\n")
    return "\n\n".join(line for line in lines[4:] if line.strip())


def _mail(subject: bytes, body: str) -> bytes:
    return (
        b"From: The Daily Planet <news@dailyplanet.example>\r\nSubject: " + subject + b"\r\n"
        b"Date: Wed, 03 Apr 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode("utf-8")
    )


def test_a_newsletters_subject_in_an_unknown_charset_or_raw_latin1_keeps_the_article(tmp_path):
    """Before: a subject encoded in a charset Python lacks lost the whole newsletter ("unexpected LookupError …
    This is a Parallax bug"), and a subject of raw Latin-1 bytes read "Caf\ufffd"."""
    (tmp_path / "unknown.eml").write_bytes(_mail(b"=?x-unknown?q?Talks_in_Paris?= resume", _body(0)))
    (tmp_path / "latin1.eml").write_bytes(_mail("Café talks in Paris".encode("latin-1"), _body(1)))
    corpus = load_corpus([tmp_path])
    assert sorted((a.id, a.title, a.published) for a in corpus.articles) == [
        ("latin1", "Café talks in Paris", "2024-04-03"),
        ("unknown", "Talks in Paris resume", "2024-04-03"),
    ]
    assert not [p.message for p in corpus.problems if "unexpected" in p.message]
