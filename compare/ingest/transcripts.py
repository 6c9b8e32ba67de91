"""A broadcast transcript or a subtitle file -> its spoken text in paragraphs, without time codes and cue numbers.

A transcript service (or a captioning tool) writes a time code before each line ("[00:01:23] ANCHOR: …", "10:32:05 AM
…"); a subtitle file (.srt, .vtt: a broadcast's captions, YouTube's) gives each cue's timing on a line of its own.
The codes were words of every statement, and the first one the title. A line is short and often without a full stop,
so the lines of one speaker are joined into a paragraph: left apart they were taken as headings and teasers and most
of a transcript without punctuation was dropped (round 16).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# A time code at a line's start: [00:01:23], (01:23), 00:01:23.456, 10:32:05 AM, 1:05 p.m., then a separator.
_TIME_CODE = re.compile(
    r"^[ \t]*[\[(]?[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?(?:[ \t]*[AaPp]\.?[Mm]\.?)?[ \t]*[\])]?"
    r"[ \t]*(?:[-–—|>:][ \t]*)?(?=\S)"
)
_ANY_CODE = re.compile(r"^[ \t]*[\[(]?[ \t]*\d{1,2}:\d{2}", re.MULTILINE)
# A line that gives the speaker: ">> ", "- " (captions), "ANCHOR:", "JOHN SMITH:", "Speaker 2:", "<v Jane>" (WebVTT).
_SPEAKER = re.compile(r"^(?:>>|-[ \t]|<v[ \t]|[A-Z][A-Z0-9.'’ -]{1,40}:|Speaker[ \t]*\d+:)")
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")
_MIN_CODED_LINES = 3
# A subtitle cue's timing line (SubRip's "00:00:01,000 --> 00:00:04,500", WebVTT's with dots and settings).
_CUE_TIMING = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}")
_CUE_TAG = re.compile(r"</?(?:[bciuv]|ruby|rt|lang)(?:\.[\w.-]+)?(?:\s[^>]*)?>|<\d{1,2}:[\d:.]+>|\{\\[^}]*\}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")


def timed_transcript(text: str) -> tuple[str, str | None]:
    """A text whose lines mostly start with a time code, without the codes and with each speaker's lines one
    paragraph, and a note saying so; any other text as it is, with no note."""
    if not _ANY_CODE.search(text):  # most pages: one scan, no line by line
        return text, None
    lines = text.split("\n")
    codes = [code for line in lines if line.strip() and (code := _TIME_CODE.match(line))]
    if len(codes) < _MIN_CODED_LINES or len(codes) * 2 < sum(1 for line in lines if line.strip()):
        return text, None
    coded, example = len(codes), codes[0][0].strip()
    # The lines above the first coded one (the outlet, the programme's name) stay as they are.
    first = next(number for number, line in enumerate(lines) if _TIME_CODE.match(line))
    head = "\n".join(lines[:first]).rstrip()
    body = _paragraphs(_TIME_CODE.sub("", line).strip() for line in lines[first:])
    note = (
        f"{coded:,} lines start with a time code, as a broadcast transcript's do ('{example}'); read without "
        "them, each speaker's lines as one paragraph"
    )
    return (f"{head}\n\n{body}" if head else body), note


def subtitle_text(text: str) -> str:
    """The spoken text of a subtitle file (SubRip .srt, WebVTT .vtt): cue numbers, timings, styling and notes left
    out, a line a rolling caption repeats given once, each speaker's lines one paragraph."""
    cues: list[str] = []
    block: list[str] = []
    for line in [*text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), ""]:
        if line.strip():
            block.append(line.strip())
            continue
        cues.extend(_cue_lines(block))
        block = []
    kept = [line for number, line in enumerate(cues) if number == 0 or line != cues[number - 1]]
    return _paragraphs(kept)


def _cue_lines(block: list[str]) -> list[str]:
    """The text lines of one block of a subtitle file; none for its header, a note, a style or region block."""
    timing = next((number for number, line in enumerate(block) if _CUE_TIMING.match(line)), None)
    if timing is None:
        return []  # WEBVTT, NOTE, STYLE, REGION blocks, or a cue number alone
    lines = []
    for line in block[timing + 1 :]:
        voice = _VOICE.match(line)
        spoken = html.unescape(_CUE_TAG.sub("", _VOICE.sub("", line))).strip()
        if spoken:
            lines.append(f"{voice[1].strip()}: {spoken}" if voice else spoken)
    return lines


def _paragraphs(lines: Iterable[str]) -> str:
    """Lines joined into paragraphs: a new one where a speaker starts, after a sentence's end, or at a blank line."""
    paragraphs: list[list[str]] = []
    ended = True
    for line in lines:
        if not line:
            ended = True
            continue
        if ended or _SPEAKER.match(line):
            paragraphs.append([])
        paragraphs[-1].append(line)
        ended = bool(_SENTENCE_END.search(line))
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
