"""A saved analysis stored again whole, in the layout of the code that runs this (BENCHMARKS §5n).

Usage (from a checkout's root, ``PYTHONPATH=CODE`` for another checkout's layout):
    python bench/stored_again.py SAVED OUT

The same analysis and index, read from SAVED with its index and written to the new folder OUT with the same
manifest: so that two versions of the code add to the same analysis, each in its own layout.
"""

from __future__ import annotations

import sys

from compare.pipeline import load_analysis, read_stored_manifest, save_analysis


def main(saved: str, out: str) -> None:
    analysis = load_analysis(saved, with_index=True)
    manifest = read_stored_manifest(saved)
    if manifest is None:
        raise SystemExit(f"{saved}: no index this code can read")
    kept = {key: value for key, value in manifest.items() if key not in ("version", "arrays", "runs")}
    save_analysis(analysis, out, index_manifest=kept)
    print(f"{saved} stored again whole -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:3])
