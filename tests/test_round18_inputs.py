"""Round 18: spreadsheets, tables laid out side by side, lists of bare texts, headers and dates in other languages,
lists of links, paths a shell would expand, Feather tables and the dashboard's upload total (files written by the
test from the seeds' text)."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import zipfile

import pytest

from compare.ingest import load_corpus
from compare.ingest.dates import read_date
from compare.ingest.load import load_bytes
from tests.conftest import SEEDS

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _body(number: int) -> str:
    """A seed's article paragraphs (its outlet, title and furniture lines left out)."""
    lines = SEED_PAGES[number].read_text(encoding="utf-8").split("\n")
    return "\n\n".join(line for line in lines[4:] if len(line.split()) > 3)


def _messages(corpus) -> list[str]:
    return [problem.message for problem in corpus.problems]


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_workbook_of_articles_is_read_a_row_an_article_each_sheet_named():
    """Before: "unsupported file type .xlsx (a spreadsheet: save it as CSV (UTF-8) from its program)", and saving
    as CSV wrote dates in the machine's locale."""
    raw = _workbook(
        {
            "Articles": [
                ["Outlet", "Title", "Date", "Text"],
                ["Daily Planet", "Talks in Paris", datetime.datetime(2024, 3, 12), _body(0)],
                ["Metro Herald", "Talks go on", datetime.date(2024, 3, 13), _body(1)],
            ],
            "Coding notes": [["note"], ["coded by A"]],
        }
    )
    corpus = load_bytes(raw, "coded.xlsx")
    assert [(a.id, a.outlet, a.published, a.title) for a in corpus.articles] == [
        ("coded-Articles-2", "Daily Planet", "2024-03-12", "Talks in Paris"),
        ("coded-Articles-3", "Metro Herald", "2024-03-13", "Talks go on"),
    ]
    assert corpus.articles[0].source == "coded.xlsx[Articles]:2"
    [notes] = [p for p in corpus.problems if p.source == "coded.xlsx[Coding notes]"]
    assert notes.message.startswith("the sheet has no text column (its columns: note)")
    one = load_bytes(_workbook({"Sheet1": [["outlet", "text"], ["Daily Planet", _body(0)]]}), "one.xlsx")
    assert [(a.id, a.source) for a in one.articles] == [("one-2", "one.xlsx:2")]


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "an old Excel workbook (.xls) or one with a password"),
        (b"PK\x03\x04 cut", "not an Excel workbook (.xlsx): it is no ZIP package"),
        (None, "not an Excel workbook (.xlsx): a ZIP archive of 1 files, with no xl/workbook.xml"),
    ],
)
def test_a_file_named_xlsx_that_is_no_workbook_is_named(raw, said):
    if raw is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("photo.jpg", b"\xff\xd8")
        raw = buffer.getvalue()
    corpus = load_bytes(raw, "sheet.xlsx")
    assert not corpus.articles and _messages(corpus)[0].startswith(said)


def test_a_table_laid_out_a_column_per_outlet_is_read_a_cell_an_article():
    """Before: "CSV has no text column (… event, daily planet, metro herald …)": every article lost."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["event", "Daily Planet", "Metro Herald", "Evening Courier"])
    writer.writerow(["talks", _body(0), _body(1), ""])
    writer.writerow(["quake", _body(2), "", _body(3)])
    corpus = load_bytes(buffer.getvalue().encode(), "side_by_side.csv")
    found = [(a.id, a.outlet, a.extra.get("event")) for a in corpus.articles]
    assert found == [
        ("side_by_side-2.2", "Daily Planet", "talks"),
        ("side_by_side-2.3", "Metro Herald", "talks"),
        ("side_by_side-3.2", "Daily Planet", "quake"),
        ("side_by_side-3.4", "Evening Courier", "quake"),
    ]
    assert _messages(corpus)[0].startswith("no text column, but a column per outlet (Daily Planet, Metro Herald")
    # an export of abstracts and leads (NYT's Article Search) is no such table: still "no text column"
    abstracts = (
        'headline,abstract,lead_paragraph\nTalks,"' + " ".join(_body(0).split()[:60]) + '","' + _body(1)[:300] + '"\n'
    )
    [problem] = load_bytes(abstracts.encode(), "nyt.csv").problems
    assert problem.message.startswith("CSV has no text column")


@pytest.mark.parametrize("name", ["texts.json", "texts.jsonl"])
def test_a_list_of_bare_texts_is_read_an_article_a_text(name):
    """Before: "item 1 is a JSON string, not an object" for each (json.dump(texts), or one string a line)."""
    texts = [_body(0), _body(1)]
    raw = json.dumps(texts) if name.endswith(".json") else "\n".join(map(json.dumps, texts))
    corpus = load_bytes(raw.encode(), name)
    assert len(corpus.articles) == 2
    fourth_paragraphs = [" ".join(text.split("\n\n")[3].split()[:8]) for text in texts]
    assert all(fourth in a.text for a, fourth in zip(corpus.articles, fourth_paragraphs, strict=True))
    assert "a JSON string, not an object: read as an article's text" in _messages(corpus)[0]


def test_headers_in_other_languages_are_read_as_the_english_names():
    """Before: "CSV has no text column (… média, titre, date, texte)"."""
    french = 'média,titre,date,texte\nDaily Planet,Pourparlers,2024-03-12,"' + _body(0).replace('"', '""') + '"\n'
    german = 'Quelle;Überschrift;Datum;Inhalt\nMetro Herald;Gespräche;12.03.2024;"' + _body(1) + '"\n'
    for raw, name, outlet, title in (
        (french, "fr.csv", "Daily Planet", "Pourparlers"),
        (german, "de.csv", "Metro Herald", "Gespräche"),
    ):
        [article] = load_bytes(raw.encode(), name).articles
        assert (article.outlet, article.title, article.published) == (outlet, title, "2024-03-12")


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("12 de marzo del 2024", "2024-03-12"),
        ("12 maart 2024", "2024-03-12"),
        ("12 marca 2024", "2024-03-12"),
        ("12 Mart 2024", "2024-03-12"),
        ("12 Mayıs 2024", "2024-05-12"),
        ("12 березня 2024", "2024-03-12"),
        ("12 Μαρτίου 2024", "2024-03-12"),
        ("12. března 2024", "2024-03-12"),
        ("12 augusti 2024", "2024-08-12"),
        ("令和6年3月12日", "2024-03-12"),
        ("平成元年1月8日", "1989-01-08"),
        ("12 มีนาคม 2567", "2024-03-12"),
    ],
)
def test_dates_in_more_languages_and_calendars_are_read(written, iso):
    """Before: each "is not a date Parallax can read (write YYYY-MM-DD)", the article undated."""
    reading = read_date(written)
    assert reading is not None and reading.iso == iso


def test_a_text_of_only_a_web_address_is_named_as_one():
    """Before: "only 0 words of article text after removing page furniture" (a table of links to read later)."""
    corpus = load_bytes(b"outlet,text\nDaily Planet,https://dailyplanet.example/world/talks-2024-03-12\n", "t.csv")
    assert not corpus.articles
    assert _messages(corpus)[0].startswith("the text is only a web address ('https://dailyplanet.example/world/")


def test_a_csv_of_web_addresses_alone_says_the_pages_are_the_articles():
    corpus = load_bytes(
        b"URL,Title,Selection,Folder,Timestamp\nhttps://a.example/x,Talks,,Unread,1710230000\n", "i.csv"
    )
    assert "web addresses alone are not read: each article is the page an address names" in _messages(corpus)[0]


@pytest.mark.parametrize(
    ("head", "what"),
    [
        ("<!DOCTYPE html><html><head><title>Pocket Export</title></head><body><h1>Unread</h1><ul>", "Pocket's export"),
        ("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1><DL><p>", "bookmarks"),
    ],
)
def test_a_list_of_saved_links_is_not_an_article_of_its_link_titles(head, what):
    """Before: Pocket's export was one article of 30 link titles, its outlet "Unread"."""
    links = "".join(
        f'<li><a href="https://dailyplanet.example/{n}" time_added="1710230000">Talks in Paris go on, day {n} of them</a>'
        for n in range(30)
    )
    corpus = load_bytes(f"{head}{links}</ul></body></html>".encode(), "ril_export.html")
    assert not corpus.articles
    [message] = _messages(corpus)
    assert message.startswith("a list of 30 saved links (") and what in message


def test_one_path_given_to_the_python_api_as_a_string_or_path_is_one_input():
    """Before: load_corpus("seeds") (and so analyze("seeds")) read "s", "e", "e", "d", "s" as five missing files;
    a Path was "'PosixPath' object is not iterable"."""
    for given in (str(SEEDS), SEEDS):
        corpus = load_corpus(given)
        assert len(corpus.articles) == 5 and not [m for m in _messages(corpus) if "no such file" in m]


def test_a_pattern_or_a_home_folder_a_shell_would_expand_is_read_as_it_would(tmp_path, monkeypatch):
    """Before: "no such file or folder" for "corpus/*.txt" quoted (or given in Python) and for "~/corpus"."""
    corpus = load_corpus([f"{SEEDS}/00[0-2]_*.txt"])
    assert len(corpus.articles) == 3
    assert (
        _messages(corpus)[0]
        == "no file has this name; read as a pattern, as a shell expands it: the 3 paths it matches"
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(SEED_PAGES[0].read_text(encoding="utf-8"), encoding="utf-8")
    corpus = load_corpus(["~/corpus"])
    assert len(corpus.articles) == 1
    assert _messages(corpus)[0] == f"'~' read as the home folder ({tmp_path}/corpus), as a shell reads it"


def test_a_feather_table_is_read_as_parquet_is(tmp_path):
    """Before: "unsupported file type .feather" (pandas' to_feather, R's arrow::write_feather)."""
    import pyarrow as pa
    import pyarrow.feather as feather

    table = pa.table({"outlet": ["Daily Planet"], "published": [datetime.date(2024, 3, 12)], "text": [_body(0)]})
    feather.write_feather(table, str(tmp_path / "rows.feather"))
    [article] = load_corpus([tmp_path / "rows.feather"]).articles
    assert (article.outlet, article.published) == ("Daily Planet", "2024-03-12")


def test_the_upload_total_counts_a_compressed_upload_as_what_it_unpacks_to():
    """Before (round 17's leftover): the total counted the bytes uploaded, so 200 MB of zips could unpack to 1 GB."""
    from compare.views.visitor import uploads_within

    packed = gzip.compress(b" " * 3_000_000)
    files = (("spaces.txt.gz", packed), ("page.txt", b"x" * 10))
    kept, message = uploads_within(files, limit_mb=2)
    assert kept == (("page.txt", b"x" * 10),)
    assert message is not None and message.startswith("Your uploads add up to 3 MB once unpacked")
