"""Files, folders, URLs, CSV and JSON(L) -> Articles (cleaned, with outlet and date), plus problems."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import logging
import math
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from compare.documents import Article, Problem
from compare.ingest.clean import clean_page, normalise_text
from compare.ingest.dates import DateReading, OutOfRange, read_date
from compare.ingest.outlets import OutletRegistry, load_registry

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet"}
SIDECAR_NAMES = ("sources.csv", "_sources.csv", "metadata.csv")
_SUPPORTED_LIST = ".txt, .md, .html, .json, .jsonl, .csv or .parquet"
_SUPPORTED_NAMES = f"use {_SUPPORTED_LIST}"

MAX_PAGE_BYTES = 20 * 1024 * 1024  # one article page; larger is not an article
MAX_TABLE_BYTES = 2 * 1024 * 1024 * 1024
MAX_ARTICLE_CHARS = 200_000  # longer article texts are cut here, with a problem noted
MIN_ARTICLE_WORDS = 20
SIDECAR_HEAD_BYTES = 4096  # enough to see a sidecar's header

logger = logging.getLogger(__name__)

Rows = Iterator[tuple[int, Mapping[str, Any] | None, str | None]]  # (row number, row, or why it is unreadable)

_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id"),
    "text": ("text", "body", "content", "article", "maintext", "body-paragraphs", "body_paragraphs"),
    "outlet": ("outlet", "source", "publisher", "site", "sitename", "site_name", "domain", "media"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime", "timestamp"),
    "url": ("url", "link", "href"),
}


@dataclass
class Corpus:
    """Articles read from inputs, and what could not be read."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Corpus) -> None:
        self.articles.extend(other.articles)
        self.problems.extend(other.problems)


@dataclass(frozen=True)
class _Metadata:
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    dates: tuple[DateReading, ...] = ()  # every date given, first the one in ``published``, for their notes


def load_corpus(inputs: Iterable[str | Path], registry: OutletRegistry | None = None) -> Corpus:
    """Reads every input (file, folder, or http(s) URL) into articles.

    Args:
        inputs: paths to files or folders (read recursively), or URLs.
        registry: the outlet registry; the bundled one (plus ``$PARALLAX_OUTLETS``) by default.

    Returns:
        The articles, de-duplicated and with unique ids, and a problem for every input that
        was skipped or only partly read. Never raises for bad input.
    """
    registry = registry or load_registry()
    corpus = Corpus()
    for unit in expand_inputs(inputs):
        corpus.extend(load_unit(unit, registry))
    return _deduplicate(corpus)


@dataclass(frozen=True)
class InputUnit:
    """One thing to read: a file, a URL, or an input already known to be unreadable (``problem``)."""

    location: str
    kind: str  # "file", "url", "storage" (an object-store or file:// URI) or "problem"
    problem: str = ""


def expand_inputs(inputs: Iterable[str | Path]) -> list[InputUnit]:
    """The files (folders read recursively, in name order) and URLs to read, in reading order.

    Inputs that cannot be read at all (missing, unsupported type) become ``problem`` units in their
    place, so that reading the units one by one, anywhere, reports problems in the same order.
    """
    units: list[InputUnit] = []
    for item in inputs:
        text_item = str(item)
        if re.match(r"^https?://", text_item, re.IGNORECASE):
            units.append(InputUnit(text_item, "url"))
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*://", text_item, re.IGNORECASE):
            units.extend(_storage_units(text_item))
            continue
        units.extend(_local_units(Path(item), text_item))
    return units


def _local_units(path: Path, given: str) -> list[InputUnit]:
    """A local path as units: the files of a folder, the file, or why it cannot be read."""
    try:
        mode = path.stat().st_mode  # follows links: a link to a file is that file
    except (OSError, ValueError) as error:
        return [InputUnit(given, "problem", _stat_problem(path, error))]
    if stat.S_ISDIR(mode):
        return _folder_units(path)
    if stat.S_ISREG(mode):
        return [InputUnit(str(path), "file")]
    return [InputUnit(given, "problem", f"not a regular file ({_file_type(mode)}); skipped")]


def _stat_problem(path: Path, error: OSError | ValueError) -> str:
    if isinstance(error, ValueError):
        return f"not a usable path ({error})"
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "a link to a file or folder that does not exist" if _is_link(path) else "no such file or folder"
    return f"cannot read it ({error.strerror or error})"


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except (OSError, ValueError):
        return False


def _file_type(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


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
    return load_file(path, registry, _sidecar_of_folder(str(path.parent)))


def article_fingerprint(article: Article) -> str:
    """What makes two articles duplicates: the same normalised text, case aside."""
    return hashlib.sha1(normalise_text(article.text).lower().encode()).hexdigest()


def deduplicate_ids(
    items: Iterable[tuple[str, str, str]], earlier: Iterable[tuple[str, str]] = ()
) -> tuple[list[str | None], list[Problem]]:
    """For (id, fingerprint, source) of every article in reading order: its final id, or None for a duplicate.

    The first article with a text is kept; a later one with the same text is dropped; an id used
    twice gets ``~2``, ``~3`` ... Each decision comes with a problem saying so. ``earlier`` gives
    the (id, fingerprint) of articles already kept, e.g. by an analysis being added to.
    """
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    for article_id, fingerprint in earlier:
        seen_text.setdefault(fingerprint, article_id)
        seen_ids.add(article_id)
    decisions: list[str | None] = []
    problems: list[Problem] = []
    for original_id, fingerprint, source in items:
        if fingerprint in seen_text:
            problems.append(Problem(source, f"same text as article {seen_text[fingerprint]}; skipped as a duplicate"))
            decisions.append(None)
            continue
        article_id = original_id
        suffix = 2
        while article_id in seen_ids:
            article_id = f"{original_id}~{suffix}"
            suffix += 1
        if article_id != original_id:
            problems.append(Problem(source, f"id {original_id!r} is used twice; renamed to {article_id!r}"))
        seen_ids.add(article_id)
        seen_text[fingerprint] = article_id
        decisions.append(article_id)
    return decisions, problems


def load_file(
    path: Path,
    registry: OutletRegistry | None = None,
    sidecar: Mapping[str, _Metadata] | None = None,
    display_name: str | None = None,
) -> Corpus:
    """Reads one file of any supported format; problems are returned, not raised."""
    registry = registry or load_registry()
    source = display_name or str(path)
    limit = MAX_TABLE_BYTES if path.suffix.lower() in TABLE_SUFFIXES else MAX_PAGE_BYTES
    raw, problem = _read_regular_file(path, limit)
    if problem:
        return Corpus(problems=[Problem(source, problem)])
    return load_bytes(raw, source, registry, (sidecar or {}).get(path.name))


def _read_regular_file(path: Path, limit: int) -> tuple[bytes, str | None]:
    """The bytes of a regular file, or why they cannot be read: not a regular file, larger than ``limit``.

    Opening a FIFO blocks until something writes to it, and a device can be endless: the file is
    checked before it is opened, opened without blocking, checked again, and read up to ``limit``.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return b"", f"not a regular file ({_file_type(mode)}); skipped"
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return b"", f"not a regular file ({_file_type(info.st_mode)}); skipped"
            size = info.st_size
            raw = handle.read(limit + 1) if size <= limit else b""
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return b"", f"cannot read the file ({reason})"
    if size > limit or len(raw) > limit:
        shown = max(size, len(raw))
        return b"", f"file is {shown / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB"
    return raw, None


def load_bytes(
    raw: bytes,
    source: str,
    registry: OutletRegistry | None = None,
    metadata: _Metadata | None = None,
) -> Corpus:
    """Reads the bytes of one file (an upload, say) whose name is ``source``; problems are returned, not raised."""
    try:
        return _read_bytes(raw, source, registry or load_registry(), metadata)
    except Exception as error:  # noqa: BLE001 (the guard of last resort, as in load_unit)
        return Corpus(problems=[_unexpected_problem(source, error)])


def _read_bytes(raw: bytes, source: str, registry: OutletRegistry, metadata: _Metadata | None) -> Corpus:
    suffix = Path(source).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES:
        return Corpus(problems=[Problem(source, f"unsupported file type {suffix or '(none)'}; {_SUPPORTED_NAMES}")])
    if not raw.strip():
        return Corpus(problems=[Problem(source, "file is empty")])
    stem = Path(source).stem
    if suffix == ".parquet":
        return _rows_corpus(_parquet_rows(raw), source, stem, registry)
    text = decode_bytes(raw)
    if text is None:
        return Corpus(problems=[Problem(source, "file is binary, not text")])
    if not text.strip():  # a UTF-16 file of newlines, a line of ideographic spaces
        return Corpus(problems=[Problem(source, "file is empty")])
    if suffix in TEXT_SUFFIXES:
        return _page_corpus(text, source, stem, registry, metadata, html=False)
    if suffix in HTML_SUFFIXES:
        return _page_corpus(text, source, stem, registry, metadata, html=True)
    if suffix in {".jsonl", ".ndjson"}:
        return _rows_corpus(_jsonl_rows(text), source, stem, registry)
    if suffix == ".json":
        return _rows_corpus(_json_rows(text), source, stem, registry)
    return _csv_corpus(text, source, stem, registry, delimiter="\t" if suffix == ".tsv" else ",")


def decode_bytes(raw: bytes) -> str | None:
    """Text from bytes in UTF-8, UTF-16/32 (with BOM), Windows-1252 or Latin-1; None when binary."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        # A BOM is a strong sign: a cut last character is no reason to give up.
        text = raw.decode("utf-32", errors="replace")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:8192]:
        return None
    else:
        text = next(
            (decoded for encoding in ("utf-8-sig", "cp1252", "latin-1") if (decoded := _try_decode(raw, encoding))),
            "",
        )
    head = text[:8192]
    damaged = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return None if damaged > len(head) * 0.05 else text


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _page_corpus(
    text: str, source: str, article_id: str, registry: OutletRegistry, metadata: _Metadata | None, html: bool
) -> Corpus:
    problems: list[Problem] = []
    front, text = _split_front_matter(text)
    metadata = _merge(front, metadata)
    html_meta = _Metadata()
    if html:
        try:
            extracted = _extract_html(text)
        except RecursionError:
            return Corpus(problems=[Problem(source, "HTML nested too deeply to read")])
        if extracted is None:
            return Corpus(problems=[Problem(source, "no article text found in the HTML")])
        text, html_meta = extracted
    article = _build_article(
        article_id=article_id,
        raw_text=text,
        source=source,
        registry=registry,
        given=_merge(metadata, html_meta),
        extra={},
        problems=problems,
    )
    return Corpus(articles=[article] if article else [], problems=problems)


def _rows_corpus(rows: Rows, source: str, stem: str, registry: OutletRegistry) -> Corpus:
    corpus = Corpus()
    seen = 0
    dates: list[tuple[int, str, DateReading]] = []  # (article position, row, reading) for the file's day/month order
    for number, row, error in rows:
        seen += 1
        row_source = source if number == 0 else f"{source}:{number}"
        if error or row is None:
            corpus.problems.append(Problem(row_source, error or "unreadable row"))
            continue
        values = _pick_fields(row)
        if "text" not in values:
            corpus.problems.append(Problem(row_source, "row has no text field (expected one of: text, body, content)"))
            continue
        text, text_problem = _as_text(values["text"])
        if text is None:
            corpus.problems.append(Problem(row_source, text_problem or "text is empty"))
            continue
        notes: list[str] = []
        given = _metadata_from(values, notes)
        article_id = _as_name("id", values.get("id"), notes) or (stem if number == 0 else f"{stem}-{number}")
        used = {key for aliases in _FIELD_ALIASES.values() for key in aliases}
        extra = {str(key): _scalar(value) for key, value in row.items() if key not in used and _scalar(value)}
        problems: list[Problem] = []
        article = _build_article(
            article_id, text, row_source, registry, given, extra, problems, defer_ambiguous_dates=True
        )
        if article:
            problems.extend(Problem(row_source, note) for note in notes)
            dates.extend((len(corpus.articles), f"row {number}", reading) for reading in given.dates[:1])
            corpus.articles.append(article)
        corpus.problems.extend(problems)
    if seen == 0:
        corpus.problems.append(Problem(source, "file holds no rows, so no article"))
    _settle_day_month_order(corpus, source, dates)
    return corpus


def _settle_day_month_order(corpus: Corpus, source: str, dates: list[tuple[int, str, DateReading]]) -> None:
    """Reads a file's ambiguous dates (03/05/2024) the way its unambiguous ones are written, day-first otherwise.

    One note per file says how they were read, instead of one per row.
    """
    ambiguous = [(position, row, reading) for position, row, reading in dates if reading.month_first]
    if not ambiguous:
        return
    orders = Counter(reading.order for _, _, reading in dates if reading.order)
    example = {order: next(r.value for _, _, r in dates if r.order == order) for order in orders}
    _, first_row, first = ambiguous[0]
    count = f"{len(ambiguous)} dates such as '{first.value}' ({first_row})"
    if len(ambiguous) == 1:
        count = f"date '{first.value}' ({first_row})"
    if orders["month-first"] and not orders["day-first"]:
        for position, _, reading in ambiguous:
            if corpus.articles[position].published == reading.iso:
                corpus.articles[position] = replace(corpus.articles[position], published=reading.month_first)
        how = f"read month-first ({first.month_first}), as this file's other dates are written (e.g. '{example['month-first']}')"
    elif orders["day-first"] and not orders["month-first"]:
        how = f"read day-first ({first.iso}), as this file's other dates are written (e.g. '{example['day-first']}')"
    else:
        why = "this file's other dates are written both ways" if orders else "nothing in the file tells"
        how = f"read day-first ({first.iso}): {why}; write dates as YYYY-MM-DD to be sure"
    corpus.problems.append(Problem(source, f"{count} could be day or month first; {how}"))


def _build_article(
    article_id: str,
    raw_text: str,
    source: str,
    registry: OutletRegistry,
    given: _Metadata,
    extra: dict[str, str],
    problems: list[Problem],
    defer_ambiguous_dates: bool = False,
) -> Article | None:
    if len(raw_text) > MAX_ARTICLE_CHARS:
        problems.append(
            Problem(source, f"text is {len(raw_text):,} characters; only the first {MAX_ARTICLE_CHARS:,} were read")
        )
        raw_text = raw_text[:MAX_ARTICLE_CHARS]
    page = clean_page(raw_text, registry)
    words = len(page.text.split())
    english = looks_english(page.text)
    if words < MIN_ARTICLE_WORDS:
        reason = " (the text does not look like English)" if words and not english else ""
        removed = max(page.dropped_lines, key=len, default="")
        if removed and words < 5:
            shown = removed if len(removed) <= 60 else removed[:57] + "..."
            reason += f" (removed as page furniture: '{shown}')"
        problems.append(
            Problem(source, f"only {words} words of article text after removing page furniture{reason}; skipped")
        )
        return None
    if not english:
        problems.append(
            Problem(
                source,
                "the text does not look like English; Parallax's sentence splitter, parser and tone lexicon are "
                "English-only, so its statements, speakers and tone may be poor (analysed anyway)",
            )
        )
    outlet = given.outlet or page.outlet
    outlet_from = "given" if given.outlet else page.outlet_from
    if not outlet and given.url:
        known = registry.by_domain(given.url)
        outlet = known.name if known else _host(given.url)
        outlet_from = "url"
    if not outlet:
        outlet, outlet_from = "Unknown", None
        problems.append(
            Problem(
                source,
                "outlet not found in the text; set it with an 'outlet' field, front matter or a sources.csv sidecar",
            )
        )
    if outlet_from:
        extra = {**extra, "outlet_from": outlet_from}
    published = given.published or page.published
    for reading in given.dates:
        if not reading.note or (defer_ambiguous_dates and reading.month_first):
            continue
        if reading.iso is None:
            if not published:
                instead = "article kept without a date"
            elif given.published:
                instead = f"used {published}, given elsewhere for it, instead"
            else:
                instead = f"used {published}, found in the text, instead"
            problems.append(Problem(source, f"{reading.note}; {instead}"))
        elif reading.iso == published:
            problems.append(Problem(source, reading.note))
    return Article(
        id=str(article_id),
        outlet=registry.canonical(outlet),
        text=page.text,
        title=given.title or page.title,
        published=published,
        url=given.url,
        source=source,
        byline=page.byline,
        extra=extra,
    )


_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on with said was as by it at from he has have be are his her its an not".split()
)


def looks_english(text: str) -> bool:
    """Whether a text reads as English: mostly Latin letters, and common English words among its words."""
    sample = text[:20_000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ch.isascii()) / len(letters)
    words = re.findall(r"[a-z]+", sample.lower())
    common = sum(1 for word in words if word in _ENGLISH_WORDS) / max(1, len(words))
    return latin > 0.7 and common > 0.08


def _host(url: str) -> str:
    from urllib.parse import urlparse

    host = urlparse(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def _pick_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The value of each known field, as given: the first of its names holding a value (a string first)."""
    lowered = {str(key).lower().strip(): value for key, value in row.items()}
    picked: dict[str, Any] = {}
    for name, aliases in _FIELD_ALIASES.items():
        values = [lowered[alias] for alias in aliases if not _is_missing(lowered.get(alias))]
        if values:
            picked[name] = next((value for value in values if isinstance(value, str)), values[0])
    return picked


def _is_missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, (list, tuple, dict, bytes)) and not value)
    )


def _as_text(value: Any) -> tuple[str | None, str | None]:
    """Article text from a field's value: a string, bytes (decoded like a file), or a list of paragraphs.

    Returns:
        (text, None), or (None, why the value is not article text).
    """
    if isinstance(value, str):
        return value, None
    if isinstance(value, (bytes, bytearray, memoryview)):
        text = decode_bytes(bytes(value))
        return (text, None) if text is not None else (None, "text is binary data, not text in a known encoding")
    if isinstance(value, (list, tuple)):
        paragraphs: list[str] = []
        for paragraph in value:
            # A paragraph may itself be a list of sentences (BASIL's body-paragraphs).
            parts = paragraph if isinstance(paragraph, (list, tuple)) else [paragraph]
            nested = [part for part in parts if isinstance(part, (list, tuple, dict))]
            if nested:
                return None, f"text is a list holding {_kind(nested[0])}, not paragraphs"
            sentences = [_as_name("paragraph", part, []) or "" for part in parts]
            paragraphs.append(" ".join(sentence for sentence in sentences if sentence))
        text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
        return (text, None) if text.strip() else (None, "text is a list with no text in it")
    return None, f"text is {_kind(value)}, not article text"


def _as_name(field_name: str, value: Any, notes: list[str]) -> str | None:
    """A one-line value (id, title, url) as a string; a note when a value of the wrong kind is ignored."""
    if _is_missing(value):
        return None
    if isinstance(value, str):
        return _one_line(value) or None
    if isinstance(value, (bytes, bytearray)):
        decoded = decode_bytes(bytes(value))
        if decoded is not None and _one_line(decoded):
            return _one_line(decoded)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int | Decimal) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    elif isinstance(value, float):
        return str(value)
    elif isinstance(value, (list, tuple)) and field_name == "title":
        words = [_one_line(part) for part in value if isinstance(part, str)]
        if any(words):
            return " ".join(word for word in words if word)
    notes.append(f"{field_name} is {_kind(value)}; ignored")
    return None


def _one_line(text: str) -> str:
    """A metadata value as one clean line: no control characters or lone surrogates, which no file can hold."""
    return " ".join(normalise_text(text).split())


def _as_outlet(value: Any, notes: list[str]) -> str | None:
    """An outlet name; from a list the first name (with a note), from an object its 'name' (NewsAPI's source)."""
    if isinstance(value, Mapping):
        name = value.get("name")
        if isinstance(name, str) and _one_line(name):
            return _one_line(name)
        notes.append(f"outlet is {_kind(value)} without a 'name'; ignored")
        return None
    if isinstance(value, (list, tuple)):
        names = [_one_line(item) for item in value if isinstance(item, str) and _one_line(item)]
        if names:
            notes.append(f"outlet is a list ({_preview(value)}); used the first name, '{names[0]}'")
            return names[0]
        notes.append(f"outlet is a list with no name in it ({_preview(value)}); ignored")
        return None
    if isinstance(value, (bool, int, float, Decimal)):
        notes.append(f"outlet is {_kind(value)}, not a name; ignored")
        return None
    return _as_name("outlet", value, notes)


def _kind(value: Any) -> str:
    """What a value is, for a message: "a number (42)", "a JSON object (keys: a, b)"."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float, Decimal)):
        return f"a number ({_preview(value)})"
    if isinstance(value, Mapping):
        keys = ", ".join(str(key) for key in list(value)[:5])
        return f"a JSON object (keys: {keys})" if keys else "an empty JSON object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "binary data"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    return f"a {type(value).__name__} value"


def _preview(value: Any) -> str:
    try:
        shown = (
            json.dumps(list(value[:5]), ensure_ascii=False, default=str)
            if isinstance(value, (list, tuple))
            else str(value)
        )
    except (RecursionError, ValueError):
        shown = "[...]"
    shown = _one_line(shown)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _scalar(value: Any) -> str:
    """A value for ``Article.extra``; empty for values that are not one plain value."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, str):
        return _one_line(value)
    if isinstance(value, (int, float, bool, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return _one_line(decode_bytes(value) or "")
    return ""


def _parquet_rows(raw: bytes) -> Rows:
    """Rows of a Parquet file (one article per row, columns as in JSONL), read with pyarrow.

    Values keep their types (dates stay dates, binary stays bytes) for the field readers to judge.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as parquet

        # An Arrow buffer, not a Python file object: pyarrow may close the latter on one of its threads
        # after read_table returns, and at interpreter exit that aborts the process (apache/arrow#33975).
        table = parquet.read_table(pa.BufferReader(raw))
    except Exception as error:  # noqa: BLE001 (pyarrow raises many types for a damaged file)
        yield 0, None, f"not a readable Parquet file ({(str(error).splitlines() or [type(error).__name__])[0][:200]})"
        return
    number = 0
    for batch in table.to_batches(max_chunksize=4096):
        columns = [_column_values(column) for column in batch.columns]
        for position in range(batch.num_rows):
            number += 1
            yield number, {name: values[position] for name, values in zip(batch.schema.names, columns)}, None


def _column_values(column: Any) -> list[Any]:
    """A Parquet column as Python values; a date Python cannot hold (year 10000 on) as ``OutOfRange``."""
    try:
        return list(column.to_pylist())
    except (ValueError, OverflowError):
        pass
    values: list[Any] = []
    for scalar in column:
        try:
            values.append(scalar.as_py())
        except (ValueError, OverflowError):
            values.append(OutOfRange(f"{scalar.type} value {_raw_number(scalar)}"))
    return values


def _raw_number(scalar: Any) -> str:
    import pyarrow as pa

    try:
        return str(scalar.cast(pa.int64()).as_py())
    except (pa.ArrowException, ValueError, OverflowError):
        return "(unreadable)"


def _jsonl_rows(text: str) -> Rows:
    # JSON Lines ends a row at \n (or \r\n) only: str.splitlines() would also split at U+2028, U+0085
    # or a form feed, which JSON strings may hold raw (json.dumps(ensure_ascii=False) writes them).
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip(" \t\r"):
            continue
        row, error = _parse_json(line)
        if error:
            yield number, None, f"line {number}: {error}"
        elif not isinstance(row, dict):
            yield number, None, f"line {number} is a JSON {_json_type(row)}, not an object"
        else:
            yield number, row, None


def _parse_json(text: str) -> tuple[Any, str | None]:
    """A JSON value, or why it cannot be read (never raises, however deep the nesting)."""
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "JSON nested too deeply to read"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON ({error.msg}: line {error.lineno}, column {error.colno})"
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        return None, f"not valid JSON ({str(error).split(';')[0][:200]})"


def _json_rows(text: str) -> Rows:
    document, error = _parse_json(text)
    if error:
        # Many tools write JSON Lines with a .json name.
        if "\n{" in text and "nested too deeply" not in error:
            yield from _jsonl_rows(text)
            return
        yield 0, None, error
        return
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        document = document["articles"]
    if isinstance(document, dict):
        yield 0, document, None
        return
    if not isinstance(document, list):
        yield 0, None, f"JSON must hold an article object or a list of them, not a {_json_type(document)}"
        return
    for number, row in enumerate(document, start=1):
        if isinstance(row, dict):
            yield number, row, None
        else:
            yield number, None, f"item {number} is a JSON {_json_type(row)}, not an object"


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "list", type(None): "null"}
    return names.get(type(value), type(value).__name__)


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "'|'"}


def _csv_corpus(text: str, source: str, stem: str, registry: OutletRegistry, delimiter: str) -> Corpus:
    text, found, note = _csv_layout(text, delimiter)
    corpus = _rows_corpus(_csv_rows(text, found), source, stem, registry)
    if note:
        corpus.problems.insert(0, Problem(source, note))
    return corpus


def _csv_layout(text: str, expected: str) -> tuple[str, str, str | None]:
    """(the table text, its delimiter, a note when it is not ``expected``): Excel's "sep=;" first line,
    else the delimiter (, ; tab |) with which the header names a text column, else ``expected``."""
    first_line, _, rest = text.partition("\n")
    excel_hint = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if excel_hint:
        return rest, excel_hint.group(1), None
    header_line = first_line.rstrip("\r")
    for delimiter in dict.fromkeys([expected, *_DELIMITER_NAMES]):
        if any(alias in _header_columns(header_line, delimiter) for alias in _FIELD_ALIASES["text"]):
            if delimiter == expected:
                return text, delimiter, None
            note = f"columns are separated by {_DELIMITER_NAMES[delimiter]}, not {_DELIMITER_NAMES[expected]}; read that way"
            return text, delimiter, note
    return text, expected, None


def _csv_rows(text: str, delimiter: str) -> Rows:
    csv.field_size_limit(MAX_ARTICLE_CHARS * 8)
    header_line = text.partition("\n")[0].rstrip("\r")
    columns = _header_columns(header_line, delimiter)
    if not any(alias in columns for alias in _FIELD_ALIASES["text"]):
        between = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
        message = (
            f"CSV has no text column (columns read with {between} between them: {', '.join(columns) or 'none'}); "
            "expected one of text, body, content"
        )
        others = [name for mark, name in _DELIMITER_NAMES.items() if mark != delimiter and mark in header_line]
        if others:
            message += f"; the header also holds {' and '.join(others)}, but no text column that way either"
        yield 0, None, message
        return
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=2):
            if None in row:
                yield number, None, f"row {number} has more cells than the header"
                continue
            yield number, row, None
    except csv.Error as error:
        yield 0, None, f"CSV cannot be parsed at line {reader.line_num} ({error}); the rows from there on were not read"


def _header_columns(header_line: str, delimiter: str) -> list[str]:
    try:
        return [name.lower().strip() for name in next(csv.reader([header_line], delimiter=delimiter), [])]
    except csv.Error:
        return []


def _split_front_matter(text: str) -> tuple[_Metadata | None, str]:
    text = text.lstrip("\ufeff")
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    if not match:
        return None, text
    values: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        if value:
            values[key.strip().lower()] = value.strip().strip("\"'")
    return _metadata_from(_pick_fields(values)), text[match.end() :]


def _metadata_from(values: Mapping[str, Any], notes: list[str] | None = None) -> _Metadata:
    """Metadata from field values as given (``_pick_fields``); a note for each value of the wrong kind."""
    notes = [] if notes is None else notes
    reading = read_date(values.get("published"))
    return _Metadata(
        outlet=_as_outlet(values.get("outlet"), notes),
        title=_as_name("title", values.get("title"), notes),
        published=reading.iso if reading else None,
        url=_as_name("url", values.get("url"), notes),
        dates=(reading,) if reading else (),
    )


def _merge(first: _Metadata | None, second: _Metadata | None) -> _Metadata:
    first = first or _Metadata()
    second = second or _Metadata()
    return _Metadata(
        outlet=first.outlet or second.outlet,
        title=first.title or second.title,
        published=first.published or second.published,
        url=first.url or second.url,
        dates=first.dates + second.dates,
    )


def _extract_html(html: str) -> tuple[str, _Metadata] | None:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if document is None:
        return None
    values = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = values.get("text") or ""
    if not text.strip():
        return None
    title = values.get("title") or None
    reading = read_date(values.get("date"))
    return text, _Metadata(
        outlet=values.get("sitename") or None,
        title=title,
        published=reading.iso if reading else None,
        url=values.get("url") or None,
        dates=(reading,) if reading else (),
    )


def read_sidecar(path: Path) -> dict[str, _Metadata]:
    """Reads a ``sources.csv`` sidecar: columns file, outlet, title, published (or date), url."""
    text = decode_bytes(path.read_bytes()) or ""
    sidecar = {}
    for row in csv.DictReader(io.StringIO(text)):
        lowered = {str(key).lower().strip(): (value or "").strip() for key, value in row.items() if key}
        name = lowered.get("file") or lowered.get("filename") or lowered.get("path")
        if not name:
            continue
        sidecar[Path(name).name] = _metadata_from(_pick_fields(lowered))
    return sidecar


def _sidecar_problem(path: Path) -> str | None:
    try:
        read_sidecar(path)
    except (OSError, ValueError, csv.Error) as error:
        return f"sidecar cannot be read ({error}); the metadata in it is not used"
    return None


def _is_sidecar(path: Path) -> bool:
    if path.name.lower() not in SIDECAR_NAMES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SIDECAR_HEAD_BYTES)
    except OSError:
        return False
    header = (decode_bytes(head) or "").splitlines()[:1]
    columns = {cell.strip().lower() for cell in header[0].split(",")} if header else set()
    return bool(columns & {"file", "filename", "path"}) and "text" not in columns


def _sidecar_for(path: Path) -> dict[str, _Metadata]:
    for name in SIDECAR_NAMES:
        candidate = path.parent / name
        if candidate.is_file() and _is_sidecar(candidate) and _sidecar_problem(candidate) is None:
            return read_sidecar(candidate)  # a sidecar that cannot be read is reported by _folder_units
    return {}


def _folder_units(folder: Path) -> list[InputUnit]:
    units: list[InputUnit] = []
    supported = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            mode = path.stat().st_mode
        except (OSError, ValueError) as error:
            units.append(InputUnit(str(path), "problem", f"{_stat_problem(path, error)}; skipped"))
            continue
        if stat.S_ISDIR(mode):
            if _is_link(path):  # rglob lists a linked folder but does not go in
                message = "a link to a folder, not followed; give that folder as an input to read it"
                units.append(InputUnit(str(path), "problem", message))
            continue
        if not stat.S_ISREG(mode):  # a FIFO would block the reader, a device never ends
            units.append(InputUnit(str(path), "problem", f"not a regular file ({_file_type(mode)}); skipped"))
            continue
        if path.name.lower() == "readme.md":
            continue
        if path.suffix.lower() in TABLE_SUFFIXES and _is_sidecar(path):
            problem = _sidecar_problem(path)
            if problem:
                units.append(InputUnit(str(path), "problem", problem))
            continue
        if path.suffix.lower() not in supported:
            message = f"unsupported file type {path.suffix or '(none)'}; skipped ({_SUPPORTED_NAMES})"
            units.append(InputUnit(str(path), "problem", message))
            continue
        units.append(InputUnit(str(path), "file"))
    if not units:
        units.append(InputUnit(str(folder), "problem", f"folder holds no {_SUPPORTED_LIST} file"))
    return units


STORAGE_SCHEMES = ("s3", "gs", "gcs", "hdfs", "viewfs", "abfs", "abfss", "file")


def _storage_units(uri: str) -> list[InputUnit]:
    """The files under an object-store or file:// URI (read through pyarrow's filesystems), in name order."""
    scheme = uri.split("://", 1)[0].lower()
    if scheme not in STORAGE_SCHEMES:
        return [
            InputUnit(
                uri,
                "problem",
                f"unsupported address scheme {scheme}://; use a path, http(s)://, s3://, gs://, hdfs://, abfs:// or file://",
            )
        ]
    try:
        import pyarrow.fs as arrow_fs

        filesystem, root = arrow_fs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(root)
        if info.type == arrow_fs.FileType.NotFound:
            return [InputUnit(uri, "problem", "no such file or folder")]
        if info.type == arrow_fs.FileType.File:
            return [InputUnit(uri, "storage")]
        if info.type == arrow_fs.FileType.Unknown:
            return [InputUnit(uri, "problem", _not_regular_in_storage(uri, root))]
        found = filesystem.get_file_info(arrow_fs.FileSelector(root, recursive=True))
    except (OSError, ValueError, ImportError) as error:
        return [InputUnit(uri, "problem", f"cannot list it ({str(error).splitlines()[0][:200]})")]
    base = uri.rstrip("/")
    units: list[InputUnit] = []
    supported = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
    kept = (arrow_fs.FileType.File, arrow_fs.FileType.Unknown)  # Unknown: a FIFO, device or socket
    for entry in sorted((entry for entry in found if entry.type in kept), key=lambda e: e.path):
        relative = entry.path[len(root.rstrip("/")) + 1 :]
        if any(part.startswith(".") for part in relative.split("/")) or entry.base_name.lower() == "readme.md":
            continue
        location = f"{base}/{relative}"
        if entry.type == arrow_fs.FileType.Unknown:
            units.append(InputUnit(location, "problem", _not_regular_in_storage(location, entry.path)))
            continue
        suffix = Path(entry.base_name).suffix.lower()
        if suffix not in supported:
            units.append(
                InputUnit(
                    location, "problem", f"unsupported file type {suffix or '(none)'}; skipped ({_SUPPORTED_NAMES})"
                )
            )
        else:
            units.append(InputUnit(location, "storage"))
    return units or [InputUnit(uri, "problem", f"folder holds no {_SUPPORTED_LIST} file")]


def _not_regular_in_storage(uri: str, path: str) -> str:
    """The problem of an entry that is neither file nor folder; a local one (file://) says what it is."""
    if uri.lower().startswith("file://"):
        try:
            return f"not a regular file ({_file_type(os.stat(path).st_mode)}); skipped"
        except OSError:
            pass
    return "not a regular file; skipped"


def _load_storage_file(uri: str, registry: OutletRegistry) -> Corpus:
    """One file from an object store (or file://), read whole through pyarrow."""
    suffix = Path(uri).suffix.lower()
    limit = MAX_TABLE_BYTES if suffix in TABLE_SUFFIXES else MAX_PAGE_BYTES
    try:
        import pyarrow.fs as arrow_fs

        filesystem, path = arrow_fs.FileSystem.from_uri(uri)
        size = filesystem.get_file_info(path).size or 0
        if size > limit:
            return Corpus(problems=[Problem(uri, f"file is {size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB")])
        with filesystem.open_input_file(path) as handle:
            raw = handle.readall()
    except (OSError, ValueError) as error:
        return Corpus(problems=[Problem(uri, f"cannot read the file ({str(error).splitlines()[0][:200]})")])
    return load_bytes(raw, uri, registry)


@functools.lru_cache(maxsize=256)
def _sidecar_of_folder(folder: str) -> dict[str, _Metadata]:
    """The sidecar metadata of a folder, read once per folder and process."""
    return _sidecar_for(Path(folder) / "_")


def fetch_url(url: str, timeout_s: float = 15.0) -> bytes:
    """Downloads a public web page (``compare.ingest.fetch.fetch_page``); raises ``InputError`` saying why not."""
    from compare.ingest.fetch import fetch_page, private_urls_allowed

    return fetch_page(url, timeout_s=timeout_s, max_bytes=MAX_PAGE_BYTES, allow_private=private_urls_allowed())


def _load_url(url: str, registry: OutletRegistry) -> Corpus:
    from compare.errors import InputError
    from compare.ingest.fetch import FetchRefusedError

    try:
        raw = fetch_url(url)
    except InputError as error:
        message = str(error).split(": ", 1)[-1]
        if isinstance(error, FetchRefusedError) and error.private_only:
            message += " (for a page on your own network, run the CLI with --allow-private-urls)"
        return Corpus(problems=[Problem(url, message)])
    name = hashlib.sha1(url.encode()).hexdigest()[:12] + ".html"
    corpus = load_bytes(raw, name, registry, _Metadata(url=url))
    corpus.articles = [replace(article, source=url, url=article.url or url) for article in corpus.articles]
    corpus.problems = [Problem(url, problem.message) for problem in corpus.problems]
    return corpus


def _deduplicate(corpus: Corpus) -> Corpus:
    decisions, problems = deduplicate_ids(
        (article.id, article_fingerprint(article), article.source) for article in corpus.articles
    )
    articles = [
        article if final_id == article.id else replace(article, id=final_id)
        for article, final_id in zip(corpus.articles, decisions)
        if final_id is not None
    ]
    return Corpus(articles=articles, problems=corpus.problems + problems)
