"""Agreement of the cue-word frame labels with a hand-labelled sample (bench/frames_sample.csv).

Usage: python bench/frames_agreement.py seeds ../shared/corpora/basil/articles

The sample: every fourth seed statement (30) and 30 BASIL statements drawn at random (seed 0),
labelled by one developer with the primary frame of the Media Frames Corpus codebook. Statement
ids depend on segmentation; ids missing after a segmentation change are reported.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from compare.embed import get_embedder
from compare.framing.frames import frame_of, frames_by_prototype
from compare.ingest import load_corpus
from compare.segment import segment_articles

SAMPLE = Path(__file__).with_name("frames_sample.csv")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="+")
    arguments = parser.parse_args()
    with SAMPLE.open(encoding="utf-8") as handle:
        gold = {row["statement_id"]: row["frame"] for row in csv.DictReader(handle)}
    wanted_articles = {statement_id.rsplit(":", 1)[0] for statement_id in gold}
    corpus = load_corpus(arguments.inputs)
    articles = [article for article in corpus.articles if article.id in wanted_articles]
    texts = {statement.id: statement.text for statement in segment_articles(articles)}
    found = [statement_id for statement_id in gold if statement_id in texts]
    expected = [gold[statement_id] for statement_id in found]
    print(f"labelled statements found: {len(found)} of {len(gold)}")
    majority = Counter(expected).most_common(1)[0]
    print(f"majority-label baseline ({majority[0]}): {majority[1] / max(1, len(found)):.3f}")
    embedder = get_embedder()
    methods = {
        "cue words": [frame_of(texts[statement_id]) for statement_id in found],
        "frame descriptions (default)": frames_by_prototype(embedder.embed([texts[s] for s in found]), embedder),
    }
    for name, predicted in methods.items():
        agreement = sum(p == e for p, e in zip(predicted, expected)) / max(1, len(found))
        print(f"{name}: agreement {agreement:.3f}, Cohen's kappa {cohen_kappa_score(expected, predicted):.3f}")
    confusions = Counter((e, p) for e, p in zip(expected, predicted) if e != p)
    for (e, p), count in confusions.most_common(8):
        print(f"  hand {e!r} -> frame descriptions {p!r}: {count}")


if __name__ == "__main__":
    main()
