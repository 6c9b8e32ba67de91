"""Raw page text -> article body without page furniture, plus the title, byline, date and outlet hints it shows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from compare.ingest.dates import search_date
from compare.ingest.outlets import OutletRegistry

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
_HEADER_SEPARATOR_RE = re.compile(r"\s*\|\s*|\s+[•·—–]\s+")
# Words that follow "By" in prose ("By Monday, ...", "By then"), never in a byline.
_NOT_NAMES = frozenset(
    "then now early late last next mid midday noon midnight dawn night morning evening afternoon contrast "
    "comparison law far some most many all one two three this that these those its his her their our "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december".split()
)
_LONG_LINE_WORDS = 60  # a line this long is article text, even with "copyright" or "(Photo:" inside it
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
    """An ISO date (YYYY-MM-DD) written in a line, if there is a plausible one (years 1900 to next year)."""
    reading = search_date(line)
    return reading.iso if reading else None


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
        if not body_started or _BYLINE_RE.match(line):
            header = _split_header(line, registry)
            if header is not None:
                # "By Jane Doe | Reuters | 2024-03-05 | The text..." on one line: the text after the header stays.
                segments, line = header
                byline = byline or next((_byline_name(part) for part in segments if _looks_like_byline(part)), None)
                published = published or next(filter(None, map(find_date, segments)), None)
                named = next(filter(None, map(registry.find_in_line, segments)), None)
                if named and not outlet:
                    outlet, outlet_from = named.name, "registry"
                dropped.append(" | ".join(segments))
                if not line:
                    continue
            elif not body_started and "|" in line and find_date(line) and len(_words(line)) <= 20:
                published = published or find_date(line)  # "Headline | 2024-03-05": a header line, not text
                dropped.append(line)
                continue
        if (not body_started or _DATE_CONTEXT_RE.search(line)) and _is_short_date_line(line):
            published = published or find_date(line)
            dropped.append(line)
            continue
        if len(_words(line)) < _LONG_LINE_WORDS and (is_furniture(line) or _INLINE_CAPTION_RE.search(line)):
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


def _looks_like_byline(text: str) -> bool:
    """Whether a line reads "By Jane Doe" or "By The Associated Press", not "By the end of Monday, ..."."""
    match = _BYLINE_RE.match(text)
    if not match or len(_words(text)) > 20 or (_is_prose(text) and len(_words(text)) > 8):
        return False
    names = text[match.end() - 1 :].split()
    if len(names) > 1 and names[0].lower() == "the":
        names = names[1:]
    first = names[0].strip(".,;:")
    return first[:1].isupper() and first.lower() not in _NOT_NAMES


def _is_header_segment(segment: str, registry: OutletRegistry) -> bool:
    """Whether one part of a "By X | Outlet | date | CITY" header is metadata rather than article text."""
    words = _words(segment)
    if not words or len(words) > 20:
        return False
    if _looks_like_byline(segment):
        return True
    if len(words) <= 10 and find_date(segment):
        return True  # "March 5, 2024", "Updated: 2021-11-16 19:35"
    if len(words) <= 5 and segment.rstrip()[-1:] not in ".!?":
        return bool(
            registry.find_in_line(segment)
            or _looks_like_masthead(segment)
            or re.fullmatch(r"[A-Z][A-Z.'’/, -]*", segment)  # a dateline city: "LONDON", "MOSCOW/PARIS"
            or re.fullmatch(r"\d{1,2}[:.]\d{2}( ?[ap]\.?m\.?)?( [A-Z]{2,5})?", segment, re.IGNORECASE)
        )
    return False


def _split_header(line: str, registry: OutletRegistry) -> tuple[list[str], str] | None:
    """The metadata parts a line opens with (byline, outlet, date, dateline city) and the text after them.

    None when the line does not open with a header holding a byline or a date, so that a line of
    prose is never taken for one.
    """
    segments: list[str] = []
    rest_start = len(line)
    start = 0
    for separator in [*_HEADER_SEPARATOR_RE.finditer(line), None]:
        end = separator.start() if separator else len(line)
        segment = line[start:end].strip()
        if segment:
            if not _is_header_segment(segment, registry):
                rest_start = start
                break
            segments.append(segment)
        start = separator.end() if separator else len(line)
    if not any(_looks_like_byline(segment) or find_date(segment) for segment in segments):
        return None
    return segments, line[rest_start:].strip()


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
