"""Raw page text -> article body without page furniture, plus the title, byline, date and outlet hints it shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compare.ingest.lines import (
    byline_name,
    ends_article,
    ends_sentence,
    find_date,
    is_credit,
    is_dated_title,
    is_furniture_or_caption,
    is_prose,
    is_short,
    is_short_date_line,
    looks_like_byline,
    looks_like_masthead,
    looks_like_title,
    names_credit,
    opens_with_by,
    split_header,
    split_title_suffix,
    without_dateline,
    without_list_marker,
    words,
)
from compare.ingest.outlets import OutletRegistry
from compare.model.text import normalise_text


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
    # The line taken as the start of the page's footer, and the words of sentences after it (all left out).
    footer_start: str | None = field(default=None, compare=False)
    footer_prose_words: int = field(default=0, compare=False)


def clean_page(raw: str, registry: OutletRegistry) -> CleanPage:
    """Separates an article body from the furniture of a raw page text.

    Args:
        raw: the page text as copied or scraped (navigation, captions and footers included).
        registry: outlets to recognise in mastheads, bylines and title suffixes.

    Returns:
        The body paragraphs joined by blank lines, and the metadata the page shows.
    """
    lines = [line for line in _unwrap(_rejoin_hard_wrapped(normalise_text(raw).split("\n"))) if line]
    reader = _PageReader(registry, half=len(lines) // 2)
    for position, line in enumerate(lines):
        following = lines[position + 1] if position + 1 < len(lines) else ""
        reader.read(without_list_marker(line), position, following)
    return reader.page()


@dataclass
class _PageReader:
    """One pass over a page's lines, top to bottom: the header, then the body, then the footer.

    Each ``_take_*`` step drops (or notes) a line of its kind and says whether it did; a line no
    step takes is body text.
    """

    registry: OutletRegistry
    half: int  # past half the page, a footer marker ends the article even before any body text
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    outlet_from: str | None = None
    masthead: str | None = None
    title_candidates: list[str] = field(default_factory=list)
    body_started: bool = False
    previous_was_caption_candidate: bool = False
    ended: bool = False
    footer_start: str | None = None
    footer_prose_words: int = 0

    def read(self, line: str, position: int, following: str) -> None:
        """Reads one line; ``following`` is the next line (a credit there makes this one a caption)."""
        if not line:
            return
        if self.ended:
            self.dropped.append(line)
            if len(line.split()) >= 10:  # a sentence, not a link or a heading
                self.footer_prose_words += len(line.split())
            return
        self._note_outlet_named(line)
        if ends_article(line) and (self.body_started or position > self.half):
            self.ended = True
            self.footer_start = line
            self.dropped.append(line)
            return
        rest = self._take_header(line)
        if rest is None:
            return
        steps = (self._take_date, self._take_furniture, self._take_credit, self._take_masthead, self._take_title)
        if not any(step(rest) for step in steps) and not self._take_fragment(rest):
            self._keep(rest, following)

    def page(self) -> CleanPage:
        """What the pass found, once every line is read."""
        title = ""
        dropped = list(self.dropped)
        if self.title_candidates:
            # Navigation lines can look like short titles; the headline is the fullest line of the header.
            title = max(self.title_candidates, key=lambda candidate: len(words(candidate)))
            dropped.extend(candidate for candidate in self.title_candidates if candidate is not title)
        title, title_outlet = split_title_suffix(title, self.registry)
        if title_outlet:
            self._name_outlet(title_outlet, "registry")
        if self.masthead:
            known = self.registry.by_name(self.masthead)
            self._name_outlet(*((known.name, "registry") if known else (self.masthead, "masthead")))
        return CleanPage(
            text="\n\n".join(self.kept),
            title=title,
            byline=self.byline,
            published=self.published,
            outlet=self.outlet,
            outlet_from=self.outlet_from,
            dropped_lines=tuple(dropped),
            footer_start=self.footer_start,
            footer_prose_words=self.footer_prose_words,
        )

    def _name_outlet(self, name: str, found_by: str) -> None:
        if not self.outlet:
            self.outlet, self.outlet_from = name, found_by

    def _note_outlet_named(self, line: str) -> None:
        """An outlet named by a header line, or by a short line or byline of the body."""
        known = self.registry.find_in_line(line) if len(line) < 200 else None
        if known and (not self.body_started or is_short(line) or opens_with_by(line) or "|" in line):
            self._name_outlet(known.name, "registry")

    def _take_header(self, line: str) -> str | None:
        """The line without the header it opens with ("By Jane Doe | Reuters | 2024-03-05 | The text..."),
        or None when the whole line was header."""
        if self.body_started and not opens_with_by(line):
            return line
        header = split_header(line, self.registry)
        if header is not None:
            segments, rest = header
            self.byline = self.byline or next((byline_name(part) for part in segments if looks_like_byline(part)), None)
            self.published = self.published or next(filter(None, map(find_date, segments)), None)
            named = next(filter(None, map(self.registry.find_in_line, segments)), None)
            if named:
                self._name_outlet(named.name, "registry")
            self.dropped.append(" | ".join(segments))
            return rest or None
        if not self.body_started and is_dated_title(line):
            self._drop_dated(line)
            return None
        return line

    def _take_date(self, line: str) -> bool:
        if not is_short_date_line(line, in_header=not self.body_started):
            return False
        self._drop_dated(line)
        return True

    def _drop_dated(self, line: str) -> None:
        self.published = self.published or find_date(line)
        self.dropped.append(line)

    def _take_furniture(self, line: str) -> bool:
        if not is_furniture_or_caption(line):
            return False
        self.dropped.append(line)
        return True

    def _take_credit(self, line: str) -> bool:
        if not is_credit(line):
            return False
        # A credit line closes a caption: the prose line just before it was the caption.
        if self.previous_was_caption_candidate and self.kept:
            self.dropped.append(self.kept.pop())
        self.dropped.append(line)
        self.previous_was_caption_candidate = False
        return True

    def _take_masthead(self, line: str) -> bool:
        if self.body_started or self.masthead is not None or self.title_candidates or not looks_like_masthead(line):
            return False
        self.masthead = line
        self.dropped.append(line)
        return True

    def _take_title(self, line: str) -> bool:
        if self.body_started or not looks_like_title(line) or is_prose(line):
            return False
        self.title_candidates.append(line)
        return True

    def _take_fragment(self, line: str) -> bool:
        """Navigation, section names, subheads: short lines, and lines that are not sentences."""
        if not (is_short(line) or not is_prose(line) and len(words(line)) < 15):
            return False
        self.dropped.append(line)
        return True

    def _keep(self, line: str, following: str) -> None:
        if not self.body_started:
            line = without_dateline(line)
        self.body_started = True
        self.previous_was_caption_candidate = is_prose(line) and names_credit(following)
        self.kept.append(line)


def _unwrap(lines: list[str]) -> list[str]:
    """Joins hard-wrapped lines (a line not ending a sentence, followed by one starting in lower case)."""
    joined: list[str] = []
    for line in lines:
        if (
            joined
            and joined[-1]
            and line
            and line[0].islower()
            and not ends_sentence(joined[-1])
            and len(words(joined[-1])) >= 5
        ):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


_WRAP_WIDTHS = (40, 120)  # the widths text is hard-wrapped at: pdftotext, mail, wire feeds, `fold`, `fmt`
_MIN_WRAPPED_LINES = 6
_LIST_ITEM_RE = re.compile(r"\s*([-*+•·>|]|\d{1,2}[.)])\s")  # a list item or table row; not "2015. The …"
_SENTENCE_END_RE = re.compile(r"[.!?…:][\"”’')»\]]*$")


def _rejoin_hard_wrapped(lines: list[str]) -> list[str]:
    """The lines of a hard-wrapped text (pdftotext's output, a wire feed at 72 columns) joined into its paragraphs.

    A line was wrapped when it does not end a sentence and the next line's first word would not have fitted on it
    (the width: the length of all but the 5% longest lines); such lines are joined, a word cut at a hyphen without
    a space. A text whose lines run longer than 120 characters, or with fewer than six such lines, is not
    hard-wrapped: it is left as it is (``_unwrap`` still joins a line to one starting in lower case). Before, a
    wrapped line starting with a capital ("Russian Defense Ministry …") began a paragraph of its own, and the
    short piece before it could be dropped as a title: text was lost.
    """
    lengths = sorted(len(line) for line in lines if line)
    width = lengths[int(len(lengths) * 0.95)] if lengths else 0  # a long address or table row aside
    if not _WRAP_WIDTHS[0] <= width <= _WRAP_WIDTHS[1]:
        return lines
    wrapped = [
        bool(line.strip() and following.strip())
        and not _SENTENCE_END_RE.search(line)  # a quote closed after a comma (“…,” he said) goes on
        and not _LIST_ITEM_RE.match(following)  # a list item starts a line of its own
        and len(line) + 1 + len(following.split(maxsplit=1)[0]) > width
        for line, following in zip(lines, lines[1:] + [""], strict=True)
    ]
    if sum(wrapped) < _MIN_WRAPPED_LINES:
        return lines
    joined: list[str] = []
    for line, continued in zip(lines, [False, *wrapped[:-1]], strict=True):
        if continued:
            glue = "" if re.search(r"[^\W\d_]-$", joined[-1]) else " "
            joined[-1] = f"{joined[-1]}{glue}{line}"
        else:
            joined.append(line)
    return joined
