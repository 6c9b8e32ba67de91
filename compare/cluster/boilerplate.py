"""Generic statements that never form claims: formulas (no comment, sign-up, credits, datelines),
an outlet's repeated furniture, and fragments under four words."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from compare.model.documents import Statement

BOILERPLATE_MIN_ARTICLES = 3  # a sentence an outlet prints in this many articles is its furniture
NO_COMMENT_MAX_WORDS = 25  # "did not respond" wraps news in a longer statement
MIN_WORDS = 4

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


def boilerplate_flags(statements: Sequence[Statement]) -> np.ndarray:
    """A flag per statement: a formula, a sentence its outlet repeats in ``BOILERPLATE_MIN_ARTICLES``
    or more articles (one in five of them at least, when the outlet has few), or under ``MIN_WORDS`` words."""
    keys = [normalised(statement.text) for statement in statements]
    outlet_articles: dict[str, set[str]] = defaultdict(set)
    printed_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for statement, key in zip(statements, keys):
        outlet_articles[statement.outlet].add(statement.article_id)
        if len(key) >= 20:
            printed_in[(statement.outlet, key)].add(statement.article_id)
    flags = np.zeros(len(statements), dtype=bool)
    for row, (statement, key) in enumerate(zip(statements, keys)):
        if len(key.split()) < MIN_WORDS or is_formula(statement.text):
            flags[row] = True
            continue
        repeats = len(printed_in.get((statement.outlet, key), ()))
        total = len(outlet_articles[statement.outlet])
        flags[row] = repeats >= BOILERPLATE_MIN_ARTICLES and repeats >= 0.2 * min(total, 10)
    return flags
