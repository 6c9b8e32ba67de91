"""The file types Parallax reads, and how large a file, a page or an article may be."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from compare.model.framing import Framing

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
# A crawler (wget, HTTrack) saves a page under the name its address gives: a server page's (.php, .aspx, .shtml),
# with the query string (article.html?id=3), or none at all (/news/some-story). What such a file holds is told
# by its content: a web page is read as HTML, anything else is unsupported as before.
SERVER_PAGE_SUFFIXES = {".shtml", ".php", ".asp", ".aspx", ".jsp", ".cfm"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", *SERVER_PAGE_SUFFIXES}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".feather", ".arrow"}
ARROW_SUFFIXES = {".parquet", ".feather", ".arrow"}  # read by pyarrow, their values typed
# A web page saved as one file, its images inside; an e-mail (a newsletter saved as .eml) is one too.
ARCHIVE_SUFFIXES = {".mht", ".mhtml", ".webarchive", ".eml"}
# A news database's downloads (Nexis Uni's .docx, .pdf and .rtf; Factiva's .rtf and .pdf), or any such document.
# A broadcast's captions (SubRip, WebVTT) are read so too: their spoken text, without cue numbers and timings.
SUBTITLE_SUFFIXES = {".srt", ".vtt"}
DOCUMENT_SUFFIXES = {".docx", ".rtf", ".pdf", *SUBTITLE_SUFFIXES}
# Many messages or pages in one file: a mailbox (each newsletter read as an .eml is) and a web archive of a crawl
# (each HTML response read as a web page; warcio reads it), each an article as a table's row is; and a zip, each of
# its files read as in a folder (a dashboard upload of a folder).
BUNDLE_SUFFIXES = {".mbox", ".warc", ".zip"}
# An Excel workbook: each sheet read as the CSV file "Save as CSV" would write (openpyxl reads it).
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm"}
# A news feed (RSS or Atom), one article an item as a table's row is; an .xml file is read when it is one.
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES
    | HTML_SUFFIXES
    | TABLE_SUFFIXES
    | ARCHIVE_SUFFIXES
    | DOCUMENT_SUFFIXES
    | BUNDLE_SUFFIXES
    | FEED_SUFFIXES
    | SPREADSHEET_SUFFIXES
)
SUPPORTED_LIST = (
    ".txt, .md, .html, .docx, .rtf, .pdf, .json, .jsonl, .csv, .xlsx, .parquet, .rss (or Atom), .srt, .mbox, .warc "
    "or .zip"
)
SUPPORTED_NAMES = f"use {SUPPORTED_LIST}, each also gzip-compressed as .gz"
# What the dashboard's uploader takes: every type read (a crawler's server page is uploaded as the .html it holds),
# and each gzip-compressed. Written here once: the uploader's own copy of the list had fallen behind the readers.
UPLOAD_TYPES = [*sorted(suffix[1:] for suffix in SUPPORTED_SUFFIXES - SERVER_PAGE_SUFFIXES), "gz"]

MAX_PAGE_BYTES = 20 * 1024 * 1024  # one article page (a file or a fetched URL); larger is not an article
MAX_TABLE_BYTES = 2 * 1024 * 1024 * 1024
# A web page saved with its images inside (base64 in MHTML, data: addresses in SingleFile's and other "single file"
# HTML): its text is read once the images are left out, which must then be within MAX_PAGE_BYTES.
MAX_SAVED_PAGE_BYTES = 100 * 1024 * 1024
# A mailbox or web archive (its gzip undone) or a zip: all of it is held while its entries are read, each copied
# out (a hosted server of 2 GB held 7.8 GB for a .warc.gz of 1.9 MB under the table's 2 GB limit, round 16).
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_ARTICLE_CHARS = 200_000  # longer article texts are cut here, with a problem noted
MIN_ARTICLE_WORDS = 20


def content_name(name: str) -> str:
    """The name a file's content goes by: ``rows.jsonl.gz`` holds ``rows.jsonl``."""
    return name[: -len(".gz")] if name.lower().endswith(".gz") else name


def content_suffix(name: str) -> str:
    """The type of a file's content, by its name (``.jsonl`` for ``rows.jsonl.gz``, ``.html`` for a page a crawler
    saved as ``article.html?id=3`` or ``article.html?id=3.5``, none for ``story?id=3.5``)."""
    file_name = Path(content_name(name)).name
    # A query string's dots are not the type's (``?id=3.5`` is not a ``.5`` file); a name of no type before its "?"
    # is told by its content, as one of no type at all is, unless the whole name ends in a type read (``why?.txt``).
    suffix = Path(file_name.split("?", 1)[0]).suffix.lower()
    whole = Path(file_name).suffix.lower()
    return suffix or (whole if whole in SUPPORTED_SUFFIXES else "")


def nameless_gzip(name: str) -> bool:
    """Whether a name is only ``.gz`` after its stem (``data.gz``): its type is told from its content."""
    return name.lower().endswith(".gz") and not content_suffix(name)


def size_limit(name: str) -> int:
    """The largest file of this name that is read (decompressed, for a .gz): a table may hold many
    articles, a page only one, and a web page or a document may hold its images too (their text is then held to
    the page's limit)."""
    suffix = content_suffix(name)
    if suffix in BUNDLE_SUFFIXES:
        return MAX_BUNDLE_BYTES
    if suffix in TABLE_SUFFIXES:
        return MAX_TABLE_BYTES
    saved = ARCHIVE_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES | FEED_SUFFIXES | SPREADSHEET_SUFFIXES
    return MAX_SAVED_PAGE_BYTES if suffix in saved else MAX_PAGE_BYTES


def too_large(size: int, limit: int) -> str:
    """The problem of a file larger than ``limit``."""
    return f"file is {size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB"


def unsupported_type(suffix: str) -> str:
    """The start of the problem of a file whose type is not read, with how to make it one that is, when known."""
    hint = next((hint for kinds, hint in _SAVE_AS if suffix.lower() in kinds), None)
    return f"unsupported file type {suffix or '(none)'}{f' ({hint})' if hint else ''}"


# What to do with the files people most often give instead of the types read.
_SAVE_AS = (
    ({".xls", ".ods", ".numbers"}, "a spreadsheet: save it as .xlsx or CSV (UTF-8) from its program"),
    ({".doc", ".odt", ".pages", ".docm"}, "a word-processor document: save it as .docx or plain text (.txt)"),
    ({".7z", ".rar", ".tar", ".tgz", ".bz2", ".xz", ".zst"}, "an archive: unpack it and give its folder"),
    ({".msg", ".pst"}, "an Outlook message or folder: save each newsletter as .eml, or export the folder as .mbox"),
    ({".arc"}, "an older web archive (ARC): convert it to WARC, which is read"),
    ({".sqlite", ".sqlite3", ".db", ".duckdb"}, "a database: export its articles as CSV or JSON Lines"),
    (
        {".pkl", ".pickle"},
        "a Python pickle, which is never loaded (loading one runs whatever code it holds): save the DataFrame with "
        "to_parquet or to_csv",
    ),
    ({".rds", ".rdata", ".rda"}, "an R data file: save it with arrow::write_parquet or write.csv"),
    ({".dta", ".sav", ".sas7bdat"}, "a Stata, SPSS or SAS data file: export it as CSV (UTF-8) or Parquet"),
    ({".epub", ".mobi"}, "an e-book: save its chapters as .txt or .html"),
)


EXPORT_MARKER = ".parallax-export"  # the file ``export`` leaves in its folder (hidden, as input folders skip)
REPORT_MARK = b"<title>Parallax report</title>"  # what compare.views.report writes in every report's head


def parallax_output(raw: bytes, name: str) -> str | None:
    """Why a file is not an input, when it is one Parallax wrote: an HTML report, or a chart's data or a framing
    table of ``export``, saved into the corpus folder (they were read back as articles: the report, and a chart's
    hover texts as one article each). None for any other file."""
    suffix = content_suffix(name)
    head = raw[:4096]
    if suffix in HTML_SUFFIXES and REPORT_MARK in head:
        return "a report Parallax wrote (python -m compare report), not an article; skipped"
    if suffix != ".csv":
        return None
    header = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    chart_data = content_name(name).lower().endswith(".data.csv") and header.startswith("series,x,y")
    if chart_data or header in _exported_headers():
        return "a table Parallax exported (python -m compare export), not articles; skipped"
    return None


# Lists of saved links: read-it-later services' exports and every browser's bookmarks (the Netscape format, which
# Pinboard and Raindrop write too). Read as a page, one was an "article" of its link titles, its outlet "Unread".
_LINK_LISTS = (
    (b"<title>pocket export</title>", "Pocket's export"),
    (b"<title>instapaper: export</title>", "Instapaper's export"),
    (b"<!doctype netscape-bookmark-file-1>", "a browser's bookmarks export"),
)


def link_list(raw: bytes, name: str) -> str | None:
    """Why an HTML file that lists saved links (Pocket's or Instapaper's export, exported bookmarks) is not an
    article, or None for any other file."""
    if content_suffix(name) not in HTML_SUFFIXES:
        return None
    head = raw[:4096].lower()
    what = next((what for mark, what in _LINK_LISTS if mark in head), None)
    if what is None:
        return None
    links = raw.lower().count(b"<a href")
    return (
        f"a list of {links:,} saved link{'s' * (links != 1)} ({what}), not articles; skipped: the articles are the "
        "pages they link to (give their addresses as inputs, which the command line fetches, or save each page)"
    )


@cache
def _exported_headers() -> frozenset[str]:
    return frozenset(",".join(Framing.columns(key)) for key in Framing.exported_tables())
