"""Running the pipeline for a command: local, Ray, or added to an earlier run, with a progress bar."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from compare.cli.messages import printable
from compare.cli.preload import loading_beside
from compare.cli.saved_checks import damaged_entry, unknown_columns
from compare.cli.settings import changed_settings, embedding, local_input_files, run_options, unindexed_run_note
from compare.cluster import (
    ClaimOptions,
    StoryOptions,
)
from compare.cluster.claim_ids import named_by_rank
from compare.embed import get_embedder, hide_library_progress
from compare.engines.incremental import runs_in_full
from compare.engines.index import unchanged_input
from compare.engines.ray import RayOptions, analyze_on_ray
from compare.engines.shards import ShardOptions
from compare.framing import APPENDED_TABLES, CARRIED_TABLES
from compare.ingest import Corpus, expand_inputs, load_corpus, load_registry, load_unit
from compare.ingest.corpus import outlet_key
from compare.ingest.inputs import maildir_place
from compare.io.collector import back_on, keep_loaded, off_for_command
from compare.io.column_rows import column_of
from compare.io.store import Store
from compare.io.store_copy import copy_ahead
from compare.io.tables import FILES_NAME, files_folder, open_for_reading, store_path
from compare.model.documents import Problem
from compare.model.errors import InputError, NothingToCompareError, ParallaxError, StoreError, UnreadableRowsError
from compare.pipeline import analyze, extend, load_analysis, read_stored_manifest


def warning_line(problem: Problem) -> str:
    """A problem as one ``warning:`` line, its unprintable characters shown as escapes (``\\n``, ``\\u202e``)."""
    return printable(f"warning: {problem.source}: {problem.message}")


SAME_PROBLEM_SHOWN = 10  # warnings of one kind from one file (or one folder's files) shown before the rest are counted


def print_warnings(problems: Iterable[Problem]) -> None:
    """Each problem as a ``warning:`` line, but at most ``SAME_PROBLEM_SHOWN`` of one kind from one file's rows or
    one folder's files: a table of 100,000 rows too short to be articles gave 100,000 lines, as a folder of 20,000
    notes did, and the other inputs' warnings were lost among them. The rest of a kind is one line at the end; the
    analysis keeps every problem (``export-json``)."""
    shown: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in problems:
        file, _, row = problem.source.rpartition(":")
        group = (file, "rows") if row.isdigit() else (os.path.dirname(problem.source) or ".", "files")
        same = shown.setdefault((*group, _PROBLEM_KIND.sub("#", problem.message)), [])
        same.append(problem)
        if len(same) <= SAME_PROBLEM_SHOWN:
            print(warning_line(problem), file=sys.stderr)
    for (where, what, _), same in shown.items():
        if len(same) > SAME_PROBLEM_SHOWN:
            first = same[0].message if len(same[0].message) <= 80 else same[0].message[:77] + "..."
            more = f"{len(same) - SAME_PROBLEM_SHOWN:,} more {what}"
            line = f"warning: {where}{'/' if what == 'files' else ''}: {more} like the first {SAME_PROBLEM_SHOWN}"
            print(printable(f"{line} ({same[0].source}: {first}), not each shown"), file=sys.stderr)


_PROBLEM_KIND = re.compile(r"'[^']*'|\d[\d,.]*")  # a message without its quoted values and numbers


class ProgressBar:
    """A tqdm bar per stage on an interactive terminal; nothing in CI logs or pipes."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self.bars: dict[str, object] = {}
        if not self.enabled:  # nor the libraries' (the int8 export's "Loading weights", a model's download)
            hide_library_progress()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="item", leave=False, file=sys.stderr)
        bar.n = done  # type: ignore[attr-defined]
        bar.refresh()  # type: ignore[attr-defined]
        if done >= total:
            bar.close()  # type: ignore[attr-defined]

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()  # type: ignore[attr-defined]


def run_pipeline(arguments: argparse.Namespace, with_framing: bool):
    return run_with_previous(arguments, with_framing)[0]


def run_with_previous(arguments: argparse.Namespace, with_framing: bool):
    """(the analysis, the saved analysis it extends or None): ``analyze`` adds files to OUT's saved run
    when it can, and then writes only what changed."""
    if arguments.engine == "ray":
        return run_on_ray(arguments, with_framing), None

    registry = load_registry(arguments.outlets)
    store = None if arguments.no_store else open_store(arguments.store)
    if arguments.command == "analyze" and not arguments.full:
        earlier = add_to_earlier_run(arguments, registry, store)
        if earlier is not None:
            return earlier
    progress = ProgressBar(not arguments.quiet)
    try:
        corpus = load_corpus(arguments.inputs, registry, progress=progress)  # a folder of 100,000 files: a minute
    finally:
        progress.close()
    print_warnings(corpus.problems)
    if not corpus.articles:
        raise ParallaxError("no article could be read from the inputs; see the warnings above")
    progress = ProgressBar(not arguments.quiet)
    try:
        analysis = analyze(
            corpus,
            embedder=get_embedder(*embedding(arguments)),
            store=store,
            story_options=StoryOptions(threshold=arguments.story_threshold, date_window_days=arguments.date_window),
            claim_options=ClaimOptions(threshold=arguments.claim_threshold, anchor_weight=arguments.anchor_weight),
            with_framing=with_framing,
            progress=progress,
        )
    finally:
        progress.close()
    return analysis, None


def open_store(given: str | None) -> Store:
    """The embedding store of ``--store``, else ``$PARALLAX_STORE`` (named when its value cannot be used: the
    message named only the path), else the default one."""
    try:
        return Store(given)
    except StoreError as error:
        configured = os.environ.get("PARALLAX_STORE")
        if given is None and configured:
            raise StoreError(f"PARALLAX_STORE={configured[:80]!r}: {error}") from error
        raise


def add_to_earlier_run(arguments: argparse.Namespace, registry, store):
    """The analysis of the inputs made by adding the new files to the run saved in OUT, or None for a full run.

    Only added files qualify: a changed or removed file, other settings, or a damaged saved run mean
    a full run, and the reason is printed.
    """

    out = Path(arguments.out)
    manifest = addable_manifest(out)
    units = expand_inputs(arguments.inputs)
    current = local_input_files(units)
    if manifest is None or current is None:
        return None
    changed = changed_settings(manifest.get("options") or {}, run_options(arguments))
    if changed:
        print(changed, file=sys.stderr)
        return None
    now = {_place(str(entry["location"])): entry for entry in current}
    for entry in manifest["inputs"]:
        if not unchanged_input(entry, now.get(_place(entry["location"]))):
            print(
                f"note: {entry['location']} changed or is gone since the saved run; analysing in full", file=sys.stderr
            )
            return None
    off_for_command()
    embedder = get_embedder(*embedding(arguments))
    with loading_beside(embedder):  # the models load on the other core meanwhile
        previous = saved_run(out)
    if previous is None:
        back_on()  # a full run makes and drops far more: the collector runs in it
        return None
    known = {_place(entry["location"]) for entry in manifest["inputs"]}
    added = Corpus()
    for unit in units:
        if _place(unit.location) not in known:
            added.extend(load_unit(unit, registry))
    why = runs_in_full(len(previous.articles), len(added.articles))
    if why:
        print(f"note: {why}; analysing in full", file=sys.stderr)
        back_on()
        return None
    keep_loaded()  # the saved run stays alive until the command ends: later collections skip it
    # The copy the write works on, made on the other core while the article is added; not during the read, whose
    # DuckDB threads and loads take both cores (the read took 0.2-1.0 s longer beside the copy: BENCHMARKS §5y).
    copy_ahead(store_path(out))
    print_warnings(added.problems)
    progress = ProgressBar(not arguments.quiet)
    try:
        analysis = extend(previous, added, embedder, store, progress)
    except UnreadableRowsError as error:  # its texts are read where used: damaged there, as a damaged first read
        set_aside(out, str(error).removeprefix(f"{store_path(out)}: "))
        back_on()
        return None
    finally:
        progress.close()
    say_added(previous, added, analysis)
    return analysis, previous if store_path(out).is_file() else None


def say_added(previous, added: Corpus, analysis) -> None:
    """What an addition to a saved run decided (duplicates of stored articles, outlet spellings taken as a
    stored one: before, these were never printed), and how many articles it added."""
    said = set(previous.problems) | set(added.problems)
    for problem in analysis.problems:
        if problem.source != "corpus" and problem not in said:
            print(warning_line(problem), file=sys.stderr)
    print(f"added {len(analysis.articles) - len(previous.articles)} articles to the saved run", file=sys.stderr)
    if named_by_rank(previous.claims):
        print(
            f"note: the saved run named its claims by rank (claim-N, an older version); its {len(analysis.claims)}"
            " claims are named after a statement of theirs now, which does not change when claims are added",
            file=sys.stderr,
        )


def _place(location: str) -> str:
    """A file as the file system finds it: ``corpus/a.txt``, ``./corpus/a.txt`` and its absolute path are one file.

    Before, a saved run of ``corpus`` given again as ``/home/me/corpus`` said every file "changed or is gone" and
    analysed the whole corpus again.

    A Maildir message is its unique name before the flags (``1711962000.M1P2.host`` of ``…:2,S``): a mail client
    renames it as its flags change (``:2,RS`` once answered) and moves it from ``new/`` to ``cur/`` once seen, so
    every read message meant "changed or is gone since the saved run" and the whole corpus analysed again."""
    real = os.path.realpath(location)
    path = Path(real)
    if maildir_place(path) == "message":
        unique = _MAILDIR_FLAGS_RE.split(path.name, maxsplit=1)[0]
        return os.path.join(path.parent.parent, "(maildir message)", unique)
    return real


# Where a Maildir message's flags start: ":2," (or "!2," and ";2,", where ':' cannot be in a file name).
_MAILDIR_FLAGS_RE = re.compile(r"[:!;]2,")


def addable_manifest(out: Path) -> dict | None:
    """The manifest of the index saved in ``out``, or None (and why, when a run is saved there without one
    this version can add to)."""
    manifest = read_stored_manifest(out)
    note = unindexed_run_note(out) if manifest is None else None
    if note:
        print(note, file=sys.stderr)
    return manifest


def saved_run(out: Path):
    """The analysis saved in ``out`` with its index, or None (and why) when it cannot be added to."""
    try:
        previous = load_analysis(out, with_index=True, deferred=APPENDED_TABLES + CARRIED_TABLES)
    except (OSError, ValueError, KeyError, TypeError, ParallaxError) as error:
        if store_path(out).is_file():  # damaged, cut short further in, its blob files gone: kept, never replaced
            set_aside(out, str(error).removeprefix(f"{store_path(out)}: "))  # (the full run replaced it before)
        else:
            print(f"note: the saved run in {out} cannot be read ({error}); analysing in full", file=sys.stderr)
        return None
    index = previous.index
    if (
        index is None
        or len(previous.statements) != len(previous.vectors)
        or len(previous.articles) != len(index.fingerprints)
    ):
        print(f"note: the saved run in {out} is incomplete; analysing in full", file=sys.stderr)
        return None
    spelt_twice = outlet_spelt_twice(previous.articles)
    if spelt_twice:
        print(
            f"note: the saved run in {out} holds one outlet under two spellings ({spelt_twice}: an older version kept "
            "them apart); analysing in full, which makes them one",
            file=sys.stderr,
        )
        return None
    if not store_path(out).is_file():
        print(
            f"note: {out} holds an older version's analysis.json; it is converted to {store_path(out)}", file=sys.stderr
        )
    return previous


def outlet_spelt_twice(articles) -> str | None:
    """Two stored outlet names that are one outlet (case, spacing or Unicode form aside), as 'A' and 'B', or None.

    A run saved before names were merged keeps both; an addition appends to the stored rows without
    rewriting them, so only a full run makes them one."""
    first: dict[str, str] = {}
    for outlet in set(column_of(articles, "outlet")):
        other = first.setdefault(outlet_key(outlet), outlet)
        if other != outlet:
            return " and ".join(repr(name) for name in sorted((other, outlet)))
    return None


def set_aside_unreadable_store(out: Path) -> None:
    """An ``OUT/analysis.duckdb`` that cannot be read (damaged, cut short, another program's database, a
    newer version's store) is renamed beside itself, never overwritten: it may be all that is left of an
    analysis. One open by a program writing to it stops the command, which would otherwise replace it
    under that program.

    Raises:
        ParallaxError: when another program holds the store open for writing.
    """
    path = store_path(out)
    if not path.is_file():
        return
    try:
        store = open_for_reading(out)
    except InputError as error:
        why = str(error).removeprefix(f"{path}: ")
    else:
        why = cut_short(store.connection, path) or damaged_entry(store) or unknown_columns(store)
        store.connection.close()
        if not why:
            return
    if "Could not set lock" in why or "Conflicting lock" in why:  # not "block" in a damaged file's message
        raise ParallaxError(
            f"{path} is open in another program that writes to it ({why}); close that program, or give another --out"
        )
    set_aside(out, why)


def cut_short(connection, path: Path) -> str:
    """Why the DuckDB file at ``path`` is cut short (smaller than the blocks in use its header names: it opens,
    and fails only when those rows are read, so a full run replaced it), or "".

    The blocks in use, not all the blocks: DuckDB leaves free blocks at the end of a file out of it, so a whole
    store can be smaller than its total block count (one block short at 10,200 articles), and taking it for a
    cut one set a whole saved analysis aside and made it again in full. The blocks in use are a lower bound on
    where the last one ends: a file cut by no more than its free blocks passes here, and its reading fails later,
    where ``saved_or_made_in_full`` sets it aside the same way."""
    found = connection.execute("PRAGMA database_size").fetchone()
    if not found:
        return ""
    block_size, used = int(found[2]), int(found[4])  # database_size: name, size, block_size, total, used, free, ...
    expected = used * block_size  # and its headers before them (three blocks of 4 KiB in DuckDB 1.x)
    size = path.stat().st_size
    return f"the file is cut short ({size:,} bytes of the {expected:,} it needs)" if size < expected else ""


def set_aside(out: Path, why: str) -> None:
    """Renames ``OUT/analysis.duckdb`` (and its blob files) beside itself, saying ``why``."""
    path = store_path(out)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.unreadable-{stamp}")
    os.replace(path, aside)
    kept = aside.name
    if files_folder(out).is_dir():  # the blob files it may name, which the next write would clear
        os.replace(files_folder(out), out / f"{FILES_NAME}.unreadable-{stamp}")
        kept += f" (with {FILES_NAME}.unreadable-{stamp})"
    print(f"note: {path}: {why}; kept as {kept}, and the analysis is made in full", file=sys.stderr)


def run_on_ray(arguments: argparse.Namespace, with_framing: bool):
    import tempfile

    if arguments.shard_rows < 1 or arguments.block_days < 0:
        raise ParallaxError("--shard-rows must be 1 or more and --block-days 0 or more")
    out = arguments.out if arguments.command == "analyze" else tempfile.mkdtemp(prefix="parallax-ray-")
    model, backend = embedding(arguments)
    progress = ProgressBar(not arguments.quiet)
    try:
        analysis = analyze_on_ray(
            arguments.inputs,
            out,
            model=model,
            backend=backend,
            story_options=StoryOptions(threshold=arguments.story_threshold, date_window_days=arguments.date_window),
            claim_options=ClaimOptions(threshold=arguments.claim_threshold, anchor_weight=arguments.anchor_weight),
            ray_options=RayOptions(
                address=arguments.address,
                workers=arguments.workers,
                shards=ShardOptions(shard_rows=arguments.shard_rows, block_days=arguments.block_days),
                shard_location=_remote_shards(arguments),
            ),
            outlets=arguments.outlets,
            with_framing=with_framing,
            progress=progress,
        )
    except NothingToCompareError as error:  # said as the local engine says it: a warning line per input
        print_warnings(error.problems)
        raise ParallaxError("no article could be read from the inputs; see the warnings above") from None
    finally:
        progress.close()
    print_warnings(problem for problem in analysis.problems if problem.source != "corpus")
    return analysis


def _remote_shards(arguments: argparse.Namespace) -> str | None:
    """Where the Ray workers write the shards when ``--out`` is in object storage (else OUT/shards)."""
    remote = getattr(arguments, "remote_out", None)
    return f"{remote.rstrip('/')}/shards" if remote else None
