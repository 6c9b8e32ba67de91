"""Tone toward targets against 160 hand-labelled statement-target pairs (BASIL and the seeds).

Usage: python bench/tone_targets.py [--labels bench/labels/tone_targets.csv] [--show]

The pairs are 110 BASIL statements and 50 seed statements that name an actor (a PERSON, ORG, GPE
or NORP entity), drawn with ``random.Random(15)``, one named actor each, and labelled neg/neu/pos
for what the statement says of that actor, without the methods' scores. Compared: the target-aware
tone (``compare.framing.toward.tone_toward``) and plain VADER on the whole sentence, each read as
neg/neu/pos with VADER's own ±0.05 band.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from compare.framing.tone import tone
from compare.framing.toward import polarity, tone_toward

LABELS = ["neg", "neu", "pos"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=Path, default=Path(__file__).parent / "labels" / "tone_targets.csv")
    parser.add_argument("--show", action="store_true", help="print the pairs the target-aware tone gets wrong")
    arguments = parser.parse_args()
    with open(arguments.labels, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    gold, aware, plain, sources = [], [], [], []
    for row in rows:
        start = row["text"].index(row["target"])
        score = tone_toward(row["text"], start, start + len(row["target"]))
        gold.append(row["label"])
        aware.append(polarity(score))
        plain.append(polarity(tone(row["text"])))
        sources.append(row["source"])
        if arguments.show and aware[-1] != gold[-1]:
            print(
                f"{row['item']:>4} gold={gold[-1]} got={aware[-1]} ({score:+.2f}) [{row['target']}] {row['text'][:140]}"
            )
    print(f"{len(rows)} pairs, labels: {dict(Counter(gold))}")
    print(f"{'method':34} {'subset':6} {'accuracy':>8} {'macro-F1':>8}")
    methods = (
        ("neutral for every pair", ["neu"] * len(gold)),
        ("sentence VADER (baseline)", plain),
        ("target-aware tone", aware),
    )
    for name, predicted in methods:
        for subset in ("all", "basil", "seeds"):
            keep = [i for i, source in enumerate(sources) if subset in ("all", source)]
            truth, guess = [gold[i] for i in keep], [predicted[i] for i in keep]
            f1 = f1_score(truth, guess, labels=LABELS, average="macro", zero_division=0)
            print(f"{name:34} {subset:6} {accuracy_score(truth, guess):8.3f} {f1:8.3f}")


if __name__ == "__main__":
    main()
