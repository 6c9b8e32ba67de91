"""Sides: the side a speaker speaks for, from what the article says of them, the editable registry, then titles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from compare.framing import cues
from compare.model.documents import Statement

OUTLET_ITSELF = "the outlet itself"
_PARTIES = {"d": "Democrats", "r": "Republicans", "i": "independents"}
_PARTY_SIDES = frozenset(_PARTIES.values())
_NAME = r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]+)"
# "Sen. John Kerry, D-Mass.", "Rep. Steny Hoyer (D-Md.)", "Sen. Bernie Sanders (I-Vt.)"
_SUFFIX = re.compile(_NAME + r"(?:,\s*|\s+\()([DRI])-[A-Z]")
# "Gov. Paul LePage (R)", "Representative Jeff McCabe (D)"
_BARE = re.compile(_NAME + r"\s+\(([DRI])\)")
# "Representative Jim Himes, Democrat of Connecticut"
_OF_STATE = re.compile(_NAME + r",\s+(Democrat|Republican|independent)\s+(?:of|from)\s+[A-Z]")
# "Democratic Sen. Claire McCaskill", "Republican Rep. Darrell Issa", "GOP candidate Mitt Romney"
_PREFIX = re.compile(
    r"\b(Democratic|Republican|GOP)\s+(?:[a-z]+\s+){0,2}"
    r"(?:Sen\.|Senator|Rep\.|Representative|Gov\.|Governor|Congressman|Congresswoman|Leader|Whip|Chairman|"
    r"senator|congressman|congresswoman|lawmaker|governor|candidate|leader|strategist|operative|consultant)\s+" + _NAME
)
_SPOKESPERSON_FOR = re.compile(r"\bspokes(?:man|woman|person)\s+(?:for|of)\s+(?:the\s+)?(.+)", re.IGNORECASE)


def stated_parties(statements: Iterable[Statement]) -> dict[str, str]:
    """The parties an article states for the people it names, by last name (lower case).

    Args:
        statements: the statements of one article (a party stated once holds for the whole article).

    Returns:
        last name -> "Democrats", "Republicans" or "independents".
    """
    parties: dict[str, str] = {}
    for statement in statements:
        text = statement.text
        for match in _SUFFIX.finditer(text):
            parties.setdefault(_last_name(match.group(1)), _PARTIES[match.group(2).lower()])
        for match in _BARE.finditer(text):
            parties.setdefault(_last_name(match.group(1)), _PARTIES[match.group(2).lower()])
        for match in _OF_STATE.finditer(text):
            parties.setdefault(_last_name(match.group(1)), _PARTIES[match.group(2)[0].lower()])
        for match in _PREFIX.finditer(text):
            party = "Republicans" if match.group(1) == "GOP" else _PARTIES[match.group(1)[0].lower()]
            parties.setdefault(_last_name(match.group(2)), party)
    return parties


def article_roles(statements: Sequence[Statement]) -> dict[str, str]:
    """The side of each person an article names, by last name (lower case): the party it states for
    them, else the side of how it introduces them ("Defense Secretary Jim Mattis", "Larry Summers, the
    outgoing chairman of the National Economic Council"), when that says more than "other".

    Args:
        statements: the statements of one article; a role stated once holds for the whole article.
    """
    roles = stated_parties(statements)
    for statement in statements:
        for name, label in statement.entities:
            last = _last_name(name)
            if label != "PERSON" or not last or last in roles:
                continue
            for described in _descriptions(statement.text, name):
                side = _registry_side(described)
                if side not in _UNINFORMATIVE:
                    roles[last] = side
                    break
    return roles


_UNINFORMATIVE = frozenset({"other", "citizens"})
_TITLE_WORDS = frozenset({"former", "then", "outgoing", "incoming", "acting", "deputy", "vice", "chief", "senior"})


def _descriptions(text: str, name: str) -> list[str]:
    """How a statement introduces a person: the capitalised title words before the name, and an
    appositive after it (", the president of X,")."""
    found = []
    for match in re.finditer(re.escape(name), text):
        before = text[: match.start()].split()[-6:]
        title: list[str] = []
        for word in reversed(before):
            if not (word[:1].isupper() or word.lower() in _TITLE_WORDS) or word.endswith((",", ".”", '."')):
                break
            title.insert(0, word)
        after = re.match(r",\s+(?:the|a|an|who is)\s+([^,;.]{3,80})", text[match.end() :])
        found.append(" ".join([*title, name, after.group(1) if after else ""]).strip())
    return found


def side_of(speaker: str | None, parties: dict[str, str] | None = None, outlet: str | None = None) -> str:
    """The side a speaker speaks for.

    In this order: the outlet's own voice ("Fox News has learned" in a Fox article); the party the
    article states for the speaker; the first row of ``sides.csv`` with a keyword that is a whole word
    of the name (countries, parties, then generic kinds: experts, unnamed sources, officials, media,
    citizens); "spokesperson for X" speaks for X; the side of how the article introduces the speaker
    ("Defense Secretary Jim Mattis"); else "other".

    Args:
        speaker: the speaker as the statement names it.
        parties: ``article_roles`` of the speaker's article (last name -> side).
        outlet: the outlet of the article, to tell its own voice.
    """
    if not speaker:
        return "unattributed"
    if outlet and _is_outlet(speaker, outlet):
        return OUTLET_ITSELF
    role = parties.get(_last_name(speaker)) if parties else None
    if role in _PARTY_SIDES:
        return role
    side = _registry_side(speaker)
    return role if side == "other" and role else side


@lru_cache(maxsize=65536)
def _registry_side(speaker: str) -> str:
    lowered = speaker.lower().replace("’", "'")
    spokesperson = _SPOKESPERSON_FOR.search(speaker)
    if spokesperson:
        side = _registry_side(spokesperson.group(1))
        if side != "other":
            return side
    for side, keywords in cues.sides():
        if any(re.search(rf"(?<![\w-]){re.escape(keyword)}(?![\w-])", lowered) for keyword in keywords):
            return side
    return "other"


def _last_name(name: str) -> str:
    words = [word for word in re.split(r"\s+", name.strip(" ,.")) if word.lower().rstrip(".") not in _SUFFIXES]
    return words[-1].lower().replace("’", "'").removesuffix("'s") if words else ""


_SUFFIXES = {"jr", "sr", "ii", "iii"}


def _is_outlet(speaker: str, outlet: str) -> bool:
    def core(name: str) -> str:
        name = re.sub(r"^the\s+|\.com$", "", name.lower().strip())
        return name.replace("huffington post", "huffpost")

    spoken, own = core(speaker), core(outlet)
    return bool(spoken) and (spoken == own or (own.endswith(spoken) and spoken in {"times", "post", "journal"}))
