"""What a new user tripped over following the README (docs12's leftovers): a reader closing the pipe, output to
stdout, a model that is not there offline, a saved folder given to analyze; real processes where it matters."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from compare.cli import main
from compare.io.atomic import is_stream, write_file
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
READER_GONE = 141  # what a shell reports for `git log | head` once head has gone


@pytest.fixture(scope="module")
def saved_seeds(tmp_path_factory) -> tuple[Path, str]:
    """The seeds analysed by the CLI, and the id of one of their stories."""
    out = tmp_path_factory.mktemp("saved") / "out"
    assert main(["analyze", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    return out, _a_story_id(out)


def _a_story_id(out: Path) -> str:
    found = subprocess.run(
        [sys.executable, "-m", "compare", "show", str(out), "--search", "Macron", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout)[0]["id"]


def _with_reader_gone(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``python -m compare ARGUMENTS`` writing into a pipe whose reader has already closed it (as `| head` does
    once it has read its lines; closed first here, so that the test does not depend on who is faster)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "compare", *arguments],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)


def test_a_reader_closing_the_pipe_stops_the_command_quietly(saved_seeds):
    """Before: `show OUT --story ID | head` printed "error: broken pipe" and exited 2; as `git log | head`, a
    reader that has read enough is not an error: no word on stderr, and the status of a command stopped by
    SIGPIPE."""
    out, story = saved_seeds
    for arguments in (
        ["show", str(out), "--story", story],
        ["show", str(out), "--story", story, "--json"],
        ["show", str(out), "--search", "Ukraine"],
        ["export-json", str(out), "--to", "-"],
    ):
        finished = _with_reader_gone(*arguments)
        assert (finished.returncode, finished.stderr) == (READER_GONE, ""), arguments
    helped = _with_reader_gone("analyze", "--help")
    assert (helped.returncode, helped.stderr) == (0, "")


def test_export_json_writes_to_stdout_with_a_dash_or_dev_stdout_and_leaves_the_device(saved_seeds, tmp_path):
    """Before: `--to -` wrote a file named "-", and `--to /dev/stdout` renamed a file over /dev/stdout itself (run
    as root, the system's /dev/stdout became a regular file); a stream is now written into as it is."""
    out, _ = saved_seeds
    # The guard first: were /dev/stdout not taken as a stream, the command below would replace it again.
    assert is_stream(Path("/dev/stdout"))
    for to in ("-", "/dev/stdout"):
        target = tmp_path / f"redirected{len(to)}.json"
        with target.open("wb") as redirected:
            finished = subprocess.run(
                [sys.executable, "-m", "compare", "export-json", str(out), "--to", to],
                cwd=tmp_path,  # where a file named "-" was written
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=redirected,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        assert finished.returncode == 0, finished.stderr
        assert len(json.loads(target.read_text(encoding="utf-8"))["articles"]) == len(list(SEEDS.glob("*.txt")))
    assert not (tmp_path / "-").exists()
    assert Path("/dev/stdout").is_symlink()


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    """Before: write_file renamed a temporary file over a named pipe, so its reader saw nothing and the pipe was
    gone; `report --out <(...)` or a FIFO is a stream to write into."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"print(open({str(fifo)!r}).read())"], stdout=subprocess.PIPE)
    try:
        write_file(fifo, b"the whole analysis")
        said, _ = reader.communicate(timeout=20)
    finally:
        reader.kill()  # before the fix it waited for a writer that never came
    assert said.decode().strip() == "the whole analysis"
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it
