"""Two saved analyses compared: every table row by row in order, the vectors, and the index (its arrays, and the
rest as JSON values with its maps as sets of rows), whatever layout each index is stored in (BENCHMARKS §5n).

Usage (from a checkout's root; its code must read both layouts):
    python bench/compare_saved.py SAVED_A SAVED_B
"""

from __future__ import annotations

import sys

import numpy as np
import orjson

from compare.engines.index import index_parts
from compare.io.tables import reading
from compare.pipeline import load_analysis

UNORDERED = ("substitutions", "entities", "actor_tones", "frame_counts")  # lists made from dicts: order is no meaning


def _json(value: object) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def compare_tables(first: str, second: str) -> None:
    with reading(first) as one, reading(second) as other:
        names = [{name for (name,) in store.connection.execute("SHOW TABLES").fetchall()} for store in (one, other)]
        print("tables in one store only:", sorted(names[0] ^ names[1]))
        differing = []
        shared = sorted(name for name in names[0] & names[1] if name not in ("blobs", "vectors"))
        for name in shared:
            if "_pos" not in one.table_columns(name):
                continue
            query = f'SELECT * EXCLUDE (_pos) FROM "{name}" ORDER BY _pos'
            if one.connection.execute(query).fetchall() != other.connection.execute(query).fetchall():
                differing.append(name)
        print(f"tables compared: {len(shared)}, differing: {differing}")
        print("vectors equal:", np.array_equal(one.read_vectors(), other.read_vectors()))


def compare_indexes(first: str, second: str) -> None:
    indexes = [load_analysis(folder, with_index=True).index for folder in (first, second)]
    if indexes[0] is None or indexes[1] is None:
        print("an index is missing:", [index is None for index in indexes])
        return
    (arrays, parts), (other_arrays, other_parts) = index_parts(indexes[0]), index_parts(indexes[1])
    same = arrays.keys() == other_arrays.keys() and all(
        arrays[name].dtype == other_arrays[name].dtype and np.array_equal(arrays[name], other_arrays[name])
        for name in arrays
    )
    print("index arrays equal:", same)
    for key, value in parts.items():
        if key != "framing" or value is None:
            print(f"index {key} equal:", _json(value) == _json(other_parts[key]))
            continue
        for part, found in value.items():
            other = other_parts["framing"][part]
            if part in UNORDERED:
                print(f"framing {part} equal:", sorted(map(_json, found)) == sorted(map(_json, other)))
            else:
                print(f"framing {part} equal:", _json(found) == _json(other))


if __name__ == "__main__":
    compare_tables(*sys.argv[1:3])
    compare_indexes(*sys.argv[1:3])
