"""Round 16: news databases' downloads as .docx, .rtf and .pdf (files written by the test, of the seeds' text)."""

from __future__ import annotations

import datetime
import io
import json
import os

import pytest

from compare.cli import main
from compare.ingest import load_corpus
from tests.conftest import BASIL, SEEDS
from tests.document_files import docx_bytes, encrypted_docx_bytes, pdf_bytes, rtf_bytes

SEED_PAGES = sorted(SEEDS.glob("*.txt"))
OUTLETS = [("The New York Times", "April 3, 2024 Wednesday"), ("The Guardian (London)", "January 26, 2022 Wednesday")]


def _paragraphs(number: int) -> list[str]:
    """A seed's article paragraphs (its first lines, outlet and title, left out)."""
    lines = SEED_PAGES[number].read_text(encoding="utf-8").split("\n")
    return [line.strip() for line in lines[4:] if line.strip()]


def _articles(corpus) -> list[tuple[str, str, str | None, str | None]]:
    return [(article.id, article.outlet, article.published, article.title) for article in corpus.articles]


def _by_file(corpus) -> dict[str, list[str]]:
    said: dict[str, list[str]] = {}
    for problem in corpus.problems:
        said.setdefault(os.path.basename(problem.source), []).append(problem.message)
    return said


def _nexis_uni_paragraphs() -> list[str]:
    """Nexis Uni's combined .docx: a cover page, then each document's headline, outlet, date, labelled lines,
    "Body", its paragraphs, "Load-Date" and "End of Document" (a page break after it)."""
    paragraphs = ["User Name: Jane Doe", "Date and Time: April 5, 2024 10:12:00 AM EDT", "Job Number: 219437051"]
    for number, (outlet, day) in enumerate(OUTLETS, 1):
        paragraphs += [f"Talks on Ukraine {number}", outlet, day, "Copyright 2024 The Company All Rights Reserved"]
        paragraphs += ["Section: A; Pg. 8", "Length: 612 words", "Byline: By Jane Doe", "Body"]
        paragraphs += [*_paragraphs(number), "Load-Date: April 4, 2024", "End of Document"]
    return paragraphs


def _factiva_paragraphs(count: int = 2) -> list[str]:
    """Factiva's .rtf and .pdf: headline, byline, "N words", date, time, outlet, code, language, copyright, the
    paragraphs, then "Document" and the accession number."""
    outlets = ["Reuters News", "The Wall Street Journal"]
    paragraphs: list[str] = []
    for number in range(1, count + 1):
        paragraphs += [f"Talks on Ukraine {number}", "By Jane Doe", "612 words", "3 April 2024", "14:05"]
        paragraphs += [outlets[(number - 1) % 2], "LBA", "English", "(c) 2024 Thomson Reuters. All rights reserved."]
        paragraphs += [*_paragraphs(1 + number % 2), f"Document LBA0000020240403ek43{number:05d}"]
    return paragraphs


def test_a_nexis_uni_docx_download_is_read_one_article_a_document(tmp_path):
    """Before: "unsupported file type .docx (a word-processor document: save it as plain text (.txt))"."""
    raw = docx_bytes(_nexis_uni_paragraphs(), page_break_after=("End of Document",))
    (tmp_path / "nexis.docx").write_bytes(raw)
    expected = [
        ("nexis-1", "The New York Times", "2024-04-03", "Talks on Ukraine 1"),
        ("nexis-2", "The Guardian (London)", "2022-01-26", "Talks on Ukraine 2"),
    ]
    from_folder = load_corpus([tmp_path])
    assert _articles(from_folder) == expected
    assert _articles(load_corpus([], uploads=[("nexis.docx", raw)])) == expected  # the dashboard's uploader
    first, second = from_folder.articles
    assert "Russian President Vladimir Putin" in first.text and "Load-Date" not in first.text
    assert "Job Number" not in first.text and "Talks on Ukraine 2" not in first.text
    assert _by_file(from_folder)["nexis.docx"] == [
        "holds 2 articles of a Nexis Uni export ('End of Document' after each), not one article; read one article each"
    ]


def test_a_factiva_rtf_download_with_a_picture_is_read_one_article_a_document(tmp_path):
    """Before: "unsupported file type .rtf"; and an RTF renamed .txt was "an RTF document; save its text as .txt"."""
    (tmp_path / "factiva.rtf").write_bytes(rtf_bytes(_factiva_paragraphs(), picture=True))
    corpus = load_corpus([tmp_path])
    assert _articles(corpus) == [
        ("factiva-1", "Reuters News", "2024-04-03", "Talks on Ukraine 1"),
        ("factiva-2", "The Wall Street Journal", "2024-04-03", "Talks on Ukraine 2"),
    ]
    first = corpus.articles[0]
    assert "France warned Russia Friday not to harm Ukraine’s territorial integrity" in first.text
    assert "’" in first.text or "'" in first.text  # Windows-1252 escapes read as their letters
    assert "Thomson Reuters" not in first.text and "00010203" not in first.text  # no copyright, no picture data
    assert "of a Factiva export" in _by_file(corpus)["factiva.rtf"][0]


def _basil_factiva_lines() -> tuple[list[str], list[tuple[str, str, str]]]:
    """BASIL's 300 articles as Factiva sets them in its PDF (a paragraph's space a blank line), and the (outlet,
    date, title) of each."""
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    outlets = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
    lines: list[str] = []
    expected = []
    for number, path in enumerate(sorted((BASIL / "articles").rglob("*.json")), 1):
        article = json.loads(path.read_text(encoding="utf-8"))
        day = datetime.date.fromisoformat(article["date"])
        outlet, title = outlets[article["source"].lower()], " ".join(article["title"].split())
        if not title:  # BASIL has an article without a title: Factiva has none such
            continue
        lines += [title, "", f"{article.get('word-count', 500)} words", f"{day.day} {day:%B %Y}", outlet, "FOXNWS"]
        lines += ["English", "", f"(c) {day.year} {outlet}. All rights reserved.", ""]
        lines += [line for paragraph in article["body-paragraphs"] for line in (" ".join(paragraph), "")]
        lines += [f"Document {outlet[:3].upper()}00000{day:%Y%m%d}ek{number:08d}", ""]
        expected.append((outlet, day.isoformat(), title))
    return lines, expected


def test_a_factiva_pdf_download_of_300_articles_is_read_one_article_a_document(tmp_path):
    """Before: "unsupported file type .pdf (save its text as .txt, for example with pdftotext)". A PDF of BASIL's
    articles (over 300 pages) in Factiva's layout gives the 300 articles, each with its outlet, date and title,
    as the same text saved as .txt does."""
    lines, expected = _basil_factiva_lines()
    raw = pdf_bytes(lines)
    assert raw.count(b"/Type /Page ") > 300
    (tmp_path / "factiva.pdf").write_bytes(raw)
    corpus = load_corpus([tmp_path / "factiva.pdf"])
    found = [(article.outlet, article.published, article.title) for article in corpus.articles]
    duplicates = [problem for problem in corpus.problems if "duplicate" in problem.message]
    assert len(found) + len(duplicates) == len(expected) and len(found) > 290
    assert set(found) <= set(expected)
    assert "of a Factiva export" in _by_file(corpus)["factiva.pdf"][0]
    first = corpus.articles[0]
    assert "\n\n" in first.text and "All rights reserved" not in first.text  # paragraphs apart, no copyright
    (tmp_path / "factiva.txt").write_text("\n".join(lines), encoding="utf-8")
    as_text = load_corpus([tmp_path / "factiva.txt"])
    assert found == [(article.outlet, article.published, article.title) for article in as_text.articles]


def test_a_single_article_document_is_read_as_its_text_file_is(tmp_path):
    """A .docx, .rtf or .pdf that is no news database's export is one article: its outlet, title and date found
    as in the same text saved as .txt."""
    page = SEED_PAGES[0].read_text(encoding="utf-8")
    lines = [line.strip() for line in page.split("\n") if line.strip()]
    (tmp_path / "seed.txt").write_text(page, encoding="utf-8")
    (tmp_path / "seed-docx.docx").write_bytes(docx_bytes(lines))
    (tmp_path / "seed-rtf.rtf").write_bytes(rtf_bytes(lines))
    (tmp_path / "seed-pdf.pdf").write_bytes(pdf_bytes([part for line in lines for part in (line, "")]))
    text_article = load_corpus([tmp_path / "seed.txt"]).articles[0]
    for name in ("seed-docx.docx", "seed-rtf.rtf", "seed-pdf.pdf"):
        article = load_corpus([tmp_path / name]).articles[0]
        assert (article.outlet, article.title, article.published) == (
            text_article.outlet,
            text_article.title,
            text_article.published,
        ), name
        assert article.text.split()[:80] == text_article.text.split()[:80], name


def _cut_pdf() -> bytes:
    whole = pdf_bytes(_factiva_paragraphs(1))
    return whole[: len(whole) // 3]


def _encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes(_factiva_paragraphs(1)))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip_of(names: list[str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
BAD_DOCUMENTS = {
    "cut.pdf": (_cut_pdf, "a damaged PDF: "),
    "locked.pdf": (_encrypted_pdf, "a password-protected PDF, which cannot be read"),
    "scan.pdf": (lambda: pdf_bytes([], scanned_pages=2), "no text layer: a scanned PDF needs OCR first"),
    "notes.pdf": (lambda: b"%PDF-1.4 notes on the quakes", "a damaged PDF: "),
    "sheet.docx": (
        lambda: _zip_of(["xl/workbook.xml", "[Content_Types].xml"]),
        "not a Word document (.docx): an Excel",
    ),
    "photos.docx": (lambda: _zip_of(["a.jpg", "b.jpg"]), "not a Word document (.docx): a ZIP archive of 2 files"),
    "locked.docx": (encrypted_docx_bytes, "a password-protected Word document (.docx), which cannot be read"),
    "old.docx": (
        lambda: encrypted_docx_bytes().replace(
            _ENCRYPTED, "WordDocument".encode("utf-16-le").ljust(len(_ENCRYPTED), b"\0")
        ),
        "an old Word document (.doc) named .docx: save it as .docx",
    ),
    "cut.docx": (lambda: docx_bytes(["Talks on Ukraine"])[:2000], "a damaged Word document (.docx): "),
    "text.rtf": (lambda: b"Talks on Ukraine, saved as .rtf by hand", "not an RTF document"),
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_a_bad_document_is_named_with_its_problem_and_the_rest_is_read(tmp_path, name):
    """Each bad document gives one message naming the file and what it is, no traceback; the seed beside it loads."""
    make, expected = BAD_DOCUMENTS[name]
    (tmp_path / name).write_bytes(make())
    (tmp_path / SEED_PAGES[0].name).write_bytes(SEED_PAGES[0].read_bytes())
    corpus = load_corpus([tmp_path])
    assert [article.id for article in corpus.articles] == [SEED_PAGES[0].stem]
    said = _by_file(corpus)[name]
    assert len(said) == 1 and said[0].startswith(expected), said
    assert "Parallax bug" not in said[0]


def test_the_cli_analyses_a_docx_download_and_adds_one_to_a_saved_run(tmp_path, capsys):
    """Before: `analyze CORPUS` named a .docx download "unsupported file type" on every run and read none of it."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for page in (SEED_PAGES[0], SEED_PAGES[3], SEED_PAGES[4]):
        (corpus / page.name).write_bytes(page.read_bytes())
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    (corpus / "nexis.docx").write_bytes(docx_bytes(_nexis_uni_paragraphs(), page_break_after=("End of Document",)))
    assert main(["analyze", str(corpus), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "nexis.docx: holds 2 articles of a Nexis Uni export" in err
    assert "added 2 articles to the saved run" in err and "analysing in full" not in err
