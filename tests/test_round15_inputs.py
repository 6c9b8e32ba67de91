"""Round 15: exports of research tools and news databases, odd encodings, dates and names (files written by the test)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from compare.ingest import load_corpus
from compare.ingest.dates import read_date
from tests.conftest import SEEDS

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _body(number: int) -> str:
    """A seed's article paragraphs (its first lines, outlet and title, left out)."""
    lines = SEED_PAGES[number].read_text(encoding="utf-8").split("\n")
    return "\n\n".join(line for line in lines[4:] if line.strip())


def _articles(corpus) -> list[tuple[str, str, str | None, str | None]]:
    return [(article.id, article.outlet, article.published, article.title) for article in corpus.articles]


def _messages(corpus) -> list[str]:
    return [problem.message for problem in corpus.problems]


_COPYRIGHT_PARAGRAPH = "Copyright lawyers for both governments said the talks on the treaty would go on next week."


def test_a_lexisnexis_nexis_uni_or_factiva_export_is_read_one_article_a_document(tmp_path):
    """Before: a news database's .txt export of three documents was one article: the first document's outlet and
    date, 'SECTION: …' as its title (LexisNexis) or no outlet (Factiva), the others' text inside it."""
    outlets = [
        ("The New York Times", "April 3, 2024 Wednesday"),
        ("The Guardian (London)", "January 26, 2022 Wednesday"),
    ]
    nexis, uni = "", ""
    for number, (outlet, day) in enumerate(outlets, 1):
        nexis += (
            f"                    {number} of 2 DOCUMENTS\n\n\n"
            + ("        Copyright 2024 The New York Times Company\n" if number == 1 else "")
            + f"                    {outlet}\n\n"
            f"                    {day}\n                    Late Edition - Final\n\nTalks on Ukraine {number}\n\n"
            "BYLINE: By JANE DOE\n\nSECTION: Section A; Column 0; Foreign Desk; Pg. 8\n\nLENGTH: 612 words\n\n\n"
            f"{_COPYRIGHT_PARAGRAPH}\n\n{_body(number)}\n\n\nURL: http://www.example.com/{number}\n\n"
            "LOAD-DATE: April 4, 2024\n\n"
            "LANGUAGE: ENGLISH\n\nPUBLICATION-TYPE: Newspaper\n\n\n    Copyright 2024 The New York Times Company\n\n\n"
        )
        uni += (
            f"Talks on Ukraine {number}\n\n{outlet}\n{day}\n\nCopyright 2024 The Company All Rights Reserved\n\n"
            f"Section: A; Pg. 8\nLength: 612 words\nByline: By Jane Doe\n\nBody\n\n\n{_body(number)}\n\n\n"
            "Load-Date: April 4, 2024\n\n\nEnd of Document\n\n\n"
        )
    factiva = "".join(
        f"Talks on Ukraine {number}\n\nBy Jane Doe\n612 words\n3 April 2024\n14:05\n{outlet}\nLBA\nEnglish\n"
        f"(c) 2024 Thomson Reuters. All rights reserved.\n\n{_body(number)}\n\n\nDocument LBA0000020240403ek43000{number}x\n\n"
        for number, outlet in enumerate(["Reuters News", "The Wall Street Journal"], 1)
    )
    for name, text in (("nexis.txt", nexis), ("uni.txt", uni), ("factiva.txt", factiva)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    read = {name: load_corpus([tmp_path / name]) for name in ("nexis.txt", "uni.txt", "factiva.txt")}
    expected = [
        ("nexis-1", "The New York Times", "2024-04-03", "Talks on Ukraine 1"),
        ("nexis-2", "The Guardian (London)", "2022-01-26", "Talks on Ukraine 2"),
    ]
    assert _articles(read["nexis.txt"]) == expected
    assert _articles(read["uni.txt"]) == [(f"uni-{n}", *rest) for n, (_, *rest) in enumerate(expected, 1)]
    assert _articles(read["factiva.txt"]) == [
        ("factiva-1", "Reuters News", "2024-04-03", "Talks on Ukraine 1"),
        ("factiva-2", "The Wall Street Journal", "2024-04-03", "Talks on Ukraine 2"),
    ]
    assert all(_COPYRIGHT_PARAGRAPH in article.text for article in read["nexis.txt"].articles)
    for corpus in read.values():
        first, second = corpus.articles
        assert "Russian President Vladimir Putin" in first.text and "France warned" not in first.text
        assert "LOAD-DATE" not in first.text and "Load-Date" not in first.text and "Thomson Reuters" not in first.text
    assert _messages(read["nexis.txt"]) == [
        "holds 2 articles of a LexisNexis export ('1 of 2 DOCUMENTS'), not one article; read one article each"
    ]
    assert "of a Factiva export" in _messages(read["factiva.txt"])[0]


def test_api_answers_and_pandas_tables_in_json_are_read(tmp_path):
    """Before: The Guardian's API answer ({"response": {"results": [{"fields": {"bodyText": …}}]}}), a list under
    'data.articles', and a DataFrame pandas wrote with to_json (orient "columns", its default, "split" or
    "index") were each lost: "row has no text field (its fields: response; …)" or "text is a JSON object"."""
    texts = [_body(2), _body(3)]
    guardian = {
        "response": {
            "status": "ok",
            "results": [
                {
                    "id": f"world/{number}",
                    "webTitle": f"Talks {number}",
                    "webPublicationDate": "2022-01-26T10:00:00Z",
                    "webUrl": f"https://www.theguardian.com/world/{number}",
                    "fields": {"bodyText": text},
                }
                for number, text in enumerate(texts, 1)
            ],
        }
    }
    shapes = {
        "guardian.json": guardian,
        "nested.json": {"data": {"articles": [{"text": text, "outlet": "Reuters"} for text in texts]}},
        "columns.json": {"text": {"0": texts[0], "1": texts[1]}, "outlet": {"0": "Reuters", "1": "Reuters"}},
        "split.json": {"columns": ["text", "outlet"], "index": [0, 1], "data": [[text, "Reuters"] for text in texts]},
        "index.json": {"0": {"text": texts[0], "outlet": "Reuters"}, "1": {"text": texts[1], "outlet": "Reuters"}},
    }
    for name, document in shapes.items():
        (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    guardian_read = load_corpus([tmp_path / "guardian.json"])
    assert _articles(guardian_read) == [
        ("world/1", "The Guardian", "2022-01-26", "Talks 1"),
        ("world/2", "The Guardian", "2022-01-26", "Talks 2"),
    ]
    assert _messages(guardian_read) == ["the articles are the list under 'response.results'; read from there"]
    notes = {
        "nested.json": "the articles are the list under 'data.articles'; read from there",
        "columns.json": "a table pandas wrote with to_json(orient='columns'); read one article a row",
        "split.json": "a table pandas wrote with to_json(orient='split'); read one article a row",
        "index.json": "an object of articles under their keys (as pandas' to_json(orient='index') writes); read one a key",
    }
    keyed = {"ap-1": {"text": texts[0], "outlet": "AP"}, "rt-7": {"text": texts[1], "outlet": "Reuters"}}
    (tmp_path / "keyed.json").write_text(json.dumps(keyed), encoding="utf-8")
    assert [a.id for a in load_corpus([tmp_path / "keyed.json"]).articles] == ["ap-1", "rt-7"]
    for name, note in notes.items():
        corpus = load_corpus([tmp_path / name])
        assert [article.text[:30] for article in corpus.articles] == [
            article.text[:30] for article in guardian_read.articles
        ], name
        assert _messages(corpus) == [note]


def test_json_lines_joined_with_boms_or_encoded_twice_and_json_with_trailing_commas_are_read(tmp_path):
    """Before: the second of two JSON Lines files joined with `cat` (each with its BOM) was "not valid JSON
    (Unexpected UTF-8 BOM)"; rows a pipeline JSON-encoded twice were "a JSON string, not an object"; a JSON list
    with a comma after its last item was "not valid JSON" and every article lost."""
    rows = [{"text": _body(1), "outlet": "Reuters"}, {"text": _body(2), "outlet": "Metro Herald"}]
    joined = b"".join(b"\xef\xbb\xbf" + json.dumps(row).encode() + b"\n" for row in rows)
    (tmp_path / "joined.jsonl").write_bytes(joined)
    (tmp_path / "twice.jsonl").write_text("\n".join(json.dumps(json.dumps(row)) for row in rows), encoding="utf-8")
    (tmp_path / "commas.json").write_text(
        "[\n" + "".join(f"  {json.dumps(row)[:-1]},\n  }},\n" for row in rows) + "]\n", encoding="utf-8"
    )
    for name in ("joined.jsonl", "twice.jsonl", "commas.json"):
        corpus = load_corpus([tmp_path / name])
        assert [article.outlet for article in corpus.articles] == ["Reuters", "Metro Herald"], name
    assert _messages(load_corpus([tmp_path / "joined.jsonl"])) == []
    assert _messages(load_corpus([tmp_path / "twice.jsonl"])) == [
        "line 1 holds its object as a JSON string (encoded twice, as a pipeline that JSON-encodes a JSON line writes"
        " it); the object inside was read, here and on every such line"
    ]
    assert _messages(load_corpus([tmp_path / "commas.json"])) == [
        "3 commas before a closing ']' or '}' (JSON allows none there); read without them"
    ]
    # A comma inside a string is text, not a trailing comma.
    (tmp_path / "quoted.json").write_text(json.dumps([{"text": _body(1) + " [a, ]", "outlet": "Reuters"}]) + "\n,]")
    assert _messages(load_corpus([tmp_path / "quoted.json"]))[0].startswith("not valid JSON")


def test_exports_of_research_tools_give_their_outlet_date_and_text(tmp_path):
    """Before: Media Cloud's media_name and news-please's source_domain and date_publish were not read, so the
    outlet came from the text's byline (China Daily, for a Metro Herald row) and the date from a line of the text;
    a ProQuest CSV ("Full Text", "Publication Title") was "CSV has no text column"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["stories_id", "publish_date", "title", "url", "language", "media_id", "media_name", "text"])
    writer.writerow(
        [7, "2024-04-03 10:00:00", "Macron", "https://metroherald.example/x", "en", 6, "Metro Herald", _body(1)]
    )
    (tmp_path / "mediacloud.csv").write_text(buffer.getvalue(), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Title", "Full Text", "Publication Title", "Publication Date", "Document URL"])
    writer.writerow(["Macron", _body(1), "Metro Herald", "Apr 3, 2024", "https://example.com/doc"])
    (tmp_path / "proquest.csv").write_text(buffer.getvalue(), encoding="utf-8")
    newsplease = {
        "date_download": "2024-04-05 10:00:00",
        "date_publish": "2024-04-03 10:00:00",
        "maintext": _body(1),
        "source_domain": "Metro Herald",
        "title": "Macron",
        "url": "https://metroherald.example/x",
    }
    (tmp_path / "newsplease.json").write_text(json.dumps(newsplease), encoding="utf-8")
    for name in ("mediacloud.csv", "proquest.csv", "newsplease.json"):
        corpus = load_corpus([tmp_path / name])
        assert [(a.outlet, a.published, a.title) for a in corpus.articles] == [("Metro Herald", "2024-04-03", "Macron")]
        assert _messages(corpus) == [], name


def test_a_news_api_text_cut_at_200_characters_is_named_not_analysed(tmp_path):
    """Before: NewsAPI's content field ("… [+3412 chars]") was analysed as the whole article, 29 words of it."""
    answer = {
        "status": "ok",
        "articles": [
            {
                "source": {"id": None, "name": "BBC News"},
                "title": "Talks",
                "content": _body(2)[:200] + "… [+3412 chars]",
            },
            {"source": {"id": None, "name": "Reuters"}, "title": "Talks", "content": _body(3)},
        ],
    }
    (tmp_path / "newsapi.json").write_text(json.dumps(answer), encoding="utf-8")
    corpus = load_corpus([tmp_path / "newsapi.json"])
    assert [article.outlet for article in corpus.articles] == ["Reuters"]
    assert _messages(corpus) == [
        "text is only the first 200 characters of 3,612 (it ends '… [+3412 chars]', as NewsAPI cuts its content"
        " field); not the article; skipped (give the article's page, its url, instead)"
    ]


def test_csv_headers_named_twice_below_a_title_or_with_mac_line_ends_are_read(tmp_path):
    """Before: `title,text,text` read the last, empty, 'text' column ("row has no text"); a report line above the
    header was "CSV has no text column (columns read …: media cloud export, , )"; Excel for Mac's "CSV
    (Macintosh)" (lines ending in CR alone, Mac Roman) was one header line, "no text column", every row lost."""
    quoted = _body(1).replace('"', '""')
    (tmp_path / "twice.csv").write_text(f'title,text,text\nMacron,"{quoted}",\n', encoding="utf-8")
    (tmp_path / "titled.csv").write_text(f'Export of 2024-04-05,,\ntext,outlet\n"{quoted}",Reuters\n', encoding="utf-8")
    one_line = _body(1).replace("\n\n", " ").replace('"', '""')
    (tmp_path / "mac.csv").write_bytes(f'text,outlet\r"{one_line}",Café Press\r'.encode("mac_roman"))
    twice = load_corpus([tmp_path / "twice.csv"])
    assert [a.title for a in twice.articles] == ["Macron"]
    assert _messages(twice)[0] == (
        "the header names a column twice ('text' in columns 2, 3); the first is read as it, the others kept as 'NAME (2)'"
    )
    titled = load_corpus([tmp_path / "titled.csv"])
    assert [a.outlet for a in titled.articles] == ["Reuters"]
    assert _messages(titled) == [
        "the header is line 2: the line above it ('Export of 2024-04-05,,') is not a table's header; read from there"
        " (rows are numbered from the header)"
    ]
    mac = load_corpus([tmp_path / "mac.csv"])
    assert [a.outlet for a in mac.articles] == ["Café Press"]
    assert "read as Mac Roman" in _messages(mac)[0]
    assert "Putin" in mac.articles[0].text and "Õ" not in mac.articles[0].text


@pytest.mark.parametrize(
    ("value", "iso", "note"),
    [
        ("45385", "2024-04-03", "read as a spreadsheet's day number (days since 1899-12-30, as Excel counts)"),
        (45385.4375, "2024-04-03", "read as a spreadsheet's day number"),
        ("Wed Apr 03 10:00:00 +0000 2024", "2024-04-03", None),  # Twitter's API; was 2010-04-03
        ("Wed Apr  3 10:00:00 2024", "2024-04-03", None),  # C's ctime
        ("20240403103000", "2024-04-03", None),  # GDELT's YYYYMMDDHHMMSS; was "out of range"
        ("0000-00-00 00:00:00", None, "is MySQL's zero date, which it writes for a missing date"),
    ],
)
def test_dates_as_spreadsheets_twitter_gdelt_and_mysql_write_them(value, iso, note):
    """Before: 45385 (a date cell saved as its number) was "the Unix epoch"; Twitter's date was read as 2010;
    GDELT's was "out of range"; MySQL's zero date "out of range (years 1900-2027)"."""
    reading = read_date(value)
    assert reading is not None and reading.iso == iso
    assert (reading.note is None) if note is None else (note in reading.note)
    assert read_date("March 5, 2024: the day") is not None and read_date("March 5, 2024: the day").iso == "2024-03-05"


def test_a_database_null_is_no_value(tmp_path):
    r"""Before: MySQL's and PostgreSQL's text exports write NULL as \N: it became an outlet of its own, '\N',
    and a date "not a date Parallax can read"."""
    rows = [
        {"text": _body(3), "outlet": "Reuters", "date": "\\N"},
        {"text": _body(2), "outlet": "\\N", "date": "2024-04-03"},
        {"text": "\\N", "outlet": "Reuters", "date": "2024-04-03"},
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([tmp_path / "dump.jsonl"])
    assert [(a.outlet, a.published) for a in corpus.articles] == [("Reuters", None), ("Unknown", "2024-04-03")]
    assert _messages(corpus) == [
        "outlet not found in the text; set it with an 'outlet' field, front matter or a sources.csv sidecar",
        "row has no text: its 'text' field is \\N, a database export's NULL",
    ]


def test_pages_a_crawler_saved_and_an_email_newsletter_are_read(tmp_path):
    """Before: wget's names (article.html?id=3, index.php, story.aspx, a name of no type) and a newsletter
    saved as .eml were each "unsupported file type"; a .php file of code is not read as a page."""
    page = (
        "<!DOCTYPE html><html><head><title>Talks {n}</title></head><body><article><p>{text}</p></article></body></html>"
    )
    for n, name in enumerate(["article.html?id=3", "index.php", "story.aspx", "talks-in-paris"], 1):
        (tmp_path / name).write_text(page.format(n=n, text=_body(n).replace("\n\n", "</p><p>")), encoding="utf-8")
    (tmp_path / "tool.php").write_text("<?php echo 'hello'; ?>\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT License\n\nPermission is hereby granted\n", encoding="utf-8")
    mail = (
        "From: The Daily Planet <news@dailyplanet.example>\nSubject: =?utf-8?q?Talks_in_Paris?=\n"
        "Date: Wed, 03 Apr 2024 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{_body(0)}\n"
    )
    (tmp_path / "newsletter.eml").write_text(mail, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert sorted((a.id, a.title) for a in corpus.articles) == [
        ("article", "Talks 1"),
        ("index", "Talks 2"),
        ("newsletter", "Talks in Paris"),
        ("story", "Talks 3"),
        ("talks-in-paris", "Talks 4"),
    ]
    assert next(a for a in corpus.articles if a.id == "newsletter").published == "2024-04-03"
    by_file = {os.path.basename(p.source): p.message for p in corpus.problems if "outlet" not in p.message}
    assert by_file["tool.php"] == "a .php file that holds no web page (a program's source?), not an article; skipped"
    assert by_file["talks-in-paris"] == "its name gives no file type; read as a web page, by its content"
    assert by_file["LICENSE"].startswith("unsupported file type (none); skipped")


def test_system_and_backup_files_in_a_folder_are_not_named_as_unsupported_inputs(tmp_path):
    """Before: Thumbs.db was "unsupported file type .db (a database: export its articles as CSV …)", and so were
    desktop.ini, a Windows download mark (NAME:Zone.Identifier), Office's lock file (~$name.docx) and the marks Spark
    leaves beside its part files (_SUCCESS: "unsupported file type (none)")."""
    (tmp_path / "page.txt").write_text(SEED_PAGES[1].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    (tmp_path / "desktop.ini").write_text("[.ShellClassInfo]\r\n", encoding="utf-8")
    (tmp_path / "page.txt:Zone.Identifier").write_text("[ZoneTransfer]\r\nZoneId=3\r\n", encoding="utf-8")
    (tmp_path / "~$notes.docx").write_bytes(bytes(162))
    (tmp_path / "page.txt~").write_text(SEED_PAGES[2].read_text(encoding="utf-8"), encoding="utf-8")
    for mark in ("_SUCCESS", "_committed_4711", "_started_4711"):  # Spark's and Databricks' marks beside part files
        (tmp_path / mark).write_bytes(b"")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["page"]
    assert [(os.path.basename(p.source), p.message) for p in corpus.problems] == [
        ("page.txt~", "an editor's backup copy of a file, not an input; skipped (rename it to read it)")
    ]


def test_a_file_name_that_is_not_utf8_is_named_and_the_rest_analysed(tmp_path):
    """Before: a page named in Latin-1 (caf\\xe9.txt, from an old archive) was read, and the whole analysis then
    failed when saved: "cannot write analysis.duckdb: … cannot encode str as UTF-8, surrogate '\\udce9'"."""
    folder = os.fsencode(tmp_path)
    with open(folder + b"/caf\xe9.txt", "wb") as handle:
        handle.write(SEED_PAGES[1].read_bytes())
    (tmp_path / "page.txt").write_text(SEED_PAGES[2].read_text(encoding="utf-8"), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["page"]
    (problem,) = corpus.problems
    assert problem.source == f"{tmp_path}/caf\\xe9.txt"
    assert problem.message.startswith("its name is not valid UTF-8 (written in another encoding")
    json.dumps([problem.source, problem.message], ensure_ascii=False).encode("utf-8")  # storable


def test_html_markup_in_a_text_field_and_wordpress_rendered_fields_are_read_as_text(tmp_path):
    """Before: a text field holding the page's markup (a scraper that stored HTML) was analysed with its tags as
    words ('<p>Russian President …</p>'), a script's code among them; WordPress' REST API answer ({"content":
    {"rendered": "<p>…"}, "title": {"rendered": "Talks &#8211; in Paris"}}) was "text is a JSON object"."""
    markup = "<p>" + _body(3).replace("\n\n", "</p>\n<p>") + "</p><div class='ad'><script>var slot = 1;</script></div>"
    (tmp_path / "scraped.jsonl").write_text(json.dumps({"text": markup, "outlet": "Reuters"}), encoding="utf-8")
    wordpress = [
        {
            "id": 12,
            "date": "2024-04-03T10:00:00",
            "link": "https://metroherald.example/2024/04/03/talks/",
            "title": {"rendered": "Talks &#8211; in Paris"},
            "content": {"rendered": markup, "protected": False},
        }
    ]
    (tmp_path / "posts.json").write_text(json.dumps(wordpress), encoding="utf-8")
    note = "text holds HTML markup (<p>, <div>, …), as a scraper or WordPress stores it; read as its text"
    for name in ("scraped.jsonl", "posts.json"):
        corpus = load_corpus([tmp_path / name])
        (article,) = corpus.articles
        assert "<p>" not in article.text and "var slot" not in article.text
        assert article.text.startswith("The Kremlin’s top Ukraine official")
        assert note in _messages(corpus)
    (post,) = load_corpus([tmp_path / "posts.json"]).articles
    assert (post.id, post.title, post.published) == ("12", "Talks – in Paris", "2024-04-03")
    # An article that mentions a tag once is text.
    (tmp_path / "about.jsonl").write_text(json.dumps({"text": _body(3) + " Editors use <p> tags.", "outlet": "AP"}))
    assert note not in _messages(load_corpus([tmp_path / "about.jsonl"]))


def test_a_crawler_name_whose_query_string_holds_a_dot_is_read_by_its_type_before_it(tmp_path):
    """Before: wget's `page.html?id=3.5` was "unsupported file type .5", and `story?id=3.5` too: a query string's
    dot was taken for the file's type."""
    page = (
        "<!DOCTYPE html><html><head><title>Talks {n}</title></head><body><article><p>{text}</p></article></body></html>"
    )
    for n, name in enumerate(["page.html?id=3.5", "story?id=3.5"], 1):
        (tmp_path / name).write_text(page.format(n=n, text=_body(n).replace("\n\n", "</p><p>")), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert sorted(a.title for a in corpus.articles) == ["Talks 1", "Talks 2"]
    by_file = {os.path.basename(p.source): p.message for p in corpus.problems if "outlet" not in p.message}
    assert by_file == {"story?id=3.5": "its name gives no file type; read as a web page, by its content"}


def test_a_json_lines_line_holding_a_list_of_objects_is_read_one_row_an_object(tmp_path):
    """Before: `[{…}, {…}]` on one line of a JSON Lines file was "line 2 is a JSON list, not an object" and its
    articles lost; its objects are now rows 2.1, 2.2, … and a bad one is named as any bad row is."""
    lines = [
        json.dumps({"text": _body(0), "outlet": "Reuters"}),
        json.dumps([{"text": _body(1), "outlet": "Metro Herald"}, {"title": "No text"}, "a string"]),
        json.dumps({"text": _body(2), "outlet": "The Guardian"}),
        "[1, 2]",
    ]
    (tmp_path / "batches.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus([tmp_path / "batches.jsonl"])
    assert [(a.id, a.outlet) for a in corpus.articles] == [
        ("batches-1", "Reuters"),
        ("batches-2.1", "Metro Herald"),
        ("batches-3", "The Guardian"),
    ]
    problems = [(os.path.basename(p.source), p.message) for p in corpus.problems]
    assert problems[0] == (
        "batches.jsonl",
        "line 2 holds a list of objects, not one object (JSON Lines has one a line); each was read as a row, "
        "numbered 2.1, 2.2, …, here and on every such line",
    )
    assert problems[1][0] == "batches.jsonl:2.2" and problems[1][1].startswith(
        "row has no text field (its fields: title"
    )
    assert problems[2] == ("batches.jsonl:2.3", "line 2, item 3 is a JSON string, not an object")
    assert problems[3] == ("batches.jsonl:4", "line 4 is a JSON list, not an object")  # no object: no batch of rows
    assert len(problems) == 4


def test_csv_rows_of_only_empty_cells_are_skipped_with_one_count(tmp_path):
    """Before: each row of empty cells Excel leaves below a table (`,,,`, or more commas than the header) was named:
    "row has no text", "row 4 has more cells than the header"."""
    quoted = _body(1).replace('"', '""')
    (tmp_path / "trailing.csv").write_text(
        f'title,text,outlet\nMacron,"{quoted}",Reuters\n,,\n,,,,\n  , ,\n', encoding="utf-8"
    )
    (tmp_path / "trailing.tsv").write_text(
        f"text\toutlet\n{_body(2).replace(chr(10), ' ')}\tReuters\n\t\n", encoding="utf-8"
    )
    (tmp_path / "blank.csv").write_text("text,outlet\n,\n,\n", encoding="utf-8")
    csv_corpus = load_corpus([tmp_path / "trailing.csv"])
    assert [a.title for a in csv_corpus.articles] == ["Macron"]
    assert _messages(csv_corpus) == ["skipped 3 empty rows (every cell empty)"]
    tsv_corpus = load_corpus([tmp_path / "trailing.tsv"])
    assert len(tsv_corpus.articles) == 1 and _messages(tsv_corpus) == ["skipped 1 empty row (every cell empty)"]
    assert _messages(load_corpus([tmp_path / "blank.csv"])) == [
        "skipped 2 empty rows (every cell empty); the file holds no other rows, so no article"
    ]


def test_a_json_key_given_twice_in_one_object_is_named_once_per_file(tmp_path):
    """Before: `{"outlet": "Reuters", …, "outlet": "Metro Herald"}` kept the last value without a word (a writer's
    bug: one of the values was lost unseen); the last is still read, with one note a file naming the key."""
    rows = [
        f'{{"outlet": "Reuters", "text": {json.dumps(_body(1))}, "outlet": "Metro Herald"}}',
        f'{{"outlet": "Reuters", "title": "A", "title": "B", "text": {json.dumps(_body(2))}, "text": {json.dumps(_body(3))}}}',
    ]
    (tmp_path / "twice.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "twice.json").write_text("[" + ",\n".join(rows) + "]", encoding="utf-8")
    lines = load_corpus([tmp_path / "twice.jsonl"])
    assert [(lines.articles[0].outlet, lines.articles[1].title)] == [("Metro Herald", "B")]
    assert lines.articles[1].text.startswith(_body(3)[:40])
    assert _messages(lines) == [
        "keys 'outlet' (line 1), 'title' (line 2), 'text' (line 2) given twice in one object: the last value was "
        "read, as JSON readers do, and the first ignored (check what wrote the file)"
    ]
    document = load_corpus([tmp_path / "twice.json"])
    assert [(a.outlet, a.title) for a in document.articles] == [(a.outlet, a.title) for a in lines.articles]
    assert _messages(document) == [
        "keys 'outlet', 'title', 'text' given twice in one object: the last value was read, as JSON readers do, and "
        "the first ignored (check what wrote the file)"
    ]
