"""CPU seconds of spaCy's NER alone over BASIL's statements at several ``nlp.pipe`` batch sizes, alternately.

Usage: PYTHONPATH=. HF_HUB_OFFLINE=1 python bench/ner_batch.py ../shared/corpora/basil/articles \
    [--limit 3000] [--rounds 2] [--sizes 16 64 256 1024] [--whole]

The statements are BASIL's sentences as segmentation splits them; NER runs as in segmentation for statements
without a verb of saying (every other component disabled). Each size runs once per round, in turn, in this
process; the entities found at every size are compared with those of the first size. ``--whole`` runs the whole
pipeline instead (as for statements with a verb of saying).
"""

from __future__ import annotations

import argparse
import os
import re
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 64, 256, 1024])
    parser.add_argument("--whole", action="store_true", help="the whole pipeline, as for statements with a saying verb")
    arguments = parser.parse_args()

    from compare.ingest import load_corpus
    from compare.segment import load_spacy, split_sentences

    articles = load_corpus([arguments.corpus]).articles
    texts = [
        article.text[start:end]
        for article in articles
        for start, end in split_sentences(article.text)
        if re.search(r"\w", article.text[start:end])
    ][: arguments.limit]
    nlp = load_spacy()
    others = [] if arguments.whole else [name for name in nlp.pipe_names if name != "ner"]
    print(f"{len(texts)} statements, {sum(map(len, texts))} characters; pipeline {nlp.pipe_names}")
    reference = None
    for round_number in range(arguments.rounds):
        for size in arguments.sizes:
            load = os.getloadavg()[0]
            cpu, wall = time.process_time(), time.perf_counter()
            entities = [
                tuple((ent.start_char, ent.end_char, ent.label_) for ent in doc.ents)
                for doc in nlp.pipe(texts, batch_size=size, disable=others)
            ]
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            reference = reference or entities
            same = sum(a == b for a, b in zip(entities, reference))
            print(
                f"round {round_number + 1} batch {size:5d}: CPU {cpu:6.2f} s, wall {wall:6.2f} s, "
                f"entities as batch {arguments.sizes[0]} in {same}/{len(texts)} statements, load {load:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
