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
from typing import TYPE_CHECKING, Any, NamedTuple

from compare.ingest.encodings import decode
from compare.ingest.formats import MAX_PAGE_BYTES, MAX_SAVED_PAGE_BYTES, SUBTITLE_SUFFIXES, too_large
from compare.ingest.transcripts import subtitle_text

if TYPE_CHECKING:
    from pypdf import PageObject

logger = logging.getLogger(__name__)

# A PDF's pages read at most: a Factiva download of 100 articles is 200-400 pages; a file of more is not an export
# of articles (a book, a scan), and each page costs tens of milliseconds to read.
MAX_PDF_PAGES = 5_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office's compound file: an old .doc or .xls, or an encrypted package
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
        suffix: its type by its name: ".docx", ".rtf", ".pdf", or a subtitle file's ".srt" or ".vtt".

    Returns:
        Its text, or a problem saying what the file is instead (damaged, encrypted, a scan without text) and what
        to do. Never raises for a bad file.
    """
    if suffix in SUBTITLE_SUFFIXES:
        read = _subtitle_text(raw)
    elif suffix == ".docx":
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


def _subtitle_text(raw: bytes) -> DocumentText:
    """A subtitle file's spoken text (a broadcast's captions), or why there is none."""
    decoded = decode(raw)
    if decoded is None:
        return DocumentText("", "file is binary, not text: not a subtitle file (.srt, .vtt)")
    text = subtitle_text(decoded.text)
    if not text and decoded.text.strip():
        return DocumentText("", "not a subtitle file: no cue timing line ('00:00:01,000 --> 00:00:04,000') in it")
    return DocumentText(text)


def _docx_text(raw: bytes) -> DocumentText:
    """A Word document's paragraphs in their order: table cells, text boxes, content controls and tracked insertions
    included (python-docx's own paragraph text lost the last three); headers, footers, notes and deletions left out."""
    wrong = _not_a_word_package(raw)
    if wrong:
        return DocumentText("", wrong)
    import docx  # python-docx: only when a .docx is read (its parser expands no entity and fetches nothing)

    try:
        paragraphs: list[str] = []
        _word_blocks(docx.Document(io.BytesIO(raw)).element.body, paragraphs)
    except Exception as error:  # noqa: BLE001 (python-docx and lxml raise many types for a damaged package's parts)
        return DocumentText("", f"a damaged Word document (.docx): it cannot be read ({_detail(error)})")
    return DocumentText("\n\n".join(paragraph.strip() for paragraph in paragraphs if paragraph.strip()))


# Parts of a body that hold no text of the document as it reads: Word's copy of a text box for older readers (the
# same text again), deleted and moved-away runs of tracked changes, a field's code, the section's settings.
_WORD_SKIPPED = frozenset({"Fallback", "del", "moveFrom", "instrText", "sectPr", "pPr", "rPr", "tblPr", "trPr", "tcPr"})


def _word_blocks(element: Any, paragraphs: list[str]) -> None:
    """The paragraphs below ``element`` in reading order: a table cell's as one (its lines apart), a text box's after
    the paragraph it is anchored in."""
    for child in element:
        name = _local_name(child)
        if name == "p":
            paragraphs.extend(_word_paragraph(child))
        elif name == "tc":
            cell: list[str] = []
            _word_blocks(child, cell)
            paragraphs.append("\n".join(part.strip() for part in cell if part.strip()))
        elif name not in _WORD_SKIPPED:
            _word_blocks(child, paragraphs)  # a table's rows, a content control (w:sdt), a custom XML block


def _word_paragraph(paragraph: Any) -> list[str]:
    """A paragraph's own text, then the paragraphs of the text boxes anchored in it."""
    own: list[str] = []
    boxes: list[str] = []

    def visit(element: Any) -> None:
        for child in element:
            name = _local_name(child)
            if name == "t":
                own.append(child.text or "")
            elif name in _WORD_CHARACTERS:
                own.append(_WORD_CHARACTERS[name])
            elif name == "br":
                own.append("" if child.get(f"{{{_WORD_NS}}}type") in {"page", "column"} else "\n")
            elif name == "txbxContent":
                _word_blocks(child, boxes)
            elif name not in _WORD_SKIPPED:
                visit(child)  # runs inside a hyperlink, a content control, a tracked insertion, a smart tag

    visit(paragraph)
    return ["".join(own), *boxes]


_WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WORD_CHARACTERS = {"tab": "\t", "cr": "\n", "noBreakHyphen": "-", "softHyphen": ""}


def _local_name(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _not_a_word_package(raw: bytes) -> str | None:
    """Why a file named .docx is not a Word document's ZIP package, or None when it is one."""
    if raw.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in raw:
            return (
                "a password-protected Word document (.docx), which cannot be read: open it in Word, remove the "
                "password (File > Info > Protect Document > Encrypt with Password) and save it again"
            )
        return "an old Word document (.doc) named .docx: save it as .docx (Word 2007 or later) or as plain text (.txt)"
    if not raw.startswith(b"PK"):
        return "not a Word document (.docx): a .docx is a ZIP package, and this file is not one"
    members = package_members(raw)
    if isinstance(members, Exception):
        return f"a damaged Word document (.docx): its ZIP package cannot be opened ({_detail(members)}; cut off?)"
    names = {member.filename for member in members}
    if not any(name.startswith("word/") for name in names):
        holds = next((kind for part, kind in _OTHER_PACKAGES if part in names), f"a ZIP archive of {len(names)} files")
        return f"not a Word document (.docx): {holds}, with no word/ part"
    # python-docx parses each XML part whole: a part that unpacks to hundreds of MB (a "zip bomb") is refused first.
    unpacked = sum(member.file_size for member in members if member.filename.endswith(".xml"))
    if unpacked > MAX_SAVED_PAGE_BYTES:
        return f"a .docx whose XML unpacks to {unpacked / 1e6:.0f} MB; the limit is {MAX_SAVED_PAGE_BYTES / 1e6:.0f} MB"
    return None


def package_members(raw: bytes) -> list[zipfile.ZipInfo] | Exception:
    """The files an Office package (a .docx, an .xlsx: a ZIP archive) declares, or why it cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            return package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return error


_OTHER_PACKAGES = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx): name it .xlsx to read it"),
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
    texts, unreadable, bombs = _pdf_pages(pages)
    if not any(texts):
        if bombs and len(bombs) == len(unreadable):
            return DocumentText("", f"a PDF that cannot be read: {_stream_bomb(bombs, count)}")
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
        if bombs:
            notes.append(_stream_bomb(bombs, count))
    # A paragraph may go on over a page's end: pages are joined as lines are, and the page reader tells paragraphs.
    return DocumentText("\n".join(text for text in texts if text), note="; ".join(notes) or None)


def _stream_bomb(pages: list[int], count: int) -> str:
    """What a PDF is whose pages' content unpacks past pypdf's limit: most likely built to exhaust a reader's memory
    (a few KB that unpack to GB), or a page of an image too large to be an article's."""
    shown = ", ".join(map(str, pages[:5])) + (" …" if len(pages) > 5 else "")
    return (
        f"the content of {len(pages):,} of its {count:,} pages (page {shown}) unpacks to more than "
        f"{_PDF_STREAM_LIMIT / 1e6:.0f} MB, where an article's page unpacks to kilobytes: a decompression bomb or an "
        "oversized image, not read"
    )


_PDF_STREAM_LIMIT = 75_000_000  # pypdf's own bound on one stream's decompressed size (its zlib_maximum_output_length)


def _pdf_pages(pages: Sequence[PageObject]) -> tuple[list[str], list[int], list[int]]:
    """The text of each page read (up to MAX_PDF_PAGES, or MAX_PAGE_BYTES of text), the numbers of those that
    could not be, and of those among them whose content unpacks past pypdf's bound (a decompression bomb)."""
    from pypdf.errors import LimitReachedError

    texts: list[str] = []
    unreadable: list[int] = []
    bombs: list[int] = []
    length = 0
    for number in range(min(len(pages), MAX_PDF_PAGES)):
        try:
            # The layout mode keeps a paragraph's space as a blank line (the plain mode ran paragraphs together),
            # and pads lines with spaces to their places: those are left out.
            laid_out = pages[number].extract_text(extraction_mode="layout")
        except Exception as error:  # noqa: BLE001 (one damaged page: the others are read)
            logger.info("page %d of a PDF could not be read", number + 1, exc_info=error)
            unreadable.append(number + 1)
            if isinstance(error, LimitReachedError) and "decompress" in str(error):
                bombs.append(number + 1)
            continue
        text = "\n".join(" ".join(line.split()) for line in _columns_read_down(laid_out.splitlines())).strip()
        texts.append(text)
        length += len(text)
        if length > MAX_PAGE_BYTES:  # cut to the limit by document_text, with its note
            break
    return texts, unreadable, bombs


# A page set in columns (a newspaper's page, a magazine's, a scanned paper's text layer): the layout mode sets the
# columns side by side, and each line was read across them ("…Minister Sergey October 2022."). A gutter is a run of
# positions blank in nearly every line with text on both sides of it in many lines; a page's lines are then read
# column by column, a line that crosses the gutter (a headline over both columns) where it stands.
_GUTTER_WIDTH = 4
_GUTTER_BLANK_SHARE = 0.85
_COLUMN_FILLED_SHARE = 1 / 3
_MIN_COLUMN_LINES = 8


def _columns_read_down(lines: list[str]) -> list[str]:
    """A laid-out page's lines in reading order: those of a page in two columns (or more) column by column."""
    filled = [line for line in lines if line.strip()]
    gutter = _gutter(filled) if len(filled) >= _MIN_COLUMN_LINES else None
    if gutter is None:
        return lines
    # Split at the gutter's middle: a column's longer lines may reach into the gutter's edges, never its middle.
    middle = sum(gutter) // 2
    ordered: list[str] = []
    left: list[str] = []
    right: list[str] = []
    for line in [*lines, "\0" * (middle + 1)]:  # a last line across the gutter ends the last columns
        if line[middle - 1 : middle + 1].strip():  # across the gutter (a headline over both columns)
            # each column may be in columns of its own (a page of three): read again, narrower each time; the blank
            # foot of one column and head of the next are left out, as a sentence a column ends goes on in the next
            while left and not left[-1].strip():
                left.pop()
            while right and not right[0].strip():
                right.pop(0)
            ordered += [*_columns_read_down(left), *_columns_read_down(right), line]
            left, right = [], []
        else:
            left.append(line[:middle])
            right.append(line[middle:])
    return ordered[:-1]


def _gutter(lines: list[str]) -> tuple[int, int] | None:
    """(start, end) of the widest run of positions blank in nearly every line, starting in the page's middle half
    and with text left and right of it in many lines; None for a page in one column. (The blank beyond the columns'
    right edge, beside a wider headline, is a margin: no text right of it.)"""
    width = max(len(line) for line in lines)
    padded = [line.ljust(width) for line in lines]
    blank = [
        column.count(" ") >= _GUTTER_BLANK_SHARE * len(lines) for column in map("".join, zip(*padded, strict=True))
    ]
    needed = _COLUMN_FILLED_SHARE * len(lines)
    best: tuple[int, int] | None = None
    position = width // 4
    while position < width * 3 // 4:
        if not blank[position]:
            position += 1
            continue
        start = end = position
        while start > 0 and blank[start - 1]:
            start -= 1
        while end < width and blank[end]:
            end += 1
        position = end + 1
        if end - start < _GUTTER_WIDTH or (best is not None and end - start <= best[1] - best[0]):
            continue
        left = sum(1 for line in padded if line[:start].strip())
        right = sum(1 for line in padded if line[end:].strip())
        if left >= needed and right >= needed:
            best = (start, end)
    return best


def _detail(error: BaseException) -> str:
    message = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
