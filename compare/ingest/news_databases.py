"""A text export of a news database (LexisNexis, Nexis Uni, Factiva): many articles in one file -> one row each.

Researchers get most newspaper text from these databases, saved as one .txt of up to hundreds of articles. Read as
a page, the file was one article: the first document's outlet and date, a "SECTION: …" line as its title, and the
other documents' text inside it (or cut off as a footer). Each document's outlet, date, title and text sit in fixed
places of its header, which are read here; the rows then go through the table reader as any file's rows do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from compare.ingest.dates import search_date
from compare.ingest.lines import looks_like_byline

# Classic LexisNexis: "                 1 of 25 DOCUMENTS" above each document.
_NEXIS_HEADER_RE = re.compile(r"^\s*(\d{1,7}) of (\d{1,7}) DOCUMENTS?\s*$", re.MULTILINE)
# Nexis Uni: "End of Document" below each document.
_NEXIS_UNI_END_RE = re.compile(r"^\s*End of Document\s*$", re.MULTILINE)
# Factiva: "Document LBA0000020240403ek430005x" (its accession number) below each document.
_FACTIVA_END_RE = re.compile(r"^[ \t]*(?:AN[ \t]+)?Document [A-Za-z0-9]{20,32}\s*$", re.MULTILINE)
# A labelled line of a document's header or trailer: "BYLINE: …", "Load-Date: …", "PUBLICATION-TYPE: …".
_LABEL_RE = re.compile(r"^\s*([A-Z][A-Za-z]*(?:[- ][A-Za-z]+)?):\s*(.*)$")
_NEXIS_LABELS = frozenset(
    "byline section length dateline highlight headline body graphic correction-date load-date language "
    "publication-type journal-code url subject organization geographic person ticker industry type notes "
    "distribution document-type".split()
)
_TRAILER_LABELS = frozenset(
    "load-date language publication-type journal-code url graphic subject organization geographic person "
    "ticker industry correction-date notes distribution document-type".split()
)
_WORD_COUNT_RE = re.compile(r"^\s*[\d,]+ words\s*$", re.IGNORECASE)
_TIME_RE = re.compile(r"^\s*\d{1,2}:\d{2}(?:\s*(?:GMT|ET|EST|EDT|UTC))?\s*$")
_LANGUAGE_RE = re.compile(r"^[A-Z][a-z]+$")  # a Factiva header's language: "English", "Deutsch"
_RIGHTS_RE = re.compile(r"^\s*(?:\(c\)|©|copyright\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Export:
    """The documents of a news database's export, as rows, and the note saying how the file was read."""

    rows: list[dict[str, str]]
    note: str


def news_database_export(text: str) -> Export | None:
    """The documents of a LexisNexis, Nexis Uni or Factiva text export, or None for any other text."""
    headers = list(_NEXIS_HEADER_RE.finditer(text))
    if headers:
        pieces = [text[start.end() : end] for start, end in _bounds(headers, len(text))]
        rows = [_nexis_row(piece) for piece in pieces]
        export = _export(rows, "a LexisNexis export", f"'{headers[0].group(0).strip()}'")
        return Export(export.rows, export.note + _documents_missing(headers))
    for marker, kind, read in (
        (_NEXIS_UNI_END_RE, "a Nexis Uni export", _nexis_uni_row),
        (_FACTIVA_END_RE, "a Factiva export", _factiva_row),
    ):
        ends = list(marker.finditer(text))
        if ends:
            starts = [0, *(end.end() for end in ends[:-1])]
            rows = [read(text[start : end.start()]) for start, end in zip(starts, ends, strict=True)]
            return _export(rows, kind, f"'{ends[0].group(0).strip()}' after each")
    return None


def _documents_missing(headers: list[re.Match[str]]) -> str:
    """A note when the export numbers more documents than the file holds ("1 of 3" with two in the file: a
    download cut off, or one of several files), said rather than reading two articles as all there was."""
    total = int(headers[0].group(2))
    present = {number for header in headers if 1 <= (number := int(header.group(1))) <= total}
    count = total - len(present)
    if count <= 0:
        return ""
    # the first few missing numbers, without counting to a total a file may make huge ("1 of 99999999")
    first = [number for number in range(1, min(total, len(present) + 5) + 1) if number not in present][:5]
    shown = ", ".join(map(str, first)) + (f" and {count - len(first):,} more" if count > len(first) else "")
    return (
        f"; the export numbers {total:,} documents and {count:,} {'is' if count == 1 else 'are'} not in this file "
        f"({shown}): in another file of the download, or the file was cut off"
    )


def _bounds(headers: list[re.Match[str]], length: int) -> Iterator[tuple[re.Match[str], int]]:
    for position, header in enumerate(headers):
        yield header, headers[position + 1].start() if position + 1 < len(headers) else length


def _export(rows: list[dict[str, str]], kind: str, marked: str) -> Export:
    if len(rows) == 1:
        return Export(rows, f"is {kind} ({marked}); its outlet, date and title read from the export's header")
    return Export(rows, f"holds {len(rows)} articles of {kind} ({marked}), not one article; read one article each")


def _lines(piece: str) -> list[str]:
    return [line.strip() for line in piece.splitlines()]


def _label(line: str) -> tuple[str, str] | None:
    match = _LABEL_RE.match(line)
    if not match or match.group(1).lower().replace(" ", "-") not in _NEXIS_LABELS:
        return None
    return match.group(1).lower().replace(" ", "-"), match.group(2).strip()


def _nexis_row(piece: str) -> dict[str, str]:
    """Classic LexisNexis: outlet, date line and edition, then the headline, labelled lines (BYLINE, SECTION,
    LENGTH), the text, and labelled lines again (URL, LOAD-DATE, LANGUAGE) and the copyright."""
    lines = _lines(piece)
    # Some exports put the copyright line above the outlet's name: it is neither outlet nor date.
    filled = [position for position, line in enumerate(lines) if line and not _RIGHTS_RE.match(line)]
    row: dict[str, str] = {}
    if filled:
        row["outlet"] = lines[filled[0]]
    date_at = next((p for p in filled[1:4] if search_date(lines[p])), None)
    if date_at is not None:
        row["published"] = lines[date_at]
    labels_end = _header_labels_end(lines, (date_at or 0) + 1)
    header_end = labels_end if labels_end is not None else (date_at or 0)
    title = ""
    for line in lines[(date_at or 0) + 1 : header_end]:
        label = _label(line)
        if label and label[0] == "headline":
            title = label[1]
            break
        if line and not label and not title and "edition" not in line.lower():
            title = line
    if title:
        row["title"] = title
    row["text"] = _body(lines[header_end + 1 :])
    url = next((label[1] for line in lines if (label := _label(line)) and label[0] == "url"), None)
    if url:
        row["url"] = url
    return row


def _header_labels_end(lines: list[str], start: int) -> int | None:
    """Where the header's labelled lines (BYLINE, SECTION, LENGTH, DATELINE, …) end, from ``start``: the last of
    them before the first paragraph after them; None when there are none. A document without LENGTH had its
    "SECTION: …" line as its title and its BYLINE in its text."""
    last = None
    for position in range(start, len(lines)):
        label = _label(lines[position])
        if label and label[0] not in _TRAILER_LABELS:
            last = position
        elif lines[position] and last is not None:
            break
    return last


def _body(lines: list[str]) -> str:
    """The text of a document: its lines up to the trailer's first labelled line (a copyright line after the text
    is left to the page cleaner, which tells a legal notice from a paragraph about copyright)."""
    kept: list[str] = []
    for line in lines:
        label = _label(line)
        if label and label[0] in _TRAILER_LABELS:
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _nexis_uni_row(piece: str) -> dict[str, str]:
    """Nexis Uni: the headline, outlet and date lines, labelled lines (Copyright, Section, Length, Byline), a
    line "Body", the text, then "Load-Date: …"."""
    lines = _lines(piece)
    filled_at = [position for position, line in enumerate(lines) if line]
    filled = [lines[position] for position in filled_at]
    # The header's title, outlet and date lines are those right above the last date before its labelled lines: an
    # export's first document follows its cover page ("User Name: …", "Date and Time: …", "Job Number: …").
    labelled = next((p for p, line in enumerate(filled) if _RIGHTS_RE.match(line) or _label(line)), len(filled))
    date_at = next((p for p in range(labelled - 1, 1, -1) if search_date(filled[p])), None)
    header = filled[date_at - 2 : date_at + 1] if date_at is not None else filled[:3]
    if date_at is not None:
        header[0] = _wrapped_title_above(lines, filled_at[date_at - 2])
    row: dict[str, str] = {}
    for key, line in zip(("title", "outlet", "published"), header, strict=False):
        row[key] = line
    body_at = next((p for p, line in enumerate(lines) if line == "Body"), None)
    row["text"] = _body(lines[body_at + 1 :]) if body_at is not None else ""
    return row


# A line of a cover page or header ("Job Number: 219437051", "Search Terms: …"): no part of a headline above it.
_COVER_LABEL_RE = re.compile(r"^[A-Z][A-Za-z/&() -]{0,40}:(?:\s|$)")
# A byline of names alone, as Factiva writes some ("Jane Doe", "Jane Doe and John Roe"): not a headline's second line.
_NAMES_RE = re.compile(r"^[A-Z][A-Za-z.-]*(?:,? (?:and )?[A-Z][A-Za-z.-]*){1,7}$")


def _wrapped_title_above(lines: list[str], last: int) -> str:
    """A headline whose last line is ``lines[last]``, with the lines right above it (no blank line between) that a
    PDF wrapped it into; a text export's headline is one line, a blank one or the file's start above it."""
    first = last
    while first > 0 and last - first < 3 and lines[first - 1] and not _COVER_LABEL_RE.match(lines[first - 1]):
        first -= 1
    return " ".join(lines[first : last + 1])


def _wrapped_title_below(lines: list[str], first: int, end: int) -> str:
    """A headline whose first line is ``lines[first]``, with the lines right below it, before ``end``, that a PDF
    wrapped it into (no blank line between); a byline ("By Jane Doe", "Jane Doe") is not one of them."""
    last = first
    while last + 1 < end and last - first < 3 and lines[last + 1]:
        below = lines[last + 1]
        if looks_like_byline(below) or _NAMES_RE.match(below) or _WORD_COUNT_RE.match(below):
            break
        last += 1
    return " ".join(lines[first : last + 1])


def _factiva_row(piece: str) -> dict[str, str]:
    """Factiva: the headline, an optional byline, "N words", the date, an optional time, the outlet, its code,
    the language, the copyright line, then the text."""
    lines = _lines(piece)
    filled = [line for line in lines if line]
    if _factiva_coded(filled):
        return _factiva_coded_row(lines)
    row: dict[str, str] = {}
    count_at = next((p for p, line in enumerate(filled[:5]) if _WORD_COUNT_RE.match(line)), None)
    if filled:
        first = next(p for p, line in enumerate(lines) if line)
        row["title"] = filled[0] if count_at is None else _wrapped_title_below(lines, first, len(lines))
    if count_at is None:
        row["text"] = "\n".join(filled[1:])
        return row
    after = [line for line in filled[count_at + 1 : count_at + 8] if not _TIME_RE.match(line)]
    if after and search_date(after[0]):
        row["published"] = after[0]
        if len(after) > 1:
            row["outlet"] = after[1]
    # The header after "N words": the date, a time, the outlet, its code and the language (one word), then the
    # copyright line when there is one. Only there: a paragraph of the text may open "Copyright", and one within
    # the first 20 lines was taken for it, the paragraphs above it lost.
    header = [p for p, line in enumerate(lines) if line and not _TIME_RE.match(line)][count_at + 1 :]
    language_at = next((p for p in header[2:4] if _LANGUAGE_RE.match(lines[p])), None)
    start = language_at + 1 if language_at is not None else (header[1] + 1 if len(header) > 1 else 0)
    rights_at = next((p for p in range(start, len(lines)) if lines[p]), None)
    if rights_at is not None and _RIGHTS_RE.match(lines[rights_at]):
        start = rights_at + 1
    row["text"] = "\n".join(lines[start:]).strip()
    return row


# Factiva's display "with indexing": each field under its two- or three-letter code, on its line or before its
# value (HD headline, SN source, PD date, LP lead paragraphs, TD text, …). Read as the plain display, the title
# was "HD" and the outlet unknown. After TD, only a code alone on its line or before an index term ends the text
# ("IN 2024, …" is prose).
_FACTIVA_CODE_RE = re.compile(
    r"^(HD|BY|WC|PD|ET|SN|SC|ED|PG|VOL|LA|CY|LP|TD|CT|RF|CO|IN|NS|RE|IPD|IPC|PUB|AN)(?:\s+(.*))?$"
)
_FACTIVA_FIELDS = {"HD": "title", "PD": "published", "SN": "outlet"}
_FACTIVA_INDEX_RE = re.compile(r"^[a-z0-9]+ : ")  # an index term after the text: "NS  gpol : Domestic Politics"


def _factiva_coded(filled: list[str]) -> bool:
    """Whether a document is written under field codes: HD first, then SN or PD (a headline "HD Radio …" is not)."""
    codes = [match.group(1) for line in filled[:40] if (match := _FACTIVA_CODE_RE.match(line))]
    return bool(codes) and filled[0].startswith("HD") and codes[0] == "HD" and bool({"SN", "PD"} & set(codes))


def _factiva_coded_row(lines: list[str]) -> dict[str, str]:
    fields: dict[str, list[str]] = {}
    code = ""
    for line in lines:
        match = _FACTIVA_CODE_RE.match(line)
        if match and (match.group(2) is None or "TD" not in fields or _FACTIVA_INDEX_RE.match(match.group(2))):
            code = match.group(1)
            fields.setdefault(code, [])
            line = match.group(2) or ""
        if code:
            fields[code].append(line)
    row = {
        key: " ".join(" ".join(fields[code]).split())
        for code, key in _FACTIVA_FIELDS.items()
        if code in fields and "".join(fields[code])
    }
    row["text"] = "\n".join([*fields.get("LP", []), "", *fields.get("TD", [])]).strip()
    return row
