"""The modifiers outlets put on a story's main nouns: "packages" / "suspicious packages", "gay" / "Orlando nightclub"."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

from compare.framing.mentions import FACT_LABELS, Pair
from compare.framing.names import HONORIFICS, OTHER_ROLE
from compare.framing.text import stop_words
from compare.model.documents import Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc

# A story's main actors: named in at least this share of its statements, by two or more outlets.
MIN_STATEMENT_SHARE = 0.1
# A story's main nouns: written in lower case in at least this share of its statements, by two or more outlets. Lower
# than the actors' share: a thing is named by one noun ("the video", "the nightclub") where an actor has a name and
# titles, so its noun is in fewer statements (chosen on the four read splits: 0.1, 0.075, 0.05, EVALUATION.md).
MIN_NOUN_SHARE = 0.075
MIN_VARIANT_USES = 2  # a modifier used once is often a passing epithet or a contrast ("legal immigration"), not a name
# A modified wording used once counts when its article takes it up later as "the <noun>" alone ("an amateur video"
# … "the video"): the article's own chain says the modified and the bare noun name one thing.
TAKEN_UP = True
# ... or earlier: "the <noun>" in any other statement of its article ("he said in the statement" … "In his resignation
# statement"): the chain ties the two either way (chosen on the four read splits, EVALUATION.md, words18b).
TAKEN_UP_EARLIER = True
# A noun under the share bar counts where the text, not its frequency, says that it names one thing of the story. Its
# modified forms count only with that evidence, each on its own (chosen on the four read splits, EVALUATION.md):
# - RARE_ALIGNED: two aligned statements of two outlets (two tellings of one fact) use the noun, one with the
#   modifier and the other without it ("a white van with pro-Trump stickers" / "a van covered in stickers");
# - RARE_TAKEN_UP: two or more outlets use the noun alone, and the modified form's article takes it up elsewhere as
#   "the <noun>" (``TAKEN_UP``: "a white van" … "the van").
RARE_ALIGNED = True
RARE_TAKEN_UP = True
# Two modifiers of one noun in two aligned statements, each a different lower-case word right in front of it
# ("police officials" / "postal officials"), name two kinds of the thing, not the thing described two ways: such a
# pair is no evidence (the last modifier shared, "dark blue" / "stark blue background", or the noun alone still is).
RARE_KINDS_APART = True
# A run of modifiers cut inside a name ("York offices" of "New York offices") is read with the whole name in front.
WHOLE_NAMES = True
RARE_SHORTEST = 3  # a rare noun's letters at least: "van", "ban", "ads" (a main noun's: 4, the share bar's noise)
REQUIRE_BARE = True  # a noun the story never uses alone is part of a fixed expression ("task force"), not a referent
MAX_MODIFIERS = 2  # "widespread public backlash": longer runs in front of a noun are rarely one name for it
# Words that place a thing among others of its kind rather than describe it ("additional packages", "the recent
# decision"): a wording does not start with them.
_ORDERING = frozenset(
    "additional recent new latest previous entire similar different certain various numerous dozen best main major "
    "initial original final current".split()
)
# Words that say how big, hard or old a thing is ("big money", "tough races", "younger sister"): a size or degree, not
# a choice of words about the thing, so a wording does not start with them either (none is loaded in VADER's lexicon).
_DEGREE = frozenset(
    "big bigger biggest large larger largest small smaller smallest tiny little tough toughest young younger youngest "
    "old older oldest elder eldest long longer short high higher top massive".split()
)
# Words joining two modifiers of one noun ("legal and illegal immigration"): the two name two kinds of the thing.
_COORDINATORS = frozenset({"and", "or", "nor", "versus", "vs"})
# A modifier with one of these in front of another is its opposite ("legal" / "illegal", "violent" / "nonviolent").
_NEGATIONS = ("non-", "non", "un", "in", "il", "im", "ir", "dis")
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|[^\sA-Za-z]")
# An indefinite phrase after one of these ("this is a bad deal") or before a present one ("a secure border is vital")
# says what kind of thing something is: a predicate or a generic subject, not a name of the story's thing.
_COPULAS = frozenset("is are was were be been being am become becomes became remain remains".split())
_PRESENT_COPULAS = frozenset({"is", "are"})
_QUOTE_MARKS = frozenset("\"“”'‘’")
Use = tuple[str, str, str, str, str, bool]  # noun, phrase, word before, word after, word two before, classifying


def _lower_words(statements: Sequence[Statement], shortest: int = 4) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The words written in lower case that may be nouns -> the statements and the outlets that use them."""
    where: dict[str, set[str]] = defaultdict(set)
    outlets: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        for word in set(_TOKEN_RE.findall(statement.text)):
            if word.islower() and len(word) >= shortest and word not in stop_words():
                where[word].add(statement.id)
                outlets[word].add(statement.outlet)
    return where, outlets


def main_nouns(statements: Sequence[Statement]) -> set[str]:
    """The words (lower case as written) that ``MIN_NOUN_SHARE`` of the statements and two or more outlets use."""
    where, outlets = _lower_words(statements)
    needed = MIN_NOUN_SHARE * len(statements)
    return {word for word, ids in where.items() if len(ids) >= needed and len(outlets[word]) >= 2}


def _alone_in_outlets(statements: Sequence[Statement], nouns: set[str]) -> set[str]:
    """The words under the share bar that statements of two or more outlets use alone (nothing in front that may
    modify them)."""
    _, outlets = _lower_words(statements, RARE_SHORTEST)
    candidates = {word for word, used in outlets.items() if len(used) >= 2 and word not in nouns}
    alone: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        tokens = _TOKEN_RE.findall(statement.text)
        for at, token in enumerate(tokens):
            if token in candidates and _start(tokens, at) == at:
                alone[token].add(statement.outlet)
    return {word for word, used in alone.items() if len(used) >= 2}


def _aligned_nouns(
    statements: Sequence[Statement], aligned: Sequence[tuple[str, str]], nouns: set[str]
) -> dict[str, list[tuple[str, str]]]:
    """The words under the share bar that both statements of an aligned pair of two outlets write in lower case
    -> those pairs (statement ids)."""
    by_id = {statement.id: statement for statement in statements}
    words = {
        sid: {w for w in _TOKEN_RE.findall(s.text) if w.islower() and len(w) >= RARE_SHORTEST and w not in stop_words()}
        for sid, s in by_id.items()
    }
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for first, second in aligned:
        if first in by_id and second in by_id and by_id[first].outlet != by_id[second].outlet:
            for word in (words[first] & words[second]) - nouns:
                found[word].append((first, second))
    return found


def _aligned_forms(
    wording: str, where: Sequence[Statement], pairs: Sequence[tuple[str, str]], texts: dict[str, str]
) -> bool:
    """Whether a statement using ``wording`` is aligned with one of another outlet that uses its noun without it
    (alone or with another modifier): two tellings of one fact, one naming the thing with the modifier. With
    ``RARE_KINDS_APART``, the other statement's noun has nothing in front of it, or the wording's last modifier."""
    pattern = re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, wording.split())) + r"(?![\w-])", re.IGNORECASE)
    ids = {statement.id for statement in where}
    *modifiers, noun = wording.split()

    def told_without(other: str) -> bool:
        if pattern.search(texts[other]):
            return False
        if not RARE_KINDS_APART:
            return True
        tokens = _TOKEN_RE.findall(texts[other])
        fronts = {tokens[at - 1] for at, token in enumerate(tokens) if token == noun and _start(tokens, at) < at}
        alone = any(token == noun and _start(tokens, at) == at for at, token in enumerate(tokens))
        return alone or any(not front.islower() or front == modifiers[-1] for front in fronts)

    return any((a in ids and told_without(b)) or (b in ids and told_without(a)) for a, b in pairs)


def _start(tokens: Sequence[str], at: int) -> int:
    """Where the words in front of tokens[at] that may modify it begin (``at`` itself when none may)."""
    start = at
    while start > 0 and at - start < MAX_MODIFIERS:
        before = tokens[start - 1]
        lower = before.lower()
        stops = lower in stop_words() or lower in _ORDERING or lower in _DEGREE or lower in OTHER_ROLE
        if not before[0].isalpha() or stops or lower.strip(".") in HONORIFICS:
            break
        start -= 1
    if WHOLE_NAMES:  # "New" of "New York" is no ordering word, and "New York" is one modifier however long
        while 0 < start < at and tokens[start][:1].isupper() and _name_word(tokens[start - 1]):
            start -= 1
    return start


def _name_word(token: str) -> bool:
    """Whether a token may be a word of a name going on to the next one ("New" of "New York", not "The")."""
    lower = token.lower()
    return token[:1].isupper() and token.isalpha() and lower not in stop_words() and lower not in HONORIFICS


def bare_nouns(statements: Sequence[Statement], nouns: set[str]) -> set[str]:
    """The main nouns some statement uses alone, with no word in front that may modify it ("the force", "big money")."""
    bare: set[str] = set()
    for statement in statements:
        tokens = _TOKEN_RE.findall(statement.text)
        bare.update(token for at, token in enumerate(tokens) if token in nouns and _start(tokens, at) == at)
    return bare


def _classifying(tokens: Sequence[str], start: int, at: int) -> bool:
    """Whether the phrase tokens[start..at] is indefinite in a copular clause: a predicate ("Trump's offer was a
    'bad deal'") or a generic subject ("A secure border is vital"). Quotation marks around it are skipped."""
    before = [token.lower() for token in tokens[:start] if token not in _QUOTE_MARKS]
    after = [token.lower() for token in tokens[at + 1 :] if token not in _QUOTE_MARKS]
    if not before or before[-1] not in {"a", "an"}:
        return False
    return (len(before) >= 2 and before[-2] in _COPULAS) or (bool(after) and after[0] in _PRESENT_COPULAS)


def _phrases(statement: Statement, nouns: set[str]) -> list[Use]:
    """Per main noun in a statement: (noun, the noun with the words right before it that may modify it, the word
    before those, the word after, the word two before, whether the use classifies rather than names)."""
    tokens = _TOKEN_RE.findall(statement.text)
    facts = [text.lower() for text, label in statement.entities if label in FACT_LABELS]
    found = []
    for at, token in enumerate(tokens):
        if token not in nouns:
            continue
        start = _start(tokens, at)
        phrase = " ".join(tokens[start : at + 1])
        if start < at and not any(phrase.lower() in fact or fact in phrase.lower() for fact in facts):
            before = tokens[start - 1] if start > 0 else ""
            after = tokens[at + 1] if at + 1 < len(tokens) else "."
            earlier = tokens[start - 2] if start > 1 else ""
            found.append((token, phrase, before, after, earlier, _classifying(tokens, start, at)))
    return found


_TAGGING_ONLY = ("lemmatizer", "ner")  # tags need tok2vec, tagger, parser and attribute ruler (it matches on DEP)


def _modified_all(keys: Sequence[tuple[str, str, str]]) -> dict[tuple[str, str, str], str | None]:
    """``_modified`` of each (phrase, word before, word after), tagged in one spaCy pass (one call per phrase cost
    about 13 ms of pipeline overhead each: most of the framing stage's CPU on BASIL)."""
    from compare.segment import load_spacy

    unique = list(dict.fromkeys(keys))
    texts = [f"{before} {phrase} {after}".strip() for phrase, before, after in unique]
    docs = load_spacy().pipe(texts, batch_size=256, disable=list(_TAGGING_ONLY))
    return {key: _modified(doc, 1 if key[1] else 0) for key, doc in zip(unique, docs)}


def _modified(doc: Doc, lead: int) -> str | None:
    """The phrase from its first adjective or noun on, when it ends in a noun and starts with a modifier of it.

    ``doc`` is the phrase tagged between the words around it (``lead``: 1 when a word stands before it):
    "to import elephants": "import" is a verb. None when the word after is a noun too: "terror" of
    "terror attack" is a modifier, not the thing named.
    """
    tags = [token.pos_ for token in doc]
    if len(tags) < 2 + lead or tags[-2] != "NOUN" or tags[-1] in {"NOUN", "PROPN"}:
        return None
    span, tags = doc[lead:-1], tags[lead:-1]
    first = next((i for i, tag in enumerate(tags[:-1]) if tag in {"ADJ", "NOUN", "PROPN"}), None)
    if first is None or any(tag not in {"ADJ", "NOUN", "PROPN", "PUNCT"} for tag in tags[first:-1]):
        return None
    return span[first:].text


@lru_cache(maxsize=4096)
def _coordinated(word: str, conjunction: str, phrase: str) -> bool:
    """Whether ``word`` is a second modifier coordinated with the phrase's ("legal" of "legal and illegal
    immigration"), not a noun of its own ("bombs and suspicious packages")."""
    from compare.segment import load_spacy

    return load_spacy()(f"{word} {conjunction} {phrase}")[0].pos_ == "ADJ"


def _opposite(first: str, second: str) -> bool:
    """Whether one modifier is the other negated ("legal" / "illegal", "partisan" / "nonpartisan")."""
    return any(f"{negation}{first}" == second or f"{negation}{second}" == first for negation in _NEGATIONS)


def _contrasted(
    statements: Sequence[Statement], placed: Sequence[list[Use]]
) -> tuple[dict[str, dict[str, list[str]]], dict[str, dict[str, list[Statement]]], set[str]]:
    """The modified wordings of each main noun with the outlet of each use and the statements that use it, and
    those that name one kind of the thing against another rather than the thing: two kinds in one statement
    ("temporary and permanent protections"), a kind coordinated with another ("legal and illegal immigration"), a
    kind and its opposite."""
    used: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # noun -> wording -> outlets
    at: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))  # noun -> wording -> where
    contrasted: set[str] = set()
    modified = _modified_all([(use[1], use[2], use[3]) for found in placed for use in found])
    for statement, found in zip(statements, placed):
        here: dict[str, set[str]] = defaultdict(set)
        for noun, phrase, before, after, earlier, classifying in found:
            wording = modified[(phrase, before, after)]
            if wording is None:
                continue
            if not classifying:  # "a bad deal" said of the offer is no use of a name for it
                used[noun][wording].append(statement.outlet)
                at[noun][wording].append(statement)
            here[noun].add(wording.lower())
            joined = before.lower() in _COORDINATORS and earlier.isalpha() and earlier.islower()
            if joined and earlier not in stop_words() and _coordinated(earlier, before.lower(), phrase):
                contrasted.add(wording.lower())
        contrasted.update(w for kinds in here.values() if len(kinds) >= 2 for w in kinds)
    for uses in used.values():
        firsts = {w.lower(): w.split()[0].lower() for w in uses}
        contrasted.update(a for a in firsts for b in firsts if _opposite(firsts[a], firsts[b]))
    return used, at, contrasted


def _taken_up(statements: Sequence[Statement], at: dict[str, dict[str, list[Statement]]]) -> set[str]:
    """The modified wordings (lower case) with a use that a later statement of its article takes up as "the
    <noun>" with nothing in front that may modify it ("an amateur video" … "the video"); with
    ``TAKEN_UP_EARLIER``, any other statement of its article."""
    saying: dict[tuple[str, str], set[int]] = defaultdict(set)  # (article, noun) -> statements saying "the <noun>"
    for statement in statements:
        tokens = _TOKEN_RE.findall(statement.text)
        for i, token in enumerate(tokens[1:], 1):
            if token in at and tokens[i - 1].lower() == "the" and _start(tokens, i) == i:
                saying[(statement.article_id, token)].add(statement.index)

    def taken(noun: str, statement: Statement) -> bool:
        indexes = saying.get((statement.article_id, noun), set())
        return any(i > statement.index or (TAKEN_UP_EARLIER and i != statement.index) for i in indexes)

    return {
        wording.lower()
        for noun, wordings in at.items()
        for wording, where in wordings.items()
        if any(taken(noun, s) for s in where)
    }


def _shared_names(statements: Sequence[Statement]) -> set[str]:
    """The capitalised words (lower case) that statements of two or more outlets use."""
    outlets: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        for word in _TOKEN_RE.findall(statement.text):
            if word[:1].isupper():
                outlets[word.lower()].add(statement.outlet)
    return {word for word, where in outlets.items() if len(where) >= 2}


def _people(statements: Sequence[Statement]) -> dict[str, str]:
    """Each capitalised word of a person's full name in the story -> the surname ("Robert", "Mueller" -> "Mueller").

    Full names only (two or more words): a one-word PERSON entity is often another thing misread ("Twitter").
    """
    people: dict[str, str] = {}
    for statement in statements:
        for text, label in statement.entities:
            words = [_bare(word) for word in text.split()]
            if label == "PERSON" and len(words) >= 2:
                people.update((word, words[-1]) for word in words if word[:1].isupper())
    return people


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def _owners(placed: Sequence[list[Use]], people: dict[str, str]) -> dict[str, set[str]]:
    """Main noun -> the people (surnames) named in front of it in any use, once or more ("Mueller's investigation")."""
    owners: dict[str, set[str]] = defaultdict(set)
    for found in placed:
        for use in found:
            words = (_bare(word) for word in use[1].split()[:-1])
            owners[use[0]].update(people[word] for word in words if word in people)
    return owners


def _chosen_apart(wordings: dict[str, set[str]]) -> bool:
    """Whether two of the wordings are used by outlets that never use the other."""
    return any(not first & second for first, second in combinations(wordings.values(), 2))


def variant_pairs(statements: Sequence[Statement], aligned: Sequence[tuple[str, str]] = ()) -> list[Pair]:
    """(noun, the noun with a modifier) for the story's main nouns, where outlets use different modified forms, and
    for the nouns under the share bar whose modified forms the text says name one thing (``RARE_ALIGNED``,
    ``RARE_TAKEN_UP``). ``aligned``: the ids of the story's aligned statement pairs (``wording.aligned_pairs``)."""
    nouns = main_nouns(statements)
    crossed = _aligned_nouns(statements, aligned, nouns) if RARE_ALIGNED else {}
    alone = _alone_in_outlets(statements, nouns) if RARE_TAKEN_UP else set()
    rare = set(crossed) | alone
    nouns |= rare
    texts = {statement.id: statement.text for statement in statements}
    placed = [_phrases(statement, nouns) for statement in statements]
    used, at, contrasted = _contrasted(statements, placed)
    taken_up = _taken_up(statements, at) if TAKEN_UP else set()
    shared = _shared_names(statements)
    people = _people(statements)
    owners = _owners(placed, people)
    bare = bare_nouns(statements, nouns) if REQUIRE_BARE else set(used)
    pairs: list[Pair] = []
    for noun, uses in sorted(used.items()):
        if noun in rare:  # no frequency to go by: only the forms the text ties to the noun
            wordings = {
                w: set(outlets)
                for w, outlets in uses.items()
                if w.lower() not in contrasted
                and (
                    (noun in crossed and _aligned_forms(w, at[noun][w], crossed[noun], texts))
                    or (noun in alone and w.lower() in taken_up)
                )
            }
        else:
            wordings = {
                w: set(outlets)
                for w, outlets in uses.items()
                if (len(outlets) >= MIN_VARIANT_USES or w.lower() in taken_up) and w.lower() not in contrasted
            }
        # Two people's names in front of one noun ("the Obama administration" / "the Trump administration", "the Flynn
        # investigation" / "Mueller's investigation", even once): two things, so a named form is no wording of it.
        if len(owners[noun]) >= 2:
            wordings = {w: outlets for w, outlets in wordings.items() if not set(w.split()[:-1]) & people.keys()}
        # A name in front that one outlet alone uses marks another thing of the kind: "the Newtown attack" in a story
        # of the Orlando attack. Names the outlets share ("the Orlando attack", "the YouTube video") stay.
        wordings = {
            w: o for w, o in wordings.items() if all(m.lower() in shared for m in w.split()[:-1] if m[:1].isupper())
        }
        # A noun the story never uses alone is part of a fixed expression ("task force", "voting rights", "assault
        # weapons"), no wording of a referent, unless outlets choose apart between two of its modified forms: one
        # outlet's "illegal immigrants" against the others' "undocumented immigrants".
        if noun not in bare and not _chosen_apart(wordings):
            continue
        spellings: dict[tuple[str, ...], str] = {}
        for wording in sorted(wordings, key=lambda w: (-len(wordings[w]), w)):  # the spelling most outlets use first
            spellings.setdefault(tuple(re.findall(r"[a-z]+", wording.lower())), wording)  # "Big-game" is "big game"
        pairs.extend((noun, wording) for wording in sorted(spellings.values()))
    return pairs
