"""What two aligned statements of one fact word differently: content words, not inflections, case, figures,
function words, a pronoun for a name, a name's spelling or the words of a quote; and whether they are one fact
reworded or two facts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from compare.framing.mentions import FACT_LABELS
from compare.framing.names import HONORIFICS
from compare.framing.text import Span, changed_spans, diff_tokens, stop_words
from compare.segment.speakers import quoted_spans

# Two statements of which either has fewer than this share of its content words in the other (in any form and
# order) tell two facts, or one fact and another clause, not one fact in other words: of 60 pairs the story pages
# listed, labelled by hand (EVALUATION.md, "Shared facts worded differently"), the 11 labelled another wording had
# 0.4 or more, 38 of the 47 labelled other content less.
MIN_SHARED_CONTENT = 0.4
# A rewording swaps words: one change of the diff where each side has at most this many content words in at most
# this many words, the other statement uses none of them, and neither side is inside quote marks (an outlet does
# not choose a speaker's words). On the half of diff18's hand sample the rule was chosen on (bench/
# word_differences_diff18.csv, by event), 11 of 18 rewordings had such a swap, 4 of 21 pairs of other content and
# 1 of 12 quoted at other lengths; longer changes are clauses ("fired March 2 after nearly four seasons as coach" /
# "only a matter"), not other words for one thing.
MAX_SWAP_CONTENT_WORDS = 2
MAX_SWAP_WORDS = 4
# Two names this alike letter by letter ("Gadhafi" / "Qaddafi" 0.71, "Rait" / "Raite" 0.89) are one name spelled
# otherwise, not another word for it, unless the curated competing wordings list them ("Kiev" / "Kyiv" 0.75).
MIN_SPELLING_LIKENESS = 0.7
PRONOUNS = frozenset(
    "i me my mine myself we us our ours ourselves you your yours yourself he him his himself she her hers herself "
    "it its itself they them their theirs themselves".split()
)
REWORDED = "reworded"  # the one kind of pair ``aligned_differences`` keeps
_LEMMA_POS = ("noun", "verb", "adj", "adv")  # the parts of speech spaCy's rule lemmatizer has tables for
_POSSESSIVE_RE = re.compile(r"['’]s$", re.IGNORECASE)
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Rewording:
    """How two statements of one fact differ in wording.

    ``kind`` is "reworded" (they share most of their content words, and at least one change swaps a few words of
    one for a few of the other, outside quote marks), "spelling" (only a name or compound spelled otherwise),
    "quote length" (what differs is inside quote marks: one quotes more of a speaker or paraphrases), "other
    content", "pronoun for name", "inflection, case or order", "function words" or "marks or figures" (the first
    that holds, from a side where nothing else differs).
    """

    kind: str
    removed: tuple[str, ...]  # pieces of the first statement holding a content word the second uses in no form
    added: tuple[str, ...]  # pieces of the second statement holding a content word the first uses in no form
    shared: float  # the smaller share of either statement's content words that the other uses (any form, order)
    swaps: int = 0  # changes that swap a few words of one statement for a few of the other (``_few_words``)


def rewording(
    first: str, second: str, figures: frozenset[str] = frozenset(), spellings: Callable[[str, str], bool] | None = None
) -> Rewording:
    """The pieces of ``first`` and ``second`` (a word-level diff's changes) with a content word the other
    statement does not use in any form, and what kind of difference the two statements have.

    ``figures``: the lower-case words of the statements' dates, times and quantities (``fact_words``): another
    day or figure is another fact, not another wording. ``spellings``: whether two words are competing wordings
    (a curated pair such as "Kiev" / "Kyiv" is a choice, not a spelling); none by default.
    """
    texts = (first, second)
    words = [_content_forms(first, figures), _content_forms(second, figures)]
    every = [frozenset().union(*side) if side else frozenset() for side in words]
    quotes = [quoted_spans(first), quoted_spans(second)]
    differing: list[list[str]] = [[], []]  # per side, its pieces with a differing content word
    changed: list[list[str]] = [[], []]  # per side, the words of every changed piece
    names: list[list[str]] = [[], []]  # per side, the differing words of its pieces
    named = False  # a piece naming someone where the other says a pronoun was dropped
    swaps = spelled = quoted = 0
    for spans in changed_spans(first, second):
        pieces = (_text(first, spans[0]), _text(second, spans[1]))
        differ = [_differing(piece, every[1 - side], figures) for side, piece in enumerate(pieces)]
        if _pronoun_for_name(pieces, differ):
            named = True
            continue
        if differ[0] and differ[1] and _spelled_otherwise(pieces, differ, spellings):
            spelled += 1
            continue
        inside = [_inside_quotes(texts[side], spans[side], quotes[side]) for side in (0, 1)]
        quoted += any(differ[side] and inside[side] for side in (0, 1))
        swaps += bool(differ[0] and differ[1] and not any(inside) and _few_words(pieces, figures))
        for side, piece in enumerate(pieces):
            changed[side] += diff_tokens(piece)
            names[side] += differ[side]
            if differ[side]:
                differing[side].append(piece)
    shared = min(_shared_share(words[0], every[1]), _shared_share(words[1], every[0]))
    if differing[0] and differing[1]:
        kind = _why_differ(shared, swaps, quoted)
    elif spelled and not (differing[0] or differing[1]):
        kind = "spelling"
    else:
        alike = 0 if not differing[0] else 1
        named = named or _pronoun_for_name((" ".join(changed[alike]), ""), [[], names[1 - alike]])
        kind = _why_alike(changed[alike], named, figures)
    return Rewording(kind, tuple(differing[0]), tuple(differing[1]), round(shared, 4), swaps)


def _why_differ(shared: float, swaps: int, quoted: int) -> str:
    """Why two statements that each use a content word the other does not are, or are not, one fact reworded."""
    if shared >= MIN_SHARED_CONTENT and swaps:
        return REWORDED
    return "quote length" if shared >= MIN_SHARED_CONTENT and quoted else "other content"


def _text(text: str, span: Span) -> str:
    return text[span[0] : span[1]] if span else ""


def _inside_quotes(text: str, span: Span, quotes: list[tuple[int, int]]) -> bool:
    """Whether every word of a piece is between quote marks of its statement."""
    if span is None or not quotes:
        return False
    starts = [span[0] + match.start() for match in _WORD_RE.finditer(text[span[0] : span[1]])]
    return bool(starts) and all(any(start <= at < end for start, end in quotes) for at in starts)


def _few_words(pieces: tuple[str, str], figures: frozenset[str]) -> bool:
    """Whether both sides of a change are a few words (``MAX_SWAP_WORDS``, ``MAX_SWAP_CONTENT_WORDS``)."""
    for piece in pieces:
        words = [token for token in diff_tokens(piece) if word_key(token)]
        if len(words) > MAX_SWAP_WORDS or sum(is_content(word, figures) for word in words) > MAX_SWAP_CONTENT_WORDS:
            return False
    return True


def _spelled_otherwise(
    pieces: tuple[str, str], differ: list[list[str]], spellings: Callable[[str, str], bool] | None
) -> bool:
    """Whether two sides of a change are one compound written apart ("workforce" / "work force") or one name spelled
    otherwise: each capitalised differing word of either side is ``MIN_SPELLING_LIKENESS`` alike one of the other."""
    if _letters(pieces[0]) == _letters(pieces[1]):
        return True
    one, other = differ
    names = [[part for word in side for part in _parts(word) if len(part) > 2] for side in (one, other)]
    if not all(names) or not all(part[0].isupper() for side in names for part in side):
        return False
    alike = all(
        any(_likeness(part, theirs) >= MIN_SPELLING_LIKENESS for theirs in names[1 - side])
        for side in (0, 1)
        for part in names[side]
    )
    # the curated list asked last: few changes are two alike names, and the pairs of words of every change are many
    return alike and not (spellings is not None and any(spellings(a, b) for a in one for b in other))


def _letters(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalpha())


def _likeness(one: str, other: str) -> float:
    return SequenceMatcher(a=_letters(one), b=_letters(other), autojunk=False).ratio()


def fact_words(entities: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The lower-case words of a statement's entities that are dates, times or quantities."""
    return frozenset(word.lower() for text, label in entities if label in FACT_LABELS for word in diff_tokens(text))


def _why_alike(tokens: Sequence[str], named: bool, figures: frozenset[str]) -> str:
    """Why a side's changed words say nothing the other statement does not."""
    if named:
        return "pronoun for name"
    if any(is_content(token, figures) for token in tokens):
        return "inflection, case or order"
    if any(word_key(token, figures) for token in tokens):
        return "function words"
    return "marks or figures"


def _content_forms(text: str, figures: frozenset[str]) -> list[frozenset[str]]:
    """The forms (the word and its lemmas) of each content word of a text, a hyphenated word's parts as words
    ("pirate-controlled" is "pirate controlled")."""
    return [forms for token in diff_tokens(text) for lower, forms in _content_parts(token) if lower not in figures]


# Per token, not per pair (as ``_plain_key``): which of its parts are content words and their forms; a pair's
# figures are left out after.
@lru_cache(maxsize=65536)
def _content_parts(token: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The content-word parts of a diff token, each as (its lower case, its forms), figures of a pair not known."""
    return tuple(
        (part.lower(), lemma_forms(key))
        for part in _parts(token)
        if _is_content_word(part) and (key := _plain_key(part))
    )


def _parts(token: str) -> list[str]:
    """A hyphenated word's parts, any other token itself."""
    return [part for part in token.split("-") if part] if "-" in token.strip("-") else [token]


def _shared_share(forms: list[frozenset[str]], other: frozenset[str]) -> float:
    """The share of a statement's content words (by their forms) that another statement uses; 0 for none."""
    return sum(1 for word in forms if word & other) / len(forms) if forms else 0.0


def _differing(piece: str, other_forms: frozenset[str], figures: frozenset[str]) -> list[str]:
    """The content words of a piece that the other statement uses in no form (not moved, inflected or recased)."""
    return [
        token
        for token in diff_tokens(piece)
        if any(lower not in figures and not (forms & other_forms) for lower, forms in _content_parts(token))
    ]


def _pronoun_for_name(pieces: tuple[str, str], differ: list[list[str]]) -> bool:
    """Whether one piece is a pronoun (with function words only) where the other names someone ("He" / "Trump")."""
    for side in (0, 1):
        words = [key for token in diff_tokens(pieces[side]) if (key := word_key(token))]
        names = differ[1 - side]
        if words and not differ[side] and PRONOUNS & set(words) and names and all(n[0].isupper() for n in names):
            return True
    return False


def word_key(token: str, figures: frozenset[str] = frozenset()) -> str | None:
    """A diff token as compared across two statements (lower case, no possessive ending, no dots); None for a
    figure ("7.8", "seven", "million", a word of ``figures``) or a mark."""
    return None if token.lower() in figures else _plain_key(token)


def is_content(token: str, figures: frozenset[str] = frozenset()) -> bool:
    """Whether a diff token is a content word: not a function word, an honorific, a figure (``word_key``) or a mark.

    An abbreviation ("U.S.", "US", "CHP") is one, although "us" is a function word.
    """
    return token.lower() not in figures and _is_content_word(token)


# Per token, not per pair: a corpus repeats its words, and spaCy's number rule alone was most of the time.
@lru_cache(maxsize=65536)
def _plain_key(token: str) -> str | None:
    if not token[0].isalpha() or _like_number()(token):
        return None
    return _POSSESSIVE_RE.sub("", token).replace("’", "'").replace(".", "").lower() or None


@lru_cache(maxsize=65536)
def _is_content_word(token: str) -> bool:
    key = _plain_key(token)
    if key is None:
        return False
    if "." in token.rstrip(".") or (len(token) > 1 and token.isupper()):
        return True
    # an inflection of a function word is one too ("taken", "doing")
    return len(key) > 1 and key not in HONORIFICS and not (lemma_forms(key) & function_words())


@cache
def function_words() -> frozenset[str]:
    """Words both scikit-learn's and spaCy's English stop lists hold.

    Either list alone holds content words: scikit-learn's "bill", "fire", "found", "system" ("the bill" / "the
    measure" is a wording), spaCy's "say", "make", "used" ("said" / "claimed" is one).
    """
    from compare.segment import load_spacy

    return stop_words() & frozenset(word.lower() for word in load_spacy().Defaults.stop_words)


@cache
def _like_number() -> Callable[[str], bool]:
    """spaCy's English rule of what reads as a number ("7.8", "1,000", "seven", "million", "third")."""
    from compare.segment import load_spacy

    nlp = load_spacy()  # first: spaCy imported as compare.segment imports it (without torch)
    from spacy.attrs import LIKE_NUM

    return nlp.vocab.lex_attr_getters[LIKE_NUM]  # type: ignore[attr-defined]


@lru_cache(maxsize=65536)
def lemma_forms(word: str) -> frozenset[str]:
    """A lower-case word and every lemma spaCy's rule lemmatizer gives it as a noun, verb, adjective or adverb.

    Two words with a form in common are inflections of one word ("test" / "tests", "big" / "bigger", "says" /
    "said"). Without a parse a word's part of speech is not known, so each is tried as the lemmatizer would:
    its exceptions, then its suffix rules where they give a known lemma.
    """
    forms = {word}
    tables = _lemma_tables()
    if tables is None:
        return frozenset(forms)
    index, exceptions, rules = tables
    for pos in _LEMMA_POS:
        forms.update(exceptions.get(pos, {}).get(word, ()))
        for old, new in rules.get(pos, ()):
            if word.endswith(old) and (form := word[: len(word) - len(old)] + new) in index.get(pos, ()):
                forms.add(form)
    return frozenset(forms)


_LemmaTables = tuple[dict[str, set[str]], dict[str, dict[str, list[str]]], dict[str, list[list[str]]]]


@cache
def _lemma_tables() -> _LemmaTables | None:
    """spaCy's rule lemmatizer tables (index, exceptions, rules) by part of speech; None without a rule lemmatizer."""
    from compare.segment import load_spacy

    nlp = load_spacy()
    if "lemmatizer" not in nlp.pipe_names or getattr(nlp.get_pipe("lemmatizer"), "mode", None) != "rule":
        return None
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    strings = nlp.vocab.strings

    def by_pos(name: str) -> dict[str, object]:
        table = lookups.get_table(name)
        return {pos: table.get(strings[pos]) for pos in _LEMMA_POS if strings[pos] in table}

    index = {pos: set(words) for pos, words in by_pos("lemma_index").items()}  # type: ignore[call-overload]
    return index, by_pos("lemma_exc"), by_pos("lemma_rules")  # type: ignore[return-value]
