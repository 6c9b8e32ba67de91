"""Precision of the wording pairs that ``referent_wordings`` surfaces, against a blind hand-labelled sample.

Usage:
    python bench/wording_pairs.py sample --store S.sqlite3 basil=../shared/corpora/basil/articles \\
        seeds=seeds ecb=../shared/corpora/ecbplus-dev/input.jsonl
    python bench/wording_pairs.py score

``sample`` analyses each corpus with the defaults, takes every pair of wordings of each referent
of each story, and writes a random sample (seed 0; up to ``--per-corpus`` pairs found in the data
per corpus, every pair of the listed sets) to ``bench/wording_pairs.csv`` with an empty ``label``
column, and the statements behind each wording to a context file outside the repository (the news
texts are not ours to ship). Nothing of the method's scores is written: label each row ``same``
(both wordings name one actor or concept of that story) or ``different`` by reading the context,
then run ``score``. Labels of pairs already in the file are kept when it is sampled again.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from itertools import combinations
from pathlib import Path

SAMPLE = Path(__file__).with_name("wording_pairs.csv")
FIELDS = ["corpus", "source", "story_id", "referent", "wording_a", "wording_b", "label"]


def _pairs(name: str, path: str, store: str | None) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """Every pair of wordings of each referent of one corpus, and per wording the statements behind it."""
    from compare.embed import get_embedder
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.pipeline import analyze

    analysis = analyze(load_corpus([path]), embedder=get_embedder(), store=Store(Path(store)) if store else None)
    texts = {statement.id: f"[{statement.outlet}] {statement.text}" for statement in analysis.statements}
    wordings: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    context: dict[str, list[str]] = defaultdict(list)
    for row in analysis.framing.referent_wordings:
        wordings[(row.source, row.story_id, row.referent)].add(row.wording)
        context[f"{name}|{row.story_id}|{row.wording}"].extend(texts[sid] for sid in row.statement_ids[:2])
    pairs = [
        {"corpus": name, "source": source, "story_id": story, "referent": referent, "wording_a": a, "wording_b": b}
        for (source, story, referent), group in sorted(wordings.items())
        for a, b in combinations(sorted(group), 2)
    ]
    return pairs, context


def _key(pair: dict[str, str]) -> tuple[str, ...]:
    return pair["corpus"], pair["story_id"], pair["wording_a"], pair["wording_b"]


def _labels() -> dict[tuple[str, ...], str]:
    """The labels of an earlier sample: a pair's label is a fact about its story, whatever method surfaced it."""
    if not SAMPLE.exists():
        return {}
    with SAMPLE.open(encoding="utf-8") as handle:
        return {_key(row): row["label"] for row in csv.DictReader(handle) if row["label"]}


def sample(corpora: list[str], store: str | None, per_corpus: int, context_file: Path) -> None:
    chosen, context = [], {}
    generator = random.Random(0)
    for item in corpora:
        name, _, path = item.partition("=")
        pairs, found_context = _pairs(name, path, store)
        context.update(found_context)
        found = [pair for pair in pairs if pair["source"] == "found"]
        listed = [pair for pair in pairs if pair["source"] == "listed"]
        chosen += generator.sample(found, min(per_corpus, len(found))) + listed
        print(f"{name}: {len(found)} pairs found in the data, {len(listed)} of listed sets")
    generator.shuffle(chosen)  # corpora and sources mixed, so that rows do not give away where they come from
    known = _labels()
    with SAMPLE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        writer.writerows({**pair, "label": known.get(_key(pair), "")} for pair in chosen)
    with context_file.open("w", encoding="utf-8") as handle:
        for number, pair in enumerate(chosen):
            handle.write(
                f"\n#{number} {pair['corpus']} {pair['story_id']}: {pair['wording_a']!r} / {pair['wording_b']!r}\n"
            )
            for side in ("wording_a", "wording_b"):
                for text in context[f"{pair['corpus']}|{pair['story_id']}|{pair[side]}"][:2]:
                    handle.write(f"   {pair[side]!r}: {text[:400]}\n")
    print(f"{len(chosen)} pairs to label in {SAMPLE}; their statements in {context_file}")


def score() -> None:
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["label"] in {"same", "different"}]
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[(row["corpus"], row["source"])].append(row)
    print("| corpus | source | pairs labelled | same referent | precision | referents with a right pair | stories |")
    print("|---|---|---|---|---|---|---|")
    for (corpus, source), labelled in sorted(groups.items()):
        right = [row for row in labelled if row["label"] == "same"]
        referents = {(row["story_id"], row["referent"]) for row in right}
        stories = {row["story_id"] for row in right}
        print(
            f"| {corpus} | {source} | {len(labelled)} | {len(right)} | {len(right) / len(labelled):.2f} "
            f"| {len(referents)} | {len(stories)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("sample")
    make.add_argument("corpora", nargs="+", help="NAME=PATH")
    make.add_argument("--store", default=None)
    make.add_argument("--per-corpus", type=int, default=40)
    make.add_argument("--context", type=Path, default=Path("/tmp/wording_pairs_context.txt"))
    commands.add_parser("score")
    arguments = parser.parse_args()
    if arguments.command == "sample":
        sample(arguments.corpora, arguments.store, arguments.per_corpus, arguments.context)
    else:
        score()


if __name__ == "__main__":
    main()
