"""Tables as CSV for spreadsheets: article text that a spreadsheet would run as a formula is quoted."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when it starts as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return): outlet names, headlines and statements come from articles, and a spreadsheet opening the CSV would
    run ``=HYPERLINK("https://…")`` or ``=WEBSERVICE(…)`` (OWASP's "CSV injection"). Excel and LibreOffice show
    the text without the quote."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_bytes(frame: Any) -> bytes:
    """A DataFrame as UTF-8 CSV, its text cells made ``spreadsheet_safe`` (numbers stay numbers)."""
    return (
        frame.map(lambda value: spreadsheet_safe(value) if isinstance(value, str) else value)
        .to_csv(index=False)
        .encode("utf-8")
    )
