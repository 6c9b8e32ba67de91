"""Event time: a statement's DATE entities resolved against its article's date ("on Wednesday" -> a day).

The common news forms (weekdays, today/yesterday, "March 3", "March 2022", years, this/last year)
resolve by a fast path; the rest through ``dateparser`` with the article date as the relative base.
Durations ("three years"), frequencies ("weekly") and vague spans ("the 1990s") resolve to nothing.
Without an article date only expressions naming a year resolve.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

EVENT_DAY_LOOKBACK_DAYS = 60  # a lead's date further back than this is background, not the event

_DURATION = re.compile(
    r"^(?:the\s+)?(?:(?:past|first|coming|several|few|\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|many|some|more than|nearly|about|almost|over|at least|more)\s+)+(?:-?\s*)?"
    r"(?:day|week|month|year|decade|hour|minute|century|quarter)s?(?:\s+(?:long|old))?$"
)
_VAGUE = re.compile(r"\b\d0s\b|decade|century|daily|weekly|annual|era|age\b")
_LEADING = re.compile(r"^(?:on|in|at|by|since|until|from|during|early|late|mid|earlier|later|this past)\s+")
# Spans too vague to place ("recent weeks", "the day"): no time, and no dateparser call for them.
_VAGUE_WORDS = re.compile(
    r"^(?:the\s+|recent\s+|the\s+(?:same|next|previous|following)\s+)?"
    r"(?:days?|weeks?|months?|years?|weekend|day|night|time|moment)$|^\d{1,3}$"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = (
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may",),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FAST_DAY = re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$")
_FAST_MONTH_YEAR = re.compile(rf"^{_MONTH}(?:,?\s+(?:of\s+)?(\d{{4}}))?$")
_FAST_WEEKDAY = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening|night))?$"
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class TimeSpan:
    """A resolved time expression: the days it covers (ordinals, inclusive) and its granularity."""

    first: int
    last: int
    period: str  # day | week | month | year

    def gap(self, other: TimeSpan) -> int:
        """Days between the two spans; 0 when they overlap."""
        return max(0, max(self.first, other.first) - min(self.last, other.last))


def publication_day(published: str | None) -> date | None:
    """An article's publication date (``Article.published``), None when unknown or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _day(moment: date) -> TimeSpan:
    return TimeSpan(moment.toordinal(), moment.toordinal(), "day")


def _month_span(year: int, month: int) -> TimeSpan:
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return TimeSpan(first.toordinal(), last.toordinal(), "month")


def _year_span(year: int) -> TimeSpan:
    return TimeSpan(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal(), "year")


def _relative_to_base(text: str, base: date) -> TimeSpan | None:
    if text in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
        return _day(base)
    if text in {"yesterday", "last night"}:
        return _day(base - timedelta(days=1))
    if text in {"tomorrow"}:
        return _day(base + timedelta(days=1))
    if text in {"this year", "last year", "next year"}:
        return _year_span(base.year + {"this year": 0, "last year": -1, "next year": 1}[text])
    if text in {"this week", "last week", "next week"}:  # as dateparser reads them: a week from a day
        first = base + timedelta(days={"this week": 0, "last week": -7, "next week": 7}[text])
        return TimeSpan(first.toordinal(), first.toordinal() + 6, "week")
    if text in {"this month", "last month", "next month"}:
        month = base.year * 12 + base.month - 1 + {"this month": 0, "last month": -1, "next month": 1}[text]
        return _month_span(month // 12, month % 12 + 1)
    weekday = _FAST_WEEKDAY.match(text)
    if weekday:
        return _day(base - timedelta(days=(base.weekday() - _WEEKDAYS.index(weekday.group(1))) % 7))
    return None


def _month_day(text: str, base: date | None) -> TimeSpan | None | bool:
    found = _FAST_DAY.match(text)
    if not found:
        return False
    month, number, year = _MONTHS[found.group(1)], int(found.group(2)), found.group(3)
    if year is None and base is None:
        return None
    try:
        if year is not None:
            return _day(date(int(year), month, number))
        assert base is not None
        moment = date(base.year, month, number)
        if moment > base + timedelta(days=1):  # "March 3" in a February article is last year's
            moment = date(base.year - 1, month, number)
    except ValueError:
        return None
    return _day(moment)


def fast_resolve(text: str, base: date | None) -> TimeSpan | None | bool:
    """The common news forms without dateparser (about 10x faster); False when ``text`` is none of them."""
    if re.fullmatch(r"(1[89]\d\d|20\d\d)", text):
        return _year_span(int(text))
    if base is not None:
        relative = _relative_to_base(text, base)
        if relative is not None:
            return relative
    day = _month_day(text, base)
    if day is not False:
        return day
    month_year = _FAST_MONTH_YEAR.match(text)
    if month_year:
        month, year = _MONTHS[month_year.group(1)], month_year.group(2)
        if year is not None:
            return _month_span(int(year), month)
        if base is None:
            return None
        return _month_span(base.year if month <= base.month else base.year - 1, month)
    return False


@lru_cache(maxsize=1)
def _parser() -> Any:
    from dateparser.date import DateDataParser  # heavy (about 1 s): loaded when first needed

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})


def load_date_parser() -> None:
    """dateparser imported and its first expression read now: a process's first use costs about 0.15 s of CPU
    (its imports, its parser, the expressions it compiles), which an addition spends on the other core while
    it reads the saved run. What later expressions resolve to does not depend on it."""
    _parsed("26 January 2022", None)


def _span_of(day: date, period: str) -> TimeSpan:
    if period == "year":
        return _year_span(day.year)
    if period == "month":
        return _month_span(day.year, day.month)
    if period == "week":
        return TimeSpan(day.toordinal(), day.toordinal() + 6, "week")
    return _day(day)


def _parsed(text: str, base: date | None) -> TimeSpan | None:
    reference = datetime(base.year, base.month, base.day, 12) if base else datetime(2100, 1, 1)
    parser = _parser()
    parser._settings.RELATIVE_BASE = reference  # noqa: SLF001 -- one parser reused; its settings are plain values
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    moment = data.date_obj
    if moment is None or moment.minute or moment.second:
        return None  # "the 1990s" and the like parse as a clock time: not a date
    return _span_of(moment.date(), data.period or "day")


@lru_cache(maxsize=65536)
def resolve_time(expression: str, base: date | None) -> TimeSpan | None:
    """ "on Wednesday", "last week", "in March 2022" -> the days meant, relative to ``base``.

    Args:
        expression: the text of a spaCy DATE entity.
        base: the article's publication date, or None when unknown (then only expressions naming a
            year resolve).

    Returns:
        The span of days, or None for durations, frequencies, vague spans and what cannot be read.
    """
    text = _LEADING.sub("", expression.lower().strip()).strip(" .,")
    if not text or _DURATION.match(text) or _VAGUE.search(text) or _VAGUE_WORDS.match(text):
        return None
    if base is None and not _YEAR.search(text):
        return None
    quick = fast_resolve(text, base)
    if quick is not False:
        return quick if isinstance(quick, TimeSpan) else None
    return _parsed(text, base)


def statement_times(entities: Iterable[tuple[str, str]], base: date | None) -> tuple[TimeSpan, ...]:
    """The resolved DATE entities of a statement (``Statement.entities``) against its article's date."""
    spans = (resolve_time(text, base) for text, label in entities if label == "DATE")
    return tuple(span for span in spans if span is not None)


def event_day(lead_times: Sequence[TimeSpan], published: date | None) -> int | None:
    """The day (ordinal) an article's event happened.

    The most named day-level date of its lead within ``EVENT_DAY_LOOKBACK_DAYS`` before publication
    (``named_event_day``), else the publication day; None when neither is known.
    """
    named = named_event_day(lead_times, published)
    if named is not None:
        return named
    return published.toordinal() if published else None


def named_event_day(lead_times: Sequence[TimeSpan], published: date | None) -> int | None:
    """The most named day-level date (ordinal) of an article's lead within ``EVENT_DAY_LOOKBACK_DAYS``
    before publication ("on Monday"), None when the lead names no such day."""
    floor = published.toordinal() - EVENT_DAY_LOOKBACK_DAYS if published else None
    ceiling = published.toordinal() + 1 if published else None
    days = Counter(
        span.first
        for span in lead_times
        if span.period == "day" and (floor is None or ceiling is None or floor <= span.first <= ceiling)
    )
    return days.most_common(1)[0][0] if days else None


def time_conflict(first: Sequence[TimeSpan], second: Sequence[TimeSpan], slack_days: int = 1) -> bool:
    """Whether both sides name a time of one granularity (day/week, or month/year) and none of them meet
    (day/week times more than ``slack_days`` apart)."""
    fine_first = [span for span in first if span.period in {"day", "week"}]
    fine_second = [span for span in second if span.period in {"day", "week"}]
    if fine_first and fine_second and not any(a.gap(b) <= slack_days for a in fine_first for b in fine_second):
        return True
    coarse_first = [span for span in first if span.period in {"month", "year"}]
    coarse_second = [span for span in second if span.period in {"month", "year"}]
    return bool(coarse_first and coarse_second) and not any(a.gap(b) == 0 for a in coarse_first for b in coarse_second)
