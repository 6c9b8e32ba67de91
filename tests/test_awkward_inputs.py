"""Awkward inputs the fuzz corpus did not hold, each written here from the seeds and read through
``load_corpus``: files in encodings a BOM does not name, binary files under text names, JSON under a
JSON Lines name, rows whose text is null, texts in other scripts."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from compare.ingest import load_bytes, load_corpus
from tests.conftest import SEEDS

SEED = (SEEDS / "002_4892f748bad1f1bd.txt").read_text(encoding="utf-8")  # has curly quotes: not ASCII
OTHER = (SEEDS / "003_ea7004de55ab861a.txt").read_text(encoding="utf-8")
RUSSIAN = (
    "Министр обороны России Сергей Шойгу провёл телефонный разговор со своим французским коллегой "
    "Себастьяном Лекорню. Стороны обсудили ситуацию на Украине и теракт в Подмосковье. "
) * 4
CHINESE = "俄罗斯总统普京周一与法国总统马克龙通电话，讨论乌克兰局势。双方同意继续保持沟通。" * 12


def _read(tmp_path, name: str, content: bytes):
    (tmp_path / name).write_bytes(content)
    corpus = load_corpus([tmp_path / name])
    return corpus.articles, [problem.message for problem in corpus.problems]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path, codec):
    """Before: 'file is binary, not text' (the zero bytes), the article lost."""
    articles, messages = _read(tmp_path, "page.txt", SEED.encode(codec))
    assert len(articles) == 1 and "Moscow denies" in articles[0].title
    assert "Ukraine’s territorial" in articles[0].text
    assert f"read as {codec.upper()} (UTF-16 without a BOM)" in messages


def test_utf8_with_a_few_windows_1252_bytes_keeps_both(tmp_path):
    """Before: the whole file was read as Windows-1252, so every UTF-8 quote became 'â€™'."""
    raw = SEED.encode("utf-8") + "\n\nReporting by Zoë in Zürich for the café desk.\n".encode("cp1252")
    articles, messages = _read(tmp_path, "pasted.txt", raw)
    assert "Ukraine’s territorial" in articles[0].text and "â€" not in articles[0].text
    assert "Zoë in Zürich" in articles[0].text
    assert "3 bytes are not UTF-8; read as Windows-1252 (save the file as UTF-8 to be sure)" in messages


def test_windows_1252_and_latin1_are_read_as_before_without_a_note(tmp_path):
    text = SEED.replace("’", "'").replace("Moscow", "Moscou, où")  # one accented letter among English
    for codec in ("cp1252", "latin-1"):
        articles, messages = _read(tmp_path, f"{codec}.txt", text.encode(codec, errors="replace"))
        assert "Moscou, où" in articles[0].text
        assert not [message for message in messages if "read as" in message or "UTF-8" in message]


@pytest.mark.parametrize(("codec", "name"), [("cp1251", "cp1251"), ("koi8-r", "koi8_r")])
def test_cyrillic_in_a_legacy_encoding_is_guessed_not_garbled(tmp_path, codec, name):
    """Before: read as Windows-1252 ('Ìèíèñòð îáîðîíû'), and analysed as if it were text."""
    articles, messages = _read(tmp_path, "ru.txt", RUSSIAN.encode(codec))
    assert articles[0].text.startswith("Министр обороны России")
    assert f"not UTF-8; read as {name} (a guess from its bytes: save the file as UTF-8 to be sure)" in messages
    assert any("does not look like English" in message for message in messages)


@pytest.mark.parametrize("codec", ["utf-8", "gbk", "utf-16"])
def test_chinese_says_it_is_not_english_rather_than_too_short(tmp_path, codec):
    """Before: 'only 0 words of article text after removing page furniture' for 500 characters of text
    (and, in GBK, after reading them as Windows-1252)."""
    articles, messages = _read(tmp_path, "zh.txt", CHINESE.encode(codec))
    assert not articles
    assert any(
        message.startswith("the text is not in English: its letters are mostly CJK (Chinese, Japanese or Korean)")
        for message in messages
    ), messages


def test_a_utf8_bom_alone_is_an_empty_file(tmp_path):
    """Before: the BOM was read as Windows-1252 and reported as page furniture 'ï»¿'."""
    assert _read(tmp_path, "bom.txt", b"\xef\xbb\xbf")[1] == ["file is empty"]


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", SEED)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.html", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + SEED.encode() + b"\n%%EOF\n", "a PDF"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "a PNG image"),
        ("letter.txt", _zip(), "a ZIP archive (or a .docx"),
    ],
    ids=["pdf", "png", "zip"],
)
def test_a_binary_file_under_a_text_name_says_what_it_is(tmp_path, name, content, kind):
    """Before: 'file is binary, not text' for all of them, and a PDF of plain text was read as an article
    of PDF syntax."""
    articles, messages = _read(tmp_path, name, content)
    assert not articles
    assert len(messages) == 1 and messages[0].startswith("file is binary, not text (") and kind in messages[0]


def test_jsonl_holding_one_json_document_is_read_as_json(tmp_path):
    """Before: a list on one line was 'line 1 is a JSON list, not an object', and an indented list one
    'not valid JSON' problem per line (14 here); every article lost."""
    rows = [{"id": "a", "outlet": "Reuters", "text": SEED}, {"id": "b", "outlet": "The Guardian", "text": OTHER}]
    note = "holds one JSON document, not JSON Lines (one object a line); read as JSON"
    for name, content in [("list.jsonl", json.dumps(rows)), ("indented.jsonl", json.dumps(rows, indent=2))]:
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        articles, messages = _read(folder, name, content.encode())
        assert [article.id for article in articles] == ["a", "b"] and messages == [note]
    one = tmp_path / "one"
    one.mkdir()
    articles, messages = _read(one, "object.jsonl", json.dumps(rows[0], indent=1).encode())
    assert [article.outlet for article in articles] == ["Reuters"] and messages == [note]


def test_a_json_list_under_a_common_api_key_is_read(tmp_path):
    """Before: {"data": [...]} (or "results", "items") was one row without a text field."""
    for key in ("data", "results", "items"):
        folder = tmp_path / key
        folder.mkdir()
        articles, messages = _read(
            folder, "api.json", json.dumps({key: [{"outlet": "Reuters", "text": SEED}]}).encode()
        )
        assert [article.outlet for article in articles] == ["Reuters"] and messages == []


def test_a_row_whose_text_is_null_empty_or_nan_says_so(tmp_path):
    """Before: 'row has no text field (expected one of: text, body, content)' for a row that has one."""
    lines = [
        json.dumps({"outlet": "A", "text": None}),
        json.dumps({"outlet": "B", "body": ""}),
        '{"outlet": "C", "text": NaN}',
        json.dumps({"outlet": "D", "title": "no text at all"}),
        json.dumps({"outlet": "E", "text": SEED}),
    ]
    articles, messages = _read(tmp_path, "rows.jsonl", "\n".join(lines).encode())
    assert [article.outlet for article in articles] == ["E"]
    assert messages == [
        "row has no text: its 'text' field is null",
        "row has no text: its 'body' field is empty",
        "row has no text: its 'text' field is NaN, not text",
        "row has no text field (its fields: outlet, title; the text is read from a field named text, body, content,"
        " article, maintext, body-paragraphs, body_paragraphs, full_text, fulltext, article_text, articlebody,"
        " article_body, body_text, story_text, bodytext)",
    ]


def test_an_upload_reads_like_a_file():
    """The dashboard's upload path (``load_bytes``) gives the same reading and notes."""
    corpus = load_bytes(SEED.encode("utf-16-le"), "upload.txt")
    assert len(corpus.articles) == 1
    assert [problem.message for problem in corpus.problems][:1] == ["read as UTF-16-LE (UTF-16 without a BOM)"]
    assert "PDF" in load_bytes(b"%PDF-1.7\n" + SEED.encode(), "upload.html").problems[0].message
    rows = gzip.compress(json.dumps([{"outlet": "Reuters", "text": SEED}]).encode())
    assert [article.outlet for article in load_bytes(rows, "upload.json.gz").articles] == ["Reuters"]


def test_the_files_of_an_analysis_inside_the_corpus_are_not_inputs(tmp_path):
    """What ``analyze --out`` wrote into the corpus folder (either engine) is left out; a folder of the same
    names that holds no analysis is read."""
    (tmp_path / "page.txt").write_text(SEED, encoding="utf-8")
    out = tmp_path / "out"
    (out / "analysis.files").mkdir(parents=True)
    (out / "analysis.duckdb").write_bytes(b"\0" * 16)
    (out / "analysis.files" / "vectors.0a1b").write_bytes(b"\0" * 16)
    (out / "analysis.json").write_text(json.dumps({"version": 1, "articles": [{"text": OTHER}]}), encoding="utf-8")
    (out / "shards").mkdir()
    (out / "labels.parquet").write_bytes(b"PAR1")
    lookalike = tmp_path / "notes"
    lookalike.mkdir()
    (lookalike / "analysis.json").write_text(json.dumps({"outlet": "Reuters", "text": OTHER}), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    sources = {Path(article.source).relative_to(tmp_path).as_posix() for article in corpus.articles}
    assert sources == {"page.txt", "notes/analysis.json"}
    assert not [problem for problem in corpus.problems if "/out/" in problem.source]


def test_gzip_compressed_files_are_read(tmp_path):
    """Before: 'unsupported file type .gz' for page.txt.gz, and 'file is binary, not text' for gzip content
    under a .txt or .jsonl name."""
    first, second = (path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))[:2])
    rows = "\n".join(
        json.dumps({"id": f"r{n}", "outlet": "Reuters", "text": text}) for n, text in enumerate([first, second])
    )
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(SEED.encode("utf-16")))
    (tmp_path / "rows.jsonl.gz").write_bytes(gzip.compress(rows.encode()))
    middle = OTHER.index("\n\n", len(OTHER) // 2)  # two gzip members, as `cat a.gz b.gz > other.txt` makes
    (tmp_path / "other.txt").write_bytes(
        gzip.compress(b"---\noutlet: The Guardian\n---\n" + OTHER[:middle].encode())
        + gzip.compress(OTHER[middle:].encode())
    )
    corpus = load_corpus([tmp_path])
    assert [article.id for article in corpus.articles] == ["other", "page", "r0", "r1"]
    assert corpus.problems == []
    assert "non-essential staff from their embassies in Kyiv" in corpus.articles[0].text  # the second member
    assert "Ukraine’s territorial" in corpus.articles[1].text


def test_a_damaged_or_huge_gzip_file_is_named(tmp_path):
    """A gzip file that is cut short keeps what arrived; one that is not gzip inside, or that would
    decompress past the size limit (a 'zip bomb': 21 KB here), is refused before it fills memory."""
    whole = gzip.compress((SEED * 3).encode())
    cases = {
        "cut.txt.gz": whole[: len(whole) // 2],
        "damaged.txt.gz": whole[:10] + bytes(200) + whole[210:],
        "bomb.txt.gz": gzip.compress(b" " * (21 * 1024 * 1024)),
    }
    messages = {}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        corpus = load_corpus([tmp_path / name])
        messages[name] = ([article.id for article in corpus.articles], [problem.message for problem in corpus.problems])
    assert messages["cut.txt.gz"][0] == ["cut"]
    assert "gzip file is cut short; what it holds up to there was read" in messages["cut.txt.gz"][1]
    assert messages["damaged.txt.gz"][0] == []
    assert messages["damaged.txt.gz"][1][0].startswith("gzip-compressed, but cannot be decompressed (")
    assert messages["bomb.txt.gz"] == ([], ["decompresses to more than 21 MB; the limit is 21 MB"])


def test_html_with_hundreds_of_tags_left_open_is_read(tmp_path):
    """libxml2 stops at 256 levels of nesting: a page whose <div>s are never closed (300 here) was
    'no article text found in the HTML'. Past 2,048 levels the page is named as too deep."""
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in SEED.split("\n\n"))
    for depth in (300, 5_000):
        folder = tmp_path / str(depth)
        folder.mkdir()
        page = f"<html><head><title>France warns Russia</title></head><body>{'<div>' * depth}{paragraphs}</body></html>"
        articles, messages = _read(folder, "page.html", page.encode())
        if depth == 300:
            assert len(articles) == 1 and "Ukraine’s territorial integrity" in articles[0].text
        else:
            assert not articles
            assert messages == ["HTML nested more than 2,048 levels deep (tags left open?), too deep to read"]


def test_a_field_given_as_a_list_in_some_rows_is_named(tmp_path):
    """Before: ``"event": ["a", "b"]`` was left out of the article's fields without a word, so
    ``evaluate --gold event`` scored fewer articles and only its count showed it."""
    rows = [
        {"outlet": "Reuters", "event": "moscow-talks", "text": SEED},
        {"outlet": "AP", "event": ["moscow-talks", "ukraine"], "text": OTHER},
        {"outlet": "BBC", "event": {"id": 3}, "text": SEED.replace("Moscow", "Kremlin")},
        {"outlet": "CNN", "tags": ["a", "b"], "text": OTHER.replace("the", "a")},  # never one value: a list by design
    ]
    articles, messages = _read(tmp_path, "rows.jsonl", "\n".join(json.dumps(row) for row in rows).encode())
    assert [article.extra.get("event") for article in articles] == ["moscow-talks", None, None, None]
    named = [message for message in messages if "field 'event'" in message]
    assert named == [
        "field 'event' is a list or an object, not a string or number, in 2 rows "
        '(row 2: a list (["moscow-talks", "ukraine"]); row 3: a JSON object (keys: id)); '
        "the file's other rows give it as one value; these rows' articles are kept without 'event'"
    ]
    assert not [message for message in messages if "'tags'" in message]
    corpus = load_corpus([tmp_path / "rows.jsonl"])
    assert {problem.source for problem in corpus.problems if "field 'event'" in problem.message} == {
        str(tmp_path / "rows.jsonl")
    }


def test_a_file_named_only_gz_is_read_by_its_content(tmp_path):
    """Before: 'unsupported file type (none)' for data.gz, whatever it held."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("00*.txt"))]
    rows = "\n".join(json.dumps({"outlet": f"Desk {n}", "text": text}) for n, text in enumerate(texts[:2]))
    contents = {
        "rows.gz": rows.encode(),
        "list.gz": json.dumps([{"outlet": "Desk 2", "text": texts[2]}]).encode(),
        "page.gz": f"<html><body><h1>Talks</h1><p>{texts[3]}</p></body></html>".encode(),
        "note.gz": texts[4].encode("utf-16"),
    }
    for name, content in contents.items():
        (tmp_path / name).write_bytes(gzip.compress(content))
    (tmp_path / "plain.gz").write_bytes(SEED.encode())
    corpus = load_corpus([tmp_path])
    by_file: dict[str, int] = {}
    for article in corpus.articles:
        name = Path(article.source.split(":")[0]).name
        by_file[name] = by_file.get(name, 0) + 1
    assert by_file == {"rows.gz": 2, "list.gz": 1, "page.gz": 1, "note.gz": 1}
    assert {"Desk 0", "Desk 1", "Desk 2"} <= {article.outlet for article in corpus.articles}
    assert next(a for a in corpus.articles if a.source.endswith("note.gz")).text[:200] in texts[4]
    messages = {(Path(problem.source).name, problem.message) for problem in corpus.problems}
    for name, kind in [("rows.gz", "JSON"), ("list.gz", "JSON"), ("page.gz", "HTML"), ("note.gz", "text")]:
        assert (name, f"its name gives no file type before .gz; read as {kind}, by its content") in messages
    assert any(name == "plain.gz" and "named .gz, but not gzip-compressed" in text for name, text in messages)


@pytest.mark.parametrize(
    "date",
    [
        {"$date": "2021-11-12T10:00:00Z"},
        {"$date": {"$numberLong": "1636711200000"}},
        {"$date": 1636711200000},
    ],
)
def test_mongodb_extended_json_dates_are_read(tmp_path, date):
    """Before: "date '{'$date': …}' is a dict, not a date", the article kept undated."""
    row = {"_id": {"$oid": "618e3a2f"}, "outlet": "Reuters", "date": date, "text": SEED}
    articles, messages = _read(tmp_path, "mongo.jsonl", json.dumps(row).encode())
    assert articles[0].published == "2021-11-12"
    assert not [message for message in messages if "date" in message]
