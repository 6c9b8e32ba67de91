"""Rows the dashboard and the report show: a story side by side, outlets, stories, word swaps, drift over time."""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from compare.model.documents import article_id_of
from compare.model.names import by_name, name_key


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
    return by_name(article["outlet"] for article in analysis["articles"])


# Outlets a chart of one bar (or group of bars) per outlet draws unless the reader chooses others: a bar each ran
# ECB+'s 181 outlets to a 52,000 px Outlets page (its tone chart 25,800 px with a 100-entry legend) and a
# 143,800 px report with 181 distinctive-terms charts.
MAX_CHART_OUTLETS = 12


def busiest_outlets(
    analysis: dict[str, Any], limit: int = MAX_CHART_OUTLETS, among: list[str] | None = None
) -> list[str] | None:
    """The ``limit`` outlets (of ``among``, or of all) with the most articles, sorted by name (among equals, the
    first by name); None when there are no more outlets than that (every outlet is drawn)."""
    articles = Counter(article["outlet"] for article in analysis["articles"] if not among or article["outlet"] in among)
    if len(articles) <= limit:
        return None
    return by_name(sorted(articles, key=lambda outlet: (-articles[outlet], name_key(outlet)))[:limit])


def busiest_note(analysis: dict[str, Any], drawn: list[str]) -> str:
    """What the per-outlet charts show when they draw only ``drawn`` (``busiest_outlets``), in a sentence."""
    outlets = len({article["outlet"] for article in analysis["articles"]})
    return (
        f"{outlets:,} outlets are too many for one chart: the charts of outlets show the {len(drawn)} with the "
        f"most articles ({', '.join(drawn)})."
    )


def cross_outlet_claims(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims stated by two or more outlets."""
    return [cluster for cluster in analysis["clusters"] if len(cluster["outlets"]) >= 2]


# How ingest found each article's outlet (its ``extra["outlet_from"]``), as the Overview's outlet table says it.
_NAMED_FROM = {
    "given": "given in the input",
    "registry": "found in the text (a known outlet)",
    "masthead": "found in the page (its masthead)",
    "url": "the article's web address",
}


def outlet_table(analysis: dict[str, Any], registry: Registry) -> list[dict[str, Any]]:
    """Outlets with their registry metadata, article counts and where their names came from."""
    counts: Counter[str] = Counter()
    named_from: dict[str, Counter[str]] = {}
    for article in analysis["articles"]:
        counts[article["outlet"]] += 1
        named_from.setdefault(article["outlet"], Counter())[outlet_named_from(article)] += 1
    return [
        {
            "outlet": outlet,
            "country": registry.describe(outlet).country,
            "type": registry.describe(outlet).type,
            "articles": count,
            "name from": "; ".join(
                how if len(named_from[outlet]) == 1 else f"{how} ({number})"
                for how, number in named_from[outlet].most_common()
            ),
        }
        for outlet, count in sorted(counts.items(), key=lambda item: name_key(item[0]))
    ]


def outlet_named_from(article: dict[str, Any]) -> str:
    """Where an article's outlet name came from. An input may give a stand-in for the outlet that repeats the
    article's own id or file name (ECB+'s "ecb-2_1ecb" for article 2_1ecb): that names no publication, and says so."""
    how = (article.get("extra") or {}).get("outlet_from")
    if how is None:  # "Unknown" when ingest found none; an analysis older than the record says nothing
        return "not found in the input or the text" if article["outlet"] == "Unknown" else ""
    if is_stand_in(article):
        return "given in the input: the article's own id, not a publication"
    return _NAMED_FROM.get(how, how)


def named_after_its_article(article: dict[str, Any]) -> bool:
    """Whether the article's outlet name holds its own id, or the name of the file that holds only it."""
    outlet = article["outlet"].casefold()
    names = {str(article.get("id") or "").casefold()}
    source = str(article.get("source") or "").replace("\\", "/").rsplit("/", 1)[-1]
    if ":" not in source:  # "file.jsonl:27" is one line of a file of many articles: its name names none of them
        names.add(source.rsplit(".", 1)[0].casefold())
    return any(len(name) >= 4 and name in outlet for name in names)


def is_stand_in(article: dict[str, Any]) -> bool:
    """Whether the input gave the article an outlet named after the article itself: a stand-in, not a publication."""
    return (article.get("extra") or {}).get("outlet_from") == "given" and named_after_its_article(article)


def stand_in_outlets(analysis: dict[str, Any]) -> list[str]:
    """The outlets named after their own article (``is_stand_in``)."""
    return by_name(article["outlet"] for article in analysis["articles"] if is_stand_in(article))


def stand_in_note(stand_ins: list[str], outlets: int) -> str:
    """What the Overview says under its outlet table when some outlets are stand-ins named after their article."""
    shown = ", ".join(stand_ins[:3]) + (", …" if len(stand_ins) > 3 else "")
    return (
        f"{len(stand_ins):,} of {outlets:,} outlets are named after their own article ({shown}): the input gives no "
        "publication for those articles, so each counts as an outlet of its own."
    )


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
            users = by_name(users)
            counted = ", ".join(f"{outlet} {uses[outlet]:,}" for outlet in users if uses[outlet])
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
        for (outlet, when), found in sorted(sums.items(), key=lambda item: (name_key(item[0][0]), item[0][1]))
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
