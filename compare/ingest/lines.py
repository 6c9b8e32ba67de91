"""What one line of a page is: furniture, a caption or credit, a byline or header, a date, a title, or prose."""

from __future__ import annotations

import re

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
# A teaser ("Also read: …", "Most viewed in 24 hours"): short, or its words then a separator and a headline; a
# sentence opening with the same words ("Most popular in rural areas, the party …") is text.
_TEASER_RE = re.compile(
    r"^(also read|read also|read more|see also|related|related (stories|articles|content|coverage)|"
    r"recommended|more on this( story)?|you may also like|you might also like|most (viewed|read|popular)|"
    r"trending|top stories|editor'?s picks?)\b(?P<separator>\s*[:|»>–—-])?",
    re.IGNORECASE,
)
_TEASER_WORDS = 12

# A consent wall (a page saved before its cookies were accepted): the site speaking of cookies or its partners
# and consent, and its buttons. A line of an article about cookies names no "we" and "accept" at once (but in a
# quote), or is 60 words long.
_CONSENT = [
    r"^(?!.*[\"“”])(?=.*\bcookies?\b)(?=.*\b(we|our|us|you|your)\b)"
    r"(?=.*\b(consent|accept|partners|personali[sz]ed|experience|preferences|settings|privacy|browsing)\b)",
    r"^(?!.*[\"“”])(?=.*\bour partners\b)(?=.*\b(consent|consenting|processing|personal data)\b)",
    r"^(we and our (\d+ )?partners|with your permission we)\b",
    r"^(i )?(accept|agree|reject|decline|refuse|allow)( all| cookies| all cookies| and (close|continue))?$",
    r"^(manage|customi[sz]e|more) (cookies|preferences|options|settings|choices|consent)$",
    r"^((cookie|privacy) (settings|preferences|policy|notice|choices)|we value your privacy|your privacy choices)$",
]
# A paywall's stub, whose article was not delivered.
_PAYWALL = [
    r"^this (article|content|story|page) is (only )?(available )?(exclusively )?(for|to) (subscribers|members)",
    r"^already (a subscriber|a member|have an account|registered)\b",
    r"\b(subscribe|sign in|log in|register) (now )?to (continue reading|keep reading|read (the|this) (full )?(article|story))",
    r"^(you have|you've) reached (your|the) (limit|free article)",
]
# A word every wall pattern for a line longer than a button holds (in lower case).
_WALL_WORDS = ("cookie", "partners", "subscri", "members", "sign in", "log in", "register", "already", "reached")
_BUTTON_CHARS = 40
_WALLS = {
    "a cookie-consent wall": [re.compile(pattern, re.IGNORECASE) for pattern in _CONSENT],
    "a paywall": [re.compile(pattern, re.IGNORECASE) for pattern in _PAYWALL],
}

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
_LIST_MARKER_RE = re.compile(r"^(#{1,6}|>|[-*+•·]|\d+\.)\s+")
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


def words(line: str) -> list[str]:
    """The words of a line, for counting."""
    return re.findall(r"[\w’'-]+", line)


def without_list_marker(line: str) -> str:
    """A line without the Markdown heading, quote or list marker it opens with."""
    return _LIST_MARKER_RE.sub("", line).strip()


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture (navigation, share, ads, footers, teasers)."""
    return any(pattern.search(line) for pattern in _FURNITURE_RE) or _is_teaser(line) or wall_kind(line) is not None


def _is_teaser(line: str) -> bool:
    teaser = _TEASER_RE.match(line)
    return teaser is not None and (teaser.group("separator") is not None or len(words(line)) <= _TEASER_WORDS)


def wall_kind(line: str) -> str | None:
    """What kind of wall a line stands in front of an article (a cookie-consent wall, a paywall), or None."""
    lowered = line.lower()
    if len(line) > _BUTTON_CHARS and not any(word in lowered for word in _WALL_WORDS):  # most lines: not ten patterns
        return None
    return next((kind for kind, patterns in _WALLS.items() if any(pattern.search(line) for pattern in patterns)), None)


def is_furniture_or_caption(line: str) -> bool:
    """Furniture, or a caption with its credit inline; never a line long enough to be article text."""
    return len(words(line)) < _LONG_LINE_WORDS and bool(is_furniture(line) or _INLINE_CAPTION_RE.search(line))


def ends_article(line: str) -> bool:
    """Whether the rest of the page after this line is footer (comments, "most read", copyright).

    A legal notice may be long ("Copyright 1995 - . All rights reserved. The content ..."), but not prose about
    copyright ("Copyright infringement claims rose ..."); the other markers are short lines ("Most Viewed in 24
    Hours"), not a sentence that opens with their words ("Most popular in rural areas, the party ...").
    """
    if not _END_OF_ARTICLE_RE.search(line):
        return False
    if re.match(r"(?i:copyright|©|all rights reserved)", line):
        return not re.match(r"(?i:copyright)\s+[a-z]", line)
    return len(words(line)) <= 15 or bool(_LEGAL_RE.search(line))  # footer lines a hard-wrapped page ran together


_LEGAL_RE = re.compile(r"all rights reserved|copyright\s*(©|\(c\)|\d{4})|©", re.IGNORECASE)


def names_credit(line: str) -> bool:
    """Whether a line names a photo or video credit ("Photo: Reuters", "... Getty Images")."""
    return bool(_CREDIT_RE.search(line))


def is_credit(line: str) -> bool:
    """Whether a line is a credit, short enough not to be a sentence that names an agency."""
    return names_credit(line) and len(words(line)) <= 10


def opens_with_by(line: str) -> bool:
    """Whether a line starts as a byline does ("By ...", "Reporting by ...")."""
    return bool(_BYLINE_RE.match(line))


def without_dateline(line: str) -> str:
    """The first body line without its dateline ("LONDON (Reuters) - ")."""
    return _DATELINE_RE.sub("", line, count=1)


def is_prose(line: str) -> bool:
    """Whether a line is a sentence: six words or more, ending as sentences end."""
    return len(words(line)) >= 6 and line.rstrip()[-1:] in _TERMINAL


def is_short(line: str) -> bool:
    """Whether a line is a few words that do not end a sentence (a section name, a menu entry)."""
    return len(words(line)) < 5 and line.rstrip()[-1:] not in '.!?"”'


def ends_sentence(line: str) -> bool:
    """Whether a line ends as a sentence (or a quotation, or a heading with a colon) ends."""
    return line[-1:] in _TERMINAL


def looks_like_masthead(line: str) -> bool:
    """Whether a line is a short name in capitals ("The Daily Star")."""
    names = line.split()
    return 1 <= len(names) <= 4 and all(re.fullmatch(r"[A-Z][\w&.'’-]*|of|the|and|&", w) for w in names)


def looks_like_title(line: str) -> bool:
    """Whether a line could be a headline: 3 to 30 words, not ending in a full stop or colon, not a byline."""
    count = len(words(line))
    return 3 <= count <= 30 and line.rstrip()[-1:] not in ".:" and not opens_with_by(line)


def find_date(line: str) -> str | None:
    """An ISO date (YYYY-MM-DD) written in a line, if there is a plausible one (years 1600 to next year)."""
    reading = search_date(line)
    return reading.iso if reading else None


def is_short_date_line(line: str, *, in_header: bool) -> bool:
    """A short line that gives a date: in the header any, in the body one that says so ("Updated: ...")."""
    dated = in_header or bool(_DATE_CONTEXT_RE.search(line))
    return dated and len(words(line)) <= 10 and find_date(line) is not None


def is_dated_title(line: str) -> bool:
    """Whether a line is a headline with a date ("Headline | 2024-03-05"): a header line, not text."""
    return "|" in line and bool(find_date(line)) and len(words(line)) <= 20


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
        elif len(words(suffix)) > 3:
            return title, outlet
        title = match.group(1).strip()


def byline_name(line: str) -> str:
    """The name in a byline: "By Jane Doe | Reuters" -> "Jane Doe"."""
    name = re.split(r"\s[|•·]\s|\s{2,}", line)[0]
    return re.sub(r"^(by|written by|reporting by|words by)\s+", "", name, flags=re.IGNORECASE).strip()


def looks_like_byline(text: str) -> bool:
    """Whether a line reads "By Jane Doe" or "By The Associated Press", not "By the end of Monday, ..."."""
    match = _BYLINE_RE.match(text)
    if not match or len(words(text)) > 20 or (is_prose(text) and len(words(text)) > 8):
        return False
    names = text[match.end() - 1 :].split()
    if len(names) > 1 and names[0].lower() == "the":
        names = names[1:]
    first = names[0].strip(".,;:")
    return first[:1].isupper() and first.lower() not in _NOT_NAMES


def _is_header_segment(segment: str, registry: OutletRegistry) -> bool:
    """Whether one part of a "By X | Outlet | date | CITY" header is metadata rather than article text."""
    count = len(words(segment))
    if not count or count > 20:
        return False
    if looks_like_byline(segment):
        return True
    if count <= 10 and find_date(segment):
        return True  # "March 5, 2024", "Updated: 2021-11-16 19:35"
    if count <= 5 and segment.rstrip()[-1:] not in ".!?":
        return bool(
            registry.find_in_line(segment)
            or looks_like_masthead(segment)
            or re.fullmatch(r"[A-Z][A-Z.'’/, -]*", segment)  # a dateline city: "LONDON", "MOSCOW/PARIS"
            or re.fullmatch(r"\d{1,2}[:.]\d{2}( ?[ap]\.?m\.?)?( [A-Z]{2,5})?", segment, re.IGNORECASE)
        )
    return False


def split_header(line: str, registry: OutletRegistry) -> tuple[list[str], str] | None:
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
    if not any(looks_like_byline(segment) or find_date(segment) for segment in segments):
        return None
    return segments, line[rest_start:].strip()
