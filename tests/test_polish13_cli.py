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
from tests.conftest import SEEDS, free_port

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


class _Hub:
    """A stand-in for huggingface.co on 127.0.0.1 (``HF_ENDPOINT``): records every request; knows the models in
    ``known`` (200 on their ``/api/models/...``) and answers 404 to anything else."""

    def __init__(self, known: tuple[str, ...] = ()) -> None:
        import http.server
        import threading

        self.requests: list[tuple[str, str]] = []
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                hub.requests.append((self.command, self.path))
                status = 200 if any(self.path == f"/api/models/{repo}" for repo in known) else 404
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD = answer  # noqa: N815 (the names http.server calls)

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _analyze_with_model(model: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`analyze` of two seeds with ``--model MODEL`` in a process of its own (the Hub's settings are read when
    huggingface_hub is imported), HF_HUB_OFFLINE unset unless given, and an empty Hugging Face cache."""
    environment = {
        name: value for name, value in os.environ.items() if name not in ("HF_HUB_OFFLINE", "PARALLAX_MODEL")
    }
    environment.update({"HF_HOME": str(tmp_path / "hf"), "PYTHONPATH": str(ROOT), **env})
    seeds = [str(path) for path in sorted(SEEDS.glob("*.txt"))[:2]]
    command = ["analyze", *seeds, "--out", str(tmp_path / "out"), "--quiet", "--no-store", "--model", model]
    return subprocess.run(
        [sys.executable, "-m", "compare", *command],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_model_that_is_not_there_offline_is_one_clear_line_before_any_download_is_tried(tmp_path):
    """Before: "cannot load embedding model 'all-mpnet-base-v2' (OSError: We couldn't connect to
    'https://huggingface.co' to load the files, and couldn't find them in the cached files.\\nCheck your internet
    connection or see how to run the library in offline mode at 'https://)" (cut mid-URL), after sentence-
    transformers had retried the Hub for about 70 s when HF_HUB_OFFLINE was unset. Now the model is named, with
    why it is not there and the three ways on; the Hub (here a stand-in on loopback) is asked once."""
    offline = _analyze_with_model("all-mpnet-base-v2", tmp_path, HF_HUB_OFFLINE="1")
    unreachable = _analyze_with_model("all-mpnet-base-v2", tmp_path, HF_ENDPOINT=f"http://127.0.0.1:{free_port()}")
    hub = _Hub()
    try:
        unknown = _analyze_with_model("no-such-model-anywhere", tmp_path, HF_ENDPOINT=hub.endpoint)
    finally:
        hub.close()
    for finished, why in (
        (offline, "HF_HUB_OFFLINE is set, so it is not downloaded"),
        (unreachable, "cannot be reached to download it"),
        (unknown, "has no public model 'sentence-transformers/no-such-model-anywhere'"),
    ):
        lines = finished.stderr.splitlines()
        assert finished.returncode == 2 and len(lines) == 1, finished.stderr
        assert lines[0].startswith("error: embedding model ")
        assert "is neither a local folder nor in the Hugging Face cache" in lines[0]
        assert why in lines[0] and "use the shipped 'all-MiniLM-L6-v2'" in lines[0], lines[0]
        assert "HF_HUB_OFFLINE unset" in lines[0] and "\\n" not in lines[0]
    assert "'all-mpnet-base-v2'" in offline.stderr
    assert hub.requests == [("HEAD", "/api/models/sentence-transformers/no-such-model-anywhere")]
    missing = _analyze_with_model(str(tmp_path / "models" / "mine"), tmp_path, HF_HUB_OFFLINE="1")
    assert missing.returncode == 2 and "there is no such folder" in missing.stderr


def test_a_model_the_hub_has_is_still_downloaded_by_the_library(tmp_path):
    """The check before loading only stops what cannot load: a model the Hub answers for goes to
    sentence-transformers, which asks the Hub for its files (the stand-in has none to give, so it then fails)."""
    hub = _Hub(known=("sentence-transformers/all-mpnet-base-v2",))
    try:
        finished = _analyze_with_model("all-mpnet-base-v2", tmp_path, HF_ENDPOINT=hub.endpoint)
    finally:
        hub.close()
    assert finished.returncode == 2
    asked = [path for _, path in hub.requests]
    assert "/sentence-transformers/all-mpnet-base-v2/resolve/main/modules.json" in asked, asked


def test_quiet_shows_no_library_progress_bar_when_the_int8_model_is_first_exported(tmp_path):
    """Before: `analyze --quiet` with no int8 export yet printed transformers' "Loading weights: 100%|####| 103/103"
    bar while the shipped model was loaded for its export. Run with an empty model cache, so the export is made."""
    cache = tmp_path / "models"
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "PARALLAX_MODEL_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    environment.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)
    environment.pop("PARALLAX_MODEL", None)
    seeds = [str(path) for path in sorted(SEEDS.glob("*.txt"))[:2]]
    finished = subprocess.run(
        [sys.executable, "-m", "compare", "analyze", *seeds, "--out", str(tmp_path / "out"), "--quiet", "--no-store"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert list(cache.glob("*/model.onnx")), "the int8 model was not exported in this run"
    said = finished.stderr.splitlines()
    assert said == [line for line in said if " -> " in line or line.startswith("note: ")], said
    assert "Loading weights" not in finished.stderr and "\r" not in finished.stderr


def test_a_run_saved_from_python_is_named_as_such_when_analyze_redoes_it_in_full(tmp_path, seeds_analysis, capsys):
    """Before: a folder written by compare.pipeline.save_analysis (no index manifest) and then given to
    `analyze --out` was "made by the Ray engine, or of inputs that are not local files": neither was true."""
    from compare.pipeline import save_analysis

    out = tmp_path / "out"
    save_analysis(seeds_analysis, out)
    assert main(["analyze", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "keeps no index" in line]
    assert len(notes) == 1, notes
    assert "saved from Python by compare.pipeline.save_analysis without index_manifest" in notes[0]
    assert "Ray" not in notes[0] and "analysing in full" in notes[0]
