"""Field values of a row, front matter or sidecar -> article text and metadata, noting values of the wrong kind."""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from compare.ingest.clean import normalise_text
from compare.ingest.dates import NULL_MARKS, DateReading, read_date
from compare.ingest.files import decode_bytes

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id"),
    "text": (
        "text",
        "body",
        "content",
        "article",
        "maintext",
        "body-paragraphs",
        "body_paragraphs",
        # Other datasets' and scrapers' names (schema.org's articleBody, read lower-cased); not "story" or
        # "summary": a story is a gold label here, a summary not the article.
        "full_text",
        "fulltext",
        "article_text",
        "articlebody",
        "article_body",
        "body_text",
        "story_text",
        "bodytext",  # The Guardian's content API (its "fields")
    ),
    # Research tools' exports too: Media Cloud (media_name), news-please (source_domain, date_publish), ProQuest and Zotero ("Publication Title", "Full
    # Text", "Document URL"), The Guardian's API (webTitle, webPublicationDate, webUrl), schema.org (datePublished).
    "outlet": (
        "outlet",
        "source",
        "publisher",
        "site",
        "sitename",
        "site_name",
        "domain",
        "media",
        "media_name",
        "source_name",
        "source_domain",
        "publication_title",
        "publication",
    ),
    "title": ("title", "headline", "webtitle", "article_title"),
    "published": (
        "published",
        "date",
        "published_at",
        "publish_date",
        "pubdate",
        "datetime",
        "timestamp",
        "publication_date",
        "pub_date",
        "published_date",
        "date_published",
        "datepublished",
        "webpublicationdate",
        "date_publish",
        "publishedat",  # NewsAPI's and GNews' publishedAt
    ),
    "url": ("url", "link", "href", "weburl", "document_url", "article_url"),
}
TEXT_NAMES = ", ".join(FIELD_ALIASES["text"])  # for messages: the names a text field or column is read under
# Headers as researchers' own tools and languages write them (a French team's "texte", a German "Inhalt", a Chinese
# "正文"): every row of such a file was lost ("CSV has no text column"). Read as the English names and never listed
# in messages. Not "data" (Italian and Portuguese for date, an English table's blob) nor "medium" or "journal".
_OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {
    "text": (
        *("texte", "texto", "testo", "inhalt", "tekst", "текст", "正文", "内容", "本文", "本文テキスト"),
        *("contenu", "contenido", "conteúdo", "conteudo", "corpo", "volltext", "treść", "tresc"),
    ),
    "outlet": (
        *("média", "medio", "medios", "quelle", "fonte", "fuente", "zeitung", "periódico", "periodico", "giornale"),
        *("krant", "gazeta", "издание", "источник", "СМИ", "媒体", "来源", "出典", "媒體", "來源"),
    ),
    "title": (
        *("titre", "titel", "título", "titulo", "titolo", "tytuł", "tytul", "заголовок", "标题", "標題"),
        *("見出し", "タイトル", "überschrift", "ueberschrift", "schlagzeile", "manchette"),
    ),
    "published": (
        *("datum", "fecha", "date_de_publication", "data_publicacao", "data_pubblicazione", "дата", "日期", "日付"),
        *("veröffentlicht", "erscheinungsdatum", "fecha_de_publicación", "fecha_publicacion"),
    ),
    "url": ("lien", "enlace", "链接", "連結"),
}
FIELD_ALIASES = {
    field: (*aliases, *(name.lower() for name in _OTHER_LANGUAGES.get(field, ())))
    for field, aliases in FIELD_ALIASES.items()
}
KNOWN_FIELDS = frozenset(key for aliases in FIELD_ALIASES.values() for key in aliases)


@dataclass(frozen=True)
class Metadata:
    """What is given about an article besides its text (by fields, front matter, a sidecar or the HTML)."""

    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    dates: tuple[DateReading, ...] = ()  # every date given, first the one in ``published``, for their notes

    def merge(self, other: Metadata | None) -> Metadata:
        """This metadata, with what it lacks taken from ``other``."""
        other = other or Metadata()
        return Metadata(
            outlet=self.outlet or other.outlet,
            title=self.title or other.title,
            published=self.published or other.published,
            url=self.url or other.url,
            dates=self.dates + other.dates,
        )


def metadata_from(values: Mapping[str, Any], notes: list[str] | None = None) -> Metadata:
    """Metadata from field values as given (``pick_fields``); a note for each value of the wrong kind."""
    notes = [] if notes is None else notes
    reading = read_date(values.get("published"))
    return Metadata(
        outlet=as_outlet(values.get("outlet"), notes),
        title=as_name("title", values.get("title"), notes),
        published=reading.iso if reading else None,
        url=as_name("url", values.get("url"), notes),
        dates=(reading,) if reading else (),
    )


def field_key(name: object) -> str:
    """The name a field or column is looked up by: lower case, spaces between words as '_' ("Full Text" is
    full_text, as ProQuest's and Zotero's exports write their headers)."""
    return "_".join(str(name).lower().split())


def pick_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The value of each known field, as given: the first of its names holding a value (a string first)."""
    lowered = {field_key(key): value for key, value in row.items()}
    picked: dict[str, Any] = {}
    for name, aliases in FIELD_ALIASES.items():
        values = [lowered[alias] for alias in aliases if not _is_missing(lowered.get(alias))]
        if values:
            picked[name] = next((value for value in values if isinstance(value, str)), values[0])
    return picked


def extra_fields(row: Mapping[str, Any]) -> dict[str, str]:
    """The row's other fields, kept in ``Article.extra`` when they hold one plain value."""
    return {
        str(key): _scalar(value) for key, value in row.items() if field_key(key) not in KNOWN_FIELDS and _scalar(value)
    }


def unkept_fields(row: Mapping[str, Any]) -> dict[str, str]:
    """The row's other fields that ``extra_fields`` leaves out for holding a list or an object: name -> what it holds."""
    return {
        str(key): f"a list ({_preview(value)})" if isinstance(value, (list, tuple)) else _kind(value)
        for key, value in row.items()
        if field_key(key) not in KNOWN_FIELDS and isinstance(value, (Mapping, list, tuple)) and value
    }


def missing_text(row: Mapping[str, Any]) -> str:
    """Why a row has no article text: no field of a text name, or one that holds nothing (null, "", NaN)."""
    lowered = {field_key(key): (key, value) for key, value in row.items()}
    given = next((lowered[alias] for alias in FIELD_ALIASES["text"] if alias in lowered), None)
    if given is None:
        keys = [str(key) for key in row][:8]
        fields = f"its fields: {', '.join(keys)}{', …' if len(row) > 8 else ''}; " if keys else ""
        return f"row has no text field ({fields}the text is read from a field named {TEXT_NAMES})"
    key, value = given
    if value is None:
        what = "null"
    elif isinstance(value, float):
        what = "NaN, not text"
    elif isinstance(value, str) and value.strip() in NULL_MARKS:
        what = f"{value.strip()}, a database export's NULL"
    else:
        what = "empty"
    return f"row has no text: its {str(key)!r} field is {what}"


def _is_missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and (not value.strip() or value.strip() in NULL_MARKS))
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, (list, tuple, dict, bytes)) and not value)
    )


def as_text(value: Any) -> tuple[str | None, str | None]:
    """Article text from a field's value: a string, bytes (decoded like a file), a list of paragraphs, or
    WordPress' ``{"rendered": "<p>…</p>"}``.

    Returns:
        (text, None), or (None, why the value is not article text).
    """
    value = _rendered(value)
    if isinstance(value, str):
        return value, None
    if isinstance(value, (bytes, bytearray, memoryview)):
        text = decode_bytes(bytes(value))
        return (text, None) if text is not None else (None, "text is binary data, not text in a known encoding")
    if isinstance(value, (list, tuple)):
        return _paragraphs_text(value)
    return None, f"text is {_kind(value)}, not article text"


def _paragraphs_text(value: list[Any] | tuple[Any, ...]) -> tuple[str | None, str | None]:
    paragraphs: list[str] = []
    for paragraph in value:
        # A paragraph may itself be a list of sentences (BASIL's body-paragraphs).
        parts = paragraph if isinstance(paragraph, (list, tuple)) else [paragraph]
        nested = [part for part in parts if isinstance(part, (list, tuple, dict))]
        if nested:
            return None, f"text is a list holding {_kind(nested[0])}, not paragraphs"
        sentences = [as_name("paragraph", part, []) or "" for part in parts]
        paragraphs.append(" ".join(sentence for sentence in sentences if sentence))
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    return (text, None) if text.strip() else (None, "text is a list with no text in it")


def as_name(field_name: str, value: Any, notes: list[str]) -> str | None:
    """A one-line value (id, title, url) as a string; a note when a value of the wrong kind is ignored."""
    if _is_missing(value):
        return None
    if isinstance(value, str):
        if field_name == "title" and _CHARACTER_REFERENCE.search(value):  # a feed's "Talks &amp; more"
            value = html.unescape(value)
        return one_line(value) or None
    name = _name_from(field_name, value)
    if name is None:
        notes.append(f"{field_name} is {_kind(value)}; ignored")
    return name


def _rendered(value: Any) -> Any:
    """The HTML a WordPress REST API field holds (``{"rendered": …, "protected": false}``), else the value."""
    if isinstance(value, Mapping) and isinstance(value.get("rendered"), str):
        return value["rendered"]
    return value


# Block tags that mark a text field as HTML (a scraper that stored the page's markup, WordPress' content): two
# or more of them, so that an article that mentions "<p>" once stays text.
_BLOCK_TAG_RE = re.compile(r"(?i)</(?:p|div|li|h[1-6]|blockquote|figcaption|td)\s*>|<br\s*/?>")
_BLOCK_XPATH = " | ".join(
    f".//{tag}"
    for tag in ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "figcaption")
)


def markup_text(text: str) -> str | None:
    """The text of a field that holds HTML markup (``<p>…</p><p>…</p>``), a paragraph a block, without scripts,
    styles and frames; None when the field is not markup. Its tags were read as words, its first tag the title."""
    if len(_BLOCK_TAG_RE.findall(text[:20_000])) < 2:
        return None
    import lxml.etree  # only for a field that holds markup
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return None
    for hidden in root.xpath(".//script | .//style | .//noscript | .//template | .//iframe"):
        hidden.drop_tree()
    for block in root.xpath(_BLOCK_XPATH):
        block.tail = "\n\n" + (block.tail or "")
    paragraphs = (" ".join(part.split()) for part in str(root.text_content()).split("\n\n"))
    return "\n\n".join(part for part in paragraphs if part)


# Character references left escaped in a text field (an RSS feed's or a scraper's text, HTML-escaped once more than
# its markup): "Putin&#8217;s call &amp; Macron" was analysed with "&#8217;" and "&amp;" as words. Three or more,
# in a field that holds no markup, so that a text that names "&amp;" once stays as written.
_CHARACTER_REFERENCE = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
# Line breaks written as the two characters \n (an export that escaped them, a JSON string encoded twice): the
# paragraphs were one, with "\n\n" as a word in it. Three or more, in a field without a real line break.
_ESCAPED_BREAK = re.compile(r"\\r\\n|\\n")


def repaired_text(text: str) -> tuple[str, list[str]]:
    """A table's text field with escapes another program left in it undone: character references (``&amp;``,
    ``&#8217;``) and line breaks written as ``\\n``; a note for each kind undone."""
    notes: list[str] = []
    if "\\" in text and "\n" not in text and len(_ESCAPED_BREAK.findall(text[:20_000])) >= 3:
        text = _ESCAPED_BREAK.sub("\n", text).replace("\\t", "\t")
        notes.append("text holds its line breaks written as \\n (an export that escaped them); read as line breaks")
    if "&" in text and len(_CHARACTER_REFERENCE.findall(text[:20_000])) >= 3:
        text = html.unescape(text)
        notes.append(
            "text holds HTML character references left escaped (&amp;, &#8217;, …); read as the characters they stand for"
        )
    return text, notes


def _name_from(field_name: str, value: Any) -> str | None:
    """A one-line value from bytes, a number, WordPress' rendered HTML or (for a title) a list of words; None for
    anything else."""
    if isinstance(_rendered(value), str):
        return one_line(html.unescape(re.sub(r"<[^>]*>", "", _rendered(value))))
    if isinstance(value, (bytes, bytearray)):
        decoded = decode_bytes(bytes(value))
        return one_line(decoded) if decoded is not None and one_line(decoded) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    if isinstance(value, float):
        return str(value)
    if isinstance(value, (list, tuple)) and field_name == "title":
        words = [one_line(part) for part in value if isinstance(part, str)]
        if any(words):
            return " ".join(word for word in words if word)
    return None


def one_line(text: str) -> str:
    """A metadata value as one clean line: no control characters or lone surrogates, which no file can hold."""
    return " ".join(normalise_text(text).split())


def as_outlet(value: Any, notes: list[str]) -> str | None:
    """An outlet name; from a list the first name (with a note), from an object its 'name' (NewsAPI's source) or
    'title' (Event Registry's)."""
    if isinstance(value, Mapping):
        name = value.get("name") if isinstance(value.get("name"), str) else value.get("title")
        if isinstance(name, str) and one_line(name):
            return one_line(name)
        notes.append(f"outlet is {_kind(value)} without a 'name' or 'title'; ignored")
        return None
    if isinstance(value, (list, tuple)):
        names = [one_line(item) for item in value if isinstance(item, str) and one_line(item)]
        if names:
            notes.append(f"outlet is a list ({_preview(value)}); used the first name, '{names[0]}'")
            return names[0]
        notes.append(f"outlet is a list with no name in it ({_preview(value)}); ignored")
        return None
    if isinstance(value, (bool, int, float, Decimal)):
        notes.append(f"outlet is {_kind(value)}, not a name; ignored")
        return None
    return as_name("outlet", value, notes)


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
    shown = one_line(shown)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _scalar(value: Any) -> str:
    """A value for ``Article.extra``; empty for values that are not one plain value."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, (int, float, bool, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return one_line(decode_bytes(value) or "")
    return ""
