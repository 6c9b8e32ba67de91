"""Statements and articles -> stories (same event) and claims (same fact), without an n x n matrix.

``neighbours``: the one top-k search (query rows against blocks of candidate rows) and pair
cosines; ``linkage``: average linkage; ``components``: edges, strong components, cluster numbers;
``anchors``: the rare names and numbers statements share; ``shared``: the sentences two articles
share (for one event); ``evidence``: conflicts against one event
and the claim gates (one story, no ``boilerplate``); ``articles``: what stories compare of an
article; ``story_ids``: a story's stable id; ``stories`` and ``claims``: edges of query rows against
candidates, build and extend.
Every engine (local, adding articles, Ray) calls these same functions.
"""

from compare.cluster.anchors import MAX_ANCHOR_POSTINGS, MIN_ANCHOR_WEIGHT, anchor_weight, statement_anchors
from compare.cluster.articles import (
    NO_DAY,
    TERM_FEATURES,
    article_days,
    article_term_counts,
    article_vectors,
    document_frequencies,
    weigh_terms,
)
from compare.cluster.boilerplate import boilerplate_flags
from compare.cluster.claims import (
    CLAIM_ANCHOR_WEIGHT,
    CLAIM_THRESHOLD,
    ClaimIndex,
    ClaimOptions,
    ClaimUpdate,
    claim_edges_against,
    claim_index,
    claims_from_labels,
    cluster_claims,
    extend_claim_index,
)
from compare.cluster.components import Edges, labels_from_roots, roots_from_links, strong_component_labels
from compare.cluster.evidence import (
    LEAD_STATEMENTS,
    ClaimEvidence,
    Lead,
    article_leads,
    claim_evidence,
    lead_conflicts,
    statement_conflicts,
)
from compare.cluster.linkage import AverageLinkage
from compare.cluster.neighbours import KNN_NEIGHBOURS, Block, Neighbours, grow_neighbours, knn, nearest
from compare.cluster.shared import ArticleStatements, article_statements, shared_statement_scores
from compare.cluster.stories import (
    STORY_DATE_WINDOW_DAYS,
    STORY_THRESHOLD,
    ArticleRows,
    StoryIndex,
    StoryOptions,
    article_rows,
    cluster_stories,
    extend_story_index,
    scored_story_pairs,
    stories_from_labels,
    story_index,
    story_neighbours,
)
from compare.cluster.story_ids import story_anchor, story_id

__all__ = [
    "article_rows",
    "CLAIM_ANCHOR_WEIGHT",
    "CLAIM_THRESHOLD",
    "KNN_NEIGHBOURS",
    "LEAD_STATEMENTS",
    "MAX_ANCHOR_POSTINGS",
    "MIN_ANCHOR_WEIGHT",
    "NO_DAY",
    "STORY_DATE_WINDOW_DAYS",
    "STORY_THRESHOLD",
    "TERM_FEATURES",
    "ArticleRows",
    "ArticleStatements",
    "AverageLinkage",
    "Block",
    "ClaimEvidence",
    "ClaimIndex",
    "ClaimOptions",
    "ClaimUpdate",
    "Edges",
    "Lead",
    "Neighbours",
    "StoryIndex",
    "StoryOptions",
    "anchor_weight",
    "article_days",
    "article_leads",
    "article_statements",
    "article_term_counts",
    "article_vectors",
    "boilerplate_flags",
    "claim_edges_against",
    "claim_evidence",
    "claim_index",
    "claims_from_labels",
    "cluster_claims",
    "cluster_stories",
    "document_frequencies",
    "extend_claim_index",
    "extend_story_index",
    "grow_neighbours",
    "knn",
    "labels_from_roots",
    "lead_conflicts",
    "nearest",
    "roots_from_links",
    "statement_anchors",
    "statement_conflicts",
    "stories_from_labels",
    "scored_story_pairs",
    "shared_statement_scores",
    "story_anchor",
    "story_id",
    "story_index",
    "story_neighbours",
    "strong_component_labels",
    "weigh_terms",
]
