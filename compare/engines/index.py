"""The index an analysis keeps so that articles can be added to it, and its files next to analysis.json.

``write_index`` (called by ``pipeline.save_analysis``) writes it; ``load_index`` reads it back, so
that ``analyze --out`` can add files to an earlier run. How adding works: ``compare.cluster``
(``extend_story_index``, ``extend_claim_index``) and ``compare.framing.extend_framing``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from compare.cluster import ClaimIndex, Lead, StoryIndex
from compare.engines.analysis import AnalysisIndex
from compare.framing.state import FramingIndex, ShingleIndex
from compare.io.atomic import make_folder, write_file
from compare.io.collector import collector_paused
from compare.segment.mentions import Mentions
from compare.segment.times import TimeSpan

if TYPE_CHECKING:
    from pathlib import Path

# 2: framing keeps per aligned pair the wordings of one referent; 3: story leads and claim gates kept;
# 4: framing keeps the descriptions of named actors in each statement (an index without them would make fewer referents);
# 5: the wordings kept per aligned pair drop a word that modifies the other's head ("border" / "border security");
# 6: the descriptions kept per statement drop relative clauses read as appositions, and the kept wordings and
# descriptions are judged on phrases embedded one at a time (an index of 5 would mix batch-dependent ones);
# 7: in the store, the terms counted per outlet, the wordings kept per aligned pair and the entity counts are
# tables of their own (``compare.engines.stored_index``), not one JSON value. A store of 6 is not added to but
# analysed in full once: its claims may come from earlier claim rules (places as no shared fact, merges across
# articles first: 8c5997b, 61226d0), which an addition would apply only to the components it reaches, and its
# framing lacks the wordings carried along an article (``compare.framing.chains``)
INDEX_VERSION = 7
READABLE_INDEX_VERSIONS = (7,)  # the versions an addition reads; a folder's index.json keeps its maps in the JSON
MAP_FIELDS = ("outlet_terms", "substitutions", "entities")  # the framing index's fields kept as tables in a store


def input_files(locations: Sequence[str], digests: bool = False) -> list[dict[str, Any]] | None:
    """(location, size, modification time) of each input file, and with ``digests`` its content's BLAKE2b;
    None when an input is not a local file."""
    from pathlib import Path

    found = []
    for location in locations:
        path = Path(location)
        if not path.is_file():
            return None
        status = path.stat()
        entry: dict[str, Any] = {"location": location, "size": status.st_size, "mtime_ns": status.st_mtime_ns}
        if digests:
            key = (location, status.st_size, status.st_mtime_ns)
            entry["blake2b"] = _KNOWN_DIGESTS.get(key) or file_digest(path)
        found.append(entry)
    return found


def file_digest(path: Path) -> str | None:
    """The BLAKE2b of a file's bytes (hex), None when it cannot be read."""
    import hashlib

    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "blake2b").hexdigest()
    except OSError:
        return None


# The digests of files as a saved run recorded them, by (location, size, modification time): an addition
# checks its inputs against the saved run, then writes their digests again without reading every file.
_KNOWN_DIGESTS: dict[tuple[str, int, int], str] = {}


def unchanged_input(saved: dict[str, Any], current: dict[str, Any] | None) -> bool:
    """Whether an input file is as the saved run read it: the same size and modification time, or the same size
    and the same bytes when only the time moved (a corpus copied, checked out again or synced without its times:
    before, each such file meant a full run of the whole corpus)."""
    from pathlib import Path

    if current is None or current["size"] != saved.get("size"):
        return False
    digest = saved.get("blake2b")
    same = current["mtime_ns"] == saved.get("mtime_ns") or (
        digest is not None and file_digest(Path(current["location"])) == digest
    )
    if same and digest is not None:
        _KNOWN_DIGESTS[(current["location"], current["size"], current["mtime_ns"])] = digest
    return same


def write_index(index: AnalysisIndex, folder: Path, manifest: dict[str, Any]) -> None:
    """Writes the index into ``folder``, a new folder, with ``manifest`` last (the format before the store).

    Raises:
        OutputError: when a file cannot be written.
    """
    import orjson

    make_folder(folder)
    arrays, parts = index_parts(index)
    write_file(folder / "arrays.npz", lambda handle: np.savez(handle, **arrays))  # type: ignore[arg-type]
    write_file(folder / "index.json", orjson.dumps(parts))
    write_file(folder / "manifest.json", orjson.dumps({"version": INDEX_VERSION, **manifest}))


def index_parts(index: AnalysisIndex, with_maps: bool = True) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The index as named arrays and a JSON-ready rest (``index_from_parts`` reads them back); without the
    framing fields of ``MAP_FIELDS`` unless ``with_maps`` (a store keeps them as tables), but the outlets
    whose terms are counted."""
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
        "claim_story": claims.story,
        "claim_boilerplate": claims.boilerplate,
    }
    parts: dict[str, Any] = {
        "anchor_rows": claims.anchor_rows,
        "anchor_articles": claims.anchor_articles,
        "fingerprints": index.fingerprints,
        "story_leads": [_lead_row(lead) for lead in stories.leads],
        "framing": None,
    }
    if len(index.repeat_keys):
        arrays["repeat_keys"] = index.repeat_keys
    if framing is not None:
        arrays |= {
            "shingle_hashes": framing.shingles.hashes,
            "shingle_owners": framing.shingles.owners,
            "shingle_sizes": framing.shingles.sizes,
        }
        parts["framing"] = {
            "prior": framing.prior,
            "actor_tones": [[outlet, side, tones] for (outlet, side), tones in framing.actor_tones.items()],
            "swaps": framing.swaps,
            "frame_counts": [[outlet, frame, count] for (outlet, frame), count in framing.frame_counts.items()],
        }
        if with_maps:
            parts["framing"] |= {
                "outlet_terms": dict(framing.outlet_terms),
                "substitutions": [[first, second, found] for (first, second), found in framing.substitutions.items()],
                "entities": [[*key, dict(counts)] for key, counts in framing.entities.items()],
            }
        else:
            parts["framing"]["outlets"] = list(framing.outlet_terms)
    return arrays, parts


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a saved index, or None when there is none this version can read."""
    import orjson

    try:
        manifest = orjson.loads((folder / "manifest.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("version") in READABLE_INDEX_VERSIONS else None


@collector_paused()
def load_index(folder: Path) -> AnalysisIndex:
    """The index written by ``write_index``.

    Raises:
        OSError, ValueError, KeyError: when a file is missing or damaged.
    """
    import orjson

    with np.load(folder / "arrays.npz", allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    return index_from_parts(arrays, orjson.loads((folder / "index.json").read_bytes()))


def index_from_parts(
    arrays: dict[str, np.ndarray], parts: dict[str, Any], maps: dict[str, Any] | None = None
) -> AnalysisIndex:
    """The index of ``index_parts``'s arrays and rest; ``maps``: the framing fields of ``MAP_FIELDS`` when the
    rest lacks them (read from a store's tables), else they are the rest's.

    Raises:
        ValueError, KeyError: when a part is missing or damaged.
    """
    from scipy.sparse import csr_matrix

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
        leads=[_lead_from_row(row) for row in parts["story_leads"]],
    )
    claims = ClaimIndex(
        neighbours=arrays["claim_neighbours"],
        neighbour_similarities=arrays["claim_similarities"],
        components=arrays["claim_components"],
        labels=arrays["claim_labels"],
        article_of=arrays["claim_article_of"],
        anchor_rows=parts["anchor_rows"],
        anchor_articles=parts["anchor_articles"],
        story=arrays["claim_story"],
        boilerplate=arrays["claim_boilerplate"],
    )
    framing = None
    if parts["framing"] is not None:
        found = parts["framing"]
        framing = FramingIndex(
            **(maps if maps is not None else _maps_from_parts(found)),
            prior=Counter(found["prior"]),
            actor_tones={(outlet, side): tones for outlet, side, tones in found["actor_tones"]},
            swaps={
                label: {variant: [(sid, outlet) for sid, outlet in rows] for variant, rows in variants.items()}
                for label, variants in found["swaps"].items()
            },
            frame_counts=Counter({(outlet, frame): count for outlet, frame, count in found["frame_counts"]}),
            shingles=ShingleIndex(arrays["shingle_hashes"], arrays["shingle_owners"], arrays["shingle_sizes"]),
        )
    return AnalysisIndex(
        stories=stories,
        claims=claims,
        framing=framing,
        fingerprints=parts["fingerprints"],
        repeat_keys=arrays.get("repeat_keys", np.zeros(0, dtype=np.int64)),  # kept since §5h; else found in full
    )


def _maps_from_parts(found: dict[str, Any]) -> dict[str, Any]:
    """The framing fields of ``MAP_FIELDS`` from an index JSON value that keeps them (a folder's index.json)."""
    return {
        "outlet_terms": {outlet: Counter(terms) for outlet, terms in found["outlet_terms"].items()},
        "substitutions": {
            (first, second): [(theirs, ours) for theirs, ours in pairs]
            for first, second, pairs in found["substitutions"]
        },
        "entities": {(outlet, entity, label): Counter(counts) for outlet, entity, label, counts in found["entities"]},
    }


def _lead_row(lead: Lead) -> list[Any]:
    named = lead.mentions
    return [
        sorted(named.persons),
        sorted(named.places),
        sorted([kind, value] for kind, value in named.numbers),
        sorted(named.years),
        sorted(named.names),
        [[span.first, span.last, span.period] for span in lead.times],
    ]


def _lead_from_row(row: list[Any]) -> Lead:
    persons, places, numbers, years, names, times = row
    return Lead(
        Mentions(
            frozenset(persons),
            frozenset(places),
            frozenset((kind, value) for kind, value in numbers),
            frozenset(years),
            frozenset(names),
        ),
        tuple(TimeSpan(first, last, period) for first, last, period in times),
    )
