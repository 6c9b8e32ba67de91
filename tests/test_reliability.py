"""Bad input, hostile text and stored data: nothing crashes, every problem is named, nothing stored is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compare.ingest import MAX_PAGE_BYTES, load_bytes, load_corpus, load_registry
from compare.ingest.clean import clean_page
from compare.pipeline import read_saved_analysis
from compare.segment import split_sentences

from .conftest import BASIL, ROOT, SEEDS
from .fuzz_inputs import check, write_corpus

GOOD = sorted(SEEDS.glob("*.txt"))


def _fuzz_corpus(folder: Path, seed: int = 7) -> tuple[set[str], set[str]]:
    """Writes bad inputs, generated from rules and from random damage to real pages, beside good ones.

    Returns:
        (names of the good files, names of the files that must be reported).
    """
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in GOOD]
    good, bad = set(), set()

    def write(name: str, content: bytes | str, expect_problem: bool) -> None:
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        (bad if expect_problem else good).add(name)

    for path in GOOD:  # good pages, under awkward names
        write(f"good {path.stem} ü'\"#.txt", (SEEDS / path.name).read_bytes(), False)
    (folder / "sources.csv").write_text((SEEDS / "sources.csv").read_text(encoding="utf-8").replace(
        "000_f8d353c7e59a115a.txt", "good 000_f8d353c7e59a115a ü'\"#.txt").replace(
        "003_ea7004de55ab861a.txt", "good 003_ea7004de55ab861a ü'\"#.txt").replace(
        "004_ff0877bd891f5005.txt", "good 004_ff0877bd891f5005 ü'\"#.txt"), encoding="utf-8")  # fmt: skip
    write("empty.txt", "", True)
    write("whitespace.md", " \n\t\n   \r\n", True)
    write("binary.txt", bytes(rng.randrange(256) for _ in range(5000)) + b"\x00" * 10, True)
    write("huge.txt", b"word " * (MAX_PAGE_BYTES // 5 + 1000), True)
    write("latin1.txt", ("Outlet: Le Monde\n\n" + texts[3]).encode("latin-1", errors="replace"), False)
    write("cp1252.txt", texts[3].replace("Kiev", "Kyiv").encode("cp1252", errors="replace"), False)
    write("utf16.txt", texts[4].replace("Putin", "Mr Putin").encode("utf-16"), False)
    write("scripts.html", "<html><head><style>body{}</style><script>var x=1;</script></head><body>"
          + "<script>alert(1)</script>" * 200 + "<p>Buy now.</p></body></html>", True)  # fmt: skip
    write("rows.jsonl", '{"id": "j1", "outlet": "BBC", "text": 5}\n{not json\n[1, 2]\n\n{"outlet": null}\n', True)
    write("table.csv", "title,outlet\nNo text here,BBC\n", True)
    write("endless.txt", "and then the troops moved " * 4000, False)
    write("zz-duplicate.txt", texts[0], True)  # same text as a good page read before it
    write("chinese.txt", "俄罗斯总统普京周一与法国总统马克龙通电话，讨论乌克兰局势。" * 40, True)
    write("french.txt", ("Le président de la République a déclaré lundi que la France soutiendrait "
                         "l'Ukraine et que les sanctions contre la Russie seraient renforcées. ") * 10, True)  # fmt: skip
    write("notes.pdf", b"%PDF-1.4 fake", True)
    write("string.json", '"just a string"', True)
    write("empty-cells.csv", "id,outlet,text\na,BBC,\nb,CNN,   \n", True)
    write("all-broken.jsonl", "{\n}\n{{{\n", True)
    write("nobody.html", "<html><head><title>Only a title</title></head></html>", True)
    write("navigation.md", "Home\nWorld\nShare\nFollow us\n[ad_1]\nComments are closed.\n", True)
    write("ad-only.txt", "[ad_1]\n\n[ad_2]\n", True)
    write("nul-inside.txt", texts[1][:500] + "\x00" * 3 + texts[1][500:], True)
    write("wrong-types.json", '[{"text": ["not", "a", "string"], "outlet": {"a": 1}}, 7, null]', True)
    # Random damage to real pages: cuts, byte flips, control characters, lost newlines, markup.
    for number in range(48):
        text = rng.choice(texts)
        damage = number % 6
        if damage == 0:
            content: bytes | str = text[: rng.randrange(0, 120)]
            expect = True
        elif damage == 1:
            raw = bytearray(text.encode("utf-8"))
            for _ in range(rng.randrange(5, 50)):
                raw[rng.randrange(len(raw))] = rng.randrange(1, 256)
            content, expect = bytes(raw), False
        elif damage == 2:
            content, expect = (
                "".join(ch + (chr(rng.randrange(1, 31)) if rng.random() < 0.05 else "") for ch in text),
                False,
            )
        elif damage == 3:
            content, expect = text.replace("\n", " "), False
        elif damage == 4:
            content, expect = "<div>" + text.replace("\n\n", "</p><p onclick='x()'>") + "</div>", False
        else:
            content, expect = "\u200b".join(text[: rng.randrange(0, 80)]), True
        write(f"damaged-{number:02d}.txt", content, expect)
    return good, bad


def test_fuzz_corpus_is_read_without_crashing(tmp_path):
    good, bad = _fuzz_corpus(tmp_path)
    assert len(bad) >= 30 and len(good) + len(bad) >= 60
    corpus = load_corpus([tmp_path])
    reported = {Path(problem.source.split(":")[0]).name for problem in corpus.problems}
    read = {Path(article.source.split(":")[0]).name for article in corpus.articles}
    assert bad <= reported, bad - reported
    assert {name for name in good if name.startswith("good ")} <= read
    for problem in corpus.problems:
        assert problem.message and problem.source
    outlets = {article.outlet for article in corpus.articles}
    assert {"China Daily", "The Guardian", "Stock Groups"} <= outlets


def test_fuzz_corpus_analyses_end_to_end(tmp_path, embedder, monkeypatch):
    from compare.io.store import Store
    from compare.pipeline import analyze

    _fuzz_corpus(tmp_path)
    analysis = analyze([tmp_path], embedder=embedder, store=Store(tmp_path / "store.sqlite3")).to_dict()
    json.dumps(analysis)  # serialisable
    assert analysis["clusters"] and analysis["problems"]
    for statement in analysis["statements"]:
        assert 0 < len(statement["text"]) <= 1000


def test_one_outlet_says_there_is_nothing_to_compare(tmp_path, embedder):
    from compare.pipeline import analyze

    (tmp_path / "a.txt").write_text(GOOD[0].read_text(encoding="utf-8"), encoding="utf-8")
    analysis = analyze([tmp_path], embedder=embedder)
    assert any("nothing to compare" in problem.message for problem in analysis.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_cleans_and_splits_into_valid_spans(text):
    page = clean_page(text, load_registry())
    spans = split_sentences(page.text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(page.text)
        assert page.text[start:end].strip() == page.text[start:end]
        previous_end = end


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_generated_inputs_in_every_format_are_read_or_named_with_their_reason(tmp_path, seed):
    """About 200 files and 380 inputs (files and rows) per seed: pages, HTML, JSON, JSON Lines, CSV/TSV,
    Parquet, folders with sidecars, special files, each good or bad by construction (tests/fuzz_inputs.py)."""
    expected = write_corpus(tmp_path / "corpus", seed)
    corpus = load_corpus([tmp_path / "corpus", *expected.inputs])  # nothing may escape
    figures = check(corpus, expected)  # every good input read, every bad one named with its reason, no other
    assert figures["files"] >= 200 and figures["inputs"] >= 300 and figures["bad"] >= 100


def test_a_sample_of_generated_inputs_analyses_end_to_end(tmp_path, embedder):
    from compare.ingest import Corpus
    from compare.pipeline import analyze

    expected = write_corpus(tmp_path / "corpus", 11)
    corpus = load_corpus([tmp_path / "corpus", *expected.inputs])
    by_family: dict[str, list] = {}
    for article in corpus.articles:
        family = Path(article.source.rsplit(":", 1)[0]).suffix or "folder"
        by_family.setdefault(family, []).append(article)
    sample = [article for articles in by_family.values() for article in [a for a in articles if len(a.text) < 3000][:2]]
    analysis = analyze(Corpus(articles=sample, problems=corpus.problems), embedder=embedder)
    data = analysis.to_dict()
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # writable
    assert {article["id"] for article in data["articles"]} == {article.id for article in sample}
    assert data["statements"] and data["clusters"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(["id", "text", "body", "outlet", "source", "title", "published", "date", "url", "tags"])
ARTICLE = (
    "Representatives of Ukraine and Russia, along with France and Germany, are set to meet in Paris on Wednesday "
    "for the latest diplomatic efforts to de-escalate the crisis in Ukraine, officials said on Tuesday."
)


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.dictionaries(FIELDS, JSON_VALUES | st.just(ARTICLE)), max_size=5), st.sampled_from(["json", "jsonl"])
)
def test_any_json_rows_are_each_read_or_named(rows, suffix):
    if suffix == "json":
        raw = json.dumps(rows).encode()
    else:
        raw = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    corpus = load_bytes(raw, f"rows.{suffix}")
    sources = {article.source for article in corpus.articles} | {problem.source for problem in corpus.problems}
    if not rows:
        assert sources == {f"rows.{suffix}"}
    for number in range(1, len(rows) + 1):
        assert f"rows.{suffix}:{number}" in sources


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=4000),
    st.sampled_from(["a.txt", "b.html", "c.jsonl", "d.json", "e.csv", "f.md", "g.tsv", "h.parquet", "i.ndjson"]),
)
def test_any_bytes_load_without_raising(raw, name):
    corpus = load_bytes(raw, name)
    for article in corpus.articles:
        assert article.text and article.outlet
    for problem in corpus.problems:
        assert problem.source.startswith(name)


def _store_rows(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(connection.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.skipif(not (BASIL / "articles").is_dir(), reason="BASIL not found")
def test_store_survives_sigkill_mid_write_and_the_next_run_completes(tmp_path):
    store = tmp_path / "store.sqlite3"
    articles = sorted((BASIL / "articles").rglob("*.json"))[:120]
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in articles:
        (folder / path.name).write_bytes(path.read_bytes())
    command = [sys.executable, "-m", "compare", "analyze", str(folder), "--out", str(tmp_path / "out"),
               "--store", str(store), "--quiet", "--no-framing"]  # fmt: skip
    env = {**os.environ, "PARALLAX_EMBED_CHUNK": "256"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    kept = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        if store.exists():
            try:
                kept = _store_rows(store)
            except sqlite3.OperationalError:
                continue
            if kept >= 256:
                break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert kept >= 256, "the run ended before it had written embeddings"
    assert _store_rows(store) >= kept  # everything committed before the kill is intact
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    analysis = read_saved_analysis(tmp_path / "out")[0]
    assert _store_rows(store) == len({statement["text"] for statement in analysis["statements"]})


def test_two_processes_analysing_into_one_store_corrupt_nothing(tmp_path):
    store = tmp_path / "store.sqlite3"
    runs = []
    for number, files in enumerate((GOOD[:3], GOOD[2:])):
        folder = tmp_path / f"corpus{number}"
        folder.mkdir()
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes())
        (folder / "sources.csv").write_bytes((SEEDS / "sources.csv").read_bytes())
        runs.append(subprocess.Popen(
            [sys.executable, "-m", "compare", "analyze", str(folder), "--out", str(tmp_path / f"out{number}"),
             "--store", str(store), "--quiet"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        ))  # fmt: skip
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read() if run.stderr else ""
    texts = set()
    for number in range(2):
        analysis = read_saved_analysis(tmp_path / f"out{number}")[0]
        texts |= {statement["text"] for statement in analysis["statements"]}
    assert _store_rows(store) == len(texts)
