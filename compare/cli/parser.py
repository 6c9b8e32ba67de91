"""The command line's options: ``python -m compare analyze|evaluate|report|export``."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from compare.embed import BACKENDS
from compare.model.defaults import (
    BLOCK_DAYS,
    CLAIM_ANCHOR_WEIGHT,
    CLAIM_THRESHOLD,
    SHARD_ROWS,
    STORY_DATE_WINDOW_DAYS,
    STORY_THRESHOLD,
)
from compare.model.file_names import not_utf8_name, shown_name

LOCK_WAIT_SECONDS = 600.0


def program_name() -> str:
    """How the user called the CLI, for usage lines and argparse's errors: the ``parallax`` console script (whose
    ``--help`` said ``usage: python -m compare``), else ``python -m compare``."""
    return "parallax" if Path(sys.argv[0]).name == "parallax" else "python -m compare"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(), description="Parallax: compare how outlets tell the same event."
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
            type=_database_path,
            default=None,
            help="embedding cache file (default: $PARALLAX_STORE or ~/.cache/parallax/store.sqlite3)",
        )
        command.add_argument("--no-store", action="store_true", help="do not read or write the embedding cache")
        command.add_argument(
            "--backend",
            choices=BACKENDS,
            default=None,
            help="embedding backend (default: $PARALLAX_BACKEND or onnx-int8-token, several times faster on CPU than torch)",
        )
        command.add_argument(
            "--story-threshold",
            type=_similarity,
            default=STORY_THRESHOLD,
            help=f"article similarity to join a story (default {STORY_THRESHOLD})",
        )
        command.add_argument(
            "--date-window",
            type=_days,
            default=STORY_DATE_WINDOW_DAYS,
            help=f"days within which dates do not damp story similarity (default {STORY_DATE_WINDOW_DAYS})",
        )
        command.add_argument(
            "--claim-threshold",
            type=_similarity,
            default=CLAIM_THRESHOLD,
            help=f"statement similarity to join a claim (default {CLAIM_THRESHOLD})",
        )
        command.add_argument(
            "--anchor-weight",
            type=_weight,
            default=CLAIM_ANCHOR_WEIGHT,
            help=f"weight of shared rare names and numbers in claim similarity (default {CLAIM_ANCHOR_WEIGHT})",
        )
        command.add_argument(
            "--outlets", type=_path, default=None, help="your outlet registry CSV, read on top of the bundled one"
        )
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
            "--workers",
            type=at_least_one,
            default=None,
            help="with --engine ray: model actors per stage (default: all CPUs)",
        )
        command.add_argument(
            "--shard-rows",
            type=at_least_one,
            default=SHARD_ROWS,
            help=f"with --engine ray: statements per date shard at most (default {SHARD_ROWS:,})",
        )
        command.add_argument(
            "--block-days",
            type=_days,
            default=BLOCK_DAYS,
            help=f"with --engine ray: a shard is compared with the shards within this many days (default {BLOCK_DAYS})",
        )
        command.add_argument("--quiet", action="store_true", help="no progress bar")

    analyze = commands.add_parser("analyze", help="write the analysis to OUT/analysis.duckdb")
    common(analyze)
    analyze.add_argument(
        "--out",
        type=_database_path,
        required=True,
        help="output folder, or s3://bucket/prefix (credentials from the AWS environment variables; an"
        " S3-compatible server from $PARALLAX_S3_ENDPOINT)",
    )
    analyze.add_argument(
        "--wait",
        type=_seconds,
        default=LOCK_WAIT_SECONDS,
        metavar="SECONDS",
        help="when another analysis is writing the same --out folder, wait this long for it to finish, then"
        f" give up (default {LOCK_WAIT_SECONDS:g}; 0: give up at once)",
    )
    analyze.add_argument("--no-framing", action="store_true", help="skip the framing analysis")
    analyze.add_argument(
        "--json", action="store_true", help="also write OUT/analysis.json (as `python -m compare export-json OUT`)"
    )
    analyze.add_argument(
        "--full",
        action="store_true",
        help="analyse everything again; by default, when OUT holds an earlier run of the same inputs and settings"
        " and files were only added, just the added files are analysed and merged in",
    )

    evaluate = commands.add_parser(
        "evaluate", help="score stories (and claims) against gold story labels carried in the input"
    )
    common(evaluate)
    evaluate.add_argument(
        "--gold", required=True, help="the input field holding the gold story label (e.g. story, triplet-uuid)"
    )
    evaluate.add_argument(
        "--gold-claims",
        metavar="FILE",
        help="a JSON file of gold event mentions ('sentences': doc, start, end, annotated, events; optional "
        "'texts'), as ecbplus-dev's gold.json: claims are scored against them (pairwise and B-cubed)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")

    report = commands.add_parser("report", help="write one self-contained HTML report")
    common(report)
    report.add_argument(
        "--out",
        type=_path,
        required=True,
        help="the report file, e.g. report.html; a folder (or a path ending in /): FOLDER/report.html",
    )

    export = commands.add_parser("export", help="write every chart as image files, with its data as CSV")
    common(export)
    export.add_argument("--out", type=_path, required=True, help="output folder")
    export.add_argument("--format", choices=["png", "svg"], default="png", help="image format (default png)")
    add_show_parser(commands)
    export_json = commands.add_parser("export-json", help="write a saved analysis as analysis.json")
    export_json.add_argument("folder", help="the --out folder (or s3://bucket/prefix) of `python -m compare analyze`")
    export_json.add_argument("--to", type=_path, help="the file to write (default FOLDER/analysis.json; - for stdout)")
    return parser


# Every number an option takes is checked where it is read: NaN, infinity, a negative count or a
# similarity given in percent ran the whole analysis before and quietly found no story or claim.
MAX_DAYS = 36_500


def _number(value: str, low: float, high: float, wanted: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not low <= number <= high:  # also NaN
        raise argparse.ArgumentTypeError(f"give {wanted}, not {value!r}")
    return number


def _similarity(value: str) -> float:
    """A similarity threshold: cosine similarities run from 0 to 1 (0.65, not 65)."""
    return _number(value, 0.0, 1.0, "a similarity from 0 to 1 (e.g. 0.65)")


def _weight(value: str) -> float:
    """A weight added to a similarity of 0 to 1."""
    return _number(value, 0.0, 1.0, "a weight from 0 to 1 (e.g. 0.3)")


def _days(value: str) -> int:
    """A whole number of days, 0 to 100 years."""
    number = _number(value, 0, MAX_DAYS, f"a whole number of days from 0 to {MAX_DAYS:,}")
    if not number.is_integer():
        raise argparse.ArgumentTypeError(f"give a whole number of days from 0 to {MAX_DAYS:,}, not {value!r}")
    return int(number)


def _seconds(value: str) -> float:
    """A time to wait: 0 or more seconds (at most a year)."""
    return _number(value, 0.0, 365 * 86_400.0, "a number of seconds, 0 or more")


def _path(value: str) -> str:
    """A path option's value; an empty one (``--out "$OUT"`` with OUT unset) was the working folder, or nothing."""
    if not value.strip():
        raise argparse.ArgumentTypeError(f"give a path, not {value!r} (an unset shell variable?)")
    return value


def _database_path(value: str) -> str:
    """A path a database (the analysis store, the embedding store) is opened at: as ``_path``, and in UTF-8. A name
    in another encoding (``caf\\xe9``) reached DuckDB after the whole analysis, as a "std::bad_cast" traceback."""
    value = _path(value)
    if not_utf8_name(value):
        shown = shown_name(value)
        raise argparse.ArgumentTypeError(
            f"the path '{shown}' is not valid UTF-8 (a name in another encoding), where its database cannot be "
            "opened; give a name in UTF-8"
        )
    return value


def add_show_parser(commands: argparse._SubParsersAction) -> None:
    """The ``show`` subcommand's arguments."""
    show = commands.add_parser("show", help="one story's comparison (or find stories) in a saved analysis")
    show.add_argument("folder", help="the --out folder (or s3://bucket/prefix) of `python -m compare analyze`")
    wanted = show.add_mutually_exclusive_group(required=True)
    wanted.add_argument("--story", help="the story's id (e.g. story-1a2b3c4d5e6f, as --search lists them)")
    wanted.add_argument("--search", metavar="TEXT", help="stories whose headlines (or texts) contain TEXT")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.add_argument(
        "--limit", type=at_least_one, default=20, help="with --search: stories listed at most (default 20)"
    )


def at_least_one(value: str) -> int:
    """A count of 1 or more (a negative LIMIT was a DuckDB error reported as an unreadable store)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of 1 or more, not {value!r}")
    return number
