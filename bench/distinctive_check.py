"""Corpus-wide distinctive terms per outlet, checked for outlet names, honorifics and broken tokens.

Usage: python bench/distinctive_check.py ../shared/corpora/basil/articles [--store S.sqlite3]

The terms are those of ``distinctive_terms`` for the corpus scope (``compare.framing.terms``: ``tokens`` and
``distinctive_rows``, top 25 per outlet). A term is flagged when it holds an outlet's whole name, alias or domain
(any outlet of the registry or the corpus: "fox news", "nytimes"; not "washington" of "The Washington Post", a place
too), an honorific, or a one-letter token other than "a" ("u s", "f b": an abbreviation cut in two). Prints each outlet's terms, then the flagged ones (none is the target).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from compare.framing.names import HONORIFICS, outlet_names
from compare.framing.terms import distinctive_rows, outlet_term_counts, tokens
from compare.ingest.load import load_corpus
from compare.io.store import Store
from compare.segment import segment_articles


def flagged(term: str, names: frozenset[str]) -> str | None:
    """Why a term should not be a distinctive term, or None."""
    if any(re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", term) for name in names):
        return "outlet name"
    for word in term.split():
        if word in HONORIFICS:
            return "honorific"
        if len(word.strip(".")) == 1 and word != "a":
            return "broken token"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", type=Path, nargs="+", help="files or folders of articles")
    parser.add_argument("--store", default=None, help="embedding/segmentation store (default: the default store)")
    arguments = parser.parse_args()
    articles = load_corpus(arguments.inputs).articles
    statements = segment_articles(articles, store=Store(arguments.store) if arguments.store else Store())
    terms_of = {statement.id: tokens(statement.text, statement.outlet) for statement in statements}
    counts = outlet_term_counts(statements, terms_of)
    prior: Counter[str] = Counter()
    for outlet_counts in counts.values():
        prior.update(outlet_counts)
    names = outlet_names({article.outlet for article in articles})
    rows = distinctive_rows(None, counts, prior)
    problems = []
    for outlet in sorted(counts):
        terms = [row.term for row in rows if row.outlet == outlet]
        print(f"{outlet}: {', '.join(terms)}")
        problems.extend((outlet, term, why) for term in terms if (why := flagged(term, names)))
    print(f"flagged: {len(problems)}")
    for outlet, term, why in problems:
        print(f"  {outlet}: {term!r} ({why})")


if __name__ == "__main__":
    main()
