"""The articles read and the problems found; duplicate texts dropped and repeated ids renamed."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from compare.ingest.articles import UNKNOWN_OUTLET
from compare.ingest.clean import normalise_text
from compare.model.documents import Article, Problem


@dataclass
class Corpus:
    """Articles read from inputs, and what could not be read."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Corpus) -> None:
        self.articles.extend(other.articles)
        self.problems.extend(other.problems)


def article_fingerprint(article: Article) -> str:
    """What makes two articles duplicates: the same normalised text, case aside."""
    return hashlib.sha1(normalise_text(article.text).lower().encode()).hexdigest()


def deduplicate_ids(
    items: Iterable[tuple[str, str, str, str]], earlier: Iterable[tuple[str, str, str]] = ()
) -> tuple[list[str | None], list[Problem]]:
    """For (id, fingerprint, outlet, source) of every article in reading order: its final id, or None for a
    duplicate.

    The first article with a text is kept; a later one with the same text is dropped when its outlet is
    one that already has the text (or is unknown), and kept as a copy when another outlet ran it: which
    outlets ran a wire story unchanged is part of the story (``framing.syndication`` pairs the copies).
    An id used twice gets ``~2``, ``~3`` ... Each decision comes with a problem saying so. ``earlier``
    gives the (id, fingerprint, outlet) of articles already kept, e.g. by an analysis being added to.
    Outlets are compared as ``outlet_key`` spells them, so call this after ``outlet_spellings``.
    """
    first_with_text: dict[str, tuple[str, str]] = {}  # fingerprint -> (id, outlet) of its first article
    outlets_with_text: dict[str, set[str]] = {}
    seen_ids: set[str] = set()
    for article_id, fingerprint, outlet in earlier:
        first_with_text.setdefault(fingerprint, (article_id, outlet))
        outlets_with_text.setdefault(fingerprint, set()).add(outlet_key(outlet))
        seen_ids.add(article_id)
    decisions: list[str | None] = []
    problems: list[Problem] = []
    for original_id, fingerprint, outlet, source in items:
        holders = outlets_with_text.setdefault(fingerprint, set())
        key = outlet_key(outlet)
        if holders and (key in holders or outlet == UNKNOWN_OUTLET):
            first_id = first_with_text[fingerprint][0]
            problems.append(Problem(source, f"same text as article {first_id}; skipped as a duplicate"))
            decisions.append(None)
            continue
        article_id = original_id
        suffix = 2
        while article_id in seen_ids:
            article_id = f"{original_id}~{suffix}"
            suffix += 1
        if article_id != original_id:
            problems.append(Problem(source, f"id {original_id!r} is used twice; renamed to {article_id!r}"))
        if holders:
            first_id, first_outlet = first_with_text[fingerprint]
            problems.append(
                Problem(
                    source,
                    f"same text as article {first_id} of {first_outlet}; kept as {outlet}'s copy: an outlet"
                    " that ran another's text unchanged is part of the story (exact copies within one outlet"
                    " are skipped)",
                )
            )
        seen_ids.add(article_id)
        first_with_text.setdefault(fingerprint, (article_id, outlet))
        holders.add(key)
        decisions.append(article_id)
    return decisions, problems


def spelling_key(outlet: str) -> str:
    """An outlet name with its case, spacing and Unicode form aside."""
    return " ".join(unicodedata.normalize("NFKC", outlet).casefold().split())


# A web domain given as an outlet's name ("metroherald.com", "www.metroherald.co.uk"): its ending goes.
_DOMAIN_END_RE = re.compile(r"\.(?:com|net|org|news|info|co|uk|us|ca|au|nz|ie|in|de|fr|es|it)(?:\.[a-z]{2})?$")


def outlet_key(outlet: str) -> str:
    """What makes two outlet names one outlet: the same letters, case, spacing and Unicode form aside, and a
    leading "The", "www." or a web domain's ending ("The Metro Herald", "metroherald.com", "Metro Herald")."""
    name = spelling_key(outlet)
    bare = re.sub(r"^(?:https?://)?www\d?\.|^the\s+", "", name)
    if " " not in bare and "." in bare:
        bare = _DOMAIN_END_RE.sub("", bare)
    return bare.replace(" ", "") or name  # "metroherald" is "metro herald"; other marks are kept ("ecb-2_11ecb")


_HOST = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+")  # a web host as an outlet's name: metroherald.com


def outlet_spellings(items: Iterable[tuple[str, str]], earlier: Iterable[str] = ()) -> tuple[list[str], list[Problem]]:
    """For (outlet, source) of every article in reading order: the outlet it is taken as, and a problem per
    spelling taken as another. ``earlier`` gives the outlets of articles already kept (e.g. by an analysis
    being added to), whose spellings come first.

    Every engine merges outlets here: a full run, an addition to a saved run and the Ray engine's driver
    (which sees only these small columns).
    """
    first: dict[str, str] = {}
    for outlet in dict.fromkeys(earlier):  # each name once: a saved run holds a million articles of a few outlets
        first.setdefault(outlet_key(outlet), outlet)
    items = list(items)
    # A name is taken before a web host ("Metro Herald" before "metroherald.com", given as a crawl's outlet or read
    # from an address), whichever article comes first: the host was the outlet's name in every chart and table.
    for outlet in dict.fromkeys(outlet for outlet, _ in items):
        if not _HOST.fullmatch(outlet):
            first.setdefault(outlet_key(outlet), outlet)
    merged: dict[str, tuple[str, str, int]] = {}  # spelling -> (taken as, first source, articles)
    taken_as: list[str] = []
    for outlet, source in items:
        spelling = first.setdefault(outlet_key(outlet), outlet)
        taken_as.append(spelling)
        if spelling != outlet:
            taken, first_source, count = merged.get(outlet, (spelling, source, 0))
            merged[outlet] = (taken, first_source, count + 1)
    problems = [
        Problem(
            source,
            f"outlet {spelling!r} taken as {taken!r} ({count} article{'s' if count > 1 else ''}): names that differ"
            + (
                " only in case, spacing or Unicode form are one outlet"
                if spelling_key(spelling) == spelling_key(taken)
                else " only in case, spacing, a leading 'The' or 'www.' or a web domain's ending"
                " ('.com') are one outlet"
            ),
        )
        for spelling, (taken, source, count) in merged.items()
    ]
    return taken_as, problems


def one_spelling_per_outlet(
    articles: list[Article], earlier: Iterable[str] = ()
) -> tuple[list[Article], list[Problem]]:
    """The articles with one spelling per outlet: names that differ only in case, spacing or Unicode form
    ("Daily Planet", "daily planet", "DAILY PLANET") are one outlet, named as its first article spells it (an
    article of ``earlier``, the outlets already kept, first; a name before a web host).

    Before, each spelling was an outlet of its own, so one outlet was "compared" with itself.
    """
    taken_as, problems = outlet_spellings(((article.outlet, article.source) for article in articles), earlier)
    changed = [
        article if outlet == article.outlet else replace(article, outlet=outlet)
        for article, outlet in zip(articles, taken_as)
    ]
    return changed, problems


def deduplicate(corpus: Corpus) -> Corpus:
    """The corpus without duplicate texts and with unique ids, each decision noted as a problem, and one
    spelling per outlet (``one_spelling_per_outlet``)."""
    articles, spellings = one_spelling_per_outlet(corpus.articles)
    corpus = Corpus(articles, corpus.problems + spellings)
    decisions, problems = deduplicate_ids(
        (article.id, article_fingerprint(article), article.outlet, article.source) for article in corpus.articles
    )
    articles = [
        article if final_id == article.id else replace(article, id=final_id)
        for article, final_id in zip(corpus.articles, decisions)
        if final_id is not None
    ]
    return Corpus(articles=articles, problems=corpus.problems + problems)
