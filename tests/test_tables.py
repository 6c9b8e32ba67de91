"""The analysis store (OUT/analysis.duckdb): exact round trips, in-place updates, and readers that never
see a half-written analysis, also when the writer is killed or writes while they read."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from compare.cli import main
from compare.io.tables import AnalysisStore, reading, writing
from compare.model.documents import Claim, Statement
from compare.model.framing import Framing, WordSwap
from compare.pipeline import analysis_from_dict, load_analysis, read_saved_analysis, save_analysis

from .conftest import ROOT, SEEDS

GOLDEN = Path(__file__).parent / "golden"


def _golden(name: str) -> dict:
    with gzip.open(GOLDEN / f"{name}.analysis.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _vectors(count: int, seed: int = 0) -> np.ndarray:
    """Unit vectors with float16 values, as the embed step gives them."""
    vectors = np.random.default_rng(seed).normal(size=(count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float16).astype(np.float32)


def _through_json(data: dict) -> dict:
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("name", ["seeds", "basil10"])
def test_the_store_gives_back_the_golden_analyses_exactly(tmp_path, name):
    expected = _golden(name)
    vectors = _vectors(len(expected["statements"]))
    save_analysis(analysis_from_dict(expected, vectors), tmp_path)
    loaded = load_analysis(tmp_path)
    assert _through_json(loaded.to_dict()) == expected  # every key, every row, in order; floats bit for bit
    assert np.array_equal(loaded.vectors, vectors)
    assert loaded.framing is not None and isinstance(loaded.framing.word_swaps[0], WordSwap)
    assert {path.name for path in tmp_path.iterdir()} <= {"analysis.duckdb", "analysis.files"}  # no temporary file


def test_an_analysis_without_framing_stays_without(tmp_path):
    framing_keys = set(Framing.keys())
    data = {key: value for key, value in _golden("seeds").items() if key not in framing_keys}
    save_analysis(analysis_from_dict(data, _vectors(len(data["statements"]))), tmp_path)
    loaded = load_analysis(tmp_path)
    assert loaded.framing is None
    assert _through_json(loaded.to_dict()) == data


def test_updating_in_place_writes_only_the_changed_rows_and_reads_back_the_new_analysis(tmp_path):
    data = _golden("basil10")
    before = analysis_from_dict(data, _vectors(len(data["statements"])))
    save_analysis(before, tmp_path)
    # As adding an article does: statements appended, some claims changed, a framing table shorter.
    added = [replace(before.statements[0], id="new:0", article_id="new"), replace(before.statements[1], id="new:1")]
    claims = list(before.claims)
    claims[3] = Claim(claims[3].id, (*claims[3].statement_ids, "new:0"), claims[3].outlets, claims[3].story_ids)
    assert before.framing is not None
    after = replace(
        before,
        statements=before.statements + added,
        claims=claims,
        vectors=np.vstack([before.vectors, _vectors(2, seed=1)]),
        framing=replace(before.framing, tone=before.framing.tone[:-3]),
    )
    written: dict[str, int] = {}
    real_update = AnalysisStore.update_table

    def counting(store, name, row_type, old, new):  # type: ignore[no-untyped-def]
        written[name] = real_update(store, name, row_type, old, new)
        return written[name]

    AnalysisStore.update_table = counting  # type: ignore[method-assign]
    try:
        save_analysis(after, tmp_path, previous=before)
    finally:
        AnalysisStore.update_table = real_update  # type: ignore[method-assign]
    assert written["statements"] == 2 and written["claims"] == 1 and written["tone"] == 0
    assert written["articles"] == 0 and written["coverage"] == 0
    loaded = load_analysis(tmp_path)
    assert _through_json(loaded.to_dict()) == _through_json(after.to_dict())
    assert np.array_equal(loaded.vectors, after.vectors)
    with reading(tmp_path) as store:  # and a view can ask for just some rows
        found = store.read_table("statements", Statement, "article_id = ?", ["new"])
    assert [statement.id for statement in found] == ["new:0"]


def _table_rows(folder: Path) -> dict[str, list]:
    with reading(folder) as store:
        names = [
            name for (name,) in store.connection.execute("SHOW TABLES").fetchall() if name not in ("blobs", "vectors")
        ]
        return {name: store.connection.execute(f'SELECT * FROM "{name}" ORDER BY _pos').fetchall() for name in names}


def test_rows_inserted_in_the_middle_move_the_rows_after_them_instead_of_being_written_again(tmp_path):
    """A claim added near the top of the list (most outlets first) and one gone: only the new claim's rows are
    written, the others move to their new positions, and the store equals a whole write of the result."""
    data = _golden("basil10")
    before = analysis_from_dict(data, _vectors(len(data["statements"])))
    save_analysis(before, tmp_path / "updated")
    assert before.framing is not None and len(before.claims) > 20 and len(before.framing.coverage) > 20
    first = before.claims[0]
    new_claim = Claim("claim-new", first.statement_ids[:1], first.outlets[:1], first.story_ids)
    gone = before.claims[5].id
    claims = [first, new_claim, *(claim for claim in before.claims[1:] if claim.id != gone)]
    coverage = before.framing.coverage
    new_cell = replace(coverage[0], cluster_id="claim-new")
    after = replace(
        before,
        claims=claims,
        framing=replace(
            before.framing,
            coverage=[coverage[0], new_cell, *(cell for cell in coverage[1:] if cell.cluster_id != gone)],
        ),
    )
    written: dict[str, int] = {}
    real_update = AnalysisStore.update_table

    def counting(store, name, row_type, old, new):  # type: ignore[no-untyped-def]
        written[name] = real_update(store, name, row_type, old, new)
        return written[name]

    AnalysisStore.update_table = counting  # type: ignore[method-assign]
    try:
        save_analysis(after, tmp_path / "updated", previous=before)
    finally:
        AnalysisStore.update_table = real_update  # type: ignore[method-assign]
    assert written["claims"] == 1 and written["coverage"] == 1 and written["statements"] == 0
    save_analysis(after, tmp_path / "whole")
    assert _table_rows(tmp_path / "updated") == _table_rows(tmp_path / "whole")
    assert _through_json(load_analysis(tmp_path / "updated").to_dict()) == _through_json(after.to_dict())


def test_export_json_equals_the_analysis_json_of_an_older_version(tmp_path, capsys):
    """An older version's folder (analysis.json + vectors.npy) opens, is converted when written, and
    export-json gives its analysis.json back (key order aside)."""
    expected = _golden("seeds")
    old = tmp_path / "old"
    old.mkdir()
    (old / "analysis.json").write_text(json.dumps(expected), encoding="utf-8")
    np.save(old / "vectors.npy", _vectors(len(expected["statements"])))
    assert read_saved_analysis(old)[0] == expected
    save_analysis(load_analysis(old), old)
    assert {path.name for path in old.iterdir()} <= {"analysis.duckdb", "analysis.files"}  # the old files gone
    assert main(["export-json", str(old), "--to", str(tmp_path / "exported.json")]) == 0
    assert json.loads((tmp_path / "exported.json").read_text(encoding="utf-8")) == expected
    assert main(["export-json", str(tmp_path / "nothing")]) == 2
    assert "no saved analysis here" in capsys.readouterr().err


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", **extra}


def test_a_writer_killed_before_it_is_done_leaves_the_previous_analysis(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in [*seeds[:2], SEEDS / "sources.csv"]:
        shutil.copy(path, inputs)
    out, store = tmp_path / "out", str(tmp_path / "store.sqlite3")
    assert main(["analyze", str(inputs), "--out", str(out), "--store", store, "--quiet"]) == 0
    before = _through_json(load_analysis(out).to_dict())
    shutil.copy(seeds[2], inputs)
    killed = subprocess.run(
        [sys.executable, "-m", "compare", "analyze", str(inputs), "--out", str(out), "--store", store, "--quiet"],
        cwd=ROOT, env=_env(PARALLAX_STORE_FAIL="before-swap"), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert any(path.name.endswith(".parallax-tmp") for path in out.iterdir())  # it had written its copy
    assert _through_json(load_analysis(out).to_dict()) == before  # readers see the previous analysis, whole
    assert main(["analyze", str(inputs), "--out", str(out), "--store", store, "--quiet"]) == 0
    assert len(load_analysis(out).articles) == 3
    assert not [path.name for path in out.iterdir() if path.name.endswith(".parallax-tmp")]  # leftovers cleared


_WRITER = """
import sys
from compare.pipeline import load_analysis, save_analysis
small, large, out, rounds = load_analysis(sys.argv[1]), load_analysis(sys.argv[2]), sys.argv[3], int(sys.argv[4])
for round in range(rounds):
    save_analysis(large if round % 2 else small, out)
print("written", rounds)
"""

_READER = """
import sys
from compare.pipeline import load_analysis
counts = set()
for _ in range(int(sys.argv[2])):
    analysis = load_analysis(sys.argv[1])
    assert len(analysis.vectors) == len(analysis.statements), "vectors of another version"
    assert {s.article_id for s in analysis.statements} == {a.id for a in analysis.articles}, "a mixed analysis"
    counts.add(len(analysis.articles))
print(sorted(counts))
"""


def test_two_readers_and_one_writer_at_once_corrupt_nothing(tmp_path):
    """Readers always find a whole analysis: the one before a write or the one after, never a mix."""
    data = _golden("seeds")
    small_data = {
        **data,
        "articles": data["articles"][:2],
        "statements": [s for s in data["statements"] if s["article_id"] in {a["id"] for a in data["articles"][:2]}],
    }
    small, large, out = tmp_path / "small", tmp_path / "large", tmp_path / "out"
    save_analysis(analysis_from_dict(small_data, _vectors(len(small_data["statements"]))), small)
    save_analysis(analysis_from_dict(data, _vectors(len(data["statements"]))), large)
    shutil.copytree(small, out)
    command = [sys.executable, "-c"]
    env = _env(PARALLAX_STORE_EXTERNAL_BYTES="1000")  # every blob a file: old versions' files are removed too
    writer = subprocess.Popen(
        [*command, _WRITER, str(small), str(large), str(out), "30"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    readers = [
        subprocess.Popen(
            [*command, _READER, str(out), "40"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600) for process in (writer, *readers)]
    for process, (_, stderr) in zip((writer, *readers), outputs):
        assert process.returncode == 0, stderr[-2000:]
    assert outputs[0][0].strip() == "written 30"
    for stdout, _ in outputs[1:]:
        assert set(json.loads(stdout)) <= {2, 5}
    assert len(load_analysis(out).articles) == 5  # the last write
    files = {path.name for path in (out / "analysis.files").iterdir()}
    with reading(out) as store:
        named = store.file_names()
    assert named and named <= files
    assert len(files) <= 3 * len(named) + 1  # the current version's files, at most two older ones', their list


def test_a_failed_write_keeps_the_store_and_leaves_no_copy(tmp_path, monkeypatch):
    from compare.io import tables

    monkeypatch.setattr(tables, "EXTERNAL_BYTES", 1000)  # the vectors in files: a failed write removes its own
    data = _golden("seeds")
    save_analysis(analysis_from_dict(data, _vectors(len(data["statements"]))), tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    with pytest.raises(RuntimeError), writing(tmp_path, fresh=False) as store:
        store.write_table("statements", Statement, [])
        store.write_vectors(_vectors(len(data["statements"]), seed=2))
        raise RuntimeError("stopped half way")
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_show_prints_one_story_from_the_store_and_search_finds_it(tmp_path, capsys):
    expected = _golden("basil10")  # the seeds are five events now, none told by two outlets
    for statement in expected["statements"][:1]:  # article text must not reach the terminal as escapes
        statement["text"] = "\x1b[2J" + statement["text"]
    save_analysis(analysis_from_dict(expected, _vectors(len(expected["statements"]))), tmp_path)
    story = next(story for story in expected["stories"] if len(story["outlets"]) >= 2)
    title = next(article["title"] for article in expected["articles"] if article["id"] == story["article_ids"][0])
    capsys.readouterr()
    assert main(["show", str(tmp_path), "--search", title.split()[0].lower(), "--json"]) == 0
    assert story["id"] in [found["id"] for found in json.loads(capsys.readouterr().out)]
    assert main(["show", str(tmp_path), "--story", story["id"], "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["outlets"] == story["outlets"]
    assert {row["title"] for row in shown["headlines"]} >= {title}
    statement_outlet = {statement["id"]: statement["outlet"] for statement in expected["statements"]}
    for claim in shown["shared"]:  # every outlet of the story reports a shared fact, in its own words
        assert {statement_outlet[row["statement_id"]] for row in claim["statements"]} == set(story["outlets"])
    for claim in shown["partial"]:
        assert claim["missing"] and set(claim["outlets"]).isdisjoint(claim["missing"])
    assert shown["shared"] or shown["partial"]
    assert main(["show", str(tmp_path), "--story", story["id"]]) == 0
    text = capsys.readouterr().out
    assert "Facts every outlet reports" in text and "Wording differences" in text and "\x1b" not in text
    assert main(["show", str(tmp_path), "--story", "story-999"]) == 2
    assert "no story 'story-999'; find one with --search TEXT" in capsys.readouterr().err
