"""Dates written in other languages' words (Chinese, Japanese and Korean year-month-day, Japan's era years, Thai
Buddhist-era years; month names of Russian, Ukrainian, Spanish, French, German, Italian, Portuguese, Dutch, Polish,
Czech, Turkish, Greek, the Scandinavian languages and Indonesian) -> (year, month, day), without a library:
dateparser takes seconds to load its languages and reads "2024-W10-2" as 2024-10-02."""

from __future__ import annotations

import re

# Japan's era years (令和6年 is 2024; 元年 its first): Japanese sites and agencies date so, in the Gregorian year's place.
_ERA_START = {"令和": 2019, "平成": 1989, "昭和": 1926}
_ERA_RE = re.compile(
    r"(?P<era>令和|平成|昭和)\s*(?P<year>元|\d{1,2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日?"
)
# Thai dates count years from the Buddha (2567 is 2024), with Thai month names.
_THAI_MONTHS = {
    name: number
    for number, name in enumerate(
        "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม".split(), 1
    )
}
_THAI_RE = re.compile(rf"(?P<day>\d{{1,2}})\s*(?P<month>{'|'.join(_THAI_MONTHS)})\s*(?:พ\.ศ\.\s*)?(?P<year>\d{{4}})")
_BUDDHIST_ERA = 543
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
# Round 18: Dutch, Polish (genitive and nominative), Czech (genitive), Turkish, Ukrainian and Greek (genitive), the
# Scandinavian languages and Indonesian, as the twelve lines above.
_MORE_MONTH_WORDS = (
    "januari stycznia styczeń ledna ocak січня ιανουαρίου",
    "februari lutego luty února unora şubat subat лютого φεβρουαρίου",
    "maart marca marzec března brezna mart marts maret березня μαρτίου",
    "kwietnia kwiecień dubna nisan квітня απριλίου",
    "mei maja maj května kvetna mayıs mayis травня μαΐου μαιου",
    "czerwca czerwiec června cervna haziran червня ιουνίου",
    "lipca lipiec července cervence temmuz липня ιουλίου",
    "augustus sierpnia sierpień srpna ağustos agustos augusti серпня αυγούστου agustus",
    "września wrzesnia wrzesień září zari eylül eylul вересня σεπτεμβρίου",
    "października pazdziernika październik října rijna ekim жовтня οκτωβρίου",
    "listopada listopad listopadu kasım kasim листопада νοεμβρίου",
    "grudnia grudzień prosince aralık aralik грудня δεκεμβρίου desember",
)
_MONTHS = {
    name: number
    for words in (_MONTH_WORDS, _MORE_MONTH_WORDS)
    for number, names in enumerate(words, 1)
    for name in names.split()
}
_NAMED_RE = re.compile(
    rf"(?<!\w)(?P<day>\d{{1,2}})(?:er|º|°|\.)?\s+(?:de\s+)?(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})"
    r"\.?,?\s+(?:del?\s+)?(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)


def foreign_ymd(text: str) -> tuple[str, str, str] | None:
    """(year, month, day) of a date written with another language's words, or None."""
    match = _ERA_RE.search(text)
    if match:
        year = match.group("year")
        number = _ERA_START[match.group("era")] + (1 if year == "元" else int(year)) - 1
        return str(number), match.group("month"), match.group("day")
    match = _THAI_RE.search(text)
    if match:
        year = int(match.group("year"))
        year -= _BUDDHIST_ERA if year > 2400 else 0  # noqa: PLR2004 (a Buddhist-era year; a few write the Gregorian)
        return str(year), str(_THAI_MONTHS[match.group("month")]), match.group("day")
    match = _CJK_RE.search(text)
    if match:
        return match.group("year"), match.group("month"), match.group("day")
    match = _NAMED_RE.search(text)
    if match:
        return match.group("year"), str(_MONTHS[match.group("month").lower()]), match.group("day")
    return None
