"""One text or HTML page -> one article: front matter and the HTML's own metadata read, the text extracted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compare.ingest.articles import ArticleDraft, build_article
from compare.ingest.corpus import Corpus
from compare.ingest.dates import read_date
from compare.ingest.fields import Metadata, metadata_from, pick_fields
from compare.ingest.outlets import OutletRegistry
from compare.model.documents import Problem


@dataclass(frozen=True)
class Page:
    """The text of one page file and what is known of it before reading it."""

    text: str
    source: str
    article_id: str
    html: bool = False
    metadata: Metadata | None = None  # from a sidecar, or the URL it was fetched from


def page_corpus(page: Page, registry: OutletRegistry) -> Corpus:
    """The article of one page; front matter comes first, then the given metadata, then the HTML's."""
    problems: list[Problem] = []
    front, text = split_front_matter(page.text)
    metadata = (front or Metadata()).merge(page.metadata)
    html_meta = Metadata()
    if page.html:
        try:
            extracted = _extract_html(text)
        except RecursionError:
            return Corpus(problems=[Problem(page.source, "HTML nested too deeply to read")])
        if extracted is None:
            return Corpus(problems=[Problem(page.source, "no article text found in the HTML")])
        text, html_meta = extracted
    draft = ArticleDraft(page.article_id, text, page.source, given=metadata.merge(html_meta))
    article = build_article(draft, registry, problems)
    return Corpus(articles=[article] if article else [], problems=problems)


def split_front_matter(text: str) -> tuple[Metadata | None, str]:
    """(the metadata of a leading ``---`` block of ``key: value`` lines, the text after it)."""
    text = text.lstrip("\ufeff")
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    if not match:
        return None, text
    values: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        if value:
            values[key.strip().lower()] = value.strip().strip("\"'")
    return metadata_from(pick_fields(values)), text[match.end() :]


def _extract_html(html: str) -> tuple[str, Metadata] | None:
    import trafilatura  # heavy (lxml and its language data): only when a page is HTML

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if document is None:
        return None
    values = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = values.get("text") or ""
    if not text.strip():
        return None
    title = values.get("title") or None
    reading = read_date(values.get("date"))
    return text, Metadata(
        outlet=values.get("sitename") or None,
        title=title,
        published=reading.iso if reading else None,
        url=values.get("url") or None,
        dates=(reading,) if reading else (),
    )
