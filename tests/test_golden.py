"""Golden analyses: the seeds and ten BASIL events give the same analysis.json as before a change.

Made with the torch backend (the int8 export quantises per batch, see models/README.md). Key order
aside, every value must match; floats to 1e-3: torch's cosines on a CPU with other vector units
differ in the fifth decimal (an Intel Xeon with AVX-512 against the AMD EPYC the files were made on:
92 similarities of basil10 by up to 1e-4, a value rounded to four decimals flipping its last digit,
and nothing else), while a changed method moves a similarity far more or changes the rows. After an intended change of results, rewrite the files with ``PARALLAX_UPDATE_GOLDEN=1 pytest
tests/test_golden.py`` and say in the commit why the results changed.
"""

from __future__ import annotations

import gzip
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PARALLAX_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def torch_embedder():
    from compare.embed import get_embedder

    return get_embedder(backend="torch")


@pytest.fixture(scope="module")
def seeds_analysis(torch_embedder):
    from compare.pipeline import analyze

    return analyze([SEEDS], embedder=torch_embedder, store=None)


def _analysis(inputs: list[Path], embedder: Any) -> dict[str, Any]:
    from compare.pipeline import analyze

    return _as_written(analyze(inputs, embedder=embedder, store=None))


def _as_written(analysis: Any) -> dict[str, Any]:
    # As analysis.json is written (``to_json``) and read; sources without the checkout's folders.
    result = json.loads(analysis.to_json())
    for article in result["articles"]:
        article["source"] = Path(article["source"]).name
    return result


def _differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [f"{path}.{key}: missing" for key in expected.keys() - actual.keys()]
        found += [f"{path}.{key}: unexpected" for key in actual.keys() - expected.keys()]
        for key in expected.keys() & actual.keys():
            found += _differences(expected[key], actual[key], f"{path}.{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} items expected, {len(actual)} found"]
        return [
            line for index, pair in enumerate(zip(expected, actual)) for line in _differences(*pair, f"{path}[{index}]")
        ]
    numbers = isinstance(expected, (int, float)) and isinstance(actual, (int, float))
    if isinstance(expected, float) or isinstance(actual, float):
        if numbers and math.isclose(expected, actual, rel_tol=0, abs_tol=1e-3):
            return []
    elif expected == actual:
        return []
    return [f"{path}: {expected!r} expected, {actual!r} found"]


def _check(name: str, analysis: dict[str, Any]) -> None:
    target = GOLDEN / f"{name}.analysis.json.gz"
    if UPDATE:
        with gzip.open(target, "wt", encoding="utf-8") as handle:
            json.dump(analysis, handle, ensure_ascii=False, indent=0, sort_keys=True)
        pytest.skip(f"rewrote {target.name}")
    with gzip.open(target, "rt", encoding="utf-8") as handle:
        expected = json.load(handle)
    # Settings name the inputs' folders, which differ between checkouts and test runs.
    expected.pop("settings", None)
    analysis.pop("settings", None)
    found = _differences(expected, analysis)
    assert not found, f"{len(found)} differences from {target.name}, first: " + "; ".join(found[:10])


def test_seeds_give_the_golden_analysis(seeds_analysis):
    _check("seeds", _as_written(seeds_analysis))


def test_analysis_json_is_to_dict_and_reads_back_as_the_same_analysis(seeds_analysis):
    import orjson

    from compare.pipeline import analysis_from_dict

    written = orjson.loads(seeds_analysis.to_json())
    assert written == json.loads(json.dumps(seeds_analysis.to_dict()))
    back = analysis_from_dict(written, seeds_analysis.vectors)
    assert back.framing is not None and back.framing.frames  # the rows are there, not an empty table
    for part in ("articles", "statements", "stories", "claims", "problems", "framing"):
        assert getattr(back, part) == getattr(seeds_analysis, part), part


def test_rows_of_an_older_run_get_their_defaults_and_keep_their_order():
    from compare.model.framing import Omission, WordSwap

    older = {"label": "Kiev / Kyiv", "terms": ["Kiev", "Kyiv"], "outlets": {"Kiev": ["fox"]}, "statement_ids": {}}
    assert WordSwap.rows_from_dicts([older]) == [WordSwap("Kiev / Kyiv", ("Kiev", "Kyiv"), {"Kiev": ("fox",)}, {})]
    shuffled = {"cluster_id": "claim-2", "outlet": "nyt", "story_id": "story-1"}  # keys out of field order
    row = Omission.rows_from_dicts([shuffled])[0]
    assert row == Omission("nyt", "story-1", "claim-2") and list(row.to_dict()) == ["outlet", "story_id", "cluster_id"]
    with pytest.raises(TypeError):
        Omission.rows_from_dicts([{**shuffled, "unknown": 1}])


def test_ten_basil_events_give_the_golden_analysis(torch_embedder, basil_subset):
    _check("basil10", _analysis([basil_subset], torch_embedder))


def test_the_comparison_sees_a_changed_value():
    assert _differences({"a": [1.0, {"b": "x"}]}, {"a": [1.0, {"b": "y"}]}) == [".a[1].b: 'x' expected, 'y' found"]
    assert _differences({"s": 0.7140}, {"s": 0.7141}) == []  # another CPU's rounding
    assert _differences({"s": 0.714}, {"s": 0.716}) == [".s: 0.714 expected, 0.716 found"]
    assert _differences({"a": 0.5}, {"a": 0.5000001}) == []
    assert _differences({"a": 0.5}, {"a": 0.51}) != []
