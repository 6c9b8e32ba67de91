"""Round 16: mailboxes, web archives, dates before 1900 and awkward corpus shapes (files written by the test)."""

from __future__ import annotations

import io
import json
import os

from compare.ingest import load_corpus
from compare.ingest.dates import read_date
from compare.ingest.load import load_bytes
from tests.conftest import SEEDS

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _body(number: int) -> str:
    """A seed's article paragraphs (its first lines, outlet and title, left out)."""
    lines = SEED_PAGES[number].read_text(encoding="utf-8").split("\n")
    return "\n\n".join(line for line in lines[4:] if line.strip())


def _messages(corpus) -> dict[str, list[str]]:
    by_source: dict[str, list[str]] = {}
    for problem in corpus.problems:
        by_source.setdefault(os.path.basename(problem.source), []).append(problem.message)
    return by_source


def _mail(sender: str, subject: str, day: str, body: str, html: bool) -> str:
    kind = "text/html" if html else "text/plain"
    text = (
        "<html><body><article><p>" + body.replace("\n\n", "</p><p>") + "</p></article></body></html>" if html else body
    )
    return (
        f"From news@dailyplanet.example Wed Apr  3 10:00:00 2024\nFrom: {sender}\nSubject: {subject}\nDate: {day}\n"
        f"MIME-Version: 1.0\nContent-Type: {kind}; charset=utf-8\n\n{text}\n\n"
    )


def test_a_mailbox_is_read_one_article_a_newsletter(tmp_path):
    """Before: "unsupported file type .mbox (a mailbox …: save each newsletter as .eml …)": a Thunderbird or Google
    Takeout export of a newsletter folder had to be split by hand. Now each message is read as an .eml is (its HTML
    part, else its text; its subject the title, its Date the date), named FILE:N, and a message that is no article
    (an out-of-office reply) is named; a body line starting "From " (written ">From " in the mailbox) is kept."""
    planet = "The Daily Planet <news@dailyplanet.example>"
    quoted = _body(1).replace("\n\n", "\n\n>From the Kremlin, officials said the call was long.\n\n", 1)
    mailbox = (
        _mail(planet, "Talks in Paris", "Wed, 03 Apr 2024 10:00:00 +0000", _body(0), html=True)
        + _mail(planet, "=?utf-8?q?Caf=C3=A9_talks?=", "Thu, 04 Apr 2024 08:00:00 +0000", quoted, html=False)
        + _mail("Bob <bob@example.com>", "Out of office", "Thu, 04 Apr 2024 09:00:00 +0000", "I am away.", html=False)
    )
    (tmp_path / "newsletters.mbox").write_text(mailbox, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [(a.id, a.title, a.published) for a in corpus.articles] == [
        ("newsletters-1", "Talks in Paris", "2024-04-03"),
        ("newsletters-2", "Café talks", "2024-04-04"),
    ]
    assert "From the Kremlin, officials said the call was long." in corpus.articles[1].text
    assert corpus.articles[1].source.endswith("newsletters.mbox:2")
    messages = _messages(corpus)
    assert messages["newsletters.mbox"] == [
        "a mailbox (mbox): 3 messages, 2 read as articles (the others named one by one)"
    ]
    assert messages["newsletters.mbox:3"][0].startswith("only 0 words of article text")
    not_a_mailbox = load_bytes(b"Subject: hello\n\nNot a mailbox at all.\n", "notes.mbox")
    assert [p.message for p in not_a_mailbox.problems] == [
        "not a mailbox (mbox): its first line is not a 'From ' line ('Subject: hello')"
    ]


def _web_archive(pages: list[tuple[str, str, str, bytes]], compressed: bool) -> bytes:
    """A crawl as wget --warc-file writes it: its description, then a request and a response per address."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compressed)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "Wget/1.21"}))
    for url, status, content_type, payload in pages:
        request = f"GET {url} HTTP/1.1\r\nHost: example\r\n\r\n".encode()
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(request)))
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def _page(title: str, body: str, charset: str = "utf-8") -> bytes:
    paragraphs = body.replace("\n\n", "</p><p>")
    return (
        f"<html><head><title>{title}</title></head><body><article><p>{paragraphs}</p></article></body></html>".encode(
            charset
        )
    )


_CRAWL = [
    (
        "https://www.theguardian.com/world/talks",
        "200 OK",
        "text/html; charset=utf-8",
        _page("Talks in Paris", _body(3)),
    ),
    ("https://www.theguardian.com/robots.txt", "200 OK", "text/plain", b"User-agent: *\nDisallow: /search\n"),
    ("https://www.theguardian.com/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(40)),
    ("https://www.theguardian.com/old", "301 Moved Permanently", "text/html", b"<html>Moved</html>"),
    ("https://www.chinadaily.com.cn/a/1.html", "200 OK", "text/html; charset=windows-1252", b""),
]


def _crawl() -> list[tuple[str, str, str, bytes]]:
    # the second page in Windows-1252, as its Content-Type says (a curly apostrophe is one byte there)
    second = _page("Défense chiefs talk", _body(0).replace("'", "\u2019"), charset="windows-1252")
    return [*_CRAWL[:-1], (*_CRAWL[-1][:3], second)]


def test_a_web_archive_is_read_one_article_an_html_page(tmp_path):
    """Before: "unsupported file type .warc (a web archive (WARC): extract its pages as .html files …)". Now each
    HTML response is read as a web page (its address the url, the charset its header names), and the records that
    are no page (the crawl's description, requests, robots.txt, an image, a redirect) are passed over and counted."""
    (tmp_path / "crawl.warc.gz").write_bytes(_web_archive(_crawl(), compressed=True))
    (tmp_path / "plain.warc").write_bytes(_web_archive(_crawl()[:1], compressed=False))
    corpus = load_corpus([tmp_path / "crawl.warc.gz"])
    assert [(a.id, a.title, a.url) for a in corpus.articles] == [
        ("crawl-3", "Talks in Paris", "https://www.theguardian.com/world/talks"),
        ("crawl-11", "Défense chiefs talk", "https://www.chinadaily.com.cn/a/1.html"),
    ]
    assert _messages(corpus)["crawl.warc.gz"] == [
        "a web archive (WARC): 2 pages, 2 read as articles; 9 records that are not pages passed over: requests 5, "
        "the crawl's description (warcinfo) 1, robots.txt 1, image files 1, redirects 1"
    ]
    plain = load_corpus([tmp_path / "plain.warc"])
    assert [a.id for a in plain.articles] == ["plain-3"]


def test_a_web_archive_cut_short_keeps_its_whole_records_and_says_so(tmp_path):
    """A crawl stopped while writing (or a download cut): warcio reads what it holds without a word, so the
    missing pages were not told. Now the file is named as cut short, with what came before it read."""
    whole = _web_archive(_crawl(), compressed=False)
    (tmp_path / "cut.warc").write_bytes(whole[: len(whole) - 200])
    corpus = load_corpus([tmp_path / "cut.warc"])
    assert [a.id for a in corpus.articles] == ["cut-3"]
    messages = _messages(corpus)["cut.warc"]
    assert messages[-1].startswith("a web archive (WARC) cut short: record 11 is cut short")
    assert messages[-1].endswith("; what came before was read")
    not_an_archive = load_bytes(b"<html><body>a page</body></html>", "page.warc")
    assert [p.message for p in not_an_archive.problems] == [
        "not a web archive (WARC): it does not start with a WARC header ('<html><body>a page</body></html>')"
    ]


def test_dates_before_1900_are_read_and_the_placeholders_of_that_time_are_not():
    """Before: every date before 1900 was "out of range (years 1900-2027)", so an 1850 newspaper archive was all
    undated. Now years from 1600 are read; the placeholders software writes for no date are still refused."""
    assert read_date("1850-06-01").iso == "1850-06-01"
    assert read_date("June 1, 1850").iso == "1850-06-01"
    assert read_date("1 juin 1850").iso == "1850-06-01"
    assert read_date("1665-09-07").iso == "1665-09-07"  # the London Gazette's first issues
    assert read_date(-3786825600).iso == "1850-01-01"  # pandas' to_json of an 1850 date: negative Unix seconds
    for placeholder, stands_for in [
        ("1899-12-30", "OLE Automation"),
        ("1899-12-31", "Excel's day 0"),
        ("1753-01-01", "SQL Server"),
        ("1601-01-01", "FILETIME"),
        ("1900-01-01", "Excel and SQL Server"),
    ]:
        reading = read_date(placeholder)
        assert reading.iso is None and stands_for in reading.note, placeholder
    assert read_date("1599-12-31").note.startswith("date '1599-12-31' is out of range (years 1600-")


def test_an_1850_archive_is_dated_in_its_articles_and_its_text(tmp_path):
    """Before: the dates of an 1850 archive's rows and the date line of an 1850 page were both out of range, so
    its articles were undated and its timeline empty."""
    rows = [
        {"outlet": "The Times", "date": "1850-06-01", "title": "Defence chiefs talk", "text": _body(0)},
        {"outlet": "The Spectator", "date": "1850-06-02", "title": "Talks", "text": _body(1)},
    ]
    (tmp_path / "papers.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    (tmp_path / "page.txt").write_text(f"The Illustrated Herald\n\nJune 3, 1850\n\n{_body(2)}\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert sorted(a.published for a in corpus.articles) == ["1850-06-01", "1850-06-02", "1850-06-03"]
    assert not [p for p in corpus.problems if "date" in p.message]
