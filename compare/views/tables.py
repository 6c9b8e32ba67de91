"""Rows the dashboard and the report show: a story side by side, outlets, stories, word swaps, drift over time."""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from compare.model.documents import article_id_of


class OutletFacts(Protocol):
    """What the tables show of an outlet (``compare.ingest.Outlet`` has it)."""

    @property
    def country(self) -> str: ...

    @property
    def type(self) -> str: ...


class Registry(Protocol):
    """Anything that describes an outlet by name (``compare.ingest.OutletRegistry``): views never load one."""

    def describe(self, name: str) -> OutletFacts: ...


def tones_by_statement(analysis: dict[str, Any]) -> dict[str, float]:
    """Each statement's tone (what a statement card's tone badge shows)."""
    return {row["statement_id"]: row["tone"] for row in analysis["tone"]}


def outlet_names(analysis: dict[str, Any]) -> list[str]:
    """The outlets of the analysed articles, sorted."""
    return sorted({article["outlet"] for article in analysis["articles"]})


def cross_outlet_claims(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims stated by two or more outlets."""
    return [cluster for cluster in analysis["clusters"] if len(cluster["outlets"]) >= 2]


def outlet_table(analysis: dict[str, Any], registry: Registry) -> list[dict[str, Any]]:
    """Outlets with their registry metadata and article counts."""
    counts: dict[str, int] = {}
    for article in analysis["articles"]:
        counts[article["outlet"]] = counts.get(article["outlet"], 0) + 1
    return [
        {
            "outlet": outlet,
            "country": registry.describe(outlet).country,
            "type": registry.describe(outlet).type,
            "articles": count,
        }
        for outlet, count in sorted(counts.items())
    ]


def swap_table(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Word swaps as rows: the wording set, one of its variants, and how often each outlet uses that variant.

    With the outlets' names alone, BASIL's "immigrants: illegal immigrants" and "undocumented immigrants" both
    read "Fox News, HuffPost, The New York Times", which says nothing of who prefers which.
    """
    outlet_of = {article["id"]: article["outlet"] for article in analysis["articles"]}
    rows = []
    for row in analysis["word_swaps"]:
        for term, users in row["outlets"].items():
            uses = Counter(outlet_of.get(article_id_of(sid)) for sid in (row.get("statement_ids") or {}).get(term, []))
            counted = ", ".join(f"{outlet} {uses[outlet]}" for outlet in users if uses[outlet])
            rows.append({"wording": row["label"], "variant": term, "uses per outlet": counted or ", ".join(users)})
    return rows


def drift_measures(analysis: dict[str, Any]) -> list[str]:
    """The measures ``drift_rows`` can follow in this analysis: tone, each frame, each side quoted."""
    frames = sorted({row["frame"] for row in analysis["frames"]})
    sides = sorted({row["side"] for row in analysis["voices"]})
    return ["tone"] + [f"frame:{frame}" for frame in frames] + [f"side:{side}" for side in sides]


def measure_label(measure: str) -> str:
    """A drift measure (``tone``, ``frame:NAME``, ``side:NAME``) as a reader names it."""
    kind, _, name = measure.partition(":")
    return {"tone": "Mean tone", "frame": f"Share of statements framed as {name}", "side": f"Share of voices: {name}"}[
        kind
    ]


def drift_rows(analysis: dict[str, Any], measure: str, period: str = "month") -> list[dict[str, Any]]:
    """How a measure moves over time per outlet.

    Args:
        analysis: the analysis dict.
        measure: ``tone`` (mean statement tone), ``frame:NAME`` (share of statements with that frame)
            or ``side:NAME`` (share of attributed statements that quote or cite that side).
        period: ``month`` or ``year``.

    Returns:
        Rows of ``outlet, period, value, statements``; articles without a date are left out.
    """
    width = 7 if period == "month" else 4
    published = {article["id"]: (article.get("published") or "")[:width] for article in analysis["articles"]}
    values = _measure_values(analysis, measure)
    sums: dict[tuple[str, str], list[float]] = {}
    for statement in analysis["statements"]:
        when = published.get(statement["article_id"], "")
        if len(when) == width and statement["id"] in values:
            sums.setdefault((statement["outlet"], when), []).append(values[statement["id"]])
    return [
        {"outlet": outlet, "period": when, "value": sum(found) / len(found), "statements": len(found)}
        for (outlet, when), found in sorted(sums.items())
    ]


def _measure_values(analysis: dict[str, Any], measure: str) -> dict[str, float]:
    """A measure's value per statement id (see ``drift_rows``)."""
    kind, _, name = measure.partition(":")
    if kind == "tone":
        return tones_by_statement(analysis)
    if kind == "frame":
        return {row["statement_id"]: float(row["frame"] == name) for row in analysis["frames"]}
    if kind == "side":
        return {row["statement_id"]: float(row["side"] == name) for row in analysis["voices"]}
    raise ValueError(f"unknown measure {measure!r}: use tone, frame:NAME or side:NAME")
