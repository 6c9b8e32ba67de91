"""A seeded corpus of awkward inputs in every format, each known good or bad by construction.

``write_corpus(folder, seed)`` writes the files (and special files) and returns what reading them
must give: which sources (a file, or a file and row) become articles, and for every source that
must be reported, the reason it must be reported with. ``python -m tests.fuzz_inputs`` writes a
corpus to a temporary folder, reads it, and prints the figures recorded in RELIABILITY.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import re
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Reasons, as patterns the problem message must match.
EMPTY = r"^file is empty$"
BINARY = r"^file is binary, not text$"
TOO_BIG = r"^file is \d+ MB; the limit is 21 MB$"
CUT = r"only the first 200,000 were read$"
NOT_JSON = r"not valid JSON \(|is a JSON \w+, not an object$"
NESTED = r"JSON nested too deeply to read$"
NOT_OBJECT = r"is a JSON \w+, not an object$|^JSON must hold an article object or a list of them"
NO_TEXT_FIELD = r"^row has no text( field|: its '\w+' field is (null|empty|NaN))"
TEXT_TYPE = (
    r"^text is (a number|a boolean|a JSON object|an empty JSON object|binary data|a list holding|a list with no)"
)
TOO_SHORT = r"^only \d+ words of article text after removing page furniture"
TEXTS_NOTE = r"a JSON string, not an object: read as an article's text"
OTHER_SCRIPT = r"^the text is not in English: its letters are mostly CJK"
STRAY_BYTES = r"^\d+ bytes? (is|are) not UTF-8; read as Windows-1252"  # a note on UTF-8 with flipped bytes
NO_TEXT_COLUMN = r"^CSV has no text column"
EXTRA_CELLS = r"^row \d+ has more cells than the header$"
NO_ROWS = r"^file holds no rows, so no article$"
SPECIAL = r"^not a regular file \((a FIFO|a character device|a socket)\); skipped$"
LINK = r"^a link to a file or folder that does not exist; skipped$|^a link to a folder, not followed"
UNSUPPORTED = r"^unsupported file type"
NOT_A_DOCUMENT = r"^(a damaged PDF|not a Word document|not valid XML)"  # a .pdf, .docx or .xml (a feed) of other bytes
PARQUET = r"^not a readable Parquet file"
NO_HTML_TEXT = r"^no article text found in the HTML$|^only \d+ words of article text"  # trafilatura may keep "Home"
DUPLICATE = r"^same text as article .*; skipped as a duplicate$"
MISSING = r"^no such file or folder$"
# Notes that come with an article that is read.
DATE_NOTE = (
    r"^date '.*' (is out of range|is not a valid calendar date|is .*not a date|is only|has an impossible|names a)"
)
DAY_MONTH = r"could be day or month first"
DELIMITER = r"^columns are separated by [\w'|]+, not [\w'|]+; read that way$"
OUTLET_LIST = r"^outlet is a list"
NOT_ENGLISH = r"does not look like English"
UNKNOWN_OUTLET = r"^outlet not found in the text"


@dataclass
class Expected:
    """What reading the corpus must give."""

    articles: set[str] = field(default_factory=set)  # sources (path, or path:row) that become articles
    problems: dict[str, str] = field(default_factory=dict)  # source -> reason it must be reported with
    notes: dict[str, str] = field(default_factory=dict)  # source -> note that must come with its article
    allowed: dict[str, list[str]] = field(default_factory=dict)  # source -> other notes it may have
    kinds: Counter[str] = field(default_factory=Counter)  # how many inputs of each family
    files: int = 0
    inputs: list[str] = field(default_factory=list)  # paths to give load_corpus besides the folder

    def good(self, source: str, note: str | None = None, *allowed: str) -> None:
        self.articles.add(source)
        if note:
            self.notes[source] = note
        if allowed:
            self.allowed.setdefault(source, []).extend(allowed)

    def bad(self, source: str, reason: str) -> None:
        self.problems[source] = reason


def sentences() -> list[str]:
    """Sentences of the seed articles' bodies (real news text), each a full sentence of 8 words or more."""
    found: list[str] = []
    furniture = re.compile(r"copyright|rights reserved|most viewed|back to the top|read more|share|\||^[A-Z]{4,}\b")
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", line.strip()):
                if len(sentence.split()) >= 8 and sentence[-1] in ".!?”" and not furniture.search(sentence):
                    found.append(sentence)
    return sorted(set(found))


class _Texts:
    """Article texts never used twice (a repeated text would be a duplicate, rightly skipped)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = sentences()
        self.used: set[tuple[str, ...]] = set()

    def article(self, sentence_count: int | None = None) -> str:
        while True:
            picked = tuple(self.rng.sample(self.pool, sentence_count or self.rng.randint(5, 8)))
            if picked not in self.used:
                self.used.add(picked)
                break
        paragraphs = [" ".join(picked[start : start + 2]) for start in range(0, len(picked), 2)]
        return "\n\n".join(paragraphs)

    def short(self) -> str:
        return " ".join(self.rng.choice(self.pool).split()[:8])


OUTLETS = ["Reuters", "TASS", "The Guardian", "China Daily", "Al Jazeera", "BBC News", "Le Monde", "Xinhua"]
GOOD_DATES: list[object] = [
    "2022-01-26",
    "2022-01-26T08:12:00Z",
    "2022-01-26T08:12:00+05:30",
    "26/01/2022",
    "01/26/2022",
    "26.01.2022",
    "Wed, 26 Jan 2022 08:12:00 +0000",
    "January 26, 2022",
    "20220126",
    1643184720,
    1643184720000,
    None,
]
BAD_DATES: list[object] = ["9999-12-31", "0001-01-01", "1500-03-05", "2022-02-30", "soon", "2022", 0, True]


def write_corpus(folder: Path, seed: int = 11) -> Expected:
    """Writes the corpus into ``folder`` (created) and returns what reading it must give."""
    rng = random.Random(seed)
    texts = _Texts(rng)
    expected = Expected()
    folder.mkdir(parents=True, exist_ok=True)
    families: list[tuple[str, int, Callable[[Path, random.Random, _Texts, Expected, int], None]]] = [
        ("txt/md page", 32, _pages),
        ("html page", 16, _html),
        ("json", 24, _json),
        ("jsonl", 24, _jsonl),
        ("csv/tsv", 24, _csv),
        ("parquet", 16, _parquet),
        ("folder with sidecar", 6, _sidecar_folder),
        ("broken file", 30, _broken),
    ]
    for kind, count, write in families:
        for number in range(count):
            write(folder, rng, texts, expected, number)
            expected.kinds[kind] += 1
    _special(folder, expected)
    _duplicates(folder, texts, expected)
    expected.files = sum(1 for path in folder.rglob("*") if not path.is_dir() or path.is_symlink())
    return expected


def _damage_text(text: str, rng: random.Random) -> str:
    """Text damage that leaves an article readable: stray controls, zero-width and odd spaces, markup, emoji."""
    damage = rng.randrange(7)
    if damage == 0:
        return "".join(ch + (chr(rng.choice([1, 7, 11, 27, 127])) if rng.random() < 0.01 else "") for ch in text)
    if damage == 1:
        return "".join(ch + ("\u200b" if rng.random() < 0.05 else "") for ch in text)
    if damage == 2:
        return text.replace(" ", "\u00a0", 20).replace("\n\n", "\n\u2029\n")
    if damage == 3:
        return text.replace("\n\n", " <b onclick='x()'>§</b>\n\n").replace(",", ", 😀", 3)
    if damage == 4:
        return "\u202e" + text.replace(". ", ".\u200f ", 5)
    if damage == 5:
        return text.replace("\n\n", " ")  # one line
    return text


def _encode(text: str, rng: random.Random, keep: int = 0) -> tuple[bytes, str]:
    """The text in a random encoding a reader may meet; byte flips spare the first ``keep`` characters."""
    choice = rng.randrange(8)
    if choice == 0:
        return text.encode("utf-8-sig"), "utf-8 with BOM"
    if choice == 1:
        return text.encode("utf-16"), "utf-16 with BOM"
    if choice == 2:
        return text.encode("utf-32"), "utf-32 with BOM"
    if choice == 3:
        return text.encode("cp1252", errors="replace"), "cp1252"
    if choice == 4:
        return text.encode("latin-1", errors="replace"), "latin-1"
    if choice == 5:
        raw = bytearray(text.encode("utf-8"))
        start = len(text[:keep].encode("utf-8"))
        for _ in range(rng.randint(1, 6) if start < len(raw) else 0):
            raw[rng.randrange(start, len(raw))] = rng.choice([0x80, 0xC3, 0xE2, 0xFF, 0x9D])
        return bytes(raw), "broken utf-8"
    if choice == 6:
        return text.replace("\n", "\r\n").encode("utf-8"), "utf-8, CRLF"
    return text.encode("utf-8"), "utf-8"


def _pages(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    suffix = rng.choice([".txt", ".md", ".markdown", ".text"])
    name = rng.choice(["page", "Seite ü", 'o\'brien "quoted"', "#hash & more"]) + f" {number:02d}{suffix}"
    body = _damage_text(texts.article(), rng)
    outlet = rng.choice(OUTLETS)
    variant = rng.randrange(4)
    date_value = rng.choice(BAD_DATES[:5] + ["2022-01-26", "26/01/2022"])
    note = None
    if variant == 0:
        header = f"---\noutlet: {outlet}\npublished: {date_value}\n---\n"
        note = DATE_NOTE if date_value in BAD_DATES else None
    elif variant == 1:
        header, body = f"By Jane Doe | {outlet} | January 26, 2022 | ", body.replace("\n", " ")
    elif variant == 2:
        header = f"# {texts.short()}\n\nBy REN QI in Moscow | {outlet} | Updated: 2022-01-26 19:35\nShare\n\n"
        body += "\n\nAll rights reserved."
    else:
        header, body = f"MOSCOW/PARIS | January 26, 2022 | {outlet}\n\n", f"{body}\n\n[ad_1]\nRead more\n"
    raw, encoding = _encode(header + body, rng, keep=len(header))
    (folder / name).write_bytes(raw)
    stray = [STRAY_BYTES] if encoding == "broken utf-8" else []
    expected.good(str(folder / name), note, NOT_ENGLISH, UNKNOWN_OUTLET, *stray)


def _html(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    body = texts.article()
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in body.split("\n\n"))
    nesting = rng.choice([0, 3, 40])
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{texts.short()} | {rng.choice(OUTLETS)}</title>"
        f"<meta property='og:site_name' content='{rng.choice(OUTLETS)}'><style>p{{color:red}}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><script>var tracking = 1;</script>"
        + "<div>" * nesting
        + f"<article><h1>{texts.short()}</h1>{paragraphs}</article>"
        + "</div>" * nesting
        + "<footer>© 2022 All rights reserved</footer></body></html>"
    )
    if rng.random() < 0.3:
        page = page[: int(len(page) * 0.93)]  # cut short: the closing tags are lost, the text is not
    raw, _ = _encode(page, rng, keep=len(page))
    name = folder / f"web {number:02d}.{rng.choice(['html', 'htm', 'xhtml'])}"
    name.write_bytes(raw)
    expected.good(str(name), None, NOT_ENGLISH)


def _row(rng: random.Random, texts: _Texts, text: object | None = None) -> dict[str, object]:
    row: dict[str, object] = {"text": text if text is not None else _damage_text(texts.article(), rng)}
    if rng.random() < 0.8:
        row["outlet"] = rng.choice(OUTLETS)
    else:
        row["source"] = {"id": None, "name": rng.choice(OUTLETS)}  # NewsAPI's shape
    row["title"] = texts.short()
    row["published"] = rng.choice(GOOD_DATES)
    if rng.random() < 0.3:
        row["tags"] = ["ukraine", "diplomacy"]
    return row


def _bad_row(rng: random.Random, texts: _Texts) -> tuple[dict[str, object] | str, str]:
    """A row that must be reported, and why (the row, or its raw JSON when it is not an object)."""
    choice = rng.randrange(9)
    if choice == 0:
        return {"outlet": "BBC", "title": texts.short()}, NO_TEXT_FIELD
    if choice == 1:
        return {"outlet": "BBC", "text": rng.choice([42, 3.5, -1])}, TEXT_TYPE
    if choice == 2:
        return {"outlet": "BBC", "text": rng.choice([True, False])}, TEXT_TYPE
    if choice == 3:
        return {"outlet": "BBC", "text": {"en": texts.article()}}, TEXT_TYPE
    if choice == 4:
        return {"outlet": "BBC", "text": [[{"sentence": texts.short()}]]}, TEXT_TYPE
    if choice == 5:
        return {"outlet": "BBC", "text": texts.short()}, TOO_SHORT
    if choice == 6:
        return '{"text": ' + "[" * rng.choice([2_000, 50_000, 200_000]), NESTED
    if choice == 7:
        return rng.choice(["[1, 2]", '"a string"', "null", "7"]), NOT_OBJECT
    return rng.choice(['{"text": "unterminated', "{not json}", '{"text": ' + "9" * 5000 + "}"]), NOT_JSON


def _json(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    path = folder / f"articles {number:02d}.json"
    source = str(path)
    shape = rng.randrange(6)
    if shape == 0:  # one article object
        row = _row(rng, texts)
        row["published"] = rng.choice(BAD_DATES + GOOD_DATES)
        document: object = row
        text = json.dumps(document, ensure_ascii=rng.random() < 0.5)
        expected.good(source, DATE_NOTE if row["published"] in BAD_DATES else None, DAY_MONTH)
    elif shape in (1, 2):  # a list (or {"articles": [...]}) of good and bad rows
        rows: list[object] = []
        for position in range(1, rng.randint(3, 7)):
            if rng.random() < 0.3:
                bad, reason = _bad_row(rng, texts)
                if isinstance(bad, str):
                    bad, reason = rng.choice([(7, NOT_OBJECT), ("text", NOT_OBJECT), ([1], NOT_OBJECT)])
                rows.append(bad)
                expected.bad(f"{source}:{position}", reason)
            else:
                row = _row(rng, texts)
                if rng.random() < 0.3:
                    row["text"] = row["text"].split("\n\n")  # type: ignore[union-attr]
                if rng.random() < 0.2:
                    row["outlet"] = [rng.choice(OUTLETS), "AP"]
                    expected.good(f"{source}:{position}", OUTLET_LIST, DAY_MONTH)
                else:
                    expected.good(f"{source}:{position}", None, DAY_MONTH)
                rows.append(row)
        document = rows if shape == 1 else {"articles": rows}
        text = json.dumps(document, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
        text = text.replace("Ukraine", "Ukr\u2028aine")
    elif shape == 3:  # deep nesting
        depth = rng.choice([1_500, 20_000, 200_000])
        text = "[" * depth + "]" * (depth if rng.random() < 0.5 else 0)
        expected.bad(source, NESTED)
    elif shape == 4:  # cut short
        text = json.dumps([_row(rng, texts) for _ in range(3)])
        text = text[: rng.randint(10, len(text) - 5)]
        expected.bad(source, NOT_JSON)
    else:  # a JSON value that is no article
        text = rng.choice(['"just a string"', "42", "null", "true", "[]", "{}"])
        reason = {"[]": NO_ROWS, "{}": NO_TEXT_FIELD}.get(text, NOT_OBJECT)
        expected.bad(source, reason)
    raw = text.encode("utf-8")
    if rng.random() < 0.2 and shape < 3:
        raw, _ = _encode(text, rng, keep=len(text))  # byte flips could break the JSON itself
    path.write_bytes(raw)


def _jsonl(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    path = folder / f"rows {number:02d}.{rng.choice(['jsonl', 'ndjson'])}"
    source = str(path)
    lines: list[str] = []
    newline = rng.choice(["\n", "\r\n"])
    for line_number in range(1, rng.randint(3, 9)):
        if rng.random() < 0.15:
            lines.append("")  # a blank line is no row
            continue
        if rng.random() < 0.35:
            bad, reason = _bad_row(rng, texts)
            if bad == '"a string"':  # round 18: a JSON string on a line is an article's text (this one too short)
                reason = TOO_SHORT
                expected.allowed.setdefault(source, []).append(TEXTS_NOTE)
            lines.append(bad if isinstance(bad, str) else json.dumps(bad))
            expected.bad(f"{source}:{line_number}", reason)
            continue
        row = _row(rng, texts)
        # Raw separators inside strings: valid JSON, written so by json.dumps(ensure_ascii=False).
        row["text"] = str(row["text"]).replace(
            " the ", rng.choice([" the\u2028", " the\u0085", " the\u000b", " the\u2029"]), 2
        )
        if rng.random() < 0.2:
            row["title"] = "Talks \ud83d in Paris"  # a lone surrogate: valid JSON (escaped), not writable as UTF-8
            lines.append(json.dumps(row))
        else:
            lines.append(json.dumps(row, ensure_ascii=False))
        expected.good(f"{source}:{line_number}", None, DAY_MONTH)
    if rng.random() < 0.2:  # a huge line: one row of 1 MB text is cut to 200,000 characters
        lines.append(json.dumps({"outlet": "BBC", "text": (texts.article(8) + " ") * 600}))
        expected.good(f"{source}:{len(lines)}", CUT)
    text = newline.join(lines) + (newline if rng.random() < 0.7 else "")
    if not any(lines):
        expected.bad(source, EMPTY)
    path.write_bytes(text.encode("utf-8") if rng.random() < 0.8 else text.encode("utf-16"))


def _csv(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    tsv = rng.random() < 0.25
    path = folder / f"table {number:02d}.{'tsv' if tsv else 'csv'}"
    source = str(path)
    expected_delimiter = "\t" if tsv else ","
    delimiter = rng.choice([expected_delimiter] * 3 + [",", ";", "\t", "|"])
    excel_hint = delimiter != expected_delimiter and rng.random() < 0.3
    layout = rng.randrange(8)
    columns = ["id", "outlet", "published", "text"] if layout != 0 else ["id", "outlet", "headline"]
    rows = []
    good_rows = 0
    for position in range(2, rng.randint(3, 8)):
        text = texts.article()
        if layout == 0:
            rows.append([f"t{number}-r{position}", rng.choice(OUTLETS), text])
            continue
        kind = rng.random()
        if kind < 0.15:
            rows.append([f"t{number}-r{position}", "BBC", "2022-01-26", texts.short()])
            expected.bad(f"{source}:{position}", TOO_SHORT)
        elif kind < 0.25:
            rows.append([f"t{number}-r{position}", "BBC", "2022-01-26", "   "])
            expected.bad(f"{source}:{position}", NO_TEXT_FIELD)
        elif kind < 0.32:
            rows.append([f"t{number}-r{position}", "BBC", "2022-01-26", text, "an extra cell"])
            expected.bad(f"{source}:{position}", EXTRA_CELLS)
        else:
            date_value = rng.choice(["2022-01-26", "26/01/2022", "01/26/2022", "9999-12-31", "", "26.01.2022"])
            rows.append(
                [
                    f"t{number}-r{position}",
                    rng.choice(OUTLETS),
                    date_value,
                    _damage_text(text, rng).replace("\u2029", ""),
                ]
            )
            expected.good(f"{source}:{position}", DATE_NOTE if date_value == "9999-12-31" else None, DAY_MONTH)
            good_rows += 1
    quote = '"'

    def cell(value: str) -> str:
        if delimiter in value or quote in value or "\n" in value or "\r" in value:
            return quote + value.replace(quote, quote * 2) + quote
        return value

    newline = rng.choice(["\n", "\r\n"])
    lines = [delimiter.join(columns)] + [delimiter.join(cell(value) for value in row) for row in rows]
    if excel_hint:
        lines.insert(0, f"sep={delimiter}")
    text = newline.join(lines) + newline
    if layout == 0:
        expected.bad(source, NO_TEXT_COLUMN)
        for position in range(2, 2 + len(rows)):
            expected.problems.pop(f"{source}:{position}", None)
    elif layout == 1:
        text = newline.join(lines[: 2 if excel_hint else 1]) + newline  # the header alone
        for position in range(2, 2 + len(rows)):
            expected.problems.pop(f"{source}:{position}", None)
            expected.articles.discard(f"{source}:{position}")
            expected.notes.pop(f"{source}:{position}", None)
        expected.bad(source, NO_ROWS)
    if delimiter != expected_delimiter and not excel_hint and layout != 0:
        expected.notes[source] = DELIMITER
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-8", "utf-16", "cp1252"])
    path.write_bytes(text.encode(encoding, errors="replace"))


def _parquet(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as parquet

    path = folder / f"shard-{number:02d}.parquet"
    source = str(path)
    layout = rng.randrange(6)
    if layout == 4:
        path.write_bytes(b"PAR1" + bytes(rng.randrange(256) for _ in range(300)) + b"PAR1")
        expected.bad(source, PARQUET)
        return
    count = rng.randint(2, 6)
    bodies = [texts.article() for _ in range(count)]
    outlets: list[object] = [rng.choice(OUTLETS) for _ in range(count)]
    published: list[object] = [dt.date(2022, 1, rng.randint(1, 28)) for _ in range(count)]
    columns: dict[str, object] = {"id": [f"{path.stem}-{row}" for row in range(count)]}
    text_type = pa.string()
    if layout == 0:  # binary text, list outlets, timestamps with a zone
        columns["text"] = pa.array([body.encode() for body in bodies], pa.binary())
        columns["outlet"] = pa.array([[outlet, "AP"] for outlet in outlets], pa.list_(pa.string()))
        columns["published"] = pa.array(
            [dt.datetime(2022, 1, 26, 23, 30, tzinfo=dt.UTC)] * count, pa.timestamp("ms", tz="Asia/Tokyo")
        )
        for row in range(count):
            expected.good(f"{source}:{row + 1}", OUTLET_LIST)
    elif layout == 1:  # dates out of range, natively and beyond Python's reach
        published[0] = dt.date(9999, 12, 31)
        columns["text"] = pa.array(bodies, pa.large_string())
        columns["outlet"] = outlets
        date_array = pa.array(published, pa.date32())
        if count > 2:
            date_array = pa.array([d.toordinal() - 719163 for d in published[:-1]] + [3_000_000], pa.int32())
            date_array = date_array.cast(pa.date32())
        columns["published"] = date_array
        for row in range(count):
            note = DATE_NOTE if row == 0 or (count > 2 and row == count - 1) else None
            expected.good(f"{source}:{row + 1}", note)
    elif layout == 2:  # wrong types in some rows
        values: list[object] = []
        for row, body in enumerate(bodies):
            if row % 2:
                values.append(str(row))
                expected.bad(f"{source}:{row + 1}", TOO_SHORT)
            else:
                values.append(body)
                expected.good(f"{source}:{row + 1}")
        columns["text"] = values
        columns["outlet"] = outlets
        columns["published"] = pa.array(published, pa.date32())
    elif layout == 3:  # a number column as text, nulls
        columns["text"] = pa.array([row * 7 if row % 2 else None for row in range(count)], pa.int64())
        columns["outlet"] = outlets
        for row in range(count):
            expected.bad(f"{source}:{row + 1}", TEXT_TYPE if row % 2 else NO_TEXT_FIELD)
    else:  # nested struct text and a real one under another name
        columns["body"] = pa.array(bodies, text_type)
        columns["text"] = pa.array([{"en": body[:10]} for body in bodies])
        columns["source"] = outlets
        columns["date"] = [f"{d.day:02d}/{d.month:02d}/{d.year}" for d in published]  # type: ignore[union-attr]
        for row in range(count):
            expected.good(f"{source}:{row + 1}", None, DAY_MONTH)
    table = pa.table(columns)
    sink = path
    parquet.write_table(table, sink)
    if rng.random() < 0.2:
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])  # cut short
        for key in [key for key in expected.articles if key.startswith(f"{source}:")]:
            expected.articles.discard(key)
            expected.notes.pop(key, None)
            expected.allowed.pop(key, None)
        for key in [key for key in expected.problems if key.startswith(f"{source}:")]:
            expected.problems.pop(key)
        expected.bad(source, PARQUET)


def _sidecar_folder(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    sub = folder / f"outlet pages {number}"
    sub.mkdir()
    lines = ["file,outlet,title,published,url"]
    for page in range(rng.randint(2, 4)):
        name = f"p{number}-{page}.txt"
        (sub / name).write_text(texts.article(), encoding="utf-8")
        date_value = rng.choice(["2022-01-26", "26/01/2022", "9999-12-31", "01/02/2022"])
        lines.append(f"{name},{rng.choice(OUTLETS)},,{date_value},https://example.com/{page}")
        note = DATE_NOTE if date_value == "9999-12-31" else DAY_MONTH if date_value == "01/02/2022" else None
        expected.good(str(sub / name), note)
    (sub / rng.choice(["sources.csv", "_sources.csv", "metadata.csv"])).write_text("\n".join(lines), encoding="utf-8")
    (sub / "README.md").write_text("Pages saved for the comparison.", encoding="utf-8")


def _broken(folder: Path, rng: random.Random, texts: _Texts, expected: Expected, number: int) -> None:
    choice = number % 10
    suffix = rng.choice([".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".tsv"])
    path = folder / f"broken {number:02d}{suffix}"
    if choice == 0:
        path.write_bytes(rng.choice([b"", b" \n\t\r\n ", "\u3000\n".encode()]))
        expected.bad(str(path), EMPTY)
    elif choice == 1:
        path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)) + b"\x00" * 8)
        expected.bad(str(path), BINARY)
    elif choice == 2:
        path = path.with_suffix(".txt")
        with path.open("wb") as handle:
            handle.truncate(22 * 1024 * 1024)  # sparse: the size alone must refuse it
        expected.bad(str(path), TOO_BIG)
    elif choice == 3:
        path = path.with_suffix(".txt")
        path.write_text(texts.short() + "\n\nShare\nFollow us\n[ad_1]\n", encoding="utf-8")
        expected.bad(str(path), TOO_SHORT)
    elif choice == 4:
        path = path.with_suffix(rng.choice([".pdf", ".docx", ".xml", ""]))
        path.write_bytes(b"%PDF-1.4 not an article")
        expected.bad(str(path), NOT_A_DOCUMENT if path.suffix in (".pdf", ".docx", ".xml") else UNSUPPORTED)
    elif choice == 5:
        path = path.with_suffix(".html")
        path.write_text("<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>", "utf-8")
        expected.bad(str(path), NO_HTML_TEXT)
    elif choice == 6:
        path = path.with_suffix(".txt")
        path.write_text("俄罗斯总统普京周一与法国总统马克龙通电话，讨论乌克兰局势。" * 30, encoding="utf-8")
        expected.bad(str(path), OTHER_SCRIPT)
    elif choice == 7:
        path = path.with_suffix(".txt")  # one endless line of real text: cut, read
        path.write_text((texts.article(8).replace("\n\n", " ") + " ") * 300, encoding="utf-8")
        expected.good(str(path), CUT, UNKNOWN_OUTLET)
        return
    elif choice == 8:
        path = path.with_suffix(".txt")  # truncated mid-character, in UTF-16: still a page
        raw = ("---\noutlet: Reuters\n---\n" + texts.article()).encode("utf-16")
        path.write_bytes(raw[: len(raw) - 3])
        expected.good(str(path))
        return
    else:
        path = path.with_suffix(".csv")
        path.write_text("id;outlet;title\r\n1;BBC;Talks in Paris\r\n", encoding="utf-8")
        expected.bad(str(path), NO_TEXT_COLUMN)


def _special(folder: Path, expected: Expected) -> None:
    """FIFOs, devices, sockets and dangling links, inside the folder and named directly."""
    special = folder / "special"
    special.mkdir()
    if hasattr(os, "mkfifo"):
        for name in ("pipe.txt", "pipe.jsonl"):
            os.mkfifo(special / name)
            expected.bad(str(special / name), SPECIAL)
        os.mkfifo(folder.parent / "named pipe.csv")
        expected.inputs.append(str(folder.parent / "named pipe.csv"))
        expected.bad(str(folder.parent / "named pipe.csv"), SPECIAL)
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", special / "zero.html")
        expected.bad(str(special / "zero.html"), SPECIAL)
        expected.inputs.append("/dev/zero")
        expected.bad("/dev/zero", SPECIAL)
    if hasattr(socket, "AF_UNIX") and len(str(special / "s.json")) < 100:
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(special / "s.json"))
        listener.close()  # the socket file stays
        expected.bad(str(special / "s.json"), SPECIAL)
    os.symlink(folder / "nowhere.txt", special / "dangling.txt")
    expected.bad(str(special / "dangling.txt"), LINK)
    os.symlink(folder / "outlet pages 0", special / "linked folder")
    expected.bad(str(special / "linked folder"), LINK)
    expected.inputs.append(str(folder / "no such input.txt"))
    expected.bad(str(folder / "no such input.txt"), MISSING)


def _duplicates(folder: Path, texts: _Texts, expected: Expected) -> None:
    """Copies of good pages, read after them: skipped as duplicates, naming the first."""
    originals = sorted(path for path in folder.glob("*.txt") if str(path) in expected.articles)[:3]
    for number, original in enumerate(originals):
        copy = folder / f"zz copy {number}.txt"
        copy.write_bytes(original.read_bytes())
        expected.bad(str(copy), DUPLICATE)
        notes = [expected.notes.get(str(original)), *expected.allowed.get(str(original), [])]
        expected.allowed[str(copy)] = [note for note in notes if note]


def check(corpus: object, expected: Expected) -> dict[str, int]:
    """Asserts that reading gave what the corpus was built to give; returns the figures."""
    articles = {article.source for article in corpus.articles}  # type: ignore[attr-defined]
    for article in corpus.articles:  # type: ignore[attr-defined]
        assert article.text.strip() and article.outlet and article.id
        # Writable as it is saved: no lone surrogate or control character survives reading.
        json.dumps(dataclasses.asdict(article), ensure_ascii=False).encode("utf-8")
    problems: dict[str, list[str]] = {}
    for problem in corpus.problems:  # type: ignore[attr-defined]
        assert problem.source and problem.message
        problems.setdefault(problem.source, []).append(problem.message)
    assert articles == expected.articles, (
        f"missing: {sorted(expected.articles - articles)[:5]}; unexpected: {sorted(articles - expected.articles)[:5]}"
    )
    for source, reason in expected.problems.items():
        assert any(re.search(reason, message) for message in problems.get(source, [])), (
            source,
            reason,
            problems.get(source),
        )
    for source, note in expected.notes.items():
        assert any(re.search(note, message) for message in problems.get(source, [])), (
            source,
            note,
            problems.get(source),
        )
    for source, messages in problems.items():
        file_source = re.sub(r":\d+$", "", source)
        allowed = [
            pattern
            for key in (source, file_source)
            for pattern in [expected.problems.get(key), expected.notes.get(key), *expected.allowed.get(key, [])]
            if pattern
        ]
        allowed += [DAY_MONTH]  # one note per file, about its rows' dates
        for message in messages:
            assert any(re.search(pattern, message) for pattern in allowed), (source, message)
    return {
        "files": expected.files,
        "inputs": len(expected.articles) + len(expected.problems),
        "good": len(expected.articles),
        "bad": len(expected.problems),
        "notes": len(expected.notes),
        "problems": len(corpus.problems),  # type: ignore[attr-defined]
    }


def reasons(expected: Expected) -> dict[str, int]:
    """How many inputs must be reported with each reason, and read with each note, by the constant's name."""
    names = {value: name for name, value in globals().items() if name.isupper() and isinstance(value, str)}
    counted = Counter(names.get(reason, "other").lower() for reason in expected.problems.values())
    counted.update(f"{names.get(note, 'other').lower()} (read, with a note)" for note in expected.notes.values())
    return dict(sorted(counted.items()))


def main() -> None:
    import sys
    import tempfile
    import time

    from compare.ingest import load_corpus

    seeds = [int(seed) for seed in sys.argv[1:]] or [11]
    for seed in seeds:
        with tempfile.TemporaryDirectory() as temporary:
            expected = write_corpus(Path(temporary) / "corpus", seed)
            started = time.perf_counter()
            corpus = load_corpus([Path(temporary) / "corpus", *expected.inputs])
            seconds = time.perf_counter() - started
            figures = check(corpus, expected)
        summary = {"seed": seed, **figures, "read_seconds": round(seconds, 1), "families": dict(expected.kinds)}
        print(json.dumps({**summary, "reasons": reasons(expected)}, indent=1))


if __name__ == "__main__":
    main()
