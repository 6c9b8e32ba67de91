"""The share of voices each side gets on a corpus, and how many are left "other".

Usage: python bench/sides_share.py ../shared/corpora/basil/articles [--examples 0]

Segments the corpus (cached in the default store) and prints, per side, the voices (quoted or
cited statements with a speaker) and their share, then the most frequent speakers left "other".
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from compare.framing.voices import voices
from compare.ingest.load import load_corpus
from compare.io.store import Store
from compare.segment import segment_articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", type=Path, nargs="+", help="files or folders of articles")
    parser.add_argument("--examples", type=int, default=15, help="how many 'other' speakers to list")
    arguments = parser.parse_args()
    statements = segment_articles(load_corpus(arguments.inputs).articles, store=Store())
    rows = voices(statements)
    sides = Counter(row.side for row in rows)
    print(f"{len(rows)} voices")
    for side, count in sides.most_common():
        print(f"{side:22} {count:6} {count / len(rows):6.1%}")
    other = Counter(row.speaker for row in rows if row.side == "other")
    print(
        "most frequent 'other':",
        ", ".join(f"{name} ({count})" for name, count in other.most_common(arguments.examples)),
    )


if __name__ == "__main__":
    main()
