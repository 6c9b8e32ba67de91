"""Tables as CSV for spreadsheets: article text that a spreadsheet would run as a formula is quoted, fractions
rounded to what a reader needs."""

from __future__ import annotations

import numbers
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Decimals a chart's CSV keeps of a fraction: a share to a hundredth of a percent (0.1379, not 0.13793103448275862),
# a tone or a similarity on -1..1, a map position; counts are whole numbers and stay exact.
DECIMALS = 4


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when it starts as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return): outlet names, headlines and statements come from articles, and a spreadsheet opening the CSV would
    run ``=HYPERLINK("https://…")`` or ``=WEBSERVICE(…)`` (OWASP's "CSV injection"). Excel and LibreOffice show
    the text without the quote."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def reader_number(value: Any) -> Any:
    """A fraction rounded to ``DECIMALS`` places; whole numbers (counts) and anything not a number as they are."""
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return round(float(value), DECIMALS)
    return value


def csv_bytes(frame: Any) -> bytes:
    """A DataFrame as UTF-8 CSV, its text cells made ``spreadsheet_safe``, its fractions ``reader_number``s."""
    return (
        frame.map(lambda value: spreadsheet_safe(value) if isinstance(value, str) else reader_number(value))
        .to_csv(index=False)
        .encode("utf-8")
    )
