"""``python -m compare show OUT --story ID | --search TEXT [--json]``: a saved analysis read in a shell."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from compare.engines.browse import SavedQueries
from compare.engines.queries import load_story, search_stories
from compare.io.remote import fetch, is_remote
from compare.io.tables import store_path
from compare.model.errors import InputError
from compare.views.comparison import comparison_text, search_text, story_comparison


def show_command(arguments: argparse.Namespace) -> int:
    """One story's comparison, or the stories a text finds, from the store in OUT (only their rows are read)."""
    if is_remote(arguments.folder):  # DuckDB reads a local file: the store's working copy, fetched where it changed
        arguments.folder = str(fetch(arguments.folder))
    if arguments.search is not None:
        found = search_stories(arguments.folder, arguments.search, arguments.limit)
        print(json.dumps(found, ensure_ascii=False, indent=1) if arguments.json else search_text(found))
        return 0
    stored = store_path(arguments.folder).is_file() or not (Path(arguments.folder) / "analysis.json").is_file()
    if not stored:  # an older version's folder: read whole, by the reader that imports the whole pipeline
        from compare.engines.saved import read_saved_analysis

        analysis: dict | None = read_saved_analysis(arguments.folder)[0]
    story_id = arguments.story
    for story_id in dict.fromkeys([arguments.story, written_story_id(arguments.story)]):
        if stored:
            analysis = load_story(arguments.folder, story_id)
        comparison = story_comparison(analysis, story_id) if analysis is not None else None
        if comparison is not None:
            print(
                json.dumps(comparison, ensure_ascii=False, indent=1) if arguments.json else comparison_text(comparison)
            )
            return 0
    moved = SavedQueries(arguments.folder).moved_story(story_id) if stored else None
    raise InputError(_no_story(arguments.folder, arguments.story, moved))


def written_story_id(given: str) -> str:
    """The story id in what a user pasted: a dashboard link (``...?story=story-1a2b...``), ``#story-1A2B...``,
    the id with spaces around it or in capitals, or only its 12 hex digits."""
    text = given.strip()
    if "story=" in text:
        text = parse_qs(urlparse(text).query).get("story", [text])[0].strip()
    text = text.lstrip("#").strip()
    hex_digits = text.lower().removeprefix("story-")
    return f"story-{hex_digits}" if re.fullmatch(r"[0-9a-f]{12}", hex_digits) else text


def _no_story(folder: str, given: str, moved: tuple[str, str] | None) -> str:
    story = given if len(given) <= 80 else given[:60] + "..."
    if moved is None:
        return f"{folder}: no story {story!r}; find one with --search TEXT"
    title, now = moved
    return (
        f"{folder}: no story {story!r} in this analysis (files added since, or other thresholds, regrouped its "
        f"articles): the article it was named after, {title!r}, is now in {now}; show it with --story {now}"
    )
