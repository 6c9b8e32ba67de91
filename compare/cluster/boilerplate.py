"""Generic statements that never form claims: formulas (no comment, sign-up, credits, datelines),
an outlet's repeated furniture, and fragments under four words."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from compare.model.documents import Statement

BOILERPLATE_MIN_ARTICLES = 3  # a sentence an outlet prints in this many articles is its furniture
NO_COMMENT_MAX_WORDS = 25  # "did not respond" wraps news in a longer statement
MIN_WORDS = 4
REPEAT_MIN_CHARS = 20  # a shorter normalised sentence is not counted as repeated

# Formulas that are generic wherever they stand (credits, sign-up lines, datelines, page furniture).
_PATTERNS = re.compile(
    r"^(?:sign up|subscribe|click here|read more|watch:|related:|share this|advertisement)\b|"
    r"\bnewsletter\b|follow (?:us|him|her) on (?:twitter|facebook)|all rights reserved|\bcopyright\b|©|"
    r"\bphoto(?:graph)?(?: by| credit)?\s*:|^\(?(?:getty images|ap photo|reuters)\)?$|"
    r"contributed (?:to )?(?:this|reporting)|^(?:additional )?reporting by|editing by|"
    r"this (?:story|article) (?:has been|was) updated|"
    r"\babout us\b|\bprivacy policy\b|\bterms of (?:use|service)\b",
    re.IGNORECASE,
)
# Datelines standing alone ("WASHINGTON (AP) —"): only short statements are tried (the patterns
# backtrack over long ones).
_DATELINES = re.compile(
    r"^(?:[A-Z][A-Za-z. ]+\s)?\((?:AP|Reuters|AFP)\)\s*[-—–]?\s*$|^[A-Z]{3,}[A-Z ,.]*\s[-—–]\s*$", re.IGNORECASE
)
_DATELINE_MAX_CHARS = 80
# Every match of _PATTERNS contains one of these (lower-case).
_PATTERN_WORDS = (
    "sign up", "subscribe", "click here", "read more", "watch:", "related:", "share this", "advertisement",
    "newsletter", "follow ", "all rights reserved", "copyright", "©", "photo", "getty images", "reuters",
    "contributed", "reporting by", "editing by", "updated", "about us", "privacy policy", "terms of",
)  # fmt: skip
_NO_COMMENT = re.compile(
    r"did(?: not|n't) (?:immediately )?(?:respond|return|reply)|(?:declined|refused) (?:to )?comment|"
    r"could not be reached|request for comment|not immediately available for comment",
    re.IGNORECASE,
)


def is_formula(text: str) -> bool:
    """Whether a statement is one of the generic formulas (sign-up, credits, datelines; short "no comment")."""
    text = text.strip()
    lowered = text.lower()
    # A plain substring check first: the alternation is slow to run over every statement.
    if any(word in lowered for word in _PATTERN_WORDS) and _PATTERNS.search(text):
        return True
    if len(text) <= _DATELINE_MAX_CHARS and _DATELINES.search(text):
        return True
    return bool(_NO_COMMENT.search(text)) and len(text.split()) <= NO_COMMENT_MAX_WORDS


def normalised(text: str) -> str:
    """Lower-case words, digits as 0: the key under which repeated sentences are counted."""
    return " ".join(re.findall(r"[a-z0]+", re.sub(r"\d+", "0", text.lower())))


def repeat_keys(statements: Sequence[Statement]) -> np.ndarray:
    """A 64-bit key per statement under which ``boilerplate_flags`` counts an outlet's repeated sentences
    (a hash of its outlet and ``normalised`` text), 0 for a sentence too short to be counted."""
    found = np.zeros(len(statements), dtype=np.int64)
    for row, statement in enumerate(statements):
        key = normalised(statement.text)
        if len(key) >= REPEAT_MIN_CHARS:
            digest = hashlib.blake2b(f"{statement.outlet}\0{key}".encode(), digest_size=8).digest()
            found[row] = int.from_bytes(digest, "little", signed=True) or 1
    return found


def extended_flags(
    flags: np.ndarray, keys: np.ndarray, article_of: np.ndarray, added: Sequence[Statement]
) -> tuple[np.ndarray, np.ndarray]:
    """``boilerplate_flags`` and ``repeat_keys`` of a corpus grown by ``added`` statements, from those of
    its first ``len(flags)`` statements (``article_of``: the article number of every statement, the added
    ones included), without going over the earlier statements' text again.

    An earlier statement's flag can only turn on, and only when an added one repeats its sentence:
    a sentence is furniture once its outlet prints it in ``BOILERPLATE_MIN_ARTICLES`` articles (the
    "one in five" of an outlet with few articles asks for two at most, fewer than that).
    """
    added_keys = repeat_keys(added)
    keys = np.concatenate([keys, added_keys])
    own = np.array([is_generic(statement.text, normalised(statement.text)) for statement in added], dtype=bool)
    counted = np.unique(added_keys[added_keys != 0])
    rows = np.flatnonzero(np.isin(keys, counted))
    printed_in: dict[int, set[int]] = defaultdict(set)
    for row in rows.tolist():
        printed_in[int(keys[row])].add(int(article_of[row]))
    repeated = np.zeros(len(keys), dtype=bool)
    repeated[rows] = [len(printed_in[int(keys[row])]) >= BOILERPLATE_MIN_ARTICLES for row in rows.tolist()]
    return np.concatenate([flags, own]) | repeated, keys


def is_generic(text: str, key: str) -> bool:
    """Whether a statement (its text and ``normalised`` key) is boilerplate wherever it stands: under
    ``MIN_WORDS`` words, or a formula."""
    return len(key.split()) < MIN_WORDS or is_formula(text)


def boilerplate_flags(statements: Sequence[Statement]) -> np.ndarray:
    """A flag per statement: a formula, a sentence its outlet repeats in ``BOILERPLATE_MIN_ARTICLES``
    or more articles (one in five of them at least, when the outlet has few), or under ``MIN_WORDS`` words."""
    keys = [normalised(statement.text) for statement in statements]
    outlet_articles: dict[str, set[str]] = defaultdict(set)
    printed_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for statement, key in zip(statements, keys):
        outlet_articles[statement.outlet].add(statement.article_id)
        if len(key) >= REPEAT_MIN_CHARS:
            printed_in[(statement.outlet, key)].add(statement.article_id)
    flags = np.zeros(len(statements), dtype=bool)
    for row, (statement, key) in enumerate(zip(statements, keys)):
        if is_generic(statement.text, key):
            flags[row] = True
            continue
        repeats = len(printed_in.get((statement.outlet, key), ()))
        total = len(outlet_articles[statement.outlet])
        flags[row] = repeats >= BOILERPLATE_MIN_ARTICLES and repeats >= 0.2 * min(total, 10)
    return flags
