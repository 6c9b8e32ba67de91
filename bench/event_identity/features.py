"""Pure pair features for event identity: anchors (shared and conflicting), event time, boilerplate.

Everything here is a typed function of statements, articles and arrays, so it can move into
``compare/cluster/`` as is. Nothing forms an n x n matrix: pair features are computed for given
candidate pairs (k-NN neighbours, shared anchors).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np

from compare.model.documents import Article, Statement
from compare.segment.mentions import normalise_name, number_kind, parse_number
from compare.segment.times import TimeSpan, _month_span, _year_span  # the product's, shared with this research code

# ---------------------------------------------------------------- anchors

PERSON_LABELS = frozenset({"PERSON"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})


@dataclass(frozen=True)
class Anchors:
    """What a statement (or an article's lead) names, normalised, by kind."""

    names: frozenset[str]  # all named entities (PERSON, ORG, GPE, ...), lower-case, no article
    persons: frozenset[str]  # person surnames
    places: frozenset[str]  # GPE / LOC / FAC
    numbers: frozenset[tuple[str, float]]  # (kind, value): kind = label + unit word, e.g. ("CARDINAL:people", 12)
    years: frozenset[int]  # explicit four-digit years 1900-2099 in DATE entities

    @property
    def number_values(self) -> frozenset[str]:
        """Numbers as plain strings (for shared-anchor rarity)."""
        return frozenset(f"{value:g}" for _, value in self.numbers)


def statement_anchors(statement: Statement) -> Anchors:
    """Names, persons, places, typed numbers and explicit years a statement mentions."""
    names, persons, places, years = set(), set(), set(), set()
    numbers: set[tuple[str, float]] = set()
    for text, label in statement.entities:
        if label in NAME_LABELS:
            name = normalise_name(text)
            if not name:
                continue
            names.add(name)
            if label in PERSON_LABELS:
                persons.add(name.split()[-1])
            elif label in PLACE_LABELS:
                places.add(name)
        elif label in NUMBER_LABELS:
            value = parse_number(text)
            if value is not None and not (label == "CARDINAL" and 1900 <= value <= 2099 and "," not in text):
                numbers.add((number_kind(label, text, statement.text), value))
        elif label == "DATE":
            years.update(int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", text))
    return Anchors(frozenset(names), frozenset(persons), frozenset(places), frozenset(numbers), frozenset(years))


def merge_anchors(many: Sequence[Anchors]) -> Anchors:
    """The union of several statements' anchors (an article's lead, an article)."""
    return Anchors(
        frozenset().union(*(a.names for a in many)),
        frozenset().union(*(a.persons for a in many)),
        frozenset().union(*(a.places for a in many)),
        frozenset().union(*(a.numbers for a in many)),
        frozenset().union(*(a.years for a in many)),
    )


def set_conflict(first: frozenset, second: frozenset) -> float:  # type: ignore[type-arg]
    """1 when both sides name something of a kind and share none of it, 0 when either is empty or they share one."""
    if not first or not second:
        return 0.0
    return 0.0 if first & second else 1.0


def number_conflict(first: frozenset[tuple[str, float]], second: frozenset[tuple[str, float]]) -> float:
    """1 when the two sides give a number of one kind (unit) and no value of that kind agrees (within 1%)."""
    kinds_first: dict[str, set[float]] = defaultdict(set)
    kinds_second: dict[str, set[float]] = defaultdict(set)
    for kind, value in first:
        kinds_first[kind].add(value)
    for kind, value in second:
        kinds_second[kind].add(value)
    # A bare count without a unit ("CARDINAL") is too vague to conflict.
    common = [kind for kind in kinds_first if kind in kinds_second and (":" in kind or kind in {"MONEY", "PERCENT"})]
    for kind in common:
        if not any(
            abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9) for a in kinds_first[kind] for b in kinds_second[kind]
        ):
            return 1.0
    return 0.0


def rare_weight(documents_naming: int) -> float:
    """compare.cluster.anchor_weight: 1 for an anchor named in two documents, 1/(d-1) beyond."""
    return 1.0 / max(1, documents_naming - 1)


def shared_rare(first: frozenset[str], second: frozenset[str], frequency: dict[str, int]) -> float:
    """The rarity weight of the rarest anchor both sides name (0 if none)."""
    shared = first & second
    return max((rare_weight(frequency.get(anchor, 2)) for anchor in shared), default=0.0)


def shared_rare_sum(first: frozenset[str], second: frozenset[str], frequency: dict[str, int]) -> float:
    """The summed rarity weights of the anchors both sides name."""
    return float(sum(rare_weight(frequency.get(anchor, 2)) for anchor in first & second))


def anchor_frequencies(per_document: Sequence[frozenset[str]]) -> dict[str, int]:
    """anchor -> in how many documents it occurs."""
    counts: Counter[str] = Counter()
    for found in per_document:
        counts.update(found)
    return dict(counts)


# ---------------------------------------------------------------- event time

_DURATION = re.compile(
    r"^(?:the\s+)?(?:(?:past|first|coming|several|few|\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|many|some|more than|nearly|about|almost|over|at least|more)\s+)+(?:-?\s*)?"
    r"(?:day|week|month|year|decade|hour|minute|century|quarter)s?(?:\s+(?:long|old))?$"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})


def is_absolute(expression: str) -> bool:
    """Whether a time expression fixes its date without a reference day (it names a year)."""
    return bool(re.search(r"\b(1[89]\d\d|20\d\d)\b", expression))


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
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
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FAST_DAY = re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$")
_FAST_MONTH_YEAR = re.compile(rf"^{_MONTH}(?:,?\s+(?:of\s+)?(\d{{4}}))?$")
_FAST_WEEKDAY = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening|night))?$"
)


def fast_resolve(text: str, base: date | None) -> TimeSpan | None | bool:
    """The common news forms without dateparser (10x faster); False when the form is not one of them."""
    if re.fullmatch(r"(1[89]\d\d|20\d\d)", text):
        return _year_span(int(text))
    if base is not None:
        if text in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
            return TimeSpan(base.toordinal(), base.toordinal(), "day")
        if text in {"yesterday", "last night"}:
            return TimeSpan(base.toordinal() - 1, base.toordinal() - 1, "day")
        if text in {"this year", "last year"}:
            return _year_span(base.year - (text == "last year"))
        weekday = _FAST_WEEKDAY.match(text)
        if weekday:
            back = (base.weekday() - _WEEKDAYS.index(weekday.group(1))) % 7
            return TimeSpan(base.toordinal() - back, base.toordinal() - back, "day")
    day = _FAST_DAY.match(text)
    if day:
        month, number, year = _MONTHS[day.group(1)], int(day.group(2)), day.group(3)
        if year is None and base is None:
            return None
        try:
            if year is not None:
                moment = date(int(year), month, number)
            else:
                moment = date(base.year, month, number)  # type: ignore[union-attr]
                if moment > base + timedelta(days=1):  # type: ignore[operator]
                    moment = date(base.year - 1, month, number)  # type: ignore[union-attr]
        except ValueError:
            return None
        return TimeSpan(moment.toordinal(), moment.toordinal(), "day")
    month_year = _FAST_MONTH_YEAR.match(text)
    if month_year:
        month, year = _MONTHS[month_year.group(1)], month_year.group(2)
        if year is not None:
            return _month_span(int(year), month)
        if base is None:
            return None
        return _month_span(base.year if month <= base.month else base.year - 1, month)
    return False


@lru_cache(maxsize=65536)
def resolve_time(expression: str, base: date | None) -> TimeSpan | None:
    """ "on Wednesday", "last week", "in March 2022" -> the days meant, relative to ``base`` (the article's date).

    Without a base only absolute expressions (naming a year) resolve. Durations ("three years"),
    frequencies ("daily") and vague spans ("the past decade", "the 1990s") give None.

    Args:
        expression: the text of a spaCy DATE entity.
        base: the article's publication date, or None when unknown.
    """
    text = re.sub(
        r"^(?:on|in|at|by|since|until|from|during|early|late|mid|this past)\s+", "", expression.lower().strip()
    )
    text = text.strip(" .,")
    if not text or _DURATION.match(text) or re.search(r"\b\d0s\b|decade|century|daily|weekly|annual|era|age\b", text):
        return None
    if base is None and not is_absolute(text):
        return None
    quick = fast_resolve(text, base)
    if quick is not False:
        return quick  # type: ignore[return-value]
    reference = datetime(base.year, base.month, base.day, 12) if base else datetime(2100, 1, 1)
    parser = _parser()
    parser._settings.RELATIVE_BASE = reference  # noqa: SLF001 (one parser, cheap to reuse; settings are plain)
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    moment = data.date_obj
    if moment is None:
        return None
    if moment.minute or moment.second:
        return None  # "the 1990s" and the like parse as a clock time: not a date
    day = moment.date()
    period = data.period or "day"
    if base and text in _WEEKDAYS and (base - day).days == 7:
        day = base  # "on Wednesday" in a Wednesday article is that day, not a week before
    if period == "year":
        return TimeSpan(date(day.year, 1, 1).toordinal(), date(day.year, 12, 31).toordinal(), "year")
    if period == "month":
        first = date(day.year, day.month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return TimeSpan(first.toordinal(), last.toordinal(), "month")
    if period == "week":
        return TimeSpan(day.toordinal(), day.toordinal() + 6, "week")
    return TimeSpan(day.toordinal(), day.toordinal(), "day")


def statement_times(statement: Statement, base: date | None) -> tuple[TimeSpan, ...]:
    """The resolved DATE entities of a statement (only the entities spaCy already found: cheap)."""
    spans = (resolve_time(text, base) for text, label in statement.entities if label == "DATE")
    return tuple(span for span in spans if span is not None)


def publication_day(article: Article) -> date | None:
    """The article's publication date, None when unknown (then flag the article)."""
    if not article.published:
        return None
    try:
        return date.fromisoformat(article.published[:10])
    except ValueError:
        return None


def article_event_day(lead_times: Sequence[TimeSpan], published: date | None) -> int | None:
    """The day an article's event happened: the most named day-level date of its lead (title and first
    statements) within 60 days before publication, else the publication day; None when neither is known."""
    floor = published.toordinal() - 60 if published else None
    ceiling = published.toordinal() + 1 if published else None
    days = Counter(
        span.first
        for span in lead_times
        if span.period == "day" and (floor is None or floor <= span.first <= ceiling)  # type: ignore[operator]
    )
    if days:
        return days.most_common(1)[0][0]
    return published.toordinal() if published else None


def time_conflict(first: Sequence[TimeSpan], second: Sequence[TimeSpan], slack_days: int = 1) -> float:
    """1 when both name a time of one granularity (day/week, or year) and no two of them overlap (within slack)."""
    fine_first = [s for s in first if s.period in {"day", "week"}]
    fine_second = [s for s in second if s.period in {"day", "week"}]
    if fine_first and fine_second and not any(a.gap(b) <= slack_days for a in fine_first for b in fine_second):
        return 1.0
    coarse_first = [s for s in first if s.period in {"month", "year"}]
    coarse_second = [s for s in second if s.period in {"month", "year"}]
    if coarse_first and coarse_second and not any(a.gap(b) == 0 for a in coarse_first for b in coarse_second):
        return 1.0
    return 0.0


def time_gap_days(first: Sequence[TimeSpan], second: Sequence[TimeSpan]) -> float:
    """The smallest gap in days between day/week-level times of the two sides; NaN if either has none."""
    fine_first = [s for s in first if s.period in {"day", "week"}]
    fine_second = [s for s in second if s.period in {"day", "week"}]
    if not fine_first or not fine_second:
        return math.nan
    return float(min(a.gap(b) for a in fine_first for b in fine_second))


# ---------------------------------------------------------------- boilerplate

# Formulas that are generic wherever they appear (credits, sign-up lines, datelines, page furniture).
BOILERPLATE_PATTERNS = re.compile(
    r"^(?:sign up|subscribe|click here|read more|watch:|related:|share this|advertisement)\b|"
    r"\bnewsletter\b|follow (?:us|him|her) on (?:twitter|facebook)|all rights reserved|\bcopyright\b|©|"
    r"\bphoto(?:graph)?(?: by| credit)?\s*:|^\(?(?:getty images|ap photo|reuters)\)?$|"
    r"contributed (?:to )?(?:this|reporting)|^(?:additional )?reporting by|editing by|"
    r"this (?:story|article) (?:has been|was) updated|"
    r"^(?:[A-Z][A-Za-z. ]+\s)?\((?:AP|Reuters|AFP)\)\s*[-—–]?\s*$|^[A-Z]{3,}[A-Z ,.]*\s[-—–]\s*$|"
    r"\babout us\b|\bprivacy policy\b|\bterms of (?:use|service)\b",
    re.IGNORECASE,
)
# "No comment" formulas are generic only in a short statement; in a long one they wrap news.
NO_COMMENT = re.compile(
    r"did(?: not|n't) (?:immediately )?(?:respond|return|reply)|(?:declined|refused) (?:to )?comment|"
    r"could not be reached|request for comment|not immediately available for comment",
    re.IGNORECASE,
)
NO_COMMENT_MAX_WORDS = 25


def boilerplate_by_pattern(text: str) -> bool:
    """Whether a statement matches the small list of generic formulas (no comment, sign-up, credits, datelines)."""
    text = text.strip()
    if BOILERPLATE_PATTERNS.search(text):
        return True
    return bool(NO_COMMENT.search(text)) and len(text.split()) <= NO_COMMENT_MAX_WORDS


def normalise_statement(text: str) -> str:
    """Lower-case words only, digits replaced: the key under which repeated boilerplate is counted."""
    return " ".join(re.sub(r"\d+", "0", word) for word in re.findall(r"[a-z0-9]+", text.lower()))


def boilerplate_flags(statements: Sequence[Statement], min_articles: int = 3, min_share: float = 0.2) -> np.ndarray:
    """Flags generic statements: a pattern match, or the same (normalised) text in several articles of one outlet.

    A sentence an outlet prints in ``min_articles`` or more of its articles (and at least ``min_share``
    of them when the outlet has few) is its furniture ("about us", sign-up lines), not news.

    Returns:
        A boolean per statement.
    """
    outlet_articles: dict[str, set[str]] = defaultdict(set)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    keys = []
    for statement in statements:
        key = normalise_statement(statement.text)
        keys.append(key)
        outlet_articles[statement.outlet].add(statement.article_id)
        seen[(statement.outlet, key)].add(statement.article_id)
    flags = np.zeros(len(statements), dtype=bool)
    for row, (statement, key) in enumerate(zip(statements, keys)):
        repeats = len(seen[(statement.outlet, key)])
        total = len(outlet_articles[statement.outlet])
        repeated = len(key) >= 20 and repeats >= min_articles and repeats >= min_share * min(total, 10)
        flags[row] = repeated or boilerplate_by_pattern(statement.text) or len(key.split()) < 4
    return flags
