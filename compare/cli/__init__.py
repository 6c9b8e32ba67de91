"""The pipeline headless: ``python -m compare analyze|evaluate|report|export|export-json|show``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from compare.cli.messages import printable
from compare.cli.parser import build_parser
from compare.io.atomic import reason
from compare.io.collector import back_on
from compare.io.remote import is_remote
from compare.model.errors import ParallaxError


def imported_when_run(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """The command ``module.name``, its module imported when the command runs, not when the CLI starts."""

    def command(arguments: argparse.Namespace) -> int:
        run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
        return run(arguments)

    return command


# Each command imports the modules only it uses when it runs: a new process adding one article imported the
# report's plotly, the story view's queries and evaluate's scores (0.6 s of its start), and ``show`` (or ``--help``)
# the whole pipeline and its clustering code, 0.5 s of a command that reads a few rows (§5za).
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyze": imported_when_run("compare.cli.commands", "analyze_command"),
    "evaluate": imported_when_run("compare.cli.commands", "evaluate_command"),
    "report": imported_when_run("compare.cli.commands", "report_command"),
    "export": imported_when_run("compare.cli.commands", "export_command"),
    "export-json": imported_when_run("compare.cli.commands", "export_json_command"),
    "show": imported_when_run("compare.cli.show", "show_command"),
}


# The status a shell reports for a command stopped by SIGPIPE (128 + 13), as for `git log | head`.
READER_GONE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the CLI; returns the exit status (0 when something was analysed).

    A reader that closes the pipe early (``show ... | head``, ``--help | head``) is not an error: the command
    stops quietly with 141, as one killed by SIGPIPE does; Python ignores that signal and raises instead.
    """
    try:
        status = _run(argv)
        sys.stdout.flush()  # here, where a closed pipe can still be told apart, not at exit
        return status
    except BrokenPipeError:
        if not _stdout_reader_gone():
            print("error: broken pipe", file=sys.stderr)
            return 2
        # What is still buffered for stdout would fail again at exit, as "Exception ignored ... BrokenPipeError".
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return READER_GONE


def _stdout_reader_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (not some other pipe this process wrote to)."""
    import select

    if not hasattr(select, "poll"):
        return True
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError):
        return False


def _run(argv: Sequence[str] | None) -> int:
    arguments = build_parser().parse_args(argv)
    if arguments.command in ("report", "export") and is_remote(arguments.out):
        print(f"error: {arguments.out}: only analyze writes to object storage; give a local --out", file=sys.stderr)
        return 2
    if getattr(
        arguments, "allow_private_urls", False
    ):  # read where URLs are fetched: compare.ingest.fetch.private_urls_allowed
        os.environ["PARALLAX_ALLOW_PRIVATE_URLS"] = "1"
    try:
        if hasattr(arguments, "inputs"):  # a command that reads inputs, which imports these anyway
            from compare.cli.settings import check_switches, data_file_notes

            check_switches()
            for note in data_file_notes(arguments):
                print(printable(f"warning: {note}"), file=sys.stderr)
        return COMMANDS[arguments.command](arguments)
    except ParallaxError as error:
        print(printable(f"error: {error}"), file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # said by main: the reader of stdout closed it
    except OSError as error:  # one not foreseen above: still one line, naming the file
        print(f"error: {f'{error.filename}: ' if error.filename else ''}{reason(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    finally:
        back_on()  # a caller in the same process (tests, scripts) gets its collector back
