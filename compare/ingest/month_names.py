"""Dates written in other languages' words (Chinese, Japanese and Korean year-month-day, Russian, Spanish, French,
German, Italian and Portuguese month names) -> (year, month, day), without a library: dateparser takes seconds to
load its languages and reads "2024-W10-2" as 2024-10-02."""

from __future__ import annotations

import re

_CJK_RE = re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]?")

# Every written form of each month (Russian in the genitive that dates use, and the nominative).
_MONTH_WORDS = (
    "января январь enero janvier januar jänner gennaio janeiro",
    "февраля февраль febrero février fevrier februar febbraio fevereiro",
    "марта март marzo mars märz maerz março marco",
    "апреля апрель abril avril april aprile",
    "мая май mayo mai maggio maio",
    "июня июнь junio juin juni giugno junho",
    "июля июль julio juillet juli luglio julho",
    "августа август agosto août aout august",
    "сентября сентябрь septiembre setiembre septembre september settembre setembro",
    "октября октябрь octubre octobre oktober ottobre outubro",
    "ноября ноябрь noviembre novembre november novembro",
    "декабря декабрь diciembre décembre decembre dezember dicembre dezembro",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_WORDS, 1) for name in names.split()}
_NAMED_RE = re.compile(
    rf"(?<!\w)(?P<day>\d{{1,2}})(?:er|º|°|\.)?\s+(?:de\s+)?(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})"
    r"\.?,?\s+(?:de\s+)?(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)


def foreign_ymd(text: str) -> tuple[str, str, str] | None:
    """(year, month, day) of a date written with another language's words, or None."""
    match = _CJK_RE.search(text)
    if match:
        return match.group("year"), match.group("month"), match.group("day")
    match = _NAMED_RE.search(text)
    if match:
        return match.group("year"), str(_MONTHS[match.group("month").lower()]), match.group("day")
    return None
