"""Speaker attribution against 100 hand-labelled BASIL quotes (right, wrong, missing).

Usage: python bench/speaker_attribution.py ../shared/corpora/basil/articles [--labels bench/labels/basil_quote_speakers.csv]

The sample is drawn from every BASIL body sentence with a quoted run of four or more words, drawn with
``random.Random(15).sample(..., 100)``; each was labelled by reading it with the three sentences
before it, without the method's output. ``speaker`` is who says the quoted words ("" when the
sentence is the outlet's narration with a phrase in quote marks), ``also_accepted`` other names for
the same speaker. Each labelled sentence is looked up in the statement that contains it, so the
score does not depend on how the sentences were cut.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

from compare.ingest.load import load_corpus
from compare.segment import segment_articles

_QUOTED = re.compile(r"[“\"«„]([^”\"»“]{3,})[”\"»“]?")


def matches(predicted: str, accepted: list[str]) -> bool:
    """Whether a predicted speaker names the labelled one (a shared last word or one inside the other)."""
    found = predicted.lower().replace("’", "'")
    for name in accepted:
        name = name.lower()
        if name in found or (len(found) > 2 and found in name) or found.split()[-1] == name.split()[-1]:
            return True
    return False


def score(predicted: str | None, speaker: str, also: list[str]) -> str:
    if not speaker:
        return "right" if predicted is None else "wrong"
    if predicted is None:
        return "missing"
    return "right" if matches(predicted, [speaker, *also]) else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("articles", type=Path, help="BASIL's articles/ folder")
    parser.add_argument("--labels", type=Path, default=Path(__file__).parent / "labels" / "basil_quote_speakers.csv")
    parser.add_argument("--show", action="store_true", help="print every item that is not right")
    arguments = parser.parse_args()
    with open(arguments.labels, encoding="utf-8", newline="") as handle:
        labels = list(csv.DictReader(handle))
    wanted = {row["article"] for row in labels}
    files = [path for path in sorted(arguments.articles.rglob("*.json")) if path.stem in wanted]
    if not files:  # a wrong folder (from a worktree, ../shared is ../../shared) stopped on StopIteration below
        parser.error(f"no labelled article under {arguments.articles} (give BASIL's articles/ folder)")
    statements = segment_articles(load_corpus(files).articles)
    outcomes: Counter[str] = Counter()
    for row in labels:
        # The statement holding the quoted words (when a method cuts the sentence, the part with the quote).
        quoted = max(_QUOTED.findall(row["text"]), key=len)[:40]
        statement = next(s for s in statements if s.article_id == row["article"] and quoted in s.text)
        also = [name for name in row["also_accepted"].split(";") if name]
        outcome = score(statement.speaker, row["speaker"], also)
        outcomes[outcome] += 1
        if arguments.show and outcome != "right":
            print(f"{row['item']:>3} {outcome:8} predicted={statement.speaker!r} labelled={row['speaker']!r}")
    total = sum(outcomes.values())
    print(" ".join(f"{name}={outcomes[name]} ({outcomes[name] / total:.0%})" for name in ("right", "wrong", "missing")))


if __name__ == "__main__":
    main()
