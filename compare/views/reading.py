"""What the pages read of an analysis, as one small interface that an analysis in memory and a saved store both answer.

The pages draw analysis.json-shaped dicts: ``overview()`` holds what the Overview and the Outlets page
draw, ``story(id)`` one story's rows; the rest are the few things worth computing where the data is
(the story list, search, the claims heatmap, drift). ``InMemoryAnalysis`` answers from a whole analysis
(the seeds, a folder analysed in the session, an older version's analysis.json); ``SavedAnalysis`` asks a
store (``compare.engines.browse.SavedQueries``, given by the dashboard: views never import the store) and
keeps what it was told, so one copy serves every session (a saved analysis does not change under it;
the dashboard makes a new one when its file does).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from compare.model.documents import story_id_of_article
from compare.views.charts.coverage import claim_statements, ordered_claims
from compare.views.story import StorySummary, named_first, search_stories, search_words, story_summaries
from compare.views.tables import cross_outlet_claims, drift_measures, drift_rows

# The framing tables the story page reads for one story (compare.views.differences, aligned, story);
# tests/test_story_page.py checks that the page is the same whether it has these or every table.
STORY_TABLES = (
    "omissions",
    "voices",
    "voice_share_by_story",
    "quote_edits",
    "referent_wordings",
    "word_differences",
    "loaded_words",
    "tone",
    "prominence",
)
# The outlet-wide framing tables the pages draw from ``overview()``: the Overview and the Outlets page, and the two
# the story page adds to a story's rows. Not ``entities`` (each outlet's mentions of each entity, drawn by no page:
# 145,758 rows at 251k statements, a fifth of the Overview's first draw) nor ``syndication``: a CSV download and
# the report read them when asked.
OVERVIEW_TABLES = ("voice_share", "frame_share", "tone_toward_actors", "word_swaps", "distinctive_terms")
KEPT = 64  # answers a saved analysis keeps: story dicts (a few hundred statements each), searches, charts' rows


@dataclass(frozen=True)
class HeatmapClaims:
    """The claims a coverage heatmap draws: the first ones in its order, how many there are, their statements."""

    claims: list[dict[str, Any]]
    total: int
    statements: dict[str, dict[str, Any]]  # id -> {"outlet", "text"}, of these claims' statements


class AnalysisView(Protocol):
    """What the pages read; both ``InMemoryAnalysis`` and ``SavedAnalysis`` answer it."""

    def overview(self) -> dict[str, Any]:
        """analysis.json's shape with every article (its text may be left out), story and problem and the
        outlet-wide framing tables; statements and claims only when they are at hand."""
        ...

    def cross_outlet_claims(self) -> int: ...

    def story(self, story_id: str) -> dict[str, Any] | None:
        """analysis.json's shape holding (at least) this story's rows; None when there is no such story."""
        ...

    def summaries(self) -> list[StorySummary]: ...

    def search(self, summaries: list[StorySummary], query: str) -> list[StorySummary]:
        """Those of ``summaries`` whose headlines, entities or text hold every word of ``query``, named first."""
        ...

    def heatmap_claims(self, order: str, limit: int) -> HeatmapClaims: ...

    def drift_measures(self) -> list[str]: ...

    def drift_rows(self, measure: str, period: str) -> list[dict[str, Any]]: ...

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """A framing table whole (for its CSV)."""
        ...

    def moved_story(self, story_id: str) -> tuple[str, str] | None:
        """For a story id the analysis lacks: (title of the article that named it, the story it is in now)."""
        ...

    def whole(self) -> tuple[dict[str, Any], np.ndarray]:
        """The whole analysis and its vectors (the Map and the HTML report draw every statement)."""
        ...


class InMemoryAnalysis:
    """An analysis held whole as analysis.json's dict, with its vectors."""

    def __init__(self, analysis: dict[str, Any], vectors: np.ndarray) -> None:
        self.analysis = analysis
        self.vectors = vectors
        self._summaries: list[StorySummary] | None = None

    def overview(self) -> dict[str, Any]:
        return self.analysis

    def cross_outlet_claims(self) -> int:
        return len(cross_outlet_claims(self.analysis))

    def story(self, story_id: str) -> dict[str, Any] | None:
        found = any(story["id"] == story_id for story in self.analysis["stories"])
        return self.analysis if found else None

    def summaries(self) -> list[StorySummary]:
        if self._summaries is None:
            self._summaries = story_summaries(self.analysis)
        return self._summaries

    def search(self, summaries: list[StorySummary], query: str) -> list[StorySummary]:
        return search_stories(summaries, query)

    def heatmap_claims(self, order: str, limit: int) -> HeatmapClaims:
        every = ordered_claims(self.analysis, order)
        named = claim_statements(self.analysis, every[:limit])
        statements = {sid: {"outlet": s["outlet"], "text": s["text"]} for sid, s in named.items()}
        return HeatmapClaims(every[:limit], len(every), statements)

    def drift_measures(self) -> list[str]:
        return drift_measures(self.analysis)

    def drift_rows(self, measure: str, period: str) -> list[dict[str, Any]]:
        return drift_rows(self.analysis, measure, period)

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        return list(self.analysis.get(name, []))

    def moved_story(self, story_id: str) -> tuple[str, str] | None:
        anchor = next((a for a in self.analysis["articles"] if story_id_of_article(a["id"]) == story_id), None)
        if anchor is None:
            return None
        now = next((s["id"] for s in self.analysis["stories"] if anchor["id"] in s["article_ids"]), None)
        return (anchor["title"], now) if now else None

    def whole(self) -> tuple[dict[str, Any], np.ndarray]:
        return self.analysis, self.vectors


class StoreQueries(Protocol):
    """The queries a saved analysis answers (``compare.engines.browse.SavedQueries``)."""

    def overview(self, tables: Collection[str] | None = None) -> dict[str, Any]: ...

    def cross_outlet_claims(self) -> int: ...

    def story(self, story_id: str, tables: Collection[str] | None = None) -> dict[str, Any] | None: ...

    def summary_rows(self) -> list[dict[str, Any]]: ...

    def matching_stories(self, words: list[str]) -> list[str]: ...

    def heatmap_claims(self, order: str, limit: int) -> tuple[list[dict[str, Any]], int, dict[str, dict[str, Any]]]: ...

    def drift_measures(self) -> list[str]: ...

    def drift_rows(self, measure: str, period: str) -> list[dict[str, Any]]: ...

    def table_rows(self, name: str) -> list[dict[str, Any]]: ...

    def moved_story(self, story_id: str) -> tuple[str, str] | None: ...


class _Kept:
    """A bounded, thread-safe memo of what a saved analysis answered (oldest dropped first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.found: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        """What ``make()`` answered for ``key`` (two sessions asking at once may both make it)."""
        with self.lock:
            if key in self.found:
                self.found.move_to_end(key)
                return self.found[key]
        made = make()
        with self.lock:
            self.found[key] = made
            while len(self.found) > self.size:
                self.found.popitem(last=False)
        return made


class SavedAnalysis:
    """A saved analysis read a view at a time through ``queries``; what it reads is kept (read-only).

    ``whole`` is given by the dashboard (reading the whole analysis, for the Map and the report only).
    """

    def __init__(self, queries: StoreQueries, whole: Callable[[], tuple[dict[str, Any], np.ndarray]]) -> None:
        self.queries = queries
        self._whole = whole
        self._kept = _Kept(KEPT)
        self._once = _Kept(4)  # the Overview's rows, the story list, the counts: made once, never dropped

    def overview(self) -> dict[str, Any]:
        return self._once.get("overview", lambda: self.queries.overview(OVERVIEW_TABLES))

    def cross_outlet_claims(self) -> int:
        return self._once.get("claims", self.queries.cross_outlet_claims)

    def story(self, story_id: str) -> dict[str, Any] | None:
        def make() -> dict[str, Any] | None:
            found = self.queries.story(story_id, STORY_TABLES)
            if found is None:
                return None
            wide = self.overview()  # the outlet-wide tables the story page reads
            return found | {key: wide[key] for key in ("word_swaps", "tone_toward_actors") if key in wide}

        return self._kept.get(("story", story_id), make)

    def summaries(self) -> list[StorySummary]:
        def make() -> list[StorySummary]:
            return [StorySummary(**row, search_text="") for row in self.queries.summary_rows()]

        return list(self._once.get("summaries", make))

    def search(self, summaries: list[StorySummary], query: str) -> list[StorySummary]:
        """The store finds the stories holding every word, in ``story.search_stories``' order (named first)."""
        words = search_words(query)
        if not words:
            return summaries
        key = ("search", tuple(sorted(set(words))))
        found = set(self._kept.get(key, lambda: self.queries.matching_stories(words)))
        return named_first([summary for summary in summaries if summary.id in found], words)

    def heatmap_claims(self, order: str, limit: int) -> HeatmapClaims:
        claims, total, statements = self._kept.get(
            ("heatmap", order, limit), lambda: self.queries.heatmap_claims(order, limit)
        )
        return HeatmapClaims(claims, total, statements)

    def drift_measures(self) -> list[str]:
        return list(self._once.get("measures", self.queries.drift_measures))

    def drift_rows(self, measure: str, period: str) -> list[dict[str, Any]]:
        return list(self._kept.get(("drift", measure, period), lambda: self.queries.drift_rows(measure, period)))

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        return self.queries.table_rows(name)  # a CSV download: read when asked, not kept

    def moved_story(self, story_id: str) -> tuple[str, str] | None:
        return self.queries.moved_story(story_id)

    def whole(self) -> tuple[dict[str, Any], np.ndarray]:
        return self._whole()
