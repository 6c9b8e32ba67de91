"""Small .docx, .rtf and .pdf files written by the tests: a news database's downloads and broken documents."""

from __future__ import annotations

import io
import textwrap
import zlib

_PDF_LINE_CHARS = 100
_PDF_PAGE_LINES = 60


def docx_bytes(paragraphs: list[str], page_break_after: tuple[str, ...] = ()) -> bytes:
    """A Word document of these paragraphs (python-docx writes it as Word does), a page break after each named one."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        if text in page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rtf_bytes(paragraphs: list[str], picture: bool = False) -> bytes:
    """An RTF document as Word and Factiva write it: a font table, one \\par a paragraph, accented letters and
    quotes as \\'xx escapes (Windows-1252) and \\uN, and a PNG picture in hex when asked."""
    body = ["{\\pard\\plain\\f0\\fs20 " + _rtf_escaped(text) + "\\par}" for text in paragraphs]
    if picture:
        png = bytes(range(256)) * 40  # 10 KB of picture data, as hex
        body.insert(2, "{\\pard{\\*\\shppict{\\pict\\pngblip\\picw64\\pich64 " + png.hex() + "}}\\par}")
    head = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red0\\green0\\blue0;}\n"
    return (head + "\n".join(body) + "\n}").encode("ascii")


def _rtf_escaped(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    return "".join(ch if ord(ch) < 128 else _rtf_character(ch) for ch in escaped)


def _rtf_character(ch: str) -> str:
    try:
        return f"\\'{ch.encode('cp1252')[0]:02x}"
    except UnicodeEncodeError:
        return f"\\u{ord(ch)}?"


def pdf_bytes(lines: list[str], scanned_pages: int = 0) -> bytes:
    """A PDF whose pages set these lines in Helvetica, 60 a page (long lines wrapped as a layout would); an empty
    line is a paragraph's space. ``scanned_pages`` adds pages holding only a picture (no text layer)."""
    wrapped = [part for line in lines for part in (textwrap.wrap(line, _PDF_LINE_CHARS) or [""])]
    pages = [wrapped[start : start + _PDF_PAGE_LINES] for start in range(0, len(wrapped), _PDF_PAGE_LINES)]
    contents = [_page_content(page) for page in pages]
    contents += [b"q 400 0 0 500 100 200 cm /Im1 Do Q"] * scanned_pages
    return pdf_bytes_of_contents(contents)


def pdf_bytes_of_contents(contents: list[bytes]) -> bytes:
    """A PDF of one page a content stream (Helvetica as /F1, a small grey picture as /Im1), each FlateDecode."""
    # objects: 1 catalog, 2 page tree, 3 font, 4 image, then a page and its content for each page
    kids = [5 + 2 * number for number in range(len(contents))]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % kid for kid in kids) + b"] /Count %d >>" % len(kids),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: _stream(
            b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode",
            zlib.compress(bytes(range(0, 256, 4))),
        ),
    }
    for kid, content in zip(kids, contents, strict=True):
        objects[kid] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>" % (kid + 1)
        )
        objects[kid + 1] = _stream(b"<< /Filter /FlateDecode", zlib.compress(content))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in sorted(objects))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _page_content(lines: list[str]) -> bytes:
    shown = []
    for line in lines:
        text = line.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        shown.append(b"(" + text + b") Tj T*" if text else b"T*")
    return b"BT /F1 10 Tf 12 TL 50 760 Td\n" + b"\n".join(shown) + b"\nET"


def encrypted_docx_bytes() -> bytes:
    """What Word saves for a .docx with a password: not a ZIP but an OLE compound file holding the streams
    EncryptionInfo and EncryptedPackage (the encrypted ZIP), as msoffcrypto-tool or Word write it."""
    import struct

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    # minor and major version, byte order, sector shift 9 (512 bytes), mini sector shift 6
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIII", header, 44, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)  # FAT: sector 0, dir: 1
    header[76:512] = b"\xff" * 436
    struct.pack_into("<I", header, 76, 0)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<IIII", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE, 0xFFFFFFFE)

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        record = bytearray(128)
        record[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", record, 64, len(encoded), kind, 1)
        struct.pack_into("<III", record, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<II", record, 116, start, size)
        return bytes(record)

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0) + entry("EncryptionInfo", 2, 2, 200)
    directory += entry("EncryptedPackage", 2, 3, 512) + entry("", 0, 0, 0)
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"<?xml version='1.0'?><encryption/>".ljust(504, b"\0")
    return bytes(header + fat + directory + info + bytes(range(256)) * 2)


_WORD_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _word_paragraph_xml(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def word_text_box_xml(anchor: str, box: str) -> str:
    """A paragraph holding a text box as Word 2010 and later writes one: the box (wps) and, for older readers, a VML
    copy of the same text (mc:Fallback)."""
    content = f"<w:txbxContent>{_word_paragraph_xml(box)}</w:txbxContent>"
    return (
        f"<w:p {_WORD_NAMESPACES}><w:r><w:t xml:space='preserve'>{anchor}</w:t></w:r><w:r><mc:AlternateContent>"
        "<mc:Choice Requires='wps'><w:drawing><wp:anchor><a:graphic><a:graphicData>"
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def word_content_control_xml(text: str) -> str:
    """A block content control (w:sdt: a template's field, a database's tagged section) holding a paragraph."""
    return f"<w:sdt {_WORD_NAMESPACES}><w:sdtPr/><w:sdtContent>{_word_paragraph_xml(text)}</w:sdtContent></w:sdt>"


def word_tracked_xml(kept: str, inserted: str, deleted: str) -> str:
    """A paragraph with tracked changes: an insertion (part of the text) and a deletion (not)."""
    return (
        f"<w:p {_WORD_NAMESPACES}><w:r><w:t xml:space='preserve'>{kept} </w:t></w:r>"
        f"<w:ins w:id='1' w:author='ed'><w:r><w:t xml:space='preserve'>{inserted}</w:t></w:r></w:ins>"
        f"<w:del w:id='2' w:author='ed'><w:r><w:delText>{deleted}</w:delText></w:r></w:del></w:p>"
    )


def docx_with_blocks(blocks: list[str], header: str = "") -> bytes:
    """A Word document of these blocks: plain paragraphs, or body XML (``word_text_box_xml`` …) as given, with
    ``header`` as its running page header."""
    import docx
    from lxml import etree

    document = docx.Document()
    body = document.element.body
    for block in blocks:
        if block.startswith("<"):
            body.insert(len(body) - 1, etree.fromstring(block))  # before the section's settings, as Word keeps them
        else:
            document.add_paragraph(block)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def two_column_pdf_bytes(headline: str, paragraphs: list[str], width: int = 48) -> bytes:
    """A one-page PDF set as a newspaper page is: a headline across the page, then the paragraphs in two columns of
    ``width`` characters (the left column read down first, then the right), a blank line between paragraphs."""
    lines = [part for paragraph in paragraphs for part in [*textwrap.wrap(paragraph, width), ""]]
    half = (len(lines) + 1) // 2
    shown = [b"BT /F1 14 Tf 50 760 Td (" + _pdf_escaped(headline) + b") Tj ET"]
    for column, x in ((lines[:half], 50), (lines[half:], 320)):
        for row, line in enumerate(column):
            if line:
                shown.append(b"BT /F1 9 Tf %d %d Td (" % (x, 730 - 11 * row) + _pdf_escaped(line) + b") Tj ET")
    return pdf_bytes_of_contents([b"\n".join(shown)])


def _pdf_escaped(text: str) -> bytes:
    return text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
