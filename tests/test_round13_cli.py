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
