"""What a saved run records of its settings and inputs, and how a change is named."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from compare.embed import BACKENDS, default_backend, default_model
from compare.engines.index import INDEX_VERSION, READABLE_INDEX_VERSIONS, input_files
from compare.framing.cues import DATA as WORD_LIST_FOLDER
from compare.framing.cues import edited_file_notes, sides_notes, swap_notes
from compare.ingest import expand_inputs, registry_fingerprint
from compare.ingest.outlets import registry_notes
from compare.io.tables import reading, store_path
from compare.model.errors import InputError

# How the settings a saved run records are named when one of them changed.
SETTING_NAMES = {
    "model": "the embedding model",
    "backend": "the embedding backend",
    "outlets": "the outlet registry",
    "story_threshold": "--story-threshold",
    "date_window": "--date-window",
    "claim_threshold": "--claim-threshold",
    "anchor_weight": "--anchor-weight",
    "framing": "--no-framing",
    "word_lists": "the word lists",
}
# Settings recorded since a later version: a run saved before one of them was recorded is not analysed again in
# full for want of it (that would be every saved run, once, however large).
RECORDED_LATER = frozenset({"word_lists"})
# The file settings, as a change names them when no user file is given.
BUNDLED_FILES = {"outlets": "the bundled registry", "word_lists": "compare/data/"}


def embedding(arguments: argparse.Namespace) -> tuple[str, str]:
    """The embedding model and backend this run uses: the options, else ``$PARALLAX_MODEL`` and
    ``$PARALLAX_BACKEND``, else the defaults."""

    model, backend = arguments.model or default_model(), arguments.backend or default_backend()
    # Values from the environment are named by their variable (the messages named only the value, or a path).
    if arguments.backend is None and backend not in BACKENDS:
        raise InputError(
            f"PARALLAX_BACKEND={backend[:40]!r}: no such embedding backend; use one of {', '.join(BACKENDS)}, or unset it"
        )
    if arguments.model is None and not model.strip():
        raise InputError(f"PARALLAX_MODEL={model!r}: give a model name or a local path, or unset it")
    cache = Path(os.environ.get("PARALLAX_MODEL_CACHE") or ".").expanduser()
    if backend != "torch" and cache.exists() and not cache.is_dir():
        raise InputError(
            f"PARALLAX_MODEL_CACHE={str(cache)[:80]!r}: not a folder; give the folder where exported models are kept,"
            " or unset it"
        )
    return model, backend


def run_options(arguments: argparse.Namespace) -> dict[str, object]:
    """The settings a saved index must share with this run to be added to, as this run uses them (the
    options, environment variables and defaults resolved; a local model as its absolute path; the outlet
    registry with a hash of its content), so that a change of any of them is seen."""

    model, backend = embedding(arguments)
    return {
        "model": str(Path(model).resolve()) if Path(model).exists() else model,
        "backend": backend,
        "story_threshold": arguments.story_threshold,
        "date_window": arguments.date_window,
        "claim_threshold": arguments.claim_threshold,
        "anchor_weight": arguments.anchor_weight,
        "outlets": registry_fingerprint(arguments.outlets),
        "framing": not arguments.no_framing,
        "word_lists": word_lists_fingerprint(),
    }


def word_lists_fingerprint() -> dict[str, str | None]:
    """The word lists framing reads (the files of ``compare/data/`` but the outlet registry, which has its own,
    ``$PARALLAX_WORD_SWAPS`` and ``$PARALLAX_SIDES``) as a hash of their content: an edited ``sides.csv`` was kept
    out of a saved run that was added to ("added 0 articles"), the README's "other settings mean a full run"
    notwithstanding. ``file`` names the user's files (one, or "A, B"); without ``$PARALLAX_SIDES`` both values are
    what the version before recorded, so its saved runs are still added to."""
    digest = hashlib.sha256()
    for path in sorted(WORD_LIST_FOLDER.glob("*.csv")):
        if path.name != "outlets.csv":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    user_files = []
    for tag, variable in ((b"\0user\0", "PARALLAX_WORD_SWAPS"), (b"\0sides\0", "PARALLAX_SIDES")):
        user_path = os.environ.get(variable) or None
        if not user_path:
            continue
        user_files.append(str(Path(user_path).resolve()))
        try:
            digest.update(tag + Path(user_path).read_bytes())
        except OSError as error:  # swap_notes and sides_notes report it; the fingerprint only has to differ
            digest.update(repr(error).encode())
    return {"file": ", ".join(user_files) or None, "sha256": digest.hexdigest()}


def changed_settings(saved: dict[str, object], now: dict[str, object]) -> str | None:
    """A note naming the settings that differ between a saved run and this one, or None."""
    changed = [
        key
        for key in dict.fromkeys([*now, *saved])
        if saved.get(key) != now.get(key) and (key in saved or key not in RECORDED_LATER)
    ]
    if not changed:
        return None
    names = [SETTING_NAMES.get(key, key) for key in changed]
    details = "; ".join(setting_change(key, saved.get(key), now.get(key)) for key in changed)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"note: {listed} changed since the saved run ({details}); analysing in full"


def setting_change(key: str, before: object, after: object) -> str:
    """'BEFORE -> AFTER' for one setting; an outlet registry or word lists by their file, or 'FILE was edited'."""
    if key in BUNDLED_FILES:
        bundled = BUNDLED_FILES[key]
        if isinstance(before, dict) and isinstance(after, dict) and before.get("file") == after.get("file"):
            user_file = after.get("file")
            if key == "word_lists":  # the bundled lists are read beside the user's
                return f"{bundled}{f' or {user_file}' if user_file else ''} was edited"
            return f"{user_file or bundled} was edited"
        before, after = (
            (value.get("file") or bundled) if isinstance(value, dict) else value for value in (before, after)
        )
    return " -> ".join("not recorded" if value is None else str(value) for value in (before, after))


def local_input_files(units, digests: bool = False) -> list[dict[str, object]] | None:
    """The manifest entries of the inputs, or None when one is not a local file (then nothing can be added to).

    An input that cannot be read (a PDF in the folder, a missing path) is no entry: it is said on every run,
    and a file there later is an added one. Before, one such file meant no index, so every run was a full
    one, with a note blaming the Ray engine or non-local inputs.
    """

    if any(unit.kind not in ("file", "problem") for unit in units):
        return None
    return input_files([unit.location for unit in units if unit.kind == "file"], digests)


def index_manifest(arguments: argparse.Namespace, analysis) -> dict[str, object] | None:
    """What a later run needs to know to add files to this one (local engine, local files only), or None."""

    if arguments.engine != "local" or analysis.index is None:
        return None
    files = local_input_files(expand_inputs(arguments.inputs), digests=True)  # a copy's new times are no change
    if files is None:
        return None
    return {"options": run_options(arguments), "inputs": files, "articles": len(analysis.articles)}


_SWITCH_VALUES = {"", "0", "1", "off", "on", "false", "true", "no", "yes"}


def check_switches() -> None:
    """Refuses a ``$PARALLAX_ALLOW_PRIVATE_URLS`` that is neither on nor off ("maybe" was off without a word, so
    an intranet page was refused while the user believed it allowed).

    Raises:
        InputError: naming the variable and its value.
    """
    value = os.environ.get("PARALLAX_ALLOW_PRIVATE_URLS", "")
    if value.strip().lower() not in _SWITCH_VALUES:
        raise InputError(
            f"PARALLAX_ALLOW_PRIVATE_URLS={value[:40]!r}: give 1 (fetch from loopback and private networks too) or 0,"
            " or unset it"
        )


def data_file_notes(arguments: argparse.Namespace) -> tuple[str, ...]:
    """What cannot be used in the user's data files this run reads (the outlet registry of ``--outlets`` or
    ``$PARALLAX_OUTLETS``; with framing, the editable files of ``compare/data/``, ``$PARALLAX_WORD_SWAPS`` and
    ``$PARALLAX_SIDES``), each by file and line; read before any
    analysis, so that a file that cannot be read at all stops the run at once.

    Raises:
        InputError: a file cannot be read at all, or lacks a column it needs.
    """
    with_framing = arguments.command in ("report", "export") or (
        arguments.command == "analyze" and not arguments.no_framing
    )
    return registry_notes(arguments.outlets) + (
        (*edited_file_notes(), *swap_notes(), *sides_notes()) if with_framing else ()
    )


def unindexed_run_note(out: Path) -> str | None:
    """Why the run saved in ``out`` cannot be added to when it has no index this version reads, or None when
    there is no saved run (or it cannot be read, which is said where it is set aside). Before, such a run was
    analysed again in full without a word (hours, for a large one)."""
    why = "made by the Ray engine, or of inputs that are not local files"  # an older version's folder: not told
    if store_path(out).is_file():
        try:
            with reading(out) as store:
                manifest = store.get("manifest")
                why = _why_no_index(store)
        except InputError:
            return None
    elif (out / "analysis.json").is_file():
        try:
            manifest = json.loads((out / "index" / "manifest.json").read_bytes())
        except (OSError, ValueError):
            manifest = None
    else:
        return None
    if isinstance(manifest, dict) and manifest.get("version") not in READABLE_INDEX_VERSIONS:
        return (
            f"note: the saved run in {out} was made by another version of Parallax (its index is version"
            f" {manifest.get('version')!r}, this version adds to version {INDEX_VERSION}); analysing in full"
        )
    return f"note: the saved run in {out} keeps no index to add files to ({why}); analysing in full"


def _why_no_index(store: Any) -> str:
    """Which of the ways to save a run without an index made the one in ``store`` (the CLI saves one only for
    the local engine and local files; ``compare.pipeline.save_analysis`` only when given ``index_manifest``)."""
    analysis = store.get("analysis")
    settings = analysis.get("settings") if isinstance(analysis, dict) else None
    engine = (settings or {}).get("engine") or {}
    if isinstance(engine, dict) and engine.get("name") == "ray":
        return "made by the Ray engine, which keeps none"
    try:  # an article read from a URL or a bucket has its address as its source
        remote = store.connection.execute(
            "SELECT count(*) FROM articles WHERE regexp_matches(source, '^[A-Za-z][A-Za-z0-9+.-]*://')"
        ).fetchone()[0]
    except Exception:  # noqa: BLE001 (no articles table, an older layout: not told apart)
        remote = 0
    if remote:
        return f"made of inputs that are not all local files ({remote:,} articles read from addresses)"
    return (
        "saved from Python by compare.pipeline.save_analysis without index_manifest, which keeps no list of the"
        " files it was made of"
    )
