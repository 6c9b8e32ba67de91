"""Reading inputs, files, bytes and URLs into a Corpus; bad input becomes a problem, never an exception."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from compare.ingest.archives import SavedPage, archived_page
from compare.ingest.bundles import Bundle, Entry, bundle_entries
from compare.ingest.corpus import Corpus, deduplicate
from compare.ingest.encodings import binary_kind, decode
from compare.ingest.feeds import feed_rows
from compare.ingest.fetch import TIMEOUT_S, FetchRefusedError, fetch_page, private_urls_allowed
from compare.ingest.fields import FIELD_ALIASES, KNOWN_FIELDS, Metadata, field_key, metadata_from
from compare.ingest.files import gunzip, read_regular_file
from compare.ingest.formats import (
    ARCHIVE_SUFFIXES,
    ARROW_SUFFIXES,
    BUNDLE_SUFFIXES,
    DOCUMENT_SUFFIXES,
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    MAX_PAGE_BYTES,
    SERVER_PAGE_SUFFIXES,
    SPREADSHEET_SUFFIXES,
    SUPPORTED_NAMES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    content_name,
    content_suffix,
    link_list,
    nameless_gzip,
    parallax_output,
    size_limit,
    too_large,
    unsupported_type,
)
from compare.ingest.inputs import InputUnit, expand_inputs, maildir_place, system_file
from compare.ingest.news_databases import news_database_export
from compare.ingest.outlets import OutletRegistry, load_registry
from compare.ingest.pages import Page, page_corpus
from compare.ingest.rows import parquet_rows
from compare.ingest.sidecars import SIDECAR_NAMES, sidecar_of_folder
from compare.ingest.tables import TableFile, rows_corpus, text_table_corpus
from compare.model.documents import Problem
from compare.model.errors import InputError

logger = logging.getLogger(__name__)


def load_corpus(
    inputs: str | Path | Iterable[str | Path],
    registry: OutletRegistry | None = None,
    uploads: Iterable[tuple[str, bytes]] = (),
    progress: Callable[[str, int, int], None] | None = None,
) -> Corpus:
    """Reads every input (file, folder, or http(s) URL) into articles.

    Args:
        inputs: paths to files or folders (read recursively), or URLs; or one of them.
        registry: the outlet registry; the bundled one (plus ``$PARALLAX_OUTLETS``) by default.
        uploads: (file name, content) of files given as bytes (the dashboard's uploads), read after
            ``inputs`` and de-duplicated with them: an upload repeating an article, or an outlet
            spelt another way, is one article, one outlet.
        progress: called as ``progress("read", files read, files)`` after each file (or URL).

    Returns:
        The articles, de-duplicated and with unique ids, and a problem for every input that
        was skipped or only partly read. Never raises for bad input.
    """
    registry = registry or load_registry()
    corpus = Corpus()
    units = expand_inputs(inputs)
    for number, unit in enumerate(units, 1):
        corpus.extend(load_unit(unit, registry))
        if progress is not None:
            progress("read", number, len(units))
    for name, content in uploads:
        corpus.extend(load_bytes(content, name, registry))
    return deduplicate(corpus)


def load_unit(unit: InputUnit, registry: OutletRegistry | None = None) -> Corpus:
    """Reads one unit from ``expand_inputs``; problems are returned, not raised.

    An unexpected error while reading one unit becomes a problem naming it (its traceback is logged),
    so that one bad input never loses the others.
    """
    try:
        return _read_unit(unit, registry or load_registry())
    except Exception as error:  # noqa: BLE001 (the guard of last resort; specific causes are handled inside)
        return Corpus(problems=[_unexpected_problem(unit.location, error)])


def _unexpected_problem(source: str, error: Exception) -> Problem:
    logger.info("unexpected error while reading %s", source, exc_info=error)
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return Problem(
        source,
        f"could not be read: unexpected {type(error).__name__}{f' ({detail})' if detail else ''}; skipped. "
        "This is a Parallax bug: please report it (the 'compare.ingest' logger has the traceback)",
    )


def _read_unit(unit: InputUnit, registry: OutletRegistry) -> Corpus:
    if unit.kind == "url":
        return _load_url(unit.location, registry)
    if unit.kind == "storage":
        return _load_storage_file(unit.location, registry)
    if unit.kind == "problem":
        return Corpus(problems=[Problem(unit.location, unit.problem)])
    path = Path(unit.location)
    return load_file(path, registry, sidecar_of_folder(str(path.parent)))


def load_file(
    path: Path,
    registry: OutletRegistry | None = None,
    sidecar: Mapping[str, Metadata] | None = None,
    display_name: str | None = None,
) -> Corpus:
    """Reads one file of any supported format; problems are returned, not raised."""
    registry = registry or load_registry()
    source = display_name or str(path)
    message = maildir_place(path) == "message"  # named 1711962000.M1P2.host:2,S: its type is not in its name
    raw, problem = read_regular_file(path, size_limit(".eml" if message else path.name))
    if problem:
        return Corpus(problems=[Problem(source, problem)])
    if message:
        try:
            return _read_content(raw, source, ".eml", registry, (sidecar or {}).get(path.name))
        except Exception as error:  # noqa: BLE001 (the guard of last resort, as in load_bytes)
            return Corpus(problems=[_unexpected_problem(source, error)])
    return load_bytes(raw, source, registry, (sidecar or {}).get(path.name))


def load_bytes(
    raw: bytes,
    source: str,
    registry: OutletRegistry | None = None,
    metadata: Metadata | None = None,
) -> Corpus:
    """Reads the bytes of one file (an upload, say) whose name is ``source``; problems are returned, not raised."""
    try:
        return _read_bytes(raw, source, registry or load_registry(), metadata)
    except Exception as error:  # noqa: BLE001 (the guard of last resort, as in load_unit)
        return Corpus(problems=[_unexpected_problem(source, error)])


def _read_bytes(raw: bytes, source: str, registry: OutletRegistry, metadata: Metadata | None) -> Corpus:
    suffix = content_suffix(source)
    untyped = nameless_gzip(source) and raw.startswith(b"\x1f\x8b")
    if not suffix and not nameless_gzip(source) and not raw.startswith(b"\x1f\x8b"):
        if _saved_web_page(raw):
            corpus = _read_content(raw, source, ".html", registry, metadata)
            note = "its name gives no file type; read as a web page, by its content"
            corpus.problems.insert(0, Problem(source, note))
            return corpus
        return Corpus(problems=[Problem(source, f"{unsupported_type(suffix)}; skipped ({SUPPORTED_NAMES})")])
    if suffix not in SUPPORTED_SUFFIXES and not untyped:
        named_gzip = " (named .gz, but not gzip-compressed)" if nameless_gzip(source) else ""
        return Corpus(problems=[Problem(source, f"{unsupported_type(suffix)}{named_gzip}; {SUPPORTED_NAMES}")])
    notes: list[Problem] = []
    if raw.startswith(b"\x1f\x8b"):  # gzip, whatever the name says
        raw, problem = gunzip(raw, size_limit(source))
        if problem and not raw:
            return Corpus(problems=[Problem(source, problem)])
        notes += [Problem(source, problem)] if problem else []
    if untyped:
        suffix, kind = sniffed_type(raw)
        notes.append(Problem(source, f"its name gives no file type before .gz; read as {kind}, by its content"))
    corpus = _read_content(raw, source, suffix, registry, metadata)
    corpus.problems[:0] = notes
    return corpus


def sniffed_type(raw: bytes) -> tuple[str, str]:
    """(the suffix, what it is) of content whose name does not say: Parquet, JSON (or JSON Lines), HTML or text."""
    if raw.startswith(b"PAR1"):
        return ".parquet", "Parquet"
    decoded = decode(raw[:4096])
    start = decoded.text.lstrip("\ufeff \t\r\n")[:1] if decoded else ""
    if start in ("{", "["):
        return ".json", "JSON"  # json_rows reads JSON Lines too
    if start == "<":
        return ".html", "HTML"
    return ".txt", "text"


def _read_content(  # noqa: PLR0913 (stem: an entry of a bundle is named after the bundle, not its own name)
    raw: bytes,
    source: str,
    suffix: str,
    registry: OutletRegistry,
    metadata: Metadata | None,
    stem: str | None = None,
) -> Corpus:
    if not raw.strip():
        return Corpus(problems=[Problem(source, "file is empty")])
    if suffix in ARROW_SUFFIXES | FEED_SUFFIXES:  # a table's rows, or a feed's items as rows
        rows = feed_rows(raw) if suffix in FEED_SUFFIXES else parquet_rows(raw, feather=suffix != ".parquet")
        return rows_corpus(rows, TableFile(source, id_from_name(source)), registry)
    ours = parallax_output(raw, source) or link_list(raw, source)
    if ours:
        return Corpus(problems=[Problem(source, ours)])
    if suffix in BUNDLE_SUFFIXES:
        return _bundle_corpus(bundle_entries(raw, suffix), TableFile(source, id_from_name(source)), registry)
    if suffix in ARCHIVE_SUFFIXES:  # a page saved as one file: its HTML is the page
        saved = archived_page(raw, suffix)
        if saved.problem:
            return Corpus(problems=[Problem(source, saved.problem)])
        raw, suffix, metadata = saved.html, saved.suffix, _saved_page_metadata(saved, metadata)
    if suffix in SPREADSHEET_SUFFIXES:
        return _spreadsheet_corpus(raw, TableFile(source, stem or id_from_name(source)), registry)
    if suffix in DOCUMENT_SUFFIXES:  # a .docx, .rtf or .pdf: its text is read as a .txt file's is
        return _document_corpus(raw, source, suffix, registry, metadata)
    if suffix in SERVER_PAGE_SUFFIXES and not _saved_web_page(raw):
        what = f"a {suffix} file that holds no web page (a program's source?), not an article; skipped"
        return Corpus(problems=[Problem(source, what)])
    return _decoded_corpus(raw, source, suffix, registry, metadata, stem)


def _decoded_corpus(  # noqa: PLR0913 (the file's reading as _read_content was given it)
    raw: bytes, source: str, suffix: str, registry: OutletRegistry, metadata: Metadata | None, stem: str | None
) -> Corpus:
    """A text file's articles (a page, a text, a table in text), once its bytes are decoded."""
    kind = binary_kind(raw)  # before decoding: a PDF or an RTF file can decode as text
    decoded = None if kind else decode(raw)
    if decoded is None:
        return Corpus(
            problems=[Problem(source, f"file is binary, not text ({kind})" if kind else "file is binary, not text")]
        )
    if not decoded.text.strip():  # a UTF-16 file of newlines, a line of ideographic spaces
        return Corpus(problems=[Problem(source, "file is empty")])
    corpus, kind_note = _text_corpus(decoded.text, source, suffix, registry, metadata, stem)
    corpus.problems[:0] = [Problem(source, note) for note in (decoded.note, kind_note) if note]
    return corpus


def _document_corpus(
    raw: bytes, source: str, suffix: str, registry: OutletRegistry, metadata: Metadata | None
) -> Corpus:
    """The articles of a .docx, .rtf or .pdf file: a news database's download split one article a document, by the
    rules of its .txt export; any other document one article, as a .txt page."""
    # imported here: compare.ingest.load is on the CLI's start, which reads no document (~3-10 ms of compiling it)
    from compare.ingest.documents import document_text

    document = document_text(raw, suffix)
    if document.problem:
        return Corpus(problems=[Problem(source, document.problem)])
    if not document.text.strip():
        return Corpus(problems=[Problem(source, f"the {suffix[1:].upper()} document holds no text")])
    corpus, kind_note = _text_corpus(document.text, source, ".txt", registry, metadata)
    corpus.problems[:0] = [Problem(source, note) for note in (document.note, kind_note) if note]
    return corpus


def _spreadsheet_corpus(raw: bytes, table: TableFile, registry: OutletRegistry) -> Corpus:
    """The articles of an Excel workbook, each sheet's read as the CSV file it would save as; a workbook of several
    sheets names each (``book.xlsx[Sheet2]:3``, ids ``book-Sheet2-3``)."""
    # imported here: openpyxl's reader is needed only when a workbook is read (as documents.py's libraries)
    from compare.ingest.spreadsheets import workbook_sheets

    workbook = workbook_sheets(raw)
    corpus = Corpus(problems=[Problem(table.source, workbook.problem)] if workbook.problem else [])
    if not workbook.sheets and not workbook.problem:
        corpus.problems.append(Problem(table.source, "the workbook's sheets hold no cell"))
    several = len(workbook.sheets) > 1
    for sheet in workbook.sheets:
        where = TableFile(f"{table.source}[{sheet.name}]", f"{table.stem}-{sheet.name}") if several else table
        read = text_table_corpus(sheet.csv_text, where, ".csv", registry)
        # The table reader speaks of a CSV file's commas; a sheet has neither.
        read.problems = [
            replace(
                problem, message=problem.message.replace(_CSV_NO_TEXT, "the sheet has no text column (its columns: ")
            )
            for problem in read.problems
        ]
        corpus.extend(read)
    return corpus


_CSV_NO_TEXT = "CSV has no text column (columns read with commas between them: "


def _bundle_corpus(bundle: Bundle, table: TableFile, registry: OutletRegistry) -> Corpus:
    """The articles of a mailbox's messages or a web archive's pages, each read as its own file is (an .eml, a
    web page) and named as a table's row is (``FILE:3``, id ``stem-3``), and one note of what the file held."""
    if bundle.problem:
        return Corpus(problems=[Problem(table.source, bundle.problem)])
    corpus = Corpus()
    for entry in bundle.entries:
        # a zip's file is named as a file of its name in a folder is
        source = table.row_source(entry.number) if entry.name is None else f"{table.source}/{entry.name}"
        if entry.problem:
            corpus.extend(Corpus(problems=[Problem(source, entry.problem)]))
        elif entry.name is not None:
            corpus.extend(_zip_member(entry, source, registry))
        else:
            corpus.extend(
                _read_content(entry.raw, source, entry.suffix, registry, entry.metadata, table.row_id(entry.number))
            )
    articles, entries = len(corpus.articles), len(bundle.entries)
    kind = "message" if bundle.what.startswith("a mailbox") else "file" if bundle.what.startswith("a zip") else "page"
    summary = f"{bundle.what}: {entries:,} {kind}{'s' * (entries != 1)}, {articles:,} read as articles"
    if articles < entries:
        summary += " (the others named one by one)" if articles else " (each named)"
    if bundle.passed_over:
        counts = ", ".join(f"{what} {count:,}" for what, count in bundle.passed_over.most_common())
        summary += f"; {bundle.passed_over.total():,} passed over, not articles: {counts}"
    # Said when something of the file was not read (a whole mailbox read is no news on every run); else only when
    # it gave no article, which would otherwise be unsaid for a file of entries each read without a problem.
    notes = [Problem(table.source, summary)] if articles < entries or bundle.passed_over or not articles else []
    if bundle.cut_short:
        notes.append(Problem(table.source, f"{bundle.what} cut short: {bundle.cut_short}; what came before was read"))
    corpus.problems[:0] = notes
    return corpus


def _zip_member(entry: Entry, source: str, registry: OutletRegistry) -> Corpus:
    """A zip's file, read as that file in a folder is; a zip inside it and a sidecar are named, not read."""
    name = (entry.name or "").rsplit("/", 1)[-1]
    if content_suffix(name) == ".zip":
        return Corpus(problems=[Problem(source, "a zip archive inside a zip archive is not read; unpack it first")])
    if name.lower() in SIDECAR_NAMES:
        what = "a sidecar inside a zip archive is not read (its outlets, titles and dates are not used)"
        return Corpus(problems=[Problem(source, f"{what}: unpack the zip and give its folder")])
    if system_file(name):
        return Corpus()
    return load_bytes(entry.raw, source, registry)


def _saved_page_metadata(saved: SavedPage, metadata: Metadata | None) -> Metadata:
    """What a saved page's archive says of it (its address; an e-mail's subject and date), after ``metadata``."""
    given = (metadata or Metadata()).merge(Metadata(url=saved.url, title=saved.title))
    return given.merge(metadata_from({"published": saved.published})) if saved.published else given


def _text_corpus(  # noqa: PLR0913
    text: str, source: str, suffix: str, registry: OutletRegistry, metadata: Metadata | None, stem: str | None = None
) -> tuple[Corpus, str | None]:
    """The articles of a file's decoded text, and a note when it was read as another type than its name says."""
    stem = stem or id_from_name(source)
    read_as, kind_note = page_content_kind(text, suffix)
    export = news_database_export(text) if read_as in TEXT_SUFFIXES else None
    if export is not None:
        first = 0 if len(export.rows) == 1 else 1  # one document: the file's own id and name, as a page has
        rows = (
            (number, row, None) if row.get("text") else (number, None, _EMPTY_DOCUMENT.format(number=number))
            for number, row in enumerate(export.rows, first)
        )
        return rows_corpus(rows, TableFile(source, stem), registry), export.note
    if read_as in TEXT_SUFFIXES | HTML_SUFFIXES:
        markdown = read_as in {".md", ".markdown"}
        page = Page(text, source, stem, html=read_as in HTML_SUFFIXES, metadata=metadata, markdown=markdown)
        return page_corpus(page, registry), kind_note
    return text_table_corpus(text, TableFile(source, stem), read_as, registry), kind_note


# A news database's document with a header and no text: "row has no text: its 'text' field is empty" spoke of
# a table the user never gave.
_EMPTY_DOCUMENT = "document {number} of the export has no text between its header and its end; skipped"


def id_from_name(source: str) -> str:
    """The id a file's name gives its article (``page`` for ``page.txt.gz``), without the control, format and bidi
    characters a name may hold (an upload named with a newline, an escape sequence or U+202E), as an id given in a
    table's field is cleaned: statement ids, exports and JSON carry it."""
    stem = Path(content_name(source)).stem
    return "".join(ch for ch in stem if unicodedata.category(ch) not in ("Cc", "Cf", "Cs")) or "article"


_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)


def _saved_web_page(raw: bytes) -> bool:
    """Whether a file's first bytes start an HTML document (a page a crawler saved under a name of no type)."""
    decoded = decode(raw[:4096])
    return decoded is not None and bool(_HTML_START.match(decoded.text.lstrip("\ufeff")))


def page_content_kind(text: str, suffix: str) -> tuple[str, str | None]:
    """(the type to read a file's text as, a note when that is not what its name says): a web page saved as .txt
    (``curl URL > page.txt``) was an article of its markup and scripts, and JSON saved as .html or .txt an article
    of its quotes and braces."""
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return suffix, None
    if suffix in TEXT_SUFFIXES and _HTML_START.match(text[:4096]):
        return ".html", "holds a web page (HTML), not plain text; read as HTML"
    table = _table_in_text(text) if suffix in TEXT_SUFFIXES else None
    if table:
        return table
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        try:
            value = json.loads(text.lstrip("\ufeff"))
        except (ValueError, RecursionError):
            return suffix, None
        if isinstance(value, dict | list):
            return ".json", f"holds JSON, not {'HTML' if suffix in HTML_SUFFIXES else 'plain text'}; read as JSON"
    return suffix, None


def _table_in_text(text: str) -> tuple[str, str] | None:
    """(".tsv" or ".csv", a note) for a text file that is a table with a header naming a text column and another
    known field, or only known fields (Excel's "Unicode Text" is tab-separated UTF-16 saved as .txt); it was one
    article of its cells. A table without a text column is then named as one ("CSV has no text column …")."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    for delimiter, suffix, between in (("\t", ".tsv", "tabs"), (",", ".csv", "commas"), (";", ".csv", "semicolons")):
        names = [field_key(name.strip().strip('"')) for name in header.split(delimiter)]
        if len(names) < 2 or any(len(name) > 40 for name in names):
            continue
        known = [name for name in names if name in KNOWN_FIELDS]
        with_text = any(name in FIELD_ALIASES["text"] for name in names)
        if len(known) >= 2 and (with_text or len(known) == len(names)):
            shown = ", ".join(names[:8])
            return (
                suffix,
                f"holds a table (its first line names columns separated by {between}: {shown}), not an article; read as a table",
            )
    return None


def _load_storage_file(uri: str, registry: OutletRegistry) -> Corpus:
    """One file from an object store (or file://), read whole through pyarrow."""
    limit = size_limit(uri)
    try:
        import pyarrow.fs as arrow_fs  # only for object-store inputs

        filesystem, path = arrow_fs.FileSystem.from_uri(uri)
        size = filesystem.get_file_info(path).size or 0
        if size > limit:
            return Corpus(problems=[Problem(uri, too_large(size, limit))])
        with filesystem.open_input_file(path) as handle:
            raw = handle.readall()
    except (OSError, ValueError) as error:
        return Corpus(problems=[Problem(uri, f"cannot read the file ({str(error).splitlines()[0][:200]})")])
    return load_bytes(raw, uri, registry)


def fetch_url(url: str, timeout_s: float = TIMEOUT_S) -> bytes:
    """Downloads a public web page (``compare.ingest.fetch.fetch_page``); raises ``InputError`` saying why not."""
    return fetch_page(url, timeout_s=timeout_s, max_bytes=MAX_PAGE_BYTES, allow_private=private_urls_allowed())


def _load_url(url: str, registry: OutletRegistry) -> Corpus:
    try:
        raw = fetch_url(url)
    except InputError as error:
        message = str(error).split(": ", 1)[-1]
        if isinstance(error, FetchRefusedError) and error.private_only:
            message += " (for a page on your own network, run the CLI with --allow-private-urls)"
        return Corpus(problems=[Problem(url, message)])
    name = hashlib.sha1(url.encode()).hexdigest()[:12] + ".html"
    corpus = load_bytes(raw, name, registry, Metadata(url=url))
    corpus.articles = [replace(article, source=url, url=article.url or url) for article in corpus.articles]
    corpus.problems = [Problem(url, problem.message) for problem in corpus.problems]
    return corpus
