"""The word lists the signals match against, read once from ``compare/data/`` (editable CSV files)."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

from compare.ingest.datafiles import DataFileKind, read_data_file

DATA = Path(__file__).resolve().parent.parent / "data"


_RESTORE = "restore the file (git checkout compare/data/)"
# The files of compare/data/ that users edit in place, read like their own files: a file edited into a shape
# that cannot be used is named (a missing column was a KeyError traceback), a row that cannot is a note.
EDITED_FILES = {
    "sides.csv": DataFileKind("actor sides file", ("side", "keywords", "kind"), "side", _RESTORE, ("keywords",)),
    "frame_cues.csv": DataFileKind("frame cues file", ("frame", "cues"), "frame", _RESTORE, ("cues",)),
    "word_swaps.csv": DataFileKind("word swaps file", ("label", "variants"), "label", _RESTORE, ("variants",)),
}


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a data file in ``compare/data/``; lines starting with "#" are comments."""
    if name in EDITED_FILES:
        return [row for _, row in read_data_file(DATA / name, EDITED_FILES[name]).rows]
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def edited_file_notes() -> tuple[str, ...]:
    """What cannot be used in the editable files of ``compare/data/`` (sides, frame cues, word swaps), by line.

    Raises:
        InputError: a file cannot be read at all, or lacks a column.
    """
    return tuple(note for name, kind in EDITED_FILES.items() for note in read_data_file(DATA / name, kind).notes)


def _listed(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(";") if item.strip())


def sides() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """Actor sides, their keywords and their kind: the bundled ``sides.csv``, then the user's (``$PARALLAX_SIDES``).

    A keyword is matched in lower case, unless written with a capital ("Survey": only the capitalised word). The
    user's file has the same columns (side, keywords separated by ";", kind); a side it repeats replaces the
    bundled row in its place, a new side comes after the bundled ones. Before, ``sides.csv`` could only be edited
    in a source checkout (an installed package's copy is overwritten by the next install).
    """
    return _sides(user_sides_file())


def user_sides_file() -> str | None:
    """``$PARALLAX_SIDES``: the user's actor sides file, or None."""
    return os.environ.get("PARALLAX_SIDES") or None


@cache
def _sides(user_path: str | None) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    rows = [row for row in _rows("sides.csv") if row.get("side")]
    if user_path is not None:
        rows += [row for _, row in read_data_file(user_path, SIDES_FILE).rows]
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    for row in rows:
        found[row["side"]] = (
            tuple(_keyword(k) for k in _listed(row.get("keywords") or "")),
            (row.get("kind") or "").strip(),
        )
    return tuple((side, keywords, kind) for side, (keywords, kind) in found.items())


SIDES_FILE = DataFileKind(
    "actor sides file", ("side", "keywords", "kind"), "side", "unset PARALLAX_SIDES", required=("keywords",)
)


def _keyword(keyword: str) -> str:
    """A keyword as matched: lower case, unless its first letter is a capital (then as written)."""
    return keyword if keyword[:1].isupper() else keyword.lower()


def side_kinds() -> dict[str, str]:
    """The kind of each side (body, country, party, institution, generic or "")."""
    return _side_kinds(user_sides_file())


@cache
def _side_kinds(user_path: str | None) -> dict[str, str]:
    return {side: kind for side, _, kind in _sides(user_path)}


def generic_sides() -> frozenset[str]:
    """The sides whose kind is "generic" (experts, unnamed sources, citizens, ...): kinds of voice, not actors a
    statement can take a tone toward."""
    return _generic_sides(user_sides_file())


@cache
def _generic_sides(user_path: str | None) -> frozenset[str]:
    return frozenset(side for side, _, kind in _sides(user_path) if kind == "generic")


def swap_sets() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Sets of competing wordings: the bundled ``word_swaps.csv``, then the user's (``$PARALLAX_WORD_SWAPS``).

    The user's file has the same columns (label, variants separated by ";"); a label it repeats
    replaces the bundled set, and a row with no variants removes it.
    """
    return _swap_sets(os.environ.get("PARALLAX_WORD_SWAPS") or None)


@cache
def _swap_sets(user_path: str | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = {row["label"]: _listed(row["variants"] or "") for row in _rows("word_swaps.csv") if row.get("label")}
    if user_path is not None:
        found.update(
            (row["label"], _listed(row.get("variants") or "")) for _, row in read_data_file(user_path, SWAPS_FILE).rows
        )
    return tuple((label, variants) for label, variants in found.items() if len(variants) >= 2)


SWAPS_FILE = DataFileKind(
    "word swaps file", ("label", "variants"), "label", "unset PARALLAX_WORD_SWAPS", required=("variants",)
)


def swap_notes() -> tuple[str, ...]:
    """What cannot be used in ``$PARALLAX_WORD_SWAPS``, by file and line.

    Raises:
        InputError: the file cannot be read at all, or lacks a column.
    """
    user_path = os.environ.get("PARALLAX_WORD_SWAPS") or None
    return read_data_file(user_path, SWAPS_FILE).notes if user_path else ()


def sides_notes() -> tuple[str, ...]:
    """What cannot be used in ``$PARALLAX_SIDES``, by file and line.

    Raises:
        InputError: the file cannot be read at all, or lacks a column.
    """
    user_path = user_sides_file()
    return read_data_file(user_path, SIDES_FILE).notes if user_path else ()


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


@cache
def neutral_senses() -> frozenset[str]:
    """The VADER lexicon entries that news uses in a neutral sense ("party", "like"), from ``neutral_senses.csv``."""
    return frozenset(
        row["word"].strip().lower() for row in _rows("neutral_senses.csv") if (row.get("word") or "").strip()
    )
