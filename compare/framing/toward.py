"""Tone toward a target: VADER on the clause that mentions it, plus what is done to it ("warned Russia")."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from compare.model.framing import TONE_NEUTRAL_BAND

NEUTRAL_BAND = TONE_NEUTRAL_BAND  # |score| below this is neutral (VADER's own convention)
_DIRECTED = 0.5  # the weight of a hostile or friendly verb right before the target
# Clause borders: punctuation, subordinators and relative pronouns, and the end of a reporting verb
# ("Obama said [that] ..."), so that "X said Y is a liar" is not scored as said of X.
_BORDER = re.compile(
    r"[;:()\[\]—–]|,\s|[“”\"]"
    r"|\s(?:but|while|although|though|whereas|because|since|after|before|when|which|who|whom|whose|if|unless)\s"
    r"|\s(?:said|says|say|told|tells|added|argued|claimed|noted|wrote|tweeted|stated|insisted)\s(?:that\s)?",
    re.IGNORECASE,
)
_HOSTILE = re.compile(
    r"^(?:accus|blam|critici[sz]|attack|condemn|warn|slam|su(?:e|ed|es|ing)$|charg|indict|threaten|reject|mock|"
    r"denounc|investigat|arrest|ridicul|rebuk|fault|assail|lambast|bash|oppos|fir(?:e|ed|es|ing)$|impeach|sanction|"
    r"oust|punish|scold|chastis|berat|insult|smear|derid|target|invad|defeat|blast|sla(?:y|in)|kill|urg)",
    re.IGNORECASE,
)
_FRIENDLY = re.compile(
    r"^(?:prais|thank|support|defend|endors|applaud|welcom|back(?:s|ed|ing)?$|commend|hail|congratulat|credit|"
    r"honou?r|champion|embrac|help|protect|reassur|elect|admir|celebrat)",
    re.IGNORECASE,
)
_FILLER = frozenset(
    {"the", "a", "an", "his", "her", "their", "its", "president", "sen.", "rep.", "gov.", "mr.", "mrs.", "ms."}
)


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the clause of ``text`` holding the characters ``start:end``."""
    left, right = 0, len(text)
    for border in _BORDER.finditer(text):
        if border.end() <= start:
            left = border.end()
        elif border.start() >= end:
            right = border.start()
            break
    return left, right


def tone_toward(text: str, start: int, end: int) -> float:
    """The tone of what ``text`` says of the target at ``start:end``, in [-1, 1].

    VADER (with its negation and intensifier rules) on the target's clause with the target's own words
    masked, moved toward negative when a hostile verb governs the target ("warned Russia",
    "accused the Democrats") and toward positive when a friendly one does ("praised Macron").

    Args:
        text: the statement.
        start: where the target's mention starts in ``text``.
        end: where it ends.
    """
    left, right = clause_around(text, start, end)
    clause = text[left:start] + " it " + text[end:right]
    score = float(_vader().polarity_scores(clause)["compound"]) if clause.strip() != "it" else 0.0
    verb = _verb_before(text[:start])
    if verb and _HOSTILE.match(verb):
        score = min(score, 0.0) - _DIRECTED
    elif verb and _FRIENDLY.match(verb):
        score = max(score, 0.0) + _DIRECTED
    return max(-1.0, min(1.0, score))


def polarity(score: float) -> str:
    """ "neg", "neu" or "pos" for a tone score."""
    return "neg" if score <= -NEUTRAL_BAND else "pos" if score >= NEUTRAL_BAND else "neu"


def _verb_before(prefix: str) -> str | None:
    """The word before the target, skipping determiners and titles ("warned the President" -> "warned")."""
    words = prefix.split()
    while words and words[-1].lower() in _FILLER:
        words.pop()
    return words[-1].strip(",.;:") if words else None
