"""Loaded words against BASIL's lexical-bias spans: the lexicon alone against the shipped rule (names and neutral senses out).

Usage:
    python bench/loaded_lift.py ../shared/corpora/basil --cache /tmp/basil_context.pickle [--store S.sqlite3]

The context (statements with their entities) is that of ``bench/wording_concepts.py`` (the same cache file works).
Prints, per rule, the share of lexical-bias spans with a loaded word, the share of their content words that are
loaded, the share of all content words that are, and the lift (as ``bench/basil_bias.py``), and the words dropped.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from bench.basil_bias import content_words
from bench.wording_concepts import context_of
from compare.framing import tone


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("basil", type=Path, help="the BASIL folder (articles/ and annotations/)")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--store", default=None)
    arguments = parser.parse_args()
    statements = context_of(str(arguments.basil / "articles"), arguments.store, arguments.cache).statements
    by_article = defaultdict(list)
    for statement in statements:
        by_article[statement.article_id].append(statement)
    spans = []
    for path in sorted((arguments.basil / "annotations").rglob("*_ann.json")):
        article_id = path.name.removesuffix("_ann.json")
        for span in json.loads(path.read_text(encoding="utf-8")).get("phrase-level-annotations", []):
            statement = next((s for s in by_article.get(article_id, []) if span["txt"] in s.text), None)
            if span["bias"] == "lex" and statement is not None:
                spans.append((span["txt"], statement.id))
    lexicon = tone._vader().lexicon
    plain: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        for word in content_words(statement.text):
            if abs(lexicon.get(word, 0.0)) >= tone.LOADED_VALENCE:
                plain[statement.id].add(word)
    shipped: dict[str, set[str]] = defaultdict(set)
    for row in tone.loaded_words(statements):
        shipped[row.statement_id].add(row.word.lower())
    all_words = [(word, s.id) for s in statements for word in content_words(s.text)]
    for name, loaded in (("lexicon alone", plain), ("shipped rule", shipped)):
        span_hits = sum(1 for txt, sid in spans if set(content_words(txt)) & loaded[sid])
        words = [(w, sid) for txt, sid in spans for w in content_words(txt)]
        word_rate = sum(1 for w, sid in words if w in loaded[sid]) / max(1, len(words))
        base = sum(1 for w, sid in all_words if w in loaded[sid]) / max(1, len(all_words))
        print(
            f"{name}: lexical spans hit {span_hits / max(1, len(spans)):.3f}; lexical-bias words {word_rate:.3f}; "
            f"all words {base:.3f}; lift {word_rate / max(base, 1e-9):.2f}; loaded uses {sum(map(len, loaded.values()))}"
        )
    dropped = Counter(w for sid, words in plain.items() for w in words - shipped[sid])
    print("most dropped:", dropped.most_common(15))


if __name__ == "__main__":
    main()
