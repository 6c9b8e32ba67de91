"""A file of many messages or pages (a mailbox, a web archive) -> each one's bytes, and what was passed over and why."""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from compare.ingest.archives import as_utf8, web_address
from compare.ingest.fields import Metadata
from compare.ingest.formats import MAX_SAVED_PAGE_BYTES


@dataclass(frozen=True)
class Entry:
    """One message or page of a bundle: its number in the file (1, 2, …), bytes, type, and what the bundle says of it."""

    number: int
    raw: bytes
    suffix: str
    metadata: Metadata | None = None
    name: str | None = None  # a zip's member, read as a file of that name is
    problem: str | None = None  # why it cannot be read (too big, damaged)


@dataclass(frozen=True)
class Bundle:
    """What a bundle holds: its entries to read as articles, the count of what is not one (by kind), a note of a
    file cut short, or the problem that stops it being read at all."""

    what: str
    entries: tuple[Entry, ...] = ()
    passed_over: Counter[str] = field(default_factory=Counter)
    cut_short: str | None = None
    problem: str | None = None


def bundle_entries(raw: bytes, suffix: str) -> Bundle:
    """The messages of a mailbox (``.mbox``), the pages of a web archive (``.warc``, its gzip already undone) or
    the files of a zip archive (``.zip``)."""
    if suffix == ".zip":
        return _zip_archive(raw)
    return _mailbox(raw) if suffix == ".mbox" else _web_archive(raw)


# A zip (a dashboard upload of a folder, a download of a corpus) is read as its folder would be, its members
# decompressed up to their type's size limit and all together up to this: 50 MB uploaded can hold 50 GB, and what
# is decompressed is held at once (a hosted server of 2 GB held 3.9 GB for a zip of one 1.9 GB table, round 16).
MAX_ZIP_CONTENT = 256 * 1024 * 1024
# A message or page of a mailbox or web archive larger than this is named, not read: one article, with its
# attachments or images, is smaller (a 1.9 GB message took 22 GB of memory to read, round 16).
MAX_ENTRY_BYTES = MAX_SAVED_PAGE_BYTES


def _zip_archive(raw: bytes) -> Bundle:
    import zipfile

    from compare.ingest.formats import size_limit

    what = "a zip archive"
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        return Bundle(what, problem=f"a zip archive that cannot be read ({error}); unpack it and give its folder")
    entries: list[Entry] = []
    passed_over: Counter[str] = Counter()
    read, cut_short = 0, None
    for number, info in enumerate(members, 1):
        parts = [part for part in info.filename.replace("\\", "/").split("/") if part]
        if any(part.startswith(".") or part == "__MACOSX" for part in parts) or parts[-1].lower() == "readme.md":
            passed_over["hidden and system files"] += 1
            continue
        name, limit = "/".join(parts), size_limit(parts[-1])
        allowed = min(limit, MAX_ZIP_CONTENT - read)  # what is left of the whole zip's limit
        try:
            with archive.open(info) as member:  # read up to the limit: the sizes a zip declares may be false
                content = member.read(allowed + 1)
        except (
            zipfile.BadZipFile,
            RuntimeError,
            OSError,
            ValueError,
            EOFError,
            zlib.error,
            NotImplementedError,
        ) as error:
            # RuntimeError: a member encrypted with a password; NotImplementedError: a compression zipfile lacks
            # (Deflate64, as Windows writes past 2 GB); the others: a damaged member
            entries.append(Entry(number, b"", "", name=name, problem=f"cannot be read from the zip archive ({error})"))
            continue
        if len(content) > allowed and allowed < limit:
            total = MAX_ZIP_CONTENT / 1e6
            cut_short = f"its files decompress to more than {total:.0f} MB; from {name!r} on none was read"
            break
        read += len(content)
        # as a gzip file's content is named: read up to the limit, so its whole size is not known
        too_big = f"decompresses to more than {limit / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB"
        if len(content) <= limit:
            too_big = ""
        entries.append(Entry(number, b"" if too_big else content, "", name=name, problem=too_big or None))
    return Bundle(what, tuple(entries), passed_over, cut_short)


# A message starts at a "From " line (the envelope: "From sender@example.com Wed Apr  3 10:00:00 2024") at the start
# of the file or after a blank line, the rule RFC 4155 gives and Thunderbird, mutt and Google Takeout follow; a body
# line that starts "From " is written ">From " by them, and read back without its ">" (mboxrd). The stdlib's
# ``mailbox.mbox`` splits so too, but only a file on disk: a dashboard upload or a .mbox.gz is bytes.
_ENVELOPE = re.compile(rb"(?:\A|(?<=\n\n)|(?<=\r\n\r\n))From [^\r\n]*\r?\n")
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def _mailbox(raw: bytes) -> Bundle:
    what = "a mailbox (mbox)"
    body = raw.removeprefix(b"\xef\xbb\xbf")
    starts = list(_ENVELOPE.finditer(body))
    if not starts or starts[0].start() != 0:
        first = body.split(b"\n", 1)[0][:60].decode("utf-8", "replace")
        return Bundle(what, problem=f"not a mailbox (mbox): its first line is not a 'From ' line ('{first}')")
    ends = [match.start() for match in starts[1:]] + [len(body)]
    entries = tuple(
        Entry(number, _QUOTED_FROM.sub(rb"\1", body[start.end() : end]), ".eml")
        if end - start.end() <= MAX_ENTRY_BYTES
        else Entry(number, b"", ".eml", problem=_too_big("message", end - start.end()))
        for number, (start, end) in enumerate(zip(starts, ends), 1)
    )
    return Bundle(what, entries)


def _too_big(what: str, size: int) -> str:
    return f"the {what} is {size / 1e6:,.0f} MB; the limit is {MAX_ENTRY_BYTES / 1e6:.0f} MB: not read"


# What a web archive's records are when they are not a page to read: WARC's own records (the crawl's description,
# each request sent, metadata, a revisit that stores a page seen before only by reference), and responses that are
# no article: a redirect, an error page, robots.txt, images, stylesheets, scripts, feeds.
_RECORD_KINDS = {
    "warcinfo": "the crawl's description (warcinfo)",
    "request": "requests",
    "metadata": "metadata records",
    "revisit": "revisits (a page seen before, stored by reference)",
}
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def _web_archive(raw: bytes) -> Bundle:
    from warcio.archiveiterator import ArchiveIterator  # only for web archives
    from warcio.exceptions import ArchiveLoadFailed

    what = "a web archive (WARC)"
    if not raw.lstrip().startswith(b"WARC/"):
        first = raw.lstrip().split(b"\n", 1)[0][:60].decode("utf-8", "replace")
        return Bundle(what, problem=f"not a web archive (WARC): it does not start with a WARC header ('{first}')")
    entries: list[Entry] = []
    passed_over: Counter[str] = Counter()
    records = ArchiveIterator(io.BytesIO(raw))
    number, cut_short = 0, None
    # warcio writes a line to stderr for each record not followed by the blank lines it expects; the note below
    # says what matters of it (a file cut short).
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            for number, record in enumerate(records, 1):
                stream = record.content_stream()
                content, size = stream.read(MAX_ENTRY_BYTES + 1), 0
                while len(content) > MAX_ENTRY_BYTES and (chunk := stream.read(1 << 20)):  # passed over, not held
                    size += len(chunk)
                if record.rec_type is None or getattr(record.raw_stream, "limit", 1) != 0:
                    cut_short = f"record {number} is cut short (the file ends inside it)"
                    break
                if size or len(content) > MAX_ENTRY_BYTES:
                    entries.append(Entry(number, b"", ".html", problem=_too_big("record", len(content) + size)))
                    continue
                kind, entry = _record_entry(number, record.rec_type, record, content)
                if entry is None:
                    passed_over[kind] += 1
                else:
                    entries.append(entry)
        except (ArchiveLoadFailed, AttributeError, ValueError, OSError, EOFError) as error:
            # AttributeError: warcio's reader of a header cut in the middle (a None where a line was expected)
            cut_short = f"record {number + 1} cannot be read ({type(error).__name__}): is the file cut short?"
    if cut_short is None and raw[records.offset :].strip():
        cut_short = (
            f"it ends in a record cut short after record {number} (its last {len(raw) - records.offset:,} bytes)"
        )
    return Bundle(what, tuple(entries), passed_over, cut_short)


def _record_entry(number: int, kind: str, record: Any, content: bytes) -> tuple[str, Entry | None]:
    """(what the record is, for the count of those passed over; its entry when it is a page to read)."""
    headers = record.rec_headers
    url = web_address(headers.get_header("WARC-Target-URI"))
    if kind == "conversion":  # a page's text extracted by the crawler (Common Crawl's WET files)
        return kind, Entry(number, content, ".txt", Metadata(url=url)) if content.strip() else None
    if kind not in ("response", "resource"):
        return _RECORD_KINDS.get(kind, f"{kind} records"), None
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http is not None and kind == "response" else 200
    content_type = (http.get_header("Content-Type") if http is not None else None) or headers.get_header("Content-Type")
    media, _, parameters = (content_type or "").partition(";")
    media = media.strip().lower()
    if 300 <= status < 400:
        return "redirects", None
    if status >= 400 or status < 200:
        return "error pages (HTTP 4xx, 5xx)", None
    if (url or "").lower().split("?", 1)[0].endswith("/robots.txt"):
        return "robots.txt", None
    if media not in _PAGE_TYPES:
        return _media_kind(media), None
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", parameters, re.IGNORECASE)
    html = as_utf8(content, charset.group(1) if charset else None)
    return "pages", Entry(number, html, ".html", Metadata(url=url))


def _media_kind(media: str) -> str:
    """The name of a kind of file a crawl keeps that is not a page, for the count of those passed over."""
    if media.startswith(("image/", "video/", "audio/", "font/")):
        return media.split("/", 1)[0] + " files"
    named = {"text/css": "stylesheets", "application/javascript": "scripts", "text/javascript": "scripts"}
    if media in named:
        return named[media]
    if "xml" in media or "rss" in media or "atom" in media or "json" in media:
        return "feeds and data (XML, JSON)"
    return f"other files ({media or 'no type given'})"
