"""Round 13: the CLI's own edges (the console script's start-up, what it is given instead of a corpus and an
output folder), in real processes where it matters; files written by the test."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
TWO_SEEDS = [str(path) for path in sorted(SEEDS.glob("*.txt"))[:2]]


def test_ctrl_c_while_the_parallax_console_script_loads_is_one_line(tmp_path):
    """Before: the `parallax` console script (`compare.cli:main`) imported the CLI, and with it numpy and scipy,
    before any of our code ran, so a Ctrl-C in its first second was a 30-line traceback (`python -m compare` said
    "error: interrupted" since round 12). The script is run as pip writes it, from the entry point in
    pyproject.toml."""
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["parallax"]
    module, function = entry.split(":")
    script = (
        "import importlib.abc, sys\n"
        "class CtrlC(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'scipy.linalg':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        f"sys.argv = ['parallax', 'analyze', {TWO_SEEDS[0]!r}, '--out', {str(tmp_path / 'out')!r}, '--no-store']\n"
        f"from {module} import {function}\n"
        f"sys.exit({function}())\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (finished.returncode, finished.stderr) == (130, "error: interrupted\n")
    assert not (tmp_path / "out").exists()


def test_thousands_of_rows_with_one_problem_are_ten_warning_lines_and_a_count(tmp_path, capsys):
    """Before: a table of 2,000 one-line rows too short to be articles printed 2,000 warning lines (100,000 for a
    table of 100,000), and the warnings of other files were lost among them."""
    import json

    from compare.cli import main

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))[:2]]
    rows = [
        {"id": f"short{n}", "outlet": "Reuters", "text": f"Markets rose {n} points on Monday."} for n in range(2000)
    ]
    rows += [{"id": f"seed{n}", "outlet": ["Reuters", "Daily Planet"][n], "text": text} for n, text in enumerate(texts)]
    table = tmp_path / "rows.jsonl"
    table.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    assert main(["analyze", str(table), str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len([line for line in warnings if line.startswith(f"warning: {table}:") and "only 6 words" in line]) == 11
    assert f"warning: {table}: 1,990 more rows like the first 10 ({table}:1: only 6 words of article text" in "\n".join(
        warnings
    )
    assert f"warning: {tmp_path / 'empty.txt'}: file is empty" in warnings
