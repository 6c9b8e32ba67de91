"""A saved analysis: analysis.json, its vectors and index written as one set, and read back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from compare.engines.analysis import Analysis
from compare.engines.index import write_index
from compare.engines.ray_shards import read_shard_vectors
from compare.io.atomic import (
    TEMPORARY_SUFFIX,
    commit,
    discard,
    make_folder,
    reason,
    stage_file,
    sync_folder,
)
from compare.io.collector import collector_paused
from compare.model.documents import Article, Claim, Problem, Statement, Story
from compare.model.errors import InputError, OutputError
from compare.model.framing import Framing


@collector_paused()
def analysis_from_dict(data: dict[str, Any], vectors: np.ndarray) -> Analysis:
    """The Analysis of an analysis.json (``Analysis.to_dict``) and its vectors, without an index."""
    return Analysis(
        articles=[Article(**article) for article in data["articles"]],
        statements=[
            Statement(**{**statement, "entities": tuple((text, label) for text, label in statement["entities"])})
            for statement in data["statements"]
        ],
        stories=[
            Story(**{key: tuple(value) for key, value in story.items() if key != "id"}, id=story["id"])
            for story in data["stories"]
        ],
        claims=[
            Claim(**{key: tuple(value) for key, value in cluster.items() if key != "id"}, id=cluster["id"])
            for cluster in data["clusters"]
        ],
        problems=[Problem(**problem) for problem in data["problems"]],
        vectors=vectors,
        model=data["model"],
        settings=data["settings"],
        framing=Framing.from_dict(data) if data.keys() & set(Framing.keys()) else None,
    )


@collector_paused()
def read_saved_analysis(folder: str | Path) -> tuple[dict[str, Any], np.ndarray]:
    """An analysis written by ``python -m compare analyze --out FOLDER`` (either engine), with its vectors.

    Vectors come from ``vectors.npy`` (the local engine) or the Parquet shards (the Ray engine); an
    empty array when neither is there.

    Raises:
        InputError: when the folder holds no readable analysis.json.
    """
    import orjson

    folder = Path(folder)
    try:
        analysis = orjson.loads((folder / "analysis.json").read_bytes())
    except (OSError, ValueError) as error:  # orjson.JSONDecodeError is a ValueError
        raise InputError(f"{folder / 'analysis.json'}: cannot read the saved analysis ({error})") from error
    if not isinstance(analysis, dict) or analysis.get("version") != 1 or "statements" not in analysis:
        raise InputError(f"{folder / 'analysis.json'}: not an analysis written by Parallax (version 1)")
    if (folder / "vectors.npy").is_file():
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
    elif (folder / "shards").is_dir():
        vectors = read_shard_vectors(folder / "shards")
    else:
        vectors = np.zeros((0, 1), dtype=np.float32)
    if len(vectors) != len(analysis["statements"]):
        vectors = np.zeros((0, 1), dtype=np.float32)  # stale or missing: the map is left out
    return analysis, vectors


def save_analysis(  # noqa: C901 -- one transaction: stage every file, then swap in a fixed order, undo on failure
    analysis: Analysis,
    folder: str | Path,
    with_vectors: bool = True,
    index_manifest: dict[str, Any] | None = None,
) -> Path:
    """Writes ``FOLDER/analysis.json``, ``vectors.npy`` and the index, so that a reader always finds a set
    that fits together. The caller holds the folder (``atomic.locked_folder``) while it runs.

    Every new file is written first, under temporary names, and flushed to disk: a failure there (a full
    disk, a read-only folder, an interrupt) leaves the previous analysis as it was and nothing else. Only
    then are the old files replaced, in an order where each step leaves a readable, consistent folder:
    the old index and vectors go, analysis.json is renamed into place, then vectors.npy, then the index.
    Stopped in between, the folder holds an analysis.json with its own vectors or with none (the map is
    left out), and an index only when it matches both (otherwise the next run is a full one).

    Args:
        analysis: what to save.
        folder: the output folder (created when missing).
        with_vectors: write ``vectors.npy`` (the Ray engine keeps its vectors in its shards).
        index_manifest: what ``incremental.read_manifest`` gives back (inputs, settings); the index is
            written when this is given and the analysis has one, and any earlier index removed otherwise.

    Returns:
        The path of analysis.json.

    Raises:
        OutputError: naming the file that cannot be written and why.
    """

    folder = Path(folder)
    make_folder(folder)
    _discard_leftovers(folder)
    target, vectors_file, index_folder = folder / "analysis.json", folder / "vectors.npy", folder / "index"
    index_staging = folder / "index.new"
    index = analysis.index if index_manifest is not None else None
    staged: list[tuple[Path, Path]] = []  # (temporary file, its target), in the order they are renamed
    staging_index = False
    try:
        content = analysis.to_json()
        staged.append((stage_file(target, content), target))
        del content
        if with_vectors:
            vectors = np.asarray(analysis.vectors, dtype=np.float32)
            staged.append(
                (stage_file(vectors_file, lambda handle: np.save(handle, vectors, allow_pickle=False)), vectors_file)
            )
        if index is not None and index_manifest is not None:
            staging_index = True
            write_index(index, index_staging, index_manifest)
            sync_folder(index_staging)
        # Everything new is on disk: replace the old files, each step leaving a consistent folder.
        try:
            for old in (index_folder, vectors_file):
                if old.is_dir():
                    retired = folder / f".{old.name}.old{TEMPORARY_SUFFIX}"
                    os.replace(old, retired)
                    discard(retired)
                elif old.exists():
                    old.unlink()
        except OSError as error:
            raise OutputError(f"cannot replace {error.filename or folder}: {reason(error)}") from error
        while staged:
            commit(*staged[0])
            staged.pop(0)
        if staging_index:
            try:
                os.replace(index_staging, index_folder)
            except OSError as error:
                raise OutputError(f"cannot write {index_folder}: {reason(error)}") from error
            staging_index = False
        sync_folder(folder)
    finally:
        for temporary, _ in staged:
            discard(temporary)
        if staging_index:
            discard(index_staging)
    return target


def _discard_leftovers(folder: Path) -> None:
    """Removes what a killed ``save_analysis`` (or an older version's writer) left in ``folder``."""

    names = ("analysis.json", "vectors.npy", "index")
    for path in folder.iterdir():
        if (
            path.name.startswith(tuple(f".{name}." for name in names)) and path.name.endswith(TEMPORARY_SUFFIX)
        ) or path.name in ("index.new", "analysis.json.tmp", "vectors.npy.tmp"):
            discard(path)
