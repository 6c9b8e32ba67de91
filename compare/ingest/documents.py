"""A word-processor or PDF document (.docx, .rtf, .pdf: a news database's download) -> its plain text, or why none.

LexisNexis / Nexis Uni download .docx, .pdf and .rtf by default and Factiva .rtf and .pdf; their text is then read as
the same service's .txt export is (``compare.ingest.news_databases``), and any other document as a .txt page. The
libraries are imported only here, when such a file is read: the CLI starts without them.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from compare.ingest.formats import MAX_PAGE_BYTES, MAX_SAVED_PAGE_BYTES, too_large

if TYPE_CHECKING:
    from pypdf import PageObject

logger = logging.getLogger(__name__)

# A PDF's pages read at most: a Factiva download of 100 articles is 200-400 pages; a file of more is not an export
# of articles (a book, a scan), and each page costs tens of milliseconds to read.
MAX_PDF_PAGES = 5_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office's compound file: an old .doc, or an encrypted .docx
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_RTF_CODEPAGE_RE = re.compile(rb"\\ansicpg(\d{3,5})")
# A picture's or an embedded object's data, in hex: no prose runs 1,024 characters of hex digits. Left out before
# striprtf, which walks it token by token (an RTF with a 30 MB picture took 7.7 s of CPU; 0.05 s without it).
_RTF_HEX_DATA_RE = re.compile(rb"[0-9A-Fa-f\r\n]{1024,}")


class DocumentText(NamedTuple):
    """The text of a document, paragraphs apart by a blank line (lines as the PDF sets them), or why there is none
    (``problem``); ``note`` says what was left out of a document read in part."""

    text: str
    problem: str | None = None
    note: str | None = None


def document_text(raw: bytes, suffix: str) -> DocumentText:
    """The plain text of a .docx, .rtf or .pdf file's bytes, or the problem that stops it being read.

    Args:
        raw: the file's bytes.
        suffix: its type by its name: ".docx", ".rtf" or ".pdf".

    Returns:
        Its text, or a problem saying what the file is instead (damaged, encrypted, a scan without text) and what
        to do. Never raises for a bad file.
    """
    if suffix == ".docx":
        read = _docx_text(raw)
    elif suffix == ".rtf":
        read = _rtf_text(raw)
    else:
        read = _pdf_text(raw)
    if read.problem or len(read.text) <= MAX_PAGE_BYTES:
        return read
    # A .txt export is read up to the page limit: a document's text is held to the same, whatever its images weigh.
    cut = read.text[:MAX_PAGE_BYTES].rsplit("\n", 1)[0]
    note = f"its text is {too_large(len(read.text.encode()), MAX_PAGE_BYTES)}: only the first part was read"
    return DocumentText(cut, note="; ".join(filter(None, (read.note, note))))


def _docx_text(raw: bytes) -> DocumentText:
    """A Word document's paragraphs and table cells in their order (headers, footers and notes left out)."""
    wrong = _not_a_word_package(raw)
    if wrong:
        return DocumentText("", wrong)
    import docx  # python-docx: only when a .docx is read
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
        paragraphs: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                # A merged cell is given once for each column it spans: its text is taken once.
                for row in block.rows:
                    cells = {id(cell._tc): cell for cell in row.cells}
                    paragraphs += [cell.text for cell in cells.values()]
            else:
                paragraphs.append(block.text)
    except Exception as error:  # noqa: BLE001 (python-docx and lxml raise many types for a damaged package's parts)
        return DocumentText("", f"a damaged Word document (.docx): it cannot be read ({_detail(error)})")
    return DocumentText("\n\n".join(paragraph.strip() for paragraph in paragraphs if paragraph.strip()))


def _not_a_word_package(raw: bytes) -> str | None:
    """Why a file named .docx is not a Word document's ZIP package, or None when it is one."""
    if raw.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in raw:
            return (
                "a password-protected Word document (.docx), which cannot be read: open it in Word, remove the "
                "password (File > Info > Protect Document > Encrypt with Password) and save it again"
            )
        return "an old Word document (.doc) named .docx: save it as .docx (Word 2007 or later) or as plain text (.txt)"
    if not raw.startswith(b"PK"):
        return "not a Word document (.docx): a .docx is a ZIP package, and this file is not one"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return f"a damaged Word document (.docx): its ZIP package cannot be opened ({_detail(error)}; cut off?)"
    names = {member.filename for member in members}
    if not any(name.startswith("word/") for name in names):
        holds = next((kind for part, kind in _OTHER_PACKAGES if part in names), f"a ZIP archive of {len(names)} files")
        return f"not a Word document (.docx): {holds}, with no word/ part"
    # python-docx parses each XML part whole: a part that unpacks to hundreds of MB (a "zip bomb") is refused first.
    unpacked = sum(member.file_size for member in members if member.filename.endswith(".xml"))
    if unpacked > MAX_SAVED_PAGE_BYTES:
        return f"a .docx whose XML unpacks to {unpacked / 1e6:.0f} MB; the limit is {MAX_SAVED_PAGE_BYTES / 1e6:.0f} MB"
    return None


_OTHER_PACKAGES = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx): save it as CSV (UTF-8)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt, .ods): save it as .docx or plain text"),
    ("META-INF/container.xml", "an e-book (.epub)"),
)


def _rtf_text(raw: bytes) -> DocumentText:
    """An RTF document's text (pictures, fonts and styles left out), a paragraph (\\par) a paragraph."""
    if not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return DocumentText("", "not an RTF document: an RTF file starts '{\\rtf'")
    from striprtf.striprtf import rtf_to_text  # only when an .rtf is read

    # Bytes above 127 (an RTF should escape them as \'e9, not every writer does) are in the document's code page.
    codepage = _RTF_CODEPAGE_RE.search(raw[:4096])
    encoding = f"cp{int(codepage.group(1))}" if codepage else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        source = _RTF_HEX_DATA_RE.sub(b"", raw).decode(encoding, errors="replace")
        text = rtf_to_text(source, encoding=encoding, errors="replace")
    except Exception as error:  # noqa: BLE001 (striprtf raises what its parsing meets on a damaged file)
        return DocumentText("", f"a damaged RTF document: it cannot be read ({_detail(error)})")
    lines = (line.strip() for line in text.replace("\r", "").split("\n"))
    return DocumentText("\n\n".join(line for line in lines if line))


def _pdf_text(raw: bytes) -> DocumentText:
    """A PDF's text, page by page, lines as set (the page reader joins the lines a paragraph was wrapped into) and
    paragraphs apart by a blank line."""
    if b"%PDF-" not in raw[:1024]:
        return DocumentText("", "not a PDF document: a PDF starts '%PDF-'")
    import pypdf  # only when a PDF is read

    # pypdf logs each repair of a damaged file ("incorrect startxref pointer"); what matters is said as a problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            return DocumentText(
                "",
                "a password-protected PDF, which cannot be read: open it with its password and save (or print to "
                "PDF) a copy without one",
            )
        pages = reader.pages
        count = len(pages)
    except Exception as error:  # noqa: BLE001 (pypdf raises many types for a damaged file)
        return DocumentText("", f"a damaged PDF: it cannot be read ({_detail(error)})")
    texts, unreadable = _pdf_pages(pages)
    if not any(texts):
        if unreadable:
            return DocumentText("", f"a damaged PDF: none of its {count:,} pages can be read")
        return DocumentText(
            "",
            f"no text layer: a scanned PDF needs OCR first (none of its {count:,} pages has text; ocrmypdf adds it), "
            "then give the PDF it writes",
        )
    notes = []
    if count > len(texts) + len(unreadable):
        notes.append(f"the PDF has {count:,} pages; only the first {len(texts) + len(unreadable):,} were read")
    if unreadable:
        shown = ", ".join(map(str, unreadable[:5])) + (" …" if len(unreadable) > 5 else "")
        notes.append(f"{len(unreadable):,} of its {count:,} pages could not be read (page {shown}): damaged")
    # A paragraph may go on over a page's end: pages are joined as lines are, and the page reader tells paragraphs.
    return DocumentText("\n".join(text for text in texts if text), note="; ".join(notes) or None)


def _pdf_pages(pages: Sequence[PageObject]) -> tuple[list[str], list[int]]:
    """The text of each page read (up to MAX_PDF_PAGES, or MAX_PAGE_BYTES of text), and the numbers of those that
    could not be."""
    texts: list[str] = []
    unreadable: list[int] = []
    length = 0
    for number in range(min(len(pages), MAX_PDF_PAGES)):
        try:
            # The layout mode keeps a paragraph's space as a blank line (the plain mode ran paragraphs together),
            # and pads lines with spaces to their places: those are left out.
            laid_out = pages[number].extract_text(extraction_mode="layout")
        except Exception as error:  # noqa: BLE001 (one damaged page: the others are read)
            logger.info("page %d of a PDF could not be read", number + 1, exc_info=error)
            unreadable.append(number + 1)
            continue
        text = "\n".join(" ".join(line.split()) for line in laid_out.splitlines()).strip()
        texts.append(text)
        length += len(text)
        if length > MAX_PAGE_BYTES:  # cut to the limit by document_text, with its note
            break
    return texts, unreadable


def _detail(error: BaseException) -> str:
    message = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
