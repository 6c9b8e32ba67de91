"""A saved analysis: its tables, vectors and index in one store file (``OUT/analysis.duckdb``), and read back.

Written whole by a full run, and by adding articles only where the result changed (``previous``).
Folders of older versions (``analysis.json``, ``vectors.npy``, ``index/``) are still read, and are
replaced by the store the next time the analysis is written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, cast

import numpy as np

from compare.engines.analysis import Analysis
from compare.engines.index import READABLE_INDEX_VERSIONS, load_index
from compare.engines.keys import index_story_keys
from compare.engines.ray_shards import read_shard_vectors
from compare.engines.stored_index import store_index, stored_index
from compare.engines.summaries import changed_stories, write_story_summaries
from compare.io.atomic import TEMPORARY_SUFFIX, discard, write_file
from compare.io.collector import collector_paused
from compare.io.tables import FILES_NAME, STORE_NAME, AnalysisStore, open_for_reading, reading, store_path, writing
from compare.model.documents import Article, Claim, Problem, Statement, Story
from compare.model.errors import InputError
from compare.model.framing import Framing

LEGACY_FILES = ("analysis.json", "vectors.npy", "index")
READ_ATTEMPTS = 5
# Read as columns, a row made where it is used (``compare.io.column_rows``), when articles are added: an addition
# looks at the rows of a few hundred statements and at a column or two of the others. Only these fields are read
# for every row; the others (the texts: 80 of the 120 MB at 10,200 articles) for the rows made, where they lie,
# a block of rows at a time: 256 articles (1 MB of texts at BASIL's 4 KB an article) or 2,048 statements.
AS_COLUMNS = {
    "articles": (("id", "outlet", "title", "published"), 256),
    "statements": (("id", "article_id", "outlet", "index"), 2048),
}
Table = tuple[str, type, Sequence[Any]]


def analysis_tables(analysis: Analysis) -> list[Table]:
    """(table name, row type, rows) of everything an analysis holds in rows: documents, then every
    framing table (the fields of ``Framing`` that hold rows, so that a new table is stored as it is)."""
    tables: list[Table] = [
        ("articles", Article, analysis.articles),
        ("statements", Statement, analysis.statements),
        ("stories", Story, analysis.stories),
        ("claims", Claim, analysis.claims),
        ("problems", Problem, analysis.problems),
    ]
    if analysis.framing is not None:
        tables += [
            (item.name, item.metadata["row"], getattr(analysis.framing, item.name))
            for item in fields(Framing)
            if "row" in item.metadata
        ]
    return tables


@collector_paused()  # builds a column list per field of every table written and the index's parts, none in a cycle
def save_analysis(
    analysis: Analysis,
    folder: str | Path,
    with_vectors: bool = True,
    index_manifest: dict[str, Any] | None = None,
    *,
    previous: Analysis | None = None,
    with_json: bool = False,
) -> Path:
    """Writes the analysis to ``FOLDER/analysis.duckdb`` so that a reader always finds a whole analysis:
    the previous one until the new one is complete, then the new one (``compare.io.tables.writing``).
    The caller holds the folder (``atomic.locked_folder``) while it runs.

    Args:
        analysis: what to save.
        folder: the output folder (created when missing).
        with_vectors: store the vectors (the Ray engine keeps its vectors in its shards).
        index_manifest: what a later run needs to add files (inputs, settings); the index is stored
            when this is given and the analysis has one, and any earlier index dropped otherwise.
        previous: the analysis the store of ``folder`` holds, which ``analysis`` extends: then only
            the rows that differ are written.
        with_json: also write ``FOLDER/analysis.json`` (the export of ``python -m compare export-json``).

    Returns:
        The path of the store.

    Raises:
        OutputError: naming the file that cannot be written and why.
    """
    folder = Path(folder)
    update = previous is not None and store_path(folder).is_file()
    with writing(folder, fresh=not update) as store, store.blobs_together():
        before = {name: rows for name, _, rows in analysis_tables(previous)} if update and previous else {}
        for name, row_type, rows in analysis_tables(analysis):
            if name in before:
                store.update_table(name, row_type, before[name], rows)
            else:
                store.write_table(name, row_type, rows)
        write_story_summaries(store, changed_stories(previous, analysis) if update and previous else None)
        index_story_keys(store)
        if with_vectors:
            store.write_vectors(analysis.vectors, start=len(previous.vectors) if update and previous else 0)
        store.put("analysis", _analysis_values(analysis))
        store_index(store, analysis, index_manifest, update)
    for path in legacy_files_written_by_parallax(folder):  # an older version's files would be stale now
        discard(path)
    _discard_leftovers(folder)
    if with_json:
        export_json(analysis, folder / "analysis.json")
    return store_path(folder)


def export_json(analysis: Analysis, target: Path) -> None:
    """Writes ``analysis.json`` (``Analysis.to_dict``, as ``Analysis.to_json`` makes it) to ``target``, whole or not at all."""
    write_file(target, analysis.to_json())


def _analysis_values(analysis: Analysis) -> dict[str, Any]:
    framing = None
    if analysis.framing is not None:
        framing = {
            item.name: getattr(analysis.framing, item.name) for item in fields(Framing) if "row" not in item.metadata
        }
    return {"model": analysis.model, "settings": analysis.settings, "framing": framing}


@collector_paused()  # builds a few hundred thousand rows, none in a cycle
def load_analysis(
    folder: str | Path, with_index: bool = False, deferred: Collection[str] = (), mapped_vectors: bool = False
) -> Analysis:
    """The analysis saved in ``folder`` (the store, or an older version's analysis.json), with its index
    when asked and stored.

    ``deferred`` names tables read only when their rows are used (``compare.io.deferred.StoredRows``;
    the store stays open for them meanwhile): adding articles passes ``APPENDED_TABLES``, which it
    neither reads nor writes again. ``mapped_vectors``: the vectors as their mapped float16 blocks, read where
    used (``StoredVectors``, as an addition has them), for a reader that uses few or none (export-json).

    Raises:
        InputError: when the folder holds no readable analysis.
    """
    folder = Path(folder)
    if not store_path(folder).is_file():
        data, vectors = _read_legacy(folder)
        analysis = analysis_from_dict(data, vectors)
        if with_index and (folder / "index" / "manifest.json").is_file():
            analysis.index = load_index(folder / "index")
        return analysis
    missing = ""
    for _ in range(READ_ATTEMPTS):
        try:
            if deferred:
                return _with_deferred_tables(folder, with_index, deferred)
            with reading(folder) as store:
                return analysis_from_store(store, with_index, mapped_vectors=mapped_vectors)
        except FileNotFoundError as error:  # two writes while this read ran removed its blob files: read the newest
            missing = str(error.filename or "")
    if missing and not Path(missing).exists():  # not a write meanwhile: the file is gone (deleted, not copied along)
        raise InputError(
            f"{store_path(folder)}: its file {missing} is missing (the folder {FILES_NAME} must stay beside the store)"
        )
    raise InputError(f"{store_path(folder)}: the analysis changed {READ_ATTEMPTS} times while it was read; try again")


def _with_deferred_tables(folder: Path, with_index: bool, deferred: Collection[str]) -> Analysis:
    """``analysis_from_store`` on a store left open for the deferred tables (closed when they are gone)."""
    import duckdb

    store = open_for_reading(folder, detached=True)
    try:
        return analysis_from_store(store, with_index, deferred)
    except duckdb.Error as error:
        store.connection.close()
        raise InputError(f"{store.path}: cannot read the saved analysis ({error})") from error
    except BaseException:
        store.connection.close()
        raise


def analysis_from_store(
    store: AnalysisStore, with_index: bool = False, deferred: Collection[str] = (), mapped_vectors: bool = False
) -> Analysis:
    """The analysis a store holds (``with_index``: and its index, when one is stored; ``deferred``: these
    tables as ``StoredRows``, read from ``store`` when used; ``mapped_vectors``: the vectors as ``StoredVectors``,
    as with ``deferred``)."""
    values = store.get("analysis")
    tables: dict[str, Any] = {
        name: store.deferred_table(name, row_type)
        if name in deferred
        else store.read_columns(name, row_type, *AS_COLUMNS[name])
        if deferred and name in AS_COLUMNS
        else store.read_table(name, row_type)
        for name, row_type, _ in _table_types(values["framing"])
    }
    framing = None
    if values["framing"] is not None:
        found: dict[str, Any] = {item.name: tables[item.name] for item in fields(Framing) if "row" in item.metadata}
        framing = Framing(**found, **values["framing"])
    # An addition (``deferred``) reads the rows it uses of the vectors, a search block at a time: ``StoredVectors``
    # answers its stages' keys (``vectors[rows]``, slices, ``len``, ``shape``) as the float32 array would
    vectors = cast(np.ndarray, store.mapped_vectors()) if deferred or mapped_vectors else store.read_vectors()
    analysis = Analysis(
        articles=tables["articles"],
        statements=tables["statements"],
        stories=tables["stories"],
        claims=tables["claims"],
        problems=tables["problems"],
        vectors=vectors if len(vectors) == len(tables["statements"]) else _shard_vectors(store, tables),
        model=values["model"],
        settings=values["settings"],
        framing=framing,
    )
    manifest = store.get("manifest")
    if with_index and manifest is not None:
        analysis.index = stored_index(store, manifest, lazy=bool(deferred))
    return analysis


def _table_types(framing: dict[str, Any] | None) -> list[tuple[str, type, Sequence[Any]]]:
    empty = Analysis([], [], [], [], [], np.zeros((0, 1)), framing=Framing() if framing is not None else None)
    return analysis_tables(empty)


def _shard_vectors(store: AnalysisStore, tables: dict[str, list[Any]]) -> np.ndarray:
    """The Ray engine's vectors from its shards beside the store, or none when they do not fit."""
    shards = store.path.parent / "shards"
    vectors = read_shard_vectors(shards) if shards.is_dir() else np.zeros((0, 1), dtype=np.float32)
    return vectors if len(vectors) == len(tables["statements"]) else np.zeros((0, 1), dtype=np.float32)


def read_stored_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The manifest of the index saved in ``folder`` (the store's or an older version's), or None."""
    from compare.engines.index import read_manifest

    folder = Path(folder)
    if not store_path(folder).is_file():
        return read_manifest(folder / "index")
    try:
        with reading(folder) as store:
            manifest = store.get("manifest")
    except InputError:
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("version") in READABLE_INDEX_VERSIONS else None


def read_saved_analysis(folder: str | Path) -> tuple[dict[str, Any], np.ndarray]:
    """An analysis written by ``python -m compare analyze --out FOLDER`` (either engine), as analysis.json's
    dict, with its vectors (an empty array when none are stored).

    Raises:
        InputError: when the folder holds no readable analysis.
    """
    if not store_path(folder).is_file() and (Path(folder) / "analysis.json").is_file():
        return _read_legacy(Path(folder))
    analysis = load_analysis(folder)
    return analysis.to_dict(), analysis.vectors


@collector_paused()
def _read_legacy(folder: Path) -> tuple[dict[str, Any], np.ndarray]:
    """analysis.json and vectors.npy (or the Ray engine's shards) as versions before the store wrote them."""
    import orjson

    try:
        analysis = orjson.loads((folder / "analysis.json").read_bytes())
    except FileNotFoundError as error:
        raise InputError(
            f"{folder / STORE_NAME}: no saved analysis here (run `python -m compare analyze ... --out {folder}`)"
        ) from error
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


def legacy_files_written_by_parallax(folder: Path) -> list[Path]:
    """The older version's ``analysis.json``, ``vectors.npy`` and ``index/`` in ``folder``, only where Parallax
    wrote them: ``--out`` may be a folder that holds a user's own file or folder of one of these names.

    ``analysis.json`` is Parallax's when it starts as ``Analysis.to_json`` starts; ``vectors.npy`` goes
    with it; ``index/`` (and a killed run's ``index.new/``) when it holds a manifest and only the files
    the index is written as.
    """
    found = [
        path for path in (folder / "index", folder / "index.new") if _is_parallax_index(path, path.name == "index")
    ]
    if is_parallax_analysis_json(folder / "analysis.json"):
        found += [folder / "analysis.json", folder / "vectors.npy"]
    return found


_ANALYSIS_JSON_START = re.compile(rb'\s*\{\s*"version"\s*:\s*1\s*,\s*"model"\s*:')  # as to_dict orders it
_SORTED_ANALYSIS_JSON_START = re.compile(rb'\s*\{\s*"articles"\s*:')  # with sorted keys: then read whole
_INDEX_FILES = ("arrays.npz", "index.json", "manifest.json")


def is_parallax_analysis_json(path: Path) -> bool:
    """Whether ``path`` is an ``analysis.json`` Parallax wrote, which may be replaced (a user's file may not)."""
    import orjson

    try:
        with path.open("rb") as handle:
            head = handle.read(200)
            if _ANALYSIS_JSON_START.match(head):
                return True
            if not _SORTED_ANALYSIS_JSON_START.match(head):
                return False
            handle.seek(0)
            document = orjson.loads(handle.read())
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("version") == 1 and "statements" in document


def _is_parallax_index(folder: Path, with_manifest: bool) -> bool:
    if folder.is_symlink() or not folder.is_dir() or (with_manifest and not (folder / "manifest.json").is_file()):
        return False
    names = [path.name for path in folder.iterdir()]
    return all(name in _INDEX_FILES or (name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)) for name in names)


def _discard_leftovers(folder: Path) -> None:
    """Removes what a killed writer of an older version left in ``folder``."""
    for path in folder.iterdir():
        if (
            path.name.startswith(tuple(f".{name}." for name in LEGACY_FILES)) and path.name.endswith(TEMPORARY_SUFFIX)
        ) or path.name in ("analysis.json.tmp", "vectors.npy.tmp"):
            discard(path)
