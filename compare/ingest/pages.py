"""One text or HTML page -> one article: front matter and the HTML's own metadata read, the text extracted."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Any

from compare.ingest.articles import ArticleDraft, build_article
from compare.ingest.corpus import Corpus
from compare.ingest.dates import read_date
from compare.ingest.fields import Metadata, metadata_from, pick_fields, repaired_text
from compare.ingest.formats import MAX_PAGE_BYTES, too_large
from compare.ingest.lines import wall_kind
from compare.ingest.outlets import OutletRegistry
from compare.ingest.transcripts import timed_transcript
from compare.model.documents import Problem


@dataclass(frozen=True)
class Page:
    """The text of one page file and what is known of it before reading it."""

    text: str
    source: str
    article_id: str
    html: bool = False
    metadata: Metadata | None = None  # from a sidecar, or the URL it was fetched from
    markdown: bool = False  # a .md file: its links, images and emphasis are markup, not words


def page_corpus(page: Page, registry: OutletRegistry) -> Corpus:
    """The article of one page; front matter comes first, then the given metadata, then the HTML's."""
    problems: list[Problem] = []
    front, text = split_front_matter(page.text)
    text = markdown_text(text) if page.markdown else text
    if not page.html:
        # a page copied from a feed or a web page's source keeps its &amp; and &#8217; as a table's text field may
        text, notes = repaired_text(text)
        text, timed = timed_transcript(text)
        problems += [Problem(page.source, note) for note in [*notes, timed] if note]
    metadata = (front or Metadata()).merge(page.metadata)
    html_meta = Metadata()
    if page.html:
        read = _html_text(text, page.source, problems)
        if isinstance(read, Problem):
            return Corpus(problems=[read])
        text, html_meta = read
    named = name_date(os.path.basename(page.source))  # after what the file says of its date
    draft = ArticleDraft(page.article_id, text, page.source, given=metadata.merge(html_meta).merge(named))
    article = build_article(draft, registry, problems)
    if article and page.html and len(article.text.split()) < _PAYWALL_TEASER_WORDS:
        mark = _paywall_mark(page.text)
        problems += [Problem(page.source, _PAYWALL.format(mark=mark))] if mark else []
    return Corpus(articles=[article] if article else [], problems=problems)


def _html_text(html: str, source: str, problems: list[Problem]) -> tuple[str, Metadata] | Problem:
    """(the article text, the metadata) of an HTML page, or the problem that stops it being read."""
    html = _INLINE_DATA_RE.sub("data:,", html)  # images inlined by a "single file" save; no text in them
    if len(html) > MAX_PAGE_BYTES:
        return Problem(source, f"{too_large(len(html.encode()), MAX_PAGE_BYTES)} (its HTML, without its inline images)")
    try:
        extracted = _extract_html(html)
        framed = _framed_page(html) if extracted is None else None
        if framed is not None:
            extracted = _extract_html(framed[0])
    except RecursionError:
        return Problem(
            source, f"HTML nested more than {DEEPEST_HTML:,} levels deep (tags left open?), too deep to read"
        )
    if extracted is None:
        return Problem(source, "no article text found in the HTML")
    if framed is not None:
        problems.append(
            Problem(source, "its text is in an <iframe srcdoc> (a page written inside the page); read from there")
        )
        text, metadata = extracted
        return text, replace(metadata, title=metadata.title or framed[1])
    return extracted


# A page saved without a subscription holds the article's first paragraphs and a paywall: the teaser was analysed as
# the outlet's whole article, so the outlet's coverage looked thin and its framing as its first lines'. Told, for a
# short text, by schema.org's mark for paywalled content (which sites give search engines) or by a paywall's line (the
# same patterns that name a paywall's stub too short to be an article, round 12), wherever the page holds it.
_NOT_FREE_RE = re.compile(r"""["']isAccessibleForFree["']\s*:\s*["']?false""", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_PAYWALL_TEASER_WORDS = 200
_PAYWALL = (
    f"the page holds a paywall ('{{mark}}') and under {_PAYWALL_TEASER_WORDS} words of article text: the article is "
    "most likely cut there, and is analysed as this teaser; save the page while logged in, or give its full text"
)


def _paywall_mark(html: str) -> str | None:
    """What shows that a page holds a paywall (its schema.org mark, or a paywall's line), or None."""
    if _NOT_FREE_RE.search(html):
        return "isAccessibleForFree: false"
    lines = (" ".join(part.split()) for part in _TAG_RE.split(html))
    return next((line[:80] for line in lines if line and wall_kind(line) == "a paywall"), None)


def _framed_page(html: str) -> tuple[str, str | None] | None:
    """(the longest page written inside an ``<iframe srcdoc>``, the outer page's title), or None.

    Some embeds and newsletter archives put the whole article there; it is text in the file (an attribute),
    so reading it fetches nothing. Frames that name a ``src`` are not followed.
    """
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.LxmlError, ValueError):
        return None
    framed = [str(value) for value in tree.xpath("//iframe/@srcdoc") if str(value).strip()]
    if not framed:
        return None
    title = " ".join((tree.findtext(".//title") or "").split())
    return max(framed, key=len), title or None


def split_front_matter(text: str) -> tuple[Metadata | None, str]:
    """(the metadata of a leading ``---`` block of ``key: value`` lines, or of Hugo's ``+++`` block of TOML
    ``key = value`` lines, the text after it)."""
    text = text.lstrip("\ufeff")
    match = re.match(r"^(---|\+\+\+)\s*\n(.*?)\n\1\s*\n", text, re.DOTALL)
    if not match:
        return None, text
    values: dict[str, Any] = _toml_values(match.group(2)) if match.group(1) == "+++" else {}
    for line in match.group(2).splitlines() if match.group(1) == "---" else ():
        key, _, value = line.partition(":")
        if value:
            values[key.strip().lower()] = value.strip().strip("\"'")
    return metadata_from(pick_fields(values)), text[match.end() :]


def _toml_values(block: str) -> dict[str, Any]:
    """The top-level values of Hugo's TOML front matter (``title = "…"``, ``date = 2024-03-05T10:00:00Z``, which
    tomllib reads as a datetime); its page was read with the block as its title and text, and no outlet or date."""
    import tomllib

    try:
        return {str(key).lower(): value for key, value in tomllib.loads(block).items()}
    except tomllib.TOMLDecodeError:
        return {}


# Jekyll names a post after its date (_posts/2024-03-05-talks-in-paris.md), and it is the post's date.
_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-\w")


def name_date(name: str) -> Metadata | None:
    """The date a Jekyll-style file name gives (``2024-03-05-slug.md``), or None."""
    match = _DATED_NAME.match(name)
    return metadata_from({"published": "-".join(match.groups())}) if match else None


# Markdown's inline markup (CommonMark): an image ![alt](src) is no text; a link [words](address) is its words;
# emphasis (**, *, __, _ around words), strike-through (~~) and code spans (`) are their words; a heading's #s
# and a block quote's > go. They were read as words: "[Kozak](https://en.wikipedia.org/…)" in a statement, and a
# byline "*By Jane Doe*" was not one.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|~~|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MARKDOWN_LINE_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?)", re.MULTILINE)


def markdown_text(text: str) -> str:
    """The text of a Markdown page without its inline markup (an underscore inside a word, snake_case, is kept)."""
    text = _MARKDOWN_IMAGE.sub("", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_EMPHASIS.sub(r"\2", text)
    text = re.sub(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)", r"\1", text)
    return _MARKDOWN_LINE_START.sub("", text)


# An image, font or file inlined as a data: address (base64), as SingleFile and "save as one HTML file" tools write.
_INLINE_DATA_RE = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/=\s]{256,}")
DEEPEST_HTML = 2_048  # libxml2's nesting limit with its "huge" option; 256 without


def _extract_html(html: str) -> tuple[str, Metadata] | None:
    """The article text and metadata trafilatura finds in a page, or None.

    Raises:
        RecursionError: when the page is nested too deeply for the parser even with its huge option.
    """
    values = _extracted(html)
    if values is None:
        # libxml2 stops reading at 256 levels of nesting, which a page with tags left open (a <div> or
        # <font> a paragraph) reaches: read it again with the limit at 2,048.
        tree, too_deep = _deep_tree(html)
        values = _extracted(tree) if tree is not None else None
        if values is None and too_deep:
            raise RecursionError(f"HTML nested more than {DEEPEST_HTML} levels deep")
    if values is None:
        return None
    title = values.get("title") or None
    reading = read_date(values.get("date"))
    return values["text"], Metadata(
        outlet=values.get("sitename") or None,
        title=title,
        published=reading.iso if reading else None,
        url=values.get("url") or None,
        dates=(reading,) if reading else (),
    )


def _extracted(html: Any) -> dict[str, Any] | None:
    """trafilatura's reading of a page (its HTML, or a parsed tree) when it found text, else None."""
    import trafilatura  # heavy (lxml and its language data): only when a page is HTML
    from trafilatura.settings import set_date_params

    # The date only from the page's markup (meta tags, JSON-LD, <time>, its URL): htmldate's "extensive search"
    # reads any year in the text as a date, so a page mentioning "since October 2022" was dated 2022-01-01.
    # Dates written in the text are read by clean_page, as for a .txt page.
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=set_date_params(extensive=False),
    )
    if document is None:
        return None
    values = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return values if (values.get("text") or "").strip() else None


def _deep_tree(html: str) -> tuple[Any, bool]:
    """(the page parsed with libxml2's huge option, or None; whether it still ran out of depth)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        tree = None
    return tree, any("Excessive depth" in error.message for error in parser.error_log)
