from __future__ import annotations

import json

from compare.ingest import decode_bytes, load_bytes, load_corpus, load_registry

from .conftest import SEEDS


def test_seed_outlets_titles_and_dates():
    corpus = load_corpus([SEEDS])
    by_id = {article.id: article for article in corpus.articles}
    assert not corpus.problems
    assert by_id["000_f8d353c7e59a115a"].outlet == "China Daily"
    assert by_id["001_e695d325b575ade2"].outlet == "China Daily"  # found from the chinadaily.com.cn byline
    assert by_id["001_e695d325b575ade2"].extra["outlet_from"] == "registry"
    assert by_id["002_4892f748bad1f1bd"].outlet == "Stock Groups"
    assert by_id["003_ea7004de55ab861a"].outlet == "The Guardian"
    assert by_id["001_e695d325b575ade2"].title == "Putin, Macron discuss Ukraine conflict in phone call"
    assert by_id["001_e695d325b575ade2"].published == "2021-11-16"
    assert by_id["001_e695d325b575ade2"].byline == "REN QI in Moscow"
    assert (
        by_id["003_ea7004de55ab861a"].title == "Ukraine, Russia hold talks in Paris to ease tensions"
    )  # "| Ukraine" dropped


def test_page_furniture_is_removed_from_seed_text():
    corpus = load_corpus([SEEDS])
    text = "\n".join(article.text for article in corpus.articles)
    for furniture in [
        "[ad_",
        "Share - WeChat",
        "Home / World",
        "Most Viewed",
        "BACK TO THE TOP",
        "All rights reserved",
        "Registration Number",
        "Getty Images",
        "teleconferenced",  # the photo caption above the credit line
        "Image courtesy",
        "Also Read",
        "Comments are closed",
        "A place of ghosts",  # the video teaser
        "Newspapers in English",
        "youtube",
        "MOSCOW/PARIS",
    ]:
        assert furniture not in text, furniture
    assert "Stoltenberg" in text and "Grushko" in text  # the body stays


def test_registry_maps_domains_and_aliases_to_one_outlet():
    registry = load_registry()
    assert registry.by_domain("https://www.chinadaily.com.cn/a/202111/16/WS.html").name == "China Daily"
    assert registry.canonical("chinadaily.com.cn") == "China Daily"
    assert registry.canonical("China Daily") == "China Daily"
    assert registry.describe("China Daily").type == "state-owned"
    assert registry.describe("The Guardian").country == "United Kingdom"


def test_jsonl_csv_and_html_inputs(tmp_path):
    body = "Russia moved troops to the border on Monday, officials said. " * 5
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text(
        json.dumps({"id": "a1", "outlet": "reuters.com", "title": "T", "text": body, "published": "2022-01-02"})
        + "\n{broken json\n"
        + json.dumps({"id": "a2", "outlet": "BBC", "text": 42})
        + "\n",
        encoding="utf-8",
    )
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text('id,outlet,text\nc1,Al Jazeera,"' + body.replace("Monday", "Tuesday") + '"\n', encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><title>Troops | BBC News</title><meta property='og:site_name' content='BBC News'></head>"
        "<body><nav>Home World</nav><article><h1>Troops</h1><p>"
        + body.replace("Monday", "Friday")
        + "</p></article><script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    corpus = load_corpus([tmp_path])
    by_id = {article.id: article for article in corpus.articles}
    assert by_id["a1"].outlet == "Reuters" and by_id["a1"].published == "2022-01-02"
    assert by_id["c1"].outlet == "Al Jazeera"
    assert by_id["page"].outlet == "BBC News" and "alert" not in by_id["page"].text
    messages = {problem.source: problem.message for problem in corpus.problems}
    assert any("not valid JSON" in message for message in messages.values())
    assert "a2" not in by_id  # text was a number: too short to be an article
    assert any(source.endswith("rows.jsonl:3") for source in messages)


def test_bad_files_get_problems_naming_them(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    corpus = load_corpus([tmp_path, tmp_path / "missing.txt"])
    problems = {problem.source.rsplit("/", 1)[-1]: problem.message for problem in corpus.problems}
    assert problems["empty.txt"] == "file is empty"
    assert "binary" in problems["binary.txt"]
    assert "no text column" in problems["table.csv"]
    assert "no such file" in problems["missing.txt"]


def test_encodings_are_decoded():
    text = "Le président a dit « non » à Kyiv."
    assert decode_bytes(text.encode("utf-16")) == text
    assert decode_bytes(text.encode("cp1252")) == text
    assert decode_bytes(("\ufeff" + text).encode("utf-8")) == text


def test_front_matter_sets_outlet_and_duplicates_are_skipped():
    page = (
        "---\noutlet: Reuters\npublished: 2022-02-21\n---\n"
        + "Macron called Putin again on Monday, the Kremlin said. " * 5
    )
    first = load_bytes(page.encode(), "a.md")
    assert first.articles[0].outlet == "Reuters" and first.articles[0].published == "2022-02-21"
    corpus = load_corpus([])
    assert corpus.articles == []


def test_duplicate_articles_are_skipped_with_a_problem(tmp_path):
    text = "Macron called Putin again on Monday, the Kremlin said in a statement about the talks. " * 3
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [article.id for article in corpus.articles] == ["a"]
    assert any(p.source.endswith("b.txt") and "duplicate" in p.message for p in corpus.problems)


def test_parquet_shards_are_read_like_jsonl_and_a_damaged_one_is_reported(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as parquet

    body = " ".join(["Officials said the talks in Minsk would resume on Monday after a pause."] * 5)
    parquet.write_table(
        pa.Table.from_pylist(
            [
                {"id": "p1", "outlet": "Reuters", "title": "Talks resume", "text": body, "published": "2022-02-14"},
                {"id": "p2", "outlet": "TASS", "title": "", "text": "", "published": None},
            ]
        ),
        tmp_path / "part-0.parquet",
    )
    (tmp_path / "part-1.parquet").write_bytes(b"PAR1 not really parquet")
    corpus = load_corpus([tmp_path])
    assert [(article.id, article.outlet, article.published) for article in corpus.articles] == [
        ("p1", "Reuters", "2022-02-14")
    ]
    messages = {problem.source: problem.message for problem in corpus.problems}
    assert messages[f"{tmp_path / 'part-0.parquet'}:2"] == "row has no text: its 'text' field is empty"
    assert "not a readable Parquet file" in messages[str(tmp_path / "part-1.parquet")]


def test_object_store_style_uris_are_listed_and_read_like_paths(tmp_path):
    """s3://, gs://, hdfs:// ... go through pyarrow's filesystems; file:// takes the same path here."""
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "notes.docx").write_bytes(b"PK")
    by_uri = load_corpus([f"file://{tmp_path}", f"file://{tmp_path}/missing.jsonl", "ftp://example.com/a.txt"])
    by_path = load_corpus([tmp_path])
    assert [article.id for article in by_uri.articles] == [article.id for article in by_path.articles]
    assert [article.text for article in by_uri.articles] == [article.text for article in by_path.articles]
    assert by_uri.articles[0].source.startswith("file://")
    messages = {problem.source: problem.message for problem in by_uri.problems}
    assert messages[f"file://{tmp_path}/notes.docx"].startswith("a damaged Word document (.docx)")
    assert messages[f"file://{tmp_path}/missing.jsonl"] == "no such file or folder"
    assert "unsupported address scheme ftp://" in messages["ftp://example.com/a.txt"]
