"""Claim-clustering proxies on a corpus with gold story labels (BASIL): same-event rate and coverage.

Usage: python bench/claims_proxy.py ../shared/corpora/basil/articles [--gold triplet-uuid]
"""

from __future__ import annotations

import argparse
import itertools

from compare.cluster import ClaimOptions, cluster_claims
from compare.embed import embed_texts, get_embedder
from compare.ingest import load_corpus
from compare.io.store import Store
from compare.segment import segment_articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--gold", default="triplet-uuid")
    parser.add_argument("--backend", default="torch", choices=["torch", "onnx-int8"])
    arguments = parser.parse_args()
    corpus = load_corpus(arguments.inputs)
    statements = segment_articles(corpus.articles, store=Store())
    vectors = embed_texts([s.text for s in statements], get_embedder(backend=arguments.backend), Store())
    event = {article.id: article.extra.get(arguments.gold) for article in corpus.articles}
    by_id = {statement.id: statement for statement in statements}
    print("anchor_weight threshold cross_pairs same_event coverage")
    for weight, threshold in [(0.0, 0.6), (0.0, 0.7), (0.3, 0.65), (0.3, 0.7)]:
        clusters = cluster_claims(statements, vectors, (), ClaimOptions(threshold=threshold, anchor_weight=weight))
        same = cross = 0
        covered: set[str] = set()
        for cluster in clusters:
            members = [by_id[sid] for sid in cluster.statement_ids]
            if len(cluster.outlets) >= 2:
                covered.update(cluster.statement_ids)
            for first, second in itertools.combinations(members, 2):
                if first.outlet != second.outlet:
                    cross += 1
                    same += event[first.article_id] == event[second.article_id]
        print(weight, threshold, cross, round(same / max(cross, 1), 3), round(len(covered) / len(statements), 3))


if __name__ == "__main__":
    main()
