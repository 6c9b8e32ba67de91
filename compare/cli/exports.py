"""Writing what a command made: the report's target, chart images and tables as files."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from compare.ingest.formats import EXPORT_MARKER, REPORT_MARK
from compare.io.atomic import is_stream, write_file
from compare.model.errors import OutputError
from compare.model.framing import Framing
from compare.views.charts import all_charts, export_caption, export_figure, figure_rows
from compare.views.spreadsheet import spreadsheet_safe


def export_files(analysis_dict: dict, vectors, out: Path, fmt: str, corpus: str = "") -> list[Path]:
    """Every chart as an image (captioned with ``corpus``, outlets, dates and version) and its CSV, every table."""
    written = []
    caption = export_caption(analysis_dict, corpus=corpus)
    for name, figure in all_charts(analysis_dict, vectors).items():
        content, produced = export_figure(figure, fmt, caption=caption)
        if produced != fmt:
            print(f"warning: no browser for {fmt.upper()} export; wrote {name}.{produced} instead", file=sys.stderr)
        target = out / f"{name}.{produced}"
        write_file(target, content)
        written.append(target)
        written += _write_csv(out / f"{name}.data.csv", figure_rows(figure))
    for key in Framing.exported_tables():  # every table, headed also when empty: a stable set of files to script on
        written += _write_csv(out / f"{key}.csv", analysis_dict.get(key) or [], Framing.columns(key))
    # Marks the folder as output: written into a corpus folder, it is not read back as articles.
    write_file(out / EXPORT_MARKER, b"charts and tables written by python -m compare export\n")
    return written


def _write_csv(target: Path, rows: list[dict], columns: tuple[str, ...] = ()) -> list[Path]:
    """``rows`` as a CSV file at ``target``, ``columns`` first; nothing written for no rows and no columns."""
    import csv
    import io

    if not rows and not columns:
        return []
    header = list(dict.fromkeys([*columns, *(column for row in rows for column in row)]))
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=header)
    writer.writeheader()
    writer.writerows({column: cell(row.get(column)) for column in header} for row in rows)
    write_file(target, table.getvalue().encode("utf-8"))
    return [target]


def cell(value: object) -> object:
    """A CSV cell: lists and objects as JSON; text that a spreadsheet would run as a formula quoted."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
    return spreadsheet_safe(text) if isinstance(text, str) else text


def report_target(out: str) -> Path:
    """The report file: ``out``, or ``out/report.html`` when ``out`` is a folder or ends with a slash.

    Raises:
        OutputError: the file exists and is not a report Parallax wrote (it was replaced without a word).
    """
    target = Path(out) / "report.html" if out.endswith(("/", os.sep)) or Path(out).is_dir() else Path(out)
    if target.is_file() and not is_stream(target):  # /dev/stdout redirected to a file is written into
        try:
            with target.open("rb") as handle:
                ours = REPORT_MARK in handle.read(4096)
        except OSError:
            ours = False
        if not ours:
            raise OutputError(
                f"{target}: this file exists and is not a report that Parallax wrote; it is kept: give another"
                " --out, or move it away"
            )
    return target
