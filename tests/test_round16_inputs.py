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
        "a web archive (WARC): 2 pages, 2 read as articles; 9 passed over, not articles: requests 5, "
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


def test_a_folder_of_thousands_of_tiny_files_gives_ten_warnings_of_a_kind_and_a_count(tmp_path, capsys):
    """Before: a folder of 20,000 notes too short to be articles printed 20,000 warning lines (round 13 counted the
    rows of one table, not the files of one folder), and the other inputs' warnings were lost among them."""
    from compare.cli.run import print_warnings

    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(25):
        (folder / f"note{number:03d}.txt").write_text(f"Reuters update {number}: talks go on.\n", encoding="utf-8")
    (folder / "zz.txt").write_bytes(b"\x00\x01\x02" * 100)
    print_warnings(load_corpus([folder]).problems)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 12, lines
    assert lines[-2] == f"warning: {folder}/zz.txt: file is binary, not text"
    assert lines[-1].startswith(f"warning: {folder}/: 15 more files like the first 10 ({folder}/note000.txt: only ")


def test_csv_files_joined_with_cat_skip_the_repeated_header_with_one_note(tmp_path):
    """Before: `cat a.csv b.csv > all.csv` left b's header as a row: "only 0 words of article text (removed as page
    furniture: 'text'); skipped", which told nothing of what it was."""
    header = "outlet,title,text\n"
    first = header + f'Reuters,Defence chiefs talk,"{_body(0)}"\n'
    second = "\ufeff" + header + f'The Guardian,Talks in Paris,"{_body(3)}"\n'
    (tmp_path / "all.csv").write_text(first + second, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [(a.outlet, a.title) for a in corpus.articles] == [
        ("Reuters", "Defence chiefs talk"),
        ("The Guardian", "Talks in Paris"),
    ]
    assert _messages(corpus) == {
        "all.csv": [
            "skipped 1 row that repeats the header (row 3): CSV files joined into one (cat a.csv b.csv), each with "
            "its header line; the rows of each were read"
        ]
    }


def test_hugo_toml_front_matter_and_a_jekyll_post_name_give_the_metadata(tmp_path):
    """Before: Hugo's `+++` TOML front matter was read as text ('title = "Talks in Paris"' the title, no outlet,
    the date from the TOML line), and a Jekyll post (_posts/2024-01-26-talks.md, its date in its name) was undated."""
    toml = (
        '+++\ntitle = "Talks in Paris"\ndate = 2022-01-26T10:00:00Z\noutlet = "The Guardian"\ntags = ["ukraine"]\n+++\n'
    )
    (tmp_path / "talks.md").write_text(f"{toml}\n{_body(3)}\n", encoding="utf-8")
    (tmp_path / "2022-01-25-defence-chiefs.md").write_text(
        f"---\nlayout: post\ntitle: Defence chiefs talk\noutlet: China Daily\n---\n\n{_body(0)}\n", encoding="utf-8"
    )
    corpus = load_corpus([tmp_path])
    assert sorted((a.id, a.outlet, a.title, a.published) for a in corpus.articles) == [
        ("2022-01-25-defence-chiefs", "China Daily", "Defence chiefs talk", "2022-01-25"),
        ("talks", "The Guardian", "Talks in Paris", "2022-01-26"),
    ]
    assert not corpus.problems


_QUOTED = "> Officials said a draft named snake_case_name would stay as written until the next round of talks."


def test_markdown_links_images_and_emphasis_are_not_read_as_words(tmp_path):
    """Before: a Markdown page (a blog's or a notes app's export) was analysed with its markup: a statement held
    "[Dmitry Kozak](https://en.wikipedia.org/wiki/Dmitry_Kozak)", the first paragraph was "**…**", and the byline
    "*By Jane Doe*" was text."""
    paragraphs = _body(3).split("\n\n")
    linked = paragraphs[0].replace("Dmitry Kozak", "[Dmitry Kozak](https://en.wikipedia.org/wiki/Dmitry_Kozak)")
    page = "# Talks in Paris to ease tensions\n\n![The talks](images/talks.jpg)\n\n*By Jane Doe*\n\n" + "\n\n".join(
        [f"**{linked}**", _QUOTED, *paragraphs[1:]]
    )
    (tmp_path / "post.md").write_text(page, encoding="utf-8")
    (article,) = load_corpus([tmp_path]).articles
    assert article.title == "Talks in Paris to ease tensions"
    assert article.byline == "Jane Doe"
    assert article.text.startswith(paragraphs[0])
    assert "](" not in article.text and "**" not in article.text and "talks.jpg" not in article.text
    assert "Officials said a draft named snake_case_name would stay as written" in article.text


def test_escapes_left_in_a_text_field_are_undone_with_a_note(tmp_path):
    """Before: a text whose line breaks an export wrote as the two characters \\n was one paragraph holding
    "\\n\\n" as words, and a feed's text and title HTML-escaped once more ("Putin&#8217;s call &amp; Macron")
    were analysed with "&#8217;" and "&amp;" as words."""
    escaped = _body(0).replace("\n\n", "\\n\\n")
    referenced = _body(1).replace("'", "&#8217;").replace(" and ", " &amp; ")
    rows = [
        {"outlet": "Reuters", "title": "Defence chiefs talk", "text": escaped},
        {"outlet": "China Daily", "title": "Putin&#8217;s call &amp; Macron", "text": referenced},
    ]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    first, second = corpus.articles
    assert "\\n" not in first.text and first.text.count("\n\n") >= 5
    assert second.title == "Putin’s call & Macron"
    assert "&amp;" not in second.text and "&#8217;" not in second.text and " & " in second.text
    assert _messages(corpus) == {
        "rows.jsonl:1": [
            "text holds its line breaks written as \\n (an export that escaped them); read as line breaks"
        ],
        "rows.jsonl:2": [
            "text holds HTML character references left escaped (&amp;, &#8217;, …); read as the characters they "
            "stand for"
        ],
    }


def test_utf8_saved_through_windows_1252_once_is_repaired(tmp_path):
    """Before: a page a CMS had saved through the wrong encoding once was analysed as "MOSCOW/PARIS â€” Russian
    …", "Russiaâ€™s", "CafÃ©": every dash, quote and accented letter two or three characters of nonsense."""
    page = SEED_PAGES[0].read_text(encoding="utf-8").replace("Sebastien", "Sébastien")
    # as Windows reads bytes Windows-1252 leaves undefined (0x9D in '”'): Latin-1's control characters
    misread = "".join(_windows_1252(byte) for byte in page.encode("utf-8"))
    (tmp_path / "page.txt").write_text(misread, encoding="utf-8")
    (tmp_path / "same.txt").write_text(page.replace("MOSCOW", "MOSCOW (Ã‰)"), encoding="utf-8")  # one pair only
    corpus = load_corpus([tmp_path / "page.txt"])
    (article,) = corpus.articles
    assert "Sébastien" in article.text and "â€" not in article.text and "Ã" not in article.text
    assert _messages(corpus)["page.txt"][0].endswith("'â€”' for '—', 'Ã©' for 'é'); repaired")
    assert "(Ã‰)" in load_corpus([tmp_path / "same.txt"]).articles[0].text  # too few to be told from text


def _windows_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def test_the_long_s_and_ligatures_of_old_print_and_pdf_text_are_plain_letters(tmp_path):
    """Before: OCR of an 1850 paper kept the long s ("Preſident Putin ſpoke") and pdftotext its ligatures
    ("ﬁnancial", "eﬀort"): other words for the model, the parser, search and de-duplication."""
    text = _body(1).replace("spoke", "ſpoke").replace("President", "Preſident").replace("official", "oﬃcial")
    (tmp_path / "ocr.txt").write_text(f"China Daily\n\nPutin, Macron diſcuſs Ukraine\n\n{text}\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text(
        f"China Daily\n\nPutin, Macron discuss Ukraine\n\n{_body(1)}\n", encoding="utf-8"
    )
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["ocr"]
    assert corpus.articles[0].title.startswith("Putin, Macron discuss")
    assert "President Vladimir Putin spoke" in corpus.articles[0].text
    assert _messages(corpus)["plain.txt"] == ["same text as article ocr; skipped as a duplicate"]


def test_an_outlets_name_is_taken_before_its_web_host_whichever_comes_first(tmp_path):
    """Before: a crawl's rows giving the outlet as an address with a query string (…?utm_source=rss&id=3), read as
    'metroherald.com', came before a row naming 'Metro Herald', so the host named the outlet in every chart."""
    rows = [
        {"outlet": "https://www.metroherald.com/world/talks?utm_source=rss&id=3", "text": _body(0)},
        {"outlet": "Metro Herald", "text": _body(1)},
    ]
    (tmp_path / "crawl.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.outlet for a in corpus.articles] == ["Metro Herald", "Metro Herald"]
    assert _messages(corpus)["crawl.jsonl:1"][-1].startswith("outlet 'metroherald.com' taken as 'Metro Herald'")


def test_a_zip_of_a_folder_tree_is_read_as_its_folder(tmp_path):
    """Before: "unsupported file type .zip (an archive: unpack it and give its folder)", and the dashboard's
    uploader did not take a .zip at all, so a folder could only be uploaded file by file. Now each file is read as
    in a folder (named ZIP/path), Finder's __MACOSX copies and hidden files passed over, a zip inside it, a sidecar
    and a file that decompresses past its type's limit (a zip bomb) named, and nothing is written to disk."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("corpus/reuters/talks.txt", SEED_PAGES[1].read_text(encoding="utf-8"))
        archive.writestr("corpus/guardian/paris.txt", SEED_PAGES[3].read_text(encoding="utf-8"))
        archive.writestr("corpus/__MACOSX/reuters/._talks.txt", b"\x00\x05\x16\x07")
        archive.writestr("corpus/.DS_Store", b"\x00\x00\x00\x01Bud1")
        archive.writestr("corpus/sources.csv", "file,outlet,published\ntalks.txt,Reuters,2021-11-16\n")
        archive.writestr("corpus/old.zip", b"PK\x05\x06" + bytes(18))
        archive.writestr("corpus/spaces.txt", b" " * 21_000_000)  # 21 MB of spaces in 20 KB
    raw = buffer.getvalue()
    assert len(raw) < 100_000
    (tmp_path / "corpus.zip").write_bytes(raw)
    for corpus in (load_corpus([tmp_path]), load_bytes(raw, "corpus.zip")):  # the CLI's folder, the dashboard's upload
        assert sorted((a.id, a.source.rsplit("corpus.zip/", 1)[-1]) for a in corpus.articles) == [
            ("paris", "corpus/guardian/paris.txt"),
            ("talks", "corpus/reuters/talks.txt"),
        ]
        messages = {p.source.rsplit("corpus.zip", 1)[-1]: p.message for p in corpus.problems}
        assert messages[""] == (
            "a zip archive: 5 files, 2 read as articles (the others named one by one); 2 passed over, not articles: "
            "hidden and system files 2"
        )
        assert messages["/corpus/old.zip"] == "a zip archive inside a zip archive is not read; unpack it first"
        assert messages["/corpus/sources.csv"].startswith("a sidecar inside a zip archive is not read")
        assert messages["/corpus/spaces.txt"] == "decompresses to more than 21 MB; the limit is 21 MB"
    assert not [path for path in tmp_path.rglob("*") if path.name != "corpus.zip"]


def test_damaged_mailboxes_web_archives_and_zips_are_named_never_a_parallax_bug():
    """Cut short or with bytes overwritten (a bad download or disk), each bundle's problem is named: the first
    version of the zip reader let zlib.error and NotImplementedError ("zip file version 13.1") through as
    "unexpected …; This is a Parallax bug"."""
    import random
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for page in SEED_PAGES[1:4]:
            archive.writestr(f"corpus/{page.name}", page.read_text(encoding="utf-8"))
    mailbox = "".join(
        _mail("News <n@example.com>", f"Talks {n}", "Wed, 03 Apr 2024 10:00:00 +0000", _body(n), html=n % 2 == 0)
        for n in range(1, 4)
    )
    bundles = {
        "corpus.zip": buffer.getvalue(),
        "news.mbox": mailbox.encode("utf-8"),
        "crawl.warc.gz": _web_archive(_crawl(), compressed=True),
        "crawl.warc": _web_archive(_crawl(), compressed=False),
    }
    damage = random.Random(16)
    for name, whole in bundles.items():
        assert load_bytes(whole, name).articles, name  # read whole
        for _ in range(150):
            damaged = bytearray(whole)
            if damage.random() < 0.6:
                for _ in range(damage.randint(1, 30)):
                    damaged[damage.randrange(len(damaged))] = damage.randrange(256)
            else:
                damaged = damaged[: damage.randrange(len(damaged))]
            problems = load_bytes(bytes(damaged), name).problems
            assert not [p.message for p in problems if "unexpected" in p.message], name
