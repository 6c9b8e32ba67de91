"""The word lists the signals match against, read once from ``compare/data/`` (editable CSV files)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a data file; lines starting with "#" are comments."""
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _listed(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(";") if item.strip())


@cache
def sides() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Actor sides and their keywords (lower case), from ``sides.csv``; the first match wins."""
    return tuple(
        (row["side"], tuple(k.lower() for k in _listed(row["keywords"])))
        for row in _rows("sides.csv")
        if row.get("side")
    )


@cache
def generic_sides() -> frozenset[str]:
    """The sides of ``sides.csv`` whose kind is "generic" (experts, unnamed sources, media, ...): kinds
    of voice, not actors a statement can take a tone toward."""
    return frozenset(row["side"] for row in _rows("sides.csv") if (row.get("kind") or "").strip() == "generic")


@cache
def swap_sets() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Sets of competing wordings, from ``word_swaps.csv``."""
    return tuple((row["label"], _listed(row["variants"])) for row in _rows("word_swaps.csv") if row.get("label"))


@cache
def frame_cues() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Cue words of each frame, from ``frame_cues.csv`` (the frames without a model)."""
    return tuple((row["frame"], _listed(row["cues"])) for row in _rows("frame_cues.csv"))


@cache
def frame_descriptions() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The description and example sentences of each frame, from ``frame_descriptions.csv``."""
    found: dict[str, list[str]] = {}
    for row in _rows("frame_descriptions.csv"):
        found.setdefault(row["frame"], []).append(row["text"])
    return tuple((frame, tuple(texts)) for frame, texts in found.items())
