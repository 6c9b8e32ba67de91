"""Article text and what is given about it -> an Article: cleaned, with its outlet and date settled, or why not."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlparse

from compare.ingest.clean import CleanPage, clean_page
from compare.ingest.fields import Metadata
from compare.ingest.formats import MAX_ARTICLE_CHARS, MIN_ARTICLE_WORDS
from compare.ingest.outlets import OutletRegistry
from compare.model.documents import Article, Problem

_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on with said was as by it at from he has have be are his her its an not".split()
)


@dataclass(frozen=True)
class ArticleDraft:
    """One article as read from a page or a row, before cleaning.

    ``defer_ambiguous_dates``: a table leaves its ambiguous dates (03/05/2024) to one note for the
    whole file, which reads them the way its other dates are written.
    """

    id: str
    text: str
    source: str
    given: Metadata = Metadata()
    extra: dict[str, str] = field(default_factory=dict)
    defer_ambiguous_dates: bool = False


def build_article(draft: ArticleDraft, registry: OutletRegistry, problems: list[Problem]) -> Article | None:
    """The article of a draft, or None when too little text is left; ``problems`` gets a note for each doubt."""
    source = draft.source
    page = clean_page(_cut(draft.text, source, problems), registry)
    words = len(page.text.split())
    english = looks_english(page.text)
    if words < MIN_ARTICLE_WORDS:
        problems.append(Problem(source, _other_script(draft.text) or _too_short(page, words, english)))
        return None
    if not english:
        problems.append(
            Problem(
                source,
                "the text does not look like English; Parallax's sentence splitter, parser and tone lexicon are "
                "English-only, so its statements, speakers and tone may be poor (analysed anyway)",
            )
        )
    outlet, outlet_from = _outlet(draft, page, registry, problems)
    extra = {**draft.extra, "outlet_from": outlet_from} if outlet_from else draft.extra
    published = draft.given.published or page.published
    problems.extend(Problem(source, note) for note in _date_notes(draft, published))
    return Article(
        id=str(draft.id),
        outlet=registry.canonical(outlet),
        text=page.text,
        title=draft.given.title or page.title,
        published=published,
        url=draft.given.url,
        source=source,
        byline=page.byline,
        extra=extra,
    )


def _cut(text: str, source: str, problems: list[Problem]) -> str:
    if len(text) <= MAX_ARTICLE_CHARS:
        return text
    problems.append(
        Problem(source, f"text is {len(text):,} characters; only the first {MAX_ARTICLE_CHARS:,} were read")
    )
    return text[:MAX_ARTICLE_CHARS]


def _other_script(text: str) -> str | None:
    """Why a text in another writing system (Chinese, Japanese, Thai: no spaces between words) gave too
    few words, or None when its letters are mostly Latin."""
    letters = [ch for ch in text[:20_000] if ch.isalpha()]
    other = [ch for ch in letters if not ch.isascii()]
    if len(letters) < 100 or len(other) < len(letters) * 0.5:
        return None
    scripts = Counter(unicodedata.name(ch, "OTHER").split()[0] for ch in other)
    script = scripts.most_common(1)[0][0].title().replace("Cjk", "CJK (Chinese, Japanese or Korean)")
    return (
        f"the text is not in English: its letters are mostly {script}: {len(other):,} of {len(letters):,}; "
        "Parallax reads English articles (words between spaces), and too few were left; skipped"
    )


def _too_short(page: CleanPage, words: int, english: bool) -> str:
    reason = " (the text does not look like English)" if words and not english else ""
    removed = max(page.dropped_lines, key=len, default="")
    if removed and words < 5:
        shown = removed if len(removed) <= 60 else removed[:57] + "..."
        reason += f" (removed as page furniture: '{shown}')"
    return f"only {words} words of article text after removing page furniture{reason}; skipped"


def _outlet(
    draft: ArticleDraft, page: CleanPage, registry: OutletRegistry, problems: list[Problem]
) -> tuple[str, str | None]:
    """(the outlet, how it was found): given, else found in the page, else from the URL, else "Unknown"."""
    given = draft.given
    if given.outlet:
        return given.outlet, "given"
    if page.outlet:
        return page.outlet, page.outlet_from
    if given.url:
        known = registry.by_domain(given.url)
        from_url = known.name if known else _host(given.url)
        if from_url:  # a URL such as "www." names no host
            return from_url, "url"
    problems.append(
        Problem(
            draft.source,
            "outlet not found in the text; set it with an 'outlet' field, front matter or a sources.csv sidecar",
        )
    )
    return "Unknown", None


def _date_notes(draft: ArticleDraft, published: str | None) -> list[str]:
    """A note for each given date that was not used as is, saying what was used instead."""
    notes: list[str] = []
    for reading in draft.given.dates:
        if not reading.note or (draft.defer_ambiguous_dates and reading.month_first):
            continue
        if reading.iso is None:
            if not published:
                instead = "article kept without a date"
            elif draft.given.published:
                instead = f"used {published}, given elsewhere for it, instead"
            else:
                instead = f"used {published}, found in the text, instead"
            notes.append(f"{reading.note}; {instead}")
        elif reading.iso == published:
            notes.append(reading.note)
    return notes


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
    host = urlparse(url).hostname or url
    return host[4:] if host.startswith("www.") else host
