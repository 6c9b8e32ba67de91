"""The install files and the README's examples agree with the code: requirements.txt has every dependency, the
README's commands are CI's, and its example ids and fields exist."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _dependencies() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def _hosted_pins() -> dict[str, Requirement]:
    """requirements.txt's pins by package name (options such as --extra-index-url and comments left out)."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if line and not line.startswith(("#", "-")):
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = requirement
    return pins


def test_requirements_txt_pins_every_dependency_at_a_version_pyproject_accepts() -> None:
    # Streamlit Community Cloud and the Dockerfile install requirements.txt alone (the Dockerfile adds the repository
    # with --no-deps): a dependency missing there (duckdb, dateparser were) is an ImportError on the hosted dashboard.
    pins = _hosted_pins()
    missing = [str(dependency) for dependency in _dependencies() if canonicalize_name(dependency.name) not in pins]
    assert missing == []
    for dependency in _dependencies():
        pin = pins[canonicalize_name(dependency.name)]
        (version,) = [specifier.version for specifier in pin.specifier if specifier.operator == "=="]
        assert dependency.specifier.contains(version, prereleases=True), (dependency, pin)


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (command,) = re.findall(r"^pip install torch.*python -m pytest -q$", readme, flags=re.MULTILINE)
    ci_command = [line for line in ci.splitlines() if line.startswith("pip install")]
    assert ci_command == [command.replace("pip install ", "pip install -q ")]


def test_readme_torch_pin_is_pyprojects_and_the_hosted_cpu_build() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (torch,) = [dependency for dependency in _dependencies() if dependency.name == "torch"]
    (version,) = [specifier.version for specifier in torch.specifier]
    assert set(re.findall(r"pip install torch==([0-9.]+)", readme)) == {version}
    assert str(_hosted_pins()["torch"].specifier) == f"=={version}+cpu"


def test_readme_show_story_names_a_story_of_the_seeds(seeds_analysis) -> None:
    # `show out/ --story story-1` was the README's example: "no story 'story-1'" for anyone who typed it.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (named,) = re.findall(r"^python -m compare show out/ --story (\S+)", readme, flags=re.MULTILINE)
    assert re.fullmatch(r"story-[0-9a-f]{12}", named)
    assert named in {story.id for story in seeds_analysis.stories}


def test_readme_evaluate_example_names_a_gold_field_of_its_corpus() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ((corpus, field),) = re.findall(r"^python -m compare evaluate (\S+) --gold (\S+)", readme, flags=re.MULTILINE)
    rows = [json.loads(line) for line in (ROOT / corpus).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows and all(isinstance(row.get(field), str) for row in rows)


def test_pyproject_licence_file_exists_and_is_the_licence_it_names() -> None:
    # pyproject said Apache-2.0 and the repository carried no licence text: a wheel without one, and no terms to read.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    for name in project["license-files"]:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "Apache License" in text and "Version 2.0, January 2004" in text


def test_python_classifier_is_the_version_the_project_is_checked_on() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lowest = settings["project"]["requires-python"].removeprefix(">=")
    assert settings["tool"]["mypy"]["python_version"] == lowest
    assert settings["tool"]["ruff"]["target-version"] == "py" + lowest.replace(".", "")
    assert f"Programming Language :: Python :: {lowest}" in settings["project"]["classifiers"]
