"""Round 13: wire copies under a second outlet, invisible characters inside words, pages only in an
``<iframe srcdoc>``, files that cannot be read, and input shapes no round had tried; files written by the test
from the seeds."""

from __future__ import annotations

import json

from compare.ingest import deduplicate_ids, load_corpus
from compare.ingest.clean import normalise_text
from tests.conftest import SEEDS

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
# The body of English News (India)'s seed, without its outlet and title lines.
WIRE = TEXTS[1].split("\n\n", 3)[-1]


def _rows(path, rows) -> None:
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")


def _messages(corpus) -> dict[str, str]:
    return {problem.source.rsplit("/", 1)[-1]: problem.message for problem in corpus.problems}


def test_a_wire_text_run_by_a_second_outlet_is_kept_as_its_copy_and_a_repeat_within_one_outlet_dropped(tmp_path):
    """Before: Yahoo News' verbatim copy of an AP story was "same text as article ap1; skipped as a duplicate",
    so who ran the wire copy unchanged (a finding) was lost, and Yahoo was not among the story's outlets."""
    _rows(
        tmp_path / "wire.jsonl",
        [
            {"id": "ap1", "outlet": "AP", "text": WIRE},
            {"id": "yahoo1", "outlet": "Yahoo News", "text": WIRE},
            {"id": "ap2", "outlet": "AP", "text": WIRE},  # the same outlet's text saved twice
            {"id": "yahoo2", "outlet": "yahoo  news", "text": WIRE},  # the same outlet, spelt another way
            {"id": "nobody", "text": WIRE},  # no outlet given or found: a copy of what is read already
        ],
    )
    corpus = load_corpus([tmp_path / "wire.jsonl"])
    assert [(article.id, article.outlet) for article in corpus.articles] == [
        ("ap1", "Associated Press"),
        ("yahoo1", "Yahoo News"),
    ]
    messages = _messages(corpus)
    assert messages["wire.jsonl:2"].startswith("same text as article ap1 of Associated Press; kept as Yahoo News's")
    assert messages["wire.jsonl:3"] == "same text as article ap1; skipped as a duplicate"
    assert messages["wire.jsonl:4"] == "same text as article ap1; skipped as a duplicate"
    assert messages["wire.jsonl:5"] == "same text as article ap1; skipped as a duplicate"


def test_an_addition_keeps_another_outlets_copy_of_a_stored_text_and_drops_the_same_outlets():
    """The saved run's articles (id, fingerprint, outlet) come first, as ``extend`` and the Ray driver give them."""
    decisions, problems = deduplicate_ids(
        [("b1", "f1", "Yahoo News", "b1.json"), ("a2", "f1", "associated press", "a2.json"), ("a1", "f2", "AP", "x")],
        earlier=[("a1", "f1", "Associated Press")],
    )
    assert decisions == ["b1", None, "a1~2"]
    assert [problem.source for problem in problems] == ["b1.json", "a2.json", "x"]
    assert "kept as Yahoo News's copy" in problems[0].message
    assert problems[1].message == "same text as article a1; skipped as a duplicate"


def test_a_wire_copy_is_analysed_as_a_copy_its_outlet_in_the_story(tmp_path, embedder):
    """End to end: the two outlets' identical texts are one story, and the syndication table pairs them."""
    from compare.io.store import Store
    from compare.pipeline import analyze

    _rows(
        tmp_path / "wire.jsonl",
        [{"id": "ap1", "outlet": "AP", "text": WIRE}, {"id": "yahoo1", "outlet": "Yahoo News", "text": WIRE}],
    )
    analysis = analyze([tmp_path / "wire.jsonl"], embedder=embedder, store=Store(tmp_path / "store.sqlite3"))
    assert [article.id for article in analysis.articles] == ["ap1", "yahoo1"]
    assert len(analysis.stories) == 1
    (pair,) = analysis.framing.syndication
    assert sorted(pair.outlets) == ["Associated Press", "Yahoo News"] and pair.jaccard == 1.0


def test_invisible_characters_inside_words_do_not_split_them_in_text_title_or_outlet(tmp_path):
    """Before: a combining grapheme joiner (U+034F), an emoji presentation selector after a letter (U+FE0F) or a
    Hangul filler (U+3164) inside words were kept: 'Reu\u034fters' was an outlet of its own, no search found
    'Government', and the copy was no duplicate. Soft hyphens, word joiners and zero-width joiners were removed
    already; emoji keep their selectors."""
    import re

    invisible = ["\u00ad", "\u200d", "\u2060", "\u2063", "\u034f", "\ufe0f", "\u3164", "\uffa0", "\u200b"]

    def split(text: str, mark: str) -> str:
        return re.sub(r"(\w{3})(\w{3,})", lambda match: match.group(1) + mark + match.group(2), text)

    rows = [{"id": "clean", "outlet": "Reuters", "title": "Government talks resume", "text": WIRE}]
    rows += [
        {"id": f"r{number}", "outlet": split("Metro Herald", mark), "title": split("Government talks", mark),
         "text": split(WIRE, mark)}
        for number, mark in enumerate(invisible)
    ]  # fmt: skip
    _rows(tmp_path / "rows.jsonl", rows)
    corpus = load_corpus([tmp_path / "rows.jsonl"])
    clean, first, *_ = corpus.articles
    assert (first.text, first.outlet, first.title) == (clean.text, "Metro Herald", "Government talks")
    assert [article.id for article in corpus.articles] == ["clean", "r0"]  # the others are Metro Herald's again
    assert "kept as Metro Herald's copy" in corpus.problems[0].message
    assert [problem.message for problem in corpus.problems[1:]] == [
        "same text as article clean; skipped as a duplicate"
    ] * 8
    assert normalise_text("I \u2764\ufe0f it, 1\ufe0f\u20e3") == "I \u2764\ufe0f it, 1\ufe0f\u20e3"  # emoji keep them


def test_an_article_only_inside_an_iframe_srcdoc_is_read_from_there(tmp_path):
    """Before: "no article text found in the HTML" for a page whose article is written inside an
    ``<iframe srcdoc="…">`` (embeds, newsletter archives). A frame that names a ``src`` is never followed."""
    import html

    inner = (
        "<html><body><article>"
        + "".join(f"<p>{html.escape(part)}</p>" for part in WIRE.split("\n\n"))
        + "</article></body></html>"
    )
    page = (
        "<html><head><title>Putin and Macron talk</title></head><body>"
        f'<iframe src="http://127.0.0.1:9/never"></iframe><iframe srcdoc="{html.escape(inner, quote=True)}"></iframe>'
        "</body></html>"
    )
    (tmp_path / "framed.html").write_text(page, encoding="utf-8")
    corpus = load_corpus([tmp_path / "framed.html"])
    (article,) = corpus.articles
    assert article.text.startswith("Russian President Vladimir Putin spoke to his French counterpart")
    assert article.title == "Putin and Macron talk"
    assert "its text is in an <iframe srcdoc> (a page written inside the page); read from there" in [
        problem.message for problem in corpus.problems
    ]
    (tmp_path / "empty.html").write_text('<html><body><iframe srcdoc="<p>Hi</p>"></iframe></body></html>')
    assert _messages(load_corpus([tmp_path / "empty.html"]))["empty.html"].startswith("only 0 words of article text")


def test_a_file_or_folder_without_read_permission_is_named_and_the_rest_read(tmp_path, monkeypatch):
    """Tests run as root, which reads anything: the refusals are the kernel's, made by replacing ``os.open`` and
    ``os.scandir`` for those paths. Before: a subfolder that may not be listed was passed over without a word
    (its articles lost), and such a folder named directly was "folder holds no .txt, … file"."""
    import os
    import shutil

    corpus_folder = tmp_path / "corpus"
    (corpus_folder / "locked-folder").mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    shutil.copy(seeds[0], corpus_folder / "readable.txt")
    shutil.copy(seeds[1], corpus_folder / "locked.txt")
    shutil.copy(seeds[2], corpus_folder / "locked-folder" / "inside.txt")
    real_open, real_scandir = os.open, os.scandir

    def refuse(real, name):
        def replaced(path, *args, **kwargs):
            if os.path.basename(str(path).rstrip("/")) == name:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        return replaced

    monkeypatch.setattr(os, "open", refuse(real_open, "locked.txt"))
    monkeypatch.setattr(os, "scandir", refuse(real_scandir, "locked-folder"))
    corpus = load_corpus([corpus_folder])
    assert [article.id for article in corpus.articles] == ["readable"]
    assert _messages(corpus) == {
        "locked-folder": "cannot list the folder (Permission denied), so its files were not read (the user running"
        " Parallax needs read and execute permission on it)",
        "locked.txt": "cannot read the file (Permission denied): the user running Parallax needs read permission on it",
    }
    named = load_corpus([corpus_folder / "locked-folder"])
    assert _messages(named)["locked-folder"].startswith("cannot list the folder (Permission denied)")


PARAGRAPHS = [part for part in WIRE.split("\n\n") if len(part.split()) > 15 and "Copyright" not in part]


def _body(number: int) -> str:
    """A text of two of the wire story's paragraphs, different for each number."""
    return f"{PARAGRAPHS[number % len(PARAGRAPHS)]}\n\n{PARAGRAPHS[(number + 1) % len(PARAGRAPHS)]} Item {number}."


def test_a_json_lines_file_mixing_text_field_names_reads_every_usual_one_and_names_the_fields_of_the_others(
    tmp_path,
):
    """Before: 'full_text', 'article_text' and schema.org's 'articleBody' rows were "row has no text field (expected
    one of: text, body, content)", which named three of the seven names read and not the row's own fields."""
    names = ["text", "body", "content", "article", "full_text", "article_text", "articleBody", "summary"]
    _rows(tmp_path / "mixed.jsonl", [{"id": name, "outlet": "Reuters", name: _body(n)} for n, name in enumerate(names)])
    corpus = load_corpus([tmp_path / "mixed.jsonl"])
    assert [article.id for article in corpus.articles] == names[:-1]
    assert _messages(corpus) == {
        "mixed.jsonl:8": "row has no text field (its fields: id, outlet, summary; the text is read from a field named"
        " text, body, content, article, maintext, body-paragraphs, body_paragraphs, full_text, fulltext, article_text,"
        " articlebody, article_body, body_text, story_text, bodytext)"
    }


def test_a_title_that_is_a_number_is_no_error_page(tmp_path):
    """Before: a 140-word article whose title field held the number 123 was "the page is an error or bot-check page
    ('123'), not an article; skipped": any three digits were taken as an HTTP status. Now only 4xx and 5xx are."""
    _rows(
        tmp_path / "rows.jsonl",
        [
            {"id": "n", "outlet": "Reuters", "title": 123, "text": _body(0)},
            {"id": "e", "outlet": "Reuters", "title": "404", "text": _body(2)},
        ],
    )
    corpus = load_corpus([tmp_path / "rows.jsonl"])
    assert [(article.id, article.title) for article in corpus.articles] == [("n", "123")]
    assert "error or bot-check page ('404')" in _messages(corpus)["rows.jsonl:2"]


def test_dates_in_chinese_japanese_korean_russian_european_and_iso_week_forms_are_read_and_relative_ones_named(
    tmp_path,
):
    """Before: each was "date '…' is not a date Parallax can read (write YYYY-MM-DD)" and the article undated;
    a relative date ("3 hours ago") or a day without a year got the same words, which do not say why; '24-03-05'
    was 2005-03-24 without a word (and counted as the file's evidence of day-first dates), '99-12-31' no date."""
    dates = {
        "2024年3月5日": "2024-03-05",
        "２０２４年３月５日 10:00": "2024-03-05",
        "2024년 3월 5일": "2024-03-05",
        "5 марта 2024 г.": "2024-03-05",
        "5 мая 2024": "2024-05-05",
        "2024-W10-2": "2024-03-05",
        "5 de marzo de 2024": "2024-03-05",
        "le 1er mars 2024": "2024-03-01",
        "5. März 2024": "2024-03-05",
        "5 de março de 2024": "2024-03-05",
        "3 hours ago": None,
        "Updated 2 days ago": None,
        "yesterday": None,
        "Mar 5": None,
        "2024-W10": None,
        "24-03-05": "2005-03-24",  # or 2024-03-05: said
        "99-12-31": "1999-12-31",  # was "not a valid calendar date"
    }
    _rows(
        tmp_path / "dates.jsonl",
        [{"id": f"d{n}", "outlet": "Reuters", "published": value, "text": _body(n)} for n, value in enumerate(dates)],
    )
    corpus = load_corpus([tmp_path / "dates.jsonl"])
    assert [article.published for article in corpus.articles] == list(dates.values())
    relative = "is relative to when the page was saved, which the file does not say; article kept without a date"
    assert _messages(corpus) == {
        "dates.jsonl:11": f"date '3 hours ago' {relative}",
        "dates.jsonl:12": f"date 'Updated 2 days ago' {relative}",
        "dates.jsonl:13": f"date 'yesterday' {relative}",
        "dates.jsonl:14": "date 'Mar 5' names a day but no year; article kept without a date",
        "dates.jsonl:15": "date '2024-W10' names a week but no day; article kept without a date",
        "dates.jsonl:16": "date '24-03-05' could be 2005-03-24 or, its two-digit year first, 2024-03-05; read as"
        " 2005-03-24 (write YYYY-MM-DD to be sure)",
    }


def test_an_outlet_named_with_the_or_as_its_web_domain_is_one_outlet(tmp_path):
    """Before: 'Metro Herald', 'The Metro Herald', 'metroherald.com' and 'www.metroherald.com' (an outlet the
    registry does not know) were four outlets, one outlet compared with itself. Registered outlets ('NYT',
    'nytimes.com', 'The New York Times') were one already."""
    outlets = ["Metro Herald", "The Metro Herald", "metroherald.com", "www.metroherald.com", "NYT", "nytimes.com"]
    outlets += ["The New York Times", "Metro Herald Tribune", "metro-herald.com"]
    _rows(tmp_path / "o.jsonl", [{"id": f"o{n}", "outlet": name, "text": _body(n)} for n, name in enumerate(outlets)])
    corpus = load_corpus([tmp_path / "o.jsonl"])
    assert [article.outlet for article in corpus.articles] == ["Metro Herald"] * 4 + ["The New York Times"] * 3 + [
        "Metro Herald Tribune",
        "metro-herald.com",
    ]
    assert _messages(corpus)["o.jsonl:3"] == (
        "outlet 'metroherald.com' taken as 'Metro Herald' (1 article): names that differ only in case, spacing, a"
        " leading 'The' or 'www.' or a web domain's ending ('.com') are one outlet"
    )


def test_excels_unicode_text_saved_as_txt_is_read_as_a_table_and_titles_alone_are_named(tmp_path):
    """Before: Excel's "Unicode Text" (tab-separated UTF-16, saved as .txt) was one article of Unknown outlet
    titled 'outlet title date text' holding every cell; a CSV of titles alone was "CSV has no text column", without
    why titles are not enough; "-" (standard input) was "no such file or folder"."""
    header = "outlet\ttitle\tdate\ttext\r\n"
    lines = [f"Reuters\tTalks\t2024-03-05\t{_body(0)}", f"Daily Planet\tCall\t05.03.2024\t{_body(2)}"]
    table = header + "\r\n".join(line.replace("\n\n", " ") for line in lines) + "\r\n"
    (tmp_path / "export.txt").write_bytes(table.encode("utf-16"))
    (tmp_path / "titles.csv").write_text("outlet,title,date\nReuters,Putin and Macron talk,2024-03-05\n")
    corpus = load_corpus([tmp_path / "export.txt", tmp_path / "titles.csv", "-"])
    assert [(article.outlet, article.title, article.published) for article in corpus.articles] == [
        ("Reuters", "Talks", "2024-03-05"),
        ("Daily Planet", "Call", "2024-03-05"),
    ]
    messages = _messages(corpus)
    assert messages["export.txt"] == (
        "holds a table (its first line names columns separated by tabs: outlet, title, date, text), not an article;"
        " read as a table"
    )
    assert messages["titles.csv"].endswith(
        "(titles alone are not read: Parallax compares what articles say, so each row needs its text)"
    )
    assert messages["-"].startswith("standard input is not read: save the articles to a file")
    (tmp_path / "titles.txt").write_text("outlet\ttitle\tdate\nReuters\tPutin and Macron talk\t2024-03-05\n")
    titles = [problem.message for problem in load_corpus([tmp_path / "titles.txt"]).problems]
    assert titles[0].startswith("holds a table (its first line names columns separated by tabs")  # was "only 0 words"
    assert titles[1].startswith("CSV has no text column (columns read with tabs between them: outlet, title, date)")
    (tmp_path / "notes.txt").write_text("outlet and title and text\n\n" + WIRE)  # prose, no table
    assert len(load_corpus([tmp_path / "notes.txt"]).articles) == 1


def test_reading_many_files_tells_its_progress(tmp_path):
    """Before: reading was silent (a folder of 100,000 files takes a minute or more) until the first stage's bar."""
    for number in range(3):
        (tmp_path / f"a{number}.json").write_text(json.dumps({"outlet": "Reuters", "text": _body(number)}))
    (tmp_path / "empty.txt").write_text("")
    calls: list[tuple[str, int, int]] = []
    corpus = load_corpus([tmp_path], progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert len(corpus.articles) == 3
    assert calls == [("read", done, 4) for done in range(1, 5)]


def test_a_chinese_paragraph_inside_an_english_article_is_named_when_left_out(tmp_path):
    """Before: the paragraph (no spaces, so "one word") was dropped as page furniture without a word; the English
    rest was analysed. A Russian paragraph has words between spaces and stays, as before."""
    chinese = (
        "俄罗斯总统普京周一与法国总统马克龙通电话，双方讨论了乌克兰局势。克里姆林宫表示，两国领导人同意继续保持接触。"
    )
    russian = "Президент России Владимир Путин провел телефонный разговор с президентом Франции Эмманюэлем Макроном."
    _rows(tmp_path / "rows.jsonl", [{"id": "a", "outlet": "Reuters", "text": f"{_body(0)}\n\n{chinese}\n\n{russian}"}])
    corpus = load_corpus([tmp_path / "rows.jsonl"])
    (article,) = corpus.articles
    assert chinese not in article.text and russian in article.text
    assert _messages(corpus)["rows.jsonl:1"] == (
        "a paragraph in CJK (Chinese, Japanese or Korean) left out, such as '俄罗斯总统普京周一与法国总统马克龙通电话，双方讨论了乌克兰局势。克里姆林宫表示…':"
        " Parallax reads English (words between spaces); the rest of the article is analysed"
    )


def test_prose_that_opens_like_a_footer_is_text_and_a_footer_line_mid_article_is_named(tmp_path):
    """Before: a paragraph opening "Copyright infringement …" ended the article there, and everything after it was
    left out as the page's footer without a word (a 5 MB pasted text: 199,000 of its 200,000 characters, after a
    line opening "Most Viewed"); a sentence opening "Most popular in rural areas, …" was dropped as a teaser. A "Related stories" line mid-article still ends it (a scraped widget cannot be told from
    the end of the page), but many sentences after it are now named."""
    paragraphs = PARAGRAPHS[:6]
    prose = [
        paragraphs[0],
        "Copyright infringement claims against the company rose sharply last year, according to court filings.",
        paragraphs[1],
        "Most popular in rural areas, the party has campaigned on farm subsidies and on lower fuel taxes this year.",
        *paragraphs[2:],
    ]
    _rows(tmp_path / "prose.jsonl", [{"id": "p", "outlet": "Reuters", "text": "\n\n".join(prose)}])
    corpus = load_corpus([tmp_path / "prose.jsonl"])
    assert corpus.articles[0].text == "\n\n".join(prose) and not corpus.problems
    widget = [*paragraphs[:2], "Related stories", *PARAGRAPHS[2:12]]
    _rows(tmp_path / "widget.jsonl", [{"id": "w", "outlet": "Reuters", "text": "\n\n".join(widget)}])
    corpus = load_corpus([tmp_path / "widget.jsonl"])
    assert corpus.articles[0].text == "\n\n".join(paragraphs[:2])
    message = _messages(corpus)["widget.jsonl:1"]
    assert message.endswith(
        "words of sentences after the line 'Related stories' were left out, taken as the page's footer (links,"
        " teasers, comments); if they are the article's, remove that line from the page"
    )
