"""What README.md and docs/*.md (and the pages they send a user to) tell a user to type works as written: every `python -m compare ...` command they
show is one the parser accepts, every option of the command line is named in the README, and the README's Python
example runs on the shipped corpus and the seeds with the shipped model."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest

from compare.cli import main
from compare.cli.parser import build_parser

ROOT = Path(__file__).resolve().parent.parent
# The README, docs/ and the pages the README sends a user to for commands (models, the sample corpus, security).
DOCS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "models" / "README.md",
    ROOT / "compare" / "data" / "sample" / "README.md",
    ROOT / "RELIABILITY.md",
]
COMMAND = re.compile(r"(?:python -m compare|parallax)\b(.*)")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    (commands,) = [action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)]
    return dict(commands.choices)


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings if option.startswith("--")}


def _code(text: str) -> list[str]:
    """The lines of fenced blocks and the inline code spans (joined where a span wraps) of a Markdown text."""
    fenced = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    outside = re.sub(r"^```[a-z]*\n.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    spans = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", outside)]
    return [line for block in fenced for line in block.splitlines()] + spans


def _documented_commands() -> list[tuple[str, str]]:
    """(file, the words after `python -m compare`) for each command the README and docs show."""
    commands = []
    for path in DOCS:
        for line in _code(path.read_text(encoding="utf-8")):
            match = COMMAND.match(line.strip())
            if match and "…" not in line:
                words = match.group(1).split(" #")[0].replace("[", "").replace("]", "").strip()
                commands.append((str(path.relative_to(ROOT)), words))
    return commands


def test_the_docs_show_the_commands_a_user_types() -> None:
    # Guards the extraction itself: a change of the README's layout that hid its commands would pass the test below.
    shown = {words.split()[0] for _, words in _documented_commands() if words}
    assert shown >= {"analyze", "show", "export-json", "evaluate", "report", "export"}


@pytest.mark.parametrize(("doc", "words"), _documented_commands())
def test_every_documented_command_is_accepted_by_the_parser(doc: str, words: str) -> None:
    arguments = shlex.split(words)
    if len(arguments) <= 1:  # a command named in the text (`python -m compare analyze`): it exists
        assert not arguments or arguments[0] in _subparsers(), (doc, words)
        return
    try:
        build_parser().parse_args(arguments)
    except SystemExit as error:  # argparse's way of saying "no such flag" or "no such value"
        raise AssertionError(f"{doc}: `python -m compare {words}` is refused by the parser") from error


def test_every_command_line_option_is_named_in_the_readme() -> None:
    # `show --limit`, `export-json --to` and `evaluate --gold-claims` were in the parser and nowhere in the docs.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unnamed = {
        f"{command} {option}"
        for command, parser in _subparsers().items()
        for option in _options(parser) - {"--help"}
        if not re.search(re.escape(option) + r"(?![a-z-])", readme)
    }
    assert unnamed == set()


def test_every_flag_the_readme_gives_a_command_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    known = set().union(*(_options(parser) for parser in _subparsers().values()))
    # other programs' flags (pip, streamlit, docker, uv) left out; `--server.port` is streamlit's too
    ours = [line for line in _code(readme) if not re.search(r"pip |streamlit |docker |index-url|UV_", line)]
    flags = {flag for line in ours for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*(?![\w.-])", line)}
    assert flags and flags <= known, flags - known


def _python_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"^```python\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    return example


def test_readme_python_example_runs_on_the_sample_and_the_seeds(embedder, tmp_path, monkeypatch, capsys) -> None:
    # The example names its inputs relative to the repository, as a user in the checkout types them; its output
    # folder goes in tmp_path.
    (tmp_path / "compare" / "data").mkdir(parents=True)
    (tmp_path / "compare" / "data" / "sample").symlink_to(ROOT / "compare" / "data" / "sample")
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    exec(compile(_python_example(), "README.md (Python example)", "exec"), {"__name__": "readme_example"})
    printed = capsys.readouterr().out.splitlines()
    stories = [line for line in printed if line.startswith("story-")]
    # the sample corpus: six events, each told by two outlets
    assert len(stories) == 6
    assert all(re.fullmatch(r"story-[0-9a-f]{12} 2 articles: Sample \w+, Sample \w+", line) for line in stories)
    (shared,) = [line for line in printed if "facts told by two or more outlets" in line]
    assert int(shared.split()[0]) > 0
    # twelve sample articles and the five seeds, saved where the CLI and the dashboard read them
    assert printed[-1] == "17 articles saved"
    assert (tmp_path / "out_python" / "analysis.duckdb").is_file()


def test_the_parallax_command_the_readme_names_is_installed_and_names_itself(monkeypatch, capsys) -> None:
    # `parallax --help` printed "usage: python -m compare", and argparse's errors named a command nobody typed.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"parallax": "compare.__main__:run"}  # round 13: a Ctrl-C at start-up is one line
    assert "`parallax analyze …` is `python -m compare analyze …`" in (ROOT / "README.md").read_text(encoding="utf-8")
    for program, called in (("/venv/bin/parallax", "parallax"), ("/x/compare/__main__.py", "python -m compare")):
        monkeypatch.setattr(sys, "argv", [program, "show", "out/"])
        with pytest.raises(SystemExit):
            main()
        assert capsys.readouterr().err.startswith(f"usage: {called} show ")


def test_every_environment_variable_the_code_reads_is_in_the_readme() -> None:
    # Test hooks are not settings: a store writer made to fail, the size past which blobs are kept apart.
    test_hooks = {"PARALLAX_STORE_FAIL", "PARALLAX_STORE_EXTERNAL_BYTES"}
    sources = [*(ROOT / "compare").rglob("*.py"), ROOT / "dashboard.py"]
    read = {name for path in sources for name in re.findall(r"PARALLAX_[A-Z0-9_]+", path.read_text(encoding="utf-8"))}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `(PARALLAX_[A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    assert "PARALLAX_MODEL" in read and read - test_hooks <= table, (read - test_hooks) - table
