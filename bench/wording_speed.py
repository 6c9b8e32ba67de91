"""Time of the wording signal (wording per referent) on a corpus, cold and from the pairs kept in the index.

Usage: python bench/wording_speed.py ../shared/corpora/basil/articles --store S.sqlite3
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from compare.embed import get_embedder
from compare.framing import mentions, wording
from compare.framing.state import FramingIndex
from compare.ingest import load_corpus
from compare.io.store import Store
from compare.model.framing import Framing
from compare.pipeline import analyze
from compare.segment import load_spacy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--store", default=None)
    arguments = parser.parse_args()
    embedder = get_embedder()
    store = Store(Path(arguments.store)) if arguments.store else None
    analysis = analyze(load_corpus(arguments.inputs), embedder=embedder, store=store, with_framing=False)
    context = analysis.framing_context(embedder)
    load_spacy()  # loaded once per process in a run too; not what is timed
    started = time.perf_counter()
    state = FramingIndex()
    framing = wording.compute(context, Framing(), state)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    wording.referent_rows(context, state)
    warm = time.perf_counter() - started
    story_of = {a: story.id for story in context.stories for a in story.article_ids}
    statement_story = {s.id: story_of[s.article_id] for s in context.statements if s.article_id in story_of}
    pairs = wording.aligned_pairs(context.claims, context.statements, context.vectors, statement_story)
    by_id = {statement.id: statement for statement in context.statements}
    candidates = [p for p in pairs if mentions.changed_spans(by_id[p[0]].text, by_id[p[1]].text)]
    parsed = len({by_id[sid].text for pair in candidates for sid in pair})
    print(f"statements {len(context.statements)}, aligned pairs {len(pairs)}, statements parsed {parsed}")
    print(f"wording signal, cold: {cold:.2f} s; referents again from the kept pairs: {warm:.2f} s")
    print(f"referent rows {len(framing.referent_wordings)}")


if __name__ == "__main__":
    main()
