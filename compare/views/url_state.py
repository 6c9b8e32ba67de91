"""What a dashboard link carries, both ways: the view read from a query string and the query string of a view.

A link is untrusted input. It carries view state only (page, story, search, outlets, thresholds, which built-in
corpus by name and whether it is included, each page's own choices: ``LINKED_CHOICES``, and the story page's outlets
side by side; outlet names are only ever compared with the analysis's own):
the model and backend are chosen by whoever runs the dashboard, so a link that names them (as older
links do) opens without effect; a link that could name a model could make the server read its files or
download any model.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from compare.model.defaults import CLAIM_THRESHOLD, STORY_THRESHOLD
from compare.model.text import normalise_text

# The dashboard's pages by title (what ?page= says) with their own URL paths (the first is served at "/").
PAGE_PATHS = {"Overview": "overview", "Compare a story": "compare-a-story", "Outlets": "outlets", "Map": "map"}
PAGE_TITLES = tuple(PAGE_PATHS)
CLAIM_THRESHOLD_RANGE = (0.4, 0.9)
STORY_THRESHOLD_RANGE = (0.1, 0.7)
# The built-in corpora a link may name (?corpus=): the seed pages (the default) or the sample corpus. A name, never a
# path: a link must not make the server read a file it names.
CORPORA = ("seeds", "sample")
MAX_LINKED_STORY_CHARS = 100  # a story id is "story-" and 12 hex digits (an older version's "story-3")
# A link without thresholds shows what `python -m compare` makes: the defaults of compare.model.
DEFAULT_CLAIM_THRESHOLD = CLAIM_THRESHOLD
DEFAULT_STORY_THRESHOLD = STORY_THRESHOLD
# A page's own choices a link keeps: its parameter, the page, the widget (its key after the pages' prefix) and the
# option the page opens on, left out of links. A colleague opening a shared link of "Share of voices: Democrats by
# year" saw "Mean tone by month", and the Overview's "most disputed" claims came back "most omitted".
LINKED_CHOICES = {
    "order": ("Overview", "claim_order", "omitted"),
    "measure": ("Outlets", "drift_measure", "tone"),
    "by": ("Outlets", "drift_period", "month"),
    "colour": ("Map", "map_colour", "story"),
}


@dataclass(frozen=True)
class LinkedView:
    """What a link asks each page to show: a story, outlets (each page keeps those it has)."""

    story: str | None = None
    outlets: tuple[str, ...] = ()
    search: str = ""  # the story page's search box
    # the story page's outlets side by side, past six outlets (?side=): names only, kept when the story has them
    side: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()  # (parameter, value) of LINKED_CHOICES the link names

    def outlets_among(self, available: list[str]) -> list[str]:
        """The linked outlets that ``available`` has, in the link's order."""
        return [outlet for outlet in self.outlets if outlet in available]

    def side_among(self, available: list[str], most: int) -> list[str]:
        """The linked side-by-side outlets that ``available`` has, once each and at most ``most``, in the link's
        order: a link naming 50 outlets, or one twice, opens on the columns the page can set."""
        return list(dict.fromkeys(outlet for outlet in self.side if outlet in available))[:most]

    def option_index(self, parameter: str, options: Sequence[str]) -> int:
        """Where the option the link names for ``parameter`` (a key of ``LINKED_CHOICES``) is among ``options``;
        where the page's own opening option is when the link names none, or one ``options`` lacks."""
        options = list(options)
        for wanted in (dict(self.choices).get(parameter), LINKED_CHOICES[parameter][2]):
            if wanted in options:
                return options.index(wanted)
        return 0


def page_from_query(params: Mapping[str, str], current: str = PAGE_TITLES[0]) -> str:
    """The page a link names, or ``current`` when it names none (or one that does not exist)."""
    page = params.get("page")
    return page if page in PAGE_TITLES else current


def linked_view(params: Mapping[str, str]) -> LinkedView:
    """The story and outlets a link asks for."""
    return LinkedView(
        story=_shown_text(params.get("story", ""), MAX_LINKED_STORY_CHARS) or None,
        outlets=tuple(outlet for outlet in params.get("outlets", "").split(",") if outlet),
        search=_shown_text(params.get("q", ""), 200),
        side=tuple(outlet for outlet in params.get("side", "").split(",") if outlet),
        choices=tuple(
            (parameter, _shown_text(params[parameter], 200)) for parameter in LINKED_CHOICES if params.get(parameter)
        ),
    )


def _shown_text(value: str, limit: int) -> str:
    """A link's text as the page may show it back: without control, format or bidi characters (a U+202E
    in ?story= reversed the page's "does not exist" line) and at most ``limit`` characters (a 20,000-character
    id was shown whole)."""
    return "".join(ch for ch in str(value) if unicodedata.category(ch) not in ("Cc", "Cf"))[:limit]


def settings_from_query(params: Mapping[str, str]) -> dict[str, Any]:
    """The view settings a shared link carries, with defaults for what it lacks or gets wrong.

    A threshold that is not a number falls back to the default, one outside the dashboard's slider
    range is clamped; ``model`` and ``backend`` are ignored (see the module docstring).
    """
    return {
        "corpus": params.get("corpus") if params.get("corpus") in CORPORA else CORPORA[0],
        "with_seeds": params.get("seeds", "1") == "1",
        "claim_threshold": _number(params, "threshold", DEFAULT_CLAIM_THRESHOLD, CLAIM_THRESHOLD_RANGE),
        "story_threshold": _number(params, "story_threshold", DEFAULT_STORY_THRESHOLD, STORY_THRESHOLD_RANGE),
    }


def share_state(
    settings: Mapping[str, Any],
    story: str | None,
    outlets: list[str] | None,
    search: str = "",
    widgets: Mapping[str, Any] | None = None,
    side: list[str] | None = None,
) -> dict[str, str]:
    """The query parameters that reproduce a view: its page and settings, the story, outlets and search chosen,
    and the page's own choices (``LINKED_CHOICES``) read from ``widgets`` (widget key after the prefix -> value)
    where they differ from the option the page opens on, and on the story page the outlets ``side`` by side when the
    reader picked them (past six outlets; None when the page opens on its own pick).

    The story is kept on every page, so that it is still open after a visit to another page. A saved
    analysis (``settings["saved"]``) is shown as it was made: thresholds and samples do not apply to
    it, so its links leave them out.
    """
    state = {"page": settings["page"], **({} if settings.get("saved") else _analysis_state(settings))}
    if story:
        state["story"] = story
    search = " ".join(normalise_text(search).split())  # the words searched, without a pasted zero-width space
    if search:
        state["q"] = search
    if outlets:
        state["outlets"] = ",".join(outlets)
    if side and settings["page"] == "Compare a story":
        state["side"] = ",".join(side)
    for parameter, (page, widget, opening) in LINKED_CHOICES.items():
        value = (widgets or {}).get(widget)
        if page == settings["page"] and value and value != opening:
            state[parameter] = str(value)
    return state


def _analysis_state(settings: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters of what is analysed (a saved analysis has none): thresholds, corpus, seeds."""
    state = {"threshold": f"{settings['claim_threshold']:.2f}"}
    if settings["story_threshold"] != DEFAULT_STORY_THRESHOLD:
        state["story_threshold"] = f"{settings['story_threshold']:.2f}"
    if settings.get("corpus", CORPORA[0]) != CORPORA[0]:
        state["corpus"] = settings["corpus"]
    if not settings["with_seeds"]:
        state["seeds"] = "0"
    return state


def share_query(state: Mapping[str, str]) -> str:
    """The query string that reproduces a view (properly URL-encoded)."""
    return "?" + urlencode(state)


def _number(params: Mapping[str, str], key: str, default: float, bounds: tuple[float, float]) -> float:
    try:
        value = float(params.get(key, default))
    except ValueError:
        return default
    return min(max(value, bounds[0]), bounds[1]) if value == value else default  # NaN -> default
