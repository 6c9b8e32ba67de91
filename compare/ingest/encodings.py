"""Bytes to text: which encoding a file is in (told by a BOM, the bytes, or guessed), and what a binary file is."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

SAMPLE_BYTES = 65_536  # enough to tell an encoding; the whole file is then decoded with it
_CP1252_FALLBACK = "parallax-cp1252"


@dataclass(frozen=True)
class Decoded:
    """A file's text, and a note when the way it was read is worth saying (a guess, mixed encodings)."""

    text: str
    note: str | None = None


def decode(raw: bytes) -> Decoded | None:
    """The text of ``raw``, or None when it is binary.

    UTF-8 (with or without BOM), UTF-16 and UTF-32 with BOM, UTF-16 without BOM (told by its zero
    bytes), UTF-8 with stray Windows-1252 bytes (each read as Windows-1252), Windows-1252 and
    Latin-1; an 8-bit or East Asian encoding (Windows-1251, KOI8-R, Shift JIS, GBK, ...) is guessed
    by ``charset_normalizer`` when Windows-1252 would make most letters accented ones.
    """
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        # A BOM is a strong sign: a cut last character is no reason to give up.
        decoded = Decoded(raw.decode("utf-32", errors="replace"))
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoded = Decoded(raw.decode("utf-16", errors="replace"))
    elif utf16 := _utf16_without_bom(raw[:SAMPLE_BYTES]):
        decoded = Decoded(raw.decode(utf16, errors="replace"), f"read as {utf16.upper()} (UTF-16 without a BOM)")
    elif b"\x00" in raw:
        without_nul = _without_nul_bytes(raw)
        if without_nul is None:
            return None
        decoded = without_nul
    else:
        decoded = _decode_8bit(raw)
    head = decoded.text[:8192]
    damaged = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return None if damaged > len(head) * 0.05 else decoded


def _without_nul_bytes(raw: bytes) -> Decoded | None:
    """Text holding a few NUL bytes (a database export, a bad copy), read without them; None when there are
    so many that the file is binary. One NUL among text lost the whole file, a CSV of a thousand articles."""
    count = raw.count(b"\x00")
    if count > max(8, len(raw) // 100):
        return None
    decoded = _decode_8bit(raw.replace(b"\x00", b""))
    note = f"removed {'1 NUL byte' if count == 1 else f'{count:,} NUL bytes'} (\\x00): NUL is not text"
    return Decoded(decoded.text, f"{note}; {decoded.note}" if decoded.note else note)


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when every other byte is zero, as in UTF-16 text of mostly Latin letters."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    if odd > pairs * 0.6 and even < pairs * 0.02:
        return "utf-16-le"
    if even > pairs * 0.6 and odd < pairs * 0.02:
        return "utf-16-be"
    return None


def _decode_8bit(raw: bytes) -> Decoded:
    try:
        return _without_mojibake(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    loose = raw.decode("utf-8", errors="replace")
    stray = loose.count("\ufffd")
    if len(loose) - len(loose.encode("ascii", errors="ignore")) - stray >= stray:
        # Mostly UTF-8, with a few bytes of another encoding pasted in: read all of it as one
        # encoding and every other character is wrong.
        text = raw.decode("utf-8-sig", errors=_CP1252_FALLBACK)
        count = "1 byte is" if stray == 1 else f"{stray} bytes are"
        return Decoded(text, f"{count} not UTF-8; read as Windows-1252 (save the file as UTF-8 to be sure)")
    if _classic_mac_lines(raw[:SAMPLE_BYTES]):
        # Lines ending in CR alone are classic Mac OS's, and so is its encoding: Excel for Mac still writes
        # "CSV (Macintosh)" so. Read as Windows-1252, "Café" was "CafŽ" and every dash "Ñ".
        return Decoded(
            raw.decode("mac_roman"),
            'not UTF-8, and its lines end in CR alone (as Excel for Mac\'s "CSV (Macintosh)" and classic Mac OS '
            "write them); read as Mac Roman (save the file as CSV UTF-8 to be sure)",
        )
    text = _try_decode(raw, "cp1252") or raw.decode("latin-1")
    if not _mostly_accented(text[:SAMPLE_BYTES]):
        return Decoded(text)
    guessed = _guess_encoding(raw[:SAMPLE_BYTES])
    if guessed is None:
        return Decoded(text)
    return Decoded(
        raw.decode(guessed, errors="replace"),
        f"not UTF-8; read as {guessed} (a guess from its bytes: save the file as UTF-8 to be sure)",
    )


# UTF-8 that was read as Windows-1252 and saved again as UTF-8 (a scraper, a CMS or a database that got the encoding
# wrong once): each accented letter or typographic mark became two or three characters, "é" "Ã©", "—" "â€”", "’"
# "â€™". A run of such characters is repaired when its Windows-1252 bytes are UTF-8; a text holding three or more
# of their typical pairs is repaired, so that a word that only looks so ("Ã" before a capital in "SÃO") is not.
_MOJIBAKE_PAIR = re.compile(
    "â€|Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u2013-\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]"
)
_MOJIBAKE_RUN = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]{1,3}"
)
_MOJIBAKE_BYTES = "parallax-mojibake-bytes"


def _without_mojibake(text: str) -> Decoded:
    """UTF-8 text, with the characters that were saved through Windows-1252 once repaired (and a note)."""
    if ("Ã" not in text and "â€" not in text and "Â" not in text) or len(
        _MOJIBAKE_PAIR.findall(text[:SAMPLE_BYTES])
    ) < 3:
        return Decoded(text)
    repaired = 0

    def repair(found: re.Match[str]) -> str:
        nonlocal repaired
        try:
            original = found.group().encode("cp1252", errors=_MOJIBAKE_BYTES).decode("utf-8")
        except UnicodeError:
            return found.group()
        repaired += 1
        return original

    text = _MOJIBAKE_RUN.sub(repair, text)
    if not repaired:
        return Decoded(text)
    note = (
        f"{repaired:,} characters were saved through the wrong encoding once (UTF-8 read as Windows-1252 and saved "
        "again: 'â€”' for '—', 'Ã©' for 'é'); repaired"
    )
    return Decoded(text, note)


def _mojibake_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """The byte of a character Windows-1252 leaves undefined (U+0081, U+008D, …: Latin-1's), as a decoder made it."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    if any(ord(ch) > 0xFF for ch in bad):
        raise error
    return bad.encode("latin-1"), error.end


codecs.register_error(_MOJIBAKE_BYTES, _mojibake_bytes)


def _classic_mac_lines(sample: bytes) -> bool:
    """Whether lines end in CR alone: several CRs, none followed by LF, and no LF at all."""
    return b"\n" not in sample and sample.count(b"\r") >= 2


def _mostly_accented(text: str) -> bool:
    """Whether most letters would be accented Latin ones: text in another script read as Windows-1252."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(1 for ch in letters if not ch.isascii()) > len(letters) * 0.3


def _guess_encoding(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for files in neither UTF nor Windows-1252

    best = from_bytes(sample).best()
    if best is None or best.encoding in ("ascii", "utf_8", "cp1252", "latin_1"):
        return None
    return str(best.encoding)


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as Windows-1252 (Latin-1 for the five bytes it leaves undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_try_decode(bytes([byte]), "cp1252") or chr(byte) for byte in bad), error.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


# (magic bytes, offset, what the file is) of files that are often given, or renamed, as articles
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "a PDF document; name it .pdf to read it"),
    (b"\x1f\x8b", 0, "gzip-compressed; decompress it first (gunzip)"),
    (
        b"PK\x03\x04",
        0,
        "a ZIP archive (or a .docx, .xlsx, .odt or .epub file); unpack it, or name a Word document .docx",
    ),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "a Microsoft Office document (.doc, .xls); save its text as .txt"),
    (b"{\\rtf", 0, "an RTF document; name it .rtf to read it"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF8", 0, "a GIF image"),
    (b"RIFF", 0, "a RIFF file (a WebP image, WAV sound or AVI video)"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
    (b"DUCK", 8, "a DuckDB database"),
    (b"PAR1", 0, "a Parquet file; name it .parquet"),
    (b"1AY&SY", 4, "bzip2-compressed; decompress it first (bunzip2)"),
    (b"\xfd7zXZ\x00", 0, "xz-compressed; decompress it first (unxz)"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive; unpack it first"),
    (b"\x7fELF", 0, "a program (ELF), not text"),
)


def binary_kind(raw: bytes) -> str | None:
    """What a binary file is, when its first bytes say so (a PDF, an image, an archive), and what to do."""
    return next((kind for magic, offset, kind in _MAGIC if raw[offset : offset + len(magic)] == magic), None)
