"""The pipeline headless: ``python -m compare analyze|evaluate ...``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from compare.cluster import (
    CLAIM_ANCHOR_WEIGHT,
    CLAIM_THRESHOLD,
    STORY_DATE_WINDOW_DAYS,
    STORY_THRESHOLD,
    ClaimOptions,
    StoryOptions,
)
from compare.embed import BACKENDS
from compare.io.atomic import locked_folder, make_folder, reason, write_file
from compare.model.errors import ParallaxError
from compare.model.framing import Framing
from compare.shard import BLOCK_DAYS, SHARD_ROWS

LOCK_WAIT_SECONDS = 600.0

# How the settings a saved run records are named when one of them changed.
_SETTING_NAMES = {
    "model": "the embedding model",
    "backend": "the embedding backend",
    "outlets": "the outlet registry",
    "story_threshold": "--story-threshold",
    "date_window": "--date-window",
    "claim_threshold": "--claim-threshold",
    "anchor_weight": "--anchor-weight",
    "framing": "--no-framing",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m compare", description="Parallax: compare how outlets tell the same event."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("inputs", nargs="+", help="files, folders (read recursively) or http(s) URLs")
        command.add_argument(
            "--model",
            default=None,
            help="embedding model name or local path (default: $PARALLAX_MODEL or all-MiniLM-L6-v2)",
        )
        command.add_argument(
            "--store",
            default=None,
            help="embedding cache file (default: $PARALLAX_STORE or ~/.cache/parallax/store.sqlite3)",
        )
        command.add_argument("--no-store", action="store_true", help="do not read or write the embedding cache")
        command.add_argument(
            "--backend",
            choices=BACKENDS,
            default=None,
            help="embedding backend (default: $PARALLAX_BACKEND or onnx-int8, about 2x faster on CPU than torch)",
        )
        command.add_argument(
            "--story-threshold",
            type=float,
            default=STORY_THRESHOLD,
            help=f"article similarity to join a story (default {STORY_THRESHOLD})",
        )
        command.add_argument(
            "--date-window",
            type=int,
            default=STORY_DATE_WINDOW_DAYS,
            help=f"days within which dates do not damp story similarity (default {STORY_DATE_WINDOW_DAYS})",
        )
        command.add_argument(
            "--claim-threshold",
            type=float,
            default=CLAIM_THRESHOLD,
            help=f"statement similarity to join a claim (default {CLAIM_THRESHOLD})",
        )
        command.add_argument(
            "--anchor-weight",
            type=float,
            default=CLAIM_ANCHOR_WEIGHT,
            help=f"weight of shared rare names and numbers in claim similarity (default {CLAIM_ANCHOR_WEIGHT})",
        )
        command.add_argument("--outlets", default=None, help="your outlet registry CSV, read on top of the bundled one")
        command.add_argument(
            "--allow-private-urls",
            action="store_true",
            help="also fetch http(s) inputs from loopback and private networks, on any port (an intranet); "
            "link-local (cloud metadata), multicast and reserved addresses stay refused",
        )
        command.add_argument(
            "--engine",
            choices=["local", "ray"],
            default="local",
            help="local: this process (default); ray: a Ray cluster (pip install .[ray]; see docs/scaling.md)",
        )
        command.add_argument(
            "--address",
            default=None,
            help="with --engine ray: the cluster to join (HOST:PORT or auto); default a local one",
        )
        command.add_argument(
            "--workers", type=int, default=None, help="with --engine ray: model actors per stage (default: all CPUs)"
        )
        command.add_argument(
            "--shard-rows",
            type=int,
            default=SHARD_ROWS,
            help=f"with --engine ray: statements per date shard at most (default {SHARD_ROWS:,})",
        )
        command.add_argument(
            "--block-days",
            type=int,
            default=BLOCK_DAYS,
            help=f"with --engine ray: a shard is compared with the shards within this many days (default {BLOCK_DAYS})",
        )
        command.add_argument("--quiet", action="store_true", help="no progress bar")

    analyze = commands.add_parser("analyze", help="write DIR/analysis.json")
    common(analyze)
    analyze.add_argument("--out", required=True, help="output folder")
    analyze.add_argument(
        "--wait",
        type=float,
        default=LOCK_WAIT_SECONDS,
        metavar="SECONDS",
        help="when another analysis is writing the same --out folder, wait this long for it to finish, then"
        f" give up (default {LOCK_WAIT_SECONDS:g}; 0: give up at once)",
    )
    analyze.add_argument("--no-framing", action="store_true", help="skip the framing analysis")
    analyze.add_argument(
        "--full",
        action="store_true",
        help="analyse everything again; by default, when OUT holds an earlier run of the same inputs and settings"
        " and files were only added, just the added files are analysed and merged in",
    )

    evaluate = commands.add_parser("evaluate", help="score stories against gold story labels carried in the input")
    common(evaluate)
    evaluate.add_argument(
        "--gold", required=True, help="the input field holding the gold story label (e.g. story, triplet-uuid)"
    )
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")

    report = commands.add_parser("report", help="write one self-contained HTML report")
    common(report)
    report.add_argument(
        "--out",
        required=True,
        help="the report file, e.g. report.html; a folder (or a path ending in /): FOLDER/report.html",
    )

    export = commands.add_parser("export", help="write every chart as image files, with its data as CSV")
    common(export)
    export.add_argument("--out", required=True, help="output folder")
    export.add_argument("--format", choices=["png", "svg"], default="png", help="image format (default png)")
    return parser


class _ProgressBar:
    """A tqdm bar per stage on an interactive terminal; nothing in CI logs or pipes."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self.bars: dict[str, object] = {}

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


def _run_pipeline(arguments: argparse.Namespace, with_framing: bool):  # type: ignore[no-untyped-def]
    if arguments.engine == "ray":
        return _run_on_ray(arguments, with_framing)
    from compare.embed import get_embedder
    from compare.ingest import load_corpus, load_registry
    from compare.io.store import Store
    from compare.pipeline import analyze

    registry = load_registry(arguments.outlets)
    store = None if arguments.no_store else Store(arguments.store)
    if arguments.command == "analyze" and not arguments.full:
        earlier = _add_to_earlier_run(arguments, registry, store)
        if earlier is not None:
            return earlier
    corpus = load_corpus(arguments.inputs, registry)
    for problem in corpus.problems:
        print(f"warning: {problem.source}: {problem.message}", file=sys.stderr)
    if not corpus.articles:
        raise ParallaxError("no article could be read from the inputs; see the warnings above")
    progress = _ProgressBar(not arguments.quiet)
    try:
        return analyze(
            corpus,
            embedder=get_embedder(*_embedding(arguments)),
            store=store,
            story_options=StoryOptions(threshold=arguments.story_threshold, date_window_days=arguments.date_window),
            claim_options=ClaimOptions(threshold=arguments.claim_threshold, anchor_weight=arguments.anchor_weight),
            with_framing=with_framing,
            progress=progress,
        )
    finally:
        progress.close()


def _embedding(arguments: argparse.Namespace) -> tuple[str, str]:
    """The embedding model and backend this run uses: the options, else ``$PARALLAX_MODEL`` and
    ``$PARALLAX_BACKEND``, else the defaults."""
    from compare.embed import default_backend, default_model

    return arguments.model or default_model(), arguments.backend or default_backend()


def _run_options(arguments: argparse.Namespace) -> dict[str, object]:
    """The settings a saved index must share with this run to be added to, as this run uses them (the
    options, environment variables and defaults resolved; a local model as its absolute path; the outlet
    registry with a hash of its content), so that a change of any of them is seen."""
    from compare.ingest import registry_fingerprint

    model, backend = _embedding(arguments)
    return {
        "model": str(Path(model).resolve()) if Path(model).exists() else model,
        "backend": backend,
        "story_threshold": arguments.story_threshold,
        "date_window": arguments.date_window,
        "claim_threshold": arguments.claim_threshold,
        "anchor_weight": arguments.anchor_weight,
        "outlets": registry_fingerprint(arguments.outlets),
        "framing": not arguments.no_framing,
    }


def _changed_settings(saved: dict[str, object], now: dict[str, object]) -> str | None:
    """A note naming the settings that differ between a saved run and this one, or None."""
    changed = [key for key in dict.fromkeys([*now, *saved]) if saved.get(key) != now.get(key)]
    if not changed:
        return None
    names = [_SETTING_NAMES.get(key, key) for key in changed]
    details = "; ".join(_setting_change(key, saved.get(key), now.get(key)) for key in changed)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"note: {listed} changed since the saved run ({details}); analysing in full"


def _setting_change(key: str, before: object, after: object) -> str:
    """'BEFORE -> AFTER' for one setting; an outlet registry by its file, or 'FILE was edited'."""
    if key == "outlets":
        if isinstance(before, dict) and isinstance(after, dict) and before.get("file") == after.get("file"):
            return f"{after.get('file') or 'the bundled registry'} was edited"
        before, after = (
            (value.get("file") or "the bundled registry") if isinstance(value, dict) else value
            for value in (before, after)
        )
    return " -> ".join("not recorded" if value is None else str(value) for value in (before, after))


def _add_to_earlier_run(arguments: argparse.Namespace, registry, store):  # type: ignore[no-untyped-def]
    """The analysis of the inputs made by adding the new files to the run saved in OUT, or None for a full run.

    Only added files qualify: a changed or removed file, other settings, or a damaged saved run mean
    a full run, and the reason is printed.
    """
    from compare.embed import get_embedder
    from compare.incremental import load_index, read_manifest
    from compare.ingest import Corpus, expand_inputs, load_unit
    from compare.pipeline import analysis_from_dict, extend, read_saved_analysis

    out = Path(arguments.out)
    manifest = read_manifest(out / "index")
    units = expand_inputs(arguments.inputs)
    current = _local_input_files(units)
    if manifest is None or current is None:
        return None
    changed = _changed_settings(manifest.get("options") or {}, _run_options(arguments))
    if changed:
        print(changed, file=sys.stderr)
        return None
    now = {entry["location"]: entry for entry in current}
    for entry in manifest["inputs"]:
        if now.get(entry["location"]) != entry:
            print(
                f"note: {entry['location']} changed or is gone since the saved run; analysing in full", file=sys.stderr
            )
            return None
    try:
        data, vectors = read_saved_analysis(out)
        index = load_index(out / "index")
    except (OSError, ValueError, KeyError, ParallaxError) as error:
        print(f"note: the saved run in {out} cannot be read ({error}); analysing in full", file=sys.stderr)
        return None
    if len(data["statements"]) != len(vectors) or len(data["articles"]) != len(index.fingerprints):
        print(f"note: the saved run in {out} is incomplete; analysing in full", file=sys.stderr)
        return None
    previous = analysis_from_dict(data, vectors)
    previous.index = index
    known = {entry["location"] for entry in manifest["inputs"]}
    added = Corpus()
    for unit in units:
        if unit.location not in known:
            added.extend(load_unit(unit, registry))
    for problem in added.problems:
        print(f"warning: {problem.source}: {problem.message}", file=sys.stderr)
    progress = _ProgressBar(not arguments.quiet)
    try:
        analysis = extend(previous, added, get_embedder(*_embedding(arguments)), store, progress)
    finally:
        progress.close()
    print(f"added {len(analysis.articles) - len(previous.articles)} articles to the saved run", file=sys.stderr)
    return analysis


def _local_input_files(units) -> list[dict[str, object]] | None:  # type: ignore[no-untyped-def]
    """The manifest entries of the inputs, or None when one is not a local file (then nothing can be added to)."""
    from compare.incremental import input_files

    if any(unit.kind != "file" for unit in units):
        return None
    return input_files([unit.location for unit in units])


def _index_manifest(arguments: argparse.Namespace, analysis) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    """What a later run needs to know to add files to this one (local engine, local files only), or None."""
    from compare.ingest import expand_inputs

    if arguments.engine != "local" or analysis.index is None:
        return None
    files = _local_input_files(expand_inputs(arguments.inputs))
    if files is None:
        return None
    return {"options": _run_options(arguments), "inputs": files, "articles": len(analysis.articles)}


def _run_on_ray(arguments: argparse.Namespace, with_framing: bool):  # type: ignore[no-untyped-def]
    import tempfile

    from compare.engine_ray import RayOptions, analyze_on_ray
    from compare.shard import ShardOptions

    if arguments.shard_rows < 1 or arguments.block_days < 0:
        raise ParallaxError("--shard-rows must be 1 or more and --block-days 0 or more")
    out = arguments.out if arguments.command == "analyze" else tempfile.mkdtemp(prefix="parallax-ray-")
    model, backend = _embedding(arguments)
    progress = _ProgressBar(not arguments.quiet)
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
            ),
            outlets=arguments.outlets,
            with_framing=with_framing,
            progress=progress,
        )
    finally:
        progress.close()
    for problem in analysis.problems:
        if problem.source != "corpus":
            print(f"warning: {problem.source}: {problem.message}", file=sys.stderr)
    return analysis


def _export(analysis_dict: dict, vectors, out: Path, fmt: str) -> list[Path]:  # type: ignore[no-untyped-def]
    import csv
    import io

    from compare.views.charts import all_charts, export_figure

    written = []
    for name, figure in all_charts(analysis_dict, vectors).items():
        content, produced = export_figure(figure, fmt)
        if produced != fmt:
            print(f"warning: no browser for {fmt.upper()} export; wrote {name}.{produced} instead", file=sys.stderr)
        target = out / f"{name}.{produced}"
        write_file(target, content)
        written.append(target)
    for key in Framing.exported_tables():
        rows = analysis_dict.get(key) or []
        if not rows:
            continue
        columns = list(dict.fromkeys(column for row in rows for column in row))
        table = io.StringIO(newline="")
        writer = csv.DictWriter(table, fieldnames=columns)
        writer.writeheader()
        writer.writerows({column: _cell(row.get(column)) for column in columns} for row in rows)
        target = out / f"{key}.csv"
        write_file(target, table.getvalue().encode("utf-8"))
        written.append(target)
    return written


def _cell(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def _report_target(out: str) -> Path:
    """The report file: ``out``, or ``out/report.html`` when ``out`` is a folder or ends with a slash."""
    if out.endswith(("/", os.sep)) or Path(out).is_dir():
        return Path(out) / "report.html"
    return Path(out)


def _analyze(arguments: argparse.Namespace) -> int:
    """``analyze``: the analysis written to OUT, which this process holds while it runs."""
    from compare.pipeline import save_analysis

    out = Path(arguments.out)

    def say_waiting(pid: int | None) -> None:
        who = f" (pid {pid})" if pid else ""
        print(
            f"waiting for another analysis writing {out}{who}... (at most {arguments.wait:g} s; see --wait)",
            file=sys.stderr,
            flush=True,
        )

    with locked_folder(out, arguments.wait, say_waiting):
        analysis = _run_pipeline(arguments, with_framing=not arguments.no_framing)
        target = save_analysis(
            analysis,
            out,
            with_vectors=arguments.engine == "local",  # the Ray engine keeps its vectors in the Parquet shards
            index_manifest=_index_manifest(arguments, analysis),
        )
    cross = sum(1 for cluster in analysis.clusters if len(cluster.outlets) >= 2)
    outlets = len({article.outlet for article in analysis.articles})
    print(
        f"{len(analysis.articles)} articles from {outlets} outlets, {len(analysis.statements)} statements, "
        f"{len(analysis.stories)} stories, {cross} cross-outlet claims -> {target}",
        file=sys.stderr,
    )
    if outlets < 2:
        print("note: only one outlet in the input, so there is nothing to compare across outlets", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the CLI; returns the exit status (0 when something was analysed)."""
    arguments = _parser().parse_args(argv)
    if arguments.allow_private_urls:  # read where URLs are fetched: compare.ingest.fetch.private_urls_allowed
        os.environ["PARALLAX_ALLOW_PRIVATE_URLS"] = "1"
    try:
        if arguments.command == "report":
            from compare.ingest import load_registry
            from compare.views.report import render_report

            target = _report_target(arguments.out)
            make_folder(target.parent)  # a bad --out is said before the analysis, not after it
            analysis = _run_pipeline(arguments, with_framing=True)
            page = render_report(analysis.to_dict(), analysis.vectors, load_registry(arguments.outlets))
            write_file(target, page.encode("utf-8"))
            print(f"report of {len(analysis.articles)} articles -> {target}", file=sys.stderr)
            return 0
        if arguments.command == "export":
            make_folder(Path(arguments.out))
            analysis = _run_pipeline(arguments, with_framing=True)
            written = _export(analysis.to_dict(), analysis.vectors, Path(arguments.out), arguments.format)
            print(f"{len(written)} files -> {arguments.out}", file=sys.stderr)
            return 0
        if arguments.command == "analyze":
            return _analyze(arguments)
        if arguments.command == "evaluate":
            from compare.evaluate import bcubed, labels_from_groups

            analysis = _run_pipeline(arguments, with_framing=False)
            gold = {
                article.id: article.extra[arguments.gold]
                for article in analysis.articles
                if arguments.gold in article.extra
            }
            if not gold:
                raise ParallaxError(f"no input article carries the gold field {arguments.gold!r}")
            scores = bcubed(labels_from_groups([story.article_ids for story in analysis.stories]), gold)
            if arguments.json:
                print(
                    json.dumps(
                        {"stories": len(analysis.stories), "gold_stories": len(set(gold.values())), **scores.__dict__}
                    )
                )
            else:
                print(
                    f"articles scored: {scores.items} (gold stories: {len(set(gold.values()))}, predicted: {len(analysis.stories)})"
                )
                print(f"B-cubed precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}")
            return 0
    except ParallaxError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # one not foreseen above: still one line, naming the file
        print(f"error: {f'{error.filename}: ' if error.filename else ''}{reason(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 2
