"""The articles read and the problems found; duplicate texts dropped and repeated ids renamed."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

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
    items: Iterable[tuple[str, str, str]], earlier: Iterable[tuple[str, str]] = ()
) -> tuple[list[str | None], list[Problem]]:
    """For (id, fingerprint, source) of every article in reading order: its final id, or None for a duplicate.

    The first article with a text is kept; a later one with the same text is dropped; an id used
    twice gets ``~2``, ``~3`` ... Each decision comes with a problem saying so. ``earlier`` gives
    the (id, fingerprint) of articles already kept, e.g. by an analysis being added to.
    """
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    for article_id, fingerprint in earlier:
        seen_text.setdefault(fingerprint, article_id)
        seen_ids.add(article_id)
    decisions: list[str | None] = []
    problems: list[Problem] = []
    for original_id, fingerprint, source in items:
        if fingerprint in seen_text:
            problems.append(Problem(source, f"same text as article {seen_text[fingerprint]}; skipped as a duplicate"))
            decisions.append(None)
            continue
        article_id = original_id
        suffix = 2
        while article_id in seen_ids:
            article_id = f"{original_id}~{suffix}"
            suffix += 1
        if article_id != original_id:
            problems.append(Problem(source, f"id {original_id!r} is used twice; renamed to {article_id!r}"))
        seen_ids.add(article_id)
        seen_text[fingerprint] = article_id
        decisions.append(article_id)
    return decisions, problems


def one_spelling_per_outlet(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """The articles with one spelling per outlet: names that differ only in case, spacing or Unicode form
    ("Daily Planet", "daily planet", "DAILY PLANET") are one outlet, named as its first article spells it.

    Before, each spelling was an outlet of its own, so one outlet was "compared" with itself.
    """
    first: dict[str, str] = {}
    merged: dict[str, tuple[str, str, int]] = {}  # spelling -> (taken as, first source, articles)
    changed: list[Article] = []
    for article in articles:
        key = " ".join(unicodedata.normalize("NFKC", article.outlet).casefold().split())
        spelling = first.setdefault(key, article.outlet)
        if spelling == article.outlet:
            changed.append(article)
            continue
        taken, source, count = merged.get(article.outlet, (spelling, article.source, 0))
        merged[article.outlet] = (taken, source, count + 1)
        changed.append(replace(article, outlet=spelling))
    problems = [
        Problem(
            source,
            f"outlet {spelling!r} taken as {taken!r} ({count} article{'s' if count > 1 else ''}): names that differ"
            " only in case, spacing or Unicode form are one outlet",
        )
        for spelling, (taken, source, count) in merged.items()
    ]
    return changed, problems


def deduplicate(corpus: Corpus) -> Corpus:
    """The corpus without duplicate texts and with unique ids, each decision noted as a problem, and one
    spelling per outlet (``one_spelling_per_outlet``)."""
    articles, spellings = one_spelling_per_outlet(corpus.articles)
    corpus = Corpus(articles, corpus.problems + spellings)
    decisions, problems = deduplicate_ids(
        (article.id, article_fingerprint(article), article.source) for article in corpus.articles
    )
    articles = [
        article if final_id == article.id else replace(article, id=final_id)
        for article, final_id in zip(corpus.articles, decisions)
        if final_id is not None
    ]
    return Corpus(articles=articles, problems=corpus.problems + problems)
