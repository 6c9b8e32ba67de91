"""``python -m compare show OUT --story ID | --search TEXT [--json]``: a saved analysis read in a shell."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from compare.engines.queries import load_story, search_stories
from compare.io.remote import fetch, is_remote
from compare.io.tables import store_path
from compare.model.errors import InputError
from compare.pipeline import read_saved_analysis
from compare.views.comparison import comparison_text, search_text, story_comparison


def show_command(arguments: argparse.Namespace) -> int:
    """One story's comparison, or the stories a text finds, from the store in OUT (only their rows are read)."""
    if is_remote(arguments.folder):  # DuckDB reads a local file: the store's working copy, fetched where it changed
        arguments.folder = str(fetch(arguments.folder))
    if arguments.search is not None:
        found = search_stories(arguments.folder, arguments.search, arguments.limit)
        print(json.dumps(found, ensure_ascii=False, indent=1) if arguments.json else search_text(found))
        return 0
    if not store_path(arguments.folder).is_file() and (Path(arguments.folder) / "analysis.json").is_file():
        analysis: dict | None = read_saved_analysis(arguments.folder)[0]  # an older version's folder: read whole
    else:
        analysis = load_story(arguments.folder, arguments.story)
    comparison = story_comparison(analysis, arguments.story) if analysis is not None else None
    if comparison is None:
        story = arguments.story if len(arguments.story) <= 80 else arguments.story[:60] + "..."
        raise InputError(f"{arguments.folder}: no story {story!r}; find one with --search TEXT")
    print(json.dumps(comparison, ensure_ascii=False, indent=1) if arguments.json else comparison_text(comparison))
    return 0


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
