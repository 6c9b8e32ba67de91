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
from compare.ingest.lines import wall_kind
from compare.ingest.outlets import OutletRegistry
from compare.model.documents import Article, Problem
from compare.model.text import word_prefix

UNKNOWN_OUTLET = "Unknown"  # an article's outlet when none is given or found

MAX_TITLE_CHARS = 300  # the longest headline kept whole
MAX_OUTLET_CHARS = 100  # the longest outlet name kept whole (a text in the outlet field filled every legend)
_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on with said was as by it at from he has have be are his her its an not".split()
)

# Values a table writes for "no outlet": taken as none given, not as an outlet to compare with the others.
_NO_OUTLET = frozenset({"-", "--", "—", "?", "n/a", "na", "nan", "nil", "none", "null", "undefined", "unknown"})
# A whole web address given as an outlet: a scheme, or a domain with a port or a path.
_WEB_ADDRESS = re.compile(r"(?i)^(?:[a-z][a-z0-9+.-]*://\S+|(?:www\.)?[\w-]+(?:\.[\w-]+)+(?::\d+)?/\S*)$")


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
    truncated = _CUT_BY_SERVICE_RE.search(draft.text[-200:])
    if truncated:
        problems.append(Problem(source, _cut_by_service(draft.text, truncated)))
        return None
    page = clean_page(_cut(draft.text, source, problems), registry)
    words = len(page.text.split())
    english = looks_english(page.text)
    if words < MIN_ARTICLE_WORDS:
        reason = _other_script(draft.text) or _only_addresses(draft.text) or _too_short(page, words, english)
        problems.append(Problem(source, reason + _swapped_hint(draft.given.title, words)))
        return None
    repeated = _repeated_title(page.text, words, draft.given.title)
    if repeated:
        problems.append(Problem(source, repeated))
        return None
    if words < _ERROR_PAGE_WORDS and _ERROR_TITLE_RE.match(_SITE_SUFFIX_RE.sub("", draft.given.title or page.title)):
        title = draft.given.title or page.title
        problems.append(
            Problem(source, f"the page is an error or bot-check page ('{title[:80]}'), not an article; skipped")
        )
        return None
    if not english:
        script = _script(page.text)
        problems.append(
            Problem(
                source,
                f"the text does not look like English{f' (its letters are mostly {script})' if script else ''}; "
                "Parallax's model, sentence splitter, parser and tone lexicon are English-only, so its stories, "
                "statements, speakers, names, frames and tone may be poor (analysed anyway)",
            )
        )
    if page.footer_start and page.footer_prose_words >= _FOOTER_PROSE_WORDS:
        problems.append(Problem(source, _footer_note(page)))
    foreign = [line for line in page.dropped_lines if not line.isascii() and _script(line, min_letters=30)]
    if foreign:
        problems.append(Problem(source, _foreign_lines_note(foreign)))
    outlet, outlet_from = _outlet(draft, page, registry, problems)
    extra = {**draft.extra, "outlet_from": outlet_from} if outlet_from else draft.extra
    published = draft.given.published or page.published
    problems.extend(Problem(source, note) for note in _date_notes(draft, published))
    return Article(
        id=str(draft.id),
        outlet=registry.canonical(outlet),
        text=page.text,
        title=_headline(draft.given.title, source, problems) or page.title,
        published=published,
        url=draft.given.url,
        source=source,
        byline=page.byline,
        extra=extra,
    )


# How NewsAPI (and services built on it) end a text they cut: "… [+3412 chars]".
_CUT_BY_SERVICE_RE = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+(?P<rest>\d[\d,]*) chars\]\s*$")


def _cut_by_service(text: str, marker: re.Match[str]) -> str:
    """Why a text a news API cut short is not read: its first sentences would be analysed as the whole article,
    and its outlet counted as not reporting what the rest says."""
    given = len(text.rstrip()) - len(marker.group(0).strip())
    rest = int(marker.group("rest").replace(",", ""))
    return (
        f"text is only the first {given:,} characters of {given + rest:,} (it ends '{marker.group(0).strip()}', as "
        "NewsAPI cuts its content field); not the article; skipped (give the article's page, its url, instead)"
    )


def _headline(title: str | None, source: str, problems: list[Problem]) -> str | None:
    """A given title, cut at a word border when it is longer than any headline (a text in the title field
    filled every list and page it was shown on)."""
    if title is None or len(title) <= MAX_TITLE_CHARS:
        return title
    cut = word_prefix(title, MAX_TITLE_CHARS)
    problems.append(
        Problem(
            source,
            f"title is {len(title):,} characters; cut to its first {len(cut):,} (a headline is at most "
            f"{MAX_TITLE_CHARS:,} here; is the article's text in the title field?)",
        )
    )
    return cut + "…"


def _repeated_title(text: str, words: int, title: str | None) -> str | None:
    """Why a text that is only its given title said again and again (a scraper saving the headline in a loop) is
    no article, or None: it passed the length check and was analysed as that many identical statements."""
    if not title or len(title.split()) < 3:
        return None
    folded, headline = text.casefold(), title.casefold().strip(" .!?")
    times = folded.count(headline)
    if times < 2 or len(folded.replace(headline, " ").split()) > times:  # a stray full stop between copies
        return None
    return f"the text is its title said {times:,} times ({words:,} words), not an article; skipped"


def _swapped_hint(title: str | None, words: int) -> str:
    """For a text too short to read: a hint when the title holds what looks like the article."""
    title_words = len(title.split()) if title else 0
    if title_words >= MIN_ARTICLE_WORDS and title_words > 3 * words:
        return f" (its title holds {title_words:,} words: are the title and text fields swapped?)"
    return ""


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
    found = _script(text)
    if found is None:
        return None
    return (
        f"the text is not in English: its letters are mostly {found}; "
        "Parallax reads English articles (words between spaces), and too few were left; skipped"
    )


_ADDRESS_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _only_addresses(text: str) -> str | None:
    """Why a text of nothing but web addresses (a table of links to read later, a browser's shortcut saved as
    .txt) is no article, or None: it was "only 0 words of article text after removing page furniture"."""
    addresses = text.split()
    if not addresses or len(addresses) > 1000 or not all(_ADDRESS_RE.fullmatch(word) for word in addresses):
        return None
    what = f"a web address ('{addresses[0][:80]}')" if len(addresses) == 1 else f"{len(addresses)} web addresses"
    return (
        f"the text is only {what}, not the article's text; skipped: the article is the page it names (give the "
        "address itself as an input, which the command line fetches, or the page saved as .html)"
    )


_FOOTER_PROSE_WORDS = 150  # a footer's own sentences (a legal notice, teasers) are fewer; an article's more


def _footer_note(page: CleanPage) -> str:
    """Everything after a footer line ("Most Viewed", "Related stories", "Copyright") is left out: when that is
    many sentences (a widget in the middle of a scraped article, not its end), it is said, not lost without a word."""
    start = page.footer_start or ""
    shown = start if len(start) <= 40 else start[:39] + "…"
    return (
        f"{page.footer_prose_words:,} words of sentences after the line '{shown}' were left out, taken as the page's"
        " footer (links, teasers, comments); if they are the article's, remove that line from the page"
    )


def _foreign_lines_note(lines: list[str]) -> str:
    """A paragraph in Chinese, Japanese or Thai inside an English article has too few words between spaces to be
    kept: it was left out without a word."""
    script = (_script(" ".join(lines), min_letters=30) or "another script").split(":")[0]
    first = lines[0] if len(lines[0]) <= 40 else lines[0][:39] + "…"
    count = f"{len(lines)} paragraphs" if len(lines) > 1 else "a paragraph"
    return (
        f"{count} in {script} left out, such as '{first}': Parallax reads English (words between spaces); the rest"
        " of the article is analysed"
    )


def _script(text: str, min_letters: int = 100) -> str | None:
    """The writing system most of a text's letters are in, with their count ("Cyrillic: 480 of 500"), when
    most are not Latin; None for a Latin text or one of under ``min_letters`` letters."""
    letters = [ch for ch in text[:20_000] if ch.isalpha()]
    other = [ch for ch in letters if not ch.isascii() and not unicodedata.name(ch, "").startswith("LATIN")]
    if len(letters) < min_letters or len(other) < len(letters) * 0.5:
        return None
    scripts = Counter(unicodedata.name(ch, "OTHER").split()[0] for ch in other)
    script = scripts.most_common(1)[0][0].title().replace("Cjk", "CJK (Chinese, Japanese or Korean)")
    return f"{script}: {len(other):,} of {len(letters):,}"


# What a scraper saves when the site refused it: an error page, or a check that it is a person; a few dozen words,
# which were analysed as an article.
_ERROR_TITLE_RE = re.compile(
    r"\s*(error\s*)?([45]\d\d\b\s*[-:–—]?\s*)?(page not found|not found|file not found|page (does not|doesn't) exist|"
    r"access denied|forbidden|unauthori[sz]ed|are you a robot\??|robot check|just a moment\W*|attention required\W*|"
    r"security check|verify (that )?you are (a )?human\W*|captcha|service unavailable|too many requests|bad gateway|"
    r"internal server error|error|something went wrong\W*)\s*$|\s*(error\s*)?[45]\d\d\s*$",
    re.IGNORECASE,
)
_SITE_SUFFIX_RE = re.compile(r"\s+[|–—-]\s+[^|–—]*$")  # "Page not found | The Daily Planet"
_ERROR_PAGE_WORDS = 150


def _too_short(page: CleanPage, words: int, english: bool) -> str:
    reason = " (the text does not look like English)" if words and not english else ""
    removed = max(page.dropped_lines, key=len, default="")
    if removed and words < 5:
        shown = removed if len(removed) <= 60 else removed[:57] + "..."
        reason += f" (removed as page furniture: '{shown}')"
    wall = next((kind for line in page.dropped_lines if (kind := wall_kind(line))), None)
    if wall:  # the article was not in the page that was saved
        reason += f" (the page is {wall}, without the article behind it)"
    return f"only {words} words of article text after removing page furniture{reason}; skipped"


def _outlet(
    draft: ArticleDraft, page: CleanPage, registry: OutletRegistry, problems: list[Problem]
) -> tuple[str, str | None]:
    """(the outlet, how it was found): given, else found in the page, else from the URL, else "Unknown"."""
    given = draft.given
    placeholder = given.outlet is not None and given.outlet.casefold() in _NO_OUTLET
    if given.outlet and not placeholder:
        return _outlet_name(given.outlet, draft.source, registry, problems), "given"
    if page.outlet:
        return page.outlet, page.outlet_from
    if given.url:
        known = registry.by_domain(given.url)
        from_url = known.name if known else _host(given.url)
        if from_url:  # a URL such as "www." names no host
            return from_url, "url"
    missing = f"outlet {given.outlet!r} names no outlet, and none was found in the text" if placeholder else ""
    problems.append(
        Problem(
            draft.source,
            f"{missing or 'outlet not found in the text'}; set it with an 'outlet' field, front matter or a sources.csv "
            "sidecar",
        )
    )
    return UNKNOWN_OUTLET, None


def _outlet_name(given: str, source: str, registry: OutletRegistry, problems: list[Problem]) -> str:
    """A given outlet name; a web address given as one (``https://www.example.com:8080/news``) stands for its
    site: the registered outlet of its domain, else its host (without ``www.``, port, path or user name)."""
    if len(given) > MAX_OUTLET_CHARS:
        cut = word_prefix(given, MAX_OUTLET_CHARS)
        problems.append(
            Problem(
                source,
                f"outlet is {len(given):,} characters; cut to its first {len(cut):,} (an outlet's name is at most"
                f" {MAX_OUTLET_CHARS:,} here; is another field, such as the title or the text, in the outlet field?)",
            )
        )
        return cut + "…"
    if not _WEB_ADDRESS.match(given):
        return given
    known = registry.by_domain(given if "://" in given else f"//{given}")
    host = known.name if known else _host(given)
    if not host:
        return given
    # The address is not repeated: it may hold a user name and password.
    problems.append(Problem(source, f"outlet is a web address, not a name; taken as its site, '{host}'"))
    return host


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


def _host(url: str) -> str | None:
    """The host a URL names (``//`` added when it has no scheme: ``example.com/news``), without ``www.``;
    None when it names none (``notaurl``, ``javascript:...``)."""
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname
    except ValueError:  # a bad IPv6 literal, say
        return None
    if not host or ("." not in host and ":" not in host):
        return None
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host
