"""Outputs are written whole or not at all: a failed write is one ``error:`` line, leaves no temporary
file and keeps the previous analysis; two analyses never write one folder at once."""

from __future__ import annotations

import builtins
import errno
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compare.cli import main
from compare.pipeline import read_saved_analysis, read_stored_manifest

from .conftest import EXTRA_ARTICLE, ROOT, SEEDS


def _subprocess_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", **extra}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes (the lock file's pid left out)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".parallax.lock"
    }


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(the five seeds as an input folder, an extra article's file, OUT holding the analysis of the seeds)."""
    root = tmp_path_factory.mktemp("saved")
    inputs = root / "seeds"
    shutil.copytree(SEEDS, inputs)
    extra = root / "extra" / "reuters.json"
    extra.parent.mkdir()
    extra.write_text(json.dumps(EXTRA_ARTICLE), encoding="utf-8")
    out = root / "out"
    status = main(["analyze", str(inputs), "--out", str(out), "--store", str(root / "store.sqlite3"), "--quiet"])
    assert status == 0 and read_stored_manifest(out) is not None
    return inputs, extra, out


@pytest.fixture
def previous(saved_run, tmp_path) -> tuple[list[str], Path, dict[str, bytes]]:
    """(the arguments of a run adding the extra article to a copy of the saved run, the copy, its files now)."""
    inputs, extra, out = saved_run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    store = str(out.parent / "store.sqlite3")
    return ["analyze", str(inputs), str(extra), "--out", str(copy), "--store", store, "--quiet"], copy, _files(copy)


def _is_under(file: object, folder: Path, dir_fd: int | None = None) -> bool:
    if not isinstance(file, (str, os.PathLike)):
        return False
    base = os.readlink(f"/proc/self/fd/{dir_fd}") if dir_fd is not None else os.getcwd()
    return Path(os.path.join(base, file)).resolve().is_relative_to(folder.resolve())


class _FillingFile:
    """A file that takes ``room`` more bytes and then fails as a full disk does (part of the write lands)."""

    def __init__(self, handle, room: int, failure: BaseException) -> None:  # type: ignore[no-untyped-def]
        self._handle, self._room, self._failure = handle, room, failure

    def write(self, data) -> int:  # type: ignore[no-untyped-def]
        if not isinstance(data, str):
            data = memoryview(data).cast("B")
        size = len(data)
        if size > self._room:
            self._handle.write(data[: self._room])
            self._handle.flush()
            self._room = 0
            raise self._failure
        self._room -= size
        return self._handle.write(data)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self._handle.close()

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._handle, name)


def _fail_writes(monkeypatch, folder: Path, name: str, failure: BaseException, room: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Files opened for writing under ``folder`` whose name contains ``name`` fail after ``room`` bytes.

    Python's ``open`` is replaced (pathlib, zipfile, numpy and the CSV writers all go through it), so any
    way of writing a file meets the failure, as it would meet a full disk.
    """
    real_open = io.open

    def failing_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(file, mode, *args, **kwargs)
        if set(mode) & set("wxa+") and _is_under(file, folder) and name in Path(file).name:
            return _FillingFile(handle, room, failure)
        return handle

    monkeypatch.setattr(io, "open", failing_open)
    monkeypatch.setattr(builtins, "open", failing_open)


def _refuse_writes(monkeypatch, folder: Path, code: int) -> None:  # type: ignore[no-untyped-def]
    """Nothing can be created or changed under ``folder``, as on a read-only file system (EROFS) or without
    permission (EACCES); root ignores chmod, so the file system calls are refused here instead."""
    folder = folder.resolve()

    def refused(path: object) -> OSError:
        return OSError(code, os.strerror(code), str(path))

    real_open, real_os_open = io.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if set(mode) & set("wxa+") and _is_under(file, folder):
            raise refused(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and _is_under(path, folder, kwargs.get("dir_fd")):
            raise refused(path)
        return real_os_open(path, flags, *args, **kwargs)

    def guarded(real):  # type: ignore[no-untyped-def]
        def call(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            if _is_under(path, folder, kwargs.get("dir_fd") or kwargs.get("src_dir_fd")):
                raise refused(path)
            return real(path, *args, **kwargs)

        return call

    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    for name in ("mkdir", "rmdir", "replace", "rename", "unlink"):
        monkeypatch.setattr(os, name, guarded(getattr(os, name)))


def _one_error_line(err: str) -> str:
    lines = [
        line
        for line in err.strip().splitlines()
        if not line.startswith(("warning:", "note:", "added ", "waiting for another analysis"))
    ]
    assert "Traceback" not in err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def _fail_store_writes(monkeypatch, step: str, failure: BaseException) -> None:  # type: ignore[no-untyped-def]
    """The store's writer fails at ``step`` (a table's name, "vectors", or "index/" for the index's arrays),
    as a full disk would fail it there (DuckDB writes through its own file system, not Python's ``open``)."""
    from compare.io.tables import AnalysisStore

    def failing(real):  # type: ignore[no-untyped-def]
        def call(store, name, *args, **kwargs):  # type: ignore[no-untyped-def]
            if name.startswith(step):
                raise failure
            return real(store, name, *args, **kwargs)

        return call

    for method in ("write_table", "update_table", "put_blob"):
        monkeypatch.setattr(AnalysisStore, method, failing(getattr(AnalysisStore, method)))
    real_vectors = AnalysisStore.write_vectors

    def write_vectors(store, *args, **kwargs):  # type: ignore[no-untyped-def]
        if step == "vectors":
            raise failure
        return real_vectors(store, *args, **kwargs)

    monkeypatch.setattr(AnalysisStore, "write_vectors", write_vectors)


@pytest.mark.parametrize("step", ["statements", "claims", "coverage", "index/"])
@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "no space left on device"), (errno.EDQUOT, "disk quota exceeded")]
)
def test_a_full_disk_while_writing_is_one_error_line_and_keeps_the_previous_analysis(
    previous, monkeypatch, capsys, step, code, words
):
    arguments, out, before = previous
    _fail_store_writes(monkeypatch, step, OSError(code, os.strerror(code)))
    assert main(arguments) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line == f"error: cannot write {out}/analysis.duckdb: {words}", line
    assert _files(out) == before  # the previous analysis, index included, as it was; no temporary file


@pytest.mark.parametrize(
    ("code", "words"), [(errno.EROFS, "read-only file system"), (errno.EACCES, "permission denied")]
)
def test_a_read_only_or_forbidden_folder_is_one_error_line_before_any_work(previous, monkeypatch, capsys, code, words):
    arguments, out, before = previous
    _refuse_writes(monkeypatch, out, code)
    started = time.monotonic()
    assert main(arguments) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(out) in line and line.endswith(words), line
    assert time.monotonic() - started < 5  # refused before the analysis, not after it
    assert _files(out) == before


def test_an_interrupt_while_writing_leaves_the_previous_analysis_and_no_temporary_file(previous, monkeypatch, capsys):
    arguments, out, before = previous
    _fail_store_writes(monkeypatch, "vectors", KeyboardInterrupt())
    assert main(arguments) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "error: interrupted"
    assert _files(out) == before


def test_a_failed_swap_leaves_a_readable_consistent_analysis(previous, monkeypatch, capsys):
    """The new store is written; then renaming it into place fails: the previous analysis is there, whole."""
    arguments, out, before = previous
    real_replace = os.replace

    def replace(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(target).name == "analysis.duckdb":
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    assert main(arguments) == 2
    assert "analysis.duckdb: input/output error" in _one_error_line(capsys.readouterr().err)
    monkeypatch.undo()
    assert _files(out) == before  # no temporary file
    analysis, vectors = read_saved_analysis(out)
    assert len(vectors) == len(analysis["statements"])
    assert read_stored_manifest(out)["articles"] == len(analysis["articles"]) == 5  # the index fits it
    capsys.readouterr()
    assert main(arguments) == 0  # and the next run completes


def test_out_at_an_existing_file_is_one_error_line_in_a_real_process(tmp_path):
    blocker = tmp_path / "results"
    blocker.write_text("not a folder", encoding="utf-8")
    for out in (blocker, blocker / "run"):
        finished = subprocess.run(
            [sys.executable, "-m", "compare", "analyze", str(SEEDS), "--out", str(out), "--no-store", "--quiet"],
            cwd=ROOT, env=_subprocess_env(), capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert finished.returncode == 2
        line = _one_error_line(finished.stderr)
        assert line == f"error: cannot write in {out}: {blocker} is a file, not a folder", line
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["results"]


@pytest.mark.parametrize("limit", [64_000, 5_000_000])
def test_a_file_size_limit_in_a_real_process_keeps_the_previous_analysis(saved_run, tmp_path, limit):
    """The kernel itself refuses the write (RLIMIT_FSIZE: EFBIG, as a full disk gives ENOSPC) of the
    store's new version, early or late in it."""
    inputs, _, saved = saved_run
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    before = _files(out)

    arguments = ["analyze", str(inputs), "--out", str(out), "--no-store", "--quiet"]
    script = (  # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG
        "import resource, runpy, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        f"sys.argv = ['compare', *{arguments!r}]\n"
        "runpy.run_module('compare', run_name='__main__', alter_sys=True)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_subprocess_env(), capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 2, finished.stderr[-3000:]
    line = _one_error_line(finished.stderr)
    assert line.startswith(f"error: cannot write {out}/analysis.duckdb: ") and line.endswith("file too large"), line
    assert _files(out) == before


def test_report_into_a_folder_writes_report_html_there_and_nothing_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "reports"
    folder.mkdir()
    inputs = [str(path) for path in sorted(SEEDS.glob("00[34]*.txt"))]
    assert main(["report", *inputs, "--out", "reports/", "--no-store", "--quiet"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["reports"]
    assert [path.name for path in folder.iterdir()] == ["report.html"]
    assert (folder / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_into_a_full_disk_is_one_error_line_and_leaves_no_temporary_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    out = tmp_path / "charts"
    out.mkdir()
    _fail_writes(monkeypatch, out, "voices.csv", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), room=10)
    assert main(["export", str(SEEDS), "--out", str(out), "--format", "svg", "--quiet"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line == f"error: cannot write {out}/voices.csv: no space left on device"
    assert not [path.name for path in out.iterdir() if "voices.csv" in path.name or path.name.startswith(".")]


# ---------------------------------------------------------------- one analysis per output folder at a time


def _hold_lock(out: Path):  # type: ignore[no-untyped-def]
    """Takes OUT's lock in this process, as a slow first analysis would hold it."""
    out.mkdir(parents=True, exist_ok=True)
    handle = open(out / ".parallax.lock", "a+b")  # noqa: SIM115 (held across the test)
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n".encode())
    handle.flush()
    return handle


def _analyze_process(out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "compare", "analyze", str(SEEDS), "--out", str(out), "--no-store", "--quiet",
         "--no-framing", *extra],
        cwd=ROOT, env=_subprocess_env(), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def test_a_second_analysis_of_one_folder_waits_for_the_first_then_gives_up_saying_why(tmp_path):
    out = tmp_path / "out"
    lock = _hold_lock(out)
    try:
        second = _analyze_process(out, "--wait", "2")
        _, err = second.communicate(timeout=120)
    finally:
        lock.close()
    assert second.returncode == 2
    assert f"waiting for another analysis writing {out} (pid {os.getpid()})" in err
    line = _one_error_line(err)
    assert line == (
        f"error: another analysis (pid {os.getpid()}) is still writing {out} after 2 s; "
        "let it finish, or give another --out"
    )
    assert not (out / "analysis.duckdb").exists()


def test_a_second_analysis_of_one_folder_runs_once_the_first_is_done(tmp_path):
    out = tmp_path / "out"
    lock = _hold_lock(out)
    second = _analyze_process(out)
    try:
        assert second.stderr is not None
        first_line = second.stderr.readline()
        assert first_line.startswith(f"waiting for another analysis writing {out} (pid {os.getpid()})")
        time.sleep(1)
        assert second.poll() is None and not (out / "analysis.duckdb").exists()  # it waits, writing nothing
    finally:
        lock.close()  # the first analysis is done
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert len(read_saved_analysis(out)[0]["articles"]) == 5
