"""Incremental re-analysis: a corpus already analysed, one article added.

Usage:
    python bench/incremental.py [--copies 34] [--work DIR] [--store FILE] [--skip-cli]
    python bench/incremental.py --agreement [--store FILE]   # BASIL: added articles vs a full run

The corpus is BASIL (300 articles) repeated ``--copies`` times (34: 10,200 articles, about 250,000
statements). Each copy after the first is its own set of events: its dates move on by three weeks
and, with a fixed random map per copy, 80% of its word types (names and numbers included) are
replaced by other words of BASIL's vocabulary, so copies neither repeat one another's statements
nor share their shingles, while the outlets of one copy still tell the same events alike.

Two measurements, each after the corpus has been analysed once:
1. in process (``pipeline.extend``, the models already loaded, as in a service or the dashboard):
   one Guardian seed article added; the time of each stage and the statements embedded;
2. the CLI (``python -m compare analyze FOLDER --out OUT``, a new process): the seed article
   copied into FOLDER and the command run again; it reads the saved run, analyses the added file
   and updates the store (OUT/analysis.duckdb) with what changed.

``--store`` keeps segmentations and embeddings between runs of this script (the first run of a
10,200-article corpus segments and embeds 250,000 statements: about 25 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent
BASIL = BASIL_ARTICLES
ADDED = ROOT / "seeds" / "003_ea7004de55ab861a.txt"
SECOND = ROOT / "seeds" / "001_e695d325b575ade2.txt"  # then another, added to the extended analysis
_WORD = re.compile(r"[A-Za-z]{4,}|\d+")


class CountingEmbedder:
    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.embedded = inner, inner.name, 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return self.inner.embed(texts)


def write_corpus(folder: Path, copies: int, replaced: float = 0.8) -> int:
    """BASIL repeated ``copies`` times as JSONL files of 1,000 articles (see the module docstring)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from compare.ingest import load_corpus

    base = load_corpus([BASIL]).articles
    vocabulary = sorted(
        {
            word.lower()
            for article in base
            for word in _WORD.findall(article.text)
            if word.isalpha() and word.lower() not in ENGLISH_STOP_WORDS
        }
    )
    rows = []
    for copy in range(copies):
        rng, mapping = random.Random(copy), dict[str, str]()

        def variant(text: str, rng: random.Random = rng, mapping: dict[str, str] = mapping) -> str:
            def substitute(match: re.Match[str]) -> str:
                word = match.group(0)
                if word.isdigit():
                    shuffled = "".join(rng.sample(word, len(word))) if len(word) > 1 else word  # drawn every time
                    return mapping.setdefault(word, shuffled)
                lower = word.lower()
                if lower in ENGLISH_STOP_WORDS:
                    return word
                if lower not in mapping:
                    mapping[lower] = rng.choice(vocabulary) if rng.random() < replaced else lower
                return mapping[lower].capitalize() if word[0].isupper() else mapping[lower]

            return _WORD.sub(substitute, text)

        for article in base:
            published = article.published
            if published and copy:
                published = (date.fromisoformat(published) + timedelta(days=21 * copy)).isoformat()
            text = variant(article.text) if copy else article.text  # the text first: the map grows in this order
            title = variant(article.title) if copy else article.title
            rows.append(
                {
                    "id": f"{article.id}~{copy}",
                    "outlet": article.outlet,
                    "title": title,
                    "published": published,
                    "text": text,
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(0, len(rows), 1000):
        with (folder / f"part-{first // 1000:03d}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows[first : first + 1000]:
                handle.write(json.dumps(row) + "\n")
    return len(rows)


def in_process(corpus_folder: Path, store_path: Path) -> None:
    from compare.embed import get_embedder
    from compare.io.store import Store
    from compare.pipeline import analyze, extend

    store = Store(store_path)
    embedder = CountingEmbedder(get_embedder())
    start = time.perf_counter()
    first = analyze([corpus_folder], embedder=embedder, store=store)
    print(
        f"analysed: {len(first.articles)} articles, {len(first.statements)} statements, "
        f"{time.perf_counter() - start:.1f} s (embedded {embedder.embedded})",
        flush=True,
    )
    embedder.embedded = 0
    # A service keeps its models loaded; a run that found every segmentation in the store has not
    # loaded spaCy yet, so it is loaded here (and timed apart).
    from compare.segment import load_spacy

    start = time.perf_counter()
    load_spacy()
    embedder.embed(["The parser and the model are loaded."])
    embedder.embedded = 0
    print(f"spaCy and model warm-up: {time.perf_counter() - start:.2f} s", flush=True)
    for added in (ADDED, SECOND):
        marks: list[tuple[str, float]] = []
        start = time.perf_counter()
        second = extend(
            first,
            [added],
            embedder=embedder,
            store=None,  # the added article is new: segmented and embedded here, not found in the store
            progress=lambda stage, done, total, marks=marks, start=start: marks.append(
                (stage, time.perf_counter() - start)
            ),
        )
        total = time.perf_counter() - start
        stages: list[list] = []  # type: ignore[type-arg]
        previous = 0.0
        for stage, at in marks:
            if not stages or stages[-1][0] != stage:
                stages.append([stage, 0.0])
            stages[-1][1] += at - previous
            previous = at
        print(
            f"one article ({added.name}) added in process: {len(second.statements) - len(first.statements)} new "
            f"statements, embedded {embedder.embedded}, total {total:.2f} s",
            flush=True,
        )
        print("  stages: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in stages), flush=True)
        embedder.embedded = 0
        first = second


def by_cli(corpus_folder: Path, work: Path, store_path: Path) -> None:
    folder, out = work / "cli-input", work / "cli-out"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus_folder, folder)
    command = [sys.executable, "-m", "compare", "analyze", str(folder), "--out", str(out), "--store", str(store_path)]
    start = time.perf_counter()
    subprocess.run([*command, "--quiet", "--full"], check=True)
    print(f"CLI full run: {time.perf_counter() - start:.1f} s", flush=True)
    shutil.copy(ADDED, folder)
    shutil.copy(ADDED.parent / "sources.csv", folder)  # the seed's outlet
    start = time.perf_counter()
    fresh = work / "fresh-store.sqlite3"  # the added article is new to this one: segmented and embedded
    fresh.unlink(missing_ok=True)
    subprocess.run(["/usr/bin/time", "-f", "peak %M KB", *command[:-1], str(fresh), "--quiet"], check=True)
    print(f"CLI with one file added (new process, models loaded, saved run read and written): "
          f"{time.perf_counter() - start:.2f} s", flush=True)  # fmt: skip


def agreement(store_path: Path, added_counts: tuple[int, ...] = (1, 10, 30)) -> None:
    """BASIL analysed in full, and with its last k articles added to an analysis of the rest: what differs.

    Distinctive terms are compared twice: as ``extend`` scores them at BASIL's size (in full), and
    with the large-corpus shortcut forced (``EXACT_TERMS_LIMIT = 0``).
    """
    from collections import defaultdict

    import compare.framing.terms as distinctive
    from compare.embed import get_embedder
    from compare.ingest import Corpus, load_corpus
    from compare.io.store import Store
    from compare.pipeline import analyze, extend

    # The addition path itself is measured (30 of 300 is past the bound that makes such an addition a full run).
    os.environ["PARALLAX_ADD_IN_PLACE"] = "always"
    store, embedder = Store(store_path), get_embedder()
    corpus = load_corpus([BASIL])
    full = analyze(corpus, embedder=embedder, store=store).to_dict()

    def rows(value):  # type: ignore[no-untyped-def]
        return sorted(json.dumps(row, sort_keys=True) for row in value) if isinstance(value, list) else value

    def terms(analysis):  # type: ignore[no-untyped-def]
        found: dict[tuple[str, str | None], dict[str, float]] = defaultdict(dict)
        for row in analysis["distinctive_terms"]:
            found[(row["outlet"], row["story_id"])][row["term"]] = row["z"]
        return found

    for count in added_counts:
        for limit in (distinctive.EXACT_TERMS_LIMIT, 0):
            distinctive.EXACT_TERMS_LIMIT = limit
            base = analyze(Corpus(articles=corpus.articles[:-count]), embedder=embedder, store=store)
            start = time.perf_counter()
            added = extend(base, Corpus(articles=corpus.articles[-count:]), embedder=embedder, store=store).to_dict()
            seconds = time.perf_counter() - start
            differing = [key for key in full if key != "distinctive_terms" and rows(full[key]) != rows(added[key])]
            want, got = terms(full), terms(added)
            overlap = sum(len(want[scope].keys() & got[scope].keys()) / len(want[scope]) for scope in want) / len(want)
            shifts = [
                abs(z - got[scope][term]) for scope in want for term, z in want[scope].items() if term in got[scope]
            ]
            print(
                f"{count} added (terms in full: {limit > 0}): {seconds:.2f} s; keys differing: {differing or 'none'}; "
                f"distinctive terms: overlap {overlap:.4f}, mean |dz| {sum(shifts) / len(shifts):.4f}, max {max(shifts):.3f}",
                flush=True,
            )
        distinctive.EXACT_TERMS_LIMIT = 20_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreement", action="store_true", help="compare with a full run on BASIL instead")
    parser.add_argument("--copies", type=int, default=34)
    parser.add_argument("--work", default=None, help="folder for the corpus and outputs (default: a temporary one)")
    parser.add_argument("--store", default=None, help="the embedding store to use and keep (default: in --work)")
    parser.add_argument("--skip-cli", action="store_true")
    arguments = parser.parse_args()
    if arguments.agreement:
        agreement(Path(arguments.store or Path(tempfile.mkdtemp()) / "store.sqlite3"))
        return
    work = Path(arguments.work or tempfile.mkdtemp(prefix="parallax-incremental-"))
    corpus_folder = work / "corpus"
    if not corpus_folder.is_dir():
        print(f"wrote {write_corpus(corpus_folder, arguments.copies)} articles to {corpus_folder}", flush=True)
    store_path = Path(arguments.store) if arguments.store else work / "store.sqlite3"
    in_process(corpus_folder, store_path)
    if not arguments.skip_cli:
        by_cli(corpus_folder, work, store_path)


if __name__ == "__main__":
    main()
