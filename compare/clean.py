"""Raw page text -> article body without page furniture, plus the title, byline, date and outlet hints it shows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from compare.outlets import OutletRegistry

# Lines that are page furniture wherever they appear.
_FURNITURE = [
    r"^\[?ad_?\d*\]?$",
    r"^\[ad[^\]]*\]$",
    r"^(advertisement|advertising|sponsored( content)?|promoted( stories)?)$",
    r"^share( this( article| story)?)?( on \w+)?$",
    r"^share\s*[-–—:|]",
    r"^(tweet|email|print|save|copy link|follow us|follow)$",
    r"^(skip to (main )?content|jump to)\b",
    r"^(home|news)\s*[/>»|]\s*\w",  # breadcrumbs
    r"^\W*(facebook|twitter|youtube|instagram|linkedin|whatsapp|telegram|wechat|weibo|x|rss|pinterest|reddit)\W*$",
    r"^(also read|read also|read more|see also|related|related (stories|articles|content|coverage)|"
    r"recommended|more on this( story)?|you may also like|you might also like|most (viewed|read|popular)|"
    r"trending|top stories|editor'?s picks?)\b",
    r"^(sign up|subscribe|newsletter|download (our|the) app|get the app)\b",
    r"^comments? (are|is) (closed|disabled)",
    r"^(\d+ )?comments?$",
    r"^(leave|post|add) a comment",
    r"^back to (the )?top$",
    r"^(top|english|menu|search|login|log in|sign in|register|close)$",
    r"(all rights reserved|copyright\s*(©|\(c\)|\d{4})|^©|^\(c\) ?\d{4})",
    r"^licen[cs]e (for|number|no\.?)\b",
    r"^registration (number|no\.?)\b",
    r"^(newspapers (in|from) \w+)",
    r"^(this (article|story) (was|has been|is) (originally )?(published|updated|amended|corrected)\b.{0,80}$)",
    r"^(updated|published|posted|last (updated|modified))\s*:?\s*[\w ,:.+-]{0,40}$",
    r"^(watch|video|listen|audio|gallery|photos?|in pictures)\s*[:|–—-]",
    r"[–—-]\s*(video|audio|podcast|in pictures|live)$",
    r"^-+$|^[•·*|_=~]+$",
]
_FURNITURE_RE = [re.compile(pattern, re.IGNORECASE) for pattern in _FURNITURE]

# After one of these, the rest of the page is footer.
_END_OF_ARTICLE_RE = re.compile(
    r"^(comments? (are|is) (closed|disabled)|most (viewed|read|popular)( in| today|$)|newspapers in \w+|"
    r"back to (the )?top|copyright\b|©|all rights reserved|you (may|might) also like|related (stories|articles)$|"
    r"more on this story$|recommended( for you)?$)",
    re.IGNORECASE,
)

# Photo and video credits, and captions that carry their credit inline.
_CREDIT_RE = re.compile(
    r"^(photo(graph)?|image|picture|credit|file photo|source|illustration)s?\s*(by|:|courtesy)|"
    r"\b(getty images|afp|reuters|ap photo|epa(-efe)?|shutterstock|alamy|xinhua|sputnik|tass|anadolu|pa images|"
    r"bloomberg|ria novosti)\b\s*$",
    re.IGNORECASE,
)
_INLINE_CAPTION_RE = re.compile(
    r"\((image|photo|picture|photograph|file photo|pic)s?( courtesy| credit)?\s*[:/]|"
    r"\bphotograph:\s*\S|\((file|representational image)\)\s*$",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(r"^(by|written by|reporting by|words by)\s+\S", re.IGNORECASE)
_DATELINE_RE = re.compile(
    r"^(?:[A-Z][A-Z.'’]+(?:[ /,-]+[A-Z][A-Z.'’]+)*)(?:,? [A-Z][a-z]+\.?)?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)
_ISO_DATE_RE = re.compile(r"\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_TEXT_DATE_RE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({_MONTHS})\.?,?\s+((?:19|20)\d{{2}})|({_MONTHS})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d{{2}}))\b",
    re.IGNORECASE,
)
_DATE_CONTEXT_RE = re.compile(r"\b(updated|published|posted|last modified|date)\b", re.IGNORECASE)
_TERMINAL = ".!?\"”’'»)…:"


@dataclass(frozen=True)
class CleanPage:
    """What cleaning found in one raw page."""

    text: str
    title: str = ""
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    outlet_from: str | None = None  # how the outlet was found: registry, masthead
    dropped_lines: tuple[str, ...] = field(default=(), compare=False)


def normalise_text(text: str) -> str:
    """Unicode NFC, unified newlines, no zero-width or control characters, no trailing spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture (navigation, share, ads, footers, teasers)."""
    return any(pattern.search(line) for pattern in _FURNITURE_RE)


def _words(line: str) -> list[str]:
    return re.findall(r"[\w’'-]+", line)


def _is_prose(line: str) -> bool:
    return len(_words(line)) >= 6 and line.rstrip()[-1:] in _TERMINAL


def _is_short(line: str) -> bool:
    return len(_words(line)) < 5 and line.rstrip()[-1:] not in '.!?"”'


def _looks_like_masthead(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][\w&.'’-]*|of|the|and|&", w) for w in words)


def _looks_like_title(line: str) -> bool:
    words = _words(line)
    return 3 <= len(words) <= 30 and line.rstrip()[-1:] not in ".:" and not _BYLINE_RE.match(line)


def find_date(line: str) -> str | None:
    """An ISO date (YYYY-MM-DD) written in a line, if there is a valid one."""
    match = _ISO_DATE_RE.search(line)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _iso(year, month, day)
    match = _TEXT_DATE_RE.search(line)
    if match:
        day_first, month_first = match.group(1), match.group(5)
        if day_first:
            return _iso(int(match.group(3)), _month(match.group(2)), int(day_first))
        return _iso(int(match.group(6)), _month(match.group(4)), int(month_first))
    return None


def _month(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
        name[:3].lower()
    ) + 1


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def split_title_suffix(title: str, registry: OutletRegistry) -> tuple[str, str | None]:
    """Strips "| Section" or "- Outlet" suffixes from a page title; returns the outlet if one was named."""
    outlet = None
    while True:
        match = re.match(r"^(.{12,}?)\s+[|–—-]\s+([^|–—-]{2,40})$", title)
        if not match:
            return title, outlet
        suffix = match.group(2).strip()
        known = registry.find_in_line(suffix)
        if known:
            outlet = outlet or known.name
        elif len(_words(suffix)) > 3:
            return title, outlet
        title = match.group(1).strip()


def clean_page(raw: str, registry: OutletRegistry) -> CleanPage:
    """Separates an article body from the furniture of a raw page text.

    Args:
        raw: the page text as copied or scraped (navigation, captions and footers included).
        registry: outlets to recognise in mastheads, bylines and title suffixes.

    Returns:
        The body paragraphs joined by blank lines, and the metadata the page shows.
    """
    lines = _unwrap(normalise_text(raw).split("\n"))
    kept: list[str] = []
    dropped: list[str] = []
    title = ""
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    outlet_from: str | None = None
    masthead: str | None = None
    title_candidates: list[str] = []
    body_started = False
    previous_was_caption_candidate = False
    ended = False

    nonempty = [line for line in lines if line]
    for position, line in enumerate(nonempty):
        following = nonempty[position + 1] if position + 1 < len(nonempty) else ""
        line = re.sub(r"^(#{1,6}|>|[-*+•·]|\d+\.)\s+", "", line).strip()
        if not line:
            continue
        if ended:
            dropped.append(line)
            continue
        known = registry.find_in_line(line) if len(line) < 200 else None
        if known and (not body_started or _is_short(line) or _BYLINE_RE.match(line) or "|" in line):
            outlet = outlet or known.name
            outlet_from = outlet_from or "registry"
        if _END_OF_ARTICLE_RE.search(line) and (body_started or position > len(nonempty) // 2):
            ended = True
            dropped.append(line)
            continue
        if _BYLINE_RE.match(line) or (not body_started and "|" in line and find_date(line)):
            byline = byline or _byline_name(line)
            published = published or find_date(line)
            dropped.append(line)
            continue
        if (not body_started or _DATE_CONTEXT_RE.search(line)) and _is_short_date_line(line):
            published = published or find_date(line)
            dropped.append(line)
            continue
        if is_furniture(line) or _INLINE_CAPTION_RE.search(line):
            dropped.append(line)
            continue
        if _CREDIT_RE.search(line) and len(_words(line)) <= 10:
            # A credit line closes a caption: the prose line just before it was the caption.
            if previous_was_caption_candidate and kept:
                dropped.append(kept.pop())
            dropped.append(line)
            previous_was_caption_candidate = False
            continue
        if not body_started and masthead is None and not title_candidates and _looks_like_masthead(line):
            masthead = line
            dropped.append(line)
            continue
        if not body_started and _looks_like_title(line) and not _is_prose(line):
            title_candidates.append(line)
            continue
        if _is_short(line) or not _is_prose(line) and len(_words(line)) < 15:
            dropped.append(line)  # navigation, section names, subheads
            continue
        if not body_started:
            line = _DATELINE_RE.sub("", line, count=1)
        body_started = True
        previous_was_caption_candidate = _is_prose(line) and bool(_CREDIT_RE.search(following))
        kept.append(line)

    if title_candidates:
        # Navigation lines can look like short titles; the headline is the fullest line of the header.
        title = max(title_candidates, key=lambda candidate: len(_words(candidate)))
        dropped.extend(candidate for candidate in title_candidates if candidate is not title)
    title, title_outlet = split_title_suffix(title, registry)
    if title_outlet and not outlet:
        outlet, outlet_from = title_outlet, "registry"
    if not outlet and masthead:
        known = registry.by_name(masthead)
        outlet, outlet_from = (known.name, "registry") if known else (masthead, "masthead")
    return CleanPage(
        text="\n\n".join(kept),
        title=title,
        byline=byline,
        published=published,
        outlet=outlet,
        outlet_from=outlet_from,
        dropped_lines=tuple(dropped),
    )


def _is_short_date_line(line: str) -> bool:
    return len(_words(line)) <= 10 and find_date(line) is not None


def _byline_name(line: str) -> str:
    name = re.split(r"\s[|•·]\s|\s{2,}", line)[0]
    return re.sub(r"^(by|written by|reporting by|words by)\s+", "", name, flags=re.IGNORECASE).strip()


def _unwrap(lines: list[str]) -> list[str]:
    """Joins hard-wrapped lines (a line not ending a sentence, followed by one starting in lower case)."""
    joined: list[str] = []
    for line in lines:
        if (
            joined
            and joined[-1]
            and line
            and line[0].islower()
            and joined[-1][-1:] not in _TERMINAL
            and len(_words(joined[-1])) >= 5
        ):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined
