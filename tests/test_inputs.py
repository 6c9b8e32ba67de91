"""Awkward inputs are read or named with the right reason, never lost silently and never fatal to the run."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
from pathlib import Path

import pytest

from compare.ingest import load_bytes, load_corpus, load_registry
from compare.ingest.clean import clean_page

from .conftest import SEEDS

# Real sentences (seed 003, The Guardian, January 2022).
BODY = (
    "Representatives of Ukraine and Russia, along with France and Germany, are set to meet in Paris on Wednesday "
    "for the latest diplomatic efforts to de-escalate the crisis in Ukraine. The Kremlin's top Ukraine official, "
    "Dmitry Kozak, will hold talks with Andriy Yermak, the chief of staff of Ukrainian President Volodymyr "
    "Zelenskyy, along with French and German officials."
)
OTHER_BODY = (
    "Before the meeting, Russia's Foreign Minister Sergei Lavrov said Moscow was ready to take unspecified "
    "reasonable measures if its security demands were not met. The United States is expected to provide a "
    "written response later this week."
)


def _messages(corpus, name: str) -> list[str]:
    return [problem.message for problem in corpus.problems if Path(re.sub(r":\d+$", "", problem.source)).name == name]


# One-line articles and bylines (compare/ingest/clean.py)


@pytest.mark.parametrize(
    ("line", "outlet", "byline"),
    [
        (f"By Jane Doe | Reuters | 2022-01-26 | {BODY}", "Reuters", "Jane Doe"),
        (f"PARIS | January 26, 2022 | {BODY}", None, None),
        (f"By Jane Doe • The Guardian • Wed 26 Jan 2022 08.12 GMT • {BODY}", "The Guardian", "Jane Doe"),
    ],
)
def test_a_one_line_article_after_a_byline_header_is_read(line, outlet, byline):
    corpus = load_bytes(line.encode(), "talks.txt")
    assert [article.text for article in corpus.articles] == [BODY]
    article = corpus.articles[0]
    assert article.published == "2022-01-26" and article.byline == byline
    assert outlet is None or article.outlet == outlet
    assert not any("English" in problem.message or "words" in problem.message for problem in corpus.problems)


def test_paragraphs_opening_with_by_are_text_not_bylines():
    page = clean_page(
        f"By The Associated Press\n\n{BODY}\n\nBy noon, the Kremlin had answered: talks would resume in Berlin "
        "within two weeks, the Russian foreign ministry said.\n\nBy contrast, Kyiv said the meeting in Paris was "
        "only a first step and more work was needed.",
        load_registry(),
    )
    assert page.byline == "The Associated Press"
    assert "By noon, the Kremlin had answered" in page.text and "By contrast, Kyiv said" in page.text


def test_a_one_line_article_mentioning_a_photo_or_copyright_is_kept():
    line = (
        f"{BODY} (Photo: Reuters) {OTHER_BODY} The talks, in the Normandy format, are covered by copyright 2022 rules."
    )
    corpus = load_bytes(line.encode(), "one-line.txt")
    assert len(corpus.articles) == 1 and "Kozak" in corpus.articles[0].text


# JSON Lines


def test_jsonl_rows_holding_raw_line_separators_are_read_with_the_right_line_numbers(tmp_path):
    rows = [
        {"id": "a", "outlet": "Reuters", "text": BODY.replace(" in Paris", "\u2028in Paris")},
        {"id": "b", "outlet": "TASS", "text": OTHER_BODY.replace("Before", "\u0085Before") + " \u000b\u001c\u2029"},
    ]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    (tmp_path / "rows.jsonl").write_text(f"{lines[0]}\r\n{lines[1]}\r\n{{broken\r\n", encoding="utf-8")
    corpus = load_corpus([tmp_path / "rows.jsonl"])
    assert [article.id for article in corpus.articles] == ["a", "b"]
    assert "in Paris" in corpus.articles[0].text
    assert [problem.source.rsplit(":", 1)[-1] for problem in corpus.problems] == ["3"]
    assert "line 3" in corpus.problems[0].message and "not valid JSON" in corpus.problems[0].message


# Dates


def _dated(published: object, name: str = "dated.json") -> tuple[str | None, list[str]]:
    corpus = load_bytes(json.dumps({"outlet": "Reuters", "text": BODY, "published": published}).encode(), name)
    assert len(corpus.articles) == 1, corpus.problems
    return corpus.articles[0].published, [problem.message for problem in corpus.problems]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1500-03-05", "2024-02-30", "yesterday"])
def test_an_unusable_date_is_a_warning_naming_it_and_the_article_is_kept(value):
    published, messages = _dated(value)
    assert published is None
    assert any(f"date '{value}'" in message and "kept without a date" in message for message in messages), messages


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/12/2024", "2024-12-31"),
        ("12/31/2024", "2024-12-31"),
        ("31.12.2024", "2024-12-31"),
        ("2022-01-26T08:12:00+01:00", "2022-01-26"),
        ("2022-01-26T08:12:00Z", "2022-01-26"),
        ("2022-01-26T23:30:00-05:00", "2022-01-26"),  # the date as written, in its own time zone
        ("Wed, 26 Jan 2022 08:12:00 +0000", "2022-01-26"),
        ("20220126", "2022-01-26"),
        (1643184720, "2022-01-26"),
    ],
)
def test_legitimate_date_forms_are_read_without_a_warning(value, expected):
    assert _dated(value) == (expected, [])


def test_an_impossible_utc_offset_keeps_the_date_with_a_warning():
    published, messages = _dated("2022-01-26T08:12:00+25:00")
    assert published == "2022-01-26"
    assert any("'2022-01-26T08:12:00+25:00'" in message and "+25:00" in message for message in messages)


def test_an_ambiguous_date_is_read_day_first_with_a_warning():
    published, messages = _dated("03/05/2024")
    assert published == "2024-05-03"
    assert any("'03/05/2024'" in message and "day-first" in message for message in messages)


def test_ambiguous_dates_follow_the_files_unambiguous_ones(tmp_path):
    rows = [
        {"id": "us1", "outlet": "Reuters", "text": BODY, "published": "12/31/2024"},
        {"id": "us2", "outlet": "TASS", "text": OTHER_BODY, "published": "03/05/2024"},
    ]
    (tmp_path / "us.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    corpus = load_corpus([tmp_path / "us.jsonl"])
    assert {article.id: article.published for article in corpus.articles} == {"us1": "2024-12-31", "us2": "2024-03-05"}
    assert any("month-first" in message and "'03/05/2024'" in message for message in _messages(corpus, "us.jsonl"))


def test_parquet_date_columns_are_read_natively_and_unusable_ones_named(tmp_path):
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    new_york = dt.timezone(dt.timedelta(hours=-5))
    table = pa.table(
        {
            "id": ["d1", "d2", "d3"],
            "outlet": ["Reuters", "TASS", "BBC"],
            "text": [BODY, OTHER_BODY, BODY.replace("Wednesday", "Thursday")],
            "published": pa.array([dt.date(2022, 1, 26), dt.date(9999, 12, 31), None], pa.date32()),
            "updated": pa.array(
                [dt.datetime(2022, 1, 26, 23, 30, tzinfo=new_york)] * 3, pa.timestamp("s", tz="-05:00")
            ),
        }
    )
    parquet.write_table(table, tmp_path / "dates.parquet")
    far = pa.table(
        {
            "text": [BODY.replace("Paris", "Berlin")],
            "outlet": ["Reuters"],
            "date": pa.array([3_000_000], pa.int32()).cast(pa.date32()),
        }
    )
    parquet.write_table(far, tmp_path / "far.parquet")
    corpus = load_corpus([tmp_path / "dates.parquet", tmp_path / "far.parquet"])
    published = {article.id: article.published for article in corpus.articles}
    assert published == {"d1": "2022-01-26", "d2": None, "d3": None, "far-1": None}
    assert corpus.articles[0].extra["updated"] == "2022-01-26T23:30:00-05:00"
    assert any(
        "'9999-12-31'" in message and "out of range" in message for message in _messages(corpus, "dates.parquet")
    )
    assert any("out of range" in message for message in _messages(corpus, "far.parquet"))


# Types in table rows


def test_parquet_binary_text_list_outlet_and_number_text(tmp_path):
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    parquet.write_table(
        pa.table({"id": ["b1"], "outlet": [["Reuters", "AP"]], "text": pa.array([BODY.encode()], pa.binary())}),
        tmp_path / "binary.parquet",
    )
    parquet.write_table(pa.table({"id": ["n1"], "outlet": ["BBC"], "text": [42]}), tmp_path / "number.parquet")
    corpus = load_corpus([tmp_path])
    assert [(article.id, article.outlet, article.text) for article in corpus.articles] == [("b1", "Reuters", BODY)]
    assert any(
        "outlet is a list" in message and "'Reuters'" in message for message in _messages(corpus, "binary.parquet")
    )
    assert _messages(corpus, "number.parquet") == ["text is a number (42), not article text"]


def test_json_text_of_the_wrong_kind_is_named(tmp_path):
    rows = [
        {"id": "o", "outlet": "BBC", "text": {"en": BODY}},
        {"id": "t", "outlet": "BBC", "text": True},
        {"id": "l", "outlet": "BBC", "text": [[{"sentence": BODY}]]},
        {"id": "s", "outlet": {"id": None, "name": "Reuters"}, "text": [[BODY], [OTHER_BODY]]},
    ]
    (tmp_path / "kinds.json").write_text(json.dumps(rows), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [(article.id, article.outlet) for article in corpus.articles] == [("s", "Reuters")]
    messages = _messages(corpus, "kinds.json")
    assert "text is a JSON object (keys: en), not article text" in messages
    assert "text is a boolean (true), not article text" in messages
    assert any("text is a list holding a JSON object" in message for message in messages)


# Deep nesting and the guard around each input


def test_deeply_nested_json_is_a_problem_and_the_other_inputs_still_load(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 200_000, encoding="utf-8")
    row = json.dumps({"id": "ok", "outlet": "Reuters", "text": OTHER_BODY})
    (tmp_path / "deep.jsonl").write_text(row + "\n" + '{"text": ' + "[" * 200_000 + "\n", encoding="utf-8")
    (tmp_path / "digits.json").write_text('{"text": ' + "7" * 5000 + "}", encoding="utf-8")
    (tmp_path / "good.txt").write_text(f"Outlet: The Guardian\n\n{BODY}", encoding="utf-8")
    corpus = load_corpus(
        [tmp_path / "deep.json", tmp_path / "deep.jsonl", tmp_path / "digits.json", tmp_path / "good.txt"]
    )
    assert sorted(article.id for article in corpus.articles) == ["good", "ok"]
    assert _messages(corpus, "deep.json") == ["JSON nested too deeply to read"]
    assert _messages(corpus, "deep.jsonl") == ["line 2: JSON nested too deeply to read"]
    assert any("not valid JSON" in message for message in _messages(corpus, "digits.json"))


def test_an_unexpected_error_in_one_input_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    import compare.ingest.pages

    def broken(html: str) -> None:
        raise KeyError("sitename")

    monkeypatch.setattr(compare.ingest.pages, "_extract_html", broken)
    (tmp_path / "page.html").write_text(f"<html><body><p>{BODY}</p></body></html>", encoding="utf-8")
    (tmp_path / "good.txt").write_text(f"Outlet: The Guardian\n\n{OTHER_BODY}", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [article.id for article in corpus.articles] == ["good"]
    [message] = _messages(corpus, "page.html")
    assert "unexpected KeyError" in message
    uploaded = load_bytes(b"<html><body><p>x</p></body></html>", "upload.html")
    assert "unexpected KeyError" in uploaded.problems[0].message


# Special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_devices_and_sockets_are_named_and_never_block(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "socket.jsonl"))
    (folder / "good.txt").write_bytes((SEEDS / "003_ea7004de55ab861a.txt").read_bytes())
    os.mkfifo(tmp_path / "named.jsonl")
    try:
        corpus = load_corpus([folder, tmp_path / "named.jsonl", "/dev/zero"])
    finally:
        listener.close()
    assert [article.id for article in corpus.articles] == ["good"]
    messages = {problem.source: problem.message for problem in corpus.problems}
    assert messages[str(folder / "pipe.txt")] == "not a regular file (a FIFO); skipped"
    assert messages[str(folder / "zero.txt")] == "not a regular file (a character device); skipped"
    assert messages[str(folder / "socket.jsonl")] == "not a regular file (a socket); skipped"
    assert messages[str(tmp_path / "named.jsonl")] == "not a regular file (a FIFO); skipped"
    assert messages["/dev/zero"] == "not a regular file (a character device); skipped"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_special_files_behind_file_uris_are_named_too(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_bytes((SEEDS / "003_ea7004de55ab861a.txt").read_bytes())
    corpus = load_corpus([f"file://{tmp_path}", f"file://{tmp_path}/pipe.txt"])
    assert [article.id for article in corpus.articles] == ["good"]
    assert _messages(corpus, "pipe.txt") == ["not a regular file (a FIFO); skipped"] * 2


def test_links_to_nothing_and_to_folders_inside_a_folder_are_named(tmp_path):
    folder = tmp_path / "corpus"
    (tmp_path / "elsewhere").mkdir()
    folder.mkdir()
    os.symlink(tmp_path / "missing.txt", folder / "gone.txt")
    os.symlink(tmp_path / "elsewhere", folder / "linked")
    (folder / "good.txt").write_bytes((SEEDS / "003_ea7004de55ab861a.txt").read_bytes())
    corpus = load_corpus([folder])
    assert [article.id for article in corpus.articles] == ["good"]
    assert "does not exist" in _messages(corpus, "gone.txt")[0]
    assert "not followed" in _messages(corpus, "linked")[0]


# CSV


def test_a_semicolon_separated_csv_is_read_with_a_note(tmp_path):
    (tmp_path / "euro.csv").write_text(f'id;outlet;text\r\ne1;Le Monde;"{BODY}"\r\ne2;TASS;"{OTHER_BODY}"\r\n', "utf-8")
    corpus = load_corpus([tmp_path])
    assert [(article.id, article.outlet) for article in corpus.articles] == [("e1", "Le Monde"), ("e2", "TASS")]
    assert _messages(corpus, "euro.csv") == ["columns are separated by semicolons, not commas; read that way"]


def test_a_csv_without_a_text_column_names_its_separators(tmp_path):
    (tmp_path / "headline.csv").write_text(f"id;outlet;headline\ne1;Le Monde;{BODY[:40]}\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    [message] = _messages(corpus, "headline.csv")
    assert "no text column" in message and "commas" in message and "semicolons" in message
