"""Dates as given in metadata (strings, numbers, Parquet dates) -> ISO dates, with a note for every value not used as is."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from compare.ingest.month_names import foreign_ymd

# The oldest newspapers are of 1605 (Strasbourg's "Relation"), so an earlier year is a placeholder (0001-01-01, 1582-10-15
# where UUID time starts) or a typo; the placeholders after it are named in _PLACEHOLDERS. An 1850 archive is read.
EARLIEST_YEAR = 1600
MAX_OFFSET = timedelta(hours=14)  # the widest UTC offset in use (Kiribati, +14:00); -12:00 the other way

DateOrder = Literal["day-first", "month-first"]

_MONTH_NAMES = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_TIME = r"(?P<time>\d{1,2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)"
_ZONE = r"(?P<zone>Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)"
_ISO_RE = re.compile(
    rf"(?<![\d.])(?P<year>[+-]?\d{{4,6}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})"
    rf"(?:(?:T|\s+){_TIME}(?:\s*{_ZONE})?|(?P<bare_zone>Z))?(?![\d])",
    re.IGNORECASE,
)
_ISO_BASIC_RE = re.compile(
    rf"^(?P<year>\d{{4}})(?P<month>\d{{2}})(?P<day>\d{{2}})(?:T{_TIME}{_ZONE}?)?$", re.IGNORECASE
)
_SLASHED_YEAR_FIRST_RE = re.compile(r"(?<![\d.])(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})(?![\d])")
_NUMERIC_RE = re.compile(
    r"(?<![\d./-])(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?![\d./-])"
)


def _text_date_re(year: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month1>{_MONTH_NAMES})\.?,?\s+(?P<year1>{year})"
        rf"|(?P<month2>{_MONTH_NAMES})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>{year}))(?!\d|:\d)",
        re.IGNORECASE,
    )


_TEXT_RE = _text_date_re(r"\d{4}|\d{2}")  # a date value: "5 Mar 24" is 2024-03-05
_TEXT_IN_PROSE_RE = _text_date_re(r"\d{4}")  # in prose, "March 5, 24 people" is no date
_TRAILING_OFFSET_RE = re.compile(r"\s(?P<zone>[+-]\d{2}:?\d{2})\s*$")


@dataclass(frozen=True)
class DateReading:
    """What one given date value yields.

    ``iso`` is the date to use (None when there is none); ``note`` says why a value could not be used
    (``iso`` None) or how an uncertain one was read. A numeric date such as 31/12/2024 records the
    ``order`` it shows; an ambiguous one (03/05/2024) is read day-first in ``iso``, with the
    month-first reading in ``month_first``, so that a reader of a whole file can follow the file's
    unambiguous dates instead.
    """

    value: str
    iso: str | None
    note: str | None = None
    order: DateOrder | None = None
    month_first: str | None = None


@dataclass(frozen=True)
class OutOfRange:
    """A date a table holds that Python cannot represent (a Parquet date in the year 10000 or later)."""

    shown: str


def latest_year() -> int:
    """The latest plausible publication year: next year (clocks and time zones run a little ahead)."""
    return date.today().year + 1


def read_date(value: object) -> DateReading | None:
    """Reads a publication date given as a string, a number (Unix time, YYYYMMDD), a date or a datetime.

    Returns:
        None when there is no value (None, empty, NaN); otherwise a reading whose ``note`` names the
        value when it cannot be used (out of range, impossible, unreadable, a placeholder for a missing
        date) or was read with a guess.
    """
    reading = _read(value)
    if reading is None or reading.iso is None or date.fromisoformat(reading.iso) not in _PLACEHOLDERS:
        return reading
    stands_for = _PLACEHOLDERS[date.fromisoformat(reading.iso)]
    return DateReading(
        reading.value, None, f"date '{reading.value}' is {stands_for}, which software writes for a missing date"
    )


def _read(value: object) -> DateReading | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, OutOfRange):
        return DateReading(value.shown, None, _out_of_range(value.shown))
    if isinstance(value, datetime):  # before date: a datetime is a date
        return _checked(str(value), value.date())
    if isinstance(value, date):
        return _checked(value.isoformat(), value)
    if isinstance(value, bool):
        return DateReading(str(value).lower(), None, f"date '{str(value).lower()}' is a boolean, not a date")
    if isinstance(value, (int, float, Decimal)):
        return _from_number(value, _shown(value)[:60])
    if not isinstance(value, (str, bytes, bytearray)):
        return _from_other(value)
    text = (value if isinstance(value, str) else bytes(value).decode("utf-8", errors="replace")).strip()
    if not text:
        return None
    return _from_text(text)


def _from_other(value: object) -> DateReading | None:
    """A value of no date type: MongoDB's extended-JSON date is read, anything else named."""
    if isinstance(value, Mapping) and "$date" in value:
        return _extended_json_date(value["$date"])
    shown = str(value)[:60]
    return DateReading(shown, None, f"date '{shown}' is a {type(value).__name__}, not a date")


def _extended_json_date(inner: object) -> DateReading | None:
    """A MongoDB extended-JSON date (mongoexport's ``{"$date": ...}``): an ISO string, or milliseconds
    since 1970 as a number or as ``{"$numberLong": "..."}``."""
    if isinstance(inner, Mapping) and "$numberLong" in inner:
        inner = inner["$numberLong"]
    if isinstance(inner, str) and re.fullmatch(r"\s*[+-]?\d{1,19}\s*", inner):
        inner = int(inner)
    if isinstance(inner, (int, float, Decimal)) and not isinstance(inner, bool):
        shown = f"{_shown(inner)} ms"
        try:
            moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=float(inner))
        except (OverflowError, ValueError):  # also NaN and infinity
            return DateReading(shown, None, _out_of_range(shown))
        return _checked(shown, moment.date())
    return read_date(inner)


def _shown(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# How C's ctime, the Unix date command and Twitter's API write a moment: "Wed Apr 03 10:00:00 +0000 2024".
_CTIME_RE = re.compile(
    rf"^(?:[a-z]{{3}},?\s+)?(?P<month>{_MONTH_NAMES})\s+(?P<day>\d{{1,2}})\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
    r"(?:\s+(?:[A-Z]{2,5}|[+-]\d{4}))?\s+(?P<year>\d{4})$",
    re.IGNORECASE,
)
# A missing value as database exports write it: \N (MySQL's and PostgreSQL's NULL in text exports).
NULL_MARKS = frozenset({"\\N"})
# MySQL's "zero date", which it stores for a missing or invalid date.
_ZERO_DATE_RE = re.compile(r"0000-00-00(?:[ T]00:00:00(?:\.0+)?)?")


def _from_text(text: str) -> DateReading | None:
    shown = text if len(text) <= 60 else text[:57] + "..."
    if text in NULL_MARKS:
        return None
    if _ZERO_DATE_RE.fullmatch(text):
        return DateReading(shown, None, f"date '{shown}' is MySQL's zero date, which it writes for a missing date")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return _from_number(Decimal(text), shown)
    match = _CTIME_RE.match(text)
    if match:
        return _ymd(shown, match.group("year"), str(_month_number(match.group("month"))), match.group("day"), None)
    match = _ISO_BASIC_RE.match(text)
    if match:
        return _ymd(shown, match.group("year"), match.group("month"), match.group("day"), match)
    match = _NUMERIC_RE.search(text)
    if match and not _ISO_RE.search(text):
        return _numeric(shown, match)
    reading = _search(text, shown, _TEXT_RE) or _other_form(text, shown)
    if reading:
        return reading
    if re.search(rf"\b({_MONTH_NAMES})\b\.?,?\s+\d{{4}}\b", text, re.IGNORECASE):
        return DateReading(shown, None, f"date '{shown}' names a month but no day")
    day_of_month = (
        rf"(?:({_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES}))"
    )
    if re.fullmatch(rf"\W*{day_of_month}\W*", text, re.IGNORECASE):
        return DateReading(shown, None, f"date '{shown}' names a day but no year")
    return DateReading(shown, None, f"date '{shown}' is not a date Parallax can read (write YYYY-MM-DD)")


# ISO week dates, and dates relative to when a page was saved (which a file does not say).
_ISO_WEEK_RE = re.compile(r"^(?P<year>\d{4})-?W(?P<week>\d{2})(?:-?(?P<weekday>[1-7]))?$", re.IGNORECASE)
_RELATIVE_RE = re.compile(
    r"^(?:updated\s+|published\s+|posted\s+)?(?:(?:today|yesterday|just now|now|tonight|this (?:morning|evening))|"
    r"(?:an?|\d+)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago|last (?:week|month|year|night))\W*$",
    re.IGNORECASE,
)


def _other_form(text: str, shown: str) -> DateReading | None:
    """A date in a form ``_search`` does not read, or why it is none; None when it is no such form."""
    foreign = foreign_ymd(text)
    if foreign:
        return _ymd(shown, *foreign, None)
    match = _ISO_WEEK_RE.match(text.strip())
    if match:
        if not match.group("weekday"):
            return DateReading(shown, None, f"date '{shown}' names a week but no day")
        try:
            day = date.fromisocalendar(int(match.group("year")), int(match.group("week")), int(match.group("weekday")))
        except ValueError:
            return DateReading(shown, None, f"date '{shown}' is not a valid calendar date")
        return _checked(shown, day)
    if _RELATIVE_RE.match(text.strip()):
        return DateReading(
            shown, None, f"date '{shown}' is relative to when the page was saved, which the file does not say"
        )
    return None


def search_date(line: str) -> DateReading | None:
    """The first date written in a line of prose: ISO (with a time and offset or not), YYYY/MM/DD,
    '5 March 2024' or 'March 5, 2024'; None when the line holds none."""
    return _search(line, line.strip()[:60], _TEXT_IN_PROSE_RE)


def _search(text: str, shown: str, text_date_re: re.Pattern[str]) -> DateReading | None:
    match = _ISO_RE.search(text)
    if match:
        return _ymd(shown, match.group("year"), match.group("month"), match.group("day"), match)
    match = _SLASHED_YEAR_FIRST_RE.search(text)
    if match:
        return _ymd(shown, match.group("year"), match.group("month"), match.group("day"), None)
    match = text_date_re.search(text)
    if not match:
        return None
    day = match.group("day1") or match.group("day2")
    month = match.group("month1") or match.group("month2")
    year = match.group("year1") or match.group("year2")
    reading = _ymd(shown, str(_full_year(year)), str(_month_number(month)), day, None)
    offset = _TRAILING_OFFSET_RE.search(text)
    if reading.iso and offset:
        return _with_offset_note(reading, offset.group("zone"))
    return reading


def _from_number(number: int | float | Decimal, shown: str) -> DateReading:
    """A number: YYYYMMDD, or Unix time in seconds, milliseconds, microseconds or nanoseconds."""
    if isinstance(number, float) and math.isinf(number):
        return DateReading(shown, None, f"date '{shown}' is not a date")
    if abs(Decimal(number)) >= 10**19:  # beyond nanoseconds since 1970 in 64 bits (and str() of huge ints raises)
        return DateReading(shown, None, _out_of_range(shown))
    digits = len(str(abs(int(number))))
    if digits in (8, 14) and int(number) > 0:  # YYYYMMDD, and GDELT's YYYYMMDDHHMMSS (as milliseconds, after 2286)
        text = str(int(number))
        reading = _ymd(shown, text[:4], text[4:6], text[6:8], None)
        if reading.iso and (digits == 8 or _valid_time(f"{text[8:10]}:{text[10:12]}:{text[12:]}")):
            return reading
    if digits == 5 and number > 0:
        return _spreadsheet_day(number, shown)
    if digits <= 4:
        kind = "a year" if digits == 4 and int(number) > 0 else "a small number"
        return DateReading(shown, None, f"date '{shown}' is only {kind}, not a date")
    scale = 1 if digits <= 11 else 1_000 if digits <= 14 else 1_000_000 if digits <= 17 else 1_000_000_000
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=float(Decimal(number) / scale))
    except (OverflowError, ValueError):
        return DateReading(shown, None, _out_of_range(shown))
    return _checked(shown, moment.date())


def _spreadsheet_day(number: int | float | Decimal, shown: str) -> DateReading:
    """A five-digit number as a spreadsheet's day number (Excel and LibreOffice count days from 1899-12-30; a date
    cell saved to CSV as a number, 45385 for 2024-04-03). As Unix seconds it was a time on 1970-01-01: never a
    publication date, so the reading is not in doubt; the note says how it was read."""
    day = date(1899, 12, 30) + timedelta(days=int(number))
    reading = _checked(shown, day)
    if reading.iso is None:
        return reading
    note = f"date '{shown}' read as a spreadsheet's day number (days since 1899-12-30, as Excel counts): {reading.iso}"
    return DateReading(shown, reading.iso, note)


def _numeric(shown: str, match: re.Match[str]) -> DateReading:
    """DD/MM/YYYY or MM/DD/YYYY (also with '.' or '-'): the order is what the numbers allow."""
    first, second = int(match.group("first")), int(match.group("second"))
    year = _full_year(match.group("year"))
    if not EARLIEST_YEAR <= year <= latest_year():
        return DateReading(shown, None, _out_of_range(shown))
    day_first = _iso_or_none(year, second, first)
    month_first = _iso_or_none(year, first, second)
    year_first = _year_first(match)
    if day_first is None and month_first is None:
        if year_first:  # "99-12-31"
            return DateReading(shown, year_first)
        return DateReading(shown, None, f"date '{shown}' is not a valid calendar date")
    if year_first and (day_first is None) != (month_first is None) and year_first != (day_first or month_first):
        read = day_first or month_first  # "24-03-05": 24 March 2005, or 2024-03-05?
        note = f"date '{shown}' could be {read} or, its two-digit year first, {year_first}; read as {read}"
        return DateReading(shown, read, f"{note} (write YYYY-MM-DD to be sure)")
    if day_first is None:
        return DateReading(shown, month_first, order="month-first")
    if month_first is None:
        return DateReading(shown, day_first, order="day-first")
    if first == second or match.group("sep") == ".":  # dotted dates (03.05.2024) are day-first everywhere
        return DateReading(shown, day_first)
    note = f"date '{shown}' could be day or month first; read day-first as {day_first} (write YYYY-MM-DD to be sure)"
    return DateReading(shown, day_first, note, month_first=month_first)


def _year_first(match: re.Match[str]) -> str | None:
    """The YY-MM-DD reading of a dashed date of two-digit numbers (as some software writes 2024-03-05), if valid."""
    if match.group("sep") != "-" or len(match.group("first")) != 2 or len(match.group("year")) != 2:
        return None
    year = _full_year(match.group("first"))
    if not EARLIEST_YEAR <= year <= latest_year():
        return None
    return _iso_or_none(year, int(match.group("second")), int(match.group("year")))


def _full_year(text: str) -> int:
    """A year; two digits mean 19yy or 20yy, whichever is not in the future."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= latest_year() else 1900
    return year


def _ymd(shown: str, year_text: str, month_text: str, day_text: str, match: re.Match[str] | None) -> DateReading:
    year, month, day = int(year_text), int(month_text), int(day_text)
    if not EARLIEST_YEAR <= year <= latest_year():
        return DateReading(shown, None, _out_of_range(shown))
    iso = _iso_or_none(year, month, day)
    if iso is None:
        return DateReading(shown, None, f"date '{shown}' is not a valid calendar date")
    reading = DateReading(shown, iso)
    if match is None:
        return reading
    groups = match.groupdict()
    time = groups.get("time")
    if time and not _valid_time(time):
        return DateReading(shown, iso, f"date '{shown}' has an impossible time of day; read as {iso}")
    zone = groups.get("zone")
    if zone:
        return _with_offset_note(reading, zone)
    return reading


def _valid_time(text: str) -> bool:
    digits = re.sub(r"[.,]\d+$", "", text).replace(":", "")
    if len(digits) % 2:
        digits = "0" + digits
    hour, minute, second = (int(digits[i : i + 2]) if len(digits) > i else 0 for i in (0, 2, 4))
    return (hour < 24 or hour == 24 and minute == second == 0) and minute < 60 and second <= 60


def _with_offset_note(reading: DateReading, zone: str) -> DateReading:
    """The reading, with a note when its UTC offset cannot exist (beyond -12:00 .. +14:00, or minutes past 59)."""
    match = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", zone)
    if not match:
        return reading  # Z, UTC, GMT
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    possible = minutes < 60 and (offset <= MAX_OFFSET if match.group(1) == "+" else offset <= timedelta(hours=12))
    if possible:
        return reading
    return DateReading(
        reading.value,
        reading.iso,
        f"date '{reading.value}' has an impossible UTC offset ({zone}); read as {reading.iso}, the date as written",
    )


def _checked(shown: str, day: date) -> DateReading:
    if not EARLIEST_YEAR <= day.year <= latest_year():
        return DateReading(shown, None, _out_of_range(shown))
    return DateReading(shown, day.isoformat())


# Dates that stand for none: a null timestamp exported as Unix time 0 (the day before, west of Greenwich), the
# first day Excel and SQL Server count from, the day 0 of OLE Automation dates (Excel's VBA, Delphi, .NET's OADate,
# Access) and of Excel's serial numbers (1900-01-00, shown as 1899-12-31), SQL Server's earliest `datetime` and
# Windows' FILETIME 0. Taken as dates, they put an article decades or centuries away from its event.
_PLACEHOLDERS = {
    date(1970, 1, 1): "the Unix epoch (time 0)",
    date(1969, 12, 31): "the Unix epoch (time 0) west of Greenwich",
    date(1900, 1, 1): "the first day Excel and SQL Server count from",
    date(1899, 12, 31): "Excel's day 0 (1900-01-00)",
    date(1899, 12, 30): "the day 0 of OLE Automation dates (Excel's VBA, Access, Delphi, .NET)",
    date(1753, 1, 1): "the earliest date SQL Server's datetime holds",
    date(1601, 1, 1): "the day Windows' file times count from (FILETIME 0)",
}


def _out_of_range(shown: str) -> str:
    return f"date '{shown}' is out of range (years {EARLIEST_YEAR}-{latest_year()})"


def _iso_or_none(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
        name[:3].lower()
    ) + 1
