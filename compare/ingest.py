"""Files, folders, URLs, CSV and JSON(L) -> Articles (cleaned, with outlet and date), plus problems."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC
from pathlib import Path
from typing import Any

from compare.clean import clean_page, find_date, normalise_text
from compare.documents import Article, Problem
from compare.outlets import OutletRegistry, load_registry

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
        path = Path(item)
        if path.is_dir():
            units.extend(_folder_units(path))
        elif path.is_file():
            units.append(InputUnit(str(path), "file"))
        else:
            units.append(InputUnit(text_item, "problem", "no such file or folder"))
    return units


def load_unit(unit: InputUnit, registry: OutletRegistry | None = None) -> Corpus:
    """Reads one unit from ``expand_inputs``; problems are returned, not raised."""
    registry = registry or load_registry()
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
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = MAX_TABLE_BYTES if suffix in TABLE_SUFFIXES else MAX_PAGE_BYTES
        if size > limit:
            return Corpus(problems=[Problem(source, f"file is {size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB")])
        raw = path.read_bytes()
    except OSError as error:
        return Corpus(problems=[Problem(source, f"cannot read the file ({error.strerror or error})")])
    return load_bytes(raw, source, registry, (sidecar or {}).get(path.name))


def load_bytes(
    raw: bytes,
    source: str,
    registry: OutletRegistry | None = None,
    metadata: _Metadata | None = None,
) -> Corpus:
    """Reads the bytes of one file (an upload, say) whose name is ``source``."""
    registry = registry or load_registry()
    suffix = Path(source).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES:
        return Corpus(problems=[Problem(source, f"unsupported file type {suffix or '(none)'}; {_SUPPORTED_NAMES}")])
    if not raw.strip():
        return Corpus(problems=[Problem(source, "file is empty")])
    stem = Path(source).stem
    if suffix == ".parquet":
        return _rows_corpus(_parquet_rows(raw, source), source, stem, registry)
    text = decode_bytes(raw)
    if text is None:
        return Corpus(problems=[Problem(source, "file is binary, not text")])
    if suffix in TEXT_SUFFIXES:
        return _page_corpus(text, source, stem, registry, metadata, html=False)
    if suffix in HTML_SUFFIXES:
        return _page_corpus(text, source, stem, registry, metadata, html=True)
    if suffix in {".jsonl", ".ndjson"}:
        return _rows_corpus(_jsonl_rows(text, source), source, stem, registry)
    if suffix == ".json":
        return _rows_corpus(_json_rows(text, source), source, stem, registry)
    return _rows_corpus(_csv_rows(text, source, delimiter="\t" if suffix == ".tsv" else ","), source, stem, registry)


def decode_bytes(raw: bytes) -> str | None:
    """Text from bytes in UTF-8, UTF-16/32 (with BOM), Windows-1252 or Latin-1; None when binary."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _try_decode(raw, "utf-32")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _try_decode(raw, "utf-16")
    head = raw[:8192]
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        text = _try_decode(raw, encoding)
        if text is not None:
            controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
            return None if controls > len(text[:8192]) * 0.05 else text
    return None


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
        extracted = _extract_html(text)
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


def _rows_corpus(
    rows: Iterator[tuple[int, Mapping[str, Any] | None, str | None]], source: str, stem: str, registry: OutletRegistry
) -> Corpus:
    corpus = Corpus()
    for number, row, error in rows:
        row_source = source if number == 0 else f"{source}:{number}"
        if error or row is None:
            corpus.problems.append(Problem(row_source, error or "unreadable row"))
            continue
        fields = _pick_fields(row)
        if not fields.get("text"):
            corpus.problems.append(Problem(row_source, "row has no text field (expected one of: text, body, content)"))
            continue
        given = _metadata_from(fields)
        used = {key for aliases in _FIELD_ALIASES.values() for key in aliases}
        extra = {str(key): _scalar(value) for key, value in row.items() if key not in used and _scalar(value)}
        article_id = fields.get("id") or (stem if number == 0 else f"{stem}-{number}")
        article = _build_article(article_id, fields["text"], row_source, registry, given, extra, corpus.problems)
        if article:
            corpus.articles.append(article)
    return corpus


def _build_article(
    article_id: str,
    raw_text: str,
    source: str,
    registry: OutletRegistry,
    given: _Metadata,
    extra: dict[str, str],
    problems: list[Problem],
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
        reason = "" if english else " (the text does not look like English)"
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
    return Article(
        id=str(article_id),
        outlet=registry.canonical(outlet),
        text=page.text,
        title=given.title or page.title,
        published=given.published or page.published,
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


def _pick_fields(row: Mapping[str, Any]) -> dict[str, str]:
    lowered = {str(key).lower().strip(): value for key, value in row.items()}
    picked: dict[str, str] = {}
    for name, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            value = lowered.get(alias)
            if value is None or value == "":
                continue
            if name == "text" and isinstance(value, list):
                value = _join_paragraphs(value)
            if isinstance(value, (dict, list)):
                continue
            picked[name] = str(value).strip()
            break
    return picked


def _join_paragraphs(paragraphs: list[Any]) -> str:
    parts = []
    for paragraph in paragraphs:
        if isinstance(paragraph, list):
            parts.append(" ".join(str(sentence).strip() for sentence in paragraph))
        else:
            parts.append(str(paragraph).strip())
    return "\n\n".join(part for part in parts if part)


def _scalar(value: Any) -> str:
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    return ""


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    found = find_date(value)
    if found:
        return found
    if re.fullmatch(r"\d{9,13}(\.\d+)?", value):  # unix seconds or milliseconds
        from datetime import datetime

        seconds = float(value) / (1000 if len(value.split(".")[0]) > 10 else 1)
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _parquet_rows(raw: bytes, source: str) -> Iterator[tuple[int, Mapping[str, Any] | None, str | None]]:
    """Rows of a Parquet file (one article per row, columns as in JSONL), read with pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as parquet

        # An Arrow buffer, not a Python file object: pyarrow may close the latter on one of its threads
        # after read_table returns, and at interpreter exit that aborts the process (apache/arrow#33975).
        table = parquet.read_table(pa.BufferReader(raw))
    except Exception as error:  # noqa: BLE001 (pyarrow raises many types for a damaged file)
        yield 0, None, f"not a readable Parquet file ({str(error).splitlines()[0][:200]})"
        return
    for number, row in enumerate(table.to_pylist(), start=1):
        yield number, row, None


def _jsonl_rows(text: str, source: str) -> Iterator[tuple[int, Mapping[str, Any] | None, str | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, f"line {number} is not valid JSON ({error.msg})"
            continue
        if not isinstance(row, dict):
            yield number, None, f"line {number} is a JSON {type(row).__name__}, not an object"
            continue
        yield number, row, None


def _json_rows(text: str, source: str) -> Iterator[tuple[int, Mapping[str, Any] | None, str | None]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        # Many tools write JSON Lines with a .json name.
        if "\n{" in text:
            yield from _jsonl_rows(text, source)
            return
        yield 0, None, f"not valid JSON ({error.msg} at line {error.lineno})"
        return
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        document = document["articles"]
    if isinstance(document, dict):
        yield 0, document, None
        return
    if not isinstance(document, list):
        yield 0, None, "JSON must hold an article object or a list of them"
        return
    for number, row in enumerate(document, start=1):
        if isinstance(row, dict):
            yield number, row, None
        else:
            yield number, None, f"item {number} is a JSON {type(row).__name__}, not an object"


def _csv_rows(text: str, source: str, delimiter: str) -> Iterator[tuple[int, Mapping[str, Any] | None, str | None]]:
    csv.field_size_limit(MAX_ARTICLE_CHARS * 8)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.lower().strip() for name in (reader.fieldnames or [])]
        if not any(alias in header for alias in _FIELD_ALIASES["text"]):
            yield 0, None, f"CSV has no text column (columns: {', '.join(header) or 'none'}); expected 'text'"
            return
        for number, row in enumerate(reader, start=2):
            if None in row:
                yield number, None, f"row {number} has more cells than the header"
                continue
            yield number, row, None
    except csv.Error as error:
        yield 0, None, f"CSV cannot be parsed ({error})"


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


def _metadata_from(fields: Mapping[str, str]) -> _Metadata:
    return _Metadata(
        outlet=fields.get("outlet") or None,
        title=fields.get("title") or None,
        published=_iso_date(fields.get("published")),
        url=fields.get("url") or None,
    )


def _merge(first: _Metadata | None, second: _Metadata | None) -> _Metadata:
    first = first or _Metadata()
    second = second or _Metadata()
    return _Metadata(
        outlet=first.outlet or second.outlet,
        title=first.title or second.title,
        published=first.published or second.published,
        url=first.url or second.url,
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
    return text, _Metadata(
        outlet=values.get("sitename") or None,
        title=title,
        published=_iso_date(values.get("date")),
        url=values.get("url") or None,
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


def _is_sidecar(path: Path) -> bool:
    if path.name.lower() not in SIDECAR_NAMES:
        return False
    header = (decode_bytes(path.read_bytes()[:4096]) or "").splitlines()[:1]
    columns = {cell.strip().lower() for cell in header[0].split(",")} if header else set()
    return bool(columns & {"file", "filename", "path"}) and "text" not in columns


def _sidecar_for(path: Path) -> dict[str, _Metadata]:
    for name in SIDECAR_NAMES:
        candidate = path.parent / name
        if candidate.is_file() and _is_sidecar(candidate):
            return read_sidecar(candidate)
    return {}


def _folder_units(folder: Path) -> list[InputUnit]:
    units: list[InputUnit] = []
    supported = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.name.lower() == "readme.md" or (path.suffix.lower() in TABLE_SUFFIXES and _is_sidecar(path)):
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
        found = filesystem.get_file_info(arrow_fs.FileSelector(root, recursive=True))
    except (OSError, ValueError, ImportError) as error:
        return [InputUnit(uri, "problem", f"cannot list it ({str(error).splitlines()[0][:200]})")]
    base = uri.rstrip("/")
    units: list[InputUnit] = []
    supported = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
    for entry in sorted((entry for entry in found if entry.type == arrow_fs.FileType.File), key=lambda e: e.path):
        relative = entry.path[len(root.rstrip("/")) + 1 :]
        if any(part.startswith(".") for part in relative.split("/")) or entry.base_name.lower() == "readme.md":
            continue
        location = f"{base}/{relative}"
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
    """Downloads a page; raises ``InputError`` with a readable reason (offline, 404, ...)."""
    from compare.errors import InputError

    request = urllib.request.Request(url, headers={"User-Agent": "Parallax/0.1 (+news comparison)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (http/https checked by caller)
            return bytes(response.read(MAX_PAGE_BYTES + 1))[:MAX_PAGE_BYTES]
    except urllib.error.HTTPError as error:
        raise InputError(f"{url}: the server answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"{url}: cannot fetch the page ({reason}); is this machine online?") from error


def _load_url(url: str, registry: OutletRegistry) -> Corpus:
    from compare.errors import InputError

    try:
        raw = fetch_url(url)
    except InputError as error:
        return Corpus(problems=[Problem(url, str(error).split(": ", 1)[-1])])
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
