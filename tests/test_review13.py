"""Review of session 13's merges (robust15's readers, tour14's views): hostile and realistic inputs, each case
failing before its fix (files written by the test, article text from the seeds)."""

from __future__ import annotations

from compare.ingest import load_corpus
from compare.ingest.news_databases import news_database_export
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


_NEXIS_DOCUMENTS = [
    ("The New York Times", "April 3, 2024 Wednesday", "Talks on Ukraine Resume in Paris"),
    ("The Guardian (London)", "January 26, 2022 Wednesday", "Russia and Ukraine agree to keep talking"),
    ("The Washington Post", "March 5, 2022 Saturday", "Kremlin says talks will continue"),
]


def _nexis_export(length_line: bool = True, documents: int = 3) -> str:
    text = ""
    for number, (outlet, published, title) in enumerate(_NEXIS_DOCUMENTS[:documents], 1):
        length = "LENGTH: 812 words\n\n" if length_line else ""
        text += (
            f"                              {number} of 3 DOCUMENTS\n\n\n                           {outlet}\n\n"
            f"                       {published}\n                           Late Edition - Final\n\n{title}\n\n"
            f"BYLINE: By Jane Doe\n\nSECTION: Section A; Foreign Desk; Pg. 6\n\n{length}DATELINE: PARIS\n\n"
            f"{_body(number)}\n\nURL: https://example.com/{number}\n\nLOAD-DATE: April 3, 2024\n\n"
            f"LANGUAGE: ENGLISH\n\nPUBLICATION-TYPE: Newspaper\n\nCopyright 2024 {outlet}\n\n\n"
        )
    return text


def test_a_lexisnexis_document_without_a_length_line_has_its_headline_and_not_its_byline_as_text(tmp_path):
    """Before: a document with no "LENGTH: … words" line (a wire item, some exports) had 'SECTION: …' as its title
    and its BYLINE, SECTION and DATELINE lines in its text."""
    (tmp_path / "nexis.txt").write_text(_nexis_export(length_line=False), encoding="utf-8")
    corpus = load_corpus([tmp_path / "nexis.txt"])
    assert [(a.outlet, a.published, a.title) for a in corpus.articles] == [
        ("The New York Times", "2024-04-03", "Talks on Ukraine Resume in Paris"),
        ("The Guardian (London)", "2022-01-26", "Russia and Ukraine agree to keep talking"),
        ("The Washington Post", "2022-03-05", "Kremlin says talks will continue"),
    ]
    for article in corpus.articles:
        assert "BYLINE" not in article.text and "SECTION" not in article.text and "DATELINE" not in article.text


def test_a_lexisnexis_export_cut_off_says_which_documents_it_lacks(tmp_path):
    """Before: a download cut off after two of its three documents read two articles and said nothing of the
    third (each document is numbered '2 of 3 DOCUMENTS')."""
    (tmp_path / "nexis.txt").write_text(_nexis_export(documents=2), encoding="utf-8")
    corpus = load_corpus([tmp_path / "nexis.txt"])
    assert len(corpus.articles) == 2
    assert [p.message for p in corpus.problems] == [
        "holds 2 articles of a LexisNexis export ('1 of 3 DOCUMENTS'), not one article; read one article each; the "
        "export numbers 3 documents and 1 is not in this file (3): in another file of the download, or the file was "
        "cut off"
    ]


def test_a_nexis_uni_exports_cover_page_is_not_its_first_articles_header(tmp_path):
    """Before: Nexis Uni's cover page ('User Name: …', 'Date and Time: …', 'Job Number: …') above the first
    document made 'User Name: Jane Doe' its title, 'Date and Time: …' its outlet and a date from its text its date."""
    cover = (
        "User Name: Jane Doe\nDate and Time: Wednesday, April 3, 2024 10:12:00 AM CEST\nJob Number: 219876543\n\n"
        "Documents (3)\n1. Talks on Ukraine Resume in Paris\nClient/Matter: -None-\nSearch Terms: Ukraine talks\n"
        "Search Type: Natural Language\nNarrowed by:\nContent Type Narrowed by\nNews Sources: The New York Times\n\n"
    )
    text = cover + "".join(
        f"{title}\n{outlet}\n{published}\nLate Edition - Final\n\nCopyright 2024 {outlet}\nSection: A; Pg. 6\n"
        f"Length: 812 words\nByline: By Jane Doe\n\nBody\n\n\n{_body(number)}\n\nLoad-Date: April 3, 2024\n\n\n"
        "End of Document\n\n"
        for number, (outlet, published, title) in enumerate(_NEXIS_DOCUMENTS, 1)
    )
    (tmp_path / "uni.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus([tmp_path / "uni.txt"])
    assert [(a.outlet, a.published, a.title) for a in corpus.articles] == [
        ("The New York Times", "2024-04-03", "Talks on Ukraine Resume in Paris"),
        ("The Guardian (London)", "2022-01-26", "Russia and Ukraine agree to keep talking"),
        ("The Washington Post", "2022-03-05", "Kremlin says talks will continue"),
    ]
    assert [p.message for p in corpus.problems] == [
        "holds 3 articles of a Nexis Uni export ('End of Document' after each), not one article; read one article each"
    ]


def test_a_factiva_document_without_a_copyright_line_keeps_a_paragraph_opening_copyright(tmp_path):
    """Before: with no copyright line in a document's header (some sources have none), a paragraph of its text
    opening 'Copyright' within its first 20 lines was taken for it, and the text began after it: that paragraph
    and those above it were lost without a word."""
    paragraph = "Copyright lawyers for both governments said the talks on the treaty would go on next week."
    text = ""
    for number, (outlet, published) in enumerate(
        [("The Guardian", "3 April 2024"), ("Financial Times", "4 April 2024")]
    ):
        first, *rest = _body(number + 1).split("\n\n")
        text += (
            f"Talks {number}\nBy Jane Doe\n812 words\n{published}\n08:00 GMT\n{outlet}\nGUARD\nEnglish\n\n"
            + "\n\n".join([first, paragraph, *rest])
            + f"\n\nDocument GUARD000020240403ek43000{number}x\n\n\n"
        )
    (tmp_path / "factiva.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus([tmp_path / "factiva.txt"])
    assert [(a.outlet, a.published) for a in corpus.articles] == [
        ("The Guardian", "2024-04-03"),
        ("Financial Times", "2024-04-04"),
    ]
    for article in corpus.articles:
        assert paragraph in article.text and "GUARD" not in article.text and "English" not in article.text


def test_a_news_database_document_without_text_is_named_as_a_document_not_a_table_row(tmp_path):
    """Before: "row has no text: its 'text' field is empty", of a .txt export that has no rows or fields."""
    export = _nexis_export()
    second = export.index("2 of 3 DOCUMENTS")
    text_start = export.index("DATELINE: PARIS", second) + len("DATELINE: PARIS")
    export = export[:text_start] + "\n\n" + export[export.index("URL: https://example.com/2") :]
    (tmp_path / "nexis.txt").write_text(export, encoding="utf-8")
    corpus = load_corpus([tmp_path / "nexis.txt"])
    assert [a.id for a in corpus.articles] == ["nexis-1", "nexis-3"]
    assert [(p.source.rsplit("/", 1)[-1], p.message) for p in corpus.problems][1:] == [
        ("nexis.txt:2", "document 2 of the export has no text between its header and its end; skipped")
    ]


def test_a_factiva_export_with_indexing_reads_each_field_under_its_code(tmp_path):
    """Before: Factiva's display "with indexing" (HD, SN, PD, LP, TD … and "AN Document …") had 'HD' as every
    title and its outlets unknown (codes on their own lines), or was one article (codes before their values)."""
    documents = [
        ("The Guardian", "3 April 2024"),
        ("Financial Times", "4 April 2024"),
        ("Reuters News", "5 April 2024"),
    ]
    own_lines = inline = ""
    for number, (outlet, published) in enumerate(documents, 1):
        lead, *rest = _body(number).split("\n\n")
        fields = [
            ("HD", f"Talks on Ukraine {number}"),
            ("BY", "Jane Doe"),
            ("WC", "812 words"),
            ("PD", published),
            ("SN", outlet),
            ("SC", "GUARD"),
            ("LA", "English"),
            ("CY", f"Copyright 2024 {outlet}."),
            ("LP", lead),
            ("TD", "\n\n".join(rest)),
            ("NS", "gpol : Domestic Politics"),
            ("RE", "fra : France"),
            ("AN", f"Document GUARD000020240403ek43000{number}x"),
        ]
        own_lines += "".join(f"{code}\n{value}\n" for code, value in fields) + "\n"
        inline += "".join(f"{code}  {value}\n" for code, value in fields) + "\n"
    for name, text in (("own_lines.txt", own_lines), ("inline.txt", inline)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        export = news_database_export(text)
        assert export is not None and not [row for row in export.rows if "Domestic Politics" in row["text"]]
        corpus = load_corpus([tmp_path / name])
        assert [(a.outlet, a.published, a.title) for a in corpus.articles] == [
            ("The Guardian", "2024-04-03", "Talks on Ukraine 1"),
            ("Financial Times", "2024-04-04", "Talks on Ukraine 2"),
            ("Reuters News", "2024-04-05", "Talks on Ukraine 3"),
        ], name
        for article, number in zip(corpus.articles, (1, 2, 3), strict=True):
            paragraphs = _body(number).split("\n\n")[2:]  # the seed's text, past its lead (the LP field)
            assert next(p for p in paragraphs if len(p) > 150 and "Copyright" not in p) in article.text
            assert "Domestic Politics" not in article.text and "GUARD" not in article.text
