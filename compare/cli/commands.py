"""The commands that analyse inputs or read a whole saved analysis: analyze, evaluate, report, export, export-json.

Imported by ``compare.cli`` when one of them runs: ``show`` and ``--help`` go without the pipeline (§5za).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from compare.cli.run import run_pipeline, run_with_previous, set_aside, set_aside_unreadable_store
from compare.cli.settings import index_manifest
from compare.cluster.boilerplate import BOILERPLATE_MIN_ARTICLES
from compare.ingest import load_registry
from compare.io.atomic import is_stream, locked_folder, make_folder, write_file
from compare.io.collector import back_on
from compare.io.column_rows import column_of
from compare.io.remote import check_writable, clear_folder, fetch, is_remote, publish, publish_file, working_folder
from compare.io.store_copy import dropped_copy
from compare.io.tables import store_path
from compare.model.errors import OutputError, ParallaxError
from compare.pipeline import export_json, is_parallax_analysis_json, load_analysis, save_analysis


def saved_or_made_in_full(arguments: argparse.Namespace, out: Path, analysis: Any, previous: Any) -> tuple[Path, Any]:
    """(the file written, the analysis in it): an addition whose saved store proves damaged where the addition
    did not read it (rows an addition leaves in the store; its write meets a block's bad checksum) sets the
    store aside and makes the analysis in full, as a store damaged where it is read is; the writer works on a
    copy, so the damaged file is kept as it was."""

    def save(analysis: Any, previous: Any) -> Path:
        return save_analysis(
            analysis,
            out,
            with_vectors=arguments.engine == "local",  # the Ray engine keeps its vectors in the Parquet shards
            index_manifest=index_manifest(arguments, analysis),
            previous=previous,
            with_json=arguments.json,
        )

    try:
        return save(analysis, previous), analysis
    except OutputError as error:
        if previous is None or "Corrupt database" not in str(error):
            raise
        why = str(error).split(": ", 1)[-1]  # "cannot write PATH: WHY"
    set_aside(out, f"cannot read the saved analysis ({why})")
    back_on()  # the addition ran without the collector; a full run makes and drops far more
    arguments.full = True
    analysis, _ = run_with_previous(arguments, with_framing=not arguments.no_framing)
    return save(analysis, None), analysis


def analyze_command(arguments: argparse.Namespace) -> int:
    """``analyze``: the analysis written to OUT (a folder, or ``s3://bucket/prefix`` through a local working
    copy), which this process holds while it runs."""
    location = arguments.out
    out = working_folder(location) if is_remote(location) else Path(location)

    def say_waiting(pid: int | None) -> None:
        who = f" (pid {pid})" if pid else ""
        print(
            f"waiting for another analysis writing {location}{who}... (at most {arguments.wait:g} s; see --wait)",
            file=sys.stderr,
            flush=True,
        )

    with locked_folder(out, arguments.wait, say_waiting):
        if is_remote(location):
            arguments.out, arguments.remote_out = str(out), location
            if arguments.engine == "ray":  # written anew, the shards by the workers straight into the bucket
                check_writable(location)
                clear_folder(out)
            else:  # an earlier run there is added to like a local one
                fetch(location, must_exist=False)
        set_aside_unreadable_store(out)
        try:
            analysis, previous = run_with_previous(arguments, with_framing=not arguments.no_framing)
            saved, analysis = saved_or_made_in_full(arguments, out, analysis, previous)
        finally:  # an addition's copy of the store made ahead (``run.add_to_earlier_run``) that no write took
            dropped_copy(store_path(out))
        target = str(saved)
        if is_remote(location):
            publish(out, location, keep=("shards/",) if arguments.engine == "ray" else ())
            target = f"{location.rstrip('/')}/{saved.name}"
    cross = sum(1 for cluster in analysis.claims if len(cluster.outlets) >= 2)
    outlets = len(set(column_of(analysis.articles, "outlet")))
    print(
        f"{len(analysis.articles)} articles from {outlets} outlets, {len(analysis.statements)} statements, "
        f"{len(analysis.stories)} stories, {cross} cross-outlet claims -> {target}",
        file=sys.stderr,
    )
    if outlets < 2:
        print("note: only one outlet in the input, so there is nothing to compare across outlets", file=sys.stderr)
    furniture = boilerplate_note(analysis)
    if furniture:
        print(furniture, file=sys.stderr)
    return 0


def boilerplate_note(analysis) -> str | None:
    """Why few or no claims were found when at least half the statements are boilerplate (articles repeating
    each other's sentences: before, "0 cross-outlet claims" for 90 articles of one event was all a user saw)."""
    flags = analysis.index.claims.boilerplate if analysis.index is not None else np.zeros(0, dtype=bool)
    if not len(flags) or flags.mean() < 0.5:
        return None
    return (
        f"note: {int(flags.sum()):,} of {len(flags):,} statements form no claims as boilerplate: a sentence an outlet"
        f" prints in {BOILERPLATE_MIN_ARTICLES} or more of its articles is taken as its page furniture (as are sign-up"
        " lines, credits and fragments under four words), so articles that repeat each other's sentences give few"
        " or no claims"
    )


def report_command(arguments: argparse.Namespace) -> int:
    """``report``: one self-contained HTML file."""
    from compare.cli.exports import report_target
    from compare.views.report import render_report

    target = report_target(arguments.out)
    make_folder(target.parent)  # a bad --out is said before the analysis, not after it
    analysis = run_pipeline(arguments, with_framing=True)
    page = render_report(analysis.to_dict(), analysis.vectors, load_registry(arguments.outlets))
    write_file(target, page.encode("utf-8"))
    print(f"report of {len(analysis.articles)} articles -> {target}", file=sys.stderr)
    return 0


def export_command(arguments: argparse.Namespace) -> int:
    """``export``: every chart as PNG or SVG and every table as CSV."""
    from compare.cli.exports import export_files

    make_folder(Path(arguments.out))
    analysis = run_pipeline(arguments, with_framing=True)
    corpus = ", ".join(Path(item).name or str(item) for item in arguments.inputs)  # names only, no folders
    written = export_files(analysis.to_dict(), analysis.vectors, Path(arguments.out), arguments.format, corpus)
    print(f"{len(written)} files -> {arguments.out}", file=sys.stderr)
    return 0


def export_json_command(arguments: argparse.Namespace) -> int:
    """``export-json``: the saved analysis in OUT as analysis.json, for scripts that read it."""
    if is_remote(arguments.to or ""):
        raise ParallaxError(f"--to {arguments.to}: give a local file (without --to, the export goes beside the store)")
    folder = fetch(arguments.folder) if is_remote(arguments.folder) else Path(arguments.folder)
    # analysis.json holds no vectors: mapped, not read (BASIL x 34: 1.2 s of CPU and 386 MB of float32 read for none)
    if arguments.to == "-":  # to stdout, for `export-json OUT --to - | jq ...`
        sys.stdout.buffer.write(load_analysis(folder, mapped_vectors=True).to_json())
        return 0
    target = Path(arguments.to) if arguments.to else folder / "analysis.json"
    if target.is_file() and not is_stream(target) and not is_parallax_analysis_json(target):
        raise OutputError(
            f"{target}: this file exists and is not an analysis.json that Parallax wrote; it is kept: give another"
            " --to, or move it away"
        )
    export_json(load_analysis(folder, mapped_vectors=True), target)
    if is_remote(arguments.folder) and not arguments.to:
        publish_file(target, arguments.folder, target.name)
        target = f"{arguments.folder.rstrip('/')}/{target.name}"  # type: ignore[assignment]
    print(f"-> {target}", file=sys.stderr)
    return 0


def evaluate_command(arguments: argparse.Namespace) -> int:
    """``evaluate``: B-cubed scores of the stories against a gold field carried by the inputs; how far
    cross-outlet claims keep to one gold story; with ``--gold-claims``, claims against gold event mentions."""
    from compare.evaluate import bcubed, claim_scores, claims_in_one_story, labels_from_groups

    gold_claims = _read_gold_claims(arguments.gold_claims) if arguments.gold_claims else None
    analysis = run_pipeline(arguments, with_framing=False)
    gold = {
        article.id: article.extra[arguments.gold] for article in analysis.articles if arguments.gold in article.extra
    }
    if not gold:
        raise ParallaxError(f"no input article carries the gold field {arguments.gold!r} as a string or number")
    unlabelled = len(analysis.articles) - len(gold)
    scores = bcubed(labels_from_groups([story.article_ids for story in analysis.stories]), gold)
    gold_stories = len(set(gold.values()))
    one_event, covered, cross = claims_in_one_story(analysis.statements, analysis.claims, gold)
    result: dict[str, Any] = {
        "stories": len(analysis.stories),
        "gold_stories": gold_stories,
        "articles_without_gold": unlabelled,
        **scores.__dict__,
        "cross_outlet_claims": cross,
        "claims_one_story": one_event,
        "stories_with_claim": covered,
    }
    if gold_claims is not None:
        _say_gold_documents_missing(arguments.gold_claims, gold_claims, {article.id for article in analysis.articles})
        claims = claim_scores(analysis.articles, analysis.statements, analysis.claims, gold_claims)
        result["claims"] = claims.__dict__
    if arguments.json:
        print(json.dumps(result))
        return 0
    print(f"articles scored: {scores.items} (gold stories: {gold_stories}, predicted: {len(analysis.stories)})")
    if unlabelled:
        print(
            f"articles without a usable gold label: {unlabelled} (no {arguments.gold!r} field, "
            "or one that is not a string or number); not scored"
        )
    print(f"B-cubed precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}")
    print(
        f"cross-outlet claims: {cross}, within one gold story: {one_event:.3f}; "
        f"multi-outlet gold stories with a cross-outlet claim: {covered:.3f}"
    )
    if gold_claims is not None:
        print(
            f"claims vs gold mentions: pairwise P {claims.pair_precision:.3f} R {claims.pair_recall:.3f} "
            f"F1 {claims.pair_f1:.3f} ({claims.pairs_predicted} predicted, {claims.pairs_gold} gold pairs); "
            f"B-cubed P {claims.bcubed_precision:.3f} R {claims.bcubed_recall:.3f} F1 {claims.bcubed_f1:.3f} "
            f"over {claims.sentences} annotated sentences"
        )
    return 0


def _read_gold_claims(location: str) -> dict[str, Any]:
    path = Path(location)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ParallaxError(f"cannot read the gold claims file {location}: {error}") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("sentences"), list):
        raise ParallaxError(
            f"{location} has no 'sentences' list: give a JSON object with 'sentences' (doc, start, end, events)"
        )
    for number, row in enumerate(payload["sentences"]):  # checked before the analysis, not in a traceback after it
        if problem := _gold_sentence_problem(row):
            raise ParallaxError(
                f"{location}: sentences[{number}] {problem}; each sentence is an object with doc, start and end"
                " (character offsets) and events (a list of event ids)"
            )
    if not isinstance(payload.get("texts", {}), dict):
        raise ParallaxError(f"{location}: 'texts' is not an object of doc -> text")
    return payload


def _gold_sentence_problem(row: object) -> str | None:
    if not isinstance(row, dict):
        return f"is {type(row).__name__!r}, not an object"
    missing = [key for key in ("doc", "start", "end", "events") if key not in row]
    if missing:
        return f"has no {missing[0]!r}"
    if isinstance(row["doc"], dict | list) or row["doc"] is None:
        return "has a 'doc' that is not a document id"
    if not all(isinstance(row[key], int) and not isinstance(row[key], bool) for key in ("start", "end")):
        return "has a 'start' or 'end' that is not a whole number"
    if not isinstance(row["events"], list) or not all(isinstance(event, str | int) for event in row["events"]):
        return "has 'events' that are not a list of event ids"
    return None


def _say_gold_documents_missing(location: str, gold_claims: dict[str, Any], analysed: set[str]) -> None:
    """Gold documents that are not among the analysed articles: all of them is an error (the score would
    be a perfect one of nothing), some a note (their sentences are scored as claims found for none)."""
    documents = {str(row["doc"]) for row in gold_claims["sentences"] if row.get("annotated", True)}
    missing = sorted(documents - analysed)
    if not missing:
        return
    example = f"such as {missing[0]!r}"
    if len(missing) == len(documents):
        raise ParallaxError(
            f"{location}: none of its {len(documents)} documents ({example}) is an analysed article (ids such as"
            f" {min(analysed)!r}); the gold 'doc' must be the article's id"
        )
    print(
        f"note: {location}: {len(missing)} of its {len(documents)} documents ({example}) are not among the analysed"
        " articles (skipped or not given); their sentences count as in no predicted claim",
        file=sys.stderr,
    )
