"""One story's comparison for a terminal or a script: headlines, shared facts, facts only some outlets
report, wording differences (``python -m compare show OUT --story ID``)."""

from __future__ import annotations

import re
from typing import Any

from compare.model.names import by_name
from compare.views.story import EVERY_OUTLET_FACTS

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def story_comparison(analysis: dict[str, Any], story_id: str) -> dict[str, Any] | None:
    """The comparison of story ``story_id`` in an analysis.json-shaped dict (``load_story``'s is enough).

    Returns:
        {"story", "outlets", "headlines", "shared", "partial", "wording"}, JSON-ready; None when the
        analysis has no such story. ``shared``: claims every outlet of the story reports; ``partial``:
        claims some report, with the outlets that leave them out; ``wording``: a statement's words
        against the closest other outlet's statement of its claim.
    """
    story = next((story for story in analysis["stories"] if story["id"] == story_id), None)
    if story is None:
        return None
    outlets = by_name(story["outlets"])
    statements = {statement["id"]: statement for statement in analysis["statements"]}
    headlines = [
        {
            "outlet": article["outlet"],
            "title": article["title"],
            "published": article["published"],
            "url": article["url"],
        }
        for article in analysis["articles"]
        if article["id"] in set(story["article_ids"])
    ]
    shared, partial = [], []
    for claim in analysis["clusters"]:
        if story_id not in claim["story_ids"]:
            continue
        reported = [  # the claim's statements in this story's articles (a claim can reach other stories)
            {"outlet": statements[sid]["outlet"], "statement_id": sid, "text": statements[sid]["text"]}
            for sid in claim["statement_ids"]
            if sid in statements
        ]
        reporting = [outlet for outlet in outlets if any(row["outlet"] == outlet for row in reported)]
        if not reporting:
            continue
        entry = {"claim": claim["id"], "outlets": reporting, "statements": reported}
        missing = [outlet for outlet in outlets if outlet not in reporting]
        if not missing and len(outlets) >= 2:
            shared.append(entry)
        elif len(reporting) >= 2 or len(outlets) >= 2:
            partial.append({**entry, "missing": missing})
    partial.sort(key=lambda entry: -len(entry["outlets"]))
    wording = [
        {
            "statement_id": row["statement_id"],
            "outlet": statements[row["statement_id"]]["outlet"],
            "other_statement_id": row["other_statement_id"],
            "other_outlet": statements[row["other_statement_id"]]["outlet"],
            "similarity": row["similarity"],
            "removed": list(row["removed"]),
            "added": list(row["added"]),
        }
        for row in analysis.get("word_differences", [])
        if row["statement_id"] in statements and row["other_statement_id"] in statements
    ]
    wording.sort(key=lambda row: -row["similarity"])
    return {
        "story": story_id,
        "outlets": outlets,
        "headlines": headlines,
        "shared": shared,
        "partial": partial,
        "wording": wording,
    }


def comparison_text(comparison: dict[str, Any], limit: int = 10) -> str:
    """``story_comparison`` as terminal text, at most ``limit`` items a section; article text is printed
    without control characters (no escape sequence from an article reaches the terminal)."""
    lines = [
        f"{comparison['story']}: {counted(len(comparison['outlets']), 'outlet')} "
        f"({', '.join(map(clean, comparison['outlets']))})"
    ]
    lines += ["", "Headlines"]
    lines += [
        f"  [{clean(row['outlet'])}] {clean(row['title'])} ({row['published'] or 'no date'})"
        for row in comparison["headlines"]
    ]
    lines += ["", f"{EVERY_OUTLET_FACTS} ({len(comparison['shared'])})"]
    lines += _claims(comparison["shared"], limit)
    lines += ["", f"Facts only some outlets report ({len(comparison['partial'])})"]
    lines += _claims(comparison["partial"], limit)
    lines += ["", f"Wording differences ({len(comparison['wording'])})"]
    for row in comparison["wording"][:limit]:
        lines.append(f"  {clean(row['outlet'])} vs {clean(row['other_outlet'])} (similarity {row['similarity']:.2f})")
        if row["removed"]:
            lines.append(f"    - {clean(' | '.join(row['removed']))}")
        if row["added"]:
            lines.append(f"    + {clean(' | '.join(row['added']))}")
    lines += _more(comparison["wording"], limit)
    return "\n".join(lines)


def _claims(entries: list[dict[str, Any]], limit: int) -> list[str]:
    lines = []
    for entry in entries[:limit]:
        missing = f"; not in {', '.join(map(clean, entry['missing']))}" if entry.get("missing") else ""
        lines.append(f"  {entry['claim']} ({', '.join(map(clean, entry['outlets']))}{missing})")
        seen = set()
        for statement in entry["statements"]:
            if statement["outlet"] not in seen:  # one statement an outlet
                seen.add(statement["outlet"])
                lines.append(f"    [{clean(statement['outlet'])}] {clean(statement['text'])}")
    return lines + _more(entries, limit)


def _more(entries: list[Any], limit: int) -> list[str]:
    return [f"  ... {len(entries) - limit} more (--json gives all)"] if len(entries) > limit else []


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one ("1 article", "3 articles")."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def clean(text: str) -> str:
    """``text`` with control and bidirectional-override characters replaced by spaces."""
    return _CONTROL.sub(" ", str(text))


def search_text(found: list[dict[str, Any]]) -> str:
    """Stories found by ``--search`` as terminal lines: each named by its headline (the dashboard's name for it),
    and the headline that holds the search on a second line when it is another article's."""
    if not found:
        return "no story found"
    lines = []
    for row in found:
        outlets = ", ".join(map(clean, row["outlets"]))
        lines.append(f"{row['id']}: {clean(row['title'])} ({counted(row['articles'], 'article')}; {outlets})")
        if row.get("matched"):
            lines.append(f"    found in the headline: {clean(row['matched'])}")
    return "\n".join(lines)
