"""Sides: the side a speaker speaks for, from what the article says of them, the editable registry, then titles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from compare.framing import cues
from compare.ingest.outlets import load_registry
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
# "Democratic Sen. Claire McCaskill", "Republican Rep. Darrell Issa", "Republican Senate candidate Roy Moore"
_PREFIX = re.compile(
    r"\b(Democratic|Republican|GOP)\s+(?:[A-Za-z]+\s+){0,2}"
    r"(?:Sen\.|Senator|Rep\.|Representative|Gov\.|Governor|Congressman|Congresswoman|Leader|Whip|Chairman|"
    r"senator|congressman|congresswoman|lawmaker|governor|candidate|leader|strategist|operative|consultant)\s+" + _NAME
)
# "spokesperson for X", "the chief executive of X", "a professor at X" speak for X
_ROLE_OF = re.compile(
    r"\b(?:spokes(?:man|woman|person)|chief executive|ceo|president|director|chair(?:man|woman)?|head|leader|"
    r"member|professor|lawyer|attorney|counsel|executive)\s+(?:for|of|at)\s+(?:the\s+)?(.+)",
    re.IGNORECASE,
)


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
    outgoing chairman of the National Economic Council"), when that says more than "other"; and the
    country of an organisation it names with one ("the Russian Defense Ministry": "ministry").

    Args:
        statements: the statements of one article; a role stated once holds for the whole article.
    """
    roles = stated_parties(statements)
    family_first: dict[str, str] = {}
    speakers = {statement.speaker for statement in statements}
    for statement in statements:
        for name, tagged in statement.entities:
            # A speaker is a voice whatever NER made of the name ("Gautam, the home minister, said": GPE).
            label = "PERSON" if tagged != "ORG" and name in speakers else tagged
            last = _last_name(name)
            if label not in {"PERSON", "ORG"} or not last or last in roles:
                continue
            for described in _descriptions(statement.text, name):
                side = _placed(_registry_side(described), described, statement.outlet)
                if side not in _UNINFORMATIVE and (label == "PERSON" or _kind(side) == "country"):
                    roles[last] = side
                    if label == "PERSON" and " " in name.strip():  # "Wang Wenbin" ... "Wang said"
                        family_first[name.split()[0].lower()] = side
                    break
    return family_first | roles  # a last name wins over a first word


_UNINFORMATIVE = frozenset({"other", "citizens", "unnamed sources"})  # a named person is no unnamed source
_TITLE_WORDS = frozenset(
    {"former", "then", "outgoing", "incoming", "acting", "deputy", "vice", "chief", "senior"}
    | {"spokesperson", "spokesman", "spokeswoman"}  # "Foreign Ministry spokesperson Wang Wenbin"
)


def _descriptions(text: str, name: str) -> list[str]:
    """How a statement introduces a person: the capitalised title words before the name, and an
    appositive after it (", the president of X,")."""
    found = []
    for match in re.finditer(re.escape(name), text):
        before = text[: match.start()].split()[-6:]
        title: list[str] = []
        for word in reversed(before):
            if not (word[:1].isupper() or word.lower() in _TITLE_WORDS) or word.endswith((",", ".”", '."', ",”", ',"')):
                break
            title.insert(0, word)
        after = re.match(r",\s+(?:the|a|an|who is)\s+([^,;.]{3,80})", text[match.end() :])
        found.append(" ".join([*title, name, after.group(1) if after else ""]).strip())
    return found


def side_of(speaker: str | None, parties: dict[str, str] | None = None, outlet: str | None = None) -> str:
    """The side a speaker speaks for.

    In this order: the outlet's own voice ("Fox News has learned" in a Fox article); the party the
    article states for the speaker; ``sides.csv`` (what the name is, by its head noun: "U.S.
    Geological Survey" is an agency; else the first row with a keyword anywhere in it; "spokesperson
    for X" speaks for X); the side of how the article introduces the speaker ("Defense Secretary Jim
    Mattis"); a title of office takes the country the article or, for a ministry, the outlet gives
    it; else "other".

    Args:
        speaker: the speaker as the statement names it.
        parties: ``article_roles`` of the speaker's article (last name -> side).
        outlet: the outlet of the article, to tell its own voice and its country.
    """
    if not speaker:
        return "unattributed"
    if outlet and _is_outlet(speaker, outlet):
        return OUTLET_ITSELF
    role = parties.get(_last_name(speaker)) if parties else None
    if role in _PARTY_SIDES:
        return role
    side = _registry_side(speaker)
    if side == "other" and role:
        return role
    if _kind(side) == "institution":  # a title of office: whose office, if the article or outlet says
        return role if role and _kind(role) == "country" else _placed(side, speaker, outlet)
    return side


_MINISTRY = re.compile(r"\bministr(?:y|ies)\b", re.IGNORECASE)


def _placed(side: str, name: str, outlet: str | None) -> str:
    """A ministry the name gives no country (an office side) is of the outlet's country (a minister may be a visitor):
    China Daily's "Foreign Ministry spokesperson Wang Wenbin" speaks for China."""
    if outlet and _kind(side) == "institution" and _MINISTRY.search(name):
        return _outlet_side(outlet) or side
    return side


def _outlet_side(outlet: str) -> str | None:
    """The country side of an outlet's country in the outlet registry, if it has one."""
    return _outlet_side_with(outlet, cues.user_sides_file())


@lru_cache(maxsize=256)
def _outlet_side_with(outlet: str, user_sides: str | None) -> str | None:  # cached per sides file ($PARALLAX_SIDES)
    country = load_registry().describe(outlet).country
    side = _registry_side(country) if country != "unknown" else None
    return side if side and _kind(side) == "country" else None


def _kind(side: str) -> str:
    return cues.side_kinds().get(side, "")


def _registry_side(speaker: str) -> str:
    """The side ``sides.csv`` (and ``$PARALLAX_SIDES``) gives a name: a body, country or party keyword covering the
    name's head ("U.S. Geological Survey" is a survey, not the United States), else the first row naming any word."""
    return _registry_side_with(speaker, cues.user_sides_file())


@lru_cache(maxsize=65536)
def _registry_side_with(speaker: str, user_sides: str | None) -> str:  # cached per sides file ($PARALLAX_SIDES)
    role_of = _ROLE_OF.search(speaker)
    if role_of:
        side = _registry_side(role_of.group(1))
        if side != "other":
            return side
    text = speaker.replace("’", "'")
    lowered = text.lower()
    head = _head(text)
    covering: list[tuple[int, int, str, str]] = []  # (-length, row, side, kind) of keywords covering the head
    first, party = None, None
    for row, (side, keywords, kind) in enumerate(cues.sides()):
        for keyword in keywords:
            for match in _keyword_re(keyword).finditer(text if keyword != keyword.lower() else lowered):
                first = first or side
                party = party or (side if kind == "party" else None)
                if kind in _HEAD_KINDS and match.start() <= head[0] and match.end() >= head[1]:
                    covering.append((-len(keyword), row, side, kind))
    if covering:
        _, _, side, kind = min(covering)
        # A party's name makes a body partisan: the Republican Governors Association speaks for Republicans.
        return party if kind == "body" and party else side
    return first or "other"


_HEAD_KINDS = frozenset({"body", "country", "party"})
_HEAD_END = re.compile(r"\s(?:of|for|at|in|on|from)\s|,")


@lru_cache(maxsize=4096)
def _keyword_re(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(keyword)}(?![\w-])")


def _head(name: str) -> tuple[int, int]:
    """Where the head word of a name is: its last word, or the last before "of"/"for"/"at"/"in"/a comma."""
    cut = _HEAD_END.search(name)
    words = list(re.finditer(r"[\w'.&-]+", name[: cut.start() if cut else len(name)]))
    if not words:
        return (0, len(name))
    last = words[-1]
    end = last.end() - 2 if last.group().endswith("'s") else last.end()
    return (last.start(), end)


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
