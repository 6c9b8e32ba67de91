"""Other names a story gives one thing that is not a person: acronyms ("ACLU") and "X, known as Y", "X (Y)", "X, or Y".

"The American Civil Liberties Union urged members …" in one article, "the ACLU said …" in another: the letters of
a name the story writes in full are another name of the same organisation, law or programme. The naming phrases of
English say so outright: "the bill, known as SB 1062", "a task force, called the School Shield Program",
"Deferred Action for Childhood Arrivals, or DACA", "the Islamic State (ISIS)". Only the story's text and the
segmenter's entities are read (no parse). A person's names are not read here: the annotation of word choice takes
a person's name in every form for one wording, and a surname against a full name says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from compare.framing.mentions import Pair
from compare.framing.names import is_self_reference, outlet_names
from compare.framing.referents import referents
from compare.framing.variants import MIN_STATEMENT_SHARE
from compare.model.documents import Statement

# Small words inside a name ("Fish and Wildlife Service", "For the People Act"), which an acronym may skip.
_NAME_JOINS = ("of", "and", "for", "the", "on", "in", "to", "&")
_JOIN = r"(?:(?:" + "|".join(map(re.escape, _NAME_JOINS)) + r")\s+)*"
_CAPITALISED = r"[A-Z][\w.’'&-]*"
# A name: capitalised words, small words between them, figures after a first capitalised word ("SB 1062", "H.R. 1").
_NAME = _CAPITALISED + r"(?:\s+(?:" + _JOIN + _CAPITALISED + r"|\d[\w-]*))*"
_NAME_RE = re.compile(r"(?<![\w.’'-])" + _NAME)
# An acronym: two to six capitals, dotted or not ("NRA", "N.R.A."), maybe with a number ("SB 1062", "SB1062").
_ACRONYM_RE = re.compile(r"(?<![\w.’'-])((?:[A-Z]\.){2,6}|[A-Z]{2,6})(?:\s?(\d+))?(?![\w’'-])")
# "the bill, known as SB 1062", "young undocumented immigrants known as Dreamers", "a task force, called the School
# Shield Program", "the bill — called the For the People Act or H.R. 1". "called" and "named" only after a comma or a
# dash: without one they are a verb of the sentence ("Trump called Cruz a liar").
_NOUN = r"(?<![\w’'-])(?P<noun>(?:[a-z][a-z’'-]*\s+){0,3}[a-z][a-z’'-]*)"
_NAMING_RE = re.compile(
    _NOUN + r"(?:\s*(?:,|—|–|--)\s*(?:also\s+|now\s+|officially\s+)?(?P<verb>known\s+as|called|named|dubbed|nicknamed)|"
    r"\s+(?:also\s+|now\s+|officially\s+)?(?:known\s+as|dubbed|nicknamed))\s+[“\"]?(?:the\s+)?(?P<name>"
    + _NAME
    + r")(?:[”\"]?\s+or\s+[“\"]?(?:the\s+)?(?P<other>"
    + _NAME
    + r"))?"
)
_NAMING_VERB_RE = re.compile(r"\b(?:known\s+as|called|named|dubbed|nicknamed)\s")
# After "called" or "named", a name ends its clause ("a task force, called the School Shield Program, led by …").
_CLAUSE_END_RE = re.compile(r"[”\"]?(?:[,.;:)—–]|\s+or\s|$)")
# "the Islamic State (ISIS)", "Deferred Action for Childhood Arrivals, or DACA": a name and its short form.
_SHORT_FORM_RE = re.compile(
    r"(?P<name>" + _NAME + r")\s*(?:\(\s*(?P<bracketed>[A-Z]{2,6})\s*\)|,\s+or\s+(?P<spoken>[A-Z]{2,6})\b)"
)
# Not a name of a thing: people and places (a person's names are one wording; "U.S." / "United States" is a place).
_NOT_THINGS = frozenset({"PERSON", "GPE", "LOC", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
# Words a noun phrase starts after (determiners, pronouns, prepositions, auxiliaries: "what is known as", "the bill").
# Not the stop-word list: it holds nouns ("bill", "system", "fire").
_BEFORE_NOUNS = frozenset(
    "a an the this that these those his her its their our my your some any every each no of to in on for with by "
    "from at as into and or but is are was were be been being has have had also now which who whom whose what it "
    "they he she we i there here not so".split()
)
_PLACES = frozenset({"GPE", "LOC"})
MIN_OUTLETS = 2  # a referent one outlet alone names is no comparison of wordings


def _clean(name: str) -> str:
    """A name without a leading "The" and trailing punctuation ("Dreamers." is "Dreamers", "H.R." keeps its dots)."""
    words = name.split()
    while words and words[0] in {"The", "the"}:
        words = words[1:]
    text = re.sub(r"['’]s?$", "", " ".join(words).rstrip(",;:"))  # "Trump's proposal": an owner, no name
    if text.endswith(".") and text.count(".") == 1:
        text = text[:-1]  # the end of the sentence, not an abbreviation
    return text


def _thing(name: str, things: set[str], skipped: set[str], places: set[str]) -> bool:
    """Whether a name (lower case) is one the segmenter read, whole or in part, as an organisation, a law, a group, a
    building, an event or a work ("Senate Bill 1062": "Senate" and "Bill 1062"), and not a person or a place nor a
    description with a place in it ("Democrat of North Carolina" is no "DNC", "United States" no organisation)."""
    if name in skipped or any(_within(place, name) for place in places):
        return False
    return any(_within(thing, name) or _within(name, thing) for thing in things)


def _within(part: str, whole: str) -> bool:
    """Whether ``part`` is ``whole`` or some of its words in a row."""
    return f" {part} " in f" {whole} "


def _initials(name: str) -> set[str]:
    """The acronyms a name may have: its capitalised words' first letters, with or without its small words', and a
    number at its end kept ("Senate Bill 1062" gives "SB 1062")."""
    words = name.replace("-", " ").split()
    number = words.pop() if words and words[-1].isdigit() else ""
    if len(words) < 2:
        return set()
    capitals = "".join(word[0] for word in words if word[0].isupper())
    every = "".join(word[0].upper() for word in words if word != "&")
    return {f"{letters} {number}".strip() for letters in {capitals, every} if len(letters) >= 2}


def _acronym_key(letters: str, number: str | None) -> str:
    return f"{letters.replace('.', '')} {number or ''}".strip()


def _entities(statements: Sequence[Statement], labels: Iterable[str], *, inside: bool = True) -> set[str]:
    """The story's entities with (``inside``) or without those labels, lower case, without a leading "the"."""
    wanted = set(labels)
    found = {text.lower() for s in statements for text, label in s.entities if (label in wanted) == inside}
    return {text[4:] if text.startswith("the ") else text for text in found}


def _not_things(statements: Sequence[Statement]) -> set[str]:
    """The story's names of people and places, lower case: no acronym or naming phrase joins them."""
    return _entities(statements, _NOT_THINGS)


def _same_letters(first: str, second: str) -> bool:
    """Two spellings of one acronym or name ("T.P.S." / "TPS", "SB 1062" / "SB1062")."""
    return re.sub(r"[\W_]", "", first.lower()) == re.sub(r"[\W_]", "", second.lower())


def acronym_pairs(statements: Sequence[Statement]) -> list[Pair]:
    """(name, acronym) of each capitalised name of two or more words the story writes whose initials are an acronym
    the story also uses ("American Civil Liberties Union" / "ACLU", "Fish and Wildlife Service" / "FWS")."""
    used: dict[str, set[str]] = {}  # acronym key -> its spellings in the story ("NRA", "N.R.A.")
    for statement in statements:
        for match in _ACRONYM_RE.finditer(statement.text):
            used.setdefault(_acronym_key(match.group(1), match.group(2)), set()).add(match.group(0))
    if not used:
        return []
    things = _entities(statements, _NOT_THINGS, inside=False)
    skipped = _not_things(statements)
    places = _entities(statements, _PLACES)
    pairs: set[Pair] = set()
    for statement in statements:
        for match in _NAME_RE.finditer(statement.text):
            name = _clean(match.group(0))
            keys = _initials(name) & used.keys()
            if not keys or not _thing(name.lower(), things, skipped, places):
                continue
            for key in keys:
                pairs.update((name, spelling) for spelling in used[key] if not _same_letters(name, spelling))
    return sorted(pairs)


def _noun(words: str, before: str) -> str | None:
    """The noun phrase a naming phrase names: the lower-case words before it after the last small word ("the young
    undocumented immigrants"), all of them after a figure ("a 12-person task force"), else the last word alone
    ("rescind programs known as …": no verb). ``before``: the text before the words."""
    split = words.split()
    if re.search(r"\d\S*\s*$", before):
        return words
    kept: list[str] = []
    for word in reversed(split):
        if word in _BEFORE_NOUNS:
            break
        kept.insert(0, word)
    if len(kept) == len(split):
        kept = kept[-1:]
    return " ".join(kept) or None


def naming_pairs(statements: Sequence[Statement]) -> list[Pair]:
    """(wording, name) of each naming phrase of the story: "X, known as Y", "X called Y or Z", "X (Y)", "X, or Y"."""
    skipped = _not_things(statements)
    pairs: set[Pair] = set()
    for statement in statements:
        text = statement.text
        naming = _NAMING_VERB_RE.search(text) is not None  # the long pattern only where it can match
        for match in _NAMING_RE.finditer(text) if naming else ():
            if match.group("verb") in {"called", "named"} and not _CLAUSE_END_RE.match(text, match.end()):
                continue  # "…, called Cruz a liar", "…, called Trump on Tuesday": the verb of the clause, no naming
            names = [_clean(n) for n in (match.group("name"), match.group("other")) if n]
            names = [n for n in names if n and n.lower() not in skipped]
            noun = _noun(match.group("noun"), text[: match.start("noun")])
            wordings = ([noun] if noun else []) + names
            pairs.update((a, b) for i, a in enumerate(wordings) for b in wordings[i + 1 :])
        for match in _SHORT_FORM_RE.finditer(text):
            name, short = _clean(match.group("name")), match.group("bracketed") or match.group("spoken")
            if len(name.split()) >= 2 and name.lower() not in skipped:
                pairs.add((name, short))
    return sorted(pairs)


def _pattern(wordings: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(set(wordings), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.IGNORECASE)


def alias_pairs(statements: Sequence[Statement]) -> list[Pair]:
    """The acronyms and naming phrases of a story, each pair kept when it names one of the story's main things (as
    the descriptions of step 4 must: its two wordings used by two or more outlets, in a tenth of the statements)."""
    outlets = outlet_names({s.outlet for s in statements})  # "Fox News" / "News" is the outlet's own name
    pairs = [
        pair
        for pair in {*acronym_pairs(statements), *naming_pairs(statements)}
        if not _same_letters(*pair) and not any(is_self_reference(wording, outlets) for wording in pair)
    ]
    kept: list[Pair] = []
    for group in referents(pairs):  # "Senate Bill 1062" / "SB 1062" counts with "bill" / "SB 1062"
        pattern = _pattern(group)
        using = [s for s in statements if pattern.search(s.text)]
        if len({s.outlet for s in using}) >= MIN_OUTLETS and len(using) >= MIN_STATEMENT_SHARE * len(statements):
            keys = {wording.lower() for wording in group}
            kept.extend(pair for pair in pairs if pair[0].lower() in keys)
    return sorted(kept)
