"""Round 16's review of the readers a hosted dashboard accepts, as an attacker uploads to it (RELIABILITY.md)."""

from __future__ import annotations

import gzip
import io
import zipfile

from compare.ingest import bundles, formats
from compare.ingest.files import gunzip
from compare.ingest.load import load_bytes

_TEXT = (
    "The city council met on Tuesday to discuss the budget and the new rules for its members, and the mayor said "
    "the vote would come next month after a public hearing on the plan."
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_member_past_the_whole_zips_limit_is_not_held(monkeypatch):
    # before: the whole zip's limit was checked only before each member, so one table member was read to its own
    # 2 GB limit (a zip of 1.9 MB held 3.9 GB)
    monkeypatch.setattr(bundles, "MAX_ZIP_CONTENT", 100_000)
    raw = _zip({"a.txt": _TEXT.encode(), "rows.jsonl": b"\0" * 300_000})
    corpus = load_bytes(raw, "up.zip")
    assert len(corpus.articles) == 1
    cut = [problem.message for problem in corpus.problems if "cut short" in problem.message]
    assert cut and "from 'rows.jsonl' on none was read" in cut[0]


def test_a_mailbox_message_past_the_entry_limit_is_named_not_read(monkeypatch):
    monkeypatch.setattr(bundles, "MAX_ENTRY_BYTES", 10_000, raising=False)
    message = b"From a@b Wed Apr  3 10:00:00 2024\nSubject: Budget\nFrom: x@example.com\n\n"
    raw = message + _TEXT.encode() + b"\n\n" + message + b"x" * 20_000 + b"\n"
    corpus = load_bytes(raw, "box.mbox")
    assert len(corpus.articles) == 1
    big = [problem for problem in corpus.problems if problem.source == "box.mbox:2"]
    assert big and "the limit is 0 MB: not read" in big[0].message


def test_a_web_archive_record_past_the_entry_limit_is_passed_over_not_held(monkeypatch):
    monkeypatch.setattr(bundles, "MAX_ENTRY_BYTES", 10_000, raising=False)

    def record(uri: str, body: bytes) -> bytes:
        head = f"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: {uri}\r\nContent-Type: text/html\r\n"
        return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body + b"\r\n\r\n"

    page = f"<html><body><p>{_TEXT}</p></body></html>".encode()
    raw = record("http://example.com/big", b"<p>" + b"a" * 3_000_000) + record("http://example.com/a", page)
    corpus = load_bytes(raw, "crawl.warc")
    assert len(corpus.articles) == 1  # the record after the big one is still read
    big = [problem for problem in corpus.problems if problem.source == "crawl.warc:1"]
    assert big and "the record is 3 MB" in big[0].message
    assert not any("cut short" in problem.message for problem in corpus.problems)


def test_a_bundles_gzip_is_held_to_the_bundle_limit_not_the_tables():
    # before: a .warc.gz or .mbox.gz decompressed up to 2 GB (held twice: 7.8 GB for a 1.9 MB upload)
    assert formats.size_limit("crawl.warc.gz") == formats.size_limit("box.mbox") <= 512 * 1024 * 1024
    # two gzip members joined (`cat a.gz b.gz`), one member not copied
    assert gunzip(gzip.compress(b"ab") + gzip.compress(b"cd"), 10) == (b"abcd", None)
    assert gunzip(gzip.compress(b"abc"), 2)[1] == "decompresses to more than 0 MB; the limit is 0 MB"


def test_a_docx_external_entity_is_never_read_into_an_article(tmp_path):
    # a guard (python-docx's lxml parser resolves no entity): passes on main too
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-PASSWORD")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    dtd = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
    body = f'<?xml version="1.0"?>{dtd}<w:document {w}><w:body><w:p><w:r><w:t>{_TEXT} &x;</w:t></w:r></w:p>'
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document'
        '.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    raw = _zip(
        {
            "[Content_Types].xml": types.encode(),
            "_rels/.rels": rels.encode(),
            "word/document.xml": (body + "</w:body></w:document>").encode(),
        }
    )
    corpus = load_bytes(raw, "note.docx")
    assert corpus.articles
    assert "TOPSECRET" not in " ".join(article.text for article in corpus.articles)
    assert "TOPSECRET" not in " ".join(problem.message for problem in corpus.problems)
