from __future__ import annotations

import numpy as np

from compare.cluster import AverageLinkage, knn
from compare.cluster.shared import ArticleStatements, shared_statements


def _unit(rows):
    array = np.asarray(rows, dtype=np.float32)
    return array / np.linalg.norm(array, axis=1, keepdims=True)


def test_average_linkage_merges_close_items_only():
    rows = np.array([0, 0, 1, 2, 3])
    cols = np.array([1, 2, 2, 3, 4])
    sims = np.array([0.9, 0.8, 0.85, 0.1, 0.95])
    labels = AverageLinkage(0.5).fit(5, rows, cols, sims).labels_
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[4] != labels[0]


def test_average_linkage_is_average_not_single_link():
    # 0-1 strong, 1-2 strong, 0-2 missing (similarity 0): the average of {0,1} to 2 is 0.45.
    labels = AverageLinkage(0.5).fit(3, np.array([0, 1]), np.array([1, 2]), np.array([0.95, 0.9])).labels_
    assert labels[0] == labels[1] != labels[2]


def test_average_linkage_caps_items_per_group():
    rows, cols = np.array([0, 0, 1]), np.array([1, 2, 2])
    sims = np.array([0.9, 0.9, 0.9])
    labels = AverageLinkage(0.5, max_per_group=1).fit(3, rows, cols, sims, groups=[0, 0, 1]).labels_
    assert labels[0] != labels[1]  # same group (article): never together
    assert len(set(labels.tolist())) == 2


def test_average_linkage_merges_across_groups_before_two_items_of_one_group():
    # 0 and 1 are of one group (article), 2 of another: 0-1 is the closest pair, but a claim is what two
    # reports state, so 1 goes with 2 first (joined first, 0-1 would leave 2 alone: average 0.345).
    rows, cols, sims = np.array([0, 1]), np.array([1, 2]), np.array([0.70, 0.69])
    labels = AverageLinkage(0.5, max_per_group=2).fit(3, rows, cols, sims, groups=[0, 0, 1]).labels_
    assert labels[1] == labels[2] != labels[0]
    # Two items of one group that no other group's item takes still form a cluster, after the others.
    labels = AverageLinkage(0.5, max_per_group=2).fit(
        3, np.array([0]), np.array([1]), np.array([0.7]), groups=[0, 0, 1]
    )
    assert labels.labels_[0] == labels.labels_[1] != labels.labels_[2]
    # A group's second item joins a cluster that spans another group (up to the cap).
    rows, cols, sims = np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.9, 0.8, 0.8])
    labels = AverageLinkage(0.5, max_per_group=2).fit(3, rows, cols, sims, groups=[0, 1, 0]).labels_
    assert labels[0] == labels[1] == labels[2]
    # Without groups (stories) nothing changes: 0-1 join first.
    labels = AverageLinkage(0.5).fit(3, np.array([0, 1]), np.array([1, 2]), np.array([0.70, 0.69])).labels_
    assert labels[0] == labels[1] != labels[2]


def test_shared_statements_by_hand_and_in_blocks(monkeypatch):
    # Article 0: statements along x, y, z; article 1: x and one close to y (cosine 0.9); article 2: none.
    vectors = _unit([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 0.9, np.sqrt(1 - 0.81)]])
    found = ArticleStatements(np.array([0, 3, 5, 5]), vectors)
    low, high = np.array([0, 0, 1, 0]), np.array([1, 2, 1, 0])
    whole = shared_statements(found, low, high)
    # 0 vs 1: x and y have a counterpart at cosine >= 0.6 (1.0, 0.9), z not (0.44); both of 1's do.
    assert whole.present.tolist() == [True, False, True, True]
    assert np.allclose(whole.share, [0.5 * (2 / 3 + 2 / 2), 0.0, 1.0, 1.0])
    assert np.isclose(whole.closest[0], (1.0 + 0.9 + np.sqrt(0.19)) / 3)  # the three closest of six pairs
    assert np.isclose(whole.closest[2], (1.0 + 1.0 + 0.0) / 3)  # 1 against itself: 1, 1, then 0
    # Blocks of one pair give the same as one block.
    monkeypatch.setattr("compare.cluster.shared.PAIRS_PER_BLOCK", 1)
    assert np.allclose(shared_statements(found, low, high).share, whole.share)
    assert np.allclose(shared_statements(found, low, high).closest, whole.closest)


def test_knn_excludes_self_and_finds_nearest():
    vectors = _unit([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]])
    indices, sims = knn(vectors, k=1)
    assert indices[:, 0].tolist() == [1, 0, 3, 2]
    assert np.all(sims[:, 0] > 0.9)


def test_knn_approximate_path_on_many_rows(monkeypatch):
    import compare.cluster.neighbours as cluster

    monkeypatch.setattr(cluster, "_EXACT_KNN_LIMIT", 100)
    rng = np.random.default_rng(1)
    centres = _unit(rng.normal(size=(20, 16)))
    vectors = _unit(np.repeat(centres, 30, axis=0) + rng.normal(scale=0.05, size=(600, 16)))
    indices, _ = knn(vectors, k=5)
    same_centre = (indices // 30) == (np.arange(600) // 30)[:, None]
    assert same_centre.mean() > 0.95


def test_seed_claims_span_the_expected_outlets(seeds_analysis, statements_by_id):
    def cluster_with(*fragments):
        for cluster in seeds_analysis.claims:
            texts = [statements_by_id[sid].text for sid in cluster.statement_ids]
            if all(any(fragment in text for text in texts) for fragment in fragments):
                return cluster
        return None

    troops = cluster_with("nearly 100,000 troops", "more than 100,000 troops")
    assert troops and {"China Daily", "The Guardian"} <= set(troops.outlets)
    minsk = cluster_with("agreements signed in Minsk", "refusing to implement the Minsk agreements")
    assert minsk and {"China Daily", "English News (India)"} <= set(minsk.outlets)
    normandy = cluster_with("taking place in the Normandy format", "Normandy format")
    assert normandy and {"The Guardian", "English News (India)"} <= set(normandy.outlets)
    # Unrelated statements stay apart.
    assert cluster_with("Crocus City Hall", "Barents Sea") is None


def test_seed_stories(seeds_analysis):
    story_of = {article_id: story.id for story in seeds_analysis.stories for article_id in story.article_ids}
    # The 2024 Shoigu-Lecornu call is its own story; the February 2022 Macron calls are not the 2021 ones.
    assert story_of["000_f8d353c7e59a115a"] != story_of["001_e695d325b575ade2"]
    assert story_of["004_ff0877bd891f5005"] != story_of["001_e695d325b575ade2"]
    assert sorted(a for story in seeds_analysis.stories for a in story.article_ids) == sorted(
        article.id for article in seeds_analysis.articles
    )
