"""The index of an analysis in its store: arrays as blobs, the framing index's large maps as tables of their own
(``compare.io.keyed``: read where an addition uses them, written back where it changed them), the rest as one
small JSON value."""

from __future__ import annotations

from collections import Counter
from typing import Any

from compare.engines.analysis import Analysis, AnalysisIndex
from compare.engines.index import INDEX_VERSION, MAP_FIELDS, index_from_parts, index_parts
from compare.engines.index_arrays import read_arrays, write_arrays
from compare.io.keyed import MapTable, StoredMap, store_map
from compare.io.tables import AnalysisStore


def _terms_decoded(columns: list[list[Any]]) -> dict[Any, Any]:
    found: dict[str, Counter[str]] = {}
    for outlet, term, count in zip(*columns):
        if outlet not in found:
            found[outlet] = Counter()
        found[outlet][term] = count
    return found


def _terms_encoded(items: list[tuple[Any, Any]]) -> list[list[Any]]:
    rows = [(outlet, term, count) for outlet, counts in items for term, count in counts.items()]
    return [list(column) for column in zip(*rows)] if rows else [[], [], []]


def _wordings_decoded(columns: list[list[Any]]) -> dict[Any, Any]:
    import orjson

    return {
        (first, second): [] if found == "[]" else [(theirs, ours) for theirs, ours in orjson.loads(found)]
        for first, second, found in zip(*columns)
    }


def _wordings_encoded(items: list[tuple[Any, Any]]) -> list[list[Any]]:
    import orjson

    return [
        [first for (first, _), _ in items],
        [second for (_, second), _ in items],
        [orjson.dumps(found).decode() for _, found in items],
    ]


_PLACES = ("headline", "lede", "later")  # where ``framing.entities`` counts a name: the only keys of its counters


def _entities_decoded(columns: list[list[Any]]) -> dict[Any, Any]:
    outlets, entities, labels, *counts = columns
    return {
        (outlet, entity, label): Counter({place: n for place, n in zip(_PLACES, found) if n})
        for outlet, entity, label, *found in zip(outlets, entities, labels, *counts)
    }


def _entities_encoded(items: list[tuple[Any, Any]]) -> list[list[Any]]:
    for _, counts in items:
        if not counts.keys() <= set(_PLACES):
            raise ValueError(f"entity counts with places other than {_PLACES}: {sorted(counts)}")
    keys = [key for key, _ in items]
    return [
        *([key[at] for key in keys] for at in range(3)),
        *([counts[place] for _, counts in items] for place in _PLACES),
    ]


OUTLET_TERMS = MapTable(
    "index_outlet_terms",
    (("outlet", "VARCHAR"), ("term", "VARCHAR"), ("count", "BIGINT")),
    1,
    lambda outlet: (outlet,),
    _terms_decoded,
    _terms_encoded,
    mutable=True,
    empty=Counter,
)
SUBSTITUTIONS = MapTable(  # a part per first statement: an addition reads those of the changed stories' statements
    "index_substitutions",
    (("first", "VARCHAR"), ("second", "VARCHAR"), ("wordings", "VARCHAR")),
    1,
    lambda pair: (pair[0],),
    _wordings_decoded,
    _wordings_encoded,
    mutable=False,  # a pair's wordings are replaced, never changed in place
)
ENTITIES = MapTable(
    "index_entities",
    (("outlet", "VARCHAR"), ("entity", "VARCHAR"), ("label", "VARCHAR"))
    + tuple((place, "BIGINT") for place in _PLACES),
    3,
    lambda key: tuple(key),
    _entities_decoded,
    _entities_encoded,
    mutable=True,
)
MAP_TABLES = dict(zip(MAP_FIELDS, (OUTLET_TERMS, SUBSTITUTIONS, ENTITIES)))


def store_index(store: AnalysisStore, analysis: Analysis, manifest: dict[str, Any] | None, update: bool) -> None:
    """Writes the index of ``analysis`` (none, and any earlier one forgotten, without ``manifest``); ``update``:
    ``store`` is a copy of the store the index ``analysis`` extends was read from (``AnalysisIndex.stored``):
    its map tables and arrays change where they changed."""
    if manifest is None or analysis.index is None:
        store.put("manifest", None)
        return
    arrays, parts = index_parts(analysis.index, with_maps=False)
    runs = write_arrays(store, arrays, analysis.index.stored if update else None)
    framing = analysis.index.framing
    for field, table in MAP_TABLES.items():
        if framing is None:
            store.connection.execute(f'DROP TABLE IF EXISTS "{table.name}"')
        else:
            store_map(store, table, getattr(framing, field), update)
    store.put("index", parts)
    store.put("manifest", {**manifest, "version": INDEX_VERSION, "arrays": sorted(arrays), "runs": runs})


def stored_index(store: AnalysisStore, manifest: dict[str, Any], lazy: bool) -> AnalysisIndex:
    """The index ``store`` keeps (``manifest`` its manifest); ``lazy``: its map tables read where used (the
    store stays open while the index is used), else whole now."""
    stored = read_arrays(store, manifest["arrays"], manifest.get("runs") or {})
    parts = store.get("index")
    framing = parts["framing"]
    maps: dict[str, Any] | None = None
    if framing is not None and "outlet_terms" not in framing:  # else no framing, or the maps in the JSON
        maps = {}
        for field, table in MAP_TABLES.items():
            found = StoredMap(store, table, framing["outlets"] if field == "outlet_terms" else None)
            maps[field] = found if lazy else found.plain()
    index = index_from_parts(stored.arrays, parts, maps)
    index.stored = stored
    return index
