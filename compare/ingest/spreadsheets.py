"""An Excel workbook (.xlsx, .xlsm) -> each sheet as the CSV text "Save as CSV" would give, or why none.

A researcher's table of articles is most often a spreadsheet; it was "unsupported file type .xlsx (save it as CSV)".
A sheet's text is then read as a CSV file's is (``compare.ingest.tables``): one reading of a table's header, its
delimiter-free cells, its empty rows and its columns per outlet. openpyxl (MIT, pure Python, pandas' reader of .xlsx)
is imported only here, when a workbook is read: the CLI starts without it.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import NamedTuple

from compare.ingest.documents import OLE_MAGIC, package_members
from compare.ingest.formats import MAX_BUNDLE_BYTES


class Sheet(NamedTuple):
    """One sheet of a workbook: its name and its cells as CSV text (the first row its header)."""

    name: str
    csv_text: str


class Workbook(NamedTuple):
    """The sheets of a workbook holding any cell, or why it cannot be read (``problem``)."""

    sheets: list[Sheet]
    problem: str | None = None


def workbook_sheets(raw: bytes) -> Workbook:
    """The sheets of an .xlsx file's bytes, each as CSV text, in the workbook's order; never raises for a bad file.

    Formulas give the value Excel saved with them (a formula never calculated gives an empty cell); a date cell its
    ISO date, so that the reader of dates sees what the sheet shows, not Excel's day number.
    """
    problem = _package_problem(raw)
    if problem:
        return Workbook([], problem)
    from openpyxl import load_workbook  # only when a workbook is read

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 (openpyxl raises many types for a damaged file)
        detail = (str(error).splitlines() or [""])[0][:200]
        return Workbook([], f"a damaged Excel workbook (.xlsx): it cannot be read ({type(error).__name__}: {detail})")
    sheets = []
    try:
        for worksheet in book.worksheets:
            text = _sheet_csv(worksheet.iter_rows(values_only=True))
            if text:
                sheets.append(Sheet(str(worksheet.title), text))
    except Exception as error:  # noqa: BLE001 (a sheet's XML damaged inside the package)
        detail = (str(error).splitlines() or [""])[0][:200]
        return Workbook(
            sheets, f"a damaged Excel workbook (.xlsx): a sheet cannot be read ({type(error).__name__}: {detail})"
        )
    finally:
        book.close()
    return Workbook(sheets)


def _package_problem(raw: bytes) -> str | None:
    """Why a file named .xlsx is no workbook to read (an old .xls, a password, a zip of other files, a "zip bomb"),
    or None."""
    if raw.startswith(OLE_MAGIC):
        return (
            "an old Excel workbook (.xls) or one with a password, which cannot be read: open it in Excel or "
            "LibreOffice and save it (without a password) as .xlsx or CSV (UTF-8)"
        )
    members = package_members(raw)
    if isinstance(members, Exception):
        return f"not an Excel workbook (.xlsx): it is no ZIP package, as an .xlsx is ({members})"
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        return f"not an Excel workbook (.xlsx): a ZIP archive of {len(names)} files, with no xl/workbook.xml"
    # openpyxl streams a sheet's rows, but holds its shared strings (the cells' text) whole.
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_BUNDLE_BYTES:
        return f"an .xlsx whose files unpack to {unpacked / 1e6:.0f} MB; the limit is {MAX_BUNDLE_BYTES / 1e6:.0f} MB"
    return None


def _sheet_csv(rows: object) -> str:
    """A sheet's rows as CSV text, without the empty rows and columns after its last cell; empty for an empty sheet."""
    lines: list[list[str]] = []
    for row in rows:  # type: ignore[attr-defined]
        lines.append([_cell_text(value) for value in row])
    while lines and not any(lines[-1]):
        lines.pop()
    width = max(
        (max((position for position, cell in enumerate(line, 1) if cell), default=0) for line in lines), default=0
    )
    if not width:
        return ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(line[:width] for line in lines)
    return buffer.getvalue()


def _cell_text(value: object) -> str:
    """A cell's value as the text a CSV export writes: a date (Excel's date formats) as ISO, a whole float as an
    integer (a year written 2024 is stored 2024.0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
