"""What the story page says of a story: its name, its outlets' headlines, its coverage, finding it by search."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from compare.model.defaults import NAMING_LABELS
from compare.model.names import by_name, name_key
from compare.model.text import normalise_text, word_prefix
from compare.views.tables import Registry, is_stand_in

# The two counts of facts a story page, the report and `show` give, named alike everywhere: a fact every outlet of
# the story reports, and a shared fact (as the Overview counts them: reported by two or more outlets).
EVERY_OUTLET_FACTS = "Facts every outlet reports"
SHARED_FACTS = "shared facts (two or more outlets)"

# Entity kinds that name an event's actors and places (dates, numbers and ordinals name nothing).
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class StorySummary:
    """A story as a reader finds it: its headline, key entities, date range, outlets and searchable text."""

    id: str
    headline: str
    entities: tuple[str, ...]
    first: str | None
    last: str | None
    outlets: tuple[str, ...]
    articles: int
    origins: int
    search_text: str  # every outlet's headline, the entities and the text, lower-cased

    @property
    def dates(self) -> str:
        """The date range (``2010-06-14 – 2010-06-15``), one date when it is one day, "undated" when none."""
        if not self.first:
            return "undated"
        return self.first if self.first == self.last else f"{self.first} – {self.last}"

    @property
    def label(self) -> str:
        """How a story is named in lists: headline · key entities · dates · outlets."""
        named = ", ".join(self.entities[:3])
        return " · ".join(part for part in (self.headline[:90], named, self.dates, ", ".join(self.outlets)) if part)


# What a story list's cells hold, in characters, so that no line is cut at a row's bottom edge: the wide list's
# headline (three lines of its 330 px column) and outlets named past three (three lines of 170 px with the count
# and "and N more"), the narrow list's one cell (four lines of 280 px or more).
LIST_HEADLINE_CHARS = 120
LIST_OUTLET_NAMES_CHARS = 30
NARROW_CELL_CHARS = 170
NARROW_HEADLINE_MIN_CHARS = 50


def cut_at_word(text: str, length: int) -> str:
    """``text`` in at most ``length`` characters, cut at a word with an ellipsis when it is longer."""
    if len(text) <= length:
        return text
    return word_prefix(text, length - 1) + "…"


def outlets_named(outlets: tuple[str, ...] | list[str], most: int = 3) -> str:
    """A story's outlets for a list's cell, led by their number past ``most``, then as many names as three lines
    hold and how many more: ECB+'s "19 outlets: ecb-12_10ecb, ecb-12_11ecb, …" went on past the row's edge, the
    fourth name cut in half."""
    if len(outlets) <= most:
        return ", ".join(outlets)
    named = [outlets[0]]
    for outlet in outlets[1:]:
        if len(", ".join([*named, outlet])) > LIST_OUTLET_NAMES_CHARS:
            break
        named.append(outlet)
    return f"{len(outlets):,} outlets: {', '.join(named)} and {len(outlets) - len(named):,} more"


def story_list_cell(summary: StorySummary) -> str:
    """A story in the narrow story list's one column: its headline, then who told it, how many articles, when
    (after a dash: the list draws a line break as a space). The headline is shortened so that the rest shows: a
    phone showed ECB+'s long first sentences and the outlets' names, never the articles or the dates."""
    articles = f"{summary.articles} article{'s' if summary.articles != 1 else ''}"
    told = f"{outlets_named(summary.outlets)} · {articles} · {summary.dates}"
    room = max(NARROW_CELL_CHARS - len(told) - 3, NARROW_HEADLINE_MIN_CHARS)
    return f"{cut_at_word(summary.headline, room)} — {told}"


def _entity_name(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip().removeprefix("the ").removeprefix("The "))


def story_entities(statements: list[dict[str, Any]], limit: int = 5) -> tuple[str, ...]:
    """The story's key entities: named people, bodies and places, most mentioned (by most outlets) first."""
    mentions: Counter[str] = Counter()
    outlets: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    for statement in statements:
        for text, label in statement.get("entities") or ():
            name = _entity_name(text)
            if label not in NAMING_LABELS or len(name) < 3:
                continue
            key = name.lower()
            spelled.setdefault(key, name)
            mentions[key] += 1
            outlets.setdefault(key, set()).add(statement["outlet"])
    ranked = sorted(mentions, key=lambda key: (-len(outlets[key]), -mentions[key], key))
    return tuple(spelled[key] for key in ranked[:limit])


def story_summaries(analysis: dict[str, Any]) -> list[StorySummary]:
    """Every story of the analysis as ``StorySummary``, in the analysis' order (largest first)."""
    articles = {article["id"]: article for article in analysis["articles"]}
    statements: dict[str, list[dict[str, Any]]] = {}
    for statement in analysis["statements"]:
        statements.setdefault(statement["article_id"], []).append(statement)
    origins = analysis.get("independent_origins", {})
    summaries = []
    for story in analysis["stories"]:
        members = [articles[article_id] for article_id in story["article_ids"] if article_id in articles]
        told = [statement for member in members for statement in statements.get(member["id"], [])]
        dates = sorted(member["published"] for member in members if member.get("published"))
        entities = story_entities(told)
        first = first_article(members)
        searchable = " ".join(
            [*(member.get("title") or "" for member in members), *entities, *(s["text"] for s in told)]
        )
        summaries.append(
            StorySummary(
                id=story["id"],
                headline=first.get("title") or "(no headline)",
                entities=entities,
                first=dates[0] if dates else None,
                last=dates[-1] if dates else None,
                outlets=tuple(by_name(story["outlets"])),
                articles=len(members),
                origins=int(origins.get(story["id"], len(members))),
                search_text=searchable.lower(),
            )
        )
    return summaries


def first_article(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The article a story is named after: its earliest dated one (undated ones last)."""
    return min(members, key=lambda member: (member.get("published") is None, member.get("published") or ""))


def story_headline(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    """A story's headline, the one every view names it by (its earliest article's), or "" when ``articles``
    (by id) holds none of its articles."""
    members = [articles[article_id] for article_id in story["article_ids"] if article_id in articles]
    return (first_article(members).get("title") or "(no headline)") if members else ""


def story_headlines(analysis: dict[str, Any]) -> dict[str, str]:
    """Each story's headline (``StorySummary.headline``) by story id, without reading statements."""
    articles = {article["id"]: article for article in analysis["articles"]}
    headlines = {story["id"]: story_headline(story, articles) for story in analysis["stories"]}
    return {story: headline for story, headline in headlines.items() if headline}


def search_stories(summaries: list[StorySummary], query: str) -> list[StorySummary]:
    """The stories whose headlines, entities or text hold every word of ``query`` (case-insensitive).

    Stories whose headlines or entities hold the words come first: a name in a headline says more
    than one in a later paragraph.
    """
    words = search_words(query)
    if not words:
        return summaries
    return named_first([summary for summary in summaries if all(word in summary.search_text for word in words)], words)


def search_words(query: str) -> list[str]:
    """The words a search looks for: lower-cased, without the invisible characters a pasted query may carry
    (zero-width spaces, soft hyphens, bidi marks: "Ukra\u200bine" is "ukraine"), which ingest strips from articles."""
    return normalise_text(query).lower().split()


def named_first(found: list[StorySummary], words: list[str]) -> list[StorySummary]:
    """``found`` with the stories whose headlines or entities hold every one of ``words`` first, else in order."""

    def named(summary: StorySummary) -> bool:
        heading = " ".join((summary.headline, *summary.entities)).lower()
        return all(word in heading for word in words)

    return sorted(found, key=lambda summary: not named(summary))


def public_url(url: str | None) -> str | None:
    """An article's web address when it is one (http or https); anything else is not linked."""
    return url if url and re.match(r"^https?://[^\s\"'<>]+$", url, re.IGNORECASE) else None


def headline_rows(analysis: dict[str, Any], story: dict[str, Any]) -> list[dict[str, Any]]:
    """Each article of the story: outlet, headline, date, byline, web address, grouped by outlet.

    An outlet with two articles in the story has them numbered (``article`` 1, 2) so the page can
    tell them apart.
    """
    articles = {article["id"]: article for article in analysis["articles"]}
    members = [articles[article_id] for article_id in story["article_ids"] if article_id in articles]
    members.sort(key=lambda member: (name_key(member["outlet"]), member.get("published") or "", member["id"]))
    per_outlet = Counter(member["outlet"] for member in members)
    seen: Counter[str] = Counter()
    rows = []
    for member in members:
        seen[member["outlet"]] += 1
        rows.append(
            {
                "outlet": member["outlet"],
                "article_id": member["id"],
                "article": seen[member["outlet"]] if per_outlet[member["outlet"]] > 1 else None,
                "headline": member.get("title") or "(no headline)",
                "published": member.get("published"),
                "byline": member.get("byline"),
                "url": public_url(member.get("url")),
            }
        )
    return rows


def article_labels(analysis: dict[str, Any], story: dict[str, Any]) -> dict[str, str]:
    """Per article id, how its statements are labelled: the outlet, with "article N" when it has several."""
    return {
        row["article_id"]: row["outlet"] + (f" · article {row['article']}" if row["article"] else "")
        for row in headline_rows(analysis, story)
    }


def coverage_rows(analysis: dict[str, Any], story: dict[str, Any], registry: Registry) -> list[dict[str, Any]]:
    """The outlets that covered the story: country and type from the registry, their article counts, and
    ``stand_in`` for a name the input gave after the article itself (ECB+'s "ecb-5_10ecb"): no outlet given."""
    counts = Counter(row["outlet"] for row in headline_rows(analysis, story))
    stand_ins = _stand_ins(analysis, story)
    return [
        {
            "outlet": outlet,
            "country": registry.describe(outlet).country,
            "type": registry.describe(outlet).type,
            "articles": counts[outlet],
            "stand_in": outlet in stand_ins,
        }
        for outlet in by_name(story["outlets"])
    ]


def _stand_ins(analysis: dict[str, Any], story: dict[str, Any]) -> set[str]:
    members = set(story["article_ids"])
    return {article["outlet"] for article in analysis["articles"] if article["id"] in members and is_stand_in(article)}


def coverage_sentence(analysis: dict[str, Any], story: dict[str, Any]) -> str:
    """``5 articles from 3 outlets, 3 independent origins`` (copies of another article counted once)."""
    articles = len(story["article_ids"])
    origins = int(analysis.get("independent_origins", {}).get(story["id"], articles))
    outlets = len(story["outlets"])
    sentence = f"{articles} article{'s' * (articles != 1)} from {outlets} outlet{'s' * (outlets != 1)}"
    stand_ins = len(_stand_ins(analysis, story))
    if stand_ins:
        sentence += f" ({stand_ins:,} of them named after their own article: no outlet given)"
    if origins != articles:
        return sentence + f", {origins} independent origin{'s' * (origins != 1)} (copies counted once)"
    return sentence + ", each written independently"
