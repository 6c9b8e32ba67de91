"""Round 12: the CLI on a disk that fills while the analysis store is written (a real tmpfs where the tests may
mount one)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from compare.cli import main
from compare.io.atomic import write_failure
from tests.conftest import SEEDS

TWO_SEEDS = [str(path) for path in sorted(SEEDS.glob("00[34]*.txt"))]


def test_a_full_disk_in_duckdbs_words_is_said_as_the_system_says_it():
    """What DuckDB raised when the disk filled during its checkpoint (copied from a run on a full tmpfs)."""
    said = (
        'FATAL Error: Failed to create checkpoint because of error: Could not write file "/data/out/'
        '.analysis.duckdb.3b008ce8.parallax-tmp": No space left on device'
    )
    assert write_failure(duckdb.IOException(said)) == "no space left on device"
    assert write_failure(duckdb.IOException("Corrupt database file")) == "Corrupt database file"


@pytest.fixture
def small_disk(tmp_path):
    """A 40 MB tmpfs, mounted for the test (skipped where the tests may not mount one)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = shutil.which("mount")
    if mount is None or subprocess.run([mount, "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_disk_filling_while_the_store_is_written_is_one_line_and_the_saved_run_stays(small_disk, capsys):
    """Before: "error: cannot write OUT/analysis.duckdb: FATAL Error: Failed to create checkpoint because of error:
    Could not write file "OUT/.analysis.duckdb.3b008ce8.parallax-tmp": No space left on device" (a hidden file the
    user never made, and a FATAL that is only a full disk)."""
    out = small_disk / "out"
    assert main(["analyze", *TWO_SEEDS, "--out", str(out), "--no-store", "--quiet"]) == 0
    before = _files(out)
    room = (out / "analysis.duckdb").stat().st_size + 2_000_000  # the copy fits, DuckDB's checkpoint does not
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - room))
    capsys.readouterr()
    assert main(["analyze", *TWO_SEEDS, "--out", str(out), "--no-store", "--quiet", "--full"]) == 2
    assert capsys.readouterr().err.strip() == f"error: cannot write {out}/analysis.duckdb: no space left on device"
    assert _files(out) == before  # the saved run as it was, no temporary file beside it
    (small_disk / "filler").unlink()
    assert main(["show", str(out), "--search", "Macron"]) == 0


def test_ctrl_c_while_the_cli_loads_its_libraries_is_one_line(tmp_path):
    """Before: Ctrl-C in the first second or two of `python -m compare analyze …` (while scipy, numpy and the rest
    load) printed a 30-line KeyboardInterrupt traceback; later it was "error: interrupted". A Ctrl-C is the
    KeyboardInterrupt Python raises where the main thread is: here, in the import of scipy's linear algebra."""
    script = (
        "import importlib.abc, runpy, sys\n"
        "class CtrlC(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'scipy.linalg':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        f"sys.argv = ['compare', 'analyze', {TWO_SEEDS[0]!r}, '--out', {str(tmp_path / 'out')!r}, '--no-store']\n"
        "runpy.run_module('compare', run_name='__main__', alter_sys=True)\n"
    )
    root = Path(__file__).resolve().parent.parent
    finished = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120)
    assert (finished.returncode, finished.stderr) == (130, "error: interrupted\n")
    assert not (tmp_path / "out").exists()


def test_a_placeholder_date_for_a_missing_one_does_not_split_a_story(tmp_path, capsys):
    """Before: a null timestamp exported as Unix time 0 dated The Guardian's report of the Visso earthquakes
    1970-01-01, 46 years from Reuters' report of the same quakes: two stories of one event, without a word."""
    import json

    from tests.conftest import EVENTS

    rows = {
        json.loads(line)["id"]: json.loads(line) for line in (EVENTS / "italy_quakes.jsonl").read_text().splitlines()
    }
    placeholders = {"1970-01-01T00:00:00Z": "the Unix epoch (time 0)", "1900-01-01": "the first day Excel and SQL"}
    for placeholder, named in placeholders.items():
        given = [rows["visso-wire"], {**rows["visso-paper"], "published": placeholder}]
        corpus = tmp_path / placeholder[:4] / "rows.jsonl"
        corpus.parent.mkdir()
        corpus.write_text("".join(json.dumps(row) + "\n" for row in given), encoding="utf-8")
        out = tmp_path / placeholder[:4] / "out"
        assert main(["analyze", str(corpus), "--out", str(out), "--no-store"]) == 0
        said = capsys.readouterr().err
        assert f"rows.jsonl:2: date '{placeholder}' is {named}" in said
        assert "which software writes for a missing date; article kept without a date" in said
        assert "2 articles from 2 outlets, 9 statements, 1 stories" in said
