"""Adding articles to an analysis: only the new statements are embedded, only what they touch is re-clustered.

Claims (``compare.cluster.extend_claim_index``): average linkage works inside each connected
component of the strong graph (edges at or above the threshold; see ``cluster.AverageLinkage``).
An added statement changes the graph only through its own edges, the neighbour lists it enters
and the weights of the anchors it names, so re-clustering the old components those changes touch,
with the added statements, gives the claims a full run would give with the same neighbour lists
(exactly so up to 50,000 statements, where the full run's neighbour search is exact too). Every
other component keeps its clusters.

Stories (``compare.cluster.extend_story_index``): the same, over the article graph (nearest
articles by mean embedding and by TF-IDF); the older articles keep the term weights of their run.

Framing: ``extend_framing`` appends the figures of single statements, updates the corpus counts
and recomputes the figures of the claims and stories that changed.

The index is saved next to analysis.json (``save_index``) so that ``analyze --out`` can add files
to an earlier run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from compare.cluster import ClaimIndex, StoryIndex
from compare.documents import Cluster, Statement, Story

if TYPE_CHECKING:
    from pathlib import Path

    from compare.embed import Embedder
    from compare.framing import FramingIndex
    from compare.pipeline import Analysis, AnalysisIndex

# Up to this many statements (or when the added ones are 1% or more), distinctive terms are scored
# again in full; above it, only for the outlets and stories the added articles change.
EXACT_TERMS_LIMIT = 20_000


# ---------------------------------------------------------------- framing


def _remapped(row: dict[str, Any], cluster_ids: dict[str, str], story_ids: dict[str, str]) -> dict[str, Any]:
    """A framing row with its claim and story ids renamed to the new analysis's."""
    cluster_id, story_id = row.get("cluster_id"), row.get("story_id")
    new_cluster = cluster_ids[cluster_id] if cluster_id is not None else None
    new_story = story_ids[story_id] if story_id is not None else None
    if new_cluster == cluster_id and new_story == story_id:
        return row  # rows are never changed in place, so an unchanged one is shared
    row = dict(row)
    if cluster_id is not None:
        row["cluster_id"] = new_cluster
    if story_id is not None:
        row["story_id"] = new_story
    return row


def extend_framing(
    previous: Analysis, analysis: Analysis, index: FramingIndex, embedder: Embedder | None = None
) -> dict[str, Any]:
    """The framing of ``analysis``, which is ``previous`` with articles added, from ``previous.framing``.

    Figures of single statements are computed for the added statements only; corpus counts
    (terms, tones toward actors, wordings, entities, frames, shingles) are added to ``index``,
    which is updated in place. Figures of a claim are computed again only for the claims that
    changed, or whose story changed; those of a story only for the stories that changed. The
    rest is carried over with the claim and story ids of the new analysis.

    Two figures are approximations of a full run, both far smaller than their rounding when one
    article joins ten thousand. Above ``EXACT_TERMS_LIMIT`` statements (and when the added ones
    are under 1% of them), the distinctive terms of outlets without an added article, and of
    unchanged stories, keep the scores computed against the earlier corpus counts. Syndication
    pairs of two older articles are not looked at again.
    """
    from compare.framing import (
        actor_tone_rows,
        actor_tones,
        aligned_differences,
        coverage_grid,
        distinctive_terms,
        entity_counts,
        exclusive_statements,
        extend_shingle_index,
        frames_of,
        independent_origins,
        loaded_words,
        mined_swaps,
        omissions,
        prominence,
        quote_edits,
        share_rows,
        swap_matches,
        swap_rows,
        tokens,
        tone,
        voice_share,
        voice_share_by_story,
        voices,
    )

    old = previous.framing
    n_old = len(previous.statements)
    statements, articles = analysis.statements, analysis.articles
    added = statements[n_old:]
    added_articles = articles[len(previous.articles) :]

    # Figures of single statements: the added ones' rows are appended.
    tones = {statement.id: round(tone(statement.text), 4) for statement in added}
    frames = frames_of(added, analysis.vectors[n_old:], embedder)
    voice_rows = old["voices"] + voices(added)
    actor_tones(added, tones, index.actor_tones)
    index.frame_counts.update((statement.outlet, frames[statement.id]) for statement in added)
    swap_matches(added, index.swaps)
    changed_entities: set[tuple[str, str, str]] = set()
    entity_counts(added_articles, added, index.entities, articles, changed_entities)
    index.shingles, copies = extend_shingle_index(index.shingles, articles)
    syndicated = old["syndication"] + copies
    terms_of = {statement.id: tokens(statement.text) for statement in added}
    for statement in added:
        index.outlet_terms.setdefault(statement.outlet, Counter()).update(terms_of[statement.id])
        index.prior.update(terms_of[statement.id])

    # What changed: claims and stories are the same when their members are.
    old_claim = {cluster.statement_ids: cluster.id for cluster in previous.clusters}
    old_story = {story.article_ids: story.id for story in previous.stories}
    cluster_ids = {old_claim[c.statement_ids]: c.id for c in analysis.clusters if c.statement_ids in old_claim}
    story_ids = {old_story[s.article_ids]: s.id for s in analysis.stories if s.article_ids in old_story}
    kept_claims = set(cluster_ids.values())
    changed_statements = {sid for c in analysis.clusters if c.id not in kept_claims for sid in c.statement_ids}
    changed_statements.update(sid for c in previous.clusters if c.id not in cluster_ids for sid in c.statement_ids)
    article_story = {article_id: story.id for story in analysis.stories for article_id in story.article_ids}
    statement_article = {statement.id: statement.article_id for statement in statements}
    kept_stories = set(story_ids.values())
    dirty_stories = {story.id for story in analysis.stories if story.id not in kept_stories}
    dirty_stories.update(article_story[statement_article[sid]] for sid in changed_statements)
    redone = [c for c in analysis.clusters if c.id not in kept_claims]
    redone_coverage = [c for c in analysis.clusters if c.id not in kept_claims or set(c.story_ids) & dirty_stories]

    # Figures of claims: computed for the changed ones, carried over for the others.
    row_of = {statement.id: row for row, statement in enumerate(statements)}

    def members_of(clusters: Sequence[Cluster]) -> tuple[list[Statement], np.ndarray]:
        rows = sorted({row_of[sid] for cluster in clusters for sid in cluster.statement_ids})
        return [statements[row] for row in rows], analysis.vectors[rows]

    story_by_id = {story.id: story for story in analysis.stories}
    member_statements, member_vectors = members_of(redone_coverage)
    fresh_cells = coverage_grid(
        [story_by_id[sid] for sid in {s for c in redone_coverage for s in c.story_ids}],
        redone_coverage,
        member_statements,
        member_vectors,
    )
    redone_ids = {cluster.id for cluster in redone}
    redone_coverage_ids = {cluster.id for cluster in redone_coverage}
    member_statements, member_vectors = members_of(redone)
    lengths = Counter(statement.article_id for statement in statements)
    involved_articles = {statement.article_id for statement in member_statements}
    fresh = {
        "coverage": _by_claim([cell.__dict__ for cell in fresh_cells]),
        "quote_edits": _by_claim(quote_edits(redone, member_statements)),
        "prominence": _by_claim(
            prominence(redone, member_statements, [a for a in articles if a.id in involved_articles], lengths)
        ),
    }
    claim_of = {sid: cluster.id for cluster in analysis.clusters for sid in cluster.statement_ids}
    differences_of = _by_claim(aligned_differences(redone, member_statements, member_vectors), claim_of)
    carried_differences = _by_claim(
        [row for row in old["word_differences"] if claim_of.get(row["statement_id"]) in kept_claims], claim_of
    )
    carried = {
        key: _by_claim(
            [
                _remapped(row, cluster_ids, story_ids)
                for row in old[key]
                if row["cluster_id"] in cluster_ids
                and cluster_ids[row["cluster_id"]] not in (redone_coverage_ids if key == "coverage" else redone_ids)
            ]
        )
        for key in ("coverage", "quote_edits", "prominence")
    }
    per_claim: dict[str, list[dict[str, Any]]] = {
        "coverage": [],
        "quote_edits": [],
        "prominence": [],
        "differences": [],
    }
    for cluster in analysis.clusters:
        for key in ("coverage", "quote_edits", "prominence"):
            per_claim[key].extend(fresh[key].get(cluster.id) or carried[key].get(cluster.id, []))
        per_claim["differences"].extend(differences_of.get(cluster.id) or carried_differences.get(cluster.id, []))

    # Figures of stories: computed for the changed ones, carried over for the others.
    dirty = [story for story in analysis.stories if story.id in dirty_stories]
    dirty_articles = {article_id for story in dirty for article_id in story.article_ids}
    dirty_statements = [statement for statement in statements if statement.article_id in dirty_articles]
    touching = [
        c for c in analysis.clusters if any(statement_article[sid] in dirty_articles for sid in c.statement_ids)
    ]
    exclusive = [
        _remapped(row, cluster_ids, story_ids)
        for row in old["exclusive_statements"]
        if story_ids.get(row["story_id"]) not in dirty_stories and row["story_id"] in story_ids
    ] + exclusive_statements(
        dirty,
        touching,
        [
            statements[row]
            for row in sorted(
                {row_of[s.id] for s in dirty_statements}
                | set(row_of[sid] for cluster in touching for sid in cluster.statement_ids)
            )
        ],
    )
    exclusive.sort(key=lambda row: row_of[row["statement_id"]])
    if len(statements) <= EXACT_TERMS_LIMIT or len(added) * 100 >= len(statements):
        distinctive = distinctive_terms(articles, statements, analysis.stories)
    else:
        distinctive = _extend_distinctive_terms(
            old["distinctive_terms"], index, added, dirty, statements, article_story, cluster_ids, story_ids, terms_of
        )

    return {
        "coverage": per_claim["coverage"],
        "omissions": omissions(per_claim["coverage"]),
        "voices": voice_rows,
        "voice_share": voice_share(voice_rows),
        "voice_share_by_story": voice_share_by_story(voice_rows, analysis.stories),
        "quote_edits": per_claim["quote_edits"],
        "word_swaps": swap_rows(index.swaps)
        + mined_swaps(per_claim["differences"], statements, substitutions=index.substitutions),
        "word_differences": per_claim["differences"],
        "loaded_words": old["loaded_words"] + loaded_words(added),
        "exclusive_statements": exclusive,
        "distinctive_terms": distinctive,
        "tone": old["tone"] + [{"statement_id": sid, "tone": value} for sid, value in tones.items()],
        "tone_toward_actors": actor_tone_rows(index.actor_tones),
        "frames": old["frames"] + [{"statement_id": sid, "frame": frame} for sid, frame in frames.items()],
        "frame_share": share_rows(index.frame_counts, "frame"),
        "entities": _updated_entity_rows(old["entities"], changed_entities, index.entities),
        "prominence": per_claim["prominence"],
        "syndication": syndicated,
        "independent_origins": independent_origins(analysis.stories, syndicated),
    }


def _updated_entity_rows(
    rows: list[dict[str, Any]],
    changed: set[tuple[str, str, str]],
    counts: dict[tuple[str, str, str], Counter[str]],
) -> list[dict[str, Any]]:
    """Entity rows with the changed keys' rows made again in place and new keys' rows appended."""
    from compare.framing import entity_row

    updated = list(rows)
    if not changed:
        return updated
    positions = {}
    for position, row in enumerate(rows):
        key = (row["outlet"], row["entity"], row["label"])
        if key in changed:
            positions[key] = position
    for key in sorted(changed):
        if key in positions:
            updated[positions[key]] = entity_row(key, counts[key])
        else:
            updated.append(entity_row(key, counts[key]))
    return updated


def _by_claim(rows: list[dict[str, Any]], claim_of: dict[str, str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by their claim (``cluster_id``, or the claim of their ``statement_id``), in order."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["cluster_id"] if claim_of is None else claim_of[row["statement_id"]]].append(row)
    return grouped


def _extend_distinctive_terms(
    old_rows: list[dict[str, Any]],
    index: FramingIndex,
    added: Sequence[Statement],
    dirty: Sequence[Story],
    statements: Sequence[Statement],
    article_story: dict[str, str],
    cluster_ids: dict[str, str],
    story_ids: dict[str, str],
    terms_of: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """Distinctive terms re-scored for the outlets of the added statements and the changed stories only."""
    from compare.framing import distinctive_rows, outlet_term_counts, tokens

    dirty_ids = {story.id for story in dirty}
    added_outlets = {statement.outlet for statement in added}
    rows = [
        _remapped(row, cluster_ids, story_ids)
        for row in old_rows
        if (row["story_id"] is None and row["outlet"] not in added_outlets)
        or (row["story_id"] in story_ids and story_ids[row["story_id"]] not in dirty_ids)
    ]
    rows += distinctive_rows(None, index.outlet_terms, index.prior, outlets=sorted(added_outlets))
    by_story: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        story_id = article_story.get(statement.article_id)
        if story_id in dirty_ids:
            by_story[story_id].append(statement)
    for story in dirty:
        if len(story.outlets) >= 2:
            members = by_story[story.id]
            story_terms = {s.id: terms_of.get(s.id) or tokens(s.text) for s in members}
            rows += distinctive_rows(story.id, outlet_term_counts(members, story_terms), index.prior)
    return rows


# ---------------------------------------------------------------- saving the index next to analysis.json


INDEX_VERSION = 1


def input_files(locations: Sequence[str]) -> list[dict[str, Any]] | None:
    """(location, size, modification time) of each input file; None when an input is not a local file."""
    from pathlib import Path

    found = []
    for location in locations:
        path = Path(location)
        if not path.is_file():
            return None
        status = path.stat()
        found.append({"location": location, "size": status.st_size, "mtime_ns": status.st_mtime_ns})
    return found


def save_index(index: AnalysisIndex, folder: Path, manifest: dict[str, Any]) -> None:
    """Writes the index to ``folder`` (replaced whole, never left half-written), with ``manifest`` last."""
    import shutil

    import orjson

    staging = folder.with_name(folder.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    stories, claims, framing = index.stories, index.claims, index.framing
    arrays = {
        "story_tfidf_data": stories.tfidf.data,
        "story_tfidf_indices": stories.tfidf.indices,
        "story_tfidf_indptr": stories.tfidf.indptr,
        "story_tfidf_shape": np.array(stories.tfidf.shape),
        "story_frequencies": stories.frequencies,
        "story_vectors": stories.vectors,
        "story_days": stories.days,
        "story_neighbours": stories.neighbours,
        "story_similarities": stories.neighbour_similarities,
        "story_components": stories.components,
        "story_labels": stories.labels,
        "claim_neighbours": claims.neighbours,
        "claim_similarities": claims.neighbour_similarities,
        "claim_components": claims.components,
        "claim_labels": claims.labels,
        "claim_article_of": claims.article_of,
    }
    parts: dict[str, Any] = {
        "anchor_rows": claims.anchor_rows,
        "anchor_articles": claims.anchor_articles,
        "fingerprints": index.fingerprints,
        "framing": None,
    }
    if framing is not None:
        arrays |= {
            "shingle_hashes": framing.shingles.hashes,
            "shingle_owners": framing.shingles.owners,
            "shingle_sizes": framing.shingles.sizes,
        }
        parts["framing"] = {
            "outlet_terms": framing.outlet_terms,
            "prior": framing.prior,
            "actor_tones": [[outlet, side, tones] for (outlet, side), tones in framing.actor_tones.items()],
            "swaps": framing.swaps,
            "substitutions": [[first, second, found] for (first, second), found in framing.substitutions.items()],
            "entities": [[*key, dict(counts)] for key, counts in framing.entities.items()],
            "frame_counts": [[outlet, frame, count] for (outlet, frame), count in framing.frame_counts.items()],
        }
    np.savez(staging / "arrays.npz", **arrays)
    (staging / "index.json").write_bytes(orjson.dumps(parts))
    (staging / "manifest.json").write_bytes(orjson.dumps({"version": INDEX_VERSION, **manifest}))
    shutil.rmtree(folder, ignore_errors=True)
    staging.replace(folder)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a saved index, or None when there is none this version can read."""
    import orjson

    try:
        manifest = orjson.loads((folder / "manifest.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("version") == INDEX_VERSION else None


def load_index(folder: Path) -> AnalysisIndex:
    """The index written by ``save_index``.

    Raises:
        OSError, ValueError, KeyError: when a file is missing or damaged.
    """
    import orjson
    from scipy.sparse import csr_matrix

    from compare.framing import FramingIndex, ShingleIndex
    from compare.pipeline import AnalysisIndex

    with np.load(folder / "arrays.npz", allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    parts = orjson.loads((folder / "index.json").read_bytes())
    stories = StoryIndex(
        tfidf=csr_matrix(
            (arrays["story_tfidf_data"], arrays["story_tfidf_indices"], arrays["story_tfidf_indptr"]),
            shape=tuple(arrays["story_tfidf_shape"]),
        ),
        frequencies=arrays["story_frequencies"],
        vectors=arrays["story_vectors"],
        days=arrays["story_days"],
        neighbours=arrays["story_neighbours"],
        neighbour_similarities=arrays["story_similarities"],
        components=arrays["story_components"],
        labels=arrays["story_labels"],
    )
    claims = ClaimIndex(
        neighbours=arrays["claim_neighbours"],
        neighbour_similarities=arrays["claim_similarities"],
        components=arrays["claim_components"],
        labels=arrays["claim_labels"],
        article_of=arrays["claim_article_of"],
        anchor_rows=parts["anchor_rows"],
        anchor_articles=parts["anchor_articles"],
    )
    framing = None
    if parts["framing"] is not None:
        found = parts["framing"]
        framing = FramingIndex(
            outlet_terms={outlet: Counter(terms) for outlet, terms in found["outlet_terms"].items()},
            prior=Counter(found["prior"]),
            actor_tones={(outlet, side): tones for outlet, side, tones in found["actor_tones"]},
            swaps={
                label: {variant: [(sid, outlet) for sid, outlet in rows] for variant, rows in variants.items()}
                for label, variants in found["swaps"].items()
            },
            substitutions={
                (first, second): [(theirs, ours) for theirs, ours in pairs]
                for first, second, pairs in found["substitutions"]
            },
            entities={(outlet, entity, label): Counter(counts) for outlet, entity, label, counts in found["entities"]},
            frame_counts=Counter({(outlet, frame): count for outlet, frame, count in found["frame_counts"]}),
            shingles=ShingleIndex(arrays["shingle_hashes"], arrays["shingle_owners"], arrays["shingle_sizes"]),
        )
    return AnalysisIndex(stories=stories, claims=claims, framing=framing, fingerprints=parts["fingerprints"])
