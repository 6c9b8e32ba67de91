"""Descriptions carried along an article: a title or description given with a name, taken up later by "the <noun>".

"Arizona Sheriff Joe Arpaio endorsed …" then, sentences later and without the name, "The sheriff has called …":
the article's own chain says that "sheriff" is its word for Arpaio. Only the article's text and the entities
the segmenter found are read (no parse): a capitalised title right before a person's name, or the head noun of a
description the description rules found, counts when the same article also uses it as a definite singular noun
("the sheriff", "the Texas governor") that names no one else.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from compare.framing.mentions import Pair
from compare.framing.names import OTHER_ROLE
from compare.framing.text import stop_words
from compare.model.documents import Statement

# Abbreviated titles written before names, as the word a later sentence would use ("Gov. Perry" … "the governor").
# Honorifics that are no role ("Mr.", "Mrs.", "Jr.") are not titles.
_ABBREVIATED = {
    "gov": "governor",
    "rep": "representative",
    "sen": "senator",
    "gen": "general",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "capt": "captain",
    "adm": "admiral",
    "col": "colonel",
    "prof": "professor",
    "dr": "doctor",
    "rev": "reverend",
    "atty": "attorney",
    "supt": "superintendent",
}
_NOT_TITLES = frozenset("mr mrs ms miss mx jr sr hon messrs".split())
# Words that make the title another holder's: "former President Obama" is not "the president" of today's story,
# "Vice President Pence" not the president.
_OTHER_HOLDER = OTHER_ROLE | frozenset({"former", "late", "then", "future", "next", "outgoing", "incoming"})
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][\w-]*)(\.?)\s+$")


def title_word(word: str, dot: str = "") -> str | None:
    """The lower-case title a capitalised word before a name stands for, None for no title ("Mr.", "The")."""
    lower = word.lower()
    if lower in _NOT_TITLES or lower in stop_words() or not word[:1].isupper() or word.isupper():
        return None
    if dot or lower in _ABBREVIATED:
        return _ABBREVIATED.get(lower)
    return lower if word[1:].islower() else None


def _person_names(statement: Statement) -> list[str]:
    """The people a statement names, possessive dropped, longest first."""
    names = {re.sub(r"['’]s?$", "", text).strip() for text, label in statement.entities if label == "PERSON"}
    return sorted((name for name in names if name), key=len, reverse=True)


def _candidates(statement: Statement) -> Iterable[tuple[str, str, str, str]]:
    """(word, its dot, name, the text before the word) of each capitalised word right before a person's name, and
    of the first word of a name of three words or more ("Representative Bruce Braley")."""
    text = statement.text
    names = _person_names(statement)
    for name in names:
        longer = [other for other in names if len(other) > len(name)]  # "Rick" of "Rick Perry" is no title of Perry
        words = name.split()
        for match in _whole(name).finditer(text):
            before = text[: match.start()]
            if len(words) >= 3:  # the segmenter read the title into the name
                yield words[0].rstrip("."), "." if words[0].endswith(".") else "", " ".join(words[1:]), before
            found = _WORD_BEFORE_RE.search(before)
            if found is not None and not any(f"{found.group(1)} {name}" in other for other in longer):
                yield found.group(1), found.group(2), name, before[: found.start()]


def _titles(statement: Statement) -> Iterable[tuple[str, str, str]]:
    """(name, title, the capitalised word before the title, lower case) of "Sheriff Joe Arpaio", "Texas Gov. Rick
    Perry" (texas), "Attorney General William Barr" (attorney), "Representative Bruce Braley" (the title inside
    the entity); not of "former President Obama", "Vice President Pence" or "Secretary of State John Kerry"."""
    for word, dot, held_by, earlier in _candidates(statement):
        title = title_word(word, dot)
        # "former Massachusetts Governor Mitt Romney": a word that makes another holder, up to two words before;
        # "Secretary of State John Kerry": the title is not the word before the name
        previous = [w.strip(",") for w in earlier.split()[-2:]]
        of_title = len(previous) == 2 and previous[1] == "of" and previous[0].istitle()
        if title is None or of_title or _OTHER_HOLDER & {w.lower().strip("-") for w in previous}:
            continue
        if title.endswith("s") and not title.endswith("ss"):
            continue  # a plural ("Justices Kennedy and Alito") names more than one
        prefix = previous[-1].lower() if previous and previous[-1].isalpha() and previous[-1].istitle() else ""
        yield held_by, title, prefix


@lru_cache(maxsize=4096)  # one pattern per name or noun: bounded, a corpus has many people
def _definite(noun: str, unless: str = "") -> re.Pattern[str]:
    """ "the <noun>" in lower case, with up to two words between (not ``unless``: "the attorney general" is no
    "general"), not "the <noun> of …" (another's: "the president of Afghanistan") nor followed by a name ("the
    aide, Elizabeth Lauten", "the president Blumenthal worked for")."""
    excluded = sorted(_OTHER_HOLDER | ({unless} if unless else set()))
    between = r"(?:(?!(?:" + "|".join(map(re.escape, excluded)) + r")\b)[\w-]+\s+){0,2}?"
    return re.compile(
        r"\b[Tt]he\s+" + between + re.escape(noun) + r"(?![\w-])(?!\s+of\b)(?!,?\s+[A-Z][a-z])(?!\s+[A-Z]\.)"
    )


@lru_cache(maxsize=4096)  # one pattern per name or noun: bounded, a corpus has many people
def _whole(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def _mentions(text: str, name: str) -> bool:
    return _whole(name).search(text) is not None


def _surname(name: str) -> str:
    return name.split()[-1]


def chained(statements: Sequence[Statement], described: Iterable[Pair] = ()) -> list[Pair]:
    """(name, noun) of the story's actors whose article takes up a title or description later as "the <noun>".

    ``described``: the (name, description) pairs the description rules found in the story's statements; their
    head nouns (lower case) count as a title of that name within each article that gives them. A capitalised title
    counts in every article of the story that names its holder ("Speaker John A. Boehner" in one, "John Boehner …
    The House speaker" in another). A noun given to two people of the story (two senators, "the president" of two
    presidents) names neither.
    """
    by_article: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_article[statement.article_id].append(statement)
    given, holders = _given(by_article, described)
    titled = {title for statement in statements for title in _titles(statement)}
    pairs = set()
    for article_id, members in by_article.items():
        text = "\n".join(statement.text for statement in members)
        # A title another article of the story gives ("House Speaker John Boehner") counts in an article that names
        # the same person and says "the House speaker" too.
        carried = {(name, noun, prefix) for name, noun, prefix in titled if _mentions(text, _surname(name))}
        for name, noun, prefix in given.get(article_id, set()) | carried:
            if len(holders[noun]) > 1:
                continue
            if prefix and _definite(f"{prefix} {noun}").search(text):
                pairs.add((name, f"{prefix} {noun}"))  # "the attorney general", "the prime minister"
            elif _definite(noun, unless=prefix).search(text):
                pairs.add((name, noun))
    return sorted(pairs)


def _given(
    by_article: dict[str, list[Statement]], described: Iterable[Pair]
) -> tuple[dict[str, set[tuple[str, str, str]]], dict[str, set[str]]]:
    """Per article, (name, noun, the word before a title) of its titles and description heads; per noun, the
    surnames of the story's people given it."""
    heads: dict[str, set[str]] = defaultdict(set)  # name -> description heads
    for name, description in described:
        head = description.split()[-1]
        if head.isalpha() and head.islower():
            heads[name].add(head)
    given: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    holders: dict[str, set[str]] = defaultdict(set)
    for article_id, members in by_article.items():
        for statement in members:
            found = list(_titles(statement))
            found += [(n, head, "") for n, nouns in heads.items() if _mentions(statement.text, n) for head in nouns]
            for name, noun, prefix in found:
                given[article_id].add((name, noun, prefix))
                holders[noun].add(_surname(name))
    return given, holders
