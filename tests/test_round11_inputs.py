"""Round 11: input shapes nobody had tried (NUL bytes, giant CSV cells, outlets given as web addresses or
placeholders, texts in the title field, other scripts), written by the test from the seeds."""

from __future__ import annotations

import csv
import io
import json

from compare.ingest import load_bytes, load_corpus
from tests.conftest import SEEDS

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
RUSSIAN = (
    "Министр обороны России Сергей Шойгу провёл телефонный разговор со своим французским коллегой "
    "Себастьяном Лекорню. Стороны обсудили ситуацию на Украине и теракт в Подмосковье. "
) * 4


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _read(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    corpus = load_corpus([path])
    return corpus.articles, [(problem.source.rsplit("/", 1)[-1], problem.message) for problem in corpus.problems]


def _jsonl(rows: list[dict]) -> str:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n"


def test_a_few_nul_bytes_in_a_csv_or_page_lose_nothing(tmp_path):
    """Before: one NUL byte in the first 8 KB made the whole file "binary, not text": every row of a CSV lost."""
    table = _csv([["text", "outlet"], [TEXTS[0][:500] + "\x00" + TEXTS[0][500:], "Daily Planet"], [TEXTS[1], "Metro"]])
    articles, messages = _read(tmp_path, "rows.csv", table)
    assert [article.outlet for article in articles] == ["Daily Planet", "Metro"]
    assert "\x00" not in articles[0].text and "Shoigu told Lecornu" in articles[0].text
    assert messages == [("rows.csv", "removed 1 NUL byte (\\x00): NUL is not text")]
    page = TEXTS[1][:500] + "\x00" * 3 + TEXTS[1][500:]
    corpus = load_bytes(page.encode("utf-8"), "upload.txt")  # the dashboard's upload path reads the same way
    assert len(corpus.articles) == 1
    assert [problem.message for problem in corpus.problems] == ["removed 3 NUL bytes (\\x00): NUL is not text"]


def test_a_file_that_is_mostly_nul_bytes_is_still_binary(tmp_path):
    articles, messages = _read(tmp_path, "zeros.txt", TEXTS[0].encode("utf-8").replace(b" ", b"\x00"))
    assert not articles and messages == [("zeros.txt", "file is binary, not text")]


def test_a_csv_cell_of_50_mb_is_cut_and_the_rows_after_it_are_read(tmp_path):
    """Before: "CSV cannot be parsed at line 1 (field larger than field limit (1600000)); the rows from there
    on were not read": a JSON Lines file of the same rows was read."""
    giant = " ".join([TEXTS[2]] * (2_000_000 // len(TEXTS[2]) + 1))  # 2 MB: over the old limit, quick to write
    table = _csv([["text", "outlet"], [giant, "Daily Planet"], [TEXTS[1], "Metro"], [TEXTS[3], "Herald"]])
    articles, messages = _read(tmp_path, "big.csv", table)
    assert [article.outlet for article in articles] == ["Daily Planet", "Metro", "Herald"]
    assert messages == [("big.csv:2", f"text is {len(giant):,} characters; only the first 200,000 were read")]


def test_a_quote_never_closed_in_a_csv_is_named_by_its_row(tmp_path):
    """A quote opened and never closed swallows the rest of the file into one cell: the rows before it are
    read and the row is named (before: only "field larger than field limit" at the last line)."""
    rest = "\n".join([TEXTS[0]] * 600)  # over 1.6 million characters, with no double quote in it
    content = _csv([["text", "outlet"], [TEXTS[1], "Metro"]]) + '"' + rest + ",Herald\n" + TEXTS[3][:200] + ",Planet\n"
    articles, messages = _read(tmp_path, "open-quote.csv", content)
    assert [article.outlet for article in articles] == ["Metro"]
    assert messages == [
        (
            "open-quote.csv:3",
            "row 3: a quote opened in it is never closed, so the rest of the file was read as one cell; the rows "
            "from there on were not read (a stray '\"' in a cell? double it, or quote the cell)",
        )
    ]


def test_an_outlet_given_as_a_web_address_is_its_site(tmp_path):
    """Before: 'http://www.example.com:8080/news' was an outlet, beside 'example.com' from the next row, and a
    user name and password in the address were shown wherever outlets are."""
    outlets = [
        "http://www.example.com:8080/news",
        "https://user:secret@www.example.com/world/",
        "https://www.reuters.com/world/",
        "93.184.216.34/story",
        "Vox.com",  # a name that is a domain: kept as written
    ]
    rows = [{"id": f"a{number}", "outlet": outlet, "text": TEXTS[number]} for number, outlet in enumerate(outlets)]
    articles, messages = _read(tmp_path, "rows.jsonl", _jsonl(rows))
    assert [article.outlet for article in articles] == [
        "example.com",
        "example.com",
        "Reuters",
        "93.184.216.34",
        "Vox.com",
    ]
    assert ("rows.jsonl:1", "outlet is a web address, not a name; taken as its site, 'example.com'") in messages
    assert not any("secret" in message for _, message in messages)
    assert not any("Vox" in message for _, message in messages)


def test_a_placeholder_outlet_is_no_outlet(tmp_path):
    """Before: 'N/A', 'null', '-' and 'None' were outlets, compared with the real ones as if they told the story."""
    prefix = "Talks between the two governments resumed on Thursday after a pause of weeks, officials said.\n\n"
    rows = [
        {"id": "a0", "outlet": "N/A", "text": TEXTS[0]},  # its page names China Daily
        {"id": "a3", "outlet": "null", "text": TEXTS[3]},  # its page names no outlet
        {"id": "a4", "outlet": "-", "url": "https://www.theguardian.com/x", "text": prefix + TEXTS[3]},
    ]
    articles, messages = _read(tmp_path, "rows.jsonl", _jsonl(rows))
    assert [article.outlet for article in articles] == ["China Daily", "Unknown", "The Guardian"]
    assert messages == [
        (
            "rows.jsonl:2",
            "outlet 'null' names no outlet, and none was found in the text; set it with an 'outlet' field, front "
            "matter or a sources.csv sidecar",
        )
    ]


def test_a_url_naming_no_host_gives_no_outlet(tmp_path):
    """Before: a 'url' of 'notaurl' became the outlet 'notaurl'."""
    articles, messages = _read(tmp_path, "rows.jsonl", _jsonl([{"id": "a", "url": "notaurl", "text": TEXTS[3]}]))
    assert articles[0].outlet == "Unknown"
    assert any(message.startswith("outlet not found in the text") for _, message in messages)


def test_a_text_in_the_title_field_is_cut_and_a_swap_is_named(tmp_path):
    """Before: a 4,000-character title was kept whole (every list and report showed it), and a row whose title
    and text fields were swapped was only "only 0 words of article text"."""
    rows = [
        {"id": "long", "outlet": "Metro", "title": TEXTS[1], "text": TEXTS[0]},
        {"id": "swapped", "outlet": "Herald", "title": TEXTS[2], "text": "Putin and Macron talk"},
    ]
    articles, messages = _read(tmp_path, "rows.jsonl", _jsonl(rows))
    assert [article.id for article in articles] == ["long"]
    assert len(articles[0].title) <= 301 and articles[0].title.endswith("…")
    assert articles[0].title.startswith("China Daily") or articles[0].title[:20] in " ".join(TEXTS[1].split())
    title_note, swap_note = (message for _, message in messages)
    assert title_note.startswith(f"title is {len(' '.join(TEXTS[1].split())):,} characters; cut to its first ")
    assert swap_note.endswith(
        f"(its title holds {len(TEXTS[2].split()):,} words: are the title and text fields swapped?)"
    )


def test_the_not_english_note_names_the_script(tmp_path):
    articles, messages = _read(tmp_path, "ru.txt", RUSSIAN)
    assert len(articles) == 1
    (message,) = (message for _, message in messages if "English" in message)
    assert message.startswith("the text does not look like English (its letters are mostly Cyrillic: ")


def test_an_input_named_twice_is_read_once_with_one_note(tmp_path):
    """Before: a folder given twice, or a file of it given beside it, gave a "same text as article …; skipped as a
    duplicate" warning for every one of its articles."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for number, text in enumerate(TEXTS[:3]):
        (folder / f"page{number}.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus([folder, folder, folder / "page0.txt"])
    assert len(corpus.articles) == 3
    assert [(problem.source, problem.message) for problem in corpus.problems] == [
        (str(folder), "named twice among the inputs (itself, or in a folder named before); read once"),
        (str(folder / "page0.txt"), "named twice among the inputs (itself, or in a folder named before); read once"),
    ]
    corpus = load_corpus([folder / "page1.txt", folder])
    assert len(corpus.articles) == 3
    assert [problem.message for problem in corpus.problems] == [
        "1 of its 3 files was named before among the inputs; read once"
    ]
